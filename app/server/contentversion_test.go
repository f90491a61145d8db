package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/store"
)

// changeBehindTheCache runs one statement and puts the content version
// back as it was, in one transaction: a change that only a page rendered
// afresh shows, which tells a cached answer from a new one.
func changeBehindTheCache(t *testing.T, e *apptest.Env, sql string, args ...any) {
	t.Helper()
	tx := e.DB.Gorm.Begin()
	if err := tx.Exec(sql, args...).Error; err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Exec("UPDATE content_version SET version = version - 1 WHERE id = 0").Error; err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
}

// contentVersion reads the content version row.
func contentVersion(t *testing.T, e *apptest.Env) int64 {
	t.Helper()
	v, err := e.Store.ContentVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// cachedReport is a published report whose phone number is a public
// indicator, a reply to it, and a warning drawn from it, with the pages
// and answers that show them.
type cachedReport struct {
	e          *apptest.Env
	mod        *apptest.Client
	id         int64
	replyID    int64
	indicator  int64
	hash       string
	title      string
	reply      string
	warningURL string
}

func newCachedReport(t *testing.T) *cachedReport {
	t.Helper()
	e := cachedEnv(t)
	mod, _ := e.Member(t, "mod_cache", model.RoleModerator, []string{"en"}, []string{"UA"})
	r := &cachedReport{e: e, mod: mod, title: "Recruiter asks 900 euros in fees", reply: "The same recruiter called my cousin."}
	r.id = publishedReport(t, e, mod, r.title, "They wrote from the number +44 7700 900777 and asked for 900 euros.")
	wantStatus(t, mod.Post(t, fmt.Sprintf("/en/reports/%d/replies", r.id), url.Values{"body": {r.reply}}), http.StatusSeeOther)
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("id").Where("report_id = ? AND status = 'published'", r.id).Scan(&r.replyID))
	apptest.Must(t, e.DB.Gorm.Table("indicators").Select("id").Where("normalized = '+447700900777'").Scan(&r.indicator))
	if r.replyID == 0 || r.indicator == 0 {
		t.Fatalf("reply %d, indicator %d", r.replyID, r.indicator)
	}
	r.hash = service.Hash("+447700900777")
	w := e.Warning(t, apptest.Titled("Fees for driver jobs"))
	if err := e.DB.Gorm.Exec("INSERT INTO warning_reports (warning_id, report_id) VALUES (?, ?)", w, r.id).Error; err != nil {
		t.Fatal(err)
	}
	r.warningURL = fmt.Sprintf("/en/warnings/%d", w)
	return r
}

// view is what a visitor (a client without a session) sees of the report
// on every page and answer that shows it.
type view struct {
	indicator, list, report, warning string
	indicatorStatus, reportStatus    int
	rangeReports                     int
}

func (r *cachedReport) look(t *testing.T, e *apptest.Env) view {
	t.Helper()
	var v view
	ind := e.Get(t, fmt.Sprintf("/en/indicators/%d", r.indicator))
	v.indicator, v.indicatorStatus = ind.Body, ind.StatusCode
	v.list = e.Get(t, "/en/reports").Body
	rep := e.Get(t, fmt.Sprintf("/en/reports/%d", r.id))
	v.report, v.reportStatus = rep.Body, rep.StatusCode
	v.warning = e.Get(t, r.warningURL).Body
	rng := e.Get(t, "/api/v1/indicators/range/"+r.hash[:5])
	wantStatus(t, rng, http.StatusOK)
	for _, m := range decode[v1.RangeResponse](t, rng).Matches {
		if m.SHA256 == r.hash {
			// The answer tells only hashes now (decoys pad it): a real one is
			// there while the report is public.
			v.rangeReports = 1
		}
	}
	return v
}

// showsReport fails t unless every page and answer shows the report.
func (r *cachedReport) showsReport(t *testing.T, v view) {
	t.Helper()
	if v.indicatorStatus != http.StatusOK || !strings.Contains(v.indicator, r.title) {
		t.Errorf("the indicator page (%d) does not show the report", v.indicatorStatus)
	}
	if v.rangeReports != 1 {
		t.Errorf("the range look-up does not return the hash (%d)", v.rangeReports)
	}
	mustContain(t, v.list, r.title)
	mustContain(t, v.report, r.title, r.reply)
	mustContain(t, v.warning, r.title)
}

