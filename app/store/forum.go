package store

import (
	"context"
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

// ListPublicReports returns published and locked reports matching f,
// newest first.
func (s *Store) ListPublicReports(ctx context.Context, f ReportFilter) ([]model.Report, error) {
	q := s.db.WithContext(ctx).Model(&model.Report{}).Where("reports.status IN ('published', 'locked')")
	if f.Lang != "" {
		q = q.Where("reports.lang = ?", f.Lang)
	}
	if f.CategoryID != 0 {
		q = q.Where("reports.category_id = ?", f.CategoryID)
	}
	if f.Country != "" {
		q = q.Where("EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = reports.id AND rc.country = ?)", f.Country)
	}
	var rows []model.Report
	err := q.Order("reports.published_at DESC, reports.id DESC").Offset(f.Offset).Limit(f.Limit).Find(&rows).Error
	return rows, mapErr(err, "list reports")
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

// CreateReportImages stores the images of a report.
func (s *Store) CreateReportImages(ctx context.Context, images []model.ReportImage) error {
	return mapErr(createAll(s.db.WithContext(ctx), images), "create report images")
}

// ReportImageIDs lists the images of a report, without their bytes.
func (s *Store) ReportImageIDs(ctx context.Context, reportID int64) ([]model.ReportImage, error) {
	var rows []model.ReportImage
	err := s.db.WithContext(ctx).Select("id, report_id, content_type, width, height").Where("report_id = ?", reportID).Order("id").Find(&rows).Error
	return rows, mapErr(err, "images of report %d", reportID)
}

// ReportImage loads one image with its bytes.
func (s *Store) ReportImage(ctx context.Context, id int64) (model.ReportImage, error) {
	var img model.ReportImage
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&img).Error
	return img, mapErr(err, "report image %d", id)
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

// UpdateReport writes the changed fields of a report.
func (s *Store) UpdateReport(ctx context.Context, id int64, fields map[string]any) error {
	return s.update(ctx, &model.Report{}, id, fields)
}

// UpdateReply writes the changed fields of a reply.
func (s *Store) UpdateReply(ctx context.Context, id int64, fields map[string]any) error {
	return s.update(ctx, &model.Reply{}, id, fields)
}

func (s *Store) update(ctx context.Context, row any, id int64, fields map[string]any) error {
	res := s.db.WithContext(ctx).Model(row).Where("id = ?", id).Updates(fields)
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(gorm.ErrRecordNotFound, "update %T %d", row, id)
	}
	return mapErr(res.Error, "update %T %d", row, id)
}

// AddRevision keeps an earlier version of a post.
func (s *Store) AddRevision(ctx context.Context, rev *model.PostRevision) error {
	return mapErr(s.db.WithContext(ctx).Create(rev).Error, "add revision")
}

// CountRevisions counts the earlier versions of a post.
func (s *Store) CountRevisions(ctx context.Context, targetType string, id int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.PostRevision{}).Where("target_type = ? AND target_id = ?", targetType, id).Count(&n).Error
	return n, mapErr(err, "count revisions")
}

// AddApprovedPost counts one more approved post of userID.
func (s *Store) AddApprovedPost(ctx context.Context, userID int64) error {
	err := s.db.WithContext(ctx).Model(&model.User{}).Where("id = ?", userID).
		UpdateColumn("approved_posts", gorm.Expr("approved_posts + 1")).Error
	return mapErr(err, "count approved post of user %d", userID)
}

// ModeratorScope returns the content languages and countries a moderator
// covers.
func (s *Store) ModeratorScope(ctx context.Context, userID int64) (langs, countries []string, err error) {
	db := s.db.WithContext(ctx)
	if err := db.Model(&model.UserLanguage{}).Where("user_id = ?", userID).Order("lang").Pluck("lang", &langs).Error; err != nil {
		return nil, nil, mapErr(err, "languages of moderator %d", userID)
	}
	if err := db.Model(&model.UserCountry{}).Where("user_id = ?", userID).Order("country").Pluck("country", &countries).Error; err != nil {
		return nil, nil, mapErr(err, "countries of moderator %d", userID)
	}
	return langs, countries, nil
}

