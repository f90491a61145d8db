package store

import (
	"context"
	"time"

	"forewarn/app/model"
)

// PendingWarningRevision loads the revision of a warning that waits for a
// second moderator, else apperr.ErrNotFound.
func (s *Store) PendingWarningRevision(ctx context.Context, warningID int64) (model.WarningRevision, error) {
	var r model.WarningRevision
	err := s.db.WithContext(ctx).Where("warning_id = ? AND status = ?", warningID, model.RevisionPending).Take(&r).Error
	return r, mapErr(err, "pending revision of warning %d", warningID)
}

// AddWarningRevision stores a proposed revision; a second pending revision
// of the same warning is apperr.ErrConflict.
func (s *Store) AddWarningRevision(ctx context.Context, r *model.WarningRevision) error {
	return mapErr(s.db.WithContext(ctx).Create(r).Error, "add revision of warning %d", r.WarningID)
}

// DecideWarningRevision moves a pending revision to status; a revision no
// longer pending is apperr.ErrNotFound.
func (s *Store) DecideWarningRevision(ctx context.Context, id int64, status model.RevisionStatus, deciderID *int64, reason string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&model.WarningRevision{}).
		Where("id = ? AND status = ?", id, model.RevisionPending).
		Updates(map[string]any{"status": status, "decider_id": deciderID, "reason": reason, "decided_at": at})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr(errNotFound, "decide revision %d", id)
	}
	return mapErr(res.Error, "decide revision %d", id)
}

// WarningsWithPendingRevision returns which of the warnings have a revision
// waiting.
func (s *Store) WarningsWithPendingRevision(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var found []int64
	err := s.db.WithContext(ctx).Model(&model.WarningRevision{}).
		Where("warning_id IN ? AND status = ?", ids, model.RevisionPending).
		Pluck("warning_id", &found).Error
	for _, id := range found {
		out[id] = true
	}
	return out, mapErr(err, "pending revisions")
}

// WarningWriters lists the moderators who wrote the content of a warning:
// the actors of its creation, edits and translations in the audit log.
func (s *Store) WarningWriters(ctx context.Context, warningID int64) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&model.ModerationAction{}).
		Where("target_type = 'warning' AND target_id = ? AND action IN ('warning.create', 'warning.edit', 'warning.translate') AND actor_id IS NOT NULL", warningID).
		Distinct("actor_id").Pluck("actor_id", &ids).Error
	return ids, mapErr(err, "writers of warning %d", warningID)
}

// ReplaceWarningTranslations replaces every text of a warning.
func (s *Store) ReplaceWarningTranslations(ctx context.Context, id int64, ts []model.WarningTranslation) error {
	db := s.db.WithContext(ctx)
	if err := db.Where("warning_id = ?", id).Delete(&model.WarningTranslation{}).Error; err != nil {
		return mapErr(err, "clear translations of warning %d", id)
	}
	for i := range ts {
		ts[i].WarningID = id
	}
	return mapErr(createAll(db, ts), "set translations of warning %d", id)
}

// PurgeRevisionStates empties the proposed content of the warning revisions
// decided before cutoff (a waiting one is kept whatever its age) and
// returns how many it emptied.
func (s *Store) PurgeRevisionStates(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Model(&model.WarningRevision{}).
		Where("status <> ? AND decided_at < ? AND state <> '{}'", model.RevisionPending, cutoff).
		Update("state", "{}")
	return res.RowsAffected, mapErr(res.Error, "purge revision states")
}
