package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// verdictEnv holds a warning naming one number and a published report
// (in Romanian) naming another, so that each verdict has a text.
func verdictEnv(t *testing.T) *apptest.Env {
	t.Helper()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Fake driver jobs in Poland"), apptest.WithIndicators(
		service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"},
	))
	e.Warning(t, apptest.WarningOption(func(w *service.ImportedWarning) {
		w.Lang = "ro"
		w.Texts[0].Lang = "ro"
		w.Texts[0].Title = "Locuri de muncă false în Germania"
		w.Indicators = []service.RawIndicator{{Kind: model.IndicatorPhone, Value: "+44 7700 900555"}}
	}))
	mod, _ := e.Member(t, "mod_verdict", model.RoleModerator, []string{"en", "ro"}, []string{"UA"})
	form := reportForm("Recrutor care cere bani")
	form.Set("lang", "ro")
	form.Set("body", "Mi-au cerut 500 de euro la numărul +44 7700 900777 pentru un loc de muncă.")
	id, r := postReport(t, mod, form)
	wantStatus(t, r, http.StatusSeeOther)
	if status, _ := reportStatus(t, e, id); status != "published" {
		t.Fatalf("report by a moderator is %s", status)
	}
	return e
}

// verdictTexts are a text per verdict, with the heading it gets in English.
var verdictTexts = []struct {
	verdict, text, heading string
}{
	{"danger", "Driver job, visa included! Call +44 7700 900123 or +44 7700 900999", "Danger: 1 contact in this message is in our warnings"},
	{"caution", "Work in Germany, write to +44 7700 900777 and +44 7700 900888", "Be careful: members reported 1 contact in this message"},
	{"unknown", "Work in Spain, call +44 7700 900999 or see https://jobs.unknown-agency.example/", "Not in our warnings yet, which does not make the offer safe"},
	{"none", "Hello, how are you? Good job, nice weather.", "We found no contact to look up"},
}

var titleTag = regexp.MustCompile(`<title>([^<]*)</title>`)

func TestCheckVerdictComesFirst(t *testing.T) {
	t.Parallel()
	e := verdictEnv(t)
	empty := e.NewClient().Get(t, "/en/check")
	emptyTitle := titleTag.FindStringSubmatch(empty.Body)
	for _, tc := range verdictTexts {
		r := e.NewClient().Post(t, "/en/check", url.Values{"text": {tc.text}, "country": {"PL"}})
		wantStatus(t, r, http.StatusOK)
		if r.Header.Get("Set-Cookie") != "" || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: headers %v", tc.verdict, r.Header)
		}
		title := titleTag.FindStringSubmatch(r.Body)
		if title == nil || !strings.HasPrefix(title[1], tc.heading) || emptyTitle == nil || title[1] == emptyTitle[1] {
			t.Errorf("%s: title %q, want the verdict %q (the form's is %q)", tc.verdict, title, tc.heading, emptyTitle)
		}
		main := r.Body[strings.Index(r.Body, `<main id="main">`):]
		heading := `<h1 id="verdict" tabindex="-1" autofocus>`
		first := strings.Index(main, "<h1")
		if !strings.HasPrefix(main[first:], heading) || strings.Count(r.Body, "<h1") != 1 {
			t.Errorf("%s: the first heading of main is not the focusable verdict: %.200s", tc.verdict, main[first:])
		}
		if !strings.Contains(main, `class="verdict verdict-`+tc.verdict+`"`) || !strings.Contains(main, tc.heading) {
			t.Errorf("%s: no %s verdict panel with %q", tc.verdict, tc.verdict, tc.heading)
		}
		form, details, verdict := strings.Index(main, `<form method="post"`), strings.Index(main, `<details class="panel check-again">`), strings.Index(main, heading)
		if verdict < 0 || details < verdict || form < details {
			t.Errorf("%s: verdict at %d, folded form at %d, form at %d: the verdict must come first and the form be folded", tc.verdict, verdict, details, form)
		}
		if strings.Contains(main, "<details class=\"panel check-again\" open") {
			t.Errorf("%s: the form is not folded", tc.verdict)
		}
		for _, fragment := range []string{"sign found", "signs found", " · in "} {
			if strings.Contains(main, fragment) {
				t.Errorf("%s: the answer holds the fragment %q", tc.verdict, fragment)
			}
		}
		redFlags := strings.Contains(main, "Watch for these warning signs")
		if redFlags != (tc.verdict == "unknown" || tc.verdict == "none") {
			t.Errorf("%s: red flags shown = %v", tc.verdict, redFlags)
		}
	}

	// What is known of each contact, in whole sentences.
	r := e.NewClient().Post(t, "/en/check", url.Values{"text": {verdictTexts[0].text}})
	mustContain(t, r.Body, "2 contacts found", "1 warning names it.", "Fake driver jobs in Poland", "Not in our warnings or reports.")
	r = e.NewClient().Post(t, "/en/check", url.Values{"text": {verdictTexts[1].text}})
	mustContain(t, r.Body, "1 member&#39;s report names it.", "Recrutor care cere bani")

	// Other languages: the title follows the verdict in the reader's language.
	for lang, want := range map[string]string{"uk": "Небезпека: 1 контакт", "ar": "خطر: تحذيراتنا تذكر جهة اتصال واحدة"} {
		r := e.NewClient().Post(t, "/"+lang+"/check", url.Values{"text": {verdictTexts[0].text}})
		wantStatus(t, r, http.StatusOK)
		if title := titleTag.FindStringSubmatch(r.Body); title == nil || !strings.HasPrefix(title[1], want) {
			t.Errorf("%s: title %q, want %q", lang, title, want)
		}
	}
}

