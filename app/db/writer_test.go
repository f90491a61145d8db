package db_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// TestParallelWriteTransactions runs 20 goroutines of write transactions,
// a fifth of them rolled back, with reads beside them: no error, every
// committed row there, and a rollback passes the writer's turn on.
func TestParallelWriteTransactions(t *testing.T) {
	t.Parallel()
	d := apptest.OpenDB(t)
	const writers, each = 20, 20
	var failures, committed atomic.Int64
	errRollback := errors.New("rolled back on purpose")
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := d.Gorm.Transaction(func(tx *gorm.DB) error {
					if err := tx.Create(&model.HTTPState{Key: fmt.Sprintf("k-%d-%d", w, i), Value: []byte("v")}).Error; err != nil {
						return err
					}
					if i%5 == 4 {
						return errRollback
					}
					return nil
				})
				switch {
				case err == nil:
					committed.Add(1)
				case !errors.Is(err, errRollback):
					failures.Add(1)
					t.Errorf("writer %d: %v", w, err)
				}
				var n int64
				if err := d.Gorm.Model(&model.HTTPState{}).Count(&n).Error; err != nil {
					failures.Add(1)
					t.Errorf("read: %v", err)
				}
			}
		}(w)
	}
	wg.Wait()
	t.Logf("%d transactions committed by %d writers in %v, %d errors", committed.Load(), writers, time.Since(start).Round(time.Millisecond), failures.Load())
	var n int64
	apptest.Must(t, d.Gorm.Model(&model.HTTPState{}).Count(&n))
	if n != committed.Load() || n != writers*each*4/5 {
		t.Errorf("%d rows, %d committed, want %d", n, committed.Load(), writers*each*4/5)
	}
}
