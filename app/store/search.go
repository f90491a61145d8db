package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"forewarn/app/model"
	"forewarn/app/search"
)

// The search index (migration 00021): triggers on the content tables mark
// an item dirty in search_dirty, and a GORM callback, run after every
// statement that writes one of those tables, indexes the dirty items in the
// same transaction (GORM wraps each create, update and delete in one; a
// bare Exec outside a transaction gets one of its own for the indexing).
// So every writer that goes through GORM leaves the index up to date at
// its commit; an operator's SQL leaves the items dirty, indexed by the
// next write or by `forewarn search reindex`, and the search reads only
// items that are public at that moment in any case.

// searchTables are the tables whose writes can make an item dirty.
var searchTables = []string{"warnings", "warning_translations", "warning_countries", "organisations", "reports", "report_countries", "replies"}

type flushingKey struct{}

// heldTxs are the transactions of Store.Tx (by their connection), whose
// statements are indexed once at the end of fn rather than one by one.
var heldTxs sync.Map

// holdIndexing marks tx's statements as indexed at the end, and reports
// whether it is the outermost Store.Tx on that transaction.
func holdIndexing(tx *gorm.DB) bool {
	_, loaded := heldTxs.LoadOrStore(tx.Statement.ConnPool, true)
	return !loaded
}

func releaseIndexing(tx *gorm.DB) { heldTxs.Delete(tx.Statement.ConnPool) }

// indexAtEnd indexes what the statements of a Store.Tx left dirty.
func indexAtEnd(tx *gorm.DB) error {
	ctx := context.WithValue(tx.Statement.Context, flushingKey{}, true)
	s := tx.Session(&gorm.Session{NewDB: true, Context: ctx})
	if _, err := flushSearch(s); err != nil {
		return mapErr(err, "search index")
	}
	return nil
}

// handToBacklog leaves what the statements of a BulkTx left dirty (and
// whatever else waits to be indexed, such as an operator's SQL leaves) to
// the backlog (backlog = 1) instead of indexing it: IndexSearchBacklog and
// `serve` index it later.
func handToBacklog(tx *gorm.DB) error {
	ctx := context.WithValue(tx.Statement.Context, flushingKey{}, true)
	s := tx.Session(&gorm.Session{NewDB: true, Context: ctx})
	return mapErr(s.Exec("UPDATE search_dirty SET backlog = 1 WHERE backlog = 0").Error, "search backlog")
}

// registerSearchIndexing adds the indexing callback to db once.
func registerSearchIndexing(db *gorm.DB) {
	cb := db.Callback()
	if cb.Create().Get("forewarn:search") != nil {
		return
	}
	_ = cb.Create().Before("gorm:commit_or_rollback_transaction").Register("forewarn:search", indexAfterWrite)
	_ = cb.Update().Before("gorm:commit_or_rollback_transaction").Register("forewarn:search", indexAfterWrite)
	_ = cb.Delete().Before("gorm:commit_or_rollback_transaction").Register("forewarn:search", indexAfterWrite)
	_ = cb.Raw().After("gorm:raw").Register("forewarn:search", indexAfterWrite)
	_ = cb.Query().After("gorm:query").Register("forewarn:search", indexAfterWrite)
	_ = cb.Row().After("gorm:row").Register("forewarn:search", indexAfterWrite)
}

// touchesContent reports whether the statement may have written a content
// table.
func touchesContent(db *gorm.DB) bool {
	st := db.Statement
	if st.Table != "" && st.SQL.Len() == 0 {
		for _, t := range searchTables {
			if st.Table == t {
				return true
			}
		}
		return false
	}
	sql := strings.TrimSpace(st.SQL.String())
	if len(sql) < 6 || strings.EqualFold(sql[:6], "SELECT") {
		return false
	}
	lower := strings.ToLower(sql)
	if strings.HasPrefix(lower, "with") && !strings.Contains(lower, "insert") && !strings.Contains(lower, "update") && !strings.Contains(lower, "delete") {
		return false
	}
	for _, t := range searchTables {
		if strings.Contains(lower, t) {
			return true
		}
	}
	return false
}

func indexAfterWrite(db *gorm.DB) {
	if db.Error != nil || db.Statement.Context == nil || db.Statement.Context.Value(flushingKey{}) != nil {
		return
	}
	if _, held := heldTxs.Load(db.Statement.ConnPool); held {
		return
	}
	if !touchesContent(db) {
		return
	}
	ctx := context.WithValue(db.Statement.Context, flushingKey{}, true)
	tx := db.Session(&gorm.Session{NewDB: true, Context: ctx})
	tx.Statement.ConnPool = db.Statement.ConnPool
	var err error
	if _, inTx := db.Statement.ConnPool.(gorm.TxCommitter); inTx {
		_, err = flushSearch(tx)
	} else {
		err = tx.Transaction(func(t *gorm.DB) error { _, err := flushSearch(t); return err })
	}
	if err != nil {
		_ = db.AddError(fmt.Errorf("search index: %w", err))
	}
}

type dirtyItem struct {
	Kind   string
	ItemID int64
}

// flushBatch is how many dirty items are read at a time.
const flushBatch = 500

// flushSearch indexes the dirty items that writes left (not the backlog:
// IndexSearchBacklog), all of them, and returns how many it indexed.
func flushSearch(tx *gorm.DB) (int, error) {
	done := 0
	for round := 0; ; round++ {
		var dirty []dirtyItem
		// On PostgreSQL, rows that another transaction is indexing (left
		// by an operator's SQL) are skipped, not indexed twice.
		q := "SELECT kind, item_id FROM search_dirty WHERE backlog = 0 ORDER BY kind, item_id LIMIT ?"
		if tx.Dialector.Name() == "postgres" {
			q += " FOR UPDATE SKIP LOCKED"
		}
		if err := tx.Raw(q, flushBatch).Scan(&dirty).Error; err != nil {
			return done, err
		}
		if len(dirty) == 0 {
			return done, nil
		}
		if round > 100000 {
			return done, errors.New("search index: dirty items do not run out")
		}
		// The rows come ordered by kind: index each kind's run at once.
		for start := 0; start < len(dirty); {
			end := start
			var ids []int64
			for end < len(dirty) && dirty[end].Kind == dirty[start].Kind {
				ids = append(ids, dirty[end].ItemID)
				end++
			}
			kind := dirty[start].Kind
			if err := indexItems(tx, kind, ids); err != nil {
				return done, fmt.Errorf("%s %d–%d: %w", kind, ids[0], ids[len(ids)-1], err)
			}
			if err := tx.Exec("DELETE FROM search_dirty WHERE kind = ? AND item_id IN ?", kind, ids).Error; err != nil {
				return done, err
			}
			done += len(ids)
			start = end
		}
	}
}

