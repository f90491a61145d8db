package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

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
	if _, err := flushSearch(s, false, 0); err != nil {
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
		_, err = flushSearch(tx, false, 0)
	} else {
		err = tx.Transaction(func(t *gorm.DB) error { _, err := flushSearch(t, false, 0); return err })
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

// flushSearch indexes the dirty items that writes left (backlog false),
// all of them; or up to max items of the backlog (backlog true), and
// returns how many it indexed.
func flushSearch(tx *gorm.DB, backlog bool, max int) (int, error) {
	flag := 0
	if backlog {
		flag = 1
	}
	done := 0
	for round := 0; ; round++ {
		n := flushBatch
		if max > 0 {
			n = min(n, max-done)
		}
		var dirty []dirtyItem
		if n <= 0 {
			return done, nil
		}
		// On PostgreSQL, rows that another transaction is indexing (left
		// by an operator's SQL, or the backlog) are skipped, not indexed twice.
		q := "SELECT kind, item_id FROM search_dirty WHERE backlog = ? ORDER BY kind, item_id LIMIT ?"
		if tx.Dialector.Name() == "postgres" {
			q += " FOR UPDATE SKIP LOCKED"
		}
		if err := tx.Raw(q, flag, n).Scan(&dirty).Error; err != nil {
			return done, err
		}
		if len(dirty) == 0 {
			return done, nil
		}
		if round > 100000 {
			return done, errors.New("search index: dirty items do not run out")
		}
		for _, d := range dirty {
			if err := indexItem(tx, d); err != nil {
				return done, fmt.Errorf("%s %d: %w", d.Kind, d.ItemID, err)
			}
			if err := tx.Exec("DELETE FROM search_dirty WHERE kind = ? AND item_id = ?", d.Kind, d.ItemID).Error; err != nil {
				return done, err
			}
			done++
		}
	}
}

// searchDoc is one row of search_docs as written.
type searchDoc struct {
	Lang        string
	ReportID    *int64
	PublishedAt *time.Time
	Title       []string
	Names       []string
	Body        []string
}

// indexItem rewrites the documents of one item: none when it is gone or
// not public.
func indexItem(tx *gorm.DB, d dirtyItem) error {
	if err := tx.Exec("DELETE FROM search_docs WHERE kind = ? AND item_id = ?", d.Kind, d.ItemID).Error; err != nil {
		return err
	}
	docs, err := itemDocs(tx, d)
	if err != nil {
		return err
	}
	pg := tx.Dialector.Name() == "postgres"
	for _, doc := range docs {
		title, names, body := strings.Join(doc.Title, " "), strings.Join(doc.Names, " "), strings.Join(doc.Body, " ")
		if pg {
			err = tx.Exec(`INSERT INTO search_docs (kind, item_id, lang, report_id, published_at, title, names, body, tsv)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector))`,
				d.Kind, d.ItemID, doc.Lang, doc.ReportID, doc.PublishedAt, title, names, body, tsvectorOf(doc)).Error
		} else {
			err = tx.Exec(`INSERT INTO search_docs (kind, item_id, lang, report_id, published_at, title, names, body)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				d.Kind, d.ItemID, doc.Lang, doc.ReportID, doc.PublishedAt, title, names, body).Error
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// maxPosition is the largest position a tsvector keeps.
const maxPosition = 16383

// tsvectorOf writes the document's tokens as a tsvector literal, weighted
// A (title), B (names) and D (body); the tokens are letters and digits
// only, so they need no escaping.
func tsvectorOf(doc searchDoc) string {
	var b strings.Builder
	pos := 0
	add := func(toks []string, weight string) {
		for _, t := range toks {
			if pos < maxPosition {
				pos++
			}
			b.WriteString("'")
			b.WriteString(t)
			b.WriteString("':")
			b.WriteString(strconv.Itoa(pos))
			b.WriteString(weight)
			b.WriteString(" ")
		}
	}
	add(doc.Title, "A")
	add(doc.Names, "B")
	add(doc.Body, "")
	return b.String()
}

// names returns the name tokens of a title and an organisation: their
// words and adjacent words joined.
func names(parts ...string) []string {
	var out []string
	for _, p := range parts {
		toks := search.Tokens(p)
		out = append(out, toks...)
		out = append(out, search.Joined(toks)...)
	}
	return out
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

func itemDocs(tx *gorm.DB, d dirtyItem) ([]searchDoc, error) {
	switch d.Kind {
	case "warning":
		var ws []model.Warning
		if err := tx.Raw("SELECT * FROM warnings WHERE id = ? AND "+listedWarnings, d.ItemID).Scan(&ws).Error; err != nil || len(ws) == 0 {
			return nil, err
		}
		w := ws[0]
		org := ""
		if w.OrganisationID != nil {
			var orgs []model.Organisation
			if err := tx.Raw("SELECT * FROM organisations WHERE id = ?", *w.OrganisationID).Scan(&orgs).Error; err != nil {
				return nil, err
			}
			if len(orgs) > 0 {
				org = orgs[0].Name
			}
		}
		var ts []model.WarningTranslation
		if err := tx.Raw("SELECT * FROM warning_translations WHERE warning_id = ? ORDER BY lang", d.ItemID).Scan(&ts).Error; err != nil {
			return nil, err
		}
		var route []string
		if err := tx.Raw("SELECT DISTINCT country FROM warning_countries WHERE warning_id = ? ORDER BY country", d.ItemID).Scan(&route).Error; err != nil {
			return nil, err
		}
		docs := make([]searchDoc, 0, len(ts))
		for _, t := range ts {
			docs = append(docs, searchDoc{
				Lang: t.Lang, PublishedAt: w.PublishedAt,
				Title: search.Tokens(t.Title), Names: names(t.Title, org),
				Body: search.Tokens(t.Summary + "\n" + t.WhatToDo + "\n" + t.Body + "\n" + org + "\n" + routeNames(route, t.Lang)),
			})
		}
		return docs, nil
	case "report":
		var rs []model.Report
		if err := tx.Raw("SELECT * FROM reports WHERE id = ? AND "+publicPosts, d.ItemID).Scan(&rs).Error; err != nil || len(rs) == 0 {
			return nil, err
		}
		r := rs[0]
		var route []string
		if err := tx.Raw("SELECT DISTINCT country FROM report_countries WHERE report_id = ? ORDER BY country", d.ItemID).Scan(&route).Error; err != nil {
			return nil, err
		}
		return []searchDoc{{Lang: r.Lang, PublishedAt: r.PublishedAt, Title: search.Tokens(r.Title), Names: names(r.Title), Body: search.Tokens(r.Body + "\n" + routeNames(route, r.Lang))}}, nil
	case "reply":
		var ps []struct {
			model.Reply
			Lang string
		}
		if err := tx.Raw("SELECT p.*, r.lang FROM replies p JOIN reports r ON r.id = p.report_id WHERE p.id = ? AND p."+publicPosts, d.ItemID).Scan(&ps).Error; err != nil || len(ps) == 0 {
			return nil, err
		}
		p := ps[0]
		rid := p.ReportID
		return []searchDoc{{Lang: p.Lang, ReportID: &rid, PublishedAt: p.PublishedAt, Body: search.Tokens(p.Body)}}, nil
	}
	return nil, nil
}

// ReindexSearch puts every item, and every item that has a document, in
// the backlog, then indexes the backlog, and returns how many items it
// indexed. The index keeps serving meanwhile: each item is replaced in
// its own batch's transaction.
func (s *Store) ReindexSearch(ctx context.Context) (int, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		for _, q := range []string{
			"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
			"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'report', id, 1 FROM reports WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
			"INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'reply', id, 1 FROM replies WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
			// Documents of items that are gone go too.
			"INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs WHERE true ON CONFLICT (kind, item_id) DO NOTHING",
		} {
			if err := tx.db.Exec(q).Error; err != nil {
				return mapErr(err, "search reindex")
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return s.IndexSearchBacklog(ctx)
}

// IndexSearchBacklog indexes the backlog in batches of their own
// transactions until it is empty or ctx ends, and returns how many items
// it indexed.
func (s *Store) IndexSearchBacklog(ctx context.Context) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int
		err := s.Tx(ctx, func(tx *Store) error {
			var err error
			n, err = flushSearch(tx.db.Session(&gorm.Session{NewDB: true, Context: context.WithValue(ctx, flushingKey{}, true)}), true, flushBatch)
			return err
		})
		total += n
		if err != nil {
			return total, mapErr(err, "search backlog")
		}
		if n == 0 {
			return total, nil
		}
	}
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
	Names       string
	Rank        float64
}

// searchWhere returns the joins and the condition that keep, of the
// documents d, those whose item is public at this moment and that the
// filter lets through. The item is joined by its key (w, r, p), one
// index probe per document read, so that an engine walking its index in
// document order stops at the limit.
func searchWhere(f SearchFilter) (string, string, []any) {
	var joins, parts []string
	var args []any
	needReports := false
	for _, k := range f.Kinds {
		var c string
		switch k {
		case "warning":
			joins = append(joins, "LEFT JOIN warnings w ON d.kind = 'warning' AND w.id = d.item_id")
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
			joins = append(joins, "LEFT JOIN replies p ON d.kind = 'reply' AND p.id = d.item_id")
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
		joins = append(joins, "LEFT JOIN reports r ON d.kind IN ('report', 'reply') AND r.id = COALESCE(d.report_id, d.item_id)")
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
// titleOnly says so, the most recently indexed first. Both engines walk
// their index in document order and stop at limit: no score is computed
// for every match of a common word; the caller ranks the candidates.
func (s *Store) SearchText(ctx context.Context, alts [][]string, prefix []bool, titleOnly bool, f SearchFilter, limit int) ([]SearchHit, error) {
	if len(alts) == 0 {
		return nil, nil
	}
	joins, where, args := searchWhere(f)
	var rows []SearchHit
	var err error
	if s.db.Dialector.Name() == "postgres" {
		weight := ""
		if titleOnly {
			weight = "A"
		}
		q := tsquery(alts, prefix, weight)
		err = s.db.WithContext(ctx).Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.names
			FROM search_docs d`+joins+`WHERE d.tsv @@ CAST(? AS tsquery) AND `+where+` ORDER BY d.id DESC LIMIT ?`,
			append(append([]any{q}, args...), limit)...).Scan(&rows).Error
	} else {
		q := ftsMatch(alts, prefix)
		if titleOnly {
			q = "title : (" + q + ")"
		}
		err = s.db.WithContext(ctx).Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.names
			FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid`+joins+`
			WHERE search_fts MATCH ? AND `+where+` ORDER BY search_fts.rowid DESC LIMIT ?`,
			append(append([]any{q}, args...), limit)...).Scan(&rows).Error
	}
	return rows, mapErr(err, "search")
}

// ftsMatch writes the alternatives as an FTS5 query: every token quoted
// (tokens are letters and digits only), so nothing reads as syntax.
func ftsMatch(alts [][]string, prefix []bool) string {
	var or []string
	for _, alt := range alts {
		var and []string
		for _, t := range alt {
			term := `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
			if usePrefix(t, prefix) {
				term += "*"
			}
			and = append(and, term)
		}
		or = append(or, "("+strings.Join(and, " AND ")+")")
	}
	return strings.Join(or, " OR ")
}

// tsquery writes the alternatives as a tsquery literal, each lexeme quoted
// and restricted to weight (A: the title) when it is not empty.
func tsquery(alts [][]string, prefix []bool, weight string) string {
	var or []string
	for _, alt := range alts {
		var and []string
		for _, t := range alt {
			term := "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
			switch {
			case usePrefix(t, prefix):
				term += ":*" + weight
			case weight != "":
				term += ":" + weight
			}
			and = append(and, term)
		}
		or = append(or, "("+strings.Join(and, " & ")+")")
	}
	return strings.Join(or, " | ")
}

// usePrefix: tokens of one rune match whole words only.
func usePrefix(t string, prefix []bool) bool {
	return len(prefix) > 0 && prefix[0] && len([]rune(t)) > 1
}

// SearchNames returns up to limit documents, the most recently indexed
// first, whose names hold one of the pieces whole: candidates for a name
// with a typo, which the caller checks word by word. Each piece is three
// runes or more, so that both engines answer from their trigram index.
func (s *Store) SearchNames(ctx context.Context, pieces []string, f SearchFilter, limit int) ([]SearchHit, error) {
	if len(pieces) == 0 {
		return nil, nil
	}
	joins, where, args := searchWhere(f)
	var rows []SearchHit
	var err error
	if s.db.Dialector.Name() == "postgres" {
		var likes []string
		var la []any
		for _, p := range pieces {
			likes = append(likes, "d.names LIKE ?")
			la = append(la, "%"+p+"%")
		}
		err = s.db.WithContext(ctx).Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.names
			FROM search_docs d`+joins+`WHERE (`+strings.Join(likes, " OR ")+`) AND `+where+` ORDER BY d.id DESC LIMIT ?`,
			append(append(la, args...), limit)...).Scan(&rows).Error
	} else {
		var or []string
		for _, p := range pieces {
			or = append(or, `"`+strings.ReplaceAll(p, `"`, `""`)+`"`)
		}
		err = s.db.WithContext(ctx).Raw(`SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.names
			FROM search_grams JOIN search_docs d ON d.id = search_grams.rowid`+joins+`
			WHERE search_grams MATCH ? AND `+where+` ORDER BY search_grams.rowid DESC LIMIT ?`,
			append(append([]any{strings.Join(or, " OR ")}, args...), limit)...).Scan(&rows).Error
	}
	return rows, mapErr(err, "search names")
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
		for id := range warnings {
			ids = append(ids, id)
		}
		var ts []model.WarningTranslation
		if err := db.Where("warning_id IN ?", ids).Find(&ts).Error; err != nil {
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
