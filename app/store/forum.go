package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// publicPosts is the condition of reports and replies visitors may read.
const publicPosts = "status IN ('published', 'locked')"

// ReportFilter narrows the public list of reports. Zero fields do not filter.
type ReportFilter struct {
	Lang       string
	CategoryID int64
	Country    string
	Offset     int
	Limit      int
}

// Report loads one report, whatever its status.
func (s *Store) Report(ctx context.Context, id int64) (model.Report, error) {
	var r model.Report
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r, mapErr(err, "report %d", id)
}

// Reply loads one reply, whatever its status.
func (s *Store) Reply(ctx context.Context, id int64) (model.Reply, error) {
	var r model.Reply
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r, mapErr(err, "reply %d", id)
}

// ReportCountries loads the countries of the given reports, keyed by report.
func (s *Store) ReportCountries(ctx context.Context, ids []int64) (map[int64][]model.ReportCountry, error) {
	out := make(map[int64][]model.ReportCountry, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []model.ReportCountry
	err := s.db.WithContext(ctx).Where("report_id IN ?", ids).
		Order("report_id, CASE role WHEN 'origin' THEN 0 WHEN 'transit' THEN 1 ELSE 2 END, country").Find(&rows).Error
	if err != nil {
		return nil, mapErr(err, "report countries")
	}
	for _, r := range rows {
		out[r.ReportID] = append(out[r.ReportID], r)
	}
	return out, nil
}

// ReportCounts are the public replies and "I met this too" of a report.
type ReportCounts struct {
	Replies       int
	Confirmations int
}

// ReportCountsOf counts the public replies and the confirmations of the
// given reports, in two queries; confirmations of members banned at now
// are not counted.
func (s *Store) ReportCountsOf(ctx context.Context, ids []int64, now time.Time) (map[int64]ReportCounts, error) {
	out := make(map[int64]ReportCounts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	type row struct {
		ID int64
		N  int
	}
	var replies, confirmations []row
	db := s.db.WithContext(ctx)
	if err := db.Table("replies").Select("report_id AS id, COUNT(*) AS n").Where("report_id IN ? AND "+publicPosts, ids).Group("report_id").Scan(&replies).Error; err != nil {
		return nil, mapErr(err, "count replies")
	}
	if err := db.Table("report_confirmations rc").Select("rc.report_id AS id, COUNT(*) AS n").
		Joins("JOIN users u ON u.id = rc.user_id").
		Where("rc.report_id IN ? AND (u.banned_until IS NULL OR u.banned_until <= ?)", ids, now).
		Group("rc.report_id").Scan(&confirmations).Error; err != nil {
		return nil, mapErr(err, "count confirmations")
	}
	for _, r := range replies {
		c := out[r.ID]
		c.Replies = r.N
		out[r.ID] = c
	}
	for _, r := range confirmations {
		c := out[r.ID]
		c.Confirmations = r.N
		out[r.ID] = c
	}
	return out, nil
}

// PseudonymsByID maps user IDs to pseudonyms.
func (s *Store) PseudonymsByID(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []model.User
	if err := s.db.WithContext(ctx).Select("id, pseudonym").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, mapErr(err, "pseudonyms")
	}
	for _, u := range rows {
		out[u.ID] = u.Pseudonym
	}
	return out, nil
}

// RepliesOf lists the replies of a report that viewer may see: the public
// ones and, when viewerID is not zero, the viewer's own; every reply for a
// moderator (all).
func (s *Store) RepliesOf(ctx context.Context, reportID, viewerID int64, all bool) ([]model.Reply, error) {
	var rows []model.Reply
	q := s.db.WithContext(ctx).Where("report_id = ?", reportID)
	switch {
	case all:
	case viewerID != 0:
		q = q.Where("("+publicPosts+" OR author_id = ?)", viewerID)
	default:
		q = q.Where(publicPosts)
	}
	err := q.Order("created_at, id").Find(&rows).Error
	return rows, mapErr(err, "replies of report %d", reportID)
}

// CreateReply inserts a reply.
func (s *Store) CreateReply(ctx context.Context, r *model.Reply) error {
	return mapErr(s.db.WithContext(ctx).Create(r).Error, "create reply")
}

// AddConfirmation records that userID met the offer of reportID too; it
// reports false when they had said so already.
func (s *Store) AddConfirmation(ctx context.Context, reportID, userID int64, at time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&model.ReportConfirmation{ReportID: reportID, UserID: userID, CreatedAt: at})
	return res.RowsAffected > 0, mapErr(res.Error, "confirm report %d", reportID)
}

