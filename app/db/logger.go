package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func init() {
	// Scan and Raw().Scan() record their SQL through gorm's trace recorder,
	// which ignores the logger's own filter: without this, a slow Scan
	// logged the values it was given (hashes of checked phone numbers).
	logger.RecorderParamsFilter = func(_ context.Context, sql string, _ ...any) (string, []any) {
		return sql, nil
	}
}

// requestIDKey carries the ID of the HTTP request a query runs for.
type requestIDKey struct{}

// WithRequestID returns ctx carrying the request ID id, so that the slow
// and failed query lines of that request name it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request ID ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// queryLog is the GORM logger: errors and queries slower than slow, with
// their duration, rows and SQL with placeholders, never their parameters.
type queryLog struct {
	log   *slog.Logger
	slow  time.Duration
	level logger.LogLevel
}

var (
	_ logger.Interface  = (*queryLog)(nil)
	_ gorm.ParamsFilter = (*queryLog)(nil)
)

func newQueryLog(log *slog.Logger, slow time.Duration) *queryLog {
	return &queryLog{log: log, slow: slow, level: logger.Warn}
}

func (l *queryLog) LogMode(level logger.LogLevel) logger.Interface {
	c := *l
	c.level = level
	return &c
}

// Info, Warn and Error carry GORM's own messages; their arguments can be
// values (a record, an error with a value in it), so only the message and
// the kinds of the arguments are logged.
func (l *queryLog) Info(ctx context.Context, msg string, data ...any) {
	if l.level >= logger.Info {
		l.log.InfoContext(ctx, "gorm", "msg", msg, "args", len(data))
	}
}

func (l *queryLog) Warn(ctx context.Context, msg string, data ...any) {
	if l.level >= logger.Warn {
		l.log.WarnContext(ctx, "gorm", "msg", msg, "args", len(data))
	}
}

func (l *queryLog) Error(ctx context.Context, msg string, data ...any) {
	if l.level >= logger.Error {
		l.log.ErrorContext(ctx, "gorm", "msg", msg, "args", len(data))
	}
}

// ParamsFilter drops every parameter before GORM renders the SQL to log.
func (l *queryLog) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}

func (l *queryLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if l.level <= logger.Silent {
		return
	}
	elapsed := time.Since(begin)
	failed := err != nil && !errors.Is(err, gorm.ErrRecordNotFound)
	if !failed && elapsed < l.slow {
		return
	}
	sql, rows := fc()
	attrs := []any{"duration_ms", float64(elapsed.Microseconds()) / 1000, "sql", shortSQL(sql)}
	if id := RequestID(ctx); id != "" {
		attrs = append(attrs, "request_id", id)
	}
	if rows >= 0 {
		attrs = append(attrs, "rows", rows)
	}
	if failed {
		// PostgreSQL's messages can quote the value they refused.
		var pg *pgconn.PgError
		if errors.As(err, &pg) {
			attrs = append(attrs, "sqlstate", pg.Code, "constraint", pg.ConstraintName)
		} else {
			attrs = append(attrs, "err", err)
		}
		l.log.ErrorContext(ctx, "query failed", attrs...)
		return
	}
	l.log.WarnContext(ctx, "slow query", attrs...)
}

// maxLoggedSQL bounds the SQL a log line quotes: a multi-row INSERT of a
// bulk import repeats its placeholders thousands of times.
const maxLoggedSQL = 400

// shortSQL returns sql cut to maxLoggedSQL bytes, on a rune boundary, with
// how much was left out.
func shortSQL(sql string) string {
	if len(sql) <= maxLoggedSQL {
		return sql
	}
	cut := maxLoggedSQL
	for cut > 0 && !utf8.RuneStart(sql[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", sql[:cut], len(sql)-cut)
}
