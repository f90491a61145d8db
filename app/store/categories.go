package store

import (
	"context"

	"forewarn/app/model"
)

// Categories lists every category in display order.
func (s *Store) Categories(ctx context.Context) ([]model.Category, error) {
	var rows []model.Category
	err := s.db.WithContext(ctx).Order("position, id").Find(&rows).Error
	return rows, mapErr(err, "categories")
}
