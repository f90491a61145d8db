package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

// frenchReport is a report in French on a route through France.
func frenchReport(title string) url.Values {
	return url.Values{
		"title":       {title},
		"body":        {"Une agence promettait du travail saisonnier en France contre 500 euros de frais."},
		"lang":        {"fr"},
		"category":    {"fake-job-offer"},
		"seen_on":     {"facebook"},
		"origin":      {"RO"},
		"destination": {"FR"},
	}
}

// restrictRow is what the database holds of a member's restrictions.
type restrictRow struct {
	SilencedUntil *time.Time
	BannedUntil   *time.Time
}

func restrictionOf(t *testing.T, e *apptest.Env, id int64) restrictRow {
	t.Helper()
	var r restrictRow
	if err := e.DB.Gorm.Table("users").Select("silenced_until, banned_until").Where("id = ?", id).Scan(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func countActions(t *testing.T, e *apptest.Env, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := e.DB.Gorm.Table("moderation_actions").Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func restrictAs(t *testing.T, c *apptest.Client, lang string, user int64, kind, days string) apptest.Response {
	t.Helper()
	c.Get(t, "/"+lang+"/mod/queue")
	return c.Post(t, "/"+lang+"/mod/restrict", url.Values{"user": {fmt.Sprint(user)}, "kind": {kind}, "days": {days}, "reason": {"Spam wave restriction"}})
}

func TestAuditLogShowsAModeratorOnlyTheirScope(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "log_admin", model.RoleAdmin, nil, nil)
	modUA, _ := e.Member(t, "log_mod_ua", model.RoleModerator, []string{"en"}, []string{"UA"})
	modFR, modFRUser := e.Member(t, "log_mod_fr", model.RoleModerator, []string{"fr"}, []string{"FR"})
	victim, victimUser := e.Member(t, "log_victim", model.RoleMember, nil, nil)
	writerFR, writerFRUser := e.Member(t, "log_writer_fr", model.RoleMember, nil, nil)

	// A victim's report in English on a Ukrainian route; an admin redacts
	// the victim's phone number and bans a member there.
	uaID, r := postReport(t, victim, reportForm("Victim report on the Ukrainian route"))
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, act(t, admin, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(uaID)}, "passage": {"+44 7700 900123"}, "reason": {"UA-only victim phone"}}), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", victimUser.ID, "silence", "5"), http.StatusSeeOther)
	var replyID int64
	modUA.Get(t, "/en/mod/queue")
	wantStatus(t, modUA.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(uaID)}, "decision": {"approve"}}), http.StatusSeeOther)
	modUA.Get(t, fmt.Sprintf("/en/reports/%d", uaID))
	wantStatus(t, modUA.Post(t, fmt.Sprintf("/en/reports/%d/replies", uaID), url.Values{"body": {"UA-only moderator reply body."}}), http.StatusSeeOther)
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("id").Where("report_id = ?", uaID).Scan(&replyID))
	wantStatus(t, act(t, modUA, url.Values{"action": {"redact"}, "kind": {"reply"}, "id": {fmt.Sprint(replyID)}, "passage": {"moderator reply"}, "reason": {"UA-only reply redaction"}}), http.StatusSeeOther)
	uaWarning := e.Warning(t, apptest.OnRoute("UA", "PL"))
	if err := e.Store.LogAction(context.Background(), &model.ModerationAction{Action: "warning.edit", TargetType: "warning", TargetID: uaWarning, Reason: "UA-only warning edit", BeforeText: "UA-only warning original", CreatedAt: apptest.Now}); err != nil {
		t.Fatal(err)
	}

	// A French report, in the French moderator's scope.
	frID, r := postReport(t, writerFR, frenchReport("Rapport sur la route française"))
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, act(t, modFR, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(frID)}, "passage": {"500 euros"}, "reason": {"FR-scope redaction"}}), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, modFR, "fr", writerFRUser.ID, "silence", "3"), http.StatusSeeOther)

	uaSecrets := []string{"7700 900123", "UA-only", "log_victim"}
	page := modFR.Get(t, "/fr/mod/log")
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "FR-scope redaction", "500 euros", "Spam wave restriction")
	mustNotContain(t, page.Body, uaSecrets...)

	// Filters and guessed IDs give nothing outside the scope. Under the
	// race detector, which watches the same code for every filter, two
	// action filters of the five are tried.
	actions := []string{"", "report.redact", "reply.redact", "user.silence", "warning.edit"}
	if raceDetector {
		actions = actions[:2]
	}
	for _, target := range []string{"", "report", "reply", "warning", "user", "organisation", "category"} {
		for id := int64(1); id <= 12; id++ {
			q := fmt.Sprintf("/fr/mod/log?target=%s&id=%d", target, id)
			for _, action := range actions {
				page := modFR.Get(t, q+"&action="+action)
				wantStatus(t, page, http.StatusOK)
				mustNotContain(t, page.Body, uaSecrets...)
			}
		}
	}
	for _, q := range []string{fmt.Sprintf("target=report&id=%d", uaID), fmt.Sprintf("target=reply&id=%d", replyID), fmt.Sprintf("target=user&id=%d", victimUser.ID), fmt.Sprintf("target=warning&id=%d", uaWarning), "page=2"} {
		page := modFR.Get(t, "/fr/mod/log?"+q)
		wantStatus(t, page, http.StatusOK)
		if n := strings.Count(page.Body, "<td><code>"); n != 0 {
			t.Errorf("%s: a French moderator sees %d entries", q, n)
		}
	}

	// The moderator of that scope and the admin see the originals.
	own := modUA.Get(t, "/en/mod/log")
	mustContain(t, own.Body, "UA-only victim phone", "7700 900123", "UA-only reply redaction", "UA-only warning original", "user.silence")
	mustNotContain(t, own.Body, "FR-scope redaction", "500 euros")
	all := admin.Get(t, "/en/mod/log")
	mustContain(t, all.Body, "UA-only victim phone", "7700 900123", "FR-scope redaction", "500 euros")

	// Restrictions a moderator made stay visible to them even without content.
	if err := e.Store.LogAction(context.Background(), &model.ModerationAction{ActorID: &modFRUser.ID, Action: "user.ban", TargetType: "user", TargetID: victimUser.ID, Reason: "FR-made restriction", CreatedAt: apptest.Now}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, modFR.Get(t, "/fr/mod/log?target=user").Body, "FR-made restriction")
	_ = writerFR
}

