package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// UserKey is an account's pseudonym and its stored key.
type UserKey struct {
	ID           int64
	Pseudonym    string
	PseudonymKey string
}

// UserKeys returns the pseudonym and key of every account, oldest first.
func (s *Store) UserKeys(ctx context.Context) ([]UserKey, error) {
	var rows []UserKey
	err := s.db.WithContext(ctx).Model(&model.User{}).Select("id", "pseudonym", "pseudonym_key").Order("id").Find(&rows).Error
	return rows, mapErr(err, "user keys")
}

// RekeyUsers sets the pseudonym key of each account in keys and stores
// value under the setting name, in one transaction. Keys move through
// temporary values first, so that swapping keys between rows never breaks
// the unique index midway.
func (s *Store) RekeyUsers(ctx context.Context, keys map[int64]string, setting, value string) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for id := range keys {
			if err := tx.Model(&model.User{}).Where("id = ?", id).Update("pseudonym_key", fmt.Sprintf("\x02rekey-%d", id)).Error; err != nil {
				return err
			}
		}
		for id, key := range keys {
			if err := tx.Model(&model.User{}).Where("id = ?", id).Update("pseudonym_key", key).Error; err != nil {
				return err
			}
		}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).
			Create(&model.Setting{Key: setting, Value: value}).Error
	})
	return mapErr(err, "rekey users")
}
