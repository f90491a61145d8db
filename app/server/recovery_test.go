package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"forewarn/app/apptest"
)

var codePattern = regexp.MustCompile(`<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>`)

func codesOf(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range codePattern.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func recoverWith(t *testing.T, c *apptest.Client, name, code, password string) apptest.Response {
	t.Helper()
	c.Get(t, "/en/recover")
	return c.Post(t, "/en/recover", url.Values{"pseudonym": {name}, "code": {code}, "new": {password}, "new_again": {password}})
}

func TestRecoveryCodesShownOnceAndWorkOnce(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	c.Get(t, "/en/register")
	r := c.Post(t, "/en/register", url.Values{"pseudonym": {"maria_r"}, "password": {goodPassword}, "password_again": {goodPassword}})
	wantStatus(t, r, http.StatusSeeOther)
	first := c.Get(t, "/en/account")
	wantStatus(t, first, http.StatusOK)
	if cc := first.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("codes page Cache-Control %q", cc)
	}
	mustContain(t, first.Body, "Write these codes down now")
	codes := codesOf(t, first.Body)
	if len(codes) != 8 {
		t.Fatalf("got %d codes", len(codes))
	}
	if n := e.Count(t, "recovery_codes", "code_hash = ?", codes[0]); n != 0 {
		t.Fatal("a code is stored in clear")
	}
	if got := e.StoredContaining(t, codes[0]); len(got) != 0 {
		t.Fatalf("a code is stored in clear in %v", got)
	}
	again := c.Get(t, "/en/account")
	if len(codesOf(t, again.Body)) != 0 {
		t.Fatal("the codes were shown twice")
	}
	mustContain(t, again.Body, "You have 8 unused codes left.")

	// Another browser stays signed in until the reset.
	other := e.NewClient()
	other.Login(t, "maria_r", goodPassword)
	wantStatus(t, other.Get(t, "/en/account"), http.StatusOK)

	visitor := e.NewClient()
	newPassword := "purple elephant under the bridge"
	// Case, spaces and a missing dash do not matter.
	typed := codes[0][:4] + " " + codes[0][5:9] + codes[0][10:]
	ok := recoverWith(t, visitor, "Maria_R", typed, newPassword)
	wantStatus(t, ok, http.StatusSeeOther)
	wantStatus(t, visitor.Get(t, "/en/account"), http.StatusOK)
	// The other session ended.
	if r := other.Get(t, "/en/account"); r.StatusCode == http.StatusOK {
		t.Fatal("an old session survived the reset")
	}
	if r := e.NewClient().Login(t, "maria_r", newPassword); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", r.StatusCode)
	}
	if n := e.Count(t, "moderation_actions", "action = 'account.recover'"); n != 1 {
		t.Fatalf("audit entries: %d", n)
	}
	// The code is used up.
	reused := recoverWith(t, e.NewClient(), "maria_r", codes[0], "yet another long password")
	wantStatus(t, reused, http.StatusUnprocessableEntity)
	mustContain(t, reused.Body, "This pseudonym and recovery code do not match, or the code was used already.")
	// A wrong code and an unknown member get the same answer.
	wrong := recoverWith(t, e.NewClient(), "maria_r", "AAAA-BBBB-CCCC-DDDD", "yet another long password")
	unknown := recoverWith(t, e.NewClient(), "nobody_here", codes[1], "yet another long password")
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	wantStatus(t, unknown, http.StatusUnprocessableEntity)
	mustContain(t, wrong.Body, "This pseudonym and recovery code do not match")
	mustContain(t, unknown.Body, "This pseudonym and recovery code do not match")
	if n := e.Count(t, "recovery_codes", "used_at IS NOT NULL"); n != 1 {
		t.Fatalf("used codes: %d", n)
	}
	// Another member's code does not open this account.
	e.NewClient().Register(t, "second_member", goodPassword)
	if r := recoverWith(t, e.NewClient(), "second_member", codes[1], "yet another long password"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("another member's code: %d", r.StatusCode)
	}
}

func TestRecoveryIsRateLimited(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.NewClient().Register(t, "limited_one", goodPassword)
	c := e.NewClient()
	limited := false
	for i := 0; i < 15 && !limited; i++ {
		r := recoverWith(t, c, "limited_one", "AAAA-BBBB-CCCC-DDDD", "yet another long password")
		limited = r.StatusCode == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("guessing recovery codes is not rate limited")
	}
}

func TestRegenerateRecoveryCodesNeedsPassword(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	c.Get(t, "/en/register")
	wantStatus(t, c.Post(t, "/en/register", url.Values{"pseudonym": {"kept_codes"}, "password": {goodPassword}, "password_again": {goodPassword}}), http.StatusSeeOther)
	old := codesOf(t, c.Get(t, "/en/account").Body)
	c.Get(t, "/en/account")
	refused := c.Post(t, "/en/account/recovery-codes", url.Values{"current": {"not my password"}})
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	if len(codesOf(t, refused.Body)) != 0 {
		t.Fatal("codes shown without the password")
	}
	c.Get(t, "/en/account")
	wantStatus(t, c.Post(t, "/en/account/recovery-codes", url.Values{"_csrf": {""}, "current": {goodPassword}}), http.StatusForbidden)
	c.Get(t, "/en/account")
	fresh := c.Post(t, "/en/account/recovery-codes", url.Values{"current": {goodPassword}})
	wantStatus(t, fresh, http.StatusOK)
	if cc := fresh.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("codes page Cache-Control %q", cc)
	}
	codes := codesOf(t, fresh.Body)
	if len(codes) != 8 || codes[0] == old[0] {
		t.Fatalf("new codes %v", codes)
	}
	// The old codes stop working; the new ones work.
	wantStatus(t, recoverWith(t, e.NewClient(), "kept_codes", old[0], "yet another long password"), http.StatusUnprocessableEntity)
	wantStatus(t, recoverWith(t, e.NewClient(), "kept_codes", codes[3], "yet another long password"), http.StatusSeeOther)
}

func TestRegistrationCopyPromisesNoEmailRecovery(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, lang := range []string{"en", "fr", "uk", "ar"} {
		body := e.Get(t, "/"+lang+"/register").Body
		mustContain(t, body, `href="/`+lang+`/login"`)
	}
	en := e.Get(t, "/en/register").Body
	mustContain(t, en, "Forewarn does not send e-mails yet", "recovery codes")
	mustNotContain(t, en, "Only used to recover your account")
	mustContain(t, e.Get(t, "/en/login").Body, `href="/en/recover"`)
}
