package store_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"forewarn/app/apptest"
	"forewarn/app/store"
)

// TestPruningReadsTheIndexOfClosedSpans checks that the prune of every
// reconciliation step reads the partial index of closed prefix spans, not
// every span: a scan made the first build of a million indicators
// quadratic.
func TestPruningReadsTheIndexOfClosedSpans(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	var plan []string
	err := e.DB.Gorm.Transaction(func(tx *gorm.DB) error {
		explain := "EXPLAIN QUERY PLAN "
		if tx.Dialector.Name() == "postgres" {
			// An empty table is scanned whatever its indexes: ask
			// PostgreSQL for the plan it would take on a large one.
			if err := tx.Exec("SET LOCAL enable_seqscan = off").Error; err != nil {
				return err
			}
			explain = "EXPLAIN "
		}
		rows, err := tx.Raw(explain+store.PruneQuery, 1).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for _, v := range vals {
				switch v := v.(type) {
				case string:
					plan = append(plan, v)
				case []byte:
					plan = append(plan, string(v))
				}
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "indicator_prefix_spans_removed_at") {
		t.Errorf("the prune does not read the index of closed spans:\n%s", strings.Join(plan, "\n"))
	}
}
