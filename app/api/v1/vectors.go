package v1

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/extract/vectors"
)

// vectorsETag is the strong ETag of the test vectors: they change only
// with the build.
var vectorsETag = func() string {
	sum := sha256.Sum256(vectors.JSON())
	return `"v-` + hex.EncodeToString(sum[:16]) + `"`
}()

// TestVectors serves GET /api/v1/indicators/test-vectors: inputs with their
// normal form and SHA-256, as the server computes them (docs/indicators.md).
func (h *Handler) TestVectors(c *fiber.Ctx) error {
	setPublicCache(c, "public, max-age=86400")
	c.Set(fiber.HeaderETag, vectorsETag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), vectorsETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(vectors.JSON())
}

// etagMatches reports whether an If-None-Match header names etag, or is
// "*". The comparison is weak (RFC 9110 §13.1.2): W/"x" matches "x".
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
