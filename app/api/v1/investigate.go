package v1

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/httperr"
	"forewarn/app/service"
	"forewarn/app/store"
)

// The indicator graph for vetted investigators: /api/v1/investigate/...
// with a key holding the investigate scope of a vetted organisation, and
// the same exports from the investigation page (a member's session; the
// page's middleware checks the member and puts the Investigator in the
// request's context). Nothing here is cached: every answer is no-store.

// maxRelatedListed bounds the related indicators of one indicator in the
// list; the detail and the exports give them all.
const maxRelatedListed = 50

// GraphCount is a number of mentions in a month or a country.
type GraphCount struct {
	Month   string `json:"month,omitempty"`
	Country string `json:"country,omitempty"`
	Count   int    `json:"count"`
}

// GraphRelated is an indicator mentioned together with another.
type GraphRelated struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Platform string `json:"platform,omitempty"`
	Value    string `json:"value"`
	SHA256   string `json:"sha256"`
	Together int    `json:"together"`
}

// GraphMention is a public warning or report mentioning an indicator.
type GraphMention struct {
	Type        string    `json:"type"`
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Title       string    `json:"title,omitempty"`
	PublishedAt time.Time `json:"published_at"`
	Countries   []string  `json:"countries"`
}

// GraphIndicator is one indicator of the graph.
type GraphIndicator struct {
	ID        int64          `json:"id"`
	Kind      string         `json:"kind"`
	Platform  string         `json:"platform,omitempty"`
	Value     string         `json:"value"`
	SHA256    string         `json:"sha256"`
	FirstSeen time.Time      `json:"first_seen"`
	LastSeen  time.Time      `json:"last_seen"`
	Warnings  int            `json:"warnings"`
	Reports   int            `json:"reports"`
	ByMonth   []GraphCount   `json:"by_month"`
	ByCountry []GraphCount   `json:"by_country"`
	Related   []GraphRelated `json:"related"`
	Mentions  []GraphMention `json:"mentions,omitempty"`
}

// GraphList is a page of the graph.
type GraphList struct {
	Data       []GraphIndicator `json:"data"`
	NextCursor *string          `json:"next_cursor"`
}

func (h *Handler) graphIndicator(n service.GraphNode, maxRelated int) GraphIndicator {
	out := GraphIndicator{ID: n.ID, Kind: string(n.Kind), Platform: n.Platform, Value: n.Normalized, SHA256: n.Hash,
		FirstSeen: n.FirstSeen.UTC(), LastSeen: n.LastSeen.UTC(), Warnings: n.Warnings, Reports: n.Reports,
		ByMonth: make([]GraphCount, len(n.ByMonth)), ByCountry: make([]GraphCount, len(n.ByCountry)), Related: []GraphRelated{}}
	for i, c := range n.ByMonth {
		out.ByMonth[i] = GraphCount{Month: c.Of, Count: c.N}
	}
	for i, c := range n.ByCountry {
		out.ByCountry[i] = GraphCount{Country: c.Of, Count: c.N}
	}
	for i, r := range n.Related {
		if maxRelated > 0 && i == maxRelated {
			break
		}
		out.Related = append(out.Related, GraphRelated{ID: r.ID, Kind: string(r.Kind), Platform: r.Platform, Value: r.Normalized, SHA256: r.Hash, Together: r.Together})
	}
	return out
}

// investigator returns who reads the graph: the member the page's
// middleware let in, else the request's key, checked now.
func (h *Handler) investigator(c *fiber.Ctx) (service.Investigator, error) {
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	if inv, ok := service.InvestigatorFrom(c.UserContext()); ok {
		return inv, nil
	}
	return h.svc.Investigations.ForKey(c.UserContext())
}

// GraphQuery reads the graph's filters and page from the query string.
func GraphQuery(c *fiber.Ctx) service.GraphQuery {
	return service.GraphQuery{Kind: c.Query("kind"), Country: c.Query("country"), From: c.Query("from"), To: c.Query("to"), Cursor: c.Query("cursor"), Limit: c.Query("limit")}
}

// InvestigateList serves GET /api/v1/investigate/indicators.
func (h *Handler) InvestigateList(c *fiber.Ctx) error {
	inv, err := h.investigator(c)
	if err != nil {
		return err
	}
	p, err := service.ParseGraphQuery(GraphQuery(c))
	if err != nil {
		return err
	}
	page, err := h.svc.Investigations.List(c.UserContext(), inv, p)
	if err != nil {
		return err
	}
	out := GraphList{Data: make([]GraphIndicator, len(page.Items))}
	for i, n := range page.Items {
		out.Data[i] = h.graphIndicator(n, maxRelatedListed)
	}
	if page.HasNext {
		out.NextCursor = &page.NextCursor
		SetNextLink(c, h.baseURL, "cursor", page.NextCursor)
	}
	return c.JSON(out)
}

