// Command forewarn runs the Forewarn server and its administration tasks.
//
//	forewarn [serve]                      run the web server (the default)
//	forewarn migrate up|down|status       manage the database schema
//	forewarn user add --role R --name N   create an account (password on stdin)
//	forewarn apikey add|list|revoke       manage partner organisations' API keys
//	forewarn seed demo                    load the fictional demo content
//	forewarn seed synthetic -warnings N -reports M [-indicators K]   load synthetic content for load tests
//	forewarn version                      print the version
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"forewarn/app/apperr"
	"forewarn/app/config"
	"forewarn/app/db"
	"forewarn/app/i18n"
	"forewarn/app/search"
	"forewarn/app/seed"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/state"
	"forewarn/app/store"
	"forewarn/locales"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `usage: forewarn [flags] [command] [flags]

commands:
  serve                          run the web server (default)
  migrate up|down|status         apply, roll back one, or list migrations
  user add --role ROLE --name N  create an account; the password is read from stdin
  apikey add --org ID --scopes read,submit --name N [--rate-limit N]
                                 issue an API key to an organisation; the key is
                                 printed once, only its hash is kept
  apikey list [--org ID]         list keys (prefix, scopes, last use, revoked)
  apikey revoke --id ID | --prefix P
                                 revoke a key at once
  seed demo                      load the fictional demo content (idempotent)
  seed synthetic -warnings N -reports M [-indicators K]
                                 load N synthetic warnings and M synthetic reports
                                 for load tests (idempotent)
  search reindex                 rebuild the search index from the content
  version                        print the version

Flags go before or after the command. Each is also read from the FOREWARN_*
variable named in its help; a flag on the command line wins.

flags:
`

// errHelp reports that the usage was printed on request.
var errHelp = errors.New("help requested")

// commandOptions are the flags of one command, besides the configuration.
type commandOptions struct {
	role, name string // user add; name also apikey add
	// apikey: the organisation, scopes and rate limit of a new key, the
	// key to revoke by ID or prefix.
	org, keyID        int64
	scopes, rateLimit string
	prefix            string
	warnings          int // seed synthetic
	reports           int // seed synthetic
	indicators        int // seed synthetic
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "forewarn:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg := config.Default()
	global := flag.NewFlagSet("forewarn", flag.ContinueOnError)
	cfg.Register(global)
	// The flags before the command; the command's own flag set takes the
	// configuration's flags again, so that they may follow the command too.
	rest, err := parseFlags(global, args, false, stdout)
	if err != nil {
		return helpIsNoError(err)
	}
	cmd := "serve"
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("forewarn "+cmd, flag.ContinueOnError)
	global.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	var opt commandOptions
	switch cmd {
	case "serve", "version", "migrate", "search":
	case "user":
		fs.StringVar(&opt.role, "role", "member", "user add: admin, moderator or member")
		fs.StringVar(&opt.name, "name", "", "user add: pseudonym of the new account")
	case "apikey":
		fs.Int64Var(&opt.org, "org", 0, "apikey add, list: the organisation's ID")
		fs.StringVar(&opt.name, "name", "", "apikey add: what the key is for, shown in the audit log")
		fs.StringVar(&opt.scopes, "scopes", "read", "apikey add: comma-separated scopes: read, submit, webhooks, investigate")
		fs.StringVar(&opt.rateLimit, "rate-limit", "", "apikey add: requests per minute (default 120)")
		fs.Int64Var(&opt.keyID, "id", 0, "apikey revoke: the key's ID")
		fs.StringVar(&opt.prefix, "prefix", "", "apikey revoke: the key's prefix, as apikey list shows it")
	case "seed":
		fs.IntVar(&opt.warnings, "warnings", 100000, "seed synthetic: how many synthetic warnings")
		fs.IntVar(&opt.reports, "reports", 100000, "seed synthetic: how many synthetic reports")
		fs.IntVar(&opt.indicators, "indicators", 0, "seed synthetic: how many indicators the warnings name besides a shared pool of 6,000 (0: the pool only)")
	default:
		return fmt.Errorf("unknown command %q; forewarn -h lists the commands", cmd)
	}
	words, err := parseFlags(fs, rest, true, stdout)
	if err != nil {
		return helpIsNoError(err)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(stderr, cfg.LogLevel)
	switch cmd {
	case "version":
		if len(words) > 0 {
			return errors.New("usage: forewarn version")
		}
		fmt.Fprintln(stdout, "forewarn", buildVersion())
		return nil
	case "serve":
		if len(words) > 0 {
			return fmt.Errorf("serve: unexpected %q; forewarn -h lists the commands", words[0])
		}
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		return migrate(ctx, cfg, log, words, stdout)
	case "user":
		return userCmd(ctx, cfg, log, words, opt, stdin, stdout, stderr)
	case "apikey":
		return apikeyCmd(ctx, cfg, log, words, opt, stdout)
	case "search":
		return searchCmd(ctx, cfg, log, words, stdout)
	default: // seed
		return seedCmd(ctx, cfg, log, words, opt, stdout)
	}
}

// parseFlags parses args with fs and returns the words that are not flags:
// all the words after the first one when interleaved is false, the words
// between and after the flags when it is true ("--" ends the flags). On -h
// or -help it prints the usage and fs's flags to stdout and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string, interleaved bool, stdout io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var words []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fmt.Fprint(stdout, usage)
			fs.PrintDefaults()
			return nil, errHelp
		}
		if err != nil {
			return nil, fmt.Errorf("%w; forewarn -h lists the flags", err)
		}
		consumed := args[:len(args)-fs.NArg()]
		args = fs.Args()
		if !interleaved || len(args) == 0 || (len(consumed) > 0 && consumed[len(consumed)-1] == "--") {
			return append(words, args...), nil
		}
		words, args = append(words, args[0]), args[1:]
	}
}