// TestCachedPagesDropARemovedReportAtOnce: with the page cache on, every
// way a report leaves the public, or a reply changes, shows on the very
// next request of the instance that wrote it, on every page and answer
// that showed it (which were cached before).
func TestCachedPagesDropARemovedReportAtOnce(t *testing.T) {
	t.Parallel()
	gone := func(t *testing.T, r *cachedReport, v view) {
		t.Helper()
		if v.indicatorStatus != http.StatusNotFound && strings.Contains(v.indicator, r.title) {
			t.Error("the indicator page still shows the report")
		}
		if v.rangeReports != 0 {
			t.Errorf("the range look-up still returns the hash (%d)", v.rangeReports)
		}
		mustNotContain(t, v.list, r.title)
		if v.reportStatus != http.StatusNotFound {
			t.Errorf("the report page answers %d", v.reportStatus)
		}
		mustNotContain(t, v.warning, r.title)
	}
	for _, tc := range []struct {
		name  string
		write func(t *testing.T, r *cachedReport)
		check func(t *testing.T, r *cachedReport, v view)
	}{
		{"hide report", func(t *testing.T, r *cachedReport) {
			wantStatus(t, act(t, r.mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(r.id)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
		}, gone},
		{"reject report", func(t *testing.T, r *cachedReport) {
			// No page rejects a published report; any path that does is
			// one write to its row.
			if err := r.e.DB.Gorm.Exec("UPDATE reports SET status = 'rejected' WHERE id = ?", r.id).Error; err != nil {
				t.Fatal(err)
			}
		}, gone},
		{"delete report", func(t *testing.T, r *cachedReport) {
			if err := r.e.DB.Gorm.Exec("DELETE FROM reports WHERE id = ?", r.id).Error; err != nil {
				t.Fatal(err)
			}
		}, gone},
		{"redact report", func(t *testing.T, r *cachedReport) {
			wantStatus(t, act(t, r.mod, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(r.id)}, "passage": {"+44 7700 900777"}, "reason": {"Private number"}}), http.StatusSeeOther)
		}, func(t *testing.T, r *cachedReport, v view) {
			if v.indicatorStatus != http.StatusNotFound {
				t.Errorf("the indicator page answers %d", v.indicatorStatus)
			}
			if v.rangeReports != 0 {
				t.Errorf("the range look-up still returns the hash (%d)", v.rangeReports)
			}
			mustNotContain(t, v.report, "7700 900777")
			mustContain(t, v.report, "They wrote from the number [redacted]")
		}},
		{"edit reply", func(t *testing.T, r *cachedReport) {
			edit := fmt.Sprintf("/en/replies/%d/edit", r.replyID)
			r.mod.Get(t, edit)
			wantStatus(t, r.mod.Post(t, edit, url.Values{"body": {"A cousin of mine met the same recruiter."}}), http.StatusSeeOther)
		}, func(t *testing.T, r *cachedReport, v view) {
			mustNotContain(t, v.report, r.reply)
			mustContain(t, v.report, "A cousin of mine met the same recruiter.")
		}},
		{"hide reply", func(t *testing.T, r *cachedReport) {
			wantStatus(t, act(t, r.mod, url.Values{"action": {"hide"}, "kind": {"reply"}, "id": {fmt.Sprint(r.replyID)}, "reason": {"Off topic"}}), http.StatusSeeOther)
		}, func(t *testing.T, r *cachedReport, v view) {
			mustNotContain(t, v.report, r.reply)
		}},
		{"delete reply", func(t *testing.T, r *cachedReport) {
			if err := r.e.DB.Gorm.Exec("DELETE FROM replies WHERE id = ?", r.replyID).Error; err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, r *cachedReport, v view) {
			mustNotContain(t, v.report, r.reply)
		}},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			r := newCachedReport(t)
			r.showsReport(t, r.look(t, r.e))
			// Cached now: a change behind the cache's back does not show.
			changeBehindTheCache(t, r.e, "UPDATE replies SET body = ? WHERE id = ?", "Changed behind the cache", r.replyID)
			mustContain(t, r.look(t, r.e).report, r.reply)
			tc.write(t, r)
			tc.check(t, r, r.look(t, r.e))
		})
	}
}

