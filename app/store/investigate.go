package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"forewarn/app/model"
)

// The indicator graph of vetted investigators: every public indicator (one
// a listed warning or a public report mentions, as the public indicator
// pages show), where and when public content mentions it, and the
// indicators mentioned together with it. Only listed warnings (published
// or expired) and public reports (published or locked) count: never a
// draft, a warning in review, a pending, hidden or rejected report. Nothing
// here reads an author, a pseudonym or an e-mail.

// GraphFilter narrows the graph to the mentions of a kind of indicator, a
// country (of the mentioning warning's or report's route) and a period of
// publication [From, To). Zero fields do not filter.
type GraphFilter struct {
	Kind    model.IndicatorKind
	Country string
	From    *time.Time
	To      *time.Time
}

// GraphMention is one public warning or report mentioning an indicator.
type GraphMention struct {
	Report      bool
	ID          int64
	PublishedAt time.Time
	Countries   []string
}

// GraphRelated is an indicator mentioned together with another one, with
// the number of public warnings and reports mentioning both.
type GraphRelated struct {
	ID         int64
	Kind       model.IndicatorKind
	Platform   string
	Normalized string
	Hash       string
	Together   int
}

// GraphIndicator is one node of the graph with its mentions and related
// indicators (under the filter), by publication and by ID.
type GraphIndicator struct {
	ID         int64
	Kind       model.IndicatorKind
	Platform   string
	Normalized string
	Hash       string
	FirstSeen  time.Time
	LastSeen   time.Time
	Mentions   []GraphMention
	Related    []GraphRelated
}

// mentionConds returns the conditions on a warning aliased w and on a
// report aliased r that make them count under f, with their arguments.
func (f GraphFilter) mentionConds() (warning string, wargs []any, report string, rargs []any) {
	w := []string{"w.status IN ('published', 'expired')"}
	r := []string{"r.status IN ('published', 'locked')"}
	if f.From != nil {
		w, wargs = append(w, "COALESCE(w.published_at, w.created_at) >= ?"), append(wargs, f.From.UTC())
		r, rargs = append(r, "COALESCE(r.published_at, r.created_at) >= ?"), append(rargs, f.From.UTC())
	}
	if f.To != nil {
		w, wargs = append(w, "COALESCE(w.published_at, w.created_at) < ?"), append(wargs, f.To.UTC())
		r, rargs = append(r, "COALESCE(r.published_at, r.created_at) < ?"), append(rargs, f.To.UTC())
	}
	if f.Country != "" {
		w, wargs = append(w, "EXISTS (SELECT 1 FROM warning_countries wc WHERE wc.warning_id = w.id AND wc.country = ?)"), append(wargs, f.Country)
		r, rargs = append(r, "EXISTS (SELECT 1 FROM report_countries rc WHERE rc.report_id = r.id AND rc.country = ?)"), append(rargs, f.Country)
	}
	return strings.Join(w, " AND "), wargs, strings.Join(r, " AND "), rargs
}

// GraphIndicators returns up to limit indicators of the graph under f
// with an ID above afterID, by ID, each with its mentions and related
// indicators: one keyset page of the graph. Memory is bounded by the page.
func (s *Store) GraphIndicators(ctx context.Context, f GraphFilter, afterID int64, limit int) ([]GraphIndicator, error) {
	wc, wargs, rc, rargs := f.mentionConds()
	q := "SELECT i.id, i.kind, i.platform, i.normalized, i.hash FROM indicators i WHERE i.id > ?"
	args := []any{afterID}
	if f.Kind != "" {
		q, args = q+" AND i.kind = ?", append(args, string(f.Kind))
	}
	q += " AND (EXISTS (SELECT 1 FROM warning_indicators wi JOIN warnings w ON w.id = wi.warning_id WHERE wi.indicator_id = i.id AND " + wc + ")" +
		" OR EXISTS (SELECT 1 FROM report_indicators ri JOIN reports r ON r.id = ri.report_id WHERE ri.indicator_id = i.id AND " + rc + "))" +
		" ORDER BY i.id LIMIT ?"
	args = append(append(append(args, wargs...), rargs...), limit)
	var out []GraphIndicator
	err := s.plainQuery(ctx, "graph indicators", q, args, func(r *sql.Rows) error {
		var g GraphIndicator
		if err := r.Scan(&g.ID, &g.Kind, &g.Platform, &g.Normalized, &g.Hash); err != nil {
			return err
		}
		out = append(out, g)
		return nil
	})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out, s.fillGraph(ctx, f, out)
}

