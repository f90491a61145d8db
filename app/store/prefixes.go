package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// The prefix set is versioned rather than logged by each service call:
// whether an indicator is public follows from many writes (a report hidden,
// rejected or redacted, a warning retracted or expired, a route or an
// indicator edited, a member banned with their posts, an operator's SQL),
// and a log kept by each of those code paths would miss the next new one.
// Instead, database triggers (migration 00016) mark, in the writing
// transaction, every indicator such a write may concern, and
// ReconcilePrefixes recomputes the marked indicators with the very rule of
// the range look-up and the indicator page (listedWarnings and
// publicReports, see publicMentions), recording the difference as spans
// opened and closed at a new sequence number in indicator_prefix_spans. The
// set at any sequence is then known exactly, and so is the difference
// between two sequences, whatever happened in between.

// PrefixState is where the versioned prefix set stands.
type PrefixState struct {
	// Seq is the sequence of the current set; Floor the oldest sequence a
	// difference can still be computed from.
	Seq   int64
	Floor int64
}

// PrefixSpan is a stretch of sequences during which an indicator's prefix
// was in a set: AddedSeq <= seq < RemovedSeq (nil: still in).
type PrefixSpan struct {
	Prefix     string
	AddedSeq   int64
	RemovedSeq *int64
}

// Covers reports whether the span's prefix was in its set at seq.
func (sp PrefixSpan) Covers(seq int64) bool {
	return sp.AddedSeq <= seq && (sp.RemovedSeq == nil || *sp.RemovedSeq > seq)
}

// prefixSpan is a row of indicator_prefix_spans.
type prefixSpan struct {
	ID          int64
	IndicatorID int64
	// Country is a country on the route of public content that mentions
	// the indicator, or empty for public content without a route. The set
	// of all public indicators is every span's; a country's set its spans'.
	Country    string
	Kind       string
	Prefix     string
	AddedSeq   int64
	RemovedSeq *int64
	RemovedAt  *int64
}

func (prefixSpan) TableName() string { return "indicator_prefix_spans" }

// spanKey names what a span is about.
type spanKey struct {
	indicator int64
	country   string
	kind      string
	prefix    string
}

// PrefixState returns the state of the prefix set.
func (s *Store) PrefixState(ctx context.Context) (PrefixState, error) {
	var st PrefixState
	err := s.db.WithContext(ctx).Raw("SELECT seq, floor_seq AS floor FROM indicator_prefix_state WHERE id = 0").Scan(&st).Error
	return st, mapErr(err, "prefix state")
}

// publicPrefixEntries lists, for the indicators of a list (given twice)
// that public content mentions, its kind and 16-hex-character prefix with
// one country of the route of each public warning or report mentioning it
// (an empty one when it has no route); rows may repeat.
const publicPrefixEntries = `SELECT i.id AS indicator_id, i.kind, substr(i.hash, 1, 16) AS prefix, COALESCE(wc.country, '') AS country
	FROM warning_indicators wi
	JOIN warnings ON warnings.id = wi.warning_id
	JOIN indicators i ON i.id = wi.indicator_id
	LEFT JOIN warning_countries wc ON wc.warning_id = warnings.id
	WHERE ` + listedWarnings + ` AND i.id IN ?
	UNION ALL
	SELECT i.id, i.kind, substr(i.hash, 1, 16), COALESCE(rc.country, '')
	FROM report_indicators ri
	JOIN reports r ON r.id = ri.report_id
	JOIN indicators i ON i.id = ri.indicator_id
	LEFT JOIN report_countries rc ON rc.report_id = r.id
	WHERE ` + publicReports + ` AND i.id IN ?`

// reconcileChunk is how many marked indicators a reconciliation
// recomputes in one step (and one transaction): the first build of a large
// set, when every indicator is marked, goes in steps of bounded memory and
// time, each kept when the next fails.
const reconcileChunk = 5000

