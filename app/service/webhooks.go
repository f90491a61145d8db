package service

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
	"forewarn/app/webhook"
)

// The events an endpoint may ask for, and the test event.
const (
	EventWarningPublished = "warning.published"
	EventWarningUpdated   = "warning.updated"
	EventWarningRetracted = "warning.retracted"
	EventWarningExpired   = "warning.expired"
	EventReportPublished  = "report.published"
	EventTest             = "webhook.test"
)

// WebhookEvents lists the events an endpoint may subscribe to.
var WebhookEvents = []string{EventWarningPublished, EventWarningUpdated, EventWarningRetracted, EventWarningExpired, EventReportPublished}

// Webhook bounds.
const (
	maxEndpointsPerOrganisation = 20
	maxWebhookURLBytes          = 2048
	maxWebhookFilters           = 50
	// DefaultDeliveriesPageSize and MaxDeliveriesPageSize bound a page of
	// the delivery log.
	DefaultDeliveriesPageSize = 50
	MaxDeliveriesPageSize     = 200
)

// Why an endpoint was disabled (the admin pages translate it).
const (
	DisabledFailing = "failing"
)

// Webhooks holds the rules of partners' webhook endpoints: registering
// them (with a key holding the webhooks scope, for the key's
// organisation), the delivery log, and the admins' re-enabling.
type Webhooks struct {
	store *store.Store
	now   func() time.Time
	// Guard checks endpoint URLs here and at every delivery. Only tests
	// change it (see webhook.Guard.AllowLoopback), before any use.
	Guard *webhook.Guard
}

// EndpointInput is a new endpoint as a partner sends it.
type EndpointInput struct {
	URL       string
	Events    []string
	Countries []string
	Languages []string
}

// Endpoint is an endpoint as its organisation sees it.
type Endpoint struct {
	model.WebhookEndpoint
	EventList    []string
	CountryList  []string
	LanguageList []string
	Active       bool
	SecretOnce   string
	Organisation string
}

func endpointOf(e model.WebhookEndpoint) Endpoint {
	return Endpoint{WebhookEndpoint: e, EventList: splitList(e.Events), CountryList: splitList(e.Countries), LanguageList: splitList(e.Languages), Active: e.DisabledAt == nil}
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// keyOrganisation is the organisation of the request's key, which must
// hold the webhooks scope.
func keyOrganisation(ctx context.Context) (KeyIdentity, error) {
	return RequireScope(ctx, ScopeWebhooks)
}

// CreateEndpoint registers an endpoint for the key's organisation and
// returns it with its secret, which is never shown again.
func (w *Webhooks) CreateEndpoint(ctx context.Context, in EndpointInput) (Endpoint, error) {
	key, err := keyOrganisation(ctx)
	if err != nil {
		return Endpoint{}, err
	}
	row, err := w.validEndpoint(ctx, in)
	if err != nil {
		return Endpoint{}, err
	}
	n, err := w.store.CountWebhookEndpoints(ctx, key.OrganisationID)
	if err != nil {
		return Endpoint{}, err
	}
	if n >= maxEndpointsPerOrganisation {
		return Endpoint{}, &apperr.Invalid{Field: "url", Key: "error.webhook.too_many"}
	}
	secret, err := webhook.NewSecret()
	if err != nil {
		return Endpoint{}, err
	}
	row.OrganisationID, row.Secret, row.CreatedAt, row.CreatedByKey = key.OrganisationID, secret, w.now(), &key.ID
	err = w.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateWebhookEndpoint(ctx, &row); err != nil {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorKeyID: &key.ID, Action: "webhook.create", TargetType: "webhook_endpoint", TargetID: row.ID,
			AfterText: fmt.Sprintf("%s events=%s organisation=%d", row.URL, row.Events, row.OrganisationID), CreatedAt: row.CreatedAt})
	})
	if err != nil {
		return Endpoint{}, fmt.Errorf("create webhook endpoint: %w", err)
	}
	e := endpointOf(row)
	e.SecretOnce = secret
	e.Secret = ""
	return e, nil
}

