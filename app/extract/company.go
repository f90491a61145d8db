package extract

import (
	"cmp"
	"forewarn/app/textnorm"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// minNameRunes is the fewest runes a folded company name must have to be
// looked for: shorter ones would match ordinary words.
const minNameRunes = 3

// Companies matches known names (from published warnings) in texts, case- and accent-insensitively, on word boundaries.
//
// A Companies is safe for concurrent use once made.
type Companies struct {
	byFirst map[string][]companyName // nameKey → names starting with it, longest first
}

// nameKey returns the start of a folded text by which names are looked up:
// its first word, up to a space or a Han or kana character; or that
// character when it starts the text, since the scripts without spaces
// (textnorm.Unspaced) let a name begin at any character ("我联系了金桥劳务公司").
func nameKey(s string) string {
	for i, r := range s {
		switch {
		case r == ' ':
			return s[:i]
		case textnorm.Unspaced(r) && i == 0:
			return s[:utf8.RuneLen(r)]
		case textnorm.Unspaced(r):
			return s[:i]
		}
	}
	return s
}

// nameStart reports whether a name may begin at byte i of a folded text s:
// at a word's start, or next to a Han or kana character.
func nameStart(s string, i int) bool {
	switch {
	case s[i] == ' ':
		return false
	case i == 0 || s[i-1] == ' ':
		return true
	case s[i] >= utf8.RuneSelf && textnorm.Unspaced(textnorm.RuneAt(s, i)):
		return true
	}
	return s[i-1] >= utf8.RuneSelf && utf8.RuneStart(s[i]) && textnorm.Unspaced(textnorm.RuneBefore(s, i))
}

// nameEnd reports whether a name that is a prefix of s[i:] ends there: at a
// word's end, or next to a Han or kana character.
func nameEnd(s string, i int, name string) bool {
	end := i + len(name)
	return end == len(s) || s[end] == ' ' || textnorm.Unspaced(textnorm.RuneAt(s, end)) || textnorm.Unspaced(textnorm.RuneBefore(name, len(name)))
}

// companyName is a name in folded form.
type companyName struct {
	folded string
	dot    bool // the name as registered ends with a dot ("Ltd.", "B.V.")
}

// NewCompanies returns a matcher of the names, as written; empty/very short (<3 folded runes) names ignored.
// A name in Han or kana (three characters or more) is found inside a run
// of those scripts, which have no spaces between words.
func NewCompanies(names []string) *Companies {
	c := &Companies{byFirst: make(map[string][]companyName, len(names))}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		f := FoldName(n)
		if utf8.RuneCountInString(f) < minNameRunes || seen[f] {
			continue
		}
		seen[f] = true
		first := nameKey(f)
		dot := strings.HasSuffix(strings.TrimSpace(n), ".")
		c.byFirst[first] = append(c.byFirst[first], companyName{f, dot})
	}
	for _, fs := range c.byFirst {
		slices.SortFunc(fs, func(a, b companyName) int { return cmp.Compare(len(b.folded), len(a.folded)) })
	}
	return c
}

// FoldName returns the form in which names are compared.
//
// It decomposes (NFKD), strips combining marks and folds case, Turkish
// dotless ı to i, ß to ss, œ to oe, æ to ae, ø to o, ł to l, đ to d; reads
// digits of any script as ASCII; drops the punctuation inside names
// (. , & ' _ and the like, so that "B.V." is "bv") and turns other punctuation
// and symbols into spaces; and collapses spaces.
func FoldName(s string) string {
	var f folder
	f.b = make([]byte, 0, len(s))
	for _, r := range s {
		f.rune(r, 0)
	}
	return strings.TrimSuffix(string(f.b), " ")
}

// folder writes folded text; a separator is written as one space, never at
// the start.
type folder struct {
	b   []byte
	sep bool // a separator is pending
}

// foldKind says what folding a rune writes.
type foldKind uint8

const (
	foldSlow    foldKind = iota // work it out
	foldLetters                 // letters
	foldSep                     // a separator
	foldDrop                    // nothing
)

// foldEntry is how a rune folds.
type foldEntry struct {
	kind foldKind
	out  string
}

// foldTable holds how the two-byte runes fold (Latin, Greek, Cyrillic,
// Armenian, Hebrew, Arabic), the runes of most texts.
var foldTable [0x800]foldEntry

func init() {
	for r := rune(0x80); r < 0x800; r++ {
		var f folder
		f.slowRune(r, 0)
		switch {
		case len(f.b) == 0 && !f.sep:
			foldTable[r] = foldEntry{kind: foldDrop}
		case len(f.b) == 0:
			foldTable[r] = foldEntry{kind: foldSep}
		case !f.sep && !strings.Contains(string(f.b), " "):
			foldTable[r] = foldEntry{kind: foldLetters, out: string(f.b)}
		}
	}
}

// rune writes the folded form of r.
func (f *folder) rune(r rune, depth int) {
	if r >= utf8.RuneSelf && r < 0x800 {
		switch e := foldTable[r]; e.kind {
		case foldLetters:
			if f.sep && len(f.b) > 0 {
				f.b = append(f.b, ' ')
			}
			f.sep = false
			f.b = append(f.b, e.out...)
			return
		case foldSep:
			f.sep = true
			return
		case foldDrop:
			return
		}
	}
	f.slowRune(r, depth)
}

