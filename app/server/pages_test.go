package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
)

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
}

func mustNotContain(t *testing.T, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("body contains %q", n)
		}
	}
}

func wantStatus(t *testing.T, r apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d; body: %.400s", r.Request.URL, r.StatusCode, status, r.Body)
	}
}

func TestHomeInEveryDirection(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Truck drivers wanted, visa included"), apptest.TranslatedInto("ar"))
	for _, tc := range []struct{ lang, dir, title string }{
		{"en", "ltr", "Truck drivers wanted, visa included"},
		{"ar", "rtl", "[ar] Truck drivers wanted, visa included"},
		{"fr", "ltr", "Truck drivers wanted, visa included"},
		{"fa", "rtl", "Truck drivers wanted, visa included"},
	} {
		r := e.Get(t, "/"+tc.lang)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, fmt.Sprintf(`<html lang="%s" dir="%s">`, tc.lang, tc.dir), tc.title, "data-quick-exit", `href="https://neutral.test/"`)
		if got := r.Header.Get("Content-Language"); got != tc.lang {
			t.Errorf("/%s: Content-Language %q", tc.lang, got)
		}
	}
}

func TestLanguageSwitcherNamesEachLanguageInItself(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/en/warnings?severity=danger")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, `href="/en/languages?next=%2Fwarnings%3Fseverity%3Ddanger"`)
	r = e.Get(t, "/en/languages?next=%2Fwarnings%3Fseverity%3Ddanger")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body,
		`href="/ar/warnings?severity=danger" hreflang="ar"><span lang="ar" dir="rtl">العربية</span>`,
		`hreflang="fa"><span lang="fa" dir="rtl">فارسی</span>`,
		`hreflang="uk"><span lang="uk" dir="ltr">Українська</span>`,
		`hreflang="ur"><span lang="ur" dir="rtl">اردو</span>`,
		`hreflang="zh-Hans"><span lang="zh-Hans" dir="ltr">简体中文</span>`,
		`hreflang="ti"><span lang="ti" dir="ltr">ትግርኛ</span>`,
	)
}

func TestRootRedirectsByAcceptLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, tc := range []struct{ accept, want string }{
		{"fr-CA,fr;q=0.9,en;q=0.5", "/fr"},
		{"fa-AF", "/fa"},
		{"prs", "/fa"},
		{"de-DE,uk;q=0.8", "/uk"},
		{"de", "/en"},
		{"", "/en"},
		{"\xff\xfe;;q=garbage", "/en"},
	} {
		r := e.Get(t, "/", "Accept-Language", tc.accept)
		wantStatus(t, r, http.StatusFound)
		if got := r.Header.Get("Location"); got != tc.want {
			t.Errorf("Accept-Language %q: Location %q, want %q", tc.accept, got, tc.want)
		}
	}
}

func TestUnknownLanguagePrefixRedirectsToBestMatch(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, tc := range []struct{ path, accept, want string }{
		{"/de/warnings", "", "/en/warnings?unknown_lang=de"},
		{"/de/warnings", "ro-RO", "/ro/warnings?unknown_lang=de"},
		{"/fr-BE/warnings?page=2", "", "/fr/warnings?page=2"},
		{"/es-419/safety", "", "/es/safety"},
		{"/warnings", "uk", "/uk/warnings"},
		{"/EN/warnings", "", "/en/warnings"},
	} {
		r := e.Get(t, tc.path, "Accept-Language", tc.accept)
		wantStatus(t, r, http.StatusFound)
		if got := r.Header.Get("Location"); got != tc.want {
			t.Errorf("%s: Location %q, want %q", tc.path, got, tc.want)
		}
	}
}

func TestNotFoundPageIsLocalised(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/ar/no-such-page")
	wantStatus(t, r, http.StatusNotFound)
	mustContain(t, r.Body, `<html lang="ar" dir="rtl">`)
	en := e.Get(t, "/en/no-such-page")
	wantStatus(t, en, http.StatusNotFound)
	mustContain(t, en.Body, "Page not found")
	if strings.Contains(r.Body, "Page not found") {
		t.Error("Arabic 404 page shows the English heading")
	}
}

