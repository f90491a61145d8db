package web

import (
	"strings"
	"unicode/utf8"
)

// maxDescription is the length, in characters, past which a page's meta
// description is cut: what search engines and link previews show.
const maxDescription = 160

// describe makes a meta description of a text: its spaces collapsed, cut
// at a word before maxDescription characters with an ellipsis.
func describe(text string) string {
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) <= maxDescription {
		return s
	}
	runes := []rune(s)[:maxDescription-1]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > maxDescription/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
