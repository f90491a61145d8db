package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// submitBody is a valid report as a partner's app sends it.
func submitBody(title string) string {
	return `{"title":"` + title + `","body":"A page offered driving jobs in Poland with a visa for a fee of 900 euros. Call +44 7700 900123.","lang":"en","category":"fake-job-offer","seen_on":"facebook","origin":["UA"],"destination":["PL"]}`
}

// submit POSTs a JSON body to /api/v1/reports with key (none for "") and
// extra headers, checked against the document.
func submit(t *testing.T, e *apptest.Env, key, body string, headers ...string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.Do(t, req)
}

// getAs GETs path with key (none for ""), checked against the document.
func getAs(t *testing.T, e *apptest.Env, key, path string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.Do(t, req)
}

type submitted struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	URL    string `json:"url"`
}

type problemDoc struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Errors []struct {
		Field string `json:"field"`
		Code  string `json:"code"`
	} `json:"errors"`
}

func wantSubmitProblem(t *testing.T, r apptest.Response, status int, code, field string) {
	t.Helper()
	if r.StatusCode != status || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("%d %q, want a %d problem:\n%.400s", r.StatusCode, r.Header.Get("Content-Type"), status, r.Body)
		return
	}
	var p problemDoc
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatalf("problem: %v", err)
	}
	if code != "" && p.Code != code {
		t.Errorf("problem code %q, want %q: %s", p.Code, code, r.Body)
	}
	if field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != field) {
		t.Errorf("problem does not name the field %q: %s", field, r.Body)
	}
}

func TestSubmissionWaitsForAModeratorAttributedToTheKey(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "submit", "")
	mod, _ := e.Member(t, "sub_mod", model.RoleModerator, []string{"en"}, []string{"UA"})

	r := submit(t, e, k.Key, submitBody("Fake driver jobs in Poland"))
	wantStatus(t, r, http.StatusCreated)
	s := decode[submitted](t, r)
	if s.Status != "pending" || s.ID == 0 || r.Header.Get("Location") != s.URL || !strings.HasSuffix(s.URL, fmt.Sprintf("/api/v1/submissions/%d", s.ID)) {
		t.Errorf("answer %+v, Location %q", s, r.Header.Get("Location"))
	}
	if r.Header.Get("Cache-Control") != "no-store" && r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	// a trusted source, a clean text: still pending, attributed
	var row model.Report
	apptest.Must(t, e.DB.Gorm.Where("id = ?", s.ID).Take(&row))
	if row.Status != model.PostPending || row.AuthorID != nil || row.SubmittedByKeyID == nil || *row.SubmittedByKeyID != k.ID || row.OrganisationID == nil || *row.OrganisationID != org || row.PublishedAt != nil {
		t.Errorf("stored report %+v", row)
	}
	if n := e.Count(t, "report_indicators", "report_id = ?", s.ID); n == 0 {
		t.Errorf("no indicator extracted from the submission")
	}
	if n := e.Count(t, "moderation_actions", "action = 'report.create' AND target_id = ? AND actor_key_id = ? AND actor_id IS NULL", s.ID, k.ID); n != 1 {
		t.Errorf("%d report.create audit entries with the key as actor, want 1", n)
	}
	// visitors do not see it; moderators see who sent it, localised
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/reports/%d", s.ID)), http.StatusNotFound)
	wantStatus(t, getAs(t, e, "", fmt.Sprintf("/api/v1/reports/%d", s.ID)), http.StatusNotFound)
	q := mod.Get(t, "/en/mod/queue")
	mustContain(t, q.Body, "Sent by Helpline Moldova (helpline bot)")
	mustContain(t, mod.Get(t, "/fr/mod/queue").Body, "Envoyé par Helpline Moldova (helpline bot)")
	mustContain(t, mod.Get(t, fmt.Sprintf("/en/reports/%d", s.ID)).Body, "Sent by Helpline Moldova (helpline bot)")
	mustContain(t, mod.Get(t, fmt.Sprintf("/uk/reports/%d", s.ID)).Body, "Надіслано: Helpline Moldova (helpline bot)")
	admin, _ := e.Member(t, "sub_admin", model.RoleAdmin, nil, nil)
	mustContain(t, admin.Get(t, "/en/mod/log").Body, "API key “helpline bot” of Helpline Moldova")

	// a guest's report is not shown as sent by anyone
	guest := e.NewClient()
	_, gr := postReport(t, guest, reportForm("A guest report on drivers"))
	wantStatus(t, gr, http.StatusSeeOther)
	if n := strings.Count(mod.Get(t, "/en/mod/queue").Body, "Sent by"); n != 1 {
		t.Errorf("the queue names a sender %d times, want 1 (the submission only)", n)
	}

	// personal data holds it with the reason, as for a guest
	body := `{"title":"Recruiter kept my documents","body":"The recruiter kept my passport. My passport number is FE123456. Call +380 67 123 4567.","lang":"en","category":"fake-job-offer","seen_on":"facebook","origin":["UA"]}`
	r = submit(t, e, k.Key, body)
	wantStatus(t, r, http.StatusCreated)
	if status, hold := reportStatus(t, e, decode[submitted](t, r).ID); status != "pending" || hold != "personal_data" {
		t.Errorf("a submission with a passport number is %s/%q", status, hold)
	}
}

