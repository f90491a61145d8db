package server_test

import (
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestRequestIDsAreRandom: request IDs are 128 random bits, never a counter
// that would tell the site's traffic, in the header and in the log alike.
func TestRequestIDsAreRandom(t *testing.T) {
	e := apptest.New(t)
	var ids []string
	for range 3 {
		r := e.Get(t, "/en/warnings")
		wantStatus(t, r, http.StatusOK)
		ids = append(ids, r.Header.Get("X-Request-ID"))
	}
	for i, id := range ids {
		if !requestIDPattern.MatchString(id) {
			t.Fatalf("request ID %q is not 32 lowercase hex digits", id)
		}
		if i == 0 {
			continue
		}
		prev, _ := new(big.Int).SetString(ids[i-1], 16)
		cur, _ := new(big.Int).SetString(id, 16)
		diff := new(big.Int).Sub(cur, prev)
		if diff.CmpAbs(big.NewInt(1<<32)) < 0 {
			t.Errorf("request IDs %s and %s are close: a counter", ids[i-1], id)
		}
		if id[:16] == ids[i-1][:16] || id[16:] == ids[i-1][16:] {
			t.Errorf("request IDs %s and %s share a half", ids[i-1], id)
		}
	}

	// A client cannot choose its ID.
	if id := e.Get(t, "/en/warnings", "X-Request-ID", ids[0]).Header.Get("X-Request-ID"); id == ids[0] || !requestIDPattern.MatchString(id) {
		t.Errorf("a client-sent request ID was kept: %q", id)
	}

	// The ID of a failed request is the one in the log and in the answer.
	// (A warning's own answer reads the database; a list may come from
	// what is kept for the current content version.)
	e.DB.Close()
	r := e.Get(t, "/api/v1/warnings/1")
	if r.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d with the database closed", r.StatusCode)
	}
	var p struct {
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatalf("problem: %v\n%s", err, r.Body)
	}
	if !requestIDPattern.MatchString(p.RequestID) || p.RequestID != r.Header.Get("X-Request-ID") {
		t.Fatalf("problem request_id %q, header %q", p.RequestID, r.Header.Get("X-Request-ID"))
	}
	if !strings.Contains(e.Log.String(), "request_id="+p.RequestID) {
		t.Errorf("log does not name request %s:\n%s", p.RequestID, e.Log.String())
	}
	for _, id := range ids {
		if id == p.RequestID {
			t.Errorf("request ID %s was given twice", id)
		}
	}
}

