package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// Tests of the seams between the parts of issue 7: one part's rule applied
// on another part's path.

func TestConfirmationsOfABannedMemberStopCounting(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "admin_confirm", model.RoleAdmin, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, admin, "Report that sock puppets confirm", "")
	path := fmt.Sprintf("/en/reports/%d", id)
	var puppetID int64
	for i, name := range []string{"honest_reader", "puppet_reader"} {
		c, u := e.Member(t, name, model.RoleMember, nil, nil)
		trust(t, e, u.ID, 5, 30)
		c.Get(t, path)
		wantStatus(t, c.Post(t, path+"/confirm", nil), http.StatusSeeOther)
		if i == 1 {
			puppetID = u.ID
		}
	}
	mustContain(t, e.Get(t, path).Body, "2 people met this offer")
	wantStatus(t, restrictAs(t, admin, "en", puppetID, "ban", "30"), http.StatusSeeOther)
	page := e.Get(t, path).Body
	mustContain(t, page, "1 person met this offer")
	mustContain(t, e.Get(t, "/en/reports").Body, "1 person met this offer")
}

func TestFlagsWeighTrustLeftAfterHiddenPosts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_weight", model.RoleModerator, []string{"en"}, []string{"UA"})
	victim := publishedReport(t, e, mod, "Report a ring wants gone", "")
	// Three members, each with three approved posts: trusted. Moderators
	// then hide one post of each as spam.
	var ring []*apptest.Client
	for i := 0; i < 3; i++ {
		c, u := e.Member(t, fmt.Sprintf("ring%d", i), model.RoleMember, nil, nil)
		for j := 0; j < 3; j++ {
			id := publishedReport(t, e, mod, fmt.Sprintf("Post %d of ring member %d", j, i), "")
			if err := e.DB.Gorm.Table("reports").Where("id = ?", id).Update("author_id", u.ID).Error; err != nil {
				t.Fatal(err)
			}
			if j == 0 {
				wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"Spam of a ring"}}), http.StatusSeeOther)
			}
		}
		trust(t, e, u.ID, 3, 30)
		ring = append(ring, c)
	}
	for _, c := range ring {
		wantStatus(t, flagReport(t, c, victim), http.StatusSeeOther)
	}
	if status, _ := reportStatus(t, e, victim); status != "published" {
		t.Fatalf("members whose posts were hidden as spam hid a report: %s", status)
	}
	mustContain(t, mod.Get(t, "/en/mod/flags").Body, "2 approved posts", "count 0 of the 3")
}

// A category's name is shown on every warning in it: one admin alone
// cannot make it name a company.
func TestCategoryNamesCannotNameACompany(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	admin, _ := f.e.Member(t, "admin_names", model.RoleAdmin, nil, nil)
	f.publishAlone(t, "Farm work for a fee")
	var id int64
	apptest.Must(t, f.e.DB.Gorm.Table("categories").Select("id").Where("slug = 'fake-job-offer'").Scan(&id))
	before := countRows(t, f.e)
	admin.Get(t, "/en/admin/categories")
	r := admin.Post(t, fmt.Sprintf("/en/admin/categories/%d", id), url.Values{"name_en": {"Jobs by EuroStaff Partners"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "A category name cannot name a company")
	r = admin.Post(t, "/en/admin/categories", url.Values{"slug": {"baltic-crew"}, "name_en": {"Baltic Crew Agency jobs"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if after := countRows(t, f.e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused category names changed the database: %v -> %v", before, after)
	}
	mustNotContain(t, f.e.Get(t, "/en/warnings").Body, "Jobs by EuroStaff Partners")
	// A name that names no company is taken.
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/categories/%d", id), url.Values{"name_en": {"Fake job offers abroad"}}), http.StatusSeeOther)
}

// Deleting an account also empties the notes of the member's flags: text
// they wrote that is not one of their posts.
func TestAccountDeletionEmptiesTheMembersFlagNotes(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_notes", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report flagged with a note", "")
	leaver, _ := e.Member(t, "leaving_flagger", model.RoleMember, nil, nil)
	leaver.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
	note := "This is my sister, call me at +44 7700 900555"
	wantStatus(t, leaver.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"personal_data"}, "note": {note}}), http.StatusSeeOther)
	mustContain(t, mod.Get(t, "/en/mod/flags").Body, "900555")
	leaver.Get(t, "/en/account")
	wantStatus(t, leaver.Post(t, "/en/account/delete", url.Values{"password": {"member password 123"}}), http.StatusSeeOther)
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("flags").Where("note LIKE ?", "%900555%").Count(&n))
	if n != 0 {
		t.Errorf("%d flag notes of a deleted account are kept", n)
	}
	mustNotContain(t, mod.Get(t, "/en/mod/flags").Body, "900555")
	// The flag itself stays for the moderators, as a visitor's.
	if c := countFlags(t, e, id); c != 1 {
		t.Errorf("%d flags, want 1", c)
	}
}

