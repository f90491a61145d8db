package v1

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/httperr"
	"forewarn/app/service"
)

// WebhookEndpointRequest is the body of POST /webhooks.
type WebhookEndpointRequest struct {
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	Countries []string `json:"countries"`
	Languages []string `json:"languages"`
}

// WebhookEndpoint is an endpoint as the API shows it; Secret only in the
// answer to its creation.
type WebhookEndpoint struct {
	ID             int64      `json:"id"`
	URL            string     `json:"url"`
	Events         []string   `json:"events"`
	Countries      []string   `json:"countries"`
	Languages      []string   `json:"languages"`
	State          string     `json:"state"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	Secret         string     `json:"secret,omitempty"`
}

// WebhookEndpointList is the answer of GET /webhooks.
type WebhookEndpointList struct {
	Data []WebhookEndpoint `json:"data"`
}

// WebhookDelivery is one line of an endpoint's delivery log.
type WebhookDelivery struct {
	MessageID  string    `json:"message_id"`
	EventType  string    `json:"event_type"`
	Attempt    int       `json:"attempt"`
	StatusCode *int      `json:"status_code"`
	Error      *string   `json:"error"`
	DurationMS int64     `json:"duration_ms"`
	At         time.Time `json:"at"`
}

// WebhookDeliveryList is a page of the delivery log.
type WebhookDeliveryList struct {
	Data       []WebhookDelivery `json:"data"`
	NextCursor *string           `json:"next_cursor"`
}

func convertEndpoint(e service.Endpoint) WebhookEndpoint {
	out := WebhookEndpoint{ID: e.ID, URL: e.URL, Events: e.EventList, Countries: e.CountryList, Languages: e.LanguageList,
		State: "active", CreatedAt: e.CreatedAt.UTC(), Secret: e.SecretOnce}
	if !e.Active {
		out.State, out.DisabledReason = "disabled", e.DisabledReason
		at := e.DisabledAt.UTC()
		out.DisabledAt = &at
	}
	return out
}

// CreateWebhook serves POST /api/v1/webhooks.
func (h *Handler) CreateWebhook(c *fiber.Ctx) error {
	var req WebhookEndpointRequest
	if err := DecodeStrict(c.Body(), &req); err != nil {
		return err
	}
	e, err := h.svc.Webhooks.CreateEndpoint(c.UserContext(), service.EndpointInput{URL: req.URL, Events: req.Events, Countries: req.Countries, Languages: req.Languages})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Location(h.baseURL + "/api/v1/webhooks/" + itoa(e.ID))
	return c.Status(fiber.StatusCreated).JSON(convertEndpoint(e))
}

// ListWebhooks serves GET /api/v1/webhooks.
func (h *Handler) ListWebhooks(c *fiber.Ctx) error {
	list, err := h.svc.Webhooks.Endpoints(c.UserContext())
	if err != nil {
		return err
	}
	out := WebhookEndpointList{Data: make([]WebhookEndpoint, len(list))}
	for i, e := range list {
		out.Data[i] = convertEndpoint(e)
	}
	return c.JSON(out)
}

// GetWebhook serves GET /api/v1/webhooks/{id}.
func (h *Handler) GetWebhook(c *fiber.Ctx) error {
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	e, err := h.svc.Webhooks.Endpoint(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(convertEndpoint(e))
}

// DeleteWebhook serves DELETE /api/v1/webhooks/{id}.
func (h *Handler) DeleteWebhook(c *fiber.Ctx) error {
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if err := h.svc.Webhooks.DeleteEndpoint(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// TestWebhook serves POST /api/v1/webhooks/{id}/test.
func (h *Handler) TestWebhook(c *fiber.Ctx) error {
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	if len(c.Body()) > 0 {
		var empty struct{}
		if err := DecodeStrict(c.Body(), &empty); err != nil {
			return err
		}
	}
	msg, err := h.svc.Webhooks.TestEndpoint(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"message_id": msg, "type": service.EventTest})
}

// ListWebhookDeliveries serves GET /api/v1/webhooks/{id}/deliveries.
func (h *Handler) ListWebhookDeliveries(c *fiber.Ctx) error {
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	page, err := h.svc.Webhooks.Deliveries(c.UserContext(), id, c.Query("cursor"), c.Query("limit"))
	if err != nil {
		return err
	}
	out := WebhookDeliveryList{Data: make([]WebhookDelivery, len(page.Items))}
	for i, a := range page.Items {
		d := WebhookDelivery{MessageID: a.MessageID, EventType: a.EventType, Attempt: a.Attempt, DurationMS: a.DurationMS, At: a.CreatedAt.UTC()}
		if a.StatusCode != 0 {
			code := a.StatusCode
			d.StatusCode = &code
		}
		if a.Error != "" {
			kind := a.Error
			d.Error = &kind
		}
		out.Data[i] = d
	}
	if page.NextCursor != "" {
		out.NextCursor = &page.NextCursor
		SetNextLink(c, h.baseURL, "cursor", page.NextCursor)
	}
	return c.JSON(out)
}
