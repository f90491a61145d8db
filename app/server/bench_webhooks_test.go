package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/webhook"
)

// benchHooks is an application with loopback webhooks allowed and a key
// of an organisation with the webhooks scope.
func benchHooks(b *testing.B) (*apptest.Env, string) {
	e := apptest.New(b)
	e.Services.Webhooks.Guard = &webhook.Guard{AllowLoopback: true}
	return e, hookBenchKey(b, e, "bench-hooks")
}

// benchKey adds an organisation and returns a key of it with the
// webhooks scope (an organisation has at most 20 endpoints).
func hookBenchKey(b *testing.B, e *apptest.Env, slug string) string {
	o := model.Organisation{Slug: slug, Name: slug, CreatedAt: apptest.Now, UpdatedAt: apptest.Now}
	if err := e.Store.CreateOrganisation(context.Background(), &o); err != nil {
		b.Fatal(err)
	}
	k, err := e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: fmt.Sprint(o.ID), Name: "bench", Scopes: "webhooks"})
	if err != nil {
		b.Fatal(err)
	}
	return k.Key
}

// BenchmarkWebhookPublishedWarningReaches100Endpoints: one warning
// published with 100 endpoints registered (each its own loopback
// receiver), the production worker's settings (1 s poll, 16 at a time,
// real clock). Reports the time from the publishing commit to each
// receipt: p50, p95, max.
func BenchmarkWebhookPublishedWarningReaches100Endpoints(b *testing.B) {
	e, _ := benchHooks(b)
	const endpoints = 100
	var mu sync.Mutex
	var got []time.Time
	var key string
	for i := 0; i < endpoints; i++ {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			mu.Lock()
			got = append(got, time.Now())
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
		}))
		b.Cleanup(srv.Close)
		if i%20 == 0 {
			key = hookBenchKey(b, e, fmt.Sprintf("bench-%d", i))
		}
		registerBench(b, e, key, srv.URL+"/hook")
	}
	wk := e.Services.Webhooks.NewWorker(service.WorkerOptions{BaseURL: apptest.BaseURL, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	wk.Start(context.Background())
	b.Cleanup(wk.Stop)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mu.Lock()
		got = got[:0]
		mu.Unlock()
		start := time.Now()
		e.Warning(b)
		deadline := time.Now().Add(time.Minute)
		for {
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n >= endpoints {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("%d of %d endpoints reached in a minute", n, endpoints)
			}
			time.Sleep(time.Millisecond)
		}
		mu.Lock()
		for _, at := range got {
			lat = append(lat, at.Sub(start))
		}
		mu.Unlock()
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 { return lat[int(p*float64(len(lat)-1))].Seconds() }
	b.ReportMetric(q(0.5), "p50_s")
	b.ReportMetric(q(0.95), "p95_s")
	b.ReportMetric(lat[len(lat)-1].Seconds(), "max_s")
}

// BenchmarkWebhookDrain1000Deliveries: 1,000 deliveries (10 endpoints ×
// 100 warnings) queued at once and drained by one worker with the
// production concurrency (16). Reports the drain time and the most
// database connections open and in use at any moment (sql.DB Stats,
// sampled every millisecond): deliveries do not hold a connection while
// they wait for the receiver.
func BenchmarkWebhookDrain1000Deliveries(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e, key := benchHooks(b)
		var received atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			time.Sleep(20 * time.Millisecond) // a receiver that takes its time
			received.Add(1)
			w.WriteHeader(http.StatusOK)
		}))
		for j := 0; j < 10; j++ {
			registerBench(b, e, key, srv.URL+"/hook")
		}
		for j := 0; j < 100; j++ {
			e.Warning(b)
		}
		stats := func() (int, int) { s, _ := e.Store.PoolStats(); return s.OpenConnections, s.InUse }
		baseOpen, _ := stats()
		var maxOpen, maxInUse atomic.Int64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					o, u := stats()
					if int64(o) > maxOpen.Load() {
						maxOpen.Store(int64(o))
					}
					if int64(u) > maxInUse.Load() {
						maxInUse.Store(int64(u))
					}
				}
			}
		}()
		wk := e.Services.Webhooks.NewWorker(service.WorkerOptions{BaseURL: apptest.BaseURL, Poll: 50 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		b.StartTimer()
		start := time.Now()
		wk.Start(context.Background())
		for received.Load() < 1000 {
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("%d of 1000 delivered", received.Load())
			}
			time.Sleep(time.Millisecond)
		}
		b.StopTimer()
		elapsed := time.Since(start)
		wk.Stop()
		close(stop)
		<-sampled
		srv.Close()
		b.ReportMetric(elapsed.Seconds(), "drain_s")
		b.ReportMetric(float64(maxOpen.Load()), "max_open_conns")
		b.ReportMetric(float64(maxInUse.Load()), "max_in_use_conns")
		b.ReportMetric(float64(baseOpen), "open_conns_before")
	}
}

// registerBench registers an endpoint through the API.
func registerBench(b *testing.B, e *apptest.Env, key, u string) {
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/webhooks", strings.NewReader(`{"url":"`+u+`","events":["warning.published"]}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	if r := e.Do(b, req); r.StatusCode != http.StatusCreated {
		b.Fatalf("register: %d %s", r.StatusCode, r.Body)
	}
}
