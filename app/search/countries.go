package search

import (
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