// searchDoc is one document as indexed: the row of search_docs (its
// title and organisation, normalised), the words only the word index
// keeps (its names beyond the title's words, its body), and the words it
// adds to the vocabulary.
type searchDoc struct {
	Kind        string
	ItemID      int64
	Lang        string
	ReportID    *int64
	PublishedAt *time.Time
	Title       []string
	Org         []string
	Names       []string
	Body        []string
	Terms       []string
}

// newSearchDoc returns the document of a title, an organisation's name, a
// body and a route.
func newSearchDoc(itemID int64, lang string, published *time.Time, title, org, text string, route []string) searchDoc {
	t, o := search.IndexTokens(title), search.IndexTokens(org)
	tt, ot := search.Tokens(title), search.Tokens(org)
	extra := append(append(search.Joined(tt), o...), search.Joined(ot)...)
	body := search.IndexTokens(text + "\n" + org + "\n" + routeNames(route, lang))
	terms := append(append(append(append(slices.Clone(t), joinedWords(tt)...), o...), joinedWords(ot)...), body...)
	return searchDoc{
		ItemID: itemID, Lang: lang, PublishedAt: published,
		Title: t, Org: o, Names: extra, Body: body, Terms: terms,
	}
}

// joinedWords returns the neighbours written together (search.Joined) that
// the vocabulary keeps: not those with a number on either side
// ("story123456"), which the index holds and finds as typed, but which no
// one types as a prefix or misspells, and which would fill the vocabulary
// with one word per numbered title.
func joinedWords(tokens []string) []string {
	var out []string
	for i := 0; i+1 < len(tokens); i++ {
		if search.IsNumber(tokens[i]) || search.IsNumber(tokens[i+1]) {
			continue
		}
		out = append(out, search.Joined(tokens[i:i+2])...)
	}
	return out
}

// indexItems rewrites the documents of items of one kind: none for those
// that are gone or not public. Their words join the vocabulary that
// prefixes are expanded with and typos corrected against. A few
// statements serve the whole batch.
func indexItems(tx *gorm.DB, kind string, ids []int64) error {
	docs, err := replaceDocs(tx, kind, ids)
	if err != nil || len(docs) == 0 {
		return err
	}
	return insertDocs(tx, docs)
}

// replaceDocs drops the documents of items of one kind and returns their
// new ones, for insertDocs.
func replaceDocs(tx *gorm.DB, kind string, ids []int64) ([]searchDoc, error) {
	if err := tx.Exec("DELETE FROM search_docs WHERE kind = ? AND item_id IN ?", kind, ids).Error; err != nil {
		return nil, err
	}
	docs, err := itemDocs(tx, kind, ids)
	for i := range docs {
		docs[i].Kind = kind
	}
	return docs, err
}

// insertDocs writes documents in their order (the order of their rowids,
// which searches read newest first) and adds their words to the
// vocabulary.
func insertDocs(tx *gorm.DB, docs []searchDoc) error {
	pg := tx.Dialector.Name() == "postgres"
	var terms []string
	for start := 0; start < len(docs); start += insertBatch {
		batch := docs[start:min(start+insertBatch, len(docs))]
		values := make([]string, len(batch))
		var args []any
		var ids []int64
		if pg {
			// PostgreSQL: the ids are taken first, in order, because a
			// document's tsvector holds its id's window (searchWindow).
			if err := tx.Raw("SELECT nextval(pg_get_serial_sequence('search_docs', 'id')) AS id FROM generate_series(1, ?) ORDER BY 1", len(batch)).Scan(&ids).Error; err != nil {
				return fmt.Errorf("take search document ids: %w", err)
			}
			if len(ids) != len(batch) {
				return fmt.Errorf("take search document ids: %d for %d documents", len(ids), len(batch))
			}
		}
		for i, doc := range batch {
			if pg {
				values[i] = "(?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))"
				args = append(args, ids[i])
			} else {
				values[i] = "(?, ?, ?, ?, ?, ?, ?)"
			}
			args = append(args, doc.Kind, doc.ItemID, doc.Lang, doc.ReportID, doc.PublishedAt, strings.Join(doc.Title, " "), strings.Join(doc.Org, " "))
			if pg {
				args = append(args, tsvectorOf(doc, ids[i]))
			}
			terms = append(terms, doc.Terms...)
		}
		if pg {
			if err := tx.Exec("INSERT INTO search_docs (id, kind, item_id, lang, report_id, published_at, title, org, tsv) VALUES "+strings.Join(values, ", "), args...).Error; err != nil {
				return err
			}
			continue
		}
		// SQLite: the word index is written with the rowids the documents
		// got, matched back by kind, item and language.
		var rows []struct {
			ID     int64
			Kind   string
			ItemID int64
			Lang   string
		}
		if err := tx.Raw("INSERT INTO search_docs (kind, item_id, lang, report_id, published_at, title, org) VALUES "+strings.Join(values, ", ")+" RETURNING id, kind, item_id, lang", args...).Scan(&rows).Error; err != nil {
			return err
		}
		rowid := make(map[string]int64, len(rows))
		for _, r := range rows {
			rowid[r.Kind+":"+strconv.FormatInt(r.ItemID, 10)+":"+r.Lang] = r.ID
		}
		args = args[:0]
		for i, doc := range batch {
			values[i] = "(?, ?, ?, ?)"
			args = append(args, rowid[doc.Kind+":"+strconv.FormatInt(doc.ItemID, 10)+":"+doc.Lang], strings.Join(doc.Title, " "), strings.Join(doc.Names, " "), strings.Join(doc.Body, " "))
		}
		if err := tx.Exec("INSERT INTO search_fts (rowid, title, names, body) VALUES "+strings.Join(values, ", "), args...).Error; err != nil {
			return err
		}
	}
	return addTerms(tx, terms)
}

