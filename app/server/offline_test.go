package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image/png"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/server"
	"forewarn/static"
)

// manifest is the part of a web app manifest the tests read.
type manifest struct {
	ID, Name, ShortName, Description, Lang, Dir, StartURL, Scope, Display string
	ThemeColor, BackgroundColor                                           string
	Icons                                                                 []struct{ Src, Sizes, Type, Purpose string }
}

func (m *manifest) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for key, dst := range map[string]*string{"id": &m.ID, "name": &m.Name, "short_name": &m.ShortName, "description": &m.Description,
		"lang": &m.Lang, "dir": &m.Dir, "start_url": &m.StartURL, "scope": &m.Scope, "display": &m.Display,
		"theme_color": &m.ThemeColor, "background_color": &m.BackgroundColor} {
		if err := json.Unmarshal(raw[key], dst); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return json.Unmarshal(raw["icons"], &m.Icons)
}

func TestManifestPerLanguageWithPNGIcons(t *testing.T) {
	t.Parallel()
	// With the page cache: a kept answer keeps its content type.
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	for _, tc := range []struct{ lang, dir, description string }{
		{"en", "ltr", "Warnings about fake job offers"},
		{"ar", "rtl", "تحذيرات"},
		{"uk", "ltr", "Попередження"},
	} {
		page := e.Get(t, "/"+tc.lang+"/safety")
		mustContain(t, page.Body, `<link rel="manifest" href="/`+tc.lang+`/manifest.webmanifest">`)
		var r apptest.Response
		for range 2 {
			r = e.Get(t, "/"+tc.lang+"/manifest.webmanifest")
			wantStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != "application/manifest+json" {
				t.Errorf("%s: Content-Type %q", tc.lang, ct)
			}
		}
		var m manifest
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
			t.Fatalf("%s: manifest: %v: %s", tc.lang, err, r.Body)
		}
		home := "/" + tc.lang + "/"
		if m.Name != "Forewarn" || m.ShortName == "" || m.Lang != tc.lang || m.Dir != tc.dir || m.StartURL != home ||
			m.Scope != home || m.ID != home || m.Display != "standalone" || m.ThemeColor == "" || m.BackgroundColor == "" {
			t.Errorf("%s: manifest %+v", tc.lang, m)
		}
		wantStatus(t, e.Get(t, m.StartURL), http.StatusOK)
		if !strings.Contains(m.Description, tc.description) {
			t.Errorf("%s: description %q not localised", tc.lang, m.Description)
		}
		sizes := map[string]bool{}
		for _, icon := range m.Icons {
			img := e.Get(t, icon.Src)
			wantStatus(t, img, http.StatusOK)
			if img.Header.Get("Content-Type") != icon.Type {
				t.Errorf("%s: served as %q, manifest says %q", icon.Src, img.Header.Get("Content-Type"), icon.Type)
			}
			// An SVG icon in the manifest makes Chrome draw it on the
			// page's main thread after load: about 200 ms of blocking
			// time on a mid phone (Lighthouse, 3 runs each way).
			if icon.Type != "image/png" {
				t.Errorf("%s: manifest icon %s is %s, not PNG", tc.lang, icon.Src, icon.Type)
				continue
			}
			cfg, err := png.DecodeConfig(strings.NewReader(img.Body))
			if err != nil {
				t.Fatalf("%s: %v", icon.Src, err)
			}
			if got := fmt.Sprintf("%dx%d", cfg.Width, cfg.Height); got != icon.Sizes {
				t.Errorf("%s is %s, manifest says %s", icon.Src, got, icon.Sizes)
			}
			if len(img.Body) > 8<<10 {
				t.Errorf("%s weighs %d bytes", icon.Src, len(img.Body))
			}
			sizes[icon.Sizes+" "+icon.Purpose] = true
		}
		for _, want := range []string{"192x192 ", "512x512 ", "512x512 maskable"} {
			if !sizes[want] {
				t.Errorf("%s: no PNG icon %q in %v", tc.lang, want, sizes)
			}
		}
	}
}

func TestServiceWorkerIsServedFromTheRootAndAllowedByCSP(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/sw.js")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("sw.js: Content-Type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("sw.js: Cache-Control %q, want no-cache (a changed worker must reach phones at once)", cc)
	}
	if r.Header.Get("ETag") == "" {
		t.Error("sw.js: no ETag to revalidate against")
	}
	mustContain(t, r.Body, `addEventListener("fetch"`, `credentials: "omit"`)
	// The policy is exactly the strict one plus the site's own worker.
	want := "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
		"manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	for _, path := range []string{"/sw.js", "/en/safety", "/ar/offline"} {
		if got := e.Get(t, path).Header.Get("Content-Security-Policy"); got != want {
			t.Errorf("%s: CSP %q, want %q", path, got, want)
		}
	}
	safety := e.Get(t, "/en/safety")
	mustContain(t, safety.Body, `data-keep hidden`, `<script src="/static/offline.`, `" defer></script>`)
	mustNotContain(t, safety.Body, "/sw.js")
	// Readers who do not opt in load no worker: no other page names it.
	for _, path := range []string{"/en", "/en/warnings", "/en/check", "/en/offline"} {
		mustNotContain(t, e.Get(t, path).Body, "offline.", "sw.js")
	}
}

