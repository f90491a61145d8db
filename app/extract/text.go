package extract

import (
	"forewarn/app/textnorm"
	"strings"
	"unicode"
	"unicode/utf8"
)

// view is a text with two normalised forms. norm reads every decimal digit
// as ASCII, folds full-width forms, odd spaces and dashes to ASCII and drops
// invisible format characters (direction marks, zero-width spaces); low is
// norm in lower case, with the same byte length.
type view struct {
	text string
	norm string
	low  string
	// src[i] is the offset in text of the byte that norm[i] was read from
	// (for a folded rune, the start of that rune); nil when norm == text.
	src []int32
}

func newView(text string) *view {
	v := &view{text: text, norm: text}
	changed := false
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if textnorm.Fold(r) != r {
			changed = true
			break
		}
		i += n
	}
	if changed {
		var b strings.Builder
		b.Grow(len(text))
		v.src = make([]int32, 0, len(text)+1)
		for i := 0; i < len(text); {
			c := text[i]
			if c < utf8.RuneSelf {
				b.WriteByte(c)
				v.src = append(v.src, int32(i))
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[i:])
			f := textnorm.Fold(r)
			switch {
			case r == utf8.RuneError && n == 1, f == r:
				b.WriteString(text[i : i+n])
				for k := range n {
					v.src = append(v.src, int32(i+k))
				}
			case f == textnorm.Drop:
			default:
				b.WriteByte(byte(f))
				v.src = append(v.src, int32(i))
			}
			i += n
		}
		v.src = append(v.src, int32(len(text)))
		v.norm = b.String()
	}
	v.low = lowerSameLength(v.norm)
	return v
}

// start maps an offset of norm, at the start of a rune, to one of text.
func (v *view) start(i int) int {
	if v.src == nil {
		return i
	}
	return int(v.src[i])
}

// end maps an offset of norm, at the end of a rune, to one of text: just
// after the rune that the byte before it was read from.
func (v *view) end(j int) int {
	if v.src == nil || j == 0 {
		return v.start(j)
	}
	k := int(v.src[j-1])
	if v.norm[j-1] >= utf8.RuneSelf {
		return k + 1
	}
	_, n := utf8.DecodeRuneInString(v.text[k:])
	return k + n
}

// lowerSameLength lower-cases s rune by rune where that keeps the rune's byte
// length, so that offsets stay valid; Arabic letter variants are folded to
// their Persian forms. Invalid bytes are kept as they are.
func lowerSameLength(s string) string {
	var b []byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				if b == nil {
					b = []byte(s)
				}
				b[i] = c + 'a' - 'A'
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if l := lowerRune(r); l != r && utf8.RuneLen(l) == n {
			if b == nil {
				b = []byte(s)
			}
			utf8.EncodeRune(b[i:], l)
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(b)
}

func lowerRune(r rune) rune {
	switch r {
	case 'ك': // Arabic kaf
		return 'ک'
	case 'ي', 'ى': // Arabic yeh, alef maksura
		return 'ی'
	case 'İ':
		return 'ı' // keeps the byte length; keyword lists spell both
	}
	return unicode.ToLower(r)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isASCIIAlnum(c byte) bool { return isDigit(c) || isASCIILetter(c) }

// isWordRune reports whether r is part of a word: a letter, a digit or a
// combining mark, in any script.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && isASCIIAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// byteAt returns s[i], or 0 outside s.
func byteAt(s string, i int) byte {
	if i < 0 || i >= len(s) {
		return 0
	}
	return s[i]
}

// forwardRunes returns the offset n runes after byte i of s.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// skipSpacesBack returns the offset before the spaces and tabs that end at i.
func skipSpacesBack(s string, i int) int {
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
		i--
	}
	return i
}

// skipSpaces returns the offset after the spaces and tabs that start at i.
func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// wordBefore returns the word (letters and digits) that ends at i of s,
// after skipping spaces and the punctuation in skip.
func wordBefore(s string, i int, skip string) (string, int) {
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t' || strings.IndexByte(skip, s[i-1]) >= 0) {
		i--
	}
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:j])
		if !isWordRune(r) {
			break
		}
		j -= n
	}
	return s[j:i], j
}

// wordAfter returns the word (letters and digits) that starts at i of s,
// after skipping spaces and the punctuation in skip.
func wordAfter(s string, i int, skip string) (string, int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || strings.IndexByte(skip, s[i]) >= 0) {
		i++
	}
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if !isWordRune(r) {
			break
		}
		j += n
	}
	return s[i:j], j
}