func TestCheckMarksContentInAnotherLanguage(t *testing.T) {
	t.Parallel()
	e := verdictEnv(t)
	en := e.NewClient().Post(t, "/en/check", url.Values{"text": {"+44 7700 900555 and +44 7700 900777"}})
	wantStatus(t, en, http.StatusOK)
	mustContain(t, en.Body, `lang="ro" dir="ltr">Locuri de muncă false în Germania</a>`, `lang="ro" dir="ltr">Recrutor care cere bani</a>`)
	ar := e.NewClient().Post(t, "/ar/check", url.Values{"text": {"+44 7700 900123"}})
	wantStatus(t, ar, http.StatusOK)
	mustContain(t, ar.Body, `<html lang="ar" dir="rtl"`, `lang="en" dir="ltr">Fake driver jobs in Poland</a>`)
	// Content in the page's own language is not marked again.
	if main := en.Body[strings.Index(en.Body, "<main"):]; strings.Contains(main, `lang="en"`) {
		t.Error("English content on an English page carries lang")
	}
}

func TestCheckRedFlagsFollowTheReadersCountry(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	text := "call +44 7700 900999"
	visa := "Someone promises a visa, a work permit"
	contract := "There is no written contract"
	for country, wantVisa := range map[string]bool{"": false, "PL": false, "UA": true, "AF": true, "ma": true, "NO": false} {
		r := e.NewClient().Post(t, "/en/check", url.Values{"text": {text}, "country": {country}})
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, "Watch for these warning signs", "You must pay a fee", "keep your passport")
		if strings.Contains(r.Body, visa) != wantVisa || strings.Contains(r.Body, contract) == wantVisa {
			t.Errorf("country %q: visa sign shown %v, want %v", country, strings.Contains(r.Body, visa), wantVisa)
		}
		if n := strings.Count(r.Body[strings.Index(r.Body, "Watch for these warning signs"):strings.Index(r.Body, `id="found-h"`)], "<li>"); n != 3 {
			t.Errorf("country %q: %d red flags, want 3", country, n)
		}
	}
	// An unknown country is refused, not guessed.
	r := e.NewClient().Post(t, "/en/check", url.Values{"text": {text}, "country": {"QQ"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r.Body, "country code is not known")
	if strings.Contains(r.Body, `id="verdict"`) {
		t.Error("a refused check shows a verdict")
	}
}

func TestCheckAPIVerdicts(t *testing.T) {
	t.Parallel()
	e := verdictEnv(t)
	for _, tc := range verdictTexts {
		body, _ := json.Marshal(v1.CheckRequest{Text: tc.text, Country: "PL"})
		r := postJSON(t, e, "/api/v1/check", string(body))
		wantStatus(t, r, http.StatusOK)
		res := decode[v1.CheckResponse](t, r)
		if res.Verdict != tc.verdict {
			t.Errorf("%q: verdict %q, want %q", tc.text, res.Verdict, tc.verdict)
		}
		html := e.NewClient().Post(t, "/en/check", url.Values{"text": {tc.text}, "country": {"PL"}})
		if !strings.Contains(html.Body, "verdict-"+res.Verdict) {
			t.Errorf("%q: the page and the API disagree (API %s)", tc.text, res.Verdict)
		}
	}
	for _, piece := range []string{"900999", "unknown-agency"} {
		if strings.Contains(e.Log.String(), piece) {
			t.Errorf("the log holds %q from a checked text", piece)
		}
		if where := e.StoredContaining(t, piece); len(where) > 0 {
			t.Errorf("a checked text (%q) is stored in %v", piece, where)
		}
	}
}

func TestFormPagesAreCompressed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, path := range []string{"/en/reports/new", "/ar/reports/new", "/en/login", "/en/register"} {
		r := e.Get(t, path, "Accept-Encoding", "gzip")
		wantStatus(t, r, http.StatusOK)
		if r.Header.Get("Content-Encoding") != "gzip" || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Content-Encoding %q, Cache-Control %q", path, r.Header.Get("Content-Encoding"), r.Header.Get("Cache-Control"))
			continue
		}
		page := decoded(t, r, "gzip")
		if !strings.Contains(page, `name="_csrf"`) || len(r.Body) >= len(page)/2 {
			t.Errorf("%s: %d bytes gzipped for %d", path, len(r.Body), len(page))
		}
		plain := e.Get(t, path)
		if plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Body, "</html>") {
			t.Errorf("%s: without Accept-Encoding, Content-Encoding %q", path, plain.Header.Get("Content-Encoding"))
		}
	}
	// The check answer is compressed once, and kept by no cache.
	r := e.Do(t, formRequest(t, "/en/check", url.Values{"text": {"call +44 7700 900999"}}, "Accept-Encoding", "gzip"))
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(decoded(t, r, "gzip"), `id="verdict"`) {
		t.Errorf("check answer: Content-Encoding %q", r.Header.Get("Content-Encoding"))
	}
}

