package search

import (
	"slices"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CountryNames returns the names of a country (ISO 3166-1 alpha-2) in each
// of langs, as the pages write them (CLDR), so that a route is found by
// the country's name in the text's language or in English.
func CountryNames(code string, langs ...string) []string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range langs {
		tag, err := language.Parse(l)
		if err != nil {
			continue
		}
		if name := display.Regions(tag).Name(r); name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// CountryWords are the words of the names of countries, normalised, that
// are long enough to be matched with a typo (five runes or more, as Typo
// wants), by length in runes.
type CountryWords struct {
	set   map[string]bool
	byLen map[int][]string
}

// NewCountryWords returns the words of the names of the countries (ISO
// 3166-1 alpha-2 codes) in the languages.
func NewCountryWords(codes, langs []string) *CountryWords {
	w := &CountryWords{set: map[string]bool{}, byLen: map[int][]string{}}
	for _, c := range codes {
		for _, n := range CountryNames(c, langs...) {
			for _, t := range Tokens(n) {
				if l := utf8.RuneCountInString(t); l >= 5 && !UnspacedToken(t) && !w.set[t] {
					w.set[t] = true
					w.byLen[l] = append(w.byLen[l], t)
				}
			}
		}
	}
	for _, ws := range w.byLen {
		slices.Sort(ws)
	}
	return w
}

// Typos returns the query's tokens with the words that misspell a word of
// a country's name (one edit away, see Typo) spelt right, as alternatives
// for the text search: the first replaces each misspelt word by its first
// correction in order, the others try the other corrections (three at
// most) of one word each. It returns nil when no word is misspelt.
func (w *CountryWords) Typos(tokens []string) [][]string {
	fixed := slices.Clone(tokens)
	var more [][]string
	for i, t := range tokens {
		n := utf8.RuneCountInString(t)
		if w.set[t] || UnspacedToken(t) || n < 5 {
			continue
		}
		var cands []string
		for l := n - 1; l <= n+1; l++ {
			for _, c := range w.byLen[l] {
				if Typo(t, c) {
					cands = append(cands, c)
				}
			}
		}
		if len(cands) == 0 {
			continue
		}
		slices.Sort(cands)
		fixed[i] = cands[0]
		for _, c := range cands[1:min(len(cands), 4)] {
			alt := slices.Clone(tokens)
			alt[i] = c
			more = append(more, alt)
		}
	}
	if slices.Equal(fixed, tokens) {
		return nil
	}
	return append([][]string{fixed}, more...)
}