// helpIsNoError turns errHelp into success: the usage asked for is printed.
func helpIsNoError(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// buildVersion describes this binary: the -ldflags version if set, then
// the commit, its time and whether the tree was modified, from the build's
// VCS stamp; "(unknown)" when it has neither (not built from a checkout).
func buildVersion() string {
	info, _ := debug.ReadBuildInfo()
	return describeBuild(version, info)
}

func describeBuild(version string, info *debug.BuildInfo) string {
	var rev, at string
	modified := false
	if info != nil {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(12, len(s.Value))]
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	var parts []string
	for _, p := range []string{version, rev} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "(unknown)"
	}
	out := strings.Join(parts, " ")
	if at != "" {
		out += " (" + at + ")"
	}
	if modified {
		out += ", modified"
	}
	return out
}

// openMigrated opens the database and applies pending migrations.
func openMigrated(ctx context.Context, cfg config.Config, log *slog.Logger) (*db.DB, error) {
	database, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := database.MigrateUp(ctx, log); err != nil {
		database.Close()
		return nil, err
	}
	if _, err := service.RekeyPseudonyms(ctx, store.New(database.Gorm), log); err != nil {
		database.Close()
		return nil, err
	}
	return database, nil
}

// openDB opens the configured database within the connect timeout, or
// until ctx ends (a signal).
func openDB(ctx context.Context, cfg config.Config, log *slog.Logger) (*db.DB, error) {
	opts := db.Options{ConnectTimeout: cfg.ConnectTimeout}
	if log != nil {
		opts.Log, opts.Slow = log, db.SlowQuery
	}
	return db.OpenContext(ctx, cfg.DatabaseURL, opts)
}

// rules are the community rules of the configuration.
func rules(cfg config.Config) service.Config {
	return service.Config{TrustThreshold: cfg.TrustThreshold, EditWindow: cfg.EditWindow, FlagThreshold: cfg.FlagThreshold, AuditRetention: cfg.AuditRetention}
}