// TestHomePageFollowsEveryWarningWrite: the home page, cached, shows a
// warning's new title at once even when only its translation row changed
// (no warning timestamp moved), and an organisation's new name reaches the
// cached warning page.
func TestHomePageFollowsEveryWarningWrite(t *testing.T) {
	t.Parallel()
	e := cachedEnv(t)
	id := e.Warning(t, apptest.Titled("Bus tickets that never came"))
	mustContain(t, e.Get(t, "/en/").Body, "Bus tickets that never came")
	if err := e.DB.Gorm.Exec("UPDATE warning_translations SET title = ? WHERE warning_id = ?", "Bus tickets sold twice", id).Error; err != nil {
		t.Fatal(err)
	}
	home := e.Get(t, "/en/").Body
	mustContain(t, home, "Bus tickets sold twice")
	mustNotContain(t, home, "Bus tickets that never came")
}

// TestExperiencesPagesAreCachedForVisitorsOnly: the report list and a
// report's page are cached for visitors; a member always gets their own
// fresh page, and no visitor ever gets a member's page, a form token or a
// cookie from the cache.
func TestExperiencesPagesAreCachedForVisitorsOnly(t *testing.T) {
	t.Parallel()
	r := newCachedReport(t)
	e := r.e
	page := fmt.Sprintf("/en/reports/%d", r.id)
	// A member asks first: nothing of theirs is kept.
	member, _ := e.Member(t, "member_cache", model.RoleMember, nil, nil)
	own := member.Get(t, page)
	mustContain(t, own.Body, `name="_csrf"`, `href="/en/account"`)
	member.Get(t, "/en/reports")
	for _, path := range []string{page, "/en/reports"} {
		v := e.Get(t, path)
		wantStatus(t, v, http.StatusOK)
		mustNotContain(t, v.Body, `name="_csrf"`, `href="/en/account"`)
		if len(v.Header.Values("Set-Cookie")) > 0 {
			t.Errorf("%s: a visitor got a cookie: %v", path, v.Header.Values("Set-Cookie"))
		}
	}
	changeBehindTheCache(t, e, "UPDATE reports SET title = ? WHERE id = ?", "Changed behind the cache", r.id)
	for _, path := range []string{page, "/en/reports"} {
		v := e.Get(t, path)
		mustContain(t, v.Body, r.title)
		mustNotContain(t, v.Body, "Changed behind the cache")
		noCacheTell(t, v)
	}
	// The member's report page is read afresh. (Their list of reports is
	// kept per content version, like the visitors' page cache: see
	// TestMembersReportListFollowsEveryChange.)
	mustContain(t, member.Get(t, page).Body, "Changed behind the cache")
	// A visitor's first page with a form carries a token and a cookie of
	// their own: never kept for the next visitor.
	first := e.Get(t, "/en/login")
	second := e.Get(t, "/en/login")
	if first.Header.Get("Set-Cookie") == "" || first.Header.Get("Set-Cookie") == second.Header.Get("Set-Cookie") {
		t.Error("two visitors share the login form's token")
	}
}

// TestALoginIsNoNewContent: signing in (and out) writes no public content,
// so it moves neither the content version nor the page cache's key.
func TestALoginIsNoNewContent(t *testing.T) {
	t.Parallel()
	e := cachedEnv(t)
	e.Warning(t, apptest.Titled("Version stays"))
	if _, err := e.Services.Users.Create(context.Background(), service.NewUser{Pseudonym: "login_only", Password: "member password 123", Role: string(model.RoleMember)}); err != nil {
		t.Fatal(err)
	}
	before := contentVersion(t, e)
	key, err := e.Services.Warnings.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := e.NewClient()
	wantStatus(t, c.Login(t, "login_only", "member password 123"), http.StatusSeeOther)
	c.Get(t, "/en/account")
	wantStatus(t, c.Post(t, "/en/logout", url.Values{}), http.StatusSeeOther)
	if after := contentVersion(t, e); after != before {
		t.Errorf("a login moved the content version from %d to %d", before, after)
	}
	if again, _ := e.Services.Warnings.Version(context.Background()); again != key {
		t.Errorf("a login changed the cache key from %q to %q", key, again)
	}
	// A change of a public name does move it.
	if err := e.DB.Gorm.Exec("UPDATE users SET pseudonym = 'renamed' WHERE pseudonym = 'login_only'").Error; err != nil {
		t.Fatal(err)
	}
	if after := contentVersion(t, e); after == before {
		t.Error("a new public name did not move the content version")
	}
}

