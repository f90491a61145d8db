package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

// twentyLanguages are the interface languages, with their lang attribute
// and direction.
var twentyLanguages = []struct{ code, tag, dir string }{
	{"en", "en", "ltr"}, {"fr", "fr", "ltr"}, {"nl", "nl", "ltr"}, {"es", "es", "ltr"}, {"ro", "ro", "ltr"},
	{"uk", "uk", "ltr"}, {"ar", "ar", "rtl"}, {"fa", "fa", "rtl"}, {"ru", "ru", "ltr"}, {"bg", "bg", "ltr"},
	{"pl", "pl", "ltr"}, {"pt", "pt", "ltr"}, {"sq", "sq", "ltr"}, {"tr", "tr", "ltr"}, {"vi", "vi", "ltr"},
	{"zh", "zh-Hans", "ltr"}, {"ti", "ti", "ltr"}, {"so", "so", "ltr"}, {"ps", "ps", "rtl"}, {"ur", "ur", "rtl"},
}

func TestRootChoosesAmongTwentyLanguages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, tc := range []struct{ accept, want string }{
		{"pt-BR,pt;q=0.9,en;q=0.5", "/pt"}, {"zh-CN,zh;q=0.9", "/zh"}, {"zh-TW", "/zh"}, {"zh-Hant-HK", "/zh"},
		{"prs", "/fa"}, {"ur-PK", "/ur"}, {"ti-ER", "/ti"}, {"ps-AF", "/ps"}, {"so-SO", "/so"}, {"sq-AL", "/sq"},
		{"vi-VN", "/vi"}, {"tr-TR", "/tr"}, {"bg-BG", "/bg"}, {"pl-PL", "/pl"}, {"ru-RU", "/ru"}, {"de-DE,ru;q=0.8", "/ru"},
		{"am-ET", "/en"},
	} {
		r := e.Get(t, "/", "Accept-Language", tc.accept)
		wantStatus(t, r, http.StatusFound)
		if got := r.Header.Get("Location"); got != tc.want {
			t.Errorf("Accept-Language %q: Location %q, want %q", tc.accept, got, tc.want)
		}
	}
}

func TestEveryLanguageHasItsAttributesAndAPickerLink(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, l := range twentyLanguages {
		r := e.Get(t, "/"+l.code+"/warnings?country=PL")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body,
			fmt.Sprintf(`<html lang="%s" dir="%s">`, l.tag, l.dir),
			fmt.Sprintf(`<a class="langs" href="/%s/languages?next=%%2Fwarnings%%3Fcountry%%3DPL">`, l.code),
			`hreflang="zh-Hans" href="`+apptest.BaseURL+`/zh/warnings"`, `hreflang="ur" href="`+apptest.BaseURL+`/ur/warnings"`)
		if r.Header.Get("Content-Language") != l.code {
			t.Errorf("%s: Content-Language %q", l.code, r.Header.Get("Content-Language"))
		}
		// The footer says who checked the translation and where to correct it.
		mustContain(t, r.Body, `href="/`+l.code+`/help">`)
	}
	// The header holds one link to the picker, not a list of twenty.
	r := e.Get(t, "/fr/warnings")
	if n := strings.Count(r.Body, `hreflang=`); n != 20 {
		t.Errorf("the French list names %d languages outside its head's alternates, want only the 20 alternates", n)
	}
	en := e.Get(t, "/en/warnings")
	mustNotContain(t, en.Body, "nobody but")
	mustContain(t, en.Body, "Tell the organisations behind Forewarn")
	mustContain(t, r.Body, "Personne d’autre que son auteur n’a encore relu cette traduction.")
}

func TestLanguagePickerLeadsBackInEachLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/fr/languages?next="+url.QueryEscape("/warnings?country=PL&page=2"))
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.Body, `<html lang="fr" dir="ltr">`, "<h1>Choisissez votre langue</h1>", `aria-current="page"`)
	if r.Header.Get("Set-Cookie") != "" {
		t.Error("the picker set a cookie")
	}
	for _, l := range twentyLanguages {
		mustContain(t, r.Body, fmt.Sprintf(`<a href="/%s/warnings?country=PL&amp;page=2" hreflang="%s"`, l.code, l.tag))
	}
	item := regexp.MustCompile(`<li><a href="/(\w+)/[^"]*" hreflang="[^"]+"[^>]*><span lang="([^"]+)" dir="(\w+)">([^<]+)</span>`)
	items := item.FindAllStringSubmatch(r.Body, -1)
	if len(items) != 20 {
		t.Fatalf("the picker lists %d languages, want 20", len(items))
	}
	for i, m := range items {
		want := twentyLanguages[i]
		if m[1] != want.code || m[2] != want.tag || m[3] != want.dir {
			t.Errorf("item %d: %s lang=%s dir=%s, want %s lang=%s dir=%s", i, m[1], m[2], m[3], want.code, want.tag, want.dir)
		}
	}
	// Each language in its own script and name.
	mustContain(t, r.Body, ">English</span>", ">Français</span>", ">Русский</span>", ">简体中文</span>", ">ትግርኛ</span>", ">Soomaali</span>", ">پښتو</span>", ">اردو</span>", ">Tiếng Việt</span>")
	// … and named in the reader's language beside it.
	mustContain(t, r.Body, "<small>tigrigna</small>", "<small>pachto</small>")

	home := e.Get(t, "/ar/languages")
	wantStatus(t, home, http.StatusOK)
	mustContain(t, home.Body, `<a href="/ps" hreflang="ps"`, `<a href="/zh" hreflang="zh-Hans"`)
	assertPageWeight(t, e, home)
}

