package state

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	fiberredis "github.com/gofiber/storage/redis/v3"
	"github.com/redis/go-redis/v9"
)

// A Redis that accepts connections and never answers fails the storage's
// calls within the shortened waits, instead of go-redis's 3 s a read
// retried three times; waits the URL sets are kept.
func TestAHangingRedisFailsSoon(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	url := "redis://" + ln.Addr().String() + "/0"
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	boundWaits(opts, url)
	if opts.ReadTimeout != time.Second || opts.MaxRetries != 1 {
		t.Errorf("waits not bounded: read %v, retries %d", opts.ReadTimeout, opts.MaxRetries)
	}
	client := redis.NewClient(opts)
	defer client.Close()
	storage := fiberredis.NewFromConnection(client)
	done := make(chan error, 1)
	go func() {
		_, err := storage.Get("k")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a Get from a Redis that never answers succeeded")
		}
	case <-time.After(time.Minute):
		t.Fatal("a Get from a Redis that never answers hangs")
	}

	url += "?read_timeout=7s&max_retries=4"
	opts, _ = redis.ParseURL(url)
	boundWaits(opts, url)
	if opts.ReadTimeout != 7*time.Second || opts.MaxRetries != 4 {
		t.Errorf("the URL's waits not kept: read %v, retries %d", opts.ReadTimeout, opts.MaxRetries)
	}
}

// The Redis client's own messages go to the server's structured log at
// debug level, not to standard error as unstructured lines.
func TestRedisClientMessagesGoToTheLog(t *testing.T) {
	var buf lockedBuffer
	RouteClientLog(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if _, _, err := Open(context.Background(), "redis://127.0.0.1:1/0", "test:", nil); err == nil {
		t.Fatal("a Redis that refuses connections was opened")
	}
	out := buf.String()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, `msg="redis client"`) || !strings.Contains(out, "failed to dial") {
		t.Errorf("the client's message is not in the log:\n%s", out)
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
