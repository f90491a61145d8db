package search

import (
	"html"
	"html/template"
	"strings"
	"unicode"
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
// typo (long tokens), or as the query's words written together.
func (q Query) MatchesToken(t string) bool {
	for _, w := range q.Tokens {
		if w == t || len([]rune(w)) > 1 && strings.HasPrefix(t, w) || Typo(w, t) {
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

type word struct{ start, end int }

// words cuts s into runs of letters, digits and marks, the pieces whose
// tokens the index keeps.
func words(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == 0x0640 || r == 0x200C || r == 0x200D
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, word{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, len(s)})
	}
	return out
}

// Mark returns s as safe HTML, escaped, with the words that answer the
// query in <mark>, cut to about limit words around the first match (all of s
// when limit is 0), with ellipses where it is cut, and whether a word
// matched.
func Mark(s string, q Query, limit int) (template.HTML, bool) {
	s = strings.Join(strings.Fields(markdownNoise.Replace(strings.ToValidUTF8(s, "\uFFFD"))), " ")
	ws := words(s)
	hit := make([]bool, len(ws))
	first := -1
	for i, w := range ws {
		for _, t := range Tokens(s[w.start:w.end]) {
			if q.MatchesToken(t) {
				hit[i] = true
				break
			}
		}
		if hit[i] && first < 0 {
			first = i
		}
	}
	from, to := 0, len(ws)
	if limit > 0 && len(ws) > limit {
		from = max(0, first-limit/4)
		to = min(len(ws), from+limit)
		if to-from < limit {
			from = max(0, to-limit)
		}
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
		b.WriteString(html.EscapeString(s[pos:ws[i].start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[ws[i].start:ws[i].end]))
		b.WriteString("</mark>")
		pos = ws[i].end
	}
	b.WriteString(html.EscapeString(s[pos:end]))
	if to < len(ws) {
		b.WriteString(" …")
	}
	return template.HTML(b.String()), first >= 0 // #nosec G203 -- escaped above, <mark> added
}
