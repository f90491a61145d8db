package service

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/search"
	"forewarn/app/store"
)

// Limits of the related content of a report.
const (
	// relatedShared is how many warnings, and how many reports, sharing an
	// indicator are listed.
	relatedShared = 10
	// relatedSimilar is how many items similar by text are listed.
	relatedSimilar = 5
	// relatedTerms is how many words of a report's text are looked up.
	relatedTerms = 8
	// relatedTermDocs is the most items a word may be found in and still
	// tell items apart; a word found in more is too common and is dropped.
	relatedTermDocs = 50
	// relatedSnippetWords is about how long a snippet of a similar item is.
	relatedSnippetWords = 20
)

// RelatedIndicator is an indicator that a related item shares.
type RelatedIndicator struct {
	Kind     model.IndicatorKind
	Platform string
	Value    string
}

// RelatedItem is a warning or a report related to the one a moderator
// looks at.
type RelatedItem struct {
	// Kind is "warning" or "report".
	Kind   string
	ID     int64
	Title  string
	Lang   string
	Status string
	// Public says that everyone may read it; only a public report can be
	// the source of a warning.
	Public bool
	// Shared are the indicators it shares with the report.
	Shared  []RelatedIndicator
	Snippet template.HTML
}

// RelatedContent is what a moderator is shown next to a report: the
// published warnings and the other reports that share an indicator with
// it, then the items most similar by text.
type RelatedContent struct {
	// ReportID is the report, or the report a reply answers.
	ReportID int64
	// Reply is set for a reply: its indicators are read from its text.
	Reply    bool
	Warnings []RelatedItem
	Reports  []RelatedItem
	Similar  []RelatedItem
}

// Count is how many related items there are.
func (rc RelatedContent) Count() int { return len(rc.Warnings) + len(rc.Reports) + len(rc.Similar) }

// activeStaff refuses anyone but a moderator or an admin whose account is
// not banned.
func activeStaff(u *model.User, now func() time.Time) error {
	if u == nil || !isStaff(u.Role) || (u.BannedUntil != nil && u.BannedUntil.After(now())) {
		return fmt.Errorf("related: %w", apperr.ErrForbidden)
	}
	return nil
}

// Related returns the content related to report id, for a moderator who
// moderates it; anyone else is told it does not exist (apperr.ErrNotFound)
// or is refused (apperr.ErrForbidden). Reports out of the moderator's scope
// are listed only when public; the report itself never is.
func (m *Moderation) Related(ctx context.Context, moderator *model.User, id int64) (RelatedContent, error) {
	if err := activeStaff(moderator, m.now); err != nil {
		return RelatedContent{}, err
	}
	r, err := findInScope(ctx, "related of report", id, m.store.Report, func(ctx context.Context, r model.Report) (bool, error) {
		return m.forum.moderates(ctx, moderator, r)
	})
	if err != nil {
		return RelatedContent{}, err
	}
	out, err := m.related(ctx, moderator, []model.QueueItem{{Kind: "report", ID: r.ID, ReportID: r.ID, Title: r.Title, Body: r.Body, Lang: r.Lang}})
	if err != nil {
		return RelatedContent{}, err
	}
	return out[RelatedKey("report", r.ID)], nil
}

