package server_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"forewarn/app/apptest"
	"forewarn/app/seed"
	"forewarn/app/server"
)

// benchEnv builds the app over FOREWARN_BENCH_WARNINGS synthetic warnings
// (2,000 by default; the figures in the notes use 100,000).
func benchEnv(b *testing.B, cacheTTL time.Duration) *apptest.Env {
	b.Helper()
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("FOREWARN_BENCH_WARNINGS")); err == nil && v > 0 {
		n = v
	}
	e := apptest.New(b, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: cacheTTL, PageCacheBytes: 32 << 20})
	if _, err := seed.Synthetic(context.Background(), e.Services.Importer, apptest.Now, n, 0); err != nil {
		b.Fatal(err)
	}
	return e
}

// serveDirect runs one request through the Fiber handler without a network.
func serveDirect(b *testing.B, h fasthttp.RequestHandler, path string) {
	var ctx fasthttp.RequestCtx
	ctx.Request.SetRequestURI(path)
	ctx.Request.Header.SetMethod(fasthttp.MethodGet)
	h(&ctx)
	if ctx.Response.StatusCode() != fasthttp.StatusOK {
		b.Fatalf("%s: status %d", path, ctx.Response.StatusCode())
	}
}

func BenchmarkWarningsListUncached(b *testing.B) {
	e := benchEnv(b, 0)
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, "/en/warnings?page=3")
	}
}

func BenchmarkWarningPageUncached(b *testing.B) {
	e := benchEnv(b, 0)
	h := e.App.Handler()
	i := 0
	for b.Loop() {
		i++
		serveDirect(b, h, fmt.Sprintf("/en/warnings/%d", 1+i%1000))
	}
}

func BenchmarkWarningsListCached(b *testing.B) {
	e := benchEnv(b, time.Minute)
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, "/en/warnings")
	}
}

func BenchmarkAPIListUncached(b *testing.B) {
	e := benchEnv(b, 0)
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, "/api/v1/warnings")
	}
}
