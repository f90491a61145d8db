package web

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// HelpChooserPage is the data of the country chooser of the help pages.
type HelpChooserPage struct {
	Countries CountryOptions
	// WithHelp are the countries that have help entries, linked directly.
	WithHelp CountryOptions
}

// ShowHelpChooser lets readers pick their country; ?country=XX (the form,
// which works without JavaScript) leads to that country's help page.
func (h *Handler) ShowHelpChooser(c *fiber.Ctx) error {
	l := h.localizer(c)
	if q := c.Query("country"); q != "" {
		code, ok := service.HelpCountry(q)
		if !ok {
			return fmt.Errorf("help chooser %q: %w", q, apperr.ErrNotFound)
		}
		return c.Redirect("/"+l.Code+"/help/"+code, fiber.StatusSeeOther)
	}
	with, err := h.svc.Help.Countries(c.UserContext())
	if err != nil {
		return err
	}
	p := h.page(c, l.T("page.help.chooser_title"), HelpChooserPage{Countries: countryOptions(l, service.AllCountries()), WithHelp: countryOptions(l, with)})
	return h.render(c, fiber.StatusOK, "help_chooser", p)
}

// ShowHelp renders the help page of one country. The code is read in any
// case; the canonical URL has it upper-cased, as country codes are
// everywhere else on the site.
func (h *Handler) ShowHelp(c *fiber.Ctx) error {
	l := h.localizer(c)
	raw := c.Params("country")
	p, err := h.svc.Help.Page(c.UserContext(), l.Code, raw)
	if err != nil {
		return err
	}
	if raw != p.Country {
		return c.Redirect("/"+l.Code+"/help/"+p.Country, fiber.StatusMovedPermanently)
	}
	return h.render(c, fiber.StatusOK, "help", h.page(c, l.T("page.help.title", "Country", l.Country(p.Country)), p))
}

// AdminHelpPage is the data of the admin page of one country's help.
type AdminHelpPage struct {
	Country   string
	Countries CountryOptions
	WithHelp  CountryOptions
	Entries   []model.HelpEntry
	Kinds     []string
	// EditID is the entry whose change was refused, with the refusals in
	// Edit.
	EditID int64
	Edit   *view.Form
}

// EditFor returns the refused form of entry id, nil for other entries.
func (d AdminHelpPage) EditFor(id int64) *view.Form {
	if id == d.EditID {
		return d.Edit
	}
	return nil
}

// ShowAdminHelp lists the countries with help entries and, with
// ?country=XX or /admin/help/XX, the entries of one country.
func (h *Handler) ShowAdminHelp(c *fiber.Ctx) error {
	return h.renderAdminHelp(c, fiber.StatusOK, c.Params("country", c.Query("country")), nil, 0, nil)
}

func (h *Handler) renderAdminHelp(c *fiber.Ctx, status int, country string, form *view.Form, editID int64, edit *view.Form) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	with, err := h.svc.Admin.HelpCountries(ctx, viewer(c))
	if err != nil {
		return err
	}
	data := AdminHelpPage{Countries: countryOptions(l, service.AllCountries()), WithHelp: countryOptions(l, with), Kinds: service.HelpKinds, EditID: editID, Edit: edit}
	if country != "" {
		code, ok := service.HelpCountry(country)
		if !ok {
			return fmt.Errorf("admin help %q: %w", country, apperr.ErrNotFound)
		}
		if data.Entries, err = h.svc.Admin.HelpEntries(ctx, viewer(c), code); err != nil {
			return err
		}
		data.Country = code
	}
	p := h.page(c, l.T("page.admin_help.title"), data)
	p.Form = form
	return h.render(c, status, "admin_help", p)
}

func helpEntryInput(c *fiber.Ctx) service.HelpEntryInput {
	return service.HelpEntryInput{Country: c.FormValue("country"), Lang: c.FormValue("lang"), Kind: c.FormValue("kind"), Name: c.FormValue("name"),
		Description: c.FormValue("description"), Phone: c.FormValue("phone"), Website: c.FormValue("website"), Hours: c.FormValue("hours")}
}

