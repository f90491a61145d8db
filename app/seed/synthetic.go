package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
)

// syntheticBatch is how many warnings one transaction imports.
const syntheticBatch = 1000

var (
	syntheticCategories = []string{
		"fake-job-offer", "fake-travel-agency", "fake-documents", "sham-marriage", "smuggling",
		"debt-bondage", "wage-theft", "exploitation-construction", "exploitation-agriculture",
		"exploitation-transport", "exploitation-cleaning", "exploitation-hospitality",
	}
	syntheticCountries = []string{
		"UA", "MD", "RO", "PL", "DE", "NL", "BE", "FR", "ES", "IT", "GB", "PT", "GR", "TR",
		"SY", "AF", "IR", "MA", "NG", "PH", "NP", "IN", "VN", "CO", "VE", "GE", "UZ", "KG",
	}
	syntheticLangs = []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa"}
)

// Synthetic imports n load-test warnings ("<company> — <job> (synthetic
// warning #i)", texts from synthetic_text.go), each in three languages with two countries and two indicators drawn from a pool,
// published over the two years before now. With indicators > 0 the
// warnings also carry that many indicators of their own, spread evenly
// (warning i the ones numbered i*indicators/n up to the next warning's),
// links and e-mail addresses that no other warning names, for load tests
// at the scale of a real indicator set. Keys make it idempotent. The
// warnings are imported in bulk (Importer.BulkImportWarnings) and wait in
// the search backlog: Searcher.IndexBacklog makes them searchable.
func Synthetic(ctx context.Context, im *service.Importer, now time.Time, n, indicators int) (int, error) {
	created := 0
	org := model.Organisation{Slug: "synthetic", Name: "Synthetic load test (not real)"}
	for start := 0; start < n; start += syntheticBatch {
		end := min(start+syntheticBatch, n)
		batch := make([]service.ImportedWarning, 0, end-start)
		for i := start; i < end; i++ {
			batch = append(batch, syntheticWarning(now, org, i, n, indicators))
		}
		k, err := im.BulkImportWarnings(ctx, batch)
		if err != nil {
			return created, fmt.Errorf("synthetic warnings %d–%d: %w", start, end, err)
		}
		created += k
	}
	return created, nil
}

// syntheticWarning returns warning i of n, with its share of indicators.
func syntheticWarning(now time.Time, org model.Organisation, i, n, indicators int) service.ImportedWarning {
	lang := syntheticLangs[i%len(syntheticLangs)]
	company, flags := syntheticCompany(i), syntheticText(i)
	texts := []service.ImportedText{}
	for _, l := range []string{lang, syntheticLangs[(i+3)%len(syntheticLangs)], "en"} {
		if len(texts) == 3 || containsLang(texts, l) {
			continue
		}
		texts = append(texts, service.ImportedText{
			Lang:     l,
			Title:    fmt.Sprintf("%s — %s (synthetic warning #%d)", company, syntheticJob(l, i), i),
			Summary:  "Load-test content: " + syntheticJob(l, i) + ". " + strings.TrimPrefix(strings.SplitN(flags, "\n", 2)[0], "- "),
			WhatToDo: "Load-test content. Do not pay a fee for a job. Keep your passport.",
			Body:     "Load-test content.\n\n" + flags + "\n" + company,
		})
	}
	return service.ImportedWarning{
		Key:          fmt.Sprintf("synthetic-%d", i),
		Category:     syntheticCategories[i%len(syntheticCategories)],
		Severity:     model.Severities[i%len(model.Severities)],
		Status:       model.WarningPublished,
		Organisation: org,
		Lang:         lang,
		PublishedAt:  now.Add(-time.Duration(i) * 10 * time.Minute),
		Countries: []service.ImportedCountry{
			{Code: syntheticCountries[i%len(syntheticCountries)], Role: model.CountryOrigin},
			{Code: syntheticCountries[(i*7+5)%len(syntheticCountries)], Role: model.CountryDestination},
		},
		Texts: texts,
		Indicators: append([]service.RawIndicator{
			{Kind: model.IndicatorPhone, Value: fmt.Sprintf("+44 7700 900%03d", i%1000)},
			{Kind: model.IndicatorLink, Value: fmt.Sprintf("https://jobs-%d.example/apply", i%5000)},
		}, ownIndicators(i, n, indicators)...),
	}
}

// ownIndicators returns the indicators only warning i of n names, its
// share of total: a link or an e-mail address, each numbered.
func ownIndicators(i, n, total int) []service.RawIndicator {
	if total <= 0 || n <= 0 {
		return nil
	}
	lo, hi := i*total/n, (i+1)*total/n
	out := make([]service.RawIndicator, 0, hi-lo)
	for j := lo; j < hi; j++ {
		if j%2 == 0 {
			out = append(out, service.RawIndicator{Kind: model.IndicatorLink, Value: fmt.Sprintf("https://offer-%d.example/job", j)})
		} else {
			out = append(out, service.RawIndicator{Kind: model.IndicatorEmail, Value: fmt.Sprintf("hr%d@recruit-%d.example", j, j/100)})
		}
	}
	return out
}

