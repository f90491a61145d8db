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

// CountryWords returns the words of the names of the countries (ISO
// 3166-1 alpha-2 codes) in the languages, normalised, that are long enough
// to be matched with a typo (five runes or more, as Typo wants).
func CountryWords(codes, langs []string) map[string]bool {
	out := map[string]bool{}
	for _, c := range codes {
		for _, n := range CountryNames(c, langs...) {
			for _, t := range Tokens(n) {
				if utf8.RuneCountInString(t) >= 5 && !UnspacedToken(t) {
					out[t] = true
				}
			}
		}
	}
	return out
}

// CountryTypos returns the query's tokens with the words that misspell a
// word of a country's name (one edit away, see Typo) spelt right, as
// alternatives for the text search: the first replaces each misspelt word
// by its first correction in order, the others try the other corrections
// (three at most) of one word each. It returns nil when no word is
// misspelt.
func CountryTypos(tokens []string, words map[string]bool) [][]string {
	fixed := slices.Clone(tokens)
	var more [][]string
	for i, t := range tokens {
		if words[t] || UnspacedToken(t) || utf8.RuneCountInString(t) < 5 {
			continue
		}
		var cands []string
		for w := range words {
			if Typo(t, w) {
				cands = append(cands, w)
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
