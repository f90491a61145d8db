package store

import (
	"context"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// Setting returns the value stored under key, or apperr.ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var row model.Setting
	err := s.db.WithContext(ctx).Where("key = ?", key).Take(&row).Error
	if err != nil {
		return "", mapErr(err, "setting %s", key)
	}
	return row.Value, nil
}

// SetSettingIfAbsent stores value under key unless a value is there already,
// and returns the value that is stored afterwards.
func (s *Store) SetSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	row := model.Setting{Key: key, Value: value}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	if err != nil {
		return "", mapErr(err, "set setting %s", key)
	}
	return s.Setting(ctx, key)
}
