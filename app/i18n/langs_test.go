package i18n_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"forewarn/app/i18n"
	"forewarn/app/i18n/cldrdata"
	"forewarn/app/service"
)

// twenty are the interface languages in their order.
var twenty = []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa", "ru", "bg", "pl", "pt", "sq", "tr", "vi", "zh", "ti", "so", "ps", "ur"}

func TestTwentyLanguagesShip(t *testing.T) {
	c := load(t)
	var codes, rtl []string
	for _, l := range c.Languages() {
		codes = append(codes, l.Code)
		if l.RTL {
			rtl = append(rtl, l.Code)
		}
		if l.Name == "" || l.Name == l.Code {
			t.Errorf("%s has no name of its own: %q", l.Code, l.Name)
		}
		if d := c.Localizer(l.Code).Date(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)); !strings.ContainsAny(d, "14١٤۱۴") {
			t.Errorf("%s: date %q", l.Code, d)
		}
	}
	if !slices.Equal(codes, twenty) {
		t.Errorf("shipped %v, want %v", codes, twenty)
	}
	if want := []string{"ar", "fa", "ps", "ur"}; !slices.Equal(rtl, want) {
		t.Errorf("right to left: %v, want %v", rtl, want)
	}
	zh, _ := c.Lookup("zh")
	if zh.Tag != "zh-Hans" || zh.Name != "简体中文" {
		t.Errorf("zh: tag %q, name %q", zh.Tag, zh.Name)
	}
	if pt, _ := c.Lookup("pt"); pt.Tag != "pt" {
		t.Errorf("pt: tag %q", pt.Tag)
	}
	if _, ok := c.Lookup("zh-Hans"); ok {
		t.Error("zh-Hans is a code; the code is zh")
	}
}

// runtimeCategories finds the plural categories go-i18n (the runtime)
// chooses for lang, by asking it for a message that has all six forms,
// for whole numbers and decimals.
func runtimeCategories(t *testing.T, lang string) []string {
	t.Helper()
	tag := language.MustParse(lang)
	b := goi18n.NewBundle(language.English)
	if err := b.AddMessages(tag, &goi18n.Message{ID: "p", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}); err != nil {
		t.Fatal(err)
	}
	loc := goi18n.NewLocalizer(b, lang)
	seen := map[string]bool{}
	var counts []any
	for n := 0; n <= 1100; n++ {
		counts = append(counts, n)
	}
	counts = append(counts, 1000000, 2000000, 1000001, "0.5", "1.5", "2.5", "3.5", "5.5", "10.5", "1.0", "2.0", "0.0", "1.25")
	for _, n := range counts {
		out, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: "p", PluralCount: n})
		if err != nil {
			t.Fatalf("%s %v: %v", lang, n, err)
		}
		seen[out] = true
	}
	var cats []string
	for _, c := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[c] {
			cats = append(cats, c)
		}
	}
	return cats
}

// runtimeOverCLDR are the languages whose plural categories in go-i18n
// (v2.7.0, internal/plural/rule_gen.go) differ from CLDR 41 as Debian
// packages it (cldrdata). The runtime decides which form a reader sees,
// so the locale files follow it: go-i18n gives Vietnamese "one" (its rule
// for vi is i = 1 and v = 0) where CLDR's cardinal rules give "other" only.
var runtimeOverCLDR = map[string][]string{"vi": {"one", "other"}}

// wantCategories are the plural categories a locale file must have for lang.
func wantCategories(t *testing.T, lang string) []string {
	t.Helper()
	if cats, ok := runtimeOverCLDR[lang]; ok {
		return cats
	}
	cats := cldrdata.PluralCategories(lang)
	if cats == nil {
		t.Fatalf("no CLDR plural categories for %s", lang)
	}
	return cats
}

