package web

import (
	"github.com/gofiber/fiber/v2"
	"strings"

	"forewarn/app/apperr"
	"forewarn/app/i18n"
	"forewarn/app/service"
	"forewarn/app/view"
)

// formOf renders the field errors carried by err; other errors are
// returned as they are, for the error page.
func formOf(l *i18n.Localizer, values map[string]string, err error) (*view.Form, error) {
	invalids, ok := apperr.AsInvalids(err)
	if !ok {
		return nil, err
	}
	f := &view.Form{Values: boundValues(values), Errors: map[string][]string{}}
	for _, inv := range invalids {
		f.Errors[inv.Field] = append(f.Errors[inv.Field], l.Invalid(inv))
	}
	return f, nil
}

// ShowRegister renders the registration form.
func (h *Handler) ShowRegister(c *fiber.Ctx) error {
	l := h.localizer(c)
	return h.render(c, fiber.StatusOK, "register", h.page(c, l.T("page.register.title"), nil))
}

// Register creates a member account and signs it in.
func (h *Handler) Register(c *fiber.Ctx) error {
	l := h.localizer(c)
	values := map[string]string{"pseudonym": c.FormValue("pseudonym"), "email": c.FormValue("email")}
	u, err := h.svc.Users.Register(c.UserContext(), service.Registration{
		Pseudonym:     c.FormValue("pseudonym"),
		Password:      c.FormValue("password"),
		PasswordAgain: c.FormValue("password_again"),
		Email:         c.FormValue("email"),
		Locale:        l.Code,
	})
	if err != nil {
		form, err := formOf(l, values, err)
		if err != nil {
			return err
		}
		p := h.page(c, l.T("page.register.title"), nil)
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "register", p)
	}
	codes, err := h.svc.Users.NewRecoveryCodes(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	// The codes wait in the server-side session for the account page,
	// which shows them once and forgets them.
	if err := h.signInWith(c, u, map[string]string{sessionNewCodes: strings.Join(codes, " ")}); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/account", fiber.StatusSeeOther)
}

// ShowLogin renders the login form.
func (h *Handler) ShowLogin(c *fiber.Ctx) error {
	l := h.localizer(c)
	p := h.page(c, l.T("page.login.title"), nil)
	p.Form = &view.Form{Values: map[string]string{"next": localPath(c.Query("next"), "")}}
	return h.render(c, fiber.StatusOK, "login", p)
}

// Login signs a member in. Every failure gets the same message.
func (h *Handler) Login(c *fiber.Ctx) error {
	l := h.localizer(c)
	next := localPath(c.FormValue("next"), "/"+l.Code+"/account")
	u, err := h.svc.Users.Authenticate(c.UserContext(), c.FormValue("pseudonym"), c.FormValue("password"))
	if err != nil {
		form, err := formOf(l, map[string]string{"pseudonym": c.FormValue("pseudonym"), "next": c.FormValue("next")}, err)
		if err != nil {
			return err
		}
		p := h.page(c, l.T("page.login.title"), nil)
		p.Form = form
		return h.render(c, fiber.StatusUnauthorized, "login", p)
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// Logout ends the session.
func (h *Handler) Logout(c *fiber.Ctx) error {
	l := h.localizer(c)
	if err := h.signOut(c); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code, fiber.StatusSeeOther)
}

// AccountPage is the data of the account page.
type AccountPage struct {
	Email    string
	Role     string
	Notice   string
	Password *view.Form
	Delete   *view.Form
	// Recovery is the refused form to make new recovery codes;
	// RecoveryLeft counts the codes not used yet.
	Recovery     *view.Form
	RecoveryLeft int
}

// ShowAccount renders the member's account page.
func (h *Handler) ShowAccount(c *fiber.Ctx) error {
	l := h.localizer(c)
	codes, err := h.takeNewCodes(c)
	if err != nil {
		return err
	}
	if len(codes) > 0 {
		return h.renderRecoveryCodes(c, codes)
	}
	data := h.accountPage(c)
	if c.Query("changed") == "1" || c.Query("recovered") == "1" {
		data.Notice = l.T("page.account.password_changed")
	}
	return h.render(c, fiber.StatusOK, "account", h.page(c, l.T("page.account.title"), data))
}

func (h *Handler) accountPage(c *fiber.Ctx) AccountPage {
	u := viewer(c)
	data := AccountPage{Role: string(u.Role)}
	if n, err := h.svc.Users.UnusedRecoveryCodes(c.UserContext(), u.ID); err == nil {
		data.RecoveryLeft = int(n)
	}
	if u.Email != nil {
		data.Email = *u.Email
	}
	return data
}

// ChangePassword replaces the member's password.
func (h *Handler) ChangePassword(c *fiber.Ctx) error {
	l := h.localizer(c)
	u := viewer(c)
	err := h.svc.Users.ChangePassword(c.UserContext(), u.ID, service.PasswordChange{
		Current: c.FormValue("current"), New: c.FormValue("new"), NewAgain: c.FormValue("new_again"),
	})
	if err != nil {
		form, err := formOf(l, nil, err)
		if err != nil {
			return err
		}
		data := h.accountPage(c)
		data.Password = form
		return h.render(c, fiber.StatusUnprocessableEntity, "account", h.page(c, l.T("page.account.title"), data))
	}
	// The change ended every session of the member: this one goes on.
	fresh, err := h.svc.Users.User(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	if err := h.signIn(c, fresh); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/account?changed=1", fiber.StatusSeeOther)
}

// DeleteAccount removes the member's account after checking the password.
func (h *Handler) DeleteAccount(c *fiber.Ctx) error {
	l := h.localizer(c)
	u := viewer(c)
	if err := h.svc.Users.Delete(c.UserContext(), u.ID, c.FormValue("password")); err != nil {
		form, err := formOf(l, nil, err)
		if err != nil {
			return err
		}
		data := h.accountPage(c)
		data.Delete = form
		return h.render(c, fiber.StatusUnprocessableEntity, "account", h.page(c, l.T("page.account.title"), data))
	}
	if err := h.signOut(c); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"?deleted=1", fiber.StatusSeeOther)
}
