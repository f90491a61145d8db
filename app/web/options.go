package web

import (
	"html/template"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"forewarn/app/i18n"
	"forewarn/app/service"
)

// maxOptionLists bounds the memo of option lists; past it the memo starts
// afresh (the country list of the filters changes with the warnings).
const maxOptionLists = 256

// optionLists keeps the country and language options of the forms and
// filters per interface language: naming 250 countries and sorting them by
// the language's collation cost milliseconds, and the result depends only
// on the language and the codes. Callers only read the returned slices.
var optionLists struct {
	mu        sync.RWMutex
	countries map[string]CountryOptions
	languages map[string]LanguageOptions
}

// countryOptions names codes in l's language, sorted by its collation.
func countryOptions(l *i18n.Localizer, codes []string) CountryOptions {
	key := l.Code + ":" + strings.Join(codes, " ")
	optionLists.mu.RLock()
	out, ok := optionLists.countries[key]
	optionLists.mu.RUnlock()
	if ok {
		return out
	}
	out = make(CountryOptions, len(codes))
	for i, code := range codes {
		name := l.Country(code)
		out[i] = CountryOption{Code: code, Name: name, codeHTML: optionEscaper.Replace(code), nameHTML: optionEscaper.Replace(name)}
	}
	col := collate.New(language.Make(l.Code))
	sort.SliceStable(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	optionLists.mu.Lock()
	if optionLists.countries == nil || len(optionLists.countries) >= maxOptionLists {
		optionLists.countries = map[string]CountryOptions{}
	}
	optionLists.countries[key] = out
	optionLists.mu.Unlock()
	return out
}

// languageOptions names the content languages in l's language.
func languageOptions(l *i18n.Localizer) LanguageOptions {
	optionLists.mu.RLock()
	out, ok := optionLists.languages[l.Code]
	optionLists.mu.RUnlock()
	if ok {
		return out
	}
	codes := service.ContentLanguages()
	out = make(LanguageOptions, len(codes))
	for i, c := range codes {
		name := l.LanguageName(c)
		out[i] = LanguageOption{Code: c, Name: name, codeHTML: optionEscaper.Replace(c), nameHTML: optionEscaper.Replace(name)}
	}
	optionLists.mu.Lock()
	if optionLists.languages == nil || len(optionLists.languages) >= maxOptionLists {
		optionLists.languages = map[string]LanguageOptions{}
	}
	optionLists.languages[l.Code] = out
	optionLists.mu.Unlock()
	return out
}

// CountryOptions are the options of a country select.
type CountryOptions []CountryOption

// optionEscaper escapes text as html/template does in element content and
// in quoted attribute values.
var optionEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// HTML renders the options, each on a line of its own, the one whose code
// is selected marked: the output of ranging over them in the template, at
// the cost of concatenating strings escaped once per list.
func (opts CountryOptions) HTML(selected string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		writeOption(&b, o.Code, o.Name, o.codeHTML, o.nameHTML, selected)
	}
	return template.HTML(b.String()) // every part escaped by writeOption
}

// LanguageOptions are the options of a language select.
type LanguageOptions []LanguageOption

// HTML renders the options like CountryOptions.HTML.
func (opts LanguageOptions) HTML(selected string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		writeOption(&b, o.Code, o.Name, o.codeHTML, o.nameHTML, selected)
	}
	return template.HTML(b.String()) // every part escaped by writeOption
}

// writeOption writes "\n<option value="code"[ selected]>name</option>" as
// the templates did, escaping code and name unless given escaped.
func writeOption(b *strings.Builder, code, name, codeHTML, nameHTML, selected string) {
	if codeHTML == "" {
		codeHTML, nameHTML = optionEscaper.Replace(code), optionEscaper.Replace(name)
	}
	b.WriteString("\n<option value=\"")
	b.WriteString(codeHTML)
	b.WriteByte('"')
	if code == selected {
		b.WriteString(" selected")
	}
	b.WriteByte('>')
	b.WriteString(nameHTML)
	b.WriteString("</option>")
}

// Datalist renders the options of a <datalist>: each country's name as the
// value a reader picks, one list shared by every country field of a form.
func (opts CountryOptions) Datalist() template.HTML {
	var b strings.Builder
	for _, o := range opts {
		name := o.nameHTML
		if name == "" {
			name = optionEscaper.Replace(o.Name)
		}
		b.WriteString("\n<option value=\"")
		b.WriteString(name)
		b.WriteString("\">")
	}
	return template.HTML(b.String()) // every name escaped
}

// countryNames maps folded country names to their codes, per language.
var countryNames sync.Map // language code → map[string]string

// countryByName returns the code of the country a reader typed in a form:
// its name in l's language or in English (case and spacing aside), or its
// two-letter code. The second result is false for anything else.
func countryByName(l *i18n.Localizer, english *i18n.Localizer, typed string) (string, bool) {
	key := foldName(typed)
	if code, ok := service.CountryCode(key); ok {
		return code, true
	}
	for _, loc := range []*i18n.Localizer{l, english} {
		if loc == nil {
			continue
		}
		names, ok := countryNames.Load(loc.Code)
		if !ok {
			m := map[string]string{}
			for _, o := range countryOptions(loc, service.AllCountries()) {
				m[foldName(o.Name)] = o.Code
			}
			names, _ = countryNames.LoadOrStore(loc.Code, m)
		}
		if code, ok := names.(map[string]string)[key]; ok {
			return code, true
		}
	}
	return "", false
}

// foldName lower-cases a name and collapses its spaces.
func foldName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
