package seed_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/seed"
)

// TestSyntheticReportsAreVariedAndIdempotent checks that synthetic reports
// spread over languages, countries, authors and indicators, that some are
// hidden or rejected and stay out of the public list, and that a second run
// creates nothing.
func TestSyntheticReportsAreVariedAndIdempotent(t *testing.T) {
	ctx := context.Background()
	e := apptest.New(t)
	const n = 120
	created, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, n)
	if err != nil || created != n {
		t.Fatalf("seed synthetic reports: %d, %v; want %d", created, err, n)
	}
	if again, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, n); err != nil || again != 0 {
		t.Fatalf("second run: %d, %v; want nothing new", again, err)
	}

	g := e.DB.Gorm
	count := func(query string) int64 {
		t.Helper()
		var k int64
		if err := g.Raw(query).Scan(&k).Error; err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		return k
	}
	if k := count("SELECT COUNT(*) FROM reports"); k != n {
		t.Errorf("%d reports, want %d", k, n)
	}
	if k := count("SELECT COUNT(DISTINCT lang) FROM reports"); k < 10 {
		t.Errorf("%d languages, want at least 10", k)
	}
	if k := count("SELECT COUNT(DISTINCT country) FROM report_countries"); k < 10 {
		t.Errorf("%d countries, want at least 10", k)
	}
	if k := count("SELECT COUNT(DISTINCT category_id) FROM reports"); k < 6 {
		t.Errorf("%d categories, want at least 6", k)
	}
	if k := count("SELECT COUNT(DISTINCT author_id) FROM reports"); k < 50 {
		t.Errorf("%d authors, want at least 50", k)
	}
	if k := count("SELECT COUNT(*) FROM reports r WHERE (SELECT COUNT(*) FROM report_indicators ri WHERE ri.report_id = r.id) < 2"); k != 0 {
		t.Errorf("%d reports with fewer than 2 indicators", k)
	}
	for _, status := range []model.PostStatus{model.PostPublished, model.PostHidden, model.PostRejected, model.PostLocked} {
		if k := count(fmt.Sprintf("SELECT COUNT(*) FROM reports WHERE status = '%s'", status)); k == 0 {
			t.Errorf("no %s report", status)
		}
	}

	// The public list shows published and locked reports, never hidden or
	// rejected ones.
	var hidden []model.Report
	if err := g.Where("status IN ?", []model.PostStatus{model.PostHidden, model.PostRejected}).Find(&hidden).Error; err != nil {
		t.Fatal(err)
	}
	var public int64
	g.Model(&model.Report{}).Where("status IN ('published', 'locked')").Count(&public)
	seen := 0
	for page := 1; ; page++ {
		r := e.Get(t, fmt.Sprintf("/en/reports?page=%d", page))
		if r.StatusCode != 200 {
			t.Fatalf("page %d: %d", page, r.StatusCode)
		}
		for _, h := range hidden {
			if strings.Contains(r.Body, ">"+h.Title+"<") {
				t.Errorf("page %d shows %s report %q", page, h.Status, h.Title)
			}
		}
		seen += strings.Count(r.Body, "(synthetic experience #")
		if !strings.Contains(r.Body, fmt.Sprintf("page=%d", page+1)) {
			break
		}
	}
	if int64(seen) != public {
		t.Errorf("the list shows %d reports, want the %d public ones", seen, public)
	}
}

// TestSyntheticWarningsCarryTheirOwnIndicators checks that -indicators K
// gives the warnings K indicators that no other warning names, on top of
// the shared pool, and that a second run adds none.
func TestSyntheticWarningsCarryTheirOwnIndicators(t *testing.T) {
	ctx := context.Background()
	e := apptest.New(t)
	const n, k = 12, 30
	if created, err := seed.Synthetic(ctx, e.Services.Importer, apptest.Now, n, k); err != nil || created != n {
		t.Fatalf("seed synthetic: %d, %v; want %d", created, err, n)
	}
	if again, err := seed.Synthetic(ctx, e.Services.Importer, apptest.Now, n, k); err != nil || again != 0 {
		t.Fatalf("second run: %d, %v; want nothing new", again, err)
	}
	var total, own, linkedOnce int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(*) FROM indicators").Scan(&total))
	apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(*) FROM indicators WHERE normalized LIKE '%offer-%' OR normalized LIKE '%recruit-%'").Scan(&own))
	apptest.Must(t, e.DB.Gorm.Raw(`SELECT COUNT(*) FROM (SELECT indicator_id FROM warning_indicators wi JOIN indicators i ON i.id = wi.indicator_id
		WHERE i.normalized LIKE '%offer-%' OR i.normalized LIKE '%recruit-%' GROUP BY indicator_id HAVING COUNT(*) = 1) x`).Scan(&linkedOnce))
	// The pool: one phone and one link per warning while n < 1000.
	if own != k || linkedOnce != k || total != k+2*n {
		t.Errorf("%d indicators, %d of the warnings' own, %d named by one warning; want %d, %d, %d", total, own, linkedOnce, k+2*n, k, k)
	}
}
