//go:build pprof

// Profiling aid for load tests, compiled in only with -tags pprof: the
// profiles of net/http/pprof are served on FOREWARN_PPROF_LISTEN (default
// 127.0.0.1:6060), apart from the site.
//
//	go build -tags pprof -o forewarn-pprof ./cmd/forewarn
//	go tool pprof -top 'http://127.0.0.1:6060/debug/pprof/profile?seconds=20'

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"
	"time"
)

func init() {
	addr := os.Getenv("FOREWARN_PPROF_LISTEN")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go func() {
		srv := &http.Server{Addr: addr, ReadHeaderTimeout: 5 * time.Second}
		if err := srv.ListenAndServe(); err != nil {
			slog.Error("pprof listener", "addr", addr, "err", err)
		}
	}()
}
