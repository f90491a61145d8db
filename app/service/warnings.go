package service

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/store"
)

// List size bounds.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	maxPage         = 10000
)

// Warnings holds the rules of reading warnings: which are visible, in which
// language, and how lists are filtered and paged.
type Warnings struct {
	store      *store.Store
	now        func() time.Time
	markdown   *markdown
	version    contentVersion
	countries  memo[[]string]
	categories memo[[]model.Category]
	catNames   memo[map[string]map[string]string]
	listed     listedKeys
	indCounts  indicatorCounts
	// started is when the services started: the date of a feed that
	// never had a warning.
	started time.Time
}

func newWarnings(st *store.Store, now func() time.Time) *Warnings {
	return &Warnings{store: st, now: now, markdown: newMarkdown(), version: contentVersion{store: st}, started: now()}
}

// WarningQuery is a request for a list of warnings, as received from a page
// or the API: every field is raw text, validated here.
type WarningQuery struct {
	// Lang is the reader's language; texts come in it when translated.
	Lang     string
	Country  string
	Category string
	Severity string
	// Page is the 1-based page number of the HTML list.
	Page string
	// Cursor continues an API list where the previous page ended.
	Cursor string
	Limit  string
	// UpdatedSince is an RFC 3339 time.
	UpdatedSince string
	// WithIndicators asks for each warning's indicators.
	WithIndicators bool
}

// WarningFilter is a validated list filter, as the pages echo it back.
type WarningFilter struct {
	Country  string
	Category string
	Severity model.Severity
}

// WarningList is one page of warnings.
type WarningList struct {
	Filter     WarningFilter
	Items      []WarningSummary
	Page       int
	HasNext    bool
	NextCursor string
}

// WarningSummary is a warning as lists show it.
type WarningSummary struct {
	ID       int64
	Severity model.Severity
	Category string
	Status   model.WarningStatus
	Expired  bool
	// Lang is the warning's original language; TextLang the language of
	// Title and Summary: the reader's, else English, else the original
	// (textFor); Translated is false when it is not the reader's.
	Lang         string
	TextLang     string
	Translated   bool
	Title        string
	Summary      string
	Languages    []string
	Countries    []model.WarningCountry
	Organisation *model.Organisation
	Indicators   []WarningIndicator
	PublishedAt  time.Time
	ExpiresAt    *time.Time
	// DaysLeft counts the days until ExpiresAt, rounded up; 0 without expiry.
	DaysLeft  int
	UpdatedAt time.Time
	// Texts are the title and summary of every translation, by language;
	// Get fills in their bodies when asked for every translation.
	Texts []WarningText
}

// WarningText is one translation of a warning.
type WarningText struct {
	Lang     string
	Title    string
	Summary  string
	WhatToDo string
	Body     string
	BodyHTML string
}

// WarningIndicator is an indicator as a warning names it.
type WarningIndicator struct {
	ID         int64
	Kind       model.IndicatorKind
	Platform   string
	Raw        string
	Normalized string
	Hash       string
	// Reports counts the published reports that mention the indicator.
	Reports int
}

// WarningDetail is one warning as its page shows it.
type WarningDetail struct {
	WarningSummary
	// WhatToDo is the "What to do now" in TextLang.
	WhatToDo string
	// HelpCountry is the country whose help page the warning leads to:
	// its first destination, else its first country ("" without any).
	HelpCountry      string
	Body             string
	BodyHTML         string
	RetractedAt      *time.Time
	RetractionReason string
	SourceReports    []model.Report
	// Modified is when the warning, one of its translations or its
	// organisation last changed, or when it expired: the natural
	// modification time of its page. Counts of reports naming its
	// indicators may have moved since.
	Modified time.Time
}

// Retracted reports whether the warning was withdrawn.
func (w WarningSummary) Retracted() bool { return w.Status == model.WarningRetracted }

