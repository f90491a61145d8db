package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"forewarn/app/db"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/store"
)

// The floor benchmarks measure, on a database already loaded with
// `seed synthetic` (FOREWARN_BENCH_DATABASE_URL, e.g. sqlite:/tmp/perf.db
// with 100,000 warnings), what a random warning page costs in the whole
// stack and what its database reads alone cost, side by side in one run:
// the second bounds the first however cheap rendering becomes. 64
// goroutines share GOMAXPROCS, like wrk -c64 against the server.

func loadedStore(b *testing.B) (*store.Store, int) {
	b.Helper()
	url := os.Getenv("FOREWARN_BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("FOREWARN_BENCH_DATABASE_URL names no database loaded with seed synthetic")
	}
	d, err := db.Open(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	var n int64
	if err := d.Gorm.Raw("SELECT COUNT(*) FROM warnings").Scan(&n).Error; err != nil || n == 0 {
		b.Fatalf("count warnings: %d, %v", n, err)
	}
	return store.New(d.Gorm), int(n)
}

func BenchmarkFloorWarningPage(b *testing.B) {
	st, n := loadedStore(b)
	svc := service.New(st, time.Now, service.DefaultConfig())
	app, err := server.Build(svc, slog.New(slog.DiscardHandler), server.Options{BaseURL: "http://localhost:8080", QuickExitURL: "https://neutral.test/", Storage: st.NewHTTPState(time.Now), SecretKey: "bench-secret-key-bench-secret-key-00"})
	if err != nil {
		b.Fatal(err)
	}
	h := app.Handler()
	langs := []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa"}
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(fmt.Sprintf("/%s/warnings/%d", langs[rand.IntN(len(langs))], 1+rand.IntN(n)))
			ctx.Request.Header.SetMethod(fasthttp.MethodGet)
			ctx.Request.Header.Set("Accept-Encoding", "gzip")
			h(&ctx)
			if ctx.Response.StatusCode() != fasthttp.StatusOK {
				b.Errorf("status %d", ctx.Response.StatusCode())
				return
			}
		}
	})
}

func BenchmarkFloorWarningReads(b *testing.B) {
	st, n := loadedStore(b)
	ctx := context.Background()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := int64(1 + rand.IntN(n))
			ids := []int64{id}
			if _, _, _, err := st.WarningPage(ctx, id); err != nil {
				b.Error(err)
				return
			}
			if _, err := st.WarningCountries(ctx, ids); err != nil {
				b.Error(err)
				return
			}
			// Indicators' report counts are kept per content version, not
			// read for each page.
			if _, err := st.WarningIndicators(ctx, ids); err != nil {
				b.Error(err)
				return
			}
			if _, err := st.WarningSourceReports(ctx, id); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