// InvestigateGet serves GET /api/v1/investigate/indicators/{id}.
func (h *Handler) InvestigateGet(c *fiber.Ctx) error {
	inv, err := h.investigator(c)
	if err != nil {
		return err
	}
	id, err := httperr.ParseID(c.Params("id"))
	if err != nil {
		return err
	}
	p, err := service.ParseGraphQuery(GraphQuery(c))
	if err != nil {
		return err
	}
	lang, err := chooseLang(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Investigations.Indicator(c.UserContext(), inv, id, p, lang.primary)
	if err != nil {
		return err
	}
	out := h.graphIndicator(d.GraphNode, 0)
	out.Mentions = make([]GraphMention, len(d.Mentions))
	for i, m := range d.Mentions {
		gm := GraphMention{Type: "warning", ID: m.ID, URL: h.baseURL + "/w/" + itoa(m.ID), Title: d.WarningTitles[m.ID], PublishedAt: m.PublishedAt.UTC(), Countries: m.Countries}
		if m.Report {
			gm.Type, gm.URL, gm.Title = "report", h.baseURL+"/en/reports/"+itoa(m.ID), d.ReportTitles[m.ID]
		}
		if gm.Countries == nil {
			gm.Countries = []string{}
		}
		out.Mentions[i] = gm
	}
	return c.JSON(out)
}

// startGraphExport checks the reader and the filters, logs the export
// (service), takes an export token and sets the headers of a private
// download. ok is false when nothing is to be streamed (HEAD).
func (h *Handler) startGraphExport(c *fiber.Ctx, format, contentType, filename string) (walk func(context.Context, func(service.GraphNode) error) error, p service.GraphParams, err error) {
	inv, err := h.investigator(c)
	if err != nil {
		return nil, p, err
	}
	if p, err = service.ParseGraphQuery(GraphQuery(c)); err != nil {
		return nil, p, err
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	if c.Method() == fiber.MethodHead {
		return nil, p, nil
	}
	if !h.acquireExport(c) {
		return nil, p, fiber.ErrTooManyRequests
	}
	walk, err = h.svc.Investigations.Export(c.UserContext(), inv, p, format)
	if err != nil {
		<-h.exports
		return nil, p, err
	}
	return walk, p, nil
}

// graphCSVHeader names the columns of the graph's CSV export: one row per
// indicator.
var graphCSVHeader = []string{
	"indicator_id", "kind", "platform", "value", "sha256", "first_seen", "last_seen", "warnings", "reports",
	"warning_ids", "report_ids", "related", "by_month", "by_country",
}

// InvestigateCSV serves GET /api/v1/investigate/export.csv (and the
// page's export): RFC 4180, UTF-8, cells a spreadsheet would read as a
// formula prefixed with an apostrophe.
func (h *Handler) InvestigateCSV(c *fiber.Ctx) error {
	walk, _, err := h.startGraphExport(c, "csv", "text/csv; charset=utf-8; header=present", "forewarn-indicator-graph.csv")
	if walk == nil || err != nil {
		return err
	}
	h.streamBody(c, "investigate-csv", func(ctx context.Context, w *bufio.Writer) (int, error) {
		cw := csv.NewWriter(w)
		cw.UseCRLF = true
		if err := cw.Write(graphCSVHeader); err != nil {
			return 0, err
		}
		n := 0
		row := make([]string, 0, len(graphCSVHeader))
		err := walk(ctx, func(g service.GraphNode) error {
			var wIDs, rIDs, related, months, countries []string
			for _, m := range g.Mentions {
				if m.Report {
					rIDs = append(rIDs, itoa(m.ID))
				} else {
					wIDs = append(wIDs, itoa(m.ID))
				}
			}
			for _, r := range g.Related {
				related = append(related, fmt.Sprintf("%s:%s (%d)", r.Kind, r.Normalized, r.Together))
			}
			for _, m := range g.ByMonth {
				months = append(months, fmt.Sprintf("%s:%d", m.Of, m.N))
			}
			for _, m := range g.ByCountry {
				key := m.Of
				if key == "" {
					key = "-"
				}
				countries = append(countries, fmt.Sprintf("%s:%d", key, m.N))
			}
			row = append(row[:0], itoa(g.ID), string(g.Kind), g.Platform, g.Normalized, g.Hash,
				csvTime(&g.FirstSeen), csvTime(&g.LastSeen), fmt.Sprint(g.Warnings), fmt.Sprint(g.Reports),
				strings.Join(wIDs, " "), strings.Join(rIDs, " "), strings.Join(related, "\n"), strings.Join(months, " "), strings.Join(countries, " "))
			for i := range row {
				row[i] = csvSafe(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
			if n++; n%exportFlushEvery == 0 {
				cw.Flush()
				if err := cw.Error(); err != nil {
					return err
				}
				return w.Flush()
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		cw.Flush()
		return n, cw.Error()
	})
	return nil
}

// StixRelationship is a STIX 2.1 relationship object: two indicators
// mentioned together.
type StixRelationship struct {
	Type             string   `json:"type"`
	SpecVersion      string   `json:"spec_version"`
	ID               string   `json:"id"`
	Created          string   `json:"created"`
	Modified         string   `json:"modified"`
	CreatedByRef     string   `json:"created_by_ref"`
	RelationshipType string   `json:"relationship_type"`
	SourceRef        string   `json:"source_ref"`
	TargetRef        string   `json:"target_ref"`
	ObjectMarkingRef []string `json:"object_marking_refs"`
	Together         int      `json:"x_forewarn_together"`
}

// StixSighting is a STIX 2.1 sighting object: how often public content
// mentioned an indicator in a month and a country.
type StixSighting struct {
	Type             string   `json:"type"`
	SpecVersion      string   `json:"spec_version"`
	ID               string   `json:"id"`
	Created          string   `json:"created"`
	Modified         string   `json:"modified"`
	CreatedByRef     string   `json:"created_by_ref"`
	SightingOfRef    string   `json:"sighting_of_ref"`
	FirstSeen        string   `json:"first_seen"`
	LastSeen         string   `json:"last_seen"`
	Count            int      `json:"count"`
	ObjectMarkingRef []string `json:"object_marking_refs"`
	Month            string   `json:"x_forewarn_month"`
	Country          string   `json:"x_forewarn_country,omitempty"`
}

// graphStixID is the stable STIX id of an indicator of the graph: the
// same from one export to the next, whatever the filters.
func graphStixID(kind, platform, normalized string) string {
	return "indicator--" + uuid5("investigate/indicator/"+kind+"/"+platform+"/"+normalized)
}

// graphStixObjects returns the STIX objects of one indicator of the
// graph: the indicator, a related-to relationship towards every related
// indicator of a higher ID that the export holds too (each pair once),
// and a sighting per month and country.
func graphStixObjects(g service.GraphNode, f store.GraphFilter) []any {
	marking := []string{tlpAmber}
	id := graphStixID(string(g.Kind), g.Platform, g.Normalized)
	objs := make([]any, 0, 1+len(g.Related)+len(g.Sightings))
	objs = append(objs, StixIndicator{
		Type: "indicator", SpecVersion: "2.1", ID: id, Created: stixTime(g.FirstSeen), Modified: stixTime(g.LastSeen), CreatedByRef: stixIdentity,
		Name: string(g.Kind) + " " + g.Normalized, IndicatorTypes: []string{"malicious-activity"},
		Pattern: stixPattern(string(g.Kind), g.Normalized), PatternType: "stix", ValidFrom: stixTime(g.FirstSeen),
		ObjectMarkingRef: marking, Kind: string(g.Kind), Normalized: g.Normalized, SHA256: g.Hash,
	})
	for _, r := range g.Related {
		if r.ID <= g.ID || (f.Kind != "" && r.Kind != f.Kind) {
			continue
		}
		target := graphStixID(string(r.Kind), r.Platform, r.Normalized)
		objs = append(objs, StixRelationship{
			Type: "relationship", SpecVersion: "2.1", ID: "relationship--" + uuid5("investigate/related/"+id+"/"+target),
			Created: stixTime(g.FirstSeen), Modified: stixTime(g.LastSeen), CreatedByRef: stixIdentity, RelationshipType: "related-to",
			SourceRef: id, TargetRef: target, ObjectMarkingRef: marking, Together: r.Together,
		})
	}
	for _, s := range g.Sightings {
		objs = append(objs, StixSighting{
			Type: "sighting", SpecVersion: "2.1", ID: "sighting--" + uuid5("investigate/sighting/"+id+"/"+s.Month+"/"+s.Country),
			Created: stixTime(s.FirstSeen), Modified: stixTime(s.LastSeen), CreatedByRef: stixIdentity, SightingOfRef: id,
			FirstSeen: stixTime(s.FirstSeen), LastSeen: stixTime(s.LastSeen), Count: s.N, ObjectMarkingRef: marking,
			Month: s.Month, Country: s.Country,
		})
	}
	return objs
}

// InvestigateSTIX serves GET /api/v1/investigate/export/stix.json (and
// the page's export): a STIX 2.1 bundle with the platform's identity, the
// TLP:AMBER marking, and per indicator of the graph its indicator object,
// related-to relationships and sightings. Ids are UUIDv5, stable from one
// export to the next.
func (h *Handler) InvestigateSTIX(c *fiber.Ctx) error {
	version, err := h.svc.Warnings.Version(c.UserContext())
	if err != nil {
		return err
	}
	walk, p, err := h.startGraphExport(c, "stix", "application/stix+json;version=2.1", "forewarn-indicator-graph-stix.json")
	if walk == nil || err != nil {
		return err
	}
	bundle := uuid5("investigate/bundle/" + p.FilterText() + "/" + version)
	h.streamBody(c, "investigate-stix", func(ctx context.Context, w *bufio.Writer) (int, error) {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := writeStixHead(w, bundle, tlpAmber); err != nil {
			return 0, err
		}
		n := 0
		err := walk(ctx, func(g service.GraphNode) error {
			for _, o := range graphStixObjects(g, p.Filter) {
				if _, err := w.WriteString(",\n"); err != nil {
					return err
				}
				if err := enc.Encode(o); err != nil {
					return err
				}
			}
			if n++; n%exportFlushEvery == 0 {
				return w.Flush()
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		_, err = w.WriteString("]}\n")
		return n, err
	})
	return nil
}
