package server

import (
	"context"
	"regexp"
	"strconv"
	"strings"
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
		parent := c.UserContext()
		// The pooled context must not keep an ended context for the
		// next request on it (an error page before routing reads it).
		defer c.SetUserContext(parent)
		withID := db.WithRequestID(parent, httperr.RequestID(c))
		ctx, cancel := context.WithTimeout(withID, timeout)
		c.SetUserContext(ctx)
		err := c.Next()
		cancel()
		if err == nil {
			return nil
		}
		// The error page is rendered here, under a short deadline of its
		// own: the request's may be what has passed.
		ctx, cancel = context.WithTimeout(withID, errorPageTimeout)
		defer cancel()
		c.SetUserContext(ctx)
		return c.App().ErrorHandler(c, err)
	}
}

// errorPageTimeout bounds the work of rendering an error page.
const errorPageTimeout = 2 * time.Second

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// ensureRequestID gives a request that failed before the middleware ran
// (a header too large, a malformed body: fasthttp's errors) its request ID,
// in the header and for the error page.
func ensureRequestID(c *fiber.Ctx) {
	if httperr.RequestID(c) != "" {
		return
	}
	id := newRequestID()
	c.Locals("requestid", id)
	c.Set(fiber.HeaderXRequestID, id)
}

// unparsedContents finds the start of the request fasthttp quotes in the
// error of a header it could not parse ("… contents: \"POST /api/…\"").
var unparsedContents = regexp.MustCompile(`contents: ("(?:[^"\\]|\\.)*")`)

// unparsedPath returns the path of a request whose header fasthttp
// refused before routing (a Content-Length that is not a number, say),
// read back from the start of the request its error quotes, so that the
// answer takes the format of the request's surface; "" when unknown. Its
// error message is never shown or logged: it holds the request.
func unparsedPath(c *fiber.Ctx, err error) string {
	if c.Route().Path != "" && c.Route().Path != "/" || err == nil {
		return ""
	}
	m := unparsedContents.FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	raw, uerr := strconv.Unquote(m[1])
	if uerr != nil {
		return ""
	}
	line, _, _ := strings.Cut(raw, "\\r\\n")
	line, _, _ = strings.Cut(line, "\r\n")
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return ""
	}
	path, _, _ := strings.Cut(fields[1], "?")
	return path
}
