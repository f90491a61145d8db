package server_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// relatedEnv holds a report waiting in the queue and the content around
// it: a published warning and reports that share its phone number (in
// and out of the moderator's scope, public and not), a report similar only
// by text and one unrelated.
type relatedEnv struct {
	e                      *apptest.Env
	mod, modOut, admin     *apptest.Client
	member                 *apptest.Client
	modUser                model.User
	warning                int64
	current                int64 // pending, in the moderator's scope
	sharedPub, sharedHid   int64 // in scope: published, hidden
	outHidden, outRejected int64 // out of scope, sharing the phone number
	similar, unrelated     int64 // published, no shared contact
}

const relatedPhone = "+44 7700 900123" // the phone number of apptest's warnings

func newRelatedEnv(t *testing.T) *relatedEnv {
	t.Helper()
	e := apptest.New(t)
	r := &relatedEnv{e: e}
	r.mod, r.modUser = e.Member(t, "mod_rel", model.RoleModerator, []string{"en"}, []string{"UA"})
	r.modOut, _ = e.Member(t, "mod_far", model.RoleModerator, []string{"fr"}, []string{"SY"})
	r.admin, _ = e.Member(t, "admin_rel", model.RoleAdmin, nil, nil)
	r.member, _ = e.Member(t, "member_rel", model.RoleMember, nil, nil)
	r.warning = e.Warning(t, apptest.Titled("Phantom driver agency & <co>"))
	r.current = relReport(t, e, "Orchard harvest recruiter", "They called me from "+relatedPhone+" about tractor harvest work in orchards near Lublin, for a fee.", "en", "UA", "pending")
	r.sharedPub = relReport(t, e, "Same caller offered warehouse shifts", "The same number "+relatedPhone+" offered warehouse shifts in Poland.", "en", "UA", "published")
	r.sharedHid = relReport(t, e, "Hidden report with the same number", "Call "+relatedPhone+" was the contact for a cleaning job.", "en", "UA", "hidden")
	r.outHidden = relReport(t, e, "Rapport caché hors périmètre", "Le numéro "+relatedPhone+" proposait un emploi.", "fr", "SY", "hidden")
	r.outRejected = relReport(t, e, "Rapport refusé hors périmètre", "Encore le numéro "+relatedPhone+" pour un travail.", "fr", "SY", "rejected")
	r.similar = relReport(t, e, "Orchard harvest work near Lublin", "A recruiter promised orchard harvest work with a tractor licence near Lublin and asked for a fee.", "en", "UA", "published")
	r.unrelated = relReport(t, e, "Domestic cleaning visa in Madrid", "An agency sold a domestic work visa for Madrid that did not exist.", "en", "UA", "published")
	return r
}

// relReport stores a guest report and puts it in status.
func relReport(t *testing.T, e *apptest.Env, title, body, lang, country, status string) int64 {
	t.Helper()
	p, err := e.Services.Forum.CreateReport(context.Background(), nil, service.ReportInput{
		Title: title, Body: body, Lang: lang, Category: "fake-job-offer", SeenOn: "facebook",
		Origin: []string{country}, Destination: []string{"PL"},
	})
	if err != nil {
		t.Fatalf("report %q: %v", title, err)
	}
	if status != "pending" {
		apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = ?, published_at = ? WHERE id = ?", status, apptest.Now, p.ID))
	}
	return p.ID
}

var (
	textareaRe = regexp.MustCompile(`(?s)<textarea id="([a-z_]+)"[^>]*>(.*?)</textarea>`)
	inputRe    = regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)"`)
	selectRe   = regexp.MustCompile(`(?s)<select id="([a-z_]+)".*?<option value="([^"]*)" selected`)
)

// formValue reads the value of a field of a form page as a browser would
// send it: a text area, a hidden input or a select.
func formValue(t *testing.T, body, name string) string {
	t.Helper()
	for _, re := range []*regexp.Regexp{textareaRe, inputRe} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			if m[1] == name {
				return html.UnescapeString(m[2])
			}
		}
	}
	for _, part := range strings.Split(body, "</select>") {
		if m := selectRe.FindStringSubmatch(part); m != nil && m[1] == name {
			return html.UnescapeString(m[2])
		}
	}
	t.Fatalf("the form has no field %q", name)
	return ""
}

// picks counts the checkboxes that offer report id for a draft.
func picks(body string, id int64) int {
	return strings.Count(body, fmt.Sprintf(`name="report" value="%d"`, id))
}

