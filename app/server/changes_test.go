package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
	"forewarn/app/store"
)

// changeItem is one entry of /changes, its warning kept raw for exact
// comparison with the warning API.
type changeItem struct {
	Change    string          `json:"change"`
	ID        int64           `json:"id"`
	Warning   json.RawMessage `json:"warning"`
	Tombstone *struct {
		ID               int64     `json:"id"`
		URL              string    `json:"url"`
		RetractedAt      time.Time `json:"retracted_at"`
		RetractionReason string    `json:"retraction_reason"`
	} `json:"tombstone"`
}

type changePage struct {
	Data      []changeItem `json:"data"`
	NextSince string       `json:"next_since"`
	HasMore   bool         `json:"has_more"`
}

// getter sends a GET through one app.
type getter func(t *testing.T, target string) apptest.Response

func envGetter(e *apptest.Env) getter {
	return func(t *testing.T, target string) apptest.Response { return e.Get(t, target) }
}

// changesPage asks for one page of changes.
func changesPage(t *testing.T, get getter, since string, limit int) changePage {
	t.Helper()
	q := url.Values{}
	if since != "" {
		q.Set("since", since)
	}
	if limit > 0 {
		q.Set("limit", fmt.Sprint(limit))
	}
	r := get(t, "/api/v1/changes?"+q.Encode())
	wantStatus(t, r, http.StatusOK)
	return decode[changePage](t, r)
}

// syncAll follows the tokens from since until has_more is false, and
// returns every entry in order with the last token.
func syncAll(t *testing.T, get getter, since string, limit int) ([]changeItem, string) {
	t.Helper()
	var all []changeItem
	for i := 0; ; i++ {
		if i > 10000 {
			t.Fatal("the change feed does not end")
		}
		p := changesPage(t, get, since, limit)
		all = append(all, p.Data...)
		if p.NextSince == "" {
			t.Fatal("a page without next_since")
		}
		since = p.NextSince
		if !p.HasMore {
			return all, since
		}
	}
}

// clockedApp builds a second application over e's database whose clock is
// clock, with the same secret: tokens of one are good for the other.
func clockedApp(t *testing.T, e *apptest.Env, clock func() time.Time) getter {
	t.Helper()
	svc := service.New(e.Store, clock, service.DefaultConfig())
	app, err := server.Build(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{
		BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", Now: clock,
		SecretKey: "test-secret-key-test-secret-key-test", Storage: e.Store.NewHTTPState(clock),
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, target string) apptest.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		resp, err := app.Test(req, 30_000)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return apptest.Response{Response: resp, Body: string(body)}
	}
}

// newModerator creates a moderator of English warnings from Ukraine to
// Poland.
func newModerator(t *testing.T, e *apptest.Env, name string) *model.User {
	t.Helper()
	ctx := context.Background()
	u, err := e.Services.Users.Create(ctx, service.NewUser{Pseudonym: name, Password: "member password 123", Role: string(model.RoleModerator)})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.SetModeratorScope(ctx, u.ID, []string{"en"}, []string{"UA", "PL"}); err != nil {
		t.Fatal(err)
	}
	return &u
}

func changeDraft(title string) service.WarningDraft {
	return service.WarningDraft{Severity: "danger", Category: "fake-job-offer", Lang: "en", Origin: []string{"UA"}, Destination: []string{"PL"},
		Title: title, Summary: "An agency sells warehouse jobs that do not exist.", WhatToDo: "Do not pay the fee.",
		Body: "They ask for a fee of 300 euros before the trip and then stop answering."}
}

// publishNew writes a warning through the moderators' rules and publishes it.
func publishNew(ctx context.Context, e *apptest.Env, mod *model.User, title string) (int64, error) {
	id, err := e.Services.Authoring.CreateWarning(ctx, mod, changeDraft(title))
	if err != nil {
		return 0, fmt.Errorf("create %q: %w", title, err)
	}
	if err := e.Services.Authoring.Submit(ctx, mod, id); err != nil {
		return 0, fmt.Errorf("submit %d: %w", id, err)
	}
	if err := e.Services.Authoring.Publish(ctx, mod, id); err != nil {
		return 0, fmt.Errorf("publish %d: %w", id, err)
	}
	return id, nil
}