func TestWarningsListFilters(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Driver job Ukraine to Poland"), apptest.OnRoute("UA", "PL"))
	e.Warning(t, apptest.Titled("Visa agency Nepal to Romania"), apptest.OnRoute("NP", "RO"), apptest.InCategory("fake-travel-agency"), apptest.WithSeverity(model.SeverityCaution))
	e.Warning(t, apptest.Titled("Strawberry picking Morocco to Spain"), apptest.OnRoute("MA", "ES"), apptest.InCategory("exploitation-agriculture"), apptest.WithSeverity(model.SeverityInfo))
	e.Warning(t, apptest.Titled("Retracted agency"), apptest.OnRoute("NP", "RO"), apptest.Retracted("impersonated"))

	all := e.Get(t, "/en/warnings")
	wantStatus(t, all, http.StatusOK)
	mustContain(t, all.Body, "Driver job Ukraine to Poland", "Visa agency Nepal to Romania", "Strawberry picking Morocco to Spain")
	mustNotContain(t, all.Body, "Retracted agency")

	for _, tc := range []struct {
		query string
		want  string
		not   []string
	}{
		{"country=pl", "Driver job Ukraine to Poland", []string{"Visa agency", "Strawberry"}},
		{"country=NP", "Visa agency Nepal to Romania", []string{"Driver job", "Strawberry"}},
		{"category=exploitation-agriculture", "Strawberry picking", []string{"Driver job", "Visa agency"}},
		{"severity=caution", "Visa agency Nepal", []string{"Driver job", "Strawberry"}},
		{"country=RO&category=fake-travel-agency&severity=caution", "Visa agency Nepal", []string{"Driver job", "Strawberry", "Retracted agency"}},
	} {
		r := e.Get(t, "/en/warnings?"+tc.query)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, tc.want)
		mustNotContain(t, r.Body, tc.not...)
	}
	none := e.Get(t, "/en/warnings?country=FR")
	wantStatus(t, none, http.StatusOK)
	mustContain(t, none.Body, "No warnings match these filters yet.")
}

func TestWarningsListRejectsBadFiltersInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	for _, q := range []string{"severity=deadly", "category=nope", "country=ZZ", "country=France", "page=0", "page=-1", "page=abc", "page=99999999999", "page=1e3"} {
		r := e.Get(t, "/en/warnings?"+q)
		wantStatus(t, r, http.StatusBadRequest)
		mustContain(t, r.Body, "Something is wrong with this request")
		ar := e.Get(t, "/ar/warnings?"+q)
		wantStatus(t, ar, http.StatusBadRequest)
		mustContain(t, ar.Body, `dir="rtl"`)
		mustNotContain(t, ar.Body, "Something is wrong with this request")
	}
	r := e.Get(t, "/en/warnings?severity=deadly&country=ZZ")
	mustContain(t, r.Body, "The severity must be info, caution or danger.", "This country code is not known.")
}

func TestWarningsPagination(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for i := 0; i < 45; i++ {
		e.Warning(t)
	}
	first := e.Get(t, "/en/warnings")
	wantStatus(t, first, http.StatusOK)
	if n := strings.Count(first.Body, `<li class="card`); n != 20 {
		t.Errorf("page 1 has %d warnings, want 20", n)
	}
	mustContain(t, first.Body, `rel="next" href="/en/warnings?page=2"`)
	mustNotContain(t, first.Body, `rel="prev"`)

	third := e.Get(t, "/en/warnings?page=3")
	wantStatus(t, third, http.StatusOK)
	if n := strings.Count(third.Body, `<li class="card`); n != 5 {
		t.Errorf("page 3 has %d warnings, want 5", n)
	}
	mustContain(t, third.Body, `rel="prev" href="/en/warnings?page=2"`)
	mustNotContain(t, third.Body, `rel="next"`)

	wantStatus(t, e.Get(t, "/en/warnings?page=4"), http.StatusNotFound)
	wantStatus(t, e.Get(t, "/en/warnings?page=10000"), http.StatusNotFound)

	// Pages do not overlap.
	titles := regexp.MustCompile(`Fake driver job \d+`)
	seen := map[string]bool{}
	for p := 1; p <= 3; p++ {
		r := e.Get(t, fmt.Sprintf("/en/warnings?page=%d", p))
		for _, m := range titles.FindAllString(r.Body, -1) {
			if seen[m] {
				t.Errorf("%s appears on two pages", m)
			}
			seen[m] = true
		}
	}
	if len(seen) != 45 {
		t.Errorf("pages show %d distinct warnings, want 45", len(seen))
	}
}

func TestWarningPageTranslationAndFallback(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Fake visa agency on Instagram"), apptest.TranslatedInto("fr", "ar"))
	path := fmt.Sprintf("/%%s/warnings/%d", id)

	fr := e.Get(t, fmt.Sprintf(path, "fr"))
	wantStatus(t, fr, http.StatusOK)
	mustContain(t, fr.Body, "[fr] Fake visa agency on Instagram", "<strong>", "7700 900123")
	mustNotContain(t, fr.Body, `class="notice notice-lang"`)

	nl := e.Get(t, fmt.Sprintf(path, "nl"))
	wantStatus(t, nl, http.StatusOK)
	mustContain(t, nl.Body, `<html lang="nl"`, `class="notice notice-lang"`, `<h1 lang="en" dir="ltr">Fake visa agency on Instagram</h1>`)

	ar := e.Get(t, fmt.Sprintf(path, "ar"))
	wantStatus(t, ar, http.StatusOK)
	mustContain(t, ar.Body, `dir="rtl"`, "[ar] Fake visa agency on Instagram", `<code dir="ltr">&#43;44 7700 900123</code>`)
}