func TestRelatedContentInTheQueueAndOnTheReportPage(t *testing.T) {
	t.Parallel()
	r := newRelatedEnv(t)
	queue := r.mod.Get(t, "/en/mod/queue")
	wantStatus(t, queue, http.StatusOK)
	page := r.mod.Get(t, fmt.Sprintf("/en/reports/%d", r.current))
	wantStatus(t, page, http.StatusOK)
	for name, body := range map[string]string{"queue": queue.Body, "report page": page.Body} {
		t.Run(name, func(t *testing.T) {
			mustContain(t, body, "Published warnings with the same contact", "Phantom driver agency &amp; &lt;co&gt;",
				"Same caller offered warehouse shifts", "Hidden report with the same number", ">hidden</span>",
				"Most similar by text", "Orchard harvest work near Lublin", "<mark>", "&#43;447700900123",
				fmt.Sprintf(`name="report" value="%d" checked`, r.current), `action="/en/mod/warnings/draft"`)
			mustNotContain(t, body, "Rapport caché", "Rapport refusé", "Domestic cleaning visa", "<co>")
			if n := picks(body, r.current); n != 1 {
				t.Errorf("the report is offered %d times, want once (itself, ticked)", n)
			}
			if n := picks(body, r.similar); n != 1 {
				t.Errorf("the similar report is offered %d times, want once", n)
			}
		})
	}
	// An admin sees every state everywhere.
	all := r.admin.Get(t, fmt.Sprintf("/en/reports/%d", r.current))
	mustContain(t, all.Body, "Rapport caché hors périmètre", "Rapport refusé hors périmètre")
	// On a published report, the report itself is not among its similar
	// items, nor the items that share its phone number twice.
	pub := r.mod.Get(t, fmt.Sprintf("/en/reports/%d", r.sharedPub))
	mustContain(t, pub.Body, "Orchard harvest recruiter", "Phantom driver agency")
	if n := picks(pub.Body, r.sharedPub); n != 1 {
		t.Errorf("a published report offers itself %d times", n)
	}
	if n := picks(pub.Body, r.current); n != 1 {
		t.Errorf("a shared report is offered %d times", n)
	}
	// Nobody else sees the related content: a member, a visitor and a
	// moderator out of scope read the public report without it, and the
	// pending one not at all.
	for name, c := range map[string]*apptest.Client{"member": r.member, "visitor": r.e.NewClient(), "moderator out of scope": r.modOut} {
		p := c.Get(t, fmt.Sprintf("/en/reports/%d", r.sharedPub))
		wantStatus(t, p, http.StatusOK)
		mustNotContain(t, p.Body, "related-h", "Hidden report with the same number", "/mod/warnings/draft")
		if p := c.Get(t, fmt.Sprintf("/en/reports/%d", r.current)); p.StatusCode != http.StatusNotFound && p.StatusCode != http.StatusSeeOther {
			t.Errorf("%s reads the pending report: %d", name, p.StatusCode)
		}
	}
	// The moderator out of scope has their own queue without any of it.
	far := r.modOut.Get(t, "/en/mod/queue")
	mustNotContain(t, far.Body, "Orchard harvest recruiter", "Hidden report with the same number", "Rapport caché")
}

func TestRelatedIsRefusedOutsideTheModeratorsScope(t *testing.T) {
	t.Parallel()
	r := newRelatedEnv(t)
	ctx := context.Background()
	_, member := r.e.Member(t, "member_svc", model.RoleMember, nil, nil)
	_, far := r.e.Member(t, "mod_svc_far", model.RoleModerator, []string{"fr"}, []string{"SY"})
	banned := r.modUser
	until := apptest.Now.Add(24 * time.Hour)
	banned.BannedUntil = &until
	for name, c := range map[string]struct {
		u    *model.User
		id   int64
		want error
	}{
		"visitor":                    {nil, r.sharedPub, apperr.ErrForbidden},
		"member":                     {&member, r.sharedPub, apperr.ErrForbidden},
		"moderator out of scope":     {&far, r.current, apperr.ErrNotFound},
		"moderator, public report":   {&far, r.sharedPub, apperr.ErrNotFound},
		"banned moderator":           {&banned, r.current, apperr.ErrForbidden},
		"moderator, no such report":  {&r.modUser, 999999, apperr.ErrNotFound},
		"moderator, forged negative": {&r.modUser, -1, apperr.ErrNotFound},
	} {
		if _, err := r.e.Services.Moderation.Related(ctx, c.u, c.id); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	rc, err := r.e.Services.Moderation.Related(ctx, &r.modUser, r.current)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Warnings) != 1 || rc.Warnings[0].ID != r.warning || len(rc.Warnings[0].Shared) != 1 || rc.Warnings[0].Shared[0].Value != "+447700900123" {
		t.Errorf("warnings sharing the number: %+v", rc.Warnings)
	}
	var got []int64
	for _, it := range rc.Reports {
		got = append(got, it.ID)
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{r.sharedHid, r.sharedPub}) {
		t.Errorf("reports sharing the number: %v, want %v", got, []int64{r.sharedHid, r.sharedPub})
	}
	if len(rc.Similar) == 0 || rc.Similar[0].ID != r.similar {
		t.Errorf("similar: %+v, want report %d first", rc.Similar, r.similar)
	}
}

