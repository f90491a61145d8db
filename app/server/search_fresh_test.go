package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/store"
)

// searchIDs returns "kind:id" of what q finds.
func searchIDs(t *testing.T, e *apptest.Env, q string) []string {
	t.Helper()
	page, err := e.Services.Search.Search(context.Background(), service.SearchQuery{Q: q, Limit: 50})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, r := range page.Results {
		out = append(out, fmt.Sprintf("%s:%d", r.Kind, r.ID))
	}
	return out
}

// wantFound checks that q finds the item, or does not, and that nothing
// waits to be indexed: the write indexed it in its own transaction.
func wantFound(t *testing.T, e *apptest.Env, step, q, item string, found bool) {
	t.Helper()
	got := searchIDs(t, e, q)
	if slices.Contains(got, item) != found {
		t.Errorf("%s: search %q finds %v; want %s found=%v", step, q, got, item, found)
	}
	if n := e.Count(t, "search_dirty", "1 = 1"); n != 0 {
		t.Errorf("%s: %d items left dirty after the write", step, n)
	}
	// The stored documents follow too, not only the public filter of the query.
	var id int64
	var kind string
	fmt.Sscanf(item, "%s", &kind)
	for i := range item {
		if item[i] == ':' {
			kind = item[:i]
			fmt.Sscanf(item[i+1:], "%d", &id)
		}
	}
	if docs := storedDocs(t, e, kind, id, q); (docs > 0) != found {
		t.Errorf("%s: %d stored documents of %s hold %q; want found=%v", step, docs, item, q, found)
	}
}

// storedDocs counts the documents of an item whose words, in the index of
// either engine, hold a word that starts with q (a normalised word).
func storedDocs(t *testing.T, e *apptest.Env, kind string, id int64, q string) int64 {
	t.Helper()
	var n int64
	if e.DB.Dialect == "postgres" {
		apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(*) FROM search_docs WHERE kind = ? AND item_id = ? AND tsv @@ CAST(? AS tsquery)", kind, id, "'"+q+"':*").Scan(&n))
	} else {
		apptest.Must(t, e.DB.Gorm.Raw(`SELECT COUNT(*) FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
			WHERE search_fts MATCH ? AND d.kind = ? AND d.item_id = ?`, `"`+q+`"*`, kind, id).Scan(&n))
	}
	return n
}

func TestSearchFollowsWarningLifeCycle(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	_, mod := e.Member(t, "mod_search_w", model.RoleModerator, []string{"en", "fr"}, []string{"UA", "PL"})
	ctx := context.Background()
	d := service.WarningDraft{
		Severity: "danger", Category: "fake-job-offer", Lang: "en", Origin: []string{"UA"}, Destination: []string{"PL"},
		Title: "Quokkaworks promises farm jobs in Poland", Summary: "A fee is asked before the journey.",
		WhatToDo: "Do not pay any fee before you travel.", Body: "Red flags: a fee, no contract.",
	}
	id, err := e.Services.Authoring.CreateWarning(ctx, &mod, d)
	if err != nil {
		t.Fatal(err)
	}
	item := fmt.Sprintf("warning:%d", id)
	wantFound(t, e, "draft", "quokkaworks", item, false)
	if err := e.Services.Authoring.Submit(ctx, &mod, id); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "in review", "quokkaworks", item, false)
	if err := e.Services.Authoring.Publish(ctx, &mod, id); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "published", "quokkaworks", item, true)
	d.Title = "Wombatworks promises farm jobs in Poland"
	if out, err := e.Services.Authoring.UpdateWarning(ctx, &mod, id, d); err != nil || out != service.Applied {
		t.Fatalf("edit: %v %v", out, err)
	}
	wantFound(t, e, "edited", "quokkaworks", item, false)
	wantFound(t, e, "edited", "wombatworks", item, true)
	if _, err := e.Services.Authoring.Translate(ctx, &mod, id, service.Translation{Lang: "fr", Title: "Numbatravail promet des emplois agricoles", Summary: "Des frais avant le voyage.", WhatToDo: "Ne payez rien avant de partir.", Body: "Signaux : des frais, pas de contrat."}); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "translated", "numbatravail", item, true)
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE organisations SET name = 'Bilbyhelp Foundation' WHERE id = (SELECT organisation_id FROM warnings WHERE id = ?)", id))
	if n := e.Count(t, "warnings", "id = ? AND organisation_id IS NOT NULL", id); n == 1 {
		wantFound(t, e, "organisation renamed", "bilbyhelp", item, true)
	}
	if err := e.Services.Authoring.Retract(ctx, &mod, id, "Not a trap after all"); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "retracted", "wombatworks", item, false)
	wantFound(t, e, "retracted", "numbatravail", item, false)
	// An operator's SQL is caught by the triggers too.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'published', retracted_at = NULL WHERE id = ?", id))
	wantFound(t, e, "republished by SQL", "wombatworks", item, true)
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM warning_translations WHERE warning_id = ? AND lang = 'fr'", id))
	wantFound(t, e, "translation deleted", "numbatravail", item, false)
}

