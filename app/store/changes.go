package store

import (
	"context"
	"database/sql"
	"time"

	"forewarn/app/model"
)

// ChangePosition is a place in the change log of warnings: the log is
// ordered by (Txid, Seq). See migrations/*/00015_warning_changes.sql for
// why PostgreSQL orders by the writing transaction first.
type ChangePosition struct {
	Txid int64
	Seq  int64
}

// ChangedWarning is a public warning as the change log serves it, with
// its position.
type ChangedWarning struct {
	Position ChangePosition
	Warning  model.Warning
}

// publicWarnings is the condition of warnings a partner may see.
const publicWarnings = "warnings.status IN ('published', 'expired', 'retracted')"

// published is the condition of warnings that were published once.
const wasPublished = " AND warnings.published_at IS NOT NULL"

// ChangesAfter returns up to limit public warnings whose last change comes
// after pos, in log order. On PostgreSQL it serves only changes of
// transactions older than every transaction still running, so that no
// change can later appear before a position it handed out.
func (s *Store) ChangesAfter(ctx context.Context, pos ChangePosition, limit int) ([]ChangedWarning, error) {
	horizon := ""
	if s.db.Dialector.Name() == "postgres" {
		horizon = " AND c.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
	}
	var out []ChangedWarning
	err := s.plainQuery(ctx, "warning changes",
		"SELECT c.txid, c.seq, "+warningColumns+" FROM warning_changes c JOIN warnings ON warnings.id = c.warning_id"+
			" WHERE (c.txid > ? OR (c.txid = ? AND c.seq > ?))"+horizon+" AND "+publicWarnings+wasPublished+
			" ORDER BY c.txid, c.seq LIMIT ?", []any{pos.Txid, pos.Txid, pos.Seq, limit},
		func(r *sql.Rows) error {
			var cw ChangedWarning
			dest, finish := warningDest(&cw.Warning)
			if err := r.Scan(append([]any{&cw.Position.Txid, &cw.Position.Seq}, dest...)...); err != nil {
				return err
			}
			finish()
			out = append(out, cw)
			return nil
		})
	return out, err
}

// ExpiriesBetween returns up to limit published warnings that expired
// after (after, afterID) and at or before until, ordered by expiry and ID,
// whose last change is at or before pos: those a partner who holds pos has
// seen before they expired.
func (s *Store) ExpiriesBetween(ctx context.Context, pos ChangePosition, after time.Time, afterID int64, until time.Time, limit int) ([]model.Warning, error) {
	var out []model.Warning
	after, until = after.UTC(), until.UTC()
	err := s.plainQuery(ctx, "warning expiries",
		"SELECT "+warningColumns+" FROM warnings JOIN warning_changes c ON c.warning_id = warnings.id"+
			" WHERE warnings.status = 'published' AND warnings.expires_at IS NOT NULL"+wasPublished+
			" AND (warnings.expires_at > ? OR (warnings.expires_at = ? AND warnings.id > ?)) AND warnings.expires_at <= ?"+
			" AND (c.txid < ? OR (c.txid = ? AND c.seq <= ?))"+
			" ORDER BY warnings.expires_at, warnings.id LIMIT ?",
		[]any{after, after, afterID, until, pos.Txid, pos.Txid, pos.Seq, limit},
		func(r *sql.Rows) error {
			w, err := scanWarning(r)
			out = append(out, w)
			return err
		})
	return out, err
}

// WarningFullTexts loads every translation of the given warnings, bodies
// included, by warning and language.
func (s *Store) WarningFullTexts(ctx context.Context, ids []int64) ([]model.WarningTranslation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(nil, ids)
	rows := make([]model.WarningTranslation, 0, len(ids))
	err := s.plainQuery(ctx, "warning full texts",
		"SELECT warning_id, lang, title, summary, body, what_to_do, created_at, updated_at FROM warning_translations WHERE warning_id IN ("+in+") ORDER BY warning_id, lang", args,
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