func TestChangesFullSyncCarriesStateAndTombstones(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	live := e.Warning(t, apptest.Titled("Driver job"), apptest.TranslatedInto("uk"))
	gone := e.Warning(t, apptest.Titled("Wrongly named agency"), apptest.Retracted("The agency was named by mistake."))
	mod := newModerator(t, e, "changes_mod")
	draft, err := e.Services.Authoring.CreateWarning(context.Background(), mod, changeDraft("A draft nobody may see"))
	if err != nil {
		t.Fatal(err)
	}

	r := e.Get(t, "/api/v1/changes?lang=uk")
	wantStatus(t, r, http.StatusOK)
	p := decode[changePage](t, r)
	if p.HasMore || p.NextSince == "" || len(p.Data) != 2 {
		t.Fatalf("full sync: %+v", p)
	}
	byID := map[int64]changeItem{}
	for _, it := range p.Data {
		byID[it.ID] = it
	}
	if _, ok := byID[draft]; ok || strings.Contains(r.Body, "A draft nobody may see") {
		t.Errorf("a draft is in the change feed: %s", r.Body)
	}
	// The whole state, as the warning API shows it, in the asked language.
	it := byID[live]
	want := e.Get(t, fmt.Sprintf("/api/v1/warnings/%d?lang=uk", live))
	if it.Change != "published" || it.Tombstone != nil || !sameJSON(t, it.Warning, []byte(want.Body)) {
		t.Errorf("published warning in the feed:\n%s\nwant\n%s", it.Warning, want.Body)
	}
	if !strings.Contains(string(it.Warning), "[uk] Driver job") {
		t.Errorf("not in Ukrainian: %s", it.Warning)
	}
	// A retracted warning is a tombstone: its reason and date, no text.
	ts := byID[gone]
	if ts.Change != "retracted" || ts.Tombstone == nil || len(ts.Warning) != 0 ||
		ts.Tombstone.RetractionReason != "The agency was named by mistake." || !ts.Tombstone.RetractedAt.Equal(apptest.Now.Add(-time.Hour)) ||
		ts.Tombstone.URL != fmt.Sprintf("%s/w/%d", apptest.BaseURL, gone) {
		t.Errorf("tombstone: %+v %+v", ts, ts.Tombstone)
	}
	if strings.Contains(r.Body, "Wrongly named agency") {
		t.Errorf("a tombstone carries the retracted text: %s", r.Body)
	}

	// Nothing new: an empty page, the same position.
	again := changesPage(t, envGetter(e), p.NextSince, 0)
	if len(again.Data) != 0 || again.HasMore {
		t.Errorf("poll without changes: %+v", again)
	}
	// A retraction comes once, as a tombstone; then nothing.
	if err := e.Services.Authoring.Retract(context.Background(), mod, live, "The offer was checked and is real."); err != nil {
		t.Fatal(err)
	}
	r = e.Get(t, "/api/v1/changes?since="+url.QueryEscape(again.NextSince))
	next := decode[changePage](t, r)
	if len(next.Data) != 1 || next.Data[0].ID != live || next.Data[0].Change != "retracted" || next.Data[0].Tombstone == nil ||
		next.Data[0].Tombstone.RetractionReason != "The offer was checked and is real." {
		t.Fatalf("after a retraction: %s", r.Body)
	}
	if last := changesPage(t, envGetter(e), next.NextSince, 0); len(last.Data) != 0 {
		t.Errorf("the retraction came twice: %+v", last)
	}
}

// sameJSON compares two JSON documents by value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return reflect.DeepEqual(x, y)
}

