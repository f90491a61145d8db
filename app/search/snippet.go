package search

import (
	"html"
	"html/template"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is a search query read once: its tokens and what matches them.
type Query struct {
	Tokens []string
	joined string
}

// NewQuery reads the tokens of a query.
func NewQuery(tokens []string) Query {
	return Query{Tokens: tokens, joined: strings.Join(tokens, "")}
}

// MatchesToken reports whether an indexed token answers one of the query's
// tokens: as a word, a prefix (for tokens of two runes or more), with one
// typo (long tokens), or as the query's words written together. A query
// token of one Han or kana character is a prefix too (Prefixable).
func (q Query) MatchesToken(t string) bool {
	for _, w := range q.Tokens {
		if w == t || Prefixable(w) && strings.HasPrefix(t, w) || Typo(w, t) {
			return true
		}
	}
	return len(q.Tokens) > 1 && (strings.HasPrefix(t, q.joined) || Typo(q.joined, t))
}

// AllIn reports whether every token of the query is answered by one of
// tokens, or the query's words written together are.
func (q Query) AllIn(tokens []string) bool {
	if len(q.Tokens) == 0 {
		return false
	}
	all := true
	for _, w := range q.Tokens {
		one := NewQuery([]string{w})
		found := false
		for _, t := range tokens {
			if one.MatchesToken(t) {
				found = true
				break
			}
		}
		if !found {
			all = false
			break
		}
	}
	if all {
		return true
	}
	if len(q.Tokens) > 1 {
		for _, t := range tokens {
			if strings.HasPrefix(t, q.joined) || Typo(q.joined, t) {
				return true
			}
		}
	}
	return false
}

// markdownNoise are the marks of the posters' Markdown that a snippet
// leaves out.
var markdownNoise = strings.NewReplacer("**", "", "__", "", "`", "", "\r", " ", "\n", " ", "\t", " ", "#", "")

// word is a piece of a text: a run of letters, digits and marks, or one
// Han or kana character (with its marks), unspaced says which.
type word struct {
	start, end int
	unspaced   bool
}

// textWords cuts s into runs of letters, digits and marks, the pieces whose
// tokens the index keeps, and the runs of Han and kana into characters, so
// that a snippet marks the characters of a bigram and not the whole run.
func textWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		size := utf8.RuneLen(r)
		if n := len(out); start < 0 && n > 0 && out[n-1].unspaced && out[n-1].end == i && unicode.Is(unicode.Mn, r) {
			out[n-1].end = i + size // a mark of the character before
			continue
		}
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 0x0640 || r == 0x200C || r == 0x200D
		u := Unspaced(r)
		if start >= 0 && (!in || u) {
			out = append(out, word{start, i, false})
			start = -1
		}
		switch {
		case u:
			out = append(out, word{i, i + size, true})
		case in && start < 0:
			start = i
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(s), false})
	}
	return out
}

// Mark returns s as safe HTML, escaped, with the words that answer the
// query in <mark>, cut to about limit words around the first match (all of s
// when limit is 0), with ellipses where it is cut, and whether a word
// matched.
func Mark(s string, q Query, limit int) (template.HTML, bool) {
	s = strings.Join(strings.Fields(markdownNoise.Replace(strings.ToValidUTF8(s, "\uFFFD"))), " ")
	ws := textWords(s)
	// Words are read up to the first match, then only inside the window
	// around it: a long text is not tokenised word by word to its end.
	hit := make([]bool, len(ws))
	done := make([]bool, len(ws))
	mark := func(i int) {
		if done[i] {
			return
		}
		done[i] = true
		w := ws[i]
		for _, t := range wordTokens(s[w.start:w.end]) {
			if q.MatchesToken(t) {
				hit[i] = true
				break
			}
		}
		// Two characters of an unspaced run that make a bigram of the
		// query are marked both.
		if i > 0 && w.unspaced && ws[i-1].unspaced && ws[i-1].end == w.start {
			if bg := Tokens(s[ws[i-1].start:w.end]); len(bg) == 1 && slices.Contains(q.Tokens, bg[0]) {
				hit[i-1], hit[i] = true, true
			}
		}
	}
	first := -1
	for i := range ws {
		mark(i)
		if hit[i] {
			first = i
			if i > 0 && hit[i-1] {
				first = i - 1 // the first character of a bigram
			}
			break
		}
	}
	if first < 0 {
		// No word answers: the first words, escaped.
		if limit > 0 && len(ws) > limit {
			return template.HTML(html.EscapeString(s[:ws[limit-1].end]) + " …"), false // #nosec G203 -- escaped
		}
		return template.HTML(html.EscapeString(s)), false // #nosec G203 -- escaped
	}
	from, to := 0, len(ws)
	if limit > 0 && len(ws) > limit {
		from = max(0, first-limit/4)
		to = min(len(ws), from+limit)
		if to-from < limit {
			from = max(0, to-limit)
		}
	}
	for i := from; i < min(to+1, len(ws)); i++ {
		mark(i)
	}
	var b strings.Builder
	begin, end := 0, len(s)
	if from > 0 {
		begin = ws[from].start
		b.WriteString("… ")
	}
	if to < len(ws) {
		end = ws[to-1].end
	}
	pos := begin
	for i := from; i < to; i++ {
		if !hit[i] {
			continue
		}
		// Marked characters of an unspaced run that touch make one mark.
		j := i
		for j+1 < to && hit[j+1] && ws[j].unspaced && ws[j+1].unspaced && ws[j].end == ws[j+1].start {
			j++
		}
		b.WriteString(html.EscapeString(s[pos:ws[i].start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[ws[i].start:ws[j].end]))
		b.WriteString("</mark>")
		pos = ws[j].end
		i = j
	}
	b.WriteString(html.EscapeString(s[pos:end]))
	if to < len(ws) {
		b.WriteString(" …")
	}
	return template.HTML(b.String()), first >= 0 // #nosec G203 -- escaped above, <mark> added
}

// wordTokens returns IndexTokens(w) for one word of a text; a word of ASCII
// letters and digits, the most common by far, is only lower-cased, which
// is what IndexTokens makes of it, without its decomposition and folding.
func wordTokens(w string) []string {
	if len(w) > MaxTokenRunes {
		return IndexTokens(w)
	}
	lower := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case 'A' <= c && c <= 'Z':
			lower = true
		default:
			return IndexTokens(w)
		}
	}
	if lower {
		w = strings.ToLower(w)
	}
	return []string{w}
}
