package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
)

// fromIP makes c's requests come from ip through the trusted proxy of an
// app built with trustingEnv.
func fromIP(c *apptest.Client, ip string) *apptest.Client {
	c.Header = http.Header{"X-Forwarded-For": {ip}}
	return c
}

// trustingEnv builds the app behind a proxy it trusts (the test
// connection's own address), so that X-Forwarded-For names the visitor.
func trustingEnv(t *testing.T) *apptest.Env {
	return apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", TrustedProxies: []string{"0.0.0.0"}})
}

func limitsCount(t *testing.T, e *apptest.Env, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.DB.Gorm.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMemberReportsAreLimitedPerMemberAndPerAddress(t *testing.T) {
	t.Parallel()
	e := trustingEnv(t)
	spammer, u := e.Member(t, "spammer1", model.RoleMember, nil, nil)
	fromIP(spammer, "203.0.113.7")
	for i := 0; i < 10; i++ {
		_, r := postReport(t, spammer, reportForm(fmt.Sprintf("Visa fee job offer number %d", i)))
		wantStatus(t, r, http.StatusSeeOther)
	}
	// From another address: the limit follows the member.
	fromIP(spammer, "198.51.100.9")
	_, r := postReport(t, spammer, reportForm("Visa fee job offer number 11"))
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Too many requests", `lang="en"`)
	if got := limitsCount(t, e, "reports", "author_id = ?", u.ID); got != 10 {
		t.Fatalf("%d reports stored, want 10: the refused one is not written", got)
	}
	fr := e.NewClient()
	fromIP(fr, "198.51.100.10")
	fr.Get(t, "/fr/reports/new")
	fr.Login(t, "spammer1", "member password 123")
	fr.Get(t, "/fr/reports/new")
	r = fr.PostMultipart(t, "/fr/reports/new", reportForm("Visa fee job offer in French"))
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, `lang="fr"`)

	// Members behind one address: 30 an hour in all.
	for m := 0; m < 3; m++ {
		c, _ := e.Member(t, fmt.Sprintf("office%d", m), model.RoleMember, nil, nil)
		fromIP(c, "192.0.2.50")
		for i := 0; i < 10; i++ {
			_, r := postReport(t, c, reportForm(fmt.Sprintf("Office report %d-%d about visas", m, i)))
			wantStatus(t, r, http.StatusSeeOther)
		}
	}
	late, _ := e.Member(t, "office3", model.RoleMember, nil, nil)
	fromIP(late, "192.0.2.50")
	_, r = postReport(t, late, reportForm("Office report 3-0 about visas"))
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := limitsCount(t, e, "reports", "title LIKE ?", "Office report%"); got != 30 {
		t.Fatalf("%d office reports stored, want 30", got)
	}
	// Elsewhere, the same kind of member still posts.
	other, _ := e.Member(t, "elsewhere", model.RoleMember, nil, nil)
	fromIP(other, "192.0.2.51")
	_, r = postReport(t, other, reportForm("A report from another address"))
	wantStatus(t, r, http.StatusSeeOther)
}

func TestMemberRepliesAndFlagsAreLimitedPerMember(t *testing.T) {
	t.Parallel()
	e := trustingEnv(t)
	author, _ := e.Member(t, "author", model.RoleModerator, []string{"en"}, []string{"UA"})
	fromIP(author, "192.0.2.1")
	id, _ := postReport(t, author, reportForm("A report to reply to and flag"))
	c, u := e.Member(t, "chatty", model.RoleMember, nil, nil)
	c.Get(t, fmt.Sprintf("/en/reports/%d", id))
	for i := 0; i < 15; i++ {
		fromIP(c, fmt.Sprintf("198.51.100.%d", i+1))
		r := c.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {fmt.Sprintf("Reply number %d here.", i)}})
		wantStatus(t, r, http.StatusSeeOther)
	}
	fromIP(c, "198.51.100.99")
	r := c.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"One reply too many."}})
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := limitsCount(t, e, "replies", "author_id = ?", u.ID); got != 15 {
		t.Fatalf("%d replies stored, want 15", got)
	}

	flagger, fu := e.Member(t, "flagger", model.RoleMember, nil, nil)
	flag := func(i int) apptest.Response {
		fromIP(flagger, fmt.Sprintf("203.0.113.%d", i+1))
		flagger.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
		return flagger.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}})
	}
	for i := 0; i < 20; i++ {
		if r := flag(i); r.StatusCode == http.StatusTooManyRequests || r.StatusCode >= 500 {
			t.Fatalf("flag %d: status %d", i, r.StatusCode)
		}
	}
	e.DB.Gorm.Exec("DELETE FROM flags")
	wantStatus(t, flag(21), http.StatusTooManyRequests)
	if got := limitsCount(t, e, "flags", "reporter_id = ?", fu.ID); got != 0 {
		t.Fatalf("a refused flag was stored")
	}
}
