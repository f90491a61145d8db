package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// seedReport stores a report through the service as author (nil: a
// visitor, whose report waits) in lang, naming country.
func seedReport(t *testing.T, e *apptest.Env, author *model.User, title, lang, country string) int64 {
	t.Helper()
	p, err := e.Services.Forum.CreateReport(context.Background(), author, service.ReportInput{
		Title: title, Body: "A page offered jobs abroad for a fee of 900 euros, paid in advance.", Lang: lang,
		Category: "fake-job-offer", SeenOn: "facebook", Origin: []string{country}, Destination: []string{country},
	})
	if err != nil {
		t.Fatalf("seed report %q: %v", title, err)
	}
	return p.ID
}

func postStatus(t *testing.T, e *apptest.Env, table string, id int64) string {
	t.Helper()
	var s string
	if err := e.DB.Gorm.Table(table).Select("status").Where("id = ?", id).Scan(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s
}

func TestQueuePagesThroughEverythingInScope(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_en", model.RoleModerator, []string{"en"}, []string{"UA"})
	admin, _ := e.Member(t, "admin", model.RoleAdmin, nil, nil)
	for i := 0; i < 120; i++ {
		seedReport(t, e, nil, fmt.Sprintf("Waiting report number %03d", i), "en", "UA")
	}
	for i := 0; i < 5; i++ {
		seedReport(t, e, nil, fmt.Sprintf("Elsewhere report number %d", i), "fr", "SY")
	}
	first := mod.Get(t, "/en/mod/queue")
	wantStatus(t, first, http.StatusOK)
	mustContain(t, first.Body, "120 posts are waiting.", "Reports: 120. Replies: 0.", "Page 1 of 3", "Waiting report number 000", "Waiting report number 049", `rel="next"`)
	mustNotContain(t, first.Body, "Waiting report number 050", "Elsewhere report")
	last := mod.Get(t, "/en/mod/queue?page=3")
	mustContain(t, last.Body, "Page 3 of 3", "Waiting report number 100", "Waiting report number 119", `rel="prev"`)
	mustNotContain(t, last.Body, "Waiting report number 099", `rel="next"`, "Elsewhere report")
	for _, page := range []string{"99", "-1", "x", "99999999999999999999"} {
		r := mod.Get(t, "/en/mod/queue?page="+url.QueryEscape(page))
		wantStatus(t, r, http.StatusOK)
	}
	mustContain(t, mod.Get(t, "/en/mod/queue?page=99").Body, "Page 3 of 3")
	all := admin.Get(t, "/en/mod/queue?page=3")
	mustContain(t, all.Body, "125 posts are waiting.", "Elsewhere report number 4")
}

func TestBulkRejectChangesOnlyPendingPostsInScope(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, modUser := e.Member(t, "mod_en", model.RoleModerator, []string{"en"}, []string{"UA"})
	var mine []int64
	for i := 0; i < 4; i++ {
		mine = append(mine, seedReport(t, e, nil, fmt.Sprintf("Spam wave report %d", i), "en", "UA"))
	}
	elsewhere := seedReport(t, e, nil, "Spam wave report in French", "fr", "SY")
	published := seedReport(t, e, &modUser, "A published report of the moderator", "en", "UA")
	_, memberUser := e.Member(t, "replier", model.RoleMember, nil, nil)
	reply, err := e.Services.Forum.CreateReply(context.Background(), &memberUser, published, "A pending reply in the wave.")
	if err != nil {
		t.Fatal(err)
	}
	before := countRows(t, e)

	page := mod.Get(t, "/en/mod/queue")
	mustContain(t, page.Body, `form="bulk-reject"`, fmt.Sprintf(`value="report:%d"`, mine[0]), fmt.Sprintf(`value="reply:%d"`, reply.ID))
	bulk := func(items []string, reason string) apptest.Response {
		mod.Get(t, "/en/mod/queue")
		return mod.Post(t, "/en/mod/queue/bulk", url.Values{"item": items, "reason": {reason}})
	}
	// Refusals change nothing.
	r := bulk(nil, "Spam wave")
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Body, "Tick at least one post.")
	wantStatus(t, bulk([]string{fmt.Sprintf("report:%d", mine[0])}, ""), http.StatusBadRequest)
	tooMany := make([]string, 101)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("report:%d", mine[0])
	}
	mustContain(t, bulk(tooMany, "Spam wave").Body, "Tick at most 100 posts at once.")
	if after := countRows(t, e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused bulk requests changed the database: %v -> %v", before, after)
	}

	items := []string{
		fmt.Sprintf("report:%d", mine[0]), fmt.Sprintf("report:%d", mine[1]), fmt.Sprintf("report:%d", mine[1]),
		fmt.Sprintf("reply:%d", reply.ID),
		fmt.Sprintf("report:%d", elsewhere), // another scope
		fmt.Sprintf("report:%d", published), // not pending
		"report:999999", "reply:0", "warning:1", "report:1 OR 1=1", "garbage",
	}
	r = bulk(items, "Spam wave from new accounts")
	wantStatus(t, r, http.StatusSeeOther)
	done := mod.Get(t, loc(r))
	mustContain(t, done.Body, "3 posts rejected.", "8 posts were left as they were")
	for _, id := range mine[:2] {
		if s := postStatus(t, e, "reports", id); s != "rejected" {
			t.Errorf("report %d is %s, want rejected", id, s)
		}
	}
	if s := postStatus(t, e, "replies", reply.ID); s != "rejected" {
		t.Errorf("reply is %s", s)
	}
	for id, want := range map[int64]string{mine[2]: "pending", mine[3]: "pending", elsewhere: "pending", published: "published"} {
		if s := postStatus(t, e, "reports", id); s != want {
			t.Errorf("report %d is %s, want %s (untouched)", id, s, want)
		}
	}
	if n := countActions(t, e, "action = ?", "report.reject") + countActions(t, e, "action = ?", "reply.reject"); n != 3 {
		t.Errorf("%d reject entries in the audit log, want 3", n)
	}
	var reason string
	apptest.Must(t, e.DB.Gorm.Table("reports").Select("reject_reason").Where("id = ?", mine[0]).Scan(&reason))
	if reason != "Spam wave from new accounts" {
		t.Errorf("reject reason %q", reason)
	}
	// The same request again changes nothing more.
	r = bulk(items[:2], "Spam wave from new accounts")
	mustContain(t, mod.Get(t, loc(r)).Body, "0 posts rejected.", "2 posts were left as they were")
}