func TestDraftAWarningFromRelatedReports(t *testing.T) {
	t.Parallel()
	r := newRelatedEnv(t)
	r.mod.Get(t, "/en/mod/queue")
	form := r.mod.Post(t, "/en/mod/warnings/draft", url.Values{"report": {fmt.Sprint(r.current), fmt.Sprint(r.sharedPub), fmt.Sprint(r.sharedHid), fmt.Sprint(r.sharedPub)}})
	wantStatus(t, form, http.StatusOK)
	if cc := form.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q", cc)
	}
	mustContain(t, form.Body, `value="Orchard harvest recruiter"`, "phone: &#43;447700900123",
		fmt.Sprintf(`name="sources" value="%d"`, r.sharedPub), `<option value="UA" selected`, `<option value="fake-job-offer" selected`,
		"1 published report will be linked", fmt.Sprintf(`href="/en/reports/%d">#%d`, r.current, r.current), fmt.Sprintf(`#%d</a>`, r.sharedHid))
	if n := strings.Count(form.Body, "phone: &#43;447700900123"); n != 1 {
		t.Errorf("the shared number is listed %d times", n)
	}
	// Saving the form as filled in links the public report, and only it.
	values := warningDraft("Orchard harvest recruiter calling from the UK")
	for _, name := range []string{"indicators", "sources", "category", "origin", "destination"} {
		values.Set(name, formValue(t, form.Body, name))
	}
	id := createWarning(t, r.mod, values)
	var links []int64
	apptest.Must(t, r.e.DB.Gorm.Table("warning_reports").Where("warning_id = ?", id).Order("report_id").Pluck("report_id", &links))
	if fmt.Sprint(links) != fmt.Sprint([]int64{r.sharedPub}) {
		t.Errorf("warning %d linked to %v, want [%d]", id, links, r.sharedPub)
	}
	var status string
	apptest.Must(t, r.e.DB.Gorm.Table("warnings").Where("id = ?", id).Select("status").Scan(&status))
	if status != string(model.WarningDraft) {
		t.Errorf("the new warning is %s, not a draft", status)
	}
	// A copy in Arabic is localised and right to left.
	ar := r.mod.Post(t, "/ar/mod/warnings/draft", url.Values{"report": {fmt.Sprint(r.current)}})
	wantStatus(t, ar, http.StatusOK)
	mustContain(t, ar.Body, `dir="rtl"`, html.EscapeString("مُلئ النموذج"))
}

