package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/store"
)

// TestMembersReportListFollowsEveryChange: the list of reports a member
// sees (kept per content version, the page cache being for visitors) shows
// every change on the next request: a hidden report, an edited title, a
// ban that stops a member's confirmation counting; and each member's page
// keeps their own header, whoever asked for the same list before.
func TestMembersReportListFollowsEveryChange(t *testing.T) {
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_lists", model.RoleModerator, []string{"en"}, []string{"UA"})
	first := publishedReport(t, e, mod, "Visa agency wants cash first", "")
	second := publishedReport(t, e, mod, "Farm job paid half of what was said", "")
	member, _ := e.Member(t, "member_lists", model.RoleMember, nil, nil)
	_, witness := e.Member(t, "witness_lists", model.RoleMember, nil, nil)
	if err := e.DB.Gorm.Create(&model.ReportConfirmation{ReportID: second, UserID: witness.ID, CreatedAt: apptest.Now}).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/en/reports", "/en/reports?country=UA", "/en/reports?lang=en&page=1"} {
		// The moderator asks first: the member's page has no moderation link.
		mustContain(t, mod.Get(t, path).Body, `href="/en/mod/queue"`)
		page := member.Get(t, path)
		wantStatus(t, page, http.StatusOK)
		mustContain(t, page.Body, "Visa agency wants cash first", "Farm job paid half of what was said", "1 person met this offer", `href="/en/account"`)
		mustNotContain(t, page.Body, `href="/en/mod/queue"`)
		mustContain(t, mod.Get(t, path).Body, `href="/en/mod/queue"`)
		// A visitor in the same language gets neither.
		mustNotContain(t, e.Get(t, path).Body, `href="/en/mod/queue"`, `href="/en/account"`)
	}

	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(first)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
	if err := e.DB.Gorm.Exec("UPDATE reports SET title = ? WHERE id = ?", "Farm job paid a third of what was said", second).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/en/reports", "/en/reports?country=UA", "/en/reports?lang=en&page=1"} {
		page := member.Get(t, path).Body
		mustNotContain(t, page, "Visa agency wants cash first", "Farm job paid half of what was said")
		mustContain(t, page, "Farm job paid a third of what was said", "1 person met this offer")
	}

	if err := e.Store.BanUser(context.Background(), witness.ID, apptest.Now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	page := member.Get(t, "/en/reports").Body
	// A count back at zero is left off the card, not announced.
	mustContain(t, page, "Farm job paid a third of what was said")
	mustNotContain(t, page, "1 person met this offer", "0 people met this offer")

	// A page past the end is still not found.
	wantStatus(t, member.Get(t, "/en/reports?page=2"), http.StatusNotFound)
}

// TestReportListsCountAConfirmationAgainWhenItsBanEnds: the end of a ban
// is a moment, not a write; the list reads the counts again once it has
// passed, though the content version did not move.
func TestReportListsCountAConfirmationAgainWhenItsBanEnds(t *testing.T) {
	ctx := context.Background()
	d := apptest.OpenDB(t)
	st := store.New(d.Gorm)
	var mu sync.Mutex
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	svc := service.New(st, clock, service.DefaultConfig())
	author, err := svc.Users.Create(ctx, service.NewUser{Pseudonym: "author_ban", Password: "member password 123", Role: string(model.RoleModerator)})
	if err != nil {
		t.Fatal(err)
	}
	witness, err := svc.Users.Create(ctx, service.NewUser{Pseudonym: "witness_ban", Password: "member password 123", Role: string(model.RoleMember)})
	if err != nil {
		t.Fatal(err)
	}
	published := now.Add(-time.Hour)
	r := model.Report{AuthorID: &author.ID, Title: "Cleaning job without a contract", Body: "They kept our passports.", Lang: "en", CategoryID: 1, SeenOn: model.SeenOnPlaces[0], Status: model.PostPublished, PublishedAt: &published}
	if err := st.CreateReport(ctx, &r, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Gorm.Create(&model.ReportConfirmation{ReportID: r.ID, UserID: witness.ID, CreatedAt: now}).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.BanUser(ctx, witness.ID, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	count := func() (string, int) {
		t.Helper()
		stamp, err := svc.Forum.ReportsStamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.Forum.ListReports(ctx, service.ReportQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 1 {
			t.Fatalf("%d reports listed", len(list.Items))
		}
		return stamp, list.Items[0].Confirmations
	}
	banned, n := count()
	if n != 0 {
		t.Fatalf("a banned member's confirmation counts: %d", n)
	}
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	ended, n := count()
	if ended == banned {
		t.Error("the stamp of the lists did not move when the ban ended")
	}
	if n != 1 {
		t.Errorf("the confirmation of a member whose ban ended counts %d", n)
	}
	if strings.TrimSpace(ended) == "" {
		t.Error("empty stamp")
	}
}

// TestWarningPageCountsReportsOfTheContentShown: the count of reports next
// to each of a warning's indicators (kept per content version) follows a
// hidden report and a new one on the next request, on the warning's page
// and in the API.
func TestWarningPageCountsReportsOfTheContentShown(t *testing.T) {
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_counts", model.RoleModerator, []string{"en"}, []string{"UA"})
	phone := service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900555"}
	id := e.Warning(t, apptest.Titled("Driver jobs with a fee"), apptest.WithIndicators(phone))
	page := fmt.Sprintf("/en/warnings/%d", id)
	mustNotContain(t, e.Get(t, page).Body, "named in 1 report")
	first := publishedReport(t, e, mod, "Recruiter with a British number", "They called from +44 7700 900555 and asked for 900 euros.")
	mustContain(t, e.Get(t, page).Body, "named in 1 report")
	publishedReport(t, e, mod, "The same number again", "Again +44 7700 900555 asked my brother for 900 euros.")
	mustContain(t, e.Get(t, page).Body, "named in 2 reports")
	wantStatus(t, act(t, mod, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(first)}, "reason": {"Spam after all"}}), http.StatusSeeOther)
	body := e.Get(t, page).Body
	mustContain(t, body, "named in 1 report")
	mustNotContain(t, body, "named in 2 reports")
}
