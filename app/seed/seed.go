// Package seed loads the demo content: fictional warnings and reports shaped
// on real patterns, embedded as JSON (see data/FORMAT.md).
package seed

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
)

//go:embed data/*.json
var dataFS embed.FS

// organisations are the fictional NGOs that publish the demo warnings.
var organisations = map[string]model.Organisation{
	"safe-route": {Slug: "safe-route", Name: "Safe Route Network (demo)", Website: "https://safe-route.example", Verified: true,
		Phone: "+447700900201", Email: "help@safe-route.example", Hours: "Mon–Fri 9:00–17:00 (demo)", Languages: "ro,uk,en",
		HelpsWith: "Fake job offers, recruitment fees, getting home safely (demo)", Countries: "MD,PL,RO,UA"},
	"mwhd": {Slug: "mwhd", Name: "Migrant Workers Help Desk (demo)", Website: "https://mwhd.example", Verified: true,
		Phone: "+33639980301", Email: "desk@mwhd.example", Hours: "Every day 8:00–20:00 (demo)", Languages: "fr,nl,ar,en",
		HelpsWith: "Unpaid wages, documents taken away, housing (demo)", Countries: "BE,DE,FR,NL"},
	"drivers-line": {Slug: "drivers-line", Name: "Drivers' Solidarity Line (demo)", Website: "https://drivers-line.example", Verified: false,
		Phone: "+447700900202", Hours: "24/7 (demo)", Languages: "pl,uk,en", HelpsWith: "Truck drivers' pay and rest times (demo)", Countries: "DE,LT,PL,UA"},
	"fair-harvest": {Slug: "fair-harvest", Name: "Fair Harvest Watch (demo)", Website: "https://fair-harvest.example", Verified: true,
		Phone: "+33639980302", Email: "info@fair-harvest.example", Hours: "Mon–Sat 7:00–15:00 (demo)", Languages: "es,ar,fr,en",
		HelpsWith: "Farm work: pay, housing, contracts (demo)", Countries: "ES,IT,MA"},
}

type jsonCountry struct {
	Code string `json:"code"`
	Role string `json:"role"`
}

type jsonText struct {
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	WhatToDo string `json:"what_to_do"`
	Body     string `json:"body"`
}

type jsonIndicator struct {
	Kind     string `json:"kind"`
	Platform string `json:"platform"`
	Value    string `json:"value"`
}

type jsonWarning struct {
	Key              string              `json:"key"`
	Category         string              `json:"category"`
	Severity         string              `json:"severity"`
	Status           string              `json:"status"`
	RetractionReason string              `json:"retraction_reason"`
	Organisation     string              `json:"organisation"`
	Lang             string              `json:"lang"`
	PublishedDaysAgo int                 `json:"published_days_ago"`
	ExpiresInDays    *int                `json:"expires_in_days"`
	NamesParty       bool                `json:"names_party"`
	Countries        []jsonCountry       `json:"countries"`
	Translations     map[string]jsonText `json:"translations"`
	Indicators       []jsonIndicator     `json:"indicators"`
}

type jsonReport struct {
	Key        string          `json:"key"`
	Title      string          `json:"title"`
	Body       string          `json:"body"`
	Lang       string          `json:"lang"`
	Category   string          `json:"category"`
	SeenOn     string          `json:"seen_on"`
	Author     string          `json:"author"`
	DaysAgo    int             `json:"days_ago"`
	Countries  []jsonCountry   `json:"countries"`
	Warnings   []string        `json:"warnings"`
	Indicators []jsonIndicator `json:"indicators"`
}

// Result counts what a run created; a repeated run creates nothing.
type Result struct {
	Warnings int
	Reports  int
}

