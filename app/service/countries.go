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

// isoCountries are the ISO 3166-1 alpha-2 codes (and XK, Kosovo) a form
// offers; their names come from CLDR in the reader's language.
const isoCountries = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

// AllCountries lists the country codes a form offers.
func AllCountries() []string {
	return strings.Fields(isoCountries)
}

// ContentLanguages lists the languages a report may be written in, most
// used by Forewarn's readers first.
func ContentLanguages() []string {
	return []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa", "ps", "ru", "pl", "bg", "tr", "de", "it", "pt", "el", "sq", "sr", "hu", "ka", "hy", "az", "uz", "ky", "tg", "ur", "hi", "bn", "ne", "si", "ta", "tl", "vi", "th", "id", "zh", "am", "ti", "so", "ha", "yo", "ig", "sw", "wo", "ff", "ku"}
}
