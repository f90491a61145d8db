package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

// visitorFrom returns a visitor at its own address, so that many refused
// registrations stay under the per-visitor limits.
func visitorFrom(e *apptest.Env, i int) *apptest.Client {
	c := e.NewClient()
	c.Header = http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i+1)}}
	return c
}

// Each weak password is refused with the rule it breaks, and no account is
// created.
func TestWeakPasswordsAreRefusedWithTheRuleThatFailed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, TrustedProxies: []string{"0.0.0.0"}})
	const (
		trivial   = "too easy to guess: it repeats or follows a simple sequence"
		common    = "on a list of common or leaked passwords"
		pseudonym = "must not contain your pseudonym"
	)
	for i, tc := range []struct{ password, want string }{
		{"passwordpassword", trivial},
		{"1234567890", trivial},
		{"aaaaaaaaaa", trivial},
		{"0987654321", trivial},
		{"abcdefghij", trivial},
		{"abcabcabcabc", trivial},
		{"qwertyuiop", common},
		{"iloveyou12", common},
		{"Iloveyou12", common}, // the list is compared case-insensitively
		{"football123", common},
		{"olena_k is my name", pseudonym},
		{"my OLENA_K password", pseudonym},   // case-insensitive
		{"my οlena_k password", pseudonym},   // Greek ο: looks the same
		{"short", "at least 10 characters"},  // length counts characters,
		{"пароль", "at least 10 characters"}, // not bytes (12 bytes, 6 letters)
		{strings.Repeat("longword ", 15), "at most 128 characters"},
	} {
		c := visitorFrom(e, i)
		c.Get(t, "/en/register")
		r := c.Post(t, "/en/register", url.Values{"pseudonym": {"olena_k"}, "password": {tc.password}, "password_again": {tc.password}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, tc.want) {
			t.Errorf("password %q: page lacks %q", tc.password, tc.want)
		}
		if strings.Contains(r.Body, `value="`+tc.password) {
			t.Errorf("password %q echoed in the page", tc.password)
		}
	}
	if n := countUsers(t, e); n != 0 {
		t.Errorf("%d users after refused registrations, want 0", n)
	}

	// Localised: the French page says which rule failed, in French.
	c := e.NewClient()
	c.Get(t, "/fr/register")
	r := c.Post(t, "/fr/register", url.Values{"pseudonym": {"olena_k"}, "password": {"passwordpassword"}, "password_again": {"passwordpassword"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "Ce mot de passe est trop facile à deviner")

	// Long passphrases, in any script, are fine; no composition rules.
	for i, good := range []string{"correct horse battery", "вишня цвіте у квітні", "sunflower on the roof of 12 houses"} {
		name := []string{"member_a", "member_b", "member_c"}[i]
		r := e.NewClient().Register(t, name, good)
		wantStatus(t, r, http.StatusSeeOther)
	}
}

// The same rules hold for a password change, and a refused change keeps
// the old password.
func TestPasswordChangeAppliesThePolicy(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	c := e.NewClient()
	c.Register(t, "worker_nl", goodPassword)
	for _, tc := range []struct{ password, want string }{
		{"passwordpassword", "too easy to guess"},
		{"1111111111", "too easy to guess"},
		{"worker_nl 2026!", "must not contain your pseudonym"},
		{"WORKER_NL forever", "must not contain your pseudonym"},
		{"password123", "on a list of common or leaked passwords"},
	} {
		c.Get(t, "/en/account")
		r := c.Post(t, "/en/account/password", url.Values{"current": {goodPassword}, "new": {tc.password}, "new_again": {tc.password}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, tc.want) {
			t.Errorf("new password %q: page lacks %q", tc.password, tc.want)
		}
	}
	wantStatus(t, e.NewClient().Login(t, "worker_nl", goodPassword), http.StatusSeeOther)
}

// A pseudonym that looks like a taken one (other script, other case,
// digits for letters) is refused; the accounts that exist still sign in.
func TestLookAlikePseudonymsAreRefused(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, TrustedProxies: []string{"0.0.0.0"}})
	ctx := context.Background()
	if _, err := e.Services.Users.Create(ctx, service.NewUser{Pseudonym: "secadmin", Password: goodPassword, Role: string(model.RoleAdmin)}); err != nil {
		t.Fatal(err)
	}
	e.NewClient().Register(t, "olena", goodPassword)
	e.NewClient().Register(t, "paypal", goodPassword)
	const looksLike = "looks too much like one that is already taken"
	for i, tc := range []struct{ name, want string }{
		{"secаdmin", looksLike},  // Cyrillic а
		{"ѕесаdmin", looksLike},  // Cyrillic ѕ, е, с, а
		{"secadrnin", looksLike}, // r n for m
		{"ｓｅｃａｄｍｉｎ", looksLike},  // full-width
		{"SECADMIN", "already taken"},
		{"οlena", looksLike}, // Greek ο
		{"OLENA", "already taken"},
		{"paypa1", looksLike},
		{"PAYPAl", "already taken"},
	} {
		c := visitorFrom(e, i)
		c.Get(t, "/en/register")
		r := c.Post(t, "/en/register", url.Values{"pseudonym": {tc.name}, "password": {goodPassword}, "password_again": {goodPassword}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Body, tc.want) {
			t.Errorf("pseudonym %q: page lacks %q", tc.name, tc.want)
		}
	}
	if n := countUsers(t, e); n != 3 {
		t.Errorf("%d users after refused look-alikes, want 3", n)
	}
	for _, name := range []string{"secadmin", "SecAdmin", "Olena", "paypal"} {
		wantStatus(t, e.NewClient().Login(t, name, goodPassword), http.StatusSeeOther)
	}
	// A different name is still welcome.
	wantStatus(t, e.NewClient().Register(t, "secadmin2", goodPassword), http.StatusSeeOther)
}

// A database whose keys were folded the old way is re-keyed once; an
// existing look-alike is reported, keeps a legacy key and still signs in,
// and the older account keeps its name.
func TestRekeyPseudonymsOfAnExistingDatabase(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	create := func(name string, role model.Role) model.User {
		u, err := e.Services.Users.Create(ctx, service.NewUser{Pseudonym: name, Password: goodPassword, Role: string(role)})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return u
	}
	admin := create("secadmin", model.RoleAdmin)
	mary := create("Mary", model.RoleMember)
	impostor := create("impostor", model.RoleMember)
	// As before: keys were plain case folds, so the Cyrillic look-alike got in.
	old := map[int64][2]string{admin.ID: {"secadmin", "secadmin"}, mary.ID: {"Mary", "mary"}, impostor.ID: {"secаdmin", "secаdmin"}}
	for id, v := range old {
		if err := e.DB.Gorm.Exec("UPDATE users SET pseudonym = ?, pseudonym_key = ? WHERE id = ?", v[0], v[1], id).Error; err != nil {
			t.Fatal(err)
		}
	}
	e.DB.Gorm.Exec("DELETE FROM settings WHERE key = 'pseudonym_key_scheme'")

	conflicts, err := service.RekeyPseudonyms(ctx, e.Store, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflicts) != 1 || conflicts[0].ID != impostor.ID || conflicts[0].OlderID != admin.ID {
		t.Fatalf("conflicts %+v, want the impostor against the admin", conflicts)
	}
	keyOf := func(id int64) string {
		var key string
		apptest.Must(t, e.DB.Gorm.Raw("SELECT pseudonym_key FROM users WHERE id = ?", id).Scan(&key))
		return key
	}
	if got := keyOf(admin.ID); got != service.PseudonymKey("secadmin") {
		t.Errorf("admin key %q", got)
	}
	if got := keyOf(mary.ID); got != service.PseudonymKey("mary") {
		t.Errorf("Mary's key %q", got)
	}
	// Everyone still signs in with the name they know.
	wantStatus(t, e.NewClient().Login(t, "secadmin", goodPassword), http.StatusSeeOther)
	wantStatus(t, e.NewClient().Login(t, "mary", goodPassword), http.StatusSeeOther)
	c := e.NewClient()
	wantStatus(t, c.Login(t, "secаdmin", goodPassword), http.StatusSeeOther)
	mustContain(t, c.Get(t, "/en/account").Body, "Hello, secаdmin")
	// The impostor's name cannot be used to reach the admin: a wrong password
	// for "secаdmin" is the impostor's, not the admin's.
	if _, err := e.Services.Users.Authenticate(ctx, "secаdmin", goodPassword); err != nil {
		t.Errorf("impostor sign-in: %v", err)
	}
	if u, _ := e.Services.Users.Authenticate(ctx, "secаdmin", goodPassword); u.ID != impostor.ID {
		t.Errorf("secаdmin signs in as %d, want %d", u.ID, impostor.ID)
	}
	// New look-alikes of either are refused.
	for i, name := range []string{"ѕecadmin", "SECАDMIN", "rnary"} {
		c := visitorFrom(e, i)
		c.Get(t, "/en/register")
		wantStatus(t, c.Post(t, "/en/register", url.Values{"pseudonym": {name}, "password": {goodPassword}, "password_again": {goodPassword}}), http.StatusUnprocessableEntity)
	}
	// A second run changes nothing.
	before := keyOf(impostor.ID)
	if again, err := service.RekeyPseudonyms(ctx, e.Store, nil); err != nil || len(again) != 0 || keyOf(impostor.ID) != before {
		t.Errorf("second run: %v, %v", again, err)
	}
}
