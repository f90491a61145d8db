package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

// queryPlan returns the plan the engine of e takes for query (with ?
// placeholders), as the lines of EXPLAIN QUERY PLAN (SQLite) or EXPLAIN
// (PostgreSQL, with sequential scans off: an empty table is scanned
// whatever its indexes, so it is asked for the plan it would take on a
// large one). It goes round GORM: the store's callbacks would take an
// EXPLAIN of a content table for a write.
func queryPlan(t *testing.T, e *apptest.Env, query string, args ...any) string {
	t.Helper()
	sqlDB, err := e.DB.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	explain := "EXPLAIN QUERY PLAN "
	if e.DB.Gorm.Dialector.Name() == "postgres" {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		explain = "EXPLAIN "
		for i := 1; strings.Contains(query, "?"); i++ {
			query = strings.Replace(query, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	rows, err := tx.QueryContext(ctx, explain+query, args...)
	if err != nil {
		t.Fatalf("plan of %s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
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
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// TestOrganisationTriggersReadTheIndexOfWarnings checks that the queries
// of the change feed's organisation triggers (00024) read an index of
// warnings by organisation, not every warning.
func TestOrganisationTriggersReadTheIndexOfWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, q := range []string{
		"SELECT id FROM warnings WHERE organisation_id = ?",
		"SELECT COUNT(*) FROM warnings WHERE organisation_id = ?",
	} {
		if plan := queryPlan(t, e, q, 1); !strings.Contains(plan, "warnings_organisation") {
			t.Errorf("%s does not read the index of warnings by organisation:\n%s", q, plan)
		}
	}
}

// PostgreSQL keeps the frequencies of about ten thousand words of the
// search documents (00031 set a hundred thousand; 00032 came back to ten
// thousand, since every search names windows, which keep the estimates
// small, and planning with the larger statistics took 3.5 ms a read
// instead of 1 ms), more than the default thousand, so that a rare word is
// read through the GIN index rather than by walking every document newest
// first.
func TestSearchWordsHaveDetailedStatistics(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	if e.DB.Dialect != "postgres" {
		t.Skip("PostgreSQL's planner statistics")
	}
	var target int
	apptest.Must(t, e.DB.Gorm.Raw("SELECT attstattarget FROM pg_attribute WHERE attrelid = 'search_docs'::regclass AND attname = 'tsv'").Scan(&target))
	if target != 1000 {
		t.Errorf("statistics target of search_docs.tsv = %d, want 1000", target)
	}
}
