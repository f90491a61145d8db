package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

// apiRequest is one request to an operation of the API document, with
// the status it must get.
type apiRequest struct {
	method, path, body string
	status             int
	// limit is the per-visitor limit that counts it without a key ("" for
	// none: a cached public read).
	limit string
}

// everyAPIAnswer lists a success and the 4xx answers of each operation.
func everyAPIAnswer(id int64) []apiRequest {
	return []apiRequest{
		{method: "GET", path: "/api/v1/openapi.json", status: 200},
		{method: "GET", path: "/api/v1/warnings", status: 200},
		{method: "GET", path: "/api/v1/warnings?limit=0", status: 400},
		{method: "GET", path: fmt.Sprintf("/api/v1/warnings/%d", id), status: 200},
		{method: "GET", path: "/api/v1/warnings/999999", status: 404},
		{method: "GET", path: "/api/v1/changes", status: 200},
		{method: "GET", path: "/api/v1/changes?since=forged", status: 400},
		{method: "POST", path: "/api/v1/check", body: `{"text":"call +40 712 345 678"}`, status: 200, limit: "check"},
		{method: "POST", path: "/api/v1/check", body: `{"text":1}`, status: 400, limit: "check"},
		{method: "GET", path: "/api/v1/indicators/range/abcde", status: 200, limit: "range"},
		{method: "GET", path: "/api/v1/indicators/range/zz", status: 400, limit: "range"},
		{method: "GET", path: "/api/v1/indicators/prefixes", status: 200},
		{method: "GET", path: "/api/v1/indicators/prefixes?since=forged", status: 400},
		{method: "GET", path: "/api/v1/indicators/test-vectors", status: 200},
		{method: "GET", path: "/api/v1/export/warnings.jsonl", status: 200},
		{method: "GET", path: "/api/v1/export/warnings.csv", status: 200},
		{method: "GET", path: "/api/v1/export/stix.json", status: 200},
	}
}

func (a apiRequest) send(t *testing.T, e *apptest.Env, headers ...string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(a.method, a.path, strings.NewReader(a.body))
	if a.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	r := e.Do(t, req)
	if r.StatusCode != a.status {
		t.Fatalf("%s %s %v: %d, want %d: %.300s", a.method, a.path, headers, r.StatusCode, a.status, r.Body)
	}
	return r
}

// TestAPIAnswersCarryTheHeadersTheDocumentNames holds the document's
// header claims to what the server sends (the contract check validates
// their values on every answer): Access-Control-Allow-Origin `*` on every
// answer to a request with an Origin, 304 and 401 included, and none
// without; RateLimit and RateLimit-Policy of the key on every answer to a
// keyed request (4xx included), of the per-visitor limit on the limited
// operations without a key, and none on anonymous cached reads nor on a
// 401 (the key is refused before any limit counts).
func TestAPIAnswersCarryTheHeadersTheDocumentNames(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	key := issueKey(t, e, newOrganisation(t, e, "Helpline Moldova"), "read", "1000")
	submitOnly := issueKey(t, e, newOrganisation(t, e, "La Strada"), "submit", "")
	origin := []string{"Origin", "https://partner.example"}
	keyPolicy := regexp.MustCompile(`^"key";q=1000;w=60$`)
	keyLeft := regexp.MustCompile(`^"key";r=\d+;t=\d+$`)
	for _, a := range everyAPIAnswer(id) {
		anon := a.send(t, e)
		if got := anon.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s %s without Origin: Access-Control-Allow-Origin %q", a.method, a.path, got)
		}
		policy := anon.Header.Get("RateLimit-Policy")
		switch {
		case a.limit == "" && (policy != "" || anon.Header.Get("RateLimit") != ""):
			t.Errorf("%s %s anonymous: a limit announced on an unlimited read: %q", a.method, a.path, policy)
		case a.limit != "" && (!strings.HasPrefix(policy, `"`+a.limit+`";q=120;w=60`) || anon.Header.Get("RateLimit") == ""):
			t.Errorf("%s %s anonymous: RateLimit-Policy %q RateLimit %q", a.method, a.path, policy, anon.Header.Get("RateLimit"))
		}
		fromSite := a.send(t, e, origin...)
		if got := fromSite.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s %s with Origin: Access-Control-Allow-Origin %q, want *", a.method, a.path, got)
		}
		keyed := a.send(t, e, append(bearer(key.Key), origin...)...)
		if p, r := keyed.Header.Get("RateLimit-Policy"), keyed.Header.Get("RateLimit"); !keyPolicy.MatchString(p) || !keyLeft.MatchString(r) {
			t.Errorf("%s %s keyed (%d): RateLimit-Policy %q RateLimit %q, want the key's", a.method, a.path, keyed.StatusCode, p, r)
		}
		if etag := fromSite.Header.Get("ETag"); a.method == "GET" && a.status == 200 && etag != "" {
			for _, h := range [][]string{origin, append(bearer(key.Key), origin...)} {
				nm := apiRequest{method: a.method, path: a.path, status: 304}.send(t, e, append(h, "If-None-Match", etag)...)
				if nm.Header.Get("Access-Control-Allow-Origin") != "*" {
					t.Errorf("%s %s 304 %v: no Access-Control-Allow-Origin", a.method, a.path, h)
				}
				if limited := len(h) > 2 || a.limit != ""; limited != (nm.Header.Get("RateLimit") != "") {
					t.Errorf("%s %s 304 %v: RateLimit %q", a.method, a.path, h, nm.Header.Get("RateLimit"))
				}
			}
		}
		if a.path == "/api/v1/openapi.json" {
			continue // not in the contract: the document itself
		}
		refused := apiRequest{method: a.method, path: a.path, body: a.body, status: 401}.send(t, e, append(bearer("fw_forged"), origin...)...)
		if refused.Header.Get("Access-Control-Allow-Origin") != "*" || refused.Header.Get("RateLimit") != "" || refused.Header.Get("RateLimit-Policy") != "" {
			t.Errorf("%s %s 401: Access-Control-Allow-Origin %q RateLimit %q", a.method, a.path, refused.Header.Get("Access-Control-Allow-Origin"), refused.Header.Get("RateLimit"))
		}
	}
	// A 403 after the key's limit counted (POST /check needs read), and a
	// GET refused by the scope check before it.
	post := apiRequest{method: "POST", path: "/api/v1/check", body: `{"text":"x"}`, status: 403}.send(t, e, append(bearer(submitOnly.Key), origin...)...)
	if post.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.HasPrefix(post.Header.Get("RateLimit-Policy"), `"key";`) {
		t.Errorf("403 of POST /check: %v", post.Header)
	}
	get := apiRequest{method: "GET", path: "/api/v1/warnings", status: 403}.send(t, e, append(bearer(submitOnly.Key), origin...)...)
	if get.Header.Get("Access-Control-Allow-Origin") != "*" || get.Header.Get("RateLimit") != "" {
		t.Errorf("403 of GET: %v", get.Header)
	}
}
