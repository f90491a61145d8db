package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// originalIn makes the fixture's own text, and the warning's language, lang.
func originalIn(lang string) apptest.WarningOption {
	return func(w *service.ImportedWarning) { w.Lang, w.Texts[0].Lang = lang, lang }
}

// elements returns the nodes of doc named tag whose attribute key, when key
// is not empty, has the value val.
func elements(doc *html.Node, tag, key, val string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (key == "" || attr(n, key) == val) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func parsePage(t *testing.T, r apptest.Response) *html.Node {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	doc, err := html.Parse(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestArabicAndPersianReadersGetEnglishBeforeTheOriginal(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	both := e.Warning(t, originalIn("ro"), apptest.TranslatedInto("en"))
	roOnly := e.Warning(t, originalIn("ro"))
	for _, lang := range []string{"ar", "fa"} {
		doc := parsePage(t, e.Get(t, fmt.Sprintf("/%s/warnings/%d", lang, both)))
		h1 := elements(doc, "h1", "", "")
		if len(h1) != 1 || !strings.HasPrefix(textOf(h1[0]), "[en] ") || attr(h1[0], "lang") != "en" || attr(h1[0], "dir") != "ltr" {
			t.Fatalf("%s reader of an en+ro warning: h1 %q", lang, textOf(h1[0]))
		}
		notice := elements(doc, "div", "class", "notice notice-lang")
		if len(notice) != 1 {
			t.Fatalf("%s: no language notice", lang)
		}
		links := elements(notice[0], "a", "href", fmt.Sprintf("/ro/warnings/%d", both))
		if len(links) != 1 || attr(links[0], "hreflang") != "ro" {
			t.Errorf("%s: the notice does not link to the original: %q", lang, textOf(notice[0]))
		}

		doc = parsePage(t, e.Get(t, fmt.Sprintf("/%s/warnings/%d", lang, roOnly)))
		h1 = elements(doc, "h1", "", "")
		if len(h1) != 1 || strings.HasPrefix(textOf(h1[0]), "[") || attr(h1[0], "lang") != "ro" || attr(h1[0], "dir") != "ltr" {
			t.Fatalf("%s reader of a ro-only warning: h1 %q lang %q", lang, textOf(h1[0]), attr(h1[0], "lang"))
		}
		notice = elements(doc, "div", "class", "notice notice-lang")
		if len(notice) != 1 || len(elements(notice[0], "a", "", "")) != 0 {
			t.Errorf("%s: a ro-only warning shows its original with a notice and no link to itself", lang)
		}
	}
	// The reader's own language comes first.
	doc := parsePage(t, e.Get(t, fmt.Sprintf("/ro/warnings/%d", both)))
	if h1 := elements(doc, "h1", "", ""); strings.HasPrefix(textOf(h1[0]), "[") || attr(h1[0], "lang") != "" {
		t.Errorf("ro reader: h1 %q lang %q", textOf(h1[0]), attr(h1[0], "lang"))
	}
	if len(elements(doc, "div", "class", "notice notice-lang")) != 0 {
		t.Error("ro reader is told the warning is not in their language")
	}

	// Lists, filtered and paged, and the feed follow the same rule.
	for _, target := range []string{"/fa/warnings", "/fa/warnings?country=PL", "/fa/", "/ar/warnings?page=1"} {
		doc := parsePage(t, e.Get(t, target))
		var got []string
		for _, a := range elements(doc, "a", "href", fmt.Sprintf("/fa/warnings/%d", both)) {
			got = append(got, attr(a, "lang")+" "+textOf(a))
		}
		for _, a := range elements(doc, "a", "href", fmt.Sprintf("/ar/warnings/%d", both)) {
			got = append(got, attr(a, "lang")+" "+textOf(a))
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], "en [en] ") {
			t.Errorf("%s: card of the en+ro warning %q", target, got)
		}
		ro := 0
		for _, a := range append(elements(doc, "a", "href", fmt.Sprintf("/fa/warnings/%d", roOnly)), elements(doc, "a", "href", fmt.Sprintf("/ar/warnings/%d", roOnly))...) {
			if attr(a, "lang") == "ro" && attr(a, "dir") == "ltr" {
				ro++
			}
		}
		if ro != 1 {
			t.Errorf("%s: the ro-only card is not marked lang=ro", target)
		}
	}
	feed := e.Get(t, "/fa/warnings.atom")
	wantStatus(t, feed, http.StatusOK)
	if !regexp.MustCompile(`<title [^>]*xml:lang="en"[^>]*>[^<]*\[en\] Fake driver job`).MatchString(feed.Body) {
		t.Error("the fa feed does not show the English text of an en+ro warning")
	}
}

// ascii and persian digits.
var (
	asciiDigit   = regexp.MustCompile(`[0-9]`)
	persianDigit = regexp.MustCompile(`[۰-۹]`)
)

func TestPersianDigitsAndArabicCommas(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.TranslatedInto("fa", "ar"), apptest.OnRoute("UA", "MD", "PL"), apptest.ExpiringIn(240*time.Hour))

	doc := parsePage(t, e.Get(t, fmt.Sprintf("/fa/warnings/%d", id)))
	times := elements(doc, "time", "", "")
	if len(times) < 2 {
		t.Fatalf("fa: %d dates", len(times))
	}
	for _, tm := range times {
		if s := textOf(tm); asciiDigit.MatchString(s) || !persianDigit.MatchString(s) {
			t.Errorf("fa date %q is not in Persian digits", s)
		}
	}
	for _, h := range elements(doc, "h2", "id", "ind-h") {
		if s := textOf(h); asciiDigit.MatchString(s) || !strings.Contains(s, "۲") {
			t.Errorf("fa count %q is not in Persian digits", s)
		}
	}
	if !strings.Contains(doc2text(doc), "۱۰ روز مانده") {
		t.Error("fa: days left not in Persian digits")
	}

	// Arabic: Latin digits (CLDR 46 default for ar), the Arabic comma
	// between countries.
	doc = parsePage(t, e.Get(t, "/ar/warnings"))
	var meta string
	for _, p := range elements(doc, "p", "class", "meta small") {
		if strings.Contains(textOf(p), "أوكرانيا") {
			meta = textOf(p)
		}
	}
	if !strings.Contains(meta, "أوكرانيا، ") || strings.Contains(meta, ", ") || !asciiDigit.MatchString(meta) {
		t.Errorf("ar card countries and date %q", meta)
	}
	doc = parsePage(t, e.Get(t, "/fa/warnings"))
	meta = ""
	for _, p := range elements(doc, "p", "class", "meta small") {
		if strings.Contains(textOf(p), "۲۰۲۶") {
			meta = textOf(p)
		}
	}
	if !strings.Contains(meta, "، ") || strings.Contains(meta, ", ") {
		t.Errorf("fa card countries %q", meta)
	}
	// Other languages keep their digits and comma.
	doc = parsePage(t, e.Get(t, "/uk/warnings"))
	found := false
	for _, p := range elements(doc, "p", "class", "meta small") {
		if s := textOf(p); strings.Contains(s, "2026") && strings.Contains(s, ", ") {
			found = true
		}
	}
	if !found {
		t.Error("uk card lost its Latin digits or comma")
	}
}

func doc2text(doc *html.Node) string { return textOf(doc) }

// posterContacts is a report written with every way to put a live link.
const posterContacts = "Apply at https://evil.example/job or write to mailto:x@evil.example or x@evil.example.\n\n" +
	"[click](https://evil.example) and <a href=\"https://evil.example/raw\">here</a> and <https://evil.example/auto>.\n\n" +
	"They are on telegram @rabota_eu_fast."

func TestPosterContactsAreInertAndLeadToTheirIndicatorPage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	mod, _ := e.Member(t, "mod_contacts", model.RoleModerator, []string{"en"}, []string{"UA"})
	id := publishedReport(t, e, mod, "Fake job with live links", posterContacts)
	wantStatus(t, mod.Post(t, fmt.Sprintf("/en/reports/%d/replies", id), url.Values{"body": {"Same people: mailto:x@evil.example and https://evil.example/job"}}), http.StatusSeeOther)

	for _, lang := range []string{"en", "ar"} {
		r := e.Get(t, fmt.Sprintf("/%s/reports/%d", lang, id))
		if strings.Contains(r.Body, `href="https://evil`) || strings.Contains(r.Body, "mailto:x@evil.example\"") {
			t.Fatalf("%s: a poster's link is live", lang)
		}
		doc := parsePage(t, r)
		bodies := elements(doc, "div", "class", "body")
		if len(bodies) != 2 {
			t.Fatalf("%s: %d post bodies", lang, len(bodies))
		}
		indicatorPage := regexp.MustCompile(`^/` + lang + `/indicators/\d+$`)
		seen := map[string]string{}
		for _, b := range bodies {
			for _, a := range elements(b, "a", "", "") {
				href := attr(a, "href")
				if !indicatorPage.MatchString(href) || attr(a, "class") != "contact" {
					t.Errorf("%s: link in poster text %q → %q", lang, textOf(a), href)
				}
				seen[textOf(a)] = href
			}
		}
		for _, want := range []string{"https://evil.example/job", "x@evil.example", "https://evil.example", "https://evil.example/auto", "@rabota_eu_fast"} {
			if seen[want] == "" && seen["telegram "+want] == "" {
				t.Errorf("%s: %q is not a contact linked to its indicator page (contacts: %v)", lang, want, seen)
			}
		}
		if !strings.Contains(textOf(bodies[0]), "click (https://evil.example)") {
			t.Errorf("%s: a Markdown link does not show its target: %q", lang, textOf(bodies[0]))
		}
		if n := len(elements(doc, "p", "class", "small contact-note")); n != 2 {
			t.Errorf("%s: %d notes on contacts, want one per post", lang, n)
		}
		// No link of the page goes to a poster's target; raw HTML is
		// dropped.
		for _, a := range elements(doc, "a", "", "") {
			href := attr(a, "href")
			if strings.Contains(href, "evil.example") || strings.HasPrefix(href, "mailto:") || strings.HasPrefix(href, "//") {
				t.Errorf("%s: poster's link %q", lang, href)
			}
		}
		if strings.Contains(r.Body, "evil.example/raw") || !strings.Contains(textOf(bodies[0]), "and here and") {
			t.Errorf("%s: raw HTML link: %q", lang, textOf(bodies[0]))
		}
		// The contact leads to what Forewarn knows of it.
		ind := e.Get(t, seen["https://evil.example/job"])
		wantStatus(t, ind, http.StatusOK)
		if !strings.Contains(ind.Body, "evil.example/job") || !strings.Contains(ind.Body, fmt.Sprintf("/reports/%d", id)) {
			t.Errorf("%s: the indicator page of a contact does not name it or its report", lang)
		}
	}

	// A contact no public content mentions is inert text, not a link.
	pending, _ := e.Member(t, "member_contacts", model.RoleMember, []string{"en"}, []string{"UA"})
	form := reportForm("Another fake job")
	form.Set("body", "Write to fresh@unknown.example today.")
	pid, _ := postReport(t, pending, form)
	r := pending.Get(t, fmt.Sprintf("/en/reports/%d", pid))
	doc := parsePage(t, r)
	spans := elements(doc, "span", "class", "contact")
	if len(spans) != 1 || textOf(spans[0]) != "fresh@unknown.example" {
		t.Errorf("a contact without a page: %d inert contacts", len(spans))
	}
	for _, b := range elements(doc, "div", "class", "body") {
		if len(elements(b, "a", "", "")) != 0 {
			t.Error("a contact without an indicator page is a link")
		}
	}
}

func TestModeratorsLinksInWarningsStayClickable(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, func(w *service.ImportedWarning) {
		w.Texts[0].Body = "Check the agency on [the labour inspectorate's register](https://inspectorate.example/register)."
	})
	doc := parsePage(t, e.Get(t, fmt.Sprintf("/en/warnings/%d", id)))
	if len(elements(doc, "a", "href", "https://inspectorate.example/register")) != 1 {
		t.Error("a moderator's link in a warning is not clickable")
	}
}
