package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// CreateAPIKey stores a new key and fills k.ID. A prefix already taken is
// apperr.ErrConflict.
func (s *Store) CreateAPIKey(ctx context.Context, k *model.APIKey) error {
	return mapErr(s.db.WithContext(ctx).Create(k).Error, "create api key %s", k.Prefix)
}

// APIKeyByPrefix loads the key with prefix, revoked or not.
func (s *Store) APIKeyByPrefix(ctx context.Context, prefix string) (model.APIKey, error) {
	var k model.APIKey
	err := s.db.WithContext(ctx).Where("prefix = ?", prefix).Take(&k).Error
	return k, mapErr(err, "api key %s", prefix)
}

// APIKey loads the key with id.
func (s *Store) APIKey(ctx context.Context, id int64) (model.APIKey, error) {
	var k model.APIKey
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&k).Error
	return k, mapErr(err, "api key %d", id)
}

// APIKeys lists the keys of an organisation, or of all when orgID is 0,
// newest first, without their hashes.
func (s *Store) APIKeys(ctx context.Context, orgID int64) ([]model.APIKeyRow, error) {
	q := s.db.WithContext(ctx).Table("api_keys k").
		Select("k.id, k.organisation_id, k.name, k.prefix, k.scopes, k.rate_limit, k.last_used_at, k.revoked_at, k.created_at, k.created_by, k.revoked_by, o.name AS organisation").
		Joins("JOIN organisations o ON o.id = k.organisation_id")
	if orgID != 0 {
		q = q.Where("k.organisation_id = ?", orgID)
	}
	var rows []model.APIKeyRow
	err := q.Order("k.created_at DESC, k.id DESC").Scan(&rows).Error
	return rows, mapErr(err, "api keys of organisation %d", orgID)
}

// RevokeAPIKey marks the key revoked at now by admin (nil from the command
// line) and reports whether it was live until then.
func (s *Store) RevokeAPIKey(ctx context.Context, id int64, by *int64, now time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&model.APIKey{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": now, "revoked_by": by})
	return res.RowsAffected == 1, mapErr(res.Error, "revoke api key %d", id)
}

// TouchAPIKey records a use of the key at now unless one was recorded
// after since: at most one write per key per interval, however many
// instances serve it.
func (s *Store) TouchAPIKey(ctx context.Context, id int64, now, since time.Time) error {
	err := s.db.WithContext(ctx).Model(&model.APIKey{}).
		Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, since).
		Update("last_used_at", now).Error
	return mapErr(err, "touch api key %d", id)
}