// Demo imports the demo content relative to now.
func Demo(ctx context.Context, im *service.Importer, now time.Time) (Result, error) {
	var warnings []jsonWarning
	var reports []jsonReport
	if err := readAll("warnings-", &warnings); err != nil {
		return Result{}, err
	}
	if err := readAll("reports-", &reports); err != nil {
		return Result{}, err
	}
	day := 24 * time.Hour
	today := now.UTC().Truncate(time.Hour)

	sources := map[string][]string{}
	var ir []service.ImportedReport
	for _, r := range reports {
		for _, wk := range r.Warnings {
			sources[wk] = append(sources[wk], r.Key)
		}
		ir = append(ir, service.ImportedReport{
			Key: r.Key, Title: r.Title, Body: r.Body, Lang: r.Lang, Category: r.Category,
			SeenOn: model.SeenOn(r.SeenOn), Author: r.Author,
			PublishedAt: today.Add(-time.Duration(r.DaysAgo) * day),
			Countries:   countries(r.Countries), Indicators: indicators(r.Indicators),
		})
	}
	var iw []service.ImportedWarning
	for _, w := range warnings {
		org, ok := organisations[w.Organisation]
		if !ok {
			return Result{}, fmt.Errorf("seed warning %s: unknown organisation %q", w.Key, w.Organisation)
		}
		published := today.Add(-time.Duration(w.PublishedDaysAgo) * day)
		item := service.ImportedWarning{
			Key: w.Key, Category: w.Category, Severity: model.Severity(w.Severity),
			Status: model.WarningStatus(w.Status), RetractionReason: w.RetractionReason,
			Organisation: org, Lang: w.Lang, PublishedAt: published, NamesParty: w.NamesParty,
			Countries: countries(w.Countries), Indicators: indicators(w.Indicators),
			SourceReports: sources[w.Key],
		}
		if w.ExpiresInDays != nil {
			t := today.Add(time.Duration(*w.ExpiresInDays) * day)
			item.ExpiresAt = &t
		}
		if item.Status == model.WarningExpired {
			// An expired warning stays listed, marked; its status says so
			// once its end date has passed.
			item.Status = model.WarningPublished
		}
		if item.Status == model.WarningRetracted {
			t := published.Add(time.Duration(w.PublishedDaysAgo/2) * day)
			item.RetractedAt = &t
		}
		langs := make([]string, 0, len(w.Translations))
		for lang := range w.Translations {
			langs = append(langs, lang)
		}
		sort.Strings(langs)
		for _, lang := range langs {
			t := w.Translations[lang]
			item.Texts = append(item.Texts, service.ImportedText{Lang: lang, Title: t.Title, Summary: t.Summary, WhatToDo: t.WhatToDo, Body: t.Body})
		}
		iw = append(iw, item)
	}
	var res Result
	var err error
	if res.Reports, err = im.ImportReports(ctx, ir); err != nil {
		return res, fmt.Errorf("seed reports: %w", err)
	}
	if res.Warnings, err = im.ImportWarnings(ctx, iw); err != nil {
		return res, fmt.Errorf("seed warnings: %w", err)
	}
	if err = im.ImportHelp(ctx, helpEntries()); err != nil {
		return res, fmt.Errorf("seed help: %w", err)
	}
	return res, nil
}

// readAll decodes every data file whose name starts with prefix into out,
// a pointer to a slice, appending in file-name order.
func readAll[T any](prefix string, out *[]T) error {
	names, err := fs.Glob(dataFS, "data/"+prefix+"*.json")
	if err != nil {
		return fmt.Errorf("seed data: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := dataFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("seed data %s: %w", name, err)
		}
		var items []T
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&items); err != nil {
			return fmt.Errorf("seed data %s: %w", path.Base(name), err)
		}
		*out = append(*out, items...)
	}
	return nil
}

func countries(in []jsonCountry) []service.ImportedCountry {
	out := make([]service.ImportedCountry, len(in))
	for i, c := range in {
		out[i] = service.ImportedCountry{Code: c.Code, Role: model.CountryRole(c.Role)}
	}
	return out
}

func indicators(in []jsonIndicator) []service.RawIndicator {
	out := make([]service.RawIndicator, len(in))
	for i, ind := range in {
		out[i] = service.RawIndicator{Kind: model.IndicatorKind(ind.Kind), Platform: ind.Platform, Value: ind.Value}
	}
	return out
}