// Logging out ends the session on the server: its cookie, replayed, is a
// visitor's.
func TestLogoutEndsTheSessionOnTheServer(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c, _ := e.Member(t, "leaves_a_cafe", model.RoleMember, nil, nil)
	mustContain(t, c.Get(t, "/en/account").Body, "Hello, leaves_a_cafe")
	stolen := c.Cookie("fw_session")
	if stolen == "" {
		t.Fatal("no session cookie")
	}
	wantStatus(t, c.Post(t, "/en/logout", nil), http.StatusSeeOther)
	req, _ := http.NewRequest(http.MethodGet, "/en/account", nil)
	req.AddCookie(&http.Cookie{Name: "fw_session", Value: stolen})
	r := e.Do(t, req)
	wantStatus(t, r, http.StatusSeeOther)
	if loc(r) != "/en/login?next=%2Fen%2Faccount" {
		t.Errorf("replayed session cookie after logout sent to %q", loc(r))
	}
}

// The audit entries written by the new paths of issue 7 (revisions, bulk
// reject, ban and remove, hiding by flags) keep the scope of their
// content: in-scope moderators see them, others do not.
func TestNewAuditEntriesKeepTheirScope(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	e := f.e
	id := f.publishAlone(t, "Farm work that never existed")
	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "Baltic Crew Agency asks for 300 euros before the trip.")
	wantStatus(t, f.edit(t, f.one, id, form), http.StatusSeeOther)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(f.pendingRevision(t, id))}}), http.StatusSeeOther)

	spammer, s := e.Member(t, "spam_wave", model.RoleMember, nil, nil)
	var pending []int64
	for i := 0; i < 3; i++ {
		rid, r := postReport(t, spammer, reportForm(fmt.Sprintf("Spam wave post number %d", i)))
		wantStatus(t, r, http.StatusSeeOther)
		pending = append(pending, rid)
	}
	f.one.Get(t, "/en/mod/queue")
	wantStatus(t, f.one.Post(t, "/en/mod/queue/bulk", url.Values{"item": {fmt.Sprintf("report:%d", pending[0])}, "reason": {"Spam wave"}}), http.StatusSeeOther)
	f.one.Get(t, "/en/mod/queue")
	wantStatus(t, f.one.Post(t, "/en/mod/queue/purge", url.Values{"user": {fmt.Sprint(s.ID)}, "days": {"30"}, "reason": {"Spam wave"}}), http.StatusSeeOther)

	target := publishedReport(t, e, f.one, "Report trusted readers flag", "")
	for i := 0; i < 3; i++ {
		c, u := e.Member(t, fmt.Sprintf("careful_reader%d", i), model.RoleMember, nil, nil)
		trust(t, e, u.ID, 3, 30)
		wantStatus(t, flagReport(t, c, target), http.StatusSeeOther)
	}
	if status, _ := reportStatus(t, e, target); status != "hidden" {
		t.Fatalf("report is %s", status)
	}

	var actions []string
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("target_type IN ('report', 'reply', 'warning') AND (lang = '' OR countries = '' OR countries IS NULL)").Pluck("action", &actions))
	if len(actions) > 0 {
		t.Errorf("audit entries without the scope of their content: %v", actions)
	}
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("action IN ('warning.revision.propose', 'warning.revision.approve', 'report.reject', 'report.auto_hide', 'user.ban')").Count(&n))
	if n < 5 {
		t.Errorf("only %d of the entries the test made", n)
	}
	for _, c := range []struct {
		who  *apptest.Client
		sees bool
	}{{f.two, true}, {f.far, false}} {
		page := c.who.Get(t, "/en/mod/log").Body
		for _, s := range []string{"<code>warning.revision.propose</code>", "<code>warning.revision.approve</code>", "<code>report.auto_hide</code>", "<code>report.reject</code>", "<code>user.ban</code>", "Spam wave"} {
			if strings.Contains(page, s) != c.sees {
				t.Errorf("moderator sees %q: %v, want %v", s, !c.sees, c.sees)
			}
		}
	}
}

