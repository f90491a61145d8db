package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
)

// prefixesBenchEnv is checkBenchEnv (FOREWARN_BENCH_INDICATORS indicators,
// 100,000 for the figures in the notes) with the prefix set computed once.
func prefixesBenchEnv(b *testing.B) *apptest.Env {
	b.Helper()
	e := checkBenchEnv(b)
	start := time.Now()
	// The first build goes on when a request gives up (503 past the
	// request's deadline): ask again until it has ended.
	r := e.Get(b, "/api/v1/indicators/prefixes")
	for r.StatusCode == http.StatusServiceUnavailable && time.Since(start) < 10*time.Minute {
		time.Sleep(time.Second)
		r = e.Get(b, "/api/v1/indicators/prefixes")
	}
	if r.StatusCode != http.StatusOK {
		b.Fatalf("prefixes: %d %.300s", r.StatusCode, r.Body)
	}
	b.Logf("first full answer (%d bytes), with the set built from scratch: %v", len(r.Body), time.Since(start))
	// Fresh planner statistics, as autovacuum would gather after the build.
	stmt := "ANALYZE indicator_prefix_spans"
	if e.DB.Dialect == "sqlite" {
		stmt = "ANALYZE"
	}
	apptest.Must(b, e.DB.Gorm.Exec(stmt))
	return e
}

// gzipDefaultSize is the size of body compressed by gzip at the default level.
func gzipDefaultSize(b *testing.B, body string) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	if _, err := w.Write([]byte(body)); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Len()
}

// BenchmarkPrefixesFull measures a first download of the whole set, as
// served (page cache off): its time, its size and its size with gzip.
func BenchmarkPrefixesFull(b *testing.B) {
	e := prefixesBenchEnv(b)
	var body string
	reportMedian(b, func() {
		r := e.Get(b, "/api/v1/indicators/prefixes")
		if r.StatusCode != http.StatusOK {
			b.Fatalf("prefixes: %d", r.StatusCode)
		}
		body = r.Body
	})
	var up v1.PrefixesResponse
	if err := json.Unmarshal([]byte(body), &up); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(up.Count), "prefixes")
	b.ReportMetric(float64(len(body)), "bytes")
	b.ReportMetric(float64(gzipDefaultSize(b, body)), "gzip-bytes")
	gz := e.Get(b, "/api/v1/indicators/prefixes", "Accept-Encoding", "gzip")
	b.ReportMetric(float64(len(gz.Body)), "served-gzip-bytes")
}

// BenchmarkPrefixesAfterChange measures the answer to a client one change
// behind: the content changes (a warning retracted or published again),
// the set is computed again and the difference sent.
func BenchmarkPrefixesAfterChange(b *testing.B) {
	e := prefixesBenchEnv(b)
	token := func() string {
		var up v1.PrefixesResponse
		if err := json.Unmarshal([]byte(e.Get(b, "/api/v1/indicators/prefixes").Body), &up); err != nil {
			b.Fatal(err)
		}
		return up.Token
	}
	var warning int64
	apptest.Must(b, e.DB.Gorm.Table("warnings").Select("MIN(id)").Scan(&warning))
	status := []string{"retracted", "published"}
	i := 0
	var body string
	var times []time.Duration
	for b.Loop() {
		since := token()
		apptest.Must(b, e.DB.Gorm.Exec("UPDATE warnings SET status = ? WHERE id = ?", status[i%2], warning))
		i++
		start := time.Now()
		r := e.Get(b, "/api/v1/indicators/prefixes?since="+url.QueryEscape(since))
		times = append(times, time.Since(start))
		if r.StatusCode != http.StatusOK {
			b.Fatalf("prefixes: %d %.300s", r.StatusCode, r.Body)
		}
		body = r.Body
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "µs/median")
	b.ReportMetric(float64(len(body)), "bytes")
}