// insertBatch is how many documents one INSERT writes, well under either
// engine's limit of bound parameters.
const insertBatch = 500

// addTerms adds words to the vocabulary, which prefixes are expanded with
// and typos corrected against: words of two runes or more that are not
// only digits (numbers are matched as typed).
func addTerms(tx *gorm.DB, words []string) error {
	seen := map[string]bool{}
	var values []string
	var args []any
	for _, w := range words {
		if seen[w] || utf8.RuneCountInString(w) < 2 || search.IsNumber(w) {
			continue
		}
		seen[w] = true
		values = append(values, "(?)")
		args = append(args, w)
	}
	for start := 0; start < len(values); start += insertBatch * 4 {
		end := min(start+insertBatch*4, len(values))
		if err := tx.Exec("INSERT INTO search_terms (term) VALUES "+strings.Join(values[start:end], ", ")+" ON CONFLICT (term) DO NOTHING", args[start:end]...).Error; err != nil {
			return err
		}
	}
	return nil
}

// On PostgreSQL a document's tsvector holds its words without positions
// (migration 00032), and two kinds of marked lexemes that no token can be,
// tokens being letters and digits only:
//
//   - titleMark before each word of its title, so that a title-only query
//     asks for '~word' (positions carried weights for this, and took a
//     third of the index);
//   - windowMark before the number of its id's window of searchWindow
//     documents ('#67'), so that a search can ask GIN for the matches of
//     the newest windows first (searchWindows) instead of fetching every
//     match of a common word from the table to find the newest.
//
// Migration 00032 also wrote a block lexeme ('$2', 32 windows), which no
// search reads any more; a document indexed since has none, and `forewarn
// search reindex` drops the others.
const (
	titleMark  = "~"
	windowMark = "#"
)

// searchWindow is how many consecutive document ids share a window
// lexeme: few enough that the two newest windows hold a few hundred
// matches of a word that one document in ten holds. Migration 00032
// computes the same windows in SQL.
const searchWindow = 1024

// windowOf returns the window lexeme of a document id.
func windowOf(id int64) string { return windowMark + strconv.FormatInt(id/searchWindow, 10) }

// tsvectorOf writes the document's tokens, its title's words marked, and
// its window as a tsvector literal without positions; the tokens are
// letters and digits only, so they need no escaping.
func tsvectorOf(doc searchDoc, id int64) string {
	var b strings.Builder
	add := func(toks []string, mark string) {
		for _, t := range toks {
			b.WriteString("'")
			b.WriteString(mark)
			b.WriteString(t)
			b.WriteString("' ")
		}
	}
	add(doc.Title, "")
	add(doc.Names, "")
	add(doc.Body, "")
	add(doc.Title, titleMark)
	b.WriteString("'" + windowOf(id) + "'")
	return b.String()
}

// routeNames names the countries of a route in the text's language and in
// English.
func routeNames(codes []string, lang string) string {
	var out []string
	for _, c := range codes {
		out = append(out, search.CountryNames(c, lang, "en")...)
	}
	return strings.Join(out, " ")
}

// itemDocs returns the documents of the public items among ids, of one
// kind: a warning's in each of its languages, a report's, a reply's.
func itemDocs(tx *gorm.DB, kind string, ids []int64) ([]searchDoc, error) {
	type routeRow struct {
		ID      int64
		Country string
	}
	routes := func(table, column string) (map[int64][]string, error) {
		var rows []routeRow
		if err := tx.Raw("SELECT DISTINCT "+column+" AS id, country FROM "+table+" WHERE "+column+" IN ? ORDER BY "+column+", country", ids).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := map[int64][]string{}
		for _, r := range rows {
			out[r.ID] = append(out[r.ID], r.Country)
		}
		return out, nil
	}
	var docs []searchDoc
	switch kind {
	case "warning":
		var ws []model.Warning
		if err := tx.Raw("SELECT * FROM warnings WHERE id IN ? AND "+listedWarnings, ids).Scan(&ws).Error; err != nil || len(ws) == 0 {
			return nil, err
		}
		listed := make(map[int64]model.Warning, len(ws))
		var orgIDs []int64
		for _, w := range ws {
			listed[w.ID] = w
			if w.OrganisationID != nil {
				orgIDs = append(orgIDs, *w.OrganisationID)
			}
		}
		orgs := map[int64]string{}
		if len(orgIDs) > 0 {
			var rows []model.Organisation
			if err := tx.Raw("SELECT * FROM organisations WHERE id IN ?", orgIDs).Scan(&rows).Error; err != nil {
				return nil, err
			}
			for _, o := range rows {
				orgs[o.ID] = o.Name
			}
		}
		route, err := routes("warning_countries", "warning_id")
		if err != nil {
			return nil, err
		}
		var ts []model.WarningTranslation
		if err := tx.Raw("SELECT * FROM warning_translations WHERE warning_id IN ? ORDER BY warning_id, lang", ids).Scan(&ts).Error; err != nil {
			return nil, err
		}
		for _, t := range ts {
			w, ok := listed[t.WarningID]
			if !ok {
				continue
			}
			org := ""
			if w.OrganisationID != nil {
				org = orgs[*w.OrganisationID]
			}
			docs = append(docs, newSearchDoc(w.ID, t.Lang, w.PublishedAt, t.Title, org, t.Summary+"\n"+t.WhatToDo+"\n"+t.Body, route[w.ID]))
		}
	case "report":
		var rs []model.Report
		if err := tx.Raw("SELECT * FROM reports WHERE id IN ? AND "+publicPosts, ids).Scan(&rs).Error; err != nil || len(rs) == 0 {
			return nil, err
		}
		route, err := routes("report_countries", "report_id")
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			docs = append(docs, newSearchDoc(r.ID, r.Lang, r.PublishedAt, r.Title, "", r.Body, route[r.ID]))
		}
	case "reply":
		var ps []struct {
			model.Reply
			Lang string
		}
		if err := tx.Raw("SELECT p.*, r.lang FROM replies p JOIN reports r ON r.id = p.report_id WHERE p.id IN ? AND p."+publicPosts, ids).Scan(&ps).Error; err != nil {
			return nil, err
		}
		for _, p := range ps {
			rid := p.ReportID
			body := search.IndexTokens(p.Body)
			docs = append(docs, searchDoc{ItemID: p.ID, Lang: p.Lang, ReportID: &rid, PublishedAt: p.PublishedAt, Body: body, Terms: body})
		}
	}
	return docs, nil
}

