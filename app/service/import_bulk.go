package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"forewarn/app/model"
	"forewarn/app/store"
)

// The bulk import stores what ImportReports and ImportWarnings store, row
// for row, but a batch at a time: its authors, its indicators, then its
// items with their countries, links and audit entries in multi-row
// inserts. It is meant for large generated sets (the synthetic load-test
// content). The search index does not follow in the same transaction: the
// new items wait in the search backlog until Searcher.IndexBacklog (or
// `serve` in the background) indexes them.

// BulkImportReports stores the reports whose keys are new, in one
// transaction, like ImportReports, and returns how many it created. They
// are left in the search backlog.
func (im *Importer) BulkImportReports(ctx context.Context, reports []ImportedReport) (int, error) {
	created := 0
	err := im.store.BulkTx(ctx, func(tx *store.Store) error {
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
		var news []ImportedReport
		var prepared []preparedReport
		var users []model.User
		planned := map[string]bool{}
		for _, r := range reports {
			if _, ok := existing[r.Key]; ok || planned[r.Key] {
				continue
			}
			planned[r.Key] = true
			p, err := prepareReport(cats, r)
			if err != nil {
				return fmt.Errorf("import report %s: %w", r.Key, err)
			}
			news, prepared = append(news, r), append(prepared, p)
			if p.author != nil {
				users = append(users, *p.author)
			}
		}
		if len(prepared) == 0 {
			return nil
		}
		authors, err := tx.EnsureUsers(ctx, users)
		if err != nil {
			return err
		}
		items := make([]itemIndicators, len(news))
		for i, r := range news {
			items[i] = itemIndicators{key: "report " + r.Key, raws: r.Indicators, regions: prepared[i].regions}
		}
		found, err := bulkIndicators(ctx, tx, items)
		if err != nil {
			return err
		}
		rows := make([]store.NewReport, len(prepared))
		for i, p := range prepared {
			row := p.row
			if p.author != nil {
				id := authors[p.author.PseudonymKey]
				row.AuthorID = &id
			}
			links := make([]model.ReportIndicator, len(found[i]))
			for j, f := range found[i] {
				links[j] = model.ReportIndicator{IndicatorID: f.id, Raw: f.raw}
			}
			rows[i] = store.NewReport{Report: row, Countries: p.countries, Indicators: links}
		}
		if err := tx.CreateReports(ctx, rows); err != nil {
			return err
		}
		now := im.now()
		actions := make([]model.ModerationAction, len(rows))
		for i, r := range rows {
			actions[i] = model.ModerationAction{
				Action: "report.import", TargetType: "report", TargetID: r.Report.ID, Reason: "imported as " + string(r.Report.Status),
				Lang: r.Report.Lang, Countries: auditCountries(len(r.Countries), func(j int) string { return r.Countries[j].Country }),
				CreatedAt: now,
			}
		}
		if err := tx.LogActions(ctx, actions); err != nil {
			return err
		}
		created = len(rows)
		return nil
	})
	return created, err
}

