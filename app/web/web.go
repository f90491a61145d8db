// Package web serves the HTML pages: it decodes requests, calls the
// services, and renders localised templates.
package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/valyala/fasthttp"

	"forewarn/app/httperr"
	"forewarn/app/i18n"
	"forewarn/app/service"
	"forewarn/app/view"
)

// Handler holds what the HTML handlers need.
type Handler struct {
	svc          *service.Services
	catalog      *i18n.Catalog
	views        *view.Renderer
	baseURL      string
	quickExitURL string
	log          *slog.Logger
	sessions     *session.Store
	csrf         *CSRFTokens
	alarms       func() []Alarm
	// reportLists keeps the rendered lists of reports (see ListReports).
	reportLists renderedLists
	// reportPages keeps whole pages of reports (see ListReports).
	reportPages renderedLists
}

// Options configures the HTML handlers.
type Options struct {
	BaseURL      string
	QuickExitURL string
	// Sessions keeps signed-in members' sessions.
	Sessions *session.Store
	// CSRF issues the CSRF tokens bound to sessions.
	CSRF *CSRFTokens
	// Alarms returns the current site-wide alarms, shown to admins.
	Alarms func() []Alarm
}

// New returns the HTML handlers over views and catalog, which must have
// passed CheckPages.
func New(svc *service.Services, catalog *i18n.Catalog, views *view.Renderer, log *slog.Logger, opts Options) (*Handler, error) {
	return &Handler{svc: svc, catalog: catalog, views: views, baseURL: opts.BaseURL, quickExitURL: opts.QuickExitURL, log: log, sessions: opts.Sessions, csrf: opts.CSRF, alarms: opts.Alarms}, nil
}

