package service

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"forewarn/app/apperr"
	"forewarn/app/extract"
	"forewarn/app/model"
	"forewarn/app/search"
	"forewarn/app/store"
)

// Search limits.
const (
	// SearchMaxRunes is the longest query read; a longer one is refused.
	SearchMaxRunes = 200
	// searchMaxTokens bounds the words of a query that are matched.
	searchMaxTokens = 8
	// searchCandidates is how many documents of each kind a query reads
	// from the engine, and so the deepest page it reaches.
	searchCandidates = 200
	// searchTermCandidates is how many words of the vocabulary a word
	// with a typo is compared with, and searchTypoAlternatives how many
	// corrections one edit away are searched.
	searchTermCandidates   = 500
	searchTypoAlternatives = 8
	// SearchDefaultLimit and SearchMaxLimit bound a page of results.
	SearchDefaultLimit = 20
	SearchMaxLimit     = 50
	// snippetWords is about how long a snippet is.
	snippetWords = 30
	// searchRecent is how recent a result must be to rank above older
	// ones of its tier.
	searchRecent = 90 * 24 * time.Hour
)

// Search types.
const (
	SearchWarnings    = "warning"
	SearchExperiences = "experience"
)

// Searcher finds published warnings and public reports and replies.
type Searcher struct {
	store   *store.Store
	checker *Checker
	now     func() time.Time
	// compactAfter is how many items of the backlog, indexed at once,
	// make IndexBacklog compact the index.
	compactAfter int
}

// defaultSearchCompactAfter is Config.SearchCompactAfter when zero.
const defaultSearchCompactAfter = 10000

// newSearcher returns a Searcher.
func newSearcher(st *store.Store, checker *Checker, now func() time.Time, compactAfter int) *Searcher {
	if compactAfter <= 0 {
		compactAfter = defaultSearchCompactAfter
	}
	return &Searcher{store: st, checker: checker, now: now, compactAfter: compactAfter}
}

// SearchQuery is what a reader asks for.
type SearchQuery struct {
	Q        string
	Type     string // "", warning or experience
	Country  string
	Category string // a category slug
	Lang     string // only texts in this language
	Cursor   string
	Limit    int
	// ReaderLang is the reader's language: a warning's text in it is
	// preferred when several match.
	ReaderLang string
}

// SearchResult is one found item.
type SearchResult struct {
	// Kind is warning, report or reply.
	Kind     string
	ID       int64
	ReportID int64 // the thread of a reply
	Lang     string
	// Title is the title as written (of the thread, for a reply);
	// TitleHTML marks the query in it.
	Title     string
	TitleHTML template.HTML
	Snippet   template.HTML
	// Contact says that the item mentions a contact of the query.
	Contact     bool
	PublishedAt *time.Time
}

// SearchPage is one page of results.
type SearchPage struct {
	Query string
	// Empty says that the query holds nothing to search for.
	Empty   bool
	Results []SearchResult
	// Contacts are the contacts found in the query, normalised.
	Contacts []CheckedIndicator
	Next     string
}

// validate reads the query's filters.
func (s *Searcher) validate(ctx context.Context, in SearchQuery) (store.SearchFilter, int, int, error) {
	var errs apperr.Invalids
	f := store.SearchFilter{}
	if utf8.RuneCountInString(in.Q) > SearchMaxRunes {
		errs = append(errs, &apperr.Invalid{Field: "q", Key: "error.search.too_long", Args: map[string]any{"Max": SearchMaxRunes}})
	}
	switch in.Type {
	case "":
		f.Kinds = []string{"warning", "report", "reply"}
	case SearchWarnings:
		f.Kinds = []string{"warning"}
	case SearchExperiences:
		f.Kinds = []string{"report", "reply"}
	default:
		errs = append(errs, &apperr.Invalid{Field: "type", Key: "error.search.type"})
	}
	if in.Country != "" {
		code, ok := CountryCode(in.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		f.Country = code
	}
	if in.Lang != "" {
		if !slices.Contains(ContentLanguages(), in.Lang) {
			errs = append(errs, &apperr.Invalid{Field: "lang", Key: "error.language.unknown"})
		}
		f.Lang = in.Lang
	}
	if in.Category != "" {
		ids, err := s.store.CategoryIDs(ctx)
		if err != nil {
			return f, 0, 0, fmt.Errorf("search: %w", err)
		}
		id, ok := ids[in.Category]
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "category", Key: "error.category.unknown"})
		}
		f.CategoryID = id
	}
	offset := 0
	if in.Cursor != "" {
		n, err := strconv.Atoi(in.Cursor)
		if err != nil || n < 0 || n > 2*searchCandidates || strconv.Itoa(n) != in.Cursor {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
		offset = n
	}
	limit := in.Limit
	switch {
	case limit == 0:
		limit = SearchDefaultLimit
	case limit < 0 || limit > SearchMaxLimit:
		errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": SearchMaxLimit}})
	}
	return f, offset, limit, errs.Err()
}

