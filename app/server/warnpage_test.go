package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/qrsvg"
	"forewarn/app/service"
)

// inOrder fails unless each of pieces occurs in body, each after the one
// before it.
func inOrder(t *testing.T, body string, pieces ...string) {
	t.Helper()
	at := 0
	for _, p := range pieces {
		i := strings.Index(body[at:], p)
		if i < 0 {
			t.Fatalf("%q missing after position %d (or out of order)", p, at)
		}
		at += i + len(p)
	}
}

// The first screen of a warning: the severity panel (icon and word), the
// title, "What to do now" and the help of the destination country; then
// the red flags, and the facts of the route only below them.
func TestWarningFirstScreenOrder(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.TranslatedInto("uk", "ar"), apptest.OnRoute("UA", "PL", "NL"))
	for _, lang := range []string{"en", "uk", "ar"} {
		r := e.Get(t, fmt.Sprintf("/%s/warnings/%d", lang, id))
		wantStatus(t, r, http.StatusOK)
		what := "Do not pay any fee. Keep your passport."
		if lang != "en" {
			what = "[" + lang + "] " + what
		}
		inOrder(t, r.Body,
			`<div class="sev-panel sev-panel-danger">`, `<svg class="sev-icon"`, `aria-hidden="true"`, `<strong class="sev-word">`,
			"<h1", "Fake driver job", "</h1>",
			`<h2 id="todo-h">`, what,
			fmt.Sprintf(`href="/%s/help/NL"`, lang),
			`<div class="body"`, "pay a fee to get a job",
			`class="indicators"`,
			`<dl class="facts">`,
			`class="share"`,
		)
	}
	en := e.Get(t, fmt.Sprintf("/en/warnings/%d", id)).Body
	mustContain(t, en, "<strong class=\"sev-word\">Danger</strong>", "What to do now", "Help and hotlines in Netherlands")
	uk := e.Get(t, fmt.Sprintf("/uk/warnings/%d", id)).Body
	mustContain(t, uk, "Що робити зараз")

	// Without a destination the first country's help is linked.
	other := e.Warning(t, func(w *service.ImportedWarning) {
		w.Countries = []service.ImportedCountry{{Code: "SY", Role: model.CountryOrigin}, {Code: "TR", Role: model.CountryTransit}}
	})
	mustContain(t, e.Get(t, fmt.Sprintf("/en/warnings/%d", other)).Body, `href="/en/help/SY"`)
}

// A warning not in the reader's language shows the original's "What to do
// now", marked with its language and direction.
func TestWhatToDoNowFallsBackWithItsLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	r := e.Get(t, fmt.Sprintf("/fa/warnings/%d", id))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, `<p class="todo-text" lang="en" dir="ltr">Do not pay any fee. Keep your passport.</p>`, "الان چه کنید")
}

// The leaflet: the short link of the warning and its QR code, drawn on
// the server as SVG without a style attribute (the CSP forbids them);
// print CSS hides the site around the warning.
func TestWarningPrintsAsALeaflet(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	r := e.Get(t, fmt.Sprintf("/en/warnings/%d", id))
	link := fmt.Sprintf("%s/w/%d", apptest.BaseURL, id)
	qr, err := qrsvg.SVG(link, "QR code of the link to this warning")
	if err != nil {
		t.Fatal(err)
	}
	inOrder(t, r.Body, `<section class="print-only leaflet-link"`, `<div class="qr">`+string(qr)+`</div>`, `<p dir="ltr" class="short-link">`+link+`</p>`)
	if regexp.MustCompile(`<[^>]+\sstyle=`).MatchString(r.Body) {
		t.Error("a style attribute on the warning page")
	}
	// The short link leads to the page.
	short := e.Get(t, fmt.Sprintf("/w/%d", id), "Accept-Language", "uk")
	wantStatus(t, short, http.StatusFound)
	if got := short.Header.Get("Location"); got != fmt.Sprintf("/uk/warnings/%d", id) {
		t.Errorf("short link goes to %q", got)
	}

	css := regexp.MustCompile(`href="(/static/app\.[^"]+\.css)"`).FindStringSubmatch(r.Body)
	if css == nil {
		t.Fatal("no stylesheet link")
	}
	sheet := e.Get(t, css[1]).Body
	i := strings.Index(sheet, "@media print")
	if i < 0 {
		t.Fatal("no print rules")
	}
	print := sheet[i:]
	hidden := regexp.MustCompile(`([^{}]+)\{\s*display:\s*none\s*!important;\s*\}`).FindStringSubmatch(print)
	if hidden == nil {
		t.Fatal("print rules hide nothing")
	}
	for _, sel := range []string{".top", ".nav", ".quick-exit", ".share", ".foot", ".langs", ".back", ".skip"} {
		if !regexp.MustCompile(`(^|[\s,])` + regexp.QuoteMeta(sel) + `($|[\s,])`).MatchString(hidden[1]) {
			t.Errorf("print does not hide %s (hidden: %s)", sel, hidden[1])
		}
	}
	mustContain(t, print, ".print-only { display: flex;")
	mustContain(t, sheet, ".print-only { display: none; }")
}

