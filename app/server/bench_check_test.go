package server_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// checkBenchEnv fills a database with FOREWARN_BENCH_INDICATORS phone
// indicators (10,000 by default; the figures in the notes use 1,000,000),
// each mentioned by one of 1,000 published warnings.
func checkBenchEnv(b *testing.B) *apptest.Env {
	b.Helper()
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("FOREWARN_BENCH_INDICATORS")); err == nil && v > 0 {
		n = v
	}
	e := apptest.New(b)
	ctx := context.Background()
	var warnings []int64
	for i := 0; i < 1000 && i < n; i++ {
		warnings = append(warnings, e.Warning(b))
	}
	db := e.DB.Gorm
	const batch = 2000
	for start := 0; start < n; start += batch {
		end := min(start+batch, n)
		inds := make([]model.Indicator, 0, end-start)
		for i := start; i < end; i++ {
			norm := fmt.Sprintf("+4479%08d", i)
			inds = append(inds, model.Indicator{Kind: model.IndicatorPhone, Normalized: norm, Hash: service.Hash(norm), CreatedAt: apptest.Now})
		}
		if err := db.WithContext(ctx).CreateInBatches(inds, 500).Error; err != nil {
			b.Fatal(err)
		}
		links := make([]model.WarningIndicator, len(inds))
		for i, ind := range inds {
			links[i] = model.WarningIndicator{WarningID: warnings[(start+i)%len(warnings)], IndicatorID: ind.ID, Raw: ind.Normalized}
		}
		if err := db.WithContext(ctx).CreateInBatches(links, 500).Error; err != nil {
			b.Fatal(err)
		}
	}
	// Fresh planner statistics, as autovacuum would gather after a bulk load:
	// without them PostgreSQL believes the new tables are empty and scans.
	for _, table := range []string{"indicators", "warning_indicators", "warnings", "report_indicators"} {
		stmt := "ANALYZE " + table
		if e.DB.Dialect == "sqlite" {
			stmt = "ANALYZE"
		}
		if err := db.Exec(stmt).Error; err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
	}
	return e
}

// message2KB is a realistic offer of about 2 KB with a handful of
// indicators, two of them known.
func message2KB() string {
	var b strings.Builder
	b.WriteString("🚛 URGENT! Drivers C+E wanted for Germany and the Netherlands, 3.200 € net per month, accommodation included, visa and work permit arranged by our agency. ")
	b.WriteString("Водії категорії C+E, робота в Німеччині, зарплата від 3200 євро. Telefon/WhatsApp: +44 7900 000042 або 0044 7900 000777. ")
	b.WriteString("Email: jobs@eurodrive-jobs.example · site: https://www.eurodrive-jobs.example/apply?utm_source=facebook&fbclid=abc · Instagram: @eurodrive_official. ")
	b.WriteString("Payment of the processing fee (450 EUR) to IBAN GB33 BUKB 2020 1555 5555 55 before departure. Order ref 2026/118, interview on 12.03.2026 at 10:30. ")
	for b.Len() < 2000 {
		b.WriteString("Les chauffeurs sont logés gratuitement, le transport est payé, départ chaque lundi depuis Chisinau, Iasi et Lviv. ")
	}
	return b.String()
}

// reportMedian measures each iteration and reports the median as well.
func reportMedian(b *testing.B, op func()) {
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		op()
		times = append(times, time.Since(start))
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "µs/median")
}

func BenchmarkCheck2KB(b *testing.B) {
	e := checkBenchEnv(b)
	ctx := context.Background()
	msg := message2KB()
	res, err := e.Services.Checker.Check(ctx, service.CheckInput{Text: msg, Country: "DE"}, "en")
	if err != nil {
		b.Fatal(err)
	}
	known := 0
	for _, ind := range res.Indicators {
		if ind.Known {
			known++
		}
	}
	if known < 2 || len(res.Indicators) < 5 {
		b.Fatalf("found %d indicators, %d known: %+v", len(res.Indicators), known, res.Indicators)
	}
	reportMedian(b, func() {
		if _, err := e.Services.Checker.Check(ctx, service.CheckInput{Text: msg, Country: "DE"}, "en"); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkRangeLookUp(b *testing.B) {
	e := checkBenchEnv(b)
	ctx := context.Background()
	prefixes := make([]string, 256)
	for i := range prefixes {
		prefixes[i] = service.Hash(fmt.Sprintf("+4479%08d", i*37))[:5]
	}
	sync := service.NewIndicatorSync(e.Services.Checker, []byte("bench-secret"), time.Now)
	i := 0
	reportMedian(b, func() {
		i++
		if _, err := sync.Range(ctx, prefixes[i%len(prefixes)]); err != nil {
			b.Fatal(err)
		}
	})
}
