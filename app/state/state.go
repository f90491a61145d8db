// Package state opens the storage of the HTTP layer's server-side state
// (sessions, CSRF tokens, rate-limit counters): Redis when a URL is given,
// so that several instances share it, else the database.
package state

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	fiberredis "github.com/gofiber/storage/redis/v3"
	"github.com/redis/go-redis/v9"
)

// Open returns Redis storage for redisURL, with every key under prefix, or
// fallback when redisURL is empty. close releases the connection.
func Open(ctx context.Context, redisURL, prefix string, fallback fiber.Storage) (storage fiber.Storage, close func() error, err error) {
	if redisURL == "" {
		return fallback, func() error { return nil }, nil
	}
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("redis URL: %w", err)
	}
	boundWaits(opts, redisURL)
	client := redis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx).Err(); err != nil {
		client.Close()
		return nil, nil, fmt.Errorf("redis %s: %w", opts.Addr, err)
	}
	return Prefixed(fiberredis.NewFromConnection(client), prefix), client.Close, nil
}

// Prefixed puts every key of inner under prefix, so that one Redis can
// serve several applications (or tests) without collisions. Reset is
// refused: it would empty the whole shared store.
func Prefixed(inner fiber.Storage, prefix string) fiber.Storage {
	return &prefixed{inner: inner, prefix: prefix}
}

type prefixed struct {
	inner  fiber.Storage
	prefix string
}

func (p *prefixed) Get(key string) ([]byte, error) { return p.inner.Get(p.prefix + key) }

func (p *prefixed) Set(key string, val []byte, exp time.Duration) error {
	return p.inner.Set(p.prefix+key, val, exp)
}

func (p *prefixed) Delete(key string) error { return p.inner.Delete(p.prefix + key) }

func (p *prefixed) Reset() error { return errors.New("state: reset of a shared store is refused") }

func (p *prefixed) Close() error { return p.inner.Close() }

// boundWaits shortens go-redis's waits unless the URL sets them: the
// storage's calls carry no request context, and with the library's
// defaults (3 s a read, 3 retries) a Redis that hangs would hold a form
// past the request's deadline. A failure is answered "try again in a
// moment" instead.
func boundWaits(opts *redis.Options, redisURL string) {
	q := url.Values{}
	if u, err := url.Parse(redisURL); err == nil {
		q = u.Query()
	}
	if !q.Has("dial_timeout") {
		opts.DialTimeout = 2 * time.Second
	}
	if !q.Has("read_timeout") {
		opts.ReadTimeout = time.Second
	}
	if !q.Has("write_timeout") {
		opts.WriteTimeout = time.Second
	}
	if !q.Has("max_retries") {
		opts.MaxRetries = 1
	}
}

// RouteClientLog sends the Redis client's own messages (a dial that failed
// again, a pool retry) to log at debug level instead of the standard
// error's unstructured lines: a failure that reaches a request is already
// logged once, as a warning, by the server. It sets the client library's
// process-wide logger, so only the command's wiring calls it.
func RouteClientLog(log *slog.Logger) {
	redis.SetLogger(clientLog{log})
}

type clientLog struct{ log *slog.Logger }

func (l clientLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.DebugContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}