// ReconcilePrefixes brings the prefix set up to the content: it
// recomputes the indicators marked dirty, opens spans for what became
// public and closes those of what stopped being, at a new sequence when
// anything changed, and deletes the marks it read, reconcileChunk
// indicators at a time until none is marked. Closed spans older than
// retention are dropped and the floor raised past them.
//
// The marks are read first and the content after: every mark read comes
// from a committed write that the content read then shows. The set is
// computed outside any transaction, so that writers (one at a time on
// SQLite) do not wait for it; the changes are then written in one
// transaction that first locks the state row and checks that no other
// reconciliation committed in between (else it starts again: its reading
// of the open spans could be stale). With no marks, it changes nothing.
func (s *Store) ReconcilePrefixes(ctx context.Context, now time.Time, retention time.Duration) (PrefixState, error) {
	for conflicts := 0; ; {
		st, more, done, err := s.reconcilePrefixes(ctx, now, retention)
		switch {
		case err != nil:
			return st, err
		case !done:
			conflicts++
			if conflicts == 5 {
				return st, fmt.Errorf("store: reconcile prefixes: the state kept changing")
			}
		case !more:
			return st, nil
		default:
			conflicts = 0
		}
	}
}

// reconcilePrefixes is one step of ReconcilePrefixes; more is true when
// marked indicators are left, done false when another reconciliation got
// in the way.
func (s *Store) reconcilePrefixes(ctx context.Context, now time.Time, retention time.Duration) (st PrefixState, more, done bool, err error) {
	before, err := s.PrefixState(ctx)
	if err != nil {
		return before, false, false, err
	}
	marks, indicators, more, err := s.dirtyIndicators(ctx, reconcileChunk)
	if err != nil {
		return before, false, false, err
	}
	if len(marks) == 0 {
		// Another reconciliation may have taken the marks and moved the
		// state between the two reads above: the state read after the
		// marks is at least as new as the content they stood for.
		after, err := s.PrefixState(ctx)
		return after, false, err == nil, err
	}
	want, err := s.publicPrefixSpans(ctx, indicators)
	if err != nil {
		return before, false, false, err
	}
	open, err := s.openPrefixSpans(ctx, indicators)
	if err != nil {
		return before, false, false, err
	}
	var closing []int64
	for _, sp := range open {
		k := spanKey{sp.IndicatorID, sp.Country, sp.Kind, sp.Prefix}
		if want[k] {
			delete(want, k)
		} else {
			closing = append(closing, sp.ID)
		}
	}
	st = before
	done = true
	err = s.Tx(ctx, func(tx *Store) error {
		db := tx.db
		// The update takes the row's lock (PostgreSQL) or the write lock
		// (SQLite) before the state is read again: writers take turns.
		if err := db.Exec("UPDATE indicator_prefix_state SET seq = seq WHERE id = 0").Error; err != nil {
			return mapErr(err, "lock prefix state")
		}
		current, err := tx.PrefixState(ctx)
		if err != nil {
			return err
		}
		if current != before {
			done = false
			return nil
		}
		next := st.Seq + 1
		if len(want) > 0 || len(closing) > 0 {
			st.Seq = next
		}
		if err := openSpans(db, want, next); err != nil {
			return err
		}
		if err := closeSpans(db, closing, next, now); err != nil {
			return err
		}
		for start := 0; start < len(marks); start += 1000 {
			batch := marks[start:min(start+1000, len(marks))]
			if err := db.Exec("DELETE FROM indicator_prefix_dirty WHERE id IN ?", batch).Error; err != nil {
				return mapErr(err, "clear dirty indicators")
			}
		}
		if st.Floor, err = pruneSpans(db, now.Add(-retention), st.Floor); err != nil {
			return err
		}
		// When no span changed, the state stays as it was: another
		// reconciliation that read the same marks may still write its own
		// reading after this one, which is as good (the open spans it read
		// are the same, its content is as new as the marks).
		err = db.Exec("UPDATE indicator_prefix_state SET seq = ?, floor_seq = ? WHERE id = 0", st.Seq, st.Floor).Error
		return mapErr(err, "save prefix state")
	})
	if err != nil {
		return PrefixState{}, false, false, err
	}
	if !done {
		return before, false, false, nil
	}
	return st, more, true, nil
}