// RelatedKey names a queue item in QueuePage.Related: "report:12",
// "reply:7".
func RelatedKey(kind string, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

// related finds the related content of items, all of which moderator
// moderates, keyed by RelatedKey: a report's by the indicators stored for
// it, a reply's by those its text holds (read in its report's countries),
// in a fixed number of queries for the indicators and a few bounded
// look-ups of the search index per item.
func (m *Moderation) related(ctx context.Context, moderator *model.User, items []model.QueueItem) (map[string]RelatedContent, error) {
	sc, err := m.postScope(ctx, moderator)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	out := make(map[string]RelatedContent, len(items))
	if len(items) == 0 {
		return out, nil
	}
	mine, indIDs, err := m.itemIndicators(ctx, items)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	limit := 4 * relatedShared * len(items)
	ws, err := m.store.WarningsSharing(ctx, indIDs, limit)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	rs, err := m.store.ReportsSharing(ctx, indIDs, nil, sc, limit)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	probes := map[string][]store.SearchHit{}
	for _, it := range items {
		key := RelatedKey(it.Kind, it.ID)
		rc := RelatedContent{ReportID: it.ReportID, Reply: it.Kind == "reply"}
		rc.Warnings = shared(ws, mine[key], "warning", it.ReportID)
		rc.Reports = shared(rs, mine[key], "report", it.ReportID)
		if rc.Similar, err = m.similar(ctx, it, rc, probes); err != nil {
			return nil, err
		}
		out[key] = rc
	}
	return out, nil
}

// itemIndicators returns the indicators of each item, by RelatedKey and
// indicator ID, and all their IDs: the stored links of reports, and for
// replies the indicators their text holds that are stored (mentioned by
// some report or warning; any other cannot be shared).
func (m *Moderation) itemIndicators(ctx context.Context, items []model.QueueItem) (map[string]map[int64]RelatedIndicator, []int64, error) {
	out := map[string]map[int64]RelatedIndicator{}
	var ids []int64
	add := func(key string, id int64, in RelatedIndicator) {
		if out[key] == nil {
			out[key] = map[int64]RelatedIndicator{}
		}
		out[key][id] = in
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	var reports, threads []int64
	for _, it := range items {
		switch it.Kind {
		case "report":
			reports = append(reports, it.ID)
		case "reply":
			threads = append(threads, it.ReportID)
		}
	}
	inds, err := m.store.IndicatorsOfReports(ctx, reports)
	if err != nil {
		return nil, nil, err
	}
	for _, in := range inds {
		add(RelatedKey("report", in.ReportID), in.IndicatorID, RelatedIndicator{Kind: in.Kind, Platform: in.Platform, Value: in.Normalized})
	}
	if len(threads) == 0 {
		return out, ids, nil
	}
	route, err := m.store.ReportCountries(ctx, threads)
	if err != nil {
		return nil, nil, err
	}
	found := map[string][]string{} // hash → keys of the replies holding it
	var hashes []string
	for _, it := range items {
		if it.Kind != "reply" {
			continue
		}
		fs, err := m.forum.findIndicators(ctx, it.Body, route[it.ReportID])
		if err != nil {
			return nil, nil, err
		}
		for _, f := range fs {
			h := Hash(f.Normalized)
			if _, ok := found[h]; !ok {
				hashes = append(hashes, h)
			}
			found[h] = append(found[h], RelatedKey("reply", it.ID))
		}
	}
	stored, err := m.store.IndicatorsByHash(ctx, hashes)
	if err != nil {
		return nil, nil, err
	}
	for _, in := range stored {
		for _, key := range found[in.Hash] {
			add(key, in.ID, RelatedIndicator{Kind: in.Kind, Platform: in.Platform, Value: in.Normalized})
		}
	}
	return out, ids, nil
}

// shared groups the rows that mention one of the report's indicators by
// item, the newest first, leaving out the report itself.
func shared(rows []store.SharedItem, mine map[int64]RelatedIndicator, kind string, self int64) []RelatedItem {
	var out []RelatedItem
	at := map[int64]int{}
	for _, row := range rows {
		in, ok := mine[row.IndicatorID]
		if !ok || (kind == "report" && row.ID == self) {
			continue
		}
		i, seen := at[row.ID]
		if !seen {
			if len(out) == relatedShared {
				continue
			}
			public := model.PostStatus(row.Status).Public()
			if kind == "warning" {
				public = true
			}
			at[row.ID] = len(out)
			out = append(out, RelatedItem{Kind: kind, ID: row.ID, Title: row.Title, Lang: row.Lang, Status: row.Status, Public: public})
			i = len(out) - 1
		}
		if !slices.Contains(out[i].Shared, in) {
			out[i].Shared = append(out[i].Shared, in)
		}
	}
	return out
}

// termScore is a word of a report and how much it says about the report.
type termScore struct {
	term  string
	title bool
	score int
}

// distinctiveTerms picks the words of a title and a body that say the most
// about them: words of the title first, then the most repeated, the
// longest; digits alone and words shorter than four letters are left out
// (numbers are indicators, matched as such).
func distinctiveTerms(title, body string) []termScore {
	seen := map[string]int{}
	var terms []termScore
	add := func(text string, inTitle bool) {
		toks := search.Tokens(text)
		if len(toks) > 2000 {
			toks = toks[:2000]
		}
		for _, t := range toks {
			if utf8.RuneCountInString(t) < 4 || !hasLetter(t) {
				continue
			}
			i, ok := seen[t]
			if !ok {
				i = len(terms)
				seen[t] = i
				terms = append(terms, termScore{term: t})
			}
			if inTitle {
				terms[i].title = true
				terms[i].score += 3
			} else {
				terms[i].score++
			}
		}
	}
	add(title, true)
	add(body, false)
	slices.SortStableFunc(terms, func(a, b termScore) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(utf8.RuneCountInString(b.term), utf8.RuneCountInString(a.term)), cmp.Compare(a.term, b.term))
	})
	if len(terms) > relatedTerms {
		terms = terms[:relatedTerms]
	}
	return terms
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// similar finds the public warnings and reports most similar to the item
// by text, through the search index: each distinctive word of the item is
// looked up alone (a bounded read of the index: at most
// relatedTermDocs+1 documents), words found in too many items are
// dropped, and the items are scored by the rarer words they share, title
// words counting double. Items already listed and the item itself are
// left out. probes caches the look-ups of one request.
func (m *Moderation) similar(ctx context.Context, it model.QueueItem, listed RelatedContent, probes map[string][]store.SearchHit) ([]RelatedItem, error) {
	title := it.Title
	if it.Kind == "reply" {
		title = "" // a reply's item carries the title of its report
	}
	terms := distinctiveTerms(title, it.Body)
	if len(terms) == 0 {
		return nil, nil
	}
	type key struct {
		kind string
		id   int64
	}
	skip := map[key]bool{{"report", it.ReportID}: true}
	for _, x := range listed.Warnings {
		skip[key{"warning", x.ID}] = true
	}
	for _, x := range listed.Reports {
		skip[key{"report", x.ID}] = true
	}
	type cand struct {
		hit   store.SearchHit
		score float64
		terms int
	}
	cands := map[key]*cand{}
	used := 0
	var words []string
	f := store.SearchFilter{Kinds: []string{"warning", "report"}}
	for _, t := range terms {
		hits, ok := probes[t.term]
		if !ok {
			var err error
			hits, err = m.store.SearchText(ctx, [][]string{{t.term}}, nil, false, f, 0, relatedTermDocs+1)
			if err != nil {
				return nil, fmt.Errorf("related: %w", err)
			}
			probes[t.term] = hits
		}
		if len(hits) > relatedTermDocs || len(hits) == 0 {
			continue
		}
		items := map[key]store.SearchHit{}
		for _, h := range hits {
			k := key{h.Kind, h.ItemID}
			if _, ok := items[k]; !ok || h.Lang == it.Lang {
				items[k] = h
			}
		}
		used++
		words = append(words, t.term)
		weight := math.Log(1 + float64(relatedTermDocs)/float64(len(items)))
		if t.title {
			weight *= 2
		}
		for k, h := range items {
			if skip[k] {
				continue
			}
			c := cands[k]
			if c == nil {
				c = &cand{hit: h}
				cands[k] = c
			}
			c.score += weight
			c.terms++
		}
	}
	need := min(2, used)
	var list []*cand
	for _, c := range cands {
		if c.terms >= need {
			list = append(list, c)
		}
	}
	pub := func(c *cand) int64 {
		if c.hit.PublishedAt == nil {
			return 0
		}
		return c.hit.PublishedAt.Unix()
	}
	slices.SortFunc(list, func(a, b *cand) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(pub(b), pub(a)), cmp.Compare(a.hit.Kind, b.hit.Kind), cmp.Compare(b.hit.ItemID, a.hit.ItemID))
	})
	if len(list) > relatedSimilar {
		list = list[:relatedSimilar]
	}
	if len(list) == 0 {
		return nil, nil
	}
	warnings := map[int64][]string{}
	var reports []int64
	for _, c := range list {
		if c.hit.Kind == "warning" {
			warnings[c.hit.ItemID] = append(warnings[c.hit.ItemID], c.hit.Lang)
		} else {
			reports = append(reports, c.hit.ItemID)
		}
	}
	src, err := m.store.SearchSources(ctx, warnings, reports, nil)
	if err != nil {
		return nil, fmt.Errorf("related: %w", err)
	}
	q := search.NewQuery(words)
	out := make([]RelatedItem, 0, len(list))
	for _, c := range list {
		text := src[fmt.Sprintf("report:%d", c.hit.ItemID)]
		status := string(model.PostPublished)
		if c.hit.Kind == "warning" {
			text = src[fmt.Sprintf("warning:%d:%s", c.hit.ItemID, c.hit.Lang)]
		}
		item := RelatedItem{Kind: c.hit.Kind, ID: c.hit.ItemID, Title: text.Title, Lang: c.hit.Lang, Status: status, Public: true}
		for _, field := range []string{text.Summary, text.Body} {
			if s, ok := search.Mark(field, q, relatedSnippetWords); ok {
				item.Snippet = s
				break
			}
		}
		out = append(out, item)
	}
	return out, nil
}