// ReindexSearch puts every item, and every item that has a document, in
// the backlog, then indexes the backlog, and returns how many items it
// indexed. The index keeps serving meanwhile: each item is replaced in
// its own batch's transaction.
func (s *Store) ReindexSearch(ctx context.Context) (int, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		if err := queueReindex(tx.db); err != nil {
			return err
		}
		return setSearchVersion(tx.db)
	})
	if err != nil {
		return 0, err
	}
	n, err := s.IndexSearchBacklog(ctx)
	if err != nil {
		return n, err
	}
	// The documents replaced leave their deletions in SQLite's word index
	// until its segments merge, and dead rows in PostgreSQL's table: after
	// a rebuild, every search would read past them.
	return n, s.CompactSearch(ctx)
}

// CompactSearch brings the index to the state a rebuild leaves, for reads
// as fast: after many documents were written (a large backlog, a
// rebuild), so that searches do not pay for the way they were written.
//
// On SQLite it merges the segments of the word index into one. FTS5
// writes each transaction's words as a segment of its own and merges
// them only now and then, and a search looks each word up in every
// segment: at 1.2 million documents in 16 segments, that look-up took
// 11 % of a search request, and a single segment served 16 % more
// searches per second. The merge goes in steps of compactStep pages,
// each in its own transaction, so that other writers wait for one step
// only (the whole merge takes about 10 s at that size).
//
// On PostgreSQL it vacuums and analyses the documents: the words that
// wait in GIN's pending list join the index, dead rows are freed, and
// the planner gets the words' frequencies (the plans of a search depend
// on them; without them a search read every document); and it vacuums
// the emptied backlog.
func (s *Store) CompactSearch(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if s.db.Dialector.Name() == "postgres" {
		// search_dirty too: the emptied queue's dead rows would be read by
		// every search that asks whether items wait (withoutUnknown).
		for _, q := range []string{"VACUUM (ANALYZE) search_docs", "ANALYZE search_terms", "VACUUM search_dirty"} {
			if err := db.Exec(q).Error; err != nil {
				return mapErr(err, "search compact")
			}
		}
		return nil
	}
	// A step merges about compactStep pages; the bound of steps only
	// guards against a merge that would not end.
	var pages int64
	if err := db.Raw("SELECT COUNT(*) FROM search_fts_data").Scan(&pages).Error; err != nil {
		return mapErr(err, "search compact")
	}
	for step := int64(0); step <= 2*pages/compactStep+8; step++ {
		var segments int64
		if err := db.Raw("SELECT COUNT(DISTINCT segid) FROM search_fts_idx").Scan(&segments).Error; err != nil {
			return mapErr(err, "search compact")
		}
		if segments <= 1 {
			break
		}
		// A negative page count merges every segment, whatever its level,
		// as 'optimize' does, a step at a time.
		err := s.Tx(ctx, func(tx *Store) error {
			return tx.db.Exec("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?)", -compactStep).Error
		})
		if err != nil {
			return mapErr(err, "search compact")
		}
	}
	// The vocabulary's trigram index is small: at once.
	return mapErr(s.Tx(ctx, func(tx *Store) error {
		return tx.db.Exec("INSERT INTO search_terms_grams (search_terms_grams) VALUES ('optimize')").Error
	}), "search compact")
}

// compactStep is how many pages of SQLite's word index one step of
// CompactSearch merges: about a quarter of a second of writing.
const compactStep = 2000

// queueReindex puts every item, and every item that has a document, in
// the backlog.
func queueReindex(db *gorm.DB) error {
	for _, q := range []string{
		"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
		"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'report', id, 1 FROM reports WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
		"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'reply', id, 1 FROM replies WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
		// Documents of items that are gone go too.
		"INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
	} {
		if err := db.Exec(q).Error; err != nil {
			return mapErr(err, "search reindex")
		}
	}
	return nil
}

// searchVersionKey is the setting that holds the normaliser version
// (search.Version) whose tokens the index holds; none means the first.
const searchVersionKey = "search_normaliser"

func setSearchVersion(db *gorm.DB) error {
	row := model.Setting{Key: searchVersionKey, Value: search.Version}
	err := db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoUpdates: clause.AssignmentColumns([]string{"value"})}).Create(&row).Error
	return mapErr(err, "search version")
}

// EnsureSearchVersion compares the normaliser version the index was built
// with to search.Version and, when they differ, puts every item in the
// backlog and records the new version, in one transaction; it reports
// whether it did. An index without a version or a document records the
// version only. The backlog is then indexed in the background (`serve`)
// or by `forewarn search reindex`; until an item is indexed again, its
// old tokens still answer the queries they answered before.
func (s *Store) EnsureSearchVersion(ctx context.Context) (bool, error) {
	queued := false
	err := s.Tx(ctx, func(tx *Store) error {
		var rows []model.Setting
		if err := tx.db.Where("key = ?", searchVersionKey).Find(&rows).Error; err != nil {
			return mapErr(err, "search version")
		}
		if len(rows) == 1 && rows[0].Value == search.Version {
			return nil
		}
		if len(rows) == 0 {
			// No version, and no document yet: nothing was indexed by
			// another normaliser (a new database, whose items wait in the
			// backlog since the index was created), so none is queued.
			var docs int64
			if err := tx.db.Raw("SELECT COUNT(*) FROM (SELECT 1 FROM search_docs LIMIT 1) AS any_doc").Scan(&docs).Error; err != nil {
				return mapErr(err, "search version")
			}
			if docs == 0 {
				return setSearchVersion(tx.db)
			}
		}
		if err := queueReindex(tx.db); err != nil {
			return err
		}
		queued = true
		return setSearchVersion(tx.db)
	})
	return queued, err
}