// formRequest is a POST of values with optional header name/value pairs.
func formRequest(t *testing.T, target string, values url.Values, headers ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

func TestNewReportFormHasOneCountryList(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, lang := range []string{"en", "ar", "uk"} {
		r := e.Get(t, "/"+lang+"/reports/new")
		wantStatus(t, r, http.StatusOK)
		start, end := strings.Index(r.Body, `<datalist id="country-names">`), strings.Index(r.Body, "</datalist>")
		if start < 0 || end < start || strings.Count(r.Body, "<datalist") != 1 {
			t.Fatalf("%s: no single country datalist", lang)
		}
		if n, want := strings.Count(r.Body[start:end], "<option"), len(service.AllCountries()); n != want {
			t.Errorf("%s: %d countries in the datalist, want %d", lang, n, want)
		}
		if n, max := strings.Count(r.Body, "<option"), len(service.AllCountries())+len(service.ContentLanguages())+40; n > max {
			t.Errorf("%s: %d options on the page, want at most %d", lang, n, max)
		}
		for _, role := range []string{"origin", "transit", "destination"} {
			if !strings.Contains(r.Body, `<input id="`+role+`" name="`+role+`" list="country-names"`) {
				t.Errorf("%s: %s is not a text field on the shared list", lang, role)
			}
		}
	}
	uk := e.Get(t, "/uk/reports/new")
	mustContain(t, uk.Body, `<option value="Польща">`)
}

func TestNewReportTakesCountryNames(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_names", model.RoleModerator, []string{"en", "uk"}, []string{"UA"})
	form := reportForm("Named countries")
	form.Set("origin", " україна ")
	form.Set("transit", "Poland")
	form.Set("destination", "de")
	mod.Get(t, "/uk/reports/new")
	r := mod.PostMultipart(t, "/uk/reports/new", form)
	wantStatus(t, r, http.StatusSeeOther)
	var roles []string
	apptest.Must(t, e.DB.Gorm.Table("report_countries rc").Joins("JOIN reports r ON r.id = rc.report_id").Where("r.title = ?", "Named countries").Order("rc.country").Pluck("rc.role || ':' || rc.country", &roles))
	if fmt.Sprint(roles) != "[destination:DE transit:PL origin:UA]" {
		t.Errorf("route %v", roles)
	}

	// An unknown country is a localised field error, and nothing is stored.
	before := e.Count(t, "reports", "1 = 1")
	for lang, want := range map[string]string{"en": "We do not know this country", "uk": "Ми не знаємо такої країни"} {
		bad := reportForm("Atlantis route")
		bad.Set("origin", "Atlantis")
		mod.Get(t, "/"+lang+"/reports/new")
		r := mod.PostMultipart(t, "/"+lang+"/reports/new", bad)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r.Body, want, `value="Atlantis"`, `id="origin-error"`, `aria-invalid="true"`)
	}
	if after := e.Count(t, "reports", "1 = 1"); after != before {
		t.Errorf("refused reports stored: %d -> %d", before, after)
	}
}