// HasConfirmed reports whether userID said they met the offer of reportID.
func (s *Store) HasConfirmed(ctx context.Context, reportID, userID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.ReportConfirmation{}).Where("report_id = ? AND user_id = ?", reportID, userID).Count(&n).Error
	return n > 0, mapErr(err, "confirmation of report %d", reportID)
}

// PostChange is a change of a report or a reply; nil fields are left as
// they are. Title applies to reports only.
type PostChange struct {
	Status       *model.PostStatus
	Title        *string
	Body         *string
	HoldReason   *string
	RejectReason *string
	PublishedAt  *time.Time
	UpdatedAt    time.Time
}

// fields are the columns c writes.
func (c PostChange) fields() map[string]any {
	fields := map[string]any{"updated_at": c.UpdatedAt}
	if c.Status != nil {
		fields["status"] = *c.Status
	}
	if c.Title != nil {
		fields["title"] = *c.Title
	}
	if c.Body != nil {
		fields["body"] = *c.Body
	}
	if c.HoldReason != nil {
		fields["hold_reason"] = *c.HoldReason
	}
	if c.RejectReason != nil {
		fields["reject_reason"] = *c.RejectReason
	}
	if c.PublishedAt != nil {
		fields["published_at"] = *c.PublishedAt
	}
	return fields
}

// postRow returns the row type of a post kind ("report" or "reply").
func postRow(kind string, c PostChange) (any, error) {
	switch {
	case kind == "report":
		return &model.Report{}, nil
	case kind == "reply" && c.Title == nil:
		return &model.Reply{}, nil
	}
	return nil, fmt.Errorf("store: change of %s: %w", kind, gorm.ErrInvalidField)
}

// UpdatePost writes c to the post of kind ("report" or "reply") and id; an
// unknown post is apperr.ErrNotFound.
func (s *Store) UpdatePost(ctx context.Context, kind string, id int64, c PostChange) error {
	row, err := postRow(kind, c)
	if err != nil {
		return err
	}
	return s.update(ctx, row, id, c.fields())
}

func (s *Store) update(ctx context.Context, row any, id int64, fields map[string]any) error {
	res := s.db.WithContext(ctx).Model(row).Where("id = ?", id).Updates(fields)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(gorm.ErrRecordNotFound, "update %T %d", row, id)
	}
	return mapErr(res.Error, "update %T %d", row, id)
}

// AddApprovedPost counts one more approved post of userID.
func (s *Store) AddApprovedPost(ctx context.Context, userID int64) error {
	err := s.db.WithContext(ctx).Model(&model.User{}).Where("id = ?", userID).
		UpdateColumn("approved_posts", gorm.Expr("approved_posts + 1")).Error
	return mapErr(err, "count approved post of user %d", userID)
}

// ListedReportIDs returns the IDs of every public report matching f (its
// Lang, CategoryID and Country), in list order: newest published first,
// then highest ID; the paging fields of f are ignored. It reads an index in
// list order, so that a page of any filter is then read by ID.
func (s *Store) ListedReportIDs(ctx context.Context, f ReportFilter) ([]int64, error) {
	q := s.db.WithContext(ctx).Table("reports").Where("reports.status IN ('published', 'locked')")
	if f.Lang != "" {
		q = q.Where("reports.lang = ?", f.Lang)
	}
	if f.CategoryID != 0 {
		q = q.Where("reports.category_id = ?", f.CategoryID)
	}
	if f.Country != "" {
		q = q.Where("reports.id IN (SELECT rc.report_id FROM report_countries rc WHERE rc.country = ?)", f.Country)
	}
	var ids []int64
	err := q.Order("reports.published_at DESC, reports.id DESC").Pluck("reports.id", &ids).Error
	return ids, mapErr(err, "listed report IDs")
}

// ReportsByID loads the reports with the given IDs, in the order of ids;
// missing ones are left out.
func (s *Store) ReportsByID(ctx context.Context, ids []int64) ([]model.Report, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []model.Report
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, mapErr(err, "reports by ID")
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	sort.Slice(rows, func(i, j int) bool { return at[rows[i].ID] < at[rows[j].ID] })
	return rows, nil
}

// NextBanEnd returns the earliest end of a ban still running at now, or
// the zero time when no member is banned.
func (s *Store) NextBanEnd(ctx context.Context, now time.Time) (time.Time, error) {
	var ends []time.Time
	err := s.db.WithContext(ctx).Model(&model.User{}).Where("banned_until > ?", now).
		Order("banned_until").Limit(1).Pluck("banned_until", &ends).Error
	if err != nil {
		return time.Time{}, mapErr(err, "next ban end")
	}
	if len(ends) == 0 {
		return time.Time{}, nil
	}
	return ends[0], nil
}