func TestBanAndRemoveAllPostsStaysInScope(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, modUser := e.Member(t, "mod_en", model.RoleModerator, []string{"en"}, []string{"UA"})
	_, spamUser := e.Member(t, "spammer", model.RoleMember, nil, nil)
	_, otherMod := e.Member(t, "other_mod", model.RoleModerator, []string{"en"}, []string{"UA"})
	ctx := context.Background()
	target := seedReport(t, e, &modUser, "A published report to reply to", "en", "UA")
	pending1 := seedReport(t, e, &spamUser, "Spam report pending one", "en", "UA")
	pending2 := seedReport(t, e, &spamUser, "Spam report pending two", "en", "UA")
	public := seedReport(t, e, &spamUser, "Spam report already public", "en", "UA")
	locked := seedReport(t, e, &spamUser, "Spam report public and locked", "en", "UA")
	elsewhere := seedReport(t, e, &spamUser, "Spam report in another scope", "fr", "SY")
	elsewherePublic := seedReport(t, e, &spamUser, "Public spam in another scope", "fr", "SY")
	e.DB.Gorm.Exec("UPDATE reports SET status = 'published' WHERE id IN ?", []int64{public, elsewherePublic})
	e.DB.Gorm.Exec("UPDATE reports SET status = 'locked' WHERE id = ?", locked)
	reply, err := e.Services.Forum.CreateReply(ctx, &spamUser, target, "Spam reply waiting here.")
	if err != nil {
		t.Fatal(err)
	}
	otherPost := seedReport(t, e, &otherMod, "The other moderator's report", "en", "UA")

	purge := func(user int64, days, reason string) apptest.Response {
		mod.Get(t, "/en/mod/queue")
		return mod.Post(t, "/en/mod/queue/purge", url.Values{"user": {fmt.Sprint(user)}, "days": {days}, "reason": {reason}})
	}
	page := mod.Get(t, "/en/mod/queue")
	mustContain(t, page.Body, "Ban spammer and remove all their posts", fmt.Sprintf(`name="user" value="%d"`, spamUser.ID))

	// Refused: nothing changes, neither the ban nor the posts.
	before := countRows(t, e)
	wantStatus(t, purge(spamUser.ID, "0", "Spam wave"), http.StatusBadRequest)
	wantStatus(t, purge(spamUser.ID, "30", ""), http.StatusBadRequest)
	wantStatus(t, purge(otherMod.ID, "30", "Spam wave"), http.StatusNotFound)
	wantStatus(t, purge(modUser.ID, "30", "Spam wave"), http.StatusNotFound)
	wantStatus(t, purge(999999, "30", "Spam wave"), http.StatusNotFound)
	if after := countRows(t, e); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("refused purges changed the database: %v -> %v", before, after)
	}
	if s := postStatus(t, e, "reports", pending1); s != "pending" {
		t.Fatalf("a refused purge left report %d %s", pending1, s)
	}
	if s := postStatus(t, e, "reports", otherPost); s != "published" {
		t.Fatalf("the other moderator's report is %s", s)
	}

	r := purge(spamUser.ID, "30", "Spam wave from this account")
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, mod.Get(t, loc(r)).Body, "The member is banned.", "3 posts rejected.", "2 public posts hidden.")
	var banned *time.Time
	apptest.Must(t, e.DB.Gorm.Table("users").Select("banned_until").Where("id = ?", spamUser.ID).Scan(&banned))
	if banned == nil || !banned.After(apptest.Now.Add(29*24*time.Hour)) {
		t.Errorf("banned until %v", banned)
	}
	for id, want := range map[int64]string{pending1: "rejected", pending2: "rejected", public: "hidden", locked: "hidden", elsewhere: "pending", elsewherePublic: "published", target: "published", otherPost: "published"} {
		if s := postStatus(t, e, "reports", id); s != want {
			t.Errorf("report %d is %s, want %s", id, s, want)
		}
	}
	if s := postStatus(t, e, "replies", reply.ID); s != "rejected" {
		t.Errorf("spam reply is %s", s)
	}
	if n := countActions(t, e, "action = ?", "report.reject") + countActions(t, e, "action = ?", "reply.reject") + countActions(t, e, "action = ?", "report.hide"); n != 5 {
		t.Errorf("%d audit entries for the removals, want 5", n)
	}
	if n := countActions(t, e, "action = ?", "user.ban"); n != 1 {
		t.Errorf("%d ban entries, want 1", n)
	}
	mustNotContain(t, e.Get(t, "/en/reports").Body, "Spam report already public")
}
