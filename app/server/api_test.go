package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/model"
)

// postJSON sends a JSON POST to the API. Env.Do checks every answer of
// the API against the OpenAPI document (apptest.CheckAPIResponse).
func postJSON(t *testing.T, e *apptest.Env, path, body string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return e.Do(t, req)
}

// TestServedOpenAPIDocumentIsTheCheckedOne: the document the server
// serves is valid and, but for its servers, the one the tests check every
// answer against.
func TestServedOpenAPIDocumentIsTheCheckedOne(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/api/v1/openapi.json")
	wantStatus(t, r, http.StatusOK)
	served, err := openapi3.NewLoader().LoadFromData([]byte(r.Body))
	if err != nil {
		t.Fatalf("load the served OpenAPI document: %v", err)
	}
	if err := served.Validate(context.Background()); err != nil {
		t.Fatalf("the served OpenAPI document is invalid: %v", err)
	}
	var a, b map[string]any
	if err := json.Unmarshal([]byte(r.Body), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(v1.OpenAPIDocument(), &b); err != nil {
		t.Fatal(err)
	}
	delete(a, "servers")
	delete(b, "servers")
	if !reflect.DeepEqual(a, b) {
		t.Error("the served OpenAPI document differs from the embedded one beyond its servers")
	}
}

func decode[T any](t *testing.T, r apptest.Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("decode %s: %v\n%.300s", r.Request.URL, err, r.Body)
	}
	return v
}

func TestAPIListMatchesContractAndFilters(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Driver job"), apptest.OnRoute("UA", "PL"), apptest.TranslatedInto("uk"))
	e.Warning(t, apptest.Titled("Visa agency"), apptest.OnRoute("NP", "RO"), apptest.InCategory("fake-travel-agency"), apptest.WithSeverity(model.SeverityCaution))
	e.Warning(t, apptest.Titled("Expired"), apptest.OnRoute("SY", "TR", "DE"), apptest.ExpiringIn(-time.Hour))
	e.Warning(t, apptest.Titled("Retracted"), apptest.Retracted("mistake"))

	r := e.Get(t, "/api/v1/warnings")
	wantStatus(t, r, http.StatusOK)
	list := decode[v1.WarningList](t, r)
	if len(list.Data) != 3 || list.NextCursor != nil {
		t.Fatalf("got %d warnings (next %v), want 3 and no next page", len(list.Data), list.NextCursor)
	}
	var sawExpired bool
	for _, w := range list.Data {
		if w.Title == "Retracted" {
			t.Error("a retracted warning is listed")
		}
		sawExpired = sawExpired || (w.Title == "Expired" && w.Expired)
		if len(w.Indicators) != 2 {
			t.Errorf("%s: %d indicators, want 2", w.Title, len(w.Indicators))
		}
	}
	if !sawExpired {
		t.Error("the expired warning is not marked expired")
	}
	first := list.Data[len(list.Data)-1]
	if first.Indicators[0].Normalized != "eurodrive.example/apply" || first.Indicators[1].Normalized != "+447700900123" {
		t.Errorf("normalised indicators: %+v", first.Indicators)
	}

	uk := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings?country=ua&lang=uk-UA"))
	if len(uk.Data) != 1 || uk.Data[0].Title != "[uk] Driver job" || !uk.Data[0].Translated || uk.Data[0].Lang != "uk" {
		t.Errorf("country=ua&lang=uk: %+v", uk.Data)
	}
	fa := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings?country=UA&lang=fa"))
	if len(fa.Data) != 1 || fa.Data[0].Translated || fa.Data[0].Lang != "en" {
		t.Errorf("country=UA&lang=fa should fall back to English: %+v", fa.Data)
	}
	caution := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings?severity=caution&category=fake-travel-agency"))
	if len(caution.Data) != 1 || caution.Data[0].Title != "Visa agency" {
		t.Errorf("severity+category: %+v", caution.Data)
	}
	since := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings?updated_since="+url.QueryEscape(apptest.Now.Add(time.Hour).Format(time.RFC3339))))
	if len(since.Data) != 0 {
		t.Errorf("updated_since in the future returned %d warnings", len(since.Data))
	}
}

func TestAPICursorPagination(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for i := 0; i < 25; i++ {
		e.Warning(t)
	}
	seen := map[int64]bool{}
	path := "/api/v1/warnings?limit=10"
	pages := 0
	for {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		list := decode[v1.WarningList](t, r)
		pages++
		for _, w := range list.Data {
			if seen[w.ID] {
				t.Fatalf("warning %d returned twice", w.ID)
			}
			seen[w.ID] = true
		}
		if list.NextCursor == nil {
			break
		}
		path = "/api/v1/warnings?limit=10&cursor=" + url.QueryEscape(*list.NextCursor)
	}
	if pages != 3 || len(seen) != 25 {
		t.Errorf("%d pages with %d warnings, want 3 pages with 25", pages, len(seen))
	}
}

