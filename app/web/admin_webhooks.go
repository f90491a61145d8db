package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// AdminWebhooksPage is the data of the webhooks page: every
// organisation's endpoints, their state and their last deliveries.
type AdminWebhooksPage struct {
	Endpoints service.AdminEndpointPage
	Notice    string
}

// ShowAdminWebhooks lists the partners' webhook endpoints.
func (h *Handler) ShowAdminWebhooks(c *fiber.Ctx) error {
	l := h.localizer(c)
	eps, err := h.svc.Webhooks.AdminEndpoints(c.UserContext(), viewer(c), c.Query("page"))
	if err != nil {
		return err
	}
	data := AdminWebhooksPage{Endpoints: eps}
	if c.Query("enabled") == "1" {
		data.Notice = l.T("page.admin_webhooks.enabled_notice")
	}
	return h.render(c, fiber.StatusOK, "admin_webhooks", h.page(c, l.T("page.admin_webhooks.title"), data))
}

// EnableWebhook makes a disabled endpoint active again.
func (h *Handler) EnableWebhook(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Webhooks.Enable(c.UserContext(), viewer(c), id); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/admin/webhooks?enabled=1", fiber.StatusSeeOther)
}
