package apptest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
)

var fixtureSeq atomic.Int64

// WarningOption changes the warning a fixture creates.
type WarningOption func(*service.ImportedWarning)

// Titled sets the English title.
func Titled(title string) WarningOption {
	return func(w *service.ImportedWarning) { w.Texts[0].Title = title }
}

// TranslatedInto adds texts in the given languages, each title prefixed by
// its language code ("[fr] …").
func TranslatedInto(langs ...string) WarningOption {
	return func(w *service.ImportedWarning) {
		for _, l := range langs {
			base := w.Texts[0]
			w.Texts = append(w.Texts, service.ImportedText{Lang: l, Title: "[" + l + "] " + base.Title, Summary: "[" + l + "] " + base.Summary, WhatToDo: "[" + l + "] " + base.WhatToDo, Body: "[" + l + "] " + base.Body})
		}
	}
}

// WithSeverity sets the severity.
func WithSeverity(s model.Severity) WarningOption {
	return func(w *service.ImportedWarning) { w.Severity = s }
}

// InCategory sets the category slug.
func InCategory(slug string) WarningOption {
	return func(w *service.ImportedWarning) { w.Category = slug }
}

// OnRoute sets the countries: the first is the origin, the last the
// destination, any between are transit.
func OnRoute(codes ...string) WarningOption {
	return func(w *service.ImportedWarning) {
		w.Countries = nil
		for i, c := range codes {
			role := model.CountryTransit
			switch i {
			case 0:
				role = model.CountryOrigin
			case len(codes) - 1:
				role = model.CountryDestination
			}
			w.Countries = append(w.Countries, service.ImportedCountry{Code: c, Role: role})
		}
	}
}

// PublishedAgo sets the publication time before Now.
func PublishedAgo(d time.Duration) WarningOption {
	return func(w *service.ImportedWarning) { w.PublishedAt = Now.Add(-d) }
}

// ExpiringIn sets the end of validity relative to Now (negative: expired).
func ExpiringIn(d time.Duration) WarningOption {
	return func(w *service.ImportedWarning) {
		t := Now.Add(d)
		w.ExpiresAt = &t
	}
}

// Retracted withdraws the warning with a reason.
func Retracted(reason string) WarningOption {
	return func(w *service.ImportedWarning) {
		t := Now.Add(-time.Hour)
		w.Status, w.RetractionReason, w.RetractedAt = model.WarningRetracted, reason, &t
	}
}

// WithIndicators sets the indicators.
func WithIndicators(inds ...service.RawIndicator) WarningOption {
	return func(w *service.ImportedWarning) { w.Indicators = inds }
}

// Warning creates a published English warning about a fake driver job
// from Ukraine to Poland, changed by opts, and returns its ID.
func (e *Env) Warning(t testing.TB, opts ...WarningOption) int64 {
	t.Helper()
	n := fixtureSeq.Add(1)
	w := service.ImportedWarning{
		Key:          fmt.Sprintf("fixture-%d", n),
		Category:     "fake-job-offer",
		Severity:     model.SeverityDanger,
		Status:       model.WarningPublished,
		Organisation: model.Organisation{Slug: "test-ngo", Name: "Test NGO", Verified: true},
		Lang:         "en",
		PublishedAt:  Now.Add(-time.Duration(n) * time.Minute),
		Countries: []service.ImportedCountry{
			{Code: "UA", Role: model.CountryOrigin},
			{Code: "PL", Role: model.CountryDestination},
		},
		Texts: []service.ImportedText{{
			Lang:     "en",
			Title:    fmt.Sprintf("Fake driver job %d", n),
			Summary:  "A Facebook page offers driving jobs with a visa for a fee.",
			WhatToDo: "Do not pay any fee. Keep your passport.",
			Body:     "**Never** pay a fee to get a job.\n\n- ask for a contract\n- keep your passport",
		}},
		Indicators: []service.RawIndicator{
			{Kind: model.IndicatorPhone, Value: "+44 7700 900123"},
			{Kind: model.IndicatorLink, Value: "https://jobs.eurodrive.example/apply?utm_source=fb"},
		},
	}
	for _, o := range opts {
		o(&w)
	}
	if _, err := e.Services.Importer.ImportWarnings(context.Background(), []service.ImportedWarning{w}); err != nil {
		t.Fatalf("create warning fixture: %v", err)
	}
	ids, err := e.Store.WarningIDsBySeedKey(context.Background(), []string{w.Key})
	if err != nil {
		t.Fatalf("find warning fixture: %v", err)
	}
	return ids[w.Key]
}
