package db_test

import (
	"context"
	"testing"

	"forewarn/app/apptest"
)

// TestSearchWindowsMigrationRewritesDocuments migrates a PostgreSQL
// database down below 00032, writes a search document as the earlier code
// did (positions, the title's words weighted A), and checks that 00032
// leaves it without positions, with its title's words marked and its
// window, and that going down takes the marks away and queues the item.
func TestSearchWindowsMigrationRewritesDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := apptest.OpenDB(t)
	if d.Dialect != "postgres" {
		t.Skip("SQLite's word index is not rewritten (00032 is a no-op there)")
	}
	p, err := d.Migrator(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 31); err != nil {
		t.Fatalf("down to 31: %v", err)
	}
	g := d.Gorm
	apptest.Must(t, g.Exec(`INSERT INTO search_docs (id, kind, item_id, lang, title, org, tsv)
		VALUES (40000, 'report', 7, 'en', 'fake visa', '', CAST(? AS tsvector))`, "'fake':1A 'visa':2A 'fakevisa':3B 'they':4 'kept':5 'visa':6"))
	if _, err := p.UpTo(ctx, 32); err != nil {
		t.Fatalf("up to 32: %v", err)
	}
	var tsv string
	apptest.Must(t, g.Raw("SELECT CAST(tsv AS text) FROM search_docs WHERE id = 40000").Scan(&tsv))
	if want := "'#39' '$1' 'fake' 'fakevisa' 'kept' 'they' 'visa' '~fake' '~visa'"; tsv != want {
		t.Errorf("after 00032: %s\nwant %s", tsv, want)
	}
	if _, err := p.DownTo(ctx, 31); err != nil {
		t.Fatalf("down to 31 again: %v", err)
	}
	apptest.Must(t, g.Raw("SELECT CAST(tsv AS text) FROM search_docs WHERE id = 40000").Scan(&tsv))
	if want := "'fake' 'fakevisa' 'kept' 'they' 'visa'"; tsv != want {
		t.Errorf("after going down: %s\nwant %s", tsv, want)
	}
	var queued int64
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM search_dirty WHERE kind = 'report' AND item_id = 7 AND backlog = 1").Scan(&queued))
	if queued != 1 {
		t.Errorf("going down queued %d items, want the report", queued)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
}
