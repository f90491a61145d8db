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
	"forewarn/app/service"
)

type revisionRow struct {
	TargetType string
	TargetID   int64
	Title      string
	Body       string
}

func revisionsOf(t *testing.T, e *apptest.Env, kind string, id int64) []revisionRow {
	t.Helper()
	var rows []revisionRow
	if err := e.DB.Gorm.Table("post_revisions").Select("target_type, target_id, title, body").Where("target_type = ? AND target_id = ?", kind, id).Order("id").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRemovalReachesEveryRevision(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "rm_admin", model.RoleAdmin, nil, nil)
	modUA, _ := e.Member(t, "rm_mod_ua", model.RoleModerator, []string{"en"}, []string{"UA"})
	modFR, _ := e.Member(t, "rm_mod_fr", model.RoleModerator, []string{"fr"}, []string{"FR"})
	author, authorUser := e.Member(t, "rm_author", model.RoleMember, nil, nil)
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", authorUser.ID)
	personal := []string{"FE123456", "olena.k@example.org", "123 4567", "765 4321"}

	form := reportForm("Recruiter kept my documents")
	form.Set("body", "The recruiter Ivan Petrenko kept my passport. My passport number is FE123456. Write to olena.k@example.org or call +380 67 123 4567 if you met him.")
	id, r := postReport(t, author, form)
	wantStatus(t, r, http.StatusSeeOther)
	if status, hold := reportStatus(t, e, id); status != "pending" || hold != "personal_data" {
		t.Fatalf("report with a passport number is %s/%s", status, hold)
	}
	edit := fmt.Sprintf("/en/reports/%d/edit", id)
	author.Get(t, edit)
	wantStatus(t, author.Post(t, edit, url.Values{"title": {"Recruiter kept my documents"}, "body": {"The recruiter Ivan Petrenko kept my passport. Ask the moderators if you met him."}}), http.StatusSeeOther)
	revs := revisionsOf(t, e, "report", id)
	if len(revs) != 1 {
		t.Fatalf("%d revisions", len(revs))
	}
	for _, p := range personal[:3] {
		if strings.Contains(revs[0].Title+revs[0].Body, p) {
			t.Errorf("the edit removed %q but the revision keeps it: %q", p, revs[0].Body)
		}
	}
	if !strings.Contains(revs[0].Body, "Ivan Petrenko") || !strings.Contains(revs[0].Body, "[redacted]") {
		t.Errorf("revision lost more than the personal data: %q", revs[0].Body)
	}
	modUA.Get(t, "/en/mod/queue")
	wantStatus(t, modUA.Post(t, "/en/mod/queue", url.Values{"kind": {"report"}, "id": {fmt.Sprint(id)}, "decision": {"approve"}}), http.StatusSeeOther)
	author.Get(t, edit)
	wantStatus(t, author.Post(t, edit, url.Values{"title": {"Recruiter Ivan Petrenko kept my documents"}, "body": {"The recruiter Ivan Petrenko kept my passport; others lost theirs too."}}), http.StatusSeeOther)

	// A reply whose author takes their phone number back.
	path := fmt.Sprintf("/en/reports/%d", id)
	author.Get(t, path)
	wantStatus(t, author.Post(t, path+"/replies", url.Values{"body": {"He also called me from +380 67 765 4321, call me."}}), http.StatusSeeOther)
	var replyID int64
	apptest.Must(t, e.DB.Gorm.Table("replies").Select("id").Where("report_id = ?", id).Scan(&replyID))
	replyEdit := fmt.Sprintf("/en/replies/%d/edit", replyID)
	author.Get(t, replyEdit)
	wantStatus(t, author.Post(t, replyEdit, url.Values{"body": {"He also called me, ask the moderators."}}), http.StatusSeeOther)
	if rr := revisionsOf(t, e, "reply", replyID); len(rr) != 1 || strings.Contains(rr[0].Body, "765 4321") || !strings.Contains(rr[0].Body, "He also called me from [redacted]") {
		t.Errorf("reply revisions: %+v", rr)
	}
	wantStatus(t, act(t, modUA, url.Values{"action": {"redact"}, "kind": {"reply"}, "id": {fmt.Sprint(replyID)}, "passage": {"He also called me"}, "reason": {"Redact reply everywhere"}}), http.StatusSeeOther)
	for _, rv := range revisionsOf(t, e, "reply", replyID) {
		if strings.Contains(rv.Body, "He also called me") {
			t.Errorf("a reply revision keeps the redacted passage: %q", rv.Body)
		}
	}

	// A moderator's redaction reaches every earlier revision.
	wantStatus(t, act(t, modUA, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"Ivan Petrenko"}, "reason": {"Names a private person"}}), http.StatusSeeOther)
	revs = revisionsOf(t, e, "report", id)
	if len(revs) != 2 {
		t.Fatalf("%d revisions", len(revs))
	}
	for _, rv := range revs {
		if strings.Contains(rv.Title+rv.Body, "Petrenko") {
			t.Errorf("a revision keeps the redacted passage: %+v", rv)
		}
		for _, p := range personal {
			if strings.Contains(rv.Title+rv.Body, p) {
				t.Errorf("a revision keeps %q: %+v", p, rv)
			}
		}
	}
	for _, c := range []*apptest.Client{e.NewClient(), author, modFR} {
		page := c.Get(t, path)
		mustNotContain(t, page.Body, append(personal, "Petrenko")...)
	}
	mustNotContain(t, modFR.Get(t, "/en/mod/log").Body, append(personal, "Petrenko")...)
	// The originals live in the audit log, for the moderators of that scope.
	mustContain(t, modUA.Get(t, "/en/mod/log").Body, "Ivan Petrenko", "FE123456")

	// Deleting the account forgets the revisions and the member's own
	// texts in the log; the current public post stays.
	author.Get(t, "/en/account")
	wantStatus(t, author.Post(t, "/en/account/delete", url.Values{"password": {"member password 123"}}), http.StatusSeeOther)
	if n := len(revisionsOf(t, e, "report", id)) + len(revisionsOf(t, e, "reply", replyID)); n != 0 {
		t.Errorf("%d revisions survive the account", n)
	}
	var leftovers int64
	apptest.Must(t, e.DB.Gorm.Table("moderation_actions").Where("before_text LIKE ? OR after_text LIKE ? OR before_text LIKE ? OR after_text LIKE ?", "%FE123456%", "%FE123456%", "%765 4321%", "%765 4321%").Count(&leftovers))
	if leftovers != 0 {
		t.Errorf("%d audit entries keep the deleted member's personal data", leftovers)
	}
	public := e.Get(t, path)
	wantStatus(t, public, http.StatusOK)
	mustContain(t, public.Body, "others lost theirs too", "[redacted]")
	log := admin.Get(t, "/en/mod/log")
	mustNotContain(t, log.Body, personal...)
	mustContain(t, log.Body, "Names a private person")
}

