package v1

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"forewarn/app/apperr"
	"forewarn/app/i18n"
)

// maxLangs bounds the languages of a comma list in lang.
const maxLangs = 16

// langChoice is the language a warning answer is asked in: primary, the
// language of its main fields ("" for the warning's default: English,
// else its original), and which translations to add in full.
type langChoice struct {
	primary string
	// all asks for every translation (lang=*); list for these ones
	// (lang=en,uk), in order.
	all  bool
	list []string
}

// multi reports whether the answer carries a translations array.
func (l langChoice) multi() bool { return l.all || len(l.list) > 0 }

// wants reports whether a translation in lang belongs in the array.
func (l langChoice) wants(lang string) bool {
	if l.all {
		return true
	}
	for _, x := range l.list {
		if x == lang {
			return true
		}
	}
	return false
}

// chooseLang reads the lang parameter of a warning request: one BCP 47
// tag, "*" for every translation, or a comma list of tags; without it,
// the Accept-Language header chooses the main language. Each tag is
// reduced to its base language by i18n.BaseLanguage; an unknown or
// malformed one is an apperr.Invalid of field lang. The answer varies
// with Accept-Language.
func chooseLang(c *fiber.Ctx) (langChoice, error) {
	c.Vary(fiber.HeaderAcceptLanguage)
	raw := c.Query("lang")
	fromHeader, _ := i18n.AcceptBase(c.Get(fiber.HeaderAcceptLanguage))
	switch {
	case raw == "":
		return langChoice{primary: fromHeader}, nil
	case raw == "*":
		return langChoice{primary: fromHeader, all: true}, nil
	case !strings.Contains(raw, ","):
		base, err := contentLang(raw)
		return langChoice{primary: base}, err
	}
	parts := strings.Split(raw, ",")
	if len(parts) > maxLangs {
		return langChoice{}, &apperr.Invalid{Field: "lang", Key: "error.language.too_many", Args: map[string]any{"Max": maxLangs}}
	}
	var out langChoice
	for _, p := range parts {
		base, err := contentLang(strings.TrimSpace(p))
		if err != nil || base == "" {
			return langChoice{}, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"}
		}
		if !out.wants(base) {
			out.list = append(out.list, base)
		}
	}
	out.primary = out.list[0]
	return out, nil
}

// contentLang validates one language tag and returns its base language
// ("" for an empty tag).
func contentLang(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	base, ok := i18n.BaseLanguage(s)
	if !ok {
		return "", &apperr.Invalid{Field: "lang", Key: "error.language.unknown"}
	}
	return base, nil
}

// setContentLanguage names the languages of the texts of an answer, in
// order of appearance; fallback when it has none (an empty list).
func setContentLanguage(c *fiber.Ctx, langs []string, fallback string) {
	seen := map[string]bool{}
	var out []string
	for _, l := range langs {
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		if fallback == "" {
			fallback = "en"
		}
		out = []string{fallback}
	}
	c.Set(fiber.HeaderContentLanguage, strings.Join(out, ", "))
}

// SetLastModified sets Last-Modified to t, at HTTP's one-second
// precision; the server's conditional middleware honours
// If-Modified-Since against it (If-None-Match wins when both are sent).
func SetLastModified(c *fiber.Ctx, t time.Time) {
	if t.IsZero() {
		return
	}
	c.Set(fiber.HeaderLastModified, t.UTC().Format(http.TimeFormat))
}

// SetNextLink sends the RFC 8288 Link to the next page of a list: this
// request's URL under baseURL, every parameter kept, param set to value.
func SetNextLink(c *fiber.Ctx, baseURL, param, value string) {
	var args fasthttp.Args
	c.Context().QueryArgs().CopyTo(&args)
	args.Set(param, value)
	c.Append(fiber.HeaderLink, "<"+baseURL+c.Path()+"?"+args.String()+`>; rel="next"`)
}
