package web

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// QueuePage is the data of the moderation queue.
type QueuePage struct {
	Items  []service.QueueItem
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
	items, err := h.svc.Moderation.Queue(c.UserContext(), viewer(c))
	if err != nil {
		return err
	}
	data := QueuePage{Items: items}
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
