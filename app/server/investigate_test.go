package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// graphFixture is a site with public and non-public content around a few
// indicators, a vetted investigator organisation and one that is not.
type graphFixture struct {
	e                *apptest.Env
	admin            *apptest.Client
	vetted, unvetted int64
	// investigator is a signed-in member of the vetted organisation.
	investigator     *apptest.Client
	investigatorUser model.User
	// key holds the investigate scope, for the vetted organisation.
	key service.IssuedKey
	// secrets must never appear in any answer of the graph: non-public
	// content, a member's pseudonym and e-mail.
	secrets []string
}

const (
	sharedPhone   = "+447700900123"
	reporterPseud = "graph_reporter_x"
	reporterEmail = "graph-reporter@secret.example"
)

func newGraphFixture(t *testing.T) *graphFixture {
	t.Helper()
	e := apptest.New(t)
	ctx := context.Background()
	f := &graphFixture{e: e}
	f.admin, _ = e.Member(t, "graph_admin", model.RoleAdmin, nil, nil)
	f.vetted = newOrganisation(t, e, "Labour Inspectorate")
	f.unvetted = newOrganisation(t, e, "Helpline Moldova")
	f.setInvestigator(t, f.vetted, true)
	f.key = issueKey(t, e, f.vetted, "investigate", "")

	f.investigator, f.investigatorUser = e.Member(t, "graph_inspector", model.RoleMember, nil, nil)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE users SET organisation_id = ? WHERE id = ?", f.vetted, f.investigatorUser.ID))

	phone := func(v string) service.RawIndicator { return service.RawIndicator{Kind: model.IndicatorPhone, Value: v} }
	e.Warning(t, apptest.Titled("Fake warehouse jobs in Germany"), apptest.OnRoute("RO", "DE"), apptest.PublishedAgo(40*24*time.Hour),
		apptest.WithIndicators(phone("+44 7700 900123"), service.RawIndicator{Kind: model.IndicatorEmail, Value: "hr@eurodrive.example"}))
	e.Warning(t, apptest.Titled("Fake driver jobs in Poland"), apptest.OnRoute("UA", "PL"), apptest.PublishedAgo(2*24*time.Hour),
		apptest.WithIndicators(phone("+44 7700 900123"), service.RawIndicator{Kind: model.IndicatorLink, Value: "https://jobs.eurodrive.example/apply"}))
	draft := e.Warning(t, apptest.Titled("DRAFTTITLE"), apptest.WithIndicators(phone("+44 7700 900551"), phone("+44 7700 900123")))
	review := e.Warning(t, apptest.Titled("REVIEWTITLE"), apptest.WithIndicators(phone("+44 7700 900552")))
	retracted := e.Warning(t, apptest.Titled("RETRACTEDTITLE"), apptest.Retracted("wrong number"), apptest.WithIndicators(phone("+44 7700 900556")))
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'draft' WHERE id = ?", draft))
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'in_review' WHERE id = ?", review))
	_ = retracted

	report := func(key, title string, status model.PostStatus, inds ...service.RawIndicator) service.ImportedReport {
		return service.ImportedReport{Key: key, Title: title, Body: title + " body text that is long enough to be a report.", Lang: "en", Category: "fake-job-offer",
			SeenOn: model.SeenOn("telegram"), Author: reporterPseud, PublishedAt: apptest.Now.Add(-10 * 24 * time.Hour), Status: status,
			Countries: []service.ImportedCountry{{Code: "RO", Role: model.CountryOrigin}, {Code: "IT", Role: model.CountryDestination}}, Indicators: inds}
	}
	_, err := e.Services.Importer.ImportReports(ctx, []service.ImportedReport{
		report("graph-published", "Recruiter on Telegram", model.PostPublished, phone("+44 7700 900123"),
			service.RawIndicator{Kind: model.IndicatorSocial, Platform: "telegram", Value: "@rabota_eu_fast"}),
		report("graph-hidden", "HIDDENTITLE", model.PostHidden, phone("+44 7700 900553"), phone("+44 7700 900123")),
		report("graph-rejected", "REJECTEDTITLE", model.PostRejected, phone("+44 7700 900554")),
		report("graph-pending", "PENDINGTITLE", model.PostHidden, phone("+44 7700 900555")),
	})
	if err != nil {
		t.Fatal(err)
	}
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'pending' WHERE title = 'PENDINGTITLE'"))
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE users SET email = ? WHERE pseudonym = ?", reporterEmail, reporterPseud))
	f.secrets = []string{"DRAFTTITLE", "REVIEWTITLE", "RETRACTEDTITLE", "HIDDENTITLE", "REJECTEDTITLE", "PENDINGTITLE",
		"900551", "900552", "900553", "900554", "900555", "900556", reporterPseud, reporterEmail, "graph_inspector", "graph_admin"}
	return f
}