// scored is a candidate on its way to the page.
type scored struct {
	hit     store.SearchHit
	contact bool
	tier    int
	recent  bool
}

// Search runs a query. The query is read as plain text whatever it holds:
// its words are normalised as the index is (app/search) and quoted for the
// engine, so that no character is syntax.
func (s *Searcher) Search(ctx context.Context, in SearchQuery) (SearchPage, error) {
	f, offset, limit, err := s.validate(ctx, in)
	if err != nil {
		return SearchPage{}, err
	}
	page := SearchPage{Query: in.Q}
	text := strings.ToValidUTF8(in.Q, " ")
	var cands []scored
	contacts, err := s.contacts(ctx, text, f, &page)
	if err != nil {
		return SearchPage{}, err
	}
	cands = append(cands, contacts...)
	// A contact is matched exactly, as the check does: its pieces (a
	// domain's "example", a number) are not searched as words too, which
	// would only find the same items after reading every text that holds
	// one of them.
	for _, c := range page.Contacts {
		if c.Raw != "" {
			text = strings.ReplaceAll(text, c.Raw, " ")
		}
	}
	tokens := search.QueryTokens(text)
	if len(tokens) > searchMaxTokens {
		tokens = tokens[:searchMaxTokens]
	}
	if len(tokens) == 0 && len(cands) == 0 {
		page.Empty = true
		return page, nil
	}
	q := search.NewQuery(tokens)
	if len(tokens) > 0 {
		alts := [][]string{tokens}
		for i := 0; i+1 < len(tokens); i++ {
			if search.UnspacedToken(tokens[i]) || search.UnspacedToken(tokens[i+1]) {
				continue // bigrams of Han or kana: written together already
			}
			alt := append(append(slices.Clone(tokens[:i]), tokens[i]+tokens[i+1]), tokens[i+2:]...)
			alts = append(alts, alt)
		}
		if with := search.QueryTokensWithArticle(text); !slices.Equal(with, search.QueryTokens(text)) {
			alts = append(alts, with[:min(len(with), searchMaxTokens)])
		}
		// Each engine reads the newest documents first and stops at the
		// limit. A few first: when the page is made already of results
		// that no older match can pass (title matches of the best kind),
		// that is all. Else on from where it stopped, up to
		// searchCandidates in all; when they fill it, older ones whose
		// title matches (they rank first) are read on their own, unless
		// the page is settled by then.
		need := offset + limit
		settled := func(found []scored) bool {
			return titlesCannotPass(s.rank(append(slices.Clone(cands), found...), in.ReaderLang), f, need)
		}
		quick := min(searchCandidates, 3*need)
		hits, err := s.store.SearchText(ctx, alts, []bool{true}, false, f, 0, quick)
		if err != nil {
			return SearchPage{}, fmt.Errorf("search: %w", err)
		}
		found := s.scoreHits(hits, q)
		if len(hits) == quick && quick < searchCandidates && !settled(found) {
			more, err := s.store.SearchText(ctx, alts, []bool{true}, false, f, hits[len(hits)-1].ID, searchCandidates-quick)
			if err != nil {
				return SearchPage{}, fmt.Errorf("search: %w", err)
			}
			hits = append(hits, more...)
			found = append(found, s.scoreHits(more, q)...)
		}
		full := len(hits) == searchCandidates
		if len(hits) == 0 {
			if hits, err = s.typos(ctx, tokens, f); err != nil {
				return SearchPage{}, err
			}
			found = s.scoreHits(hits, q)
		}
		if full && !settled(found) {
			titled, err := s.store.SearchText(ctx, alts, []bool{true}, true, f, hits[len(hits)-1].ID, searchCandidates)
			if err != nil {
				return SearchPage{}, fmt.Errorf("search: %w", err)
			}
			found = append(found, s.scoreHits(titled, q)...)
		}
		cands = append(cands, found...)
	}
	results := s.rank(cands, in.ReaderLang)
	if offset >= len(results) {
		results = nil
	} else {
		results = results[offset:]
	}
	if len(results) > limit {
		results = results[:limit]
		page.Next = strconv.Itoa(offset + limit)
	}
	page.Results, err = s.snippets(ctx, results, q)
	return page, err
}

