package pii

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// view is a text with two normalised forms of the same byte length: norm reads
// every decimal digit as ASCII and folds full-width forms, odd spaces and
// dashes; low is norm in lower case, with Arabic letter variants folded to
// their Persian forms.
type view struct {
	text     string
	norm     string
	low      string
	shifts   []shift // how offsets of norm map back into text; none when they are the same
	hasDigit bool    // norm contains an ASCII digit
}

// shift says that from byte at of norm on, offsets of text are delta bytes
// further.
type shift struct{ at, delta int }

func newView(text string) view {
	v := view{text: text, norm: text}
	var b strings.Builder
	delta := 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			if b.Cap() > 0 {
				b.WriteByte(text[i])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		f, ok := fold(r)
		switch {
		case ok:
			if b.Cap() == 0 {
				b.Grow(len(text))
				b.WriteString(text[:i])
			}
			b.WriteByte(byte(f))
			delta += n - 1
			v.shifts = append(v.shifts, shift{at: i + n - delta, delta: delta})
		case b.Cap() > 0:
			b.WriteString(text[i : i+n])
		}
		i += n
	}
	if b.Cap() > 0 {
		v.norm = b.String()
	}
	v.low = lowerString(v.norm)
	v.hasDigit = strings.ContainsAny(v.norm, "0123456789")
	return v
}

// orig maps a byte offset of norm to one of the text.
func (v *view) orig(i int) int {
	k := sort.Search(len(v.shifts), func(k int) bool { return v.shifts[k].at > i })
	if k == 0 {
		return i
	}
	return i + v.shifts[k-1].delta
}

// fold maps a rune that norm writes as one ASCII byte.
func fold(r rune) (rune, bool) {
	switch {
	case r < utf8.RuneSelf, isCommonLetter(r):
		return r, false
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0, true
	case r == 0x3000, r == 0x00A0, r >= 0x2000 && r <= 0x200A, r == 0x202F, r == 0x205F:
		return ' ', true
	case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0xFE58, r == 0xFE63:
		return '-', true
	case r >= 0x0660 && r <= 0x0669: // Arabic-Indic digits
		return '0' + r - 0x0660, true
	case r >= 0x06F0 && r <= 0x06F9: // Persian digits
		return '0' + r - 0x06F0, true
	case r == 0x066B: // Arabic decimal separator
		return '.', true
	case r == 0x066C: // Arabic thousands separator
		return ',', true
	case unicode.IsDigit(r):
		return '0' + digitValue(r), true
	}
	return r, false
}

// digitValue is the value of a non-ASCII decimal digit: Unicode lays out each
// script's digits as a run of ten from zero.
func digitValue(r rune) rune {
	z := r
	for n := 0; n < 60 && unicode.IsDigit(z-1); n++ {
		z--
	}
	return (r - z) % 10
}

// lowerString lower-cases s rune by rune, keeping every rune's byte length so
// that offsets stay valid; invalid bytes are kept as they are.
func lowerString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteByte(c)
		} else {
			b.WriteRune(lowerRune(r))
		}
		i += n
	}
	return b.String()
}

func lowerRune(r rune) rune {
	switch r {
	case 'ك': // Arabic kaf
		return 'ک'
	case 'ي', 'ى': // Arabic yeh, alef maksura
		return 'ی'
	case 'ة': // teh marbuta
		return 'ه'
	}
	switch {
	case r >= 0x0410 && r <= 0x042F: // Russian capitals
		return r + 0x20
	case r >= 0x0430 && r <= 0x045F, isArabicRune(r):
		return r
	}
	l := unicode.ToLower(r)
	if utf8.RuneLen(l) != utf8.RuneLen(r) {
		return r
	}
	return l
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIIAlnum(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// isWordRune reports whether r is part of a word: a letter, a digit or a
// combining mark.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r))
	}
	if isCommonLetter(r) {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// runeBefore returns the rune that ends at byte i of s, or -1 at the start.
func runeBefore(s string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

// runeAt returns the rune that starts at byte i of s, or -1 at the end.
func runeAt(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// backRunes returns the offset n runes before byte i of s.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
	}
	return i
}

// word is a maximal run of word runes in the normalised text; splitWords
// keeps only those that may be part of a number.
type word struct {
	start, end int // byte offsets
	runes      int
	digits     int  // ASCII digits
	ascii      bool // every rune is an ASCII letter or digit
	passportCh bool // every rune is a digit or a Latin or Cyrillic letter
	upper      bool // no letter is lower-case
}

func (w word) allDigits() bool { return w.digits == w.runes }

func splitWords(s string) []word {
	words := make([]word, 0, 32)
	in := false
	var cur word
	for i, r := range s {
		if !isWordRune(r) {
			if in {
				cur.end = i
				if cur.keep() {
					words = append(words, cur)
				}
				in = false
			}
			continue
		}
		if !in {
			cur = word{start: i, ascii: true, passportCh: true, upper: true}
			in = true
		}
		cur.runes++
		switch {
		case r < utf8.RuneSelf && isDigit(byte(r)):
			cur.digits++
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' {
				cur.upper = false
			}
		default:
			cur.ascii = false
			if !isLatinOrCyrillic(r) {
				cur.passportCh = false
			}
			if unicode.IsLower(r) {
				cur.upper = false
			}
		}
	}
	if in && cur.keep() {
		cur.end = len(s)
		words = append(words, cur)
	}
	return words
}

// keep reports whether a word may be part of a passport or identity number:
// it has digits, or it may be a passport series or a control letter.
// Dropping the others keeps their text in the separators around the words
// that are kept, so a number is never read across a word.
func (w word) keep() bool {
	return w.digits > 0 || w.runes == 1 && w.ascii || w.runes <= 3 && w.upper && w.passportCh
}

// isLatinOrCyrillic reports whether r is in the Latin or Cyrillic blocks.
func isLatinOrCyrillic(r rune) bool {
	return r < 0x0250 || r >= 0x0400 && r <= 0x052F || r >= 0x1E00 && r <= 0x1EFF
}

// isCommonLetter is a quick test for the letters of the scripts posts are
// most often written in: Latin with diacritics, Greek, Cyrillic and Arabic.
func isCommonLetter(r rune) bool {
	switch {
	case r >= 0x00C0 && r <= 0x024F:
		return r != 0x00D7 && r != 0x00F7
	case r >= 0x0388 && r <= 0x03FF:
		return r != 0x038B && r != 0x038D && r != 0x03A2 && r != 0x03F6
	case r >= 0x0400 && r <= 0x0481, r >= 0x048A && r <= 0x052F:
		return true
	case r >= 0x0620 && r <= 0x064A, r >= 0x066E && r <= 0x066F, r >= 0x0671 && r <= 0x06D3:
		return true
	}
	return false
}
