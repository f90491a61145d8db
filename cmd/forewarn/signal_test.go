package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"forewarn/app/server"
)

// hangingPostgres accepts connections and never answers; accepted gets
// one value per connection.
func hangingPostgres(t *testing.T) (url string, accepted chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = make(chan struct{}, 16)
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
			select {
			case accepted <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "postgres://nobody@" + ln.Addr().String() + "/none?sslmode=disable", accepted
}

// The server given SIGTERM while its database connect hangs stops at once
// with a clear message, however long the connect timeout.
func TestSIGTERMWhileConnectingStopsTheServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "forewarn")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	url, accepted := hangingPostgres(t)
	cmd := exec.Command(bin, "serve", "-database-url", url, "-connect-timeout", "1h", "-listen", "127.0.0.1:0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-accepted:
	case err := <-exited:
		t.Fatalf("the server ended before connecting: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("the server never connected to the database")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err == nil {
			t.Error("a start stopped by SIGTERM exits 0")
		}
		if msg := stderr.String(); !strings.Contains(msg, "stopped during start-up") || !strings.Contains(msg, "interrupted while connecting") {
			t.Errorf("message of a start stopped by SIGTERM: %q", msg)
		}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("SIGTERM while connecting is ignored")
	}
}

// run with a context that ends while connecting returns, like SIGTERM.
func TestServeEndsWhenItsContextEndsWhileConnecting(t *testing.T) {
	url, accepted := hangingPostgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	var out, errOut bytes.Buffer
	go func() {
		result <- run(ctx, []string{"-database-url", url, "-connect-timeout", "1h", "-listen", "127.0.0.1:0"}, strings.NewReader(""), &out, &errOut)
	}()
	select {
	case <-accepted:
	case err := <-result:
		t.Fatalf("serve ended before connecting: %v", err)
	}
	cancel()
	select {
	case err := <-result:
		if err == nil || !strings.Contains(err.Error(), "interrupted while connecting") {
			t.Fatalf("serve stopped while connecting: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("serve ignores its context while connecting")
	}
}

type stubServer struct{ err error }

func (s stubServer) ShutdownWithTimeout(time.Duration) error { return s.err }

// A shutdown that reaches its limit says so and is not an error; any other
// failure is.
func TestShutdownSaysHowItEnded(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, "info")
	if err := shutdown(stubServer{}, time.Second, log); err != nil || !strings.Contains(buf.String(), "shut down cleanly") {
		t.Errorf("clean shutdown: %v\n%s", err, buf.String())
	}
	buf.Reset()
	if err := shutdown(stubServer{context.DeadlineExceeded}, time.Second, log); err != nil || !strings.Contains(buf.String(), "cut off") {
		t.Errorf("shutdown past its limit: %v\n%s", err, buf.String())
	}
	if err := shutdown(stubServer{net.ErrClosed}, time.Second, log); err == nil {
		t.Error("a failed shutdown is no error")
	}
}

// -metrics-listen serves the metrics on a listener of their own, and only
// them.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	var buf bytes.Buffer
	addr, stop, err := serveMetrics("127.0.0.1:0", server.NewMetrics(), newLogger(&buf, "info"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "go_goroutines") {
		t.Errorf("metrics listener: %d\n%.300s", resp.StatusCode, body)
	}
	if resp, err := http.Get("http://" + addr + "/en/warnings"); err != nil || resp.StatusCode != 404 {
		t.Errorf("the metrics listener serves more than metrics: %v %v", resp, err)
	}
}
