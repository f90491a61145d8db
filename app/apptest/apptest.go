// Package apptest builds the real application over a real, migrated
// database for tests: a temporary SQLite file, or a PostgreSQL database of
// the test's own when FOREWARN_TEST_DATABASE_URL is set.
package apptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"forewarn/app/db"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/state"
	"forewarn/app/store"
)

// Now is the fixed clock of the tests.
var Now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// BaseURL is the public base URL the test app believes it has.
const BaseURL = "https://forewarn.test"

// Env is one test's application and database.
type Env struct {
	DB       *db.DB
	Store    *store.Store
	Services *service.Services
	App      *fiber.App
	Log      *strings.Builder
	// URL is the database's URL, for a second connection to it (another
	// instance, an operator's session).
	URL string
	// redis and statePrefix name the test's HTTP state in Redis, if any.
	redis       *redis.Client
	statePrefix string
}

// DatabaseURL returns the URL of an empty database for t: a SQLite file in
// a temporary folder, or a fresh schema of the PostgreSQL database named by
// FOREWARN_TEST_DATABASE_URL. Both are removed at the end of the test.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	if base := os.Getenv("FOREWARN_TEST_DATABASE_URL"); base != "" {
		return freshSchema(t, base)
	}
	return "sqlite:" + filepath.Join(t.TempDir(), "forewarn.db")
}

// OpenDB opens a fresh, migrated database for t and closes it afterwards:
// a copy of a database migrated once (see migratedSQLite, pgTemplate).
func OpenDB(t testing.TB) *db.DB {
	t.Helper()
	d, _ := openDB(t, nil, 0)
	return d
}

func openDB(t testing.TB, log *slog.Logger, slow time.Duration) (*db.DB, string) {
	t.Helper()
	var u string
	if base := os.Getenv("FOREWARN_TEST_DATABASE_URL"); base != "" {
		u = migratedPostgresURL(t, base)
	} else {
		u = migratedSQLiteURL(t)
	}
	d, err := db.OpenLogged(u, log, slow)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d, u
}

// freshSchema creates an empty PostgreSQL schema for t, dropped at the end,
// and returns base with its search_path set to it.
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	schema := randomName(t, "t_")
	a := admin(t)
	if err := a.Gorm.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Gorm.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse FOREWARN_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// New builds the application over a fresh database. The page cache is off
// unless opts enable it.
func New(t testing.TB, opts ...server.Options) *Env {
	t.Helper()
	return newEnv(t, false, 0, opts...)
}

// NewLoggingQueries is New with the database's queries logged to Env.Log
// when they take slow or longer (zero logs every query).
func NewLoggingQueries(t testing.TB, slow time.Duration, opts ...server.Options) *Env {
	t.Helper()
	return newEnv(t, true, slow, opts...)
}

func newEnv(t testing.TB, logQueries bool, slow time.Duration, opts ...server.Options) *Env {
	t.Helper()
	var logBuf strings.Builder
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logBuf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var dbLog *slog.Logger
	if logQueries {
		dbLog = log
	}
	d, dbURL := openDB(t, dbLog, slow)
	st := store.New(d.Gorm)
	cfg := service.DefaultConfig()
	// Passwords are hashed with argon2id as in production, at a fraction of
	// its cost: each test signs several members up and in.
	cfg.PasswordCost = service.PasswordCost{MemoryKiB: 64, Passes: 1}
	svc := service.New(st, func() time.Time { return Now }, cfg)
	o := server.Options{BaseURL: BaseURL, QuickExitURL: "https://neutral.test/"}
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Now = func() time.Time { return Now }
	o.SecretKey = "test-secret-key-test-secret-key-test"
	env := &Env{DB: d, Store: st, Services: svc, Log: &logBuf, URL: dbURL}
	o.Storage = env.testStorage(t, st)
	app, err := server.Build(svc, log, o)
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	env.App = app
	return env
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
}

// Get sends a GET request with optional header name/value pairs.
func (e *Env) Get(t testing.TB, target string, headers ...string) Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatalf("request %s: %v", target, err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Do(t, req)
}

// Do sends req through the application.
func (e *Env) Do(t testing.TB, req *http.Request) Response {
	t.Helper()
	resp, err := e.App.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("read body of %s: %v", req.URL, err)
	}
	if resp.StatusCode >= 500 {
		t.Logf("%s %s: %d; server log:\n%s", req.Method, req.URL, resp.StatusCode, e.Log.String())
	}
	e.checkContract(t, req, resp, body)
	return Response{Response: resp, Body: string(body)}
}

