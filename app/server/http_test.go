package server_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/server"
)

func TestSecurityHeadersAndNoInlineScript(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	inlineScript := regexp.MustCompile(`<script(\s[^>]*)?>\s*[^<\s]`)
	inlineStyle := regexp.MustCompile(`<style|\sstyle="|\son[a-z]+="`)
	thirdParty := regexp.MustCompile(`(src|href)="(https?:)?//`)
	for _, path := range []string{"/en", "/ar/warnings", fmt.Sprintf("/fa/warnings/%d", id), "/en/safety", "/en/nope"} {
		r := e.Get(t, path)
		csp := r.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", path)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: missing helmet headers: %v", path, r.Header)
		}
		if r.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: a visitor got a cookie", path)
		}
		if inlineScript.MatchString(r.Body) || inlineStyle.MatchString(r.Body) {
			t.Errorf("%s: inline script or style", path)
		}
		for _, m := range thirdParty.FindAllString(r.Body, -1) {
			// The quick exit is a link away, never a request the page makes.
			if !strings.Contains(m, "href=") {
				t.Errorf("%s: third-party resource %s", path, m)
			}
		}
	}
}

func TestStaticAssetsAreHashedAndImmutable(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	page := e.Get(t, "/en")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(page.Body)
	js := regexp.MustCompile(`src="(/static/app\.[0-9a-f]{10}\.js)"`).FindStringSubmatch(page.Body)
	if css == nil || js == nil {
		t.Fatalf("no hashed asset URLs in the page")
	}
	for _, path := range []string{css[1], js[1]} {
		r := e.Get(t, path, "Accept-Encoding", "gzip")
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		if r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not compressed", path)
		}
	}
	wantStatus(t, e.Get(t, "/static/app.0000000000.css"), http.StatusNotFound)
	wantStatus(t, e.Get(t, "/static/app.css"), http.StatusNotFound)
}

func TestBadRequestsGetLocalisedErrors(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	long := e.Get(t, "/fr/warnings?country="+strings.Repeat("A", 2000))
	wantStatus(t, long, http.StatusBadRequest)
	mustContain(t, long.Body, `<html lang="fr"`)
	mustNotContain(t, long.Body, "The address is too long.")

	apiLong := e.Get(t, "/api/v1/warnings?cursor="+strings.Repeat("A", 2000))
	wantStatus(t, apiLong, http.StatusBadRequest)
	if apiLong.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("long API query: %s", apiLong.Header.Get("Content-Type"))
	}

	req, _ := http.NewRequest(http.MethodGet, "/en/warnings", nil)
	req.URL.RawQuery = "country=%ff%fe"
	broken := e.Do(t, req)
	wantStatus(t, broken, http.StatusBadRequest)
	mustContain(t, broken.Body, "not valid UTF-8")

	post := e.Do(t, mustRequest(t, http.MethodPost, "/en/warnings"))
	if post.StatusCode < 400 || post.StatusCode >= 500 {
		t.Errorf("POST to a page: status %d", post.StatusCode)
	}
	if strings.Contains(e.Log.String(), "level=ERROR") {
		t.Errorf("bad requests were logged as errors:\n%s", e.Log.String())
	}
}

func mustRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestPageCacheServesAgainAndSeesNewWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	id := e.Warning(t, apptest.Titled("First warning"))
	first := e.Get(t, "/en/warnings")
	wantStatus(t, first, http.StatusOK)
	noCacheTell(t, first)
	// A title changed behind the cache's back tells a hit from a miss.
	changeBehindTheCache(t, e, "UPDATE warning_translations SET title = ? WHERE warning_id = ?", "Changed behind the cache", id)
	again := e.Get(t, "/en/warnings")
	noCacheTell(t, again)
	if again.Body != first.Body {
		t.Error("the second request was not served from the cache")
	}
	if again.Header.Get("Content-Language") != "en" || again.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("a cached page lost its headers: %v", again.Header)
	}
	gz := e.Get(t, "/en/warnings", "Accept-Encoding", "gzip")
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip request got %q", gz.Header.Get("Content-Encoding"))
	}
	e.Warning(t, apptest.Titled("Second warning"))
	after := e.Get(t, "/en/warnings")
	mustContain(t, after.Body, "Changed behind the cache", "Second warning")
	// Errors are never cached.
	wantStatus(t, e.Get(t, "/en/warnings?page=9"), http.StatusNotFound)
	r := e.Get(t, "/en/warnings?page=9")
	wantStatus(t, r, http.StatusNotFound)
	noCacheTell(t, r)
}

func TestHTMLRevalidatesWithETag(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	r := e.Get(t, "/en/warnings")
	if r.Header.Get("Cache-Control") != "no-cache" || r.Header.Get("ETag") == "" {
		t.Fatalf("headers: %v", r.Header)
	}
	wantStatus(t, e.Get(t, "/en/warnings", "If-None-Match", r.Header.Get("ETag")), http.StatusNotModified)
}

// TestAPIAnswersRevalidate: partner apps and proxies may keep an API answer
// but must revalidate it (a 304 when unchanged), so that a hidden report
// stops matching at once there too, not after a cached minute.
func TestAPIAnswersRevalidate(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	for _, path := range []string{"/api/v1/warnings", "/api/v1/indicators/range/00000"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); cc != "public, no-cache" || r.Header.Get("ETag") == "" {
			t.Fatalf("%s: Cache-Control %q, ETag %q", path, cc, r.Header.Get("ETag"))
		}
		wantStatus(t, e.Get(t, path, "If-None-Match", r.Header.Get("ETag")), http.StatusNotModified)
	}
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestAtomFeedPerLanguageAndCountry(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Driver job"), apptest.OnRoute("UA", "PL"), apptest.TranslatedInto("uk"))
	e.Warning(t, apptest.Titled("Farm work"), apptest.OnRoute("MA", "ES"))
	e.Warning(t, apptest.Titled("Retracted"), apptest.Retracted("wrong"))

	r := e.Get(t, "/uk/warnings.atom")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type %q", ct)
	}
	var feed atomFeed
	if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil {
		t.Fatalf("feed does not parse as Atom: %v\n%s", err, r.Body)
	}
	if feed.Lang != "uk" || len(feed.Entries) != 2 || feed.ID == "" {
		t.Fatalf("feed: lang %q, %d entries", feed.Lang, len(feed.Entries))
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("updated %q: %v", feed.Updated, err)
	}
	var titles []string
	for _, en := range feed.Entries {
		titles = append(titles, en.Title)
		if !strings.HasPrefix(en.Link.Href, apptest.BaseURL+"/uk/warnings/") {
			t.Errorf("entry link %q", en.Link.Href)
		}
	}
	if !strings.Contains(strings.Join(titles, "|"), "[uk] Driver job") {
		t.Errorf("titles %v lack the Ukrainian translation", titles)
	}

	var es atomFeed
	r = e.Get(t, "/en/warnings.atom?country=es")
	wantStatus(t, r, http.StatusOK)
	if err := xml.Unmarshal([]byte(r.Body), &es); err != nil {
		t.Fatal(err)
	}
	if len(es.Entries) != 1 || !strings.Contains(es.Entries[0].Title, "Farm work") || !strings.Contains(es.Title, "Spain") {
		t.Errorf("country feed: %q with %d entries", es.Title, len(es.Entries))
	}
	wantStatus(t, e.Get(t, "/en/warnings.atom?country=nowhere"), http.StatusBadRequest)
}