// IndexSearchBacklog indexes the backlog in batches of their own
// transactions until it is empty or ctx ends, and returns how many items
// it indexed. The items are indexed in the order of their publication,
// whatever their kind, so that the documents' order (which both engines
// read newest first) follows publication after a reindex too.
func (s *Store) IndexSearchBacklog(ctx context.Context) (int, error) {
	total := 0
	for {
		keys, err := s.backlogInOrder(ctx, backlogChunk)
		if err != nil {
			return total, mapErr(err, "search backlog")
		}
		if len(keys) == 0 {
			return total, nil
		}
		before := total
		for start := 0; start < len(keys); start += flushBatch {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			batch := keys[start:min(start+flushBatch, len(keys))]
			var n int
			err := s.Tx(ctx, func(tx *Store) error {
				var err error
				n, err = indexBacklogBatch(tx.db.Session(&gorm.Session{NewDB: true, Context: context.WithValue(ctx, flushingKey{}, true)}), batch)
				return err
			})
			total += n
			if err != nil {
				return total, mapErr(err, "search backlog")
			}
		}
		if total == before {
			// Another process holds them all (PostgreSQL skips the rows
			// another transaction is indexing): it indexes them.
			return total, nil
		}
	}
}

// backlogChunk is how many items of the backlog are put in order at a
// time.
const backlogChunk = 100000

// backlogInOrder returns up to n items of the backlog, those published
// first first (an item that is gone, or never published, by its kind and
// id).
func (s *Store) backlogInOrder(ctx context.Context, n int) ([]dirtyItem, error) {
	var keys []dirtyItem
	err := s.db.WithContext(ctx).Raw(`SELECT x.kind, x.item_id FROM search_dirty x
		LEFT JOIN warnings w ON x.kind = 'warning' AND w.id = x.item_id
		LEFT JOIN reports r ON x.kind = 'report' AND r.id = x.item_id
		LEFT JOIN replies p ON x.kind = 'reply' AND p.id = x.item_id
		WHERE x.backlog = 1
		ORDER BY COALESCE(w.published_at, r.published_at, p.published_at, w.created_at, r.created_at, p.created_at), x.kind, x.item_id
		LIMIT ?`, n).Scan(&keys).Error
	return keys, err
}

// indexBacklogBatch indexes the items of the batch that are still in the
// backlog (another process may have indexed some meanwhile; on PostgreSQL,
// those another transaction is indexing are skipped), each kind at once,
// and returns how many it indexed.
func indexBacklogBatch(tx *gorm.DB, batch []dirtyItem) (int, error) {
	byKind := map[string][]int64{}
	var kinds []string
	for _, k := range batch {
		if _, ok := byKind[k.Kind]; !ok {
			kinds = append(kinds, k.Kind)
		}
		byKind[k.Kind] = append(byKind[k.Kind], k.ItemID)
	}
	// The documents of the batch are written together, in the batch's
	// order: the order of publication.
	at := make(map[dirtyItem]int, len(batch))
	for i, k := range batch {
		at[k] = i
	}
	var docs []searchDoc
	done := 0
	for _, kind := range kinds {
		q := "SELECT item_id FROM search_dirty WHERE backlog = 1 AND kind = ? AND item_id IN ? ORDER BY item_id"
		if tx.Dialector.Name() == "postgres" {
			q += " FOR UPDATE SKIP LOCKED"
		}
		var ids []int64
		if err := tx.Raw(q, kind, byKind[kind]).Scan(&ids).Error; err != nil {
			return done, err
		}
		if len(ids) == 0 {
			continue
		}
		kindDocs, err := replaceDocs(tx, kind, ids)
		if err != nil {
			return done, fmt.Errorf("%s %d–%d: %w", kind, ids[0], ids[len(ids)-1], err)
		}
		docs = append(docs, kindDocs...)
		if err := tx.Exec("DELETE FROM search_dirty WHERE kind = ? AND item_id IN ?", kind, ids).Error; err != nil {
			return done, err
		}
		done += len(ids)
	}
	slices.SortStableFunc(docs, func(a, b searchDoc) int {
		return at[dirtyItem{a.Kind, a.ItemID}] - at[dirtyItem{b.Kind, b.ItemID}]
	})
	if len(docs) > 0 {
		if err := insertDocs(tx, docs); err != nil {
			return done, err
		}
	}
	return done, nil
}

// SearchFilter narrows a search. Zero fields do not filter.
type SearchFilter struct {
	// Kinds are the document kinds searched: warning, report, reply.
	Kinds      []string
	Country    string
	CategoryID int64
	Lang       string
}

// SearchHit is a document that matched.
type SearchHit struct {
	ID          int64
	Kind        string
	ItemID      int64
	Lang        string
	ReportID    *int64
	PublishedAt *time.Time
	Title       string
	Org         string
	Rank        float64
}

// NameWords returns the name words of the document: its title's and its
// organisation's, and their neighbours written together. Ranking asks for
// them only when the title alone does not answer the query.
func (h SearchHit) NameWords() []string {
	var out []string
	for _, p := range []string{h.Title, h.Org} {
		toks := strings.Fields(p)
		out = append(out, toks...)
		out = append(out, search.Joined(toks)...)
	}
	return out
}

