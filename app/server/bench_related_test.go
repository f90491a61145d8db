package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/seed"
	"forewarn/app/service"
)

// BenchmarkRelated times the related content over
// FOREWARN_BENCH_SEARCH_WARNINGS synthetic warnings (2,000 by default) and
// FOREWARN_BENCH_SEARCH_REPORTS reports (5,000), whose texts share most of
// their words (the worst case of the text look-ups: every word is common)
// and whose phone numbers each come back in several reports: a full queue
// page of 50 waiting reports, each with the text of a different warning,
// with the related content of each ("queue"),
// and one report as its page shows it ("report"). It reports the 50th and
// 95th percentiles of each.
func BenchmarkRelated(b *testing.B) {
	e := apptest.New(b)
	ctx := context.Background()
	if _, err := seed.Synthetic(ctx, e.Services.Importer, apptest.Now, envInt("FOREWARN_BENCH_SEARCH_WARNINGS", 2000), 0); err != nil {
		b.Fatal(err)
	}
	n := envInt("FOREWARN_BENCH_SEARCH_REPORTS", 5000)
	if _, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, n); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	apptest.Must(b, e.DB.Gorm.Raw("SELECT id FROM reports WHERE status = 'published' ORDER BY id LIMIT 50").Scan(&ids))
	apptest.Must(b, e.DB.Gorm.Exec("UPDATE reports SET status = 'pending' WHERE id IN ?", ids))
	// The waiting reports get the varied texts of warnings, so that their
	// words differ from one report to the next (no look-up is shared).
	var texts []struct{ Title, Body string }
	apptest.Must(b, e.DB.Gorm.Raw("SELECT title, body FROM warning_translations ORDER BY warning_id DESC, lang LIMIT ?", len(ids)).Scan(&texts))
	for i, id := range ids {
		if i < len(texts) {
			apptest.Must(b, e.DB.Gorm.Exec("UPDATE reports SET title = ?, body = ? WHERE id = ?", texts[i].Title, texts[i].Body, id))
		}
	}
	if e.DB.Dialect == "postgres" {
		apptest.Must(b, e.DB.Gorm.Exec("ANALYZE"))
	}
	_, admin := e.Member(b, "bench_admin", model.RoleAdmin, nil, nil)
	var queue, single []time.Duration
	related := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		page, err := e.Services.Moderation.Queue(ctx, &admin, service.QueueQuery{})
		if err != nil {
			b.Fatal(err)
		}
		queue = append(queue, time.Since(start))
		start = time.Now()
		rc, err := e.Services.Moderation.Related(ctx, &admin, ids[i%len(ids)])
		if err != nil {
			b.Fatal(err)
		}
		single = append(single, time.Since(start))
		related = len(page.Related) + rc.Count()
	}
	b.StopTimer()
	if related == 0 {
		b.Fatal("nothing related found")
	}
	for name, took := range map[string][]time.Duration{"queue": queue, "report": single} {
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, name+"-p95-ms")
	}
}
