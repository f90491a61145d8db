package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// WarningsWorkPage is the data of the moderators' list of warnings.
type WarningsWorkPage struct {
	Items []service.WarningWork
}

// ShowWarningsWork lists the warnings in the moderator's scope.
func (h *Handler) ShowWarningsWork(c *fiber.Ctx) error {
	l := h.localizer(c)
	items, err := h.svc.Authoring.InWork(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "mod_warnings", h.page(c, l.T("page.mod_warnings.title"), WarningsWorkPage{Items: items}))
}

// WarningFormPage is the data of the form of a warning.
type WarningFormPage struct {
	// Work is the warning being edited; its ID is 0 for a new one.
	Work       service.WarningWork
	Countries  CountryOptions
	Categories []string
	Languages  []LanguageOption
	Severities []model.Severity
	Shipped    []i18n.Language
	Notice     string
	// Unlinked are reports a new warning is drafted from that are not
	// public, and so are not linked to it.
	Unlinked []int64
}

func (h *Handler) warningForm(c *fiber.Ctx, work service.WarningWork) WarningFormPage {
	l := h.localizer(c)
	cats, _ := h.svc.Warnings.Categories(c.UserContext())
	return WarningFormPage{
		Work: work, Countries: countryOptions(l, service.AllCountries()), Categories: cats,
		Languages: languageOptions(l), Severities: model.Severities, Shipped: h.catalog.Languages(),
	}
}

// draftValues are the form fields of a warning, as typed.
var draftFields = []string{"severity", "category", "lang", "origin", "transit", "destination", "expires_on", "names_party", "title", "summary", "what_to_do", "body", "indicators", "sources"}

func draftOf(c *fiber.Ctx) (service.WarningDraft, map[string]string) {
	values := map[string]string{}
	for _, k := range draftFields {
		values[k] = c.FormValue(k)
	}
	d := service.WarningDraft{
		Severity: values["severity"], Category: values["category"], Lang: values["lang"],
		Origin: []string{values["origin"]}, Transit: []string{values["transit"]}, Destination: []string{values["destination"]},
		ExpiresOn: values["expires_on"], NamesParty: values["names_party"] == "1",
		Title: values["title"], Summary: values["summary"], WhatToDo: values["what_to_do"], Body: values["body"], Indicators: values["indicators"],
	}
	for _, s := range strings.Fields(strings.ReplaceAll(values["sources"], ",", " ")) {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			d.SourceReports = append(d.SourceReports, id)
		}
	}
	return d, values
}

// formValuesOf fills the form from a stored warning.
func formValuesOf(w service.WarningWork) map[string]string {
	v := map[string]string{
		"severity": string(w.Severity), "category": w.Category, "lang": w.Lang,
		"title": w.Title, "summary": w.Summary, "what_to_do": w.WhatToDo, "body": w.Body, "indicators": w.Indicators,
	}
	if w.Marked {
		v["names_party"] = "1"
	}
	if w.ExpiresAt != nil {
		v["expires_on"] = w.ExpiresAt.Format("2006-01-02")
	}
	for _, c := range w.Countries {
		if v[string(c.Role)] == "" {
			v[string(c.Role)] = c.Country
		}
	}
	return v
}

// ShowNewWarning renders an empty warning form, or one drawn from a report.
func (h *Handler) ShowNewWarning(c *fiber.Ctx) error {
	l := h.localizer(c)
	values := map[string]string{"lang": l.Code, "severity": "caution"}
	if from := c.Query("from"); from != "" {
		id, err := ParseID(from)
		if err != nil {
			return err
		}
		r, err := h.svc.Forum.Report(c.UserContext(), viewer(c), id, h.localizer(c).Code)
		if err != nil {
			return err
		}
		values["title"], values["body"], values["lang"], values["category"], values["sources"] = r.Title, r.Body, r.Lang, r.Category, from
		for _, rc := range r.Countries {
			if values[string(rc.Role)] == "" {
				values[string(rc.Role)] = rc.Country
			}
		}
	}
	p := h.page(c, l.T("page.mod_warning.new_title"), h.warningForm(c, service.WarningWork{}))
	p.Form = &view.Form{Values: values}
	return h.render(c, fiber.StatusOK, "mod_warning", p)
}

// DraftWarning opens the form of a new warning filled from the reports
// ticked in a list of related content; it saves nothing.
func (h *Handler) DraftWarning(c *fiber.Ctx) error {
	l := h.localizer(c)
	var ids []int64
	var bad error
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) != "report" || bad != nil || len(ids) > service.MaxDraftReports {
			return
		}
		id, err := ParseID(string(v))
		if err != nil {
			bad = err
			return
		}
		ids = append(ids, id)
	})
	if bad != nil {
		return bad
	}
	pre, err := h.svc.Authoring.DraftFromReports(c.UserContext(), viewer(c), ids)
	if err != nil {
		return err
	}
	sources := make([]string, len(pre.Sources))
	for i, id := range pre.Sources {
		sources[i] = strconv.FormatInt(id, 10)
	}
	values := map[string]string{
		"severity": "caution", "lang": pre.Lang, "category": pre.Category, "title": pre.Title, "body": pre.Body,
		"origin": pre.Origin, "transit": pre.Transit, "destination": pre.Destination,
		"indicators": pre.Indicators, "sources": strings.Join(sources, " "),
	}
	data := h.warningForm(c, service.WarningWork{})
	data.Notice = l.TN("related.drafted", len(pre.Sources))
	data.Unlinked = pre.Unlinked
	p := h.page(c, l.T("page.mod_warning.new_title"), data)
	p.Form = &view.Form{Values: values}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.render(c, fiber.StatusOK, "mod_warning", p)
}

