package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
)

// LanguagesPage is the data of the language picker.
type LanguagesPage struct {
	// Languages are the shipped languages, each named in itself.
	Languages []i18n.Language
	// Next is the path, without a language prefix, that each choice leads
	// to: "/warnings?country=PL", or "" for the home page.
	Next string
}

// maxNextLen bounds the path a choice leads back to.
const maxNextLen = 1024

// ShowLanguages is the language picker, /{lang}/languages?next=/path: every
// shipped language in its own script, each a link to next in that
// language. The choice lives in the address only; nothing is stored.
func (h *Handler) ShowLanguages(c *fiber.Ctx) error {
	l := h.localizer(c)
	next := withoutLanguage(SameSitePath(c.Query("next")), h.catalog.Languages())
	p := h.page(c, l.T("page.languages.title"), LanguagesPage{Languages: h.catalog.Languages(), Next: next})
	// The page's own address, as its header link and its alternates in
	// other languages give it, keeps only a valid next.
	p.Path = "/languages"
	if next != "" {
		p.Path += "?next=" + url.QueryEscape(next)
	}
	return h.render(c, fiber.StatusOK, "languages", p)
}

// SameSitePath returns next when it is a path of this site without its
// language prefix ("/warnings?country=PL"), else "" (the home page): an
// absolute or scheme-relative URL ("https://…", "//host", "/\host"), a
// path that climbs ("/.."), control characters or an over-long value are
// refused, so the picker never leads off the site.
func SameSitePath(next string) string {
	if next == "" || len(next) > maxNextLen || next[0] != '/' || strings.HasPrefix(next, "//") {
		return ""
	}
	control := func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }
	if strings.ContainsFunc(next, control) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.HasPrefix(u.Path, "//") || strings.ContainsFunc(u.Path, control) {
		return ""
	}
	if q, err := url.QueryUnescape(u.RawQuery); err != nil || strings.ContainsFunc(q, control) {
		return ""
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == ".." || seg == "." {
			return ""
		}
	}
	return next
}

// withoutLanguage returns next without a leading shipped language
// ("/en/warnings" is "/warnings"; "/uk" and "/uk?x=1" are the home page),
// so that a link that kept its language still leads to the chosen one.
func withoutLanguage(next string, langs []i18n.Language) string {
	if next == "" {
		return ""
	}
	path, query, hasQuery := strings.Cut(next, "?")
	first, rest, nested := strings.Cut(path[1:], "/")
	for _, l := range langs {
		if strings.EqualFold(first, l.Code) {
			if !nested || rest == "" {
				return "" // the home page
			}
			if hasQuery {
				return "/" + rest + "?" + query
			}
			return "/" + rest
		}
	}
	return next
}
