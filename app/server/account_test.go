package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

const goodPassword = "correct horse battery"

func TestRegisterLoginLogout(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	r := c.Register(t, "olena_k", goodPassword)
	if loc := r.Header.Get("Location"); loc != "/en/account" {
		t.Errorf("after registering: Location %q", loc)
	}
	sessionCookie := ""
	for _, ck := range r.Cookies() {
		if ck.Name == "fw_session" {
			sessionCookie = ck.Raw
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(sessionCookie, attr) {
			t.Errorf("session cookie %q lacks %s", sessionCookie, attr)
		}
	}
	account := c.Get(t, "/en/account")
	wantStatus(t, account, http.StatusOK)
	mustContain(t, account.Body, "Hello, olena_k", `href="/en/account"`)
	if account.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("account page Cache-Control %q", account.Header.Get("Cache-Control"))
	}
	// A member sees their own header on public pages, never a cached one.
	home := c.Get(t, "/en")
	mustContain(t, home.Body, "My account")
	mustNotContain(t, e.Get(t, "/en").Body, "My account")

	wantStatus(t, c.Post(t, "/en/logout", nil), http.StatusSeeOther)
	after := c.Get(t, "/en/account")
	wantStatus(t, after, http.StatusSeeOther)
	if loc := after.Header.Get("Location"); loc != "/en/login?next=%2Fen%2Faccount" {
		t.Errorf("after logout, account redirects to %q", loc)
	}

	login := c.Login(t, "OLENA_K", goodPassword)
	wantStatus(t, login, http.StatusSeeOther)
	mustContain(t, c.Get(t, "/en/account").Body, "Hello, olena_k")
}

