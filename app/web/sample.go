package web

import (
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
)

// samplePages returns data for every page template that takes each branch
// a real page can take, for the start-up check.
func samplePages() map[string]any {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	org := &model.Organisation{Name: "Sample NGO", Verified: true}
	summary := service.WarningSummary{
		ID: 1, Severity: model.SeverityDanger, Category: "other", Status: model.WarningRetracted,
		Expired: true, Lang: "en", TextLang: "en", Title: "t", Summary: "s", Languages: []string{"en", "fr"},
		Countries:    []model.WarningCountry{{Country: "UA", Role: model.CountryOrigin}},
		Organisation: org, PublishedAt: day, ExpiresAt: &day, DaysLeft: 3, UpdatedAt: day,
		Indicators: []service.WarningIndicator{{Kind: model.IndicatorSocial, Platform: "facebook", Raw: "x", Reports: 2}},
	}
	list := service.WarningList{Items: []service.WarningSummary{summary}, Page: 2, HasNext: true}
	detail := service.WarningDetail{WarningSummary: summary, RetractedAt: &day, RetractionReason: "r", SourceReports: []model.Report{{Title: "r", Lang: "en"}}}
	countries := []CountryOption{{Code: "UA", Name: "Ukraine"}}
	return map[string]any{
		"home":     HomePage{Country: "UA", Countries: countries, Warnings: list.Items},
		"warnings": WarningsPage{List: list, Countries: countries, Categories: []string{"other"}, Severities: model.Severities},
		"warning":  WarningPage{Warning: detail, Routes: routes(summary.Countries), RetractedDate: day, ShareText: "s"},
		"safety":   nil,
		"error":    ErrorPage{Heading: "h", Messages: []string{"m"}},
	}
}