// List validates q and returns the page of listed warnings it asks for,
// newest first. Retracted warnings are not listed; expired ones are, marked.
// With UpdatedSince, the list holds every public warning changed since
// then, retracted ones included, and those expired since then.
func (ws *Warnings) List(ctx context.Context, q WarningQuery) (WarningList, error) {
	f, page, limit, cursor, since, err := ws.parseQuery(ctx, q)
	if err != nil {
		return WarningList{}, err
	}
	sf := store.WarningFilter{
		Country:      f.Country,
		Severity:     f.Severity,
		UpdatedSince: since,
		ExpiredBy:    ws.now(),
		Limit:        limit + 1,
	}
	if f.Category != "" {
		cat, err := ws.categoryBySlug(ctx, f.Category)
		if err != nil {
			return WarningList{}, err
		}
		sf.CategoryID = cat.ID
	}
	if cursor != nil {
		sf.AfterPublished, sf.AfterID = cursor.published, cursor.id
	} else {
		sf.Offset = (page - 1) * limit
	}
	var rows []model.Warning
	if since.IsZero() {
		rows, err = ws.listedPage(ctx, sf)
	} else {
		rows, err = ws.store.ListWarnings(ctx, sf)
	}
	if err != nil {
		return WarningList{}, fmt.Errorf("list warnings: %w", err)
	}
	out := WarningList{Filter: f, Page: page}
	if len(rows) > limit {
		rows = rows[:limit]
		out.HasNext = true
		last := rows[len(rows)-1]
		out.NextCursor = encodeCursor(*last.PublishedAt, last.ID)
	}
	if len(rows) == 0 && page > 1 {
		return WarningList{}, fmt.Errorf("list warnings: page %d: %w", page, apperr.ErrNotFound)
	}
	out.Items, err = ws.summaries(ctx, rows, langOf(q.Lang), q.WithIndicators, nil, nil)
	if err != nil {
		return WarningList{}, err
	}
	return out, nil
}

// Get returns the warning with id as its page shows it, with texts in lang
// when translated. Drafts and warnings in review are apperr.ErrNotFound, so
// their existence is not revealed.
func (ws *Warnings) Get(ctx context.Context, id int64, lang string) (WarningDetail, error) {
	return ws.get(ctx, id, lang, false)
}

// GetAllTexts is Get with every translation complete in Texts: "What to
// do now", body and rendered body too.
func (ws *Warnings) GetAllTexts(ctx context.Context, id int64, lang string) (WarningDetail, error) {
	return ws.get(ctx, id, lang, true)
}

func (ws *Warnings) get(ctx context.Context, id int64, lang string, allTexts bool) (WarningDetail, error) {
	w, org, ts, err := ws.store.WarningPage(ctx, id)
	if err != nil {
		return WarningDetail{}, fmt.Errorf("get warning %d: %w", id, err)
	}
	if !w.Status.Public() || w.PublishedAt == nil {
		return WarningDetail{}, fmt.Errorf("get warning %d: %w", id, apperr.ErrNotFound)
	}
	orgs := map[int64]model.Organisation{}
	if org != nil {
		orgs[org.ID] = *org
	}
	sums, err := ws.summaries(ctx, []model.Warning{w}, langOf(lang), true, ts, orgs)
	if err != nil {
		return WarningDetail{}, err
	}
	d := WarningDetail{WarningSummary: sums[0], RetractedAt: w.RetractedAt, RetractionReason: w.RetractionReason}
	d.Modified = modifiedAt(w, org, ts, ws.now())
	for _, t := range ts {
		if t.Lang == d.TextLang {
			d.Body, d.WhatToDo = t.Body, t.WhatToDo
		}
	}
	if allTexts {
		for i := range d.Texts {
			for _, t := range ts {
				if t.Lang != d.Texts[i].Lang {
					continue
				}
				d.Texts[i].Body, d.Texts[i].WhatToDo = t.Body, t.WhatToDo
				if d.Texts[i].BodyHTML, err = ws.markdown.render(t.Body); err != nil {
					return WarningDetail{}, fmt.Errorf("get warning %d: %s: %w", id, t.Lang, err)
				}
			}
		}
	}
	d.HelpCountry = helpCountry(d.Countries)
	if d.BodyHTML, err = ws.markdown.render(d.Body); err != nil {
		return WarningDetail{}, fmt.Errorf("get warning %d: %w", id, err)
	}
	if d.SourceReports, err = ws.store.WarningSourceReports(ctx, id); err != nil {
		return WarningDetail{}, fmt.Errorf("get warning %d: %w", id, err)
	}
	return d, nil
}

