package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/cors"

	v1 "forewarn/app/api/v1"
	"forewarn/app/service"
	"forewarn/app/view"
	"forewarn/app/web"
)

type routes struct {
	pages  *web.Handler
	api    *v1.Handler
	assets *view.Assets
	// cache keeps public GET responses; compress compresses them.
	cache    fiber.Handler
	compress fiber.Handler
	// csrf guards every form; the limits slow down guessing and spam.
	csrf       fiber.Handler
	loginLimit fiber.Handler
	// recoverLimit slows down guessing recovery codes, like loginLimit.
	recoverLimit  fiber.Handler
	registerLimit fiber.Handler
	// registerGuard limits new accounts per visitor and site-wide.
	registerGuard fiber.Handler
	reportLimit   fiber.Handler
	replyLimit    fiber.Handler
	flagLimit     fiber.Handler
	checkLimit    fiber.Handler
	// keyLimit holds a request made with an API key to the key's limit.
	keyLimit fiber.Handler
	// rangeLimit slows down walking the range look-up like checks.
	rangeLimit fiber.Handler
	// memberCSRF gives signed-in members a CSRF token on public pages with
	// forms, and leaves visitors without a cookie.
	memberCSRF fiber.Handler
	// member limits members' posts per member and per IP address.
	member memberLimits
	// ready answers /readyz; metrics serves /metrics, nil when not here.
	ready   fiber.Handler
	metrics fiber.Handler
}