// maxWarningIndicators is the most indicators a warning's form takes.
const maxWarningIndicators = 50

// MaxDraftReports is the most reports a warning may be drafted from at once.
const MaxDraftReports = 50

// WarningPrefill is a new warning's form filled from reports: their
// indicators (normalised, each once), the route and the category most of
// them have, the first report's language, title and text.
type WarningPrefill struct {
	Lang, Category, Title, Body  string
	Origin, Transit, Destination string
	// Indicators holds one indicator a line, as the form reads them.
	Indicators string
	// Sources are the public reports, which the warning is linked to when
	// it is saved; Unlinked are the others (pending, hidden...), which
	// cannot be the source of a warning.
	Sources  []int64
	Unlinked []int64
}

// DraftFromReports fills a new warning's form from the reports with ids,
// the first one leading (its language, title and text, and its route
// first). Every report must be one moderator may see: public, or in their
// scope whatever its state; anything else is apperr.ErrNotFound, as if it
// did not exist. Nothing is written.
func (a *Authoring) DraftFromReports(ctx context.Context, moderator *model.User, ids []int64) (WarningPrefill, error) {
	if err := activeStaff(moderator, a.now); err != nil {
		return WarningPrefill{}, err
	}
	langs, countries, all, err := a.forum.scopeOf(ctx, moderator)
	if err != nil {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", err)
	}
	var unique []int64
	for _, id := range ids {
		if !slices.Contains(unique, id) {
			unique = append(unique, id)
		}
	}
	switch {
	case len(unique) == 0:
		return WarningPrefill{}, &apperr.Invalid{Field: "report", Key: "error.related.none"}
	case len(unique) > MaxDraftReports:
		return WarningPrefill{}, &apperr.Invalid{Field: "report", Key: "error.related.too_many", Args: map[string]any{"Max": MaxDraftReports}}
	}
	rows, err := a.store.VisibleReports(ctx, unique, store.PostScope{Langs: langs, Countries: countries, All: all})
	if err != nil {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", err)
	}
	if len(rows) != len(unique) {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", apperr.ErrNotFound)
	}
	byID := make(map[int64]model.Report, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	first := byID[unique[0]]
	p := WarningPrefill{Lang: first.Lang, Title: first.Title, Body: first.Body}
	// The category most of them have; the earliest in the list on a tie.
	counts := map[int64]int{}
	var best int64
	for _, id := range unique {
		r := byID[id]
		if r.Status.Public() {
			p.Sources = append(p.Sources, id)
		} else {
			p.Unlinked = append(p.Unlinked, id)
		}
		counts[r.CategoryID]++
		if best == 0 || counts[r.CategoryID] > counts[best] {
			best = r.CategoryID
		}
	}
	cats, err := a.warnings.allCategories(ctx)
	if err != nil {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", err)
	}
	for _, c := range cats {
		if c.ID == best {
			p.Category = c.Slug
		}
	}
	route, err := a.store.ReportCountries(ctx, unique)
	if err != nil {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", err)
	}
	for _, id := range unique {
		for _, rc := range route[id] {
			switch rc.Role {
			case model.CountryOrigin:
				p.Origin = cmp.Or(p.Origin, rc.Country)
			case model.CountryTransit:
				p.Transit = cmp.Or(p.Transit, rc.Country)
			case model.CountryDestination:
				p.Destination = cmp.Or(p.Destination, rc.Country)
			}
		}
	}
	inds, err := a.store.IndicatorsOfReports(ctx, unique)
	if err != nil {
		return WarningPrefill{}, fmt.Errorf("draft from reports: %w", err)
	}
	order := map[int64]int{}
	for i, id := range unique {
		order[id] = i
	}
	slices.SortStableFunc(inds, func(x, y store.ItemIndicator) int {
		return cmp.Or(cmp.Compare(order[x.ReportID], order[y.ReportID]), cmp.Compare(x.IndicatorID, y.IndicatorID))
	})
	var seen []int64
	var lines []string
	for _, in := range inds {
		if slices.Contains(seen, in.IndicatorID) || len(lines) == maxWarningIndicators {
			continue
		}
		seen = append(seen, in.IndicatorID)
		line := string(in.Kind) + ": " + in.Normalized
		if in.Kind == model.IndicatorSocial {
			// Stored as platform:handle; the form reads "platform handle".
			platform, handle, _ := strings.Cut(in.Normalized, ":")
			line = string(in.Kind) + ": " + platform + " " + handle
		}
		lines = append(lines, line)
	}
	p.Indicators = strings.Join(lines, "\n")
	return p, nil
}