func TestLanguagePickerNeverLeadsOffTheSite(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, next := range []string{
		"https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
		"/../evil.example", "/warnings/../../evil.example", "evil.example", "/%0d%0aLocation:evil.example", "/\tevil.example",
		"http:/evil.example", "/x" + strings.Repeat("a", 2000),
	} {
		r := e.Get(t, "/en/languages?next="+url.QueryEscape(next))
		if r.StatusCode >= 500 {
			t.Errorf("next %q: status %d", next, r.StatusCode)
			continue
		}
		if r.StatusCode != http.StatusOK {
			continue // refused before the page (an over-long query)
		}
		if strings.Contains(r.Body, "evil.example") || strings.Contains(r.Body, "javascript:") {
			t.Errorf("next %q: the picker repeats it", next)
		}
		mustContain(t, r.Body, `<a href="/pt" hreflang="pt"`)
	}
	ok := e.Get(t, "/en/languages?next="+url.QueryEscape("/reports/12?x=1"))
	mustContain(t, ok.Body, `<a href="/pt/reports/12?x=1" hreflang="pt"`)
	// A next that kept its language leads to the chosen one, not to
	// /pt/en/…, a page that does not exist.
	for next, want := range map[string]string{
		"/en/warnings?country=PL": `<a href="/pt/warnings?country=PL" hreflang="pt"`,
		"/UK/reports/12":          `<a href="/pt/reports/12" hreflang="pt"`,
		"/ar":                     `<a href="/pt" hreflang="pt"`,
		"/ar?x=1":                 `<a href="/pt" hreflang="pt"`,
		"/zh/":                    `<a href="/pt" hreflang="pt"`,
		"/english/x":              `<a href="/pt/english/x" hreflang="pt"`,
		"/en/warnings?q=/x/y":     `<a href="/pt/warnings?q=/x/y" hreflang="pt"`,
		"/en?x=//evil.example":    `<a href="/pt" hreflang="pt"`,
	} {
		r := e.Get(t, "/en/languages?next="+url.QueryEscape(next))
		mustContain(t, r.Body, want)
		mustNotContain(t, r.Body, "evil.example")
	}
}

func TestCloseLanguagesInThePathRedirectToTheirShippedOne(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, tc := range []struct{ path, want string }{
		{"/pt-BR/warnings", "/pt/warnings"},
		{"/pt-br/warnings?country=BR&severity=danger", "/pt/warnings?country=BR&severity=danger"},
		{"/zh-CN/warnings", "/zh/warnings"},
		{"/zh-Hans/warnings", "/zh/warnings"},
		{"/zh-Hans-CN/check", "/zh/check"},
		{"/zh-TW/safety", "/zh/safety"},
		{"/prs/warnings", "/fa/warnings"},
		{"/prs-AF/help/AF", "/fa/help/AF"},
		{"/ur-PK", "/ur"},
		{"/ti-ER/reports", "/ti/reports"},
		{"/so-SO/warnings", "/so/warnings"},
		{"/ps-AF/warnings", "/ps/warnings"},
		{"/RU/warnings", "/ru/warnings"},
	} {
		r := e.Get(t, tc.path)
		wantStatus(t, r, http.StatusFound)
		if got := r.Header.Get("Location"); got != tc.want {
			t.Errorf("%s: Location %q, want %q", tc.path, got, tc.want)
		}
		next := e.Get(t, r.Header.Get("Location"))
		if next.StatusCode != http.StatusOK {
			t.Errorf("%s → %s: status %d", tc.path, tc.want, next.StatusCode)
		}
	}
}

