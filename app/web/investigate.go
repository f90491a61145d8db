package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	v1 "forewarn/app/api/v1"
	"forewarn/app/service"
)

// RequireInvestigator lets in a signed-in member whose organisation is a
// vetted investigator now (or an admin): the service decides, on every
// request, so a withdrawn mark or a ban holds at once. Anybody else is
// answered as a page that does not exist, like the moderators' pages.
func (h *Handler) RequireInvestigator(c *fiber.Ctx) error {
	inv, err := h.svc.Investigations.ForUser(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	c.SetUserContext(service.WithInvestigator(c.UserContext(), inv))
	return c.Next()
}

func investigator(c *fiber.Ctx) (service.Investigator, error) {
	inv, ok := service.InvestigatorFrom(c.UserContext())
	if !ok {
		return inv, fiber.ErrNotFound
	}
	return inv, nil
}

// InvestigatePage is the data of the indicator graph's page.
type InvestigatePage struct {
	Query     service.GraphQuery
	Kinds     []string
	Countries CountryOptions
	List      service.GraphPage
	// Export is the query string of the export links: the filters, no
	// page.
	Export string
}

// graphKinds are the indicator kinds the filter offers.
var graphKinds = []string{"phone", "email", "link", "social", "company", "bank_account"}

// ShowInvestigate renders one page of the indicator graph.
func (h *Handler) ShowInvestigate(c *fiber.Ctx) error {
	l := h.localizer(c)
	inv, err := investigator(c)
	if err != nil {
		return err
	}
	p, err := service.ParseGraphQuery(v1.GraphQuery(c))
	if err != nil {
		return err
	}
	list, err := h.svc.Investigations.List(c.UserContext(), inv, p)
	if err != nil {
		return err
	}
	q := p.Query
	q.Country = p.Filter.Country
	pg := h.page(c, l.T("page.investigate.title"), nil)
	data := InvestigatePage{Query: q, Kinds: graphKinds, Countries: countryOptions(l, service.AllCountries()), List: list,
		Export: pg.Query("kind", q.Kind, "country", q.Country, "from", q.From, "to", q.To)}
	pg.Data = data
	return h.render(c, fiber.StatusOK, "investigate", pg)
}

// InvestigateIndicatorPage is the data of one indicator of the graph.
type InvestigateIndicatorPage struct {
	service.GraphDetail
}

// ShowInvestigateIndicator renders one indicator of the graph with what
// mentions it, the indicators seen with it and its counts.
func (h *Handler) ShowInvestigateIndicator(c *fiber.Ctx) error {
	l := h.localizer(c)
	inv, err := investigator(c)
	if err != nil {
		return err
	}
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	p, err := service.ParseGraphQuery(v1.GraphQuery(c))
	if err != nil {
		return err
	}
	d, err := h.svc.Investigations.Indicator(c.UserContext(), inv, id, p, l.Code)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "investigate_indicator", h.page(c, l.T("page.investigate.indicator_title"), InvestigateIndicatorPage{GraphDetail: d}))
}

// SetInvestigator marks an organisation a vetted investigator or
// withdraws the mark.
func (h *Handler) SetInvestigator(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Admin.SetInvestigator(c.UserContext(), viewer(c), id, c.FormValue("investigator") == "1"); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/%s/admin/organisations#org-%d", l.Code, id), fiber.StatusSeeOther)
}
