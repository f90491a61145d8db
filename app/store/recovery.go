package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// ReplaceRecoveryCodes removes every recovery code of a user and stores the
// given hashes as their new codes.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string, now time.Time) error {
	if err := s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&model.RecoveryCode{}).Error; err != nil {
		return mapErr(err, "delete recovery codes of user %d", userID)
	}
	rows := make([]model.RecoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = model.RecoveryCode{UserID: userID, CodeHash: h, CreatedAt: now}
	}
	if len(rows) == 0 {
		return nil
	}
	return mapErr(s.db.WithContext(ctx).Create(&rows).Error, "store recovery codes of user %d", userID)
}

// UseRecoveryCode marks the unused code with hash of a user as used; false
// when there is no such code (unknown, used already, another user's).
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash string, now time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&model.RecoveryCode{}).
		Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, hash).Update("used_at", now)
	return res.RowsAffected == 1, mapErr(res.Error, "use recovery code of user %d", userID)
}

// UnusedRecoveryCodes counts a user's recovery codes not used yet.
func (s *Store) UnusedRecoveryCodes(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return n, mapErr(err, "count recovery codes of user %d", userID)
}
