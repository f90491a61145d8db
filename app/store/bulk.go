package store

import (
	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/model"
)

// The bulk writes serve imports of many items at once (the synthetic load
// test content): multi-row INSERTs instead of one statement per row. The
// database triggers still fire for every row; only the search index is left
// to the backlog (see BulkTx).

// BulkTx runs fn in one transaction like Tx, except for the search index:
// the items fn's statements made dirty are handed to the search backlog at
// the end instead of being indexed in the transaction, so that an import
// of many items commits fast and `serve` or IndexSearchBacklog indexes them
// afterwards. Until then a search does not find them. fn must not call Tx,
// which would index at its own end.
func (s *Store) BulkTx(ctx context.Context, fn func(tx *Store) error) error {
	defer s.writes.n.Add(1)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if !holdIndexing(tx) {
			return errors.New("store: a bulk transaction inside a transaction")
		}
		defer releaseIndexing(tx)
		if err := fn(&Store{db: tx, writes: s.writes}); err != nil {
			return err
		}
		return handToBacklog(tx)
	})
}

// bulkValues is about how many values one statement binds. SQLite's
// driver looks each parameter up among all of the statement's arguments,
// a cost that grows with the square of their number, so its statements
// stay small; PostgreSQL pays a round trip per statement, far below its
// limit of 65,535 parameters.
func bulkValues(db *gorm.DB) int {
	if db.Dialector.Name() == "postgres" {
		return 20000
	}
	return 1000
}