func TestSubmissionMultipartWithScreenshots(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "submit", "")
	form := reportForm("Fake driver jobs, with a screenshot")
	form.Del("origin")
	form["origin"] = []string{"UA", "MD"}
	post := func(values url.Values, images ...[]byte) apptest.Response {
		ct, body := apptest.MultipartBody(t, values, images...)
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+k.Key)
		return e.Do(t, req)
	}
	shot := jpegWithGPS(t)
	r := post(form, shot)
	wantStatus(t, r, http.StatusCreated)
	id := decode[submitted](t, r).ID
	if n := e.Count(t, "report_images", "report_id = ?", id); n != 1 {
		t.Errorf("%d images stored, want 1", n)
	}
	if n := e.Count(t, "report_countries", "report_id = ? AND role = 'origin'", id); n != 2 {
		t.Errorf("%d origin countries, want 2", n)
	}
	var img model.ReportImage
	apptest.Must(t, e.DB.Gorm.Where("report_id = ?", id).Take(&img))
	if bytes.Contains(img.Data, []byte("Exif")) {
		t.Errorf("the stored screenshot keeps its metadata")
	}
	// an Idempotency-Key covers the multipart bytes, screenshots included
	ct, raw := apptest.MultipartBody(t, form, shot)
	send := func(body []byte) apptest.Response {
		req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+k.Key)
		req.Header.Set("Idempotency-Key", "multipart-1")
		return e.Do(t, req)
	}
	first := send(raw)
	wantStatus(t, first, http.StatusCreated)
	if again := send(raw); again.StatusCode != http.StatusCreated || again.Body != first.Body {
		t.Errorf("multipart retry: %d %s, want %s", again.StatusCode, again.Body, first.Body)
	}
	// built again by the client: another boundary, another field order
	ct2, raw2 := apptest.MultipartBody(t, form, shot)
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", bytes.NewReader(raw2))
	req.Header.Set("Content-Type", ct2)
	req.Header.Set("Authorization", "Bearer "+k.Key)
	req.Header.Set("Idempotency-Key", "multipart-1")
	if again := e.Do(t, req); ct2 == ct || again.StatusCode != http.StatusCreated || again.Body != first.Body {
		t.Errorf("multipart retry with another boundary: %d %s, want %s", again.StatusCode, again.Body, first.Body)
	}
	other := bytes.Replace(raw, shot[len(shot)-64:], bytes.Repeat([]byte{0}, 64), 1)
	if bytes.Equal(other, raw) {
		t.Fatal("the screenshot was not changed")
	}
	wantSubmitProblem(t, send(other), http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	if n := e.Count(t, "report_images", "1 = 1"); n != 2 {
		t.Errorf("%d images after a multipart retry, want 2", n)
	}

	before := e.Count(t, "reports", "1 = 1")
	for name, bad := range map[string]struct {
		values url.Values
		images [][]byte
		field  string
	}{
		"four images":   {form, [][]byte{shot, shot, shot, shot}, "images"},
		"corrupt image": {form, [][]byte{[]byte("not an image at all")}, "images"},
		"unknown field": {url.Values{"title": {"x"}, "website": {"y"}}, nil, "website"},
		"twice a title": {url.Values{"title": {"A title", "Another"}}, nil, "title"},
		"broken UTF-8":  {url.Values{"title": {"bad \xff title"}}, nil, "title"},
	} {
		r := post(bad.values, bad.images...)
		wantSubmitProblem(t, r, http.StatusBadRequest, "invalid_request", bad.field)
		if t.Failed() {
			t.Logf("case %s", name)
		}
	}
	if after := e.Count(t, "reports", "1 = 1"); after != before {
		t.Errorf("refused multipart submissions stored reports: %d → %d", before, after)
	}
}

func TestSubmissionBadInputStoresNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "submit", "")
	readOnly := issueKey(t, e, org, "read", "")
	revoked := issueKey(t, e, org, "submit", "")
	if _, err := e.Services.APIKeys.RevokeByOperator(context.Background(), revoked.ID, ""); err != nil {
		t.Fatal(err)
	}
	good := submitBody("Fake driver jobs in Poland")

	// 401, the same answer for each
	var answers []string
	for _, key := range []string{"", "fw_aaaaaaaa_" + strings.Repeat("a", 64), revoked.Key, "nonsense"} {
		r := submit(t, e, key, good)
		wantSubmitProblem(t, r, http.StatusUnauthorized, "unauthorized", "")
		var p map[string]any
		json.Unmarshal([]byte(r.Body), &p)
		delete(p, "request_id")
		b, _ := json.Marshal(p)
		answers = append(answers, string(b))
	}
	for _, a := range answers[1:] {
		if a != answers[0] {
			t.Errorf("401 answers differ:\n%s\n%s", answers[0], a)
		}
	}
	wantSubmitProblem(t, submit(t, e, readOnly.Key, good), http.StatusForbidden, "insufficient_scope", "")

	var doc map[string]any
	json.Unmarshal([]byte(good), &doc)
	with := func(field string, v any) string {
		m := map[string]any{}
		for k, x := range doc {
			m[k] = x
		}
		m[field] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	for _, bad := range []struct{ body, field string }{
		{with("website", "x"), "website"},
		{with("title", 42), "title"},
		{with("origin", "UA"), "origin"},
		{with("lang", "xx-nope-123"), "lang"},
		{with("lang", "zz"), "lang"},
		{with("category", "cooking"), "category"},
		{with("seen_on", "radio"), "seen_on"},
		{with("origin", []string{"XX"}), "origin"},
		{with("destination", []string{"Narnia"}), "destination"},
		{with("title", "x"), "title"},
		{`{"title":"Fake driver jobs","title":"again"}`, "title"},
		{`{"title":"bad ` + "\xff" + ` utf-8"}`, "body"},
		{`{"title":"Fake driver jobs"} trailing`, "body"},
		{`[1,2,3]`, "body"},
	} {
		r := submit(t, e, k.Key, bad.body)
		wantSubmitProblem(t, r, http.StatusBadRequest, "invalid_request", bad.field)
	}
	// too large, wrong type
	// refused from its Content-Length, before it is read, on a real
	// listener (app.Test reports the refusal as its own error): JSON past
	// 1 MB, multipart past 20 MB
	addr := listen(t, e)
	for _, big := range []struct {
		ctype string
		size  int
	}{{"application/json", 1<<20 + 1}, {"multipart/form-data; boundary=x", 20<<20 + 1}} {
		resp, page := rawRequest(t, addr, "POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+k.Key+"\r\nContent-Type: "+big.ctype+"\r\nContent-Length: "+fmt.Sprint(big.size)+"\r\n\r\n")
		wantSubmitProblem(t, apptest.Response{Response: resp, Body: page}, http.StatusRequestEntityTooLarge, "body_too_large", "body")
	}
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", strings.NewReader(good))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Authorization", "Bearer "+k.Key)
	wantSubmitProblem(t, e.Do(t, req), http.StatusUnsupportedMediaType, "unsupported_media_type", "")
	// a bad Idempotency-Key
	for _, ik := range []string{"", strings.Repeat("k", 256), "clé", "tab\there"} {
		wantSubmitProblem(t, submit(t, e, k.Key, good, "Idempotency-Key", ik), http.StatusBadRequest, "invalid_request", "Idempotency-Key")
	}
	if n := e.Count(t, "reports", "1 = 1"); n != 0 {
		t.Errorf("%d reports stored from refused submissions", n)
	}
	if n := e.Count(t, "idempotency_keys", "1 = 1"); n != 0 {
		t.Errorf("%d idempotency rows stored from refused submissions", n)
	}
	wantStatus(t, submit(t, e, k.Key, good), http.StatusCreated)
}

