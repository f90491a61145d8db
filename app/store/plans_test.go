package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/store"

	"gorm.io/gorm"
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

// TestWideSearchReadsDoNotReadTheirRangeOfIds checks, on PostgreSQL, the
// plan that the server makes once for every range of a wide read of the
// search (more than narrowRead windows), as it does for a prepared
// statement after five reads: it must not read the primary key over the
// range, which holds every document of the range (80,000 at a million
// documents, for a word that 81 of them hold). A narrow read may: its
// range is a few windows.
func TestWideSearchReadsDoNotReadTheirRangeOfIds(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	if e.DB.Dialect != "postgres" {
		t.Skip("PostgreSQL's generic plans")
	}
	kinds := []string{"warning", "report", "reply"}
	for _, f := range []store.SearchFilter{{Kinds: kinds}, {Kinds: kinds, Lang: "uk"}, {Kinds: kinds, Country: "PL"}, {Kinds: []string{"warning"}, CategoryID: 1}} {
		query, args, _ := store.WindowQuery("'driver'", true, f, 0, 100000, 60)
		if plan := genericPlan(t, e, query, args...); strings.Contains(plan, "search_docs_pkey") {
			t.Errorf("filter %+v: the plan of a wide read reads the primary key:\n%s", f, plan)
		}
	}
}

// genericPlan returns the plan PostgreSQL makes for query (with ?
// placeholders, as for GORM's Raw) once for any arguments, with
// sequential scans off (see queryPlan).
func genericPlan(t *testing.T, e *apptest.Env, query string, args ...any) string {
	t.Helper()
	st := e.DB.Gorm.Session(&gorm.Session{DryRun: true}).Raw(query, args...).Statement
	var literals []string
	for _, v := range st.Vars {
		literals = append(literals, "'"+strings.ReplaceAll(fmt.Sprint(v), "'", "''")+"'")
	}
	sqlDB, err := e.DB.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, s := range []string{
		"SET LOCAL enable_seqscan = off",
		"SET LOCAL plan_cache_mode = force_generic_plan",
		"PREPARE generic_plan_test AS " + st.SQL.String(),
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN EXECUTE generic_plan_test("+strings.Join(literals, ", ")+")")
	if err != nil {
		t.Fatalf("plan of %s: %v", st.SQL.String(), err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	// A prepared statement outlives the transaction: the connection
	// goes back to the pool.
	if _, err := tx.ExecContext(ctx, "DEALLOCATE generic_plan_test"); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