func TestSearchFollowsPostModeration(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	modC, mod := e.Member(t, "mod_search_p", model.RoleModerator, []string{"en"}, []string{"UA"})
	ctx := context.Background()
	rid := publishedReport(t, e, modC, "Platypusjobs took my passport", "The agent Ivan Dingowitz at the office kept 900 euros and my passport.")
	report := fmt.Sprintf("report:%d", rid)
	wantFound(t, e, "published", "platypusjobs", report, true)
	wantFound(t, e, "published", "dingowitz", report, true)

	r := act(t, modC, url.Values{"action": {"redact"}, "kind": {"report"}, "id": {fmt.Sprint(rid)}, "passage": {"Ivan Dingowitz"}, "reason": {"Names a private person"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantFound(t, e, "redacted", "dingowitz", report, false)
	wantFound(t, e, "redacted", "platypusjobs", report, true)

	if _, err := e.Services.Forum.EditReport(ctx, &mod, rid, service.PostEdit{Title: "Echidnajobs took my passport", Body: "The office kept 900 euros and my passport."}); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "edited", "platypusjobs", report, false)
	wantFound(t, e, "edited", "echidnajobs", report, true)

	p, err := e.Services.Forum.CreateReply(ctx, &mod, rid, "Kookaburra agency did the same to my brother.")
	if err != nil {
		t.Fatal(err)
	}
	reply := fmt.Sprintf("reply:%d", p.ID)
	wantFound(t, e, "reply published", "kookaburra", reply, true)
	wantStatus(t, act(t, modC, url.Values{"action": {"hide"}, "kind": {"reply"}, "id": {fmt.Sprint(p.ID)}, "reason": {"Off topic here"}}), http.StatusSeeOther)
	wantFound(t, e, "reply hidden", "kookaburra", reply, false)
	wantStatus(t, act(t, modC, url.Values{"action": {"unhide"}, "kind": {"reply"}, "id": {fmt.Sprint(p.ID)}, "reason": {"Back on topic"}}), http.StatusSeeOther)
	wantFound(t, e, "reply unhidden", "kookaburra", reply, true)

	wantStatus(t, act(t, modC, url.Values{"action": {"hide"}, "kind": {"report"}, "id": {fmt.Sprint(rid)}, "reason": {"Under review now"}}), http.StatusSeeOther)
	wantFound(t, e, "report hidden", "echidnajobs", report, false)
	// A reply in a hidden thread is not found either, though its own
	// document stays (it comes back with the thread).
	if got := searchIDs(t, e, "kookaburra"); slices.Contains(got, reply) {
		t.Errorf("a reply of a hidden report is found: %v", got)
	}
	wantStatus(t, act(t, modC, url.Values{"action": {"unhide"}, "kind": {"report"}, "id": {fmt.Sprint(rid)}, "reason": {"Reviewed, fine"}}), http.StatusSeeOther)
	wantFound(t, e, "report unhidden", "echidnajobs", report, true)

	// A newcomer's posts wait: not found until approved, never when rejected.
	_, newbie := e.Member(t, "newbie_search", model.RoleMember, nil, nil)
	pend := seedReport(t, e, &newbie, "Dugongcorp fake visa offer", "en", "UA")
	pendItem := fmt.Sprintf("report:%d", pend)
	if postStatus(t, e, "reports", pend) != "pending" {
		t.Fatalf("a newcomer's report is %s", postStatus(t, e, "reports", pend))
	}
	wantFound(t, e, "pending", "dugongcorp", pendItem, false)
	if err := e.Services.Moderation.Reject(ctx, &mod, service.Decision{Kind: "report", ID: pend, Reason: "Not a trap at all"}); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "rejected", "dugongcorp", pendItem, false)
	ok := seedReport(t, e, &newbie, "Wallabyworks fake visa offer", "en", "UA")
	okItem := fmt.Sprintf("report:%d", ok)
	wantFound(t, e, "pending", "wallabyworks", okItem, false)
	if err := e.Services.Moderation.Approve(ctx, &mod, service.Decision{Kind: "report", ID: ok}); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "approved", "wallabyworks", okItem, true)
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM report_countries WHERE report_id = ?", ok))
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM reports WHERE id = ?", ok))
	wantFound(t, e, "deleted", "wallabyworks", okItem, false)
}