// openServices opens the migrated database and wires the services over it;
// closeDB releases the database.
func openServices(ctx context.Context, cfg config.Config, log *slog.Logger) (svc *service.Services, closeDB func() error, err error) {
	database, err := openMigrated(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	return service.New(store.New(database.Gorm), time.Now, rules(cfg)), database.Close, nil
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, stdout io.Writer) error {
	// Signals are caught before the database is opened: SIGTERM during a
	// connect that hangs ends the start at once.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.MemoryLimit > 0 {
		debug.SetMemoryLimit(int64(min(cfg.MemoryLimit, math.MaxInt64)))
	}
	database, err := openMigrated(ctx, cfg, log)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("stopped during start-up: %w", err)
		}
		return err
	}
	defer database.Close()
	st := store.New(database.Gorm)
	svc := service.New(st, time.Now, rules(cfg))
	secret, err := svc.Instance.SecretKey(ctx, cfg.SecretKey)
	if err != nil {
		return err
	}
	dbState := st.NewHTTPState(time.Now)
	state.RouteClientLog(log)
	storage, closeState, err := state.Open(ctx, cfg.RedisURL, "forewarn:", dbState)
	if err != nil {
		return err
	}
	defer closeState()
	if cfg.RedisURL == "" {
		go sweepHTTPState(ctx, dbState, log)
	}
	// The items that were there before the search index (or a reindex
	// that was stopped, or an index built by another version of the
	// normaliser) are indexed in the background, in batches.
	go func() {
		if queued, err := svc.Search.EnsureIndexVersion(ctx); err != nil && ctx.Err() == nil {
			log.Warn("search index version", "err", err)
		} else if queued {
			log.Info("search index: normaliser changed, every item queued for indexing again", "version", search.Version)
		}
		if n, err := svc.Search.IndexBacklog(ctx); err != nil && ctx.Err() == nil {
			log.Warn("search index backlog", "err", err, "indexed", n)
		} else if n > 0 {
			log.Info("search index backlog indexed", "items", n)
		}
	}()
	go every(ctx, 24*time.Hour, func(ctx context.Context) {
		if n, err := svc.Moderation.PurgeAuditTexts(ctx); err != nil {
			log.Warn("purge audit texts", "err", err)
		} else if n > 0 {
			log.Info("purged audit texts past their retention", "entries", n)
		}
	})
	if empty, err := svc.Instance.Empty(ctx); err != nil {
		return err
	} else if empty {
		fmt.Fprintf(stdout, `This Forewarn has no users yet.
  Create the first admin:  forewarn user add --role admin --name YOURNAME   (then type the password)
  Load the demo content:   forewarn seed demo
  (with go run: go run ./cmd/forewarn user add --role admin --name YOURNAME)
`)
	}
	var metrics *server.Metrics
	if cfg.MetricsListen != "" {
		metrics = server.NewMetrics()
		if cfg.MetricsListen != cfg.Listen {
			_, stopMetrics, err := serveMetrics(cfg.MetricsListen, metrics, log)
			if err != nil {
				return err
			}
			defer stopMetrics()
		}
	}
	app, err := server.Build(svc, log, server.Options{
		BaseURL:        cfg.BaseURL,
		QuickExitURL:   cfg.QuickExitURL,
		PageCacheTTL:   cfg.PageCacheTTL,
		PageCacheBytes: cfg.PageCacheBytes,
		Storage:        storage,
		SecretKey:      secret,
		TrustedProxies: cfg.TrustedProxies,
		RequestTimeout: cfg.RequestTimeout,
		Metrics:        metrics,
		ServeMetrics:   cfg.MetricsListen == cfg.Listen,
		WarmPrefixes:   true,

		RegistrationsPerVisitor: cfg.RegistrationsPerVisitor,
		RegistrationsPerHour:    cfg.RegistrationsPerHour,
		RegistrationAlarm:       cfg.RegistrationAlarm,
	})
	if err != nil {
		return err
	}
	// The webhook worker delivers partners' webhooks (see
	// service.Worker); it stops before the database closes.
	hooks := svc.Webhooks.NewWorker(service.WorkerOptions{BaseURL: cfg.BaseURL, Log: log})
	hooks.Start(ctx)
	defer hooks.Stop()
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(cfg.Listen) }()
	log.Info("forewarn listening", "addr", cfg.Listen, "base_url", cfg.BaseURL, "database", strings.SplitN(cfg.DatabaseURL, ":", 2)[0], "version", buildVersion())
	select {
	case err := <-errc:
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	case <-ctx.Done():
		return shutdown(app, cfg.ShutdownTimeout, log)
	}
}

// serveMetrics serves metrics at /metrics on a listener of their own and
// nothing else there; bound is its address, stop closes it.
func serveMetrics(addr string, metrics *server.Metrics, log *slog.Logger) (bound string, stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("metrics listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener", "err", err)
		}
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return ln.Addr().String(), func() { srv.Close() }, nil
}

// shutdown stops the server: new connections are refused at once, and
// requests in flight get until timeout, after which their connections are
// closed. Either way it returns within the limit, saying which it was.
func shutdown(app interface{ ShutdownWithTimeout(time.Duration) error }, timeout time.Duration, log *slog.Logger) error {
	log.Info("shutting down", "timeout", timeout.String())
	if err := app.ShutdownWithTimeout(timeout); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			log.Warn("shut down: requests still running after the shutdown timeout were cut off", "timeout", timeout.String())
			return nil
		}
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("shut down cleanly")
	return nil
}