// setInvestigator marks org or withdraws the mark on the admin page.
func (f *graphFixture) setInvestigator(t *testing.T, org int64, on bool) {
	t.Helper()
	f.admin.Get(t, "/en/admin/organisations")
	v := url.Values{}
	if on {
		v.Set("investigator", "1")
	}
	wantStatus(t, f.admin.Post(t, fmt.Sprintf("/en/admin/organisations/%d/investigator", org), v), http.StatusSeeOther)
}

func (f *graphFixture) noSecrets(t *testing.T, what, body string) {
	t.Helper()
	for _, s := range f.secrets {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", what, s)
		}
	}
}

func indicatorID(t *testing.T, e *apptest.Env, normalized string) int64 {
	t.Helper()
	var id int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT id FROM indicators WHERE normalized = ?", normalized).Scan(&id))
	if id == 0 {
		t.Fatalf("no indicator %s", normalized)
	}
	return id
}

func TestInvestigatorMarkIsAuditedAndGatesTheInvestigateScope(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e
	if n := e.Count(t, "moderation_actions", "action = 'organisation.investigator' AND target_id = ? AND after_text LIKE '%investigator=true'", f.vetted); n != 1 {
		t.Errorf("%d audit lines for the mark, want 1", n)
	}
	// the service and the command line (IssueByOperator) refuse the scope
	// for an organisation that is not vetted, naming the field
	_, err := e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: fmt.Sprint(f.unvetted), Name: "bot", Scopes: "read,investigate"})
	var inv apperr.Invalids
	if !errors.As(err, &inv) || len(inv) != 1 || inv[0].Field != "scopes" {
		t.Errorf("investigate key for an unvetted organisation: %v", err)
	}
	// the admin page too
	f.admin.Get(t, "/en/admin/keys")
	r := f.admin.Post(t, "/en/admin/keys", url.Values{"organisation": {fmt.Sprint(f.unvetted)}, "name": {"x bot"}, "scopes": {"read", "investigate"}})
	if r.StatusCode != http.StatusUnprocessableEntity || keyPattern.MatchString(r.Body) || !strings.Contains(r.Body, "vetted investigators") {
		t.Errorf("admin page: %d\n%.400s", r.StatusCode, r.Body)
	}
	if n := e.Count(t, "api_keys", "organisation_id = ?", f.unvetted); n != 0 {
		t.Errorf("%d keys stored for the unvetted organisation", n)
	}
	// other scopes stay open to it
	issueKey(t, e, f.unvetted, "read", "")
	// the mark is for admins only, with the CSRF token
	f.investigator.Get(t, "/en/reports/new")
	if r := f.investigator.Post(t, fmt.Sprintf("/en/admin/organisations/%d/investigator", f.unvetted), url.Values{"investigator": {"1"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("a member marks an organisation: %d", r.StatusCode)
	}
	if r := f.admin.Post(t, fmt.Sprintf("/en/admin/organisations/%d/investigator", f.unvetted), url.Values{"_csrf": {"forged"}, "investigator": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("forged CSRF: %d", r.StatusCode)
	}
	if since, _ := e.Store.InvestigatorSince(context.Background(), f.unvetted); since != nil {
		t.Error("the unvetted organisation got marked")
	}
	page := f.admin.Get(t, "/en/admin/organisations")
	mustContain(t, page.Body, "Vetted investigator since")
}

func TestInvestigatePageIsForVettedInvestigatorsOnly(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e
	id := indicatorID(t, e, sharedPhone)
	paths := []string{"/en/investigate", fmt.Sprintf("/en/investigate/indicators/%d", id), "/en/investigate/export.csv", "/en/investigate/export.stix.json"}

	outsider, outsiderUser := e.Member(t, "graph_outsider", model.RoleMember, nil, nil)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE users SET organisation_id = ? WHERE id = ?", f.unvetted, outsiderUser.ID))
	mod, _ := e.Member(t, "graph_mod", model.RoleModerator, []string{"en"}, []string{"RO"})
	loner, _ := e.Member(t, "graph_loner", model.RoleMember, nil, nil)
	for name, c := range map[string]*apptest.Client{"visitor": e.NewClient(), "unvetted member": outsider, "moderator": mod, "member without organisation": loner} {
		for _, p := range paths {
			if r := c.Get(t, p); r.StatusCode != http.StatusNotFound || strings.Contains(r.Body, "900123") {
				t.Errorf("%s: GET %s %d, want 404", name, p, r.StatusCode)
			}
		}
	}
	// the key of the vetted organisation opens the API, not the pages
	if r := e.Get(t, "/en/investigate", bearer(f.key.Key)...); r.StatusCode != http.StatusNotFound {
		t.Errorf("a key opens the page: %d", r.StatusCode)
	}

	for name, c := range map[string]*apptest.Client{"investigator": f.investigator, "admin": f.admin} {
		r := c.Get(t, "/en/investigate")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, "447700900123", "hr@eurodrive.example", "rabota_eu_fast")
		f.noSecrets(t, name+"'s page", r.Body)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: page Cache-Control %q", name, r.Header.Get("Cache-Control"))
		}
		d := c.Get(t, paths[1])
		wantStatus(t, d, http.StatusOK)
		mustContain(t, d.Body, "Fake warehouse jobs in Germany", "Fake driver jobs in Poland", "Recruiter on Telegram", "eurodrive.example/apply")
		f.noSecrets(t, name+"'s indicator page", d.Body)
	}
	for _, lang := range []string{"ar", "fa", "uk", "fr"} {
		r := f.investigator.Get(t, "/"+lang+"/investigate")
		wantStatus(t, r, http.StatusOK)
		mustNotContain(t, r.Body, "Indicator graph")
	}
	// an indicator only non-public content mentions is not found
	wantStatus(t, f.investigator.Get(t, fmt.Sprintf("/en/investigate/indicators/%d", indicatorID(t, e, "+447700900553"))), http.StatusNotFound)

	// withdrawal holds at once for a signed-in member and an existing key
	wantStatus(t, e.Get(t, "/api/v1/investigate/indicators", bearer(f.key.Key)...), http.StatusOK)
	f.setInvestigator(t, f.vetted, false)
	if n := e.Count(t, "moderation_actions", "action = 'organisation.investigator' AND target_id = ? AND after_text LIKE '%investigator=false'", f.vetted); n != 1 {
		t.Errorf("%d audit lines for the withdrawal, want 1", n)
	}
	for _, p := range paths {
		if r := f.investigator.Get(t, p); r.StatusCode != http.StatusNotFound {
			t.Errorf("after withdrawal: GET %s %d, want 404", p, r.StatusCode)
		}
	}
	for _, p := range []string{"/api/v1/investigate/indicators", "/api/v1/investigate/export.csv", "/api/v1/investigate/export/stix.json", fmt.Sprintf("/api/v1/investigate/indicators/%d", id)} {
		if r := e.Get(t, p, bearer(f.key.Key)...); r.StatusCode != http.StatusForbidden {
			t.Errorf("after withdrawal: key GET %s %d, want 403", p, r.StatusCode)
		}
	}
	wantStatus(t, f.admin.Get(t, "/en/investigate"), http.StatusOK)
	// marked again: the key's scope was kept, only suspended
	f.setInvestigator(t, f.vetted, true)
	wantStatus(t, e.Get(t, "/api/v1/investigate/indicators", bearer(f.key.Key)...), http.StatusOK)
	wantStatus(t, f.investigator.Get(t, "/en/investigate"), http.StatusOK)

	// a banned member still holding a session is refused
	until := apptest.Now.Add(30 * 24 * time.Hour)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE users SET banned_until = ? WHERE id = ?", until, f.investigatorUser.ID))
	for _, p := range paths {
		if r := f.investigator.Get(t, p); r.StatusCode != http.StatusNotFound {
			t.Errorf("banned: GET %s %d, want 404", p, r.StatusCode)
		}
	}
}

