package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// RequireAdmin answers 404 to anyone who is not an admin.
func (h *Handler) RequireAdmin(c *fiber.Ctx) error {
	if u := viewer(c); u == nil || u.Role != model.RoleAdmin {
		return fiber.ErrNotFound
	}
	return c.Next()
}

// AdminUsersPage is the data of the list of users.
type AdminUsersPage struct {
	Query string
	Users []model.User
}

// ShowAdminUsers lists users, optionally matching a search.
func (h *Handler) ShowAdminUsers(c *fiber.Ctx) error {
	l := h.localizer(c)
	users, err := h.svc.Admin.Users(c.UserContext(), viewer(c), c.Query("q"))
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "admin_users", h.page(c, l.T("page.admin_users.title"), AdminUsersPage{Query: c.Query("q"), Users: users}))
}

// AdminUserPage is the data of one user's admin form.
type AdminUserPage struct {
	User          service.UserRow
	Organisations []model.Organisation
	Roles         []model.Role
	Notice        string
}

// ShowAdminUser renders the role and scope form of a user.
func (h *Handler) ShowAdminUser(c *fiber.Ctx) error {
	return h.renderAdminUser(c, fiber.StatusOK, nil)
}

func (h *Handler) renderAdminUser(c *fiber.Ctx, status int, form *view.Form) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	u, err := h.svc.Admin.User(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	orgs, err := h.svc.Admin.Organisations(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	data := AdminUserPage{User: u, Organisations: orgs, Roles: []model.Role{model.RoleMember, model.RoleModerator, model.RoleAdmin}}
	if c.Query("saved") == "1" {
		data.Notice = l.T("page.mod_warning.notice_saved")
	}
	p := h.page(c, u.Pseudonym, data)
	if form == nil {
		org := ""
		if u.OrganisationID != nil {
			org = fmt.Sprint(*u.OrganisationID)
		}
		form = &view.Form{Values: map[string]string{"role": string(u.Role), "organisation": org, "languages": strings.Join(u.Languages, ", "), "countries": strings.Join(u.Countries, ", ")}}
	}
	p.Form = form
	return h.render(c, status, "admin_user", p)
}

// UpdateAdminUser saves a user's role, organisation and scope.
func (h *Handler) UpdateAdminUser(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	ch := service.UserChange{Role: c.FormValue("role"), Organisation: c.FormValue("organisation"), Languages: c.FormValue("languages"), Countries: c.FormValue("countries")}
	if err := h.svc.Admin.UpdateUser(c.UserContext(), viewer(c), id, ch); err != nil {
		form, ferr := formOf(l, map[string]string{"role": ch.Role, "organisation": ch.Organisation, "languages": ch.Languages, "countries": ch.Countries}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderAdminUser(c, fiber.StatusUnprocessableEntity, form)
	}
	return c.Redirect(fmt.Sprintf("/%s/admin/users/%d?saved=1", l.Code, id), fiber.StatusSeeOther)
}

// AdminOrgsPage is the data of the organisations page.
type AdminOrgsPage struct {
	Organisations []model.Organisation
	// ContactsID is the organisation whose contacts were refused, with
	// the refusals in Contacts.
	ContactsID int64
	Contacts   *view.Form
}

// ShowAdminOrganisations lists organisations with a form to add one.
func (h *Handler) ShowAdminOrganisations(c *fiber.Ctx) error {
	return h.renderAdminOrganisations(c, fiber.StatusOK, nil)
}

func (h *Handler) renderAdminOrganisations(c *fiber.Ctx, status int, form *view.Form) error {
	return h.renderOrganisations(c, status, form, 0, nil)
}

func (h *Handler) renderOrganisations(c *fiber.Ctx, status int, form *view.Form, contactsID int64, contacts *view.Form) error {
	l := h.localizer(c)
	orgs, err := h.svc.Admin.Organisations(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.admin_orgs.title"), AdminOrgsPage{Organisations: orgs, ContactsID: contactsID, Contacts: contacts})
	p.Form = form
	return h.render(c, status, "admin_orgs", p)
}

func organisationInput(c *fiber.Ctx) service.OrganisationInput {
	return service.OrganisationInput{Name: c.FormValue("name"), Website: c.FormValue("website"), Verified: c.FormValue("verified") == "1"}
}

// CreateOrganisation adds an organisation.
func (h *Handler) CreateOrganisation(c *fiber.Ctx) error {
	l := h.localizer(c)
	in := organisationInput(c)
	if _, err := h.svc.Admin.CreateOrganisation(c.UserContext(), viewer(c), in); err != nil {
		form, ferr := formOf(l, map[string]string{"name": in.Name, "website": in.Website}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderAdminOrganisations(c, fiber.StatusUnprocessableEntity, form)
	}
	return c.Redirect("/"+l.Code+"/admin/organisations", fiber.StatusSeeOther)
}

// UpdateOrganisation changes an organisation.
func (h *Handler) UpdateOrganisation(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Admin.UpdateOrganisation(c.UserContext(), viewer(c), id, organisationInput(c)); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/admin/organisations", fiber.StatusSeeOther)
}

// AdminCategoriesPage is the data of the categories page.
type AdminCategoriesPage struct {
	Categories []service.CategoryRow
	Languages  []i18n.Language
	// RenameID is the category whose renaming was refused, with the
	// refusals in Rename.
	RenameID int64
	Rename   *view.Form
}

// ShowAdminCategories lists categories with their names per language.
func (h *Handler) ShowAdminCategories(c *fiber.Ctx) error {
	return h.renderAdminCategories(c, fiber.StatusOK, nil)
}

func (h *Handler) renderAdminCategories(c *fiber.Ctx, status int, form *view.Form) error {
	return h.renderCategories(c, status, form, 0, nil)
}

func (h *Handler) renderCategories(c *fiber.Ctx, status int, form *view.Form, renameID int64, rename *view.Form) error {
	l := h.localizer(c)
	cats, err := h.svc.Admin.Categories(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.admin_categories.title"), AdminCategoriesPage{Categories: cats, Languages: h.catalog.Languages(), RenameID: renameID, Rename: rename})
	p.Form = form
	return h.render(c, status, "admin_categories", p)
}

func (h *Handler) categoryNames(c *fiber.Ctx) map[string]string {
	names := map[string]string{}
	for _, lang := range h.catalog.Languages() {
		names[lang.Code] = c.FormValue("name_" + lang.Code)
	}
	return names
}

// CreateCategory adds a category.
func (h *Handler) CreateCategory(c *fiber.Ctx) error {
	l := h.localizer(c)
	names := h.categoryNames(c)
	if err := h.svc.Admin.CreateCategory(c.UserContext(), viewer(c), c.FormValue("slug"), names); err != nil {
		values := map[string]string{"slug": c.FormValue("slug")}
		for k, v := range names {
			values["name_"+k] = v
		}
		form, ferr := formOf(l, values, err)
		if ferr != nil {
			return ferr
		}
		return h.renderAdminCategories(c, fiber.StatusUnprocessableEntity, form)
	}
	return c.Redirect("/"+l.Code+"/admin/categories", fiber.StatusSeeOther)
}

// RenameCategory sets a category's names.
func (h *Handler) RenameCategory(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	names := h.categoryNames(c)
	if err := h.svc.Admin.RenameCategory(c.UserContext(), viewer(c), id, names); err != nil {
		values := map[string]string{}
		for k, v := range names {
			values["name_"+k] = v
		}
		form, ferr := formOf(l, values, err)
		if ferr != nil {
			return ferr
		}
		return h.renderCategories(c, fiber.StatusUnprocessableEntity, nil, id, form)
	}
	return c.Redirect("/"+l.Code+"/admin/categories", fiber.StatusSeeOther)
}
