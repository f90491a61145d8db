package pii

import (
	"forewarn/app/textnorm"
	"strings"
	"time"
)

// scanNationalIDs reports national identity numbers. Numbers with a strong
// checksum (Romanian CNP, Spanish DNI and NIE, Turkish TC Kimlik No, Polish
// PESEL) are reported anywhere unless a contact, order, account or money word
// comes just before them; the others only next to their name (Moldovan IDNP,
// Ukrainian RNOKPP, Iranian national code, Afghan e-Tazkira, Dutch BSN).
func (s *scanner) scanNationalIDs() {
	w := s.words
	for i := 0; i < len(w); i++ {
		if w[i].digits == 0 && !s.isNIELetter(i) {
			continue
		}
		if last, ok := s.spanishAt(i); ok {
			if s.isolated(i, last) && s.checksumContext(w[i].start, w[last].end) {
				s.add(KindNationalID, w[i].start, w[last].end)
				i = last
			}
			continue
		}
		if last, ok := s.tazkiraAt(i); ok {
			s.add(KindNationalID, w[i].start, w[last].end)
			i = last
			continue
		}
		x := w[i]
		if !x.allDigits() || x.runes < 9 || x.runes > 13 || !s.isolated(i, i) {
			continue
		}
		if s.numericID(s.norm[x.start:x.end], x.start, x.end) {
			s.add(KindNationalID, x.start, x.end)
		}
	}
}

// numericID reports whether the digits d, at norm[start:end], are a national
// identity number.
func (s *scanner) numericID(d string, start, end int) bool {
	switch len(d) {
	case 13:
		if cnpValid(d) && s.checksumContext(start, end) {
			return true
		}
		return (d[0] == '0' || d[0] == '2') && s.near(kwIDNP, start, end)
	case 11:
		if tcKimlikValid(d) {
			return s.checksumContext(start, end)
		}
		if !peselValid(d) {
			return false
		}
		// A PESEL of someone born in 2000-2009 starts with 0, and so does a
		// Turkish or British phone number written in national form.
		if d[0] == '0' {
			return s.near(kwID, start, end)
		}
		return s.checksumContext(start, end)
	case 10:
		if s.near(kwRNOKPP, start, end) {
			return true
		}
		return iranCodeValid(d) && s.near(kwIranCode, start, end)
	case 9:
		return bsnValid(d) && s.near(kwBSN, start, end)
	}
	return false
}

// checksumContext reports whether a number with a valid checksum at
// norm[start:end] should be taken for an ID: it is named as one, or no
// contact, order, account or money word comes just before it.
func (s *scanner) checksumContext(start, end int) bool {
	if s.near(kwID, start, end) {
		return true
	}
	return !s.blocked(textnorm.BackRunes(s.low, start, contextRunes), start)
}

// isNIELetter reports whether word i may start a Spanish NIE written with
// hyphens ("X-1234567-L").
func (s *scanner) isNIELetter(i int) bool {
	x := s.words[i]
	if x.runes != 1 || i+1 >= len(s.words) {
		return false
	}
	c := s.norm[x.start] | 0x20
	return (c == 'x' || c == 'y' || c == 'z') && s.sep(i) == "-"
}

// spanishAt returns the last word of a Spanish DNI or NIE with the right
// control letter that starts at word i: "12345678Z", "12345678-Z",
// "12345678 Z", "X1234567L", "X-1234567-L".
func (s *scanner) spanishAt(i int) (int, bool) {
	w := s.words
	var b [9]byte
	n, last := 0, i
	for j := i; j < len(w) && j < i+3; j++ {
		x := w[j]
		if !x.ascii || n+x.runes > len(b) {
			break
		}
		if j > i {
			sep := s.sep(j - 1)
			single := x.runes == 1 && isUpper(s.norm[x.start])
			if sep != "-" && !(sep == " " && single && n == 8) {
				break
			}
		}
		n += copy(b[n:], s.norm[x.start:x.end])
		last = j
		if n == len(b) {
			break
		}
	}
	if n != len(b) || !spanishValid(string(b[:])) {
		return 0, false
	}
	return last, true
}

