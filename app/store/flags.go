package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// Flagger is an open flag with what is known of the account that raised
// it; the account fields are zero for a visitor's flag.
type Flagger struct {
	FlagID        int64
	FlaggedAt     time.Time
	UserID        *int64
	Pseudonym     string
	Role          model.Role
	ApprovedPosts int
	// RemovedPosts counts the member's posts that were public once and
	// are now hidden or rejected.
	RemovedPosts  int
	TrustLevel    int
	SilencedUntil *time.Time
	BannedUntil   *time.Time
	JoinedAt      *time.Time
	// ModeratesPost is set by the service for a moderator or an admin
	// whose scope holds the flagged post; it is no column.
	ModeratesPost bool `gorm:"-"`
}

// OpenFlaggers lists the open flags of a target with their flaggers'
// accounts, oldest first.
func (s *Store) OpenFlaggers(ctx context.Context, targetType string, targetID int64) ([]Flagger, error) {
	var out []Flagger
	err := s.db.WithContext(ctx).Table("flags f").
		Select("f.id AS flag_id, f.created_at AS flagged_at, u.id AS user_id, COALESCE(u.pseudonym, '') AS pseudonym, COALESCE(u.role, '') AS role, "+
			"COALESCE(u.approved_posts, 0) AS approved_posts, COALESCE(u.trust_level, 0) AS trust_level, u.silenced_until, u.banned_until, u.created_at AS joined_at, "+
			"(SELECT COUNT(*) FROM reports r WHERE r.author_id = u.id AND r.published_at IS NOT NULL AND r.status IN ('hidden', 'rejected')) + "+
			"(SELECT COUNT(*) FROM replies rp WHERE rp.author_id = u.id AND rp.published_at IS NOT NULL AND rp.status IN ('hidden', 'rejected')) AS removed_posts").
		Joins("LEFT JOIN users u ON u.id = f.reporter_id").
		Where("f.target_type = ? AND f.target_id = ? AND f.status = 'open'", targetType, targetID).
		Order("f.id").Scan(&out).Error
	return out, mapErr(err, "open flaggers of %s %d", targetType, targetID)
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

// OpenFlags lists the posts with open flags, oldest flag first, with the
// same scope rule as PendingPage.
func (s *Store) OpenFlags(ctx context.Context, langs, countries []string, all bool, limit int) ([]model.FlaggedPost, error) {
	db := s.db.WithContext(ctx)
	var out []model.FlaggedPost
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
		var items []model.FlaggedPost
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
