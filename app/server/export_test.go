package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/seed"
	"forewarn/app/service"
)

func init() {
	// JSON Lines is read as text by the contract; each line is checked
	// against ExportWarning by TestExportJSONL.
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
}

// exportEnv is the demo content with what an export must leave out: a
// draft and a warning in review with indicators of their own, a pending
// revision of a published warning, and a published warning whose texts
// start like spreadsheet formulas.
type exportEnv struct {
	*apptest.Env
	public   int64 // warnings the exports must show
	texts    int64 // their translations
	formulas int64 // the ID of the warning written like formulas
}

func newExportEnv(t *testing.T) exportEnv {
	t.Helper()
	e := apptest.New(t)
	if _, err := seed.Demo(context.Background(), e.Services.Importer, apptest.Now); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	for _, status := range []string{"draft", "in_review"} {
		id := e.Warning(t, apptest.Titled("SECRET-"+status),
			apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorLink, Value: "https://secret-" + strings.ReplaceAll(status, "_", "-") + ".example/hidden"}))
		apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = ? WHERE id = ?", status, id))
	}
	published := e.Warning(t, apptest.Titled("Published with a pending change"))
	apptest.Must(t, e.DB.Gorm.Create(&model.WarningRevision{WarningID: published, Status: model.RevisionPending, Contributors: "[]",
		State: `{"texts":[{"lang":"en","title":"SECRET-REVISION"}]}`, CreatedAt: apptest.Now}))
	formulas := e.Warning(t, apptest.Titled("=HYPERLINK(\"http://evil.example\",\"click\")"), apptest.TranslatedInto("fr"),
		func(w *service.ImportedWarning) {
			w.Texts[0].Summary, w.Texts[0].WhatToDo, w.Texts[0].Body = "+cmd|' /C calc'!A0", "-2+3 is what they ask you to pay, do not.", "@SUM(1+1)"
		})
	x := exportEnv{Env: e, formulas: formulas}
	x.public = e.Count(t, "warnings", "status IN ('published', 'expired', 'retracted')")
	x.texts = e.Count(t, "warning_translations", "warning_id IN (SELECT id FROM warnings WHERE status IN ('published', 'expired', 'retracted'))")
	if n := e.Count(t, "warnings", "status = 'retracted'"); n < 1 {
		t.Fatalf("the demo has %d retracted warnings, want one at least", n)
	}
	return x
}