// A known company written into an indicator line of another kind (a
// social handle, a link) names it as surely as a company line.
func TestFourEyesCompanyInAnIndicatorLineOfAnotherKind(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	for _, line := range []string{"social: facebook EuroStaff Partners", "link: https://example.com/EuroStaff Partners", "email: baltic.crew.agency@example.com", "phone: +44 7700 900778 (EuroStaff Partners)", "email: jobs@example.com EuroStaff Partners", "link: https://example.com/jobs EuroStaff Partners", "iban: GB82 WEST 1234 5698 7654 32 EuroStaff Partners", "social: telegram @eurostaff EuroStaff Partners"} {
		id := f.publishAlone(t, "Farm work "+line[:5])
		form := unnamedDraft("Farm work " + line[:5])
		form.Set("indicators", "phone: +44 7700 900777\n"+line)
		r := f.edit(t, f.one, id, form)
		if r.StatusCode == http.StatusUnprocessableEntity {
			continue // not an indicator the form takes
		}
		wantStatus(t, r, http.StatusSeeOther)
		pub := f.public(t, id, "en")
		for _, c := range knownCompanies {
			if strings.Contains(pub, c) {
				t.Errorf("%q: one moderator published %q", line, c)
			}
		}
	}
}

// A warning's sources are public reports: one that does not exist, or is
// not public, is refused with a form error, never a 500, and nothing is
// written.
func TestWarningSourcesMustBePublicReports(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	member, _ := f.e.Member(t, "source_writer", model.RoleMember, nil, nil)
	pendingID, r := postReport(t, member, reportForm("A report still waiting"))
	wantStatus(t, r, http.StatusSeeOther)
	for _, src := range []string{"999999", fmt.Sprint(pendingID)} {
		before := countRows(t, f.e)
		form := unnamedDraft("Farm work drawn from " + src)
		form.Set("sources", src)
		f.one.Get(t, "/en/mod/warnings/new")
		r := f.one.Post(t, "/en/mod/warnings/new", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if after := countRows(t, f.e); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("source %s: refused warning changed the database: %v -> %v", src, before, after)
		}
	}
}

// Replies are flagged through the same rule as reports: fresh, silenced
// and banned accounts hide nothing.
func TestUntrustedAccountsCannotHideAReply(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "admin_replies", model.RoleAdmin, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, admin, "Report with a helpful reply", "")
	admin.Get(t, fmt.Sprintf("/en/reports/%d", id))
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"The same agency called a friend of mine."}}), http.StatusSeeOther)
	var reply int64
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("id").Where("report_id = ?", id).Scan(&reply))
	flag := func(c *apptest.Client) apptest.Response {
		c.Get(t, fmt.Sprintf("/en/flag?kind=reply&id=%d&report=%d", reply, id))
		return c.Post(t, "/en/flag", url.Values{"kind": {"reply"}, "id": {fmt.Sprint(reply)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}})
	}
	var quietID, goneID int64
	quiet, q := e.Member(t, "quiet_flagger", model.RoleMember, nil, nil)
	gone, g := e.Member(t, "gone_flagger", model.RoleMember, nil, nil)
	quietID, goneID = q.ID, g.ID
	trust(t, e, quietID, 50, 100)
	trust(t, e, goneID, 50, 100)
	gone.Get(t, fmt.Sprintf("/en/flag?kind=reply&id=%d&report=%d", reply, id))
	goneToken := gone.Token
	wantStatus(t, restrictAs(t, admin, "en", quietID, "silence", "7"), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", goneID, "ban", "7"), http.StatusSeeOther)
	wantStatus(t, flag(quiet), http.StatusUnprocessableEntity)
	gone.Token = goneToken
	wantStatus(t, gone.Post(t, "/en/flag", url.Values{"kind": {"reply"}, "id": {fmt.Sprint(reply)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}}), http.StatusForbidden)
	for i := 0; i < 4; i++ {
		c := e.NewClient()
		c.Header = http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i+1)}}
		wantStatus(t, c.Register(t, fmt.Sprintf("reply_puppet%d", i), goodPassword), http.StatusSeeOther)
		wantStatus(t, flag(c), http.StatusSeeOther)
	}
	var status string
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("status").Where("id = ?", reply).Scan(&status))
	if status != "published" {
		t.Errorf("fresh, silenced and banned accounts left the reply %s", status)
	}
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("flags").Where("target_type = 'reply' AND target_id = ?", reply).Count(&n))
	if n != 4 {
		t.Errorf("%d flags on the reply, want the 4 of the fresh accounts", n)
	}
}