func TestChangesPagesAreStableAndComplete(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	want := map[int64]bool{}
	for i := 0; i < 7; i++ {
		want[e.Warning(t)] = true
	}
	want[e.Warning(t, apptest.Retracted("Duplicate of another warning."))] = true
	first, _ := syncAll(t, envGetter(e), "", 2)
	second, _ := syncAll(t, envGetter(e), "", 3)
	if len(first) != len(want) || len(second) != len(want) {
		t.Fatalf("full syncs of %d and %d entries, want %d", len(first), len(second), len(want))
	}
	for i := range first {
		if !want[first[i].ID] || first[i].ID != second[i].ID {
			t.Errorf("entry %d: %d then %d", i, first[i].ID, second[i].ID)
		}
		delete(want, first[i].ID)
	}
	if len(want) != 0 {
		t.Errorf("never served: %v", want)
	}
}

// An expiry is no write: the feed serves it by time, once, to a partner
// who saw the warning before it expired; one who syncs later sees it
// expired in its state and never again.
func TestChangesServeAnExpiryOnce(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.ExpiringIn(time.Hour))
	other := e.Warning(t, apptest.ExpiringIn(3*time.Hour))
	var now atomic.Int64
	now.Store(apptest.Now.UnixMicro())
	get := clockedApp(t, e, func() time.Time { return time.UnixMicro(now.Load()).UTC() })

	items, token := syncAll(t, get, "", 1)
	if len(items) != 2 || items[0].Change != "published" || items[1].Change != "published" {
		t.Fatalf("before expiry: %+v", items)
	}
	// A partner who stopped after the first page of its full sync, and
	// comes back after both expired: each once, the unseen one as its
	// state.
	partial := changesPage(t, get, "", 1)
	if !partial.HasMore || len(partial.Data) != 1 || partial.Data[0].ID != id {
		t.Fatalf("first page: %+v", partial)
	}
	now.Store(apptest.Now.Add(4 * time.Hour).UnixMicro())
	if rest, _ := syncAll(t, get, partial.NextSince, 1); len(rest) != 2 || rest[0].ID == rest[1].ID ||
		rest[0].Change != "expired" || rest[1].Change != "expired" {
		t.Errorf("back after both expiries: %+v", rest)
	}
	now.Store(apptest.Now.Add(2 * time.Hour).UnixMicro())
	items, token = syncAll(t, get, token, 1)
	if len(items) != 1 || items[0].ID != id || items[0].Change != "expired" || !strings.Contains(string(items[0].Warning), `"expired":true`) {
		t.Fatalf("after expiry: %+v", items)
	}
	// A partner who starts now gets it once, expired.
	late, lateToken := syncAll(t, get, "", 1)
	if len(late) != 2 || late[0].Change != "expired" && late[1].Change != "expired" {
		t.Fatalf("full sync after expiry: %+v", late)
	}
	if items, _ := syncAll(t, get, lateToken, 1); len(items) != 0 {
		t.Errorf("the expiry came twice to a late partner: %+v", items)
	}
	if items, _ := syncAll(t, get, token, 1); len(items) != 0 {
		t.Errorf("the expiry came twice: %+v", items)
	}
	// The other expires later: once, for both.
	now.Store(apptest.Now.Add(4 * time.Hour).UnixMicro())
	for _, tok := range []string{token, lateToken} {
		items, tok2 := syncAll(t, get, tok, 1)
		if len(items) != 1 || items[0].ID != other || items[0].Change != "expired" {
			t.Errorf("second expiry: %+v", items)
		}
		if again, _ := syncAll(t, get, tok2, 1); len(again) != 0 {
			t.Errorf("second expiry twice: %+v", again)
		}
	}
}

