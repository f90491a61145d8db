// Package view renders the server-side HTML pages from embedded templates.
// Every page is parsed and checked at boot; a request's language reaches the
// templates through the Page it renders, never through a shared FuncMap.
package view

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"
	"time"

	"forewarn/app/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

// Pages lists every page template; the renderer refuses to start without one.
var Pages = []string{"home", "warnings", "warning", "safety", "error", "register", "login", "account", "reports", "report", "report_new", "report_edit", "reply_edit", "mod_queue", "flag", "mod_flags", "mod_log", "mod_warnings", "mod_warning", "mod_translate", "admin_users", "admin_user", "admin_orgs", "admin_categories", "check", "indicator", "offline", "help", "help_chooser", "admin_help", "recovery_codes", "recover", "admin_keys", "developers", "investigate", "investigate_indicator", "admin_webhooks", "search", "languages"}

// Renderer holds the parsed page templates.
type Renderer struct {
	pages  map[string]*template.Template
	assets *Assets
	// prerendered is the layout around a page's content rendered before
	// (see RenderContent and RenderPrerendered).
	prerendered *template.Template
}

// funcs are pure helpers; nothing here depends on the request.
var funcs = template.FuncMap{
	"add":  func(a, b int) int { return a + b },
	"sub":  func(a, b int) int { return a - b },
	"list": func(items ...string) []string { return items },
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// New parses the layout with each page; a template that does not parse
// stops the binary at start-up (web.New then renders every page once).
func New(assets *Assets) (*Renderer, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/help_partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	r := &Renderer{pages: map[string]*template.Template{}, assets: assets}
	for _, name := range Pages {
		t, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", name, err)
		}
		if _, err := t.ParseFS(templateFS, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		r.pages[name] = t
	}
	pre, err := layout.Clone()
	if err != nil {
		return nil, fmt.Errorf("clone layout: %w", err)
	}
	if r.prerendered, err = pre.Parse(`{{define "content"}}{{.Content}}{{end}}`); err != nil {
		return nil, fmt.Errorf("parse prerendered content: %w", err)
	}
	return r, nil
}

// RenderContent returns the content of the page named name alone, without
// the layout around it: the part of a page that depends neither on the
// viewer nor on the request beyond what p.Data says, so that it can be
// kept and shown again with RenderPrerendered.
func (r *Renderer) RenderContent(name string, p *Page) (template.HTML, error) {
	t, ok := r.pages[name]
	if !ok {
		return "", fmt.Errorf("render: no page %q", name)
	}
	p.assets = r.assets
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", p); err != nil {
		return "", fmt.Errorf("render content of %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil //nolint:gosec // rendered by the page's own template
}

// RenderPrerendered writes a page around content made by RenderContent:
// the same bytes as Render of that page with the same data.
func (r *Renderer) RenderPrerendered(w io.Writer, p *Page, content template.HTML) error {
	p.assets = r.assets
	p.Content = content
	var buf bytes.Buffer
	if err := r.prerendered.Execute(&buf, p); err != nil {
		return fmt.Errorf("render prerendered page: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Render writes the page named name.
func (r *Renderer) Render(w io.Writer, name string, p *Page) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	p.assets = r.assets
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Page is what every template receives: the request's localizer and the
// page's own data.
type Page struct {
	L         *i18n.Localizer
	Languages []i18n.Language
	// Path is the request path without the language prefix, with its query,
	// so that the language switcher keeps the reader where they are.
	Path  string
	Title string
	// Description is the page's own meta description; the site's when
	// empty.
	Description  string
	BaseURL      string
	QuickExitURL string
	// FeedPath is the Atom feed announced in the head, if any.
	FeedPath string
	// Canonical is the page's own path without a query, for the head.
	Canonical string
	Data      any
	// Viewer is the signed-in member, nil for a visitor.
	Viewer *Viewer
	// CSRF is the token every form of the page must send back as _csrf.
	CSRF string
	// Form is the submitted form shown again, if any.
	Form *Form
	// Alarms are warnings about the whole site, shown to admins.
	Alarms []string
	// CategoryNames are admin-given names of categories by language and slug.
	CategoryNames map[string]map[string]string
	// LangNotice says that the language the reader asked for in the
	// address is not one of Forewarn's, if it was not.
	LangNotice string
	// Content is a page's content rendered before (see RenderPrerendered).
	Content template.HTML
	assets  *Assets
}

// Category names a category in the page's language: the admin-given name,
// else the interface's translation, else the English admin-given name, else
// its slug.
func (p *Page) Category(slug string) string {
	return CategoryName(p.L, p.CategoryNames, slug)
}

// CategoryName names a category for l, as Page.Category does.
func CategoryName(l *i18n.Localizer, names map[string]map[string]string, slug string) string {
	if name := names[l.Code][slug]; name != "" {
		return name
	}
	key := "category." + slug
	if name := l.T(key); name != key {
		return name
	}
	if name := names["en"][slug]; name != "" {
		return name
	}
	return slug
}

// T renders a message in the page's language.
func (p *Page) T(id string, args ...any) string { return p.L.T(id, args...) }

// TN renders a plural message for count in the page's language.
func (p *Page) TN(id string, count int, args ...any) string { return p.L.TN(id, count, args...) }

// Country names a country in the page's language.
func (p *Page) Country(code string) string { return p.L.Country(code) }

// LanguageName names a content language in the page's language.
func (p *Page) LanguageName(code string) string { return p.L.LanguageName(code) }

// Date formats a date in the page's language.
func (p *Page) Date(t time.Time) string { return p.L.Date(t) }

// Number writes n with the page language's digits (CLDR).
func (p *Page) Number(n int) string { return p.L.Number(n) }

// ListSep returns what separates the items of a list in the page language
// ("، " in Arabic and Persian).
func (p *Page) ListSep() string { return p.L.ListSeparator() }

// Asset returns the content-hashed URL of a static file.
func (p *Page) Asset(name string) string { return p.assets.URL(name) }

// URL returns a path of the site in the page's language.
func (p *Page) URL(path string) string { return "/" + p.L.Code + path }

// LangURL returns the current page in another language.
func (p *Page) LangURL(code string) string { return "/" + code + p.Path }

// LanguagesURL returns the language picker of the page's language, which
// leads back to the current page in the language chosen.
func (p *Page) LanguagesURL() string {
	if strings.HasPrefix(p.Path, "/languages") {
		return p.URL(p.Path)
	}
	if p.Path == "" || p.Path == "/" {
		return p.URL("/languages")
	}
	return p.URL("/languages") + "?next=" + url.QueryEscape(p.Path)
}

// Query builds "?k=v&…" from alternating names and values, leaving out
// empty values and page 1; it returns "" when nothing remains.
func (p *Page) Query(kv ...any) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		val := fmt.Sprint(kv[i+1])
		if k == "" || val == "" || (k == "page" && val == "1") {
			continue
		}
		{
			v.Set(k, val)
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// TextDir is the text direction of content in lang.
func (p *Page) TextDir(lang string) string { return i18n.Direction(lang) }

// Dir is the text direction of the page's language.
func (p *Page) Dir() string { return p.L.Dir() }

// AssetURL returns the content-hashed URL of the named static file, for
// handlers that name assets outside a template (the web app manifest, the
// offline list).
func (r *Renderer) AssetURL(name string) string { return r.assets.URL(name) }
