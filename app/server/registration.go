package server

import (
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"forewarn/app/web"
)

// Limits on new accounts, against waves of sock puppets. Attempts count
// per visitor (an IP-hash), accounts per visitor and site-wide.
const (
	registerAttemptsPerHour = 10
	// DefaultRegistrationsPerVisitor is how many accounts one visitor (an
	// IP-hash) may make per day when not configured: a few, since people
	// behind one shelter's or carrier's address share it.
	DefaultRegistrationsPerVisitor = 5
	// DefaultRegistrationsPerHour and DefaultRegistrationAlarm are the
	// site-wide limit and alarm level when none is configured.
	DefaultRegistrationsPerHour = 100
	DefaultRegistrationAlarm    = 30
	registrationAlarmKey        = "alarm:registrations"
	registrationAlarmLifetime   = 24 * time.Hour
)

// registrationAttempts limits a visitor's attempts to register, failed
// ones included, with a localised refusal.
func registrationAttempts(opts Options, pages *web.Handler) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:          registerAttemptsPerHour,
		Expiration:   time.Hour,
		KeyGenerator: visitorKey([]byte(opts.SecretKey), "register", opts.now()),
		Storage:      opts.Storage,
		LimitReached: func(c *fiber.Ctx) error {
			return pages.RefuseRegistration(c, "error.flags.register_ip")
		},
	})
}

// registrationGuard counts the accounts made per visitor per day and on
// the whole site per hour, in the shared state store (the database or
// Redis), refuses more than the limits, and raises an alarm in the log and
// on the admin pages when the site-wide rate passes the alarm level.
type registrationGuard struct {
	storage  fiber.Storage
	now      func() time.Time
	visitor  func(*fiber.Ctx) string
	perDay   int
	perHour  int
	alarmAt  int
	log      *slog.Logger
	refuse   func(*fiber.Ctx, string) error
	countsMu sync.Mutex
}

// newRegistrationGuard returns the guard; refuse must be set before use.
func newRegistrationGuard(opts Options, log *slog.Logger) *registrationGuard {
	g := &registrationGuard{
		storage: opts.Storage,
		now:     opts.now(),
		visitor: visitorKey([]byte(opts.SecretKey), "register-accounts", opts.now()),
		perDay:  opts.RegistrationsPerVisitor,
		perHour: opts.RegistrationsPerHour,
		alarmAt: opts.RegistrationAlarm,
		log:     log,
	}
	if g.perDay <= 0 {
		g.perDay = DefaultRegistrationsPerVisitor
	}
	if g.perHour <= 0 {
		g.perHour = DefaultRegistrationsPerHour
	}
	if g.alarmAt <= 0 {
		g.alarmAt = DefaultRegistrationAlarm
	}
	return g
}

func (g *registrationGuard) hourKey() string {
	return "rl:register:site:" + g.now().UTC().Format("2006010215")
}

func (g *registrationGuard) count(key string) (int, error) {
	raw, err := g.storage.Get(key)
	if err != nil || len(raw) == 0 {
		return 0, err
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return 0, nil
	}
	return n, nil
}

// handle refuses a registration beyond a limit, and counts the account
// once it is made.
func (g *registrationGuard) handle(c *fiber.Ctx) error {
	visitor, site := g.visitor(c), g.hourKey()
	g.countsMu.Lock()
	mine, err := g.count(visitor)
	var all int
	if err == nil {
		all, err = g.count(site)
	}
	g.countsMu.Unlock()
	switch {
	case err != nil:
		return err
	case mine >= g.perDay:
		return g.refuse(c, "error.flags.register_ip")
	case all >= g.perHour:
		return g.refuse(c, "error.flags.register_global")
	}
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() != fiber.StatusSeeOther {
		return nil
	}
	return g.counted(visitor, site)
}

// counted adds a new account to the counts and raises the alarm when the
// site-wide count reaches its level.
func (g *registrationGuard) counted(visitor, site string) error {
	g.countsMu.Lock()
	defer g.countsMu.Unlock()
	mine, err := g.count(visitor)
	if err != nil {
		return err
	}
	if err := g.storage.Set(visitor, []byte(strconv.Itoa(mine+1)), 24*time.Hour); err != nil {
		return err
	}
	all, err := g.count(site)
	if err != nil {
		return err
	}
	all++
	if err := g.storage.Set(site, []byte(strconv.Itoa(all)), 2*time.Hour); err != nil {
		return err
	}
	if all < g.alarmAt {
		return nil
	}
	if all == g.alarmAt {
		g.log.Warn("registration alarm: new accounts per hour passed the alarm level", "accounts", all, "alarm_at", g.alarmAt, "limit", g.perHour)
	}
	hour := g.now().UTC().Truncate(time.Hour).Format(time.RFC3339)
	return g.storage.Set(registrationAlarmKey, []byte(strconv.Itoa(all)+" "+hour), registrationAlarmLifetime)
}

// alarms returns the registration alarm of the last day, if any.
func (g *registrationGuard) alarms() []web.Alarm {
	raw, err := g.storage.Get(registrationAlarmKey)
	if err != nil {
		g.log.Warn("registration alarm", "err", err)
		return nil
	}
	count, hour, ok := strings.Cut(string(raw), " ")
	if !ok {
		return nil
	}
	at, err := time.Parse(time.RFC3339, hour)
	if err != nil {
		return nil
	}
	return []web.Alarm{{Key: "admin.alarm.registrations", Args: []any{"Count", count, "Threshold", g.alarmAt, "Hour", at.Format("2006-01-02 15:04 UTC")}}}
}
