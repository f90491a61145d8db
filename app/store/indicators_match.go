package store

import (
	"context"

	"forewarn/app/model"
)

// IndicatorKey names an indicator by its normalised value.
type IndicatorKey struct {
	Kind       model.IndicatorKind
	Platform   string
	Normalized string
}

// publicReports is publicPosts for a report aliased r: what makes an
// indicator public, with listedWarnings, for matching, the indicator page,
// range look-ups and the prefix set alike.
const publicReports = "r." + publicPosts

// publicMentions counts, per indicator, the listed warnings and the public
// reports that mention it; indicators mentioned by nothing public are left
// out.
const publicMentions = `SELECT i.id, i.kind, i.platform, i.normalized, i.hash, i.created_at,
	(SELECT COUNT(*) FROM warning_indicators wi JOIN warnings ON warnings.id = wi.warning_id
	  WHERE wi.indicator_id = i.id AND ` + listedWarnings + `) AS warnings,
	(SELECT COUNT(*) FROM report_indicators ri JOIN reports r ON r.id = ri.report_id
	  WHERE ri.indicator_id = i.id AND ` + publicReports + `) AS reports
	FROM indicators i`

// MatchIndicators looks up the given indicators by their normalised values
// (through the hash index) and returns those public content mentions.
func (s *Store) MatchIndicators(ctx context.Context, hashes []string) ([]model.IndicatorMatch, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	var rows []model.IndicatorMatch
	err := s.db.WithContext(ctx).Raw("SELECT * FROM ("+publicMentions+" WHERE i.hash IN ?) m WHERE m.warnings > 0 OR m.reports > 0", hashes).Scan(&rows).Error
	return rows, mapErr(err, "match indicators")
}

// IndicatorsByHashPrefix returns the indicators mentioned by public
// content whose hash starts with prefix (lower-case hex).
func (s *Store) IndicatorsByHashPrefix(ctx context.Context, prefix string) ([]model.IndicatorMatch, error) {
	var rows []model.IndicatorMatch
	err := s.db.WithContext(ctx).Raw("SELECT * FROM ("+publicMentions+" WHERE i.hash >= ? AND i.hash < ?) m WHERE m.warnings > 0 OR m.reports > 0 ORDER BY m.hash", prefix, prefix+"g").Scan(&rows).Error
	return rows, mapErr(err, "indicators by hash prefix")
}

// IndicatorByID loads one indicator with its public mention counts.
func (s *Store) IndicatorByID(ctx context.Context, id int64) (model.IndicatorMatch, error) {
	var rows []model.IndicatorMatch
	err := s.db.WithContext(ctx).Raw(publicMentions+" WHERE i.id = ?", id).Scan(&rows).Error
	if err != nil {
		return model.IndicatorMatch{}, mapErr(err, "indicator %d", id)
	}
	if len(rows) == 0 {
		return model.IndicatorMatch{}, mapErr(errNotFound, "indicator %d", id)
	}
	return rows[0], nil
}

// WarningsMentioning lists the listed warnings that mention one of the
// indicators, keyed by indicator, newest first.
func (s *Store) WarningsMentioning(ctx context.Context, indicatorIDs []int64, limit int) (map[int64][]model.Warning, error) {
	out := map[int64][]model.Warning{}
	if len(indicatorIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		IndicatorID int64
		model.Warning
	}
	err := s.db.WithContext(ctx).Table("warning_indicators wi").
		Select("wi.indicator_id, warnings.*").
		Joins("JOIN warnings ON warnings.id = wi.warning_id").
		Where("wi.indicator_id IN ? AND "+listedWarnings, indicatorIDs).
		Order("warnings.published_at DESC, warnings.id DESC").Limit(limit * len(indicatorIDs)).Scan(&rows).Error
	if err != nil {
		return nil, mapErr(err, "warnings mentioning indicators")
	}
	for _, r := range rows {
		if len(out[r.IndicatorID]) < limit {
			out[r.IndicatorID] = append(out[r.IndicatorID], r.Warning)
		}
	}
	return out, nil
}

// ReportsMentioning lists the public reports that mention one of the
// indicators, keyed by indicator, newest first.
func (s *Store) ReportsMentioning(ctx context.Context, indicatorIDs []int64, limit int) (map[int64][]model.Report, error) {
	out := map[int64][]model.Report{}
	if len(indicatorIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		IndicatorID int64
		model.Report
	}
	err := s.db.WithContext(ctx).Table("report_indicators ri").
		Select("ri.indicator_id, r.id, r.title, r.lang, r.category_id, r.seen_on, r.status, r.published_at, r.created_at").
		Joins("JOIN reports r ON r.id = ri.report_id").
		Where("ri.indicator_id IN ? AND "+publicReports, indicatorIDs).
		Order("r.published_at DESC, r.id DESC").Limit(limit * len(indicatorIDs)).Scan(&rows).Error
	if err != nil {
		return nil, mapErr(err, "reports mentioning indicators")
	}
	for _, r := range rows {
		if len(out[r.IndicatorID]) < limit {
			out[r.IndicatorID] = append(out[r.IndicatorID], r.Report)
		}
	}
	return out, nil
}

// KnownCompanyNames lists the normalised company names listed warnings
// mention, for recognising them in texts.
func (s *Store) KnownCompanyNames(ctx context.Context) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Table("indicators i").
		Joins("JOIN warning_indicators wi ON wi.indicator_id = i.id").
		Joins("JOIN warnings ON warnings.id = wi.warning_id").
		Where("i.kind = 'company' AND "+listedWarnings).
		Distinct("wi.raw").Pluck("wi.raw", &names).Error
	return names, mapErr(err, "known company names")
}

// ReplaceReportIndicators replaces the indicators linked to a report.
func (s *Store) ReplaceReportIndicators(ctx context.Context, reportID int64, links []model.ReportIndicator) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("report_id = ?", reportID).Delete(&model.ReportIndicator{}).Error; err != nil {
		return mapErr(err, "clear indicators of report %d", reportID)
	}
	for i := range links {
		links[i].ReportID = reportID
	}
	return mapErr(createAll(db, links), "link indicators of report %d", reportID)
}
