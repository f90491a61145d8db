package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// searchLatest is how many warnings a search page offers when it has no
// query or finds nothing.
const searchLatest = "5"

// SearchPage is the data of the search page.
type SearchPage struct {
	Q, Type, Country, Category string
	Result                     service.SearchPage
	Countries                  CountryOptions
	Categories                 []string
	// Prev and Next are the cursors of the neighbouring pages; HasPrev
	// tells the first page's empty cursor from none.
	Prev, Next string
	HasPrev    bool
	// Latest are the newest warnings of the country, offered when the
	// query is empty or finds nothing.
	Latest []service.WarningSummary
}

// ShowSearch renders /{lang}/search: results for q with the filters, or
// suggestions when q is empty. The query is neither logged nor stored and
// the page sets no cookie: it is a public page like the lists.
func (h *Handler) ShowSearch(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	d := SearchPage{Q: c.Query("q"), Type: c.Query("type"), Country: c.Query("country"), Category: c.Query("category")}
	res, err := h.svc.Search.Search(ctx, service.SearchQuery{
		Q: d.Q, Type: d.Type, Country: d.Country, Category: d.Category, Cursor: c.Query("cursor"), ReaderLang: l.Code,
	})
	if err != nil {
		return err
	}
	d.Result = res
	d.Next = res.Next
	if cur, err := strconv.Atoi(c.Query("cursor")); err == nil && cur > 0 {
		d.HasPrev = true
		if prev := cur - service.SearchDefaultLimit; prev > 0 {
			d.Prev = strconv.Itoa(prev)
		}
	}
	if code, ok := service.CountryCode(d.Country); ok {
		d.Country = code
	}
	codes, err := h.svc.Warnings.Countries(ctx)
	if err != nil {
		return err
	}
	d.Countries = countryOptions(l, codes)
	if d.Categories, err = h.svc.Warnings.Categories(ctx); err != nil {
		return err
	}
	if res.Empty || len(res.Results) == 0 && !d.HasPrev {
		list, err := h.svc.Warnings.List(ctx, service.WarningQuery{Lang: l.Code, Country: d.Country, Limit: searchLatest})
		if err != nil {
			return err
		}
		d.Latest = list.Items
	}
	title := l.T("page.search.title")
	if d.Q != "" {
		title = l.T("page.search.title_for", "Query", d.Q)
	}
	return h.render(c, fiber.StatusOK, "search", h.page(c, title, d))
}
