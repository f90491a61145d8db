package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// smallPage is the most a refused form may weigh, whatever was sent.
const smallPage = 96 << 10

// multipartBody encodes values as a multipart form.
func multipartBody(t *testing.T, values url.Values) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

func wantSmall(t *testing.T, what string, r apptest.Response) {
	t.Helper()
	if len(r.Body) > smallPage {
		t.Errorf("%s: answer of %d bytes to a huge field", what, len(r.Body))
	}
}

func TestHugeFieldsGetSmallLocalisedErrors(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	huge := strings.Repeat("A", 10<<20)
	author, _ := e.Member(t, "author", model.RoleModerator, []string{"en"}, []string{"UA"})
	id, _ := postReport(t, author, reportForm("A published report to reply to"))
	member, u := e.Member(t, "poster", model.RoleMember, nil, nil)

	// The report form takes big bodies (screenshots): a 10 MB title is
	// refused as too long and shown again only in part.
	form := reportForm("x")
	form.Set("title", huge)
	_, r := postReport(t, member, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantSmall(t, "report title", r)
	mustContain(t, r.Body, "Write between 5 and 140 characters.")
	form = reportForm("A normal title about visas")
	form.Set("body", huge)
	member.Get(t, "/fr/reports/new")
	r = member.PostMultipart(t, "/fr/reports/new", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantSmall(t, "report body", r)
	mustContain(t, r.Body, `lang="fr"`, "20000")

	// Other forms refuse such a body before reading it, in any encoding:
	// from its Content-Length, on a real listener (app.Test reports the
	// refusal as its own error and drops the answer).
	addr := listen(t, e)
	replies := fmt.Sprintf("/en/reports/%d/replies", id)
	resp, page := rawRequest(t, addr, "POST "+replies+" HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "+strconv.Itoa(len(huge)+5)+"\r\n\r\n")
	r = apptest.Response{Response: resp, Body: page}
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantSmall(t, "reply, urlencoded", r)
	mustContain(t, r.Body, "<html lang=\"en\"")
	body, ctype := multipartBody(t, url.Values{"body": {huge}, "_csrf": {member.Token}})
	resp, page = rawRequest(t, addr, "POST "+replies+" HTTP/1.1\r\nHost: x\r\nContent-Type: "+ctype+"\r\nContent-Length: "+strconv.Itoa(body.Len())+"\r\n\r\n")
	r = apptest.Response{Response: resp, Body: page}
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantSmall(t, "reply, multipart", r)

	// Under the body limit, a field far beyond its own is shown cut.
	big := strings.Repeat("B", 900<<10)
	member.Get(t, fmt.Sprintf("/en/reports/%d", id))
	r = member.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {big}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantSmall(t, "reply of 900 kB", r)
	mustContain(t, r.Body, "Write between 2 and 20000 characters.")
	member.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
	r = member.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"other"}, "note": {big}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantSmall(t, "flag note of 900 kB", r)
	visitor := e.NewClient()
	visitor.Get(t, "/en/register")
	// Four such fields are past the form limit: refused from the header.
	form = url.Values{"pseudonym": {big}, "password": {big}, "password_again": {big}, "email": {big}}
	resp, page = rawRequest(t, addr, "POST /en/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "+strconv.Itoa(len(form.Encode()))+"\r\n\r\n")
	r = apptest.Response{Response: resp, Body: page}
	if r.StatusCode < 400 || r.StatusCode >= 500 {
		t.Errorf("register with 900 kB fields: status %d", r.StatusCode)
	}
	wantSmall(t, "registration", r)
	r = visitor.Post(t, "/en/check", url.Values{"text": {big}})
	wantSmall(t, "check", r)

	var n int64
	apptest.Must(t, e.DB.Gorm.Table("replies").Where("author_id = ?", u.ID).Count(&n))
	if n != 0 {
		t.Errorf("%d replies stored from huge fields", n)
	}
	apptest.Must(t, e.DB.Gorm.Table("reports").Where("author_id = ?", u.ID).Count(&n))
	if n != 0 {
		t.Errorf("%d reports stored from huge fields", n)
	}

	// The API answers with a small problem document.
	resp, page = rawRequest(t, addr, "POST /api/v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(huge)+12)+"\r\n\r\n")
	r = apptest.Response{Response: resp, Body: page}
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	wantSmall(t, "API check", r)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("API: content type %q", ct)
	}
	mustContain(t, r.Body, `"status":413`)
}
