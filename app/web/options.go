package web

import (
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
	countries map[string][]CountryOption
	languages map[string][]LanguageOption
}

// countryOptions names codes in l's language, sorted by its collation.
func countryOptions(l *i18n.Localizer, codes []string) []CountryOption {
	key := l.Code + ":" + strings.Join(codes, " ")
	optionLists.mu.RLock()
	out, ok := optionLists.countries[key]
	optionLists.mu.RUnlock()
	if ok {
		return out
	}
	out = make([]CountryOption, len(codes))
	for i, code := range codes {
		out[i] = CountryOption{Code: code, Name: l.Country(code)}
	}
	col := collate.New(language.Make(l.Code))
	sort.SliceStable(out, func(i, j int) bool { return col.CompareString(out[i].Name, out[j].Name) < 0 })
	optionLists.mu.Lock()
	if optionLists.countries == nil || len(optionLists.countries) >= maxOptionLists {
		optionLists.countries = map[string][]CountryOption{}
	}
	optionLists.countries[key] = out
	optionLists.mu.Unlock()
	return out
}

// languageOptions names the content languages in l's language.
func languageOptions(l *i18n.Localizer) []LanguageOption {
	optionLists.mu.RLock()
	out, ok := optionLists.languages[l.Code]
	optionLists.mu.RUnlock()
	if ok {
		return out
	}
	codes := service.ContentLanguages()
	out = make([]LanguageOption, len(codes))
	for i, c := range codes {
		out[i] = LanguageOption{Code: c, Name: l.LanguageName(c)}
	}
	optionLists.mu.Lock()
	if optionLists.languages == nil || len(optionLists.languages) >= maxOptionLists {
		optionLists.languages = map[string][]LanguageOption{}
	}
	optionLists.languages[l.Code] = out
	optionLists.mu.Unlock()
	return out
}
