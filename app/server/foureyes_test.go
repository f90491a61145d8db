package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// knownCompanies are named by a published warning, so the checker knows
// them and texts that mention them name a party.
var knownCompanies = []string{"EuroStaff Partners", "Baltic Crew Agency", "Nordic Harvest Recruitment"}

// fourEyes is a database with the known companies and three moderators:
// one, two (both covering UA) and far (covering only SY).
type fourEyes struct {
	e             *apptest.Env
	one, two, far *apptest.Client
	oneID, twoID  int64
}

func newFourEyes(t *testing.T) *fourEyes {
	t.Helper()
	e := apptest.New(t)
	var inds []service.RawIndicator
	for _, c := range knownCompanies {
		inds = append(inds, service.RawIndicator{Kind: model.IndicatorCompany, Value: c})
	}
	e.Warning(t, apptest.Titled("Recruiters that keep passports"), apptest.WithIndicators(inds...))
	f := &fourEyes{e: e}
	var u1, u2 model.User
	f.one, u1 = e.Member(t, "mod_one", model.RoleModerator, []string{"en", "uk"}, []string{"UA"})
	f.two, u2 = e.Member(t, "mod_two", model.RoleModerator, []string{"en", "uk"}, []string{"UA", "PL"})
	f.far, _ = e.Member(t, "mod_far", model.RoleModerator, []string{"en"}, []string{"SY"})
	f.oneID, f.twoID = u1.ID, u2.ID
	for _, c := range []*apptest.Client{f.one, f.two, f.far} {
		c.Get(t, "/en/mod/warnings/new") // reads the CSRF token
	}
	return f
}

// unnamedDraft is a warning form that names no party.
func unnamedDraft(title string) url.Values {
	return url.Values{
		"severity": {"danger"}, "category": {"fake-job-offer"}, "lang": {"en"},
		"origin": {"UA"}, "destination": {"PL"},
		"title": {title}, "summary": {"A page offers farm work abroad for a fee."},
		"what_to_do": {"Do not pay a fee for farm work."},
		"body":       {"The recruiter asks for 300 euros before the trip."},
		"indicators": {"phone: +44 7700 900777"},
	}
}

func (f *fourEyes) create(t *testing.T, c *apptest.Client, form url.Values) int64 {
	t.Helper()
	r := c.Post(t, "/en/mod/warnings/new", form)
	wantStatus(t, r, http.StatusSeeOther)
	m := warningLocation.FindStringSubmatch(loc(r))
	if m == nil {
		t.Fatalf("after creating: %q", loc(r))
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id
}

func (f *fourEyes) state(t *testing.T, c *apptest.Client, id int64, values url.Values) apptest.Response {
	t.Helper()
	return c.Post(t, fmt.Sprintf("/en/mod/warnings/%d/state", id), values)
}

func (f *fourEyes) edit(t *testing.T, c *apptest.Client, id int64, form url.Values) apptest.Response {
	t.Helper()
	return c.Post(t, fmt.Sprintf("/en/mod/warnings/%d", id), form)
}

func (f *fourEyes) translate(t *testing.T, c *apptest.Client, id int64, lang, title, summary, body string) apptest.Response {
	t.Helper()
	return c.Post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", id), url.Values{"lang": {lang}, "title": {title}, "summary": {summary}, "what_to_do": {"[" + lang + "] Do not pay a fee."}, "body": {body}})
}

// publishAlone creates, submits and publishes an unnamed warning by one.
func (f *fourEyes) publishAlone(t *testing.T, title string) int64 {
	t.Helper()
	id := f.create(t, f.one, unnamedDraft(title))
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"submit"}}), http.StatusSeeOther)
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"publish"}}), http.StatusSeeOther)
	return id
}

// public gathers what the public sees of a warning in lang: its page,
// its API document and the check results for every known company.
func (f *fourEyes) public(t *testing.T, id int64, lang string) string {
	t.Helper()
	var b strings.Builder
	page := f.e.Get(t, fmt.Sprintf("/%s/warnings/%d", lang, id))
	if page.StatusCode == http.StatusOK {
		b.WriteString(page.Body)
	}
	api := f.e.Get(t, fmt.Sprintf("/api/v1/warnings/%d?lang=%s", id, lang))
	if api.StatusCode == http.StatusOK {
		b.WriteString(api.Body)
	}
	return b.String()
}

