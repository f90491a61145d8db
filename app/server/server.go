// Package server builds the Fiber application: the middleware order, the
// one list of routes, and the error handler of each surface.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cache"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/csrf"
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
	// RequestTimeout is every request's deadline; defaultRequestTimeout
	// when 0.
	RequestTimeout time.Duration
	// ReadTimeout and WriteTimeout bound reading a request and writing its
	// response on the connection; 30 s when 0.
	ReadTimeout, WriteTimeout time.Duration
	// Metrics, when set, counts requests, cache hits and the database pool;
	// ServeMetrics also serves them at /metrics on this application (the
	// public listener: off by default, see the README).
	Metrics      *Metrics
	ServeMetrics bool
	// WarmPrefixes builds the indicator prefix set in the background as
	// the application is built, so that partners' first sync after a
	// start or a migration finds it ready instead of waiting for it (the
	// server command sets it; tests build the set when they ask).
	WarmPrefixes bool
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
	// maxQueryBytes leaves room for a search of 200 characters in any
	// script with its filters: percent-encoded, a Cyrillic or Arabic letter
	// takes 6 bytes, an emoji 12.
	maxQueryBytes = 3072
	maxBodyBytes  = 20 << 20 // three screenshots and the text
	maxFormBytes  = 1 << 20  // any other body
	// readBufferSize is fasthttp's per-connection read buffer, which bounds
	// the header it can parse; maxHeaderBytes is the header we take. The
	// buffer is larger so that a header between the two reaches routing
	// and is refused (431) in the format of its surface and language.
	readBufferSize = 32 << 10
	maxHeaderBytes = 8 << 10
)

// contentSecurityPolicy allows the site's own CSS, JS and images and
// nothing else: no inline script or style, no third party, no framing; the
// one worker is the site's own offline worker.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Build loads the embedded locales, static files and templates, checking
// every template, and builds the application.
func Build(svc *service.Services, log *slog.Logger, opts Options) (*fiber.App, error) {
	e, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	return New(svc, e.catalog, e.views, e.assets, log, opts)
}

// embedded is what Build reads from the files embedded in the binary: the
// message catalogue, the static files and the page templates, every page
// rendered once in every language.
type embedded struct {
	catalog *i18n.Catalog
	assets  *view.Assets
	views   *view.Renderer
}

// loadEmbedded loads and checks the embedded files once per process and
// returns the same result to every later call (a test binary builds the
// application hundreds of times). The files cannot change while the
// process runs, and the catalogue, assets and renderer are immutable once
// built and safe for concurrent use, so sharing them shares no state.
var loadEmbedded = sync.OnceValues(func() (*embedded, error) {
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
	if err := web.CheckPages(catalog, views); err != nil {
		return nil, err
	}
	return &embedded{catalog: catalog, assets: assets, views: views}, nil
})

