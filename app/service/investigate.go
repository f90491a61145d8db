package service

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Investigations serves the indicator graph to vetted investigators: the
// members of an organisation an admin marked as one (and admins), on the
// investigation pages, and that organisation's keys with the investigate
// scope, on the API. The mark is read on every request, so withdrawing it
// holds at once for keys already issued and members already signed in.
// Only public content is shown; nothing names a member.
type Investigations struct {
	store   *store.Store
	now     func() time.Time
	checker *Checker
}

// Investigator is who reads the graph: made only by ForUser or ForKey,
// which check the right to; every other method refuses the zero value.
type Investigator struct {
	ok             bool
	userID         *int64
	keyID          *int64
	organisationID int64
}

// Graph page sizes.
const (
	DefaultGraphPage = 50
	MaxGraphPage     = 200
	// graphExportBatch is how many indicators an export reads at a time:
	// the memory it holds, whatever the size of the graph.
	graphExportBatch = 200
	// maxGraphParam bounds the length of any filter value.
	maxGraphParam = 64
)

// ForUser lets a signed-in member whose organisation is a vetted
// investigator, or an admin, read the graph. Anybody else, a banned
// member included, is apperr.ErrForbidden (answered as not found).
func (iv *Investigations) ForUser(ctx context.Context, u *model.User) (Investigator, error) {
	if u == nil {
		return Investigator{}, fmt.Errorf("investigate: no member: %w", apperr.ErrForbidden)
	}
	if u.BannedUntil != nil && u.BannedUntil.After(iv.now()) {
		return Investigator{}, fmt.Errorf("investigate: member %d banned: %w", u.ID, apperr.ErrForbidden)
	}
	id := u.ID
	if u.Role == model.RoleAdmin {
		inv := Investigator{ok: true, userID: &id}
		if u.OrganisationID != nil {
			inv.organisationID = *u.OrganisationID
		}
		return inv, nil
	}
	if u.OrganisationID == nil {
		return Investigator{}, fmt.Errorf("investigate: member %d: no organisation: %w", u.ID, apperr.ErrForbidden)
	}
	since, err := iv.store.InvestigatorSince(ctx, *u.OrganisationID)
	if err != nil {
		return Investigator{}, err
	}
	if since == nil {
		return Investigator{}, fmt.Errorf("investigate: member %d: organisation not vetted: %w", u.ID, apperr.ErrForbidden)
	}
	return Investigator{ok: true, userID: &id, organisationID: *u.OrganisationID}, nil
}

// MayInvestigate reports whether u may read the graph now, by ForUser's
// rule: what decides whether the pages offer a link to it.
func (iv *Investigations) MayInvestigate(ctx context.Context, u *model.User) (bool, error) {
	_, err := iv.ForUser(ctx, u)
	if errors.Is(err, apperr.ErrForbidden) {
		return false, nil
	}
	return err == nil, err
}

// ForKey lets the request's API key read the graph when it holds the
// investigate scope and its organisation is a vetted investigator now:
// no key is apperr.ErrUnauthenticated, anything else apperr.ErrScope.
func (iv *Investigations) ForKey(ctx context.Context) (Investigator, error) {
	key, err := RequireScope(ctx, ScopeInvestigate)
	if err != nil {
		return Investigator{}, err
	}
	since, err := iv.store.InvestigatorSince(ctx, key.OrganisationID)
	if err != nil {
		return Investigator{}, err
	}
	if since == nil {
		return Investigator{}, fmt.Errorf("investigate: key %d: organisation %d not vetted: %w", key.ID, key.OrganisationID, apperr.ErrScope)
	}
	id := key.ID
	return Investigator{ok: true, keyID: &id, organisationID: key.OrganisationID}, nil
}

func (inv Investigator) check() error {
	if !inv.ok {
		return fmt.Errorf("investigate: %w", apperr.ErrForbidden)
	}
	return nil
}

// GraphQuery is a request's filters and page, as typed.
type GraphQuery struct {
	Kind    string
	Country string
	// From and To are months, YYYY-MM, both included.
	From   string
	To     string
	Cursor string
	Limit  string
}

// GraphParams is a checked GraphQuery.
type GraphParams struct {
	Filter store.GraphFilter
	After  int64
	Limit  int
	// Query is the checked query, to echo in forms and links.
	Query GraphQuery
}