// CheckPages renders every page once in every language with sample data,
// as a visitor and as a member, so that a broken template stops the binary
// at start-up instead of failing a reader.
func CheckPages(catalog *i18n.Catalog, views *view.Renderer) error {
	member := &view.Viewer{ID: 1, Pseudonym: "sample", Role: "admin"}
	form := &view.Form{Values: map[string]string{"pseudonym": "x"}, Errors: map[string][]string{"pseudonym": {"e"}, "login": {"e"}}, General: []string{"g"}}
	samples := samplePages(catalog.Languages())
	for _, name := range view.Pages {
		if _, ok := samples[name]; !ok {
			return fmt.Errorf("check pages: no sample data for page %s", name)
		}
	}
	// One language per core: the check renders every page in every
	// language twice, the longest part of a start.
	langs := catalog.Languages()
	errs := make([]error, len(langs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(langs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = checkLanguage(catalog, views, langs[i], samples, member, form)
			}
		}()
	}
	for i := range langs {
		next <- i
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// checkLanguage renders every sample page in one language, as a visitor
// and as a member.
func checkLanguage(catalog *i18n.Catalog, views *view.Renderer, lang i18n.Language, samples map[string]sample, member *view.Viewer, form *view.Form) error {
	for name, sample := range samples {
		for _, as := range []*view.Viewer{nil, member} {
			if as == nil && sample.membersOnly {
				continue
			}
			p := &view.Page{L: catalog.Localizer(lang.Code), Languages: catalog.Languages(), Path: "/", Title: name, Data: sample.data, Viewer: as, Form: form}
			if err := views.Render(io.Discard, name, p); err != nil {
				return fmt.Errorf("check page %s in %s: %w", name, lang.Code, err)
			}
		}
	}
	return nil
}

const localizerKey = "localizer"

// Localize is the middleware of every /{lang}/… route: it binds the
// request's localizer, or redirects a prefix that is not a shipped code
// (see redirectToLanguage).
func (h *Handler) Localize(c *fiber.Ctx) error {
	code := c.Params("lang")
	if _, ok := h.catalog.Lookup(code); !ok {
		return h.redirectToLanguage(c, code)
	}
	c.Locals(localizerKey, h.catalog.Localizer(code))
	c.Set(fiber.HeaderContentLanguage, code)
	return c.Next()
}

// unknownLangParam carries, in the address a redirect leads to, the
// language a reader asked for and Forewarn lacks, so that the page says
// so (no cookie remembers anything).
const unknownLangParam = "unknown_lang"

// redirectToLanguage sends the reader to the same page, with its query,
// under the shipped language the first segment of the path names or is
// closest to (pt-BR → pt, zh-CN → zh, prs → fa). Another language whose
// readers CLDR expects to read a shipped one goes there with a notice
// naming what was asked (kk → ru); a language tag that matches none goes
// to the reader's browser language, else English, with that notice; a
// segment that is no language tag at all is a path without a language,
// put under the browser's.
func (h *Handler) redirectToLanguage(c *fiber.Ctx, asked string) error {
	path := c.Path()
	rest := path
	query := string(c.Context().QueryArgs().QueryString())
	best, kind := h.catalog.MatchPrefix(asked)
	switch kind {
	case i18n.PrefixClose:
		rest = strings.TrimPrefix(path, "/"+asked)
	case i18n.PrefixUnknown, i18n.PrefixNear:
		rest = strings.TrimPrefix(path, "/"+asked)
		if kind == i18n.PrefixUnknown {
			best = h.catalog.Match(c.Get(fiber.HeaderAcceptLanguage))
			c.Vary(fiber.HeaderAcceptLanguage)
		}
		if tag, ok := i18n.CanonicalTag(asked); ok {
			args := fasthttp.AcquireArgs()
			defer fasthttp.ReleaseArgs(args)
			c.Context().QueryArgs().CopyTo(args)
			args.Set(unknownLangParam, tag)
			query = string(args.QueryString())
		}
	default:
		best = h.catalog.Match(c.Get(fiber.HeaderAcceptLanguage))
		c.Vary(fiber.HeaderAcceptLanguage)
	}
	target := "/" + best.Code + rest
	if query != "" {
		target += "?" + query
	}
	return c.Redirect(target, fiber.StatusFound)
}

// RedirectRoot sends "/" to the home page in the reader's language.
func (h *Handler) RedirectRoot(c *fiber.Ctx) error {
	best := h.catalog.Match(c.Get(fiber.HeaderAcceptLanguage))
	c.Vary(fiber.HeaderAcceptLanguage)
	return c.Redirect("/"+best.Code, fiber.StatusFound)
}

// NotFound is the last handler: a path with a shipped language prefix gets
// the localised 404 page, any other path is redirected under a language.
func (h *Handler) NotFound(c *fiber.Ctx) error {
	first, _, _ := strings.Cut(strings.TrimPrefix(c.Path(), "/"), "/")
	if _, ok := h.catalog.Lookup(first); ok || c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return fiber.ErrNotFound
	}
	return h.redirectToLanguage(c, first)
}

func (h *Handler) localizer(c *fiber.Ctx) *i18n.Localizer {
	if l, ok := c.Locals(localizerKey).(*i18n.Localizer); ok {
		return l
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(c.Path(), "/"), "/")
	if _, ok := h.catalog.Lookup(first); ok {
		return h.catalog.Localizer(first)
	}
	return h.catalog.Localizer(h.catalog.Match(c.Get(fiber.HeaderAcceptLanguage)).Code)
}

// page builds the data every template receives.
func (h *Handler) page(c *fiber.Ctx, title string, data any) *view.Page {
	l := h.localizer(c)
	rest := strings.TrimPrefix(c.Path(), "/"+l.Code)
	canonical := rest
	var notice string
	if q := c.Context().QueryArgs(); q.Len() > 0 {
		if asked := string(q.Peek(unknownLangParam)); asked != "" {
			if tag, ok := i18n.CanonicalTag(asked); ok {
				notice = l.T("notice.language_unknown", "Language", l.LanguageName(tag))
			}
			args := fasthttp.AcquireArgs()
			defer fasthttp.ReleaseArgs(args)
			q.CopyTo(args)
			args.Del(unknownLangParam)
			q = args
		}
		if s := q.QueryString(); len(s) > 0 {
			rest += "?" + string(s)
		}
	}
	names, err := h.svc.Warnings.CategoryNames(c.UserContext())
	if err != nil {
		h.log.Warn("category names", "request_id", httperr.RequestID(c), "err", err)
	}
	return &view.Page{
		CategoryNames: names,
		L:             l,
		Languages:     h.catalog.Languages(),
		Path:          rest,
		Canonical:     canonical,
		Title:         title,
		BaseURL:       h.baseURL,
		QuickExitURL:  h.quickExitURL,
		Data:          data,
		Viewer:        h.pageViewer(c),
		CSRF:          csrfToken(c),
		Alarms:        h.alarmsFor(c, l),
		LangNotice:    notice,
	}
}

func csrfToken(c *fiber.Ctx) string {
	token, _ := c.Locals(CSRFKey).(string)
	return token
}

// render writes a page with status.
func (h *Handler) render(c *fiber.Ctx, status int, name string, p *view.Page) error {
	var buf bytes.Buffer
	if err := h.views.Render(&buf, name, p); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

// CountryOption is a country in a filter, named in the reader's language.
type CountryOption struct {
	Code string
	Name string
	// codeHTML and nameHTML are Code and Name escaped, kept with the
	// memoised lists (see CountryOptions.HTML).
	codeHTML, nameHTML string
}

// ErrorPage is the data of the error page.
type ErrorPage struct {
	Heading  string
	Messages []string
}

// RenderError renders err as a localised error page; the server's error
// handler calls it for every HTML route. Internal details are logged with
// the request ID, which the page shows, never described.
func (h *Handler) RenderError(c *fiber.Ctx, err error) error {
	l := h.localizer(c)
	info := httperr.Classify(err)
	data := ErrorPage{Heading: l.T(info.TitleKey)}
	if info.DetailKey != "" {
		data.Messages = append(data.Messages, l.T(info.DetailKey))
	}
	for _, inv := range info.Invalids {
		data.Messages = append(data.Messages, l.Invalid(inv))
	}
	if info.Internal {
		id := httperr.RequestID(c)
		h.log.Error("page failed", "request_id", id, "route", c.Route().Path, "err", err)
		data.Messages = append(data.Messages, l.T("error.request_id", "ID", id))
	}
	if info.Unavailable {
		id := httperr.RequestID(c)
		h.log.Warn("page unavailable", "request_id", id, "route", c.Route().Path, "code", info.Code, "err", err)
		data.Messages = append(data.Messages, l.T("error.request_id", "ID", id))
	}
	if info.ShowID {
		data.Messages = append(data.Messages, l.T("error.request_id", "ID", httperr.RequestID(c)))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, info.Status, "error", h.page(c, data.Heading, data))
}
