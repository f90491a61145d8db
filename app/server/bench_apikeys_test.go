package server_test

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"

	"forewarn/app/apptest"
	"forewarn/app/service"
)

// The cost of a key: it is looked up in the database on every request (so
// that a revocation holds at once everywhere) and counted against its own
// limit. Compare BenchmarkAPIAnonymous with BenchmarkAPIKeyed on the same
// small route, and BenchmarkAPIKeyAuthenticate alone. Run with
// -benchtime=20000x or less: the key's limit is 100,000 a minute.
func BenchmarkAPIAnonymous(b *testing.B) {
	e := apptest.New(b)
	benchAPI(b, e, "")
}

func BenchmarkAPIKeyed(b *testing.B) {
	e := apptest.New(b)
	benchAPI(b, e, benchKey(b, e).Key)
}

func BenchmarkAPIKeyAuthenticate(b *testing.B) {
	e := apptest.New(b)
	key := benchKey(b, e).Key
	ctx := context.Background()
	for b.Loop() {
		if _, err := e.Services.APIKeys.Authenticate(ctx, key); err != nil {
			b.Fatal(err)
		}
	}
}

func benchKey(b *testing.B, e *apptest.Env) service.IssuedKey {
	b.Helper()
	if err := e.DB.Gorm.Exec("INSERT INTO organisations (slug, name, website, verified, created_at, updated_at) VALUES ('o', 'Helpline', '', true, ?, ?)", apptest.Now, apptest.Now).Error; err != nil {
		b.Fatal(err)
	}
	k, err := e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: "1", Name: "bench bot", Scopes: "read", RateLimit: "100000"})
	if err != nil {
		b.Fatal(err)
	}
	return k
}

func benchAPI(b *testing.B, e *apptest.Env, key string) {
	h := e.App.Handler()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/warnings?limit=1")
		ctx.Request.Header.SetMethod(fasthttp.MethodGet)
		if key != "" {
			ctx.Request.Header.Set("Authorization", "Bearer "+key)
		}
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

// BenchmarkAPICheckAnonymous and BenchmarkAPICheckKeyed compare a route
// that is limited either way: per address, or per key instead.
func BenchmarkAPICheckAnonymous(b *testing.B) {
	e := apptest.New(b)
	benchCheck(b, e, "")
}

func BenchmarkAPICheckKeyed(b *testing.B) {
	e := apptest.New(b)
	benchCheck(b, e, benchKey(b, e).Key)
}

func benchCheck(b *testing.B, e *apptest.Env, key string) {
	h := e.App.Handler()
	n := 0
	for b.Loop() {
		n++
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/check")
		ctx.Request.Header.SetMethod(fasthttp.MethodPost)
		ctx.Request.Header.SetContentType("application/json")
		ctx.Request.SetBodyString(`{"text":"call +40 712 345 678"}`)
		if key != "" {
			ctx.Request.Header.Set("Authorization", "Bearer "+key)
		}
		h(&ctx)
		// the anonymous limit is 120 a minute: past it, the refusal is what
		// is measured, as it is for a visitor who sends more
		if st := ctx.Response.StatusCode(); st != fasthttp.StatusOK && (key != "" || n <= 120) {
			b.Fatalf("status %d", st)
		}
	}
}
