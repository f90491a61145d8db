package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/view"
)

// Names of the session cookie and of the values kept per request.
const (
	SessionCookie = "fw_session"
	sessionUserID = "uid"
	viewerKey     = "viewer"
	// CSRFKey is where the csrf middleware leaves the token of the request.
	CSRFKey = "csrf"
)

// LoadViewer binds the signed-in member to the request when a session
// cookie is there; a visitor without one costs nothing.
func (h *Handler) LoadViewer(c *fiber.Ctx) error {
	if c.Cookies(SessionCookie) == "" || h.sessions == nil {
		return c.Next()
	}
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	id, ok := sess.Get(sessionUserID).(int64)
	if !ok {
		return c.Next()
	}
	u, err := h.svc.Users.User(c.UserContext(), id)
	switch {
	case errors.Is(err, apperr.ErrNotFound):
		// The account was deleted: forget the session.
		if err := sess.Destroy(); err != nil {
			return err
		}
		return c.Next()
	case err != nil:
		return err
	}
	c.Locals(viewerKey, &u)
	return c.Next()
}

// SignedIn reports whether a member is signed in on this request.
func SignedIn(c *fiber.Ctx) bool { return viewer(c) != nil }

// viewer returns the signed-in member, or nil.
func viewer(c *fiber.Ctx) *model.User {
	u, _ := c.Locals(viewerKey).(*model.User)
	return u
}

// RequireMember sends visitors to the login page, back here afterwards.
func (h *Handler) RequireMember(c *fiber.Ctx) error {
	if viewer(c) != nil {
		return c.Next()
	}
	l := h.localizer(c)
	return c.Redirect("/"+l.Code+"/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
}

// signIn starts a fresh session for u, so that a session ID planted before
// the login is worthless.
func (h *Handler) signIn(c *fiber.Ctx, u model.User) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(sessionUserID, u.ID)
	return sess.Save()
}

// signOut ends the session of the request.
func (h *Handler) signOut(c *fiber.Ctx) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	return sess.Destroy()
}

// pageViewer is what templates know of the signed-in member.
func pageViewer(u *model.User) *view.Viewer {
	if u == nil {
		return nil
	}
	return &view.Viewer{ID: u.ID, Pseudonym: u.Pseudonym, Role: string(u.Role)}
}

// localPath accepts only a path of this site as a place to return to,
// so that a link cannot send someone elsewhere after they log in.
func localPath(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}
