package server_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/seed"
	"forewarn/app/service"
	"forewarn/app/store"
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkSearch runs varied queries (one word, two words, a prefix, a
// company name with a typo, a contact) through the search service,
// uncached, and reports the 50th and 95th percentiles, over all queries
// and per kind of query.
//
// The content is FOREWARN_BENCH_SEARCH_WARNINGS synthetic warnings (2,000
// by default) and FOREWARN_BENCH_SEARCH_REPORTS reports (5,000) in a fresh
// database, or, when FOREWARN_BENCH_SEARCH_DATABASE_URL names one, a
// database seeded beforehand (`forewarn seed synthetic -warnings 100000
// -reports 1000000`), which the benchmark only reads.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	var search *service.Searcher
	var g *gorm.DB
	if u := os.Getenv("FOREWARN_BENCH_SEARCH_DATABASE_URL"); u != "" {
		d, err := db.Open(u)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { d.Close() })
		search = service.New(store.New(d.Gorm), time.Now, service.DefaultConfig()).Search
		g = d.Gorm
	} else {
		e := apptest.New(b)
		if _, err := seed.Synthetic(ctx, e.Services.Importer, apptest.Now, envInt("FOREWARN_BENCH_SEARCH_WARNINGS", 2000), 0); err != nil {
			b.Fatal(err)
		}
		if _, err := seed.SyntheticReports(ctx, e.Services.Importer, apptest.Now, envInt("FOREWARN_BENCH_SEARCH_REPORTS", 5000)); err != nil {
			b.Fatal(err)
		}
		// The synthetic import leaves its items to the search backlog.
		if _, err := e.Services.Search.IndexBacklog(ctx); err != nil {
			b.Fatal(err)
		}
		if e.DB.Dialect == "postgres" {
			// As autovacuum would after a load: plans follow the statistics.
			apptest.Must(b, e.DB.Gorm.Exec("ANALYZE"))
		}
		search, g = e.Services.Search, e.DB.Gorm
	}
	queries := benchQueries(b, g)
	took := map[string][]time.Duration{}
	type timed struct {
		q benchQuery
		d time.Duration
	}
	var slowest []timed
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		start := time.Now()
		if _, err := search.Search(ctx, service.SearchQuery{Q: q.text}); err != nil {
			b.Fatalf("%q: %v", q.text, err)
		}
		d := time.Since(start)
		took[q.kind] = append(took[q.kind], d)
		took["all"] = append(took["all"], d)
		slowest = append(slowest, timed{q, d})
	}
	b.StopTimer()
	slices.SortFunc(slowest, func(x, y timed) int { return int(y.d - x.d) })
	for _, s := range slowest[:min(12, len(slowest))] {
		b.Logf("slow: %s %q %v", s.q.kind, s.q.text, s.d)
	}
	for kind, ds := range took {
		slices.Sort(ds)
		if kind == "all" {
			b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
			b.ReportMetric(ms(ds[len(ds)*95/100]), "p95-ms")
			continue
		}
		b.ReportMetric(ms(ds[len(ds)*95/100]), kind+"-p95-ms")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type benchQuery struct{ kind, text string }

// benchQueries draws at least 1,000 queries of five kinds from titles and
// contacts spread over the whole content, oldest to newest.
func benchQueries(b *testing.B, g *gorm.DB) []benchQuery {
	var titles, contacts []string
	var nt, nr, ni int64
	apptest.Must(b, g.Raw("SELECT COUNT(*) FROM warning_translations").Scan(&nt))
	apptest.Must(b, g.Raw("SELECT COUNT(*) FROM reports").Scan(&nr))
	apptest.Must(b, g.Raw("SELECT COUNT(*) FROM indicators WHERE kind IN ('phone', 'email', 'link')").Scan(&ni))
	var ts, rs []string
	apptest.Must(b, g.Raw("SELECT title FROM warning_translations WHERE warning_id % ? = 0 ORDER BY warning_id, lang LIMIT 150", max(1, nt/150)).Scan(&ts))
	apptest.Must(b, g.Raw("SELECT title FROM reports WHERE id % ? = 0 ORDER BY id LIMIT 150", max(1, nr/150)).Scan(&rs))
	apptest.Must(b, g.Raw("SELECT normalized FROM indicators WHERE kind IN ('phone', 'email', 'link') AND id % ? = 0 ORDER BY id LIMIT 200", max(1, ni/200)).Scan(&contacts))
	titles = append(ts, rs...)
	var out []benchQuery
	for i, t := range titles {
		company, rest, ok := strings.Cut(t, " — ")
		if !ok {
			continue
		}
		job := strings.Fields(strings.SplitN(rest, " (", 2)[0])
		long := job[0]
		for _, w := range job {
			if utf8.RuneCountInString(w) > utf8.RuneCountInString(long) {
				long = w
			}
		}
		rs := []rune(company)
		typo := string(rs[:2]) + string(rs[3]) + string(rs[2]) + string(rs[4:])
		out = append(out,
			benchQuery{"one", long},
			benchQuery{"two", strings.Join(job[:min(2, len(job))], " ")},
			benchQuery{"prefix", string([]rune(long)[:min(5, utf8.RuneCountInString(long))])},
			benchQuery{"typo", typo},
		)
		if len(contacts) > 0 {
			out = append(out, benchQuery{"contact", contacts[i%len(contacts)]})
		}
	}
	if len(out) == 0 {
		b.Fatal("no titles to draw queries from")
	}
	for i := 0; len(out) < 1000; i++ {
		out = append(out, out[i])
	}
	b.Logf("%d queries, e.g. %s", len(out), fmt.Sprint(out[:10]))
	return out
}
