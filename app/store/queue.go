package store

import (
	"context"

	"forewarn/app/model"
)

// PostScope is the part of the posts a moderator covers: the posts whose
// report is in one of Langs and names one of Countries (a reply takes its
// report's), or every post when All.
type PostScope struct {
	Langs, Countries []string
	All              bool
}

// where returns the scope's condition on the report aliased r, and its
// arguments.
func (sc PostScope) where() (string, []any) {
	if sc.All {
		return "", nil
	}
	return " AND r.lang IN ? AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country IN ?)",
		[]any{nonEmpty(sc.Langs), nonEmpty(sc.Countries)}
}

// PendingPage lists pending reports and replies in scope, oldest first,
// limit of them after the first offset.
func (s *Store) PendingPage(ctx context.Context, sc PostScope, limit, offset int) ([]model.QueueItem, error) {
	cond, args := sc.where()
	var all []any
	all = append(all, args...)
	all = append(all, args...)
	all = append(all, limit, offset)
	sql := "SELECT * FROM (" +
		"SELECT 'report' AS kind, r.id, r.id AS report_id, r.title, r.body, r.lang, r.author_id, COALESCE(u.pseudonym, '') AS author_name, COALESCE(u.role, '') AS author_role, r.hold_reason AS hold, r.created_at, " +
		"COALESCE(so.name, '') AS sender_organisation, COALESCE(sk.name, '') AS sender_key " +
		"FROM reports r LEFT JOIN users u ON u.id = r.author_id LEFT JOIN organisations so ON so.id = r.organisation_id LEFT JOIN api_keys sk ON sk.id = r.submitted_by_key_id " +
		"WHERE r.status = 'pending'" + cond +
		" UNION ALL " +
		"SELECT 'reply' AS kind, rp.id, rp.report_id, r.title, rp.body, r.lang, rp.author_id, COALESCE(u.pseudonym, '') AS author_name, COALESCE(u.role, '') AS author_role, rp.hold_reason AS hold, rp.created_at, '' AS sender_organisation, '' AS sender_key " +
		"FROM replies rp JOIN reports r ON r.id = rp.report_id LEFT JOIN users u ON u.id = rp.author_id WHERE rp.status = 'pending'" + cond +
		") q ORDER BY created_at, kind, id LIMIT ? OFFSET ?"
	var items []model.QueueItem
	if err := s.db.WithContext(ctx).Raw(sql, all...).Scan(&items).Error; err != nil {
		return nil, mapErr(err, "pending posts")
	}
	return items, nil
}

// CountPending counts the pending reports and replies in scope.
func (s *Store) CountPending(ctx context.Context, sc PostScope) (reports, replies int64, err error) {
	cond, args := sc.where()
	db := s.db.WithContext(ctx)
	if err := db.Raw("SELECT COUNT(*) FROM reports r WHERE r.status = 'pending'"+cond, args...).Scan(&reports).Error; err != nil {
		return 0, 0, mapErr(err, "count pending reports")
	}
	if err := db.Raw("SELECT COUNT(*) FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.status = 'pending'"+cond, args...).Scan(&replies).Error; err != nil {
		return 0, 0, mapErr(err, "count pending replies")
	}
	return reports, replies, nil
}

// PostRef names a post and its state.
type PostRef struct {
	Kind     string
	ID       int64
	ReportID int64
	Status   model.PostStatus
}

// PostsByAuthor lists authorID's reports and replies in scope whose state
// is one of statuses, oldest first.
func (s *Store) PostsByAuthor(ctx context.Context, authorID int64, statuses []model.PostStatus, sc PostScope) ([]PostRef, error) {
	cond, args := sc.where()
	var all []any
	all = append(all, authorID, statuses)
	all = append(all, args...)
	all = append(all, authorID, statuses)
	all = append(all, args...)
	sql := "SELECT 'report' AS kind, r.id, r.id AS report_id, r.status FROM reports r WHERE r.author_id = ? AND r.status IN ?" + cond +
		" UNION ALL " +
		"SELECT 'reply' AS kind, rp.id, rp.report_id, rp.status FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.author_id = ? AND rp.status IN ?" + cond +
		" ORDER BY kind, id"
	var out []PostRef
	if err := s.db.WithContext(ctx).Raw(sql, all...).Scan(&out).Error; err != nil {
		return nil, mapErr(err, "posts of %d", authorID)
	}
	return out, nil
}

// PostsInScope returns those of the posts of kind with ids that exist and
// are in scope.
func (s *Store) PostsInScope(ctx context.Context, kind string, ids []int64, sc PostScope) ([]PostRef, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cond, args := sc.where()
	var sql string
	switch kind {
	case "report":
		sql = "SELECT 'report' AS kind, r.id, r.id AS report_id, r.status FROM reports r WHERE r.id IN ?" + cond
	case "reply":
		sql = "SELECT 'reply' AS kind, rp.id, rp.report_id, rp.status FROM replies rp JOIN reports r ON r.id = rp.report_id WHERE rp.id IN ?" + cond
	default:
		return nil, nil
	}
	var out []PostRef
	if err := s.db.WithContext(ctx).Raw(sql+" ORDER BY 2", append([]any{ids}, args...)...).Scan(&out).Error; err != nil {
		return nil, mapErr(err, "%ss in scope", kind)
	}
	return out, nil
}

// UpdatePostIf writes c to the post of kind and id if its state is still
// one of from, and reports whether it was.
func (s *Store) UpdatePostIf(ctx context.Context, kind string, id int64, from []model.PostStatus, c PostChange) (bool, error) {
	row, err := postRow(kind, c)
	if err != nil {
		return false, err
	}
	res := s.db.WithContext(ctx).Model(row).Where("id = ? AND status IN ?", id, from).Updates(c.fields())
	if res.Error != nil {
		return false, mapErr(res.Error, "set state of %s %d", kind, id)
	}
	return res.RowsAffected == 1, nil
}
