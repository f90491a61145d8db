// Package i18n loads the interface messages, negotiates the reader's
// language and gives each request a Localizer: messages with CLDR plurals
// (go-i18n), country and language names (CLDR through golang.org/x/text) and
// dates (CLDR through go-playground/locales).
package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/go-playground/locales"
	"github.com/go-playground/locales/ar"
	"github.com/go-playground/locales/bg"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/fa"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pl"
	"github.com/go-playground/locales/ps"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/ro"
	"github.com/go-playground/locales/ru"
	"github.com/go-playground/locales/so"
	"github.com/go-playground/locales/sq"
	"github.com/go-playground/locales/ti"
	"github.com/go-playground/locales/tr"
	"github.com/go-playground/locales/uk"
	"github.com/go-playground/locales/ur"
	"github.com/go-playground/locales/vi"
	"github.com/go-playground/locales/zh_Hans"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Language is one shipped interface language.
type Language struct {
	// Code is the URL prefix, the name of the locale file and the language
	// content is tagged with ("fr", "zh").
	Code string
	// Tag is the BCP 47 tag of the lang and hreflang attributes: Code,
	// except "zh-Hans" for the Simplified Chinese of "zh".
	Tag string
	// Name is the language's name in itself ("Français").
	Name string
	// RTL is true for right-to-left scripts.
	RTL      bool
	tag      language.Tag
	calendar func() locales.Translator
}

// Dir returns the value of the dir attribute for the language.
func (l Language) Dir() string {
	if l.RTL {
		return "rtl"
	}
	return "ltr"
}

// Shipped lists the interface languages, English (the source) first. Adding
// one is its locale file (locales/<code>.toml) and one entry here: its code,
// its BCP 47 tag when the code alone is not precise enough, direction and
// date conventions (github.com/go-playground/locales); digits and list
// separators that are not Latin and ", " go into numbers.go, and names
// golang.org/x/text lacks into package cldrdata.
var shipped = []struct {
	code     string
	tag      string
	rtl      bool
	calendar func() locales.Translator
}{
	{"en", "", false, en.New}, {"fr", "", false, fr.New}, {"nl", "", false, nl.New}, {"es", "", false, es.New},
	{"ro", "", false, ro.New}, {"uk", "", false, uk.New}, {"ar", "", true, ar.New}, {"fa", "", true, fa.New},
	{"ru", "", false, ru.New}, {"bg", "", false, bg.New}, {"pl", "", false, pl.New}, {"pt", "", false, pt.New},
	{"sq", "", false, sq.New}, {"tr", "", false, tr.New}, {"vi", "", false, vi.New},
	// Simplified Chinese: "/zh/…" and locales/zh.toml, like the content
	// language "zh", but lang="zh-Hans" so that browsers pick Han fonts
	// and forms for Simplified characters.
	{"zh", "zh-Hans", false, zh_Hans.New},
	{"ti", "", false, ti.New}, {"so", "", false, so.New}, {"ps", "", true, ps.New}, {"ur", "", true, ur.New},
}

// aliases maps tags that CLDR does not match to a shipped language: Dari,
// as Afghan browsers may send it, reads Persian. Chinese needs none:
// zh-CN and zh-SG match zh-Hans exactly, and zh-TW, zh-HK and zh-Hant
// with low confidence, which is taken: most readers of Traditional
// characters read Simplified ones better than English.
var aliases = map[string]language.Tag{
	"prs":    language.MustParse("fa-AF"),
	"prs-AF": language.MustParse("fa-AF"),
}

// Catalog is the loaded set of messages of every shipped language.
type Catalog struct {
	bundle     *goi18n.Bundle
	languages  []Language
	byCode     map[string]Language
	matcher    language.Matcher
	localizers map[string]*Localizer
	messages   map[string]map[string]*goi18n.Message
}

// Load parses one message file per shipped language ("en.toml", …) from
// fsys. A missing file or a malformed message is an error.
func Load(fsys fs.FS) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{bundle: bundle, byCode: map[string]Language{}, messages: map[string]map[string]*goi18n.Message{}}
	var tags []language.Tag
	for _, s := range shipped {
		name := s.code + ".toml"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load locale %s: %w", s.code, err)
		}
		mf, err := bundle.ParseMessageFileBytes(data, path.Base(name))
		if err != nil {
			return nil, fmt.Errorf("load locale %s: %w", s.code, err)
		}
		c.messages[s.code] = make(map[string]*goi18n.Message, len(mf.Messages))
		for _, m := range mf.Messages {
			c.messages[s.code][m.ID] = m
		}
		bcp := s.tag
		if bcp == "" {
			bcp = s.code
		}
		tag := language.MustParse(bcp)
		l := Language{Code: s.code, Tag: bcp, Name: cases.Title(tag).String(display.Self.Name(tag)), RTL: s.rtl, tag: tag, calendar: s.calendar}
		c.languages = append(c.languages, l)
		c.byCode[s.code] = l
		tags = append(tags, tag)
	}
	c.matcher = language.NewMatcher(tags)
	c.localizers = make(map[string]*Localizer, len(c.languages))
	for _, l := range c.languages {
		c.localizers[l.Code] = newLocalizer(c, l)
	}
	return c, nil
}

// Languages lists the shipped languages, English first.
func (c *Catalog) Languages() []Language {
	return c.languages
}

// Lookup returns the shipped language with code, exactly.
func (c *Catalog) Lookup(code string) (Language, bool) {
	l, ok := c.byCode[code]
	return l, ok
}

// Localizer returns the localizer of a shipped language; unknown codes get
// English.
func (c *Catalog) Localizer(code string) *Localizer {
	if l, ok := c.localizers[code]; ok {
		return l
	}
	return c.localizers["en"]
}

