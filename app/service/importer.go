package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Importer loads trusted content (the demo set, a migration from another
// system) directly in its final state. Each item has a seed key, and an
// item whose key exists already is skipped, so an import can be repeated.
type Importer struct {
	store    *store.Store
	warnings *Warnings
	now      func() time.Time
}

// ImportedCountry is a country on a route.
type ImportedCountry struct {
	Code string
	Role model.CountryRole
}

// ImportedText is a warning's text in one language.
type ImportedText struct {
	Lang, Title, Summary, WhatToDo, Body string
}

// ImportedWarning is a warning to import.
type ImportedWarning struct {
	Key              string
	Category         string
	Severity         model.Severity
	Status           model.WarningStatus
	RetractionReason string
	Organisation     model.Organisation
	Lang             string
	PublishedAt      time.Time
	ExpiresAt        *time.Time
	RetractedAt      *time.Time
	NamesParty       bool
	Countries        []ImportedCountry
	Texts            []ImportedText
	Indicators       []RawIndicator
	SourceReports    []string
}

// ImportedReport is a published report to import.
type ImportedReport struct {
	Key         string
	Title       string
	Body        string
	Lang        string
	Category    string
	SeenOn      model.SeenOn
	Author      string
	PublishedAt time.Time
	Countries   []ImportedCountry
	Indicators  []RawIndicator
	// Status is the report's final state: published when empty; hidden,
	// rejected and locked reports are imported as such.
	Status model.PostStatus
}

// ImportReports stores the reports whose keys are new, in one transaction,
// and returns how many it created.
func (im *Importer) ImportReports(ctx context.Context, reports []ImportedReport) (int, error) {
	created := 0
	err := im.store.Tx(ctx, func(tx *store.Store) error {
		keys := make([]string, len(reports))
		for i, r := range reports {
			keys[i] = r.Key
		}
		existing, err := tx.ReportIDsBySeedKey(ctx, keys)
		if err != nil {
			return err
		}
		cats, err := tx.CategoryIDs(ctx)
		if err != nil {
			return err
		}
		for _, r := range reports {
			if _, ok := existing[r.Key]; ok {
				continue
			}
			if err := im.importReport(ctx, tx, cats, r); err != nil {
				return fmt.Errorf("import report %s: %w", r.Key, err)
			}
			created++
		}
		return nil
	})
	return created, err
}

func (im *Importer) importReport(ctx context.Context, tx *store.Store, cats map[string]int64, r ImportedReport) error {
	p, err := prepareReport(cats, r)
	if err != nil {
		return err
	}
	row := p.row
	if p.author != nil {
		u := *p.author
		if err := tx.EnsureUser(ctx, &u); err != nil {
			return err
		}
		row.AuthorID = &u.ID
	}
	found, err := ensureIndicators(ctx, tx, r.Indicators, p.regions)
	if err != nil {
		return err
	}
	links := make([]model.ReportIndicator, len(found))
	for i, f := range found {
		links[i] = model.ReportIndicator{IndicatorID: f.id, Raw: f.raw}
	}
	if err := tx.CreateReport(ctx, &row, p.countries, links); err != nil {
		return err
	}
	return tx.LogAction(ctx, &model.ModerationAction{Action: "report.import", TargetType: "report", TargetID: row.ID, Reason: "imported as " + string(row.Status), CreatedAt: im.now()})
}

// preparedReport is an imported report checked and turned into its rows,
// before its author and its indicators are stored.
type preparedReport struct {
	row       model.Report
	author    *model.User
	countries []model.ReportCountry
	regions   []string
}

// prepareReport checks r and returns its rows.
func prepareReport(cats map[string]int64, r ImportedReport) (preparedReport, error) {
	catID, ok := cats[r.Category]
	if !ok {
		return preparedReport{}, &apperr.Invalid{Field: "category", Key: "error.category.unknown"}
	}
	status := r.Status
	switch status {
	case "":
		status = model.PostPublished
	case model.PostPublished, model.PostLocked, model.PostHidden, model.PostRejected:
	default:
		return preparedReport{}, fmt.Errorf("status %q cannot be imported", status)
	}
	key := r.Key
	published := r.PublishedAt.UTC()
	p := preparedReport{row: model.Report{
		Title: r.Title, Body: r.Body, Lang: r.Lang, CategoryID: catID, SeenOn: r.SeenOn,
		Status: status, SeedKey: &key, PublishedAt: &published,
		CreatedAt: published, UpdatedAt: published,
	}}
	if r.Author != "" {
		p.author = &model.User{
			Pseudonym: r.Author, PseudonymKey: PseudonymKey(r.Author),
			// An impossible hash: demo members cannot log in.
			PasswordHash: "!demo", Role: model.RoleMember, Locale: r.Lang,
			CreatedAt: published, UpdatedAt: published,
		}
	}
	countries, regions, err := importedCountries(r.Countries)
	if err != nil {
		return preparedReport{}, err
	}
	p.regions = regions
	p.countries = make([]model.ReportCountry, len(countries))
	for i, c := range countries {
		p.countries[i] = model.ReportCountry{Country: c.Code, Role: c.Role}
	}
	return p, nil
}

// warningLookups reads what importing warnings needs, for both import
// paths: the IDs of the warnings already imported and of the source reports
// (by seed key), and the category IDs; it fills the what-to-do texts that
// existing warnings lack.
func (im *Importer) warningLookups(ctx context.Context, tx *store.Store, warnings []ImportedWarning) (existing, reports, cats map[string]int64, err error) {
	var keys, sourceKeys []string
	for _, w := range warnings {
		keys = append(keys, w.Key)
		sourceKeys = append(sourceKeys, w.SourceReports...)
	}
	if existing, err = tx.WarningIDsBySeedKey(ctx, keys); err != nil {
		return nil, nil, nil, err
	}
	if reports, err = tx.ReportIDsBySeedKey(ctx, sourceKeys); err != nil {
		return nil, nil, nil, err
	}
	if cats, err = tx.CategoryIDs(ctx); err != nil {
		return nil, nil, nil, err
	}
	if err = im.fillWhatToDo(ctx, tx, warnings, existing); err != nil {
		return nil, nil, nil, err
	}
	return existing, reports, cats, nil
}

// ImportWarnings stores the warnings whose keys are new, in one transaction,
// linking them to already imported source reports, and returns how many it
// created.
func (im *Importer) ImportWarnings(ctx context.Context, warnings []ImportedWarning) (int, error) {
	created := 0
	err := im.store.Tx(ctx, func(tx *store.Store) error {
		existing, reports, cats, err := im.warningLookups(ctx, tx, warnings)
		if err != nil {
			return err
		}
		orgs := map[string]int64{}
		for _, w := range warnings {
			if _, ok := existing[w.Key]; ok {
				continue
			}
			if err := im.importWarning(ctx, tx, cats, orgs, reports, w); err != nil {
				return fmt.Errorf("import warning %s: %w", w.Key, err)
			}
			created++
		}
		return nil
	})
	return created, err
}

func (im *Importer) importWarning(ctx context.Context, tx *store.Store, cats, orgs, reports map[string]int64, w ImportedWarning) error {
	if err := checkImportedWarning(cats, w); err != nil {
		return err
	}
	orgID, err := importOrganisation(ctx, tx, orgs, w.Organisation)
	if err != nil {
		return err
	}
	p, err := prepareWarning(cats, w)
	if err != nil {
		return err
	}
	found, err := ensureIndicators(ctx, tx, w.Indicators, p.regions)
	if err != nil {
		return err
	}
	links := make([]model.WarningIndicator, len(found))
	for i, f := range found {
		links[i] = model.WarningIndicator{IndicatorID: f.id, Raw: f.raw}
	}
	row := p.row
	if orgID != 0 {
		row.OrganisationID = &orgID
	}
	if err := tx.CreateWarning(ctx, &row, p.translations, p.countries, links); err != nil {
		return err
	}
	if err := tx.LinkWarningReports(ctx, row.ID, sourceReports(reports, w.SourceReports)); err != nil {
		return err
	}
	return tx.LogAction(ctx, &model.ModerationAction{Action: "warning.import", TargetType: "warning", TargetID: row.ID, Reason: "imported as " + string(w.Status), CreatedAt: im.now()})
}

// checkImportedWarning checks what a warning needs before its
// organisation is stored: a known category and severity, a public status.
func checkImportedWarning(cats map[string]int64, w ImportedWarning) error {
	if _, ok := cats[w.Category]; !ok {
		return &apperr.Invalid{Field: "category", Key: "error.category.unknown"}
	}
	if !w.Severity.Valid() {
		return &apperr.Invalid{Field: "severity", Key: "error.severity.unknown"}
	}
	if !w.Status.Public() {
		return fmt.Errorf("status %q cannot be imported", w.Status)
	}
	return nil
}

// importOrganisation stores org once per import (orgs keeps the IDs by
// slug) and returns its ID, 0 for none.
func importOrganisation(ctx context.Context, tx *store.Store, orgs map[string]int64, org model.Organisation) (int64, error) {
	if org.Slug == "" {
		return 0, nil
	}
	if id, ok := orgs[org.Slug]; ok {
		return id, nil
	}
	if err := tx.UpsertOrganisation(ctx, &org); err != nil {
		return 0, err
	}
	orgs[org.Slug] = org.ID
	return org.ID, nil
}

// sourceReports returns the IDs of those of keys that are imported
// reports.
func sourceReports(reports map[string]int64, keys []string) []int64 {
	var out []int64
	for _, k := range keys {
		if id, ok := reports[k]; ok {
			out = append(out, id)
		}
	}
	return out
}

// preparedWarning is an imported warning checked and turned into its rows,
// before its organisation and its indicators are stored.
type preparedWarning struct {
	row          model.Warning
	translations []model.WarningTranslation
	countries    []model.WarningCountry
	regions      []string
}

// prepareWarning checks w's texts and route and returns its rows;
// checkImportedWarning has checked the rest.
func prepareWarning(cats map[string]int64, w ImportedWarning) (preparedWarning, error) {
	hasOriginal := false
	ts := make([]model.WarningTranslation, len(w.Texts))
	published := w.PublishedAt.UTC()
	for i, t := range w.Texts {
		if strings.TrimSpace(t.Title) == "" || strings.TrimSpace(t.Summary) == "" {
			return preparedWarning{}, fmt.Errorf("translation %s: empty title or summary", t.Lang)
		}
		// Imported warnings are public: like a publication by moderators,
		// each text needs its "What to do now", within the same limits.
		if strings.TrimSpace(t.WhatToDo) == "" {
			return preparedWarning{}, fmt.Errorf("translation %s: %w", t.Lang, &apperr.Invalid{Field: "what_to_do", Key: "error.warning.what_to_do_required"})
		}
		if errs := checkWhatToDo(t.WhatToDo); len(errs) > 0 {
			return preparedWarning{}, fmt.Errorf("translation %s: %w", t.Lang, errs)
		}
		hasOriginal = hasOriginal || t.Lang == w.Lang
		ts[i] = model.WarningTranslation{Lang: t.Lang, Title: t.Title, Summary: t.Summary, Body: t.Body, WhatToDo: strings.TrimSpace(t.WhatToDo), CreatedAt: published, UpdatedAt: published}
	}
	if !hasOriginal {
		return preparedWarning{}, fmt.Errorf("no text in the original language %s", w.Lang)
	}
	countries, regions, err := importedCountries(w.Countries)
	if err != nil {
		return preparedWarning{}, err
	}
	wcs := make([]model.WarningCountry, len(countries))
	for i, c := range countries {
		wcs[i] = model.WarningCountry{Country: c.Code, Role: c.Role}
	}
	key := w.Key
	updated := published
	if w.RetractedAt != nil && w.RetractedAt.After(updated) {
		updated = w.RetractedAt.UTC()
	}
	row := model.Warning{
		Severity: w.Severity, CategoryID: cats[w.Category], Status: w.Status, Lang: w.Lang,
		NamesParty: w.NamesParty, RetractionReason: w.RetractionReason, SeedKey: &key,
		ExpiresAt: utcPtr(w.ExpiresAt), PublishedAt: &published, RetractedAt: utcPtr(w.RetractedAt),
		CreatedAt: published, UpdatedAt: updated,
	}
	return preparedWarning{row: row, translations: ts, countries: wcs, regions: regions}, nil
}

// fillWhatToDo gives the already imported warnings among warnings the
// "What to do now" of their texts where they have none (a database seeded
// before the field existed); texts that have one are left as they are.
func (im *Importer) fillWhatToDo(ctx context.Context, tx *store.Store, warnings []ImportedWarning, existing map[string]int64) error {
	if len(existing) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(existing))
	for _, id := range existing {
		ids = append(ids, id)
	}
	lacking, err := tx.WarningsLackingWhatToDo(ctx, ids)
	if err != nil || len(lacking) == 0 {
		return err
	}
	for _, w := range warnings {
		id, ok := existing[w.Key]
		if !ok || len(lacking[id]) == 0 {
			continue
		}
		for _, t := range w.Texts {
			text := strings.TrimSpace(t.WhatToDo)
			if text == "" || !slices.Contains(lacking[id], t.Lang) || len(checkWhatToDo(text)) > 0 {
				continue
			}
			if err := tx.FillWhatToDo(ctx, id, t.Lang, text); err != nil {
				return err
			}
		}
	}
	return nil
}

