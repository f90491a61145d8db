package extract

import (
	"forewarn/app/textnorm"
	"strings"
)

// ibanLengths is the length of the IBAN of each country of the ISO 13616
// registry.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// NormalizeIBAN returns an IBAN in upper case without spaces, if it has its
// country's length and a valid ISO 13616 mod-97 checksum.
func NormalizeIBAN(raw string) (string, bool) {
	var b strings.Builder
	b.Grow(34)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == ' ' || c == '-' || c == '\t':
		case isASCIIAlnum(c):
			if b.Len() == 34 {
				return "", false
			}
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	s := b.String()
	if len(s) < 15 || !validIBAN(s) {
		return "", false
	}
	return s, true
}

// validIBAN reports whether s, upper-case alphanumeric, has a known
// country's length and a valid checksum.
func validIBAN(s string) bool {
	if len(s) < 4 || !isASCIIUpper(s[0]) || !isASCIIUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	if n, ok := ibanLengths[s[:2]]; !ok || n != len(s) {
		return false
	}
	rem := 0
	for k := range len(s) {
		c := s[(k+4)%len(s)]
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case isASCIIUpper(c):
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func isASCIIUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// ibans reads IBANs, in any case, grouped by spaces or not. A string shaped
// like an IBAN with a bad checksum is not reported, and not read as anything
// else either.
func (x *extractor) ibans() {
	norm := x.v.norm
	for i := 0; i+4 <= len(norm); i++ {
		if !isASCIILetter(norm[i]) || !isASCIILetter(norm[i+1]) || !isDigit(norm[i+2]) || !isDigit(norm[i+3]) ||
			isWordRune(textnorm.RuneBefore(norm, i)) {
			continue
		}
		want, known := ibanLengths[strings.ToUpper(norm[i:i+2])]
		if !known {
			continue
		}
		upper := isASCIIUpper(norm[i])
		s, e := ibanChars(norm, i, want, upper)
		if len(s) < 15 || !x.free(i, e) {
			continue
		}
		if len(s) == want && !isWordRune(textnorm.RuneAt(norm, e)) && validIBAN(s) {
			x.add(KindBankAccount, "", s, i, e)
		} else {
			x.take(i, e)
		}
		i = e - 1
	}
}

// ibanChars collects up to want characters of an IBAN that starts at i of s,
// in groups joined by single spaces or dashes. A group of letters only (a
// bank code) must be short and in the case of the country code. It returns
// the characters in upper case and where they end.
func ibanChars(s string, i, want int, upper bool) (string, int) {
	var b strings.Builder
	b.Grow(want)
	e := i
	for e < len(s) && b.Len() < want {
		if e > i {
			if c := s[e]; (c != ' ' && c != '-') || e+1 >= len(s) || !isASCIIAlnum(s[e+1]) {
				break
			}
			e++
		}
		g := e
		letters, digits, lower := 0, 0, false
		for g < len(s) && isASCIIAlnum(s[g]) {
			if isDigit(s[g]) {
				digits++
			} else {
				letters++
				lower = lower || !isASCIIUpper(s[g])
			}
			g++
		}
		if digits == 0 && (letters > 4 || lower == upper) {
			if e > i {
				e--
			}
			break
		}
		for k := e; k < g && b.Len() < want; k++ {
			c := s[k]
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
			e = k + 1
		}
	}
	return b.String(), e
}
