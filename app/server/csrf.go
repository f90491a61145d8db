package server

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/web"
)

// boundCSRF makes the csrf middleware check a signed-in member's forms
// against the token bound to their session at login, whatever their CSRF
// cookie says: a token seen before the login, or planted in the cookie, is
// refused. A visitor's request never passes with a session's token (of a
// session that ended, say): its cookie is dropped.
func boundCSRF(guard fiber.Handler, tokens *web.CSRFTokens) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if token := web.BoundCSRF(c); token != "" {
			c.Request().Header.SetCookie(web.CSRFCookie, token)
		} else if tokens.OfSession(c.Cookies(web.CSRFCookie)) {
			c.Request().Header.DelCookie(web.CSRFCookie)
		}
		return guard(c)
	}
}