// An organisation's name is shown on every warning it publishes: one
// admin alone cannot make it name a company either.
func TestOrganisationNamesCannotNameACompany(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	admin, _ := f.e.Member(t, "admin_orgs", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/organisations")
	wantStatus(t, admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Workers Help Line"}}), http.StatusSeeOther)
	var id int64
	apptest.Must(t, f.e.DB.Gorm.Table("organisations").Select("id").Where("name = 'Workers Help Line'").Scan(&id))
	before := countRows(t, f.e)
	r := admin.Post(t, "/en/admin/organisations", url.Values{"name": {"Nordic Harvest Recruitment victims"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "An organisation&#39;s name cannot name a company")
	r = admin.Post(t, fmt.Sprintf("/en/admin/organisations/%d", id), url.Values{"name": {"EuroStaff Partners"}})
	if r.StatusCode < 400 || r.StatusCode >= 500 {
		t.Errorf("renaming an organisation to a known company: %d", r.StatusCode)
	}
	if after := countRows(t, f.e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused organisation names changed the database: %v -> %v", before, after)
	}
	var name string
	apptest.Must(t, f.e.DB.Gorm.Table("organisations").Select("name").Where("id = ?", id).Scan(&name))
	if name != "Workers Help Line" {
		t.Errorf("organisation renamed to %q", name)
	}
}

// A moderator's restriction of at most 30 days never shortens a longer one
// an admin gave: restricting again for a day does not lift a year's ban,
// through the restrict form or "ban and remove".
func TestModeratorsCannotShortenAnAdminsRestriction(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "admin_long", model.RoleAdmin, nil, nil)
	mod, _ := e.Member(t, "mod_short", model.RoleModerator, []string{"en"}, []string{"UA"})
	member, u := e.Member(t, "long_banned", model.RoleMember, nil, nil)
	_, r := postReport(t, member, reportForm("A report in the moderator's scope"))
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", u.ID, "ban", "365"), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", u.ID, "silence", "365"), http.StatusSeeOther)
	until := func(column string) time.Time {
		var v struct{ T time.Time }
		apptest.Must(t, e.DB.Gorm.Table("users").Select(column+" AS t").Where("id = ?", u.ID).Scan(&v))
		return v.T
	}
	yearBan, yearSilence := until("banned_until"), until("silenced_until")
	wantStatus(t, restrictAs(t, mod, "en", u.ID, "ban", "1"), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, mod, "en", u.ID, "silence", "1"), http.StatusSeeOther)
	mod.Get(t, "/en/mod/queue")
	wantStatus(t, mod.Post(t, "/en/mod/queue/purge", url.Values{"user": {fmt.Sprint(u.ID)}, "days": {"1"}, "reason": {"Spam wave"}}), http.StatusSeeOther)
	if got := until("banned_until"); !got.Equal(yearBan) {
		t.Errorf("a moderator moved an admin's ban from %v to %v", yearBan, got)
	}
	if got := until("silenced_until"); !got.Equal(yearSilence) {
		t.Errorf("a moderator moved an admin's silence from %v to %v", yearSilence, got)
	}
	// An admin may shorten it.
	wantStatus(t, restrictAs(t, admin, "en", u.ID, "ban", "1"), http.StatusSeeOther)
	if got := until("banned_until"); !got.Before(yearBan) {
		t.Errorf("an admin could not shorten the ban: %v", got)
	}
}