func TestWarningPageShowsFactsIndicatorsAndShareText(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Warehouse jobs with deposit"), apptest.OnRoute("MD", "RO", "DE"), apptest.ExpiringIn(10*24*time.Hour))
	r := e.Get(t, fmt.Sprintf("/en/warnings/%d", id))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body,
		"Moldova", "Romania", "Germany",
		"Test NGO", "Verified organisation",
		"10 days left",
		"2 signs to watch for",
		"jobs.eurodrive.example/apply",
		`<textarea id="share-text" readonly rows="8" dir="auto">`,
		fmt.Sprintf("%s/w/%d", apptest.BaseURL, id),
	)
	fr := e.Get(t, fmt.Sprintf("/fr/warnings/%d", id))
	mustContain(t, fr.Body, "Allemagne", "Roumanie")
}

func TestRetractedAndExpiredWarnings(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	retracted := e.Warning(t, apptest.Titled("Withdrawn warning"), apptest.Retracted("The company was impersonated by scammers."))
	expired := e.Warning(t, apptest.Titled("Old warning"), apptest.ExpiringIn(-48*time.Hour))

	r := e.Get(t, fmt.Sprintf("/en/warnings/%d", retracted))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, "This warning was retracted", "The company was impersonated by scammers.")

	x := e.Get(t, fmt.Sprintf("/en/warnings/%d", expired))
	wantStatus(t, x, http.StatusOK)
	mustContain(t, x.Body, "This warning has expired")

	list := e.Get(t, "/en/warnings")
	mustContain(t, list.Body, "Old warning", `tag-expired`)
	mustNotContain(t, list.Body, "Withdrawn warning")
}

func TestUnpublishedAndMissingWarningsAreNotFound(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Secret draft"))
	if err := e.DB.Gorm.Exec("UPDATE warnings SET status = 'draft' WHERE id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		fmt.Sprintf("/en/warnings/%d", id),
		"/en/warnings/999999",
	} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusNotFound)
		mustNotContain(t, r.Body, "Secret draft")
	}
	for _, path := range []string{"/en/warnings/abc", "/en/warnings/0", "/en/warnings/-3", "/en/warnings/99999999999999999999", "/en/warnings/1.5", "/en/warnings/%E2%82%AC"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusBadRequest)
		mustContain(t, r.Body, "The identifier is not valid.")
	}
	if strings.Contains(e.Log.String(), "level=ERROR") {
		t.Errorf("bad input was logged as an error:\n%s", e.Log.String())
	}
}

func TestShortLinkOpensInReadersLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	r := e.Get(t, fmt.Sprintf("/w/%d", id), "Accept-Language", "uk-UA")
	wantStatus(t, r, http.StatusFound)
	if got, want := r.Header.Get("Location"), fmt.Sprintf("/uk/warnings/%d", id); got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
	wantStatus(t, e.Get(t, "/w/nope"), http.StatusBadRequest)
}

func TestSafetyPageInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	en := e.Get(t, "/en/safety")
	wantStatus(t, en, http.StatusOK)
	mustContain(t, en.Body, "How to recognise a fake offer")
	for _, lang := range []string{"fr", "nl", "es", "ro", "uk", "ar", "fa"} {
		r := e.Get(t, "/"+lang+"/safety")
		wantStatus(t, r, http.StatusOK)
		mustNotContain(t, r.Body, "How to recognise a fake offer", "Warning signs")
	}
}

func TestEveryPageInEnglishAndArabic(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.TranslatedInto("ar"))
	for _, lang := range []string{"en", "ar"} {
		dir := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
		for _, path := range []string{"", "/warnings", "/warnings?country=UA&page=1", fmt.Sprintf("/warnings/%d", id), "/safety"} {
			r := e.Get(t, "/"+lang+path)
			wantStatus(t, r, http.StatusOK)
			mustContain(t, r.Body, fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir), "data-quick-exit", `<main id="main">`)
		}
		feed := e.Get(t, "/"+lang+"/warnings.atom")
		wantStatus(t, feed, http.StatusOK)
		mustContain(t, feed.Body, fmt.Sprintf(`xml:lang="%s"`, lang))
		missing := e.Get(t, "/"+lang+"/warnings/424242")
		wantStatus(t, missing, http.StatusNotFound)
		mustContain(t, missing.Body, fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir))
	}
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]*"`)
