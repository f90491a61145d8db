package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
)

func TestSearchAPI(t *testing.T) {
	t.Parallel()
	c := newSearchCorpus(t)
	e := c.e

	r := e.Get(t, "/api/v1/search?q="+url.QueryEscape("Euro-Jobs"))
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Set-Cookie") != "" {
		t.Error("a search sets a cookie")
	}
	list := decode[v1.SearchList](t, r)
	if len(list.Data) < 2 || list.Data[0].Type != "warning" {
		t.Fatalf("Euro-Jobs: %+v", list.Data)
	}
	mustContain(t, list.Data[0].TitleHTML, "<mark>Euro</mark> <mark>Jobs</mark>")

	// Each result links to its page on a shipped language's path, which
	// opens: English when the request names no language (not
	// "//warnings/1"), else the reader's or the closest one.
	for _, tc := range []struct{ header, want string }{
		{"", "/en/"},
		{"uk", "/uk/"},
		{"pt-BR,pt;q=0.9", "/pt/"},
		{"de-DE", "/en/"},
	} {
		var hdr []string
		if tc.header != "" {
			hdr = []string{"Accept-Language", tc.header}
		}
		l := decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q="+url.QueryEscape("Euro-Jobs"), hdr...))
		if len(l.Data) == 0 {
			t.Fatalf("Accept-Language %q: no result", tc.header)
		}
		want := apptest.BaseURL + tc.want + "warnings/" + itoa(l.Data[0].ID)
		if l.Data[0].Type != "warning" || l.Data[0].URL != want {
			t.Errorf("Accept-Language %q: first result %s %q, want %q", tc.header, l.Data[0].Type, l.Data[0].URL, want)
			continue
		}
		wantStatus(t, e.Get(t, strings.TrimPrefix(l.Data[0].URL, apptest.BaseURL)), http.StatusOK)
	}

	// Contacts come first, marked.
	list = decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q="+url.QueryEscape("+44 7700 900123")))
	if len(list.Data) == 0 || !list.Data[0].Contact || list.Data[0].ID != c.ids["eurojobs"] {
		t.Errorf("contact query: %+v", list.Data)
	}

	// Replies link into their thread; experiences filter.
	list = decode[v1.SearchList](t, e.Get(t, "/api/v1/search?type=experience&q=whatsapp"))
	if len(list.Data) != 1 || list.Data[0].Type != "reply" || list.Data[0].ReportID == nil || *list.Data[0].ReportID != c.ids["insta"] ||
		!strings.HasSuffix(list.Data[0].URL, "#reply-"+itoa(c.ids["insta-reply"])) {
		t.Errorf("reply result: %+v", list.Data)
	}

	// Snippets are escaped HTML with marks only.
	list = decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q=fastvisa"))
	if len(list.Data) != 1 {
		t.Fatalf("fastvisa: %+v", list.Data)
	}
	mustContain(t, list.Data[0].SnippetHTML, "@<mark>fastvisa</mark>_agency")

	// Pages: a cursor, a Link header, no repeats.
	p1 := e.Get(t, "/api/v1/search?q=passport&limit=1")
	l1 := decode[v1.SearchList](t, p1)
	if l1.NextCursor == nil || !strings.Contains(p1.Header.Get("Link"), `rel="next"`) {
		t.Fatalf("no next page: %+v %q", l1, p1.Header.Get("Link"))
	}
	l2 := decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q=passport&limit=1&cursor="+*l1.NextCursor))
	if len(l2.Data) != 1 || l2.Data[0].ID == l1.Data[0].ID && l2.Data[0].Type == l1.Data[0].Type {
		t.Errorf("second page: %+v after %+v", l2.Data, l1.Data)
	}

	// An empty query finds nothing, without an error.
	if l := decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q=")); len(l.Data) != 0 {
		t.Errorf("empty query: %+v", l.Data)
	}
	if l := decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q=%20%22%2A")); len(l.Data) != 0 {
		t.Errorf("query of symbols: %+v", l.Data)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSearchBadInput(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.Titled("Chauffeur jobs in Poland for a fee"))
	plain := []string{
		`"`, `""`, `"chauffeur`, `chauffeur"`, `*`, `chauff*`, `NEAR`, `NEAR(a b)`, `a OR b`, `OR`, `AND`, `NOT`, `:`, `title:x`, `^`,
		`^chauffeur`, `-`, `-chauffeur`, `--`, `'`, `''`, `';--`, `' OR 1=1 --`, `%`, `_`, `\`, `\\'`, `$1`, `?`, `(`, `)`, `))`, `&`, `|`, `!`,
		`<script>alert(1)</script>`, "\x00", "chauffeur\x00", "a\u202eb", strings.Repeat("é", 200), strings.Repeat("ж", 200), strings.Repeat("ع", 200), strings.Repeat("a ", 100),
		`'chauffeur':* & x`, `chauffeur:*`, `{}`, `[]`, `@`, `+`, `#`, `~`, `"a" "b`, `NEAR/2`, `a:b:c`, `*a*`,
	}
	for _, q := range plain {
		r := e.Get(t, "/api/v1/search?q="+url.QueryEscape(q))
		if r.StatusCode != http.StatusOK {
			t.Errorf("q=%q: %d %.200s", q, r.StatusCode, r.Body)
		}
	}
	for _, q := range []string{`"chauffeur`, `chauffeur*`, `^chauffeur`, `-chauffeur`, `chauffeur'`, `(chauffeur`, "chauffeur\x00"} {
		l := decode[v1.SearchList](t, e.Get(t, "/api/v1/search?q="+url.QueryEscape(q)))
		if len(l.Data) != 1 {
			t.Errorf("q=%q finds %d results; the symbols should be read as spaces", q, len(l.Data))
		}
	}
	// Text that is not UTF-8 is refused with a localised 400, as in any
	// query of this server.
	for _, q := range []string{"\xff\xfe", "\xc3", "chauffeur\xff"} {
		r := e.Get(t, "/api/v1/search?q="+url.QueryEscape(q), "Accept-Language", "uk")
		wantStatus(t, r, http.StatusBadRequest)
		mustContain(t, r.Header.Get("Content-Type"), "application/problem+json")
	}
	long := strings.Repeat("é", 201)
	r := e.Get(t, "/api/v1/search?q="+url.QueryEscape(long), "Accept-Language", "fr")
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.Header.Get("Content-Type"), "application/problem+json")
	mustContain(t, r.Body, "search.too_long", "200 caractères")
	huge := e.Get(t, "/api/v1/search?q="+strings.Repeat("x", 6000))
	if huge.StatusCode >= 500 || huge.StatusCode == http.StatusOK {
		t.Errorf("a 6,000-character query: %d", huge.StatusCode)
	}
	for _, bad := range []string{"type=foo", "country=ZZ", "category=nope", "cursor=abc", "cursor=-1", "cursor=99999", "limit=0", "limit=51", "limit=x", "lang=xx", "type=warning%00"} {
		r := e.Get(t, "/api/v1/search?q=chauffeur&"+bad)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %.200s", bad, r.StatusCode, r.Body)
		}
	}
	// Queries are neither logged nor stored.
	secret := "Zyxwvutsecretquery"
	e.Get(t, "/api/v1/search?q="+secret)
	if strings.Contains(e.Log.String(), secret) {
		t.Error("the query is in the log")
	}
	if found := e.StoredContaining(t, secret); len(found) > 0 {
		t.Errorf("the query is stored in %v", found)
	}
}
