// Package config reads the typed configuration from flags and FOREWARN_*
// environment variables, validates it once, and is passed to whoever needs it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one process.
type Config struct {
	// DatabaseURL is "sqlite:PATH" or a postgres:// URL.
	DatabaseURL string
	// Listen is the TCP address the server binds: the loopback unless told
	// otherwise, so that a first start exposes nothing.
	Listen string
	// BaseURL is the public origin used in feeds, share texts and links;
	// when empty, Validate derives it from Listen (see baseURLFor).
	BaseURL string
	// SecretKey signs and hashes; generated and stored in the database when empty.
	SecretKey string
	// QuickExitURL is the neutral site the quick-exit control leaves for.
	QuickExitURL string
	// PageCacheTTL bounds how long a rendered public page is reused.
	PageCacheTTL time.Duration
	// PageCacheBytes bounds the memory of the rendered page cache.
	PageCacheBytes uint
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// RedisURL, when set, keeps sessions and rate limits in Redis, shared by
	// several instances.
	RedisURL string
	// TrustThreshold is how many approved posts make a member trusted.
	TrustThreshold int
	// EditWindow is how long authors may edit their posts.
	EditWindow time.Duration
	// FlagThreshold is the weight of trusted members' flags that hides a
	// post until review.
	FlagThreshold int
	// RegistrationsPerVisitor limits new accounts per visitor per day,
	// RegistrationsPerHour on the whole site per hour; RegistrationAlarm new
	// accounts in an hour raise an alarm.
	RegistrationsPerVisitor int
	RegistrationsPerHour    int
	RegistrationAlarm       int
	// TrustedProxies are the addresses of reverse proxies whose
	// X-Forwarded-For header is believed.
	TrustedProxies []string
	// AuditRetention is how long the audit log keeps the texts before and
	// after a change (originals of redactions and edits); 0 keeps them.
	AuditRetention time.Duration
	// ConnectTimeout bounds connecting to the database at start-up;
	// RequestTimeout is every request's deadline; ShutdownTimeout bounds
	// the wait for requests in flight when the server is stopped.
	ConnectTimeout  time.Duration
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	// MetricsListen is where Prometheus metrics are served at /metrics:
	// empty (the default) serves none; the -listen address serves them on
	// the public listener; any other HOST:PORT on a listener of their own.
	MetricsListen string
	// MemoryLimit is the Go runtime's soft memory limit in bytes
	// (runtime/debug.SetMemoryLimit): the garbage collector works harder as
	// the heap nears it, rather than letting it double. 0 leaves the
	// runtime's own (GOMEMLIMIT, else none).
	MemoryLimit uint

	// envErrors are the environment variables that did not parse.
	envErrors []error
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		DatabaseURL:    "sqlite:./forewarn.db",
		Listen:         "127.0.0.1:8080",
		QuickExitURL:   "https://www.google.com/",
		PageCacheTTL:   time.Minute,
		PageCacheBytes: 16 << 20,
		LogLevel:       "info",
		TrustThreshold: 3,
		EditWindow:     24 * time.Hour,
		FlagThreshold:  3,

		RegistrationsPerVisitor: 5,
		RegistrationsPerHour:    100,
		RegistrationAlarm:       30,
		AuditRetention:          365 * 24 * time.Hour,
		ConnectTimeout:          10 * time.Second,
		RequestTimeout:          15 * time.Second,
		ShutdownTimeout:         10 * time.Second,
		MemoryLimit:             96 << 20,
	}
}

