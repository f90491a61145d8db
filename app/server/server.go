// Package server builds the Fiber application: the middleware order, the
// one list of routes, and the error handler of each surface.
package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cache"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/middleware/session"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apperr"
	"forewarn/app/httperr"
	"forewarn/app/i18n"
	"forewarn/app/service"
	"forewarn/app/view"
	"forewarn/app/web"
	"forewarn/locales"
	"forewarn/static"
)

// Options are the settings the server takes from the configuration.
type Options struct {
	BaseURL        string
	QuickExitURL   string
	PageCacheTTL   time.Duration
	PageCacheBytes uint
	// Storage keeps sessions, CSRF tokens and rate-limit counters: the
	// database, or Redis when several instances share the load.
	Storage fiber.Storage
	// SecretKey keys the hashes that stand in for visitors' IP addresses.
	SecretKey string
	// TrustedProxies may set X-Forwarded-For; empty, the peer address counts.
	TrustedProxies []string
	// RegistrationsPerVisitor limits new accounts per visitor (IP-hash) per
	// day, RegistrationsPerHour on the whole site per hour, and
	// RegistrationAlarm is the count in an hour that raises an alarm in the
	// log and on the admin pages; defaults when 0.
	RegistrationsPerVisitor int
	RegistrationsPerHour    int
	RegistrationAlarm       int
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (o Options) now() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// secureCookies reports whether cookies must be limited to HTTPS.
func (o Options) secureCookies() bool {
	return strings.HasPrefix(o.BaseURL, "https://")
}

// Session and form lifetimes.
const (
	sessionLifetime = 7 * 24 * time.Hour
	csrfLifetime    = 4 * time.Hour
)

// Limits on what a request may carry.
const (
	maxQueryBytes  = 1024
	maxBodyBytes   = 20 << 20 // three screenshots and the text
	maxFormBytes   = 1 << 20  // any other body
	readBufferSize = 8192
)

// contentSecurityPolicy allows the site's own CSS, JS and images and
// nothing else: no inline script or style, no third party, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Build loads the embedded locales, static files and templates, checking
// every template, and builds the application.
func Build(svc *service.Services, log *slog.Logger, opts Options) (*fiber.App, error) {
	catalog, err := i18n.Load(locales.FS)
	if err != nil {
		return nil, err
	}
	assets, err := view.LoadAssets(static.FS)
	if err != nil {
		return nil, err
	}
	views, err := view.New(assets)
	if err != nil {
		return nil, err
	}
	return New(svc, catalog, views, assets, log, opts)
}

// New builds the application with every route.
func New(svc *service.Services, catalog *i18n.Catalog, views *view.Renderer, assets *view.Assets, log *slog.Logger, opts Options) (*fiber.App, error) {
	if opts.Storage == nil {
		return nil, errors.New("server: no storage for sessions")
	}
	sessions := session.New(session.Config{
		Storage:        opts.Storage,
		KeyLookup:      "cookie:" + web.SessionCookie,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   opts.secureCookies(),
		Expiration:     sessionLifetime,
	})
	tokens := web.NewCSRFTokens(opts.SecretKey, csrfLifetime, sessionLifetime, opts.now())
	registrations := newRegistrationGuard(opts, log)
	pages, err := web.New(svc, catalog, views, log, web.Options{BaseURL: opts.BaseURL, QuickExitURL: opts.QuickExitURL, Sessions: sessions, CSRF: tokens, Alarms: registrations.alarms})
	if err != nil {
		return nil, err
	}
	registrations.refuse = pages.RefuseRegistration
	api := v1.New(svc, catalog, log, opts.BaseURL)
	app := fiber.New(fiber.Config{
		AppName:                 "forewarn",
		DisableStartupMessage:   true,
		BodyLimit:               maxBodyBytes,
		ReadBufferSize:          readBufferSize,
		JSONEncoder:             encodeJSON,
		ReadTimeout:             30 * time.Second,
		WriteTimeout:            30 * time.Second,
		IdleTimeout:             120 * time.Second,
		ProxyHeader:             proxyHeader(opts.TrustedProxies),
		EnableTrustedProxyCheck: len(opts.TrustedProxies) > 0,
		TrustedProxies:          opts.TrustedProxies,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			if isAPI(c.Path()) {
				return api.RenderError(c, err)
			}
			return pages.RenderError(c, err)
		},
	})
	app.Use(recover.New())
	app.Use(requestid.New(requestid.Config{Generator: newRequestID}))
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy:     contentSecurityPolicy,
		ReferrerPolicy:            "no-referrer",
		CrossOriginResourcePolicy: "same-site",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=(), interest-cohort=()",
		HSTSMaxAge:                31536000,
	}))
	app.Use(guardRequest)
	app.Use(etag.New())

	csrfGuard := boundCSRF(csrf.New(csrf.Config{
		KeyLookup:         "form:_csrf",
		CookieName:        web.CSRFCookie,
		CookieHTTPOnly:    true,
		CookieSameSite:    "Lax",
		CookieSecure:      opts.secureCookies(),
		CookieSessionOnly: true,
		Expiration:        csrfLifetime,
		// Self-verifying signed tokens: a form costs no server-side state.
		Storage:      tokens.Storage(),
		KeyGenerator: tokens.Generate,
		ContextKey:   web.CSRFKey,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return httperr.ErrCSRF
		},
	}), tokens)
	r := routes{
		pages:    pages,
		api:      api,
		assets:   assets,
		cache:    pageCache(svc.Warnings, opts),
		compress: compress.New(compress.Config{Level: compress.LevelDefault}),
		csrf:     csrfGuard,
		memberCSRF: func(c *fiber.Ctx) error {
			if c.Cookies(web.SessionCookie) == "" {
				return c.Next()
			}
			return csrfGuard(c)
		},
		loginLimit:    rateLimit(opts, "login", 10, 15*time.Minute, true),
		registerLimit: registrationAttempts(opts, pages),
		registerGuard: registrations.handle,
		reportLimit:   guestLimit(opts, "report", 10, time.Hour),
		replyLimit:    rateLimit(opts, "reply", 30, time.Hour, false),
		flagLimit:     guestLimit(opts, "flag", 30, time.Hour),
		checkLimit:    rateLimit(opts, "check", 120, time.Minute, false),
	}
	r.member = newMemberLimits(opts)
	r.register(app)
	return app, nil
}