// TestTheLogNeverHoldsWhatAReaderTyped logs every query as slow and runs,
// through HTTP, a check, a filtered list, a user search, a registration, a
// login and a report: no value typed reaches the log, hashed or not.
func TestTheLogNeverHoldsWhatAReaderTyped(t *testing.T) {
	e := apptest.NewLoggingQueries(t, 0)
	const (
		phone    = "+44 7700 900456"
		e164     = "+447700900456"
		email    = "recruiter.kowalska@jobs-mail.example"
		password = "violet-anchor-7319-quill"
		search   = "zuzannaxq"
		report   = "Szczecin warehouse shifts arranged by Quillbrook Staffing"
	)
	e.Warning(t, apptest.Titled("Fake warehouse jobs"), apptest.OnRoute("GB", "PL"), apptest.WithIndicators(
		service.RawIndicator{Kind: model.IndicatorPhone, Value: phone},
		service.RawIndicator{Kind: model.IndicatorEmail, Value: email},
	))

	guest := e.NewClient()
	guest.Get(t, "/en/check")
	r := guest.Post(t, "/en/check", url.Values{"text": {"Call Marta on " + phone + " or write to " + email + " for the job."}, "country": {"PL"}})
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, "Fake warehouse jobs")
	api := e.Get(t, "/api/v1/indicators/range/"+service.Hash("447700900456")[:5])
	wantStatus(t, api, http.StatusOK)

	wantStatus(t, e.Get(t, "/en/warnings?country=pl&category=fake-job-offer&severity=danger&page=1"), http.StatusOK)
	admin, _ := e.Member(t, "admin1", model.RoleAdmin, nil, nil)
	wantStatus(t, admin.Get(t, "/en/admin/users?q="+search), http.StatusOK)

	member := e.NewClient()
	member.Register(t, "quillbrook_reader", password)
	again := e.NewClient()
	if r := again.Login(t, "quillbrook_reader", password); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", r.StatusCode)
	}
	form := reportForm("Warehouse shifts in Szczecin")
	form.Set("body", report+". They asked for a fee of 900 euros and kept the passports.")
	if id, r := postReport(t, again, form); id == 0 {
		t.Fatalf("report: status %d\n%.500s", r.StatusCode, r.Body)
	}

	log := e.Log.String()
	if n := strings.Count(log, `msg="slow query"`); n < 20 {
		t.Fatalf("only %d slow-query lines with the threshold at zero:\n%.3000s", n, log)
	}
	if !strings.Contains(log, "duration_ms=") || !strings.Contains(log, "rows=") || !strings.Contains(log, "SELECT") {
		t.Errorf("slow-query lines lack their duration, rows or SQL:\n%.2000s", log)
	}
	for _, secret := range []string{
		phone, e164, "447700900456", "7700900456", "900456",
		service.Hash("447700900456"), service.Hash(e164), service.Hash(email),
		email, "kowalska", password, search, report, "Quillbrook", "Szczecin",
	} {
		if strings.Contains(strings.ToLower(log), strings.ToLower(secret)) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

func cachedEnv(t *testing.T) *apptest.Env {
	t.Helper()
	return apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
}

// decoded returns r's body decoded by its Content-Encoding, failing t when
// the encoding is one the request did not accept or the body does not decode.
func decoded(t *testing.T, r apptest.Response, accepted ...string) string {
	t.Helper()
	ce := r.Header.Get("Content-Encoding")
	if ce != "" && !slices.Contains(accepted, ce) {
		t.Fatalf("Content-Encoding %q, but the client accepted only %q", ce, accepted)
	}
	var rd io.Reader
	var err error
	switch ce {
	case "":
		return r.Body
	case "gzip":
		rd, err = gzip.NewReader(strings.NewReader(r.Body))
	case "deflate":
		rd, err = zlib.NewReader(strings.NewReader(r.Body))
	case "br":
		rd = brotli.NewReader(strings.NewReader(r.Body))
	default:
		t.Fatalf("unknown Content-Encoding %q", ce)
	}
	if err != nil {
		t.Fatalf("%s body does not decode: %v", ce, err)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatalf("%s body does not decode: %v", ce, err)
	}
	return string(b)
}

// noCacheTell fails t if r shows whether it came from the cache.
func noCacheTell(t *testing.T, r apptest.Response) {
	t.Helper()
	for _, h := range []string{"X-Cache", "Age", "X-Cache-Status", "X-Cache-Hits", "Cf-Cache-Status"} {
		if v := r.Header.Get(h); v != "" {
			t.Errorf("response carries %s: %q", h, v)
		}
	}
}

// TestPageCacheKeyFollowsTheNegotiatedEncoding: a client that refuses gzip
// must not fill the cache with a body that a gzip-only client then gets,
// on pages and API answers alike; and no answer tells a hit from a miss.
func TestPageCacheKeyFollowsTheNegotiatedEncoding(t *testing.T) {
	for _, path := range []string{"/en/warnings", "/api/v1/warnings"} {
		t.Run(strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
			e := cachedEnv(t)
			id := e.Warning(t, apptest.Titled("Cached driver jobs"))
			first := e.Get(t, path, "Accept-Encoding", "deflate, gzip;q=0")
			wantStatus(t, first, http.StatusOK)
			noCacheTell(t, first)
			if ce := first.Header.Get("Content-Encoding"); ce != "deflate" {
				t.Errorf("deflate, gzip;q=0 got Content-Encoding %q", ce)
			}
			mustContain(t, decoded(t, first, "deflate"), "Cached driver jobs")

			// A title changed behind the cache's back shows which answers
			// come from the cache.
			changeBehindTheCache(t, e, "UPDATE warning_translations SET title = ? WHERE warning_id = ?", "Changed behind the cache", id)
			gz := e.Get(t, path, "Accept-Encoding", "gzip")
			wantStatus(t, gz, http.StatusOK)
			noCacheTell(t, gz)
			mustContain(t, decoded(t, gz, "gzip"), "Changed behind the cache")
			again := e.Get(t, path, "Accept-Encoding", "deflate, gzip;q=0")
			noCacheTell(t, again)
			mustContain(t, decoded(t, again, "deflate"), "Cached driver jobs")
			if again.Body != first.Body {
				t.Error("the second deflate request was not served from the cache")
			}
			gzAgain := e.Get(t, path, "Accept-Encoding", "gzip")
			noCacheTell(t, gzAgain)
			mustContain(t, decoded(t, gzAgain, "gzip"), "Changed behind the cache")
			if !sameHeaderNames(first, again) || !sameHeaderNames(gz, gzAgain) {
				t.Errorf("a cached answer's headers differ from the first:\n%v\n%v", first.Header, again.Header)
			}

			for _, tc := range []struct {
				accept string
				want   []string // encodings the client accepts
				got    string   // what we choose
			}{
				{"gzip;q=0", nil, ""},
				{"br", []string{"br"}, "br"},
				{"*;q=0", nil, ""},
				{"identity", nil, ""},
				{"", nil, ""},
				{"gzip;q=0.5, identity", nil, ""},
				{"br;q=0, gzip;q=0.8, deflate;q=0.9", []string{"gzip", "deflate"}, "deflate"},
				{"*, br;q=0", []string{"gzip", "deflate"}, "gzip"},
				{"GZIP", []string{"gzip"}, "gzip"},
			} {
				for range 2 { // the miss, then the hit
					r := e.Get(t, path, "Accept-Encoding", tc.accept)
					wantStatus(t, r, http.StatusOK)
					noCacheTell(t, r)
					if ce := r.Header.Get("Content-Encoding"); ce != tc.got {
						t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, ce, tc.got)
					}
					// The deflate answer was cached before the change.
					title := "Changed behind the cache"
					if tc.got == "deflate" {
						title = "Cached driver jobs"
					}
					if body := decoded(t, r, tc.want...); !strings.Contains(body, title) {
						t.Errorf("Accept-Encoding %q: body lacks the current title", tc.accept)
					}
				}
			}
		})
	}
}

func sameHeaderNames(a, b apptest.Response) bool {
	names := func(r apptest.Response) []string {
		var out []string
		for k := range r.Header {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(names(a), names(b))
}
