package store

import (
	"context"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// EnsureIndicator returns the stored indicator with in's kind, platform and
// normalised value, creating it when it is new.
func (s *Store) EnsureIndicator(ctx context.Context, in model.Indicator) (model.Indicator, error) {
	db := s.db.WithContext(ctx)
	err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&in).Error
	if err != nil {
		return in, mapErr(err, "create indicator")
	}
	var out model.Indicator
	err = db.Where("kind = ? AND platform = ? AND normalized = ?", in.Kind, in.Platform, in.Normalized).Take(&out).Error
	return out, mapErr(err, "indicator %s %s", in.Kind, in.Normalized)
}