// modifiedAt is the latest of the times a warning's page changed: its
// row, its retraction, its translations, its organisation, and its expiry
// once passed (which flips `expired` without a write).
func modifiedAt(w model.Warning, org *model.Organisation, ts []model.WarningTranslation, now time.Time) time.Time {
	latest := w.UpdatedAt
	later := func(t time.Time) {
		if t.After(latest) {
			latest = t
		}
	}
	if w.PublishedAt != nil {
		later(*w.PublishedAt)
	}
	if w.RetractedAt != nil {
		later(*w.RetractedAt)
	}
	if w.ExpiresAt != nil && !w.ExpiresAt.After(now) {
		later(*w.ExpiresAt)
	}
	if org != nil {
		later(org.UpdatedAt)
	}
	for _, t := range ts {
		later(t.UpdatedAt)
	}
	return latest.UTC()
}

// Version returns a value that changes with every write to public content
// (warnings, reports, replies, indicators, categories, organisations,
// members' public names): at once after a write by this process, within a
// second after one by another instance or command. Public pages and
// answers, and anything computed from them, may be cached under it. Its
// second is the wall clock's, never the services' clock.
func (ws *Warnings) Version(ctx context.Context) (string, error) {
	return ws.version.current(ctx, time.Now())
}

// Categories lists the category slugs in display order.
func (ws *Warnings) Categories(ctx context.Context) ([]string, error) {
	cats, err := ws.allCategories(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(cats))
	for i, c := range cats {
		out[i] = c.Slug
	}
	return out, nil
}

// summaries loads, in a fixed number of queries, what lists show of rows;
// texts are the translations of rows by warning and language, and orgs
// their organisations by ID, each read here when nil.
func (ws *Warnings) summaries(ctx context.Context, rows []model.Warning, lang string, withIndicators bool, texts []model.WarningTranslation, orgs map[int64]model.Organisation) ([]WarningSummary, error) {
	return ws.summariesFrom(ctx, ws.store, rows, lang, withIndicators, texts, orgs)
}

// warningReader reads what summaries show of warnings: the store, or
// rows read before from a snapshot (see Changes).
type warningReader interface {
	WarningTexts(ctx context.Context, ids []int64) ([]model.WarningTranslation, error)
	WarningCountries(ctx context.Context, ids []int64) (map[int64][]model.WarningCountry, error)
	OrganisationsByID(ctx context.Context, ids []int64) (map[int64]model.Organisation, error)
	WarningIndicators(ctx context.Context, ids []int64) (map[int64][]store.LinkedIndicator, error)
}