// whatToDoDraft is a warning form without "What to do now".
func whatToDoDraft() url.Values {
	f := warningDraft("Fake visa agency on Telegram")
	f.Del("what_to_do")
	return f
}

func whatToDo(t *testing.T, e *apptest.Env, id int64) map[string]string {
	t.Helper()
	var rows []model.WarningTranslation
	apptest.Must(t, e.DB.Gorm.Where("warning_id = ?", id).Find(&rows))
	out := map[string]string{}
	for _, r := range rows {
		out[r.Lang] = r.WhatToDo
	}
	return out
}

// "What to do now" may wait in a draft, but nothing publishes without it:
// neither the publication, nor a translation added or an edit made after
// it; each refusal is a localised field error and changes nothing.
func TestPublishingNeedsWhatToDoNow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_todo", model.RoleModerator, []string{"en", "uk", "fr"}, []string{"UA"})
	id := createWarning(t, mod, whatToDoDraft())
	translate := func(lang, what string) apptest.Response {
		mod.Get(t, fmt.Sprintf("/en/mod/warnings/%d/translate?lang=%s", id, lang))
		return mod.Post(t, fmt.Sprintf("/en/mod/warnings/%d/translate", id), url.Values{"lang": {lang}, "title": {"Фальшива візова агенція"}, "summary": {"Агенція в Telegram продає візи, яких не існує."}, "what_to_do": {what}, "body": {"Агенція просить 1500 євро за візу."}})
	}
	wantStatus(t, translate("uk", ""), http.StatusSeeOther) // a draft may lack it
	wantStatus(t, warningState(t, mod, id, "submit", ""), http.StatusSeeOther)

	refused := warningState(t, mod, id, "publish", "")
	wantStatus(t, refused, http.StatusBadRequest)
	mustContain(t, refused.Body, "Before publishing, write “What to do now” in every language of this warning. Missing in: en, uk.")
	if n := e.Count(t, "warnings", "id = ? AND status = 'in_review'", id); n != 1 {
		t.Fatal("a refused publication changed the warning")
	}

	// Too long and too many sentences are refused, localised.
	mod.Get(t, fmt.Sprintf("/fr/mod/warnings/%d", id))
	long := whatToDoDraft()
	long.Set("what_to_do", "Ne payez rien. Gardez votre passeport. Appelez une ONG. Parlez à un syndicat.")
	r := mod.Post(t, fmt.Sprintf("/fr/mod/warnings/%d", id), long)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "Écrivez au plus trois phrases courtes dans « Que faire maintenant ».", `id="what_to_do-error"`)
	long.Set("what_to_do", strings.Repeat("Ne payez jamais de frais pour un travail ", 12))
	r = mod.Post(t, fmt.Sprintf("/en/mod/warnings/%d", id), long)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "Write between 10 and 400 characters.")
	if got := whatToDo(t, e, id); got["en"] != "" {
		t.Fatalf("refused edits stored %q", got["en"])
	}

	// Written in both languages, it publishes.
	ok := whatToDoDraft()
	ok.Set("what_to_do", "Do not pay this agency. Ask the embassy first.")
	wantStatus(t, mod.Post(t, fmt.Sprintf("/en/mod/warnings/%d", id), ok), http.StatusSeeOther)
	wantStatus(t, translate("uk", "Не платіть цій агенції. Спершу запитайте посольство."), http.StatusSeeOther)
	wantStatus(t, warningState(t, mod, id, "submit", ""), http.StatusSeeOther)
	wantStatus(t, warningState(t, mod, id, "publish", ""), http.StatusSeeOther)
	mustContain(t, e.Get(t, fmt.Sprintf("/uk/warnings/%d", id)).Body, "Не платіть цій агенції. Спершу запитайте посольство.")

	// After publication: a new translation without it, and an edit that
	// empties it, are refused.
	before := whatToDo(t, e, id)
	r = translate("fr", "  ")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "Write “What to do now”: a published warning needs it in every language.")
	r = translate("uk", "")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mod.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	wantStatus(t, mod.Post(t, fmt.Sprintf("/en/mod/warnings/%d", id), whatToDoDraft()), http.StatusUnprocessableEntity)
	if after := whatToDo(t, e, id); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("refused changes of a published warning: %v, was %v", after, before)
	}
	if n := e.Count(t, "warning_revisions", "warning_id = ?", id); n != 0 {
		t.Errorf("%d revisions from refused changes", n)
	}
}