func TestSubmissionIdempotencyKeyReplaysTheSameAnswer(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	other := newOrganisation(t, e, "Other NGO")
	k := issueKey(t, e, org, "submit", "")
	k2 := issueKey(t, e, org, "submit", "")
	ko := issueKey(t, e, other, "submit", "")
	body := submitBody("Fake driver jobs in Poland")

	first := submit(t, e, k.Key, body, "Idempotency-Key", "retry-1")
	wantStatus(t, first, http.StatusCreated)
	again := submit(t, e, k.Key, body, "Idempotency-Key", "retry-1")
	if again.StatusCode != first.StatusCode || again.Body != first.Body || again.Header.Get("Location") != first.Header.Get("Location") || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the retry got another answer:\n%d %s\n%d %s", first.StatusCode, first.Body, again.StatusCode, again.Body)
	}
	if n := e.Count(t, "reports", "1 = 1"); n != 1 {
		t.Errorf("%d reports after a retry, want 1", n)
	}
	// the body is not stored, its hash is
	var row model.IdempotencyKey
	apptest.Must(t, e.DB.Gorm.Where("api_key_id = ?", k.ID).Take(&row))
	if strings.Contains(row.RequestHash, "driver") || len(row.RequestHash) != 64 || row.Status != http.StatusCreated {
		t.Errorf("stored row %+v", row)
	}
	// the same Idempotency-Key with another body: 422, nothing created
	wantSubmitProblem(t, submit(t, e, k.Key, submitBody("Another fake offer"), "Idempotency-Key", "retry-1"), http.StatusUnprocessableEntity, "idempotency_key_reused", "")
	// another key, of this or another organisation: its own report
	wantStatus(t, submit(t, e, k2.Key, body, "Idempotency-Key", "retry-1"), http.StatusCreated)
	wantStatus(t, submit(t, e, ko.Key, body, "Idempotency-Key", "retry-1"), http.StatusCreated)
	if n := e.Count(t, "reports", "1 = 1"); n != 3 {
		t.Errorf("%d reports, want 3 (one per key)", n)
	}
	// a failed request leaves nothing: its corrected retry is served
	bad := strings.Replace(body, `"fake-job-offer"`, `"cooking"`, 1)
	wantStatus(t, submit(t, e, k.Key, bad, "Idempotency-Key", "retry-2"), http.StatusBadRequest)
	wantStatus(t, submit(t, e, k.Key, body, "Idempotency-Key", "retry-2"), http.StatusCreated)
	// in progress elsewhere: 409
	apptest.Must(t, e.DB.Gorm.Create(&model.IdempotencyKey{APIKeyID: k.ID, IdempotencyKey: "busy", RequestHash: service.RequestHash("POST", "/api/v1/reports", []byte(body)), CreatedAt: apptest.Now}))
	wantSubmitProblem(t, submit(t, e, k.Key, body, "Idempotency-Key", "busy"), http.StatusConflict, "idempotency_in_progress", "")
	// older than 24 h: forgotten, a new report
	e.DB.Gorm.Exec("UPDATE idempotency_keys SET created_at = ? WHERE idempotency_key = 'retry-1' AND api_key_id = ?", apptest.Now.Add(-25*time.Hour), k.ID)
	before := e.Count(t, "reports", "1 = 1")
	wantStatus(t, submit(t, e, k.Key, body, "Idempotency-Key", "retry-1"), http.StatusCreated)
	if after := e.Count(t, "reports", "1 = 1"); after != before+1 {
		t.Errorf("an expired Idempotency-Key replayed: %d → %d reports", before, after)
	}
	// a revoked key's replay: 401
	if _, err := e.Services.APIKeys.RevokeByOperator(context.Background(), k.ID, ""); err != nil {
		t.Fatal(err)
	}
	wantSubmitProblem(t, submit(t, e, k.Key, body, "Idempotency-Key", "retry-2"), http.StatusUnauthorized, "unauthorized", "")
}