func TestSearchReindexRebuildsFromTheContent(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Capybarajobs offers hotel work"))
	item := fmt.Sprintf("warning:%d", id)
	wantFound(t, e, "imported", "capybarajobs", item, true)
	// Lost documents and a stale one (an operator emptied the index and
	// left a document of a warning that is gone).
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM search_docs"))
	if e.DB.Dialect == "postgres" {
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_docs (kind, item_id, lang, title, tsv) VALUES ('warning', 999999, 'en', 'ghostjobs', 'ghostjobs')"))
	} else {
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_docs (id, kind, item_id, lang, title) VALUES (999999, 'warning', 999999, 'en', 'ghostjobs')"))
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_fts (rowid, title, names, body) VALUES (999999, 'ghostjobs', '', '')"))
	}
	wantFound(t, e, "emptied", "capybarajobs", item, false)
	n, err := e.Services.Search.Reindex(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Errorf("reindex read %d items", n)
	}
	wantFound(t, e, "reindexed", "capybarajobs", item, true)
	if c := e.Count(t, "search_docs", "item_id = 999999"); c != 0 {
		t.Errorf("the document of a gone warning stays")
	}

	// Renaming the organisation (here by SQL) reindexes its warnings.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE organisations SET name = 'Quollguard Foundation' WHERE id = (SELECT organisation_id FROM warnings WHERE id = ?)", id))
	wantFound(t, e, "organisation renamed", "quollguard", item, true)

	// A write indexes what it made dirty, never the backlog.
	other := e.Warning(t, apptest.Titled("Tapirtours hires guides"))
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM search_docs WHERE item_id = ?", other))
	apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_dirty (kind, item_id, backlog) VALUES ('warning', ?, 1)", other))
	e.Warning(t, apptest.Titled("Another warning written meanwhile"))
	if got := searchIDs(t, e, "tapirtours"); len(got) != 0 {
		t.Errorf("a write indexed the backlog: %v", got)
	}
	if _, err := e.Services.Search.IndexBacklog(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantFound(t, e, "backlog indexed", "tapirtours", fmt.Sprintf("warning:%d", other), true)
}

// TestSearchPrefixesWithAndBeyondTheVocabulary checks the three ways a
// prefix is searched: as the few words of the vocabulary it begins, by the
// engine when more words share it, and by the engine when the vocabulary
// lacks it (an item waiting in the backlog).
func TestSearchPrefixesWithAndBeyondTheVocabulary(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	few := e.Warning(t, apptest.Titled("Wombatronics hires welders since 2026"))
	// More words begin with "zebr" than a prefix is expanded to; the last
	// of them, in order, is another warning's.
	var words []string
	for i := 0; i < 39; i++ {
		words = append(words, fmt.Sprintf("zebr%c%c", 'a'+i/26, 'a'+i%26))
	}
	e.Warning(t, apptest.Titled("Striped offers "+strings.Join(words, " ")))
	last := e.Warning(t, apptest.Titled("Zebrzz shelters"))
	if got := e.Count(t, "search_terms", "term LIKE 'zebr%'"); got < 40 {
		t.Fatalf("the vocabulary holds %d zebr words, want 40 or more", got)
	}
	for q, item := range map[string]string{
		"wombatr": fmt.Sprintf("warning:%d", few),
		"zebr":    fmt.Sprintf("warning:%d", last),
	} {
		if got := searchIDs(t, e, q); !slices.Contains(got, item) {
			t.Errorf("%q finds %v, want %s", q, got, item)
		}
	}
	// A vocabulary that lags behind the index (items indexed before it
	// existed wait in the backlog, as migration 00029 left them) still
	// finds the prefix.
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM search_terms WHERE term LIKE 'wombat%'"))
	apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_dirty (kind, item_id, backlog) VALUES ('warning', ?, 1)", few))
	if got := searchIDs(t, e, "wombatr"); !slices.Contains(got, fmt.Sprintf("warning:%d", few)) {
		t.Errorf("without its words in the vocabulary, wombatr finds %v", got)
	}
	if _, err := e.Services.Search.IndexBacklog(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(t, "search_terms", "term LIKE 'wombat%'"); got == 0 {
		t.Errorf("indexing the backlog did not bring the words back to the vocabulary")
	}
	// The vocabulary holds words, not numbers, nor words joined with a
	// number; the index still finds those as typed.
	if got := e.Count(t, "search_terms", "term = '2026'"); got != 0 {
		t.Errorf("a number is in the vocabulary")
	}
	if got := e.Count(t, "search_terms", "term = 'since2026'"); got != 0 {
		t.Errorf("a word joined with a number is in the vocabulary")
	}
	if got := e.Count(t, "search_terms", "term = 'hireswelders'"); got != 1 {
		t.Errorf("two words joined are not in the vocabulary")
	}
	if got := searchIDs(t, e, "since2026"); !slices.Contains(got, fmt.Sprintf("warning:%d", few)) {
		t.Errorf("since2026 finds %v", got)
	}
}

// An index built by another version of the normaliser (here: the tokens of
// version 1, a Han run as one token) is queued for indexing again when
// `serve` starts (EnsureIndexVersion), once, and the backlog then holds the
// new tokens.
func TestSearchNormaliserVersionQueuesReindex(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	id := e.Warning(t, apptest.Titled("假签证中介骗取劳务费"))
	item := fmt.Sprintf("warning:%d", id)
	if got := searchIDs(t, e, "签证"); !slices.Contains(got, item) {
		t.Fatalf("签证 finds %v", got)
	}
	// A database indexed before: no version stored, version-1 tokens.
	old := "假签证中介骗取劳务费"
	setV1(t, e, id, old)
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM settings WHERE key = 'search_normaliser'"))
	if got := searchIDs(t, e, "签证"); slices.Contains(got, item) {
		t.Fatalf("the version-1 document answers 签证: %v", got)
	}
	// A query with the Arabic article still finds a version-1 document,
	// which holds the word with the article but not its stem.
	ar := e.Warning(t, apptest.Titled("الوكالة تطلب المال"))
	arItem := fmt.Sprintf("warning:%d", ar)
	setV1(t, e, ar, "الوكاله تطلب المال")
	if got := searchIDs(t, e, "الوكالة"); !slices.Contains(got, arItem) {
		t.Errorf("الوكالة does not find the version-1 document: %v", got)
	}
	if got := searchIDs(t, e, "وكالة"); slices.Contains(got, arItem) {
		t.Errorf("وكالة finds the version-1 document before its reindex: %v", got)
	}
	queued, err := e.Services.Search.EnsureIndexVersion(ctx)
	if err != nil || !queued {
		t.Fatalf("EnsureIndexVersion = %v, %v; want queued", queued, err)
	}
	if n := e.Count(t, "search_dirty", "backlog = 1"); n == 0 {
		t.Errorf("nothing queued in the backlog")
	}
	if n, err := e.Services.Search.IndexBacklog(ctx); err != nil || n == 0 {
		t.Fatalf("IndexBacklog = %d, %v", n, err)
	}
	if got := searchIDs(t, e, "签证"); !slices.Contains(got, item) {
		t.Errorf("after the reindex 签证 finds %v", got)
	}
	if got := searchIDs(t, e, "وكالة"); !slices.Contains(got, arItem) {
		t.Errorf("after the reindex وكالة finds %v", got)
	}
	// The version is stored: the next start queues nothing.
	if queued, err := e.Services.Search.EnsureIndexVersion(ctx); err != nil || queued {
		t.Errorf("second EnsureIndexVersion = %v, %v; want nothing queued", queued, err)
	}
	if n := e.Count(t, "search_dirty", "1 = 1"); n != 0 {
		t.Errorf("%d items queued by a start with the same version", n)
	}
	// Another stored version (an older or newer binary) queues again.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE settings SET value = '1' WHERE key = 'search_normaliser'"))
	if queued, err := e.Services.Search.EnsureIndexVersion(ctx); err != nil || !queued {
		t.Errorf("EnsureIndexVersion after version 1 = %v, %v", queued, err)
	}
}

// setV1 makes the document of a warning hold only the given title tokens,
// as version 1 of the normaliser wrote them.
func setV1(t *testing.T, e *apptest.Env, id int64, tokens string) {
	t.Helper()
	if e.DB.Dialect == "postgres" {
		// The words, the title's marked, and the document's window (as
		// the store writes them).
		var tsv []string
		for _, w := range strings.Fields(tokens) {
			tsv = append(tsv, fmt.Sprintf("'%s' '~%s'", w, w))
		}
		apptest.Must(t, e.DB.Gorm.Exec(`UPDATE search_docs SET title = ?, org = '',
			tsv = CAST(? AS tsvector) || array_to_tsvector(ARRAY['#' || (id / 1024)]) WHERE kind = 'warning' AND item_id = ?`, tokens, strings.Join(tsv, " "), id))
		return
	}
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE search_docs SET title = ?, org = '' WHERE kind = 'warning' AND item_id = ?", tokens, id))
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE kind = 'warning' AND item_id = ?)", id))
	apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_fts (rowid, title, names, body) SELECT id, ?, '', '' FROM search_docs WHERE kind = 'warning' AND item_id = ?", tokens, id))
}

// TestSearchFindsAnOlderTitleBeyondTheNewestMatches: the engine reads the
// newest matches up to its limit; a title match older than all of them is
// still found, and ranks first.
func TestSearchFindsAnOlderTitleBeyondTheNewestMatches(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	reports := []service.ImportedReport{{
		Key: "titled", Title: "Okapilogistics kept our passports", Body: "We paid and they kept the passports.",
		Lang: "en", Category: "fake-job-offer", SeenOn: model.SeenOnPlaces[0], PublishedAt: apptest.Now.Add(-400 * time.Hour),
	}}
	for i := 0; i < 230; i++ {
		reports = append(reports, service.ImportedReport{
			Key: fmt.Sprintf("mention-%d", i), Title: fmt.Sprintf("A driver's story %d", i), Body: "A friend told me about Okapilogistics.",
			Lang: "en", Category: "fake-job-offer", SeenOn: model.SeenOnPlaces[0], PublishedAt: apptest.Now.Add(-time.Duration(230-i) * time.Hour),
		})
	}
	if _, err := e.Services.Importer.ImportReports(ctx, reports); err != nil {
		t.Fatal(err)
	}
	page, err := e.Services.Search.Search(ctx, service.SearchQuery{Q: "okapilogistics", Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) == 0 || !strings.Contains(page.Results[0].Title, "Okapilogistics kept") {
		t.Errorf("the older titled report is not first: %+v", page.Results[:min(2, len(page.Results))])
	}
}

// When the newest matches already fill the page with title matches, the
// search stops there: neither more matches nor the title-only query are
// read, since older matches could only follow them. A longer page, which
// needs both, begins with the shorter one and holds the older titles after
// the newer ones.
func TestSearchSkipsTheTitleQueryOnlyWhenItCannotChangeThePage(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	report := func(key, title, body string, age time.Duration) service.ImportedReport {
		return service.ImportedReport{Key: key, Title: title, Body: body, Lang: "en", Category: "fake-job-offer",
			SeenOn: model.SeenOnPlaces[0], PublishedAt: apptest.Now.Add(-age)}
	}
	var reports []service.ImportedReport
	for i := 0; i < 10; i++ { // the oldest: only the title query reaches them
		reports = append(reports, report(fmt.Sprintf("old-%d", i), fmt.Sprintf("Okapilogistics old story %d", i), "They kept our passports.", time.Duration(900-i)*time.Hour))
	}
	for i := 0; i < 200; i++ {
		reports = append(reports, report(fmt.Sprintf("mention-%d", i), fmt.Sprintf("A driver's story %d", i), "A friend told me about Okapilogistics.", time.Duration(600-i)*time.Hour))
	}
	for i := 0; i < 30; i++ { // the newest
		reports = append(reports, report(fmt.Sprintf("new-%d", i), fmt.Sprintf("Okapilogistics new story %d", i), "They asked for a fee.", time.Duration(300-i)*time.Hour))
	}
	if _, err := e.Services.Importer.ImportReports(ctx, reports); err != nil {
		t.Fatal(err)
	}
	// Count the text queries each search sends to the engine.
	queries := 0
	err := e.DB.Gorm.Callback().Row().After("gorm:row").Register("test:count", func(db *gorm.DB) {
		if sql := db.Statement.SQL.String(); strings.Contains(sql, "search_fts MATCH") || strings.Contains(sql, "tsquery") {
			queries++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	search := func(limit int) ([]string, int) {
		queries = 0
		page, err := e.Services.Search.Search(ctx, service.SearchQuery{Q: "okapilogistics", Type: service.SearchExperiences, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, r := range page.Results {
			titles = append(titles, r.Title)
		}
		return titles, queries
	}
	short, n := search(20)
	if n != 1 {
		t.Errorf("a page of 20 newer titles sent %d text queries, want 1", n)
	}
	long, n := search(50)
	if n != 3 {
		t.Errorf("a page of 50 sent %d text queries, want 3 (a few, up to the limit, the titles)", n)
	}
	if len(short) != 20 || len(long) != 50 || !slices.Equal(short, long[:20]) {
		t.Fatalf("the page of 50 does not begin with the page of 20:\n%q\n%q", short, long)
	}
	for i, title := range long {
		want := "Okapilogistics new"
		switch {
		case i >= 40:
			want = "A driver's story"
		case i >= 30:
			want = "Okapilogistics old"
		}
		if !strings.HasPrefix(title, want) {
			t.Errorf("result %d is %q, want %s…", i, title, want)
		}
	}
}

// A reindex indexes the items in the order of their publication, whatever
// their kind, so that the documents, which both engines read newest
// first, still follow publication afterwards (before, every report came
// before every warning).
func TestReindexFollowsPublicationAcrossKinds(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	var want []string // kind:id, oldest first
	for i := 0; i < 4; i++ {
		age := time.Duration(8-2*i) * time.Hour
		title := fmt.Sprintf("Ordered report %d", i)
		if _, err := e.Services.Importer.ImportReports(ctx, []service.ImportedReport{{
			Key: fmt.Sprintf("order-%d", i), Title: title, Body: "They asked for a fee first.",
			Lang: "en", Category: "fake-job-offer", SeenOn: model.SeenOnPlaces[0], PublishedAt: apptest.Now.Add(-age),
		}}); err != nil {
			t.Fatal(err)
		}
		var id int64
		apptest.Must(t, e.DB.Gorm.Raw("SELECT id FROM reports WHERE title = ?", title).Scan(&id))
		want = append(want, fmt.Sprintf("report:%d", id))
		w := e.Warning(t, apptest.Titled(fmt.Sprintf("Ordered warning %d", i)), apptest.PublishedAgo(age-time.Hour))
		want = append(want, fmt.Sprintf("warning:%d", w))
	}
	if _, err := e.Services.Search.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		Kind   string
		ItemID int64
	}
	apptest.Must(t, e.DB.Gorm.Raw("SELECT kind, item_id FROM search_docs WHERE kind IN ('warning', 'report') ORDER BY id").Scan(&rows))
	var got []string
	for _, r := range rows {
		if k := fmt.Sprintf("%s:%d", r.Kind, r.ItemID); !slices.Contains(got, k) {
			got = append(got, k)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("documents after a reindex, in index order:\n%v\nwant (publication order):\n%v", got, want)
	}
}

// Documents far apart in the index (on PostgreSQL, in windows of 1,024
// ids with none between them) are still read newest first and all found:
// the first reads cover the newest windows, the later ones widen to the
// oldest, and a word that only the two oldest eras hold is found across
// dozens of empty windows, by wide reads that name their range of ids and
// not their windows.
func TestSearchReadsDistantDocumentsNewestFirst(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	const window = 1024 // store.searchWindow
	var want []int64    // report ids, oldest first
	eras := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}
	title := func(era, i int) string { return fmt.Sprintf("Story %c of era %s", 'a'+i, eras[era]) }
	for era, gap := range []int64{0, 68, 37, 1, 1, 1, 1, 1} {
		if gap > 0 {
			var newest int64
			apptest.Must(t, e.DB.Gorm.Raw("SELECT COALESCE(MAX(id), 0) FROM search_docs").Scan(&newest))
			if e.DB.Dialect == "postgres" {
				apptest.Must(t, e.DB.Gorm.Exec("SELECT setval(pg_get_serial_sequence('search_docs', 'id'), ?)", newest+gap*window))
			} else {
				apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_docs (id, kind, item_id, lang, title, org) VALUES (?, 'gap', ?, 'en', '', '')", newest+gap*window, era))
			}
		}
		var reports []service.ImportedReport
		for i := 0; i < 3; i++ {
			body := "They sent us to Quaggaline depots."
			if era < 2 && i == 0 {
				body += " Lonelyquagga was the boss."
			}
			reports = append(reports, service.ImportedReport{
				Key: fmt.Sprintf("era-%d-%d", era, i), Title: title(era, i), Body: body,
				Lang: "en", Category: "fake-job-offer", SeenOn: model.SeenOnPlaces[0], PublishedAt: apptest.Now.Add(-time.Duration(100-10*era-i) * time.Hour),
			})
		}
		if _, err := e.Services.Importer.ImportReports(ctx, reports); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			var id int64
			apptest.Must(t, e.DB.Gorm.Raw("SELECT id FROM reports WHERE title = ?", title(era, i)).Scan(&id))
			want = append(want, id)
		}
	}
	slices.Reverse(want)
	lonely := []int64{want[len(want)-4], want[len(want)-1]} // the first of the two oldest eras
	if e.DB.Dialect == "postgres" {
		var windows int64
		apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(DISTINCT id / ?) FROM search_docs WHERE kind = 'report'", window).Scan(&windows))
		if windows != 8 {
			t.Fatalf("the reports lie in %d windows, want 8", windows)
		}
	}
	reports := store.SearchFilter{Kinds: []string{"report"}}
	for limit := 1; limit <= 24; limit++ {
		hits, err := e.Store.SearchText(ctx, [][]string{{"quaggaline"}}, nil, false, reports, 0, limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range hits {
			got = append(got, h.ItemID)
		}
		if w := want[:min(limit, len(want))]; !slices.Equal(got, w) {
			t.Errorf("limit %d: %v, want %v", limit, got, w)
		}
		// Read on from the last hit, the rest comes in order, none twice:
		// from the same window, the next ones or an empty one.
		if len(hits) == 0 {
			continue
		}
		rest, err := e.Store.SearchText(ctx, [][]string{{"quaggaline"}}, nil, false, reports, hits[len(hits)-1].ID, 24)
		if err != nil {
			t.Fatal(err)
		}
		var more []int64
		for _, h := range rest {
			more = append(more, h.ItemID)
		}
		if w := want[min(limit, len(want)):]; !slices.Equal(more, w) {
			t.Errorf("after the first %d: %v, want %v", limit, more, w)
		}
	}
	for _, q := range []struct {
		words     []string
		prefix    bool
		titleOnly bool
		want      []int64
	}{
		{[]string{"lonelyquagga"}, false, false, lonely},
		{[]string{"lonelyq"}, true, false, lonely},
		{[]string{"era", "alpha"}, false, true, want[len(want)-3:]},
		{[]string{"alph"}, true, true, want[len(want)-3:]},
		{[]string{"quaggaline"}, false, true, nil},
	} {
		hits, err := e.Store.SearchText(ctx, [][]string{q.words}, []bool{q.prefix}, q.titleOnly, reports, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, h := range hits {
			got = append(got, h.ItemID)
		}
		if !slices.Equal(got, q.want) {
			t.Errorf("%v (prefix %v, title only %v): %v, want %v", q.words, q.prefix, q.titleOnly, got, q.want)
		}
	}
}

// TestSearchIndexIsCompactedAfterALargeBacklog checks that indexing a
// backlog of at least Config.SearchCompactAfter items compacts the index
// (SQLite: the word index in one segment; PostgreSQL: the documents
// vacuumed and analysed), that a smaller backlog leaves it as it is, and
// that the compacted index finds what it found before.
func TestSearchIndexIsCompactedAfterALargeBacklog(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	if e.DB.Dialect != "postgres" {
		// FTS5 merges segments on its own now and then; without that,
		// each transaction that indexes leaves a segment of its own.
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)"))
	}
	items := map[string]int64{}
	for _, name := range []string{"Wombatwork", "Numbatjobs", "Quokkatravel"} {
		items[strings.ToLower(name)] = e.Warning(t, apptest.Titled(name+" hires drivers for Spain"))
	}
	// segments is the number of segments of SQLite's word index, or on
	// PostgreSQL 1 once search_docs was vacuumed and analysed by hand
	// (autovacuum's runs are counted apart), else 2.
	segments := func() int64 {
		t.Helper()
		var n int64
		if e.DB.Dialect == "postgres" {
			apptest.Must(t, e.DB.Gorm.Raw(`SELECT CASE WHEN last_vacuum IS NOT NULL AND last_analyze IS NOT NULL THEN 1 ELSE 2 END
				FROM pg_stat_user_tables WHERE relid = 'search_docs'::regclass`).Scan(&n))
		} else {
			apptest.Must(t, e.DB.Gorm.Raw("SELECT COUNT(DISTINCT segid) FROM search_fts_idx").Scan(&n))
		}
		return n
	}
	indexAgain := func(compactAfter int) int {
		t.Helper()
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings WHERE true ON CONFLICT (kind, item_id) DO NOTHING"))
		cfg := service.DefaultConfig()
		cfg.SearchCompactAfter = compactAfter
		n, err := service.New(e.Store, func() time.Time { return apptest.Now }, cfg).Search.IndexBacklog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := segments(); got < 2 {
		t.Fatalf("%d segments before the backlog; the test needs several", got)
	}
	n := indexAgain(1000)
	if n < len(items) {
		t.Fatalf("the backlog indexed %d items, want at least %d", n, len(items))
	}
	if got := segments(); got < 2 {
		t.Errorf("a backlog of %d items (fewer than 1,000) compacted the index: %d segments", n, got)
	}
	indexAgain(n)
	if got := segments(); got != 1 {
		t.Errorf("a backlog of %d items, as many as SearchCompactAfter, left %d segments, want 1", n, got)
	}
	for name, id := range items {
		wantFound(t, e, "compacted", name, fmt.Sprintf("warning:%d", id), true)
		wantFound(t, e, "compacted, by prefix", name[:5], fmt.Sprintf("warning:%d", id), true)
	}
	// A rebuild compacts whatever the count.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warning_translations SET title = title || ' again'"))
	if e.DB.Dialect != "postgres" {
		if got := segments(); got < 2 {
			t.Fatalf("%d segments after a write", got)
		}
	}
	if _, err := e.Services.Search.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if got := segments(); got != 1 {
		t.Errorf("a rebuild left %d segments, want 1", got)
	}
}

// TestSearchReadsNoDocumentForAPrefixThatBeginsNoWord checks that a query
// whose word begins no word of the vocabulary (a name no one reported, a
// typo that no correction fixes) reads no document once the vocabulary
// holds every word of the index, and that the index is still read while
// items wait in the backlog, or for a word with a digit, which the
// vocabulary does not hold.
func TestSearchReadsNoDocumentForAPrefixThatBeginsNoWord(t *testing.T) {
	t.Parallel()
	e := apptest.NewLoggingQueries(t, 0)
	id := e.Warning(t, apptest.Titled("Capybaratours hires guides since 2026"))
	// Both engines' reads of the index begin so (the log cuts long
	// statements).
	const read = "SELECT d.id, d.kind, d.item_id, d.lang, d.report_id, d.published_at, d.title, d.org"
	reads := func(q string) int {
		t.Helper()
		before := strings.Count(e.Log.String(), read)
		searchIDs(t, e, q)
		return strings.Count(e.Log.String(), read) - before
	}
	if n := reads("qzxjvwkp"); n != 0 {
		t.Errorf("a word that begins no word of the vocabulary read the index %d times", n)
	}
	if n := reads("capybaratours qzxjvwkp"); n != 0 {
		t.Errorf("two words, one of them beginning no word, read the index %d times", n)
	}
	if n := reads("capybarat"); n == 0 {
		t.Errorf("a known prefix did not read the index")
	}
	if got := searchIDs(t, e, "since2026"); !slices.Contains(got, fmt.Sprintf("warning:%d", id)) {
		t.Errorf("a word joined with a number, which the vocabulary does not hold, finds %v", got)
	}
	if n := reads("qzxjvwkp2"); n == 0 {
		t.Errorf("a word with a digit did not read the index")
	}
	apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO search_dirty (kind, item_id, backlog) VALUES ('warning', ?, 1)", id))
	if n := reads("qzxjvwkp"); n == 0 {
		t.Errorf("with items in the backlog, a word the vocabulary lacks did not read the index")
	}
}

// TestSearchCorrectsATypoToWholeWords checks that the corrections of a
// typo are searched as the words of the vocabulary that they are, not
// expanded again as prefixes: the only prefix looked up in the
// vocabulary is the query's own word.
func TestSearchCorrectsATypoToWholeWords(t *testing.T) {
	t.Parallel()
	e := apptest.NewLoggingQueries(t, 0)
	id := e.Warning(t, apptest.Titled("Capybaratours hires guides"))
	e.Warning(t, apptest.Titled("Capybaratourism promises visas"))
	const expand = "SELECT term FROM search_terms WHERE term >="
	before := strings.Count(e.Log.String(), expand)
	got := searchIDs(t, e, "Capybaratuors")
	if n := strings.Count(e.Log.String(), expand) - before; n != 1 {
		t.Errorf("the typo looked %d prefixes up in the vocabulary, want 1 (its own)", n)
	}
	if want := []string{fmt.Sprintf("warning:%d", id)}; !slices.Equal(got, want) {
		t.Errorf("Capybaratuors finds %v, want %v", got, want)
	}
	// Beside a Han character, which the index holds inside bigrams and
	// finds as their prefix, the correction replaces the word alone (no
	// joined word) and the character stays a prefix.
	han := e.Warning(t, apptest.Titled("Capybaratours 求人 guides"))
	if got, want := searchIDs(t, e, "Capybaratuors 求"), []string{fmt.Sprintf("warning:%d", han)}; !slices.Equal(got, want) {
		t.Errorf("Capybaratuors 求 finds %v, want %v", got, want)
	}
}
