package store

import (
	"context"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// CountUsers counts the accounts, whatever their role.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.User{}).Count(&n).Error
	return n, mapErr(err, "count users")
}

// CreateUser inserts u; a taken pseudonym is apperr.ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	return mapErr(s.db.WithContext(ctx).Create(u).Error, "create user %s", u.Pseudonym)
}

// UserByPseudonymKey loads the user whose folded pseudonym is key.
func (s *Store) UserByPseudonymKey(ctx context.Context, key string) (model.User, error) {
	var u model.User
	err := s.db.WithContext(ctx).Where("pseudonym_key = ?", key).Take(&u).Error
	return u, mapErr(err, "user %s", key)
}

// User loads the user with id.
func (s *Store) User(ctx context.Context, id int64) (model.User, error) {
	var u model.User
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&u).Error
	return u, mapErr(err, "user %d", id)
}

// SetPasswordHash replaces the password hash of user id and ends every
// session opened with the old password (see model.User.SessionEpoch).
func (s *Store) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	res := s.db.WithContext(ctx).Model(&model.User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "session_epoch": gorm.Expr("session_epoch + 1"), "updated_at": s.db.NowFunc()})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(gorm.ErrRecordNotFound, "set password of user %d", id)
	}
	return mapErr(res.Error, "set password of user %d", id)
}

// DeleteUser removes user id; the schema keeps their posts without author.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&model.User{})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(gorm.ErrRecordNotFound, "delete user %d", id)
	}
	return mapErr(res.Error, "delete user %d", id)
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