// noSecrets fails when an export shows what is not public.
func noSecrets(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range []string{"SECRET-", "secret-draft", "secret-in-review", "password", "pseudonym", "author_id", "approver_id"} {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}

func TestExportJSONL(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	r := e.Env.Get(t, "/api/v1/export/warnings.jsonl")
	wantStatus(t, r, http.StatusOK)
	schema := apptest.OpenAPI(t).Components.Schemas["ExportWarning"].Value
	if ct := r.Header.Get("Content-Type"); ct != "application/x-ndjson; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	noSecrets(t, "JSONL", r.Body)
	var ids []int64
	retracted, texts := 0, 0
	sc := bufio.NewScanner(strings.NewReader(r.Body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var w v1.ExportWarning
		if err := dec.Decode(&w); err != nil {
			t.Fatalf("line %d: %v: %.200s", len(ids)+1, err, sc.Text())
		}
		var doc any
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if err := schema.VisitJSON(doc); err != nil {
			t.Errorf("line %d does not match ExportWarning: %v", len(ids)+1, err)
		}
		ids = append(ids, w.ID)
		texts += len(w.Translations)
		switch w.Status {
		case "retracted":
			retracted++
			if w.RetractionReason == "" || w.RetractedAt == nil {
				t.Errorf("retracted warning %d without its reason or time", w.ID)
			}
		case "published", "expired":
			if w.RetractionReason != "" {
				t.Errorf("warning %d (%s) shows a retraction reason", w.ID, w.Status)
			}
		default:
			t.Errorf("warning %d has status %q", w.ID, w.Status)
		}
		if len(w.Translations) == 0 || len(w.Countries) == 0 {
			t.Errorf("warning %d: %d translations, %d countries", w.ID, len(w.Translations), len(w.Countries))
		}
		for _, ind := range w.Indicators {
			if len(ind.SHA256) != 64 || ind.Normalized == "" {
				t.Errorf("warning %d: indicator %+v", w.ID, ind)
			}
		}
		if w.ID == e.formulas && !strings.HasPrefix(w.Translations[0].Title, "=HYPERLINK") {
			t.Errorf("JSONL changed a title: %q", w.Translations[0].Title)
		}
	}
	if int64(len(ids)) != e.public || int64(texts) != e.texts || retracted < 1 {
		t.Errorf("%d warnings with %d texts (%d retracted), want %d with %d", len(ids), texts, retracted, e.public, e.texts)
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("IDs not in order or repeated: %v", ids)
	}
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	r := e.Env.Get(t, "/api/v1/export/warnings.csv")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv; charset=utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	noSecrets(t, "CSV", r.Body)
	if !strings.Contains(r.Body, "\r\n") {
		t.Error("rows do not end with CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v", err)
	}
	if len(rows) < 1 || rows[0][0] != "warning_id" || rows[0][len(rows[0])-1] != "body" {
		t.Fatalf("header %v", rows[:1])
	}
	if int64(len(rows)-1) != e.texts {
		t.Errorf("%d rows, want one per warning and translation: %d", len(rows)-1, e.texts)
	}
	sawFormula, sawRetracted := 0, false
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
				t.Errorf("cell %s starts like a formula: %q", rows[0][i], cell)
			}
		}
		if row[0] == itoa64(e.formulas) {
			for _, cell := range row {
				if strings.HasPrefix(cell, "'=HYPERLINK") || strings.HasPrefix(cell, "'+cmd") || strings.HasPrefix(cell, "'-2+3") || cell == "'@SUM(1+1)" {
					sawFormula++
				}
			}
		}
		sawRetracted = sawRetracted || row[2] == "retracted" && row[10] != ""
	}
	if sawFormula < 4 || !sawRetracted {
		t.Errorf("saw %d escaped formula cells (want 4), a retracted warning with its reason: %v", sawFormula, sawRetracted)
	}
}

// stixTimestamp is a STIX 2.1 timestamp: RFC 3339 in UTC with "Z".
var stixTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)

