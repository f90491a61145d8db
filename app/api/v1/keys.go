package v1

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/service"
)

// Authenticate reads the API key of a request to /api/v1 from its
// "Authorization: Bearer …" header, for every route. A request without the
// header is a visitor's. One with a header that does not carry a valid key
// (not Bearer, malformed, unknown, revoked) is refused with 401 and the
// same answer for each. A valid key's identity goes into the request's
// context (service.KeyFrom). Keyed answers are private: never kept by a
// shared cache, and Vary names Authorization on every answer so that a
// cache never serves one to the other. A keyed GET or HEAD needs the read
// scope (service.ReadScope), except those of a partner's own data (ownScope).
func (h *Handler) Authenticate(c *fiber.Ctx) error {
	c.Vary(fiber.HeaderAuthorization)
	header := c.Request().Header.Peek(fiber.HeaderAuthorization)
	if header == nil {
		return c.Next()
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	scheme, token, ok := strings.Cut(strings.TrimSpace(string(header)), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return fmt.Errorf("api key: not a bearer credential: %w", apperr.ErrUnauthenticated)
	}
	id, err := h.svc.APIKeys.Authenticate(c.UserContext(), strings.TrimSpace(token))
	if err != nil {
		return err
	}
	c.SetUserContext(service.WithKey(c.UserContext(), id))
	// Routes that read a partner's own data or the investigation graph
	// hold a key to their own scope (RequireScope, or
	// service.Investigations.ForKey), not to read.
	if (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) && !ownScope(c.Path()) {
		if err := service.ReadScope(c.UserContext()); err != nil {
			return err
		}
	}
	return c.Next()
}

// investigatePath is where the investigation routes of the API begin.
const investigatePath = "/api/v1/investigate/"

// ownScope reports whether a GET to path is guarded by its route's own
// scope instead of read: the state of an organisation's submissions needs
// submit, the investigation graph investigate, its webhook endpoints
// webhooks.
func ownScope(path string) bool {
	return path == "/api/v1/submissions" || strings.HasPrefix(path, "/api/v1/submissions/") ||
		strings.HasPrefix(path, investigatePath) || path == "/api/v1/webhooks" || strings.HasPrefix(path, "/api/v1/webhooks/")
}

// Key returns the API key a request was made with, if any.
func Key(c *fiber.Ctx) (service.KeyIdentity, bool) {
	return service.KeyFrom(c.UserContext())
}

// RequireScope is the middleware of a route that needs a key with scope:
// 401 without a key, 403 with one that lacks the scope.
func RequireScope(scope string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, err := service.RequireScope(c.UserContext(), scope); err != nil {
			return err
		}
		return c.Next()
	}
}

// challenge names the scheme on a 401, the same whatever was wrong with
// the credential (RFC 6750).
func challenge(c *fiber.Ctx, err error) {
	if errors.Is(err, apperr.ErrUnauthenticated) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="forewarn"`)
	}
}

// setPublicCache sets the Cache-Control of a public answer, unless the
// request carries a key: Authenticate made that answer private, and a
// handler's public caching must not undo it.
func setPublicCache(c *fiber.Ctx, value string) {
	if _, keyed := Key(c); keyed {
		return
	}
	c.Set(fiber.HeaderCacheControl, value)
}