// register lists every route of the application, in one place.
func (r routes) register(app *fiber.App) {
	app.Get("/static/:name", r.compress, r.serveAsset)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		return c.Redirect(r.assets.URL("icon.svg"), fiber.StatusMovedPermanently)
	})
	app.Get("/robots.txt", serveRobots)
	app.Get("/sw.js", r.compress, r.serveWorker)
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/readyz", r.ready)
	if r.metrics != nil {
		app.Get("/metrics", r.metrics)
	}

	api := app.Group("/api/v1", cors.New(cors.Config{
		AllowOrigins:  "*",
		AllowMethods:  "GET,HEAD,POST,DELETE,OPTIONS",
		AllowHeaders:  apiAllowHeaders,
		ExposeHeaders: apiExposeHeaders,
		MaxAge:        86400,
	}), apiHeaders, r.api.Authenticate, r.keyLimit)
	api.Get("/openapi.json", r.with(r.api.ServeOpenAPI)...)
	api.Get("/warnings", r.with(r.api.ListWarnings)...)
	api.Get("/warnings/:id", r.with(r.api.GetWarning)...)
	api.Get("/changes", r.with(r.api.ListChanges)...)
	api.Get("/reports", r.with(r.api.ListReports)...)
	api.Get("/reports/:id", r.with(r.api.GetReport)...)
	api.Post("/reports", v1.RequireScope(service.ScopeSubmit), r.api.SubmitReport)
	api.Get("/submissions", v1.RequireScope(service.ScopeSubmit), r.compress, r.api.ListSubmissions)
	api.Get("/submissions/:id", v1.RequireScope(service.ScopeSubmit), r.api.GetSubmission)
	api.Get("/search", r.with(r.api.Search)...)
	api.Post("/check", r.checkLimit, r.api.Check)
	api.Get("/indicators/range/:prefix", append([]fiber.Handler{r.rangeLimit}, r.with(r.api.Range)...)...)
	api.Get("/indicators/prefixes", r.with(r.api.Prefixes)...)
	api.Get("/indicators/test-vectors", r.compress, r.api.TestVectors)
	// Exports stream their body: never through the page cache, which would
	// hold it whole (see streamed).
	api.Get("/export/warnings.jsonl", r.compress, r.api.ExportJSONL)
	api.Get("/export/warnings.csv", r.compress, r.api.ExportCSV)
	api.Get("/export/stix.json", r.compress, r.api.ExportSTIX)
	// The indicator graph for vetted investigators: a key with the
	// investigate scope, checked by the service on every request; never
	// cached, exports streamed.
	api.Get("/investigate/indicators", r.compress, r.api.InvestigateList)
	api.Get("/investigate/indicators/:id", r.compress, r.api.InvestigateGet)
	api.Get("/investigate/export.csv", r.compress, r.api.InvestigateCSV)
	api.Get("/investigate/export/stix.json", r.compress, r.api.InvestigateSTIX)
	hooks := v1.RequireScope(service.ScopeWebhooks)
	api.Post("/webhooks", hooks, r.api.CreateWebhook)
	api.Get("/webhooks", hooks, r.api.ListWebhooks)
	api.Get("/webhooks/:id", hooks, r.api.GetWebhook)
	api.Delete("/webhooks/:id", hooks, r.api.DeleteWebhook)
	api.Post("/webhooks/:id/test", hooks, r.api.TestWebhook)
	api.Get("/webhooks/:id/deliveries", hooks, r.api.ListWebhookDeliveries)
	apiMethods := &methodIndex{}
	app.Use("/api", apiMethods.apiFallback)

	app.Get("/media/images/:id", r.pages.LoadViewer, r.pages.ServeReportImage)
	app.Get("/", r.pages.RedirectRoot)
	app.Get("/w/:id", r.pages.ShortLink)

	lang := app.Group("/:lang", r.pages.Localize, r.pages.LoadViewer, htmlHeaders)
	lang.Get("/", r.with(r.pages.ShowHome)...)
	lang.Get("/warnings", r.with(r.pages.ListWarnings)...)
	lang.Get("/warnings.atom", r.with(r.pages.WarningsFeed)...)
	lang.Get("/warnings/:id", r.with(r.pages.ShowWarning)...)
	lang.Get("/safety", r.with(r.pages.ShowSafety)...)
	lang.Get("/languages", r.with(r.pages.ShowLanguages)...)
	lang.Get("/developers", r.with(r.pages.ShowDevelopers)...)
	lang.Get("/manifest.webmanifest", r.with(r.pages.ShowManifest)...)
	lang.Get("/offline", r.with(r.pages.ShowOffline)...)
	lang.Get("/offline/list", r.with(r.pages.ListOffline)...)
	lang.Get("/help", r.with(r.pages.ShowHelpChooser)...)
	lang.Get("/help/:country", r.with(r.pages.ShowHelp)...)
	lang.Get("/check", r.with(r.pages.ShowCheck)...)
	lang.Get("/search", r.with(r.pages.ShowSearch)...)
	// Checking changes nothing: no CSRF token, so visitors get no cookie.
	lang.Post("/check", privatePage, r.checkLimit, r.pages.Check)
	lang.Get("/indicators/:id", r.with(r.pages.ShowIndicator)...)

	member := r.pages.RequireMember
	lang.Get("/register", privatePage, r.csrf, r.pages.ShowRegister)
	lang.Post("/register", privatePage, r.csrf, r.registerLimit, r.registerGuard, r.pages.Register)
	lang.Get("/login", privatePage, r.csrf, r.pages.ShowLogin)
	lang.Post("/login", privatePage, r.csrf, r.loginLimit, r.pages.Login)
	lang.Post("/logout", privatePage, r.csrf, r.pages.Logout)
	lang.Get("/account", privatePage, member, r.csrf, r.pages.ShowAccount)
	lang.Post("/account/password", privatePage, member, r.csrf, r.pages.ChangePassword)
	lang.Post("/account/delete", privatePage, member, r.csrf, r.pages.DeleteAccount)
	lang.Post("/account/recovery-codes", privatePage, member, r.csrf, r.pages.RegenerateRecoveryCodes)
	lang.Get("/recover", privatePage, r.csrf, r.pages.ShowRecover)
	lang.Post("/recover", privatePage, r.csrf, r.recoverLimit, r.pages.Recover)

	lang.Get("/reports", r.with(r.pages.ListReports)...)
	lang.Get("/reports/new", privatePage, r.csrf, r.pages.ShowNewReport)
	lang.Post("/reports/new", privatePage, r.csrf, r.reportLimit, r.member.report, r.member.reportIP, r.pages.CreateReport)
	lang.Get("/reports/:id", append([]fiber.Handler{r.memberCSRF}, r.with(r.pages.ShowReport)...)...)
	lang.Post("/reports/:id/replies", privatePage, member, r.csrf, r.replyLimit, r.member.reply, r.pages.CreateReply)
	lang.Post("/reports/:id/confirm", privatePage, member, r.csrf, r.pages.ConfirmReport)
	lang.Get("/reports/:id/edit", privatePage, member, r.csrf, r.pages.ShowEditReport)
	lang.Post("/reports/:id/edit", privatePage, member, r.csrf, r.pages.EditReport)
	lang.Get("/replies/:id/edit", privatePage, member, r.csrf, r.pages.ShowEditReply)
	lang.Post("/replies/:id/edit", privatePage, member, r.csrf, r.pages.EditReply)

	lang.Get("/flag", privatePage, r.csrf, r.pages.ShowFlag)
	lang.Post("/flag", privatePage, r.csrf, r.flagLimit, r.member.flag, r.member.flagIP, r.pages.Flag)

	moderator := r.pages.RequireModerator
	lang.Get("/mod/queue", privatePage, moderator, r.csrf, r.pages.ShowQueue)
	lang.Post("/mod/queue", privatePage, moderator, r.csrf, r.pages.Decide)
	lang.Post("/mod/queue/bulk", privatePage, moderator, r.csrf, r.pages.BulkReject)
	lang.Post("/mod/queue/purge", privatePage, moderator, r.csrf, r.pages.BanAndRemove)
	lang.Get("/mod/flags", privatePage, moderator, r.csrf, r.pages.ShowFlags)
	lang.Post("/mod/flags", privatePage, moderator, r.csrf, r.pages.DismissFlags)
	lang.Post("/mod/action", privatePage, moderator, r.csrf, r.pages.ModAction)
	lang.Post("/mod/restrict", privatePage, moderator, r.csrf, r.pages.Restrict)
	lang.Get("/mod/log", privatePage, moderator, r.pages.ShowLog)
	lang.Get("/mod/warnings", privatePage, moderator, r.pages.ShowWarningsWork)
	lang.Get("/mod/warnings/new", privatePage, moderator, r.csrf, r.pages.ShowNewWarning)
	lang.Post("/mod/warnings/new", privatePage, moderator, r.csrf, r.pages.CreateWarning)
	lang.Post("/mod/warnings/draft", privatePage, moderator, r.csrf, r.pages.DraftWarning)
	lang.Get("/mod/warnings/:id", privatePage, moderator, r.csrf, r.pages.ShowWarningWork)
	lang.Post("/mod/warnings/:id", privatePage, moderator, r.csrf, r.pages.UpdateWarning)
	lang.Post("/mod/warnings/:id/state", privatePage, moderator, r.csrf, r.pages.ChangeWarningState)
	lang.Get("/mod/warnings/:id/translate", privatePage, moderator, r.csrf, r.pages.ShowTranslate)
	lang.Post("/mod/warnings/:id/translate", privatePage, moderator, r.csrf, r.pages.SaveTranslation)

	investigator := r.pages.RequireInvestigator
	lang.Get("/investigate", privatePage, investigator, r.pages.ShowInvestigate)
	lang.Get("/investigate/indicators/:id", privatePage, investigator, r.pages.ShowInvestigateIndicator)
	lang.Get("/investigate/export.csv", privatePage, investigator, r.api.InvestigateCSV)
	lang.Get("/investigate/export.stix.json", privatePage, investigator, r.api.InvestigateSTIX)

	admin := r.pages.RequireAdmin
	lang.Get("/admin/users", privatePage, admin, r.pages.ShowAdminUsers)
	lang.Get("/admin/users/:id", privatePage, admin, r.csrf, r.pages.ShowAdminUser)
	lang.Post("/admin/users/:id", privatePage, admin, r.csrf, r.pages.UpdateAdminUser)
	lang.Get("/admin/organisations", privatePage, admin, r.csrf, r.pages.ShowAdminOrganisations)
	lang.Post("/admin/organisations", privatePage, admin, r.csrf, r.pages.CreateOrganisation)
	lang.Post("/admin/organisations/:id", privatePage, admin, r.csrf, r.pages.UpdateOrganisation)
	lang.Post("/admin/organisations/:id/contacts", privatePage, admin, r.csrf, r.pages.SaveOrganisationContacts)
	lang.Post("/admin/organisations/:id/investigator", privatePage, admin, r.csrf, r.pages.SetInvestigator)
	lang.Get("/admin/help", privatePage, admin, r.csrf, r.pages.ShowAdminHelp)
	lang.Get("/admin/help/:country", privatePage, admin, r.csrf, r.pages.ShowAdminHelp)
	lang.Post("/admin/help", privatePage, admin, r.csrf, r.pages.CreateHelpEntry)
	lang.Post("/admin/help/entries/:id", privatePage, admin, r.csrf, r.pages.UpdateHelpEntry)
	lang.Get("/admin/categories", privatePage, admin, r.csrf, r.pages.ShowAdminCategories)
	lang.Post("/admin/categories", privatePage, admin, r.csrf, r.pages.CreateCategory)
	lang.Post("/admin/categories/:id", privatePage, admin, r.csrf, r.pages.RenameCategory)
	lang.Get("/admin/keys", privatePage, admin, r.csrf, r.pages.ShowAdminKeys)
	lang.Post("/admin/keys", privatePage, admin, r.csrf, r.pages.IssueAPIKey)
	lang.Post("/admin/keys/:id/revoke", privatePage, admin, r.csrf, r.pages.RevokeAPIKey)
	lang.Get("/admin/webhooks", privatePage, admin, r.csrf, r.pages.ShowAdminWebhooks)
	lang.Post("/admin/webhooks/:id/enable", privatePage, admin, r.csrf, r.pages.EnableWebhook)

	app.Use(r.pages.NotFound)
	apiMethods.build(app, "/api/")
}

