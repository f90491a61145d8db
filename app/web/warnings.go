package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/httperr"
	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/qrsvg"
	"forewarn/app/service"
)

// homeLatest is how many warnings the home page shows.
const homeLatest = "10"

// HomePage is the data of the home page.
type HomePage struct {
	Country   string
	Countries CountryOptions
	Warnings  []service.WarningSummary
}

// ShowHome renders the latest warnings, optionally for one country.
func (h *Handler) ShowHome(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	list, err := h.svc.Warnings.List(ctx, service.WarningQuery{Lang: l.Code, Country: c.Query("country"), Limit: homeLatest})
	if err != nil {
		return err
	}
	codes, err := h.svc.Warnings.Countries(ctx)
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.home.title"), HomePage{Country: list.Filter.Country, Countries: countryOptions(l, codes), Warnings: list.Items})
	p.FeedPath = feedPath(l.Code, service.WarningFilter{Country: list.Filter.Country})
	return h.render(c, fiber.StatusOK, "home", p)
}

// WarningsPage is the data of the warnings list.
type WarningsPage struct {
	List       service.WarningList
	Countries  CountryOptions
	Categories []string
	Severities []model.Severity
}

// ListWarnings renders one page of warnings with the filters of the query.
func (h *Handler) ListWarnings(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	list, err := h.svc.Warnings.List(ctx, service.WarningQuery{
		Lang:     l.Code,
		Country:  c.Query("country"),
		Category: c.Query("category"),
		Severity: c.Query("severity"),
		Page:     c.Query("page"),
	})
	if err != nil {
		return err
	}
	codes, err := h.svc.Warnings.Countries(ctx)
	if err != nil {
		return err
	}
	cats, err := h.svc.Warnings.Categories(ctx)
	if err != nil {
		return err
	}
	title := l.T("page.warnings.title")
	if list.Page > 1 {
		title += " · " + l.T("pager.page", "Page", list.Page)
	}
	p := h.page(c, title, WarningsPage{List: list, Countries: countryOptions(l, codes), Categories: cats, Severities: model.Severities})
	p.FeedPath = feedPath(l.Code, list.Filter)
	p.Description = l.T("page.warnings.description")
	return h.render(c, fiber.StatusOK, "warnings", p)
}

// WarningPage is the data of a warning's page.
type WarningPage struct {
	Warning        service.WarningDetail
	BodyHTML       template.HTML
	Routes         []Route
	RetractedDate  time.Time
	OtherLanguages []i18n.Language
	ShareText      string
	// ShortLink is the warning's short address (/w/{id} on the base URL)
	// and QR its QR code as inline SVG, both for the printed leaflet.
	ShortLink string
	QR        template.HTML
}

// Route groups a warning's countries by their role on the route.
type Route struct {
	Role      model.CountryRole
	Countries []string
}

// ShowWarning renders one warning in the reader's language, or in its
// original language with a notice.
func (h *Handler) ShowWarning(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	w, err := h.svc.Warnings.Get(c.UserContext(), id, l.Code)
	if err != nil {
		return err
	}
	data := WarningPage{
		Warning:   w,
		BodyHTML:  template.HTML(w.BodyHTML), // sanitised by the service
		Routes:    routes(w.Countries),
		ShareText: h.shareText(l, w),
		ShortLink: h.shortLink(w.ID),
	}
	if data.QR, err = qrsvg.SVG(data.ShortLink, l.T("warning.print.qr_label")); err != nil {
		return err
	}
	if w.RetractedAt != nil {
		data.RetractedDate = *w.RetractedAt
	}
	for _, code := range w.Languages {
		if lang, ok := h.catalog.Lookup(code); ok && code != l.Code {
			data.OtherLanguages = append(data.OtherLanguages, lang)
		}
	}
	p := h.page(c, w.Title, data)
	p.Description = describe(w.Summary)
	return h.render(c, fiber.StatusOK, "warning", p)
}

// ShortLink sends /w/{id} to the warning in the reader's language.
func (h *Handler) ShortLink(c *fiber.Ctx) error {
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	best := h.catalog.Match(c.Get(fiber.HeaderAcceptLanguage))
	c.Vary(fiber.HeaderAcceptLanguage)
	return c.Redirect(fmt.Sprintf("/%s/warnings/%d", best.Code, id), fiber.StatusFound)
}

// SafetyPage is the data of the advice page.
type SafetyPage struct {
	// Countries are offered when the reader keeps warnings on their phone.
	Countries CountryOptions
}

// ShowSafety renders the advice page.
func (h *Handler) ShowSafety(c *fiber.Ctx) error {
	l := h.localizer(c)
	codes, err := h.svc.Warnings.Countries(c.UserContext())
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.safety.title"), SafetyPage{Countries: countryOptions(l, codes)})
	p.Description = l.T("page.safety.description")
	return h.render(c, fiber.StatusOK, "safety", p)
}

// ParseID reads an ID in its canonical form (httperr.ParseID): another
// spelling of a number is not found, anything else is an apperr.Invalid.
func ParseID(s string) (int64, error) {
	return httperr.ParseID(s)
}

func routes(cs []model.WarningCountry) []Route {
	var out []Route
	for _, role := range []model.CountryRole{model.CountryOrigin, model.CountryTransit, model.CountryDestination} {
		r := Route{Role: role}
		for _, c := range cs {
			if c.Role == role {
				r.Countries = append(r.Countries, c.Country)
			}
		}
		if len(r.Countries) > 0 {
			out = append(out, r)
		}
	}
	return out
}

// shareText is the warning as plain text, ready to paste into a messenger.
func (h *Handler) shareText(l *i18n.Localizer, w service.WarningDetail) string {
	var b strings.Builder
	b.WriteString("⚠ " + l.T("share.warning") + " (" + l.T("severity."+string(w.Severity)) + "): " + w.Title + "\n\n")
	b.WriteString(w.Summary + "\n")
	if len(w.Indicators) > 0 {
		b.WriteString("\n" + l.T("share.signs") + "\n")
		for _, ind := range w.Indicators {
			b.WriteString("• " + ind.Raw + "\n")
		}
	}
	b.WriteString("\n" + l.T("share.more") + " " + h.shortLink(w.ID))
	return b.String()
}

// shortLink is the short address of warning id, which ShortLink answers.
func (h *Handler) shortLink(id int64) string {
	return fmt.Sprintf("%s/w/%d", h.baseURL, id)
}

// feedPath is the Atom feed of the list filtered by f.
func feedPath(lang string, f service.WarningFilter) string {
	q := url.Values{}
	if f.Country != "" {
		q.Set("country", f.Country)
	}
	if f.Category != "" {
		q.Set("category", f.Category)
	}
	if f.Severity != "" {
		q.Set("severity", string(f.Severity))
	}
	if len(q) == 0 {
		return "/" + lang + "/warnings.atom"
	}
	return "/" + lang + "/warnings.atom?" + q.Encode()
}