func TestChangesRefuseBadTokensAndParams(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	good := changesPage(t, envGetter(e), "", 0).NextSince
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	raw[2] ^= 1
	tampered := base64.RawURLEncoding.EncodeToString(raw)
	// A token of the same server, issued long ago or in the future.
	old := changesPage(t, clockedApp(t, e, func() time.Time { return apptest.Now.Add(-200 * 24 * time.Hour) }), "", 0).NextSince
	future := changesPage(t, clockedApp(t, e, func() time.Time { return apptest.Now.Add(time.Hour) }), "", 0).NextSince
	for _, tc := range []struct{ query, field, code string }{
		{"since=garbage", "since", "error.changes.token_invalid"},
		{"since=" + tampered, "since", "error.changes.token_invalid"},
		{"since=" + good[:len(good)-2], "since", "error.changes.token_invalid"},
		{"since=" + strings.Repeat("A", 400), "since", "error.changes.token_invalid"},
		// Broken UTF-8 is refused before the handler, as everywhere.
		{"since=%FF%FE", "query", "error.encoding.invalid"},
		{"since=" + future, "since", "error.changes.token_invalid"},
		{"since=" + old, "since", "error.changes.token_expired"},
		{"limit=0", "limit", "error.limit.invalid"},
		{"limit=201", "limit", "error.limit.invalid"},
		{"limit=99999999999999999999", "limit", "error.limit.invalid"},
		{"limit=ten", "limit", "error.limit.invalid"},
		{"lang=xx", "lang", "error.language.unknown"},
		{"cursor=abc", "cursor", "error.param.unknown"},
		{"updated_since=2026-01-01T00:00:00Z", "updated_since", "error.param.unknown"},
	} {
		r := e.Get(t, "/api/v1/changes?"+tc.query)
		wantProblem(t, tc.query, r.Response, r.Body, http.StatusBadRequest, "invalid_request")
		p := decode[struct {
			Detail string `json:"detail"`
			Errors []struct{ Field, Code string }
		}](t, r)
		if len(p.Errors) == 0 || p.Errors[0].Field != tc.field || p.Errors[0].Code != tc.code {
			t.Errorf("%.80s: %.300s, want %s on %s", tc.query, r.Body, tc.code, tc.field)
		}
		if strings.HasPrefix(tc.code, "error.changes.") && !strings.Contains(p.Detail, "full sync") {
			t.Errorf("%.80s: the problem does not tell to start a full sync: %s", tc.query, p.Detail)
		}
	}
}