// testStorage keeps the HTTP state in the test database, or in the Redis
// named by FOREWARN_TEST_REDIS_URL under a prefix of the test's own.
func (e *Env) testStorage(t testing.TB, st *store.Store) fiber.Storage {
	t.Helper()
	dbState := st.NewHTTPState(func() time.Time { return Now })
	redisURL := os.Getenv("FOREWARN_TEST_REDIS_URL")
	if redisURL == "" {
		return dbState
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	e.statePrefix = "test:" + hex.EncodeToString(b) + ":"
	storage, closeState, err := state.Open(context.Background(), redisURL, e.statePrefix, dbState)
	if err != nil {
		t.Fatalf("redis: %v", err)
	}
	t.Cleanup(func() { closeState() })
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	e.redis = redis.NewClient(opts)
	t.Cleanup(func() { e.redis.Close() })
	t.Cleanup(func() {
		if err := deleteKeys(e.redis, e.statePrefix); err != nil {
			t.Errorf("redis: delete the test's keys: %v", err)
		}
	})
	return storage
}

// RedisPrefix returns a key prefix of t's own in the Redis at redisURL,
// whose keys are deleted when t ends: for a test that opens its own
// storage there.
func RedisPrefix(t testing.TB, redisURL string) string {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatalf("parse Redis URL: %v", err)
	}
	client := redis.NewClient(opts)
	prefix := randomName(t, "test:") + ":"
	t.Cleanup(func() {
		defer client.Close()
		if err := deleteKeys(client, prefix); err != nil {
			t.Errorf("delete the test's Redis keys: %v", err)
		}
	})
	return prefix
}

// deleteKeys removes every key under prefix: sessions, CSRF tokens and
// rate-limit counters alike, so that a test leaves nothing behind.
func deleteKeys(client *redis.Client, prefix string) error {
	ctx := context.Background()
	iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return err
	}
	if len(keys) == 0 {
		return nil
	}
	return client.Del(ctx, keys...).Err()
}

// StateEntries counts what the HTTP state holds for this test: the rows of
// http_state and, with Redis, the keys under the test's prefix.
func (e *Env) StateEntries(t testing.TB) int64 {
	t.Helper()
	var n int64
	if err := e.DB.Gorm.Table("http_state").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if e.redis != nil {
		keys, err := e.redis.Keys(context.Background(), e.statePrefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		n += int64(len(keys))
	}
	return n
}

// Count returns the number of rows of table that match where and args (all
// rows when where is empty). A failing query fails the test: a count that
// proves something absent must not read as zero because the query broke.
func (e *Env) Count(t testing.TB, table, where string, args ...any) int64 {
	t.Helper()
	q := e.DB.Gorm.Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// Must fails the test when the query that returned q failed, for example
// Must(t, e.DB.Gorm.Table("reports").Select("body").Where("id = ?", id).Scan(&body)).
func Must(t testing.TB, q *gorm.DB) {
	t.Helper()
	if q.Error != nil {
		t.Fatalf("query: %v", q.Error)
	}
}

// StoredContaining lists where piece is stored, byte for byte: every
// column of every row of every table of the test's database, and with
// Redis every value under the test's prefix. Each place is named
// "table.column" or "redis". Text and binary columns alike are searched as
// the bytes the engine returns (a bytea on PostgreSQL, a BLOB on SQLite),
// so a search cannot miss what a cast would hide.
func (e *Env) StoredContaining(t testing.TB, piece string) []string {
	t.Helper()
	ctx := context.Background()
	want := []byte(piece)
	tables, err := e.DB.Gorm.Migrator().GetTables()
	if err != nil {
		t.Fatalf("list tables: %v", err)
	}
	if len(tables) == 0 {
		t.Fatal("list tables: none")
	}
	var found []string
	for _, table := range tables {
		rows, err := e.DB.Gorm.WithContext(ctx).Table(table).Rows()
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			t.Fatalf("read %s: %v", table, err)
		}
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				t.Fatalf("read %s: %v", table, err)
			}
			for i, v := range values {
				var b []byte
				switch v := v.(type) {
				case []byte:
					b = v
				case string:
					b = []byte(v)
				}
				if bytes.Contains(b, want) {
					found = append(found, table+"."+cols[i])
				}
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
	}
	if e.redis != nil {
		iter := e.redis.Scan(ctx, 0, e.statePrefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			v, err := e.redis.Get(ctx, iter.Val()).Bytes()
			if err != nil && err != redis.Nil {
				t.Fatalf("redis: %v", err)
			}
			if bytes.Contains(v, want) || strings.Contains(iter.Val(), piece) {
				found = append(found, "redis")
			}
		}
		if err := iter.Err(); err != nil {
			t.Fatalf("redis: %v", err)
		}
	}
	return found
}