// searchWhere returns the joins and the condition that keep, of the
// documents d, those whose item is public at this moment and that the
// filter lets through. The item is joined by its key (w, r, p), one
// index probe per document read, so that an engine walking its index in
// document order stops at the limit. The key is NULL for the tables that
// are not the document's kind, so that neither engine probes them:
// written as "d.kind = 'warning' AND w.id = d.item_id", both probed all
// three for every document, and SQLite read 20,000 documents in 142-195
// ms instead of 96.
func searchWhere(f SearchFilter) (string, string, []any) {
	var joins, parts []string
	var args []any
	needReports := false
	for _, k := range f.Kinds {
		var c string
		switch k {
		case "warning":
			joins = append(joins, "LEFT JOIN warnings w ON w.id = CASE WHEN d.kind = 'warning' THEN d.item_id END")
			c = "d.kind = 'warning' AND w.status IN ('published', 'expired')"
			if f.CategoryID != 0 {
				c += " AND w.category_id = ?"
				args = append(args, f.CategoryID)
			}
			if f.Country != "" {
				c += " AND EXISTS (SELECT 1 FROM warning_countries wc WHERE wc.warning_id = d.item_id AND wc.country = ?)"
				args = append(args, f.Country)
			}
		case "report":
			needReports = true
			c = "d.kind = 'report' AND r.status IN ('published', 'locked')"
			if f.CategoryID != 0 {
				c += " AND r.category_id = ?"
				args = append(args, f.CategoryID)
			}
			if f.Country != "" {
				c += " AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = d.item_id AND rc.country = ?)"
				args = append(args, f.Country)
			}
		case "reply":
			needReports = true
			joins = append(joins, "LEFT JOIN replies p ON p.id = CASE WHEN d.kind = 'reply' THEN d.item_id END")
			c = "d.kind = 'reply' AND p.status IN ('published', 'locked') AND r.status IN ('published', 'locked')"
			if f.CategoryID != 0 {
				c += " AND r.category_id = ?"
				args = append(args, f.CategoryID)
			}
			if f.Country != "" {
				c += " AND EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = d.report_id AND rc.country = ?)"
				args = append(args, f.Country)
			}
		default:
			continue
		}
		parts = append(parts, "("+c+")")
	}
	if needReports {
		// A report is its own thread; a reply's thread is report_id.
		joins = append(joins, "LEFT JOIN reports r ON r.id = CASE WHEN d.kind IN ('report', 'reply') THEN COALESCE(d.report_id, d.item_id) END")
	}
	if len(parts) == 0 {
		return "", "1 = 0", nil
	}
	w := "(" + strings.Join(parts, " OR ") + ")"
	if f.Lang != "" {
		w += " AND d.lang = ?"
		args = append(args, f.Lang)
	}
	return " " + strings.Join(joins, " ") + " ", w, args
}