func TestPagesHaveTheirOwnDescription(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Fake driver jobs in Poland"))
	mod, _ := e.Member(t, "mod_desc", model.RoleModerator, []string{"en"}, []string{"UA"})
	report := publishedReport(t, e, mod, "Agency took my money", "The agency in Warsaw took 900 euros from me for a job that did not exist.")
	description := regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	seen := map[string]string{}
	for _, path := range []string{"/en", "/en/warnings", fmt.Sprintf("/en/warnings/%d", id), "/en/reports", fmt.Sprintf("/en/reports/%d", report), "/en/check", "/en/safety"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		m := description.FindAllStringSubmatch(r.Body, -1)
		if len(m) != 1 || m[0][1] == "" {
			t.Errorf("%s: descriptions %v", path, m)
			continue
		}
		if other, ok := seen[m[0][1]]; ok {
			t.Errorf("%s has the description of %s: %q", path, other, m[0][1])
		}
		seen[m[0][1]] = path
	}
	w := e.Get(t, fmt.Sprintf("/en/warnings/%d", id))
	mustContain(t, w.Body, `<meta name="description" content="A Facebook page offers driving jobs with a visa for a fee.">`)
	rp := e.Get(t, fmt.Sprintf("/en/reports/%d", report))
	mustContain(t, rp.Body, `<meta name="description" content="The agency in Warsaw took 900 euros`)
}

func TestReportCardsLeaveOutZeroCounts(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_zero", model.RoleModerator, []string{"en"}, []string{"UA"})
	publishedReport(t, e, mod, "Nobody answered yet", "")
	r := e.Get(t, "/en/reports")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, "Nobody answered yet")
	for _, zero := range []string{"0 replies", "0 people met this offer", "0 reply"} {
		if strings.Contains(r.Body, zero) {
			t.Errorf("a report card announces %q", zero)
		}
	}
	// Nor does the report's own page.
	var id int64
	apptest.Must(t, e.DB.Gorm.Raw("SELECT id FROM reports WHERE title = ?", "Nobody answered yet").Scan(&id))
	page := e.Get(t, fmt.Sprintf("/en/reports/%d", id))
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, "Nobody answered yet")
	if strings.Contains(page.Body, "0 people met this offer") {
		t.Error("the report page announces that 0 people met this offer")
	}
}
