package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// Scope is what a moderator covers: content in one of Langs and on a route
// through one of Countries. A nil *Scope means everything (an admin).
type Scope struct {
	Langs     []string
	Countries []string
	// UserID is the moderator, who also sees the entries about members they
	// restricted themselves.
	UserID int64
}

// memberInScope is the SQL condition that the member whose ID is the
// expression idExpr wrote a report or a reply, in any state, whose report
// is in scope; it takes the languages and the countries twice. It follows
// the member's own posts (an index on author_id), so it costs what they
// wrote, not what the scope holds.
func memberInScope(idExpr string) string {
	const inScope = `r.lang IN ? AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)`
	return `(EXISTS (SELECT 1 FROM reports r WHERE r.author_id = ` + idExpr + ` AND ` + inScope + `)` +
		` OR EXISTS (SELECT 1 FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.author_id = ` + idExpr + ` AND ` + inScope + `))`
}

// MemberInScope reports whether userID wrote a report or a reply, in any
// state, whose report is in sc.
func (s *Store) MemberInScope(ctx context.Context, userID int64, sc Scope) (bool, error) {
	l, c := nonEmpty(sc.Langs), nonEmpty(sc.Countries)
	var n int64
	err := s.db.WithContext(ctx).Model(&model.User{}).
		Where("id = ? AND "+memberInScope("users.id"), userID, l, c, l, c).Count(&n).Error
	return n > 0, mapErr(err, "member %d in scope", userID)
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

// RedactRevisions replaces passage with replacement in every earlier
// version of a post.
func (s *Store) RedactRevisions(ctx context.Context, targetType string, targetID int64, passage, replacement string) error {
	err := s.db.WithContext(ctx).Model(&model.PostRevision{}).Where("target_type = ? AND target_id = ?", targetType, targetID).
		Updates(map[string]any{
			"title": gorm.Expr("REPLACE(title, ?, ?)", passage, replacement),
			"body":  gorm.Expr("REPLACE(body, ?, ?)", passage, replacement),
		}).Error
	return mapErr(err, "redact revisions of %s %d", targetType, targetID)
}

// RevisionsContain reports whether an earlier version of a post holds passage.
func (s *Store) RevisionsContain(ctx context.Context, targetType string, targetID int64, passage string) (bool, error) {
	revs, err := s.Revisions(ctx, targetType, targetID)
	for _, r := range revs {
		if strings.Contains(r.Title, passage) || strings.Contains(r.Body, passage) {
			return true, nil
		}
	}
	return false, err
}

// Revisions lists the earlier versions of a post, oldest first.
func (s *Store) Revisions(ctx context.Context, targetType string, targetID int64) ([]model.PostRevision, error) {
	var revs []model.PostRevision
	err := s.db.WithContext(ctx).Where("target_type = ? AND target_id = ?", targetType, targetID).Order("created_at, id").Find(&revs).Error
	return revs, mapErr(err, "revisions of %s %d", targetType, targetID)
}

// ForgetMemberTexts empties what a leaving member wrote beyond their
// current posts: every earlier version of their reports and replies, every
// version they edited, the notes of their flags, and the texts of their own
// entries in the audit log.
func (s *Store) ForgetMemberTexts(ctx context.Context, userID int64) error {
	db := s.db.WithContext(ctx)
	err := db.Where(`editor_id = ?
		OR (target_type = 'report' AND target_id IN (SELECT id FROM reports WHERE author_id = ?))
		OR (target_type = 'reply' AND target_id IN (SELECT id FROM replies WHERE author_id = ?))`, userID, userID, userID).
		Delete(&model.PostRevision{}).Error
	if err != nil {
		return mapErr(err, "forget revisions of %d", userID)
	}
	if err := db.Model(&model.Flag{}).Where("reporter_id = ? AND note <> ''", userID).Update("note", "").Error; err != nil {
		return mapErr(err, "forget flag notes of %d", userID)
	}
	err = db.Model(&model.ModerationAction{}).Where("actor_id = ? AND target_type IN ('report', 'reply')", userID).
		Updates(map[string]any{"before_text": "", "after_text": ""}).Error
	return mapErr(err, "forget audit texts of %d", userID)
}

// PurgeRevisionStates empties the proposed content of the warning revisions
// decided before cutoff (a waiting one is kept whatever its age) and
// returns how many it emptied.
func (s *Store) PurgeRevisionStates(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&model.WarningRevision{}).
		Where("status <> ? AND decided_at < ? AND state <> '{}'", model.RevisionPending, cutoff).
		Update("state", "{}")
	return res.RowsAffected, mapErr(res.Error, "purge revision states")
}

// PurgeAuditTexts empties the texts before and after of the audit entries
// made before cutoff and returns how many it emptied.
func (s *Store) PurgeAuditTexts(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&model.ModerationAction{}).
		Where("created_at < ? AND (before_text <> '' OR after_text <> '')", cutoff).
		Updates(map[string]any{"before_text": "", "after_text": ""})
	return res.RowsAffected, mapErr(res.Error, "purge audit texts")
}