// summariesFrom is summaries reading the warnings' rows from st.
func (ws *Warnings) summariesFrom(ctx context.Context, st warningReader, rows []model.Warning, lang string, withIndicators bool, texts []model.WarningTranslation, orgs map[int64]model.Organisation) ([]WarningSummary, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	var orgIDs []int64
	for i, w := range rows {
		ids[i] = w.ID
		if w.OrganisationID != nil {
			orgIDs = append(orgIDs, *w.OrganisationID)
		}
	}
	if texts == nil {
		var err error
		if texts, err = st.WarningTexts(ctx, ids); err != nil {
			return nil, fmt.Errorf("warning summaries: %w", err)
		}
	}
	// The texts come by warning and language: the languages a warning is
	// readable in, and its title in the reader's language or its own.
	titles := make(map[int64][]model.WarningTranslation, len(ids))
	langs := make(map[int64][]string, len(ids))
	for _, t := range texts {
		langs[t.WarningID] = append(langs[t.WarningID], t.Lang)
		titles[t.WarningID] = append(titles[t.WarningID], t)
	}
	countries, err := st.WarningCountries(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("warning summaries: %w", err)
	}
	if orgs == nil {
		if orgs, err = st.OrganisationsByID(ctx, orgIDs); err != nil {
			return nil, fmt.Errorf("warning summaries: %w", err)
		}
	}
	cats, err := ws.allCategories(ctx)
	if err != nil {
		return nil, fmt.Errorf("warning summaries: %w", err)
	}
	catSlug := make(map[int64]string, len(cats))
	for _, c := range cats {
		catSlug[c.ID] = c.Slug
	}
	var indicators map[int64][]WarningIndicator
	if withIndicators {
		if indicators, err = ws.indicatorsOf(ctx, st, ids); err != nil {
			return nil, err
		}
	}
	now := ws.now()
	out := make([]WarningSummary, len(rows))
	for i, w := range rows {
		s := WarningSummary{
			ID:          w.ID,
			Severity:    w.Severity,
			Category:    catSlug[w.CategoryID],
			Status:      w.Status,
			Expired:     w.Expired(now),
			Lang:        w.Lang,
			TextLang:    w.Lang,
			Languages:   langs[w.ID],
			Countries:   countries[w.ID],
			Indicators:  indicators[w.ID],
			PublishedAt: *w.PublishedAt,
			ExpiresAt:   w.ExpiresAt,
			UpdatedAt:   w.UpdatedAt,
		}
		if w.ExpiresAt != nil && !s.Expired {
			s.DaysLeft = int(math.Ceil(w.ExpiresAt.Sub(now).Hours() / 24))
		}
		if w.OrganisationID != nil {
			if o, ok := orgs[*w.OrganisationID]; ok {
				s.Organisation = &o
			}
		}
		if t, ok := textFor(titles[w.ID], lang, w.Lang); ok {
			s.Title, s.Summary, s.TextLang = t.Title, t.Summary, t.Lang
		}
		s.Translated = s.TextLang == lang
		for _, t := range titles[w.ID] {
			s.Texts = append(s.Texts, WarningText{Lang: t.Lang, Title: t.Title, Summary: t.Summary})
		}
		out[i] = s
	}
	return out, nil
}

func (ws *Warnings) indicatorsOf(ctx context.Context, st warningReader, ids []int64) (map[int64][]WarningIndicator, error) {
	links, err := st.WarningIndicators(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("warning indicators: %w", err)
	}
	var indIDs []int64
	for _, ls := range links {
		for _, l := range ls {
			indIDs = append(indIDs, l.ID)
		}
	}
	counts, err := ws.indicatorReportCounts(ctx, indIDs)
	if err != nil {
		return nil, fmt.Errorf("warning indicators: %w", err)
	}
	out := make(map[int64][]WarningIndicator, len(links))
	for wid, ls := range links {
		for _, l := range ls {
			out[wid] = append(out[wid], WarningIndicator{
				ID: l.ID, Kind: l.Kind, Platform: l.Platform, Raw: l.Raw,
				Normalized: l.Normalized, Hash: l.Hash, Reports: counts[l.ID],
			})
		}
	}
	return out, nil
}

// maxIndicatorCounts bounds the memo of indicators' report counts (about
// 50 bytes each): past it, the memo starts afresh.
const maxIndicatorCounts = 200_000

// indicatorCounts keeps, for one content version, the counts of public
// reports of the indicators asked for so far.
type indicatorCounts struct {
	mu      sync.Mutex
	version string
	counts  map[int64]int
}

// indicatorReportCounts counts, per indicator, the public reports that
// mention it: read once per content version, then kept, since pages of
// many warnings name the same indicators.
func (ws *Warnings) indicatorReportCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	version, err := ws.Version(ctx)
	if err != nil {
		return nil, err
	}
	m := &ws.indCounts
	out := make(map[int64]int, len(ids))
	var missing []int64
	m.mu.Lock()
	if m.version != version {
		m.version, m.counts = version, map[int64]int{}
	}
	for _, id := range ids {
		if n, ok := m.counts[id]; ok {
			out[id] = n
		} else {
			missing = append(missing, id)
		}
	}
	m.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	read, err := ws.store.IndicatorReportCounts(ctx, missing)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version == version && len(m.counts)+len(missing) > maxIndicatorCounts {
		m.counts = map[int64]int{}
	}
	for _, id := range missing {
		out[id] = read[id]
		if m.version == version {
			m.counts[id] = read[id]
		}
	}
	return out, nil
}