func TestAPIDetailMatchesContract(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.TranslatedInto("ar"))
	retracted := e.Warning(t, apptest.Retracted("The agency was impersonated."))

	w := decode[v1.Warning](t, e.Get(t, fmt.Sprintf("/api/v1/warnings/%d?lang=ar", id)))
	if w.ID != id || w.Lang != "ar" || w.Body == nil || !strings.Contains(*w.BodyHTML, "<strong>Never</strong>") {
		t.Errorf("detail: %+v", w)
	}
	if w.URL != fmt.Sprintf("%s/w/%d", apptest.BaseURL, id) {
		t.Errorf("url %q", w.URL)
	}
	rw := decode[v1.Warning](t, e.Get(t, fmt.Sprintf("/api/v1/warnings/%d", retracted)))
	if rw.Status != "retracted" || rw.RetractionReason != "The agency was impersonated." || rw.RetractedAt == nil {
		t.Errorf("retracted: %+v", rw)
	}
}

func TestAPIErrorsAreLocalisedProblemDocuments(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	for _, tc := range []struct {
		path   string
		status int
		code   string
		field  string
	}{
		{"/api/v1/warnings?limit=0", 400, "invalid_request", "limit"},
		{"/api/v1/warnings?limit=101", 400, "invalid_request", "limit"},
		{"/api/v1/warnings?limit=ten", 400, "invalid_request", "limit"},
		{"/api/v1/warnings?cursor=%21%21%21", 400, "invalid_request", "cursor"},
		{"/api/v1/warnings?cursor=bm90LWEtY3Vyc29y", 400, "invalid_request", "cursor"},
		{"/api/v1/warnings?severity=extreme", 400, "invalid_request", "severity"},
		{"/api/v1/warnings?country=XX", 400, "invalid_request", "country"},
		{"/api/v1/warnings?updated_since=yesterday", 400, "invalid_request", "updated_since"},
		{"/api/v1/warnings?lang=" + strings.Repeat("x", 40), 400, "invalid_request", "lang"},
		{"/api/v1/warnings/abc", 400, "invalid_request", "id"},
		{"/api/v1/warnings/0", 400, "invalid_request", "id"},
		{"/api/v1/warnings/123456789", 404, "not_found", ""},
	} {
		r := e.Get(t, tc.path)
		wantStatus(t, r, tc.status)
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", tc.path, ct)
		}
		p := decode[v1.Problem](t, r)
		if p.Code != tc.code || p.Status != tc.status || p.Title == "" {
			t.Errorf("%s: problem %+v", tc.path, p)
		}
		if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field || p.Errors[0].Message == "") {
			t.Errorf("%s: errors %+v, want field %s", tc.path, p.Errors, tc.field)
		}
	}
	en := decode[v1.Problem](t, e.Get(t, "/api/v1/warnings?severity=extreme"))
	fr := decode[v1.Problem](t, e.Get(t, "/api/v1/warnings?severity=extreme", "Accept-Language", "fr"))
	if en.Errors[0].Message == fr.Errors[0].Message || en.Errors[0].Code != fr.Errors[0].Code {
		t.Errorf("problem not localised: en %q, fr %q", en.Errors[0].Message, fr.Errors[0].Message)
	}
	unknown := e.Get(t, "/api/v1/nothing-here")
	wantStatus(t, unknown, http.StatusNotFound)
	if ct := unknown.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("unknown API path: Content-Type %q", ct)
	}
}

func TestAPIConditionalRequestsAndCORS(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	r := e.Get(t, "/api/v1/warnings", "Origin", "https://partner.example")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("CORS header %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := e.Get(t, "/api/v1/warnings", "If-None-Match", etag)
	wantStatus(t, again, http.StatusNotModified)
	if again.Body != "" {
		t.Errorf("304 with a body: %q", again.Body)
	}
}

func TestAPIServesTheSameRuleAsThePages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	if err := e.DB.Gorm.Exec("UPDATE warnings SET status = 'in_review' WHERE id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.Get(t, fmt.Sprintf("/api/v1/warnings/%d", id)), http.StatusNotFound)
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/warnings/%d", id)), http.StatusNotFound)
	list := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings"))
	if len(list.Data) != 0 {
		t.Errorf("a warning in review is listed")
	}
}
