package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

// trust gives member id approved posts and an account of ageDays days.
func trust(t *testing.T, e *apptest.Env, id int64, approved, ageDays int) {
	t.Helper()
	err := e.DB.Gorm.Table("users").Where("id = ?", id).
		Updates(map[string]any{"approved_posts": approved, "created_at": apptest.Now.Add(-time.Duration(ageDays) * 24 * time.Hour)}).Error
	if err != nil {
		t.Fatal(err)
	}
}

func flagReport(t *testing.T, c *apptest.Client, id int64) apptest.Response {
	t.Helper()
	c.Get(t, fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id))
	return c.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"false_or_defamatory"}})
}

func countFlags(t *testing.T, e *apptest.Env, id int64) (n int64) {
	t.Helper()
	apptest.Must(t, e.DB.Gorm.Table("flags").Where("target_type = 'report' AND target_id = ?", id).Count(&n))
	return n
}

func TestFreshAccountsCannotHideAReport(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_puppets", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report a trafficker wants gone", "")
	// Three accounts registered through the form, three made today, three
	// old ones without approved posts, three visitors: twelve flags.
	var flaggers []*apptest.Client
	for i := 0; i < 3; i++ {
		c := e.NewClient()
		c.Register(t, fmt.Sprintf("puppet%d", i), goodPassword)
		flaggers = append(flaggers, c)
		fresh, _ := e.Member(t, fmt.Sprintf("fresh%d", i), model.RoleMember, nil, nil)
		old, u := e.Member(t, fmt.Sprintf("old_untrusted%d", i), model.RoleMember, nil, nil)
		trust(t, e, u.ID, 1, 90)
		flaggers = append(flaggers, fresh, old, e.NewClient())
	}
	for _, c := range flaggers {
		wantStatus(t, flagReport(t, c, id), http.StatusSeeOther)
	}
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Fatalf("after 12 flags of untrusted flaggers the report is %s", status)
	}
	wantStatus(t, e.Get(t, fmt.Sprintf("/en/reports/%d", id)), http.StatusOK)
	if n := countFlags(t, e, id); n != 12 {
		t.Errorf("%d flags recorded, want 12", n)
	}
	page := mod.Get(t, "/en/mod/flags")
	mustContain(t, page.Body, "Report a trafficker wants gone", "12 flags", "Suspicious", "puppet0", "old_untrusted2", "90 days", "Visitor", "count 0 of the 3")
}

func TestTrustedMembersHideAndModeratorsSeeWhoFlagged(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_trusted", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report with a private address", "")
	// A very trusted member counts 2: with one at the threshold, hidden.
	veteran, v := e.Member(t, "veteran", model.RoleMember, nil, nil)
	trust(t, e, v.ID, 12, 400)
	wantStatus(t, flagReport(t, veteran, id), http.StatusSeeOther)
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Fatalf("one flag of weight 2 hid the report: %s", status)
	}
	regular, r := e.Member(t, "regular", model.RoleMember, nil, nil)
	trust(t, e, r.ID, 3, 20)
	wantStatus(t, flagReport(t, regular, id), http.StatusSeeOther)
	if status, _ := reportStatus(t, e, id); status != "hidden" {
		t.Fatalf("flags of weight 3 left the report %s", status)
	}
	page := mod.Get(t, "/en/mod/flags")
	mustContain(t, page.Body, "Report with a private address", "veteran", "12 approved posts", "400 days", "regular", "20 days", "count 3 of the 3")
	mustNotContain(t, page.Body, "Suspicious")
}

// An admin restricts here: these members wrote nothing a moderator covers.
func TestSilencedAndBannedMembersCannotFlagOrConfirm(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_restrict", model.RoleAdmin, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report readers confirm", "")
	restrict := func(user int64, kind string) {
		mod.Get(t, "/en/account")
		wantStatus(t, mod.Post(t, "/en/mod/restrict", url.Values{"user": {fmt.Sprint(user)}, "kind": {kind}, "days": {"7"}, "reason": {"Sock puppet"}}), http.StatusSeeOther)
	}
	quiet, q := e.Member(t, "quiet", model.RoleMember, nil, nil)
	trust(t, e, q.ID, 50, 100)
	gone, g := e.Member(t, "gone", model.RoleMember, nil, nil)
	trust(t, e, g.ID, 50, 100)
	path := fmt.Sprintf("/en/reports/%d", id)
	gone.Get(t, path) // the form with the confirm button, before the ban
	goneToken := gone.Token
	restrict(q.ID, "silence")
	restrict(g.ID, "ban")
	before := countRows(t, e)

	r := flagReport(t, quiet, id)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "You cannot post until")
	quiet.Get(t, path)
	r = quiet.Post(t, path+"/confirm", nil)
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Body, "You cannot post until")

	// The banned member's session ended with the ban: forms sent with it
	// are refused, and the next page is a visitor's.
	gone.Token = goneToken
	wantStatus(t, gone.Post(t, path+"/confirm", nil), http.StatusForbidden)
	gone.Token = goneToken
	wantStatus(t, gone.Post(t, "/en/flag", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "report": {fmt.Sprint(id)}, "reason": {"spam"}}), http.StatusForbidden)
	wantStatus(t, gone.Get(t, "/en/account"), http.StatusSeeOther)

	if after := countRows(t, e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("silenced and banned members changed the database: %v -> %v", before, after)
	}
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Errorf("report is %s", status)
	}
}