// insertRows inserts rows in multi-row INSERTs of about bulkValues values,
// without associations; onConflict, when given, is added to each.
func insertRows[T any](db *gorm.DB, rows []T, onConflict ...clause.Expression) error {
	if len(rows) == 0 {
		return nil
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(&rows[0]); err != nil {
		return err
	}
	per := max(1, bulkValues(db)/max(1, len(stmt.Schema.DBNames)))
	return db.Omit(clause.Associations).Clauses(onConflict...).CreateInBatches(rows, per).Error
}

// chunks splits n keys into runs of at most size, for IN lists.
func chunks(n, size int) [][2]int {
	var out [][2]int
	for start := 0; start < n; start += size {
		out = append(out, [2]int{start, min(start+size, n)})
	}
	return out
}

// EnsureUsers creates those of users whose pseudonym keys are new, and maps
// the pseudonym keys of all of them to the stored users' IDs. The first of
// users with one key is the one created.
func (s *Store) EnsureUsers(ctx context.Context, users []model.User) (map[string]int64, error) {
	db := s.db.WithContext(ctx)
	keys := make([]string, 0, len(users))
	for _, u := range users {
		keys = append(keys, u.PseudonymKey)
	}
	out, err := s.userIDs(db, keys)
	if err != nil {
		return nil, err
	}
	var missing []model.User
	planned := map[string]bool{}
	for _, u := range users {
		if _, ok := out[u.PseudonymKey]; ok || planned[u.PseudonymKey] {
			continue
		}
		planned[u.PseudonymKey] = true
		missing = append(missing, u)
	}
	if len(missing) == 0 {
		return out, nil
	}
	if err := insertRows(db, missing, clause.OnConflict{DoNothing: true}); err != nil {
		return nil, mapErr(err, "ensure %d users", len(missing))
	}
	return s.userIDs(db, keys)
}

func (s *Store) userIDs(db *gorm.DB, keys []string) (map[string]int64, error) {
	out := make(map[string]int64, len(keys))
	for _, c := range chunks(len(keys), bulkValues(db)) {
		var rows []model.User
		err := db.Select("id, pseudonym_key").Where("pseudonym_key IN ?", keys[c[0]:c[1]]).Find(&rows).Error
		if err != nil {
			return nil, mapErr(err, "users by pseudonym key")
		}
		for _, u := range rows {
			out[u.PseudonymKey] = u.ID
		}
	}
	return out, nil
}

// KeyOf returns the key of an indicator.
func KeyOf(in model.Indicator) IndicatorKey {
	return IndicatorKey{Kind: in.Kind, Platform: in.Platform, Normalized: in.Normalized}
}

// EnsureIndicators creates those of ins that are new, in multi-row
// inserts, and maps the keys of all of them to the stored indicators' IDs.
// Each of ins carries the hash of its normalised value, by which they are
// looked up.
func (s *Store) EnsureIndicators(ctx context.Context, ins []model.Indicator) (map[IndicatorKey]int64, error) {
	db := s.db.WithContext(ctx)
	out, err := indicatorIDs(db, ins)
	if err != nil {
		return nil, err
	}
	var missing []model.Indicator
	for _, in := range ins {
		k := KeyOf(in)
		if _, ok := out[k]; ok {
			continue
		}
		out[k] = 0
		in.ID = 0
		missing = append(missing, in)
	}
	if len(missing) == 0 {
		return out, nil
	}
	if err := insertRows(db, missing, clause.OnConflict{DoNothing: true}); err != nil {
		return nil, mapErr(err, "create %d indicators", len(missing))
	}
	return indicatorIDs(db, ins)
}

// indicatorIDs maps the keys of those of ins that are stored to their IDs,
// looked up by hash (an index that both engines probe for each value of an
// IN list).
func indicatorIDs(db *gorm.DB, ins []model.Indicator) (map[IndicatorKey]int64, error) {
	var hashes []string
	seen := map[string]bool{}
	for _, in := range ins {
		if !seen[in.Hash] {
			seen[in.Hash] = true
			hashes = append(hashes, in.Hash)
		}
	}
	out := make(map[IndicatorKey]int64, len(ins))
	for _, c := range chunks(len(hashes), bulkValues(db)) {
		var rows []model.Indicator
		if err := db.Select("id, kind, platform, normalized").Where("hash IN ?", hashes[c[0]:c[1]]).Find(&rows).Error; err != nil {
			return nil, mapErr(err, "indicators by hash")
		}
		for _, in := range rows {
			out[KeyOf(in)] = in.ID
		}
	}
	return out, nil
}

// NewReport is a report to create with its countries and indicator links;
// their ReportID is filled by CreateReports.
type NewReport struct {
	Report     model.Report
	Countries  []model.ReportCountry
	Indicators []model.ReportIndicator
}

// CreateReports inserts reports, each with a seed key, with their
// countries and indicator links, in multi-row inserts, and fills their IDs.
func (s *Store) CreateReports(ctx context.Context, reports []NewReport) error {
	db := s.db.WithContext(ctx)
	rows := make([]model.Report, len(reports))
	keys := make([]string, len(reports))
	for i, r := range reports {
		if r.Report.SeedKey == nil {
			return errors.New("store: create reports: a report without a seed key")
		}
		rows[i], keys[i] = r.Report, *r.Report.SeedKey
	}
	if err := insertRows(db, rows); err != nil {
		return mapErr(err, "create %d reports", len(rows))
	}
	ids, err := s.ReportIDsBySeedKey(ctx, keys)
	if err != nil {
		return err
	}
	var cs []model.ReportCountry
	var links []model.ReportIndicator
	for i := range reports {
		id, ok := ids[keys[i]]
		if !ok {
			return errors.New("store: create reports: report " + keys[i] + " not stored")
		}
		reports[i].Report.ID = id
		for j := range reports[i].Countries {
			reports[i].Countries[j].ReportID = id
		}
		for j := range reports[i].Indicators {
			reports[i].Indicators[j].ReportID = id
		}
		cs = append(cs, reports[i].Countries...)
		links = append(links, reports[i].Indicators...)
	}
	if err := insertRows(db, cs); err != nil {
		return mapErr(err, "create countries of %d reports", len(reports))
	}
	return mapErr(insertRows(db, links), "link indicators of %d reports", len(reports))
}

// NewWarning is a warning to create with its translations, countries,
// indicator links and source reports (by ID); their WarningID is filled by
// CreateWarnings.
type NewWarning struct {
	Warning      model.Warning
	Translations []model.WarningTranslation
	Countries    []model.WarningCountry
	Indicators   []model.WarningIndicator
	Reports      []int64
}

// CreateWarnings inserts warnings, each with a seed key, with their
// translations, countries, indicator links and source reports, in
// multi-row inserts, and fills their IDs.
func (s *Store) CreateWarnings(ctx context.Context, warnings []NewWarning) error {
	db := s.db.WithContext(ctx)
	rows := make([]model.Warning, len(warnings))
	keys := make([]string, len(warnings))
	for i, w := range warnings {
		if w.Warning.SeedKey == nil {
			return errors.New("store: create warnings: a warning without a seed key")
		}
		rows[i], keys[i] = w.Warning, *w.Warning.SeedKey
	}
	if err := insertRows(db, rows); err != nil {
		return mapErr(err, "create %d warnings", len(rows))
	}
	ids, err := s.WarningIDsBySeedKey(ctx, keys)
	if err != nil {
		return err
	}
	var ts []model.WarningTranslation
	var cs []model.WarningCountry
	var links []model.WarningIndicator
	var sources []model.WarningReport
	for i := range warnings {
		w := &warnings[i]
		id, ok := ids[keys[i]]
		if !ok {
			return errors.New("store: create warnings: warning " + keys[i] + " not stored")
		}
		w.Warning.ID = id
		for j := range w.Translations {
			w.Translations[j].WarningID = id
		}
		for j := range w.Countries {
			w.Countries[j].WarningID = id
		}
		for j := range w.Indicators {
			w.Indicators[j].WarningID = id
		}
		for _, r := range w.Reports {
			sources = append(sources, model.WarningReport{WarningID: id, ReportID: r})
		}
		ts = append(ts, w.Translations...)
		cs = append(cs, w.Countries...)
		links = append(links, w.Indicators...)
	}
	if err := insertRows(db, ts); err != nil {
		return mapErr(err, "create translations of %d warnings", len(warnings))
	}
	if err := insertRows(db, cs); err != nil {
		return mapErr(err, "create countries of %d warnings", len(warnings))
	}
	if err := insertRows(db, links); err != nil {
		return mapErr(err, "link indicators of %d warnings", len(warnings))
	}
	return mapErr(insertRows(db, sources), "link reports to %d warnings", len(warnings))
}

// LogActions appends entries to the moderation log in multi-row inserts.
// Unlike LogAction it does not look up their scope: the caller fills Lang
// and Countries.
func (s *Store) LogActions(ctx context.Context, actions []model.ModerationAction) error {
	return mapErr(insertRows(s.db.WithContext(ctx), actions), "log %d actions", len(actions))
}