var stixID = regexp.MustCompile(`^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestExportSTIX(t *testing.T) {
	t.Parallel()
	e := newExportEnv(t)
	r := e.Env.Get(t, "/api/v1/export/stix.json")
	wantStatus(t, r, http.StatusOK)
	noSecrets(t, "STIX", r.Body)
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal([]byte(r.Body), &bundle); err != nil {
		t.Fatalf("bundle is not JSON: %v\n%.300s", err, r.Body)
	}
	if bundle.Type != "bundle" || !stixID.MatchString(bundle.ID) || !strings.HasPrefix(bundle.ID, "bundle--") {
		t.Fatalf("bundle type %q id %q", bundle.Type, bundle.ID)
	}
	ids := map[string]string{}
	types := map[string]int{}
	revoked := 0
	for _, o := range bundle.Objects {
		typ, _ := o["type"].(string)
		id, _ := o["id"].(string)
		types[typ]++
		if !stixID.MatchString(id) || !strings.HasPrefix(id, typ+"--") {
			t.Errorf("object %s has id %q", typ, id)
		}
		if _, dup := ids[id]; dup {
			t.Errorf("id %s repeated", id)
		}
		ids[id] = typ
		if o["spec_version"] != "2.1" {
			t.Errorf("%s: spec_version %v", id, o["spec_version"])
		}
		created, _ := o["created"].(string)
		modified, _ := o["modified"].(string)
		for _, k := range []string{"created", "modified", "valid_from", "valid_until", "published"} {
			if v, ok := o[k]; ok && !stixTimestamp.MatchString(v.(string)) {
				t.Errorf("%s: %s %v is not a STIX timestamp", id, k, v)
			}
		}
		for k := range o {
			if strings.HasPrefix(k, "x_") && !regexp.MustCompile(`^x_[a-z0-9_]{1,248}$`).MatchString(k) {
				t.Errorf("%s: custom property %q", id, k)
			}
		}
		if created == "" || typ != "marking-definition" && modified < created {
			t.Errorf("%s: created %q modified %q", id, created, modified)
		}
		switch typ {
		case "indicator":
			p, _ := o["pattern"].(string)
			if !strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]") || o["pattern_type"] != "stix" || o["valid_from"] == nil {
				t.Errorf("%s: pattern %q type %v valid_from %v", id, p, o["pattern_type"], o["valid_from"])
			}
		case "report":
			if o["revoked"] == true {
				revoked++
				if o["x_forewarn_retraction_reason"] == "" || o["x_forewarn_status"] != "retracted" {
					t.Errorf("%s: revoked without reason: %v", id, o)
				}
			}
			if refs, _ := o["object_refs"].([]any); len(refs) == 0 || o["published"] == nil || o["name"] == "" {
				t.Errorf("%s: object_refs %v published %v", id, o["object_refs"], o["published"])
			}
		}
	}
	// Every reference resolves within the bundle.
	for _, o := range bundle.Objects {
		var refs []any
		if s, ok := o["created_by_ref"].(string); ok {
			refs = append(refs, s)
		}
		for _, k := range []string{"object_refs", "object_marking_refs"} {
			if l, ok := o[k].([]any); ok {
				refs = append(refs, l...)
			}
		}
		for _, ref := range refs {
			if _, ok := ids[ref.(string)]; !ok {
				t.Errorf("%s refers to %v, not in the bundle", o["id"], ref)
			}
		}
	}
	retracted := e.Count(t, "warnings", "status = 'retracted'")
	if int64(types["report"]) != e.public || types["identity"] != 1 || types["marking-definition"] != 1 || types["indicator"] == 0 || int64(revoked) != retracted {
		t.Errorf("objects %v, %d revoked; want %d reports, %d revoked", types, revoked, e.public, retracted)
	}
	// The same content gives the same bytes: ids do not depend on the run.
	if again := e.Get(t, "/api/v1/export/stix.json"); again.Body != r.Body {
		t.Error("two exports of the same content differ")
	}
}

// TestExportETag checks each export's strong ETag: 304 for the version
// the client has, a new ETag once content changes, and that compression
// streams the same body.
func TestExportETag(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Retracted("The agency is real."))
	e.Warning(t)
	for _, path := range []string{"/api/v1/export/warnings.jsonl", "/api/v1/export/warnings.csv", "/api/v1/export/stix.json"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		etag := r.Header.Get("ETag")
		if r.ContentLength != -1 || len(r.TransferEncoding) == 0 {
			t.Errorf("%s: Content-Length %d, Transfer-Encoding %v: the body was not streamed", path, r.ContentLength, r.TransferEncoding)
		}
		if !strings.HasPrefix(etag, `"export-`) {
			t.Fatalf("%s: ETag %q", path, etag)
		}
		for _, inm := range []string{etag, "W/" + etag, `"x", ` + etag} {
			nm := e.Get(t, path, "If-None-Match", inm)
			wantStatus(t, nm, http.StatusNotModified)
			if nm.Body != "" || nm.Header.Get("ETag") != etag {
				t.Errorf("%s If-None-Match %s: body %q, ETag %q", path, inm, nm.Body, nm.Header.Get("ETag"))
			}
		}
		gz := e.Get(t, path, "Accept-Encoding", "gzip")
		wantStatus(t, gz, http.StatusOK)
		if gz.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", path, gz.Header.Get("Content-Encoding"))
		} else if zr, err := gzip.NewReader(strings.NewReader(gz.Body)); err != nil {
			t.Errorf("%s: %v", path, err)
		} else if plain, err := io.ReadAll(zr); err != nil || string(plain) != r.Body {
			t.Errorf("%s: gzip body differs (%v)", path, err)
		}
	}
	// Bad input: a garbage If-None-Match is no match, a HEAD reads
	// nothing, an unknown export is a 404 problem.
	for _, inm := range []string{"\xff\xfe", `"export-jsonl-1-0"`, strings.Repeat("x", 4000)} {
		wantStatus(t, e.Get(t, "/api/v1/export/warnings.jsonl", "If-None-Match", inm), http.StatusOK)
	}
	head, err := http.NewRequest(http.MethodHead, "/api/v1/export/stix.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Do(t, head); r.StatusCode != http.StatusOK || r.Body != "" || r.Header.Get("ETag") == "" {
		t.Errorf("HEAD: %d, body %q, ETag %q", r.StatusCode, r.Body, r.Header.Get("ETag"))
	}
	if r := e.Get(t, "/api/v1/export/warnings.xml"); r.StatusCode != http.StatusNotFound || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("unknown export: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}

	before := e.Get(t, "/api/v1/export/warnings.jsonl")
	e.Warning(t, apptest.Titled("A new one"))
	after := e.Get(t, "/api/v1/export/warnings.jsonl", "If-None-Match", before.Header.Get("ETag"))
	wantStatus(t, after, http.StatusOK)
	if after.Header.Get("ETag") == before.Header.Get("ETag") || !strings.Contains(after.Body, "A new one") {
		t.Errorf("after a change: ETag %q (was %q)", after.Header.Get("ETag"), before.Header.Get("ETag"))
	}
}