// Register binds the configuration's flags on fs; environment variables set
// the defaults, so a flag given on the command line wins.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", env("FOREWARN_DATABASE_URL", c.DatabaseURL), "database: sqlite:PATH or postgres://… (FOREWARN_DATABASE_URL)")
	fs.StringVar(&c.Listen, "listen", env("FOREWARN_LISTEN", c.Listen), "listen address; 127.0.0.1 keeps the server to this machine, :8080 listens on every interface (FOREWARN_LISTEN)")
	fs.StringVar(&c.BaseURL, "base-url", env("FOREWARN_BASE_URL", c.BaseURL), "public base URL; when empty, http://localhost:PORT for a loopback or unspecified -listen host, else http://HOST:PORT (FOREWARN_BASE_URL)")
	fs.StringVar(&c.SecretKey, "secret-key", env("FOREWARN_SECRET_KEY", c.SecretKey), "secret key; generated and stored in the database when empty (FOREWARN_SECRET_KEY)")
	fs.StringVar(&c.QuickExitURL, "quick-exit-url", env("FOREWARN_QUICK_EXIT_URL", c.QuickExitURL), "neutral site the quick exit leaves for (FOREWARN_QUICK_EXIT_URL)")
	fs.DurationVar(&c.PageCacheTTL, "page-cache-ttl", c.envDuration("FOREWARN_PAGE_CACHE_TTL", c.PageCacheTTL), "how long a rendered public page is reused; 0 turns the cache off (FOREWARN_PAGE_CACHE_TTL)")
	fs.UintVar(&c.PageCacheBytes, "page-cache-bytes", c.envUint("FOREWARN_PAGE_CACHE_BYTES", c.PageCacheBytes), "memory bound of the page cache in bytes (FOREWARN_PAGE_CACHE_BYTES)")
	fs.StringVar(&c.RedisURL, "redis-url", env("FOREWARN_REDIS_URL", c.RedisURL), "redis://… to share sessions and rate limits between instances (FOREWARN_REDIS_URL)")
	fs.Func("trusted-proxies", "comma-separated addresses of reverse proxies whose X-Forwarded-For is believed (FOREWARN_TRUSTED_PROXIES)", func(v string) error {
		c.TrustedProxies = splitList(v)
		return nil
	})
	if v, ok := os.LookupEnv("FOREWARN_TRUSTED_PROXIES"); ok {
		c.TrustedProxies = splitList(v)
	}
	fs.IntVar(&c.TrustThreshold, "trust-threshold", int(c.envUint("FOREWARN_TRUST_THRESHOLD", uint(c.TrustThreshold))), "approved posts a member needs before posting without review (FOREWARN_TRUST_THRESHOLD)")
	fs.DurationVar(&c.EditWindow, "edit-window", c.envDuration("FOREWARN_EDIT_WINDOW", c.EditWindow), "how long authors may edit their posts (FOREWARN_EDIT_WINDOW)")
	fs.IntVar(&c.FlagThreshold, "flag-threshold", int(c.envUint("FOREWARN_FLAG_THRESHOLD", uint(c.FlagThreshold))), "total weight of trusted members' flags that hides a post until review (FOREWARN_FLAG_THRESHOLD)")
	fs.IntVar(&c.RegistrationsPerVisitor, "registrations-per-visitor", int(c.envUint("FOREWARN_REGISTRATIONS_PER_VISITOR", uint(c.RegistrationsPerVisitor))), "new accounts one visitor (IP-hash) may make per day (FOREWARN_REGISTRATIONS_PER_VISITOR)")
	fs.IntVar(&c.RegistrationsPerHour, "registrations-per-hour", int(c.envUint("FOREWARN_REGISTRATIONS_PER_HOUR", uint(c.RegistrationsPerHour))), "new accounts allowed on the whole site per hour (FOREWARN_REGISTRATIONS_PER_HOUR)")
	fs.IntVar(&c.RegistrationAlarm, "registration-alarm", int(c.envUint("FOREWARN_REGISTRATION_ALARM", uint(c.RegistrationAlarm))), "new accounts in an hour that raise an alarm in the log and on the admin pages (FOREWARN_REGISTRATION_ALARM)")
	fs.DurationVar(&c.AuditRetention, "audit-retention", c.envDuration("FOREWARN_AUDIT_RETENTION", c.AuditRetention), "how long the audit log keeps the original texts of redactions and edits; 0 keeps them (FOREWARN_AUDIT_RETENTION)")
	fs.StringVar(&c.LogLevel, "log-level", env("FOREWARN_LOG_LEVEL", c.LogLevel), "debug, info, warn or error (FOREWARN_LOG_LEVEL)")
	fs.DurationVar(&c.ConnectTimeout, "connect-timeout", c.envDuration("FOREWARN_CONNECT_TIMEOUT", c.ConnectTimeout), "how long connecting to the database may take at start-up (FOREWARN_CONNECT_TIMEOUT)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", c.envDuration("FOREWARN_REQUEST_TIMEOUT", c.RequestTimeout), "deadline of every request's database and Redis work; past it the page answers 503 (FOREWARN_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", c.envDuration("FOREWARN_SHUTDOWN_TIMEOUT", c.ShutdownTimeout), "how long a stopping server waits for requests in flight (FOREWARN_SHUTDOWN_TIMEOUT)")
	fs.UintVar(&c.MemoryLimit, "memory-limit", c.envUint("FOREWARN_MEMORY_LIMIT", c.MemoryLimit), "soft limit of the Go runtime's memory in bytes; the garbage collector works harder near it; 0 leaves GOMEMLIMIT (FOREWARN_MEMORY_LIMIT)")
	fs.StringVar(&c.MetricsListen, "metrics-listen", env("FOREWARN_METRICS_LISTEN", c.MetricsListen), "HOST:PORT serving Prometheus metrics at /metrics; empty serves none; the -listen address serves them publicly (FOREWARN_METRICS_LISTEN)")
}

