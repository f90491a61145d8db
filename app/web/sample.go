package web

import (
	"time"

	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/view"
)

// sample is the data of one page for the start-up check.
type sample struct {
	data        any
	membersOnly bool
}

// samplePages returns data for every page template that takes each branch
// a real page can take, for the start-up check.
func samplePages() map[string]sample {
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
	form := &view.Form{Errors: map[string][]string{"current": {"e"}, "password": {"e"}}}
	return map[string]sample{
		"home":     {data: HomePage{Country: "UA", Countries: countries, Warnings: list.Items}},
		"warnings": {data: WarningsPage{List: list, Countries: countries, Categories: []string{"other"}, Severities: model.Severities}},
		"warning":  {data: WarningPage{Warning: detail, Routes: routes(summary.Countries), RetractedDate: day, ShareText: "s"}},
		"safety":   {},
		"error":    {data: ErrorPage{Heading: "h", Messages: []string{"m"}}},
		"register": {},
		"login":    {},
		"account":  {data: AccountPage{Email: "a@b.example", Role: "member", Notice: "n", Password: form, Delete: form}, membersOnly: true},
	}
}
