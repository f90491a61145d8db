package v1

import (
	"time"

	"forewarn/app/service"
)

// Warning is a warning as the API shows it.
type Warning struct {
	ID                 int64         `json:"id"`
	URL                string        `json:"url"`
	Severity           string        `json:"severity"`
	Category           string        `json:"category"`
	Status             string        `json:"status"`
	Expired            bool          `json:"expired"`
	Lang               string        `json:"lang"`
	OriginalLang       string        `json:"original_lang"`
	Translated         bool          `json:"translated"`
	AvailableLanguages []string      `json:"available_languages"`
	Title              string        `json:"title"`
	Summary            string        `json:"summary"`
	WhatToDoNow        *string       `json:"what_to_do_now,omitempty"`
	Body               *string       `json:"body,omitempty"`
	BodyHTML           *string       `json:"body_html,omitempty"`
	Countries          []Country     `json:"countries"`
	Organisation       *Organisation `json:"organisation"`
	Indicators         []Indicator   `json:"indicators"`
	PublishedAt        time.Time     `json:"published_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
	ExpiresAt          *time.Time    `json:"expires_at"`
	RetractedAt        *time.Time    `json:"retracted_at,omitempty"`
	RetractionReason   string        `json:"retraction_reason,omitempty"`
	// Translations are the texts in every language asked for with lang=*
	// or a comma list; absent otherwise.
	Translations *[]Translation `json:"translations,omitempty"`
}

// Translation is a warning's text in one language. Lists carry title and
// summary; a single warning also its "What to do now" and body.
type Translation struct {
	Lang        string  `json:"lang"`
	Title       string  `json:"title"`
	Summary     string  `json:"summary"`
	WhatToDoNow *string `json:"what_to_do_now,omitempty"`
	Body        *string `json:"body,omitempty"`
	BodyHTML    *string `json:"body_html,omitempty"`
}

// Country is a country on a warning's route.
type Country struct {
	Code string `json:"code"`
	Role string `json:"role"`
}

// Organisation is the publisher of a warning.
type Organisation struct {
	Name     string `json:"name"`
	Verified bool   `json:"verified"`
}

// Indicator is a trace to watch for, as written and normalised.
type Indicator struct {
	Kind        string `json:"kind"`
	Platform    string `json:"platform,omitempty"`
	Value       string `json:"value"`
	Normalized  string `json:"normalized"`
	SHA256      string `json:"sha256"`
	ReportCount int    `json:"report_count"`
}

// WarningList is one page of warnings.
type WarningList struct {
	Data       []Warning `json:"data"`
	NextCursor *string   `json:"next_cursor"`
}

func convertWarning(baseURL string, s service.WarningSummary) Warning {
	w := Warning{
		ID:                 s.ID,
		URL:                baseURL + "/w/" + itoa(s.ID),
		Severity:           string(s.Severity),
		Category:           s.Category,
		Status:             string(s.Status),
		Expired:            s.Expired,
		Lang:               s.TextLang,
		OriginalLang:       s.Lang,
		Translated:         s.Translated,
		AvailableLanguages: s.Languages,
		Title:              s.Title,
		Summary:            s.Summary,
		Countries:          make([]Country, len(s.Countries)),
		Indicators:         make([]Indicator, len(s.Indicators)),
		PublishedAt:        s.PublishedAt.UTC(),
		UpdatedAt:          s.UpdatedAt.UTC(),
		ExpiresAt:          utc(s.ExpiresAt),
	}
	if w.AvailableLanguages == nil {
		w.AvailableLanguages = []string{}
	}
	for i, c := range s.Countries {
		w.Countries[i] = Country{Code: c.Country, Role: string(c.Role)}
	}
	for i, ind := range s.Indicators {
		w.Indicators[i] = Indicator{
			Kind: string(ind.Kind), Platform: ind.Platform, Value: ind.Raw,
			Normalized: ind.Normalized, SHA256: ind.Hash, ReportCount: ind.Reports,
		}
	}
	if s.Organisation != nil {
		w.Organisation = &Organisation{Name: s.Organisation.Name, Verified: s.Organisation.Verified}
	}
	return w
}

func convertWarningDetail(baseURL string, d service.WarningDetail) Warning {
	w := convertWarning(baseURL, d.WarningSummary)
	w.Body, w.BodyHTML, w.WhatToDoNow = &d.Body, &d.BodyHTML, &d.WhatToDo
	w.RetractedAt = utc(d.RetractedAt)
	w.RetractionReason = d.RetractionReason
	return w
}

// translations converts the texts the choice asks for; on a single
// warning (bodies rendered) with every field.
func translations(texts []service.WarningText, lang langChoice, full bool) *[]Translation {
	out := []Translation{}
	for _, t := range texts {
		if !lang.wants(t.Lang) {
			continue
		}
		tr := Translation{Lang: t.Lang, Title: t.Title, Summary: t.Summary}
		if full {
			tr.WhatToDoNow, tr.Body, tr.BodyHTML = &t.WhatToDo, &t.Body, &t.BodyHTML
		}
		out = append(out, tr)
	}
	return &out
}

func translationLangs(ts *[]Translation) []string {
	var out []string
	for _, t := range *ts {
		out = append(out, t.Lang)
	}
	return out
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
