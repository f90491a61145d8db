package pii

import (
	"forewarn/app/textnorm"
	"strings"
)

// mrzLen is the length of a line of a passport's machine-readable zone (TD3).
const mrzLen = 44

func isMRZByte(c byte) bool { return textnorm.IsDigit(c) || 'A' <= c && c <= 'Z' || c == '<' }

// scanMRZ reports machine-readable passport lines: a first line ("P<UTO…"),
// a second line whose check digits are right, or both run together.
func (s *scanner) scanMRZ() {
	t := s.norm
	if !strings.Contains(t, "<") {
		return
	}
	for i := 0; i < len(t); {
		if !isMRZByte(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && isMRZByte(t[j]) {
			j++
		}
		if !isWordRune(textnorm.RuneBefore(t, i)) && !isWordRune(textnorm.RuneAt(t, j)) {
			line := t[i:j]
			switch {
			case len(line) == mrzLen && (mrzFirstLine(line) || mrzSecondLine(line)),
				len(line) == 2*mrzLen && mrzFirstLine(line[:mrzLen]) && mrzSecondLine(line[mrzLen:]):
				s.add(KindPassport, i, j)
			}
		}
		i = j
	}
}

// mrzFirstLine reports whether line reads as the first line of a passport's
// MRZ: document type P, issuing state, then names padded with '<'.
func mrzFirstLine(line string) bool {
	if line[0] != 'P' || (line[1] != '<' && !isUpper(line[1])) {
		return false
	}
	for _, c := range []byte(line[2:5]) {
		if c != '<' && !isUpper(c) {
			return false
		}
	}
	return strings.Contains(line[5:], "<<")
}

// mrzSecondLine reports whether the check digits of the document number,
// birth date, expiry date and the whole line are right.
func mrzSecondLine(line string) bool {
	return strings.Contains(line, "<") &&
		mrzCheck(line[0:9], line[9]) &&
		mrzCheck(line[13:19], line[19]) &&
		mrzCheck(line[21:27], line[27]) &&
		mrzCheck(line[0:10]+line[13:20]+line[21:43], line[43])
}

// mrzCheck computes the ICAO 9303 check digit of s (weights 7, 3, 1).
func mrzCheck(s string, check byte) bool {
	if !textnorm.IsDigit(check) {
		return false
	}
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case textnorm.IsDigit(c):
			v = int(c - '0')
		case isUpper(c):
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return sum%10 == int(check-'0')
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// passportStop lists letter groups that read as "number" or as words rather
// than as a passport's series.
var passportStop = map[string]bool{
	"NO": true, "NR": true, "N": true, "NUM": true, "NB": true, "ID": true,
	"TO": true, "AT": true, "IS": true, "OF": true, "ON": true, "IN": true,
	"MY": true, "A": true, "I": true, "DE": true, "EN": true, "LA": true,
	"EL": true, "SI": true, "NU": true, "NA": true, "НА": true, "І": true,
	"И": true, "В": true, "Я": true, "ЗА": true,
}

// scanPassports reports passport numbers near a passport keyword: a token of 6
// to 10 letters and digits with at least 5 digits ("FE123456", "P1234567",
// "123456789"), a series of capital letters and a number ("AB 1234567",
// "КВ 123456"), or a Russian series and number ("45 12 345678").
func (s *scanner) scanPassports() {
	w := s.words
	for i := 0; i < len(w); i++ {
		if w[i].digits == 0 && !s.isSeries(i) {
			continue
		}
		last, ok := s.passportAt(i)
		if !ok {
			continue
		}
		start, end := w[i].start, w[last].end
		if !s.isolated(i, last) || !s.near(kwPassport, start, end) {
			continue
		}
		s.add(KindPassport, start, end)
		i = last
	}
}

// passportAt returns the last word of a passport number that starts at word i.
func (s *scanner) passportAt(i int) (int, bool) {
	w := s.words
	// Russian series and number: "45 12 345678", "4512 345678", "75 1234567".
	if w[i].allDigits() {
		if i+2 < len(w) && w[i].runes == 2 && w[i+1].allDigits() && w[i+1].runes == 2 &&
			w[i+2].allDigits() && w[i+2].runes == 6 && s.sep(i) == " " && s.sep(i+1) == " " {
			return i + 2, true
		}
		if i+1 < len(w) && w[i+1].allDigits() && s.sep(i) == " " &&
			(w[i].runes == 4 && w[i+1].runes == 6 || w[i].runes == 2 && w[i+1].runes == 7) {
			return i + 1, true
		}
	}
	// Series and number: "AB 1234567", "КВ № 123456", "FE-123456".
	if s.isSeries(i) && i+1 < len(w) && w[i+1].allDigits() && w[i+1].digits >= 5 &&
		w[i].runes+w[i+1].runes >= 6 && w[i].runes+w[i+1].runes <= 10 {
		switch s.sep(i) {
		case " ", "-", "№", " №", "№ ", " № ":
			return i + 1, true
		}
	}
	x := w[i]
	if x.runes < 6 || x.runes > 10 || x.digits < 5 || !x.passportCh {
		return 0, false
	}
	// A run of ten or more digits starting with 0 is a phone number.
	if x.allDigits() && x.runes >= 10 && s.norm[x.start] == '0' {
		return 0, false
	}
	return i, true
}

// isSeries reports whether word i is a passport series: one to three capital
// letters.
func (s *scanner) isSeries(i int) bool {
	x := s.words[i]
	return x.digits == 0 && x.runes <= 3 && x.upper && x.passportCh && !passportStop[s.norm[x.start:x.end]]
}

// sep returns the text between word i and word i+1.
func (s *scanner) sep(i int) string { return s.norm[s.words[i].end:s.words[i+1].start] }

// isolated reports whether words i to j stand on their own rather than being
// a group of a longer number (a phone number, an amount, a date, an account).
func (s *scanner) isolated(i, j int) bool {
	w := s.words
	before := s.norm[:w[i].start]
	if i > 0 {
		before = s.norm[w[i-1].end:w[i].start]
	}
	if strings.HasSuffix(before, "+") {
		return false
	}
	if i > 0 && w[i-1].digits > 0 && len(before) <= 2 && strings.Trim(before, " .-/,()") == "" {
		return false
	}
	if j+1 < len(w) && w[j+1].digits > 0 {
		after := s.norm[w[j].end:w[j+1].start]
		if len(after) == 1 && strings.Contains(".-/,:", after) {
			return false
		}
		if after == " " && w[j].digits > 0 && w[j+1].allDigits() && w[j+1].runes <= 4 && s.norm[w[j].end-1] >= '0' && s.norm[w[j].end-1] <= '9' {
			return false
		}
	}
	return true
}