// A partner following the feed while moderators publish, edit and retract
// at once ends with an exact copy: every warning in its final state, each
// change served once, nothing unpublished. Slow transactions take their
// position early and commit late: on PostgreSQL a feed ordered by the
// sequence alone would hand out a later position first and skip them.
func TestChangesPollingWhileWritingKeepsAnExactCopy(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	var slowIDs []int64
	for i := 0; i < 12; i++ {
		slowIDs = append(slowIDs, e.Warning(t))
	}
	mods := []*model.User{newModerator(t, e, "writer_a"), newModerator(t, e, "writer_b"), newModerator(t, e, "writer_c")}
	if e.DB.Dialect == db.Postgres {
		// Commits that take their time after the change is numbered (a
		// slow disk, a synchronous replica): without the advisory lock
		// that serialises numbering and commit, a later number then
		// commits first and the partner skips the earlier one.
		apptest.Must(t, e.DB.Gorm.Exec(`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN PERFORM pg_sleep(random() * 0.02); RETURN NULL; END $$`))
		apptest.Must(t, e.DB.Gorm.Exec(`CREATE CONSTRAINT TRIGGER warning_changes_slow_commit AFTER INSERT OR UPDATE ON warning_changes
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION slow_commit()`))
	}

	var (
		writers sync.WaitGroup
		done    atomic.Bool
		errs    = make(chan error, 100)
	)
	for w, mod := range mods {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for k := 0; k < 6; k++ {
				title := fmt.Sprintf("Warehouse jobs %d-%d", w, k)
				if k%3 == 2 {
					// A draft that stays one.
					if _, err := e.Services.Authoring.CreateWarning(ctx, mod, changeDraft("Unpublished "+title)); err != nil {
						errs <- err
					}
					continue
				}
				id, err := publishNew(ctx, e, mod, title)
				if err != nil {
					errs <- err
					return
				}
				if _, err := e.Services.Authoring.UpdateWarning(ctx, mod, id, changeDraft(title+" (edited)")); err != nil {
					errs <- fmt.Errorf("edit %d: %w", id, err)
					return
				}
				if k%2 == 0 {
					if err := e.Services.Authoring.Retract(ctx, mod, id, fmt.Sprintf("Retracted %d-%d: the jobs were real.", w, k)); err != nil {
						errs <- fmt.Errorf("retract %d: %w", id, err)
						return
					}
				}
			}
		}()
	}
	for s := 0; s < 2; s++ {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := s; i < len(slowIDs); i += 2 {
				id := slowIDs[i]
				err := e.Store.Tx(ctx, func(tx *store.Store) error {
					if err := tx.UpdateWarning(ctx, id, store.WarningChange{UpdatedAt: apptest.Now.Add(time.Duration(i+1) * time.Second)}); err != nil {
						return err
					}
					time.Sleep(25 * time.Millisecond)
					return nil
				})
				if err != nil {
					errs <- fmt.Errorf("slow write %d: %w", id, err)
				}
			}
		}()
	}
	go func() {
		writers.Wait()
		done.Store(true)
	}()

	// The partner: small pages, following tokens, keeping a copy.
	copyOf := map[int64]changeItem{}
	seen := map[string]bool{}
	token := ""
	for {
		finished := done.Load()
		p := changesPage(t, envGetter(e), token, 3)
		for _, it := range p.Data {
			key := fmt.Sprintf("%d %s %s", it.ID, it.Change, it.Warning)
			if it.Tombstone != nil {
				key += " " + it.Tombstone.RetractionReason
			}
			if seen[key] {
				t.Errorf("served twice: %s", key)
			}
			seen[key] = true
			copyOf[it.ID] = it
		}
		token = p.NextSince
		if finished && !p.HasMore && len(p.Data) == 0 {
			break
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	// The copy is exact: every public warning, in its final state.
	var public []model.Warning
	apptest.Must(t, e.DB.Gorm.Where("status IN ('published', 'expired', 'retracted')").Find(&public))
	if len(copyOf) != len(public) {
		t.Errorf("the copy holds %d warnings, %d are public", len(copyOf), len(public))
	}
	for _, w := range public {
		it, ok := copyOf[w.ID]
		switch {
		case !ok:
			t.Errorf("warning %d (%s) never served", w.ID, w.Status)
		case w.Status == model.WarningRetracted:
			if it.Change != "retracted" || it.Tombstone == nil || it.Tombstone.RetractionReason != w.RetractionReason {
				t.Errorf("warning %d: retracted, the copy has %+v", w.ID, it)
			}
		default:
			r := e.Get(t, fmt.Sprintf("/api/v1/warnings/%d", w.ID))
			if it.Change != "published" || !sameJSON(t, it.Warning, []byte(r.Body)) {
				t.Errorf("warning %d: the copy has\n%s\nthe API\n%s", w.ID, it.Warning, r.Body)
			}
		}
	}
	if strings.Contains(fmt.Sprint(seen), "Unpublished") {
		t.Error("a draft was served")
	}
	t.Logf("postgres %t: %d entries served for %d public warnings", os.Getenv("FOREWARN_TEST_DATABASE_URL") != "", len(seen), len(public))
}

// updated_since lists every public warning changed or expired since then,
// retracted ones included, with their status.
func TestUpdatedSinceListsRetractedAndExpired(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	live := e.Warning(t)
	gone := e.Warning(t, apptest.Retracted("Named the wrong agency."))
	expired := e.Warning(t, apptest.ExpiringIn(-time.Minute))
	since := url.QueryEscape(apptest.Now.Add(-24 * time.Hour).Format(time.RFC3339))
	r := e.Get(t, "/api/v1/warnings?limit=100&updated_since="+since)
	wantStatus(t, r, http.StatusOK)
	list := decode[struct {
		Data []struct {
			ID      int64  `json:"id"`
			Status  string `json:"status"`
			Expired bool   `json:"expired"`
		} `json:"data"`
	}](t, r)
	got := map[int64]string{}
	for _, w := range list.Data {
		got[w.ID] = w.Status
		if w.ID == expired && !w.Expired {
			t.Errorf("warning %d not marked expired", w.ID)
		}
	}
	if got[live] != "published" || got[gone] != "retracted" || got[expired] == "" {
		t.Errorf("updated_since: %v (live %d, retracted %d, expired %d)", got, live, gone, expired)
	}
	// The plain list still leaves retracted warnings out.
	plain := decode[struct {
		Data []struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}](t, e.Get(t, "/api/v1/warnings?limit=100"))
	for _, w := range plain.Data {
		if w.ID == gone {
			t.Error("the plain list shows a retracted warning")
		}
	}
}

// The page cache keeps /changes answers, and a retraction is served at
// once all the same: the answers are keyed on the content version.
func TestChangesThroughThePageCache(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	id := e.Warning(t)
	mod := newModerator(t, e, "cache_mod")
	first := changesPage(t, envGetter(e), "", 0)
	if again := changesPage(t, envGetter(e), first.NextSince, 0); len(again.Data) != 0 {
		t.Fatalf("no change yet: %+v", again)
	}
	if err := e.Services.Authoring.Retract(context.Background(), mod, id, "Checked and found real."); err != nil {
		t.Fatal(err)
	}
	after := changesPage(t, envGetter(e), first.NextSince, 0)
	if len(after.Data) != 1 || after.Data[0].Change != "retracted" {
		t.Errorf("a cached answer hid the retraction: %+v", after)
	}
}

// benchChangesToken returns the token after the first skip entries of a
// full sync.
func benchChangesToken(b *testing.B, e *apptest.Env, skip int) string {
	b.Helper()
	token := ""
	for served := 0; served < skip; served += 200 {
		r := e.Get(b, "/api/v1/changes?limit=200&since="+url.QueryEscape(token))
		var p changePage
		if err := json.Unmarshal([]byte(r.Body), &p); err != nil || r.StatusCode != http.StatusOK {
			b.Fatalf("%d %v: %.200s", r.StatusCode, err, r.Body)
		}
		token = p.NextSince
	}
	return token
}

// BenchmarkChangesPageUncached serves a page of 50 changes from the middle
// of a full sync: state, translations, indicators.
func BenchmarkChangesPageUncached(b *testing.B) {
	e := benchEnv(b, 0)
	path := "/api/v1/changes?limit=50&since=" + url.QueryEscape(benchChangesToken(b, e, 1000))
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, path)
	}
}

