package seed

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// importOneByOne imports the synthetic content the way it was imported
// before the bulk path: ImportWarnings and ImportReports, one item after the
// other, the search index written in the same transaction.
func importOneByOne(t *testing.T, im *service.Importer, now time.Time, n, indicators, reports int) {
	t.Helper()
	ctx := context.Background()
	org := model.Organisation{Slug: "synthetic", Name: "Synthetic load test (not real)"}
	ws := make([]service.ImportedWarning, n)
	for i := range ws {
		ws[i] = syntheticWarning(now, org, i, n, indicators)
	}
	if k, err := im.ImportWarnings(ctx, ws); err != nil || k != n {
		t.Fatalf("import warnings one by one: %d, %v; want %d", k, err, n)
	}
	rs := make([]service.ImportedReport, reports)
	for i := range rs {
		rs[i] = syntheticReport(now, i)
	}
	if k, err := im.ImportReports(ctx, rs); err != nil || k != reports {
		t.Fatalf("import reports one by one: %d, %v; want %d", k, err, reports)
	}
}

// contentQueries read what an import stores, keyed by seed keys and values
// rather than by IDs.
var contentQueries = map[string]string{
	"reports": `SELECT r.seed_key, r.title, r.body, r.lang, c.slug, r.seen_on, r.status, r.reject_reason, r.hold_reason,
		r.published_at, r.created_at, r.updated_at, r.submitted_by_key_id, r.organisation_id, u.pseudonym
		FROM reports r JOIN categories c ON c.id = r.category_id LEFT JOIN users u ON u.id = r.author_id`,
	"report countries": `SELECT r.seed_key, rc.country, rc.role FROM report_countries rc JOIN reports r ON r.id = rc.report_id`,
	"report indicators": `SELECT r.seed_key, i.kind, i.platform, i.normalized, i.hash, ri.raw
		FROM report_indicators ri JOIN reports r ON r.id = ri.report_id JOIN indicators i ON i.id = ri.indicator_id`,
	"warnings": `SELECT w.seed_key, w.severity, c.slug, w.status, w.lang, o.slug, o.name, w.author_id, w.approver_id, w.names_party,
		w.retraction_reason, w.expires_at, w.published_at, w.retracted_at, w.lock_version, w.created_at, w.updated_at
		FROM warnings w JOIN categories c ON c.id = w.category_id LEFT JOIN organisations o ON o.id = w.organisation_id`,
	"warning texts": `SELECT w.seed_key, t.lang, t.title, t.summary, t.what_to_do, t.body, t.created_at, t.updated_at
		FROM warning_translations t JOIN warnings w ON w.id = t.warning_id`,
	"warning countries": `SELECT w.seed_key, wc.country, wc.role FROM warning_countries wc JOIN warnings w ON w.id = wc.warning_id`,
	"warning indicators": `SELECT w.seed_key, i.kind, i.platform, i.normalized, i.hash, wi.raw
		FROM warning_indicators wi JOIN warnings w ON w.id = wi.warning_id JOIN indicators i ON i.id = wi.indicator_id`,
	"indicators": `SELECT kind, platform, normalized, hash FROM indicators`,
	"authors": `SELECT pseudonym, pseudonym_key, email, password_hash, role, trust_level, approved_posts, organisation_id, locale,
		silenced_until, banned_until, session_epoch, created_at, updated_at FROM users`,
	"audit": `SELECT a.action, a.target_type, COALESCE(r.seed_key, w.seed_key), a.actor_id, a.actor_key_id, a.reason,
		a.before_text, a.after_text, a.lang, a.countries, a.created_at
		FROM moderation_actions a LEFT JOIN reports r ON a.target_type = 'report' AND r.id = a.target_id
		LEFT JOIN warnings w ON a.target_type = 'warning' AND w.id = a.target_id`,
	// Every column of the documents, whatever the index keeps, but their
	// IDs (skipped by content).
	"search documents": `SELECT COALESCE(r.seed_key, w.seed_key) AS seed_key, d.*
		FROM search_docs d LEFT JOIN reports r ON d.kind = 'report' AND r.id = d.item_id
		LEFT JOIN warnings w ON d.kind = 'warning' AND w.id = d.item_id`,
}

