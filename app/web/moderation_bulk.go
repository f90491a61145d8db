package web

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/i18n"
)

// BulkReject rejects the posts ticked in the queue with one reason.
func (h *Handler) BulkReject(c *fiber.Ctx) error {
	l := h.localizer(c)
	var items []string
	c.Context().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "item" && len(items) <= 1000 {
			items = append(items, string(v))
		}
	})
	if form, err := c.MultipartForm(); err == nil {
		items = append(items, form.Value["item"]...)
	}
	res, err := h.svc.Moderation.BulkReject(c.UserContext(), viewer(c), items, c.FormValue("reason"))
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/queue?rejected=%d&skipped=%d", l.Code, res.Rejected, res.Skipped), fiber.StatusSeeOther)
}

// BanAndRemove bans a member and removes all their posts in the
// moderator's scope: for spam waves.
func (h *Handler) BanAndRemove(c *fiber.Ctx) error {
	l := h.localizer(c)
	id, err := ParseID(c.FormValue("user"))
	if err != nil {
		return err
	}
	res, err := h.svc.Moderation.BanAndRemove(c.UserContext(), viewer(c), id, c.FormValue("days"), c.FormValue("reason"))
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/%s/mod/queue?banned=1&rejected=%d&hidden=%d&skipped=%d", l.Code, res.Rejected, res.Hidden, res.Skipped), fiber.StatusSeeOther)
}

// bulkNotice tells what the last bulk action did, from the counts it put
// in the address.
func bulkNotice(c *fiber.Ctx, l *i18n.Localizer) string {
	count := func(name string) (int, bool) {
		raw := c.Query(name)
		if raw == "" || len(raw) > 6 {
			return 0, false
		}
		n, err := strconv.Atoi(raw)
		return n, err == nil && n >= 0
	}
	var out string
	add := func(s string) {
		if out != "" {
			out += " "
		}
		out += s
	}
	if c.Query("banned") == "1" {
		add(l.T("mod.bulk.banned"))
	}
	if n, ok := count("rejected"); ok {
		add(l.TN("mod.bulk.rejected", n))
	}
	if n, ok := count("hidden"); ok {
		add(l.TN("mod.bulk.hidden", n))
	}
	if n, ok := count("skipped"); ok && n > 0 {
		add(l.TN("mod.bulk.skipped", n))
	}
	return out
}
