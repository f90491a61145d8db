package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/view"
)

// Alarm is a warning about the whole site for admins: a translation key
// and its arguments.
type Alarm struct {
	Key  string
	Args []any
}

// alarmsFor renders the current alarms when an admin views the page.
func (h *Handler) alarmsFor(c *fiber.Ctx, l *i18n.Localizer) []string {
	u := viewer(c)
	if h.alarms == nil || u == nil || u.Role != model.RoleAdmin {
		return nil
	}
	var out []string
	for _, a := range h.alarms() {
		out = append(out, l.T(a.Key, a.Args...))
	}
	return out
}

// RefuseRegistration shows the registration form again with the reason
// why no account can be made now (a translation key), as 429.
func (h *Handler) RefuseRegistration(c *fiber.Ctx, key string) error {
	l := h.localizer(c)
	p := h.page(c, l.T("page.register.title"), nil)
	p.Form = &view.Form{Values: map[string]string{"pseudonym": c.FormValue("pseudonym"), "email": c.FormValue("email")}, General: []string{l.T(key)}}
	return h.render(c, fiber.StatusTooManyRequests, "register", p)
}
