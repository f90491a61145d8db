// Package httperr classifies errors for the two HTTP surfaces, so that the
// HTML pages and the API agree on the status and the message of each error.
package httperr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
)

// Info is how an error is answered: its HTTP status, a stable code, the
// translation keys of its title and detail, and the field errors of an
// invalid request. Internal errors are logged and never described.
type Info struct {
	Status    int
	Code      string
	TitleKey  string
	DetailKey string
	Invalids  apperr.Invalids
	Internal  bool
	// Unavailable is a passing failure (a deadline past, Redis away): the
	// answer is a 503 "try again in a moment" with the request ID, and
	// the cause is logged as a warning, without a stack.
	Unavailable bool
	// ShowID puts the request ID on the page of a request refused before
	// its handler (malformed, too large, too slow), so that an operator
	// can find it; the API's problem documents always carry it.
	ShowID bool
}

// ErrCSRF answers a state-changing request without a valid CSRF token.
var ErrCSRF = errors.New("missing or invalid CSRF token")

// ErrUnavailable wraps a failure of something the request needs that may
// come back in a moment: the storage of sessions and rate limits (Redis)
// not answering.
var ErrUnavailable = errors.New("temporarily unavailable")

// Classify maps err onto its answer: every kind of apperr.Kinds has its
// status and message; anything else is internal. Forbidden is answered as
// not found, so that the existence of an object is not revealed.
func Classify(err error) Info {
	if errors.Is(err, ErrCSRF) {
		return Info{Status: fiber.StatusForbidden, Code: "csrf", TitleKey: "error.csrf.title", DetailKey: "error.csrf.text"}
	}
	if errors.Is(err, ErrUnavailable) {
		return Info{Status: fiber.StatusServiceUnavailable, Code: "unavailable", TitleKey: "error.unavailable.title", DetailKey: "error.unavailable.text", Unavailable: true}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Info{Status: fiber.StatusServiceUnavailable, Code: "timeout", TitleKey: "error.unavailable.title", DetailKey: "error.timeout.text", Unavailable: true}
	}
	if invalids, ok := apperr.AsInvalids(err); ok {
		return Info{Status: fiber.StatusBadRequest, Code: "invalid_request", TitleKey: "error.bad_request.title", Invalids: invalids}
	}
	if errors.Is(err, apperr.ErrNotFound) || errors.Is(err, apperr.ErrForbidden) {
		return Info{Status: fiber.StatusNotFound, Code: "not_found", TitleKey: "error.not_found.title", DetailKey: "error.not_found.text"}
	}
	if errors.Is(err, apperr.ErrUnauthenticated) {
		return Info{Status: fiber.StatusUnauthorized, Code: "unauthorized", TitleKey: "error.unauthorized.title", DetailKey: "error.unauthorized.text"}
	}
	if errors.Is(err, apperr.ErrScope) {
		return Info{Status: fiber.StatusForbidden, Code: "insufficient_scope", TitleKey: "error.scope.title", DetailKey: "error.scope.text"}
	}
	if errors.Is(err, apperr.ErrIdempotencyMismatch) {
		return Info{Status: fiber.StatusUnprocessableEntity, Code: "idempotency_key_reused", TitleKey: "error.idempotency.reused_title", DetailKey: "error.idempotency.reused_text"}
	}
	if errors.Is(err, apperr.ErrIdempotencyInProgress) {
		return Info{Status: fiber.StatusConflict, Code: "idempotency_in_progress", TitleKey: "error.conflict.title", DetailKey: "error.idempotency.in_progress"}
	}
	if errors.Is(err, apperr.ErrConflict) {
		return Info{Status: fiber.StatusConflict, Code: "conflict", TitleKey: "error.conflict.title", DetailKey: "error.conflict.text"}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) && fe.Code < 500 {
		info := Info{Status: fe.Code, TitleKey: "error.bad_request.title", DetailKey: "error.bad_request.text", Code: "bad_request"}
		switch fe.Code {
		case fiber.StatusNotFound:
			info.Code, info.TitleKey, info.DetailKey = "not_found", "error.not_found.title", "error.not_found.text"
		case fiber.StatusConflict:
			info.Code, info.TitleKey, info.DetailKey = "conflict", "error.conflict.title", "error.conflict.text"
		case fiber.StatusTooManyRequests:
			info.Code, info.TitleKey, info.DetailKey = "too_many_requests", "error.too_many.title", "error.too_many.text"
		case fiber.StatusMethodNotAllowed:
			info.Code, info.DetailKey = "method_not_allowed", "error.method.not_allowed"
		case fiber.StatusUnsupportedMediaType:
			info.Code, info.DetailKey = "unsupported_media_type", "error.media_type.unsupported"
		case fiber.StatusRequestEntityTooLarge:
			info.Code, info.DetailKey = "body_too_large", "error.body.too_large"
		case fiber.StatusRequestHeaderFieldsTooLarge:
			info.Code, info.DetailKey = "headers_too_large", "error.header.too_large"
		case fiber.StatusRequestURITooLong:
			info.Code, info.DetailKey = "request_too_long", "error.query.too_long"
		case fiber.StatusRequestTimeout:
			info.Code, info.DetailKey = "request_timeout", "error.request.timeout"
		}
		switch info.Code {
		case "bad_request", "body_too_large", "headers_too_large", "request_too_long", "request_timeout":
			info.ShowID = true
		}
		return info
	}
	return Info{Status: fiber.StatusInternalServerError, Code: "internal", TitleKey: "error.internal.title", DetailKey: "error.internal.text", Internal: true}
}

// RequestID returns the ID the requestid middleware gave the request.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestid").(string)
	return id
}

// maxIDDigits bounds the decimal digits of an int64 ID.
const maxIDDigits = 19

// ParseID reads the ID of a path or a form in its one canonical form: a
// positive decimal number without sign, leading zeros, fraction or
// exponent. Another spelling of a positive whole number ("01", "+1",
// "1.0", "1e0") names no resource: apperr.ErrNotFound, so that each resource has
// one URL. Anything else (zero, negative, not a number, too long) is an
// apperr.Invalid of field id.
func ParseID(s string) (int64, error) {
	if canonicalID(s) {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) <= maxIDDigits {
			return id, nil
		}
	} else if len(s) <= 2*maxIDDigits {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 && f == math.Trunc(f) && !math.IsInf(f, 0) {
			return 0, fmt.Errorf("id %q is not canonical: %w", s, apperr.ErrNotFound)
		}
	}
	return 0, &apperr.Invalid{Field: "id", Key: "error.id.invalid"}
}

// canonicalID reports whether s is [1-9][0-9]*.
func canonicalID(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
