package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/server"
)

// send sends method to path with header name/value pairs.
func send(t *testing.T, e *apptest.Env, method, path string, headers ...string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Do(t, req)
}

// wantProblemDoc checks that r is a problem document of the OpenAPI
// document's Problem schema with status.
func wantProblemDoc(t *testing.T, r apptest.Response, status int) v1.Problem {
	t.Helper()
	wantStatus(t, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s %s: Content-Type %q", r.Request.Method, r.Request.URL, ct)
	}
	var v any
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("%s: not JSON: %v", r.Request.URL, err)
	}
	if err := apptest.OpenAPI(t).Components.Schemas["Problem"].Value.VisitJSON(v); err != nil {
		t.Errorf("%s %s: problem does not match the schema: %v", r.Request.Method, r.Request.URL, err)
	}
	return decode[v1.Problem](t, r)
}

func TestAPINotModifiedCarriesValidators(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
			t.Parallel()
			e := apptest.New(t)
			if cached {
				e = cachedEnv(t)
			}
			id := e.Warning(t, apptest.TranslatedInto("uk"))
			for _, path := range []string{"/api/v1/warnings", fmt.Sprintf("/api/v1/warnings/%d", id), "/api/v1/openapi.json"} {
				first := e.Get(t, path)
				wantStatus(t, first, http.StatusOK)
				etag := first.Header.Get("ETag")
				if etag == "" {
					t.Fatalf("%s: no ETag", path)
				}
				for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
					r := e.Get(t, path, "If-None-Match", inm)
					wantStatus(t, r, http.StatusNotModified)
					if r.Body != "" || r.Header.Get("ETag") != etag {
						t.Errorf("%s If-None-Match %s: 304 with ETag %q and body %q, want ETag %s and no body", path, inm, r.Header.Get("ETag"), r.Body, etag)
					}
					for _, h := range []string{"Cache-Control", "Vary", "Last-Modified", "Content-Language"} {
						if r.Header.Get(h) != first.Header.Get(h) {
							t.Errorf("%s: 304 %s %q, the 200 said %q", path, h, r.Header.Get(h), first.Header.Get(h))
						}
					}
				}
				wantStatus(t, e.Get(t, path, "If-None-Match", `"something-else"`), http.StatusOK)
			}
		})
	}
}

func TestAPILastModifiedAndIfModifiedSince(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	path := fmt.Sprintf("/api/v1/warnings/%d", id)
	first := e.Get(t, path)
	lm := first.Header.Get("Last-Modified")
	modified, err := http.ParseTime(lm)
	if err != nil {
		t.Fatalf("Last-Modified %q: %v", lm, err)
	}
	r := e.Get(t, path, "If-Modified-Since", lm)
	wantStatus(t, r, http.StatusNotModified)
	if r.Header.Get("ETag") != first.Header.Get("ETag") || r.Header.Get("Last-Modified") != lm {
		t.Errorf("304 headers %v", r.Header)
	}
	wantStatus(t, e.Get(t, path, "If-Modified-Since", modified.Add(time.Hour).Format(http.TimeFormat)), http.StatusNotModified)
	wantStatus(t, e.Get(t, path, "If-Modified-Since", modified.Add(-time.Second).Format(http.TimeFormat)), http.StatusOK)
	wantStatus(t, e.Get(t, path, "If-Modified-Since", "yesterday"), http.StatusOK)
	// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
	wantStatus(t, e.Get(t, path, "If-None-Match", `"stale"`, "If-Modified-Since", lm), http.StatusOK)
	// A list has no modification time of its own: no Last-Modified, and
	// If-Modified-Since alone never makes a 304.
	list := e.Get(t, "/api/v1/warnings", "If-Modified-Since", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
	wantStatus(t, list, http.StatusOK)
	if list.Header.Get("Last-Modified") != "" {
		t.Errorf("list Last-Modified %q", list.Header.Get("Last-Modified"))
	}
	// Retracting the warning moves its Last-Modified.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted', retracted_at = ?, retraction_reason = 'mistake', updated_at = ? WHERE id = ?",
		modified.Add(time.Minute), modified.Add(time.Minute), id))
	wantStatus(t, e.Get(t, path, "If-Modified-Since", lm), http.StatusOK)
}

func TestHTMLNotModifiedCarriesETag(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	path := fmt.Sprintf("/en/warnings/%d", id)
	first := e.Get(t, path)
	wantStatus(t, first, http.StatusOK)
	r := e.Get(t, path, "If-None-Match", first.Header.Get("ETag"))
	wantStatus(t, r, http.StatusNotModified)
	if r.Header.Get("ETag") != first.Header.Get("ETag") || r.Header.Get("Cache-Control") != first.Header.Get("Cache-Control") {
		t.Errorf("HTML 304 headers %v, the 200 had ETag %q", r.Header, first.Header.Get("ETag"))
	}
}

