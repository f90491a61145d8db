package v1

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/service"
)

// CheckRequest is the body of POST /check.
type CheckRequest struct {
	Text    string `json:"text"`
	Country string `json:"country"`
}

// CheckedIndicator is one indicator found in the text.
type CheckedIndicator struct {
	Kind         string `json:"kind"`
	Platform     string `json:"platform,omitempty"`
	Value        string `json:"value"`
	Normalized   string `json:"normalized"`
	SHA256       string `json:"sha256"`
	Known        bool   `json:"known"`
	WarningCount int    `json:"warning_count"`
	ReportCount  int    `json:"report_count"`
	Warnings     []Link `json:"warnings"`
	Reports      []Link `json:"reports"`
}

// Link names a warning or a report with its public address.
type Link struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// CheckResponse is the answer of POST /check.
type CheckResponse struct {
	// Verdict is the check's conclusion, as on the HTML page: "danger" (a
	// published warning names a contact), "caution" (only members'
	// reports do), "unknown" (contacts found, none known, which does not
	// make the offer safe) or "none" (nothing recognisable found).
	Verdict    string             `json:"verdict"`
	Indicators []CheckedIndicator `json:"indicators"`
}

// RangeResponse is the answer of GET /indicators/range/{prefix}: the
// hashes of the public indicators with the prefix, padded with decoys to a
// fixed size and sorted, so that neither the answer's length nor its order
// tells how many are real.
type RangeResponse struct {
	Prefix  string       `json:"prefix"`
	Matches []RangeMatch `json:"matches"`
}

// RangeMatch is one hash of a range answer: a public indicator's, or a
// decoy that no indicator has. Nothing else is told of it, as a decoy
// could not tell it truthfully.
type RangeMatch struct {
	SHA256 string `json:"sha256"`
}

// Check serves POST /api/v1/check. The text is neither stored nor logged.
func (h *Handler) Check(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	// Checking reads published content: a key sent with it needs read.
	if err := service.ReadScope(c.UserContext()); err != nil {
		return err
	}
	var req CheckRequest
	if err := DecodeStrict(c.Body(), &req); err != nil {
		return err
	}
	lang, err := contentLang(c.Query("lang"))
	if err != nil {
		return err
	}
	res, err := h.svc.Checker.Check(c.UserContext(), service.CheckInput{Text: req.Text, Country: req.Country}, lang)
	if err != nil {
		return err
	}
	pageLang := "en"
	if l, ok := h.catalog.Lookup(lang); ok {
		pageLang = l.Code
	}
	out := CheckResponse{Verdict: string(res.Verdict), Indicators: make([]CheckedIndicator, len(res.Indicators))}
	for i, ind := range res.Indicators {
		ci := CheckedIndicator{
			Kind: string(ind.Kind), Platform: ind.Platform, Value: ind.Raw, Normalized: ind.Normalized, SHA256: ind.Hash,
			Known: ind.Known, WarningCount: ind.Warnings, ReportCount: ind.Reports, Warnings: []Link{}, Reports: []Link{},
		}
		for _, w := range ind.WarningList {
			ci.Warnings = append(ci.Warnings, Link{ID: w.ID, Title: ind.WarningTexts[w.ID], URL: fmt.Sprintf("%s/w/%d", h.baseURL, w.ID)})
		}
		for _, r := range ind.ReportList {
			ci.Reports = append(ci.Reports, Link{ID: r.ID, Title: r.Title, URL: fmt.Sprintf("%s/%s/reports/%d", h.baseURL, pageLang, r.ID)})
		}
		out.Indicators[i] = ci
	}
	return c.JSON(out)
}

// Range serves GET /api/v1/indicators/range/{prefix}.
func (h *Handler) Range(c *fiber.Ctx) error {
	prefix := c.Params("prefix")
	hashes, err := h.sync.Range(c.UserContext(), prefix)
	if err != nil {
		return err
	}
	out := RangeResponse{Prefix: prefix, Matches: make([]RangeMatch, len(hashes))}
	for i, hash := range hashes {
		out.Matches[i] = RangeMatch{SHA256: hash}
	}
	return c.JSON(out)
}
