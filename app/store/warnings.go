package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/apperr"
	"forewarn/app/model"
)

// listedWarnings is the condition of the warnings shown in lists: published,
// expired or not. It is written as a literal so that both engines use the
// partial index warnings_listed.
const listedWarnings = "warnings.status IN ('published', 'expired')"

// routeOrder sorts countries along the route: origin, transit, destination.
const routeOrder = "warning_id, CASE role WHEN 'origin' THEN 0 WHEN 'transit' THEN 1 ELSE 2 END, country"

// WarningFilter narrows the listed warnings. Zero fields do not filter.
type WarningFilter struct {
	Country      string
	CategoryID   int64
	Severity     model.Severity
	UpdatedSince time.Time
	// ExpiredBy is the time up to which warnings count as expired by time
	// (now); used with UpdatedSince.
	ExpiredBy time.Time
	// After continues a list below the warning published at AfterPublished
	// with ID AfterID (keyset pagination); zero AfterID starts at the top.
	AfterPublished time.Time
	AfterID        int64
	Offset         int
	Limit          int
}

// listedMatching narrows q to the listed warnings matching f's Country,
// CategoryID and Severity: the one filter of the paged list and of the
// ordered IDs its pages are cut from.
func listedMatching(q *gorm.DB, f WarningFilter) *gorm.DB {
	return matching(q.Where(listedWarnings), f)
}

// matching narrows q to the warnings matching f's Country, CategoryID and
// Severity.
func matching(q *gorm.DB, f WarningFilter) *gorm.DB {
	if f.Country != "" {
		q = q.Where("warnings.id IN (SELECT wc.warning_id FROM warning_countries wc WHERE wc.country = ?)", f.Country)
	}
	if f.CategoryID != 0 {
		q = q.Where("warnings.category_id = ?", f.CategoryID)
	}
	if f.Severity != "" {
		q = q.Where("warnings.severity = ?", f.Severity)
	}
	return q
}

// ListWarnings returns the listed warnings matching f, newest first. With
// UpdatedSince, it returns instead every public warning matching f that
// changed since then, retracted ones included, and those that expired by
// time since then (up to ExpiredBy), so that a partner's copy learns of
// retractions and expiries too.
func (s *Store) ListWarnings(ctx context.Context, f WarningFilter) ([]model.Warning, error) {
	q := s.db.WithContext(ctx).Model(&model.Warning{})
	if f.UpdatedSince.IsZero() {
		q = listedMatching(q, f)
	} else {
		q = matching(q.Where(publicWarnings+wasPublished), f).
			Where("(warnings.updated_at >= ? OR (warnings.expires_at >= ? AND warnings.expires_at <= ?))",
				f.UpdatedSince, f.UpdatedSince, f.ExpiredBy.UTC())
	}
	if f.AfterID != 0 {
		q = q.Where("(warnings.published_at < ? OR (warnings.published_at = ? AND warnings.id < ?))", f.AfterPublished, f.AfterPublished, f.AfterID)
	}
	var rows []model.Warning
	err := q.Order("warnings.published_at DESC, warnings.id DESC").Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
	return rows, mapErr(err, "list warnings")
}

// Warning loads one warning by ID, whatever its status.
func (s *Store) Warning(ctx context.Context, id int64) (model.Warning, error) {
	var (
		w     model.Warning
		found bool
	)
	err := s.plainQuery(ctx, fmt.Sprintf("warning %d", id),
		"SELECT "+warningColumns+" FROM warnings WHERE warnings.id = ? LIMIT 1", []any{id},
		func(rows *sql.Rows) (err error) {
			w, err = scanWarning(rows)
			found = true
			return err
		})
	if err == nil && !found {
		err = mapErr(errNotFound, "warning %d", id)
	}
	return w, err
}