// Match returns the shipped language closest to the given preferences, each
// an Accept-Language header or a language tag; English when nothing fits.
func (c *Catalog) Match(prefs ...string) Language {
	var tags []language.Tag
	for _, p := range prefs {
		if p == "" || len(p) > 512 {
			continue
		}
		ts, _, err := language.ParseAcceptLanguage(p)
		if err != nil {
			continue
		}
		for _, t := range ts {
			if alias, ok := aliases[t.String()]; ok {
				t = alias
			}
			tags = append(tags, t)
		}
	}
	if len(tags) == 0 {
		return c.languages[0]
	}
	_, idx, conf := c.matcher.Match(tags...)
	if conf == language.No {
		return c.languages[0]
	}
	return c.languages[idx]
}

// Prefix says what the first segment of a path is.
type Prefix int

// What a path's first segment can be.
const (
	// PrefixNone: not a language tag at all ("warnings", a forged,
	// over-long or non-UTF-8 segment): a path without a language.
	PrefixNone Prefix = iota
	// PrefixShipped: exactly the code of a shipped language ("pt").
	PrefixShipped
	// PrefixClose: another spelling of a shipped language or a language
	// close to one ("pt-BR", "zh-CN", "zh-Hans", "prs", "EN").
	PrefixClose
	// PrefixUnknown: a language tag that matches no shipped language ("de").
	PrefixUnknown
	// PrefixNear: another language whose readers CLDR expects to read a
	// shipped one ("kk" Kazakh → ru, "ku" Kurdish → tr, "ckb" → ar): the
	// reader should be told that their own is not there.
	PrefixNear
)

// MatchPrefix reads the first segment of a path as a language: the shipped
// language it names or is closest to, and how it matched. For PrefixNone
// and PrefixUnknown the language is English; the caller decides whether
// the reader's Accept-Language should choose instead.
func (c *Catalog) MatchPrefix(segment string) (Language, Prefix) {
	if l, ok := c.byCode[segment]; ok {
		return l, PrefixShipped
	}
	t, ok := parseTag(segment)
	if !ok || len(segment) < 2 {
		return c.languages[0], PrefixNone
	}
	alias, aliased := aliases[t.String()]
	if aliased {
		t = alias
	}
	_, idx, conf := c.matcher.Match(t)
	if conf == language.No {
		return c.languages[0], PrefixUnknown
	}
	best := c.languages[idx]
	asked, _ := t.Base()
	shipped, _ := best.tag.Base()
	if !aliased && asked != shipped {
		return best, PrefixNear
	}
	return best, PrefixClose
}

// CanonicalTag returns the canonical spelling of a language tag given from
// outside ("pt-br" is "pt-BR"), not ok when it is none.
func CanonicalTag(s string) (string, bool) {
	t, ok := parseTag(s)
	if !ok || len(s) < 2 {
		return "", false
	}
	return t.String(), true
}

// AcceptBase returns the base language of the reader's first preference
// in an Accept-Language header (by q-value, "*" and refused tags skipped,
// aliases applied), for content that may be in any language, not only
// the shipped ones; not ok when the header names none.
func AcceptBase(header string) (string, bool) {
	if header == "" || len(header) > 512 {
		return "", false
	}
	tags, qs, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return "", false
	}
	for i, t := range tags {
		if qs[i] <= 0 || t == language.Und {
			continue
		}
		if alias, ok := aliases[t.String()]; ok {
			t = alias
		}
		if base, conf := t.Base(); conf != language.No {
			return base.String(), true
		}
	}
	return "", false
}

// Messages returns the messages of a shipped language keyed by ID, for the
// completeness tests.
func (c *Catalog) Messages(code string) map[string]*goi18n.Message {
	return c.messages[code]
}

// rtlScripts are the scripts written right to left.
var rtlScripts = map[string]bool{"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true, "Nkoo": true, "Adlm": true, "Rohg": true}

// Direction returns "rtl" for content in a language written right to left
// (by its likely script: Arabic, Persian, Pashto, Urdu, Hebrew, …) and
// "ltr" otherwise.
func Direction(lang string) string {
	t, ok := parseTag(lang)
	if !ok {
		return "ltr"
	}
	script, _ := t.Script()
	if rtlScripts[script.String()] {
		return "rtl"
	}
	return "ltr"
}

// IsLanguageTag reports whether s parses as a known BCP 47 language tag, to
// tell an unknown language prefix from a path without one.
func IsLanguageTag(s string) bool {
	_, ok := parseTag(s)
	return ok && len(s) >= 2
}

// BaseLanguage validates a BCP 47 tag as a reader, a form or a client gives
// it and reduces it to the base language content is tagged with ("fr-CA"
// is "fr"); an empty, malformed, over-long or non-UTF-8 tag, or one with no
// known base language, is not ok.
func BaseLanguage(s string) (string, bool) {
	t, ok := parseTag(s)
	if !ok {
		return "", false
	}
	base, conf := t.Base()
	if conf == language.No {
		return "", false
	}
	return base.String(), true
}

// maxTagLen bounds a language tag before it is parsed; BCP 47 tags in use
// are far shorter.
const maxTagLen = 35

// parseTag is the one parser of language tags given from outside: every
// function of this package that reads one goes through it.
func parseTag(s string) (language.Tag, bool) {
	if s == "" || len(s) > maxTagLen || !utf8.ValidString(s) || strings.ContainsAny(s, ".") {
		return language.Und, false
	}
	t, err := language.Parse(s)
	if err != nil {
		return language.Und, false
	}
	return t, true
}
