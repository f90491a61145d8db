package v1

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/service"
)

// SearchItem is one result of GET /search.
type SearchItem struct {
	Type     string `json:"type"`
	ID       int64  `json:"id"`
	ReportID *int64 `json:"report_id"`
	Lang     string `json:"lang"`
	Title    string `json:"title"`
	// SnippetHTML is safe HTML: the text escaped, the matches in <mark>.
	SnippetHTML string     `json:"snippet_html"`
	TitleHTML   string     `json:"title_html"`
	URL         string     `json:"url"`
	Contact     bool       `json:"contact"`
	PublishedAt *time.Time `json:"published_at"`
}

// SearchList is a page of GET /search.
type SearchList struct {
	Data       []SearchItem `json:"data"`
	NextCursor *string      `json:"next_cursor"`
}

// Search serves GET /api/v1/search. The query is neither logged nor kept.
func (h *Handler) Search(c *fiber.Ctx) error {
	lang, err := chooseLang(c)
	if err != nil {
		return err
	}
	limit := 0
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > service.SearchMaxLimit {
			return &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": service.SearchMaxLimit}}
		}
		limit = n
	}
	page, err := h.svc.Search.Search(c.UserContext(), service.SearchQuery{
		Q: c.Query("q"), Type: c.Query("type"), Country: c.Query("country"), Category: c.Query("category"),
		Lang: c.Query("lang"), Cursor: c.Query("cursor"), Limit: limit, ReaderLang: lang.primary,
	})
	if err != nil {
		return err
	}
	// The pages are on a shipped language's path: the reader's when the
	// site has it, else the closest one, else English; never an empty
	// segment ("//warnings/1") when the request names no language.
	site := h.baseURL + "/" + h.catalog.Match(lang.primary, c.Get(fiber.HeaderAcceptLanguage)).Code
	out := SearchList{Data: make([]SearchItem, 0, len(page.Results))}
	for _, r := range page.Results {
		it := SearchItem{Type: r.Kind, ID: r.ID, Lang: r.Lang, Title: r.Title, TitleHTML: string(r.TitleHTML), SnippetHTML: string(r.Snippet), Contact: r.Contact, PublishedAt: r.PublishedAt}
		switch r.Kind {
		case "warning":
			it.URL = site + "/warnings/" + strconv.FormatInt(r.ID, 10)
		case "report":
			it.URL = site + "/reports/" + strconv.FormatInt(r.ID, 10)
		case "reply":
			rid := r.ReportID
			it.ReportID = &rid
			it.URL = site + "/reports/" + strconv.FormatInt(rid, 10) + "#reply-" + strconv.FormatInt(r.ID, 10)
		}
		out.Data = append(out.Data, it)
	}
	if page.Next != "" {
		next := page.Next
		out.NextCursor = &next
		SetNextLink(c, h.baseURL, "cursor", next)
	}
	return c.JSON(out)
}
