package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// RestrictUser sets the end of a member's silence or ban; a ban also ends
// the member's sessions.
func (s *Store) RestrictUser(ctx context.Context, userID int64, column string, until time.Time) error {
	if column != "silenced_until" && column != "banned_until" {
		return mapErr(gorm.ErrInvalidField, "restrict user %d", userID)
	}
	fields := map[string]any{column: until}
	if column == "banned_until" {
		// A ban ends every session of the member at once.
		fields["session_epoch"] = gorm.Expr("session_epoch + 1")
	}
	return s.update(ctx, &model.User{}, userID, fields)
}
