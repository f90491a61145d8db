package v1

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/service"
)

// Change is one entry of the change feed: the warning's whole state now,
// or for a retracted warning its tombstone.
type Change struct {
	Change    string     `json:"change"`
	ID        int64      `json:"id"`
	Warning   *Warning   `json:"warning,omitempty"`
	Tombstone *Tombstone `json:"tombstone,omitempty"`
}

// Tombstone is what stays of a retracted warning in the change feed.
type Tombstone struct {
	ID               int64     `json:"id"`
	URL              string    `json:"url"`
	RetractedAt      time.Time `json:"retracted_at"`
	RetractionReason string    `json:"retraction_reason"`
}

// ChangeList is one page of the change feed.
type ChangeList struct {
	Data []Change `json:"data"`
	// NextSince is the token for the next request, whether HasMore or not.
	NextSince string `json:"next_since"`
	HasMore   bool   `json:"has_more"`
}

// changesParams are the query parameters /changes knows.
var changesParams = map[string]bool{"since": true, "limit": true, "lang": true}

// ListChanges serves GET /api/v1/changes.
func (h *Handler) ListChanges(c *fiber.Ctx) error {
	var errs apperr.Invalids
	c.Context().QueryArgs().VisitAll(func(key, _ []byte) {
		if !changesParams[string(key)] {
			errs = append(errs, &apperr.Invalid{Field: string(key), Key: "error.param.unknown"})
		}
	})
	if err := errs.Err(); err != nil {
		return err
	}
	lang, err := contentLang(c.Query("lang"))
	if err != nil {
		return err
	}
	page, err := h.Changes.Page(c.UserContext(), service.ChangesQuery{Since: c.Query("since"), Limit: c.Query("limit"), Lang: lang})
	if err != nil {
		return err
	}
	out := ChangeList{Data: make([]Change, len(page.Items)), NextSince: page.Next, HasMore: page.More}
	for i, ch := range page.Items {
		d := ch.Detail
		out.Data[i] = Change{Change: ch.Kind, ID: d.ID}
		if ch.Kind == service.ChangeRetracted {
			t := &Tombstone{ID: d.ID, URL: h.baseURL + "/w/" + itoa(d.ID), RetractionReason: d.RetractionReason}
			if d.RetractedAt != nil {
				t.RetractedAt = d.RetractedAt.UTC()
			}
			out.Data[i].Tombstone = t
			continue
		}
		w := convertWarningDetail(h.baseURL, d)
		out.Data[i].Warning = &w
	}
	return c.JSON(out)
}