// foundIndicator is a stored indicator with the text it was written as.
type foundIndicator struct {
	id  int64
	raw string
}

// ensureIndicators stores raws, each indicator once however often it is
// written.
func ensureIndicators(ctx context.Context, tx *store.Store, raws []RawIndicator, regions []string) ([]foundIndicator, error) {
	var out []foundIndicator
	seen := map[int64]bool{}
	for _, raw := range raws {
		ind, err := ensureIndicator(ctx, tx, raw, regions...)
		if err != nil {
			return nil, fmt.Errorf("indicator %q: %w", raw.Value, err)
		}
		if !seen[ind.ID] {
			seen[ind.ID] = true
			out = append(out, foundIndicator{id: ind.ID, raw: raw.Value})
		}
	}
	return out, nil
}

// importedCountries validates codes and roles and returns the regions that
// phone numbers without a country code are read in: origins first, then
// destinations, then transit countries.
func importedCountries(in []ImportedCountry) ([]ImportedCountry, []string, error) {
	out := make([]ImportedCountry, 0, len(in))
	seen := map[ImportedCountry]bool{}
	for _, c := range in {
		code, ok := CountryCode(c.Code)
		if !ok {
			return nil, nil, &apperr.Invalid{Field: "country", Key: "error.country.unknown"}
		}
		if !c.Role.Valid() {
			return nil, nil, fmt.Errorf("country %s: unknown role %q", code, c.Role)
		}
		ic := ImportedCountry{Code: code, Role: c.Role}
		if !seen[ic] {
			seen[ic] = true
			out = append(out, ic)
		}
	}
	var regions []string
	for _, role := range []model.CountryRole{model.CountryOrigin, model.CountryDestination, model.CountryTransit} {
		for _, c := range out {
			if c.Role == role {
				regions = append(regions, c.Code)
			}
		}
	}
	return out, regions, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}