func containsLang(ts []service.ImportedText, lang string) bool {
	for _, t := range ts {
		if t.Lang == lang {
			return true
		}
	}
	return false
}

// syntheticReportLangs are the languages synthetic reports are written in:
// the interface languages first, then a few more that members write in.
var syntheticReportLangs = []string{"en", "fr", "nl", "es", "ro", "uk", "ar", "fa", "ru", "pl", "tr", "pt"}

// syntheticAuthors is the size of the pool of synthetic members who write
// the reports.
const syntheticAuthors = 500

// SyntheticReports imports n load-test reports ("<company> — <job>
// (synthetic experience #i)") by a pool of synthetic members who cannot log
// in, in twelve languages, each on a route of one or two countries with two
// or three indicators (one in 25 names a phone, one in 25 a link, of the
// synthetic warnings' pool), published seven minutes apart (over the
// sixteen months before now for 100,000). One in 25 is hidden and one in
// 50 rejected, so that lists must leave them out; one in 40 is locked
// (public). Keys make it idempotent.
// The reports are imported in bulk (Importer.BulkImportReports) and wait in
// the search backlog: Searcher.IndexBacklog makes them searchable.
func SyntheticReports(ctx context.Context, im *service.Importer, now time.Time, n int) (int, error) {
	created := 0
	for start := 0; start < n; start += syntheticBatch {
		end := min(start+syntheticBatch, n)
		batch := make([]service.ImportedReport, 0, end-start)
		for i := start; i < end; i++ {
			batch = append(batch, syntheticReport(now, i))
		}
		k, err := im.BulkImportReports(ctx, batch)
		if err != nil {
			return created, fmt.Errorf("synthetic reports %d–%d: %w", start, end, err)
		}
		created += k
	}
	return created, nil
}

func syntheticReport(now time.Time, i int) service.ImportedReport {
	lang := syntheticReportLangs[i%len(syntheticReportLangs)]
	status := model.PostPublished
	switch {
	case i%25 == 7:
		status = model.PostHidden
	case i%50 == 11:
		status = model.PostRejected
	case i%40 == 3:
		status = model.PostLocked
	}
	countries := []service.ImportedCountry{
		{Code: syntheticCountries[(i*3)%len(syntheticCountries)], Role: model.CountryOrigin},
	}
	if i%3 != 0 {
		countries = append(countries, service.ImportedCountry{Code: syntheticCountries[(i*11+4)%len(syntheticCountries)], Role: model.CountryDestination})
	}
	// One report in 25 names a phone and one in 25 a link of the pool
	// that the synthetic warnings name (a hundred and twenty warnings each:
	// every such link moves them all in the change feed); the others name
	// contacts that no warning names, as most real reports do.
	contact := fmt.Sprintf("hr%d@agency-%d.example", i%97, i%300)
	link := fmt.Sprintf("https://apply-%d.example/form", (i*13)%20000)
	if i%25 == 1 {
		link = fmt.Sprintf("https://jobs-%d.example/apply", (i*13)%5000)
	}
	indicators := []service.RawIndicator{
		{Kind: model.IndicatorEmail, Value: contact},
		{Kind: model.IndicatorLink, Value: link},
	}
	if i%25 == 0 {
		contact = fmt.Sprintf("+44 7700 900%03d", (i*7)%1000)
		indicators = append(indicators, service.RawIndicator{Kind: model.IndicatorPhone, Value: contact})
	}
	return service.ImportedReport{
		Key:      fmt.Sprintf("synthetic-report-%d", i),
		Title:    fmt.Sprintf("%s — %s (synthetic experience #%d)", syntheticCompany(i*7), syntheticJob(lang, i/len(syntheticReportLangs)), i),
		Body:     fmt.Sprintf("Load-test content: a recruiter wrote from %s and sent %s.\n\n%s", contact, link, syntheticText(i)),
		Lang:     lang,
		Category: syntheticCategories[(i*5)%len(syntheticCategories)],
		SeenOn:   model.SeenOnPlaces[i%len(model.SeenOnPlaces)],
		Author:   fmt.Sprintf("synthetic-member-%d", i%syntheticAuthors),
		// Seven minutes apart, so that reports and warnings interleave.
		PublishedAt: now.Add(-time.Duration(i) * 7 * time.Minute),
		Countries:   countries,
		Indicators:  indicators,
		Status:      status,
	}
}
