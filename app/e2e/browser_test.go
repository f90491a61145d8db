package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"forewarn/app/apptest"
	"forewarn/app/server"
)

// browser starts headless Chromium with the flags that work as root on a
// machine without network, or skips the test where Chromium is missing
// (never in CI, which installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserFor(t, 2*time.Minute)
}

// browserFor is browser for a test that may take up to limit, or up to a
// minute before the test binary's deadline (go test -timeout) when that is
// later: on a loaded machine the long tests ran past their own limit
// (printing 1,280 leaflets took over 15 minutes beside a database load)
// while the binary had time left, and a hang still ends with this test's
// own message rather than the binary's panic.
func browserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	if d, ok := t.Deadline(); ok {
		limit = max(limit, time.Until(d)-time.Minute)
	}
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

// consoleLog collects every console message of the page.
type consoleLog struct {
	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func watchConsole(ctx context.Context) *consoleLog {
	l := &consoleLog{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.messages = append(l.messages, m)
			l.mu.Unlock()
		}
	}()
	return l
}

// cspViolations returns the messages that report a Content-Security-Policy
// violation.
func (l *consoleLog) cspViolations() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, m := range l.messages {
		if strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
			out = append(out, m.String())
		}
	}
	return out
}

// serve runs the application on a loopback port, with the quick exit
// pointing at a local neutral page.
func serve(t *testing.T) (env *apptest.Env, base, neutral string) {
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

func TestConsoleWatcherSeesCSPViolations(t *testing.T) {
	ctx := browser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>x</title><script>document.title='ran'</script>")
	}))
	defer srv.Close()
	console := watchConsole(ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(console.cspViolations()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if len(console.cspViolations()) == 0 {
		t.Fatal("the console watcher did not see a blocked inline script: the CSP check below could not fail")
	}
}

func TestPhoneReadingInEnglishAndArabic(t *testing.T) {
	env, base, neutral := serve(t)
	id := env.Warning(t, apptest.Titled("Drivers wanted, visa included"), apptest.TranslatedInto("ar"))
	ctx := browser(t)
	console := watchConsole(ctx)

	for _, lang := range []string{"en", "ar"} {
		home := base + "/" + lang
		if err := chromedp.Do(ctx, chromedp.Navigate(home), chromedp.WaitVisible("main h1")); err != nil {
			t.Fatalf("%s home: %v", lang, err)
		}
		dir, err := chromedp.Run(ctx, chromedp.Evaluate[string]("getComputedStyle(document.documentElement).direction"))
		if err != nil {
			t.Fatal(err)
		}
		wantDir := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
		if dir != wantDir {
			t.Errorf("%s: direction %q, want %q", lang, dir, wantDir)
		}
		// The layout mirrors: the quick exit sits at the end of the bar,
		// on the right in English and on the left in Arabic.
		side, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){
			var r = document.querySelector(".quick-exit").getBoundingClientRect();
			return (r.left + r.width / 2) > window.innerWidth / 2 ? "right" : "left";
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		wantSide := map[string]string{"en": "right", "ar": "left"}[lang]
		if side != wantSide {
			t.Errorf("%s: quick exit on the %s, want %s", lang, side, wantSide)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth + 1"))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s: the page is wider than the phone", lang)
		}

		// Open the warning from the list, as a reader would.
		link := fmt.Sprintf(`a[href="/%s/warnings/%d"]`, lang, id)
		if err := chromedp.Do(ctx, chromedp.Click(link), chromedp.WaitVisible("article.warning h1")); err != nil {
			t.Fatalf("%s: open warning: %v", lang, err)
		}
		title, err := chromedp.Run(ctx, chromedp.Text("article.warning h1"))
		if err != nil {
			t.Fatal(err)
		}
		wantTitle := map[string]string{"en": "Drivers wanted, visa included", "ar": "[ar] Drivers wanted, visa included"}[lang]
		if strings.TrimSpace(title) != wantTitle {
			t.Errorf("%s: warning title %q, want %q", lang, title, wantTitle)
		}
		copyVisible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector("button.copy").hidden`))
		if err != nil {
			t.Fatal(err)
		}
		if !copyVisible {
			t.Errorf("%s: the copy button stayed hidden: app.js did not run", lang)
		}

		// Quick exit: the warning page must not stay in the back history.
		warningURL := fmt.Sprintf("%s/%s/warnings/%d", base, lang, id)
		exitAction := chromedp.Click(".quick-exit")
		if lang == "ar" {
			exitAction = chromedp.KeyEvent("\u001b") // Escape
		}
		if err := chromedp.Do(ctx, exitAction); err != nil {
			t.Fatalf("%s: quick exit: %v", lang, err)
		}
		waitLocation(t, ctx, neutral)
		hist, err := chromedp.Run(ctx, chromedp.NavigationEntries())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist.Entries {
			if e.URL == warningURL {
				t.Errorf("%s: the warning page stayed in the history after the quick exit: %v", lang, e.URL)
			}
		}
		// Back, as a person would press it: it must not bring the warning back.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any]("setTimeout(function () { history.back(); }, 0)")); err != nil {
			t.Fatalf("%s: back: %v", lang, err)
		}
		back := waitLocationChange(t, ctx, neutral)
		if back == warningURL {
			t.Errorf("%s: Back returned to the warning page", lang)
		}
	}
	if v := console.cspViolations(); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations:\n%s", strings.Join(v, "\n"))
	}
}

// waitLocationChange waits until the page is no longer at from and returns
// where it is.
func waitLocationChange(t *testing.T, ctx context.Context, from string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && loc != from && loc != "" && loc != "about:blank" {
			return loc
		}
		if time.Now().After(deadline) {
			t.Fatalf("still at %q (err %v)", loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func waitLocation(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil && loc == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("location %q, want %q (err %v)", loc, want, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
