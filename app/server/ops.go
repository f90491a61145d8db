package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"forewarn/app/httperr"
	"forewarn/app/service"
)

// guardedStorage turns a failure of the HTTP state's storage (Redis gone,
// the database not answering) into httperr.ErrUnavailable, which forms
// answer with a localised "try again in a moment" (503), and logs it: at
// most one line a second, naming the operation, never the key (a session
// ID) or the value.
type guardedStorage struct {
	inner fiber.Storage
	log   *slog.Logger
	last  atomic.Int64 // unix nanoseconds of the last line logged
	// down is set by a failure and cleared by the next success.
	down atomic.Bool
}

func guardStorage(inner fiber.Storage, log *slog.Logger) fiber.Storage {
	return &guardedStorage{inner: inner, log: log}
}

func (g *guardedStorage) fail(op string, err error) error {
	g.down.Store(true)
	now := time.Now().UnixNano()
	if last := g.last.Load(); now-last >= int64(time.Second) && g.last.CompareAndSwap(last, now) {
		g.log.Error("session storage unavailable", "op", op, "err", err)
	}
	return fmt.Errorf("session storage %s: %w: %w", op, httperr.ErrUnavailable, err)
}

func (g *guardedStorage) Get(key string) ([]byte, error) {
	v, err := g.inner.Get(key)
	if err != nil {
		return nil, g.fail("get", err)
	}
	g.up()
	return v, nil
}

func (g *guardedStorage) Set(key string, val []byte, exp time.Duration) error {
	if err := g.inner.Set(key, val, exp); err != nil {
		return g.fail("set", err)
	}
	g.up()
	return nil
}

func (g *guardedStorage) Delete(key string) error {
	if err := g.inner.Delete(key); err != nil {
		return g.fail("delete", err)
	}
	g.up()
	return nil
}

func (g *guardedStorage) up() {
	if g.down.Load() {
		g.down.Store(false)
	}
}

// available returns ErrUnavailable while the storage is known to be down
// and a probe says it still is; nothing is asked while it works. Fiber's
// limiter ignores its storage's errors, and would let every attempt
// through while Redis is away: limited routes ask this first.
func (g *guardedStorage) available() error {
	if !g.down.Load() {
		return nil
	}
	_, err := g.Get("probe")
	return err
}

func (g *guardedStorage) Reset() error { return g.inner.Reset() }
func (g *guardedStorage) Close() error { return g.inner.Close() }

// readyTimeout bounds the readiness probe's checks.
const readyTimeout = 2 * time.Second

// readiness answers /readyz: 200 "ready" when the database and the
// session storage (Redis, when configured) answer within readyTimeout,
// else 503 with a small JSON body naming what does not. Unlike /healthz
// it costs a query and a Redis round trip.
func readiness(svc *service.Services, storage fiber.Storage, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
		defer cancel()
		checks := map[string]string{"database": "ok", "sessions": "ok"}
		ready := true
		if err := svc.Instance.Ready(ctx); err != nil {
			checks["database"], ready = "unavailable", false
			log.Warn("not ready", "check", "database", "err", err)
		}
		probe := make(chan error, 1)
		go func() {
			_, err := storage.Get("readyz")
			probe <- err
		}()
		select {
		case err := <-probe:
			if err != nil {
				checks["sessions"], ready = "unavailable", false
			}
		case <-ctx.Done():
			checks["sessions"], ready = "unavailable", false
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		status := fiber.StatusOK
		if !ready {
			status = fiber.StatusServiceUnavailable
		}
		return c.Status(status).JSON(fiber.Map{"ready": ready, "checks": checks})
	}
}

// Metrics are the Prometheus metrics of one application: requests by
// route pattern (never the raw path: no IDs, no text a visitor typed),
// method and status, their durations, page-cache hits and misses and the
// database pool. Each application has a registry of its own.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	cache    *prometheus.CounterVec
}

// NewMetrics returns the metrics with the Go runtime's and the process's.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "forewarn_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 15},
		}, []string{"route", "method"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "forewarn_page_cache_total", Help: "Page cache look-ups by result (hit or miss).",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.cache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Register adds a collector (later issues: outbox and queue sizes).
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe counts every request once it is answered; an error is rendered
// here first, so that its status is the one counted.
func (m *Metrics) observe(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	route := c.Route().Path
	method := c.Method()
	m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().StatusCode())).Inc()
	m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	return nil
}

// countCache wraps the page cache's handler: Fiber's cache tells in its
// header whether it answered, before pageCache removes the header.
func countCache(shared fiber.Handler, m *Metrics) fiber.Handler {
	if m == nil {
		return shared
	}
	return func(c *fiber.Ctx) error {
		err := shared(c)
		switch string(c.Response().Header.Peek(cacheHeader)) {
		case "hit":
			m.cache.WithLabelValues("hit").Inc()
		case "miss":
			m.cache.WithLabelValues("miss").Inc()
		}
		return err
	}
}

// poolCollector reports the database pool's statistics.
func poolCollector(svc *service.Services) prometheus.Collector {
	return &pool{svc: svc,
		open:    prometheus.NewDesc("forewarn_db_open_connections", "Open database connections.", nil, nil),
		inUse:   prometheus.NewDesc("forewarn_db_in_use_connections", "Database connections in use.", nil, nil),
		idle:    prometheus.NewDesc("forewarn_db_idle_connections", "Idle database connections.", nil, nil),
		maxOpen: prometheus.NewDesc("forewarn_db_max_open_connections", "Most open database connections allowed.", nil, nil),
		waits:   prometheus.NewDesc("forewarn_db_wait_total", "Times a query waited for a free connection.", nil, nil),
		waited:  prometheus.NewDesc("forewarn_db_wait_seconds_total", "Time queries waited for a free connection.", nil, nil),
	}
}

type pool struct {
	svc                                       *service.Services
	open, inUse, idle, maxOpen, waits, waited *prometheus.Desc
}

func (p *pool) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{p.open, p.inUse, p.idle, p.maxOpen, p.waits, p.waited} {
		ch <- d
	}
}

func (p *pool) Collect(ch chan<- prometheus.Metric) {
	s, ok := p.svc.Instance.PoolStats()
	if !ok {
		return
	}
	ch <- prometheus.MustNewConstMetric(p.open, prometheus.GaugeValue, float64(s.OpenConnections))
	ch <- prometheus.MustNewConstMetric(p.inUse, prometheus.GaugeValue, float64(s.InUse))
	ch <- prometheus.MustNewConstMetric(p.idle, prometheus.GaugeValue, float64(s.Idle))
	ch <- prometheus.MustNewConstMetric(p.maxOpen, prometheus.GaugeValue, float64(s.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(p.waits, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(p.waited, prometheus.CounterValue, s.WaitDuration.Seconds())
}

// metricsHandler serves m on the application's own listener.
func metricsHandler(m *Metrics) fiber.Handler {
	return adaptor.HTTPHandler(m.Handler())
}