// TestInvestigatorsFindTheGraphInTheMenu: the menu offers the graph to
// whoever the service lets in (a member of a vetted organisation, an
// admin), to nobody else, and not after the mark is withdrawn.
func TestInvestigatorsFindTheGraphInTheMenu(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e
	link := `href="/en/investigate"`
	outsider, outsiderUser := e.Member(t, "graph_menu_outsider", model.RoleMember, nil, nil)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE users SET organisation_id = ? WHERE id = ?", f.unvetted, outsiderUser.ID))
	mod, _ := e.Member(t, "graph_menu_mod", model.RoleModerator, []string{"en"}, []string{"RO"})
	loner, _ := e.Member(t, "graph_menu_loner", model.RoleMember, nil, nil)
	for name, c := range map[string]*apptest.Client{"investigator": f.investigator, "admin": f.admin} {
		for _, p := range []string{"/en/reports", "/en/account"} {
			r := c.Get(t, p)
			wantStatus(t, r, http.StatusOK)
			if !strings.Contains(r.Body, link) {
				t.Errorf("%s: the menu of %s does not offer the graph", name, p)
			}
		}
		wantStatus(t, c.Get(t, "/en/investigate"), http.StatusOK)
	}
	if r := f.investigator.Get(t, "/ar/warnings"); !strings.Contains(r.Body, `href="/ar/investigate"`) {
		t.Error("the Arabic menu does not offer the graph")
	}
	for name, c := range map[string]*apptest.Client{"visitor": e.NewClient(), "unvetted member": outsider, "moderator": mod, "member without organisation": loner} {
		r := c.Get(t, "/en/reports")
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.Body, link) {
			t.Errorf("%s: the menu offers the graph", name)
		}
		if r := c.Get(t, "/en/investigate"); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET /en/investigate %d, want 404", name, r.StatusCode)
		}
	}
	f.setInvestigator(t, f.vetted, false)
	if r := f.investigator.Get(t, "/en/reports"); strings.Contains(r.Body, link) {
		t.Error("the menu still offers the graph after the mark was withdrawn")
	}
	wantStatus(t, f.investigator.Get(t, "/en/investigate"), http.StatusNotFound)
}