// slowRune writes the folded form of r, worked out.
func (f *folder) slowRune(r rune, depth int) {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		switch {
		case 'A' <= c && c <= 'Z':
			f.letter(c + 'a' - 'A')
		case 'a' <= c && c <= 'z' || isDigit(c):
			f.letter(c)
		case strings.IndexByte(".,&'`_", c) >= 0:
		default:
			f.sep = true
		}
		return
	case nameDropped(r):
		return
	}
	if d := textnorm.Fold(r); d != r {
		if d != textnorm.Drop {
			f.rune(d, depth)
		}
		return
	}
	if r < 0xFF00 && unicode.In(r, unicode.Hiragana, unicode.Katakana) {
		// Kana keep their voicing marks (ビザ is not ヒサ): written whole,
		// not decomposed.
		if f.sep && len(f.b) > 0 {
			f.b = append(f.b, ' ')
		}
		f.sep = false
		f.b = utf8.AppendRune(f.b, r)
		return
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if dec := norm.NFKD.Properties(buf[:n]).Decomposition(); dec != nil && depth < 3 {
		for _, d := range string(dec) {
			f.rune(d, depth+1)
		}
		return
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r) {
		return
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		f.sep = true
		return
	}
	l := unicode.ToLower(r)
	if s, ok := nameLetters[l]; ok {
		for i := 0; i < len(s); i++ {
			f.letter(s[i])
		}
		return
	}
	if l != r && depth < 3 {
		f.rune(l, depth+1)
		return
	}
	if f.sep && len(f.b) > 0 {
		f.b = append(f.b, ' ')
	}
	f.sep = false
	f.b = utf8.AppendRune(f.b, l)
}

func (f *folder) letter(c byte) {
	if f.sep && len(f.b) > 0 {
		f.b = append(f.b, ' ')
	}
	f.sep = false
	f.b = append(f.b, c)
}

// nameDropped reports whether r is left out of a name without a space:
// apostrophes, and the Arabic tatweel that only stretches a word.
func nameDropped(r rune) bool {
	switch r {
	case '’', '‘', 'ʼ', '´', '`', 'ʻ', 'ـ', '·', '・':
		return true
	}
	return false
}

// nameLetters are the letters that decomposition leaves alone but names
// are compared without, and Arabic letters folded to their Persian forms.
var nameLetters = map[rune]string{
	'ı': "i", 'ß': "ss", 'œ': "oe", 'æ': "ae", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ħ': "h",
	'ŧ': "t", 'ŋ': "n", 'ĸ': "k", 'ſ': "s", 'ς': "σ",
	'ي': "ی", 'ى': "ی", 'ك': "ک", 'ة': "ه",
}

// foldedText is a text folded as FoldName folds names, with the offsets of
// the original rune each byte was written for.
type foldedText struct {
	text  string
	s     string
	start []int32 // per byte of s: the start of the original rune
}

func foldText(text string) foldedText {
	var f folder
	f.b = make([]byte, 0, len(text))
	start := make([]int32, 0, len(text))
	for i, r := range text {
		f.rune(r, 0)
		for len(start) < len(f.b) {
			start = append(start, int32(i))
		}
	}
	return foldedText{text: text, s: string(f.b), start: start}
}

// end returns the end in the original text of the rune byte k of s was
// written for.
func (ft *foldedText) end(k int) int {
	i := int(ft.start[k])
	_, n := utf8.DecodeRuneInString(ft.text[i:])
	return i + n
}

// companies reads the known company names, outside the links, e-mail
// addresses and handles already read.
func (x *extractor) companies(c *Companies) {
	if c == nil || len(c.byFirst) == 0 {
		return
	}
	ft := foldText(x.v.text)
	s := ft.s
	for i := 0; i < len(s); {
		if !nameStart(s, i) {
			i++
			continue
		}
		key := nameKey(s[i:])
		matched, dot := 0, false
		for _, n := range c.byFirst[key] {
			if strings.HasPrefix(s[i:], n.folded) && nameEnd(s, i, n.folded) {
				matched, dot = len(n.folded), n.dot
				break
			}
		}
		if matched == 0 {
			i += len(key)
			continue
		}
		start, end := int(ft.start[i]), ft.end(i+matched-1)
		name := s[i : i+matched]
		i += matched
		if dot && end < len(x.v.text) && x.v.text[end] == '.' {
			end++ // the last dot of "B.V." or "Ltd."
		}
		end = closeQuote(x.v.text, start, end)
		if !x.freeText(start, end) {
			continue
		}
		x.found = append(x.found, Found{
			Kind:       KindCompany,
			Raw:        x.v.text[start:end],
			Normalized: name,
			Start:      start,
			End:        end,
		})
	}
}

// freeText reports whether no indicator was read in text[start:end], and
// the passage is not a handle or a hashtag.
func (x *extractor) freeText(start, end int) bool {
	if r := textnorm.RuneBefore(x.v.text, start); r == '@' || r == '#' || r == '＠' || r == '＃' {
		return false
	}
	for _, t := range x.spans {
		if start < t.end && t.start < end {
			return false
		}
	}
	return true
}

// quotePairs are the quotes and brackets a name may be written in.
var quotePairs = [][2]rune{{'«', '»'}, {'“', '”'}, {'„', '“'}, {'„', '”'}, {'"', '"'}, {'(', ')'}, {'‹', '›'}, {'「', '」'}}

// closeQuote returns the end of a name at text[start:end], after the
// closing quote of an opening one inside it: "агентство «Гарант»".
func closeQuote(text string, start, end int) int {
	r, n := utf8.DecodeRuneInString(text[end:])
	in := text[start:end]
	for _, q := range quotePairs {
		if r != q[1] {
			continue
		}
		open, closed := strings.Count(in, string(q[0])), strings.Count(in, string(q[1]))
		if q[0] == q[1] && open%2 == 1 || q[0] != q[1] && open > closed {
			return end + n
		}
	}
	return end
}
