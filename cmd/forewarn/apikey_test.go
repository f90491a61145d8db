package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
)

// TestAPIKeyCommands issues, lists and revokes a key on the command line:
// the key is printed once, only its hash is stored, the list shows its
// prefix, and bad input is refused with nothing stored.
func TestAPIKeyCommands(t *testing.T) {
	dbURL := apptest.DatabaseURL(t)
	run1 := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "-database-url", dbURL, "-log-level", "warn"), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	if _, err := run1("migrate", "up"); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	org := model.Organisation{Slug: "helpline", Name: "Helpline Moldova", CreatedAt: time.Now(), UpdatedAt: time.Now()}
	apptest.Must(t, d.Gorm.Create(&org))

	out, err := run1("apikey", "add", "--org", "1", "--scopes", "read,submit,webhooks", "--name", "helpline bot", "--rate-limit", "600")
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`fw_[a-z2-7]{8}_[a-z2-7]{64}`).FindAllString(out, -1)
	if len(keys) != 1 || !strings.Contains(out, "shown this once") {
		t.Fatalf("apikey add printed %q", out)
	}
	key := keys[0]
	var row model.APIKey
	apptest.Must(t, d.Gorm.Take(&row))
	sum := sha256.Sum256([]byte(key))
	if row.Hash != hex.EncodeToString(sum[:]) || row.Prefix != key[3:11] || row.Scopes != "read,submit,webhooks" || row.RateLimit != 600 || row.CreatedBy != nil {
		t.Errorf("stored %+v", row)
	}
	var logged int64
	apptest.Must(t, d.Gorm.Model(&model.ModerationAction{}).Where("action = 'apikey.issue' AND actor_id IS NULL AND target_id = ?", row.ID).Count(&logged))
	if logged != 1 {
		t.Errorf("%d audit entries for the issue, want 1", logged)
	}

	out, err = run1("apikey", "list", "--org", "1")
	if err != nil || !strings.Contains(out, "fw_"+row.Prefix) || strings.Contains(out, key) || !strings.Contains(out, "helpline bot") {
		t.Errorf("apikey list: %v\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"apikey", "add", "--org", "1", "--scopes", "read,admin", "--name", "x bot"},
		{"apikey", "add", "--org", "1", "--scopes", "", "--name", "x bot"},
		{"apikey", "add", "--org", "2", "--name", "x bot"},
		{"apikey", "add", "--org", "1", "--name", "x bot", "--rate-limit", "-1"},
		{"apikey", "add", "--name", "x bot"},
		{"apikey", "revoke"},
		{"apikey", "revoke", "--id", "1", "--prefix", row.Prefix},
		{"apikey", "revoke", "--id", "99"},
		{"apikey", "drop"},
	} {
		if out, err := run1(bad...); err == nil {
			t.Errorf("%v: no error, printed %q", bad, out)
		}
	}
	var n int64
	apptest.Must(t, d.Gorm.Model(&model.APIKey{}).Count(&n))
	if n != 1 {
		t.Errorf("%d keys stored, want 1", n)
	}

	if out, err := run1("apikey", "revoke", "--prefix", "fw_"+row.Prefix); err != nil || !strings.Contains(out, "revoked key") {
		t.Fatalf("apikey revoke: %v %q", err, out)
	}
	apptest.Must(t, d.Gorm.Take(&row))
	if row.RevokedAt == nil {
		t.Error("the key is not revoked")
	}
	if out, err := run1("apikey", "revoke", "--id", "1"); err != nil || !strings.Contains(out, "revoked already") {
		t.Errorf("revoking again: %v %q", err, out)
	}
	if out, _ := run1("apikey", "list"); !strings.Contains(out, row.RevokedAt.UTC().Format(time.RFC3339)) {
		t.Errorf("the list does not show the revocation:\n%s", out)
	}
}
