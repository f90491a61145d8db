package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// checkBodySize refuses a body larger than its route may take, before any
// handler parses it: only the report form carries screenshots and may
// send up to maxBodyBytes (Fiber's limit, checked by the declared length
// before the body is read); any other body, multipart or not, is refused
// beyond maxFormBytes.
func checkBodySize(c *fiber.Ctx) error {
	size := len(c.Body())
	if n := c.Request().Header.ContentLength(); n > size {
		size = n
	}
	if size > maxFormBytes && !takesUploads(c) {
		return fiber.ErrRequestEntityTooLarge
	}
	return nil
}

// takesUploads reports whether the request is a multipart POST to the
// report form, the one route that takes files.
func takesUploads(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost || !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return false
	}
	parts := strings.Split(strings.Trim(c.Path(), "/"), "/")
	return len(parts) == 3 && parts[1] == "reports" && parts[2] == "new"
}