// SetModeratorScope replaces the languages and countries of a moderator.
func (s *Store) SetModeratorScope(ctx context.Context, userID int64, langs, countries []string) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("user_id = ?", userID).Delete(&model.UserLanguage{}).Error; err != nil {
		return mapErr(err, "clear languages of %d", userID)
	}
	if err := db.Where("user_id = ?", userID).Delete(&model.UserCountry{}).Error; err != nil {
		return mapErr(err, "clear countries of %d", userID)
	}
	ls := make([]model.UserLanguage, len(langs))
	for i, l := range langs {
		ls[i] = model.UserLanguage{UserID: userID, Lang: l}
	}
	cs := make([]model.UserCountry, len(countries))
	for i, c := range countries {
		cs[i] = model.UserCountry{UserID: userID, Country: c}
	}
	if err := createAll(db, ls); err != nil {
		return mapErr(err, "set languages of %d", userID)
	}
	return mapErr(createAll(db, cs), "set countries of %d", userID)
}

// CreateFlag stores a flag.
func (s *Store) CreateFlag(ctx context.Context, f *model.Flag) error {
	return mapErr(s.db.WithContext(ctx).Create(f).Error, "create flag")
}

// HasOpenFlag reports whether reporterID has an open flag on the target.
func (s *Store) HasOpenFlag(ctx context.Context, targetType string, targetID, reporterID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.Flag{}).
		Where("target_type = ? AND target_id = ? AND reporter_id = ? AND status = 'open'", targetType, targetID, reporterID).Count(&n).Error
	return n > 0, mapErr(err, "open flag")
}

// CountFlaggingMembers counts the distinct members with an open flag on
// the target.
func (s *Store) CountFlaggingMembers(ctx context.Context, targetType string, targetID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&model.Flag{}).
		Where("target_type = ? AND target_id = ? AND status = 'open' AND reporter_id IS NOT NULL", targetType, targetID).
		Distinct("reporter_id").Count(&n).Error
	return n, mapErr(err, "count flagging members")
}

// FlaggedItem is a post with open flags.
type FlaggedItem struct {
	TargetType string
	TargetID   int64
	ReportID   int64
	Title      string
	Body       string
	Lang       string
	Status     model.PostStatus
	Flags      int
	Reasons    string
	// FirstFlag orders items by their oldest flag.
	FirstFlag int64
}

