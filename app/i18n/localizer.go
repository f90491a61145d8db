package i18n

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-playground/locales"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"forewarn/app/apperr"
	"forewarn/app/i18n/cldrdata"
)

// Localizer renders messages, names and dates in one language. It is safe
// for concurrent use and shared by every request in that language.
type Localizer struct {
	Language
	loc      *goi18n.Localizer
	regions  display.Namer
	langs    display.Namer
	calendar locales.Translator
	catalog  *Catalog
	numbers  *message.Printer
	// plain keeps the messages rendered without arguments, by ID: they
	// depend on nothing else, and pages ask for dozens of them each.
	plain      sync.Map
	plainCount atomic.Int64
}

// maxPlainMessages bounds the memo of messages without arguments.
const maxPlainMessages = 4096

func newLocalizer(c *Catalog, l Language) *Localizer {
	return &Localizer{
		Language: l,
		loc:      goi18n.NewLocalizer(c.bundle, l.Code),
		regions:  display.Regions(l.tag),
		langs:    display.Languages(l.tag),
		calendar: l.calendar(),
		catalog:  c,
		numbers:  numberPrinter(l.Code),
	}
}

// T renders the message id; args are template data as alternating names
// and values ("Name", "Olena"). A missing message renders as its ID.
func (l *Localizer) T(id string, args ...any) string {
	if len(args) > 0 {
		return l.localize(id, nil, args)
	}
	if out, ok := l.plain.Load(id); ok {
		return out.(string)
	}
	out := l.localize(id, nil, nil)
	// IDs come from templates and code; the bound only guards against an
	// ID built from input.
	if l.plainCount.Add(1) <= maxPlainMessages {
		l.plain.Store(id, out)
	}
	return out
}

// TN renders the plural message id for count, with CLDR plural rules; the
// count is available to the template as .Count, written with the language's
// digits.
func (l *Localizer) TN(id string, count int, args ...any) string {
	return l.localize(id, count, args)
}

func (l *Localizer) localize(id string, count any, args []any) string {
	data := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	if n, ok := count.(int); ok {
		data["Count"] = l.Number(n)
	}
	out, err := l.loc.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && out == "" {
		return id
	}
	return out
}

// Country returns the name of an ISO 3166-1 country in the language: from
// CLDR through golang.org/x/text, or from the generated CLDR table of the
// languages it lacks (package cldrdata).
func (l *Localizer) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if cldrdata.HasNames(l.Code) {
		if name, ok := cldrdata.Region(l.Code, r.String()); ok {
			return name
		}
	}
	if name := l.regions.Name(r); name != "" {
		return name
	}
	return code
}

// LanguageName returns the name of a content language (BCP 47) in the
// interface language, from the same sources as Country.
func (l *Localizer) LanguageName(code string) string {
	t, ok := parseTag(code)
	if !ok {
		return code
	}
	if cldrdata.HasNames(l.Code) {
		// The code as written first: x/text canonicalises "tl" to "fil".
		for _, c := range []string{strings.ToLower(code), t.String()} {
			if name, ok := cldrdata.Language(l.Code, c); ok {
				return name
			}
		}
	}
	if name := l.langs.Name(t); name != "" {
		return name
	}
	return code
}

// Date formats t as a long date of the language's calendar conventions.
func (l *Localizer) Date(t time.Time) string {
	return l.Digits(l.calendar.FmtDateLong(t))
}

// Invalid renders the message of a field error; a time among its
// arguments is written as a date of the language.
func (l *Localizer) Invalid(inv *apperr.Invalid) string {
	args := make([]any, 0, 2*len(inv.Args))
	for k, v := range inv.Args {
		if t, ok := v.(time.Time); ok {
			v = l.Date(t)
		}
		args = append(args, k, v)
	}
	return l.T(inv.Key, args...)
}
