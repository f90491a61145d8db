package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// ChangedWarning is a public warning as the change log serves it, with
// its position in the log.
type ChangedWarning struct {
	Seq     int64
	Warning model.Warning
}

// publicWarnings is the condition of warnings a partner may see.
const publicWarnings = "warnings.status IN ('published', 'expired', 'retracted')"

// wasPublished is the condition of warnings that were published once.
const wasPublished = " AND warnings.published_at IS NOT NULL"

// ChangesAfter returns up to limit public warnings whose last change comes
// after position after, in log order. Positions are numbered in commit
// order (see migrations/*/00015_warning_changes.sql): no change can
// appear later below a position already read.
func (s *Store) ChangesAfter(ctx context.Context, after int64, limit int) ([]ChangedWarning, error) {
	var out []ChangedWarning
	err := s.plainQuery(ctx, "warning changes",
		"SELECT c.seq, "+warningColumns+" FROM warning_changes c JOIN warnings ON warnings.id = c.warning_id"+
			" WHERE c.seq > ? AND "+publicWarnings+wasPublished+
			" ORDER BY c.seq LIMIT ?", []any{after, limit},
		func(r *sql.Rows) error {
			var cw ChangedWarning
			dest, finish := warningDest(&cw.Warning)
			if err := r.Scan(append([]any{&cw.Seq}, dest...)...); err != nil {
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
// whose last change is at or before position pos: those a partner who
// holds pos has seen before they expired.
func (s *Store) ExpiriesBetween(ctx context.Context, pos int64, after time.Time, afterID int64, until time.Time, limit int) ([]model.Warning, error) {
	var out []model.Warning
	after, until = after.UTC(), until.UTC()
	err := s.plainQuery(ctx, "warning expiries",
		"SELECT "+warningColumns+" FROM warnings JOIN warning_changes c ON c.warning_id = warnings.id"+
			" WHERE warnings.status = 'published' AND warnings.expires_at IS NOT NULL"+wasPublished+
			" AND warnings.expires_at >= ? AND warnings.expires_at <= ? AND (warnings.expires_at > ? OR warnings.id > ?)"+
			" AND c.seq <= ?"+
			" ORDER BY warnings.expires_at, warnings.id LIMIT ?",
		[]any{after, until, after, afterID, pos, limit},
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

// Snapshot runs fn with a store that reads one snapshot of the database,
// so that the change log and the warnings' state are read at the same
// moment: a read-only repeatable-read transaction on PostgreSQL; on SQLite
// a deferred read transaction on a connection of its own (whose WAL gives
// it a snapshot), which does not take the writer's turn as the store's
// transactions do. It is not counted as a write.
func (s *Store) Snapshot(ctx context.Context, fn func(st *Store) error) error {
	if s.db.Dialector.Name() == "postgres" {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(&Store{db: tx, writes: s.writes})
		}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err != nil {
			// A connection that may still be in the transaction goes
			// back to no one.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	db := s.db.Session(&gorm.Session{NewDB: true, Context: ctx})
	db.Statement.ConnPool = conn
	return fn(&Store{db: db, writes: s.writes})
}

// FeedWarnings returns the public warnings matching f's Country,
// CategoryID and Severity, retracted ones included, most recently changed
// first, from f.Offset, at most f.Limit.
func (s *Store) FeedWarnings(ctx context.Context, f WarningFilter) ([]model.Warning, error) {
	q := matching(s.db.WithContext(ctx).Model(&model.Warning{}).Where(publicWarnings+wasPublished), f)
	var rows []model.Warning
	err := q.Order("warnings.updated_at DESC, warnings.id DESC").Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
	return rows, mapErr(err, "feed warnings")
}

// NewestWarningChange returns the time of the newest change of a public
// warning (its update or its expiry, up to now); zero without any.
func (s *Store) NewestWarningChange(ctx context.Context, now time.Time) (time.Time, error) {
	var rows []model.Warning
	err := s.db.WithContext(ctx).Model(&model.Warning{}).Where(publicWarnings + wasPublished).
		Order("updated_at DESC, id DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return time.Time{}, mapErr(err, "newest warning change")
	}
	var newest time.Time
	if len(rows) > 0 {
		newest = rows[0].UpdatedAt
	}
	var expired []model.Warning
	err = s.db.WithContext(ctx).Model(&model.Warning{}).Where(publicWarnings+wasPublished+" AND expires_at <= ?", now.UTC()).
		Order("expires_at DESC").Limit(1).Find(&expired).Error
	if err != nil {
		return time.Time{}, mapErr(err, "newest warning expiry")
	}
	if len(expired) > 0 && expired[0].ExpiresAt.After(newest) {
		newest = *expired[0].ExpiresAt
	}
	return newest, nil
}
