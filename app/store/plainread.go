package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"forewarn/app/model"
)

// The hot reads of the public pages (a warning page, a page of a list)
// scan rows with database/sql rather than through GORM's reflection: the
// same SQL, read by hand into the same model types. They run on the store's
// connection or transaction and are logged by GORM's logger (slow or failed
// queries, never their parameters).

// plainQuery runs query, written with ? placeholders, and calls scan for
// every row.
func (s *Store) plainQuery(ctx context.Context, what, query string, args []any, scan func(*sql.Rows) error) error {
	if s.db.Dialector.Name() == "postgres" {
		query = dollarPlaceholders(query)
	}
	begin := time.Now()
	var n int64
	err := func() error {
		rows, err := s.db.Statement.ConnPool.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
			n++
		}
		return rows.Err()
	}()
	if s.db.Logger != nil {
		s.db.Logger.Trace(ctx, begin, func() (string, int64) { return query, n }, err)
	}
	return mapErr(err, "%s", what)
}

// dollarPlaceholders numbers the ? placeholders of query for PostgreSQL;
// the queries that go through it have no ? inside literals.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// inList returns the placeholders of a list of len(ids) values, appended to
// args.
func inList(args []any, ids []int64) (string, []any) {
	var b strings.Builder
	b.Grow(2 * len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args = append(args, id)
	}
	return b.String(), args
}

// nullTime is a nullable time as the models hold it.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// nullInt64 is a nullable integer as the models hold it.
func nullInt64(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

// nullString is a nullable text as the models hold it.
func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

// warningColumns are the columns of model.Warning, in scanWarning's order.
const warningColumns = "warnings.id, warnings.severity, warnings.category_id, warnings.status, warnings.lang, " +
	"warnings.organisation_id, warnings.author_id, warnings.approver_id, warnings.names_party, " +
	"warnings.retraction_reason, warnings.seed_key, warnings.expires_at, warnings.published_at, " +
	"warnings.retracted_at, warnings.lock_version, warnings.created_at, warnings.updated_at"

func scanWarning(rows *sql.Rows) (model.Warning, error) {
	var w model.Warning
	dest, finish := warningDest(&w)
	if err := rows.Scan(dest...); err != nil {
		return w, err
	}
	finish()
	return w, nil
}

// warningDest returns the scan destinations of warningColumns into w, and
// the function that fills w's nullable fields after the scan.
func warningDest(w *model.Warning) ([]any, func()) {
	var (
		org, author, approver         sql.NullInt64
		seedKey                       sql.NullString
		expires, published, retracted sql.NullTime
	)
	dest := []any{&w.ID, &w.Severity, &w.CategoryID, &w.Status, &w.Lang,
		&org, &author, &approver, &w.NamesParty,
		&w.RetractionReason, &seedKey, &expires, &published,
		&retracted, &w.LockVersion, &w.CreatedAt, &w.UpdatedAt}
	return dest, func() {
		w.OrganisationID, w.AuthorID, w.ApproverID = nullInt64(org), nullInt64(author), nullInt64(approver)
		w.SeedKey = nullString(seedKey)
		w.ExpiresAt, w.PublishedAt, w.RetractedAt = nullTime(expires), nullTime(published), nullTime(retracted)
	}
}
