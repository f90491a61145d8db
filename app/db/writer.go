package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// oneWriter is SQLite's connection pool with one writer path: readers share
// the pool's connections (WAL lets them read while a write goes on), but
// transactions, and so every GORM create, update and delete, which GORM
// wraps in one, take turns in Go before SQLite is asked for its write lock.
// SQLite's own busy handler polls and sleeps, and a crowd of connections
// waiting in it starves both the writers (database is locked) and the
// readers waiting for a free connection; a queue in Go is fair and wastes
// no connection.
type oneWriter struct {
	*sql.DB
	turn chan struct{}
}

// newOneWriter wraps db.
func newOneWriter(db *sql.DB) *oneWriter {
	return &oneWriter{DB: db, turn: make(chan struct{}, 1)}
}

// maxTurnWait bounds the wait for the writer's turn, as long as a request
// may take: a transaction begun while another of the same goroutine is
// open would otherwise wait for ever.
const maxTurnWait = 30 * time.Second

var errTurnTimeout = errors.New("sqlite: waited too long for the writer's turn (database is locked)")

// busyRetries is how often a BEGIN refused as busy (by another process:
// this one queues its own writers) is tried again.
const busyRetries = 5

// BeginTx waits for the writer's turn, then begins an immediate transaction;
// the turn passes on at its commit or rollback. A BEGIN that another
// process keeps busy is retried: nothing has happened yet.
func (w *oneWriter) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	wait := time.NewTimer(maxTurnWait)
	defer wait.Stop()
	select {
	case w.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
		return nil, errTurnTimeout
	}
	for attempt := 0; ; attempt++ {
		tx, err := w.DB.BeginTx(ctx, opts)
		if err == nil {
			return &writerTx{Tx: tx, release: w.release}, nil
		}
		if !IsBusy(err) || attempt == busyRetries {
			w.release()
			return nil, err
		}
		select {
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		case <-ctx.Done():
			w.release()
			return nil, ctx.Err()
		}
	}
}

func (w *oneWriter) release() { <-w.turn }

// GetDBConn returns the pool, for gorm.DB.DB.
func (w *oneWriter) GetDBConn() (*sql.DB, error) { return w.DB, nil }

// writerTx is a transaction holding the writer's turn until it ends.
type writerTx struct {
	*sql.Tx
	release func()
	done    bool
}

// Commit commits and passes the turn on.
func (t *writerTx) Commit() error {
	err := t.Tx.Commit()
	t.end()
	return err
}

// Rollback rolls back and passes the turn on.
func (t *writerTx) Rollback() error {
	err := t.Tx.Rollback()
	t.end()
	return err
}

func (t *writerTx) end() {
	if !t.done {
		t.done = true
		t.release()
	}
}

// IsBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY).
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) && coded.Code()&0xff == 5 {
		return true
	}
	return strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")
}