func TestRegistrationErrorsAreLocalisedPerField(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.NewClient().Register(t, "taken", goodPassword)
	c := e.NewClient()
	c.Get(t, "/fr/register")
	r := c.Post(t, "/fr/register", url.Values{"pseudonym": {"Taken"}, "password": {"short"}, "password_again": {"other"}, "email": {"not-an-address"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, `<html lang="fr"`, `value="Taken"`, `value="not-an-address"`, `aria-invalid="true"`)
	mustNotContain(t, r.Body, "This pseudonym is already taken.", "short") // localised; the password is never echoed
	for _, bad := range []url.Values{
		{"pseudonym": {"ab"}, "password": {goodPassword}, "password_again": {goodPassword}},
		{"pseudonym": {"has space"}, "password": {goodPassword}, "password_again": {goodPassword}},
		{"pseudonym": {"\xff\xfe"}, "password": {goodPassword}, "password_again": {goodPassword}},
		{"pseudonym": {strings.Repeat("a", 33)}, "password": {goodPassword}, "password_again": {goodPassword}},
		{"pseudonym": {"fine_name"}, "password": {strings.Repeat("p", 300)}, "password_again": {strings.Repeat("p", 300)}},
	} {
		c.Get(t, "/en/register")
		wantStatus(t, c.Post(t, "/en/register", bad), http.StatusUnprocessableEntity)
	}
	var n int64
	apptest.Must(t, e.DB.Gorm.Table("users").Count(&n))
	if n != 1 {
		t.Errorf("%d users after refused registrations, want 1", n)
	}
}

func TestLoginDoesNotRevealAccounts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.NewClient().Register(t, "driver77", goodPassword)
	c := e.NewClient()
	wrongPassword := c.Login(t, "driver77", "wrong password!")
	noAccount := c.Login(t, "nobody_here", "wrong password!")
	wantStatus(t, wrongPassword, http.StatusUnauthorized)
	wantStatus(t, noAccount, http.StatusUnauthorized)
	mustContain(t, wrongPassword.Body, "The pseudonym or the password is not right.")
	strip := func(s string) string {
		s = strings.ReplaceAll(s, "driver77", "X")
		s = strings.ReplaceAll(s, "nobody_here", "X")
		return csrfValue.ReplaceAllString(s, "")
	}
	if strip(wrongPassword.Body) != strip(noAccount.Body) {
		t.Error("a wrong password and a missing account get different pages")
	}
}

func TestLoginIsRateLimitedAfterFailures(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.NewClient().Register(t, "target", goodPassword)
	c := e.NewClient()
	for i := 0; i < 10; i++ {
		wantStatus(t, c.Login(t, "target", "guess number "+string(rune('a'+i))), http.StatusUnauthorized)
	}
	limited := c.Login(t, "target", goodPassword)
	wantStatus(t, limited, http.StatusTooManyRequests)
	mustContain(t, limited.Body, "Too many requests")
	if strings.Contains(e.Log.String(), "0.0.0.0") || strings.Contains(e.Log.String(), "127.0.0.1") {
		t.Error("an IP address reached the log")
	}
}

func TestStateChangingRoutesRefuseMissingCSRF(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	member := e.NewClient()
	member.Register(t, "member1", goodPassword)
	for _, path := range []string{"/en/register", "/en/login", "/en/logout", "/en/account/password", "/en/account/delete"} {
		for _, token := range []string{"", "forged-token"} {
			r := member.Post(t, path, url.Values{"_csrf": {token}, "pseudonym": {"x"}, "password": {goodPassword}, "current": {goodPassword}, "new": {"another long one"}, "new_again": {"another long one"}})
			wantStatus(t, r, http.StatusForbidden)
			mustContain(t, r.Body, "This form has expired")
		}
	}
	// Nothing changed: the member is still there, signed in, with the old password.
	mustContain(t, member.Get(t, "/en/account").Body, "Hello, member1")
	wantStatus(t, e.NewClient().Login(t, "member1", goodPassword), http.StatusSeeOther)
}

func TestChangePasswordAndDeleteAccount(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	c.Register(t, "worker_ro", goodPassword)
	c.Get(t, "/en/account")
	bad := c.Post(t, "/en/account/password", url.Values{"current": {"not it at all"}, "new": {"x"}, "new_again": {"y"}})
	wantStatus(t, bad, http.StatusUnprocessableEntity)
	mustContain(t, bad.Body, "This password is not right.", "at least 10 characters", "The two passwords are not the same.")

	ok := c.Post(t, "/en/account/password", url.Values{"current": {goodPassword}, "new": {"a brand new passphrase"}, "new_again": {"a brand new passphrase"}})
	wantStatus(t, ok, http.StatusSeeOther)
	wantStatus(t, e.NewClient().Login(t, "worker_ro", goodPassword), http.StatusUnauthorized)
	wantStatus(t, e.NewClient().Login(t, "worker_ro", "a brand new passphrase"), http.StatusSeeOther)

	c.Get(t, "/en/account")
	wantStatus(t, c.Post(t, "/en/account/delete", url.Values{"password": {"wrong"}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.Post(t, "/en/account/delete", url.Values{"password": {"a brand new passphrase"}}), http.StatusSeeOther)
	wantStatus(t, c.Get(t, "/en/account"), http.StatusSeeOther)
	wantStatus(t, e.NewClient().Login(t, "worker_ro", "a brand new passphrase"), http.StatusUnauthorized)
}

func TestLoginRedirectStaysOnThisSite(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.NewClient().Register(t, "safe_user", goodPassword)
	for next, want := range map[string]string{
		"/en/safety":              "/en/safety",
		"https://evil.example/":   "/en/account",
		"//evil.example/":         "/en/account",
		"/\\evil.example":         "/en/account",
		"javascript:alert(1)":     "/en/account",
		"/en/warnings?country=UA": "/en/warnings?country=UA",
	} {
		c := e.NewClient()
		c.Get(t, "/en/login?next="+url.QueryEscape(next))
		r := c.Post(t, "/en/login", url.Values{"pseudonym": {"safe_user"}, "password": {goodPassword}, "next": {next}})
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != want {
			t.Errorf("next=%q: Location %q, want %q", next, loc, want)
		}
	}
}
