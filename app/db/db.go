// Package db opens the SQLite or PostgreSQL database named by a database URL,
// sets up its pool, and runs the embedded migrations of its dialect.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"forewarn/migrations"
)

// Dialect names the database engine behind a connection.
type Dialect string

// Supported engines.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database with the dialect it speaks.
type DB struct {
	Gorm    *gorm.DB
	Dialect Dialect
}

// SlowQuery is how long a query may take before it is logged.
const SlowQuery = 50 * time.Millisecond

// sqliteConns is the size of SQLite's connection pool.
const sqliteConns = 4

// SQLiteMmapBytes is how much of an SQLite database file each connection
// reads through a memory map (SQLite's own ceiling, 0x7fff0000) rather than
// a read system call per page: the search reads thousands of pages per
// query, and the calls took a fifth of the server's time under load. The
// map shares the system's page cache; it adds no memory of its own.
const SQLiteMmapBytes = 0x7fff0000

// DefaultConnectTimeout bounds connecting to the database when no other
// limit is given: a server that accepts connections but never answers
// makes Open fail after it instead of hanging.
const DefaultConnectTimeout = 10 * time.Second

// Options are the settings of OpenContext.
type Options struct {
	// Log receives errors and queries slower than Slow, never with their
	// parameters; nil logs nothing.
	Log  *slog.Logger
	Slow time.Duration
	// ConnectTimeout bounds connecting and the first ping;
	// DefaultConnectTimeout when 0.
	ConnectTimeout time.Duration
}

// Open connects to the database named by databaseURL: "sqlite:PATH" or a
// postgres:// URL. Slow queries and errors are logged to log, if given,
// without their parameters. A failure to connect is returned as one
// "open database: …" error, never logged: GORM's logger is silent until the
// connection is open.
func Open(databaseURL string, log ...*slog.Logger) (*DB, error) {
	if len(log) > 0 {
		return OpenLogged(databaseURL, log[0], SlowQuery)
	}
	return OpenLogged(databaseURL, nil, SlowQuery)
}

// OpenLogged is Open with the slow-query threshold given: queries that take
// slow or longer are logged (zero logs every query), never with their
// parameters.
func OpenLogged(databaseURL string, log *slog.Logger, slow time.Duration) (*DB, error) {
	return OpenContext(context.Background(), databaseURL, Options{Log: log, Slow: slow})
}

// OpenContext opens the database and pings it within opts.ConnectTimeout,
// or until ctx ends (a signal during start-up): a PostgreSQL that accepts
// the connection but never answers fails with a clear error instead of
// hanging. PostgreSQL URLs get a connect_timeout unless they have one.
func OpenContext(ctx context.Context, databaseURL string, opts Options) (*DB, error) {
	d, engine, err := open(databaseURL, opts)
	if err != nil {
		return nil, err
	}
	timeout := opts.connectTimeout()
	pingCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sqlDB, err := d.Gorm.DB()
	if err == nil {
		err = sqlDB.PingContext(pingCtx)
	}
	if err != nil {
		d.Close()
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("open database: %s: interrupted while connecting: %w", engine, ctx.Err())
		case pingCtx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
			return nil, fmt.Errorf("open database: %s: no answer within the connect timeout of %s", engine, timeout)
		}
		return nil, openError(engine, err)
	}
	return d, nil
}

func (o Options) connectTimeout() time.Duration {
	if o.ConnectTimeout > 0 {
		return o.ConnectTimeout
	}
	return DefaultConnectTimeout
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// withConnectTimeout adds connect_timeout (whole seconds, at least 1) to a
// PostgreSQL URL that has none.
func withConnectTimeout(databaseURL string, timeout time.Duration) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL
	}
	q := u.Query()
	if q.Has("connect_timeout") {
		return databaseURL
	}
	q.Set("connect_timeout", strconv.Itoa(max(1, int(timeout.Round(time.Second)/time.Second))))
	u.RawQuery = q.Encode()
	return u.String()
}

