package v1

import (
	_ "embed"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/i18n"
	"forewarn/app/service"
)

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI 3 description of this API.
func OpenAPIDocument() []byte { return openAPIDocument }

// Handler holds what the API handlers need.
type Handler struct {
	svc     *service.Services
	catalog *i18n.Catalog
	baseURL string
	log     *slog.Logger
	// sync serves the prefix set and the range look-up (see
	// UseIndicatorSync).
	sync *service.IndicatorSync
}

// New returns the API handlers.
func New(svc *service.Services, catalog *i18n.Catalog, log *slog.Logger, baseURL string) *Handler {
	return &Handler{svc: svc, catalog: catalog, baseURL: baseURL, log: log}
}

// ListWarnings serves GET /api/v1/warnings.
func (h *Handler) ListWarnings(c *fiber.Ctx) error {
	lang, err := contentLang(c.Query("lang"))
	if err != nil {
		return err
	}
	list, err := h.svc.Warnings.List(c.UserContext(), service.WarningQuery{
		Lang:           lang,
		Country:        c.Query("country"),
		Category:       c.Query("category"),
		Severity:       c.Query("severity"),
		Cursor:         c.Query("cursor"),
		Limit:          c.Query("limit"),
		UpdatedSince:   c.Query("updated_since"),
		WithIndicators: true,
	})
	if err != nil {
		return err
	}
	out := WarningList{Data: make([]Warning, len(list.Items))}
	for i, s := range list.Items {
		out.Data[i] = convertWarning(h.baseURL, s)
	}
	if list.HasNext {
		out.NextCursor = &list.NextCursor
	}
	return c.JSON(out)
}

// GetWarning serves GET /api/v1/warnings/{id}.
func (h *Handler) GetWarning(c *fiber.Ctx) error {
	lang, err := contentLang(c.Query("lang"))
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return &apperr.Invalid{Field: "id", Key: "error.id.invalid"}
	}
	d, err := h.svc.Warnings.Get(c.UserContext(), id, lang)
	if err != nil {
		return err
	}
	return c.JSON(convertWarningDetail(h.baseURL, d))
}

// ServeOpenAPI serves the OpenAPI document.
func (h *Handler) ServeOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}

// NotFound answers every unknown /api path.
func (h *Handler) NotFound(c *fiber.Ctx) error {
	return fiber.ErrNotFound
}

// contentLang validates the lang parameter: empty, or a BCP 47 tag.
func contentLang(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if _, ok := i18n.BaseLanguage(s); !ok {
		return "", &apperr.Invalid{Field: "lang", Key: "error.language.unknown"}
	}
	return s, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
