package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// CreateIdempotencyKey inserts the "in progress" row of a request sent
// with an Idempotency-Key; a row of the same key and Idempotency-Key is
// apperr.ErrConflict (the unique constraint decides between concurrent
// requests).
func (s *Store) CreateIdempotencyKey(ctx context.Context, row *model.IdempotencyKey) error {
	return mapErr(s.db.WithContext(ctx).Create(row).Error, "create idempotency key")
}

// IdempotencyKey loads the row of an API key's Idempotency-Key.
func (s *Store) IdempotencyKey(ctx context.Context, apiKeyID int64, key string) (model.IdempotencyKey, error) {
	var row model.IdempotencyKey
	err := s.db.WithContext(ctx).Where("api_key_id = ? AND idempotency_key = ?", apiKeyID, key).Take(&row).Error
	return row, mapErr(err, "idempotency key of api key %d", apiKeyID)
}

// CompleteIdempotencyKey stores the answer of the request of row id.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, id int64, status int, response, location string) error {
	err := s.db.WithContext(ctx).Model(&model.IdempotencyKey{}).Where("id = ?", id).
		Updates(map[string]any{"status": status, "response": response, "location": location}).Error
	return mapErr(err, "complete idempotency key %d", id)
}

// DeleteIdempotencyKey deletes the row id, still in progress, of a request
// that failed, so that a retry is served afresh.
func (s *Store) DeleteIdempotencyKey(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Where("id = ? AND status = 0", id).Delete(&model.IdempotencyKey{}).Error
	return mapErr(err, "delete idempotency key %d", id)
}

// RenewIdempotencyKey takes over the row id for a new request (hash, at
// now) if the row expired (made before expired) or was left in progress
// by a request that never finished (made before abandoned), and reports
// whether it did.
func (s *Store) RenewIdempotencyKey(ctx context.Context, id int64, hash string, now, expired, abandoned time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&model.IdempotencyKey{}).
		Where("id = ? AND (created_at < ? OR (status = 0 AND created_at < ?))", id, expired, abandoned).
		Updates(map[string]any{"request_hash": hash, "status": 0, "response": "", "location": "", "created_at": now})
	return res.RowsAffected == 1, mapErr(res.Error, "renew idempotency key %d", id)
}

// DeleteIdempotencyKeysBefore deletes the rows made before cutoff and
// returns how many it deleted.
func (s *Store) DeleteIdempotencyKeysBefore(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("created_at < ?", cutoff).Delete(&model.IdempotencyKey{})
	return res.RowsAffected, mapErr(res.Error, "expire idempotency keys")
}

// SubmissionsOf lists the reports that organisation orgID sent through the
// API, newest first, those with an ID below before (0 for the first page),
// limit of them at most.
func (s *Store) SubmissionsOf(ctx context.Context, orgID, before int64, limit int) ([]model.Report, error) {
	q := s.db.WithContext(ctx).Select("id, status, reject_reason, published_at, created_at, updated_at, organisation_id").
		Where("organisation_id = ?", orgID)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var rows []model.Report
	err := q.Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, mapErr(err, "submissions of organisation %d", orgID)
}

// Submission loads the report id if organisation orgID sent it; any other
// is apperr.ErrNotFound.
func (s *Store) Submission(ctx context.Context, orgID, id int64) (model.Report, error) {
	var row model.Report
	err := s.db.WithContext(ctx).Select("id, status, reject_reason, published_at, created_at, updated_at, organisation_id").
		Where("id = ? AND organisation_id = ?", id, orgID).Take(&row).Error
	return row, mapErr(err, "submission %d of organisation %d", id, orgID)
}

// PublicReportFilter narrows the API's list of public reports. A page
// starts after the report (AfterPublished, AfterID) when AfterID is set.
type PublicReportFilter struct {
	Lang           string
	CategoryID     int64
	Country        string
	UpdatedSince   time.Time
	AfterPublished time.Time
	AfterID        int64
	Limit          int
}

// PublicReports lists the public reports matching f, newest published
// first, then highest ID.
func (s *Store) PublicReports(ctx context.Context, f PublicReportFilter) ([]model.Report, error) {
	q := s.db.WithContext(ctx).Table("reports").Where("reports.status IN ('published', 'locked') AND reports.published_at IS NOT NULL")
	if f.Lang != "" {
		q = q.Where("reports.lang = ?", f.Lang)
	}
	if f.CategoryID != 0 {
		q = q.Where("reports.category_id = ?", f.CategoryID)
	}
	if f.Country != "" {
		q = q.Where("reports.id IN (SELECT rc.report_id FROM report_countries rc WHERE rc.country = ?)", f.Country)
	}
	if !f.UpdatedSince.IsZero() {
		// A reply (new or moderated) or a confirmation changes what the
		// API shows of its report.
		q = q.Where("(reports.updated_at >= ? OR EXISTS (SELECT 1 FROM replies rp WHERE rp.report_id = reports.id AND rp.updated_at >= ?)"+
			" OR EXISTS (SELECT 1 FROM report_confirmations rc WHERE rc.report_id = reports.id AND rc.created_at >= ?))",
			f.UpdatedSince, f.UpdatedSince, f.UpdatedSince)
	}
	if f.AfterID != 0 {
		q = q.Where("(reports.published_at < ? OR (reports.published_at = ? AND reports.id < ?))", f.AfterPublished, f.AfterPublished, f.AfterID)
	}
	var rows []model.Report
	err := q.Order("reports.published_at DESC, reports.id DESC").Limit(f.Limit).Find(&rows).Error
	return rows, mapErr(err, "public reports")
}

// ReportModified returns the last change of what the API shows of report
// id: the report itself, any of its replies (a new one, or one moderated)
// or a confirmation. Each time is read from its column, so that SQLite
// gives it back as a time.
func (s *Store) ReportModified(ctx context.Context, id int64) (time.Time, error) {
	db := s.db.WithContext(ctx)
	var latest time.Time
	for _, q := range []struct{ table, column, key string }{
		{"reports", "updated_at", "id"},
		{"replies", "updated_at", "report_id"},
		{"report_confirmations", "created_at", "report_id"},
	} {
		var ts []time.Time
		err := db.Table(q.table).Select(q.column).Where(q.key+" = ?", id).Order(q.column + " DESC").Limit(1).Scan(&ts).Error
		if err != nil {
			return time.Time{}, mapErr(err, "last change of report %d (%s)", id, q.table)
		}
		if len(ts) == 1 && ts[0].After(latest) {
			latest = ts[0]
		}
	}
	return latest, nil
}

// PublicRepliesOf lists the public replies of the reports ids, oldest
// first.
func (s *Store) PublicRepliesOf(ctx context.Context, ids []int64) ([]model.Reply, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.Reply
	err := s.db.WithContext(ctx).Where("report_id IN ?", ids).Where(publicPosts).Order("report_id, created_at, id").Find(&rows).Error
	return rows, mapErr(err, "public replies")
}

// ReportSender returns the names of the organisation and API key that sent
// report id ("" for each that is gone).
func (s *Store) ReportSender(ctx context.Context, id int64) (organisation, key string, err error) {
	var row struct{ Organisation, KeyName string }
	err = s.db.WithContext(ctx).Raw("SELECT COALESCE(o.name, '') AS organisation, COALESCE(k.name, '') AS key_name FROM reports r "+
		"LEFT JOIN organisations o ON o.id = r.organisation_id LEFT JOIN api_keys k ON k.id = r.submitted_by_key_id WHERE r.id = ?", id).Scan(&row).Error
	return row.Organisation, row.KeyName, mapErr(err, "sender of report %d", id)
}