func TestInvestigateAPIKeysAndContract(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e
	id := indicatorID(t, e, sharedPhone)
	readOnly := issueKey(t, e, f.vetted, "read", "")
	revoked := issueKey(t, e, f.vetted, "investigate", "")
	if _, err := e.Services.APIKeys.RevokeByOperator(context.Background(), revoked.ID, ""); err != nil {
		t.Fatal(err)
	}
	paths := []string{"/api/v1/investigate/indicators", fmt.Sprintf("/api/v1/investigate/indicators/%d", id), "/api/v1/investigate/export.csv", "/api/v1/investigate/export/stix.json"}
	for _, p := range paths {
		if r := e.Get(t, p); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("no key: %s %d", p, r.StatusCode)
		}
		if r := e.Get(t, p, bearer(revoked.Key)...); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("revoked key: %s %d", p, r.StatusCode)
		}
		if r := e.Get(t, p, bearer("fw_aaaaaaaa_"+strings.Repeat("a", 64))...); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("unknown key: %s %d", p, r.StatusCode)
		}
		if r := e.Get(t, p, bearer(readOnly.Key)...); r.StatusCode != http.StatusForbidden {
			t.Errorf("key without the scope: %s %d", p, r.StatusCode)
		}
	}
	// the investigate key reads nothing else (it lacks read)
	if r := e.Get(t, "/api/v1/warnings", bearer(f.key.Key)...); r.StatusCode != http.StatusForbidden {
		t.Errorf("investigate-only key on /warnings: %d", r.StatusCode)
	}

	// pages through the whole graph
	var values []string
	next := "/api/v1/investigate/indicators?limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("the cursor does not end")
		}
		r := e.Get(t, next, bearer(f.key.Key)...)
		wantStatus(t, r, http.StatusOK)
		if r.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
		f.noSecrets(t, "the list", r.Body)
		list := decode[struct {
			Data []struct {
				Value string `json:"value"`
			} `json:"data"`
			NextCursor *string `json:"next_cursor"`
		}](t, r)
		for _, d := range list.Data {
			values = append(values, d.Value)
		}
		next = ""
		if list.NextCursor != nil {
			next = "/api/v1/investigate/indicators?limit=2&cursor=" + url.QueryEscape(*list.NextCursor)
		}
	}
	all := strings.Join(values, " ")
	for _, want := range []string{sharedPhone, "hr@eurodrive.example", "eurodrive.example/apply", "telegram:rabota_eu_fast"} {
		if !strings.Contains(all, want) {
			t.Errorf("the graph lacks %s: %v", want, values)
		}
	}
	if len(values) != 4 {
		t.Errorf("the graph holds %d indicators, want the 4 public ones: %v", len(values), values)
	}

	r := e.Get(t, paths[1], bearer(f.key.Key)...)
	wantStatus(t, r, http.StatusOK)
	f.noSecrets(t, "the indicator", r.Body)
	d := decode[struct {
		Warnings  int `json:"warnings"`
		Reports   int `json:"reports"`
		ByCountry []struct {
			Country string `json:"country"`
			Count   int    `json:"count"`
		} `json:"by_country"`
		ByMonth []struct {
			Month string `json:"month"`
			Count int    `json:"count"`
		} `json:"by_month"`
		Related []struct {
			Value    string `json:"value"`
			Together int    `json:"together"`
		} `json:"related"`
		Mentions []struct {
			Type  string `json:"type"`
			Title string `json:"title"`
		} `json:"mentions"`
	}](t, r)
	if d.Warnings != 2 || d.Reports != 1 || len(d.Mentions) != 3 || len(d.Related) != 3 {
		t.Errorf("indicator: %+v", d)
	}
	countries := map[string]int{}
	for _, c := range d.ByCountry {
		countries[c.Country] = c.Count
	}
	if countries["RO"] != 2 || countries["DE"] != 1 || countries["UA"] != 1 || countries["IT"] != 1 {
		t.Errorf("by country %v", countries)
	}
	total := 0
	for _, m := range d.ByMonth {
		total += m.Count
	}
	if total != 3 {
		t.Errorf("by month %+v", d.ByMonth)
	}
	// filters narrow the mentions that count
	r = e.Get(t, fmt.Sprintf("/api/v1/investigate/indicators/%d?country=DE", id), bearer(f.key.Key)...)
	wantStatus(t, r, http.StatusOK)
	if x := decode[struct {
		Warnings int `json:"warnings"`
		Reports  int `json:"reports"`
	}](t, r); x.Warnings != 1 || x.Reports != 0 {
		t.Errorf("country=DE counts %+v", x)
	}
	r = e.Get(t, "/api/v1/investigate/indicators?kind=email", bearer(f.key.Key)...)
	wantStatus(t, r, http.StatusOK)
	if emails := decode[struct {
		Data []struct {
			Kind  string `json:"kind"`
			Value string `json:"value"`
		} `json:"data"`
	}](t, r); len(emails.Data) != 1 || emails.Data[0].Value != "hr@eurodrive.example" {
		t.Errorf("kind=email: %+v", emails)
	}
	to := apptest.Now.AddDate(0, -1, 0).Format("2006-01")
	r = e.Get(t, "/api/v1/investigate/indicators?to="+to+"&from=2000-01", bearer(f.key.Key)...)
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.Body, "rabota_eu_fast") && apptest.Now.Add(-10*24*time.Hour).Format("2006-01") > to {
		t.Errorf("to=%s still counts a later report:\n%.500s", to, r.Body)
	}
	// forged ids
	for _, p := range []string{"/api/v1/investigate/indicators/999999999", fmt.Sprintf("/api/v1/investigate/indicators/%d", indicatorID(t, e, "+447700900553"))} {
		if r := e.Get(t, p, bearer(f.key.Key)...); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.StatusCode)
		}
	}
	if r := e.Get(t, "/api/v1/investigate/indicators/abc", bearer(f.key.Key)...); r.StatusCode != http.StatusBadRequest {
		t.Errorf("id abc: %d", r.StatusCode)
	}
}

