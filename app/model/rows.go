package model

import "time"

// Setting is one persisted key/value of the instance (the generated secret key).
type Setting struct {
	Key   string `gorm:"primaryKey"`
	Value string
}

// Organisation is an NGO or partner that publishes warnings and owns API keys.
type Organisation struct {
	ID       int64
	Slug     string
	Name     string
	Website  string
	Verified bool
	// Public contacts, shown on the help pages of the countries it covers
	// and on each of its warnings: Phone in E.164, Email, Hours and
	// HelpsWith as the admin wrote them, Languages and Countries as
	// comma-separated codes.
	Phone     string
	Email     string
	Hours     string
	Languages string
	HelpsWith string
	Countries string
	// InvestigatorSince is when an admin marked the organisation a vetted
	// investigator; nil when it is not one. Only then may its keys hold
	// the investigate scope and its members open the investigation pages.
	InvestigatorSince *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// HasContacts reports whether the organisation has a public contact.
func (o Organisation) HasContacts() bool {
	return o.Phone != "" || o.Email != "" || o.Website != "" || o.Hours != "" || o.HelpsWith != "" || o.Languages != ""
}

// HelpEntry is one place to get help in a country, written by admins in
// one language: a hotline, the labour inspectorate, the emergency number
// or another service.
type HelpEntry struct {
	ID          int64
	Country     string
	Lang        string
	Kind        string
	Name        string
	Description string
	// Phone is in E.164, Website an https URL; both may be empty.
	Phone     string
	Website   string
	Hours     string
	SeedKey   *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// User is an account: a member, a moderator or an admin.
type User struct {
	ID             int64
	Pseudonym      string
	PseudonymKey   string
	Email          *string
	PasswordHash   string
	Role           Role
	TrustLevel     int
	ApprovedPosts  int
	OrganisationID *int64
	Locale         string
	SilencedUntil  *time.Time
	BannedUntil    *time.Time
	// SessionEpoch ends every session opened before it changed: a ban and a
	// password change bump it.
	SessionEpoch int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// UserLanguage is a content language a moderator covers.
type UserLanguage struct {
	UserID int64  `gorm:"primaryKey"`
	Lang   string `gorm:"primaryKey"`
}

// UserCountry is a country a moderator covers.
type UserCountry struct {
	UserID  int64  `gorm:"primaryKey"`
	Country string `gorm:"primaryKey"`
}

// Category is a kind of trap.
type Category struct {
	ID        int64
	Slug      string
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CategoryName is an admin-given name of a category in one language; the
// built-in categories are named by the interface locales.
type CategoryName struct {
	CategoryID int64  `gorm:"primaryKey"`
	Lang       string `gorm:"primaryKey"`
	Name       string
}

// Report is one member's or guest's experience, a forum thread.
type Report struct {
	ID           int64
	Title        string
	Body         string
	Lang         string
	CategoryID   int64
	SeenOn       SeenOn
	AuthorID     *int64
	Status       PostStatus
	RejectReason string
	// HoldReason says why the post waits beyond the trust rule.
	HoldReason  string
	SeedKey     *string
	PublishedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// SubmittedByKeyID and OrganisationID name the API key and the
	// organisation of a partner's app that sent the report, if one did.
	SubmittedByKeyID *int64
	OrganisationID   *int64
}

// ReportCountry places a report on a route.
type ReportCountry struct {
	ReportID int64       `gorm:"primaryKey"`
	Country  string      `gorm:"primaryKey"`
	Role     CountryRole `gorm:"primaryKey"`
}

// ReportImage is a re-encoded screenshot attached to a report.
type ReportImage struct {
	ID          int64
	ReportID    int64
	ContentType string
	Width       int
	Height      int
	Data        []byte
	CreatedAt   time.Time
}

// ReportConfirmation is a member's "I met this too" on a report.
type ReportConfirmation struct {
	ReportID  int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
	CreatedAt time.Time
}

// Reply is a post in a report's thread.
type Reply struct {
	ID           int64
	ReportID     int64
	AuthorID     *int64
	Body         string
	Status       PostStatus
	RejectReason string
	HoldReason   string
	PublishedAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Warning is a moderated, published alert about a pattern of traps.
type Warning struct {
	ID               int64
	Severity         Severity
	CategoryID       int64
	Status           WarningStatus
	Lang             string
	OrganisationID   *int64
	AuthorID         *int64
	ApproverID       *int64
	NamesParty       bool
	RetractionReason string
	SeedKey          *string
	ExpiresAt        *time.Time
	PublishedAt      *time.Time
	RetractedAt      *time.Time
	// LockVersion grows with every change by moderators; a change claims
	// the version it was decided on (see store.ClaimWarning).
	LockVersion int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Expired reports whether w is past its validity at now.
func (w *Warning) Expired(now time.Time) bool {
	return w.Status == WarningExpired || (w.ExpiresAt != nil && !w.ExpiresAt.After(now))
}

// WarningTranslation is a warning's text in one language.
type WarningTranslation struct {
	WarningID int64  `gorm:"primaryKey"`
	Lang      string `gorm:"primaryKey"`
	Title     string
	Summary   string
	Body      string
	// WhatToDo is the "What to do now" of the warning page's first screen:
	// one to three short sentences, required to publish.
	WhatToDo  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// WarningCountry places a warning on a route.
type WarningCountry struct {
	WarningID int64       `gorm:"primaryKey"`
	Country   string      `gorm:"primaryKey"`
	Role      CountryRole `gorm:"primaryKey"`
}

// WarningReport links a warning to a report it was drawn from.
type WarningReport struct {
	WarningID int64 `gorm:"primaryKey"`
	ReportID  int64 `gorm:"primaryKey"`
}

// Indicator is a recognisable trace of an offer, stored normalised once.
type Indicator struct {
	ID         int64
	Kind       IndicatorKind
	Platform   string
	Normalized string
	// Hash is the lower-case hex SHA-256 of Normalized, for range look-ups.
	Hash      string
	CreatedAt time.Time
}

// WarningIndicator links an indicator to a warning, with the text as written.
type WarningIndicator struct {
	WarningID   int64 `gorm:"primaryKey"`
	IndicatorID int64 `gorm:"primaryKey"`
	Raw         string
}

// ReportIndicator links an indicator to a report, with the text as written.
type ReportIndicator struct {
	ReportID    int64 `gorm:"primaryKey"`
	IndicatorID int64 `gorm:"primaryKey"`
	Raw         string
}

// Flag is a signal that a post breaks the rules.
type Flag struct {
	ID           int64
	TargetType   string
	TargetID     int64
	Reason       FlagReason
	Note         string
	ReporterID   *int64
	Status       FlagStatus
	ResolvedByID *int64
	ResolvedAt   *time.Time
	CreatedAt    time.Time
}

// ModerationAction is one entry of the audit log.
type ModerationAction struct {
	ID      int64
	ActorID *int64
	// ActorKeyID is the API key that acted, when a partner's app did.
	ActorKeyID *int64
	Action     string
	TargetType string
	TargetID   int64
	Reason     string
	BeforeText string
	AfterText  string
	// Lang and Countries are the scope of the content the entry is about
	// when it was written: its language and its route's country codes,
	// space-separated with a space at each end (" FR RO "); empty for
	// entries about members, organisations and categories.
	Lang      string
	Countries string
	CreatedAt time.Time
}

// APIKey lets an organisation's app use the API; only the SHA-256 of the
// key is stored, with its prefix for recognition. Scopes is a
// comma-separated list; RateLimit is requests per minute. CreatedBy and
// RevokedBy are the admins who issued and revoked it, nil from the
// command line.
type APIKey struct {
	ID             int64
	OrganisationID int64
	Name           string
	Prefix         string
	Hash           string
	Scopes         string
	RateLimit      int
	LastUsedAt     *time.Time
	RevokedAt      *time.Time
	CreatedAt      time.Time
	CreatedBy      *int64
	RevokedBy      *int64
}

// TableName names the table of API keys.
func (APIKey) TableName() string { return "api_keys" }

// HTTPState is one server-side value of the HTTP layer (a session, a CSRF
// token, a rate-limit counter); ExpiresAt is Unix seconds, 0 for never.
type HTTPState struct {
	Key       string `gorm:"primaryKey"`
	Value     []byte
	ExpiresAt int64
}

// TableName keeps the table name singular, as the state is one store.
func (HTTPState) TableName() string { return "http_state" }

// PostRevision is an earlier version of a report or reply, kept on edit.
type PostRevision struct {
	ID         int64
	TargetType string
	TargetID   int64
	EditorID   *int64
	Title      string
	Body       string
	CreatedAt  time.Time
}

// WarningRevision is a proposed change to a published warning, waiting for
// a second moderator, or decided.
type WarningRevision struct {
	ID         int64
	WarningID  int64
	Status     RevisionStatus
	ProposerID *int64
	// Contributors is a JSON array of the IDs of every moderator who wrote
	// part of the proposed state.
	Contributors string
	DeciderID    *int64
	NamesParty   bool
	// State is the complete proposed warning as JSON.
	State     string
	Reason    string
	CreatedAt time.Time
	DecidedAt *time.Time
}

// All lists every row type, for the schema test.
func All() []any {
	return []any{
		&Setting{}, &Organisation{}, &User{}, &UserLanguage{}, &UserCountry{},
		&Category{}, &CategoryName{}, &Report{}, &ReportCountry{}, &ReportImage{},
		&ReportConfirmation{}, &Reply{}, &Warning{}, &WarningTranslation{},
		&WarningCountry{}, &WarningReport{}, &Indicator{}, &WarningIndicator{},
		&ReportIndicator{}, &Flag{}, &ModerationAction{}, &APIKey{},
		&HTTPState{}, &PostRevision{}, &WarningRevision{}, &IdempotencyKey{},
	}
}

// RecoveryCode is one of a member's one-time codes to reset a forgotten
// password; only the SHA-256 of the code is kept.
type RecoveryCode struct {
	ID        int64
	UserID    int64
	CodeHash  string
	UsedAt    *time.Time
	CreatedAt time.Time
}

// IdempotencyKey is the answer to a request sent with an Idempotency-Key
// header by an API key: Status 0 while the first request is in progress;
// RequestHash is the SHA-256 of the request (method, path, body), whose
// body is not kept.
type IdempotencyKey struct {
	ID             int64
	APIKeyID       int64
	IdempotencyKey string
	RequestHash    string
	Status         int
	Response       string
	Location       string
	CreatedAt      time.Time
}