func TestSubmissionConcurrentRetriesCreateOneReport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "submit", "")
	body := submitBody("Fake driver jobs in Poland")
	const n = 8
	var wg sync.WaitGroup
	statuses := make([]int, n)
	bodies := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, "/api/v1/reports", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+k.Key)
			req.Header.Set("Idempotency-Key", "same")
			r := e.Do(t, req)
			statuses[i], bodies[i] = r.StatusCode, r.Body
		}(i)
	}
	wg.Wait()
	if got := e.Count(t, "reports", "1 = 1"); got != 1 {
		t.Errorf("%d reports from %d concurrent requests with one Idempotency-Key, want 1", got, n)
	}
	var created string
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			if created != "" && bodies[i] != created {
				t.Errorf("two different 201 answers: %s / %s", created, bodies[i])
			}
			created = bodies[i]
		case http.StatusConflict:
		default:
			t.Errorf("answer %d: %s", s, bodies[i])
		}
	}
}

func TestSubmissionStateIsSeenByItsOrganisationOnly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	other := newOrganisation(t, e, "Other NGO")
	k := issueKey(t, e, org, "submit", "")
	k2 := issueKey(t, e, org, "submit", "")
	ko := issueKey(t, e, other, "submit,read", "")
	readOnly := issueKey(t, e, org, "read", "")
	mod, _ := e.Member(t, "state_mod", model.RoleModerator, []string{"en"}, []string{"UA"})

	var ids []int64
	for _, title := range []string{"First fake driver offer", "Second fake driver offer", "Third fake driver offer"} {
		r := submit(t, e, k.Key, submitBody(title))
		wantStatus(t, r, http.StatusCreated)
		ids = append(ids, decode[submitted](t, r).ID)
	}
	theirs := decode[submitted](t, submit(t, e, ko.Key, submitBody("Their own report"))).ID
	mod.Get(t, "/en/mod/queue")
	wantStatus(t, mod.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(ids[0])}, "decision": {"reject"}, "reason": {"Not about an offer"}}), http.StatusSeeOther)
	mod.Get(t, "/en/mod/queue")
	wantStatus(t, mod.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(ids[1])}, "decision": {"approve"}}), http.StatusSeeOther)

	type state struct {
		ID           int64   `json:"id"`
		Status       string  `json:"status"`
		RejectReason *string `json:"reject_reason"`
		ReportURL    *string `json:"report_url"`
	}
	type list struct {
		Data       []state `json:"data"`
		NextCursor *string `json:"next_cursor"`
	}
	// every key of the organisation sees them, newest first, in pages
	var seen []state
	path := "/api/v1/submissions?limit=2"
	for path != "" {
		r := getAs(t, e, k2.Key, path)
		wantStatus(t, r, http.StatusOK)
		l := decode[list](t, r)
		seen = append(seen, l.Data...)
		path = ""
		if l.NextCursor != nil {
			path = "/api/v1/submissions?limit=2&cursor=" + url.QueryEscape(*l.NextCursor)
		}
	}
	if len(seen) != 3 || seen[0].ID != ids[2] || seen[2].ID != ids[0] {
		t.Fatalf("submissions %+v, want %v newest first", seen, ids)
	}
	if s := seen[2]; s.Status != "rejected" || s.RejectReason == nil || *s.RejectReason != "Not about an offer" || s.ReportURL != nil {
		t.Errorf("rejected submission %+v", s)
	}
	if s := seen[1]; s.Status != "published" || s.ReportURL == nil || !strings.HasSuffix(*s.ReportURL, fmt.Sprintf("/reports/%d", ids[1])) || s.RejectReason != nil {
		t.Errorf("published submission %+v", s)
	}
	if s := seen[0]; s.Status != "pending" || s.ReportURL != nil {
		t.Errorf("pending submission %+v", s)
	}
	one := getAs(t, e, k.Key, fmt.Sprintf("/api/v1/submissions/%d", ids[1]))
	wantStatus(t, one, http.StatusOK)
	// readers of the published report are not told who sent it
	if page := e.Get(t, fmt.Sprintf("/en/reports/%d", ids[1])); page.StatusCode != http.StatusOK || strings.Contains(page.Body, "Helpline Moldova") || strings.Contains(page.Body, "helpline bot") {
		t.Errorf("the public page of a published submission: %d, names its sender:\n%.300s", page.StatusCode, page.Body)
	}
	// another organisation's, a guest's or no report: 404 alike
	guestID, _ := postReport(t, e.NewClient(), reportForm("A guest report on drivers"))
	_ = guestID
	var guest int64
	e.DB.Gorm.Table("reports").Select("MAX(id)").Where("organisation_id IS NULL").Scan(&guest)
	for _, id := range []int64{theirs, guest, 999999} {
		wantSubmitProblem(t, getAs(t, e, k.Key, fmt.Sprintf("/api/v1/submissions/%d", id)), http.StatusNotFound, "not_found", "")
	}
	wantSubmitProblem(t, getAs(t, e, ko.Key, fmt.Sprintf("/api/v1/submissions/%d", ids[0])), http.StatusNotFound, "not_found", "")
	l := decode[list](t, getAs(t, e, ko.Key, "/api/v1/submissions"))
	if len(l.Data) != 1 || l.Data[0].ID != theirs {
		t.Errorf("the other organisation sees %+v", l.Data)
	}
	// no key, a key without submit, a bad cursor
	wantSubmitProblem(t, getAs(t, e, "", "/api/v1/submissions"), http.StatusUnauthorized, "unauthorized", "")
	wantSubmitProblem(t, getAs(t, e, readOnly.Key, "/api/v1/submissions"), http.StatusForbidden, "insufficient_scope", "")
	wantSubmitProblem(t, getAs(t, e, readOnly.Key, fmt.Sprintf("/api/v1/submissions/%d", ids[0])), http.StatusForbidden, "insufficient_scope", "")
	wantSubmitProblem(t, getAs(t, e, k.Key, "/api/v1/submissions?cursor=nope!"), http.StatusBadRequest, "invalid_request", "cursor")
	wantSubmitProblem(t, getAs(t, e, k.Key, "/api/v1/submissions?limit=0"), http.StatusBadRequest, "invalid_request", "limit")
}