// BenchmarkChangesPageCached is the same page from the page cache.
func BenchmarkChangesPageCached(b *testing.B) {
	e := benchEnv(b, time.Minute)
	path := "/api/v1/changes?limit=50&since=" + url.QueryEscape(benchChangesToken(b, e, 1000))
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, path)
	}
}

// BenchmarkChangesPollUncached is a partner's poll when nothing changed.
func BenchmarkChangesPollUncached(b *testing.B) {
	e := benchEnv(b, 0)
	token := ""
	for {
		r := e.Get(b, "/api/v1/changes?limit=200&since="+url.QueryEscape(token))
		var p changePage
		if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
			b.Fatal(err)
		}
		token = p.NextSince
		if !p.HasMore {
			break
		}
	}
	path := "/api/v1/changes?since=" + url.QueryEscape(token)
	h := e.App.Handler()
	for b.Loop() {
		serveDirect(b, h, path)
	}
}

// Expiries at the same moment, one a page: the token's expiry cursor
// (time, then ID) serves each once. (It passes with a cursor kept to the
// microsecond too: the stored times here have none below it.)
func TestChangesPageThroughExpiriesAtOneMoment(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	want := map[int64]bool{}
	for i := 0; i < 3; i++ {
		want[e.Warning(t, apptest.ExpiringIn(time.Hour+time.Nanosecond*1500))] = true
	}
	e.Warning(t, apptest.ExpiringIn(5*time.Hour))
	var now atomic.Int64
	now.Store(apptest.Now.UnixNano())
	get := clockedApp(t, e, func() time.Time { return time.Unix(0, now.Load()).UTC() })
	_, token := syncAll(t, get, "", 0)
	now.Store(apptest.Now.Add(2 * time.Hour).UnixNano())
	pages := 0
	for {
		p := changesPage(t, get, token, 1)
		token = p.NextSince
		for _, it := range p.Data {
			if !want[it.ID] || it.Change != "expired" {
				t.Errorf("page %d: %+v", pages, it)
			}
			delete(want, it.ID)
		}
		pages++
		if !p.HasMore {
			break
		}
	}
	if len(want) != 0 {
		t.Errorf("expiries never served: %v", want)
	}
	if again, _ := syncAll(t, get, token, 1); len(again) != 0 {
		t.Errorf("served again: %+v", again)
	}
}

