package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSearchPage(t *testing.T) {
	t.Parallel()
	c := newSearchCorpus(t)
	e := c.e
	r := e.Get(t, "/en/search?q="+url.QueryEscape("Euro-Jobs"))
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Set-Cookie") != "" {
		t.Error("the search page sets a cookie")
	}
	mustContain(t, r.Body, `<mark>Euro</mark> <mark>Jobs</mark>`, `role="search"`, `value="Euro-Jobs"`, "/en/warnings/")
	// Another language than the reader's is named.
	fr := e.Get(t, "/en/search?q=arnaque")
	mustContain(t, fr.Body, "<mark>arnaque</mark>", "French", `lang="fr"`)
	// Escaped: a query with markup is text.
	x := e.Get(t, "/en/search?q="+url.QueryEscape(`<script>alert(1)</script>`))
	wantStatus(t, x, http.StatusOK)
	mustNotContain(t, x.Body, "<script>alert(1)</script>")
	mustContain(t, x.Body, "Nothing found", "/en/check")
	// Empty: suggestions and the latest warnings, not an error.
	empty := e.Get(t, "/uk/search")
	wantStatus(t, empty, http.StatusOK)
	mustContain(t, empty.Body, "Що можна шукати", "Найновіші попередження")
	// No match: says so, offers the check and the latest warnings of the country.
	none := e.Get(t, "/fr/search?q=zzzqqqxx&country=PL")
	wantStatus(t, none, http.StatusOK)
	mustContain(t, none.Body, "Aucun résultat", "/fr/check", "Dernières alertes")
	// Arabic, right to left.
	ar := e.Get(t, "/ar/search?q="+url.QueryEscape("أجور"))
	wantStatus(t, ar, http.StatusOK)
	mustContain(t, ar.Body, `dir="rtl"`, "<mark>")
	// Bad filters: a localised 400 page.
	bad := e.Get(t, "/fr/search?q=x&type=nope")
	wantStatus(t, bad, http.StatusBadRequest)
	long := e.Get(t, "/fr/search?q="+strings.Repeat("a", 201))
	wantStatus(t, long, http.StatusBadRequest)
	mustContain(t, long.Body, "200 caractères")
	// Pages.
	p1 := e.Get(t, "/en/search?q=passport&type=warning")
	wantStatus(t, p1, http.StatusOK)
	// The field is on the lists and the home page.
	for _, path := range []string{"/en/", "/en/warnings", "/en/reports"} {
		mustContain(t, e.Get(t, path).Body, `action="/en/search"`)
	}
	mustContain(t, e.Get(t, "/en/warnings").Body, `name="type" value="warning"`)
}
