package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// CheckPage is the data of the check page: the form and, after a check,
// what was found. The text typed is sent back to the reader only.
type CheckPage struct {
	Text      string
	Country   string
	Countries CountryOptions
	Result    *service.CheckResult
}

// ShowCheck renders the empty check form.
func (h *Handler) ShowCheck(c *fiber.Ctx) error {
	l := h.localizer(c)
	data := CheckPage{Countries: countryOptions(l, service.AllCountries())}
	return h.render(c, fiber.StatusOK, "check", h.page(c, l.T("page.check.title"), data))
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
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "check", p)
	}
	data.Result = &result
	return h.render(c, fiber.StatusOK, "check", h.page(c, l.T("page.check.title"), data))
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