// GraphIndicator returns one indicator of the graph under f;
// ErrNotFound when no content counted under f mentions it.
func (s *Store) GraphIndicator(ctx context.Context, f GraphFilter, id int64) (GraphIndicator, error) {
	if id <= 0 {
		return GraphIndicator{}, mapErr(errNotFound, "graph indicator %d", id)
	}
	page, err := s.GraphIndicators(ctx, f, id-1, 1)
	if err != nil {
		return GraphIndicator{}, err
	}
	if len(page) == 0 || page[0].ID != id {
		return GraphIndicator{}, mapErr(errNotFound, "graph indicator %d", id)
	}
	return page[0], nil
}

// fillGraph loads the mentions (with their countries) and the related
// indicators of the given nodes.
func (s *Store) fillGraph(ctx context.Context, f GraphFilter, nodes []GraphIndicator) error {
	wc, wargs, rc, rargs := f.mentionConds()
	ids := make([]int64, len(nodes))
	byID := make(map[int64]*GraphIndicator, len(nodes))
	for i := range nodes {
		ids[i] = nodes[i].ID
		byID[nodes[i].ID] = &nodes[i]
	}
	in, _ := inList(nil, ids)
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	type postKey struct {
		report bool
		id     int64
	}
	posts := map[postKey][]string{}
	var args []any
	args = append(append(args, idArgs...), wargs...)
	args = append(append(args, idArgs...), rargs...)
	err := s.plainQuery(ctx, "graph mentions",
		"SELECT wi.indicator_id, 0, w.id, COALESCE(w.published_at, w.created_at) FROM warning_indicators wi JOIN warnings w ON w.id = wi.warning_id"+
			" WHERE wi.indicator_id IN ("+in+") AND "+wc+
			" UNION ALL SELECT ri.indicator_id, 1, r.id, COALESCE(r.published_at, r.created_at) FROM report_indicators ri JOIN reports r ON r.id = ri.report_id"+
			" WHERE ri.indicator_id IN ("+in+") AND "+rc, args,
		func(r *sql.Rows) error {
			var ind, kind int64
			var m GraphMention
			var at any
			if err := r.Scan(&ind, &kind, &m.ID, &at); err != nil {
				return err
			}
			t, err := anyTime(at)
			if err != nil {
				return err
			}
			m.Report, m.PublishedAt = kind == 1, t
			byID[ind].Mentions = append(byID[ind].Mentions, m)
			posts[postKey{m.Report, m.ID}] = nil
			return nil
		})
	if err != nil {
		return err
	}
	// The countries of the mentioning posts, each country once per post.
	var wIDs, rIDs []int64
	for k := range posts {
		if k.report {
			rIDs = append(rIDs, k.id)
		} else {
			wIDs = append(wIDs, k.id)
		}
	}
	for _, part := range []struct {
		report bool
		ids    []int64
		query  string
	}{
		{false, wIDs, "SELECT DISTINCT warning_id, country FROM warning_countries WHERE warning_id IN (%s)"},
		{true, rIDs, "SELECT DISTINCT report_id, country FROM report_countries WHERE report_id IN (%s)"},
	} {
		for start := 0; start < len(part.ids); start += 500 {
			chunk := part.ids[start:min(start+500, len(part.ids))]
			pin, pargs := inList(nil, chunk)
			err := s.plainQuery(ctx, "graph countries", fmt.Sprintf(part.query, pin), pargs, func(r *sql.Rows) error {
				var id int64
				var c string
				if err := r.Scan(&id, &c); err != nil {
					return err
				}
				k := postKey{part.report, id}
				posts[k] = append(posts[k], c)
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	for i := range nodes {
		n := &nodes[i]
		sort.Slice(n.Mentions, func(a, b int) bool {
			x, y := n.Mentions[a], n.Mentions[b]
			if !x.PublishedAt.Equal(y.PublishedAt) {
				return x.PublishedAt.Before(y.PublishedAt)
			}
			if x.Report != y.Report {
				return !x.Report
			}
			return x.ID < y.ID
		})
		for j := range n.Mentions {
			m := &n.Mentions[j]
			m.Countries = append([]string(nil), posts[postKey{m.Report, m.ID}]...)
			sort.Strings(m.Countries)
		}
		if len(n.Mentions) > 0 {
			n.FirstSeen, n.LastSeen = n.Mentions[0].PublishedAt, n.Mentions[len(n.Mentions)-1].PublishedAt
		}
	}
	// Related: indicators of the same counted posts.
	args = append(append([]any(nil), idArgs...), wargs...)
	args = append(append(args, idArgs...), rargs...)
	related := map[[2]int64]int{}
	err = s.plainQuery(ctx, "graph related",
		"SELECT a.indicator_id, b.indicator_id FROM warning_indicators a JOIN warning_indicators b ON b.warning_id = a.warning_id AND b.indicator_id <> a.indicator_id"+
			" JOIN warnings w ON w.id = a.warning_id WHERE a.indicator_id IN ("+in+") AND "+wc+
			" UNION ALL SELECT a.indicator_id, b.indicator_id FROM report_indicators a JOIN report_indicators b ON b.report_id = a.report_id AND b.indicator_id <> a.indicator_id"+
			" JOIN reports r ON r.id = a.report_id WHERE a.indicator_id IN ("+in+") AND "+rc, args,
		func(r *sql.Rows) error {
			var a, b int64
			if err := r.Scan(&a, &b); err != nil {
				return err
			}
			related[[2]int64{a, b}]++
			return nil
		})
	if err != nil {
		return err
	}
	otherIDs := map[int64]bool{}
	for k := range related {
		otherIDs[k[1]] = true
	}
	others, err := s.indicatorsByID(ctx, otherIDs)
	if err != nil {
		return err
	}
	for k, n := range related {
		o, ok := others[k[1]]
		if !ok {
			continue
		}
		node := byID[k[0]]
		node.Related = append(node.Related, GraphRelated{ID: o.ID, Kind: o.Kind, Platform: o.Platform, Normalized: o.Normalized, Hash: o.Hash, Together: n})
	}
	for i := range nodes {
		rel := nodes[i].Related
		sort.Slice(rel, func(a, b int) bool {
			if rel[a].Together != rel[b].Together {
				return rel[a].Together > rel[b].Together
			}
			return rel[a].ID < rel[b].ID
		})
	}
	return nil
}

// indicatorsByID loads the given indicators, keyed by ID.
func (s *Store) indicatorsByID(ctx context.Context, set map[int64]bool) (map[int64]model.Indicator, error) {
	out := make(map[int64]model.Indicator, len(set))
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	for start := 0; start < len(ids); start += 500 {
		in, args := inList(nil, ids[start:min(start+500, len(ids))])
		err := s.plainQuery(ctx, "graph related indicators",
			"SELECT id, kind, platform, normalized, hash FROM indicators WHERE id IN ("+in+")", args,
			func(r *sql.Rows) error {
				var i model.Indicator
				if err := r.Scan(&i.ID, &i.Kind, &i.Platform, &i.Normalized, &i.Hash); err != nil {
					return err
				}
				out[i.ID] = i
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// anyTime reads a time the driver returns for an expression (SQLite gives
// text for COALESCE, PostgreSQL a time).
func anyTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case []byte:
		return parseDBTime(string(t))
	case string:
		return parseDBTime(t)
	}
	return time.Time{}, fmt.Errorf("time of type %T", v)
}

func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}
