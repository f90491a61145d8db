package store

import (
	"context"

	"forewarn/app/model"
)

// CountPublishedReports counts the reports visitors can read.
func (s *Store) CountPublishedReports(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.Report{}).Where("status IN ('published', 'locked')").Count(&n).Error
	return n, mapErr(err, "count published reports")
}

// CreateReport inserts a report with its countries and indicator links.
func (s *Store) CreateReport(ctx context.Context, r *model.Report, cs []model.ReportCountry, links []model.ReportIndicator) error {
	db := s.db.WithContext(ctx)
	if err := db.Create(r).Error; err != nil {
		return mapErr(err, "create report")
	}
	for i := range cs {
		cs[i].ReportID = r.ID
	}
	for i := range links {
		links[i].ReportID = r.ID
	}
	if err := createAll(db, cs); err != nil {
		return mapErr(err, "create countries of report %d", r.ID)
	}
	return mapErr(createAll(db, links), "link indicators of report %d", r.ID)
}

// PublicReportIDs returns those of ids that are public reports.
func (s *Store) PublicReportIDs(ctx context.Context, ids []int64) ([]int64, error) {
	out := []int64{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.db.WithContext(ctx).Model(&model.Report{}).Where("id IN ? AND "+publicPosts, ids).Pluck("id", &out).Error
	return out, mapErr(err, "public reports")
}

// LinkWarningReports records that warning was drawn from the given reports.
func (s *Store) LinkWarningReports(ctx context.Context, warningID int64, reportIDs []int64) error {
	rows := make([]model.WarningReport, len(reportIDs))
	for i, id := range reportIDs {
		rows[i] = model.WarningReport{WarningID: warningID, ReportID: id}
	}
	return mapErr(createAll(s.db.WithContext(ctx), rows), "link reports to warning %d", warningID)
}

// ReportIDsBySeedKey maps those of keys that are seed keys of reports to
// the reports' IDs.
func (s *Store) ReportIDsBySeedKey(ctx context.Context, keys []string) (map[string]int64, error) {
	var rows []model.Report
	err := s.db.WithContext(ctx).Select("id, seed_key").Where("seed_key IN ?", nonEmpty(keys)).Find(&rows).Error
	if err != nil {
		return nil, mapErr(err, "seeded reports")
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[*r.SeedKey] = r.ID
	}
	return out, nil
}

// WarningIDsBySeedKey maps those of keys that are seed keys of warnings to
// the warnings' IDs.
func (s *Store) WarningIDsBySeedKey(ctx context.Context, keys []string) (map[string]int64, error) {
	var rows []model.Warning
	err := s.db.WithContext(ctx).Select("id, seed_key").Where("seed_key IN ?", nonEmpty(keys)).Find(&rows).Error
	if err != nil {
		return nil, mapErr(err, "seeded warnings")
	}
	out := make(map[string]int64, len(rows))
	for _, w := range rows {
		out[*w.SeedKey] = w.ID
	}
	return out, nil
}

// nonEmpty keeps an IN list valid SQL when there is nothing to look for.
func nonEmpty(keys []string) []string {
	if len(keys) == 0 {
		return []string{""}
	}
	return keys
}
