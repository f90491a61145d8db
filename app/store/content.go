package store

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

// ContentVersion returns the content version: a number that database
// triggers move on every write to what public pages and the API show,
// whoever makes it (migration 00009 names the tables), visible at the
// writer's commit: the sum of a few rows that only grow.
func (s *Store) ContentVersion(ctx context.Context) (int64, error) {
	// Scan, not Row().Scan(): with prepared statements GORM's Row() gives
	// an empty sql.Row when the context has ended, and scanning it panics.
	var v struct{ Version int64 }
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(SUM(version), 0) AS version FROM content_version").Scan(&v).Error
	return v.Version, mapErr(err, "content version")
}

// LocalWrites counts the writes this process made through the store's
// database, each counted after its commit: a reader of the content version
// that sees the count move reads the version again at once, instead of
// waiting for its next periodic read.
func (s *Store) LocalWrites() uint64 {
	return s.writes.n.Load()
}

// writeCounter is the GORM plugin that counts local writes.
type writeCounter struct {
	n atomic.Uint64
}

const writeCounterName = "forewarn:local-writes"

func (*writeCounter) Name() string { return writeCounterName }

// Initialize counts each create, update, delete and raw statement after
// GORM's own transaction around it has ended. A statement inside an
// explicit transaction is counted before that commits: Store.Tx counts
// once more after its commit. Writes to the HTTP state (sessions, tokens,
// counters) are not content and are left out.
func (w *writeCounter) Initialize(db *gorm.DB) error {
	count := func(tx *gorm.DB) {
		if tx.Statement.Table != "http_state" {
			w.n.Add(1)
		}
	}
	const after = "gorm:commit_or_rollback_transaction"
	if err := db.Callback().Create().After(after).Register(writeCounterName, count); err != nil {
		return err
	}
	if err := db.Callback().Update().After(after).Register(writeCounterName, count); err != nil {
		return err
	}
	if err := db.Callback().Delete().After(after).Register(writeCounterName, count); err != nil {
		return err
	}
	return db.Callback().Raw().Register(writeCounterName, count)
}

// writesOf returns the write counter of db, installing it on first use.
func writesOf(db *gorm.DB) *writeCounter {
	if p, ok := db.Config.Plugins[writeCounterName]; ok {
		return p.(*writeCounter)
	}
	w := &writeCounter{}
	if err := db.Use(w); err != nil {
		panic("store: install write counter: " + err.Error())
	}
	return w
}
