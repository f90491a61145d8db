package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// LogAction appends an entry to the moderation log, with the scope of the
// report, reply or warning it is about unless the caller gave one.
func (s *Store) LogAction(ctx context.Context, a *model.ModerationAction) error {
	if a.Lang == "" {
		if err := s.entryScope(ctx, a); err != nil {
			return err
		}
	}
	return mapErr(s.db.WithContext(ctx).Create(a).Error, "log action %s on %s %d", a.Action, a.TargetType, a.TargetID)
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Action     string
	TargetType string
	TargetID   int64
	ActorID    int64
	// Scope limits the log to a moderator's scope; nil is everything.
	Scope  *Scope
	Offset int
	Limit  int
}

// AuditLog lists moderation actions, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]model.AuditEntry, error) {
	q := s.db.WithContext(ctx).Table("moderation_actions a").Select("a.*, u.pseudonym AS actor, k.name AS key_name, ko.name AS key_organisation").
		Joins("LEFT JOIN users u ON u.id = a.actor_id").
		Joins("LEFT JOIN api_keys k ON k.id = a.actor_key_id").
		Joins("LEFT JOIN organisations ko ON ko.id = k.organisation_id")
	if f.Action != "" {
		q = q.Where("a.action = ?", f.Action)
	}
	if f.TargetType != "" {
		q = q.Where("a.target_type = ?", f.TargetType)
	}
	if f.TargetID != 0 {
		q = q.Where("a.target_id = ?", f.TargetID)
	}
	if f.ActorID != 0 {
		q = q.Where("a.actor_id = ?", f.ActorID)
	}
	if f.Scope != nil {
		q = auditInScope(q, *f.Scope)
	}
	var rows []model.AuditEntry
	err := q.Order("a.created_at DESC, a.id DESC").Offset(f.Offset).Limit(f.Limit).Scan(&rows).Error
	return rows, mapErr(err, "audit log")
}

// AuditActions lists the distinct action names in the log, for its filter.
// It skips from one name to the next along the index on action, so it
// costs a few look-ups per name, not a scan of the log.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Raw(`WITH RECURSIVE t(action) AS (
		SELECT MIN(action) FROM moderation_actions
		UNION ALL SELECT (SELECT MIN(m.action) FROM moderation_actions m WHERE m.action > t.action) FROM t WHERE t.action IS NOT NULL
	) SELECT action FROM t WHERE action IS NOT NULL ORDER BY action`).Scan(&names).Error
	return names, mapErr(err, "audit actions")
}

// auditInScope narrows q (over moderation_actions a) to the entries about
// content in sc, by the scope stored with each entry, and to the entries
// about members who wrote in sc or whom sc.UserID restricted.
//
// No index serves the condition, on purpose: both engines walk the log
// newest first and stop at the page's end, whatever the size of the scope.
func auditInScope(q *gorm.DB, sc Scope) *gorm.DB {
	if len(sc.Langs) == 0 || len(sc.Countries) == 0 {
		return q.Where("a.target_type = 'user' AND a.actor_id = ?", sc.UserID)
	}
	l, c := sc.Langs, sc.Countries
	likes := make([]string, len(c))
	args := []any{sc.UserID, l, c, l, c, l}
	for i, code := range c {
		likes[i] = "a.countries LIKE ?"
		args = append(args, "% "+code+" %")
	}
	return q.Where(`CASE a.target_type WHEN 'user' THEN (a.actor_id = ? OR `+memberInScope("a.target_id")+`)`+
		` ELSE (a.lang IN ? AND (`+strings.Join(likes, " OR ")+`)) END`, args...)
}

// entryScope fills the scope of an audit entry about a report, a reply or
// a warning from the content as it is now.
func (s *Store) entryScope(ctx context.Context, a *model.ModerationAction) error {
	db := s.db.WithContext(ctx)
	var codes []string
	var err error
	switch a.TargetType {
	case "report", "reply":
		reportID := a.TargetID
		if a.TargetType == "reply" {
			err = db.Model(&model.Reply{}).Select("report_id").Where("id = ?", a.TargetID).Scan(&reportID).Error
		}
		if err == nil {
			err = db.Model(&model.Report{}).Select("lang").Where("id = ?", reportID).Scan(&a.Lang).Error
		}
		if err == nil {
			err = db.Model(&model.ReportCountry{}).Where("report_id = ?", reportID).Distinct("country").Order("country").Pluck("country", &codes).Error
		}
	case "warning":
		err = db.Model(&model.Warning{}).Select("lang").Where("id = ?", a.TargetID).Scan(&a.Lang).Error
		if err == nil {
			err = db.Model(&model.WarningCountry{}).Where("warning_id = ?", a.TargetID).Distinct("country").Order("country").Pluck("country", &codes).Error
		}
	}
	if len(codes) > 0 {
		a.Countries = " " + strings.Join(codes, " ") + " "
	}
	return mapErr(err, "scope of %s %d", a.TargetType, a.TargetID)
}

// PurgeAuditTexts empties the texts before and after of the audit entries
// made before cutoff and returns how many it emptied.
func (s *Store) PurgeAuditTexts(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&model.ModerationAction{}).
		Where("created_at < ? AND (before_text <> '' OR after_text <> '')", cutoff).
		Updates(map[string]any{"before_text": "", "after_text": ""})
	return res.RowsAffected, mapErr(res.Error, "purge audit texts")
}