// newRequestID returns 128 random bits in hex: Fiber's default is a counter
// behind a random prefix, and consecutive IDs would tell the site's traffic.
func newRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("request id: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// encodeJSON writes API documents without escaping <, > and &: they are
// served as JSON, never embedded in HTML, and body_html stays readable.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func isAPI(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}

// guardRequest refuses bodies and queries that are too long, and paths or
// decoded query values that are not UTF-8, before any handler reads them.
func guardRequest(c *fiber.Ctx) error {
	if err := checkBodySize(c); err != nil {
		return err
	}
	q := c.Context().QueryArgs().QueryString()
	if len(q) > maxQueryBytes {
		return &apperr.Invalid{Field: "query", Key: "error.query.too_long"}
	}
	valid := utf8.Valid([]byte(c.Path()))
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		valid = valid && utf8.Valid(k) && utf8.Valid(v)
	})
	if !valid {
		return &apperr.Invalid{Field: "query", Key: "error.encoding.invalid"}
	}
	return c.Next()
}

func proxyHeader(trusted []string) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

// pageCache keeps rendered public responses in memory, keyed by the URL,
// the negotiated compression and the content version of the warnings, so a
// publish or an edit anywhere invalidates them within a second. Only
// successful responses are kept.
func pageCache(warnings *service.Warnings, opts Options) fiber.Handler {
	if opts.PageCacheTTL <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	shared := cache.New(cache.Config{
		Expiration:  opts.PageCacheTTL,
		MaxBytes:    opts.PageCacheBytes,
		CacheHeader: "X-Cache",
		Methods:     []string{fiber.MethodGet, fiber.MethodHead},
		KeyGenerator: func(c *fiber.Ctx) string {
			version, err := warnings.Version(c.UserContext())
			if err != nil {
				version = "error"
			}
			return version + "|" + encodingOf(c) + "|" + c.OriginalURL()
		},
		Next: func(c *fiber.Ctx) bool {
			return c.Response().StatusCode() != fiber.StatusOK
		},
	})
	// A signed-in member sees their own header: never a shared page.
	return func(c *fiber.Ctx) error {
		if c.Cookies(web.SessionCookie) != "" {
			return c.Next()
		}
		return shared(c)
	}
}

// encodingOf names the compression the compress middleware will choose.
func encodingOf(c *fiber.Ctx) string {
	ae := c.Get(fiber.HeaderAcceptEncoding)
	switch {
	case strings.Contains(ae, "br"):
		return "br"
	case strings.Contains(ae, "gzip"):
		return "gzip"
	case strings.Contains(ae, "deflate"):
		return "deflate"
	}
	return ""
}