// open prepares the pool without connecting; engine names it in errors.
func open(databaseURL string, opts Options) (*DB, string, error) {
	log, slow := opts.Log, opts.Slow
	gormLog := logger.Discard
	if log != nil {
		gormLog = newQueryLog(log, slow)
	}
	cfg := &gorm.Config{
		DisableAutomaticPing:                     true,
		Logger:                                   logger.Discard,
		PrepareStmt:                              true,
		TranslateError:                           true,
		DisableForeignKeyConstraintWhenMigrating: true,
		NowFunc:                                  func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	switch {
	case strings.HasPrefix(databaseURL, "sqlite:"):
		path := strings.TrimPrefix(databaseURL, "sqlite:")
		if path == "" {
			return nil, "", fmt.Errorf("open database: empty sqlite path")
		}
		dsn := path + "?" + url.Values{
			"_pragma": {"foreign_keys(1)", "journal_mode(WAL)", "busy_timeout(10000)", "synchronous(NORMAL)", "cache_size(-2000)", "mmap_size(" + strconv.Itoa(SQLiteMmapBytes) + ")"},
			"_txlock": {"immediate"},
		}.Encode()
		sqlDB, err := sql.Open(sqlite.DriverName, dsn)
		if err != nil {
			return nil, "", openError("sqlite "+path, err)
		}
		g, err := gorm.Open(sqlite.Dialector{DSN: dsn, Conn: newOneWriter(sqlDB)}, cfg)
		if err != nil {
			sqlDB.Close()
			return nil, "", openError("sqlite "+path, err)
		}
		g.Logger = gormLog
		// SQLite runs in this process: more connections than cores add
		// memory (each has its page cache, 2 MB) rather than speed.
		sqlDB.SetMaxOpenConns(sqliteConns)
		sqlDB.SetMaxIdleConns(sqliteConns)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{Gorm: g, Dialect: SQLite}, "sqlite " + path, nil
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		g, err := gorm.Open(postgres.Open(withConnectTimeout(databaseURL, opts.connectTimeout())), cfg)
		if err != nil {
			return nil, "", openError("postgres", err)
		}
		g.Logger = gormLog
		sqlDB, err := g.DB()
		if err != nil {
			return nil, "", openError("postgres", err)
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{Gorm: g, Dialect: Postgres}, "postgres", nil
	default:
		return nil, "", fmt.Errorf("open database: unsupported URL (want sqlite:PATH or postgres://…)")
	}
}

// openFailure is a failure to open the database, told on one line.
type openFailure struct {
	engine string
	err    error
}

func openError(engine string, err error) error { return &openFailure{engine, err} }

// Error is "open database: ENGINE: …" on one line, without repeating the same
// failure for each attempt (pgx tells one per address and TLS mode, each on
// a line of its own).
func (e *openFailure) Error() string {
	var b strings.Builder
	b.WriteString("open database: " + e.engine + ": ")
	seen := map[string]bool{}
	prev := ""
	for _, line := range strings.Split(e.err.Error(), "\n") {
		if line = strings.TrimSpace(line); line == "" || seen[line] {
			continue
		}
		seen[line] = true
		if prev != "" {
			if strings.HasSuffix(prev, ":") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(line)
		prev = line
	}
	return b.String()
}

func (e *openFailure) Unwrap() error { return e.err }

// Close releases the connection pool.
func (d *DB) Close() error {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return sqlDB.Close()
}

// Migrator returns the goose provider for d's dialect and its embedded migrations.
func (d *DB) Migrator(log *slog.Logger) (*goose.Provider, error) {
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	return newProvider(d.Dialect, sqlDB, log)
}

func newProvider(dialect Dialect, sqlDB *sql.DB, log *slog.Logger) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations.FS, string(dialect))
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if log != nil {
		opts = append(opts, goose.WithSlog(log))
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migrator: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, sqlDB, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrator: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration.
func (d *DB) MigrateUp(ctx context.Context, log *slog.Logger) error {
	p, err := d.Migrator(log)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}
