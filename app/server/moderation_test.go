package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// publishedReport posts a report as a moderator in scope, so it is public.
func publishedReport(t *testing.T, e *apptest.Env, mod *apptest.Client, title, body string) int64 {
	t.Helper()
	form := reportForm(title)
	if body != "" {
		form.Set("body", body)
	}
	id, r := postReport(t, mod, form)
	wantStatus(t, r, http.StatusSeeOther)
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Fatalf("report by a moderator is %s", status)
	}
	return id
}

func act(t *testing.T, c *apptest.Client, values url.Values) apptest.Response {
	t.Helper()
	c.Get(t, "/en/mod/queue")
	return c.Post(t, "/en/mod/action", values)
}

func TestRedactionKeepsTheOriginalOnlyInTheAuditLog(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_red", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Agency took my money", "The agent Ivan Petrenko at +44 7700 900123 took 900 euros from me and disappeared.")
	r := act(t, mod, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"Ivan Petrenko"}, "reason": {"Names a private person"}, "back": {fmt.Sprintf("/en/reports/%d", id)}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc(r) != fmt.Sprintf("/en/reports/%d", id) {
		t.Errorf("back to %q", loc(r))
	}
	public := e.Get(t, fmt.Sprintf("/en/reports/%d", id))
	mustContain(t, public.Body, "[redacted]")
	mustNotContain(t, public.Body, "Ivan Petrenko")
	var stored string
	apptest.Must(t, e.DB.Gorm.Table("reports").Select("body").Where("id = ?", id).Scan(&stored))
	if strings.Contains(stored, "Petrenko") {
		t.Error("the original passage is still in the report row")
	}
	log := mod.Get(t, "/en/mod/log?target=report&id="+fmt.Sprint(id))
	wantStatus(t, log, http.StatusOK)
	mustContain(t, log.Body, "report.redact", "Ivan Petrenko", "Names a private person")
	wantStatus(t, e.Get(t, "/en/mod/log"), http.StatusNotFound)
	member, _ := e.Member(t, "curious", model.RoleMember, nil, nil)
	wantStatus(t, member.Get(t, "/en/mod/log"), http.StatusNotFound)

	missing := act(t, mod, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"not in the text"}, "reason": {"test"}})
	wantStatus(t, missing, http.StatusBadRequest)
	mustContain(t, missing.Body, "This passage is not in the text.")
}

func TestHideLockAndUnhide(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_hide", model.RoleModerator, []string{"en"}, []string{"UA"})
	other, _ := e.Member(t, "mod_other", model.RoleModerator, []string{"en"}, []string{"NG"})
	id := publishedReport(t, e, mod, "Report to be hidden", "")
	path := fmt.Sprintf("/en/reports/%d", id)

	wantStatus(t, act(t, other, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"out of scope try"}}), http.StatusNotFound)
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {""}}), http.StatusBadRequest)
	wantStatus(t, act(t, mod, url.Values{"action": {"fly"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"why not"}}), http.StatusBadRequest)

	wantStatus(t, act(t, mod, url.Values{"action": {"lock"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"Enough said"}}), http.StatusSeeOther)
	mustContain(t, e.Get(t, path).Body, "This discussion is closed")
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
	wantStatus(t, e.Get(t, path), http.StatusNotFound)
	mustNotContain(t, e.Get(t, "/en/reports").Body, "Report to be hidden")
	mustContain(t, mod.Get(t, path).Body, "Report to be hidden", "hidden")
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"again"}}), http.StatusBadRequest)
	wantStatus(t, act(t, mod, url.Values{"action": {"unhide"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "reason": {"Was fine"}}), http.StatusSeeOther)
	wantStatus(t, e.Get(t, path), http.StatusOK)
}