// dirtyIndicators returns the first n marked indicators, the marks that
// name them, and whether more indicators are marked.
func (s *Store) dirtyIndicators(ctx context.Context, n int) (marks, indicators []int64, more bool, err error) {
	rows, err := s.db.WithContext(ctx).Raw(`SELECT id, indicator_id FROM indicator_prefix_dirty
		WHERE indicator_id IN (SELECT DISTINCT indicator_id FROM indicator_prefix_dirty ORDER BY indicator_id LIMIT ?)`, n+1).Rows()
	if err != nil {
		return nil, nil, false, mapErr(err, "dirty indicators")
	}
	defer rows.Close()
	type mark struct{ id, indicator int64 }
	var all []mark
	for rows.Next() {
		var m mark
		if err := rows.Scan(&m.id, &m.indicator); err != nil {
			return nil, nil, false, mapErr(err, "dirty indicators")
		}
		all = append(all, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, mapErr(err, "dirty indicators")
	}
	sort.Slice(all, func(i, j int) bool { return all[i].indicator < all[j].indicator })
	for _, m := range all {
		if len(indicators) == 0 || indicators[len(indicators)-1] != m.indicator {
			if len(indicators) == n {
				more = true
				break
			}
			indicators = append(indicators, m.indicator)
		}
		marks = append(marks, m.id)
	}
	return marks, indicators, more, nil
}

// publicPrefixSpans returns the spans the public content calls for: one
// per public indicator and country on the route of public content that
// mentions it, with an empty country for content without a route.
func (s *Store) publicPrefixSpans(ctx context.Context, indicators []int64) (map[spanKey]bool, error) {
	want := map[spanKey]bool{}
	err := inBatches(indicators, func(batch []int64) error {
		rows, err := s.db.WithContext(ctx).Raw(publicPrefixEntries, batch, batch).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k spanKey
			if err := rows.Scan(&k.indicator, &k.kind, &k.prefix, &k.country); err != nil {
				return err
			}
			want[k] = true
		}
		return rows.Err()
	})
	return want, mapErr(err, "public prefixes")
}