// content returns the rows of query, each as one line, sorted, without
// the columns id, item_id and report_id (IDs differ from one database to
// the other).
func content(t *testing.T, e *apptest.Env, query string) []string {
	t.Helper()
	rows, err := e.DB.Gorm.Raw(query).Rows()
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, 0, len(vals))
		for i, v := range vals {
			if cols[i] == "id" || cols[i] == "item_id" || cols[i] == "report_id" {
				continue
			}
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Format(time.RFC3339Nano)
			}
			parts = append(parts, fmt.Sprint(v))
		}
		out = append(out, strings.Join(parts, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// tableCounts counts the rows of every table, the full-text index's own
// tables aside: what the database's triggers write (change feed, prefix
// spans, webhook outbox, content version) included.
func tableCounts(t *testing.T, e *apptest.Env) map[string]int64 {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'search_fts%' AND name NOT LIKE 'search_grams%' AND name NOT LIKE 'search_terms_grams%'"
	if e.DB.Dialect == "postgres" {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	var tables []string
	apptest.Must(t, e.DB.Gorm.Raw(q).Scan(&tables))
	out := map[string]int64{}
	for _, table := range tables {
		var n int64
		apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// searchTitles returns the kinds and titles that a search finds.
func searchTitles(t *testing.T, e *apptest.Env, q string) []string {
	t.Helper()
	page, err := e.Services.Search.Search(context.Background(), service.SearchQuery{Q: q, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, r := range page.Results {
		out = append(out, r.Kind+" "+r.Lang+" "+r.Title)
	}
	slices.Sort(out)
	return out
}

// TestBulkImportStoresWhatTheImportOneByOneStores seeds the synthetic
// content once one item at a time (the importer of the demo data) and once
// in bulk, in two runs of which the first stops half-way (the second skips
// what the first stored), and checks that both databases hold the same
// content, row for row; that the bulk import leaves its items out of the
// search until the backlog is indexed, then finds them as the other does;
// and that a further bulk run creates nothing.
func TestBulkImportStoresWhatTheImportOneByOneStores(t *testing.T) {
	ctx := context.Background()
	const n, indicators, reports = 30, 20, 90
	one, bulk := apptest.New(t), apptest.New(t)
	importOneByOne(t, one.Services.Importer, apptest.Now, n, indicators, reports)

	im := bulk.Services.Importer
	if k, err := Synthetic(ctx, im, apptest.Now, n/2, indicators*n/2/n); err != nil || k != n/2 {
		t.Fatalf("first bulk run: %d warnings, %v; want %d", k, err, n/2)
	}
	if k, err := SyntheticReports(ctx, im, apptest.Now, reports/3); err != nil || k != reports/3 {
		t.Fatalf("first bulk run: %d reports, %v; want %d", k, err, reports/3)
	}
	if k, err := Synthetic(ctx, im, apptest.Now, n, indicators); err != nil || k != n-n/2 {
		t.Fatalf("second bulk run: %d warnings, %v; want %d", k, err, n-n/2)
	}
	if k, err := SyntheticReports(ctx, im, apptest.Now, reports); err != nil || k != reports-reports/3 {
		t.Fatalf("second bulk run: %d reports, %v; want %d", k, err, reports-reports/3)
	}

	// Words are found through the index; a contact is found through the
	// indicators as well, indexed or not.
	words := []string{"synthetic", "Orion", "водій", "passport"}
	queries := append(words, "+44 7700 900007")
	for _, q := range words {
		if found := searchTitles(t, bulk, q); len(found) != 0 {
			t.Errorf("search %q finds %d items before the backlog is indexed, want none", q, len(found))
		}
	}
	var backlog int64
	apptest.Must(t, bulk.DB.Gorm.Raw("SELECT COUNT(*) FROM search_dirty WHERE backlog = 1").Scan(&backlog))
	if backlog != n+reports {
		t.Errorf("%d items in the search backlog, want %d", backlog, n+reports)
	}
	if k, err := bulk.Services.Search.IndexBacklog(ctx); err != nil || k != n+reports {
		t.Fatalf("index the backlog: %d, %v; want %d", k, err, n+reports)
	}

	for name, q := range contentQueries {
		want, got := content(t, one, q), content(t, bulk, q)
		if len(want) == 0 {
			t.Errorf("%s: nothing stored one by one", name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s differ: %d rows in bulk, %d one by one", name, len(got), len(want))
			for i := range max(len(got), len(want)) {
				if i < len(got) && i < len(want) && got[i] == want[i] {
					continue
				}
				g, w := "", ""
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				t.Errorf("  bulk:       %s\n  one by one: %s", g, w)
				break
			}
		}
	}
	wantCounts, gotCounts := tableCounts(t, one), tableCounts(t, bulk)
	for table, w := range wantCounts {
		if gotCounts[table] != w {
			t.Errorf("%s: %d rows after the bulk import, %d after the import one by one", table, gotCounts[table], w)
		}
	}
	for _, q := range queries {
		want, got := searchTitles(t, one, q), searchTitles(t, bulk, q)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("search %q: %d found after the bulk import, %d one by one; want the same, at least one", q, len(got), len(want))
		}
	}

	if k, err := Synthetic(ctx, im, apptest.Now, n, indicators); err != nil || k != 0 {
		t.Errorf("third bulk run: %d warnings, %v; want none", k, err)
	}
	if k, err := SyntheticReports(ctx, im, apptest.Now, reports); err != nil || k != 0 {
		t.Errorf("third bulk run: %d reports, %v; want none", k, err)
	}
	if again := tableCounts(t, bulk); !maps.Equal(again, gotCounts) {
		t.Errorf("a third bulk run wrote rows: %v, before %v", again, gotCounts)
	}
}