func helpEntryValues(in service.HelpEntryInput) map[string]string {
	return map[string]string{"country": in.Country, "lang": in.Lang, "kind": in.Kind, "name": in.Name, "description": in.Description,
		"phone": in.Phone, "website": in.Website, "hours": in.Hours}
}

// CreateHelpEntry adds a help entry.
func (h *Handler) CreateHelpEntry(c *fiber.Ctx) error {
	l := h.localizer(c)
	in := helpEntryInput(c)
	if _, err := h.svc.Admin.CreateHelpEntry(c.UserContext(), viewer(c), in); err != nil {
		form, ferr := formOf(l, helpEntryValues(in), err)
		if ferr != nil {
			return ferr
		}
		country := ""
		if code, ok := service.HelpCountry(strings.TrimSpace(in.Country)); ok {
			country = code
		}
		return h.renderAdminHelp(c, fiber.StatusUnprocessableEntity, country, form, 0, nil)
	}
	code, _ := service.HelpCountry(strings.TrimSpace(in.Country))
	return c.Redirect("/"+l.Code+"/admin/help/"+code, fiber.StatusSeeOther)
}

// UpdateHelpEntry changes or, with action=delete, removes a help entry.
func (h *Handler) UpdateHelpEntry(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if c.FormValue("action") == "delete" {
		country, err := h.svc.Admin.DeleteHelpEntry(ctx, viewer(c), id)
		if err != nil {
			return err
		}
		return c.Redirect("/"+l.Code+"/admin/help/"+country, fiber.StatusSeeOther)
	}
	in := helpEntryInput(c)
	if err := h.svc.Admin.UpdateHelpEntry(ctx, viewer(c), id, in); err != nil {
		form, ferr := formOf(l, helpEntryValues(in), err)
		if ferr != nil {
			return ferr
		}
		e, lerr := h.svc.Admin.HelpEntry(ctx, viewer(c), id)
		if lerr != nil {
			return lerr
		}
		return h.renderAdminHelp(c, fiber.StatusUnprocessableEntity, e.Country, nil, id, form)
	}
	e, err := h.svc.Admin.HelpEntry(ctx, viewer(c), id)
	if err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/admin/help/"+e.Country, fiber.StatusSeeOther)
}

// SaveOrganisationContacts changes an organisation's public contacts.
func (h *Handler) SaveOrganisationContacts(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	in := service.OrganisationContactsInput{Phone: c.FormValue("phone"), Email: c.FormValue("email"), Hours: c.FormValue("hours"),
		Languages: c.FormValue("languages"), HelpsWith: c.FormValue("helps_with"), Countries: c.FormValue("countries")}
	if err := h.svc.Admin.SetOrganisationContacts(c.UserContext(), viewer(c), id, in); err != nil {
		form, ferr := formOf(l, map[string]string{"phone": in.Phone, "email": in.Email, "hours": in.Hours, "languages": in.Languages,
			"helps_with": in.HelpsWith, "countries": in.Countries}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderOrganisations(c, fiber.StatusUnprocessableEntity, nil, id, form)
	}
	return c.Redirect("/"+l.Code+"/admin/organisations", fiber.StatusSeeOther)
}

// ContactsFor returns the refused contacts form of organisation o, nil for
// the others.
func (d AdminOrgsPage) ContactsFor(o model.Organisation) *view.Form {
	if o.ID == d.ContactsID {
		return d.Contacts
	}
	return nil
}

// ContactValue is the value of a contacts field: the refused input, else
// what the organisation has.
func (d AdminOrgsPage) ContactValue(f *view.Form, id int64, field string) string {
	if f != nil {
		return f.Value(field)
	}
	for _, o := range d.Organisations {
		if o.ID == id {
			switch field {
			case "phone":
				return o.Phone
			case "email":
				return o.Email
			case "hours":
				return o.Hours
			case "languages":
				return o.Languages
			case "countries":
				return o.Countries
			case "helps_with":
				return o.HelpsWith
			}
		}
	}
	return ""
}
