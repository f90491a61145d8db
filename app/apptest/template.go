package apptest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"forewarn/app/db"
	"forewarn/migrations"
)

// Migrating a database costs far more than copying a migrated one, and
// every test wants a fresh one: the migrations run once per test binary
// (SQLite) or once per set of migrations (PostgreSQL), and each test gets
// a copy of its own.

// migratedSQLite returns the bytes of a SQLite database file on which every
// migration has run, made once per process and never changed afterwards.
var migratedSQLite = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "forewarn-apptest-")
	if err != nil {
		return nil, fmt.Errorf("template database: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	d, err := db.Open("sqlite:" + path)
	if err != nil {
		return nil, fmt.Errorf("template database: %w", err)
	}
	defer d.Close()
	if err := d.MigrateUp(context.Background(), nil); err != nil {
		return nil, fmt.Errorf("template database: %w", err)
	}
	// Fold the write-ahead log into the file, so that the file alone is the
	// whole database.
	if err := d.Gorm.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		return nil, fmt.Errorf("template database: checkpoint: %w", err)
	}
	if err := d.Close(); err != nil {
		return nil, fmt.Errorf("template database: %w", err)
	}
	return os.ReadFile(path)
})

// migratedSQLiteURL writes a copy of the migrated database into a
// temporary folder of t and returns its URL.
func migratedSQLiteURL(t testing.TB) string {
	t.Helper()
	data, err := migratedSQLite()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "forewarn.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatalf("copy template database: %v", err)
	}
	return "sqlite:" + path
}

// pgAdmin is one connection pool per process to the database named by
// FOREWARN_TEST_DATABASE_URL, for creating and dropping the tests' schemas
// and databases.
var pgAdmin = sync.OnceValues(func() (*db.DB, error) {
	return db.Open(os.Getenv("FOREWARN_TEST_DATABASE_URL"))
})

func admin(t testing.TB) *db.DB {
	t.Helper()
	a, err := pgAdmin()
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	return a
}

// randomName returns prefix followed by 12 random hex digits.
func randomName(t testing.TB, prefix string) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + hex.EncodeToString(b)
}

// withDatabase returns base naming the database name instead of its own.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse FOREWARN_TEST_DATABASE_URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// baseDatabase is the name of the database in FOREWARN_TEST_DATABASE_URL;
// the tests' databases and their template are named after it, so that two
// suites pointed at different databases (CI's and a developer's) keep out
// of each other's way.
func baseDatabase(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse FOREWARN_TEST_DATABASE_URL: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" || strings.ContainsAny(name, `"/`) {
		return "", fmt.Errorf("FOREWARN_TEST_DATABASE_URL names no usable database")
	}
	return name, nil
}

// migrationsHash identifies the PostgreSQL migrations by their content.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, "postgres", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(migrations.FS, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// pgTemplate returns the name of a PostgreSQL database on which every
// migration has run, to copy with CREATE DATABASE … TEMPLATE. It is named
// after the base database and the migrations' content, and kept between
// runs: the first test binary that needs it builds it under a name of its
// own and renames it, so concurrent test binaries never see half of it.
// Connections to it are refused, as PostgreSQL copies only a database that
// no one is connected to. `.ci/run` drops it at the end.
var pgTemplate = sync.OnceValues(func() (string, error) {
	base := os.Getenv("FOREWARN_TEST_DATABASE_URL")
	a, err := pgAdmin()
	if err != nil {
		return "", fmt.Errorf("open postgres: %w", err)
	}
	baseName, err := baseDatabase(base)
	if err != nil {
		return "", err
	}
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := baseName + "_tmpl_" + sum
	var n int64
	if err := a.Gorm.Raw("SELECT count(*) FROM pg_database WHERE datname = ?", name).Scan(&n).Error; err != nil {
		return "", fmt.Errorf("find template database: %w", err)
	}
	if n > 0 {
		return name, nil
	}
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	building := baseName + "_build_" + hex.EncodeToString(b)
	if err := a.Gorm.Exec(`CREATE DATABASE "` + building + `"`).Error; err != nil {
		return "", fmt.Errorf("create template database: %w", err)
	}
	buildURL, err := withDatabase(base, building)
	if err != nil {
		return "", err
	}
	d, err := db.Open(buildURL)
	if err == nil {
		err = d.MigrateUp(context.Background(), nil)
		d.Close()
	}
	if err == nil {
		err = a.Gorm.Exec(`ALTER DATABASE "` + building + `" WITH ALLOW_CONNECTIONS false`).Error
	}
	if err == nil {
		err = a.Gorm.Exec(`ALTER DATABASE "` + building + `" RENAME TO "` + name + `"`).Error
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: another binary was first
			err = nil
		}
	}
	a.Gorm.Exec(`DROP DATABASE IF EXISTS "` + building + `" WITH (FORCE)`)
	if err != nil {
		return "", fmt.Errorf("build template database: %w", err)
	}
	return name, nil
})

// migratedPostgresURL creates a database of t's own, a copy of the
// migrated template, dropped at the end of the test, and returns its URL.
func migratedPostgresURL(t testing.TB, base string) string {
	t.Helper()
	tmpl, err := pgTemplate()
	if err != nil {
		t.Fatal(err)
	}
	baseName, err := baseDatabase(base)
	if err != nil {
		t.Fatal(err)
	}
	a := admin(t)
	name := randomName(t, baseName+"_t_")
	if err := a.Gorm.Exec(`CREATE DATABASE "` + name + `" TEMPLATE "` + tmpl + `"`).Error; err != nil {
		t.Fatalf("copy template database: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Gorm.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`).Error; err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	u, err := withDatabase(base, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
