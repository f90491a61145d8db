package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

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
