package extract

import (
	"cmp"
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
	byFirst map[string][]companyName // first folded word → names starting with it, longest first
}

// companyName is a name in folded form.
type companyName struct {
	folded string
	dot    bool // the name as registered ends with a dot ("Ltd.", "B.V.")
}

// NewCompanies returns a matcher of the names, as written; empty/very short (<3 folded runes) names ignored.
func NewCompanies(names []string) *Companies {
	c := &Companies{byFirst: make(map[string][]companyName, len(names))}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		f := FoldName(n)
		if utf8.RuneCountInString(f) < minNameRunes || seen[f] {
			continue
		}
		seen[f] = true
		first, _, _ := strings.Cut(f, " ")
		dot := strings.HasSuffix(strings.TrimSpace(n), ".")
		c.byFirst[first] = append(c.byFirst[first], companyName{f, dot})
	}
	for _, fs := range c.byFirst {
		slices.SortFunc(fs, func(a, b companyName) int { return cmp.Compare(len(b.folded), len(a.folded)) })
	}
	return c
}

// Len returns how many names c looks for.
func (c *Companies) Len() int {
	if c == nil {
		return 0
	}
	n := 0
	for _, fs := range c.byFirst {
		n += len(fs)
	}
	return n
}

// FoldName returns the form in which names are compared.
//
// It decomposes (NFKD), strips combining marks and folds case, Turkish
// dotless ı to i, ß to ss, œ to oe, æ to ae, ø to o, ł to l, đ to d; reads
// digits of any script as ASCII; drops the punctuation inside names
// (. , & ' and the like, so that "B.V." is "bv") and turns other punctuation
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

// rune writes the folded form of r.
func (f *folder) rune(r rune, depth int) {
	switch {
	case r < utf8.RuneSelf:
		c := byte(r)
		switch {
		case 'A' <= c && c <= 'Z':
			f.letter(c + 'a' - 'A')
		case 'a' <= c && c <= 'z' || isDigit(c):
			f.letter(c)
		case strings.IndexByte(".,&'`", c) >= 0:
		default:
			f.sep = true
		}
		return
	case nameDropped(r):
		return
	}
	if d := foldRune(r); d != r {
		if d != dropRune {
			f.rune(d, depth)
		}
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
	s          string
	start, end []int32 // per byte of s: the original rune's start and end
}

func foldText(text string) foldedText {
	var f folder
	f.b = make([]byte, 0, len(text))
	start := make([]int32, 0, len(text))
	end := make([]int32, 0, len(text))
	for i, r := range text {
		n := len(f.b)
		f.rune(r, 0)
		w := utf8.RuneLen(r)
		if w < 0 {
			w = 1
		}
		for k := n; k < len(f.b); k++ {
			if f.b[k] == ' ' && k == n {
				// the separator stands for what came before
				start = append(start, int32(i))
				end = append(end, int32(i))
				continue
			}
			start = append(start, int32(i))
			end = append(end, int32(i+w))
		}
	}
	return foldedText{s: string(f.b), start: start, end: end}
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
		if i > 0 && s[i-1] != ' ' {
			i++
			continue
		}
		w := strings.IndexByte(s[i:], ' ')
		if w < 0 {
			w = len(s) - i
		}
		matched, dot := 0, false
		for _, n := range c.byFirst[s[i:i+w]] {
			if strings.HasPrefix(s[i:], n.folded) && (i+len(n.folded) == len(s) || s[i+len(n.folded)] == ' ') {
				matched, dot = len(n.folded), n.dot
				break
			}
		}
		if matched == 0 {
			i += w + 1
			continue
		}
		start, end := int(ft.start[i]), int(ft.end[i+matched-1])
		name := s[i : i+matched]
		i += matched + 1
		if dot && end < len(x.v.text) && x.v.text[end] == '.' {
			end++ // the last dot of "B.V." or "Ltd."
		}
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

// freeText reports whether no indicator was read in text[start:end].
func (x *extractor) freeText(start, end int) bool {
	for _, f := range x.found {
		if start < f.End && f.Start < end {
			return false
		}
	}
	return true
}
