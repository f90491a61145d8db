package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// AdminKeysPage is the data of the API keys page.
type AdminKeysPage struct {
	Keys          []model.APIKeyRow
	Organisations []model.Organisation
	Scopes        []string
	// Issued is the key just issued, shown this once.
	Issued *service.IssuedKey
	// RevokeID is the key whose revocation was refused, with the refusal
	// in Revoke.
	RevokeID int64
	Revoke   *view.Form
	Notice   string
}

// ScopeChecked reports whether scope was ticked on the submitted form.
func (p AdminKeysPage) ScopeChecked(f *view.Form, scope string) bool {
	for _, s := range strings.Split(f.Value("scopes"), ",") {
		if s == scope {
			return true
		}
	}
	return false
}

// RevokeFor returns the refusal of the revocation of key id, if any.
func (p AdminKeysPage) RevokeFor(id int64) *view.Form {
	if id == p.RevokeID {
		return p.Revoke
	}
	return nil
}

// ShowAdminKeys lists every API key with a form to issue one.
func (h *Handler) ShowAdminKeys(c *fiber.Ctx) error {
	data := AdminKeysPage{}
	if c.Query("revoked") == "1" {
		data.Notice = h.localizer(c).T("page.admin_keys.revoked_notice")
	}
	return h.renderAdminKeys(c, fiber.StatusOK, nil, data)
}

func (h *Handler) renderAdminKeys(c *fiber.Ctx, status int, form *view.Form, data AdminKeysPage) error {
	l := h.localizer(c)
	keys, err := h.svc.APIKeys.List(c.UserContext(), viewer(c), 0)
	if err != nil {
		return err
	}
	orgs, err := h.svc.Admin.Organisations(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	data.Keys, data.Organisations, data.Scopes = keys, orgs, service.APIScopes
	p := h.page(c, l.T("page.admin_keys.title"), data)
	p.Form = form
	return h.render(c, status, "admin_keys", p)
}

// IssueAPIKey issues a key and shows it once, on this answer only.
func (h *Handler) IssueAPIKey(c *fiber.Ctx) error {
	l := h.localizer(c)
	var scopes []string
	for _, v := range c.Context().PostArgs().PeekMulti("scopes") {
		scopes = append(scopes, string(v))
	}
	in := service.KeyInput{Organisation: c.FormValue("organisation"), Name: c.FormValue("name"), Scopes: strings.Join(scopes, ","), RateLimit: c.FormValue("rate_limit")}
	issued, err := h.svc.APIKeys.Issue(c.UserContext(), viewer(c), in)
	if err != nil {
		form, ferr := formOf(l, map[string]string{"organisation": in.Organisation, "name": in.Name, "scopes": in.Scopes, "rate_limit": in.RateLimit}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderAdminKeys(c, fiber.StatusUnprocessableEntity, form, AdminKeysPage{})
	}
	return h.renderAdminKeys(c, fiber.StatusOK, nil, AdminKeysPage{Issued: &issued})
}

// RevokeAPIKey revokes a key once the admin has confirmed it.
func (h *Handler) RevokeAPIKey(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.APIKeys.Revoke(c.UserContext(), viewer(c), id, c.FormValue("confirm") == "1"); err != nil {
		form, ferr := formOf(l, nil, err)
		if ferr != nil {
			return ferr
		}
		return h.renderAdminKeys(c, fiber.StatusUnprocessableEntity, nil, AdminKeysPage{RevokeID: id, Revoke: form})
	}
	return c.Redirect("/"+l.Code+"/admin/keys?revoked=1", fiber.StatusSeeOther)
}
