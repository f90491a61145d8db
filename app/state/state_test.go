package state

import (
	"net"
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
