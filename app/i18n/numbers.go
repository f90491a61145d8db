package i18n

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// CLDR's default numbering systems and list separators of the interface
// languages that differ from Latin digits and ", ". Persian (fa) and Pashto
// (ps) write Extended Arabic-Indic digits (arabext, ۰–۹:
// <defaultNumberingSystem>arabext</…> in fa.xml and ps.xml); Urdu (ur)
// writes Latin digits (latn in ur.xml; only ur_IN has arabext), as do the
// other sixteen (latn, or no element and root's latn). Arabic (ar) defaults to Latin
// digits since CLDR 46 (CLDR-17553: <defaultNumberingSystem>latn</...> in
// ar.xml; only regional locales such as ar_EG keep arab); golang.org/x/text
// still carries the older arab default, so ar is formatted as ar-u-nu-latn.
// Both separate list items with the Arabic comma "، " (CLDR listPatterns,
// standard-narrow and unit, "{0}، {1}"), as do Pashto and Urdu (standard,
// "{0}، {1}"); Chinese uses the ideographic comma "、" ("{0}、{1}") and
// Tigrinya the Ethiopic comma "፣ " ("{0}፣ {1}").
var (
	numberTags     = map[string]string{"ar": "ar-u-nu-latn"}
	arabext        = strings.NewReplacer("0", "۰", "1", "۱", "2", "۲", "3", "۳", "4", "۴", "5", "۵", "6", "۶", "7", "۷", "8", "۸", "9", "۹")
	digitSets      = map[string]*strings.Replacer{"fa": arabext, "ps": arabext}
	listSeparators = map[string]string{"ar": "، ", "fa": "، ", "ps": "، ", "ur": "، ", "zh": "、", "ti": "፣ "}
)

// numberPrinter formats numbers for the language code.
func numberPrinter(code string) *message.Printer {
	if t, ok := numberTags[code]; ok {
		code = t
	}
	return message.NewPrinter(language.Make(code))
}

// Number writes n with the language's digits and grouping.
func (l *Localizer) Number(n int) string {
	return l.numbers.Sprint(number.Decimal(n))
}

// Digits rewrites the ASCII digits of s in the language's digits.
func (l *Localizer) Digits(s string) string {
	if r, ok := digitSets[l.Code]; ok {
		return r.Replace(s)
	}
	return s
}

// ListSeparator returns what separates the items of a list in the language.
func (l *Localizer) ListSeparator() string {
	if s, ok := listSeparators[l.Code]; ok {
		return s
	}
	return ", "
}
