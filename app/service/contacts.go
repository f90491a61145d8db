package service

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"

	"forewarn/app/extract"
)

// posterMarkdown renders what members write (reports, replies): Markdown
// structure, but no link of theirs is ever live. A Markdown link shows its
// text and its target as text, nothing is autolinked, raw HTML is dropped,
// and every contact found in the text (link, e-mail address, handle, phone
// number, bank account) is marked as a contact from a report; it links to
// its Forewarn indicator page when there is one, else it is inert text. A
// scam's website or address is then never one tap away.
type posterMarkdown struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

func newPosterMarkdown() *posterMarkdown {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td")
	md := goldmark.New(
		goldmark.WithExtensions(extension.Strikethrough, extension.Table),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(inertLinks{}, 100))),
	)
	return &posterMarkdown{md: md, policy: p}
}

// contactLinks maps the normalised value of an indicator to the ID of its
// page.
type contactLinks map[string]int64

// render turns src into sanitised HTML for a reader of lang, region being
// the country in which phone numbers without a country code are read.
func (m *posterMarkdown) render(src, lang, region string, pages contactLinks) (string, error) {
	var buf bytes.Buffer
	if err := m.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("render poster markdown: %w", err)
	}
	return markContacts(m.policy.Sanitize(buf.String()), lang, region, pages), nil
}

// markContacts wraps the contacts in the text of sanitised HTML, which has
// no attributes, so that only its text nodes are rewritten.
func markContacts(src, lang, region string, pages contactLinks) string {
	var out strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out.String()
		}
		if tt != xhtml.TextToken {
			out.Write(z.Raw())
			continue
		}
		text := string(z.Text())
		at := 0
		for _, f := range extract.Extract(text, extract.Options{Region: region}) {
			if f.Start < at {
				continue
			}
			out.WriteString(html.EscapeString(text[at:f.Start]))
			raw := html.EscapeString(text[f.Start:f.End])
			if id, ok := pages[f.Normalized]; ok && lang != "" {
				out.WriteString(`<a class="contact" href="/` + lang + `/indicators/` + strconv.FormatInt(id, 10) + `">` + raw + `</a>`)
			} else {
				out.WriteString(`<span class="contact">` + raw + `</span>`)
			}
			at = f.End
		}
		out.WriteString(html.EscapeString(text[at:]))
	}
}

// contactsOf returns the normalised values of the contacts in texts.
func contactsOf(region string, texts ...string) []string {
	var out []string
	for _, t := range texts {
		for _, f := range extract.Extract(t, extract.Options{Region: region}) {
			out = append(out, f.Normalized)
		}
	}
	return out
}

// inertLinks renders Markdown links as their text followed by their target
// in brackets, and autolinks as their text: never an <a>.
type inertLinks struct{}

func (inertLinks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if dest := string(n.(*ast.Link).Destination); dest != "" {
				_, _ = w.WriteString(" (" + html.EscapeString(dest) + ")")
			}
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindAutoLink, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.Write(util.EscapeHTML(n.(*ast.AutoLink).Label(source)))
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindImage, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString(" (" + html.EscapeString(string(n.(*ast.Image).Destination)) + ")")
		}
		return ast.WalkContinue, nil
	})
}

// hasContacts reports whether rendered poster HTML marks a contact.
func hasContacts(rendered string) bool {
	return strings.Contains(rendered, `class="contact"`)
}
