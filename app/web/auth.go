package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/httperr"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// Names of the session cookie and of the values kept per request.
const (
	SessionCookie = "fw_session"
	sessionUserID = "uid"
	// sessionEpoch is the member's session epoch at login; see
	// model.User.SessionEpoch.
	sessionEpoch = "ep"
	// sessionCSRF is the CSRF token bound to the session at login.
	sessionCSRF = "csrf"
	viewerKey   = "viewer"
	// CSRFKey is where the csrf middleware leaves the token of the request.
	CSRFKey = "csrf"
	// CSRFCookie is the csrf middleware's double-submit cookie.
	CSRFCookie = "fw_csrf"
	// boundCSRFKey is where LoadViewer leaves the session's CSRF token.
	boundCSRFKey = "bound_csrf"
)

// LoadViewer binds the signed-in member to the request when a session
// cookie is there; a visitor without one costs nothing. A session opened
// before a ban or a password change is ended: the request goes on as a
// visitor's, and a form sent with it is refused.
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
	epoch, _ := sess.Get(sessionEpoch).(int64)
	if !h.svc.Users.SessionValid(u, epoch) {
		if err := sess.Destroy(); err != nil {
			return err
		}
		if !safeMethod(c.Method()) {
			return httperr.ErrCSRF
		}
		return c.Next()
	}
	if h.csrf != nil {
		token, _ := sess.Get(sessionCSRF).(string)
		if !h.csrf.Valid(token) {
			token = h.csrf.forSession()
			sess.Set(sessionCSRF, token)
			if err := sess.Save(); err != nil {
				return err
			}
		}
		c.Locals(boundCSRFKey, token)
	}
	c.Locals(viewerKey, &u)
	return c.Next()
}

// BoundCSRF returns the CSRF token bound to the member's session, or "" for
// a visitor: the only token a member's forms are accepted with.
func BoundCSRF(c *fiber.Ctx) string {
	token, _ := c.Locals(boundCSRFKey).(string)
	return token
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions || m == fiber.MethodTrace
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
// the login is worthless, with a new CSRF token: the visitor's token of
// before stops working.
func (h *Handler) signIn(c *fiber.Ctx, u model.User) error {
	return h.signInWith(c, u, nil)
}

// signInWith is signIn keeping extra values in the new session.
func (h *Handler) signInWith(c *fiber.Ctx, u model.User, extra map[string]string) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	for k, v := range extra {
		sess.Set(k, v)
	}
	sess.Set(sessionUserID, u.ID)
	sess.Set(sessionEpoch, u.SessionEpoch)
	if h.csrf != nil {
		token := h.csrf.forSession()
		sess.Set(sessionCSRF, token)
		c.Locals(boundCSRFKey, token)
	}
	return sess.Save()
}

// signOut ends the session of the request and forgets its CSRF token.
func (h *Handler) signOut(c *fiber.Ctx) error {
	sess, err := h.sessions.Get(c)
	if err != nil {
		return err
	}
	c.ClearCookie(CSRFCookie)
	return sess.Destroy()
}

// pageViewer is what templates know of the signed-in member. Whether
// they may investigate is asked of the service (one query for a member
// of an organisation), unless RequireInvestigator already let them in.
func (h *Handler) pageViewer(c *fiber.Ctx) *view.Viewer {
	u := viewer(c)
	if u == nil {
		return nil
	}
	v := &view.Viewer{ID: u.ID, Pseudonym: u.Pseudonym, Role: string(u.Role)}
	if _, ok := service.InvestigatorFrom(c.UserContext()); ok {
		v.Investigates = true
		return v
	}
	may, err := h.svc.Investigations.MayInvestigate(c.UserContext(), u)
	if err != nil {
		h.log.Warn("may investigate", "request_id", httperr.RequestID(c), "err", err)
	}
	v.Investigates = may
	return v
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
