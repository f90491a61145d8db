package v1

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/httperr"
	"forewarn/app/i18n"
	"forewarn/app/service"
)

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI 3 description of this API.
func OpenAPIDocument() []byte { return openAPIDocument }

// Handler holds what the API handlers need.
type Handler struct {
	// document is the OpenAPI document as served: with the server's
	// absolute https URL first when it has one.
	document []byte
	svc      *service.Services
	catalog  *i18n.Catalog
	baseURL  string
	log      *slog.Logger
	// exports holds a token per export being streamed (see maxExports).
	exports chan struct{}
	// Changes is the change feed /changes serves; the server sets it.
	Changes *service.Changes
	// sync serves the prefix set and the range look-up (see
	// UseIndicatorSync).
	sync *service.IndicatorSync
}

// New returns the API handlers.
func New(svc *service.Services, catalog *i18n.Catalog, log *slog.Logger, baseURL string) *Handler {
	return &Handler{svc: svc, catalog: catalog, baseURL: baseURL, log: log, document: servedDocument(baseURL), exports: make(chan struct{}, maxExports)}
}

// servedDocument names the server's absolute URL in the document's
// servers, before the relative one, when the server is on https (an http
// URL would invite partners to send their requests in the clear): tools
// that cannot resolve a relative server URL (code generators, mock
// servers) then find the API.
func servedDocument(baseURL string) []byte {
	if !strings.HasPrefix(baseURL, "https://") {
		return openAPIDocument
	}
	server, err := json.Marshal(map[string]any{
		"url":         strings.TrimSuffix(baseURL, "/") + "/api/v1",
		"description": "This server, production.",
		"x-internal":  false,
	})
	if err != nil {
		return openAPIDocument
	}
	return bytes.Replace(openAPIDocument, []byte(`"servers": [`), append(append([]byte(`"servers": [`), server...), ','), 1)
}

// ListWarnings serves GET /api/v1/warnings.
func (h *Handler) ListWarnings(c *fiber.Ctx) error {
	lang, err := chooseLang(c)
	if err != nil {
		return err
	}
	list, err := h.svc.Warnings.List(c.UserContext(), service.WarningQuery{
		Lang:           lang.primary,
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
	var langs []string
	for i, s := range list.Items {
		out.Data[i] = convertWarning(h.baseURL, s)
		langs = append(langs, s.TextLang)
		if lang.multi() {
			out.Data[i].Translations = translations(s.Texts, lang, false)
			langs = append(langs, translationLangs(out.Data[i].Translations)...)
		}
	}
	if list.HasNext {
		out.NextCursor = &list.NextCursor
		SetNextLink(c, h.baseURL, "cursor", list.NextCursor)
	}
	setContentLanguage(c, langs, lang.primary)
	return c.JSON(out)
}

// GetWarning serves GET /api/v1/warnings/{id}.
func (h *Handler) GetWarning(c *fiber.Ctx) error {
	lang, err := chooseLang(c)
	if err != nil {
		return err
	}
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	get := h.svc.Warnings.Get
	if lang.multi() {
		get = h.svc.Warnings.GetAllTexts
	}
	d, err := get(c.UserContext(), id, lang.primary)
	if err != nil {
		return err
	}
	w := convertWarningDetail(h.baseURL, d)
	langs := []string{d.TextLang}
	if lang.multi() {
		w.Translations = translations(d.Texts, lang, true)
		langs = append(langs, translationLangs(w.Translations)...)
	}
	setContentLanguage(c, langs, lang.primary)
	SetLastModified(c, d.Modified)
	return c.JSON(w)
}

// ServeOpenAPI serves the OpenAPI document.
func (h *Handler) ServeOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(h.document)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
