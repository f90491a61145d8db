package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
	"forewarn/app/service"
)

// CheckPage is the data of the check page: the form and, after a check,
// what was found. The text typed is sent back to the reader only.
type CheckPage struct {
	Text      string
	Country   string
	Countries CountryOptions
	Result    *service.CheckResult
	// Verdict is the answer of Result in the reader's language.
	Verdict CheckVerdict
}

// CheckVerdict says a check's verdict in whole sentences: the heading (also
// the page's title), what to do, and the warning signs to watch for when
// nothing is known.
type CheckVerdict struct {
	Heading  string
	Lead     string
	RedFlags []string
}

// checkVerdict words the verdict of r for l.
func checkVerdict(l *i18n.Localizer, r service.CheckResult) CheckVerdict {
	var v CheckVerdict
	switch r.Verdict {
	case service.VerdictDanger:
		v.Heading = l.TN("page.check.verdict.danger", r.InWarnings)
		v.Lead = l.T("page.check.verdict.danger_lead")
	case service.VerdictCaution:
		v.Heading = l.TN("page.check.verdict.caution", r.InReports)
		v.Lead = l.T("page.check.verdict.caution_lead")
	case service.VerdictUnknown:
		v.Heading = l.T("page.check.verdict.unknown")
		v.Lead = l.TN("page.check.verdict.unknown_lead", len(r.Indicators))
	default:
		v.Heading = l.T("page.check.verdict.none")
		v.Lead = l.T("page.check.nothing")
	}
	for _, key := range r.RedFlags {
		v.RedFlags = append(v.RedFlags, l.T(key))
	}
	return v
}

// ShowCheck renders the empty check form.
func (h *Handler) ShowCheck(c *fiber.Ctx) error {
	l := h.localizer(c)
	data := CheckPage{Countries: countryOptions(l, service.AllCountries())}
	p := h.page(c, l.T("page.check.title"), data)
	p.Description = l.T("page.check.description")
	return h.render(c, fiber.StatusOK, "check", p)
}

// Check extracts and matches the indicators of the text sent. Nothing of
// it is stored or logged, and the answer is not cached anywhere.
func (h *Handler) Check(c *fiber.Ctx) error {
	l := h.localizer(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	data := CheckPage{Text: c.FormValue("text"), Country: c.FormValue("country"), Countries: countryOptions(l, service.AllCountries())}
	result, err := h.svc.Checker.Check(c.UserContext(), service.CheckInput{Text: data.Text, Country: data.Country}, l.Code)
	if err != nil {
		form, ferr := formOf(l, map[string]string{"text": data.Text}, err)
		if ferr != nil {
			return ferr
		}
		if len(data.Text) > service.MaxCheckBytes {
			// Not even echoed back beyond the limit.
			data.Text = ""
		}
		p := h.page(c, l.T("page.check.title"), data)
		p.Description = l.T("page.check.description")
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "check", p)
	}
	data.Result = &result
	data.Verdict = checkVerdict(l, result)
	p := h.page(c, data.Verdict.Heading, data)
	p.Description = l.T("page.check.description")
	return h.render(c, fiber.StatusOK, "check", p)
}

// ShowIndicator lists everything public that mentions one indicator.
func (h *Handler) ShowIndicator(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	ind, err := h.svc.Checker.Indicator(c.UserContext(), id, l.Code)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "indicator", h.page(c, l.T("page.indicator.title"), ind))
}
