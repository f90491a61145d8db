package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/db"
	"forewarn/app/httperr"
)

// defaultRequestTimeout is a request's deadline when Options.RequestTimeout
// is zero.
const defaultRequestTimeout = 15 * time.Second

// requestDeadline gives every request's context a deadline and its request
// ID: a query past the deadline fails at once and the page answers 503
// (httperr), and the slow-query lines of the request name it.
func requestDeadline(timeout time.Duration) fiber.Handler {
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(db.WithRequestID(c.UserContext(), httperr.RequestID(c)), timeout)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}
