package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
	"forewarn/app/web/devguide"
)

// DevelopersPage is the data of the guide for partner developers.
type DevelopersPage struct {
	// Go, Python and JavaScript are the tested examples of verifying a
	// webhook's signature, shown as they are.
	Go, Python, JavaScript string
	// KeyRateLimit is a key's requests per minute unless an admin set
	// another.
	KeyRateLimit int
}

func developersPage() DevelopersPage {
	return DevelopersPage{Go: devguide.Go, Python: devguide.Python, JavaScript: devguide.JavaScript, KeyRateLimit: service.DefaultKeyRateLimit}
}

// ShowDevelopers renders the guide for partner developers: public, the
// same for every visitor, its body in English in every language.
func (h *Handler) ShowDevelopers(c *fiber.Ctx) error {
	l := h.localizer(c)
	p := h.page(c, l.T("page.developers.title"), developersPage())
	p.Description = l.T("page.developers.description")
	return h.render(c, fiber.StatusOK, "developers", p)
}
