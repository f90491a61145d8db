package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// ItemIndicator is an indicator that a report mentions.
type ItemIndicator struct {
	ReportID    int64
	IndicatorID int64
	Kind        model.IndicatorKind
	Platform    string
	Normalized  string
}

// IndicatorsOfReports lists the indicators the reports mention, by report
// and then indicator (the primary key of report_indicators).
func (s *Store) IndicatorsOfReports(ctx context.Context, reportIDs []int64) ([]ItemIndicator, error) {
	if len(reportIDs) == 0 {
		return nil, nil
	}
	var rows []ItemIndicator
	err := s.db.WithContext(ctx).Raw(`SELECT ri.report_id, i.id AS indicator_id, i.kind, i.platform, i.normalized
		FROM report_indicators ri JOIN indicators i ON i.id = ri.indicator_id
		WHERE ri.report_id IN ? ORDER BY ri.report_id, i.id`, reportIDs).Scan(&rows).Error
	return rows, mapErr(err, "indicators of reports")
}

// SharedItem is a warning or a report that mentions an indicator.
type SharedItem struct {
	IndicatorID int64
	ID          int64
	Title       string
	Lang        string
	Status      string
	CategoryID  int64
	At          *time.Time
}

// WarningsSharing lists the listed warnings (published or expired) that
// mention one of the indicators, with their title in their original
// language, newest first, at most limit (indicator, warning) pairs.
func (s *Store) WarningsSharing(ctx context.Context, indicatorIDs []int64, limit int) ([]SharedItem, error) {
	if len(indicatorIDs) == 0 {
		return nil, nil
	}
	var rows []SharedItem
	err := s.db.WithContext(ctx).Raw(`SELECT wi.indicator_id, warnings.id, COALESCE(t.title, '') AS title, warnings.lang, warnings.status, warnings.category_id, warnings.published_at AS at
		FROM warning_indicators wi JOIN warnings ON warnings.id = wi.warning_id
		LEFT JOIN warning_translations t ON t.warning_id = warnings.id AND t.lang = warnings.lang
		WHERE wi.indicator_id IN ? AND `+listedWarnings+`
		ORDER BY warnings.published_at DESC, warnings.id DESC LIMIT ?`, indicatorIDs, limit).Scan(&rows).Error
	return rows, mapErr(err, "warnings sharing indicators")
}

// ReportsSharing lists the reports other than exclude that mention one of
// the indicators and that a moderator of sc may see: public reports, and
// reports in any state within sc; newest first, at most limit (indicator,
// report) pairs.
func (s *Store) ReportsSharing(ctx context.Context, indicatorIDs, exclude []int64, sc PostScope, limit int) ([]SharedItem, error) {
	if len(indicatorIDs) == 0 {
		return nil, nil
	}
	if len(exclude) == 0 {
		exclude = []int64{0}
	}
	visible, args := sc.visible()
	var rows []SharedItem
	err := s.db.WithContext(ctx).Raw(`SELECT ri.indicator_id, r.id, r.title, r.lang, r.status, r.category_id, r.created_at AS at
		FROM report_indicators ri JOIN reports r ON r.id = ri.report_id
		WHERE ri.indicator_id IN ? AND ri.report_id NOT IN ? AND `+visible+`
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, append(append([]any{indicatorIDs, exclude}, args...), limit)...).Scan(&rows).Error
	return rows, mapErr(err, "reports sharing indicators")
}

// visible is the condition that a moderator of sc may see the report
// aliased r: it is public, or in sc whatever its state.
func (sc PostScope) visible() (string, []any) {
	if sc.All {
		return "1 = 1", nil
	}
	return "(r." + publicPosts + " OR (r.lang IN ? AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)))",
		[]any{nonEmpty(sc.Langs), nonEmpty(sc.Countries)}
}

// VisibleReports returns, of the reports with ids, those a moderator of sc
// may see (see ReportsSharing), in no particular order.
func (s *Store) VisibleReports(ctx context.Context, ids []int64, sc PostScope) ([]model.Report, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	visible, args := sc.visible()
	var rows []model.Report
	err := s.db.WithContext(ctx).Raw("SELECT r.* FROM reports r WHERE r.id IN ? AND "+visible, append([]any{ids}, args...)...).Scan(&rows).Error
	return rows, mapErr(err, "visible reports")
}

// IndicatorsByHash returns the stored indicators whose hash is one of
// hashes (through the hash index).
func (s *Store) IndicatorsByHash(ctx context.Context, hashes []string) ([]model.Indicator, error) {
	if len(hashes) == 0 {
		return nil, nil
	}
	var rows []model.Indicator
	err := s.db.WithContext(ctx).Where("hash IN ?", hashes).Find(&rows).Error
	return rows, mapErr(err, "indicators by hash")
}
