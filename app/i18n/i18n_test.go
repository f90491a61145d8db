package i18n_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/locales"
)

func load(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}
	return c
}

func forms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for k, v := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

func isPlural(m *goi18n.Message) bool {
	f := forms(m)
	return len(f) > 1 || (len(f) == 1 && f["other"] == "")
}

func TestEveryLocaleHasEveryKey(t *testing.T) {
	c := load(t)
	en := c.Messages("en")
	if len(en) < 100 {
		t.Fatalf("English has only %d messages", len(en))
	}
	placeholder := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	for _, lang := range c.Languages() {
		msgs := c.Messages(lang.Code)
		for id, src := range en {
			m, ok := msgs[id]
			if !ok {
				t.Errorf("%s lacks %s", lang.Code, id)
				continue
			}
			if m.Other == "" {
				t.Errorf("%s: %s is empty", lang.Code, id)
			}
			if lang.Code != "en" && !isPlural(src) && m.Other == src.Other && len(placeholder.ReplaceAllString(src.Other, "")) > 12 {
				t.Errorf("%s: %s is a copy of the English", lang.Code, id)
			}
			if !isPlural(src) {
				for _, p := range placeholder.FindAllStringSubmatch(src.Other, -1) {
					if !strings.Contains(m.Other, "{{."+p[1]+"}}") {
						t.Errorf("%s: %s lacks the placeholder {{.%s}}", lang.Code, id, p[1])
					}
				}
			}
		}
		for id := range msgs {
			if _, ok := en[id]; !ok {
				t.Errorf("%s has %s, which English lacks", lang.Code, id)
			}
		}
	}
}

func TestPluralsRenderForEveryCount(t *testing.T) {
	c := load(t)
	var plurals []string
	for id, m := range c.Messages("en") {
		if isPlural(m) {
			plurals = append(plurals, id)
		}
	}
	if len(plurals) == 0 {
		t.Fatal("no plural messages")
	}
	for _, lang := range c.Languages() {
		l := c.Localizer(lang.Code)
		for _, id := range plurals {
			for _, n := range []int{0, 1, 2, 3, 5, 11, 21, 101, 1000000} {
				got := l.TN(id, n)
				if got == "" || got == id || strings.Contains(got, "{{") {
					t.Errorf("%s: %s for %d renders %q", lang.Code, id, n, got)
				}
			}
		}
	}
	if got := c.Localizer("en").TN("warning.days_left", 1); got != "1 day left" {
		t.Errorf("en one: %q", got)
	}
	if got := c.Localizer("en").TN("warning.days_left", 5); got != "5 days left" {
		t.Errorf("en other: %q", got)
	}
}

