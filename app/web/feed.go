package web

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
	"forewarn/app/view"
)

// tombstonesNS is the namespace of RFC 6721 deleted entries.
const tombstonesNS = "http://purl.org/atompub/tombstones/1.0"

type atomFeed struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	NSAt    string     `xml:"xmlns:at,attr"`
	Lang    string     `xml:"xml:lang,attr"`
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Author  atomPerson `xml:"author"`
	// Items are entries (*atomEntry) and deleted entries (*atomDeleted),
	// most recently changed first.
	Items []any
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	XMLName    xml.Name    `xml:"entry"`
	ID         string      `xml:"id"`
	Title      atomText    `xml:"title"`
	Updated    string      `xml:"updated"`
	Published  string      `xml:"published"`
	Links      []atomLink  `xml:"link"`
	Summary    atomText    `xml:"summary"`
	Categories []atomCateg `xml:"category"`
	Author     *atomPerson `xml:"author,omitempty"`
}

// atomDeleted is an RFC 6721 tombstone: a retracted warning.
type atomDeleted struct {
	XMLName xml.Name     `xml:"at:deleted-entry"`
	Ref     string       `xml:"ref,attr"`
	When    string       `xml:"when,attr"`
	Link    atomLink     `xml:"link"`
	Comment *atomComment `xml:"at:comment,omitempty"`
}

// atomComment is a deleted entry's human-readable reason (RFC 6721).
type atomComment struct {
	Lang string `xml:"xml:lang,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomText struct {
	Lang string `xml:"xml:lang,attr,omitempty"`
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCateg struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// WarningsFeed serves the warnings as an Atom feed in the language of the
// path, filtered by country, category and severity like the list (an
// unknown value is a 400), most recently changed first and paged per RFC
// 5005 (page, with first/previous/next links). Retracted warnings are RFC
// 6721 deleted entries with the public reason; expired ones are marked by
// the category "expired" and in their title.
func (h *Handler) WarningsFeed(c *fiber.Ctx) error {
	l := h.localizer(c)
	ctx := c.UserContext()
	list, err := h.svc.Warnings.Feed(ctx, service.FeedQuery{Lang: l.Code, Country: c.Query("country"),
		Category: c.Query("category"), Severity: c.Query("severity"), Page: c.Query("page")})
	if err != nil {
		return err
	}
	f := list.Filter
	filter := url.Values{}
	if f.Country != "" {
		filter.Set("country", f.Country)
	}
	if f.Category != "" {
		filter.Set("category", f.Category)
	}
	if f.Severity != "" {
		filter.Set("severity", string(f.Severity))
	}
	pageURL := func(page int) string {
		q := url.Values{}
		for k, v := range filter {
			q[k] = v
		}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		u := h.baseURL + "/" + l.Code + "/warnings.atom"
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		return u
	}
	title := l.T("feed.title")
	alternate := h.baseURL + "/" + l.Code + "/warnings"
	if len(filter) > 0 {
		alternate += "?" + filter.Encode()
	}
	if f.Country != "" {
		title = l.T("feed.title_country", "Country", l.Country(f.Country))
	}
	feed := atomFeed{
		NSAt:  tombstonesNS,
		Lang:  l.Tag,
		ID:    pageURL(1),
		Title: title,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: pageURL(list.Page)},
			{Rel: "first", Type: "application/atom+xml", Href: pageURL(1)},
			{Rel: "alternate", Type: "text/html", Href: alternate},
		},
		Author:  atomPerson{Name: "Forewarn"},
		Updated: list.Updated.UTC().Format(time.RFC3339),
	}
	if list.Page > 1 {
		feed.Links = append(feed.Links, atomLink{Rel: "previous", Type: "application/atom+xml", Href: pageURL(list.Page - 1)})
	}
	if list.HasNext {
		feed.Links = append(feed.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: pageURL(list.Page + 1)})
	}
	names, err := h.svc.Warnings.CategoryNames(ctx)
	if err != nil {
		return err
	}
	for _, w := range list.Items {
		id := fmt.Sprintf("%s/w/%d", h.baseURL, w.ID)
		link := atomLink{Rel: "alternate", Type: "text/html", Href: fmt.Sprintf("%s/%s/warnings/%d", h.baseURL, l.Code, w.ID), HrefLang: l.Tag}
		if w.Retracted() {
			when := w.Changed
			if w.RetractedAt != nil {
				when = *w.RetractedAt
			}
			d := &atomDeleted{Ref: id, When: when.UTC().Format(time.RFC3339), Link: link}
			if w.RetractionReason != "" {
				d.Comment = &atomComment{Body: w.RetractionReason}
			}
			feed.Items = append(feed.Items, d)
			continue
		}
		severity := l.T("severity." + string(w.Severity))
		entry := &atomEntry{
			ID:        id,
			Title:     atomText{Lang: w.TextLang, Type: "text", Body: severity + ": " + w.Title},
			Updated:   w.Changed.UTC().Format(time.RFC3339),
			Published: w.PublishedAt.UTC().Format(time.RFC3339),
			Links:     []atomLink{link},
			Summary:   atomText{Lang: w.TextLang, Type: "text", Body: w.Summary},
			Categories: []atomCateg{
				{Term: w.Category, Label: view.CategoryName(l, names, w.Category)},
				{Term: "severity:" + string(w.Severity), Label: severity},
			},
		}
		if w.Expired {
			entry.Title.Body = l.T("feed.expired") + " · " + entry.Title.Body
			entry.Categories = append(entry.Categories, atomCateg{Term: "expired", Label: l.T("feed.expired")})
		}
		if w.Organisation != nil {
			entry.Author = &atomPerson{Name: w.Organisation.Name}
		}
		feed.Items = append(feed.Items, entry)
	}
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return fmt.Errorf("atom feed: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}