func TestAuditTextsArePurgedAfterTheRetention(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	admin, _ := e.Member(t, "purge_admin", model.RoleAdmin, nil, nil)
	ctx := context.Background()
	old := &model.ModerationAction{Action: "report.redact", TargetType: "report", TargetID: 1, Reason: "Old redaction", BeforeText: "old original +380 67 111 2233", AfterText: "old [redacted]", CreatedAt: apptest.Now.Add(-366 * 24 * time.Hour)}
	recent := &model.ModerationAction{Action: "report.redact", TargetType: "report", TargetID: 2, Reason: "Recent redaction", BeforeText: "recent original +380 67 444 5566", AfterText: "recent [redacted]", CreatedAt: apptest.Now.Add(-364 * 24 * time.Hour)}
	for _, a := range []*model.ModerationAction{old, recent} {
		if err := e.Store.LogAction(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	mustContain(t, admin.Get(t, "/en/mod/log").Body, "old original", "recent original")

	// No retention keeps everything.
	keep := service.DefaultConfig()
	keep.AuditRetention = 0
	if n, err := service.New(e.Store, func() time.Time { return apptest.Now }, keep).Moderation.PurgeAuditTexts(ctx); err != nil || n != 0 {
		t.Fatalf("purge without retention: %d, %v", n, err)
	}

	n, err := e.Services.Moderation.PurgeAuditTexts(ctx)
	if err != nil || n != 1 {
		t.Fatalf("purge: %d entries, %v", n, err)
	}
	var rows []model.ModerationAction
	apptest.Must(t, e.DB.Gorm.Where("id IN ?", []int64{old.ID, recent.ID}).Order("id").Find(&rows))
	if len(rows) != 2 || rows[0].BeforeText != "" || rows[0].AfterText != "" || rows[0].Reason != "Old redaction" {
		t.Errorf("old entry after the purge: %+v", rows)
	}
	if rows[1].BeforeText != recent.BeforeText || rows[1].AfterText != recent.AfterText {
		t.Errorf("the purge emptied an entry within the retention: %+v", rows[1])
	}
	log := admin.Get(t, "/en/mod/log")
	mustNotContain(t, log.Body, "old original", "111 2233")
	mustContain(t, log.Body, "Old redaction", "recent original")
	if n, err := e.Services.Moderation.PurgeAuditTexts(ctx); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v", n, err)
	}
}

func TestRedactionReachesAPassageLeftOnlyInRevisions(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "rv_mod", model.RoleModerator, []string{"en"}, []string{"UA"})
	other, _ := e.Member(t, "rv_other", model.RoleModerator, []string{"fr"}, []string{"FR"})
	author, authorUser := e.Member(t, "rv_author", model.RoleMember, nil, nil)
	e.DB.Gorm.Exec("UPDATE users SET approved_posts = 10 WHERE id = ?", authorUser.ID)
	form := reportForm("The agency of Olena Marchenko")
	form.Set("body", "Olena Marchenko from the agency asked me for 900 euros for a visa.")
	id, r := postReport(t, author, form)
	wantStatus(t, r, http.StatusSeeOther)
	edit := fmt.Sprintf("/en/reports/%d/edit", id)
	author.Get(t, edit)
	wantStatus(t, author.Post(t, edit, url.Values{"title": {"The agency took my money"}, "body": {"A woman from the agency asked me for 900 euros for a visa."}}), http.StatusSeeOther)
	if rv := revisionsOf(t, e, "report", id); len(rv) != 1 || !strings.Contains(rv[0].Body, "Olena Marchenko") {
		t.Fatalf("revisions before: %+v", rv)
	}
	redact := url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"Olena Marchenko"}, "reason": {"A private person's name"}}
	wantStatus(t, act(t, other, clone(redact)), http.StatusNotFound)
	if rv := revisionsOf(t, e, "report", id); !strings.Contains(rv[0].Title+rv[0].Body, "Olena Marchenko") {
		t.Fatal("a moderator out of scope changed the revisions")
	}
	wantStatus(t, act(t, mod, clone(redact)), http.StatusSeeOther)
	for _, rv := range revisionsOf(t, e, "report", id) {
		if strings.Contains(rv.Title+rv.Body, "Marchenko") {
			t.Errorf("revision keeps the name: %+v", rv)
		}
	}
	var body string
	apptest.Must(t, e.DB.Gorm.Table("reports").Select("body").Where("id = ?", id).Scan(&body))
	if body != "A woman from the agency asked me for 900 euros for a visa." {
		t.Errorf("the current text changed: %q", body)
	}
	if n := countActions(t, e, "action = 'report.redact' AND target_id = ? AND before_text = 'Olena Marchenko'", id); n != 1 {
		t.Errorf("%d redactions logged with the original", n)
	}
	missing := act(t, mod, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(id)}, "passage": {"nowhere at all"}, "reason": {"test"}})
	wantStatus(t, missing, http.StatusBadRequest)
}

// clone copies form values, which a client's Post completes with its token.
func clone(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