func TestInvestigateRefusesBadQueries(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e
	for _, q := range []string{
		"kind=ssn", "country=ZZ", "country=ROU", "from=2026-13", "from=26-01", "to=2026-1", "from=2026-05&to=2026-01", "from=1900-01",
		"limit=0", "limit=201", "limit=ten", "limit=99999999999999999999", "cursor=%21%21", "cursor=" + url.QueryEscape("aS4tNQ"),
		"kind=" + strings.Repeat("a", 5000), "country=%ff%fe", "from=%00", "kind=phone%00",
	} {
		r := e.Get(t, "/api/v1/investigate/indicators?"+q, bearer(f.key.Key)...)
		if r.StatusCode != http.StatusBadRequest || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("API ?%.60s: %d %s", q, r.StatusCode, r.Header.Get("Content-Type"))
		}
		for _, p := range []string{"/api/v1/investigate/export.csv?", "/api/v1/investigate/export/stix.json?"} {
			if r := e.Get(t, p+q, bearer(f.key.Key)...); r.StatusCode != http.StatusBadRequest {
				t.Errorf("%s%.60s: %d", p, q, r.StatusCode)
			}
		}
	}
	// the page answers in the reader's language
	r := f.investigator.Get(t, "/fr/investigate?kind=ssn&from=2026-13")
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Body, "Le type doit être", "AAAA-MM")
	r = e.Get(t, "/api/v1/investigate/indicators?from=2026-13&lang=uk", bearer(f.key.Key)...)
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Body, "РРРР-ММ", `"from"`)
	// no refused export is logged
	if n := e.Count(t, "moderation_actions", "action = 'investigate.export'"); n != 0 {
		t.Errorf("%d exports logged for refused requests", n)
	}
}