func TestAPICORSPreflightAndExposedHeaders(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	pre := send(t, e, http.MethodOptions, "/api/v1/warnings", "Origin", "https://partner.example",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match, if-modified-since, authorization")
	if pre.StatusCode != http.StatusNoContent {
		t.Fatalf("preflight %d", pre.StatusCode)
	}
	allowed := strings.ToLower(pre.Header.Get("Access-Control-Allow-Headers"))
	for _, h := range []string{"if-none-match", "if-modified-since", "authorization", "content-type", "accept-language"} {
		if !strings.Contains(allowed, h) {
			t.Errorf("preflight allows %q, not %s", allowed, h)
		}
	}
	r := e.Get(t, "/api/v1/warnings", "Origin", "https://partner.example")
	exposed := strings.ToLower(r.Header.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"etag", "link", "retry-after", "last-modified", "content-language", "ratelimit", "ratelimit-policy", "x-ratelimit-remaining"} {
		if !regexp.MustCompile(`(^|,)\s*` + h + `\s*(,|$)`).MatchString(exposed) {
			t.Errorf("exposed headers %q lack %s", exposed, h)
		}
	}
	if r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("Allow-Origin %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
}

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

func TestAPIListsLinkTheNextPage(t *testing.T) {
	t.Parallel()
	e := cachedEnv(t)
	for i := 0; i < 25; i++ {
		e.Warning(t, apptest.OnRoute("UA", "PL"))
	}
	e.Warning(t, apptest.OnRoute("NP", "RO"))
	path := "/api/v1/warnings?country=UA&limit=10"
	seen := 0
	for pages := 1; ; pages++ {
		r := e.Get(t, path)
		again := e.Get(t, path) // from the cache: the same headers
		if again.Header.Get("Link") != r.Header.Get("Link") || again.Header.Get("Content-Language") != r.Header.Get("Content-Language") {
			t.Errorf("a cached page changed its headers: Link %q / %q", r.Header.Get("Link"), again.Header.Get("Link"))
		}
		list := decode[v1.WarningList](t, r)
		seen += len(list.Data)
		link := r.Header.Get("Link")
		if list.NextCursor == nil {
			if link != "" || pages != 3 {
				t.Errorf("last page %d has Link %q", pages, link)
			}
			break
		}
		m := nextLink.FindStringSubmatch(link)
		if m == nil {
			t.Fatalf("page %d: Link %q", pages, link)
		}
		u, err := url.Parse(m[1])
		if err != nil || !strings.HasPrefix(m[1], apptest.BaseURL+"/api/v1/warnings?") {
			t.Fatalf("next link %q", m[1])
		}
		q := u.Query()
		if q.Get("country") != "UA" || q.Get("limit") != "10" || q.Get("cursor") != *list.NextCursor {
			t.Errorf("next link %q does not keep the query or lacks the cursor", m[1])
		}
		path = u.RequestURI()
	}
	if seen != 25 {
		t.Errorf("followed links to %d warnings, want 25", seen)
	}
}

func TestAPIWrongMethodIs405WithAllow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	for _, tc := range []struct{ method, path, allow string }{
		{http.MethodDelete, "/api/v1/warnings", "GET, HEAD"},
		{http.MethodPost, "/api/v1/warnings", "GET, HEAD"},
		{http.MethodPut, fmt.Sprintf("/api/v1/warnings/%d", id), "GET, HEAD"},
		{http.MethodGet, "/api/v1/check", "POST"},
		{http.MethodPatch, "/api/v1/indicators/range/abcde", "GET, HEAD"},
		{http.MethodOptions, "/api/v1/openapi.json", "GET, HEAD"},
	} {
		r := send(t, e, tc.method, tc.path, "Accept-Language", "fr")
		p := wantProblemDoc(t, r, http.StatusMethodNotAllowed)
		if r.Header.Get("Allow") != tc.allow || p.Code != "method_not_allowed" || r.Header.Get("Content-Language") != "fr" {
			t.Errorf("%s %s: Allow %q, problem %+v, Content-Language %q; want Allow %q", tc.method, tc.path, r.Header.Get("Allow"), p, r.Header.Get("Content-Language"), tc.allow)
		}
	}
	for _, path := range []string{"/api/v1/nothing", "/api/v1/warnings/1/2", "/api/v2/warnings"} {
		r := send(t, e, http.MethodDelete, path)
		wantProblemDoc(t, r, http.StatusNotFound)
		if r.Header.Get("Allow") != "" {
			t.Errorf("%s: Allow %q on a 404", path, r.Header.Get("Allow"))
		}
	}
}

func TestNonCanonicalIDsAreNotFound(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	wantStatus(t, e.Get(t, fmt.Sprintf("/api/v1/warnings/%d", id)), http.StatusOK)
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/warnings/%d", id)), http.StatusOK)
	for _, s := range []string{"0" + fmt.Sprint(id), "+" + fmt.Sprint(id), fmt.Sprint(id) + ".0", fmt.Sprint(id) + "e0", "00" + fmt.Sprint(id)} {
		p := wantProblemDoc(t, e.Get(t, "/api/v1/warnings/"+s), http.StatusNotFound)
		if p.Code != "not_found" {
			t.Errorf("/api/v1/warnings/%s: %+v", s, p)
		}
		wantStatus(t, e.Get(t, "/en/warnings/"+s), http.StatusNotFound)
	}
	for _, s := range []string{"abc", "0", "-1", "99999999999999999999", "inf", "1.5"} {
		wantProblemDoc(t, e.Get(t, "/api/v1/warnings/"+s), http.StatusBadRequest)
	}
}

func TestAPIRateLimitAnnouncesItself(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	policy := regexp.MustCompile(`^"check";r=(\d+);t=(\d+)$`)
	var last apptest.Response
	for i := 0; i < 130; i++ {
		last = postJSON(t, e, "/api/v1/check", `{"text":"call +44 7700 900123"}`)
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
		wantStatus(t, last, http.StatusOK)
		if got := last.Header.Get("RateLimit-Policy"); got != `"check";q=120;w=60` {
			t.Fatalf("RateLimit-Policy %q", got)
		}
		m := policy.FindStringSubmatch(last.Header.Get("RateLimit"))
		if m == nil || m[1] != fmt.Sprint(119-i) {
			t.Fatalf("request %d: RateLimit %q, want r=%d", i+1, last.Header.Get("RateLimit"), 119-i)
		}
	}
	wantProblemDoc(t, last, http.StatusTooManyRequests)
	if last.Header.Get("Retry-After") == "" || !strings.HasPrefix(last.Header.Get("RateLimit"), `"check";r=0;t=`) || last.Header.Get("RateLimit-Policy") == "" {
		t.Errorf("429 headers: %v", last.Header)
	}
	// Bad input counts and says so too.
	bad := postJSON(t, e, "/api/v1/check", `{"text":1}`)
	if bad.Header.Get("RateLimit") == "" {
		t.Errorf("refused request without RateLimit: %v", bad.Header)
	}
}

func TestOpenAPIServersResolve(t *testing.T) {
	t.Parallel()
	type doc struct {
		Servers []struct {
			URL       string `json:"url"`
			XInternal *bool  `json:"x-internal"`
		} `json:"servers"`
	}
	https := decode[doc](t, apptest.New(t).Get(t, "/api/v1/openapi.json"))
	if len(https.Servers) != 2 || https.Servers[0].URL != apptest.BaseURL+"/api/v1" || https.Servers[1].URL != "/api/v1" || https.Servers[0].XInternal == nil {
		t.Errorf("https server: servers %+v, want the absolute URL, then the relative one", https.Servers)
	}
	plain := apptest.New(t, server.Options{BaseURL: "http://localhost:8080", QuickExitURL: "https://neutral.test/"})
	http1 := decode[doc](t, plain.Get(t, "/api/v1/openapi.json"))
	if len(http1.Servers) != 1 || http1.Servers[0].URL != "/api/v1" {
		t.Errorf("http server: servers %+v, want only the relative URL", http1.Servers)
	}
}

// BenchmarkAPIListCachedAllLanguages serves a cached list page with every
// translation and the reader's language from Accept-Language.
func BenchmarkAPIListCachedAllLanguages(b *testing.B) {
	e := benchEnv(b, time.Minute)
	h := e.App.Handler()
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/warnings?lang=*")
		ctx.Request.Header.Set("Accept-Language", "uk-UA,uk;q=0.9,en;q=0.5")
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

// BenchmarkAPINotModified revalidates a cached list page with its ETag.
func BenchmarkAPINotModified(b *testing.B) {
	e := benchEnv(b, time.Minute)
	h := e.App.Handler()
	var first fasthttp.RequestCtx
	first.Request.SetRequestURI("/api/v1/warnings")
	h(&first)
	etag := string(first.Response.Header.Peek("ETag"))
	for b.Loop() {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI("/api/v1/warnings")
		ctx.Request.Header.Set("If-None-Match", etag)
		h(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusNotModified {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}
