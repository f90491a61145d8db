package store

import (
	"context"
	"database/sql"
	"fmt"

	"forewarn/app/model"
)

// exportedStatuses is the condition of the warnings the bulk export shows:
// every state a visitor may see, never drafts or warnings in review.
const exportedStatuses = "w.status IN ('published', 'expired', 'retracted')"

// ExportedWarning is a public warning with everything the bulk export
// shows: its published state (a pending revision lives elsewhere), every
// translation, its route, its indicators and its publisher. Authors,
// approvers and moderators are not part of it.
type ExportedWarning struct {
	model.Warning
	Category     string
	Organisation *model.Organisation
	Translations []model.WarningTranslation
	Countries    []model.WarningCountry
	Indicators   []LinkedIndicator
}

// ExportWarnings returns up to limit public warnings with an ID above
// afterID, by ID: one keyset page of the bulk export.
func (s *Store) ExportWarnings(ctx context.Context, afterID int64, limit int) ([]ExportedWarning, error) {
	var out []ExportedWarning
	err := s.plainQuery(ctx, "export warnings",
		"SELECT w.id, w.severity, c.slug, w.status, w.lang, w.organisation_id, w.retraction_reason,"+
			" w.expires_at, w.published_at, w.retracted_at, w.created_at, w.updated_at"+
			" FROM warnings w JOIN categories c ON c.id = w.category_id"+
			" WHERE "+exportedStatuses+" AND w.id > ? ORDER BY w.id LIMIT ?", []any{afterID, limit},
		func(r *sql.Rows) error {
			var x ExportedWarning
			var org sql.NullInt64
			var expires, published, retracted sql.NullTime
			if err := r.Scan(&x.ID, &x.Severity, &x.Category, &x.Status, &x.Lang, &org, &x.RetractionReason,
				&expires, &published, &retracted, &x.CreatedAt, &x.UpdatedAt); err != nil {
				return err
			}
			x.OrganisationID = nullInt64(org)
			x.ExpiresAt, x.PublishedAt, x.RetractedAt = nullTime(expires), nullTime(published), nullTime(retracted)
			out = append(out, x)
			return nil
		})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	ids := make([]int64, len(out))
	orgIDs := []int64{}
	for i, x := range out {
		ids[i] = x.ID
		if x.OrganisationID != nil {
			orgIDs = append(orgIDs, *x.OrganisationID)
		}
	}
	texts, err := s.exportTranslations(ctx, ids)
	if err != nil {
		return nil, err
	}
	countries, err := s.WarningCountries(ctx, ids)
	if err != nil {
		return nil, err
	}
	indicators, err := s.WarningIndicators(ctx, ids)
	if err != nil {
		return nil, err
	}
	orgs, err := s.exportOrganisations(ctx, orgIDs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		x := &out[i]
		x.Translations, x.Countries, x.Indicators = texts[x.ID], countries[x.ID], indicators[x.ID]
		if x.OrganisationID != nil {
			x.Organisation = orgs[*x.OrganisationID]
		}
	}
	return out, nil
}

// exportTranslations loads every translation of the given warnings, in
// full, keyed by warning, by language.
func (s *Store) exportTranslations(ctx context.Context, ids []int64) (map[int64][]model.WarningTranslation, error) {
	out := make(map[int64][]model.WarningTranslation, len(ids))
	in, args := inList(nil, ids)
	err := s.plainQuery(ctx, "export translations",
		"SELECT warning_id, lang, title, summary, body, what_to_do, updated_at FROM warning_translations WHERE warning_id IN ("+in+") ORDER BY warning_id, lang", args,
		func(r *sql.Rows) error {
			var t model.WarningTranslation
			if err := r.Scan(&t.WarningID, &t.Lang, &t.Title, &t.Summary, &t.Body, &t.WhatToDo, &t.UpdatedAt); err != nil {
				return err
			}
			out[t.WarningID] = append(out[t.WarningID], t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// exportOrganisations loads the public name of the given organisations.
func (s *Store) exportOrganisations(ctx context.Context, ids []int64) (map[int64]*model.Organisation, error) {
	out := make(map[int64]*model.Organisation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(nil, ids)
	err := s.plainQuery(ctx, "export organisations",
		"SELECT id, slug, name, verified FROM organisations WHERE id IN ("+in+")", args,
		func(r *sql.Rows) error {
			var o model.Organisation
			if err := r.Scan(&o.ID, &o.Slug, &o.Name, &o.Verified); err != nil {
				return err
			}
			out[o.ID] = &o
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("export organisations: %w", err)
	}
	return out, nil
}
