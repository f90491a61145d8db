package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"forewarn/app/model"
)

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

// RedactRevisions replaces passage with replacement in every earlier
// version of a post.
func (s *Store) RedactRevisions(ctx context.Context, targetType string, targetID int64, passage, replacement string) error {
	err := s.db.WithContext(ctx).Model(&model.PostRevision{}).Where("target_type = ? AND target_id = ?", targetType, targetID).
		Updates(map[string]any{
			"title": gorm.Expr("REPLACE(title, ?, ?)", passage, replacement),
			"body":  gorm.Expr("REPLACE(body, ?, ?)", passage, replacement),
		}).Error
	return mapErr(err, "redact revisions of %s %d", targetType, targetID)
}

// RevisionsContain reports whether an earlier version of a post holds passage.
func (s *Store) RevisionsContain(ctx context.Context, targetType string, targetID int64, passage string) (bool, error) {
	revs, err := s.Revisions(ctx, targetType, targetID)
	for _, r := range revs {
		if strings.Contains(r.Title, passage) || strings.Contains(r.Body, passage) {
			return true, nil
		}
	}
	return false, err
}

// Revisions lists the earlier versions of a post, oldest first.
func (s *Store) Revisions(ctx context.Context, targetType string, targetID int64) ([]model.PostRevision, error) {
	var revs []model.PostRevision
	err := s.db.WithContext(ctx).Where("target_type = ? AND target_id = ?", targetType, targetID).Order("created_at, id").Find(&revs).Error
	return revs, mapErr(err, "revisions of %s %d", targetType, targetID)
}
