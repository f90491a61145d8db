package v1

import (
	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/httperr"
)

// Problem is an RFC 9457 problem document, with Forewarn's stable code and
// the field errors of an invalid request.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Code      string         `json:"code"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []ProblemError `json:"errors,omitempty"`
}

// ProblemError is one invalid field.
type ProblemError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// RenderError answers err as a problem document, localised by the lang
// parameter or the Accept-Language header; the server's error handler calls
// it for every /api route. Internal details are logged, never sent.
func (h *Handler) RenderError(c *fiber.Ctx, err error) error {
	l := h.catalog.Localizer(h.catalog.Match(c.Query("lang"), c.Get(fiber.HeaderAcceptLanguage)).Code)
	info := httperr.Classify(err)
	p := Problem{Type: "about:blank", Status: info.Status, Code: info.Code, Title: l.T(info.TitleKey), RequestID: httperr.RequestID(c)}
	if info.DetailKey != "" {
		p.Detail = l.T(info.DetailKey)
	}
	if info.Code == "body_too_large" {
		// The body as a whole is the field over its limit.
		info.Invalids = append(info.Invalids, &apperr.Invalid{Field: "body", Key: "error.body.too_large"})
	}
	for _, inv := range info.Invalids {
		p.Errors = append(p.Errors, ProblemError{Field: inv.Field, Code: inv.Key, Message: l.Invalid(inv)})
	}
	if len(p.Errors) > 0 {
		p.Detail = p.Errors[0].Message
	}
	if info.Internal {
		h.log.Error("api request failed", "request_id", p.RequestID, "route", c.Route().Path, "err", err)
	}
	if info.Unavailable {
		h.log.Warn("api request unavailable", "request_id", p.RequestID, "route", c.Route().Path, "code", info.Code, "err", err)
	}
	challenge(c, err)
	c.Set(fiber.HeaderContentLanguage, l.Code)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(p.Status).JSON(p, "application/problem+json")
}