func TestUnknownLanguageInThePathGetsEnglishWithANotice(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	r := e.Get(t, "/de/warnings?country=PL")
	wantStatus(t, r, http.StatusFound)
	loc := r.Header.Get("Location")
	if loc != "/en/warnings?country=PL&unknown_lang=de" {
		t.Fatalf("Location %q", loc)
	}
	page := e.Get(t, loc)
	wantStatus(t, page, http.StatusOK)
	mustContain(t, page.Body, `<html lang="en"`, `role="status"><p>Forewarn is not available in German yet. <a href="/en/languages?next=%2Fwarnings%3Fcountry%3DPL">Choose your language</a>`)
	// The marker stays out of the links to other languages.
	mustNotContain(t, page.Body, "unknown_lang=de\"", "/languages?next=%2Fwarnings%3Fcountry%3DPL%26unknown")

	// The reader's browser language says in which language.
	fr := e.Get(t, "/x-klingon/safety", "Accept-Language", "fr-FR")
	wantStatus(t, fr, http.StatusFound)
	if got := fr.Header.Get("Location"); got != "/fr/safety?unknown_lang=x-klingon" {
		t.Errorf("x-klingon: Location %q", got)
	}
	// A language whose readers CLDR expects to read a shipped one leads
	// there, with the notice: Kazakh to Russian, Kurdish to Turkish.
	for seg, want := range map[string]string{"kk": "/ru/warnings?unknown_lang=kk", "ku-IQ": "/tr/warnings?unknown_lang=ku-IQ"} {
		r := e.Get(t, "/"+seg+"/warnings", "Accept-Language", "fr")
		wantStatus(t, r, http.StatusFound)
		if got := r.Header.Get("Location"); got != want {
			t.Errorf("%s: Location %q, want %q", seg, got, want)
		}
		mustContain(t, e.Get(t, want).Body, `<div class="notice notice-lang" role="status">`)
	}
	frPage := e.Get(t, "/fr/warnings?unknown_lang=sw")
	mustContain(t, frPage.Body, "Forewarn n’existe pas encore en swahili.")

	// A forged marker shows nothing of itself.
	for _, forged := range []string{"<script>alert(1)</script>", strings.Repeat("a", 300), "de\"onload=x", "%ff"} {
		p := e.Get(t, "/en/warnings?unknown_lang="+url.QueryEscape(forged))
		if p.StatusCode >= 500 {
			t.Errorf("marker %q: status %d", forged, p.StatusCode)
		}
		mustNotContain(t, p.Body, "<script>alert", "is not available in")
	}
}

func TestForgedLanguageSegmentsNeverFail(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, seg := range []string{
		strings.Repeat("a", 5000), strings.Repeat("en-", 30) + "GB", "%ff%fe", "pt%ff", "%c3", "%00", "pt-BR%00",
		"%3Cscript%3E", "..", "%2e%2e", "%2f%2fevil.example", "x-", "zh-Hans-", "i-klingon", "und", "root",
		"en-u-nu-arab", "tlh", "qaa", strings.Repeat("%e2%80%ae", 40), "%d8%a7%d9%84%d8%b9%d8%b1%d8%a8%d9%8a%d8%a9",
	} {
		req, err := http.NewRequest(http.MethodGet, "/warnings", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = "/" + seg + "/warnings?page=2"
		req.URL.RawQuery = ""
		r := e.Do(t, req)
		if r.StatusCode >= 500 {
			t.Errorf("/%.40s/warnings: status %d", seg, r.StatusCode)
			continue
		}
		if r.StatusCode/100 == 3 {
			loc := r.Header.Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\\\r\n") {
				t.Errorf("/%.40s/warnings: Location %q", seg, loc)
				continue
			}
			if next := e.Get(t, loc); next.StatusCode >= 500 {
				t.Errorf("/%.40s/warnings → %.60s: status %d", seg, loc, next.StatusCode)
			}
		}
	}
	if strings.Contains(e.Log.String(), "level=ERROR") {
		t.Errorf("forged segments were logged as errors:\n%s", e.Log.String())
	}
}

// TestListPageFitsTheBudgetInEveryLanguage keeps a full page of the
// warnings list, HTML and CSS, within 16 KB gzip in each of the twenty.
func TestListPageFitsTheBudgetInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for i := range 25 {
		e.Warning(t, apptest.Titled(fmt.Sprintf("Seasonal work in the greenhouses, visa and flat included, pay the agency first (%d)", i)),
			apptest.OnRoute("VN", "PL"), apptest.TranslatedInto("vi", "zh", "ti", "ur"))
	}
	for _, l := range twentyLanguages {
		r := e.Get(t, "/"+l.code+"/warnings")
		wantStatus(t, r, http.StatusOK)
		assertPageWeight(t, e, r)
	}
}

// TestChineseIsTaggedSimplifiedEverywhere: the code is zh, the tag zh-Hans
// in every place a tag describes the interface language.
func TestChineseIsTaggedSimplifiedEverywhere(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Drivers wanted"), apptest.TranslatedInto("zh"))
	mustContain(t, e.Get(t, "/zh/manifest.webmanifest").Body, `"lang":"zh-Hans"`)
	feed := e.Get(t, "/zh/warnings.atom")
	wantStatus(t, feed, http.StatusOK)
	mustContain(t, feed.Body, `xml:lang="zh-Hans"`, `hreflang="zh-Hans"`, `/zh/warnings/`)
	mustContain(t, e.Get(t, "/zh/warnings").Body, `<html lang="zh-Hans" dir="ltr">`, `[zh] Drivers wanted`)
}
