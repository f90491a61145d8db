package server_test

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/i18n"
	"forewarn/app/web/devguide"
	"forewarn/locales"
)

var devguideBlock = regexp.MustCompile(`(?s)<pre class="devguide-code" tabindex="0" id="verify-([a-z]+)"><code>(.*?)</code></pre>`)

func TestDevelopersGuideInEveryLanguage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	catalog, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	english := catalog.Localizer("en")
	langs := catalog.Languages()
	if len(langs) < 8 {
		t.Fatalf("%d languages, want the 8 shipped ones at least", len(langs))
	}
	for _, lang := range langs {
		l := catalog.Localizer(lang.Code)
		r := e.Get(t, "/"+lang.Code+"/developers")
		wantStatus(t, r, http.StatusOK)
		body := html.UnescapeString(r.Body)
		mustContain(t, body, `<html lang="`+lang.Tag+`" dir="`+lang.Dir()+`">`,
			"<title>"+l.T("page.developers.title")+" · Forewarn</title>",
			"<h1>"+l.T("page.developers.heading")+"</h1>",
			l.T("page.developers.contents"), `href="/api/v1/openapi.json"`,
			// The English body is marked so, and runs left to right in
			// right-to-left pages.
			`<div class="devguide-en" lang="en" dir="ltr">`)
		for _, key := range []string{"keys", "sync", "submit", "webhooks", "verify", "limits", "privacy"} {
			mustContain(t, body, `<a href="#`+key+`">`+l.T("page.developers."+key)+"</a>", `<h2 id="`+key+`-h">`+l.T("page.developers."+key)+"</h2>")
		}
		if lang.Code == "en" {
			mustNotContain(t, body, l.T("page.developers.english_note"))
			continue
		}
		// Chrome, title, headings and the note are translated.
		mustContain(t, body, l.T("page.developers.english_note"))
		for _, key := range []string{"title", "heading", "english_note", "contents", "keys", "sync", "privacy"} {
			if l.T("page.developers."+key) == english.T("page.developers."+key) {
				t.Errorf("%s: page.developers.%s is the English text", lang.Code, key)
			}
		}
		mustNotContain(t, body, "<h1>"+english.T("page.developers.heading")+"</h1>", english.T("nav.safety"))
	}
}

func TestDevelopersGuideShowsTheTestedExamplesVerbatim(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, lang := range []string{"en", "ar"} {
		r := e.Get(t, "/"+lang+"/developers")
		wantStatus(t, r, http.StatusOK)
		shown := map[string]string{}
		for _, m := range devguideBlock.FindAllStringSubmatch(r.Body, -1) {
			shown[m[1]] = html.UnescapeString(m[2])
		}
		for name, file := range map[string]string{"go": devguide.Go, "python": devguide.Python, "javascript": devguide.JavaScript} {
			if len(file) < 200 {
				t.Fatalf("the %s example is %d bytes: not embedded?", name, len(file))
			}
			if shown[name] != file {
				t.Errorf("%s: the %s example on the page is not the tested file:\n%s", lang, name, shown[name])
			}
		}
		// The key's rate limit shown is the real default.
		mustContain(t, html.UnescapeString(r.Body), `RateLimit-Policy: "key";q=120;w=60`)
	}
}

func TestDevelopersGuideIsCompressedAndCachedLikePublicPages(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	safety := e.Get(t, "/fr/safety", "Accept-Encoding", "gzip")
	r := e.Get(t, "/fr/developers", "Accept-Encoding", "gzip")
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", got)
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`id="verify-go"`)) {
		t.Error("the gzip'd page is not the guide")
	}
	t.Logf("guide: %d bytes, %d gzip'd", len(raw), len(r.Body))
	for _, h := range []string{"Cache-Control", "Vary", "Content-Security-Policy"} {
		if got, want := r.Header.Get(h), safety.Header.Get(h); got != want || got == "" {
			t.Errorf("%s %q, want %q as on the safety page", h, got, want)
		}
	}
	if len(r.Header.Values("Set-Cookie")) > 0 {
		t.Errorf("a visitor gets a cookie: %v", r.Header.Values("Set-Cookie"))
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	wantStatus(t, e.Get(t, "/fr/developers", "Accept-Encoding", "gzip", "If-None-Match", etag), http.StatusNotModified)
}

func TestDevelopersGuideIsLinked(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, path := range []string{"/uk/safety", "/uk/warnings", "/uk/developers"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r.Body, `<footer class="foot">`)
		if _, foot, _ := strings.Cut(r.Body, `<footer class="foot">`); !strings.Contains(foot, `href="/uk/developers"`) {
			t.Errorf("%s: the footer does not link the guide", path)
		}
	}
	doc := e.Get(t, "/api/v1/openapi.json")
	wantStatus(t, doc, http.StatusOK)
	info := decode[struct {
		Info struct{ Description string } `json:"info"`
	}](t, doc)
	if !strings.Contains(info.Info.Description, "(/en/developers)") {
		t.Error("the OpenAPI document's info.description does not link the guide")
	}
}
