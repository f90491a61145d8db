package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"forewarn/app/model"
)

// SilenceUser sets the end of a member's silence: until then they may read
// but not post.
func (s *Store) SilenceUser(ctx context.Context, userID int64, until time.Time) error {
	return s.update(ctx, &model.User{}, userID, map[string]any{"silenced_until": until})
}

// BanUser sets the end of a member's ban and ends the member's sessions.
func (s *Store) BanUser(ctx context.Context, userID int64, until time.Time) error {
	// A ban ends every session of the member at once.
	return s.update(ctx, &model.User{}, userID, map[string]any{"banned_until": until, "session_epoch": gorm.Expr("session_epoch + 1")})
}