// scoreHits places the hits of a text search in their tier: the title
// answers the query, the names do, or only the rest of the text.
func (s *Searcher) scoreHits(hits []store.SearchHit, q search.Query) []scored {
	now := s.now()
	out := make([]scored, 0, len(hits))
	for _, h := range hits {
		c := scored{hit: h, tier: 2}
		switch {
		case q.AllIn(strings.Fields(h.Title)):
			c.tier = 0
		case q.AllIn(h.NameWords()):
			c.tier = 1
		}
		c.recent = h.PublishedAt != nil && now.Sub(*h.PublishedAt) < searchRecent
		out = append(out, c)
	}
	return out
}

// titlesCannotPass reports whether the first n ranked results are all
// ones that an older title match could not rank above: contacts, and
// title matches of the best kind the filter lets through (warnings, or
// experiences when only they are searched). Older title matches would
// then only come after them, and n results need not wait for them.
// "Older" is in the engine's order, that of indexing, which follows
// publication: an item is indexed when it is published or edited, and a
// rebuild indexes the backlog in the order of publication
// (Store.IndexSearchBacklog).
func titlesCannotPass(ranked []scored, f store.SearchFilter, n int) bool {
	if len(ranked) < n {
		return false
	}
	best := "warning"
	if !slices.Contains(f.Kinds, "warning") {
		best = ""
	}
	for _, c := range ranked[:n] {
		if c.contact {
			continue
		}
		if c.tier != 0 || best != "" && c.hit.Kind != best {
			return false
		}
	}
	return true
}

// contacts matches the contacts that the query holds exactly, as the
// check does, and returns the items that mention them.
func (s *Searcher) contacts(ctx context.Context, text string, f store.SearchFilter, page *SearchPage) ([]scored, error) {
	companies, err := s.checker.knownCompanies(ctx)
	if err != nil {
		return nil, err
	}
	found := extract.Extract(text, extract.Options{Region: f.Country, Companies: companies})
	var hashes []string
	for _, x := range found {
		if x.Kind == extract.KindCompany {
			continue // a company's name is text: the index finds it
		}
		h := Hash(x.Normalized)
		hashes = append(hashes, h)
		page.Contacts = append(page.Contacts, CheckedIndicator{Kind: model.IndicatorKind(x.Kind), Platform: x.Platform, Raw: x.Raw, Normalized: x.Normalized, Hash: h})
	}
	if len(hashes) == 0 {
		return nil, nil
	}
	matches, err := s.store.MatchIndicators(ctx, hashes)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var ids []int64
	for _, m := range matches {
		for _, c := range page.Contacts {
			if c.Hash == m.Hash && c.Kind == m.Kind {
				ids = append(ids, m.ID)
			}
		}
	}
	var out []scored
	if slices.Contains(f.Kinds, "warning") {
		ws, err := s.store.WarningsMentioning(ctx, ids, searchCandidates)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, list := range ws {
			for _, w := range list {
				if f.Lang != "" && w.Lang != f.Lang || f.CategoryID != 0 && w.CategoryID != f.CategoryID {
					continue
				}
				out = append(out, scored{contact: true, hit: store.SearchHit{Kind: "warning", ItemID: w.ID, Lang: w.Lang, PublishedAt: w.PublishedAt}})
			}
		}
	}
	if slices.Contains(f.Kinds, "report") {
		rs, err := s.store.ReportsMentioning(ctx, ids, searchCandidates)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, list := range rs {
			for _, r := range list {
				if f.Lang != "" && r.Lang != f.Lang || f.CategoryID != 0 && r.CategoryID != f.CategoryID {
					continue
				}
				out = append(out, scored{contact: true, hit: store.SearchHit{Kind: "report", ItemID: r.ID, Lang: r.Lang, PublishedAt: r.PublishedAt}})
			}
		}
	}
	if f.Country != "" && len(out) > 0 {
		// The country filter holds for contacts too: keep those on a route
		// through it, as the text search does.
		kept, err := s.onRoute(ctx, out, f)
		if err != nil {
			return nil, err
		}
		out = kept
	}
	return out, nil
}