func TestFlagsHideAfterEnoughTrustedMembers(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_flags", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Possibly defamatory report", "")
	path := fmt.Sprintf("/en/reports/%d", id)
	flag := func(c *apptest.Client, reason string) apptest.Response {
		c.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
		return c.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {reason}})
	}
	visitor := e.NewClient()
	wantStatus(t, flag(visitor, "spam"), http.StatusSeeOther)
	visitor.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
	wantStatus(t, visitor.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"other"}, "note": {"The phone number is my cousin's."}}), http.StatusSeeOther)
	bad := flag(visitor, "boredom")
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "Choose what is wrong.")

	for i := 0; i < 3; i++ {
		c, u := e.Member(t, fmt.Sprintf("flagger%d", i), model.RoleMember, nil, nil)
		trust(t, e, u.ID, 3, 30)
		wantStatus(t, flag(c, "false_or_defamatory"), http.StatusSeeOther)
		if i < 2 {
			wantStatus(t, flag(c, "false_or_defamatory"), http.StatusSeeOther) // twice counts once
		}
		status, _ := reportStatus(t, e, id)
		if want := map[bool]string{true: "hidden", false: "published"}[i == 2]; status != want {
			t.Fatalf("after %d trusted members' flags the report is %s, want %s", i+1, status, want)
		}
	}
	wantStatus(t, e.Get(t, path), http.StatusNotFound)
	flags := mod.Get(t, "/en/mod/flags")
	mustContain(t, flags.Body, "Possibly defamatory report", "5 flags", "False or defamatory", "Spam or advertising", "The phone number is my cousin&#39;s.")

	wantStatus(t, mod.Post(t, "/en/mod/flags", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}}), http.StatusSeeOther)
	wantStatus(t, e.Get(t, path), http.StatusOK)
	mustNotContain(t, mod.Get(t, "/en/mod/flags").Body, "Possibly defamatory report")
	var auto int64
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("action = 'report.auto_hide' AND target_id = ?", id).Count(&auto))
	if auto != 1 {
		t.Errorf("%d automatic hides logged", auto)
	}
}

func TestSilenceAndBan(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, modUser := e.Member(t, "mod_ban", model.RoleModerator, []string{"en"}, []string{"UA"})
	loud, loudUser := e.Member(t, "loud", model.RoleMember, nil, nil)
	otherMod, otherModUser := e.Member(t, "mod_peer", model.RoleModerator, []string{"en"}, []string{"UA"})
	_ = otherMod
	// A moderator restricts only members who wrote in their scope.
	if _, r := postReport(t, loud, reportForm("Loud member's first report")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("loud's report: %d", r.StatusCode)
	}
	restrict := func(c *apptest.Client, user int64, kind, days string) apptest.Response {
		c.Get(t, "/en/mod/queue")
		return c.Post(t, "/en/mod/restrict", url.Values{"user": {fmt.Sprint(user)}, "kind": {kind}, "days": {days}, "reason": {"Repeated spam"}})
	}
	wantStatus(t, restrict(mod, loudUser.ID, "silence", "0"), http.StatusBadRequest)
	wantStatus(t, restrict(mod, loudUser.ID, "silence", "abc"), http.StatusBadRequest)
	wantStatus(t, restrict(mod, otherModUser.ID, "ban", "3"), http.StatusNotFound)
	wantStatus(t, restrict(mod, modUser.ID, "ban", "3"), http.StatusNotFound)
	wantStatus(t, restrict(loud, modUser.ID, "ban", "3"), http.StatusNotFound)

	wantStatus(t, restrict(mod, loudUser.ID, "silence", "7"), http.StatusSeeOther)
	_, r := postReport(t, loud, reportForm("Silenced member writes"))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "You cannot post until")
	mustContain(t, loud.Get(t, "/en/reports").Body, "Experiences") // may still read

	wantStatus(t, restrict(mod, loudUser.ID, "ban", "30"), http.StatusSeeOther)
	login := e.NewClient().Login(t, "loud", "member password 123")
	wantStatus(t, login, http.StatusUnauthorized)
	mustContain(t, login.Body, "This account is blocked until")
}