type apiReport struct {
	ID      int64   `json:"id"`
	Title   string  `json:"title"`
	Status  string  `json:"status"`
	Author  *string `json:"author"`
	Lang    string  `json:"lang"`
	Replies []struct {
		ID     int64   `json:"id"`
		Author *string `json:"author"`
		Body   string  `json:"body"`
	} `json:"replies"`
	Images []struct {
		URL string `json:"url"`
	} `json:"images"`
}

type apiReportList struct {
	Data       []apiReport `json:"data"`
	NextCursor *string     `json:"next_cursor"`
}

func TestAPIReportsServePublishedReportsAndRepliesOnly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	_, staff := e.Member(t, "reports_mod", model.RoleModerator, nil, nil)
	author, err := e.Services.Users.Register(ctx, serviceRegistration("olena_k", "olena.secret@mail.example"))
	if err != nil {
		t.Fatal(err)
	}
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", author.ID)
	author, _ = e.Store.User(ctx, author.ID)
	fresh, err := e.Services.Users.Register(ctx, serviceRegistration("fresh_one", "fresh.secret@mail.example"))
	if err != nil {
		t.Fatal(err)
	}
	in := func(title, lang, cat, origin string) service.ReportInput {
		return service.ReportInput{Title: title, Body: "A page offered driving jobs with a visa for a fee of 900 euros. Call +44 7700 900123.", Lang: lang, Category: cat, SeenOn: "facebook", Origin: []string{origin}, Destination: []string{"PL"}}
	}
	create := func(u *model.User, ri service.ReportInput) int64 {
		t.Helper()
		p, err := e.Services.Forum.CreateReport(ctx, u, ri)
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	published := create(&author, in("Published driver offer", "en", "fake-job-offer", "UA"))
	french := create(&staff, in("Offre de chauffeur publiée", "fr", "fake-travel-agency", "MD"))
	locked := create(&staff, in("Locked driver offer", "en", "fake-job-offer", "UA"))
	e.DB.Gorm.Exec("UPDATE reports SET status = 'locked' WHERE id = ?", locked)
	pending := create(&fresh, in("Pending driver offer", "en", "fake-job-offer", "UA"))
	hidden := create(&staff, in("Hidden driver offer", "en", "fake-job-offer", "UA"))
	e.DB.Gorm.Exec("UPDATE reports SET status = 'hidden' WHERE id = ?", hidden)
	rejected := create(&staff, in("Rejected driver offer", "en", "fake-job-offer", "UA"))
	e.DB.Gorm.Exec("UPDATE reports SET status = 'rejected', reject_reason = 'secret reason' WHERE id = ?", rejected)
	org := newOrganisation(t, e, "Helpline Moldova")
	sk := issueKey(t, e, org, "submit", "")
	rk := issueKey(t, e, org, "read", "")
	submittedID := decode[submitted](t, submit(t, e, sk.Key, submitBody("Submitted, still pending"))).ID

	if _, err := e.Services.Forum.CreateReply(ctx, &staff, published, "A public reply from staff."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Services.Forum.CreateReply(ctx, &fresh, published, "A pending reply of a new member."); err != nil {
		t.Fatal(err)
	}
	hiddenReply, err := e.Services.Forum.CreateReply(ctx, &staff, published, "A reply that was hidden later.")
	if err != nil {
		t.Fatal(err)
	}
	e.DB.Gorm.Exec("UPDATE replies SET status = 'hidden' WHERE id = ?", hiddenReply.ID)

	r := getAs(t, e, "", "/api/v1/reports")
	wantStatus(t, r, http.StatusOK)
	list := decode[apiReportList](t, r)
	got := map[int64]apiReport{}
	for _, rep := range list.Data {
		got[rep.ID] = rep
	}
	if len(got) != 3 || got[published].ID == 0 || got[french].ID == 0 || got[locked].ID == 0 {
		t.Errorf("listed %v, want the published %d, %d and locked %d only", got, published, french, locked)
	}
	for _, leak := range []string{"Pending driver offer", "Hidden driver offer", "Rejected driver offer", "secret reason", "Submitted, still pending",
		"pending reply", "hidden later", "olena.secret", "fresh.secret", "fresh_one", "@mail.example", "personal_data"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("the list shows %q", leak)
		}
	}
	p := got[published]
	if p.Author == nil || *p.Author != "olena_k" || len(p.Replies) != 1 || p.Replies[0].Author == nil || *p.Replies[0].Author != "reports_mod" || p.Replies[0].Body != "A public reply from staff." {
		t.Errorf("published report %+v", p)
	}
	// the same on its own, with the page's author names; others are 404
	d := getAs(t, e, "", fmt.Sprintf("/api/v1/reports/%d", published))
	wantStatus(t, d, http.StatusOK)
	one := decode[apiReport](t, d)
	if one.ID != published || len(one.Replies) != 1 || one.Author == nil || *one.Author != "olena_k" {
		t.Errorf("report %+v", one)
	}
	mustContain(t, e.Get(t, fmt.Sprintf("/en/reports/%d", published)).Body, "olena_k", "reports_mod")
	for _, id := range []int64{pending, hidden, rejected, submittedID, 999999} {
		wantSubmitProblem(t, getAs(t, e, "", fmt.Sprintf("/api/v1/reports/%d", id)), http.StatusNotFound, "not_found", "")
		wantSubmitProblem(t, getAs(t, e, rk.Key, fmt.Sprintf("/api/v1/reports/%d", id)), http.StatusNotFound, "not_found", "")
	}
	wantStatus(t, getAs(t, e, "", fmt.Sprintf("/api/v1/reports/%d", locked)), http.StatusOK)

	// filters
	for q, want := range map[string][]int64{
		"?lang=fr":                            {french},
		"?country=md":                         {french},
		"?category=fake-travel-agency":        {french},
		"?lang=en&country=UA":                 {locked, published},
		"?updated_since=2030-01-01T00:00:00Z": {},
		"?updated_since=2020-01-01T00:00:00Z": {locked, french, published},
	} {
		l := decode[apiReportList](t, getAs(t, e, "", "/api/v1/reports"+q))
		var ids []int64
		for _, rep := range l.Data {
			ids = append(ids, rep.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) && !(len(ids) == 0 && len(want) == 0) {
			t.Errorf("%s lists %v, want %v", q, ids, want)
		}
	}
	// cursor pages walk the list once, in order
	var walked []int64
	path := "/api/v1/reports?limit=1"
	for pages := 0; path != "" && pages < 10; pages++ {
		l := decode[apiReportList](t, getAs(t, e, rk.Key, path))
		for _, rep := range l.Data {
			walked = append(walked, rep.ID)
		}
		path = ""
		if l.NextCursor != nil {
			path = "/api/v1/reports?limit=1&cursor=" + url.QueryEscape(*l.NextCursor)
		}
	}
	if fmt.Sprint(walked) != fmt.Sprint([]int64{locked, french, published}) {
		t.Errorf("pages walked %v", walked)
	}
	// bad parameters name their field; a key needs read
	for q, field := range map[string]string{
		"?country=XX": "country", "?category=cooking": "category", "?lang=not a lang": "lang",
		"?limit=0": "limit", "?limit=101": "limit", "?cursor=abc": "cursor", "?updated_since=yesterday": "updated_since",
	} {
		wantSubmitProblem(t, getAs(t, e, "", "/api/v1/reports"+q), http.StatusBadRequest, "invalid_request", field)
	}
	wantSubmitProblem(t, getAs(t, e, sk.Key, "/api/v1/reports"), http.StatusForbidden, "insufficient_scope", "")
	wantSubmitProblem(t, getAs(t, e, sk.Key, fmt.Sprintf("/api/v1/reports/%d", published)), http.StatusForbidden, "insufficient_scope", "")
	wantSubmitProblem(t, getAs(t, e, "fw_nope", "/api/v1/reports"), http.StatusUnauthorized, "unauthorized", "")
	keyed := getAs(t, e, rk.Key, "/api/v1/reports")
	wantStatus(t, keyed, http.StatusOK)
	if keyed.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("keyed list: Cache-Control %q", keyed.Header.Get("Cache-Control"))
	}
}