// OpenFlags lists the posts with open flags, oldest flag first, with the
// same scope rule as PendingPage.
func (s *Store) OpenFlags(ctx context.Context, langs, countries []string, all bool, limit int) ([]FlaggedItem, error) {
	db := s.db.WithContext(ctx)
	var out []FlaggedItem
	for _, kind := range []string{"report", "reply"} {
		q := db.Table("flags f").Where("f.status = 'open' AND f.target_type = ?", kind)
		if kind == "report" {
			q = q.Select("'report' AS target_type, r.id AS target_id, r.id AS report_id, r.title, r.body, r.lang, r.status, COUNT(*) AS flags, MIN(f.id) AS first_flag").
				Joins("JOIN reports r ON r.id = f.target_id").Group("r.id, r.title, r.body, r.lang, r.status")
		} else {
			q = q.Select("'reply' AS target_type, rp.id AS target_id, r.id AS report_id, r.title, rp.body, r.lang, rp.status, COUNT(*) AS flags, MIN(f.id) AS first_flag").
				Joins("JOIN replies rp ON rp.id = f.target_id").Joins("JOIN reports r ON r.id = rp.report_id").
				Group("rp.id, r.id, r.title, rp.body, r.lang, rp.status")
		}
		if !all {
			q = q.Where("r.lang IN ?", nonEmpty(langs)).
				Where("EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)", nonEmpty(countries))
		}
		var items []FlaggedItem
		if err := q.Order("first_flag").Limit(limit).Scan(&items).Error; err != nil {
			return nil, mapErr(err, "open flags on %ss", kind)
		}
		out = append(out, items...)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].FirstFlag < out[j-1].FirstFlag; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// FlagReasons lists the reasons of the open flags of a target.
func (s *Store) FlagReasons(ctx context.Context, targetType string, targetID int64) ([]string, error) {
	var reasons []string
	err := s.db.WithContext(ctx).Model(&model.Flag{}).Where("target_type = ? AND target_id = ? AND status = 'open'", targetType, targetID).
		Distinct("reason").Order("reason").Pluck("reason", &reasons).Error
	return reasons, mapErr(err, "flag reasons")
}

// FlagNotes lists the notes readers added to the open flags of a target.
func (s *Store) FlagNotes(ctx context.Context, targetType string, targetID int64) ([]string, error) {
	var notes []string
	err := s.db.WithContext(ctx).Model(&model.Flag{}).Where("target_type = ? AND target_id = ? AND status = 'open' AND note <> ''", targetType, targetID).
		Order("id").Limit(20).Pluck("note", &notes).Error
	return notes, mapErr(err, "flag notes")
}

// ResolveFlags closes the open flags of a target.
func (s *Store) ResolveFlags(ctx context.Context, targetType string, targetID, moderatorID int64, status model.FlagStatus, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&model.Flag{}).Where("target_type = ? AND target_id = ? AND status = 'open'", targetType, targetID).
		Updates(map[string]any{"status": status, "resolved_by_id": moderatorID, "resolved_at": at}).Error
	return mapErr(err, "resolve flags")
}

// RestrictUser sets the end of a member's silence or ban; a ban also ends
// the member's sessions.
func (s *Store) RestrictUser(ctx context.Context, userID int64, column string, until time.Time) error {
	if column != "silenced_until" && column != "banned_until" {
		return mapErr(gorm.ErrInvalidField, "restrict user %d", userID)
	}
	fields := map[string]any{column: until}
	if column == "banned_until" {
		// A ban ends every session of the member at once.
		fields["session_epoch"] = gorm.Expr("session_epoch + 1")
	}
	return s.update(ctx, &model.User{}, userID, fields)
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	Action     string
	TargetType string
	TargetID   int64
	ActorID    int64
	// Scope limits the log to a moderator's scope; nil is everything.
	Scope  *Scope
	Offset int
	Limit  int
}

// AuditEntry is one line of the audit log with its actor's pseudonym.
type AuditEntry struct {
	model.ModerationAction
	Actor string
}

// AuditLog lists moderation actions, newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := s.db.WithContext(ctx).Table("moderation_actions a").Select("a.*, u.pseudonym AS actor").Joins("LEFT JOIN users u ON u.id = a.actor_id")
	if f.Action != "" {
		q = q.Where("a.action = ?", f.Action)
	}
	if f.TargetType != "" {
		q = q.Where("a.target_type = ?", f.TargetType)
	}
	if f.TargetID != 0 {
		q = q.Where("a.target_id = ?", f.TargetID)
	}
	if f.ActorID != 0 {
		q = q.Where("a.actor_id = ?", f.ActorID)
	}
	if f.Scope != nil {
		q = auditInScope(q, *f.Scope)
	}
	var rows []AuditEntry
	err := q.Order("a.created_at DESC, a.id DESC").Offset(f.Offset).Limit(f.Limit).Scan(&rows).Error
	return rows, mapErr(err, "audit log")
}

// AuditActions lists the distinct action names in the log, for its filter.
// It skips from one name to the next along the index on action, so it
// costs a few look-ups per name, not a scan of the log.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Raw(`WITH RECURSIVE t(action) AS (
		SELECT MIN(action) FROM moderation_actions
		UNION ALL SELECT (SELECT MIN(m.action) FROM moderation_actions m WHERE m.action > t.action) FROM t WHERE t.action IS NOT NULL
	) SELECT action FROM t WHERE action IS NOT NULL ORDER BY action`).Scan(&names).Error
	return names, mapErr(err, "audit actions")
}
