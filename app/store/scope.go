package store

import (
	"context"
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

// reportInScope is the SQL condition that the report aliased r is in
// scope; it takes the languages and the countries as arguments.
const reportInScope = `r.lang IN ? AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)`

// memberInScope is the SQL condition that the member whose ID is the
// expression %s wrote a report or a reply (in any state) in scope.
func memberInScope(idExpr string) string {
	return `(EXISTS (SELECT 1 FROM reports r WHERE r.author_id = ` + idExpr + ` AND ` + reportInScope + `)` +
		` OR EXISTS (SELECT 1 FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.author_id = ` + idExpr + ` AND ` + reportInScope + `))`
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
// content in sc: reports and replies whose report is in scope, warnings in
// scope, and members with content in scope or restricted by sc.UserID.
func auditInScope(q *gorm.DB, sc Scope) *gorm.DB {
	l, c := nonEmpty(sc.Langs), nonEmpty(sc.Countries)
	return q.Where(`((a.target_type = 'report' AND EXISTS (SELECT 1 FROM reports r WHERE r.id = a.target_id AND `+reportInScope+`))`+
		` OR (a.target_type = 'reply' AND EXISTS (SELECT 1 FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.id = a.target_id AND `+reportInScope+`))`+
		` OR (a.target_type = 'warning' AND EXISTS (SELECT 1 FROM warnings w WHERE w.id = a.target_id AND w.lang IN ? AND EXISTS (SELECT 1 FROM warning_countries wc WHERE wc.warning_id = w.id AND wc.country IN ?)))`+
		` OR (a.target_type = 'user' AND (a.actor_id = ? OR `+memberInScope("a.target_id")+`)))`,
		l, c, l, c, l, c, sc.UserID, l, c, l, c)
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

// Revisions lists the earlier versions of a post, oldest first.
func (s *Store) Revisions(ctx context.Context, targetType string, targetID int64) ([]model.PostRevision, error) {
	var revs []model.PostRevision
	err := s.db.WithContext(ctx).Where("target_type = ? AND target_id = ?", targetType, targetID).Order("created_at, id").Find(&revs).Error
	return revs, mapErr(err, "revisions of %s %d", targetType, targetID)
}

// ForgetMemberTexts empties what a leaving member wrote beyond their
// current posts: every earlier version of their reports and replies, every
// version they edited, and the texts of their own entries in the audit log.
func (s *Store) ForgetMemberTexts(ctx context.Context, userID int64) error {
	db := s.db.WithContext(ctx)
	err := db.Where(`editor_id = ?
		OR (target_type = 'report' AND target_id IN (SELECT id FROM reports WHERE author_id = ?))
		OR (target_type = 'reply' AND target_id IN (SELECT id FROM replies WHERE author_id = ?))`, userID, userID, userID).
		Delete(&model.PostRevision{}).Error
	if err != nil {
		return mapErr(err, "forget revisions of %d", userID)
	}
	err = db.Model(&model.ModerationAction{}).Where("actor_id = ? AND target_type IN ('report', 'reply')", userID).
		Updates(map[string]any{"before_text": "", "after_text": ""}).Error
	return mapErr(err, "forget audit texts of %d", userID)
}

// PurgeAuditTexts empties the texts before and after of the audit entries
// made before cutoff and returns how many it emptied.
func (s *Store) PurgeAuditTexts(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&model.ModerationAction{}).
		Where("created_at < ? AND (before_text <> '' OR after_text <> '')", cutoff).
		Updates(map[string]any{"before_text": "", "after_text": ""})
	return res.RowsAffected, mapErr(res.Error, "purge audit texts")
}