// A change waiting for a second moderator that lacks "What to do now" (a
// revision proposed before the field existed) cannot be approved.
func TestApprovingARevisionNeedsWhatToDoNow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	author, _ := e.Member(t, "mod_rev_one", model.RoleModerator, []string{"en"}, []string{"UA"})
	second, _ := e.Member(t, "mod_rev_two", model.RoleModerator, []string{"en"}, []string{"UA"})
	form := warningDraft("Fake visa agency in Kyiv")
	id := createWarning(t, author, form)
	wantStatus(t, warningState(t, author, id, "submit", ""), http.StatusSeeOther)
	wantStatus(t, warningState(t, author, id, "publish", ""), http.StatusSeeOther)
	named := warningDraft("Fake visa agency in Kyiv")
	named.Set("indicators", "company: Kyiv Visa Express LLC")
	author.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	wantStatus(t, author.Post(t, fmt.Sprintf("/en/mod/warnings/%d", id), named), http.StatusSeeOther)
	var rev model.WarningRevision
	apptest.Must(t, e.DB.Gorm.Where("warning_id = ? AND status = 'pending'", id).First(&rev))
	// As a revision of before 00012 was stored: no what_to_do in its texts.
	old := regexp.MustCompile(`,"what_to_do":"[^"]*"`).ReplaceAllString(rev.State, "")
	if old == rev.State {
		t.Fatalf("revision state without what_to_do: %s", rev.State)
	}
	apptest.Must(t, e.DB.Gorm.Model(&rev).Update("state", old))

	second.Get(t, fmt.Sprintf("/en/mod/warnings/%d", id))
	r := second.Post(t, fmt.Sprintf("/en/mod/warnings/%d/state", id), url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev.ID)}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Body, "Missing in: en.")
	if n := e.Count(t, "warning_revisions", "id = ? AND status = 'pending'", rev.ID); n != 1 {
		t.Error("the revision was decided")
	}
}

// The importer (seed and migration from another system) writes public
// warnings directly: a text without "What to do now", or with one too
// long, is refused and nothing is stored.
func TestImportNeedsWhatToDoNow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	base := service.ImportedWarning{
		Key: "import-no-todo", Category: "fake-job-offer", Severity: model.SeverityDanger, Status: model.WarningPublished,
		Lang: "en", PublishedAt: apptest.Now, Countries: []service.ImportedCountry{{Code: "UA", Role: model.CountryOrigin}},
		Texts: []service.ImportedText{
			{Lang: "en", Title: "Fake jobs", Summary: "A page sells jobs that do not exist.", WhatToDo: "Do not pay.", Body: "They ask for a fee."},
			{Lang: "fr", Title: "Faux emplois", Summary: "Une page vend des emplois qui n'existent pas.", Body: "Ils demandent des frais."},
		},
	}
	if _, err := e.Services.Importer.ImportWarnings(context.Background(), []service.ImportedWarning{base}); err == nil || !strings.Contains(err.Error(), "what_to_do") {
		t.Errorf("import without what to do: %v", err)
	}
	base.Texts[1].WhatToDo = strings.Repeat("Ne payez rien ", 40)
	if _, err := e.Services.Importer.ImportWarnings(context.Background(), []service.ImportedWarning{base}); err == nil {
		t.Error("import with a what to do of 560 characters passed")
	}
	if n := e.Count(t, "warnings", ""); n != 0 {
		t.Errorf("%d warnings stored by refused imports", n)
	}
}

// The API gives "What to do now" in the warning's language.
func TestAPIWarningHasWhatToDoNow(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.TranslatedInto("uk"))
	r := e.Get(t, fmt.Sprintf("/api/v1/warnings/%d?lang=uk", id))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, `"what_to_do_now":"[uk] Do not pay any fee. Keep your passport."`)
	mustNotContain(t, e.Get(t, "/api/v1/warnings").Body, "what_to_do_now")
}