// checkFinds tells whether the check of company's name lists warning id.
func (f *fourEyes) checkFinds(t *testing.T, id int64, company string) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/check", strings.NewReader(fmt.Sprintf(`{"text": %q, "country": "UA"}`, "Job at "+company+" in Poland")))
	req.Header.Set("Content-Type", "application/json")
	r := f.e.Do(t, req)
	wantStatus(t, r, http.StatusOK)
	var res struct {
		Indicators []struct {
			Warnings []struct{ ID int64 } `json:"warnings"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(r.Body), &res); err != nil {
		t.Fatal(err)
	}
	for _, ind := range res.Indicators {
		for _, w := range ind.Warnings {
			if w.ID == id {
				return true
			}
		}
	}
	return false
}

func (f *fourEyes) pendingRevision(t *testing.T, id int64) int64 {
	t.Helper()
	var rev int64
	apptest.Must(t, f.e.DB.Gorm.Table("warning_revisions").Select("id").Where("warning_id = ? AND status = 'pending'", id).Scan(&rev))
	return rev
}

func (f *fourEyes) actions(t *testing.T, id int64) []string {
	t.Helper()
	var actions []string
	apptest.Must(t, f.e.DB.Gorm.Table("moderation_actions").Where("target_type = 'warning' AND target_id = ?", id).Order("id").Pluck("action", &actions))
	return actions
}

// (a) A known company in the body names a party without the checkbox.
func TestFourEyesCompanyInTextNeedsASecondModerator(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "The recruiter says it works for EuroStaff Partners and asks for 300 euros.")
	id := f.create(t, f.one, form)
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"submit"}}), http.StatusSeeOther)
	own := f.state(t, f.one, id, url.Values{"action": {"publish"}})
	wantStatus(t, own, http.StatusBadRequest)
	mustContain(t, own.Body, "another moderator must publish it")
	wantStatus(t, f.e.Get(t, fmt.Sprintf("/en/warnings/%d", id)), http.StatusNotFound)
	wantStatus(t, f.e.Get(t, fmt.Sprintf("/api/v1/warnings/%d", id)), http.StatusNotFound)
	if f.checkFinds(t, id, "EuroStaff Partners") {
		t.Error("the check lists an unpublished warning")
	}

	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"publish"}}), http.StatusSeeOther)
	mustContain(t, f.public(t, id, "en"), "EuroStaff Partners")
	if !f.checkFinds(t, id, "EuroStaff Partners") {
		t.Error("the check does not list the published warning that names the company")
	}
}

// (a') An editor of a draft cannot publish it either.
func TestFourEyesAnEditorOfTheDraftCannotPublish(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.create(t, f.one, unnamedDraft("Farm work that never existed"))
	form := unnamedDraft("Farm work that never existed")
	form.Set("summary", "Baltic Crew Agency offers farm work abroad for a fee.")
	wantStatus(t, f.edit(t, f.two, id, form), http.StatusSeeOther)
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"submit"}}), http.StatusSeeOther)
	for _, c := range []*apptest.Client{f.one, f.two} {
		wantStatus(t, f.state(t, c, id, url.Values{"action": {"publish"}}), http.StatusBadRequest)
	}
	wantStatus(t, f.e.Get(t, fmt.Sprintf("/en/warnings/%d", id)), http.StatusNotFound)
}

// (b) Naming a company in a published warning waits for a second moderator.
func TestFourEyesEditAfterSelfPublicationWaits(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	before := f.public(t, id, "en")
	mustContain(t, before, "asks for 300 euros before the trip")

	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "Baltic Crew Agency asks for 300 euros before the trip.")
	r := f.edit(t, f.one, id, form)
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, loc(r), "notice=proposed")
	after := f.public(t, id, "en")
	mustNotContain(t, after, "Baltic Crew Agency")
	mustContain(t, after, "The recruiter asks for 300 euros before the trip.")
	if f.checkFinds(t, id, "Baltic Crew Agency") {
		t.Error("the check lists the warning for a company only a pending revision names")
	}
	rev := f.pendingRevision(t, id)
	if rev == 0 {
		t.Fatal("no pending revision")
	}

	// The moderator page shows the change to the second moderator.
	page := f.two.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	mustContain(t, page.Body, "Change waiting for a second moderator", "The recruiter asks for 300 euros before the trip.", "Baltic Crew Agency asks for 300 euros", fmt.Sprintf(`name="revision" value="%d"`, rev))
	mustContain(t, f.one.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id)).Body, "You wrote part of this change")

	own := f.state(t, f.one, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}})
	wantStatus(t, own, http.StatusBadRequest)
	mustContain(t, own.Body, "another moderator must approve or reject it")
	wantStatus(t, f.state(t, f.far, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusNotFound)
	mustNotContain(t, f.public(t, id, "en"), "Baltic Crew Agency")

	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusSeeOther)
	mustContain(t, f.public(t, id, "en"), "Baltic Crew Agency asks for 300 euros")
	if !f.checkFinds(t, id, "Baltic Crew Agency") {
		t.Error("the check does not list the approved warning")
	}
	var decider, approver int64
	apptest.Must(t, f.e.DB.Gorm.Table("warning_revisions").Select("decider_id").Where("id = ? AND status = 'approved'", rev).Scan(&decider))
	apptest.Must(t, f.e.DB.Gorm.Table("warnings").Select("approver_id").Where("id = ?", id).Scan(&approver))
	if decider != f.twoID || approver != f.twoID {
		t.Errorf("revision decided by %d, warning approved by %d; want %d", decider, approver, f.twoID)
	}
	want := "[warning.create warning.submit warning.publish warning.revision.propose warning.revision.approve]"
	if got := fmt.Sprint(f.actions(t, id)); got != want {
		t.Errorf("audit log %s, want %s", got, want)
	}
	// Approving again is refused: the revision is no longer waiting.
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusBadRequest)
}

// (c) After approval, renaming another company waits again.
func TestFourEyesRewriteAfterApprovalWaits(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	form := unnamedDraft("EuroStaff Partners keeps passports")
	form.Set("indicators", "company: EuroStaff Partners")
	id := f.create(t, f.one, form)
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"submit"}}), http.StatusSeeOther)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"publish"}}), http.StatusSeeOther)

	rewrite := unnamedDraft("Nordic Harvest Recruitment keeps passports")
	rewrite.Set("body", "Nordic Harvest Recruitment asks for 300 euros.")
	rewrite.Set("indicators", "company: Nordic Harvest Recruitment")
	wantStatus(t, f.edit(t, f.one, id, rewrite), http.StatusSeeOther)
	pub := f.public(t, id, "en")
	mustContain(t, pub, "EuroStaff Partners keeps passports")
	mustNotContain(t, pub, "Nordic Harvest")
	if f.checkFinds(t, id, "Nordic Harvest Recruitment") {
		t.Error("the check lists the warning for the unapproved company")
	}

	// Unchecking the box or a second edit does not publish it either.
	rewrite.Set("names_party", "")
	rewrite.Set("summary", "Nordic Harvest Recruitment offers farm work abroad for a fee.")
	wantStatus(t, f.edit(t, f.one, id, rewrite), http.StatusSeeOther)
	mustNotContain(t, f.public(t, id, "en"), "Nordic Harvest")
	var superseded int64
	apptest.Must(t, f.e.DB.Gorm.Table("warning_revisions").Where("warning_id = ? AND status = 'superseded'", id).Count(&superseded))
	if superseded != 1 {
		t.Errorf("%d superseded revisions, want 1", superseded)
	}

	rev := f.pendingRevision(t, id)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"reject"}, "revision": {fmt.Sprint(rev)}, "reason": {"Not proven."}}), http.StatusSeeOther)
	pub = f.public(t, id, "en")
	mustContain(t, pub, "EuroStaff Partners keeps passports")
	mustNotContain(t, pub, "Nordic Harvest")
	if f.pendingRevision(t, id) != 0 {
		t.Error("a revision still waits after rejection")
	}
}

// (d) A translation naming a company waits for a second moderator.
func TestFourEyesTranslationNamingACompanyWaits(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	r := f.translate(t, f.one, id, "uk", "Фальшива робота на фермі", "Сторінка пропонує роботу за кордоном за гроші.", "Вербувальник з EuroStaff Partners просить 300 євро.")
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, loc(r), "notice=proposed")
	for _, lang := range []string{"uk", "en"} {
		pub := f.public(t, id, lang)
		mustNotContain(t, pub, "EuroStaff", "Фальшива робота")
	}
	if f.checkFinds(t, id, "EuroStaff Partners") {
		t.Error("the check lists the warning for a company only a pending translation names")
	}
	rev := f.pendingRevision(t, id)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusSeeOther)
	mustContain(t, f.public(t, id, "uk"), "Вербувальник з EuroStaff Partners просить 300 євро.")

	// Any change to a warning that names a party waits, even one that
	// adds no name: the result names a party.
	r = f.translate(t, f.one, id, "fr", "Faux travail agricole", "Une page propose du travail à l’étranger contre paiement.", "Le recruteur demande 300 euros.")
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, loc(r), "notice=proposed")
	mustNotContain(t, f.public(t, id, "fr"), "Faux travail agricole")

	// A translation of a warning that names nobody is live at once.
	id = f.publishAlone(t, "Cleaning work that never existed")
	r = f.translate(t, f.one, id, "fr", "Faux travail agricole", "Une page propose du travail à l’étranger contre paiement.", "Le recruteur demande 300 euros.")
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, loc(r), "notice=translated")
	mustContain(t, f.public(t, id, "fr"), "Faux travail agricole")
}

// A moderator cannot move a warning out of their scope; nothing changes.
func TestFourEyesRouteOutsideScopeIsRefused(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	form := unnamedDraft("Farm work that never existed")
	form.Set("origin", "SY")
	form.Set("destination", "TR")
	form.Set("body", "Changed text that must not be saved.")
	var actionsBefore int64
	apptest.Must(t, f.e.DB.Gorm.Table("moderation_actions").Count(&actionsBefore))
	r := f.edit(t, f.one, id, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "This route would move the warning outside your countries.")
	var codes []string
	apptest.Must(t, f.e.DB.Gorm.Table("warning_countries").Where("warning_id = ?", id).Order("country").Pluck("country", &codes))
	if fmt.Sprint(codes) != "[PL UA]" {
		t.Errorf("route %v after a refused move", codes)
	}
	var actionsAfter, revisions int64
	apptest.Must(t, f.e.DB.Gorm.Table("moderation_actions").Count(&actionsAfter))
	apptest.Must(t, f.e.DB.Gorm.Table("warning_revisions").Count(&revisions))
	if actionsAfter != actionsBefore || revisions != 0 {
		t.Errorf("a refused move wrote %d actions and %d revisions", actionsAfter-actionsBefore, revisions)
	}
	mustNotContain(t, f.public(t, id, "en"), "Changed text")

	// A route that keeps one country of the scope is accepted.
	form.Set("origin", "UA")
	form.Set("body", "The recruiter asks for 300 euros before the trip to Turkey.")
	wantStatus(t, f.edit(t, f.one, id, form), http.StatusSeeOther)
	mustContain(t, f.public(t, id, "en"), "trip to Turkey")
}

// A change waiting for approval is dropped when the warning is retracted.
func TestFourEyesRetractionDropsThePendingRevision(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "Baltic Crew Agency asks for 300 euros before the trip.")
	wantStatus(t, f.edit(t, f.one, id, form), http.StatusSeeOther)
	rev := f.pendingRevision(t, id)
	// The public reason of a retraction cannot name a company either.
	named := f.state(t, f.one, id, url.Values{"action": {"retract"}, "reason": {"Baltic Crew Agency is a scam."}})
	wantStatus(t, named, http.StatusBadRequest)
	mustContain(t, named.Body, "The public reason cannot name a person or a company")
	mustNotContain(t, f.public(t, id, "en"), "Baltic Crew Agency")
	wantStatus(t, f.state(t, f.one, id, url.Values{"action": {"retract"}, "reason": {"Published by mistake."}}), http.StatusSeeOther)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusBadRequest)
	mustNotContain(t, f.public(t, id, "en"), "Baltic Crew Agency")
}