// BenchmarkExportJSONL streams the JSON Lines export of 2,000 synthetic
// warnings through the application (the test client reads the whole body;
// the server streams it). Figures in the branch's report, never asserted.
func BenchmarkExportJSONL(b *testing.B) {
	e := apptest.New(b)
	if _, err := seed.Synthetic(context.Background(), e.Services.Importer, apptest.Now, 2000, 0); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		r := e.Get(b, "/api/v1/export/warnings.jsonl")
		if r.StatusCode != http.StatusOK {
			b.Fatalf("status %d", r.StatusCode)
		}
		b.SetBytes(int64(len(r.Body)))
	}
}

// heldExport is an export requested on a real connection whose reader
// takes the headers and then stops reading: the server is left blocked
// writing the body, holding one of the instance's export slots.
type heldExport struct {
	conn net.Conn
	resp *http.Response
}

func holdExport(t *testing.T, addr, path string) heldExport {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// The receive buffer is left as it is: one shrunk after the connection
	// is made stalls loopback TCP for good, even once it is read again.
	conn.SetDeadline(time.Now().Add(time.Minute))
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: forewarn.test\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReaderSize(conn, 4096), nil)
	if err != nil {
		t.Fatalf("held export: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("held export: status %d", resp.StatusCode)
	}
	return heldExport{conn: conn, resp: resp}
}

// finish reads the rest of the export and returns its length.
func (h heldExport) finish(t *testing.T) int64 {
	t.Helper()
	n, err := io.Copy(io.Discard, h.resp.Body)
	if err != nil {
		t.Fatalf("finishing the held export after %d bytes: %v", n, err)
	}
	h.resp.Body.Close()
	return n
}

// An instance streams two exports at a time (maxExports): while two are
// held open by clients that read slowly, the next is refused with 429 and
// Retry-After, and once one of them finishes, another is served whole.
func TestConcurrentExportsBeyondTheLimitAre429(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	// 48 warnings of 512 KB each (in a column the search index does not
	// read), 24 MB: far more than the loopback buffers of an unread
	// connection (the server's send buffer grows to 4 MB at most, the
	// client's receive buffer does not grow unread) and the 4 writes that
	// fasthttp's stream pipe holds, so a writer whose client stops reading
	// blocks, with its slot.
	const warnings = 48
	for range warnings {
		e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	}
	big := strings.Repeat("0123456789abcdef", 1<<15)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warning_indicators SET raw = ?", big))
	const path = "/api/v1/export/warnings.jsonl"
	addr := listen(t, e)

	first := holdExport(t, addr, path)
	second := holdExport(t, addr, path)
	for _, p := range []string{path, "/api/v1/export/warnings.csv", "/api/v1/export/stix.json"} {
		r := e.Get(t, p)
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.Header.Get("Retry-After") != "30" {
			t.Errorf("%s: Retry-After %q, want 30", p, r.Header.Get("Retry-After"))
		}
	}
	if n := first.finish(t); n < warnings*int64(len(big)) {
		t.Errorf("the first export ended after %d bytes", n)
	}
	third := holdExport(t, addr, path)
	if n := third.finish(t); n < warnings*int64(len(big)) {
		t.Errorf("the third export ended after %d bytes", n)
	}
	if n := second.finish(t); n < warnings*int64(len(big)) {
		t.Errorf("the second export ended after %d bytes", n)
	}
	wantStatus(t, e.Get(t, "/api/v1/export/warnings.csv"), http.StatusOK)
}
