package store

import (
	"context"

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