// SearchText returns up to limit documents that match one of the
// alternatives, each a list of tokens that must all appear (as words, or
// as prefixes of words when prefix says so), in their title only when
// titleOnly says so, the most recently indexed first; when before is not
// 0, only documents older than the document before (a SearchHit's ID), so
// that a caller who wants more reads on where it stopped. Both engines walk
// their index in document order and stop at limit: no score is computed
// for every match of a common word; the caller ranks the candidates.
func (s *Store) SearchText(ctx context.Context, alts [][]string, prefix []bool, titleOnly bool, f SearchFilter, before int64, limit int) ([]SearchHit, error) {
	if len(alts) == 0 {
		return nil, nil
	}
	words, unknown, err := s.expandPrefixes(ctx, alts, prefix)
	if err != nil {
		return nil, err
	}
	if alts, err = s.withoutUnknown(ctx, alts, unknown); err != nil || len(alts) == 0 {
		return nil, err
	}
	joins, where, args := searchWhere(f)
	var rows []SearchHit
	if s.db.Dialector.Name() == "postgres" {
		rows, err = s.searchWindows(ctx, tsquery(alts, words, titleOnly), joins, where, args, before, limit)
	} else {
		q := ftsMatch(alts, words)
		if titleOnly {
			q = "title : (" + q + ")"
		}
		rows, err = scanHits(s.db.WithContext(ctx).Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.org
			FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid`+joins+`
			WHERE search_fts MATCH ? AND search_fts.rowid < ? AND `+where+` ORDER BY search_fts.rowid DESC LIMIT ?`,
			append(append([]any{q, olderThan(before)}, args...), limit)...), limit)
	}
	return rows, mapErr(err, "search")
}

// olderThan is the bound of document ids that SearchText's before says:
// every id is below it when before is 0.
func olderThan(before int64) int64 {
	if before <= 0 {
		return math.MaxInt64
	}
	return before
}

// scanHits reads the hits a search query returns, column by column: a
// page of search reads hundreds of them, and GORM's reflection per row
// showed in its profile.
func scanHits(q *gorm.DB, limit int) ([]SearchHit, error) {
	rows, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]SearchHit, 0, min(limit, 256))
	for rows.Next() {
		var h SearchHit
		var report sql.NullInt64
		var published sql.NullTime
		if err := rows.Scan(&h.ID, &h.Kind, &h.ItemID, &h.Lang, &report, &published, &h.Title, &h.Org); err != nil {
			return nil, err
		}
		if report.Valid {
			h.ReportID = &report.Int64
		}
		if published.Valid {
			t := published.Time
			h.PublishedAt = &t
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// maxExpansion is how many words of the vocabulary a prefix is replaced
// with; a prefix that more words share is left to the engine.
const maxExpansion = 32

// expandPrefixes returns, for each token that is to match as a prefix, the
// words of the vocabulary it begins (itself among them when it is a
// word); only itself when it is a word that more than maxExpansion words
// begin; or nil when the engine is to expand it: when more than
// maxExpansion words share it and it is no word, or none does (the
// vocabulary of an item still in the backlog may lag behind its words). Both engines
// expand a prefix by merging every matching word's whole list of
// documents before the first result, whereas a handful of words ORed are
// read lazily, newest first, up to the limit.
//
// unknown holds the prefixed tokens that begin no word of the vocabulary
// (see withoutUnknown).
func (s *Store) expandPrefixes(ctx context.Context, alts [][]string, prefix []bool) (words map[string][]string, unknown map[string]bool, err error) {
	words, unknown = map[string][]string{}, map[string]bool{}
	for _, alt := range alts {
		for _, t := range alt {
			if _, done := words[t]; done || !usePrefix(t, prefix) {
				continue
			}
			var found []string
			err := s.db.WithContext(ctx).Raw("SELECT term FROM search_terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?",
				t, t+"\U0010FFFF", maxExpansion+1).Scan(&found).Error
			if err != nil {
				return nil, nil, mapErr(err, "search prefix")
			}
			if len(found) == 0 {
				unknown[t] = true
			}
			switch {
			case len(found) > maxExpansion && found[0] == t:
				// A word that begins many others ("de", "la"): the word
				// itself, or the engine would merge the documents of
				// all of them first.
				found = found[:1]
			case len(found) == 0 || len(found) > maxExpansion:
				found = nil
			}
			words[t] = found
		}
	}
	return words, unknown, nil
}

// withoutUnknown drops the alternatives that hold a prefixed token that
// begins no word of the vocabulary, when the vocabulary is known to hold
// every word of the index: no document can match them. Asked for such a
// token (a word with a typo, a name no one reported), PostgreSQL read
// every window of the index, newest first, before the typo was corrected.
//
// The vocabulary holds every word the index holds but numbers, words of
// one rune and neighbours written together with a number on one side
// (joinedWords): a token with a digit, or of an unspaced script (matched
// inside pairs of characters), is not dropped. Nor is any while items
// wait in the backlog: those indexed before the vocabulary existed have
// words it may lack.
func (s *Store) withoutUnknown(ctx context.Context, alts [][]string, unknown map[string]bool) ([][]string, error) {
	droppable := func(t string) bool {
		return unknown[t] && !strings.ContainsAny(t, "0123456789") && !search.UnspacedToken(t)
	}
	var kept [][]string
	for _, alt := range alts {
		if !slices.ContainsFunc(alt, droppable) {
			kept = append(kept, alt)
		}
	}
	if len(kept) == len(alts) {
		return alts, nil
	}
	var backlog []int
	if err := s.db.WithContext(ctx).Raw("SELECT 1 FROM search_dirty WHERE backlog = 1 LIMIT 1").Scan(&backlog).Error; err != nil {
		return nil, mapErr(err, "search backlog")
	}
	if len(backlog) > 0 {
		return alts, nil
	}
	return kept, nil
}

// ftsMatch writes the alternatives as an FTS5 query: every token quoted
// (tokens are letters and digits only), so nothing reads as syntax; a
// token in words matches one of its words, a prefixed token that is not
// matches as a prefix (see expandPrefixes).
func ftsMatch(alts [][]string, words map[string][]string) string {
	quote := func(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }
	var or []string
	for _, alt := range alts {
		var and []string
		for _, t := range alt {
			ws, prefixed := words[t]
			switch {
			case len(ws) > 0:
				var any []string
				for _, w := range ws {
					any = append(any, quote(w))
				}
				and = append(and, "("+strings.Join(any, " OR ")+")")
			case prefixed:
				and = append(and, quote(t)+"*")
			default:
				and = append(and, quote(t))
			}
		}
		or = append(or, "("+strings.Join(and, " AND ")+")")
	}
	return strings.Join(or, " OR ")
}

// tsquery writes the alternatives as a tsquery literal, each lexeme quoted
// and marked as a title word (titleMark) when titleOnly says so; words as
// for ftsMatch.
func tsquery(alts [][]string, words map[string][]string, titleOnly bool) string {
	mark := ""
	if titleOnly {
		mark = titleMark
	}
	quote := func(t string) string {
		return "'" + mark + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
	}
	var or []string
	for _, alt := range alts {
		var and []string
		for _, t := range alt {
			ws, prefixed := words[t]
			switch {
			case len(ws) > 0:
				var any []string
				for _, w := range ws {
					any = append(any, quote(w))
				}
				and = append(and, "("+strings.Join(any, " | ")+")")
			case prefixed:
				and = append(and, quote(t)+":*")
			default:
				and = append(and, quote(t))
			}
		}
		or = append(or, "("+strings.Join(and, " & ")+")")
	}
	return strings.Join(or, " | ")
}

// searchWindows returns, on PostgreSQL, up to limit documents that match
// the tsquery q and the condition where, newest first (older than before,
// as for SearchText), reading the newest windows of documents first
// (windowOf).
//
// Asked for the newest matches of a word that a few per cent of the
// documents hold, PostgreSQL either walks the documents newest first and
// tests each (hundreds per match), or fetches every match from the table
// through GIN and sorts them (tens of thousands); both took over 100 ms
// at a million documents. Each read names its range of ids, and a read
// of at most narrowRead windows names their lexemes too, which lets GIN
// intersect the lists of a common word and of the windows before the
// table is read, so that only the matches of those windows are fetched.
// The first read covers the two newest windows; each next one as many
// windows as the density seen so far says will give twice the matches
// still missing, up to eight times the windows seen (four times as many
// when none was seen).
func (s *Store) searchWindows(ctx context.Context, q, joins, where string, args []any, before int64, limit int) ([]SearchHit, error) {
	// Not in a transaction. Read in one, with planner settings of its own
	// (no parallel workers, no hash joins, a plan per read), the windows
	// stalled the server: under 64 searches at once on 110,000 documents
	// every request timed out after 15 s while PostgreSQL sat idle.
	// Without them the same load runs at 130 requests/s, and the
	// benchmark's p95 is lower (25 ms against 31 at that size, 37 against
	// 50-55 at 1.2 million documents): each read now names its range of
	// ids and sorts by an expression no index gives.
	db := s.db.WithContext(ctx)
	var newest int64
	if err := db.Raw("SELECT COALESCE(MAX(id), 0) FROM search_docs WHERE id < ?", olderThan(before)).Scan(&newest).Error; err != nil {
		return nil, err
	}
	var out []SearchHit
	top := newest / searchWindow
	span := int64(2)
	for hi := top; hi >= 0 && len(out) < limit; {
		lo := max(hi-span+1, 0)
		// A wide read is one of a rare word (the windows read so far held
		// few of its matches): GIN reads its short list whole, and the
		// range of ids keeps the matches of the read. Naming its windows
		// too made GIN test each match against each window's list, which
		// cost more than the list (15 ms for 50 windows).
		match := q
		if hi-lo+1 <= narrowRead {
			var lexemes []string
			for w := hi; w >= lo; w-- {
				lexemes = append(lexemes, "'"+windowOf(w*searchWindow)+"'")
			}
			match = "(" + q + ") & (" + strings.Join(lexemes, " | ") + ")"
		}
		// Sorted by "d.id + 0", which no index gives: the planner does not
		// know how the matches lie in the range, and walked the ids down
		// through it, testing each document (37,500 and 40 ms for one read
		// of a rare word).
		rows, err := scanHits(db.Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.org
			FROM search_docs d`+joins+`WHERE d.tsv @@ CAST(? AS tsquery) AND d.id >= ? AND d.id < ? AND `+where+` ORDER BY d.id + 0 DESC LIMIT ?`,
			append(append([]any{match, lo * searchWindow, min((hi+1)*searchWindow, newest+1)}, args...), limit-len(out))...), limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		span = nextSpan(span, int64(len(out)), int64(limit), top-lo+1, top+1)
		hi = lo - 1
	}
	return out, nil
}