// WarningPage loads, in one query, one warning whatever its status, its
// organisation (nil without one) and every translation of it, by language.
func (s *Store) WarningPage(ctx context.Context, id int64) (model.Warning, *model.Organisation, []model.WarningTranslation, error) {
	var (
		w     model.Warning
		org   *model.Organisation
		ts    []model.WarningTranslation
		found bool
	)
	err := s.plainQuery(ctx, fmt.Sprintf("warning page %d", id),
		"SELECT "+warningColumns+", o.id, o.slug, o.name, o.website, o.verified, o.created_at, o.updated_at,"+
			" o.phone, o.email, o.hours, o.languages, o.helps_with, o.countries,"+
			" t.lang, t.title, t.summary, t.body, t.what_to_do, t.created_at, t.updated_at"+
			" FROM warnings LEFT JOIN organisations o ON o.id = warnings.organisation_id"+
			" LEFT JOIN warning_translations t ON t.warning_id = warnings.id"+
			" WHERE warnings.id = ? ORDER BY t.lang", []any{id},
		func(rows *sql.Rows) error {
			var (
				row                                   model.Warning
				oID                                   sql.NullInt64
				oSlug, oName, oWebsite                sql.NullString
				oVerified                             sql.NullBool
				oCreated, oUpdated                    sql.NullTime
				oContacts                             [6]sql.NullString
				tLang, tTitle, tSummary, tBody, tWhat sql.NullString
				tCreated, tUpdated                    sql.NullTime
			)
			dest, finish := warningDest(&row)
			dest = append(dest, &oID, &oSlug, &oName, &oWebsite, &oVerified, &oCreated, &oUpdated,
				&oContacts[0], &oContacts[1], &oContacts[2], &oContacts[3], &oContacts[4], &oContacts[5],
				&tLang, &tTitle, &tSummary, &tBody, &tWhat, &tCreated, &tUpdated)
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			finish()
			if !found {
				found, w = true, row
				if oID.Valid {
					org = &model.Organisation{ID: oID.Int64, Slug: oSlug.String, Name: oName.String, Website: oWebsite.String,
						Verified: oVerified.Bool, CreatedAt: oCreated.Time, UpdatedAt: oUpdated.Time,
						Phone: oContacts[0].String, Email: oContacts[1].String, Hours: oContacts[2].String,
						Languages: oContacts[3].String, HelpsWith: oContacts[4].String, Countries: oContacts[5].String}
				}
			}
			if tLang.Valid {
				ts = append(ts, model.WarningTranslation{WarningID: id, Lang: tLang.String, Title: tTitle.String,
					Summary: tSummary.String, Body: tBody.String, WhatToDo: tWhat.String, CreatedAt: tCreated.Time, UpdatedAt: tUpdated.Time})
			}
			return nil
		})
	if err == nil && !found {
		err = mapErr(errNotFound, "warning %d", id)
	}
	return w, org, ts, err
}

// WarningTitles loads, for each warning, the title and summary in lang, in
// English and in the warning's own language (the fallbacks); bodies are
// left out.
func (s *Store) WarningTitles(ctx context.Context, ids []int64, lang string) ([]model.WarningTranslation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.WarningTranslation
	err := s.db.WithContext(ctx).
		Select("t.warning_id, t.lang, t.title, t.summary").
		Table("warning_translations t").
		Joins("JOIN warnings w ON w.id = t.warning_id").
		Where("t.warning_id IN ? AND (t.lang = ? OR t.lang = 'en' OR t.lang = w.lang)", ids, lang).
		Find(&rows).Error
	return rows, mapErr(err, "warning titles")
}