// every runs fn at once and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for ctx.Err() == nil {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sweepHTTPState removes expired sessions, tokens and counters from the
// database every ten minutes until ctx ends.
func sweepHTTPState(ctx context.Context, st *store.HTTPState, log *slog.Logger) {
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := st.DeleteExpired(ctx); err != nil {
				log.Warn("sweep http state", "err", err)
			}
		}
	}
}

func migrate(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: forewarn migrate up|down|status")
	}
	database, err := openDB(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer database.Close()
	p, err := database.Migrator(log)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		res, err := p.Up(ctx)
		for _, r := range res {
			fmt.Fprintf(stdout, "applied %s\n", r.Source.Path)
		}
		if err != nil {
			return err
		}
		conflicts, err := service.RekeyPseudonyms(ctx, store.New(database.Gorm), log)
		for _, c := range conflicts {
			fmt.Fprintf(stdout, "pseudonym %q (user %d) looks like %q (user %d): kept under a legacy key, it can still sign in; check it\n",
				c.Pseudonym, c.ID, c.OlderPseudonym, c.OlderID)
		}
		return err
	case "down":
		r, err := p.Down(ctx)
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
		fmt.Fprintf(stdout, "rolled back %s\n", r.Source.Path)
		return nil
	case "status":
		st, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migrate status: %w", err)
		}
		for _, s := range st {
			applied := "pending"
			if !s.AppliedAt.IsZero() {
				applied = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(stdout, "%-30s %s\n", s.Source.Path, applied)
		}
		return nil
	default:
		return fmt.Errorf("unknown migrate command %q (want up, down or status)", args[0])
	}
}

func userCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, opt commandOptions, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "add" {
		return errors.New("usage: forewarn user add --role admin|moderator|member --name NAME")
	}
	if opt.name == "" {
		return errors.New("user add: --name is required")
	}
	password, err := readPassword(stdin, stderr)
	if err != nil {
		return err
	}
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := svc.Users.Create(ctx, service.NewUser{Pseudonym: opt.name, Password: password, Role: opt.role})
	if err != nil {
		return fmt.Errorf("user add: %w", describe(err))
	}
	fmt.Fprintf(stdout, "created %s %q (id %d)\n", u.Role, u.Pseudonym, u.ID)
	return nil
}

// readPassword reads one line: without echo from a terminal, as is from a pipe.
func readPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func seedCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, opt commandOptions, stdout io.Writer) error {
	if len(args) != 1 || (args[0] != "demo" && args[0] != "synthetic") {
		return errors.New("usage: forewarn seed demo | forewarn seed synthetic -warnings N -reports M")
	}
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	// The version of the normaliser is settled first, so that the items
	// seeded now are indexed with it and the first `serve` does not queue
	// them again.
	if _, err := svc.Search.EnsureIndexVersion(ctx); err != nil {
		return err
	}
	if args[0] == "synthetic" {
		n, err := seed.Synthetic(ctx, svc.Importer, time.Now(), opt.warnings, opt.indicators)
		if err != nil {
			return err
		}
		r, err := seed.SyntheticReports(ctx, svc.Importer, time.Now(), opt.reports)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "synthetic content: %d warnings and %d reports created (existing ones kept)\n", n, r)
		// The bulk import leaves the new items to the search backlog.
		k, err := svc.Search.IndexBacklog(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "search index: %d items indexed\n", k)
		return nil
	}
	res, err := seed.Demo(ctx, svc.Importer, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo content: %d warnings and %d reports created (existing ones kept)\n", res.Warnings, res.Reports)
	return nil
}

// describe renders validation errors in English for the command line.
func describe(err error) error {
	catalog, lerr := i18n.Load(locales.FS)
	if lerr != nil {
		return err
	}
	if invalids, ok := apperr.AsInvalids(err); ok {
		l := catalog.Localizer("en")
		msgs := make([]string, len(invalids))
		for i, inv := range invalids {
			msgs[i] = l.Invalid(inv)
		}
		return errors.New(strings.Join(msgs, "; "))
	}
	return err
}

// searchCmd rebuilds the search index.
func searchCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "reindex" {
		return errors.New("usage: forewarn search reindex")
	}
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	start := time.Now()
	n, err := svc.Search.Reindex(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index rebuilt: %d items read in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}
