package e2e

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/server"
)

// Browser starts headless Chromium with the flags that work as root on a
// machine without network, or skips the test where Chromium is missing
// (never in CI, which installs it).
func Browser(t *testing.T) context.Context {
	t.Helper()
	return BrowserFor(t, 2*time.Minute)
}

// BrowserFor is Browser for a test that may take up to limit.
func BrowserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(390, 844),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	// Start the browser and a phone-sized viewport.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Serve runs the application on a loopback port, with the quick exit
// pointing at a local neutral page.
func Serve(t *testing.T) (env *apptest.Env, base, neutral string) {
	t.Helper()
	neutralSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>Weather</title><p>Sunny.</p>")
	}))
	t.Cleanup(neutralSrv.Close)
	env = apptest.New(t, server.Options{BaseURL: "http://127.0.0.1", QuickExitURL: neutralSrv.URL + "/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go env.App.Listener(ln)
	t.Cleanup(func() { env.App.Shutdown() })
	return env, "http://" + ln.Addr().String(), neutralSrv.URL + "/"
}