// with puts h behind the page cache and compression.
func (r routes) with(h fiber.Handler) []fiber.Handler {
	return []fiber.Handler{r.cache, r.compress, h}
}

// streamed reports whether a path's response body is streamed as it is
// written: middleware that reads the whole body (the ETag of its bytes)
// must leave it alone, or it would hold the export in memory.
func streamed(path string) bool {
	return strings.HasPrefix(path, "/api/v1/export/") || strings.HasPrefix(path, "/api/v1/investigate/export") ||
		strings.Contains(path, "/investigate/export.")
}

// htmlHeaders marks pages as revalidated on every view: they carry an
// ETag, so a phone pays one small round trip, not the page.
func htmlHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Vary(fiber.HeaderAcceptEncoding)
	return c.Next()
}

// privatePage keeps forms and a member's pages out of every cache, and
// compresses them like public pages (the new-report form is 38 KB raw).
// BREACH-style guessing of a CSRF token from compressed sizes needs
// requests that carry the victim's cookies and echo the attacker's text:
// both cookies are SameSite=Lax, so a request another site's page fires
// (an image, a fetch, a form POST) carries neither and is answered with a
// fresh token of its own; a POST that echoes text needs the token it would
// guess; the GET forms echo little of their URL (login's next, a local
// path; the flag form's numbers). Top-level navigations remain, one page
// load each, far from the thousands such guessing takes.
func privatePage(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return formCompression(c)
}

// formCompression compresses the pages behind privatePage, after the
// handler; like routes.compress, it skips a body already compressed.
var formCompression = negotiatedCompression(compress.New(compress.Config{Level: compress.LevelDefault}))

// apiHeaders lets clients and proxies keep API answers but revalidate them
// on every use: they carry an ETag, so an unchanged answer costs a 304, and
// a hidden report or a retracted warning stops matching at once for partner
// apps too, not a minute later from a proxy's copy.
func apiHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, no-cache")
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	c.Vary(fiber.HeaderAcceptEncoding)
	return c.Next()
}

// serveAsset serves a static file by its content-hashed name, cacheable
// forever.
func (r routes) serveAsset(c *fiber.Ctx) error {
	a, ok := r.assets.ByHashedName(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(a.Data)
}

// serveWorker serves the offline service worker at the root, so that its
// scope covers every language. It is revalidated on every use: a phone
// must pick up a changed worker at once, never keep an old one for a year.
func (r routes) serveWorker(c *fiber.Ctx) error {
	a, ok := r.assets.ByName("sw.js")
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Vary(fiber.HeaderAcceptEncoding)
	return c.Send(a.Data)
}

func serveRobots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.SendString("User-agent: *\nAllow: /\n")
}
