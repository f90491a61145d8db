package service

import (
	"strings"

	"golang.org/x/text/language"
)

// CountryCode validates an ISO 3166-1 alpha-2 country code in any case and
// returns it upper-cased.
func CountryCode(s string) (string, bool) {
	if len(s) != 2 {
		return "", false
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() {
		return "", false
	}
	code := r.String()
	return code, code == strings.ToUpper(s)
}