// CreateWarning stores a new draft warning.
func (h *Handler) CreateWarning(c *fiber.Ctx) error {
	l := h.localizer(c)
	d, values := draftOf(c)
	id, err := h.svc.Authoring.CreateWarning(c.UserContext(), viewer(c), d)
	if err != nil {
		form, ferr := formOf(l, values, err)
		if ferr != nil {
			return ferr
		}
		p := h.page(c, l.T("page.mod_warning.new_title"), h.warningForm(c, service.WarningWork{}))
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "mod_warning", p)
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/warnings/%d?notice=saved", l.Code, id), fiber.StatusSeeOther)
}

// warningNotices are the messages shown after a step of a warning.
var warningNotices = map[string]string{
	"saved":      "page.mod_warning.notice_saved",
	"submitted":  "page.mod_warning.notice_submitted",
	"published":  "page.mod_warning.notice_published",
	"retracted":  "page.mod_warning.notice_retracted",
	"translated": "page.mod_warning.notice_translated",
	"proposed":   "foureyes.notice_proposed",
	"approved":   "foureyes.notice_approved",
	"rejected":   "foureyes.notice_rejected",
}

// ShowWarningWork renders the edit form of a warning.
func (h *Handler) ShowWarningWork(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	work, err := h.svc.Authoring.Work(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	data := h.warningForm(c, work)
	if key, ok := warningNotices[c.Query("notice")]; ok {
		data.Notice = l.T(key)
	}
	p := h.page(c, work.Title, data)
	p.Form = &view.Form{Values: formValuesOf(work)}
	return h.render(c, fiber.StatusOK, "mod_warning", p)
}

// UpdateWarning saves the changed facts and original text of a warning.
func (h *Handler) UpdateWarning(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	d, values := draftOf(c)
	outcome, err := h.svc.Authoring.UpdateWarning(c.UserContext(), viewer(c), id, d)
	if err != nil {
		form, ferr := formOf(l, values, err)
		if ferr != nil {
			return ferr
		}
		work, werr := h.svc.Authoring.Work(c.UserContext(), viewer(c), id)
		if werr != nil {
			return werr
		}
		p := h.page(c, work.Title, h.warningForm(c, work))
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "mod_warning", p)
	}
	notice := "saved"
	if outcome == service.Proposed {
		notice = "proposed"
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/warnings/%d?notice=%s", l.Code, id, notice), fiber.StatusSeeOther)
}

// ChangeWarningState submits, publishes or retracts a warning.
func (h *Handler) ChangeWarningState(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	ctx, u := c.UserContext(), viewer(c)
	notice := ""
	switch c.FormValue("action") {
	case "submit":
		err, notice = h.svc.Authoring.Submit(ctx, u, id), "submitted"
	case "publish":
		err, notice = h.svc.Authoring.Publish(ctx, u, id), "published"
	case "retract":
		err, notice = h.svc.Authoring.Retract(ctx, u, id, c.FormValue("reason")), "retracted"
	case "approve", "reject":
		rev, perr := ParseID(c.FormValue("revision"))
		if perr != nil {
			return perr
		}
		if c.FormValue("action") == "approve" {
			err, notice = h.svc.Authoring.ApproveRevision(ctx, u, id, rev), "approved"
		} else {
			err, notice = h.svc.Authoring.RejectRevision(ctx, u, id, rev, c.FormValue("reason")), "rejected"
		}
	default:
		err = fiber.ErrBadRequest
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/warnings/%d?notice=%s", l.Code, id, notice), fiber.StatusSeeOther)
}

// TranslatePage is the data of the side-by-side translation form.
type TranslatePage struct {
	Work     service.WarningWork
	Lang     string
	LangName string
}

// ShowTranslate renders the original next to the form of one translation.
func (h *Handler) ShowTranslate(c *fiber.Ctx) error {
	return h.renderTranslate(c, fiber.StatusOK, nil)
}

func (h *Handler) renderTranslate(c *fiber.Ctx, status int, form *view.Form) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	work, err := h.svc.Authoring.Work(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	lang := c.Query("lang", c.FormValue("lang"))
	if _, ok := h.catalog.Lookup(lang); !ok && lang != "" && !i18n.IsLanguageTag(lang) {
		return fiber.ErrBadRequest
	}
	p := h.page(c, l.T("page.mod_translate.title"), TranslatePage{Work: work, Lang: lang, LangName: l.LanguageName(lang)})
	if form == nil {
		t := work.Translations[lang]
		form = &view.Form{Values: map[string]string{"title": t.Title, "summary": t.Summary, "what_to_do": t.WhatToDo, "body": t.Body}}
	}
	p.Form = form
	return h.render(c, status, "mod_translate", p)
}

// SaveTranslation saves one translation of a warning.
func (h *Handler) SaveTranslation(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	t := service.Translation{Lang: c.FormValue("lang"), Title: c.FormValue("title"), Summary: c.FormValue("summary"), WhatToDo: c.FormValue("what_to_do"), Body: c.FormValue("body")}
	outcome, err := h.svc.Authoring.Translate(c.UserContext(), viewer(c), id, t)
	if err != nil {
		form, ferr := formOf(l, map[string]string{"title": t.Title, "summary": t.Summary, "what_to_do": t.WhatToDo, "body": t.Body}, err)
		if ferr != nil {
			return ferr
		}
		return h.renderTranslate(c, fiber.StatusUnprocessableEntity, form)
	}
	notice := "translated"
	if outcome == service.Proposed {
		notice = "proposed"
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/warnings/%d?notice=%s", l.Code, id, notice), fiber.StatusSeeOther)
}