// usedKeys finds the message IDs that templates and Go code name literally.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	root := filepath.Join("..", "..")
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\.TN? "([a-z0-9_.-]+)"`),
		regexp.MustCompile(`\bTN?\("([a-z0-9_.-]+)"`),
		regexp.MustCompile(`Key: +"([a-z0-9_.-]+)"`),
		regexp.MustCompile(`Key(?:, [a-zA-Z.]+)* = "([a-z]+\.[a-z0-9_.-]+)"`),
		regexp.MustCompile(`"(error\.[a-z0-9_.-]+)"`),
		regexp.MustCompile(`"((?:page|mod|nav|form|report|flag|warning|role)\.[a-z0-9_]+\.[a-z0-9_.-]+)"`),
	}
	used := map[string]string{}
	err := filepath.WalkDir(filepath.Join(root, "app"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(string(data), -1) {
				if strings.HasSuffix(m[1], ".") {
					continue // a prefix completed at run time; see the enum checks
				}
				used[m[1]] = path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func TestEveryUsedKeyExists(t *testing.T) {
	c := load(t)
	en := c.Messages("en")
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d used keys; the scanner is broken", len(used))
	}
	for id, where := range used {
		if _, ok := en[id]; !ok {
			t.Errorf("%s uses %s, which English lacks", where, id)
		}
	}
	// Keys built from enums in templates.
	var dynamic []string
	for _, s := range model.Severities {
		dynamic = append(dynamic, "severity."+string(s))
	}
	for _, r := range []model.CountryRole{model.CountryOrigin, model.CountryTransit, model.CountryDestination} {
		dynamic = append(dynamic, "country_role."+string(r))
	}
	for _, k := range []model.IndicatorKind{model.IndicatorPhone, model.IndicatorEmail, model.IndicatorLink, model.IndicatorSocial, model.IndicatorCompany, model.IndicatorBankAccount} {
		dynamic = append(dynamic, "indicator."+string(k), "error.indicator."+string(k))
	}
	for _, id := range dynamic {
		if _, ok := en[id]; !ok {
			t.Errorf("English lacks %s", id)
		}
	}
}

func TestMatchAndDirection(t *testing.T) {
	c := load(t)
	for _, tc := range []struct{ in, want string }{
		{"fr-CA", "fr"}, {"ar-MA", "ar"}, {"fa-IR", "fa"}, {"uk-UA,ru;q=0.5", "uk"},
		{"nl-BE", "nl"}, {"es-419", "es"}, {"ro-MD", "ro"}, {"de", "en"}, {"", "en"}, {"!!", "en"},
	} {
		if got := c.Match(tc.in).Code; got != tc.want {
			t.Errorf("Match(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for code, dir := range map[string]string{"ar": "rtl", "fa": "rtl", "en": "ltr", "uk": "ltr"} {
		l, ok := c.Lookup(code)
		if !ok || l.Dir() != dir {
			t.Errorf("%s: dir %s, want %s", code, l.Dir(), dir)
		}
	}
	for lang, dir := range map[string]string{"ar": "rtl", "fa-AF": "rtl", "ps": "rtl", "ur": "rtl", "he": "rtl", "es": "ltr", "uk": "ltr", "ro": "ltr", "": "ltr", "!": "ltr"} {
		if got := i18n.Direction(lang); got != dir {
			t.Errorf("Direction(%q) = %s, want %s", lang, got, dir)
		}
	}
	if got := c.Localizer("fr").Country("DE"); got != "Allemagne" {
		t.Errorf("French name of DE: %q", got)
	}
}

// TestLanguageTags is the table of the one language-tag parser: what a
// form, a URL prefix or an API client may give, and what it reads as.
func TestLanguageTags(t *testing.T) {
	for _, tc := range []struct {
		in     string
		base   string // "" when refused
		prefix bool   // IsLanguageTag
	}{
		{"fr", "fr", true},
		{"fr-CA", "fr", true},
		{"FR-ca", "fr", true},
		{"es-419", "es", true},
		{"fa-AF", "fa", true},
		{"zh-Hant-TW", "zh", true},
		{"sr-Latn", "sr", true},
		{"ps", "ps", true},
		{"", "", false},
		{"!!", "", false},
		{"f", "", false},
		{"favicon.ico", "", false},
		{"fr.CA", "", false},
		{"x-private", "", true}, // a tag, but no language to read content in
		{"fr-CA-" + strings.Repeat("a", 40), "", false},
		{strings.Repeat("en-", 100) + "GB", "", false},
		{"fr\xff", "", false},
		{"\xc3", "", false},
		{"fr\x00", "", false},
		{"français", "", false},
	} {
		base, ok := i18n.BaseLanguage(tc.in)
		if base != tc.base || ok != (tc.base != "") {
			t.Errorf("BaseLanguage(%q) = %q, %v; want %q", tc.in, base, ok, tc.base)
		}
		if got := i18n.IsLanguageTag(tc.in); got != tc.prefix {
			t.Errorf("IsLanguageTag(%q) = %v, want %v", tc.in, got, tc.prefix)
		}
	}
}
