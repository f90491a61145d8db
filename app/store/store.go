// Package store persists Forewarn's rows with GORM, one file per aggregate,
// and maps database errors onto the apperr vocabulary.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"forewarn/app/apperr"
)

// Store is the persistence layer around one database handle.
type Store struct {
	db     *gorm.DB
	writes *writeCounter
}

// New returns a store over db.
func New(db *gorm.DB) *Store {
	registerSearchIndexing(db)
	return &Store{db: db, writes: writesOf(db)}
}

// Tx runs fn in one transaction with a store bound to it; an error from fn
// rolls everything back.
//
// The search index follows the writes at the end of fn, in the same
// transaction (see search.go), once for all of fn's statements.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	// Counted after the commit (or rollback): its writes are visible now.
	defer s.writes.n.Add(1)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if outer := holdIndexing(tx); outer {
			defer releaseIndexing(tx)
		}
		if err := fn(&Store{db: tx, writes: s.writes}); err != nil {
			return err
		}
		return indexAtEnd(tx)
	})
}

// errNotFound is the store's own "no such row", mapped like GORM's.
var errNotFound = gorm.ErrRecordNotFound

// mapErr turns GORM's errors into the apperr vocabulary, with context.
func mapErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	what := fmt.Sprintf(format, args...)
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("store: %s: %w", what, apperr.ErrNotFound)
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return fmt.Errorf("store: %s: %w", what, apperr.ErrConflict)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Exec("SELECT 1").Error; err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// PoolStats returns the statistics of the connection pool, for metrics.
func (s *Store) PoolStats() (sql.DBStats, bool) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}, false
	}
	return sqlDB.Stats(), true
}
