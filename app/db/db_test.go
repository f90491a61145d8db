package db_test

import (
	"context"
	"io/fs"
	"sort"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"forewarn/app/apptest"
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
