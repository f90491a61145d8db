package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	fiberredis "github.com/gofiber/storage/redis/v3"
	"github.com/redis/go-redis/v9"

	"forewarn/app/apptest"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/state"
	"forewarn/app/store"
)

type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// envWith builds the application over a fresh database with the given
// session storage (nil: the database) and options; its log is returned.
func envWith(t *testing.T, storage fiber.Storage, opts server.Options) (*apptest.Env, *lockedLog) {
	t.Helper()
	d := apptest.OpenDB(t)
	st := store.New(d.Gorm)
	svc := service.New(st, func() time.Time { return apptest.Now }, service.DefaultConfig())
	var buf lockedLog
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if storage == nil {
		storage = st.NewHTTPState(func() time.Time { return apptest.Now })
	}
	opts.BaseURL, opts.QuickExitURL = apptest.BaseURL, "https://neutral.test/"
	opts.Now = func() time.Time { return apptest.Now }
	opts.SecretKey = "test-secret-key-test-secret-key-test"
	opts.Storage = storage
	app, err := server.Build(svc, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &apptest.Env{DB: d, Store: st, Services: svc, App: app, Log: &strings.Builder{}}, &buf
}

func TestReadiness(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/readyz")
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"ready":true`) {
		t.Fatalf("readyz of a healthy server: %d %s", r.StatusCode, r.Body)
	}
	if r := e.Get(t, "/healthz"); r.StatusCode != 200 || r.Body != "ok" {
		t.Fatalf("healthz: %d %q", r.StatusCode, r.Body)
	}
	e.DB.Close()
	r = e.Get(t, "/readyz")
	if r.StatusCode != 503 || !strings.Contains(r.Body, `"database":"unavailable"`) {
		t.Fatalf("readyz with the database closed: %d %s", r.StatusCode, r.Body)
	}
	if r := e.Get(t, "/healthz"); r.StatusCode != 200 {
		t.Fatalf("healthz stays a cheap liveness answer: %d", r.StatusCode)
	}
}

func TestReadinessWithoutRedis(t *testing.T) {
	t.Parallel()
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	e, _ := envWith(t, fiberredis.NewFromConnection(client), server.Options{})
	r := e.Get(t, "/readyz")
	if r.StatusCode != 503 || !strings.Contains(r.Body, `"sessions":"unavailable"`) || !strings.Contains(r.Body, `"database":"ok"`) {
		t.Fatalf("readyz with Redis unreachable: %d %s", r.StatusCode, r.Body)
	}
}

var metricLine = regexp.MustCompile(`(?m)^forewarn_http_requests_total\{(.*)\} \d+$`)

func TestMetrics(t *testing.T) {
	t.Parallel()
	m := server.NewMetrics()
	e, _ := envWith(t, nil, server.Options{Metrics: m, ServeMetrics: true, PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	id := e.Warning(t, apptest.Titled("Fake visa agency"))
	page := "/en/warnings/" + itoa64(id)
	for range 2 {
		if r := e.Get(t, page); r.StatusCode != 200 {
			t.Fatalf("%s: %d", page, r.StatusCode)
		}
	}
	e.Get(t, "/en/warnings?q=secret-typed-text")
	e.Get(t, "/en/nothing-here-12345")

	r := e.Get(t, "/metrics")
	if r.StatusCode != 200 {
		t.Fatalf("/metrics: %d", r.StatusCode)
	}
	if !strings.Contains(r.Body, `route="/:lang/warnings/:id"`) || !strings.Contains(r.Body, `status="200"`) {
		t.Errorf("no route-pattern label:\n%s", r.Body)
	}
	for _, leak := range []string{itoa64(id) + `"`, "/" + itoa64(id), "secret-typed-text", "nothing-here-12345"} {
		for _, line := range metricLine.FindAllString(r.Body, -1) {
			if strings.Contains(line, leak) {
				t.Errorf("metrics line holds %q: %s", leak, line)
			}
		}
	}
	for _, want := range []string{`forewarn_page_cache_total{result="hit"} 1`, `forewarn_page_cache_total{result="miss"}`, "forewarn_db_open_connections", "forewarn_http_request_duration_seconds_bucket"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics without %s", want)
		}
	}

	// Not served on the application unless asked: the counts would tell
	// anyone the site's traffic.
	e2, _ := envWith(t, nil, server.Options{Metrics: server.NewMetrics()})
	if r := e2.Get(t, "/metrics"); r.StatusCode == 200 || strings.Contains(r.Body, "forewarn_http_requests_total") {
		t.Errorf("/metrics served on the public application by default: %d", r.StatusCode)
	}
	// Served elsewhere, by the metrics' own handler.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: m.Handler()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `route="/:lang/warnings/:id"`) {
		t.Errorf("metrics on their own listener:\n%s", body)
	}
}

// proxy forwards TCP connections to target until it is closed, and then
// closes every connection it made: Redis going away.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// When Redis goes away mid-run, a login answers the localised "try again
// in a moment" (503) with its request ID, and the failure is logged.
func TestRedisGoneMidRun(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("FOREWARN_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("needs FOREWARN_TEST_REDIS_URL")
	}
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	p := newProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	storage, closeState, err := state.Open(context.Background(), u.String(), apptest.RedisPrefix(t, redisURL), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeState() })
	e, log := envWith(t, storage, server.Options{})
	if _, err := e.Services.Users.Create(context.Background(), service.NewUser{Pseudonym: "Amira", Password: goodPassword, Role: "member"}); err != nil {
		t.Fatal(err)
	}
	c := e.NewClient()
	if r := c.Login(t, "Amira", goodPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with Redis up: %d", r.StatusCode)
	}

	p.close()
	visitor := e.NewClient()
	visitor.Get(t, "/fr/login")
	r := visitor.Post(t, "/fr/login", url.Values{"pseudonym": {"Amira"}, "password": {goodPassword}})
	if r.StatusCode != 503 || !strings.Contains(r.Body, "Veuillez réessayer dans un instant") || !strings.Contains(r.Body, r.Header.Get("X-Request-ID")) {
		t.Errorf("login with Redis gone: %d\n%s", r.StatusCode, r.Body)
	}
	// Guessing is not let through uncounted while the counters are away.
	r = visitor.Post(t, "/fr/login", url.Values{"pseudonym": {"Amira"}, "password": {"a wrong password"}})
	if r.StatusCode != 503 {
		t.Errorf("wrong password with Redis gone: %d, want 503", r.StatusCode)
	}
	r = c.Get(t, "/en/account")
	if r.StatusCode != 503 || !strings.Contains(r.Body, "Please try again in a moment") {
		t.Errorf("member's page with Redis gone: %d\n%s", r.StatusCode, r.Body)
	}
	if l := log.String(); !strings.Contains(l, "session storage unavailable") || strings.Contains(l, "goroutine ") {
		t.Errorf("log with Redis gone:\n%s", l)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