// tazkiraAt returns the last word of an Afghan e-Tazkira number of 10 to 13
// digits, possibly in groups ("1400-0101-12345"), next to its name.
func (s *scanner) tazkiraAt(i int) (int, bool) {
	w := s.words
	if !w[i].allDigits() {
		return 0, false
	}
	n, last := 0, -1
	for j := i; j < len(w) && j < i+4; j++ {
		if !w[j].allDigits() {
			break
		}
		if j > i {
			if sep := s.sep(j - 1); sep != "-" && sep != " " {
				break
			}
		}
		n += w[j].digits
		if n > 13 {
			break
		}
		if n >= 10 {
			last = j
		}
	}
	if last < 0 || !s.isolated(i, last) || !s.near(kwTazkira, w[i].start, w[last].end) {
		return 0, false
	}
	return last, true
}

// spanishLetters is the control letter of a DNI for each remainder mod 23.
const spanishLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// spanishValid checks a DNI (8 digits and a letter) or an NIE (X, Y or Z, 7
// digits and a letter).
func spanishValid(s string) bool {
	s = strings.ToUpper(s)
	digits := s[:8]
	switch s[0] {
	case 'X':
		digits = "0" + s[1:8]
	case 'Y':
		digits = "1" + s[1:8]
	case 'Z':
		digits = "2" + s[1:8]
	}
	n, ok := atoi(digits)
	return ok && spanishLetters[n%23] == s[8]
}

// cnpValid checks a Romanian CNP: sex and century, a real and plausible birth
// date, a county code and the check digit with the key 279146358279.
func cnpValid(d string) bool {
	if d[0] == '0' {
		return false
	}
	const key = "279146358279"
	sum := 0
	for i := 0; i < 12; i++ {
		sum += int(d[i]-'0') * int(key[i]-'0')
	}
	c := sum % 11
	if c == 10 {
		c = 1
	}
	if c != int(d[12]-'0') {
		return false
	}
	yy, _ := atoi(d[1:3])
	year := 0
	switch d[0] {
	case '1', '2':
		year = 1900 + yy
	case '3', '4':
		year = 1800 + yy
	case '5', '6':
		year = 2000 + yy
	default: // residents and foreigners: the century is not written
		year = 2000
	}
	mm, _ := atoi(d[3:5])
	dd, _ := atoi(d[5:7])
	if !validDate(year, mm, dd) || d[0] <= '6' && !plausibleBirthYear(year) {
		return false
	}
	county, _ := atoi(d[7:9])
	return county >= 1 && county <= 52 || county == 70
}

// tcKimlikValid checks a Turkish TC Kimlik No: no leading zero, and its two
// check digits.
func tcKimlikValid(d string) bool {
	if d[0] == '0' {
		return false
	}
	var v [11]int
	for i := range v {
		v[i] = int(d[i] - '0')
	}
	odd := v[0] + v[2] + v[4] + v[6] + v[8]
	even := v[1] + v[3] + v[5] + v[7]
	if ((odd*7-even)%10+10)%10 != v[9] {
		return false
	}
	sum := 0
	for _, x := range v[:10] {
		sum += x
	}
	return sum%10 == v[10]
}

// peselValid checks a Polish PESEL: a real and plausible birth date (the month
// carries the century) and the check digit with weights 1, 3, 7, 9.
func peselValid(d string) bool {
	weights := [10]int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	if (10-sum%10)%10 != int(d[10]-'0') {
		return false
	}
	yy, _ := atoi(d[0:2])
	mm, _ := atoi(d[2:4])
	dd, _ := atoi(d[4:6])
	year := [5]int{1900, 2000, 2100, 2200, 1800}[mm/20] + yy
	return plausibleBirthYear(year) && validDate(year, mm%20, dd)
}

// bsnValid checks a Dutch BSN with the eleven test.
func bsnValid(d string) bool {
	if d == "000000000" {
		return false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(d[i]-'0') * (9 - i)
	}
	sum -= int(d[8] - '0')
	return sum%11 == 0
}

// iranCodeValid checks an Iranian national code with its mod-11 check digit;
// codes of one repeated digit are invalid.
func iranCodeValid(d string) bool {
	if strings.Count(d, d[:1]) == len(d) {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	r := sum % 11
	c := r
	if r >= 2 {
		c = 11 - r
	}
	return c == int(d[9]-'0')
}

// plausibleBirthYear reports whether someone born in year may write a post.
func plausibleBirthYear(year int) bool {
	return year >= 1920 && year <= time.Now().Year()
}

// validDate reports whether m and d are a real month and day of year.
func validDate(year, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// atoi reads a short run of ASCII digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if !textnorm.IsDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, len(s) > 0
}