var graphStixIDPattern = regexp.MustCompile(`^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestInvestigateExportsAreValidStableAuditedAndLeakNothing(t *testing.T) {
	t.Parallel()
	f := newGraphFixture(t)
	e := f.e

	// STIX from the API
	stix := e.Get(t, "/api/v1/investigate/export/stix.json", bearer(f.key.Key)...)
	wantStatus(t, stix, http.StatusOK)
	if stix.Header.Get("Cache-Control") != "private, no-store" || !strings.HasPrefix(stix.Header.Get("Content-Type"), "application/stix+json") {
		t.Errorf("STIX headers %v", stix.Header)
	}
	f.noSecrets(t, "the STIX export", stix.Body)
	var bundle struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal([]byte(stix.Body), &bundle); err != nil {
		t.Fatalf("STIX: %v\n%.500s", err, stix.Body)
	}
	if bundle.Type != "bundle" || !graphStixIDPattern.MatchString(bundle.ID) {
		t.Errorf("bundle %s %s", bundle.Type, bundle.ID)
	}
	ids := map[string]string{}
	types := map[string]int{}
	for _, o := range bundle.Objects {
		typ, _ := o["type"].(string)
		id, _ := o["id"].(string)
		types[typ]++
		m := graphStixIDPattern.FindStringSubmatch(id)
		if (m == nil || m[1] != typ) && typ != "marking-definition" {
			t.Errorf("object id %q of type %q", id, typ)
		}
		if _, dup := ids[id]; dup {
			t.Errorf("duplicate id %s", id)
		}
		ids[id] = typ
		if o["spec_version"] != "2.1" {
			t.Errorf("%s: spec_version %v", id, o["spec_version"])
		}
		for _, field := range []string{"created", "modified"} {
			if typ == "marking-definition" && field == "modified" {
				continue
			}
			s, _ := o[field].(string)
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				t.Errorf("%s: %s %q", id, field, s)
			}
		}
	}
	refs := 0
	for _, o := range bundle.Objects {
		for _, field := range []string{"source_ref", "target_ref", "sighting_of_ref", "created_by_ref"} {
			if ref, ok := o[field].(string); ok {
				refs++
				if _, in := ids[ref]; !in {
					t.Errorf("%s: %s %s is not in the bundle", o["id"], field, ref)
				}
			}
		}
		if o["type"] == "relationship" && o["relationship_type"] != "related-to" {
			t.Errorf("relationship %v", o)
		}
		if o["type"] == "sighting" {
			if n, _ := o["count"].(float64); n < 1 {
				t.Errorf("sighting count %v", o)
			}
		}
	}
	// 4 indicators; the phone is related to the 3 others (3 pairs)
	if types["indicator"] != 4 || types["relationship"] != 3 || types["sighting"] < 4 || types["identity"] != 1 || types["marking-definition"] != 1 || refs == 0 {
		t.Errorf("object types %v", types)
	}
	// stable: the same bytes again
	if again := e.Get(t, "/api/v1/investigate/export/stix.json", bearer(f.key.Key)...); again.Body != stix.Body {
		t.Error("a second export differs from the first")
	}
	// filtered: no relationship points outside the bundle
	filtered := e.Get(t, "/api/v1/investigate/export/stix.json?kind=phone", bearer(f.key.Key)...)
	wantStatus(t, filtered, http.StatusOK)
	if strings.Contains(filtered.Body, `"relationship"`) {
		t.Errorf("kind=phone export relates to indicators it leaves out")
	}

	// CSV from the page, with filters
	page := f.investigator.Get(t, "/en/investigate/export.csv?kind=phone&country=RO")
	wantStatus(t, page, http.StatusOK)
	if page.Header.Get("Cache-Control") != "private, no-store" || !strings.Contains(page.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("page export headers %v", page.Header)
	}
	f.noSecrets(t, "the page's CSV", page.Body)
	rows, err := csv.NewReader(strings.NewReader(page.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "indicator_id" || rows[1][3] != "'"+sharedPhone {
		t.Errorf("CSV rows %q", rows)
	}
	// CSV from the API: no cell a spreadsheet would run
	api := e.Get(t, "/api/v1/investigate/export.csv", bearer(f.key.Key)...)
	wantStatus(t, api, http.StatusOK)
	f.noSecrets(t, "the API's CSV", api.Body)
	rows, err = csv.NewReader(strings.NewReader(api.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 {
		t.Errorf("%d CSV rows, want header and 4", len(rows))
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.IndexByte("=+-@\t\r", cell[0]) >= 0 {
				t.Errorf("CSV cell %q may run as a formula", cell)
			}
		}
	}
	// STIX from the page
	wantStatus(t, f.admin.Get(t, "/en/investigate/export.stix.json?from=2000-01"), http.StatusOK)

	// one audit line per export: who, the filters, the format
	for _, want := range []struct {
		where string
		args  []any
		n     int64
	}{
		{"actor_key_id = ? AND after_text = 'format=stix all'", []any{f.key.ID}, 2},
		{"actor_key_id = ? AND after_text = 'format=stix kind=phone'", []any{f.key.ID}, 1},
		{"actor_key_id = ? AND after_text = 'format=csv all' AND target_id = ?", []any{f.key.ID, f.vetted}, 1},
		{"actor_id = ? AND after_text = 'format=csv kind=phone country=RO' AND target_id = ?", []any{f.investigatorUser.ID, f.vetted}, 1},
		{"actor_key_id IS NULL AND actor_id IS NOT NULL AND after_text = 'format=stix from=2000-01'", nil, 1},
	} {
		if n := e.Count(t, "moderation_actions", "action = 'investigate.export' AND "+want.where, want.args...); n != want.n {
			t.Errorf("%d audit lines where %s, want %d", n, want.where, want.n)
		}
	}
	if n := e.Count(t, "moderation_actions", "action = 'investigate.export'"); n != 6 {
		t.Errorf("%d export lines, want 6", n)
	}
}