// ParseGraphQuery checks every field of q, collecting all field errors
// (apperr.Invalids, a 400 naming the fields).
func ParseGraphQuery(q GraphQuery) (GraphParams, error) {
	var errs apperr.Invalids
	p := GraphParams{Limit: DefaultGraphPage, Query: q}
	long := func(field, v string) bool {
		if len(v) > maxGraphParam {
			errs = append(errs, &apperr.Invalid{Field: field, Key: "error.investigate.too_long", Args: map[string]any{"Max": maxGraphParam}})
			return true
		}
		return false
	}
	if q.Kind != "" && !long("kind", q.Kind) {
		p.Filter.Kind = model.IndicatorKind(q.Kind)
		if !p.Filter.Kind.Valid() {
			errs = append(errs, &apperr.Invalid{Field: "kind", Key: "error.investigate.kind"})
		}
	}
	if q.Country != "" && !long("country", q.Country) {
		code, ok := CountryCode(q.Country)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		p.Filter.Country = code
	}
	if q.From != "" && !long("from", q.From) {
		t, ok := parseMonth(q.From)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "from", Key: "error.investigate.period"})
		} else {
			p.Filter.From = &t
		}
	}
	if q.To != "" && !long("to", q.To) {
		t, ok := parseMonth(q.To)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "to", Key: "error.investigate.period"})
		} else {
			end := t.AddDate(0, 1, 0)
			p.Filter.To = &end
		}
	}
	if p.Filter.From != nil && p.Filter.To != nil && !p.Filter.From.Before(*p.Filter.To) {
		errs = append(errs, &apperr.Invalid{Field: "to", Key: "error.investigate.period"})
	}
	if q.Limit != "" && !long("limit", q.Limit) {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > MaxGraphPage {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": MaxGraphPage}})
		}
		p.Limit = n
	}
	if q.Cursor != "" && !long("cursor", q.Cursor) {
		id, ok := decodeGraphCursor(q.Cursor)
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
		p.After = id
	}
	return p, errs.Err()
}

// parseMonth reads YYYY-MM between 2000 and 2100.
func parseMonth(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

func encodeGraphCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("i." + strconv.FormatInt(id, 10)))
}

func decodeGraphCursor(s string) (int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, false
	}
	n, ok := strings.CutPrefix(string(raw), "i.")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(n, 10, 64)
	return id, err == nil && id > 0
}

// Count is a number of mentions under a key: a month (YYYY-MM) or a
// country code ("" for content without a route).
type Count struct {
	Of string
	N  int
}

// GraphNode is one indicator of the graph as investigators see it.
type GraphNode struct {
	store.GraphIndicator
	Warnings  int
	Reports   int
	ByMonth   []Count
	ByCountry []Count
	// Sightings counts mentions per month and country, by month then
	// country.
	Sightings []Sighting
}

// Sighting is how often public content mentioned an indicator in a month
// and a country, and when first and last.
type Sighting struct {
	Month     string
	Country   string
	N         int
	FirstSeen time.Time
	LastSeen  time.Time
}

func node(g store.GraphIndicator) GraphNode {
	n := GraphNode{GraphIndicator: g}
	months, countries := map[string]int{}, map[string]int{}
	type mc struct{ month, country string }
	sights := map[mc]*Sighting{}
	for _, m := range g.Mentions {
		if m.Report {
			n.Reports++
		} else {
			n.Warnings++
		}
		month := m.PublishedAt.UTC().Format("2006-01")
		months[month]++
		cs := m.Countries
		if len(cs) == 0 {
			cs = []string{""}
		}
		for _, c := range cs {
			countries[c]++
			k := mc{month, c}
			s := sights[k]
			if s == nil {
				s = &Sighting{Month: month, Country: c, FirstSeen: m.PublishedAt}
				sights[k] = s
			}
			s.N++
			if m.PublishedAt.Before(s.FirstSeen) {
				s.FirstSeen = m.PublishedAt
			}
			if m.PublishedAt.After(s.LastSeen) {
				s.LastSeen = m.PublishedAt
			}
		}
	}
	n.ByMonth, n.ByCountry = counts(months), counts(countries)
	for _, s := range sights {
		n.Sightings = append(n.Sightings, *s)
	}
	sort.Slice(n.Sightings, func(a, b int) bool {
		if n.Sightings[a].Month != n.Sightings[b].Month {
			return n.Sightings[a].Month < n.Sightings[b].Month
		}
		return n.Sightings[a].Country < n.Sightings[b].Country
	})
	return n
}

func counts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Of: k, N: n})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Of < out[b].Of })
	return out
}

// GraphPage is one page of the graph.
type GraphPage struct {
	Items      []GraphNode
	HasNext    bool
	NextCursor string
}

