// Package textnorm is the one text normaliser that app/extract and app/pii
// share, so that both read a text the same way: invisible format characters
// (zero-width spaces and joiners, direction marks and embeddings, the
// byte-order mark, the soft hyphen) are dropped, decimal digits of every
// script read as ASCII, full-width ASCII forms, odd spaces, dashes and full
// stops fold to their ASCII forms.
package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// Drop is what Fold returns for a rune that the normalised text leaves out.
const Drop rune = -1

// Fold returns the ASCII rune that the normalised text writes for r, Drop
// for a rune it leaves out, or r itself.
func Fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		return r
	case r >= 0x00C0 && r <= 0x058F, r >= 0x0620 && r <= 0x065F, r >= 0x066D && r <= 0x06EF:
		// Latin, Greek, Cyrillic, Armenian and Arabic letters: the common case.
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0
	case r == 0x00A0, r == 0x1680, r >= 0x2000 && r <= 0x200A, r == 0x202F, r == 0x205F, r == 0x3000:
		return ' '
	case r == 0x2028, r == 0x2029, r == 0x0085:
		return '\n'
	case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE58, r == 0xFE63:
		return '-'
	case IsInvisible(r):
		return Drop
	case r == 0x3002, r == 0xFF61, r == 0xFE52, r == 0x2024, r == 0x066B: // ideographic and other full stops
		return '.'
	case r == 0x066C, r == 0x060C, r == 0xFE50:
		return ','
	case r == 0xFE6B:
		return '@'
	case r == 0xFE62:
		return '+'
	case unicode.IsDigit(r):
		return '0' + DigitValue(r)
	}
	return r
}

// IsInvisible reports whether r is an invisible format character that the
// normalised text leaves out: the soft hyphen, the Arabic letter mark, the
// Mongolian vowel separator, zero-width spaces, joiners and non-joiners,
// direction marks, embeddings, overrides and isolates, word joiners and
// invisible operators, the byte-order mark and variation selectors (as after
// emoji).
func IsInvisible(r rune) bool {
	return r == 0x00AD || r == 0x061C || r == 0x180E || r >= 0x200B && r <= 0x200F ||
		r >= 0x202A && r <= 0x202E || r >= 0x2060 && r <= 0x2064 || r >= 0x2066 && r <= 0x2069 ||
		r == 0xFEFF || r >= 0xFE00 && r <= 0xFE0F
}

// DigitValue is the value of a non-ASCII decimal digit: Unicode lays out each
// script's digits as runs of ten from zero.
func DigitValue(r rune) rune {
	z := r
	for n := 0; n < 60 && unicode.IsDigit(z-1); n++ {
		z--
	}
	return (r - z) % 10
}

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// IsASCIIAlnum reports whether c is an ASCII letter or digit.
func IsASCIIAlnum(c byte) bool {
	return IsDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// RuneBefore returns the rune that ends at byte i of s, or -1 at the start.
func RuneBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// RuneAt returns the rune that starts at byte i of s, or -1 at the end.
func RuneAt(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// BackRunes returns the offset n runes before byte i of s.
func BackRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	return i
}

// Unspaced reports whether r is a letter of a script written without
// spaces between words: Han (Chinese characters, also Japanese kanji),
// Japanese hiragana and katakana (and the prolonged sound mark), Thai. A
// word may begin or end at any of its letters.
func Unspaced(r rune) bool {
	if r >= 0x0E01 && r <= 0x0E7F {
		return unicode.IsLetter(r) // Thai, not its marks and digits
	}
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || r == 0x30FC)
}
