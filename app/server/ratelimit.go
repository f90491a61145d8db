package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	v1 "forewarn/app/api/v1"
	"forewarn/app/web"
)

// visitorKey names a visitor for rate limits without storing their IP
// address: a keyed hash of it, of the scope and of the day, so the key
// changes every day and cannot be reversed without the secret.
func visitorKey(secret []byte, scope string, now func() time.Time) func(*fiber.Ctx) string {
	return func(c *fiber.Ctx) string {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(now().UTC().Format("2006-01-02")))
		mac.Write([]byte{0})
		mac.Write([]byte(scope))
		mac.Write([]byte{0})
		mac.Write([]byte(c.IP()))
		return "rl:" + scope + ":" + hex.EncodeToString(mac.Sum(nil)[:16])
	}
}

// rateLimit allows max requests of a visitor to scope per window. With
// failuresOnly, only refused attempts count, so that a member who logs in
// is never slowed down while guessing is.
func rateLimit(opts Options, scope string, max int, window time.Duration, failuresOnly bool) fiber.Handler {
	return limit(opts, scope, max, window, failuresOnly, nil)
}

// guestLimit is rateLimit for visitors only: members' posts are slowed by
// moderation instead, and they are accountable.
func guestLimit(opts Options, scope string, max int, window time.Duration) fiber.Handler {
	return limit(opts, scope, max, window, false, web.SignedIn)
}

func limit(opts Options, scope string, max int, window time.Duration, failuresOnly bool, skip func(*fiber.Ctx) bool) fiber.Handler {
	return failClosed(opts.Storage, announceLimit(scope, max, window, limiter.New(limiter.Config{
		Next:                   skip,
		Max:                    max,
		Expiration:             window,
		KeyGenerator:           visitorKey([]byte(opts.SecretKey), scope, opts.now()),
		SkipSuccessfulRequests: failuresOnly,
		Storage:                opts.Storage,
		LimitReached: func(c *fiber.Ctx) error {
			return fiber.ErrTooManyRequests
		},
	})))
}

// failClosed refuses a limited request (503, "try again in a moment")
// while the storage of the counters is down, instead of letting it through
// uncounted.
func failClosed(storage fiber.Storage, limited fiber.Handler) fiber.Handler {
	g, ok := storage.(*guardedStorage)
	if !ok {
		return limited
	}
	return func(c *fiber.Ctx) error {
		if err := g.available(); err != nil {
			return err
		}
		return limited(c)
	}
}

// keyLimits counts the requests made with each API key against the key's
// own limit per minute, in the shared storage like every other limit: a
// keyed client is held to its key's limit, not the anonymous one of its
// address, and two keys behind one address do not share a count. The
// limiter of each distinct limit is made once, on first use.
type keyLimits struct {
	opts     Options
	mu       sync.Mutex
	limiters map[int]fiber.Handler
}

func newKeyLimits(opts Options) *keyLimits {
	return &keyLimits{opts: opts, limiters: map[int]fiber.Handler{}}
}

// handle limits a keyed request and lets a visitor's through.
func (k *keyLimits) handle(c *fiber.Ctx) error {
	id, ok := v1.Key(c)
	if !ok {
		return c.Next()
	}
	return k.limiter(id.RateLimit)(c)
}

func (k *keyLimits) limiter(max int) fiber.Handler {
	k.mu.Lock()
	defer k.mu.Unlock()
	if h, ok := k.limiters[max]; ok {
		return h
	}
	h := failClosed(k.opts.Storage, announceLimit("key", max, time.Minute, limiter.New(limiter.Config{
		Max:        max,
		Expiration: time.Minute,
		KeyGenerator: func(c *fiber.Ctx) string {
			id, _ := v1.Key(c)
			return "rl:apikey:" + strconv.FormatInt(id.ID, 10)
		},
		Storage: k.opts.Storage,
		LimitReached: func(c *fiber.Ctx) error {
			return fiber.ErrTooManyRequests
		},
	})))
	k.limiters[max] = h
	return h
}

// keyed reports whether a request was made with an API key: the anonymous
// limits skip it, as its key's limit counts it instead.
func keyed(c *fiber.Ctx) bool {
	_, ok := v1.Key(c)
	return ok
}
