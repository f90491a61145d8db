package server

import (
	"hash/crc32"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// apiAllowHeaders are the request headers a browser may send to /api/v1
// from another origin: the body's type, conditional requests, the
// language, and a partner's key where one is needed.
const apiAllowHeaders = "Content-Type, If-None-Match, If-Modified-Since, Accept-Language, Authorization, Idempotency-Key"

// apiExposeHeaders are the response headers a script of another origin
// may read: what conditional requests, paging, languages and rate limits
// need.
const apiExposeHeaders = "ETag, Last-Modified, Link, Location, Idempotent-Replayed, Content-Language, Retry-After, " +
	"RateLimit, RateLimit-Policy, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-ID"

// conditional gives every successful GET or HEAD answer an ETag (unless
// its handler set one) and answers conditional requests with 304 Not
// Modified, as RFC 9110 §13 says: If-None-Match first (weak comparison,
// a list or "*"); If-Modified-Since only without If-None-Match and only
// against a Last-Modified the handler set. A 304 keeps the headers the 200
// would carry (ETag, Last-Modified, Cache-Control, Vary, Content-Language),
// not the body. Fiber's etag middleware cannot do this: it sends a 304
// without the ETag, leaves answers whose handler set an ETag without any
// 304, and knows neither If-Modified-Since nor lists. Streamed answers
// (see streamed) are left to their handlers, which know their validators
// without reading the body.
func conditional(c *fiber.Ctx) error {
	if streamed(c.Path()) {
		return c.Next()
	}
	if err := c.Next(); err != nil {
		return err
	}
	res := c.Response()
	if res.StatusCode() != fiber.StatusOK || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
		return nil
	}
	etag := string(res.Header.Peek(fiber.HeaderETag))
	if etag == "" {
		body := res.Body()
		if len(body) == 0 {
			return nil
		}
		etag = `"` + strconv.Itoa(len(body)) + "-" + strconv.FormatUint(uint64(crc32.Checksum(body, crc32q)), 10) + `"`
		res.Header.Set(fiber.HeaderETag, etag)
	}
	if notModified(&c.Request().Header, etag, string(res.Header.Peek(fiber.HeaderLastModified))) {
		c.Context().ResetBody()
		res.Header.Del(fiber.HeaderContentType)
		res.Header.Del(fiber.HeaderContentLength)
		res.SetStatusCode(fiber.StatusNotModified)
	}
	return nil
}

var crc32q = crc32.MakeTable(0xD5828281)

// notModified evaluates If-None-Match, or else If-Modified-Since, of a
// request against the validators of the answer.
func notModified(req interface{ Peek(string) []byte }, etag, lastModified string) bool {
	if inm := string(req.Peek(fiber.HeaderIfNoneMatch)); inm != "" {
		return etagMatches(inm, etag)
	}
	ims := string(req.Peek(fiber.HeaderIfModifiedSince))
	if ims == "" || lastModified == "" {
		return false
	}
	since, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	modified, err := http.ParseTime(lastModified)
	if err != nil {
		return false
	}
	return !modified.After(since)
}

// etagMatches is the weak comparison of an If-None-Match list with etag.
func etagMatches(list, etag string) bool {
	if strings.TrimSpace(list) == "*" {
		return true
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(list, ",") {
		if strings.TrimPrefix(strings.TrimSpace(tag), "W/") == want {
			return true
		}
	}
	return false
}

// announceLimit tells a client of a rate-limited route its limit, in the
// fields of the IETF draft "RateLimit header fields for HTTP"
// (draft-ietf-httpapi-ratelimit-headers): RateLimit-Policy names the
// policy, its quota and window; RateLimit the requests remaining and the
// seconds until the window resets. The limiter sets X-RateLimit-* (kept
// for older clients) and, on a 429, Retry-After; this translates them.
func announceLimit(scope string, max int, window time.Duration, limited fiber.Handler) fiber.Handler {
	policy := `"` + scope + `";q=` + strconv.Itoa(max) + ";w=" + strconv.Itoa(int(window/time.Second))
	return func(c *fiber.Ctx) error {
		err := limited(c)
		h := &c.Response().Header
		h.Set("RateLimit-Policy", policy)
		remaining, reset := string(h.Peek("X-RateLimit-Remaining")), string(h.Peek("X-RateLimit-Reset"))
		if retry := string(h.Peek(fiber.HeaderRetryAfter)); retry != "" && remaining == "" {
			remaining, reset = "0", retry
		}
		if remaining != "" && reset != "" {
			h.Set("RateLimit", `"`+scope+`";r=`+remaining+";t="+reset)
		}
		return err
	}
}

// methodIndex knows, for a path, which methods the application's routes
// answer, so that a request with another method is answered 405 Method
// Not Allowed with an Allow header, not 404.
type methodIndex struct {
	routes []indexedRoute
}

type indexedRoute struct {
	method   string
	segments []string
}

// build reads the registered routes under prefix (middleware excluded).
func (m *methodIndex) build(app *fiber.App, prefix string) {
	for _, r := range app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, prefix) || strings.Contains(r.Path, "*") {
			continue
		}
		m.routes = append(m.routes, indexedRoute{method: r.Method, segments: strings.Split(strings.Trim(r.Path, "/"), "/")})
	}
}

// allowed lists the methods of the routes matching path, sorted.
func (m *methodIndex) allowed(path string) []string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	seen := map[string]bool{}
	for _, r := range m.routes {
		if len(r.segments) != len(segs) {
			continue
		}
		match := true
		for i, s := range r.segments {
			if strings.HasPrefix(s, ":") {
				match = match && segs[i] != ""
			} else {
				match = match && s == segs[i]
			}
		}
		if match {
			seen[r.method] = true
		}
	}
	out := make([]string, 0, len(seen))
	for method := range seen {
		out = append(out, method)
	}
	sort.Strings(out)
	return out
}

// apiFallback answers every /api request no route took: 405 with Allow
// when the path exists under other methods, else 404; both as problem
// documents.
func (m *methodIndex) apiFallback(c *fiber.Ctx) error {
	if methods := m.allowed(c.Path()); len(methods) > 0 {
		c.Set(fiber.HeaderAllow, strings.Join(methods, ", "))
		return fiber.ErrMethodNotAllowed
	}
	return fiber.ErrNotFound
}