// New builds the application with every route, from a catalogue and
// templates that passed web.CheckPages (Build loads and checks them).
func New(svc *service.Services, catalog *i18n.Catalog, views *view.Renderer, assets *view.Assets, log *slog.Logger, opts Options) (*fiber.App, error) {
	if opts.Storage == nil {
		return nil, errors.New("server: no storage for sessions")
	}
	opts.Storage = guardStorage(opts.Storage, log)
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
	api.Changes = service.NewChanges(svc.Warnings, opts.SecretKey)
	indicatorSync := service.NewIndicatorSync(svc.Checker, []byte(opts.SecretKey), opts.now())
	api.UseIndicatorSync(indicatorSync)
	if opts.WarmPrefixes {
		go warmPrefixes(indicatorSync, log)
	}
	app := fiber.New(fiber.Config{
		AppName:                 "forewarn",
		DisableStartupMessage:   true,
		BodyLimit:               maxBodyBytes,
		ReadBufferSize:          readBufferSize,
		JSONEncoder:             encodeJSON,
		ReadTimeout:             orDefault(opts.ReadTimeout, 30*time.Second),
		WriteTimeout:            orDefault(opts.WriteTimeout, 30*time.Second),
		IdleTimeout:             120 * time.Second,
		ProxyHeader:             proxyHeader(opts.TrustedProxies),
		EnableTrustedProxyCheck: len(opts.TrustedProxies) > 0,
		TrustedProxies:          opts.TrustedProxies,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			ensureRequestID(c)
			if isAPI(c.Path()) || isAPI(unparsedPath(c, err)) {
				return api.RenderError(c, err)
			}
			return pages.RenderError(c, err)
		},
	})
	app.Server().HeaderReceived = bodyLimit
	if opts.Metrics != nil {
		if err := opts.Metrics.Register(poolCollector(svc)); err != nil {
			return nil, fmt.Errorf("server: metrics: %w", err)
		}
		app.Use(opts.Metrics.observe)
	}
	app.Use(recover.New())
	// A request ID sent by the client is not kept: it could repeat another
	// request's, or carry anything into the log.
	app.Use(func(c *fiber.Ctx) error {
		c.Request().Header.Del(fiber.HeaderXRequestID)
		return c.Next()
	})
	app.Use(requestid.New(requestid.Config{Generator: newRequestID}))
	app.Use(requestDeadline(opts.RequestTimeout))
	app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy:     contentSecurityPolicy,
		ReferrerPolicy:            "no-referrer",
		CrossOriginResourcePolicy: "same-site",
		// Not helmet's same-origin and require-corp: the site has no
		// cross-origin windows or shared memory to guard, and with them
		// Chrome starts every page that is entered from another site in a
		// new renderer process, 200–400 ms of blocking main-thread work on
		// a mid phone (Lighthouse uk/check: TBT 169–206 ms with both, 33–39
		// ms without). Framing stays refused by frame-ancestors.
		CrossOriginOpenerPolicy:   "unsafe-none",
		CrossOriginEmbedderPolicy: "unsafe-none",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=(), interest-cohort=()",
		HSTSMaxAge:                31536000,
	}))
	app.Use(guardRequest)
	app.Use(conditional)

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
		compress: negotiatedCompression(compress.New(compress.Config{Level: compress.LevelDefault})),
		csrf:     csrfGuard,
		memberCSRF: func(c *fiber.Ctx) error {
			if c.Cookies(web.SessionCookie) == "" {
				return c.Next()
			}
			return csrfGuard(c)
		},
		loginLimit:    rateLimit(opts, "login", 10, 15*time.Minute, true),
		recoverLimit:  rateLimit(opts, "recover", 10, 15*time.Minute, true),
		registerLimit: registrationAttempts(opts, pages),
		registerGuard: registrations.handle,
		reportLimit:   guestLimit(opts, "report", 10, time.Hour),
		replyLimit:    rateLimit(opts, "reply", 30, time.Hour, false),
		flagLimit:     guestLimit(opts, "flag", 30, time.Hour),
		checkLimit:    limit(opts, "check", 120, time.Minute, false, keyed),
		keyLimit:      newKeyLimits(opts).handle,
		rangeLimit:    limit(opts, "range", 120, time.Minute, false, keyed),
	}
	r.ready = readiness(svc, opts.Storage, log)
	if opts.Metrics != nil && opts.ServeMetrics {
		r.metrics = metricsHandler(opts.Metrics)
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
	if h := &c.Request().Header; len(h.RawHeaders())+len(h.RequestURI()) > maxHeaderBytes {
		return fiber.ErrRequestHeaderFieldsTooLarge
	}
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

// cacheHeader is the header Fiber's cache middleware cannot be told not to set.
const cacheHeader = "X-Cache"

// pageCache keeps rendered public responses in memory, keyed by the URL,
// the negotiated compression and the content version, which every write to
// public content moves (on this instance at once, on the others within a
// second). Only successful responses for visitors are kept, never one that
// sets a cookie or says no-store: a form's token or a private page stays
// with the one who asked.
func pageCache(warnings *service.Warnings, opts Options) fiber.Handler {
	if opts.PageCacheTTL <= 0 {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	shared := cache.New(cache.Config{
		Expiration: opts.PageCacheTTL,
		MaxBytes:   opts.PageCacheBytes,
		// Fiber always sets this header; it is removed below.
		CacheHeader: cacheHeader,
		// Link, Content-Language and Last-Modified are part of the answer.
		StoreResponseHeaders: true,
		Methods:              []string{fiber.MethodGet, fiber.MethodHead},
		KeyGenerator: func(c *fiber.Ctx) string {
			version, err := warnings.Version(c.UserContext())
			if err != nil {
				version = "error"
			}
			// API answers without lang come in the reader's language
			// (Accept-Language): the chosen language is part of the key.
			reader := ""
			if isAPI(c.Path()) {
				reader, _ = i18n.AcceptBase(c.Get(fiber.HeaderAcceptLanguage))
			}
			return version + "|" + negotiateEncoding(c) + "|" + reader + "|" + c.OriginalURL()
		},
		Next: func(c *fiber.Ctx) bool {
			h := &c.Response().Header
			return c.Response().StatusCode() != fiber.StatusOK || len(h.Peek(fiber.HeaderSetCookie)) > 0 ||
				strings.Contains(string(h.Peek(fiber.HeaderCacheControl)), "no-store")
		},
	})
	shared = countCache(shared, opts.Metrics)
	// A signed-in member sees their own header: never a shared page; a
	// request with an API key gets its own answer, never kept nor served
	// from the cache. No response tells whether it came from the cache:
	// that would show that someone else asked for the same URL a moment
	// ago.
	return func(c *fiber.Ctx) error {
		if c.Cookies(web.SessionCookie) != "" || c.Request().Header.Peek(fiber.HeaderAuthorization) != nil {
			return c.Next()
		}
		err := shared(c)
		c.Response().Header.Del(cacheHeader)
		// A kept answer carries the request ID of the request that
		// filled the cache: each answer names its own.
		if id := httperr.RequestID(c); id != "" {
			c.Set(fiber.HeaderXRequestID, id)
		}
		return err
	}
}

// negotiatedCompression runs the compressor on a request whose
// Accept-Encoding names the one coding chosen by negotiateEncoding.
func negotiatedCompression(compressor fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		negotiateEncoding(c)
		return compressor(c)
	}
}

// negotiateEncoding chooses the one compression the response will use from
// the request's Accept-Encoding, with its q-values, and rewrites the header
// to that single coding (or removes it for identity), so that the page
// cache's key and fasthttp's compressor, which only looks for a bare token,
// always agree. It returns the chosen coding, "" for identity.
func negotiateEncoding(c *fiber.Ctx) string {
	h := &c.Request().Header
	enc := chooseEncoding(string(h.Peek(fiber.HeaderAcceptEncoding)))
	if enc == "" {
		h.Del(fiber.HeaderAcceptEncoding)
	} else {
		h.Set(fiber.HeaderAcceptEncoding, enc)
	}
	return enc
}

// serverEncodings are the codings we compress with, best first.
var serverEncodings = []string{"br", "gzip", "deflate"}

// chooseEncoding returns the coding of serverEncodings with the highest
// q-value in an Accept-Encoding header (ties go to the server's order), or
// "" for identity: no header, nothing acceptable, or identity preferred.
// A coding refused with q=0, or not named when "*" is refused, is never
// chosen; "x-gzip" counts as gzip.
func chooseEncoding(header string) string {
	q := map[string]float64{}
	star := -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		if name == "x-gzip" {
			name = "gzip"
		}
		weight := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			w, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || w < 0 || w > 1 {
				w = 0
			}
			weight = w
		}
		if name == "*" {
			star = max(star, weight)
			continue
		}
		if old, ok := q[name]; !ok || weight > old {
			q[name] = weight
		}
	}
	weightOf := func(name string) float64 {
		if w, ok := q[name]; ok {
			return w
		}
		if star >= 0 {
			return star
		}
		return 0
	}
	best, bestQ := "", 0.0
	for _, enc := range serverEncodings {
		if w := weightOf(enc); w > bestQ {
			best, bestQ = enc, w
		}
	}
	// Identity is always acceptable as a last resort (a 406 helps nobody);
	// it wins only when the client names it above every compression.
	if identity, named := q["identity"]; named && identity > bestQ {
		return ""
	}
	return best
}

// warmPrefixes brings the indicator prefix set up to the content, which
// after a migration or a large import can take minutes; requests for the
// set meanwhile wait for the same work instead of starting their own.
func warmPrefixes(s *service.IndicatorSync, log *slog.Logger) {
	start := time.Now()
	if err := s.Warm(context.Background()); err != nil {
		log.Error("prefix set not built at start", "err", err)
		return
	}
	log.Info("prefix set ready", "duration_ms", time.Since(start).Milliseconds())
}