// A report's answer changes with a new reply or confirmation, not only
// with its own text: GET /api/v1/reports/{id} carries Last-Modified for
// all of them (If-Modified-Since revalidates), and updated_since lists the
// report again.
func TestAPIReportChangesWithItsRepliesAndConfirmations(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	_, staff := e.Member(t, "modified_mod", model.RoleModerator, nil, nil)
	_, reader := e.Member(t, "modified_reader", model.RoleMember, nil, nil)
	p, err := e.Services.Forum.CreateReport(ctx, &staff, service.ReportInput{Title: "Driver offer with a fee", Lang: "en", Category: "fake-job-offer", SeenOn: "facebook",
		Body: "A page offered driving jobs with a visa for a fee of 900 euros.", Origin: []string{"UA"}, Destination: []string{"PL"}})
	if err != nil {
		t.Fatal(err)
	}
	id := p.ID
	before := apptest.Now.Add(-2 * time.Hour).UTC()
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET updated_at = ?, published_at = ? WHERE id = ?", before, before, id))
	path := fmt.Sprintf("/api/v1/reports/%d", id)
	since := "/api/v1/reports?updated_since=" + url.QueryEscape(apptest.Now.Add(-time.Hour).Format(time.RFC3339))
	listed := func() []int64 {
		t.Helper()
		var ids []int64
		for _, rep := range decode[apiReportList](t, e.Get(t, since)).Data {
			ids = append(ids, rep.ID)
		}
		return ids
	}

	r := e.Get(t, path)
	wantStatus(t, r, http.StatusOK)
	lm := r.Header.Get("Last-Modified")
	if lm != before.Format(http.TimeFormat) {
		t.Fatalf("Last-Modified %q, want %q", lm, before.Format(http.TimeFormat))
	}
	wantStatus(t, e.Get(t, path, "If-Modified-Since", lm), http.StatusNotModified)
	if ids := listed(); len(ids) != 0 {
		t.Errorf("updated_since lists %v before any change", ids)
	}

	// A new public reply.
	if _, err := e.Services.Forum.CreateReply(ctx, &staff, id, "A public reply from staff."); err != nil {
		t.Fatal(err)
	}
	r = e.Get(t, path, "If-Modified-Since", lm)
	wantStatus(t, r, http.StatusOK)
	if one := decode[apiReport](t, r); len(one.Replies) != 1 {
		t.Errorf("the report shows %d replies, want 1", len(one.Replies))
	}
	if got := r.Header.Get("Last-Modified"); got != apptest.Now.UTC().Format(http.TimeFormat) {
		t.Errorf("after a reply: Last-Modified %q, want %q", got, apptest.Now.UTC().Format(http.TimeFormat))
	}
	if ids := listed(); fmt.Sprint(ids) != fmt.Sprint([]int64{id}) {
		t.Errorf("after a reply, updated_since lists %v, want [%d]", ids, id)
	}

	// A confirmation, the reply's time set back.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE replies SET updated_at = ? WHERE report_id = ?", before, id))
	wantStatus(t, e.Get(t, path, "If-Modified-Since", lm), http.StatusNotModified)
	if err := e.Services.Forum.Confirm(ctx, &reader, id); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.Get(t, path, "If-Modified-Since", lm), http.StatusOK)
	if ids := listed(); fmt.Sprint(ids) != fmt.Sprint([]int64{id}) {
		t.Errorf("after a confirmation, updated_since lists %v, want [%d]", ids, id)
	}
}
