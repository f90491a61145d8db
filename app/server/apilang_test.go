package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
)

func langsOf(ts *[]v1.Translation) []string {
	if ts == nil {
		return nil
	}
	var out []string
	for _, t := range *ts {
		out = append(out, t.Lang)
	}
	return out
}

func TestAPIAllTranslationsAtOnce(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Driver job"), apptest.TranslatedInto("uk", "fr"))
	detail := fmt.Sprintf("/api/v1/warnings/%d", id)

	all := e.Get(t, detail+"?lang=*")
	w := decode[v1.Warning](t, all)
	if got := strings.Join(langsOf(w.Translations), ","); got != "en,fr,uk" {
		t.Fatalf("lang=*: translations %q, want en,fr,uk", got)
	}
	for _, tr := range *w.Translations {
		if tr.Body == nil || tr.BodyHTML == nil || tr.WhatToDoNow == nil || !strings.Contains(*tr.BodyHTML, "<strong>") {
			t.Errorf("lang=* %s: not complete: %+v", tr.Lang, tr)
		}
		if tr.Lang == "uk" && (tr.Title != "[uk] Driver job" || !strings.HasPrefix(*tr.Body, "[uk] ")) {
			t.Errorf("uk translation %+v", tr)
		}
	}
	if cl := all.Header.Get("Content-Language"); cl != "en, fr, uk" {
		t.Errorf("lang=* Content-Language %q", cl)
	}

	some := decode[v1.Warning](t, e.Get(t, detail+"?lang="+url.QueryEscape("uk-UA,en,ro,uk")))
	if got := strings.Join(langsOf(some.Translations), ","); got != "en,uk" || some.Lang != "uk" || some.Title != "[uk] Driver job" {
		t.Errorf("lang=uk-UA,en,ro,uk: main %s %q, translations %q; want uk and en,uk", some.Lang, some.Title, got)
	}
	none := e.Get(t, detail+"?lang=ro,nl")
	nw := decode[v1.Warning](t, none)
	if nw.Translations == nil || len(*nw.Translations) != 0 || nw.Lang != "en" || nw.Translated {
		t.Errorf("lang=ro,nl: %+v", nw)
	}
	if strings.Contains(none.Body, `"translations":null`) || !strings.Contains(none.Body, `"translations":[]`) {
		t.Errorf("lang=ro,nl: translations not an empty array")
	}
	single := decode[v1.Warning](t, e.Get(t, detail+"?lang=uk"))
	if single.Translations != nil || strings.Contains(e.Get(t, detail).Body, "translations") {
		t.Error("translations sent without lang=* or a list")
	}

	list := e.Get(t, "/api/v1/warnings?lang=*")
	lw := decode[v1.WarningList](t, list)
	if len(lw.Data) != 1 || strings.Join(langsOf(lw.Data[0].Translations), ",") != "en,fr,uk" {
		t.Fatalf("list lang=*: %+v", lw.Data)
	}
	if tr := (*lw.Data[0].Translations)[2]; tr.Title != "[uk] Driver job" || tr.Body != nil {
		t.Errorf("list translation %+v: want title and summary only", tr)
	}
	fr := decode[v1.WarningList](t, e.Get(t, "/api/v1/warnings?lang=fr,uk"))
	if strings.Join(langsOf(fr.Data[0].Translations), ",") != "fr,uk" || fr.Data[0].Lang != "fr" {
		t.Errorf("list lang=fr,uk: %+v", fr.Data[0])
	}
}

func TestAPIAcceptLanguageAndContentLanguage(t *testing.T) {
	t.Parallel()
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
			t.Parallel()
			e := apptest.New(t)
			if cached {
				e = cachedEnv(t)
			}
			id := e.Warning(t, apptest.Titled("Driver job"), apptest.TranslatedInto("uk"))
			for _, tc := range []struct {
				path, accept, lang, title, contentLang string
			}{
				{"/api/v1/warnings/%d", "uk-UA, en;q=0.5", "uk", "[uk] Driver job", "uk"},
				{"/api/v1/warnings/%d", "fr;q=0.9, uk;q=0.1", "en", "Driver job", "en"},
				{"/api/v1/warnings/%d", "", "en", "Driver job", "en"},
				{"/api/v1/warnings/%d?lang=en", "uk", "en", "Driver job", "en"},
				{"/api/v1/warnings/%d", "garbage;;q=x", "en", "Driver job", "en"},
			} {
				path := fmt.Sprintf(tc.path, id)
				var r apptest.Response
				for range 2 { // the second may come from the cache
					r = e.Get(t, path, "Accept-Language", tc.accept)
				}
				w := decode[v1.Warning](t, r)
				if w.Lang != tc.lang || w.Title != tc.title || r.Header.Get("Content-Language") != tc.contentLang {
					t.Errorf("%s Accept-Language %q: %s %q, Content-Language %q; want %s %q, %s", path, tc.accept, w.Lang, w.Title, r.Header.Get("Content-Language"), tc.lang, tc.title, tc.contentLang)
				}
				if !strings.Contains(r.Header.Get("Vary"), "Accept-Language") {
					t.Errorf("%s: Vary %q", path, r.Header.Get("Vary"))
				}
			}
			r := e.Get(t, "/api/v1/warnings", "Accept-Language", "uk")
			if l := decode[v1.WarningList](t, r); l.Data[0].Title != "[uk] Driver job" || r.Header.Get("Content-Language") != "uk" {
				t.Errorf("list in uk: %q, Content-Language %q", l.Data[0].Title, r.Header.Get("Content-Language"))
			}
			empty := e.Get(t, "/api/v1/warnings?country=NP&lang=fr")
			if empty.Header.Get("Content-Language") != "fr" {
				t.Errorf("empty list Content-Language %q", empty.Header.Get("Content-Language"))
			}
		})
	}
}

func TestAPIUnknownLanguagesAre400(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t)
	for _, q := range []string{"xx", "en,xx", "*,en", "en,", ",", "en;q=1", "e%C3%A9", strings.TrimSuffix(strings.Repeat("en,", 17), ",")} {
		for _, path := range []string{"/api/v1/warnings?lang=" + q, fmt.Sprintf("/api/v1/warnings/%d?lang=%s", id, q)} {
			p := wantProblemDoc(t, e.Get(t, path), http.StatusBadRequest)
			if len(p.Errors) == 0 || p.Errors[0].Field != "lang" || p.Errors[0].Message == "" {
				t.Errorf("%s: %+v, want an error naming lang", path, p)
			}
		}
	}
}