// nextSpan returns how many windows the next read of searchWindows covers,
// after found of the limit matches in the seen newest windows of all
// windows; span is the last read's.
//
// None found: four times as many. Else as many as the density seen says
// will give twice the matches still missing, up to eight times the
// windows seen (a few matches in the newest windows say little of the
// density further back). But a read wider than narrowRead names no
// windows, and GIN then fetches every match of the query from the table,
// in all windows: when the density says that they are many, more reads
// of narrowRead windows cost less. Two common title words of a title-only
// read (6,389 matches, a few per window) took 61 ms in one wide read.
func nextSpan(span, found, limit, seen, all int64) int64 {
	if found == 0 {
		return span * 4
	}
	next := min(8*seen, max(1, (2*(limit-found)*seen+found-1)/found))
	if next <= narrowRead {
		return next
	}
	matches := found * all / seen
	perRead := max(1, found*narrowRead/seen)
	reads := (limit - found + perRead - 1) / perRead
	if reads*readCostInFetches < matches {
		return narrowRead
	}
	return next
}

// readCostInFetches is what one more read costs PostgreSQL (planning, a
// round trip, GIN's lists), in matches fetched from the table: about
// 2.5 ms against 9 µs, measured at 1.2 million documents.
const readCostInFetches = 280

// narrowRead is the most windows a read of searchWindows names by their
// lexemes.
const narrowRead = 8

// usePrefix: tokens of one rune match whole words only, but for a Han or
// kana character, which the index holds inside bigrams.
func usePrefix(t string, prefix []bool) bool {
	return len(prefix) > 0 && prefix[0] && search.Prefixable(t)
}

// SearchTerms returns up to limit words of the vocabulary that
// hold one of the pieces and have between minRunes and maxRunes runes:
// candidates for a word with a typo, which the caller checks. Each piece
// is three runes or more, so that both engines answer from their trigram
// index.
func (s *Store) SearchTerms(ctx context.Context, pieces []string, minRunes, maxRunes, limit int) ([]string, error) {
	if len(pieces) == 0 {
		return nil, nil
	}
	var terms []string
	var err error
	if s.db.Dialector.Name() == "postgres" {
		var likes []string
		var args []any
		for _, p := range pieces {
			likes = append(likes, "term LIKE ?")
			args = append(args, "%"+p+"%")
		}
		err = s.db.WithContext(ctx).Raw(`SELECT term FROM search_terms WHERE (`+strings.Join(likes, " OR ")+`)
			AND char_length(term) BETWEEN ? AND ? LIMIT ?`, append(args, minRunes, maxRunes, limit)...).Scan(&terms).Error
	} else {
		var or []string
		for _, p := range pieces {
			or = append(or, `"`+strings.ReplaceAll(p, `"`, `""`)+`"`)
		}
		err = s.db.WithContext(ctx).Raw(`SELECT t.term FROM search_terms_grams g JOIN search_terms t ON t.id = g.rowid
			WHERE search_terms_grams MATCH ? AND length(t.term) BETWEEN ? AND ? LIMIT ?`,
			strings.Join(or, " OR "), minRunes, maxRunes, limit).Scan(&terms).Error
	}
	return terms, mapErr(err, "search terms")
}

// SearchSource is the original text of a document, for its snippet.
type SearchSource struct {
	Title, Summary, WhatToDo, Body string
}

// SearchSources returns the texts of warnings (by id and language),
// reports and replies, keyed "kind:id:lang" (warnings) or "kind:id".
func (s *Store) SearchSources(ctx context.Context, warnings map[int64][]string, reports, replies []int64) (map[string]SearchSource, error) {
	out := map[string]SearchSource{}
	db := s.db.WithContext(ctx)
	if len(warnings) > 0 {
		ids := make([]int64, 0, len(warnings))
		var langs []string
		for id, ls := range warnings {
			ids = append(ids, id)
			for _, l := range ls {
				if !slices.Contains(langs, l) {
					langs = append(langs, l)
				}
			}
		}
		var ts []model.WarningTranslation
		if err := db.Where("warning_id IN ? AND lang IN ?", ids, langs).Find(&ts).Error; err != nil {
			return nil, mapErr(err, "search sources")
		}
		for _, t := range ts {
			out[fmt.Sprintf("warning:%d:%s", t.WarningID, t.Lang)] = SearchSource{Title: t.Title, Summary: t.Summary, WhatToDo: t.WhatToDo, Body: t.Body}
		}
	}
	if len(reports) > 0 {
		var rs []model.Report
		if err := db.Where("id IN ?", reports).Find(&rs).Error; err != nil {
			return nil, mapErr(err, "search sources")
		}
		for _, r := range rs {
			out[fmt.Sprintf("report:%d", r.ID)] = SearchSource{Title: r.Title, Body: r.Body}
		}
	}
	if len(replies) > 0 {
		var ps []struct {
			ID    int64
			Body  string
			Title string
		}
		if err := db.Raw("SELECT p.id, p.body, r.title FROM replies p JOIN reports r ON r.id = p.report_id WHERE p.id IN ?", replies).Scan(&ps).Error; err != nil {
			return nil, mapErr(err, "search sources")
		}
		for _, p := range ps {
			out[fmt.Sprintf("reply:%d", p.ID)] = SearchSource{Title: p.Title, Body: p.Body}
		}
	}
	return out, nil
}

// SearchItemMatches reports whether an item has a document that the filter
// lets through.
func (s *Store) SearchItemMatches(ctx context.Context, kind string, id int64, f SearchFilter) (bool, error) {
	joins, where, args := searchWhere(f)
	var n int64
	err := s.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM search_docs d"+joins+"WHERE d.kind = ? AND d.item_id = ? AND "+where,
		append([]any{kind, id}, args...)...).Scan(&n).Error
	return n > 0, mapErr(err, "search item")
}