func TestDraftFromReportsRefusesBypasses(t *testing.T) {
	t.Parallel()
	r := newRelatedEnv(t)
	before := countRows(t, r.e)
	var links int64
	apptest.Must(t, r.e.DB.Gorm.Table("warning_reports").Count(&links))
	many := url.Values{}
	for i := 0; i <= service.MaxDraftReports; i++ {
		many.Add("report", fmt.Sprint(r.current+int64(i)))
	}
	id := func(v int64) url.Values { return url.Values{"report": {fmt.Sprint(v)}} }
	for _, c := range []struct {
		name   string
		client *apptest.Client
		values url.Values
		status int
		text   string
	}{
		{"hidden report out of scope", r.mod, id(r.outHidden), http.StatusNotFound, "Page not found"},
		{"rejected report out of scope, with one in scope", r.mod, url.Values{"report": {fmt.Sprint(r.current), fmt.Sprint(r.outRejected)}}, http.StatusNotFound, ""},
		{"no such report", r.mod, id(99999999), http.StatusNotFound, ""},
		{"not a number", r.mod, url.Values{"report": {"12abc"}}, http.StatusBadRequest, ""},
		{"negative", r.mod, url.Values{"report": {"-3"}}, http.StatusBadRequest, ""},
		{"none", r.mod, url.Values{}, http.StatusBadRequest, "Tick at least one report."},
		{"too many", r.mod, many, http.StatusBadRequest, "Tick at most 50 reports."},
		{"pending report, moderator out of scope", r.modOut, id(r.current), http.StatusNotFound, ""},
		{"member", r.member, id(r.sharedPub), http.StatusNotFound, ""},
		{"visitor", r.e.NewClient(), id(r.sharedPub), http.StatusNotFound, ""},
	} {
		c.client.Get(t, "/en/reports/new")
		resp := c.client.Post(t, "/en/mod/warnings/draft", c.values)
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.status)
		}
		if c.text != "" && !strings.Contains(resp.Body, c.text) {
			t.Errorf("%s: the answer does not say %q", c.name, c.text)
		}
		mustNotContain(t, resp.Body, "Rapport caché", "Rapport refusé")
	}
	// French moderators read the refusal in French.
	r.mod.Get(t, "/fr/reports/new")
	fr := r.mod.Post(t, "/fr/mod/warnings/draft", url.Values{})
	mustContain(t, fr.Body, "Cochez au moins un signalement.")
	// Without the CSRF token, or with a forged one.
	for _, token := range []string{"", "forged"} {
		resp := r.mod.Post(t, "/en/mod/warnings/draft", url.Values{"_csrf": {token}, "report": {fmt.Sprint(r.current)}})
		wantStatus(t, resp, http.StatusForbidden)
	}
	// A source that is not public is refused when the form is saved, even
	// when written into the form by hand.
	r.mod.Get(t, "/en/mod/warnings/new")
	forged := warningDraft("A warning with a forged source")
	forged.Set("sources", fmt.Sprint(r.sharedHid))
	wantStatus(t, r.mod.Post(t, "/en/mod/warnings/new", forged), http.StatusUnprocessableEntity)
	// A moderator banned while signed in is signed out at once: the form
	// sent with the ended session is refused, and the queue is gone.
	apptest.Must(t, r.e.DB.Gorm.Exec("UPDATE users SET banned_until = ? WHERE id = ?", apptest.Now.Add(48*time.Hour), r.modUser.ID))
	wantStatus(t, r.mod.Post(t, "/en/mod/warnings/draft", id(r.current)), http.StatusForbidden)
	wantStatus(t, r.mod.Get(t, "/en/mod/queue"), http.StatusNotFound)
	after := countRows(t, r.e)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused drafts changed the database: %v -> %v", before, after)
	}
	var linksAfter int64
	apptest.Must(t, r.e.DB.Gorm.Table("warning_reports").Count(&linksAfter))
	if linksAfter != links {
		t.Errorf("links %d -> %d", links, linksAfter)
	}
}

func TestRelatedContentOfAWaitingReply(t *testing.T) {
	t.Parallel()
	r := newRelatedEnv(t)
	_, writer := r.e.Member(t, "new_writer", model.RoleMember, nil, nil)
	posted, err := r.e.Services.Forum.CreateReply(context.Background(), &writer, r.similar, "Me too: they called from "+relatedPhone+" and asked for the fee.")
	if err != nil || !posted.Pending {
		t.Fatalf("reply: %+v, %v", posted, err)
	}
	queue := r.mod.Get(t, "/en/mod/queue")
	wantStatus(t, queue, http.StatusOK)
	_, item, ok := strings.Cut(queue.Body, "Me too: they called")
	if !ok {
		t.Fatal("the reply is not in the queue")
	}
	item, _, _ = strings.Cut(item, "</article>")
	// The reply's number is found in its text: the warning and the reports
	// that name it, the hidden one in scope marked; its own thread is the
	// report to draft from, ticked, and not listed again.
	mustContain(t, item, "The report this reply answers", fmt.Sprintf(`name="report" value="%d" checked`, r.similar),
		"Phantom driver agency", "Same caller offered warehouse shifts", "Hidden report with the same number", "Orchard harvest recruiter")
	mustNotContain(t, item, "Rapport caché", "Rapport refusé")
	if n := picks(item, r.similar); n != 1 {
		t.Errorf("the reply's report is offered %d times", n)
	}
}