// Many partners at once, uncached: every answer comes, none waits for a
// connection that another holds (a page reads in a snapshot of its own).
func TestChangesManyPartnersAtOnce(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for i := 0; i < 5; i++ {
		e.Warning(t)
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 24)
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, "/api/v1/changes?limit=2", nil)
			resp, err := e.App.Test(req, 20_000)
			if err != nil {
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a partner got %d", s)
		}
	}
}

// A change that names a company waits for a second moderator: until it is
// approved the feed serves nothing of it, and a rejected one never.
func TestChangesHidePendingAndRejectedRevisions(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	ctx := context.Background()
	author, reviewer := newModerator(t, e, "rev_author"), newModerator(t, e, "rev_reviewer")
	id, err := publishNew(ctx, e, author, "Warehouse jobs in Poland")
	if err != nil {
		t.Fatal(err)
	}
	_, token := syncAll(t, envGetter(e), "", 0)
	naming := changeDraft("Warehouse jobs at Baltic Build Staffing")
	naming.Indicators = "company: Baltic Build Staffing UAB"
	naming.NamesParty = true
	propose := func() int64 {
		t.Helper()
		outcome, err := e.Services.Authoring.UpdateWarning(ctx, author, id, naming)
		if err != nil || outcome != service.Proposed {
			t.Fatalf("edit naming a company: %v %v", outcome, err)
		}
		work, err := e.Services.Authoring.Work(ctx, reviewer, id)
		if err != nil || work.Pending == nil {
			t.Fatalf("pending revision: %v %+v", err, work.Pending)
		}
		return work.Pending.ID
	}
	rev := propose()
	r := e.Get(t, "/api/v1/changes?since="+url.QueryEscape(token))
	if p := decode[changePage](t, r); len(p.Data) != 0 || strings.Contains(r.Body, "Baltic") {
		t.Fatalf("a pending revision is in the feed: %s", r.Body)
	}
	if err := e.Services.Authoring.RejectRevision(ctx, reviewer, id, rev, "Not shown by the sources."); err != nil {
		t.Fatal(err)
	}
	r = e.Get(t, "/api/v1/changes?since="+url.QueryEscape(token))
	if p := decode[changePage](t, r); len(p.Data) != 0 || strings.Contains(r.Body, "Baltic") {
		t.Fatalf("a rejected revision is in the feed: %s", r.Body)
	}
	// Approved, it is a change like any other.
	rev = propose()
	if err := e.Services.Authoring.ApproveRevision(ctx, reviewer, id, rev); err != nil {
		t.Fatal(err)
	}
	items, _ := syncAll(t, envGetter(e), token, 0)
	if len(items) != 1 || items[0].ID != id || !strings.Contains(string(items[0].Warning), "Baltic Build Staffing") {
		t.Errorf("approved revision: %+v", items)
	}
}

