package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/model"
	"forewarn/app/service"
)

// QueuePage is the data of the moderation queue.
type QueuePage struct {
	service.QueuePage
	Notice string
}

// RequireModerator answers 404 to anyone who is not a moderator or an
// admin, so the moderation pages are not even revealed.
func (h *Handler) RequireModerator(c *fiber.Ctx) error {
	u := viewer(c)
	if u == nil || (u.Role != "moderator" && u.Role != "admin") {
		return fiber.ErrNotFound
	}
	return c.Next()
}

// ShowQueue renders the pending posts in the moderator's scope.
func (h *Handler) ShowQueue(c *fiber.Ctx) error {
	l := h.localizer(c)
	queue, err := h.svc.Moderation.Queue(c.UserContext(), viewer(c), service.QueueQuery{Page: c.Query("page")})
	if err != nil {
		return err
	}
	data := QueuePage{QueuePage: queue, Notice: bulkNotice(c, l)}
	if c.Query("done") == "1" {
		data.Notice = l.T("page.mod_queue.done")
	}
	return h.render(c, fiber.StatusOK, "mod_queue", h.page(c, l.T("page.mod_queue.title"), data))
}

// Decide approves or rejects a pending post.
func (h *Handler) Decide(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.FormValue("id"))
	if err != nil {
		return err
	}
	d := service.Decision{Kind: c.FormValue("kind"), ID: id, Reason: c.FormValue("reason")}
	switch c.FormValue("decision") {
	case "approve":
		err = h.svc.Moderation.Approve(c.UserContext(), viewer(c), d)
	case "reject":
		err = h.svc.Moderation.Reject(c.UserContext(), viewer(c), d)
	default:
		err = fiber.ErrBadRequest
	}
	if err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/mod/queue?done=1", fiber.StatusSeeOther)
}

// FlagPage is the data of the flag form.
type FlagPage struct {
	Kind     string
	ID       int64
	ReportID int64
	Reasons  []model.FlagReason
}

// ShowFlag renders the form to flag a report or a reply.
func (h *Handler) ShowFlag(c *fiber.Ctx) error {
	l := h.localizer(c)
	data, err := h.flagTarget(c, c.Query("kind"), c.Query("id"))
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "flag", h.page(c, l.T("page.flag.title"), data))
}

func (h *Handler) flagTarget(c *fiber.Ctx, kind, rawID string) (FlagPage, error) {
	id, err := ParseID(rawID)
	if err != nil {
		return FlagPage{}, err
	}
	if kind != "report" && kind != "reply" {
		return FlagPage{}, fiber.ErrNotFound
	}
	reportID, err := ParseID(c.Query("report", c.FormValue("report")))
	if err != nil {
		return FlagPage{}, err
	}
	if _, err := h.svc.Forum.Report(c.UserContext(), viewer(c), reportID, h.localizer(c).Code); err != nil {
		return FlagPage{}, err
	}
	return FlagPage{Kind: kind, ID: id, ReportID: reportID, Reasons: service.FlagReasons}, nil
}

// Flag records a flag and returns to the report.
func (h *Handler) Flag(c *fiber.Ctx) error {
	l := h.localizer(c)
	data, err := h.flagTarget(c, c.FormValue("kind"), c.FormValue("id"))
	if err != nil {
		return err
	}
	err = h.svc.Moderation.Flag(c.UserContext(), viewer(c), service.FlagInput{Kind: data.Kind, ID: data.ID, Reason: c.FormValue("reason"), Note: c.FormValue("note")})
	if err != nil {
		form, ferr := formOf(l, map[string]string{"note": c.FormValue("note"), "reason": c.FormValue("reason")}, err)
		if ferr != nil {
			return ferr
		}
		p := h.page(c, l.T("page.flag.title"), data)
		p.Form = form
		return h.render(c, fiber.StatusUnprocessableEntity, "flag", p)
	}
	return c.Redirect(fmt.Sprintf("/%s/reports/%d?notice=flagged", l.Code, data.ReportID), fiber.StatusSeeOther)
}

// FlagsPage is the data of the flagged posts page.
type FlagsPage struct {
	Items  []service.FlaggedItem
	Notice string
}

// ShowFlags renders the posts with open flags in the moderator's scope.
func (h *Handler) ShowFlags(c *fiber.Ctx) error {
	l := h.localizer(c)
	items, err := h.svc.Moderation.Flagged(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	data := FlagsPage{Items: items}
	if c.Query("done") == "1" {
		data.Notice = l.T("page.mod_queue.done")
	}
	return h.render(c, fiber.StatusOK, "mod_flags", h.page(c, l.T("page.mod_flags.title"), data))
}

// DismissFlags closes the flags of a post as unfounded.
func (h *Handler) DismissFlags(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.FormValue("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Moderation.Dismiss(c.UserContext(), viewer(c), c.FormValue("kind"), id); err != nil {
		return err
	}
	return c.Redirect("/"+l.Code+"/mod/flags?done=1", fiber.StatusSeeOther)
}

// ModAction hides, shows, locks, unlocks or redacts a post, then returns
// to the page the moderator came from.
func (h *Handler) ModAction(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.FormValue("id"))
	if err != nil {
		return err
	}
	err = h.svc.Moderation.Act(c.UserContext(), viewer(c), service.PostAction{
		Action: c.FormValue("action"), Kind: c.FormValue("kind"), ID: id,
		Reason: c.FormValue("reason"), Passage: c.FormValue("passage"),
	})
	if err != nil {
		return err
	}
	return c.Redirect(localPath(c.FormValue("back"), "/"+l.Code+"/mod/flags"), fiber.StatusSeeOther)
}

// Restrict silences or bans a member.
func (h *Handler) Restrict(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.FormValue("user"))
	if err != nil {
		return err
	}
	err = h.svc.Moderation.Restrict(c.UserContext(), viewer(c), service.Restriction{
		UserID: id, Kind: c.FormValue("kind"), Days: c.FormValue("days"), Reason: c.FormValue("reason"),
	})
	if err != nil {
		return err
	}
	return c.Redirect(localPath(c.FormValue("back"), "/"+l.Code+"/mod/log"), fiber.StatusSeeOther)
}

// LogPage is the data of the audit log page.
type LogPage struct {
	Log    service.AuditPage
	Filter service.AuditQuery
}

// ShowLog renders the audit log with its filters.
func (h *Handler) ShowLog(c *fiber.Ctx) error {
	l := h.localizer(c)
	q := service.AuditQuery{Action: c.Query("action"), TargetType: c.Query("target"), TargetID: c.Query("id"), Page: c.Query("page")}
	log, err := h.svc.Moderation.Audit(c.UserContext(), viewer(c), q)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "mod_log", h.page(c, l.T("page.mod_log.title"), LogPage{Log: log, Filter: q}))
}