// onRoute keeps the contact matches whose item the index finds under the
// filter; an item not yet indexed is kept.
func (s *Searcher) onRoute(ctx context.Context, in []scored, f store.SearchFilter) ([]scored, error) {
	var out []scored
	for _, c := range in {
		ok, err := s.store.SearchItemMatches(ctx, c.hit.Kind, c.hit.ItemID, f)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// typos corrects the longest word of the query (or its words written
// together), five runes or more, against the vocabulary (every word,
// route countries among them), and searches the query again with the
// corrections one edit away. The bigrams of Han, kana and Thai are not
// words to correct.
func (s *Searcher) typos(ctx context.Context, tokens []string, f store.SearchFilter) ([]store.SearchHit, error) {
	longest, at := "", -1
	words := slices.Clone(tokens)
	if !slices.ContainsFunc(tokens, search.UnspacedToken) {
		words = append(words, strings.Join(tokens, ""))
	}
	for i, t := range words {
		if search.UnspacedToken(t) {
			continue
		}
		if utf8.RuneCountInString(t) > utf8.RuneCountInString(longest) {
			longest, at = t, i
		}
	}
	n := utf8.RuneCountInString(longest)
	if n < search.TypoMinRunes {
		return nil, nil
	}
	terms, err := s.store.SearchTerms(ctx, search.TypoPieces(longest), n-1, n+1, searchTermCandidates)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	var alts [][]string
	for _, t := range terms {
		if t == longest || !search.Typo(longest, t) {
			continue
		}
		if at < len(tokens) {
			alt := slices.Clone(tokens)
			alt[at] = t
			alts = append(alts, alt)
		} else {
			alts = append(alts, []string{t})
		}
		if len(alts) == searchTypoAlternatives {
			break
		}
	}
	if len(alts) == 0 {
		return nil, nil
	}
	// A correction that is the whole query (one word, or the query's
	// words joined) is a word of the vocabulary already: searched as a
	// whole word, not as a prefix, whose expansion (a name's joined
	// neighbours among them) ORs a score of words into every read. Beside
	// Han, kana or Thai tokens (no joined word is corrected then), every
	// token stays a prefix: a single character is found inside bigrams.
	var prefix []bool
	if len(alts[0]) > 1 {
		prefix = []bool{true}
	}
	return s.store.SearchText(ctx, alts, prefix, false, f, 0, searchCandidates)
}

// rank orders the candidates: contacts first, then warnings before
// experiences; within each, title matches, then names, then the rest,
// recent before older, then newest; one result per item, in the reader's
// language when it matched in it.
func (s *Searcher) rank(cands []scored, readerLang string) []scored {
	// The order is decided on small keys, each computed once; the
	// candidates (large structs) are not moved while sorting.
	type sortKey struct {
		group, tier, recent int
		pub, item           int64
		at                  int
	}
	keys := make([]sortKey, len(cands))
	for i, c := range cands {
		k := sortKey{group: 2, tier: c.tier, recent: 1, item: c.hit.ItemID, at: i}
		if c.hit.Kind != "warning" {
			k.group++
		}
		if c.contact {
			k.group -= 2
		}
		if c.recent {
			k.recent = 0
		}
		if c.hit.PublishedAt != nil {
			k.pub = c.hit.PublishedAt.Unix()
		}
		keys[i] = k
	}
	slices.SortStableFunc(keys, func(a, b sortKey) int {
		return cmp.Or(
			cmp.Compare(a.group, b.group),
			cmp.Compare(a.tier, b.tier),
			cmp.Compare(a.recent, b.recent),
			cmp.Compare(b.pub, a.pub),
			cmp.Compare(b.item, a.item),
		)
	})
	// One per item: the first (best) one, with the reader's language when
	// a document in it is as good.
	type key struct {
		kind string
		id   int64
	}
	at := make(map[key]int, len(cands))
	out := make([]scored, 0, len(cands))
	for _, sk := range keys {
		c := cands[sk.at]
		k := key{c.hit.Kind, c.hit.ItemID}
		if i, ok := at[k]; ok {
			if c.hit.Lang == readerLang && out[i].hit.Lang != readerLang && out[i].tier == c.tier && !out[i].contact {
				out[i] = c
			}
			if c.contact {
				out[i].contact = true
			}
			continue
		}
		at[k] = len(out)
		out = append(out, c)
	}
	return out
}

// snippets reads the texts of the page's results and marks the query in
// them.
func (s *Searcher) snippets(ctx context.Context, page []scored, q search.Query) ([]SearchResult, error) {
	warnings := map[int64][]string{}
	var reports, replies []int64
	for _, c := range page {
		switch c.hit.Kind {
		case "warning":
			warnings[c.hit.ItemID] = append(warnings[c.hit.ItemID], c.hit.Lang)
		case "report":
			reports = append(reports, c.hit.ItemID)
		case "reply":
			replies = append(replies, c.hit.ItemID)
		}
	}
	src, err := s.store.SearchSources(ctx, warnings, reports, replies)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := make([]SearchResult, 0, len(page))
	for _, c := range page {
		r := SearchResult{Kind: c.hit.Kind, ID: c.hit.ItemID, Lang: c.hit.Lang, Contact: c.contact, PublishedAt: c.hit.PublishedAt}
		if c.hit.ReportID != nil {
			r.ReportID = *c.hit.ReportID
		}
		var text store.SearchSource
		switch c.hit.Kind {
		case "warning":
			text = src[fmt.Sprintf("warning:%d:%s", c.hit.ItemID, c.hit.Lang)]
		default:
			text = src[fmt.Sprintf("%s:%d", c.hit.Kind, c.hit.ItemID)]
		}
		r.Title = text.Title
		r.TitleHTML, _ = search.Mark(text.Title, q, 0)
		if c.hit.Kind == "reply" {
			r.TitleHTML, _ = search.Mark(text.Title, search.Query{}, 0)
		}
		r.Snippet = ""
		fields := []string{text.Summary, text.WhatToDo, text.Body}
		for _, field := range fields {
			if m, ok := search.Mark(field, q, snippetWords); ok {
				r.Snippet = m
				break
			}
		}
		if r.Snippet == "" {
			for _, field := range fields {
				if strings.TrimSpace(field) != "" {
					r.Snippet, _ = search.Mark(field, q, snippetWords)
					break
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Reindex rebuilds the index from the content: every item is indexed again
// and documents of items that are gone are dropped. It returns how many
// items it read.
func (s *Searcher) Reindex(ctx context.Context) (int, error) {
	n, err := s.store.ReindexSearch(ctx)
	if err != nil {
		return n, fmt.Errorf("search reindex: %w", err)
	}
	return n, nil
}

// EnsureIndexVersion queues every item for indexing again when the index
// was built by another version of the normaliser (search.Version), and
// reports whether it did; IndexBacklog then indexes them.
func (s *Searcher) EnsureIndexVersion(ctx context.Context) (bool, error) {
	queued, err := s.store.EnsureSearchVersion(ctx)
	if err != nil {
		return false, fmt.Errorf("search index version: %w", err)
	}
	return queued, nil
}

// IndexBacklog indexes the items that waited since the index was created
// (or since a reindex began), in batches, until none is left or ctx ends.
// After many (compactAfter), it compacts the index (Store.CompactSearch).
func (s *Searcher) IndexBacklog(ctx context.Context) (int, error) {
	n, err := s.store.IndexSearchBacklog(ctx)
	if err != nil {
		return n, fmt.Errorf("search backlog: %w", err)
	}
	if n >= s.compactAfter {
		if err := s.store.CompactSearch(ctx); err != nil {
			return n, fmt.Errorf("search backlog: %w", err)
		}
	}
	return n, nil
}
