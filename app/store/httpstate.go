package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// httpStateTimeout bounds each call of the HTTP state storage, whose
// interface carries no context.
const httpStateTimeout = 5 * time.Second

// HTTPState keeps sessions, CSRF tokens and rate-limit counters in the
// database. Its methods have the shape of fiber.Storage, so Fiber's session,
// csrf and limiter middleware can use it when no Redis is configured.
type HTTPState struct {
	db  *gorm.DB
	now func() time.Time
}

// NewHTTPState returns the database-backed HTTP state storage.
func (s *Store) NewHTTPState(now func() time.Time) *HTTPState {
	return &HTTPState{db: s.db, now: now}
}

// Get returns the value under key, or nil when it is missing or expired.
func (h *HTTPState) Get(key string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), httpStateTimeout)
	defer cancel()
	var row model.HTTPState
	err := h.db.WithContext(ctx).Where("key = ? AND (expires_at = 0 OR expires_at > ?)", key, h.now().Unix()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: http state get: %w", err)
	}
	return row.Value, nil
}

// Set stores value under key for exp (0: no expiry).
func (h *HTTPState) Set(key string, value []byte, exp time.Duration) error {
	if key == "" || len(value) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), httpStateTimeout)
	defer cancel()
	row := model.HTTPState{Key: key, Value: value}
	if exp > 0 {
		row.ExpiresAt = h.now().Add(exp).Unix()
	}
	err := h.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "expires_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("store: http state set: %w", err)
	}
	return nil
}

// Delete removes key.
func (h *HTTPState) Delete(key string) error {
	ctx, cancel := context.WithTimeout(context.Background(), httpStateTimeout)
	defer cancel()
	if err := h.db.WithContext(ctx).Where("key = ?", key).Delete(&model.HTTPState{}).Error; err != nil {
		return fmt.Errorf("store: http state delete: %w", err)
	}
	return nil
}

// Reset removes every value.
func (h *HTTPState) Reset() error {
	ctx, cancel := context.WithTimeout(context.Background(), httpStateTimeout)
	defer cancel()
	if err := h.db.WithContext(ctx).Where("1 = 1").Delete(&model.HTTPState{}).Error; err != nil {
		return fmt.Errorf("store: http state reset: %w", err)
	}
	return nil
}

// Close does nothing: the database is closed by its owner.
func (h *HTTPState) Close() error { return nil }

// DeleteExpired removes the values whose time is up.
func (h *HTTPState) DeleteExpired(ctx context.Context) (int64, error) {
	res := h.db.WithContext(ctx).Where("expires_at > 0 AND expires_at <= ?", h.now().Unix()).Delete(&model.HTTPState{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: http state delete expired: %w", res.Error)
	}
	return res.RowsAffected, nil
}
