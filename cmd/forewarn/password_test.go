package main

import (
	"strings"
	"testing"

	"forewarn/app/apptest"
)

// forewarn user add applies the password and pseudonym rules too.
func TestUserAddRefusesWeakPasswordsAndLookAlikes(t *testing.T) {
	t.Parallel()
	dbPath := apptest.DatabaseURL(t)
	if out, err := cli(t, dbPath, "correct horse battery\n", "user", "add", "--role", "admin", "--name", "secadmin"); err != nil {
		t.Fatalf("user add: %q, %v", out, err)
	}
	for _, tc := range []struct{ name, password, want string }{
		{"bogdan", "passwordpassword", "too easy to guess"},
		{"bogdan", "1234567890", "too easy to guess"},
		{"bogdan", "bogdan is here", "must not contain your pseudonym"},
		{"bogdan", "password123", "common or leaked"},
		{"secаdmin", "correct horse battery", "looks too much like"},
	} {
		if out, err := cli(t, dbPath, tc.password+"\n", "user", "add", "--name", tc.name); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("user add %s / %q: %q, %v; want an error with %q", tc.name, tc.password, out, err, tc.want)
		}
	}
}
