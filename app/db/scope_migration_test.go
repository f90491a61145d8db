package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"forewarn/app/apptest"
)

// TestScopeMigrationFillsExistingEntries migrates down below 00006, writes
// audit entries as the earlier schema knew them, and checks that 00006
// gives each the language and route of what it is about.
func TestScopeMigrationFillsExistingEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := apptest.OpenDB(t)
	p, err := d.Migrator(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 5); err != nil {
		t.Fatalf("down to 5: %v", err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	g := d.Gorm
	var cat int64
	apptest.Must(t, g.Table("categories").Select("MIN(id)").Scan(&cat))
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO reports (id, title, body, lang, category_id, seen_on, created_at, updated_at) VALUES (7, 't', 'b', 'fr', ?, 'other', ?, ?)", []any{cat, now, now}},
		{"INSERT INTO report_countries (report_id, country, role) VALUES (7, 'RO', 'origin'), (7, 'FR', 'destination'), (7, 'FR', 'transit')", nil},
		{"INSERT INTO replies (id, report_id, body, created_at, updated_at) VALUES (8, 7, 'r', ?, ?)", []any{now, now}},
		{"INSERT INTO warnings (id, severity, category_id, lang, created_at, updated_at) VALUES (9, 'info', ?, 'uk', ?, ?)", []any{cat, now, now}},
		{"INSERT INTO warning_countries (warning_id, country, role) VALUES (9, 'UA', 'origin'), (9, 'PL', 'destination')", nil},
		{"INSERT INTO moderation_actions (action, target_type, target_id, created_at) VALUES ('report.redact', 'report', 7, ?), ('reply.redact', 'reply', 8, ?), ('warning.edit', 'warning', 9, ?), ('user.ban', 'user', 7, ?), ('report.redact', 'report', 404, ?)", []any{now, now, now, now, now}},
	} {
		if err := g.Exec(q.sql, q.args...).Error; err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if _, err := p.UpTo(ctx, 6); err != nil {
		t.Fatalf("up to 6: %v", err)
	}
	var rows []struct {
		TargetType, Lang, Countries string
		TargetID                    int64
	}
	if err := g.Table("moderation_actions").Select("target_type, target_id, lang, countries").Order("id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	want := []string{"report 7 fr ' FR RO '", "reply 8 fr ' FR RO '", "warning 9 uk ' PL UA '", "user 7  ''", "report 404  ''"}
	if len(rows) != len(want) {
		t.Fatalf("%d entries", len(rows))
	}
	for i, r := range rows {
		if got := r.TargetType + " " + strconv.FormatInt(r.TargetID, 10) + " " + r.Lang + " '" + r.Countries + "'"; got != want[i] {
			t.Errorf("entry %d: %s, want %s", i, got, want[i])
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
}
