package web

import (
	"time"

	"forewarn/app/i18n"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/store"
	"forewarn/app/view"
)

// sample is the data of one page for the start-up check.
type sample struct {
	data        any
	membersOnly bool
}

// samplePages returns data for every page template that takes each branch
// a real page can take, for the start-up check.
func samplePages(langs []i18n.Language) map[string]sample {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	one := int64(1)
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
	form := &view.Form{Errors: map[string][]string{"current": {"e"}, "password": {"e"}, "body": {"e"}}}
	work := service.WarningWork{
		Warning:  model.Warning{ID: 1, Severity: model.SeverityDanger, Status: model.WarningInReview, Lang: "ar", NamesParty: true},
		Category: "other", Title: "t", Summary: "s", Body: "b", Languages: []string{"ar"}, Own: true,
		Translations: map[string]model.WarningTranslation{"ar": {Lang: "ar"}},
	}
	report := service.ReportDetail{
		ReportSummary: service.ReportSummary{
			ID: 1, Title: "t", Lang: "ar", Category: "other", SeenOn: model.SeenFacebook, Status: model.PostRejected,
			Author: "a", Countries: []model.ReportCountry{{Country: "UA", Role: model.CountryOrigin}}, Replies: 1, Confirmations: 2,
			PublishedAt: &day, CreatedAt: day,
		},
		RejectReason: "r", Own: true, Editable: true, SentBy: &service.Sender{Organisation: "o", Key: "Bot"}, Images: []service.ReportImageRef{{ID: 1, Width: 10, Height: 10}},
		Replies: []service.ReplyView{{ID: 1, Author: "b", Status: model.PostRejected, RejectReason: "r", Editable: true, CreatedAt: day}},
	}
	shared := []service.RelatedIndicator{{Kind: model.IndicatorPhone, Value: "+40700000000"}}
	related := service.RelatedContent{ReportID: 1,
		Warnings: []service.RelatedItem{{Kind: "warning", ID: 1, Title: "w", Lang: "en", Status: "published", Public: true, Shared: shared}},
		Reports:  []service.RelatedItem{{Kind: "report", ID: 2, Title: "r", Lang: "ar", Status: "hidden", Shared: shared}},
		Similar:  []service.RelatedItem{{Kind: "report", ID: 3, Title: "s", Lang: "en", Status: "published", Public: true, Snippet: "<mark>s</mark>"}, {Kind: "warning", ID: 4, Title: "w", Lang: "en", Public: true}},
	}
	return map[string]sample{
		"home":     {data: HomePage{Country: "UA", Countries: countries, Warnings: list.Items}},
		"warnings": {data: WarningsPage{List: list, Countries: countries, Categories: []string{"other"}, Severities: model.Severities}},
		"warning":  {data: WarningPage{Warning: detail, Routes: routes(summary.Countries), RetractedDate: day, ShareText: "s"}},
		"safety":   {data: SafetyPage{Countries: countries}},
		"offline":  {data: OfflinePage{Country: "UA", Warnings: list.Items}},
		"error":    {data: ErrorPage{Heading: "h", Messages: []string{"m"}}},
		"register": {},
		"login":    {},
		"account":  {data: AccountPage{Email: "a@b.example", Role: "member", Notice: "n", Password: form, Delete: form}, membersOnly: true},
		"reports": {data: ReportsPage{
			List:       service.ReportList{Items: []service.ReportSummary{report.ReportSummary}, Page: 2, HasNext: true},
			Countries:  countries,
			Categories: []string{"other"},
			Languages:  []LanguageOption{{Code: "en", Name: "English"}},
		}},
		"report":      {data: ReportPage{Report: report, Replies: []ReplyHTML{{ReplyView: report.Replies[0]}}, Reply: form, Notice: "n", Related: &related}},
		"report_new":  {data: ReportFormPage{Countries: countries, Categories: []string{"other"}, Languages: []LanguageOption{{Code: "en", Name: "English"}}, SeenOn: model.SeenOnPlaces, Guest: true, Sent: true}},
		"report_edit": {data: report, membersOnly: true},
		"flag":        {data: FlagPage{Kind: "report", ID: 1, ReportID: 1, Reasons: service.FlagReasons}},
		"mod_flags": {data: FlagsPage{Items: []service.FlaggedItem{{FlaggedPost: model.FlaggedPost{TargetType: "reply", TargetID: 2, ReportID: 1, Title: "t", Body: "b", Lang: "fa", Status: model.PostHidden, Flags: 3, FirstFlag: 1}, Reasons: []string{"spam"}, Notes: []string{"n"},
			Flaggers: []service.FlaggerView{{Pseudonym: "p", ApprovedPosts: 1, AgeDays: 2, New: true, Restricted: true, Weight: 1}, {}}, Weight: 1, Threshold: 3, Suspicious: true}}, Notice: "n"}, membersOnly: true},
		"mod_log":       {data: LogPage{Log: service.AuditPage{Entries: []model.AuditEntry{{ModerationAction: model.ModerationAction{Action: "report.redact", TargetType: "report", TargetID: 1, Reason: "r", BeforeText: "b", CreatedAt: day}, Actor: "m"}, {ModerationAction: model.ModerationAction{Action: "apikey.issue", TargetType: "api_key", TargetID: 1, CreatedAt: day}, KeyName: "k", KeyOrganisation: "o"}}, Actions: []string{"report.redact"}, Page: 2, HasNext: true}}, membersOnly: true},
		"mod_warnings":  {data: WarningsWorkPage{Items: []service.WarningWork{work}}, membersOnly: true},
		"mod_warning":   {data: WarningFormPage{Work: work, Countries: countries, Categories: []string{"other"}, Languages: []LanguageOption{{Code: "en", Name: "English"}}, Severities: model.Severities, Notice: "n", Unlinked: []int64{2}}, membersOnly: true},
		"mod_translate": {data: TranslatePage{Work: work, Lang: "fr", LangName: "French"}, membersOnly: true},
		"check": {data: CheckPage{Text: "t", Country: "UA", Countries: countries, Result: &service.CheckResult{Indicators: []service.CheckedIndicator{
			{ID: 1, Kind: model.IndicatorSocial, Platform: "instagram", Raw: "r", Normalized: "n", Known: true, Warnings: 1, Reports: 2,
				WarningList: []model.Warning{{ID: 1}}, ReportList: []model.Report{{ID: 1, Lang: "fa"}}, WarningTexts: map[int64]string{1: "t"}, WarningLangs: map[int64]string{1: "ro"}},
			{Kind: model.IndicatorPhone, Raw: "r", Normalized: "r"},
		}, Verdict: service.VerdictDanger, InWarnings: 1, RedFlags: service.RedFlags("")}, Verdict: CheckVerdict{Heading: "h", Lead: "l", RedFlags: []string{"f"}}}},
		"indicator": {data: service.IndicatorPage{IndicatorMatch: model.IndicatorMatch{Indicator: model.Indicator{ID: 1, Kind: model.IndicatorSocial, Platform: "telegram", Normalized: "n"}, Warnings: 1, Reports: 1},
			Warnings: []model.Warning{{ID: 1, Severity: model.SeverityDanger}}, WarningTexts: map[int64]string{1: "t"}, Reports: []model.Report{{ID: 1, Lang: "en", Title: "r"}}}},
		"reply_edit":  {data: service.ReplyToEdit{ID: 1, ReportID: 1, Body: "b"}, membersOnly: true},
		"admin_users": {data: AdminUsersPage{Query: "q", Users: []model.User{{ID: 1, Pseudonym: "p", Role: model.RoleMember, CreatedAt: day}}}, membersOnly: true},
		"admin_user":  {data: AdminUserPage{User: service.UserRow{User: model.User{ID: 1, Pseudonym: "p"}}, Organisations: []model.Organisation{{ID: 1, Name: "o"}}, Roles: []model.Role{model.RoleMember}, Notice: "n"}, membersOnly: true},
		"admin_orgs":  {data: AdminOrgsPage{Organisations: []model.Organisation{{ID: 1, Name: "o", Verified: true, Phone: "+40700000000", Languages: "ro,en", InvestigatorSince: &day}}, ContactsID: 1, Contacts: form}, membersOnly: true},
		"help": {data: service.HelpPage{Country: "RO", Emergency: "112", Entries: []service.HelpContact{{Kind: "hotline", Name: "n", Description: "d", Phone: "112", Tel: "112", Website: "https://example.org", Hours: "h", Lang: "ro"}},
			EntriesLang: "ro", Organisations: []service.HelpContact{{Kind: "organisation", Name: "o", Email: "a@example.org", Languages: []string{"ro"}}}}},
		"languages": {data: LanguagesPage{Languages: langs, Next: "/warnings?country=UA"}},
		"search": {data: SearchPage{Q: "q", Type: "warning", Country: "UA", Category: "other", Countries: countries, Categories: []string{"other"},
			Prev: "20", Next: "40", HasPrev: true, Latest: list.Items, Result: service.SearchPage{Query: "q", Results: []service.SearchResult{
				{Kind: "warning", ID: 1, Lang: "fr", Title: "t", TitleHTML: "<mark>t</mark>", Snippet: "s", Contact: true, PublishedAt: &day},
				{Kind: "report", ID: 2, Lang: "en", Title: "t"}, {Kind: "reply", ID: 3, ReportID: 2, Lang: "ar", Title: "t", Snippet: "s"}}}}},
		"admin_keys": {data: AdminKeysPage{Keys: []model.APIKeyRow{{APIKey: model.APIKey{ID: 1, Name: "k", Prefix: "abcdefgh", Scopes: "read", RateLimit: 120, LastUsedAt: &day}, Organisation: "o"}, {APIKey: model.APIKey{ID: 2, RevokedAt: &day}}},
			Organisations: []model.Organisation{{ID: 1, Name: "o"}}, Scopes: service.APIScopes, Issued: &service.IssuedKey{Key: "FW"}, RevokeID: 1, Revoke: form, Notice: "n"}, membersOnly: true},
		"investigate": {data: InvestigatePage{Query: service.GraphQuery{Kind: "phone", Country: "UA", From: "2026-01", To: "2026-02", Cursor: "c"}, Kinds: graphKinds, Countries: countries,
			List: service.GraphPage{Items: []service.GraphNode{graphSample(day)}, HasNext: true, NextCursor: "n"}, Export: "?kind=phone"}, membersOnly: true},
		"investigate_indicator": {data: InvestigateIndicatorPage{GraphDetail: service.GraphDetail{GraphNode: graphSample(day),
			WarningTitles: map[int64]string{1: "t"}, WarningLangs: map[int64]string{1: "ar"}, ReportTitles: map[int64]string{2: "r"}, ReportLangs: map[int64]string{2: "en"}}}, membersOnly: true},
		"admin_webhooks":   {data: AdminWebhooksPage{Endpoints: service.AdminEndpointPage{Page: 2, HasNext: true, Items: []service.AdminEndpoint{{Endpoint: service.Endpoint{WebhookEndpoint: model.WebhookEndpoint{ID: 1, URL: "https://example.org/h"}, EventList: []string{"warning.published"}, Active: true, Organisation: "o"}, Recent: []model.WebhookAttempt{{ID: 1, EventType: "warning.published", Attempt: 1, StatusCode: 500, Error: "http_status", CreatedAt: day}}}, {Endpoint: service.Endpoint{WebhookEndpoint: model.WebhookEndpoint{ID: 2, DisabledAt: &day}}}}}, Notice: "n"}, membersOnly: true},
		"recovery_codes":   {data: RecoveryCodesPage{Codes: []string{"ABCD-EFGH-JKMN-PQRS"}}, membersOnly: true},
		"recover":          {},
		"developers":       {data: developersPage()},
		"help_chooser":     {data: HelpChooserPage{Countries: countries, WithHelp: countries}},
		"admin_help":       {data: AdminHelpPage{Country: "RO", Countries: countries, WithHelp: countries, Kinds: service.HelpKinds, Entries: []model.HelpEntry{{ID: 1, Country: "RO", Lang: "ro", Kind: "hotline", Name: "n"}}, EditID: 1, Edit: form}, membersOnly: true},
		"admin_categories": {data: AdminCategoriesPage{Categories: []service.CategoryRow{{Category: model.Category{ID: 1, Slug: "other"}, Names: map[string]string{"en": "x"}}}, Languages: []i18n.Language{{Code: "ar", Name: "العربية", RTL: true}}}, membersOnly: true},
		"mod_queue":        {data: QueuePage{QueuePage: service.QueuePage{Items: []model.QueueItem{{Kind: "report", ID: 1, ReportID: 1, Title: "t", Body: "b", Lang: "en", Hold: "personal_data", AuthorID: &one, AuthorName: "p", AuthorRole: model.RoleMember, CreatedAt: day, SenderOrganisation: "o", SenderKey: "Bot"}, {Kind: "reply", ID: 2, ReportID: 1, Title: "t", Body: "b", Lang: "en", CreatedAt: day}}, Page: 2, Pages: 3, Reports: 1, Replies: 1, Related: map[string]service.RelatedContent{"report:1": related, "reply:2": {ReportID: 1, Reply: true}}}, Notice: "n"}, membersOnly: true},
	}
}

// graphSample is an indicator of the graph taking every branch of its
// templates.
func graphSample(day time.Time) service.GraphNode {
	return service.GraphNode{
		GraphIndicator: store.GraphIndicator{ID: 1, Kind: model.IndicatorSocial, Platform: "telegram", Normalized: "telegram:n", FirstSeen: day, LastSeen: day,
			Mentions: []store.GraphMention{{ID: 1, PublishedAt: day, Countries: []string{"UA"}}, {Report: true, ID: 2, PublishedAt: day}},
			Related:  []store.GraphRelated{{ID: 2, Kind: model.IndicatorPhone, Normalized: "+40700000000", Together: 2}}},
		Warnings: 1, Reports: 1, ByMonth: []service.Count{{Of: "2026-01", N: 2}}, ByCountry: []service.Count{{Of: "UA", N: 1}, {Of: "", N: 1}},
	}
}
