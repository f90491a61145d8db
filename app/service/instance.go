package service

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"

	"forewarn/app/store"
)

// Instance holds the per-installation facts kept in the database.
type Instance struct {
	store *store.Store
}

const secretKeySetting = "secret_key"

// SecretKey returns configured when it is set; otherwise the key stored in
// the database, generating and storing one on first use.
func (in *Instance) SecretKey(ctx context.Context, configured string) (string, error) {
	if configured != "" {
		return configured, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret key: %w", err)
	}
	key, err := in.store.SetSettingIfAbsent(ctx, secretKeySetting, hex.EncodeToString(b))
	if err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	return key, nil
}

// Empty reports whether the instance has neither users nor warnings yet,
// to tell a new operator how to start.
func (in *Instance) Empty(ctx context.Context) (bool, error) {
	n, err := in.store.CountUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("instance empty: %w", err)
	}
	return n == 0, nil
}

// Ready reports whether the database answers, for the readiness probe.
func (in *Instance) Ready(ctx context.Context) error {
	return in.store.Ping(ctx)
}

// PoolStats returns the database pool's statistics, for metrics; false
// when there is no pool to read.
func (in *Instance) PoolStats() (sql.DBStats, bool) {
	return in.store.PoolStats()
}