// secondInstance builds another application over its own connection to
// e's database, as a second server sharing it would, with the real clock.
func secondInstance(t *testing.T, e *apptest.Env) *fiber.App {
	t.Helper()
	d, err := db.Open(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	st := store.New(d.Gorm)
	svc := service.New(st, time.Now, service.DefaultConfig())
	app, err := server.Build(svc, slog.New(slog.DiscardHandler), server.Options{
		BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20,
		Storage: st.NewHTTPState(time.Now), SecretKey: "test-secret-key-test-secret-key-test",
	})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestAnotherInstanceDropsAHiddenReport: instance B, which has the report
// and indicator pages cached, stops serving a report that instance A hid
// within about a second (asserted within 5 s; the delay is logged).
func TestAnotherInstanceDropsAHiddenReport(t *testing.T) {
	t.Parallel()
	r := newCachedReport(t)
	b := &apptest.Env{App: secondInstance(t, r.e), Log: &strings.Builder{}}
	r.showsReport(t, r.look(t, b))
	changeBehindTheCache(t, r.e, "UPDATE replies SET body = ? WHERE id = ?", "Changed behind the cache", r.replyID)
	time.Sleep(1100 * time.Millisecond) // B reads the version again
	if !strings.Contains(r.look(t, b).report, r.reply) {
		t.Fatal("instance B does not cache the report page")
	}
	wantStatus(t, act(t, r.mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(r.id)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
	hidden := time.Now()
	paths := []string{fmt.Sprintf("/en/reports/%d", r.id), fmt.Sprintf("/en/indicators/%d", r.indicator), "/en/reports", r.warningURL}
	delays := map[string]time.Duration{}
	for time.Since(hidden) < 5*time.Second && len(delays) < len(paths) {
		for _, p := range paths {
			if _, done := delays[p]; done {
				continue
			}
			if v := b.Get(t, p); v.StatusCode == http.StatusNotFound || !strings.Contains(v.Body, r.title) {
				delays[p] = time.Since(hidden)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, p := range paths {
		d, ok := delays[p]
		if !ok {
			t.Errorf("instance B still serves the hidden report on %s after 5 s", p)
			continue
		}
		t.Logf("instance B dropped the hidden report from %s after %v", p, d.Round(time.Millisecond))
	}
}

// TestAnOperatorsQualifiedWriteMovesTheVersion: on PostgreSQL, a write
// that names the schema from a session whose search_path does not hold it
// (an operator in psql) succeeds and moves the version like any other.
func TestAnOperatorsQualifiedWriteMovesTheVersion(t *testing.T) {
	t.Parallel()
	base := os.Getenv("FOREWARN_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("PostgreSQL only: SQLite has no schemas")
	}
	e := cachedEnv(t)
	id := e.Warning(t, apptest.Titled("Visa for a fee"))
	mustContain(t, e.Get(t, "/en/").Body, "Visa for a fee")
	// The operator's session names the schema; its search_path (the
	// database's default) does not hold the test's tables.
	var schema string
	apptest.Must(t, e.DB.Gorm.Raw("SELECT current_schema() AS schema").Scan(&schema))
	if err := e.DB.Gorm.Exec("CREATE SCHEMA elsewhere").Error; err != nil {
		t.Fatal(err)
	}
	opURL, err := url.Parse(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := opURL.Query()
	q.Set("search_path", "elsewhere")
	opURL.RawQuery = q.Encode()
	operator, err := db.Open(opURL.String())
	if err != nil {
		t.Fatal(err)
	}
	defer operator.Close()
	before := contentVersion(t, e)
	if err := operator.Gorm.Exec("UPDATE "+schema+".warning_translations SET title = 'Visa sold twice' WHERE warning_id = ?", id).Error; err != nil {
		t.Fatalf("a qualified write failed: %v", err)
	}
	if contentVersion(t, e) == before {
		t.Error("a qualified write did not move the content version")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.Get(t, "/en/").Body, "Visa sold twice") {
		if time.Now().After(deadline) {
			t.Fatal("the home page still shows the old title after 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
