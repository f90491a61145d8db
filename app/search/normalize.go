// Package search holds the text normalisation that the search index and the
// search query share, so that SQLite's FTS5 and PostgreSQL's tsvector see
// the very same tokens: case folded, accents and other marks removed, the
// Arabic and Persian letter forms that readers type interchangeably made one,
// digits of every script read as ASCII (app/textnorm), and the text cut into
// runs of letters and digits.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"forewarn/app/textnorm"
)

// MaxTokenRunes bounds a token: longer runs are cut, so that a pasted blob
// does not make one huge term.
const MaxTokenRunes = 40

// letter maps the letters that decomposition leaves alone onto the form the
// index keeps; a mapped string replaces the rune.
var letter = map[rune]string{
	'ı': "i", 'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d",
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'þ': "th", 'ð': "d",
	'ħ': "h", 'ŀ': "l", 'ŉ': "n",
	// Arabic: alef forms, alef maqsura, taa marbuta; Persian yeh and keheh,
	// heh forms (the hamza and madda above/below go with the marks).
	'ٱ': "ا", 'ٲ': "ا", 'ٳ': "ا", 'ى': "ي", 'ی': "ي", 'ې': "ي", 'ۍ': "ي",
	'ة': "ه", 'ۀ': "ه", 'ھ': "ه", 'ە': "ه", 'ہ': "ه",
	'ک': "ك", 'ڪ': "ك",
	// Greek final sigma.
	'ς': "σ",
}

// fold writes the normalised form of one rune of an NFD text into b, as a
// letter or digit (kept), a separator (a space) or nothing.
func fold(b *strings.Builder, r rune) {
	r = textnorm.Fold(r)
	switch {
	case r == textnorm.Drop, r == 0x0640: // invisible, tatweel
		return
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == 0x0670:
		return // accents, harakat, superscript alef
	case r < utf8.RuneSelf:
		switch {
		case 'A' <= r && r <= 'Z':
			b.WriteByte(byte(r) + 'a' - 'A')
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteByte(byte(r))
		default:
			b.WriteByte(' ')
		}
		return
	}
	if s, ok := letter[r]; ok {
		b.WriteString(s)
		return
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		l := unicode.ToLower(r)
		if s, ok := letter[l]; ok {
			b.WriteString(s)
			return
		}
		b.WriteRune(l)
		return
	}
	b.WriteByte(' ')
}

// Tokens returns the normalised tokens of s in order. Invalid UTF-8 reads
// as separators.
func Tokens(s string) []string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	// Decompose so that accents and hamzas become marks of their own;
	// special-case Turkish dotted capital I, whose lower case is i.
	for _, r := range norm.NFD.String(strings.ReplaceAll(s, "İ", "I")) {
		fold(&b, r)
	}
	fields := strings.Fields(b.String())
	for i, f := range fields {
		if utf8.RuneCountInString(f) > MaxTokenRunes {
			fields[i] = string([]rune(f)[:MaxTokenRunes])
		}
	}
	return fields
}

// Normalize returns the tokens of s joined by single spaces: the text the
// index stores.
func Normalize(s string) string { return strings.Join(Tokens(s), " ") }

// Joined returns the tokens of adjacent words written together (euro jobs →
// eurojobs), so that a name written with or without its space or hyphen is
// one term; tokens of one rune are not joined with a neighbour alone.
func Joined(tokens []string) []string {
	var out []string
	for i := 0; i+1 < len(tokens); i++ {
		j := tokens[i] + tokens[i+1]
		if utf8.RuneCountInString(j) <= MaxTokenRunes {
			out = append(out, j)
		}
	}
	return out
}

// TypoPieces returns pieces of a token (five runes or more) of which at
// least one is intact in any word one edit away (a letter changed, added,
// dropped, or two neighbours swapped): its first and last three runes and,
// for tokens of eight runes or more, its halves either side of the two
// middle runes. Each piece is three runes or more, for trigram indexes.
func TypoPieces(tok string) []string {
	rs := []rune(tok)
	n := len(rs)
	if n < 5 {
		return nil
	}
	out := []string{string(rs[:3]), string(rs[n-3:])}
	if n >= 8 {
		m := n / 2
		out = append(out, string(rs[:m-1]), string(rs[m+1:]))
	}
	return out
}

// Trigrams returns the distinct three-rune pieces of a token.
func Trigrams(tok string) []string {
	rs := []rune(tok)
	seen := map[string]bool{}
	var out []string
	for i := 0; i+3 <= len(rs); i++ {
		g := string(rs[i : i+3])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// Distance is the optimal string alignment distance between a and b (edits:
// insert, delete, substitute, swap two neighbours), counted in runes, or
// max+1 once it exceeds max.
func Distance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(rb)] > max {
		return max + 1
	}
	return prev[len(rb)]
}

// TypoMinRunes is the length from which a word may have a typo: shorter
// words must match exactly (a typo there is another word).
const TypoMinRunes = 5

// Typo reports whether a query token q names the indexed token t with at
// most one edit; tokens under TypoMinRunes runes must match exactly.
func Typo(q, t string) bool {
	if q == t {
		return true
	}
	if utf8.RuneCountInString(q) < TypoMinRunes {
		return false
	}
	return Distance(q, t, 1) <= 1
}
