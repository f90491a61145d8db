package db_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"forewarn/app/db"
)

// silentPostgres listens on the loopback and accepts connections without
// ever answering, like a PostgreSQL that hangs; it returns its URL.
func silentPostgres(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "postgres://nobody@" + ln.Addr().String() + "/none?sslmode=disable"
}

func TestOpenFailsWithinTheConnectTimeout(t *testing.T) {
	url := silentPostgres(t)
	result := make(chan error, 1)
	go func() {
		_, err := db.OpenContext(context.Background(), url, db.Options{ConnectTimeout: time.Second})
		result <- err
	}()
	select {
	case err := <-result:
		if err == nil || !strings.Contains(err.Error(), "no answer within the connect timeout of 1s") {
			t.Fatalf("open of a silent server: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("open of a silent server still hangs after a minute")
	}
}

func TestOpenEndsWhenItsContextEnds(t *testing.T) {
	url := silentPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	go func() {
		_, err := db.OpenContext(ctx, url, db.Options{ConnectTimeout: time.Hour})
		result <- err
	}()
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted while connecting") {
			t.Fatalf("open interrupted: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("open ignores its context")
	}
}
