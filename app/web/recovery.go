package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// sessionNewCodes keeps the recovery codes made at registration in the
// session until the account page has shown them.
const sessionNewCodes = "new_codes"

// takeNewCodes returns the recovery codes waiting in the session, and
// removes them: they are shown once.
func (h *Handler) takeNewCodes(c *fiber.Ctx) ([]string, error) {
	if h.sessions == nil || c.Cookies(SessionCookie) == "" {
		return nil, nil
	}
	sess, err := h.sessions.Get(c)
	if err != nil {
		return nil, err
	}
	list, _ := sess.Get(sessionNewCodes).(string)
	if list == "" {
		return nil, nil
	}
	sess.Delete(sessionNewCodes)
	if err := sess.Save(); err != nil {
		return nil, err
	}
	return strings.Fields(list), nil
}

// RecoveryCodesPage is the data of the page that shows new recovery codes,
// once.
type RecoveryCodesPage struct {
	Codes []string
}

// renderRecoveryCodes shows new codes. The page is never stored (the
// routes that lead here are private pages: Cache-Control: no-store).
func (h *Handler) renderRecoveryCodes(c *fiber.Ctx, codes []string) error {
	l := h.localizer(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, fiber.StatusOK, "recovery_codes", h.page(c, l.T("page.recovery_codes.title"), RecoveryCodesPage{Codes: codes}))
}

// RegenerateRecoveryCodes makes new recovery codes after checking the
// member's password, and shows them once.
func (h *Handler) RegenerateRecoveryCodes(c *fiber.Ctx) error {
	l := h.localizer(c)
	u := viewer(c)
	codes, err := h.svc.Users.RegenerateRecoveryCodes(c.UserContext(), u.ID, c.FormValue("current"))
	if err != nil {
		form, err := formOf(l, nil, err)
		if err != nil {
			return err
		}
		data := h.accountPage(c)
		data.Recovery = form
		return h.render(c, fiber.StatusUnprocessableEntity, "account", h.page(c, l.T("page.account.title"), data))
	}
	return h.renderRecoveryCodes(c, codes)
}

// ShowRecover renders the form to reset a forgotten password with a
// recovery code.
func (h *Handler) ShowRecover(c *fiber.Ctx) error {
	l := h.localizer(c)
	return h.render(c, fiber.StatusOK, "recover", h.page(c, l.T("page.recover.title"), nil))
}

// Recover resets a forgotten password with a recovery code and signs the
// member in; every other session of the account ends.
func (h *Handler) Recover(c *fiber.Ctx) error {
	l := h.localizer(c)
	u, err := h.svc.Users.Recover(c.UserContext(), service.Recovery{
		Pseudonym: c.FormValue("pseudonym"), Code: c.FormValue("code"), New: c.FormValue("new"), NewAgain: c.FormValue("new_again"),
	})
	if err != nil {
		form, err := formOf(l, map[string]string{"pseudonym": c.FormValue("pseudonym")}, err)
		if err != nil {
			return err
		}
		p := h.page(c, l.T("page.recover.title"), nil)
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "recover", p)
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/account?recovered=1", fiber.StatusSeeOther)
}