func TestPluralCategoriesOfCLDRAndTheRuntime(t *testing.T) {
	for _, lang := range twenty {
		cldr := cldrdata.PluralCategories(lang)
		got := runtimeCategories(t, lang)
		want, diverges := runtimeOverCLDR[lang]
		if !diverges {
			want = cldr
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: go-i18n chooses %v; CLDR %s has %v (documented divergence: %v)", lang, got, cldrdata.Version, cldr, diverges)
		}
		if diverges && slices.Equal(got, cldr) {
			t.Errorf("%s: go-i18n now agrees with CLDR (%v): drop it from runtimeOverCLDR", lang, cldr)
		}
	}
	for lang, want := range map[string][]string{
		"ru": {"one", "few", "many", "other"}, "pl": {"one", "few", "many", "other"}, "uk": {"one", "few", "many", "other"},
		"pt": {"one", "many", "other"}, "zh": {"other"}, "ar": {"zero", "one", "two", "few", "many", "other"},
		"bg": {"one", "other"}, "ti": {"one", "other"}, "ur": {"one", "other"},
	} {
		if got := cldrdata.PluralCategories(lang); !slices.Equal(got, want) {
			t.Errorf("CLDR table: %s has %v, want %v", lang, got, want)
		}
	}
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryLocaleMatchesEnglish checks, for every shipped locale and every
// English key: the key exists; a plural message has exactly the plural
// forms of the language's CLDR categories, and a plain one only "other";
// every form names the same placeholders as the English (a form for one
// exact number, zero, one or two, may leave out the count it spells).
func TestEveryLocaleMatchesEnglish(t *testing.T) {
	c := load(t)
	en := c.Messages("en")
	for _, lang := range c.Languages() {
		want := wantCategories(t, lang.Code)
		msgs := c.Messages(lang.Code)
		for id, src := range en {
			m, ok := msgs[id]
			if !ok {
				t.Errorf("%s lacks %s", lang.Code, id)
				continue
			}
			var srcPH []string
			for _, f := range forms(src) {
				for _, p := range placeholders(f) {
					if !slices.Contains(srcPH, p) {
						srcPH = append(srcPH, p)
					}
				}
			}
			slices.Sort(srcPH)
			got := forms(m)
			var cats []string
			for _, cat := range []string{"zero", "one", "two", "few", "many", "other"} {
				if _, ok := got[cat]; ok {
					cats = append(cats, cat)
				}
			}
			if isPlural(src) && !slices.Equal(cats, want) {
				t.Errorf("%s: %s has the forms %v, want %v", lang.Code, id, cats, want)
			}
			if !isPlural(src) && !slices.Equal(cats, []string{"other"}) {
				t.Errorf("%s: %s is not plural in English but has %v", lang.Code, id, cats)
			}
			for cat, text := range got {
				have := placeholders(text)
				wantPH := srcPH
				if cat == "zero" || cat == "one" || cat == "two" {
					if !slices.Contains(have, "Count") {
						wantPH = slices.DeleteFunc(slices.Clone(srcPH), func(p string) bool { return p == "Count" })
					}
				}
				if !slices.Equal(have, wantPH) {
					t.Errorf("%s: %s (%s) has the placeholders %v, English %v", lang.Code, id, cat, have, wantPH)
				}
			}
		}
	}
}

// isLatin reports whether a language is written in the Latin script.
func isLatin(tag string) bool {
	s, _ := language.MustParse(tag).Script()
	return s.String() == "Latn"
}

// TestNamesInEveryLanguage checks that every country a form offers and
// every content language has a name of its own in each interface
// language: never empty, never the bare code, never English in a language
// that is not written in Latin letters, and mostly not English in one
// that is (many names are spelled alike: "Canada" in French).
func TestNamesInEveryLanguage(t *testing.T) {
	c := load(t)
	en := c.Localizer("en")
	langs := append(service.ContentLanguages(), twenty...)
	for _, lang := range c.Languages() {
		l := c.Localizer(lang.Code)
		var sameCountry, sameLang int
		for _, code := range service.AllCountries() {
			name := l.Country(code)
			if name == "" || name == code {
				t.Errorf("%s: no name for the country %s", lang.Code, code)
			}
			if lang.Code != "en" && name == en.Country(code) {
				sameCountry++
				if !isLatin(lang.Tag) {
					t.Errorf("%s: the country %s is named in English, %q", lang.Code, code, name)
				}
			}
			if cldrdata.HasNames(lang.Code) {
				if _, ok := cldrdata.Region(lang.Code, code); !ok {
					t.Errorf("%s: the CLDR table lacks the country %s", lang.Code, code)
				}
			}
		}
		for _, code := range langs {
			name := l.LanguageName(code)
			if name == "" || name == code {
				t.Errorf("%s: no name for the language %s", lang.Code, code)
			}
			if lang.Code != "en" && name == en.LanguageName(code) {
				sameLang++
				if !isLatin(lang.Tag) {
					t.Errorf("%s: the language %s is named in English, %q", lang.Code, code, name)
				}
			}
		}
		if lang.Code != "en" && (sameCountry > len(service.AllCountries())*3/4 || sameLang > len(langs)/2) {
			t.Errorf("%s: %d country names and %d language names are the English ones: a fallback?", lang.Code, sameCountry, sameLang)
		}
	}
	for _, tc := range []struct{ lang, country, want string }{
		{"ti", "ER", "ኤርትራ"}, {"ti", "ET", "ኢትዮጵያ"}, {"so", "SO", "Soomaaliya"}, {"so", "XK", "Koosofo"}, {"ps", "AF", "افغانستان"},
		{"ur", "PK", "پاکستان"}, {"zh", "DE", "德国"}, {"vi", "DE", "Đức"}, {"ru", "DE", "Германия"}, {"pt", "DE", "Alemanha"},
		{"sq", "AL", "Shqipëri"}, {"tr", "TR", "Türkiye"}, {"bg", "BG", "България"}, {"pl", "PL", "Polska"},
	} {
		if got := c.Localizer(tc.lang).Country(tc.country); got != tc.want {
			t.Errorf("%s name of %s: %q, want %q", tc.lang, tc.country, got, tc.want)
		}
	}
	for _, tc := range []struct{ lang, code, want string }{
		{"ti", "ti", "ትግርኛ"}, {"so", "so", "Soomaali"}, {"ps", "ur", "اردو"}, {"so", "ps", "Bashtuu"}, {"ti", "zh", "ቻይንኛ"},
	} {
		if got := c.Localizer(tc.lang).LanguageName(tc.code); got != tc.want {
			t.Errorf("%s name of the language %s: %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}

func TestDigitsAndListSeparators(t *testing.T) {
	c := load(t)
	for _, tc := range []struct{ lang, number, sep string }{
		{"en", "1,234,567", ", "}, {"fa", "۱٬۲۳۴٬۵۶۷", "، "}, {"ps", "۱٬۲۳۴٬۵۶۷", "، "}, {"ur", "1,234,567", "، "},
		{"ar", "1,234,567", "، "}, {"zh", "1,234,567", "、"}, {"ti", "1,234,567", "፣ "}, {"vi", "1.234.567", ", "},
		{"ru", "1\u00a0234\u00a0567", ", "}, {"pt", "1.234.567", ", "},
	} {
		l := c.Localizer(tc.lang)
		if got := l.Number(1234567); got != tc.number {
			t.Errorf("%s: 1234567 is %q, want %q", tc.lang, got, tc.number)
		}
		if got := l.ListSeparator(); got != tc.sep {
			t.Errorf("%s: list separator %q, want %q", tc.lang, got, tc.sep)
		}
	}
	ps := c.Localizer("ps").Date(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	if strings.ContainsFunc(ps, func(r rune) bool { return r < 0x80 && unicode.IsDigit(r) }) || !strings.Contains(ps, "۱۴") {
		t.Errorf("ps date %q is not written in Extended Arabic-Indic digits", ps)
	}
}

func TestPrefixesAndAcceptLanguageChooseAmongTwenty(t *testing.T) {
	c := load(t)
	for _, tc := range []struct{ in, want string }{
		{"pt-BR", "pt"}, {"pt-PT", "pt"}, {"zh-CN", "zh"}, {"zh-TW", "zh"}, {"zh-Hant", "zh"}, {"zh-Hans", "zh"},
		{"prs", "fa"}, {"prs-AF", "fa"}, {"ur-PK", "ur"}, {"ti-ER", "ti"}, {"ps-AF", "ps"}, {"so-SO", "so"},
		{"ru-RU", "ru"}, {"bg", "bg"}, {"pl-PL", "pl"}, {"sq-XK", "sq"}, {"tr-TR", "tr"}, {"vi-VN", "vi"},
		{"de-DE,ru;q=0.8", "ru"}, {"am", "en"}, {"de", "en"},
	} {
		if got := c.Match(tc.in).Code; got != tc.want {
			t.Errorf("Match(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("a", 10000)
	for _, tc := range []struct {
		in   string
		want string
		kind i18n.Prefix
	}{
		{"pt", "pt", i18n.PrefixShipped}, {"zh", "zh", i18n.PrefixShipped},
		{"pt-BR", "pt", i18n.PrefixClose}, {"zh-CN", "zh", i18n.PrefixClose}, {"zh-Hans", "zh", i18n.PrefixClose},
		{"prs", "fa", i18n.PrefixClose}, {"EN", "en", i18n.PrefixClose}, {"ur-PK", "ur", i18n.PrefixClose},
		{"de", "en", i18n.PrefixUnknown}, {"x-klingon", "en", i18n.PrefixUnknown}, {"am", "en", i18n.PrefixUnknown},
		{"kk", "ru", i18n.PrefixNear}, {"ku", "tr", i18n.PrefixNear}, {"ckb", "ar", i18n.PrefixNear}, {"mo", "ro", i18n.PrefixClose},
		{"warnings", "en", i18n.PrefixNone}, {"", "en", i18n.PrefixNone}, {long, "en", i18n.PrefixNone},
		{"pt\xff", "en", i18n.PrefixNone}, {"\xc3", "en", i18n.PrefixNone}, {"pt-BR\x00", "en", i18n.PrefixNone},
		{"favicon.ico", "en", i18n.PrefixNone}, {"p", "en", i18n.PrefixNone}, {"<script>", "en", i18n.PrefixNone},
	} {
		l, kind := c.MatchPrefix(tc.in)
		if l.Code != tc.want || kind != tc.kind {
			t.Errorf("MatchPrefix(%.20q) = %s, %d; want %s, %d", tc.in, l.Code, kind, tc.want, tc.kind)
		}
	}
}
