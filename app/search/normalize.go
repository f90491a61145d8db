// Package search holds the text normalisation that the search index and the
// search query share, so that SQLite's FTS5 and PostgreSQL's tsvector see
// the very same tokens: case folded, accents and other marks removed, the
// Arabic and Persian letter forms that readers type interchangeably made one,
// digits of every script read as ASCII (app/textnorm), and the text cut into
// runs of letters and digits, the runs of Han and kana (written without
// spaces) into overlapping bigrams.
package search

import (
	"slices"
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
	// Urdu and Pashto: only the letters that writers type one for the
	// other, because the keyboard at hand (Arabic or Persian, on most
	// phones) lacks one of them:
	// - ے yeh barree, the Urdu final ye (also ۓ, which decomposes to it):
	//   written ی or ي without an Urdu keyboard, so folded with them. (Urdu
	//   ہ heh goal, ھ do-chashmi heh, ە and ۀ are folded with heh above.)
	// - ۃ teh marbuta goal: the Urdu form of ة, folded with it.
	// - ں noon ghunna, the nasal final noon of Urdu: written ن without an
	//   Urdu keyboard (میں and مین are one word to readers).
	// - ګ the Pashto gaf: written گ on Persian keyboards (ګډ / گډ).
	// Pashto ې and ۍ are yeh (above), and ئ decomposes to yeh and a hamza.
	// Not folded, because they are other sounds and other words: the Urdu
	// retroflex ٹ ڈ ڑ (not ت د ر), the Pashto ښ ږ ځ څ ټ ډ ړ ڼ (not
	// ش ژ ز س ت د ر ن; ښ is said ش in the south and خ in the north, so no
	// one fold is right), and گ and ك (g and k).
	'ے': "ي", 'ۃ': "ه", 'ں': "ن", 'ګ': "گ",
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
	case r == 0x3099 || r == 0x309A:
		// The kana voicing marks make other sounds and other words (ビザ
		// visa, ヒサ no word): kept after kana, composed again in words.
		if last, _ := utf8.DecodeLastRuneInString(b.String()); unicode.Is(unicode.Hiragana, last) || unicode.Is(unicode.Katakana, last) {
			b.WriteRune(r)
		}
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

// Version names the tokens that the normaliser writes. Any change of the
// tokens (a fold, a split, an extra token) changes it: `serve` compares it
// with the version the index was built with and queues a reindex in the
// background when they differ (Store.EnsureSearchVersion).
const Version = "2"

// Unspaced reports whether r belongs to a script written without spaces
// between words (textnorm.Unspaced: Han and kana). Their runs are indexed
// as overlapping bigrams (see Tokens).
func Unspaced(r rune) bool { return textnorm.Unspaced(r) }

// UnspacedToken reports whether a token is a piece of an unspaced run (its
// runes are all of one kind, so the first one tells).
func UnspacedToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return Unspaced(r)
}

// Prefixable reports whether a query token may match as the prefix of an
// indexed token: tokens of two runes or more but numbers (matched as
// typed: a number's prefixes are thousands of other numbers), and a single
// Han or kana character, which the index holds only inside bigrams.
func Prefixable(t string) bool {
	n := utf8.RuneCountInString(t)
	return n > 1 && !IsNumber(t) || n == 1 && UnspacedToken(t)
}

// IsNumber reports whether a token is only digits (every script's digits
// are ASCII in tokens): numbers match as typed, never as prefixes, and
// stay out of the vocabulary.
func IsNumber(t string) bool { return strings.Trim(t, "0123456789") == "" }

// words returns the normalised words of s: runs of letters and digits cut
// at separators and where an unspaced script begins or ends ("abc中国" is
// "abc" and "中国"); spaced words are cut to MaxTokenRunes.
func words(s string) []string {
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
	folded := b.String()
	if strings.ContainsAny(folded, "\u3099\u309A") {
		folded = norm.NFC.String(folded)
	}
	var out []string
	for _, f := range strings.Fields(folded) {
		start, kind := 0, false
		for i, r := range f {
			u := Unspaced(r)
			if i > 0 && u != kind {
				out = appendWord(out, f[start:i], kind)
				start = i
			}
			kind = u
		}
		out = appendWord(out, f[start:], kind)
	}
	return out
}

func appendWord(out []string, w string, unspaced bool) []string {
	if !unspaced && utf8.RuneCountInString(w) > MaxTokenRunes {
		w = string([]rune(w)[:MaxTokenRunes])
	}
	return append(out, w)
}

// bigrams returns the overlapping pairs of runes of an unspaced run, the
// run itself when it is one rune: "假签证中介" is 假签 签证 证中 中介, so
// that any word of two characters or more inside the run is found as the
// bigrams it is made of. cover keeps only the pairs that cover the run,
// without overlap but for the last one (签证中介 is 签证 中介; 签证中 is 签证
// 证中), which is enough for a query: the index holds every pair.
func bigrams(out []string, w string, cover bool) []string {
	rs := []rune(w)
	if len(rs) == 1 {
		return append(out, w)
	}
	step := 1
	if cover {
		step = 2
	}
	for i := 0; i+1 < len(rs); i += step {
		out = append(out, string(rs[i:i+2]))
	}
	if cover && len(rs)%2 == 1 {
		out = append(out, string(rs[len(rs)-2:]))
	}
	return out
}

// arabicArticles are the definite article and the prefixes written
// together with it (and, with, so, like + al-; li- + al-, which writes لل;
// and + with + al-, and + li- + al-), longest first.
var arabicArticles = []string{"وبال", "ولل", "وال", "بال", "فال", "كال", "لل", "ال"}

