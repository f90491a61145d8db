package server_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// BenchmarkScopedAuditLog reads the first page of the audit log as a
// moderator whose scope holds one report in a hundred, and as one whose
// scope holds the other 99, over
// FOREWARN_BENCH_REPORTS reports (20,000 by default) with three log
// entries each: the scope is filtered in the database.
func BenchmarkScopedAuditLog(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("FOREWARN_BENCH_REPORTS")); err == nil && v > 0 {
		n = v
	}
	e := apptest.New(b)
	ctx := context.Background()
	_, small := e.Member(b, "bench_mod_fr", model.RoleModerator, []string{"fr"}, []string{"FR"})
	_, large := e.Member(b, "bench_mod_ua", model.RoleModerator, []string{"en"}, []string{"UA"})
	var cat int64
	apptest.Must(b, e.DB.Gorm.Table("categories").Select("MIN(id)").Scan(&cat))
	seq := `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?) `
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{seq + `INSERT INTO reports (title, body, lang, category_id, seen_on, status, created_at, updated_at)
			SELECT 'Bench report', 'Bench body', CASE WHEN i % 100 = 0 THEN 'fr' ELSE 'en' END, ?, 'facebook', 'published', ?, ? FROM seq`, []any{n, cat, apptest.Now, apptest.Now}},
		{`INSERT INTO report_countries (report_id, country, role) SELECT id, CASE WHEN id % 100 = 0 THEN 'FR' ELSE 'UA' END, 'destination' FROM reports`, nil},
	} {
		if err := e.DB.Gorm.Exec(q.sql, q.args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	// Three entries per report, a minute apart in batches of a thousand.
	for k := 0; k < 3*n; k += 1000 {
		err := e.DB.Gorm.Exec(seq+`INSERT INTO moderation_actions (action, target_type, target_id, reason, before_text, after_text, lang, countries, created_at)
			SELECT 'report.redact', 'report', t, 'bench', 'before', 'after', CASE WHEN t % 100 = 0 THEN 'fr' ELSE 'en' END, CASE WHEN t % 100 = 0 THEN ' FR ' ELSE ' UA ' END, ?
			FROM (SELECT 1 + ((i + ?) % ?) AS t FROM seq) s`, 1000, apptest.Now.Add(time.Duration(k)*time.Minute), k, n).Error
		if err != nil {
			b.Fatal(err)
		}
	}
	if d := e.DB.Gorm.Dialector.Name(); d == "postgres" {
		e.DB.Gorm.Exec("ANALYZE")
	}
	_, admin := e.Member(b, "bench_admin", model.RoleAdmin, nil, nil)
	for name, mod := range map[string]*model.User{"one percent": &small, "ninety-nine percent": &large, "admin": &admin} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				page, err := e.Services.Moderation.Audit(ctx, mod, service.AuditQuery{})
				if err != nil || len(page.Entries) != 50 {
					b.Fatalf("%d entries, %v", len(page.Entries), err)
				}
			}
		})
	}
}