func TestBanEndsEverySessionOfTheMember(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_sessions", model.RoleAdmin, []string{"en"}, []string{"UA"})
	phone, u := e.Member(t, "two_devices", model.RoleMember, nil, nil)
	laptop := e.NewClient()
	wantStatus(t, laptop.Login(t, "two_devices", "member password 123"), http.StatusSeeOther)
	other, _ := e.Member(t, "bystander", model.RoleMember, nil, nil)
	for _, c := range []*apptest.Client{phone, laptop} {
		mustContain(t, c.Get(t, "/en/account").Body, "Hello, two_devices")
	}
	mod.Get(t, "/en/account")
	wantStatus(t, mod.Post(t, "/en/mod/restrict", url.Values{"user": {fmt.Sprint(u.ID)}, "kind": {"ban"}, "days": {"3"}, "reason": {"Spam wave"}}), http.StatusSeeOther)
	for _, c := range []*apptest.Client{phone, laptop} {
		r := c.Get(t, "/en/account")
		wantStatus(t, r, http.StatusSeeOther)
		if loc(r) != "/en/login?next=%2Fen%2Faccount" {
			t.Errorf("banned member sent to %q", loc(r))
		}
		mustNotContain(t, c.Get(t, "/en/reports").Body, "two_devices")
	}
	mustContain(t, other.Get(t, "/en/account").Body, "Hello, bystander")
}

func TestPasswordChangeEndsOtherSessionsOnly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mine, _ := e.Member(t, "careful", model.RoleMember, nil, nil)
	thief := e.NewClient()
	wantStatus(t, thief.Login(t, "careful", "member password 123"), http.StatusSeeOther)
	mustContain(t, thief.Get(t, "/en/account").Body, "Hello, careful")
	thiefToken := thief.Token

	mine.Get(t, "/en/account")
	wantStatus(t, mine.Post(t, "/en/account/password", url.Values{"current": {"member password 123"}, "new": {"a fresh passphrase 42"}, "new_again": {"a fresh passphrase 42"}}), http.StatusSeeOther)
	mustContain(t, mine.Get(t, "/en/account").Body, "Hello, careful")

	// The other session can neither act nor read as the member.
	before := countRows(t, e)
	thief.Token = thiefToken
	r := thief.Post(t, "/en/account/delete", url.Values{"password": {"member password 123"}})
	wantStatus(t, r, http.StatusForbidden)
	wantStatus(t, thief.Get(t, "/en/account"), http.StatusSeeOther)
	if after := countRows(t, e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the ended session changed the database: %v -> %v", before, after)
	}
	// The current session goes on, with a working form.
	mine.Get(t, "/en/account")
	wantStatus(t, mine.Post(t, "/en/logout", nil), http.StatusSeeOther)
	wantStatus(t, mine.Get(t, "/en/account"), http.StatusSeeOther)
}

func TestLoginRotatesTheCSRFToken(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	if _, err := e.Services.Users.Create(t.Context(), service.NewUser{Pseudonym: "rotated", Password: "member password 123", Role: "member"}); err != nil {
		t.Fatal(err)
	}
	c := e.NewClient()
	c.Get(t, "/en/login")
	before, cookie := c.Token, c.Cookie("fw_csrf")
	if before == "" || cookie == "" {
		t.Fatal("the login form has no CSRF token")
	}
	wantStatus(t, c.Post(t, "/en/login", url.Values{"pseudonym": {"rotated"}, "password": {"member password 123"}}), http.StatusSeeOther)
	// The token of before the login, with its own cookie, is refused.
	for _, withCookie := range []bool{false, true} {
		form := url.Values{"_csrf": {before}}
		req, _ := http.NewRequest(http.MethodPost, "/en/logout", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "fw_session", Value: c.Cookie("fw_session")})
		if withCookie {
			req.AddCookie(&http.Cookie{Name: "fw_csrf", Value: cookie})
		}
		wantStatus(t, e.Do(t, req), http.StatusForbidden)
	}
	mustContain(t, c.Get(t, "/en/account").Body, "Hello, rotated")
	if c.Token == before {
		t.Fatal("the CSRF token did not change at login")
	}
	wantStatus(t, c.Post(t, "/en/logout", nil), http.StatusSeeOther)
	wantStatus(t, c.Get(t, "/en/account"), http.StatusSeeOther)
}

func TestVisitorsOpeningFormsWriteNothing(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_forms", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Report with a flag form", "")
	before := e.StateEntries(t)
	forms := []string{"/en/login", "/en/register", "/en/reports/new", fmt.Sprintf("/en/flag?kind=report&id=%d&report=%d", id, id)}
	for i := 0; i < 200; i++ {
		r := e.Get(t, forms[i%len(forms)])
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, `name="_csrf" value="`)
	}
	if after := e.StateEntries(t); after != before {
		t.Errorf("200 form views by visitors wrote %d entries of HTTP state", after-before)
	}
	// The stateless token still works, and a forged one does not.
	v := e.NewClient()
	wantStatus(t, flagReport(t, v, id), http.StatusSeeOther)
	v.Get(t, "/en/register")
	wantStatus(t, v.Post(t, "/en/register", url.Values{"_csrf": {v.Token + "x"}, "pseudonym": {"forger"}, "password": {goodPassword}, "password_again": {goodPassword}}), http.StatusForbidden)
}

