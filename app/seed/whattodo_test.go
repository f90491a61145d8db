package seed_test

import (
	"context"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/seed"
)

// Every text of every demo warning has its "What to do now", in its own
// language; a database seeded before the field existed gets them on the
// next run, and one a moderator wrote is kept.
func TestDemoFillsWhatToDoNowEverywhere(t *testing.T) {
	ctx := context.Background()
	e := apptest.New(t)
	if _, err := seed.Demo(ctx, e.Services.Importer, apptest.Now); err != nil {
		t.Fatal(err)
	}
	g := e.DB.Gorm
	var empty, texts, copies int64
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM warning_translations WHERE what_to_do = ''").Scan(&empty))
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM warning_translations").Scan(&texts))
	if empty != 0 || texts < 120 {
		t.Fatalf("%d of %d demo texts without what to do", empty, texts)
	}
	// A translation is not the English text copied.
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM warning_translations t JOIN warning_translations en ON en.warning_id = t.warning_id AND en.lang = 'en' WHERE t.lang <> 'en' AND t.what_to_do = en.what_to_do").Scan(&copies))
	if copies != 0 {
		t.Errorf("%d translations copy the English what to do", copies)
	}

	// An older demo database: the field is empty everywhere, except one
	// text a moderator wrote since.
	apptest.Must(t, g.Exec("UPDATE warning_translations SET what_to_do = ''"))
	var id int64
	apptest.Must(t, g.Raw("SELECT MIN(warning_id) FROM warning_translations").Scan(&id))
	apptest.Must(t, g.Exec("UPDATE warning_translations SET what_to_do = 'Written by a moderator.' WHERE warning_id = ? AND lang = 'en'", id))
	res, err := seed.Demo(ctx, e.Services.Importer, apptest.Now)
	if err != nil || res.Warnings != 0 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	apptest.Must(t, g.Raw("SELECT COUNT(*) FROM warning_translations WHERE what_to_do = ''").Scan(&empty))
	if empty != 0 {
		t.Errorf("%d texts still without what to do after the second run", empty)
	}
	var kept string
	apptest.Must(t, g.Raw("SELECT what_to_do FROM warning_translations WHERE warning_id = ? AND lang = 'en'", id).Scan(&kept))
	if kept != "Written by a moderator." {
		t.Errorf("the moderator's text became %q", kept)
	}
}