// ArticleStem returns an Arabic-script token without its definite article
// (الوكاله, بالوكاله and للوكاله are وكاله), or "" when it has none. The
// stem must keep three letters or more, the length of an Arabic root, so
// that words that merely start with those letters (الله, والي, بالون) are
// left alone.
func ArticleStem(t string) string {
	for _, a := range arabicArticles {
		if rest, ok := strings.CutPrefix(t, a); ok {
			if utf8.RuneCountInString(rest) >= 3 {
				return rest
			}
			return ""
		}
	}
	return ""
}

// Tokens returns the normalised tokens of s in order, as the index and
// the query share them: words of spaced scripts whole, runs of Han and
// kana as overlapping bigrams. Invalid UTF-8 reads as separators.
func Tokens(s string) []string {
	var out []string
	for _, w := range words(s) {
		if UnspacedToken(w) {
			out = bigrams(out, w, false)
		} else {
			out = append(out, w)
		}
	}
	return out
}

// IndexTokens returns the tokens that the index keeps for s: Tokens, and
// after each unspaced run of two runes or more its last rune (the only one
// that starts no bigram, so that a query of that one character finds it),
// and after each Arabic-script word with the definite article its stem
// (ArticleStem), so that a query with or without the article finds it.
func IndexTokens(s string) []string {
	var out []string
	for _, w := range words(s) {
		switch {
		case UnspacedToken(w):
			out = bigrams(out, w, false)
			if rs := []rune(w); len(rs) > 1 {
				out = append(out, string(rs[len(rs)-1]))
			}
		default:
			out = append(out, w)
			if st := ArticleStem(w); st != "" {
				out = append(out, st)
			}
		}
	}
	return out
}

// QueryTokens returns the tokens that a query looks for: its words, the
// bigrams that cover its unspaced runes, and the stems of its Arabic-script
// words with the definite article (the index keeps the stem of every such
// word, so the stem finds the word with and without the article).
func QueryTokens(s string) []string { return queryTokens(s, true) }

// QueryTokensWithArticle returns QueryTokens but for the Arabic-script
// words, kept with their article: an alternative for the documents indexed
// before the index kept the stems (search.Version 1), until they are
// indexed again.
func QueryTokensWithArticle(s string) []string { return queryTokens(s, false) }

func queryTokens(s string, stem bool) []string {
	var out []string
	for _, w := range words(s) {
		switch {
		case UnspacedToken(w):
			out = bigrams(out, w, true)
		default:
			if st := ArticleStem(w); st != "" && stem {
				w = st
			}
			out = append(out, w)
		}
	}
	return out
}

// Normalize returns the tokens of s joined by single spaces: the text the
// index stores.
func Normalize(s string) string { return strings.Join(Tokens(s), " ") }

// Joined returns the tokens of adjacent words written together (euro jobs →
// eurojobs), so that a name written with or without its space or hyphen is
// one term; tokens of one rune are not joined with a neighbour alone, nor
// are the bigrams of unspaced runs, which are written together already.
func Joined(tokens []string) []string {
	var out []string
	for i := 0; i+1 < len(tokens); i++ {
		if UnspacedToken(tokens[i]) || UnspacedToken(tokens[i+1]) {
			continue
		}
		j := tokens[i] + tokens[i+1]
		if utf8.RuneCountInString(j) <= MaxTokenRunes {
			out = append(out, j)
		}
	}
	return out
}

// TypoPieces returns pieces of a token (five runes or more) that a word
// one edit away (a letter changed, added, dropped, or two neighbours
// swapped) holds whole: for tokens of eight runes or more, its halves
// either side of the two middle runes (an edit before them leaves the
// second half whole, one after them the first); for shorter ones, its
// first and last three runes and, where two swapped neighbours would touch
// both (Itlay for Italy), the token with them swapped back. Each piece is
// three runes or more, for trigram indexes. One gap remains: a letter
// changed, added or dropped at the middle rune of a five-rune token
// touches both of its pieces. Long tokens get no three-rune piece: the
// words that hold one ("nal" of "personal") are many, and reading them
// cost most of a long name's correction.
func TypoPieces(tok string) []string {
	rs := []rune(tok)
	n := len(rs)
	if n < 5 {
		return nil
	}
	type span struct{ from, to int } // runes from..to-1
	spans := []span{{0, 3}, {n - 3, n}}
	if n >= 8 {
		m := n / 2
		spans = []span{{0, m - 1}, {m + 1, n}}
	}
	var out []string
	for _, p := range spans {
		if s := string(rs[p.from:p.to]); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for k := 0; k+1 < n; k++ {
		all := true
		for _, p := range spans {
			all = all && k+1 >= p.from && k < p.to
		}
		if all {
			sw := slices.Clone(rs)
			sw[k], sw[k+1] = sw[k+1], sw[k]
			out = append(out, string(sw))
		}
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
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > max || -d > max {
		return max + 1
	}
	// Words are short: their runes and the three rows live on the stack
	// (ranking compares every candidate's words with the query's).
	var bufA, bufB [MaxTokenRunes]rune
	var rows [3][MaxTokenRunes + 1]int
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	prev2, prev, cur := rows[0][:], rows[1][:], rows[2][:]
	if len(rb) >= len(rows[0]) {
		prev2, prev, cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	prev2, prev, cur = prev2[:len(rb)+1], prev[:len(rb)+1], cur[:len(rb)+1]
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

// appendRunes appends the runes of s to dst.
func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

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