// validEndpoint checks a new endpoint's URL (webhook.Guard), events and
// filters.
func (w *Webhooks) validEndpoint(ctx context.Context, in EndpointInput) (model.WebhookEndpoint, error) {
	var errs apperr.Invalids
	raw := strings.TrimSpace(in.URL)
	var row model.WebhookEndpoint
	if raw == "" {
		errs = append(errs, &apperr.Invalid{Field: "url", Key: "error.webhook.url.missing"})
	} else if len(raw) > maxWebhookURLBytes {
		errs = append(errs, &apperr.Invalid{Field: "url", Key: "error.webhook.url.too_long"})
	} else if u, err := w.Guard.CheckURL(ctx, raw); err != nil {
		var ue *webhook.URLError
		if !errors.As(err, &ue) {
			return row, err
		}
		errs = append(errs, &apperr.Invalid{Field: "url", Key: "error.webhook.url." + ue.Reason})
	} else {
		row.URL = u.String()
	}
	events := map[string]bool{}
	for _, e := range in.Events {
		if !slices.Contains(WebhookEvents, e) {
			errs = append(errs, &apperr.Invalid{Field: "events", Key: "error.webhook.events"})
			break
		}
		events[e] = true
	}
	if len(in.Events) == 0 {
		errs = append(errs, &apperr.Invalid{Field: "events", Key: "error.webhook.events"})
	}
	var list []string
	for _, e := range WebhookEvents {
		if events[e] {
			list = append(list, e)
		}
	}
	row.Events = strings.Join(list, ",")
	countries, ok := normaliseCodes(in.Countries, func(c string) bool { return len(c) == 2 && isUpperASCII(c) }, strings.ToUpper)
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "countries", Key: "error.webhook.countries"})
	}
	langs, ok := normaliseCodes(in.Languages, func(l string) bool { return len(l) >= 2 && len(l) <= 3 && isLowerASCII(l) }, strings.ToLower)
	if !ok {
		errs = append(errs, &apperr.Invalid{Field: "languages", Key: "error.webhook.languages"})
	}
	row.Countries, row.Languages = strings.Join(countries, ","), strings.Join(langs, ",")
	return row, errs.Err()
}