// List returns one page of the graph under p.
func (iv *Investigations) List(ctx context.Context, inv Investigator, p GraphParams) (GraphPage, error) {
	if err := inv.check(); err != nil {
		return GraphPage{}, err
	}
	rows, err := iv.store.GraphIndicators(ctx, p.Filter, p.After, p.Limit+1)
	if err != nil {
		return GraphPage{}, fmt.Errorf("investigate list: %w", err)
	}
	var out GraphPage
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
		out.HasNext, out.NextCursor = true, encodeGraphCursor(rows[len(rows)-1].ID)
	}
	out.Items = make([]GraphNode, len(rows))
	for i, r := range rows {
		out.Items[i] = node(r)
	}
	return out, nil
}

// GraphDetail is one indicator with the titles of what mentions it.
type GraphDetail struct {
	GraphNode
	// WarningTitles and ReportTitles hold the titles of the mentioning
	// warnings (in the reader's language when translated) and reports.
	WarningTitles map[int64]string
	WarningLangs  map[int64]string
	ReportTitles  map[int64]string
	ReportLangs   map[int64]string
}

// Indicator returns one indicator of the graph under p's filter; one no
// public content mentions is apperr.ErrNotFound.
func (iv *Investigations) Indicator(ctx context.Context, inv Investigator, id int64, p GraphParams, lang string) (GraphDetail, error) {
	if err := inv.check(); err != nil {
		return GraphDetail{}, err
	}
	g, err := iv.store.GraphIndicator(ctx, p.Filter, id)
	if err != nil {
		return GraphDetail{}, fmt.Errorf("investigate indicator %d: %w", id, err)
	}
	d := GraphDetail{GraphNode: node(g), WarningTitles: map[int64]string{}, ReportTitles: map[int64]string{}, ReportLangs: map[int64]string{}}
	ws, err := iv.store.WarningsMentioning(ctx, []int64{id}, 1000)
	if err != nil {
		return d, err
	}
	titles, err := iv.checker.warningTitles(ctx, ws, lang)
	if err != nil {
		return d, err
	}
	d.WarningTitles, d.WarningLangs = titles.text, titles.lang
	rs, err := iv.store.ReportsMentioning(ctx, []int64{id}, 1000)
	if err != nil {
		return d, err
	}
	for _, r := range rs[id] {
		d.ReportTitles[r.ID], d.ReportLangs[r.ID] = r.Title, r.Lang
	}
	return d, nil
}

// Export logs one export of the graph under p in format (the audit log's
// line: who, which filters, which format), then calls fn for every
// indicator of the graph, by ID, reading graphExportBatch at a time. The
// line is written before the first byte, so an export never goes
// unrecorded; fn's error ends the walk.
func (iv *Investigations) Export(ctx context.Context, inv Investigator, p GraphParams, format string) (func(context.Context, func(GraphNode) error) error, error) {
	if err := inv.check(); err != nil {
		return nil, err
	}
	if err := iv.logExport(ctx, inv, p, format); err != nil {
		return nil, err
	}
	filter := p.Filter
	return func(ctx context.Context, fn func(GraphNode) error) error {
		var after int64
		for {
			batch, err := iv.store.GraphIndicators(ctx, filter, after, graphExportBatch)
			if err != nil {
				return fmt.Errorf("export graph after %d: %w", after, err)
			}
			for _, g := range batch {
				if err := fn(node(g)); err != nil {
					return err
				}
			}
			if len(batch) < graphExportBatch {
				return nil
			}
			after = batch[len(batch)-1].ID
		}
	}, nil
}

// FilterText describes p's filters for the audit log, e.g.
// "kind=phone country=RO from=2026-01 to=2026-03"; "all" for none.
func (p GraphParams) FilterText() string {
	var parts []string
	for _, kv := range [][2]string{{"kind", string(p.Filter.Kind)}, {"country", p.Filter.Country}, {"from", p.Query.From}, {"to", p.Query.To}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

func (iv *Investigations) logExport(ctx context.Context, inv Investigator, p GraphParams, format string) error {
	a := &model.ModerationAction{ActorID: inv.userID, ActorKeyID: inv.keyID, Action: "investigate.export", TargetType: "organisation", TargetID: inv.organisationID,
		AfterText: "format=" + format + " " + p.FilterText(), CreatedAt: iv.now()}
	if err := iv.store.LogAction(ctx, a); err != nil {
		return fmt.Errorf("log export: %w", err)
	}
	return nil
}

type investigatorContext struct{}

// WithInvestigator returns ctx carrying inv: the investigation pages'
// middleware lets a member in with ForUser and hands the result to the
// shared export handlers this way.
func WithInvestigator(ctx context.Context, inv Investigator) context.Context {
	return context.WithValue(ctx, investigatorContext{}, inv)
}

// InvestigatorFrom returns the Investigator ctx carries, if any.
func InvestigatorFrom(ctx context.Context) (Investigator, bool) {
	inv, ok := ctx.Value(investigatorContext{}).(Investigator)
	return inv, ok && inv.ok
}