func (ws *Warnings) categoryBySlug(ctx context.Context, slug string) (model.Category, error) {
	cats, err := ws.allCategories(ctx)
	if err != nil {
		return model.Category{}, fmt.Errorf("category %s: %w", slug, err)
	}
	for _, c := range cats {
		if c.Slug == slug {
			return c, nil
		}
	}
	return model.Category{}, &apperr.Invalid{Field: "category", Key: "error.category.unknown"}
}

type cursor struct {
	published time.Time
	id        int64
}

func encodeCursor(published time.Time, id int64) string {
	raw := strconv.FormatInt(published.UnixMicro(), 10) + "." + strconv.FormatInt(id, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor reads a cursor made by encodeCursor; ok is false for
// anything else.
func decodeCursor(s string) (c *cursor, ok bool) {
	if len(s) > 64 {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	micros, idText, found := strings.Cut(string(raw), ".")
	if !found {
		return nil, false
	}
	us, err1 := strconv.ParseInt(micros, 10, 64)
	id, err2 := strconv.ParseInt(idText, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 || us <= 0 {
		return nil, false
	}
	return &cursor{published: time.UnixMicro(us).UTC(), id: id}, true
}

// parseQuery validates every field of q, collecting all field errors.
func (ws *Warnings) parseQuery(ctx context.Context, q WarningQuery) (f WarningFilter, page, limit int, c *cursor, since time.Time, err error) {
	var errs apperr.Invalids
	if q.Country != "" {
		code, ok := CountryCode(q.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		f.Country = code
	}
	if q.Category != "" {
		if _, cerr := ws.categoryBySlug(ctx, q.Category); cerr != nil {
			var inv *apperr.Invalid
			if !errors.As(cerr, &inv) {
				return f, 0, 0, nil, since, cerr
			}
			errs = append(errs, inv)
		}
		f.Category = q.Category
	}
	if q.Severity != "" {
		f.Severity = model.Severity(q.Severity)
		if !f.Severity.Valid() {
			errs = append(errs, &apperr.Invalid{Field: "severity", Key: "error.severity.unknown"})
		}
	}
	page = 1
	if q.Page != "" {
		n, perr := strconv.Atoi(q.Page)
		if perr != nil || n < 1 || n > maxPage {
			errs = append(errs, &apperr.Invalid{Field: "page", Key: "error.page.invalid"})
		}
		page = n
	}
	limit = DefaultPageSize
	if q.Limit != "" {
		n, lerr := strconv.Atoi(q.Limit)
		if lerr != nil || n < 1 || n > MaxPageSize {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": MaxPageSize}})
		}
		limit = n
	}
	if q.Cursor != "" {
		var ok bool
		if c, ok = decodeCursor(q.Cursor); !ok {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
	}
	if q.UpdatedSince != "" {
		t, terr := time.Parse(time.RFC3339, q.UpdatedSince)
		if terr != nil {
			errs = append(errs, &apperr.Invalid{Field: "updated_since", Key: "error.updated_since.invalid"})
		}
		since = t.UTC()
	}
	return f, page, limit, c, since, errs.Err()
}

// langOf reduces a reader's language to the base language that content is
// tagged with ("fr-CA" reads French texts).
func langOf(lang string) string {
	base, _ := i18n.BaseLanguage(lang)
	return base
}

// fallbackLang is the language a warning is shown in when it is not
// translated into the reader's.
const fallbackLang = "en"

// textFor chooses, among the translations of one warning, the one a reader
// of lang sees: lang, else English, else the original language orig.
func textFor(ts []model.WarningTranslation, lang, orig string) (model.WarningTranslation, bool) {
	best, rank := model.WarningTranslation{}, 0
	for _, t := range ts {
		r := 0
		switch t.Lang {
		case lang:
			r = 3
		case fallbackLang:
			r = 2
		case orig:
			r = 1
		}
		if r > rank {
			best, rank = t, r
		}
	}
	return best, rank > 0
}

// versionRecheck is how long a read content version is used: a change made
// by another instance shows there within a second, query included.
const versionRecheck = 900 * time.Millisecond

// contentVersion keeps the store's content version, which database
// triggers move on every write to public content from any instance or
// command, and reads it again at most every versionRecheck, so that a page
// cache can be keyed on it without a query per request. After a write made by
// this process (the store counts them after their commit) it is read again
// before it is used, so the writer's next request already shows the change.
// One request at a time reads the version, outside the lock; meanwhile the
// others go on with the version read before, unless a local write
// made it stale, in which case they wait for a read that started after it.
type contentVersion struct {
	store   *store.Store
	mu      sync.Mutex
	version string
	// writes is the store's count of local writes when version was read.
	writes  uint64
	checked time.Time
	// reading is closed when the read in flight ends; nil when none is.
	reading chan struct{}
}

func (v *contentVersion) current(ctx context.Context, now time.Time) (string, error) {
	for {
		writes := v.store.LocalWrites()
		v.mu.Lock()
		known := v.version != "" && writes == v.writes
		fresh := known && now.Sub(v.checked) < versionRecheck && now.After(v.checked)
		if fresh || (known && v.reading != nil) {
			version := v.version
			v.mu.Unlock()
			return version, nil
		}
		if wait := v.reading; wait != nil {
			v.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return "", fmt.Errorf("content version: %w", ctx.Err())
			}
		}
		done := make(chan struct{})
		v.reading = done
		v.mu.Unlock()

		n, err := v.store.ContentVersion(ctx)

		v.mu.Lock()
		v.reading = nil
		close(done)
		if err != nil {
			v.mu.Unlock()
			return "", fmt.Errorf("content version: %w", err)
		}
		// The read started after the writes counted in writes had
		// committed: it shows them all.
		version := strconv.FormatInt(n, 10)
		v.version, v.writes, v.checked = version, writes, now
		v.mu.Unlock()
		return version, nil
	}
}

// Countries lists the ISO codes of the countries that listed warnings name,
// for the country filters. The list is kept until the warnings change.
func (ws *Warnings) Countries(ctx context.Context) ([]string, error) {
	version, err := ws.Version(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := ws.countries.get(version, func() ([]string, error) { return ws.store.ListedWarningCountries(ctx) })
	if err != nil {
		return nil, fmt.Errorf("warning countries: %w", err)
	}
	return codes, nil
}

// allCategories returns every category, kept until the content changes.
func (ws *Warnings) allCategories(ctx context.Context) ([]model.Category, error) {
	version, err := ws.Version(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := ws.categories.get(version, func() ([]model.Category, error) { return ws.store.Categories(ctx) })
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	return cats, nil
}

// CategoryNames returns the admin-given names of categories, by language
// and slug; the built-in categories are named by the interface locales.
func (ws *Warnings) CategoryNames(ctx context.Context) (map[string]map[string]string, error) {
	version, err := ws.Version(ctx)
	if err != nil {
		return nil, err
	}
	return ws.catNames.get(version, func() (map[string]map[string]string, error) {
		cats, err := ws.store.Categories(ctx)
		if err != nil {
			return nil, err
		}
		names, err := ws.store.CategoryNames(ctx)
		if err != nil {
			return nil, err
		}
		slug := map[int64]string{}
		for _, c := range cats {
			slug[c.ID] = c.Slug
		}
		out := map[string]map[string]string{}
		for _, n := range names {
			if out[n.Lang] == nil {
				out[n.Lang] = map[string]string{}
			}
			out[n.Lang][slug[n.CategoryID]] = n.Name
		}
		return out, nil
	})
}

// memo keeps one value computed for one content version.
type memo[T any] struct {
	mu      sync.Mutex
	version string
	value   T
}

func (m *memo[T]) get(version string, load func() (T, error)) (T, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.version == version && version != "" {
		return m.value, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	m.version, m.value = version, v
	return v, nil
}

// helpCountry is the first destination of a route, else its first country.
func helpCountry(cs []model.WarningCountry) string {
	for _, c := range cs {
		if c.Role == model.CountryDestination {
			return c.Country
		}
	}
	if len(cs) > 0 {
		return cs[0].Country
	}
	return ""
}
