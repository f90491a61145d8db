package db_test

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
	"forewarn/migrations"
)

func versions(t *testing.T, dialect string) []string {
	t.Helper()
	names, err := fs.Glob(migrations.FS, dialect+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		out = append(out, n[len(dialect)+1:len(dialect)+6])
	}
	sort.Strings(out)
	return out
}

func TestBothDialectsHaveTheSameVersions(t *testing.T) {
	t.Parallel()
	sqlite, pg := versions(t, "sqlite"), versions(t, "postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migrations")
	}
	if len(sqlite) != len(pg) {
		t.Fatalf("sqlite has %v, postgres has %v", sqlite, pg)
	}
	for i := range sqlite {
		if sqlite[i] != pg[i] {
			t.Errorf("version %d: sqlite %s, postgres %s", i, sqlite[i], pg[i])
		}
	}
}

func TestEveryModelFieldHasAColumn(t *testing.T) {
	t.Parallel()
	d := apptest.OpenDB(t)
	m := d.Gorm.Migrator()
	for _, row := range model.All() {
		s, err := schema.Parse(row, &sync.Map{}, d.Gorm.NamingStrategy)
		if err != nil {
			t.Fatalf("parse %T: %v", row, err)
		}
		if !m.HasTable(s.Table) {
			t.Errorf("no table %s for %T", s.Table, row)
			continue
		}
		for _, f := range s.Fields {
			if f.DBName == "" {
				continue
			}
			if !m.HasColumn(row, f.DBName) {
				t.Errorf("table %s lacks column %s (%T.%s)", s.Table, f.DBName, row, f.Name)
			}
		}
	}
}

func TestMigrateDownThenUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := apptest.OpenDB(t)
	p, err := d.Migrator(nil)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := p.Down(ctx); err != nil {
			break
		}
		v, err := p.GetDBVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v == 0 {
			break
		}
	}
	if d.Gorm.Migrator().HasTable("warnings") {
		t.Fatal("warnings table survived migrating down")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("migrate up again: %v", err)
	}
	var n int64
	if err := d.Gorm.Table("categories").Count(&n).Error; err != nil || n < 10 {
		t.Fatalf("categories after up: %d, %v", n, err)
	}
}

// TestSlowQueryLogQuotesAShortSQL: a bulk INSERT's thousands of
// placeholders are cut from the log line, never its parameters logged.
func TestSlowQueryLogQuotesAShortSQL(t *testing.T) {
	var buf bytes.Buffer
	d, err := db.OpenLogged("sqlite:"+filepath.Join(t.TempDir(), "log.db"), slog.New(slog.NewTextHandler(&buf, nil)), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	values := strings.TrimSuffix(strings.Repeat("(?), ", 2000), ", ")
	args := make([]any, 2000)
	for i := range args {
		args[i] = "secret-value"
	}
	if err := d.Gorm.Exec("CREATE TABLE t (v TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Gorm.Exec("INSERT INTO t (v) VALUES "+values, args...).Error; err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n") {
		if !strings.Contains(line, "INSERT INTO t") {
			continue
		}
		if len(line) > 1000 || !strings.Contains(line, "more bytes") || strings.Contains(line, "secret-value") {
			t.Errorf("log line of %d bytes: %.300s", len(line), line)
		}
		return
	}
	t.Errorf("the INSERT is not logged: %.500s", buf.String())
}

// TestSQLiteConnectionsReadThroughAMap: every connection of the pool, not
// only the first, has the memory map that spares a system call per page.
func TestSQLiteConnectionsReadThroughAMap(t *testing.T) {
	t.Parallel()
	d, err := db.Open("sqlite:" + filepath.Join(t.TempDir(), "mmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sqlDB, err := d.Gorm.DB()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var n int64
		if err := c.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != db.SQLiteMmapBytes {
			t.Errorf("connection %d: mmap_size %d, want %d", i, n, db.SQLiteMmapBytes)
		}
	}
}
