package model

import "time"

// WebhookEndpoint is a URL an organisation registered to be told of
// changes. Events, Countries and Languages are comma-separated lists
// (empty Countries or Languages: every one). Secret signs the deliveries.
type WebhookEndpoint struct {
	ID             int64
	OrganisationID int64
	URL            string `gorm:"column:url"`
	Secret         string
	Events         string
	Countries      string
	Languages      string
	// AfterEvent is the last event of the outbox when the endpoint was
	// made: it is told of later ones only.
	AfterEvent int64
	// Failures counts the failed attempts since the last success.
	Failures       int
	DisabledAt     *time.Time
	DisabledReason string
	CreatedByKey   *int64
	CreatedAt      time.Time
}

// TableName names the table of webhook endpoints.
func (WebhookEndpoint) TableName() string { return "webhook_endpoints" }

// WebhookEndpointRow is an endpoint with its organisation's name, for the
// admin pages; never with its secret.
type WebhookEndpointRow struct {
	WebhookEndpoint
	Organisation string
}

// WebhookEvent is one change waiting in the outbox, or fanned out.
type WebhookEvent struct {
	ID        int64
	Type      string
	SubjectID int64
	FannedOut bool
	Payload   string
}

// TableName names the outbox.
func (WebhookEvent) TableName() string { return "webhook_events" }

// WebhookDelivery is one message to one endpoint.
type WebhookDelivery struct {
	ID          int64
	EndpointID  int64
	EventID     int64
	MessageID   string
	State       string
	Attempts    int
	NextAt      time.Time
	LeasedUntil *time.Time
	LeaseOwner  string
	CreatedAt   time.Time
}

// TableName names the table of deliveries.
func (WebhookDelivery) TableName() string { return "webhook_deliveries" }

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookAttempt is one line of an endpoint's delivery log. StatusCode is
// 0 when no answer came; Error names the kind of failure ("" on success).
type WebhookAttempt struct {
	ID         int64
	DeliveryID int64
	EndpointID int64
	MessageID  string
	EventType  string
	Attempt    int
	StatusCode int
	Error      string
	DurationMS int64 `gorm:"column:duration_ms"`
	CreatedAt  time.Time
}

// TableName names the delivery log.
func (WebhookAttempt) TableName() string { return "webhook_attempts" }