// inBatches calls fn with ids 1,000 at a time.
func inBatches(ids []int64, fn func(batch []int64) error) error {
	for start := 0; start < len(ids); start += 1000 {
		if err := fn(ids[start:min(start+1000, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// openPrefixSpans returns the spans still open.
func (s *Store) openPrefixSpans(ctx context.Context, indicators []int64) ([]prefixSpan, error) {
	var out []prefixSpan
	err := inBatches(indicators, func(batch []int64) error {
		rows, err := s.db.WithContext(ctx).Raw("SELECT id, indicator_id, country, kind, prefix FROM indicator_prefix_spans WHERE removed_seq IS NULL AND indicator_id IN ?", batch).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sp prefixSpan
			if err := rows.Scan(&sp.ID, &sp.IndicatorID, &sp.Country, &sp.Kind, &sp.Prefix); err != nil {
				return err
			}
			out = append(out, sp)
		}
		return rows.Err()
	})
	return out, mapErr(err, "open prefix spans")
}

// openSpans inserts spans opened at seq, in a stable order.
func openSpans(db *gorm.DB, want map[spanKey]bool, seq int64) error {
	if len(want) == 0 {
		return nil
	}
	opening := make([]prefixSpan, 0, len(want))
	for k := range want {
		opening = append(opening, prefixSpan{IndicatorID: k.indicator, Country: k.country, Kind: k.kind, Prefix: k.prefix, AddedSeq: seq})
	}
	sort.Slice(opening, func(i, j int) bool {
		a, b := opening[i], opening[j]
		if a.Prefix != b.Prefix {
			return a.Prefix < b.Prefix
		}
		if a.IndicatorID != b.IndicatorID {
			return a.IndicatorID < b.IndicatorID
		}
		return a.Country < b.Country
	})
	return mapErr(db.Omit("id").CreateInBatches(opening, 500).Error, "open prefix spans")
}

// closeSpans closes the spans of ids at seq.
func closeSpans(db *gorm.DB, ids []int64, seq int64, at time.Time) error {
	for start := 0; start < len(ids); start += 1000 {
		batch := ids[start:min(start+1000, len(ids))]
		err := db.Model(&prefixSpan{}).Where("id IN ?", batch).Updates(map[string]any{"removed_seq": seq, "removed_at": at.Unix()}).Error
		if err != nil {
			return mapErr(err, "close prefix spans")
		}
	}
	return nil
}

// pruneQuery finds the latest sequence at which a span closed before a
// cutoff. The unary plus keeps both planners from reading MAX off the
// index of removed_seq backwards, through every open span (whose NULLs
// that index holds), when no span is that old; they read the partial
// index of closed spans by removed_at instead (00025).
const pruneQuery = "SELECT MAX(+removed_seq) AS seq FROM indicator_prefix_spans WHERE removed_at < ?"

// pruneSpans drops the spans closed before cutoff and returns the new
// floor: the latest sequence at which a dropped span closed. Every span
// closed at or before it goes, so that none is left half: a difference
// from the floor on needs only spans closed after it.
func pruneSpans(db *gorm.DB, cutoff time.Time, floor int64) (int64, error) {
	var oldest struct{ Seq *int64 }
	if err := db.Raw(pruneQuery, cutoff.Unix()).Scan(&oldest).Error; err != nil {
		return floor, mapErr(err, "old prefix spans")
	}
	if oldest.Seq == nil {
		return floor, nil
	}
	if err := db.Where("removed_seq <= ?", *oldest.Seq).Delete(&prefixSpan{}).Error; err != nil {
		return floor, mapErr(err, "drop old prefix spans")
	}
	return max(floor, *oldest.Seq), nil
}

// prefixSet narrows spans to one set: a country's, or every country's
// when country is empty; one kind's, or every kind's when kind is empty.
func prefixSet(db *gorm.DB, country, kind string) *gorm.DB {
	if country != "" {
		db = db.Where("country = ?", country)
	}
	if kind != "" {
		db = db.Where("kind = ?", kind)
	}
	return db
}

// PrefixSet returns the prefixes of a set (see prefixSet) at sequence at,
// distinct and sorted: reading it by sequence, not as it is now, keeps an
// answer whole while another instance reconciles.
func (s *Store) PrefixSet(ctx context.Context, country, kind string, at int64) ([]string, error) {
	var out []string
	err := prefixSet(s.db.WithContext(ctx).Model(&prefixSpan{}), country, kind).
		Where("added_seq <= ? AND (removed_seq IS NULL OR removed_seq > ?)", at, at).
		Distinct("prefix").Order("prefix").Pluck("prefix", &out).Error
	return out, mapErr(err, "prefix set")
}

// PrefixSpansSince returns every span of a set whose prefix gained or
// lost a span after sequence since and up to at, with all the other spans
// of those prefixes: enough to tell, for each prefix, whether it was in
// the set at since and whether it is at at.
func (s *Store) PrefixSpansSince(ctx context.Context, country, kind string, since, at int64) ([]PrefixSpan, error) {
	db := s.db.WithContext(ctx)
	changed := prefixSet(db.Model(&prefixSpan{}), country, kind).
		Where("((added_seq > ? AND added_seq <= ?) OR (removed_seq > ? AND removed_seq <= ?))", since, at, since, at).Select("prefix")
	var out []PrefixSpan
	err := prefixSet(db.Model(&prefixSpan{}), country, kind).
		Where("prefix IN (?)", changed).Select("prefix, added_seq, removed_seq").Order("prefix").Scan(&out).Error
	return out, mapErr(err, "prefix spans from %d to %d", since, at)
}