// Validate checks the configuration once, at start-up.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrors...)
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, fmt.Errorf("database URL must start with sqlite: or postgres://"))
	}
	if c.BaseURL == "" {
		base, err := baseURLFor(c.Listen)
		if err != nil {
			errs = append(errs, err)
		}
		c.BaseURL = base
	}
	switch u, err := url.Parse(c.BaseURL); {
	case c.BaseURL == "":
		// the listen address is wrong, said above
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs = append(errs, fmt.Errorf("base URL %q must be an absolute http(s) URL", c.BaseURL))
	default:
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if q, err := url.Parse(c.QuickExitURL); err != nil || (q.Scheme != "http" && q.Scheme != "https") || q.Host == "" {
		errs = append(errs, fmt.Errorf("quick exit URL %q must be an absolute http(s) URL", c.QuickExitURL))
	}
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		errs = append(errs, errors.New("secret key must be at least 32 characters"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log level %q is not debug, info, warn or error", c.LogLevel))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		errs = append(errs, fmt.Errorf("redis URL must start with redis:// or rediss://"))
	}
	if c.FlagThreshold < 1 {
		errs = append(errs, errors.New("flag threshold must be at least 1"))
	}
	if c.TrustThreshold < 0 || c.EditWindow < 0 {
		errs = append(errs, errors.New("trust threshold and edit window must not be negative"))
	}
	if c.RegistrationsPerVisitor < 1 || c.RegistrationsPerHour < 1 || c.RegistrationAlarm < 1 {
		errs = append(errs, errors.New("registrations per visitor, per hour and the registration alarm must be at least 1"))
	}
	if c.AuditRetention < 0 {
		errs = append(errs, errors.New("audit retention must not be negative"))
	}
	if c.PageCacheTTL < 0 {
		errs = append(errs, errors.New("page cache TTL must not be negative"))
	}
	if c.ConnectTimeout <= 0 || c.RequestTimeout <= 0 || c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("connect, request and shutdown timeouts must be positive"))
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil {
			errs = append(errs, fmt.Errorf("metrics listen address %q must be HOST:PORT or :PORT", c.MetricsListen))
		}
	}
	return errors.Join(errs...)
}

// baseURLFor is the base URL that follows the listen address when none is
// given: http://localhost:PORT when the host is a loopback address, localhost
// or unspecified (":8080", "0.0.0.0:8080", "[::]:8080"), where a browser on
// this machine reaches the server, else http://HOST:PORT.
func baseURLFor(listen string) (string, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || port == "" {
		return "", fmt.Errorf("listen address %q must be HOST:PORT or :PORT", listen)
	}
	if ip := net.ParseIP(host); host == "" || host == "localhost" || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified())) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port), nil
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func (c *Config) envDuration(name string, fallback time.Duration) time.Duration {
	v, ok := os.LookupEnv(name)
	if !ok {
		return fallback
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		c.envErrors = append(c.envErrors, fmt.Errorf("%s: %w", name, err))
		return fallback
	}
	return d
}

func (c *Config) envUint(name string, fallback uint) uint {
	v, ok := os.LookupEnv(name)
	if !ok {
		return fallback
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		c.envErrors = append(c.envErrors, fmt.Errorf("%s: %w", name, err))
		return fallback
	}
	return uint(n)
}

func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