// registerFrom registers pseudonym through the English form from address ip.
func registerFrom(t *testing.T, c *apptest.Client, ip, pseudonym string) apptest.Response {
	t.Helper()
	return registerIn(t, c, "en", ip, pseudonym)
}

func registerIn(t *testing.T, c *apptest.Client, lang, ip, pseudonym string) apptest.Response {
	t.Helper()
	c.Get(t, "/"+lang+"/register", "X-Forwarded-For", ip)
	form := url.Values{"_csrf": {c.Token}, "pseudonym": {pseudonym}, "password": {goodPassword}, "password_again": {goodPassword}}
	req, err := http.NewRequest(http.MethodPost, "/"+lang+"/register", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return c.Do(t, req)
}

func countUsers(t *testing.T, e *apptest.Env) (n int64) {
	t.Helper()
	if err := e.DB.Gorm.Table("users").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistrationsAreLimitedPerVisitor(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, TrustedProxies: []string{"0.0.0.0"}})
	for i := 0; i < server.DefaultRegistrationsPerVisitor; i++ {
		wantStatus(t, registerFrom(t, e.NewClient(), "203.0.113.7", fmt.Sprintf("same_place%d", i)), http.StatusSeeOther)
	}
	before := countUsers(t, e)
	r := registerFrom(t, e.NewClient(), "203.0.113.7", "same_place_more")
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Too many accounts were made from your connection")
	r = registerIn(t, e.NewClient(), "fr", "203.0.113.7", "same_place_fr")
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Trop de comptes ont été créés depuis votre connexion")
	// Another visitor is not slowed down.
	wantStatus(t, registerFrom(t, e.NewClient(), "198.51.100.2", "elsewhere"), http.StatusSeeOther)
	if after := countUsers(t, e); after != before+1 {
		t.Errorf("users %d -> %d, want one more", before, after)
	}
	if strings.Contains(e.Log.String(), "203.0.113.7") {
		t.Error("an IP address reached the log")
	}
}

func TestRegistrationsAreLimitedSiteWideWithAnAlarm(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, TrustedProxies: []string{"0.0.0.0"}, RegistrationsPerHour: 5, RegistrationAlarm: 4})
	admin, _ := e.Member(t, "site_admin", model.RoleAdmin, nil, nil)
	mustNotContain(t, admin.Get(t, "/en/admin/users").Body, "Alarm:")
	for i := 0; i < 5; i++ {
		wantStatus(t, registerFrom(t, e.NewClient(), fmt.Sprintf("192.0.2.%d", 10+i), fmt.Sprintf("wave%d", i)), http.StatusSeeOther)
		if alarmed := strings.Contains(e.Log.String(), "registration alarm"); alarmed != (i >= 3) {
			t.Fatalf("after %d accounts, alarm in the log: %v", i+1, alarmed)
		}
	}
	before := countUsers(t, e)
	r := registerFrom(t, e.NewClient(), "192.0.2.99", "wave5")
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "New accounts are paused for a while")
	r = registerIn(t, e.NewClient(), "uk", "192.0.2.98", "wave6")
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Створення облікових записів тимчасово призупинено")
	if after := countUsers(t, e); after != before {
		t.Errorf("users %d -> %d after a refused registration", before, after)
	}
	if n := strings.Count(e.Log.String(), "registration alarm"); n != 1 {
		t.Errorf("%d alarm lines in the log, want 1", n)
	}
	if strings.Contains(e.Log.String(), "192.0.2.") {
		t.Error("an IP address reached the log")
	}
	page := admin.Get(t, "/en/admin/users")
	mustContain(t, page.Body, "Alarm: 5 new accounts in the hour from 2026-11-29 12:00 UTC (the alarm level is 4)")
	// Members who are not admins do not see it.
	member, _ := e.Member(t, "plain_member", model.RoleMember, nil, nil)
	mustNotContain(t, member.Get(t, "/en/account").Body, "Alarm:")
}

func TestRegistrationAttemptsAreLimitedPerVisitor(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	for i := 0; i < 10; i++ {
		c.Get(t, "/en/register")
		wantStatus(t, c.Post(t, "/en/register", url.Values{"pseudonym": {"x"}, "password": {"short"}, "password_again": {"other"}}), http.StatusUnprocessableEntity)
	}
	c.Get(t, "/en/register")
	r := c.Post(t, "/en/register", url.Values{"pseudonym": {"patient"}, "password": {goodPassword}, "password_again": {goodPassword}})
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r.Body, "Too many accounts were made from your connection")
	if n := countUsers(t, e); n != 0 {
		t.Errorf("%d users after refused attempts", n)
	}
}
