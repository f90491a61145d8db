package server_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/seed"
	"forewarn/app/service"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkSearch runs varied queries (one word, two words, a prefix, a
// name with a typo, a contact) over FOREWARN_BENCH_SEARCH_WARNINGS
// synthetic warnings (2,000 by default) and FOREWARN_BENCH_SEARCH_REPORTS
// reports (5,000), uncached, and reports the 50th and 95th percentiles.
func BenchmarkSearch(b *testing.B) {
	e := apptest.New(b)
	ctx := context.Background()
	if _, err := seed.Synthetic(ctx, e.Services.Importer, apptest.Now, envInt("FOREWARN_BENCH_SEARCH_WARNINGS", 2000), 0); err != nil {
		b.Fatal(err)
	}
	if _, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, envInt("FOREWARN_BENCH_SEARCH_REPORTS", 5000)); err != nil {
		b.Fatal(err)
	}
	if e.DB.Dialect == "postgres" {
		// As autovacuum would after a load: plans follow the statistics.
		apptest.Must(b, e.DB.Gorm.Exec("ANALYZE"))
	}
	var titles, contacts []string
	apptest.Must(b, e.DB.Gorm.Raw("SELECT title FROM warning_translations ORDER BY warning_id, lang LIMIT 400").Scan(&titles))
	apptest.Must(b, e.DB.Gorm.Raw("SELECT normalized FROM indicators WHERE kind IN ('phone', 'email') ORDER BY id LIMIT 200").Scan(&contacts))
	var queries []string
	for i, t := range titles {
		words := strings.Fields(t)
		var long []string
		for _, w := range words {
			if len([]rune(w)) >= 6 {
				long = append(long, w)
			}
		}
		if len(long) == 0 {
			continue
		}
		w := long[i%len(long)]
		rs := []rune(w)
		typo := string(rs[:2]) + string(rs[3]) + string(rs[2]) + string(rs[4:])
		queries = append(queries, w, strings.Join(words[:min(2, len(words))], " "), string(rs[:4]), typo)
		if len(contacts) > 0 {
			queries = append(queries, contacts[i%len(contacts)])
		}
	}
	if len(queries) < 1000 {
		for i := 0; len(queries) < 1000; i++ {
			queries = append(queries, queries[i])
		}
	}
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		if _, err := e.Services.Search.Search(ctx, service.SearchQuery{Q: q}); err != nil {
			b.Fatalf("%q: %v", q, err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
