package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// checkBodySize refuses a body larger than its route may take, before any
// handler parses it: only the report form carries screenshots and may
// send up to maxBodyBytes; any other body, multipart or not, is refused
// beyond maxFormBytes. bodyLimit has already refused a declared length
// past the limit before the body was read; this catches the rest.
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
// report form or to the API's reports, the routes that take files.
func takesUploads(c *fiber.Ctx) bool {
	return uploadRoute(c.Method(), c.Get(fiber.HeaderContentType), c.Path())
}

func uploadRoute(method, contentType, path string) bool {
	if method != fiber.MethodPost || !strings.HasPrefix(contentType, fiber.MIMEMultipartForm) {
		return false
	}
	if path == "/api/v1/reports" {
		return true
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	return len(parts) == 3 && parts[1] == "reports" && parts[2] == "new"
}

// bodyLimit is fasthttp's HeaderReceived hook: it sets the body limit of
// the request's route as soon as its header is read, so that a declared
// Content-Length past it is refused (413) before one byte of the body is
// read, and a chunked body is cut off at it.
func bodyLimit(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	if uploadRoute(string(h.Method()), string(h.ContentType()), path) {
		return fasthttp.RequestConfig{MaxRequestBodySize: maxBodyBytes}
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: maxFormBytes}
}