func TestAllJavaScriptFitsTheBudget(t *testing.T) {
	t.Parallel()
	var all bytes.Buffer
	err := fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, err := fs.ReadFile(static.FS, p)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := gzipSize(t, all.Bytes()); n > 5<<10 {
		t.Errorf("all JavaScript is %d bytes gzip, budget 5 KB", n)
	}
}

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func TestOfflinePageIsLocalisedAndListsWhatIsKept(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ro := e.Warning(t, apptest.Titled("Cleaning jobs in Romania"), apptest.OnRoute("NP", "RO"), apptest.TranslatedInto("ar", "uk"))
	pl := e.Warning(t, apptest.Titled("Driver job in Poland"), apptest.OnRoute("UA", "PL"))
	for _, tc := range []struct{ lang, dir, heading, title string }{
		{"en", "ltr", "No internet", "Cleaning jobs in Romania"},
		{"ar", "rtl", "لا يوجد إنترنت", "[ar] Cleaning jobs in Romania"},
		{"uk", "ltr", "Немає інтернету", "[uk] Cleaning jobs in Romania"},
	} {
		r := e.Get(t, "/"+tc.lang+"/offline?country=RO")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, fmt.Sprintf(`<html lang="%s" dir="%s">`, tc.lang, tc.dir), "<h1>"+tc.heading+"</h1>", tc.title,
			fmt.Sprintf(`href="/%s/warnings/%d"`, tc.lang, ro), `href="/`+tc.lang+`/safety"`, `href="/`+tc.lang+`/help/RO"`)
		mustNotContain(t, r.Body, "Driver job in Poland", fmt.Sprintf("/warnings/%d\"", pl))
		if r.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: the offline page set a cookie", tc.lang)
		}
		assertPageWeight(t, e, r)
	}
	all := e.Get(t, "/fr/offline")
	wantStatus(t, all, http.StatusOK)
	mustContain(t, all.Body, "Pas d&#39;internet", "Cleaning jobs in Romania", "Driver job in Poland")
	mustNotContain(t, all.Body, "/fr/help/")

	bad := e.Get(t, "/uk/offline?country=XX")
	wantStatus(t, bad, http.StatusBadRequest)
	mustContain(t, bad.Body, `lang="uk"`)
	wantStatus(t, e.Get(t, "/uk/offline/list?country=XX"), http.StatusBadRequest)
}

// assertPageWeight fails when a page and its stylesheet weigh more than
// 16 KB gzip together.
func assertPageWeight(t *testing.T, e *apptest.Env, page apptest.Response) {
	t.Helper()
	i := strings.Index(page.Body, `href="/static/app.`)
	if i < 0 {
		t.Fatal("no stylesheet in the page")
	}
	href := page.Body[i+6:]
	href = href[:strings.IndexByte(href, '"')]
	css := e.Get(t, href)
	if n := gzipSize(t, []byte(page.Body)) + gzipSize(t, []byte(css.Body)); n > 16<<10 {
		t.Errorf("%s: %d bytes of HTML and CSS gzip, budget 16 KB", page.Request.URL, n)
	}
}

func TestSafetyPageWithKeepControlsFitsTheBudget(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.OnRoute("NP", "RO"))
	for _, lang := range []string{"en", "ar", "uk", "fa"} {
		r := e.Get(t, "/"+lang+"/safety")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, `<select id="keep-country" name="country">`, `<option value="RO">`, `data-keep-forget hidden`, `action="/`+lang+`/offline"`)
		assertPageWeight(t, e, r)
	}
}

func TestOfflineListHoldsTheLatestFiftyPublishedWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	var ids []int64
	for i := 1; i <= 51; i++ {
		ids = append(ids, e.Warning(t, apptest.OnRoute("NP", "RO"), apptest.PublishedAgo(time.Duration(i)*time.Hour)))
	}
	retracted := e.Warning(t, apptest.OnRoute("NP", "RO"), apptest.Retracted("impersonated"), apptest.PublishedAgo(time.Minute))
	other := e.Warning(t, apptest.OnRoute("UA", "PL"), apptest.PublishedAgo(time.Minute))

	r := e.Get(t, "/ar/offline/list?country=ro")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Set-Cookie") != "" {
		t.Error("the list set a cookie")
	}
	var list struct{ URLs []string }
	if err := json.Unmarshal([]byte(r.Body), &list); err != nil {
		t.Fatalf("list: %v: %s", err, r.Body)
	}
	got := map[string]bool{}
	warnings := 0
	for _, u := range list.URLs {
		got[u] = true
		switch {
		case strings.HasPrefix(u, "/ar/warnings/"):
			warnings++
		case strings.HasPrefix(u, "/static/"):
			wantStatus(t, e.Get(t, u), http.StatusOK)
		case u == "/ar/offline?country=RO" || u == "/ar/safety" || u == "/ar/help/RO":
		default:
			t.Errorf("unexpected URL in the list: %q", u)
		}
	}
	if warnings != 50 {
		t.Errorf("%d warnings listed, want the latest 50", warnings)
	}
	for _, id := range ids[:50] {
		if !got[fmt.Sprintf("/ar/warnings/%d", id)] {
			t.Errorf("warning %d of the latest 50 is not listed", id)
		}
	}
	for name, id := range map[string]int64{"the 51st": ids[50], "retracted": retracted, "other country": other} {
		if got[fmt.Sprintf("/ar/warnings/%d", id)] {
			t.Errorf("%s warning %d is listed", name, id)
		}
	}
	for _, want := range []string{"/ar/offline?country=RO", "/ar/safety", "/ar/help/RO"} {
		if !got[want] {
			t.Errorf("%s is not listed", want)
		}
	}
	shell := 0
	for u := range got {
		if strings.HasPrefix(u, "/static/") {
			shell++
		}
	}
	if shell != 4 {
		t.Errorf("%d static files listed, want CSS, JS, offline JS and icon", shell)
	}
}
