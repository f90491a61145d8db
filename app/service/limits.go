package service

import "strings"

// echoMargin is how far beyond its limit a field's text is shown again in
// a refused form: enough to see where it was cut.
const echoMargin = 32

// defaultEchoLen bounds the fields without a limit of their own (codes,
// lists of codes, names, addresses).
const defaultEchoLen = 1000

// EchoLimit is the most characters of a form field that a refused form
// shows again: the field's maximum length plus a little, so that a huge
// value costs a small page, never its own size again.
func EchoLimit(field string) int {
	switch {
	case field == "body" || field == "passage":
		return maxBodyLen + echoMargin
	case field == "text":
		return MaxCheckBytes + echoMargin
	case field == "title":
		return maxTitleLen + echoMargin
	case field == "reason" || field == "note" || field == "summary":
		return maxReasonLen + echoMargin
	case strings.HasPrefix(field, "name"):
		return 120 + echoMargin
	}
	return defaultEchoLen
}

// BoundText cuts s to at most n characters.
func BoundText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
