package pii

import (
	"forewarn/app/textnorm"
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
			if f == textnorm.Drop {
				delta += n
			} else {
				b.WriteByte(byte(f))
				delta += n - 1
			}
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

// origEnd maps a byte offset of norm at the end of a finding to one of the
// text: just after the rune that the byte before it was read from, so that
// invisible characters dropped after a finding stay out of it.
func (v *view) origEnd(j int) int {
	if j == 0 || len(v.shifts) == 0 {
		return v.orig(j)
	}
	k := v.orig(j - 1)
	if v.norm[j-1] >= utf8.RuneSelf {
		return k + 1
	}
	_, n := utf8.DecodeRuneInString(v.text[k:])
	return k + n
}

// fold returns the ASCII rune that norm writes for r, or textnorm.Drop for
// a rune that it leaves out, and whether that differs from r.
func fold(r rune) (rune, bool) {
	if r < utf8.RuneSelf {
		return r, false
	}
	f := textnorm.Fold(r)
	return f, f != r
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

// isWordRune reports whether r is part of a word: a letter, a digit or a
// combining mark.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return textnorm.IsASCIIAlnum(byte(r))
	}
	if isCommonLetter(r) {
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
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
		case r < utf8.RuneSelf && textnorm.IsDigit(byte(r)):
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
