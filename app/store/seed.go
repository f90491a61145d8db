package store

import (
	"context"

	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// EnsureUser creates u unless a user with its pseudonym key exists, and
// fills u with the stored row.
func (s *Store) EnsureUser(ctx context.Context, u *model.User) error {
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(u).Error; err != nil {
		return mapErr(err, "ensure user %s", u.Pseudonym)
	}
	return mapErr(db.Where("pseudonym_key = ?", u.PseudonymKey).Take(u).Error, "user %s", u.Pseudonym)
}

// CategoryIDs maps category slugs to IDs.
func (s *Store) CategoryIDs(ctx context.Context) (map[string]int64, error) {
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(cats))
	for _, c := range cats {
		out[c.Slug] = c.ID
	}
	return out, nil
}