func normaliseCodes(in []string, valid func(string) bool, norm func(string) string) ([]string, bool) {
	if len(in) > maxWebhookFilters {
		return nil, false
	}
	var out []string
	for _, c := range in {
		c = norm(strings.TrimSpace(c))
		if !valid(c) {
			return nil, false
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, true
}

func isUpperASCII(s string) bool {
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func isLowerASCII(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// Endpoints lists the key's organisation's endpoints.
func (w *Webhooks) Endpoints(ctx context.Context) ([]Endpoint, error) {
	key, err := keyOrganisation(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := w.store.WebhookEndpoints(ctx, key.OrganisationID)
	if err != nil {
		return nil, err
	}
	out := make([]Endpoint, len(rows))
	for i, r := range rows {
		out[i] = endpointOf(r.WebhookEndpoint)
	}
	return out, nil
}

// endpoint loads an endpoint of the key's organisation: another's is not
// found, as one that does not exist.
func (w *Webhooks) endpoint(ctx context.Context, id int64) (KeyIdentity, model.WebhookEndpoint, error) {
	key, err := keyOrganisation(ctx)
	if err != nil {
		return key, model.WebhookEndpoint{}, err
	}
	e, err := w.store.WebhookEndpoint(ctx, id)
	if err != nil {
		return key, e, err
	}
	if e.OrganisationID != key.OrganisationID {
		return key, model.WebhookEndpoint{}, fmt.Errorf("webhook endpoint %d of another organisation: %w", id, apperr.ErrNotFound)
	}
	return key, e, nil
}

// Endpoint returns one endpoint of the key's organisation, without secret.
func (w *Webhooks) Endpoint(ctx context.Context, id int64) (Endpoint, error) {
	_, e, err := w.endpoint(ctx, id)
	if err != nil {
		return Endpoint{}, err
	}
	e.Secret = ""
	return endpointOf(e), nil
}

// DeleteEndpoint deletes an endpoint of the key's organisation, with its
// pending deliveries and its log.
func (w *Webhooks) DeleteEndpoint(ctx context.Context, id int64) error {
	key, e, err := w.endpoint(ctx, id)
	if err != nil {
		return err
	}
	return w.store.Tx(ctx, func(tx *store.Store) error {
		ok, err := tx.DeleteWebhookEndpoint(ctx, key.OrganisationID, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("delete webhook endpoint %d: %w", id, apperr.ErrNotFound)
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorKeyID: &key.ID, Action: "webhook.delete", TargetType: "webhook_endpoint", TargetID: id,
			BeforeText: e.URL, CreatedAt: w.now()})
	})
}

// TestEndpoint queues a webhook.test message to one endpoint of the key's
// organisation and returns its message ID.
func (w *Webhooks) TestEndpoint(ctx context.Context, id int64) (string, error) {
	_, e, err := w.endpoint(ctx, id)
	if err != nil {
		return "", err
	}
	now := w.now()
	msg, err := newMessageID()
	if err != nil {
		return "", err
	}
	body, err := marshalPayload(EventTest, now, map[string]any{"endpoint_id": e.ID})
	if err != nil {
		return "", err
	}
	err = w.store.Tx(ctx, func(tx *store.Store) error {
		ev := model.WebhookEvent{Type: EventTest, SubjectID: e.ID, FannedOut: true, Payload: body}
		if err := tx.CreateWebhookEvent(ctx, &ev); err != nil {
			return err
		}
		return tx.CreateWebhookDeliveries(ctx, []model.WebhookDelivery{{EndpointID: e.ID, EventID: ev.ID, MessageID: msg, State: model.DeliveryPending, NextAt: now, CreatedAt: now}})
	})
	return msg, err
}

// DeliveryPage is a page of an endpoint's delivery log.
type DeliveryPage struct {
	Items      []model.WebhookAttempt
	NextCursor string
}

// Deliveries returns a page of the log of an endpoint of the key's
// organisation, newest first.
func (w *Webhooks) Deliveries(ctx context.Context, id int64, cursor, limit string) (DeliveryPage, error) {
	if _, _, err := w.endpoint(ctx, id); err != nil {
		return DeliveryPage{}, err
	}
	n := DefaultDeliveriesPageSize
	var errs apperr.Invalids
	if limit != "" {
		v, err := strconv.Atoi(limit)
		if err != nil || v < 1 || v > MaxDeliveriesPageSize {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid"})
		}
		n = v
	}
	var before int64
	if cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(cursor)
		v, k := binary.Varint(b)
		if err != nil || k <= 0 || k != len(b) || v <= 0 {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
		before = v
	}
	if err := errs.Err(); err != nil {
		return DeliveryPage{}, err
	}
	rows, err := w.store.WebhookAttempts(ctx, id, before, n+1)
	if err != nil {
		return DeliveryPage{}, err
	}
	page := DeliveryPage{Items: rows}
	if len(rows) > n {
		page.Items = rows[:n]
		page.NextCursor = base64.RawURLEncoding.EncodeToString(binary.AppendVarint(nil, rows[n-1].ID))
	}
	return page, nil
}

// AdminEndpoint is an endpoint with its recent log, for the admin pages.
type AdminEndpoint struct {
	Endpoint
	Recent []model.WebhookAttempt
}

// AdminEndpointPage is one page of every organisation's endpoints.
type AdminEndpointPage struct {
	Items   []AdminEndpoint
	Page    int
	HasNext bool
}

// AdminEndpointsPerPage is how many endpoints a page of the admin list
// shows, each with its last deliveries.
const AdminEndpointsPerPage = 20

// AdminEndpoints returns a page (1 when page is "") of every
// organisation's endpoints with their last deliveries; admins only. A page
// that is not a number from 1 to maxPage is an apperr.Invalid.
func (w *Webhooks) AdminEndpoints(ctx context.Context, admin *model.User, page string) (AdminEndpointPage, error) {
	if err := checkAdmin(admin); err != nil {
		return AdminEndpointPage{}, err
	}
	out := AdminEndpointPage{Page: 1}
	if page != "" {
		n, err := strconv.Atoi(page)
		if err != nil || n < 1 || n > maxPage {
			return AdminEndpointPage{}, &apperr.Invalid{Field: "page", Key: "error.page.invalid"}
		}
		out.Page = n
	}
	rows, err := w.store.WebhookEndpointsPage(ctx, (out.Page-1)*AdminEndpointsPerPage, AdminEndpointsPerPage+1)
	if err != nil {
		return AdminEndpointPage{}, fmt.Errorf("admin webhook endpoints: %w", err)
	}
	if len(rows) > AdminEndpointsPerPage {
		rows, out.HasNext = rows[:AdminEndpointsPerPage], true
	}
	out.Items = make([]AdminEndpoint, len(rows))
	for i, r := range rows {
		out.Items[i].Endpoint = endpointOf(r.WebhookEndpoint)
		out.Items[i].Organisation = r.Organisation
		if out.Items[i].Recent, err = w.store.WebhookAttempts(ctx, r.ID, 0, 10); err != nil {
			return AdminEndpointPage{}, err
		}
	}
	return out, nil
}

// Enable makes a disabled endpoint active again; admins only, logged.
func (w *Webhooks) Enable(ctx context.Context, admin *model.User, id int64) error {
	if err := checkAdmin(admin); err != nil {
		return err
	}
	return w.store.Tx(ctx, func(tx *store.Store) error {
		e, err := tx.WebhookEndpoint(ctx, id)
		if err != nil {
			return err
		}
		ok, err := tx.EnableWebhookEndpoint(ctx, id)
		if err != nil || !ok {
			return err
		}
		return tx.LogAction(ctx, &model.ModerationAction{ActorID: &admin.ID, Action: "webhook.enable", TargetType: "webhook_endpoint", TargetID: id,
			BeforeText: "disabled: " + e.DisabledReason, AfterText: e.URL, CreatedAt: w.now()})
	})
}

// hostOf is an endpoint's host, for the log (never its path or query,
// which may carry a token).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Host
}