// BulkImportWarnings stores the warnings whose keys are new, in one
// transaction, like ImportWarnings, and returns how many it created. They
// are left in the search backlog.
func (im *Importer) BulkImportWarnings(ctx context.Context, warnings []ImportedWarning) (int, error) {
	created := 0
	err := im.store.BulkTx(ctx, func(tx *store.Store) error {
		existing, reports, cats, err := im.warningLookups(ctx, tx, warnings)
		if err != nil {
			return err
		}
		orgs := map[string]int64{}
		var news []ImportedWarning
		var prepared []preparedWarning
		planned := map[string]bool{}
		for _, w := range warnings {
			if _, ok := existing[w.Key]; ok || planned[w.Key] {
				continue
			}
			planned[w.Key] = true
			if err := checkImportedWarning(cats, w); err != nil {
				return fmt.Errorf("import warning %s: %w", w.Key, err)
			}
			orgID, err := importOrganisation(ctx, tx, orgs, w.Organisation)
			if err != nil {
				return fmt.Errorf("import warning %s: %w", w.Key, err)
			}
			p, err := prepareWarning(cats, w)
			if err != nil {
				return fmt.Errorf("import warning %s: %w", w.Key, err)
			}
			if orgID != 0 {
				p.row.OrganisationID = &orgID
			}
			news, prepared = append(news, w), append(prepared, p)
		}
		if len(prepared) == 0 {
			return nil
		}
		items := make([]itemIndicators, len(news))
		for i, w := range news {
			items[i] = itemIndicators{key: "warning " + w.Key, raws: w.Indicators, regions: prepared[i].regions}
		}
		found, err := bulkIndicators(ctx, tx, items)
		if err != nil {
			return err
		}
		rows := make([]store.NewWarning, len(prepared))
		for i, p := range prepared {
			links := make([]model.WarningIndicator, len(found[i]))
			for j, f := range found[i] {
				links[j] = model.WarningIndicator{IndicatorID: f.id, Raw: f.raw}
			}
			rows[i] = store.NewWarning{Warning: p.row, Translations: p.translations, Countries: p.countries, Indicators: links,
				Reports: sourceReports(reports, news[i].SourceReports)}
		}
		if err := tx.CreateWarnings(ctx, rows); err != nil {
			return err
		}
		now := im.now()
		actions := make([]model.ModerationAction, len(rows))
		for i, w := range rows {
			actions[i] = model.ModerationAction{
				Action: "warning.import", TargetType: "warning", TargetID: w.Warning.ID, Reason: "imported as " + string(w.Warning.Status),
				Lang: w.Warning.Lang, Countries: auditCountries(len(w.Countries), func(j int) string { return w.Countries[j].Country }),
				CreatedAt: now,
			}
		}
		if err := tx.LogActions(ctx, actions); err != nil {
			return err
		}
		created = len(rows)
		return nil
	})
	return created, err
}

// itemIndicators are the indicators of one item to import: its key (for
// errors), its raw indicators and the regions its phone numbers are read
// in.
type itemIndicators struct {
	key     string
	raws    []RawIndicator
	regions []string
}

// bulkIndicators normalises the indicators of items, stores the new ones
// at once and returns, per item, each indicator once with the text it was
// first written as, as ensureIndicators does for one item.
func bulkIndicators(ctx context.Context, tx *store.Store, items []itemIndicators) ([][]foundIndicator, error) {
	norms := make([][]model.Indicator, len(items))
	var all []model.Indicator
	// Items of a batch share many indicators: each is normalised once per
	// text and regions.
	memo := map[string]model.Indicator{}
	listed := map[store.IndicatorKey]bool{}
	for i, it := range items {
		for _, raw := range it.raws {
			k := string(raw.Kind) + "\x00" + raw.Platform + "\x00" + raw.Value + "\x00" + strings.Join(it.regions, " ")
			norm, ok := memo[k]
			if !ok {
				var err error
				if norm, err = NormalizeIndicator(raw, it.regions...); err != nil {
					return nil, fmt.Errorf("import %s: indicator %q: %w", it.key, raw.Value, err)
				}
				memo[k] = norm
			}
			norms[i] = append(norms[i], norm)
			if !listed[store.KeyOf(norm)] {
				listed[store.KeyOf(norm)] = true
				all = append(all, norm)
			}
		}
	}
	ids, err := tx.EnsureIndicators(ctx, all)
	if err != nil {
		return nil, err
	}
	out := make([][]foundIndicator, len(items))
	for i, it := range items {
		seen := map[int64]bool{}
		for j, norm := range norms[i] {
			id := ids[store.KeyOf(norm)]
			if id == 0 {
				return nil, fmt.Errorf("import %s: indicator %q not stored", it.key, it.raws[j].Value)
			}
			if !seen[id] {
				seen[id] = true
				out[i] = append(out[i], foundIndicator{id: id, raw: it.raws[j].Value})
			}
		}
	}
	return out, nil
}

// auditCountries writes the distinct country codes of a route as the scope
// of an audit entry (" FR RO "), as LogAction reads it from the database.
func auditCountries(n int, code func(int) string) string {
	if n == 0 {
		return ""
	}
	codes := make([]string, 0, n)
	for i := 0; i < n; i++ {
		codes = append(codes, code(i))
	}
	slices.Sort(codes)
	return " " + strings.Join(slices.Compact(codes), " ") + " "
}
