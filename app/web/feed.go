package web

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
	"forewarn/app/view"
)

// feedSize is how many warnings an Atom feed carries.
const feedSize = "50"

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
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
	ID         string      `xml:"id"`
	Title      atomText    `xml:"title"`
	Updated    string      `xml:"updated"`
	Published  string      `xml:"published"`
	Links      []atomLink  `xml:"link"`
	Summary    atomText    `xml:"summary"`
	Categories []atomCateg `xml:"category"`
	Author     *atomPerson `xml:"author,omitempty"`
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

// WarningsFeed serves the latest listed warnings as an Atom feed in the
// language of the path, optionally for one country.
func (h *Handler) WarningsFeed(c *fiber.Ctx) error {
	l := h.localizer(c)
	list, err := h.svc.Warnings.List(c.UserContext(), service.WarningQuery{Lang: l.Code, Country: c.Query("country"), Limit: feedSize})
	if err != nil {
		return err
	}
	self := h.baseURL + feedPath(l.Code, list.Filter.Country)
	title := l.T("feed.title")
	alternate := h.baseURL + "/" + l.Code + "/warnings"
	if list.Filter.Country != "" {
		title = l.T("feed.title_country", "Country", l.Country(list.Filter.Country))
		alternate += "?country=" + list.Filter.Country
	}
	feed := atomFeed{
		Lang:  l.Code,
		ID:    self,
		Title: title,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Href: alternate},
		},
		Author: atomPerson{Name: "Forewarn"},
	}
	names, err := h.svc.Warnings.CategoryNames(c.UserContext())
	if err != nil {
		return err
	}
	var updated time.Time
	for _, w := range list.Items {
		if w.UpdatedAt.After(updated) {
			updated = w.UpdatedAt
		}
		link := fmt.Sprintf("%s/%s/warnings/%d", h.baseURL, l.Code, w.ID)
		entry := atomEntry{
			ID:        fmt.Sprintf("%s/w/%d", h.baseURL, w.ID),
			Title:     atomText{Lang: w.TextLang, Type: "text", Body: l.T("severity."+string(w.Severity)) + ": " + w.Title},
			Updated:   w.UpdatedAt.UTC().Format(time.RFC3339),
			Published: w.PublishedAt.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link, HrefLang: l.Code}},
			Summary:   atomText{Lang: w.TextLang, Type: "text", Body: w.Summary},
			Categories: []atomCateg{
				{Term: w.Category, Label: view.CategoryName(l, names, w.Category)},
				{Term: "severity:" + string(w.Severity), Label: l.T("severity." + string(w.Severity))},
			},
		}
		if w.Organisation != nil {
			entry.Author = &atomPerson{Name: w.Organisation.Name}
		}
		feed.Entries = append(feed.Entries, entry)
	}
	feed.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		return fmt.Errorf("atom feed: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/atom+xml; charset=utf-8")
	return c.Send(append([]byte(xml.Header), out...))
}
