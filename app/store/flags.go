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
