package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
)

// TestAPIKeyCommandGivesInvestigateToVettedInvestigatorsOnly: the command
// line refuses the investigate scope for an organisation no admin marked
// as a vetted investigator, naming the scopes, and stores nothing.
func TestAPIKeyCommandGivesInvestigateToVettedInvestigatorsOnly(t *testing.T) {
	dbURL := apptest.DatabaseURL(t)
	run1 := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(context.Background(), append(args, "-database-url", dbURL, "-log-level", "warn"), strings.NewReader(""), &out, &errOut)
		return out.String() + errOut.String(), err
	}
	if _, err := run1("migrate", "up"); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Now()
	plain := model.Organisation{Slug: "helpline", Name: "Helpline Moldova", CreatedAt: now, UpdatedAt: now}
	vetted := model.Organisation{Slug: "inspectorate", Name: "Labour Inspectorate", InvestigatorSince: &now, CreatedAt: now, UpdatedAt: now}
	apptest.Must(t, d.Gorm.Create(&plain))
	apptest.Must(t, d.Gorm.Create(&vetted))

	out, err := run1("apikey", "add", "--org", strconv.FormatInt(plain.ID, 10), "--scopes", "read,investigate", "--name", "x bot")
	if err == nil || !strings.Contains(err.Error()+out, "investigate scope is only for organisations an admin has marked as vetted investigators") {
		t.Errorf("investigate for an unvetted organisation: %v %q", err, out)
	}
	var n int64
	apptest.Must(t, d.Gorm.Model(&model.APIKey{}).Count(&n))
	if n != 0 {
		t.Errorf("%d keys stored", n)
	}
	if out, err := run1("apikey", "add", "--org", strconv.FormatInt(vetted.ID, 10), "--scopes", "investigate", "--name", "analyst"); err != nil || !strings.Contains(out, "fw_") {
		t.Errorf("investigate for a vetted organisation: %v %q", err, out)
	}
}
