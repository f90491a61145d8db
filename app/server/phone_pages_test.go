package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

// The revision a second moderator decides shows severity, route and texts
// as the page's language names them, never as stored codes, and stacks on a
// phone with a label before each version.
func TestFourEyesDiffNamesValuesInThePageLanguage(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	id := f.publishAlone(t, "Farm work that never existed")
	form := unnamedDraft("Farm work that never existed")
	form.Set("severity", "caution")
	form.Set("destination", "")
	form.Set("body", "Baltic Crew Agency asks for 300 euros before the trip.")
	r := f.edit(t, f.one, id, form)
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, loc(r), "notice=proposed")

	page := f.two.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body,
		`<del>Danger</del>`, `<ins>Caution</ins>`,
		`<del>From: Ukraine, To: Poland</del>`, `<ins>From: Ukraine</ins>`,
		`<del lang="en" dir="ltr">The recruiter asks for 300 euros`,
		`<span class="diff-label">Public version</span>`, `<span class="diff-label">Proposed change</span>`)
	mustNotContain(t, page.Body, "origin: UA", ">danger<", ">caution<")

	// In Ukrainian the same change speaks Ukrainian, the English text keeps
	// its language, and the edit fields are marked as English.
	uk := f.two.Get(t, fmt.Sprintf("/uk/mod/warnings/%d", id))
	wantStatus(t, uk, http.StatusOK)
	mustContain(t, uk.Body, "<del>Небезпека</del>", "<del>Звідки: Україна, Куди: Польща</del>",
		`<del lang="en" dir="ltr">`, `<textarea id="body" name="body" lang="en" dir="ltr"`)
}

// Every message of a refused registration is also a link, in the summary at
// the top, to the field it is about; the summary asks to correct the fields
// only when a field is wrong.
func TestRegisterErrorSummaryLinksToFields(t *testing.T) {
	t.Parallel()
	c := apptest.New(t).NewClient()
	c.Get(t, "/en/register")
	r := c.Post(t, "/en/register", url.Values{"pseudonym": {"olena_k"}, "password": {"aaaaaaaaaa"}, "password_again": {"aaaaaaaaab"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	summary := r.Body[strings.Index(r.Body, `class="notice notice-error"`):]
	summary = summary[:strings.Index(summary, "</div>")]
	mustContain(t, summary, "Please correct the fields marked below.",
		`<a href="#password"><span class="error-label">Password</span>`,
		`<a href="#password_again"><span class="error-label">Password again</span>`)
	mustNotContain(t, summary, `href="#pseudonym"`, `href="#email"`)
	mustContain(t, r.Body, `id="password" name="password"`, `id="password_again" name="password_again"`)
}