func TestModeratorsRestrictOnlyInScopeForAMonth(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, adminUser := e.Member(t, "rs_admin", model.RoleAdmin, nil, nil)
	modFR, modFRUser := e.Member(t, "rs_mod_fr", model.RoleModerator, []string{"fr"}, []string{"FR"})
	modUA, modUAUser := e.Member(t, "rs_mod_ua", model.RoleModerator, []string{"en"}, []string{"UA"})
	uaWriter, uaUser := e.Member(t, "rs_writer_ua", model.RoleMember, nil, nil)
	frWriter, frUser := e.Member(t, "rs_writer_fr", model.RoleMember, nil, nil)
	_, silentUser := e.Member(t, "rs_silent", model.RoleMember, nil, nil)
	if _, r := postReport(t, uaWriter, reportForm("Report on the Ukrainian route")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("ua report: %d", r.StatusCode)
	}
	if _, r := postReport(t, frWriter, frenchReport("Rapport sur la route française")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("fr report: %d", r.StatusCode)
	}

	// An admin and another moderator who wrote in the French scope are
	// still out of a moderator's reach.
	for _, c := range []*apptest.Client{admin, modUA} {
		if _, r := postReport(t, c, frenchReport("Rapport d'un membre de l'équipe")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("staff report: %d", r.StatusCode)
		}
	}

	refused := []struct {
		name   string
		user   int64
		kind   string
		days   string
		status int
	}{
		{"out-of-scope member", uaUser.ID, "silence", "7", http.StatusNotFound},
		{"out-of-scope ban", uaUser.ID, "ban", "1", http.StatusNotFound},
		{"member without content", silentUser.ID, "ban", "1", http.StatusNotFound},
		{"an admin", adminUser.ID, "ban", "1", http.StatusNotFound},
		{"another moderator", modUAUser.ID, "silence", "1", http.StatusNotFound},
		{"themselves", modFRUser.ID, "silence", "1", http.StatusNotFound},
		{"31 days", frUser.ID, "silence", "31", http.StatusBadRequest},
		{"ten years", frUser.ID, "ban", "3650", http.StatusBadRequest},
		{"no such member", 999999, "ban", "1", http.StatusNotFound},
	}
	for _, c := range refused {
		before := countActions(t, e, "target_type = 'user'")
		r := restrictAs(t, modFR, "en", c.user, c.kind, c.days)
		if r.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, r.StatusCode, c.status)
		}
		if c.user != 999999 {
			if got := restrictionOf(t, e, c.user); got.SilencedUntil != nil || got.BannedUntil != nil {
				t.Errorf("%s: the refusal restricted the account: %+v", c.name, got)
			}
		}
		if after := countActions(t, e, "target_type = 'user'"); after != before {
			t.Errorf("%s: the refusal was logged as done", c.name)
		}
	}
	long := restrictAs(t, modFR, "fr", frUser.ID, "ban", "31")
	wantStatus(t, long, http.StatusBadRequest)
	mustContain(t, long.Body, "30 jours au plus", "demandez à un administrateur")
	long = restrictAs(t, modFR, "en", frUser.ID, "ban", "365")
	mustContain(t, long.Body, "at most 30 days")

	wantStatus(t, restrictAs(t, modFR, "en", frUser.ID, "silence", "30"), http.StatusSeeOther)
	if got := restrictionOf(t, e, frUser.ID); got.SilencedUntil == nil || got.SilencedUntil.Sub(apptest.Now) > 30*24*time.Hour+time.Minute {
		t.Errorf("30-day silence stored as %+v", got)
	}

	// Admins restrict anyone but themselves, site-wide and for longer.
	wantStatus(t, restrictAs(t, admin, "en", silentUser.ID, "ban", "3650"), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", uaUser.ID, "silence", "90"), http.StatusSeeOther)
	wantStatus(t, restrictAs(t, admin, "en", modUAUser.ID, "silence", "2"), http.StatusSeeOther)
	if got := restrictionOf(t, e, silentUser.ID); got.BannedUntil == nil {
		t.Error("the admin's ban was not stored")
	}

	// The form tells a moderator the limit.
	frID := int64(0)
	apptest.Must(t, e.DB.Gorm.Table("reports").Select("id").Where("author_id = ?", frUser.ID).Scan(&frID))
	form := modFR.Get(t, fmt.Sprintf("/en/reports/%d", frID))
	mustContain(t, form.Body, `max="30"`, "From 1 to 30 days")
	mustContain(t, admin.Get(t, fmt.Sprintf("/en/reports/%d", frID)).Body, `max="3650"`)
}
