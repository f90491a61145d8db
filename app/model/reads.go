package model

import "time"

// Read models: rows that join several tables for a moderator's page or a
// look-up, shared by the store that reads them and the services and
// pages that show them.

// QueueItem is a pending post in the moderation queue.
type QueueItem struct {
	Kind       string
	ID         int64
	ReportID   int64
	Title      string
	Body       string
	Lang       string
	AuthorID   *int64
	AuthorName string
	AuthorRole Role
	Hold       string
	CreatedAt  time.Time
	// SenderOrganisation and SenderKey name the organisation and API key
	// of the partner's app that sent a report, if one did.
	SenderOrganisation string
	SenderKey          string
}

// FlaggedPost is a report or a reply with open flags.
type FlaggedPost struct {
	TargetType string
	TargetID   int64
	ReportID   int64
	Title      string
	Body       string
	Lang       string
	Status     PostStatus
	Flags      int
	Reasons    string
	// FirstFlag orders items by their oldest flag.
	FirstFlag int64
}

// AuditEntry is one line of the audit log with its actor's pseudonym.
type AuditEntry struct {
	ModerationAction
	Actor string
	// KeyName and KeyOrganisation name the API key that acted, if one did.
	KeyName         string
	KeyOrganisation string
}

// IndicatorMatch is a known indicator with what public content mentions it.
type IndicatorMatch struct {
	Indicator
	// Warnings and Reports count the listed warnings and public reports
	// that mention it.
	Warnings int
	Reports  int
}

// APIKeyRow is an API key as the admin pages and the command line list it,
// with its organisation's name; its hash is not loaded.
type APIKeyRow struct {
	APIKey
	Organisation string
}