// WarningTexts loads the title and summary of the given warnings in every
// language they have, by warning and language; bodies are left out.
func (s *Store) WarningTexts(ctx context.Context, ids []int64) ([]model.WarningTranslation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(nil, ids)
	rows := make([]model.WarningTranslation, 0, len(ids))
	err := s.plainQuery(ctx, "warning texts",
		"SELECT warning_id, lang, title, summary FROM warning_translations WHERE warning_id IN ("+in+") ORDER BY warning_id, lang", args,
		func(r *sql.Rows) error {
			var t model.WarningTranslation
			if err := r.Scan(&t.WarningID, &t.Lang, &t.Title, &t.Summary); err != nil {
				return err
			}
			rows = append(rows, t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// WarningTranslations loads every translation of one warning.
func (s *Store) WarningTranslations(ctx context.Context, id int64) ([]model.WarningTranslation, error) {
	var rows []model.WarningTranslation
	err := s.plainQuery(ctx, fmt.Sprintf("translations of warning %d", id),
		"SELECT warning_id, lang, title, summary, body, what_to_do, created_at, updated_at FROM warning_translations WHERE warning_id = ? ORDER BY lang", []any{id},
		func(r *sql.Rows) error {
			var t model.WarningTranslation
			if err := r.Scan(&t.WarningID, &t.Lang, &t.Title, &t.Summary, &t.Body, &t.WhatToDo, &t.CreatedAt, &t.UpdatedAt); err != nil {
				return err
			}
			rows = append(rows, t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// WarningCountries loads the countries of the given warnings, keyed by warning.
func (s *Store) WarningCountries(ctx context.Context, ids []int64) (map[int64][]model.WarningCountry, error) {
	out := make(map[int64][]model.WarningCountry, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(nil, ids)
	err := s.plainQuery(ctx, "warning countries",
		"SELECT warning_id, country, role FROM warning_countries WHERE warning_id IN ("+in+") ORDER BY "+routeOrder, args,
		func(r *sql.Rows) error {
			var c model.WarningCountry
			if err := r.Scan(&c.WarningID, &c.Country, &c.Role); err != nil {
				return err
			}
			out[c.WarningID] = append(out[c.WarningID], c)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinkedIndicator is an indicator as one warning or report mentions it.
type LinkedIndicator struct {
	OwnerID int64
	Raw     string
	model.Indicator
}

// WarningIndicators loads the indicators of the given warnings, keyed by warning.
func (s *Store) WarningIndicators(ctx context.Context, ids []int64) (map[int64][]LinkedIndicator, error) {
	out := make(map[int64][]LinkedIndicator, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(nil, ids)
	err := s.plainQuery(ctx, "warning indicators",
		"SELECT wi.warning_id, wi.raw, i.id, i.kind, i.platform, i.normalized, i.hash, i.created_at"+
			" FROM warning_indicators wi JOIN indicators i ON i.id = wi.indicator_id"+
			" WHERE wi.warning_id IN ("+in+") ORDER BY wi.warning_id, i.kind, i.normalized", args,
		func(r *sql.Rows) error {
			var l LinkedIndicator
			if err := r.Scan(&l.OwnerID, &l.Raw, &l.ID, &l.Kind, &l.Platform, &l.Normalized, &l.Hash, &l.CreatedAt); err != nil {
				return err
			}
			out[l.OwnerID] = append(out[l.OwnerID], l)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// IndicatorReportCounts counts, per indicator, the published reports that
// mention it.
func (s *Store) IndicatorReportCounts(ctx context.Context, indicatorIDs []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(indicatorIDs))
	if len(indicatorIDs) == 0 {
		return out, nil
	}
	// The report's status is read from the partial index of public report
	// IDs, a few pages, rather than from each report's row; SQLite's
	// planner takes the rowid unless told (PostgreSQL's chooses by itself).
	reports := "reports r"
	if s.db.Dialector.Name() == "sqlite" {
		reports += " INDEXED BY reports_public_ids"
	}
	in, args := inList(nil, indicatorIDs)
	err := s.plainQuery(ctx, "indicator report counts",
		"SELECT ri.indicator_id, COUNT(*) AS n FROM report_indicators ri JOIN "+reports+" ON r.id = ri.report_id"+
			" WHERE ri.indicator_id IN ("+in+") AND r.status IN ('published', 'locked') GROUP BY ri.indicator_id", args,
		func(r *sql.Rows) error {
			var (
				id int64
				n  int
			)
			if err := r.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WarningSourceReports lists the published reports a warning was drawn from.
func (s *Store) WarningSourceReports(ctx context.Context, warningID int64) ([]model.Report, error) {
	var rows []model.Report
	err := s.plainQuery(ctx, fmt.Sprintf("source reports of warning %d", warningID),
		"SELECT reports.id, reports.title, reports.lang, reports.published_at FROM reports"+
			" JOIN warning_reports wr ON wr.report_id = reports.id"+
			" WHERE wr.warning_id = ? AND reports.status IN ('published', 'locked') ORDER BY reports.published_at DESC", []any{warningID},
		func(r *sql.Rows) error {
			var (
				rep       model.Report
				published sql.NullTime
			)
			if err := r.Scan(&rep.ID, &rep.Title, &rep.Lang, &published); err != nil {
				return err
			}
			rep.PublishedAt = nullTime(published)
			rows = append(rows, rep)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// CreateWarning inserts a warning with its translations, countries and
// indicator links in the store's transaction.
func (s *Store) CreateWarning(ctx context.Context, w *model.Warning, ts []model.WarningTranslation, cs []model.WarningCountry, links []model.WarningIndicator) error {
	db := s.db.WithContext(ctx)
	if err := db.Create(w).Error; err != nil {
		return mapErr(err, "create warning")
	}
	for i := range ts {
		ts[i].WarningID = w.ID
	}
	for i := range cs {
		cs[i].WarningID = w.ID
	}
	for i := range links {
		links[i].WarningID = w.ID
	}
	if err := createAll(db, ts); err != nil {
		return mapErr(err, "create translations of warning %d", w.ID)
	}
	if err := createAll(db, cs); err != nil {
		return mapErr(err, "create countries of warning %d", w.ID)
	}
	if err := createAll(db, links); err != nil {
		return mapErr(err, "link indicators of warning %d", w.ID)
	}
	return nil
}

func createAll[T any](db *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	return db.CreateInBatches(rows, 200).Error
}

// ListedWarningCountries lists the distinct countries of listed warnings.
// It walks the distinct countries of the country index and keeps those with
// a listed warning, instead of joining every row.
func (s *Store) ListedWarningCountries(ctx context.Context) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT c.country FROM (SELECT DISTINCT country FROM warning_countries) c
		WHERE EXISTS (
			SELECT 1 FROM warning_countries wc JOIN warnings ON warnings.id = wc.warning_id
			WHERE wc.country = c.country AND ` + listedWarnings + `)
		ORDER BY c.country`).Scan(&codes).Error
	return codes, mapErr(err, "listed warning countries")
}

// WarningChange is a change of a warning; nil fields are left as they are.
type WarningChange struct {
	Status *model.WarningStatus
	// Facts, when set, replace the severity, category and expiry together.
	Facts            *WarningFacts
	NamesParty       *bool
	ApproverID       *int64
	PublishedAt      *time.Time
	RetractedAt      *time.Time
	RetractionReason *string
	UpdatedAt        time.Time
}

// WarningFacts are the facts of a warning beside its texts; a nil
// ExpiresAt is no expiry.
type WarningFacts struct {
	Severity   model.Severity
	CategoryID int64
	ExpiresAt  *time.Time
}

// UpdateWarning writes c to warning id.
func (s *Store) UpdateWarning(ctx context.Context, id int64, c WarningChange) error {
	fields := map[string]any{"updated_at": c.UpdatedAt}
	if c.Status != nil {
		fields["status"] = *c.Status
	}
	if f := c.Facts; f != nil {
		fields["severity"], fields["category_id"], fields["expires_at"] = f.Severity, f.CategoryID, f.ExpiresAt
	}
	if c.NamesParty != nil {
		fields["names_party"] = *c.NamesParty
	}
	if c.ApproverID != nil {
		fields["approver_id"] = *c.ApproverID
	}
	if c.PublishedAt != nil {
		fields["published_at"] = *c.PublishedAt
	}
	if c.RetractedAt != nil {
		fields["retracted_at"] = *c.RetractedAt
	}
	if c.RetractionReason != nil {
		fields["retraction_reason"] = *c.RetractionReason
	}
	return s.update(ctx, &model.Warning{}, id, fields)
}

// ClaimWarning takes a warning for a change decided on its version: it
// moves the version on, or returns apperr.ErrConflict when another change
// moved it first. Called first in a transaction, it also makes concurrent
// changes of the same warning wait for each other.
func (s *Store) ClaimWarning(ctx context.Context, id, version int64) error {
	// UpdateColumn: a claim alone changes nothing readers see, not even
	// updated_at (which Update would set), so the change feed serves no
	// change for it.
	res := s.db.WithContext(ctx).Model(&model.Warning{}).Where("id = ? AND lock_version = ?", id, version).
		UpdateColumn("lock_version", gorm.Expr("lock_version + 1"))
	if res.Error != nil {
		return mapErr(res.Error, "claim warning %d", id)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("claim warning %d at version %d: %w", id, version, apperr.ErrConflict)
	}
	return nil
}

// SaveWarningTranslation creates or replaces the text of a warning in one
// language.
func (s *Store) SaveWarningTranslation(ctx context.Context, t *model.WarningTranslation) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "warning_id"}, {Name: "lang"}},
		DoUpdates: clause.AssignmentColumns([]string{"title", "summary", "body", "what_to_do", "updated_at"}),
	}).Create(t).Error
	return mapErr(err, "save translation %s of warning %d", t.Lang, t.WarningID)
}

// ReplaceWarningRoute replaces the countries and indicator links of a
// warning.
func (s *Store) ReplaceWarningRoute(ctx context.Context, id int64, cs []model.WarningCountry, links []model.WarningIndicator) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("warning_id = ?", id).Delete(&model.WarningCountry{}).Error; err != nil {
		return mapErr(err, "clear countries of warning %d", id)
	}
	if err := db.Where("warning_id = ?", id).Delete(&model.WarningIndicator{}).Error; err != nil {
		return mapErr(err, "clear indicators of warning %d", id)
	}
	for i := range cs {
		cs[i].WarningID = id
	}
	for i := range links {
		links[i].WarningID = id
	}
	if err := createAll(db, cs); err != nil {
		return mapErr(err, "set countries of warning %d", id)
	}
	return mapErr(createAll(db, links), "set indicators of warning %d", id)
}

// WarningsInWork lists warnings with a revision waiting for approval, then
// those that are in review, drafts, or were changed recently, newest change
// first, for the moderators' page.
func (s *Store) WarningsInWork(ctx context.Context, limit int) ([]model.Warning, error) {
	var rows []model.Warning
	err := s.db.WithContext(ctx).Order("CASE WHEN EXISTS (SELECT 1 FROM warning_revisions r WHERE r.warning_id = warnings.id AND r.status = 'pending') THEN 0 ELSE 1 END, CASE status WHEN 'in_review' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, updated_at DESC, id DESC").Limit(limit).Find(&rows).Error
	return rows, mapErr(err, "warnings in work")
}

// WarningCountryCodes lists the country codes of one warning.
func (s *Store) WarningCountryCodes(ctx context.Context, id int64) ([]string, error) {
	var codes []string
	err := s.db.WithContext(ctx).Model(&model.WarningCountry{}).Where("warning_id = ?", id).Pluck("country", &codes).Error
	return codes, mapErr(err, "countries of warning %d", id)
}

// ListedWarningIDs returns the IDs of every listed warning matching f (its
// Country, CategoryID and Severity), in list order: newest published first,
// then highest ID; the paging fields of f are ignored. It reads an index
// in list order, so that a page of any filter is then read by ID.
func (s *Store) ListedWarningIDs(ctx context.Context, f WarningFilter) ([]int64, error) {
	q := listedMatching(s.db.WithContext(ctx).Table("warnings"), f)
	var ids []int64
	err := q.Order("warnings.published_at DESC, warnings.id DESC").Pluck("warnings.id", &ids).Error
	return ids, mapErr(err, "listed warning IDs")
}

// WarningsByID loads the warnings with the given IDs, in the order of ids;
// missing ones are left out.
func (s *Store) WarningsByID(ctx context.Context, ids []int64) ([]model.Warning, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(nil, ids)
	rows := make([]model.Warning, 0, len(ids))
	err := s.plainQuery(ctx, "warnings by ID",
		"SELECT "+warningColumns+" FROM warnings WHERE warnings.id IN ("+in+")", args,
		func(r *sql.Rows) error {
			w, err := scanWarning(r)
			rows = append(rows, w)
			return err
		})
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	sort.Slice(rows, func(i, j int) bool { return at[rows[i].ID] < at[rows[j].ID] })
	return rows, nil
}

// WarningsLackingWhatToDo returns, for the given warnings, the languages of
// their translations that have no "What to do now" yet.
func (s *Store) WarningsLackingWhatToDo(ctx context.Context, ids []int64) (map[int64][]string, error) {
	var rows []model.WarningTranslation
	err := s.db.WithContext(ctx).Select("warning_id, lang").
		Where("warning_id IN ? AND what_to_do = ''", ids).Find(&rows).Error
	if err != nil {
		return nil, mapErr(err, "translations lacking what to do")
	}
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.WarningID] = append(out[r.WarningID], r.Lang)
	}
	return out, nil
}

// FillWhatToDo sets the "What to do now" of a warning's translation in
// lang when it has none; one already written is kept.
func (s *Store) FillWhatToDo(ctx context.Context, id int64, lang, text string) error {
	err := s.db.WithContext(ctx).Model(&model.WarningTranslation{}).
		Where("warning_id = ? AND lang = ? AND what_to_do = ''", id, lang).
		Update("what_to_do", text).Error
	return mapErr(err, "fill what to do %s of warning %d", lang, id)
}
