package service

import (
	"context"
	"fmt"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/store"
)

// FeedPageSize is how many warnings a page of an Atom feed carries.
const FeedPageSize = 50

// FeedQuery asks for a page of a warnings feed: raw text, validated here.
type FeedQuery struct {
	Lang     string
	Country  string
	Category string
	Severity string
	// Page is the 1-based page number (RFC 5005 paged feed).
	Page string
}

// FeedItem is a warning as a feed shows it: listed, expired or retracted.
type FeedItem struct {
	WarningSummary
	// Changed is when the warning last changed: its update, or its
	// expiry when that came later.
	Changed          time.Time
	RetractedAt      *time.Time
	RetractionReason string
}

// FeedPage is one page of a feed.
type FeedPage struct {
	Filter  WarningFilter
	Items   []FeedItem
	Page    int
	HasNext bool
	// Updated is when the feed last changed: its newest item's change,
	// else the newest change of any warning, else the services' start.
	Updated time.Time
}

// Feed returns the page of public warnings, retracted and expired ones
// included, that q asks for, most recently changed first: a feed reader
// learns of retractions and expiries, not only of new warnings.
func (ws *Warnings) Feed(ctx context.Context, q FeedQuery) (FeedPage, error) {
	f, page, _, _, _, err := ws.parseQuery(ctx, WarningQuery{Country: q.Country, Category: q.Category, Severity: q.Severity, Page: q.Page})
	if err != nil {
		return FeedPage{}, err
	}
	sf := store.WarningFilter{Country: f.Country, Severity: f.Severity, Offset: (page - 1) * FeedPageSize, Limit: FeedPageSize + 1}
	if f.Category != "" {
		cat, err := ws.categoryBySlug(ctx, f.Category)
		if err != nil {
			return FeedPage{}, err
		}
		sf.CategoryID = cat.ID
	}
	rows, err := ws.store.FeedWarnings(ctx, sf)
	if err != nil {
		return FeedPage{}, fmt.Errorf("warnings feed: %w", err)
	}
	out := FeedPage{Filter: f, Page: page}
	if len(rows) > FeedPageSize {
		rows, out.HasNext = rows[:FeedPageSize], true
	}
	if len(rows) == 0 && page > 1 {
		return FeedPage{}, fmt.Errorf("warnings feed: page %d: %w", page, apperr.ErrNotFound)
	}
	sums, err := ws.summaries(ctx, rows, langOf(q.Lang), false, nil, nil)
	if err != nil {
		return FeedPage{}, err
	}
	for i, w := range rows {
		it := FeedItem{WarningSummary: sums[i], Changed: w.UpdatedAt, RetractedAt: w.RetractedAt, RetractionReason: w.RetractionReason}
		if it.Expired && !it.Retracted() && w.ExpiresAt != nil && w.ExpiresAt.After(it.Changed) {
			it.Changed = *w.ExpiresAt
		}
		if it.Changed.After(out.Updated) {
			out.Updated = it.Changed
		}
		out.Items = append(out.Items, it)
	}
	if out.Updated.IsZero() {
		if out.Updated, err = ws.store.NewestWarningChange(ctx, ws.now()); err != nil {
			return FeedPage{}, fmt.Errorf("warnings feed: %w", err)
		}
	}
	if out.Updated.IsZero() {
		out.Updated = ws.started
	}
	return out, nil
}