// The proposed texts of decided warning revisions are copies of the audit
// log's texts: the audit retention empties them too.
func TestAuditRetentionEmptiesDecidedRevisions(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "Baltic Crew Agency asks for 300 euros; the victim's own number is +380 67 999 8877.")
	wantStatus(t, f.edit(t, f.one, id, form), http.StatusSeeOther)
	rev := f.pendingRevision(t, id)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"reject"}, "revision": {fmt.Sprint(rev)}, "reason": {"Names the victim"}}), http.StatusSeeOther)
	// A year and a day later.
	old := apptest.Now.Add(-366 * 24 * time.Hour)
	f.e.DB.Gorm.Table("warning_revisions").Where("id = ?", rev).Updates(map[string]any{"created_at": old, "decided_at": old})
	f.e.DB.Gorm.Table("moderation_actions").Where("target_type = 'warning' AND target_id = ?", id).Update("created_at", old)
	if _, err := f.e.Services.Moderation.PurgeAuditTexts(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"warning_revisions", "moderation_actions", "warning_translations"} {
		var rows []map[string]any
		apptest.Must(t, f.e.DB.Gorm.Table(table).Find(&rows))
		if strings.Contains(fmt.Sprint(rows), "999 8877") {
			t.Errorf("%s keeps the number after the retention", table)
		}
	}
	// A waiting revision is never emptied.
	wantStatus(t, f.edit(t, f.one, id, form), http.StatusSeeOther)
	pending := f.pendingRevision(t, id)
	f.e.DB.Gorm.Table("warning_revisions").Where("id = ?", pending).Update("created_at", old)
	if _, err := f.e.Services.Moderation.PurgeAuditTexts(context.Background()); err != nil {
		t.Fatal(err)
	}
	mustContain(t, f.two.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id)).Body, "999 8877")
}

// Hostile input on the routes issue 7 added: refusals, never a 500, and
// nothing written.
func TestNewRoutesRefuseHostileInput(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	_, mod := f.e.Member(t, "mod_victim", model.RoleModerator, []string{"en"}, []string{"UA"})
	many := url.Values{"reason": {"Spam wave"}}
	for i := 0; i < 1200; i++ {
		many.Add("item", fmt.Sprintf("report:%d", i+1))
	}
	before := countRows(t, f.e)
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/en/mod/queue/purge", url.Values{"user": {"999999"}, "days": {"3"}, "reason": {"Spam wave"}}},
		{"/en/mod/queue/purge", url.Values{"user": {fmt.Sprint(f.oneID)}, "days": {"3"}, "reason": {"Spam wave"}}},
		{"/en/mod/queue/purge", url.Values{"user": {fmt.Sprint(mod.ID)}, "days": {"3"}, "reason": {"Spam wave"}}},
		{"/en/mod/queue/purge", url.Values{"user": {"-1"}, "days": {"3"}, "reason": {"Spam wave"}}},
		{"/en/mod/queue/purge", url.Values{"user": {"99999999999999999999999"}, "days": {"3"}}},
		{"/en/mod/queue/bulk", many},
		{"/en/mod/queue/bulk", url.Values{"item": {"report:1", "reply:-3", "user:1", "report:99999999999999999999"}, "reason": {""}}},
		{fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {"approve"}, "revision": {"abc"}}},
		{fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {"approve"}, "revision": {"999999"}}},
		{fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {"reject"}, "revision": {"999999"}, "reason": {strings.Repeat("x", 5000)}}},
	} {
		f.one.Get(t, "/en/mod/queue")
		r := f.one.Post(t, c.path, c.form)
		if r.StatusCode >= 500 || r.StatusCode < 400 {
			t.Errorf("%s %v: %d", c.path, c.form["user"], r.StatusCode)
		}
	}
	if after := countRows(t, f.e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused requests changed the database: %v -> %v", before, after)
	}
}

// A moderator hides posts only in their scope: their flag on a post outside
// it counts as any trusted member's, not as a moderator's decision.
func TestAModeratorsFlagOutsideTheirScopeDoesNotHide(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	inScope, _ := e.Member(t, "mod_ua", model.RoleModerator, []string{"en"}, []string{"UA"})
	far, _ := e.Member(t, "mod_sy", model.RoleModerator, []string{"en"}, []string{"SY"})
	id := publishedReport(t, e, inScope, "Report a far moderator dislikes", "")
	wantStatus(t, act(t, far, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"Out of my scope"}}), http.StatusNotFound)
	wantStatus(t, flagReport(t, far, id), http.StatusSeeOther)
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Fatalf("one flag of a moderator outside the scope left the report %s", status)
	}
	// In scope, a moderator's flag still counts fully.
	other := publishedReport(t, e, inScope, "Report the scope's moderator flags", "")
	wantStatus(t, flagReport(t, inScope, other), http.StatusSeeOther)
	if status, _ := reportStatus(t, e, other); status != "hidden" {
		t.Errorf("the moderator's own flag in scope left the report %s", status)
	}
}