// TestChangesFollowWhatAWarningShowsFromElsewhere checks that a warning
// moves in the feed when its organisation is renamed or verified and when
// the count of public reports naming one of its indicators changes (a
// report published, hidden or deleted), whoever writes the change, and
// that a warning that shows none of it stays where it is.
func TestChangesFollowWhatAWarningShowsFromElsewhere(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	get := envGetter(e)
	named := e.Warning(t)
	other := e.Warning(t, func(w *service.ImportedWarning) {
		w.Organisation = model.Organisation{Slug: "other-ngo", Name: "Other NGO"}
		w.Indicators = []service.RawIndicator{{Kind: model.IndicatorLink, Value: "https://unrelated.example/jobs"}}
	})
	_, since := syncAll(t, get, "", 0)
	// moved returns the warnings served since the last call, with the
	// organisation's name and the phone's report count each shows.
	moved := func(step string) map[int64]string {
		t.Helper()
		items, next := syncAll(t, get, since, 0)
		since = next
		out := map[int64]string{}
		for _, it := range items {
			var w struct {
				Organisation struct{ Name string } `json:"organisation"`
				Indicators   []struct {
					Kind        string `json:"kind"`
					ReportCount int    `json:"report_count"`
				} `json:"indicators"`
			}
			if err := json.Unmarshal(it.Warning, &w); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			count := -1
			for _, ind := range w.Indicators {
				if ind.Kind == "phone" {
					count = ind.ReportCount
				}
			}
			out[it.ID] = fmt.Sprintf("%s/%d", w.Organisation.Name, count)
		}
		return out
	}
	want := func(step string, got map[int64]string, state string) {
		t.Helper()
		if len(got) != 1 || got[named] != state {
			t.Errorf("%s: the feed served %v, want only warning %d as %q (warning %d unchanged)", step, got, named, state, other)
		}
	}

	apptest.Must(t, e.DB.Gorm.Exec("UPDATE organisations SET name = 'Test NGO Moldova' WHERE slug = 'test-ngo'"))
	want("organisation renamed", moved("rename"), "Test NGO Moldova/0")
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE organisations SET website = 'https://ngo.example' WHERE slug = 'test-ngo'"))
	if got := moved("website"); len(got) != 0 {
		t.Errorf("a change the warnings do not show moved %v", got)
	}

	posted, err := e.Services.Forum.CreateReport(context.Background(), nil, service.ReportInput{
		Title: "The same driver job", Body: "They called me from +44 7700 900123 and asked for a fee of 300 euros.",
		Lang: "en", Category: "fake-job-offer", SeenOn: "facebook", Origin: []string{"UA"}, Destination: []string{"PL"},
	})
	if err != nil || !posted.Pending {
		t.Fatalf("guest report: %+v, %v", posted, err)
	}
	if got := moved("pending report"); len(got) != 0 {
		t.Errorf("a report waiting for a moderator moved %v", got)
	}
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'published', published_at = updated_at WHERE id = ?", posted.ID))
	want("report published", moved("publish"), "Test NGO Moldova/1")
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'locked' WHERE id = ?", posted.ID))
	if got := moved("locked"); len(got) != 0 {
		t.Errorf("locking a public report (still public) moved %v", got)
	}
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'hidden' WHERE id = ?", posted.ID))
	want("report hidden", moved("hide"), "Test NGO Moldova/0")
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE reports SET status = 'published' WHERE id = ?", posted.ID))
	want("report shown again", moved("show"), "Test NGO Moldova/1")
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM report_indicators WHERE report_id = ?", posted.ID))
	want("indicator link removed", moved("unlink"), "Test NGO Moldova/0")
	apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO report_indicators (report_id, indicator_id, raw) SELECT ?, indicator_id, raw FROM warning_indicators WHERE warning_id = ?", posted.ID, named))
	want("indicator links added", moved("link"), "Test NGO Moldova/1")
	apptest.Must(t, e.DB.Gorm.Exec("DELETE FROM reports WHERE id = ?", posted.ID))
	want("report deleted", moved("delete"), "Test NGO Moldova/0")
}
