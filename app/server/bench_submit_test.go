package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"

	"forewarn/app/apptest"
	"forewarn/app/service"
)

// BenchmarkAPISubmitReport measures POST /api/v1/reports with a key, a
// distinct JSON body each time (so no cache of any kind helps): key
// look-up, rate limit, strict decoding, the guest report's rules (personal
// data scan, indicator extraction) and one transaction. Compare with
// BenchmarkAPISubmitBaseline (GET /api/v1/openapi.json through the same
// middleware) in the same run. Run with -benchtime=5000x or less: the
// key's limit is 100,000 a minute.
func BenchmarkAPISubmitReport(b *testing.B) {
	benchSubmit(b, false)
}

// BenchmarkAPISubmitReportIdempotent is BenchmarkAPISubmitReport with an
// Idempotency-Key on each request: one more insert and one update.
func BenchmarkAPISubmitReportIdempotent(b *testing.B) {
	benchSubmit(b, true)
}

func BenchmarkAPISubmitBaseline(b *testing.B) {
	e := apptest.New(b)
	key := submitBenchKey(b, e)
	h := e.App.Handler()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/openapi.json")
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		ctx.Request.Header.Set("Authorization", "Bearer "+key)
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

func submitBenchKey(b *testing.B, e *apptest.Env) string {
	b.Helper()
	org := newOrganisation(&testing.T{}, e, "Bench NGO")
	k, err := e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: fmt.Sprint(org), Name: "bench bot", Scopes: "read,submit", RateLimit: "100000"})
	if err != nil {
		b.Fatal(err)
	}
	return k.Key
}

func benchSubmit(b *testing.B, idempotent bool) {
	e := apptest.New(b)
	key := submitBenchKey(b, e)
	h := e.App.Handler()
	i := 0
	for b.Loop() {
		i++
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/reports")
		ctx.Request.Header.SetMethod(fasthttp.MethodPost)
		ctx.Request.Header.SetContentType("application/json")
		ctx.Request.Header.Set("Authorization", "Bearer "+key)
		if idempotent {
			ctx.Request.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", i))
		}
		ctx.Request.SetBodyString(fmt.Sprintf(`{"title":"Fake driver job number %d","body":"A page offered driving jobs in Poland for a fee of %d euros. Call +44 7700 900%03d.","lang":"en","category":"fake-job-offer","seen_on":"facebook","origin":["UA"],"destination":["PL"]}`, i, 100+i, i%1000))
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusCreated {
			b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
}
