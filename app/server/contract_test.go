package server_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"

	"forewarn/app/apptest"
)

// Every answer under /api/v1/ that apptest's Env.Do returns is checked
// against the OpenAPI document (apptest.CheckAPIResponse); this test
// proves that the check refuses what the document does not allow.
func TestAPIContractCheckRefusesMismatches(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Driver job"))
	r := e.Get(t, "/api/v1/warnings?lang=en")
	wantStatus(t, r, http.StatusOK)
	if err := apptest.CheckAPIResponse(http.MethodGet, "/api/v1/warnings?lang=en", r.StatusCode, r.Header, []byte(r.Body)); err != nil {
		t.Fatalf("a real answer does not match: %v", err)
	}
	json := http.Header{"Content-Type": {"application/json"}}
	problem := http.Header{"Content-Type": {"application/problem+json"}}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"data":"not a list"}`))
	zw.Close()
	for _, c := range []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		ok                 bool
	}{
		{"a list of the wrong type", "GET", "/api/v1/warnings", 200, json, `{"data":"not a list"}`, false},
		{"the same, gzip'd", "GET", "/api/v1/warnings", 200, http.Header{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}, zipped.String(), false},
		{"a warning without its fields", "GET", "/api/v1/warnings/1", 200, json, `{"id":1}`, false},
		{"HTML where JSON is promised", "GET", "/api/v1/warnings/1", 200, http.Header{"Content-Type": {"text/html"}}, `<p>hi</p>`, false},
		{"an undocumented route that answers", "GET", "/api/v1/secrets", 200, json, `{}`, false},
		{"an undocumented method that answers", "DELETE", "/api/v1/warnings/1", 204, http.Header{}, ``, false},
		{"an unknown route refused as such", "GET", "/api/v1/secrets", 404, problem, `{"type":"about:blank","title":"Not Found","status":404}`, true},
		{"an unknown method refused as such", "DELETE", "/api/v1/warnings/1", 405, problem, `{"type":"about:blank","title":"Method Not Allowed","status":405}`, true},
		{"a page outside the API", "GET", "/en/warnings", 200, http.Header{"Content-Type": {"text/html"}}, `<p>hi</p>`, true},
		{"a 304 without a body", "GET", "/api/v1/warnings/1", 304, http.Header{"Etag": {`"x"`}}, ``, true},
	} {
		err := apptest.CheckAPIResponse(c.method, c.path, c.status, c.header, []byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s: %s %s (%d): check says %v, want ok=%v", c.name, c.method, c.path, c.status, err, c.ok)
		}
	}
}

// BenchmarkAPIContractCheck measures what the check adds to each API
// answer in the suite: a page of 20 warnings.
func BenchmarkAPIContractCheck(b *testing.B) {
	e := apptest.New(b)
	for range 20 {
		e.Warning(b, apptest.Titled("Driver job"), apptest.TranslatedInto("uk"))
	}
	r := e.Get(b, "/api/v1/warnings?lang=en,uk")
	if r.StatusCode != http.StatusOK {
		b.Fatalf("status %d", r.StatusCode)
	}
	body := []byte(r.Body)
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for b.Loop() {
		if err := apptest.CheckAPIResponse(http.MethodGet, "/api/v1/warnings?lang=en,uk", r.StatusCode, r.Header, body); err != nil {
			b.Fatal(err)
		}
	}
}
