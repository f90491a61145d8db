package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/server"
	"forewarn/app/service"
)

var keyPattern = regexp.MustCompile(`fw_[a-z2-7]{8}_[a-z2-7]{64}`)

// newOrganisation adds an organisation straight to the store.
func newOrganisation(t *testing.T, e *apptest.Env, name string) int64 {
	t.Helper()
	o := model.Organisation{Slug: strings.ToLower(strings.ReplaceAll(name, " ", "-")), Name: name, CreatedAt: apptest.Now, UpdatedAt: apptest.Now}
	if err := e.Store.CreateOrganisation(context.Background(), &o); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// issueKey issues a key as the operator would, on the command line.
func issueKey(t *testing.T, e *apptest.Env, org int64, scopes, rateLimit string) service.IssuedKey {
	t.Helper()
	k, err := e.Services.APIKeys.IssueByOperator(context.Background(), service.KeyInput{Organisation: fmt.Sprint(org), Name: "helpline bot", Scopes: scopes, RateLimit: rateLimit})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func bearer(key string) []string { return []string{"Authorization", "Bearer " + key} }

// postCheck sends POST /api/v1/check, with a key unless key is "".
func postCheck(t *testing.T, e *apptest.Env, key string) apptest.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/check", strings.NewReader(`{"text":"call +40 712 345 678"}`))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return e.Do(t, req)
}

func TestAPIKeyIssuedOnTheAdminPageIsShownOnceAndStoredAsAHash(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	admin, adminUser := e.Member(t, "keys_admin", model.RoleAdmin, nil, nil)
	wantStatus(t, admin.Get(t, "/en/admin/keys"), http.StatusOK)

	r := admin.Post(t, "/en/admin/keys", url.Values{"organisation": {fmt.Sprint(org)}, "name": {"helpline bot"}, "scopes": {"read", "submit"}, "rate_limit": {"30"}})
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the key is kept by caches: %q", r.Header.Get("Cache-Control"))
	}
	keys := keyPattern.FindAllString(r.Body, -1)
	if len(keys) != 1 {
		t.Fatalf("the answer shows %d keys, want 1:\n%s", len(keys), r.Body)
	}
	key := keys[0]
	var row model.APIKey
	apptest.Must(t, e.DB.Gorm.Where("organisation_id = ?", org).Take(&row))
	sum := sha256.Sum256([]byte(key))
	if row.Hash != hex.EncodeToString(sum[:]) || row.Prefix != key[3:11] || row.Scopes != "read,submit" || row.RateLimit != 30 || row.Name != "helpline bot" || row.CreatedBy == nil || *row.CreatedBy != adminUser.ID {
		t.Errorf("stored key %+v", row)
	}
	if where := e.StoredContaining(t, key[12:]); len(where) > 0 {
		t.Errorf("the key's secret is stored in %v", where)
	}
	// shown once: the list shows its prefix, never the key
	page := admin.Get(t, "/en/admin/keys")
	if strings.Contains(page.Body, key) || !strings.Contains(page.Body, "fw_"+row.Prefix) || !strings.Contains(page.Body, "Helpline Moldova") {
		t.Errorf("the list shows the key, or not its prefix:\n%s", page.Body)
	}
	if n := e.Count(t, "moderation_actions", "action = 'apikey.issue' AND target_type = 'api_key' AND target_id = ? AND actor_id = ?", row.ID, adminUser.ID); n != 1 {
		t.Errorf("%d audit entries for the issue, want 1", n)
	}
	// the key works
	w := e.Get(t, "/api/v1/warnings", bearer(key)...)
	wantStatus(t, w, http.StatusOK)
	if w.Header.Get("Cache-Control") != "private, no-store" || !strings.Contains(w.Header.Get("Vary"), "Authorization") {
		t.Errorf("keyed answer: Cache-Control %q, Vary %q", w.Header.Get("Cache-Control"), w.Header.Get("Vary"))
	}

	// bad input: nothing stored, the form says why
	before := e.Count(t, "api_keys", "1 = 1")
	for _, bad := range []url.Values{
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read", "admin"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read"}, "rate_limit": {"0"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read"}, "rate_limit": {"99999999999999999999"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read"}, "rate_limit": {"ten"}},
		{"organisation": {"999999"}, "name": {"x bot"}, "scopes": {"read"}},
		{"organisation": {"abc"}, "name": {"x bot"}, "scopes": {"read"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"bad \xff name"}, "scopes": {"read"}},
		{"organisation": {fmt.Sprint(org)}, "name": {""}, "scopes": {"read"}},
		{"organisation": {fmt.Sprint(org)}, "name": {strings.Repeat("n", 20000)}, "scopes": {"read"}},
		{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read\x00"}},
	} {
		r := admin.Post(t, "/en/admin/keys", bad)
		if r.StatusCode != http.StatusUnprocessableEntity || keyPattern.MatchString(r.Body) || !strings.Contains(r.Body, `class="field-errors"`) {
			t.Errorf("%v: %d, want 422 with the field's error:\n%.300s", bad, r.StatusCode, r.Body)
		}
	}
	if after := e.Count(t, "api_keys", "1 = 1"); after != before {
		t.Errorf("refused keys were stored: %d → %d", before, after)
	}
}

func TestAPIKeyPagesAreForAdminsOnlyAndNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "read", "")
	mod, _ := e.Member(t, "keys_mod", model.RoleModerator, []string{"en"}, []string{"RO"})
	member, _ := e.Member(t, "keys_member", model.RoleMember, nil, nil)
	visitor := e.NewClient()
	for name, c := range map[string]*apptest.Client{"moderator": mod, "member": member, "visitor": visitor} {
		if r := c.Get(t, "/en/admin/keys"); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET keys page %d, want 404", name, r.StatusCode)
		}
		c.Get(t, "/en/reports/new") // a CSRF token of the client's own
		if r := c.Post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", k.ID), url.Values{"confirm": {"1"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: revoke %d, want 404", name, r.StatusCode)
		}
		if r := c.Post(t, "/en/admin/keys", url.Values{"organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read"}}); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: issue %d, want 404", name, r.StatusCode)
		}
	}
	admin, _ := e.Member(t, "keys_admin", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/keys")
	if r := admin.Post(t, "/en/admin/keys", url.Values{"_csrf": {""}, "organisation": {fmt.Sprint(org)}, "name": {"x bot"}, "scopes": {"read"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("issue without the CSRF token: %d, want 403", r.StatusCode)
	}
	if r := admin.Post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", k.ID), url.Values{"_csrf": {"forged"}, "confirm": {"1"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("revoke with a forged CSRF token: %d, want 403", r.StatusCode)
	}
	if n := e.Count(t, "api_keys", "revoked_at IS NULL"); n != 1 {
		t.Errorf("%d live keys, want the one", n)
	}
	wantStatus(t, e.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
}

// TestARevokedKeyIsRefusedAtOnceOnEveryInstance: two instances share one
// database (the second with its page cache on); the revocation on the
// first holds on the very next request to either.
func TestARevokedKeyIsRefusedAtOnceOnEveryInstance(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	b := &apptest.Env{App: secondInstance(t, e), Log: &strings.Builder{}}
	e.Warning(t, apptest.Titled("Driver job"))
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "read", "")
	other := issueKey(t, e, org, "read", "")
	for _, inst := range []*apptest.Env{e, b} {
		wantStatus(t, inst.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
	}
	admin, adminUser := e.Member(t, "keys_admin", model.RoleAdmin, nil, nil)
	admin.Get(t, "/en/admin/keys")
	// without the confirmation nothing happens
	r := admin.Post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", k.ID), url.Values{})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Tick the box") {
		t.Fatalf("revoke unconfirmed: %d\n%.400s", r.StatusCode, r.Body)
	}
	wantStatus(t, b.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
	r = admin.Post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", k.ID), url.Values{"confirm": {"1"}})
	wantStatus(t, r, http.StatusSeeOther)
	for i, inst := range []*apptest.Env{e, b} {
		r := inst.Get(t, "/api/v1/warnings", bearer(k.Key)...)
		if r.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("instance %d: the revoked key gets %d (WWW-Authenticate %q), want 401", i+1, r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
		wantStatus(t, inst.Get(t, "/api/v1/warnings", bearer(other.Key)...), http.StatusOK)
		wantStatus(t, inst.Get(t, "/api/v1/warnings"), http.StatusOK)
	}
	if n := e.Count(t, "moderation_actions", "action = 'apikey.revoke' AND target_id = ? AND actor_id = ?", k.ID, adminUser.ID); n != 1 {
		t.Errorf("%d audit entries for the revocation, want 1", n)
	}
	if n := e.Count(t, "api_keys", "id = ? AND revoked_by = ? AND revoked_at IS NOT NULL", k.ID, adminUser.ID); n != 1 {
		t.Error("the key is not marked revoked by the admin")
	}
	page := admin.Get(t, "/en/admin/keys?revoked=1")
	if !strings.Contains(page.Body, "Revoked on") || !strings.Contains(page.Body, "stopped working at once") {
		t.Errorf("the list does not show the revocation:\n%.2000s", page.Body)
	}
	// revoking again changes nothing
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/keys/%d/revoke", k.ID), url.Values{"confirm": {"1"}}), http.StatusSeeOther)
	if n := e.Count(t, "moderation_actions", "action = 'apikey.revoke'"); n != 1 {
		t.Errorf("%d revocations logged, want 1", n)
	}
	wantStatus(t, admin.Post(t, "/en/admin/keys/999999/revoke", url.Values{"confirm": {"1"}}), http.StatusNotFound)
}

// TestEveryBadKeyGetsTheSameAnswer: unknown, malformed and revoked keys
// are refused alike: 401, WWW-Authenticate: Bearer, the same problem
// document but for the request ID, in the API document's shape.
func TestEveryBadKeyGetsTheSameAnswer(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	revoked := issueKey(t, e, org, "read", "")
	if _, err := e.Services.APIKeys.RevokeByOperator(context.Background(), revoked.ID, ""); err != nil {
		t.Fatal(err)
	}
	good := issueKey(t, e, org, "read", "")
	flipped := []byte(good.Key) // same prefix, well formed, wrong secret
	if flipped[len(flipped)-1] == 'a' {
		flipped[len(flipped)-1] = 'b'
	} else {
		flipped[len(flipped)-1] = 'a'
	}
	unknown := "fw_aaaaaaaa_" + strings.Repeat("b", 64)
	requestID := regexp.MustCompile(`"request_id":"[0-9a-f]+"`)
	var first string
	for name, header := range map[string]string{
		"revoked":     "Bearer " + revoked.Key,
		"unknown":     "Bearer " + unknown,
		"wrong tail":  "Bearer " + string(flipped),
		"garbage":     "Bearer garbage",
		"empty":       "Bearer ",
		"no scheme":   good.Key,
		"basic":       "Basic " + good.Key,
		"upper case":  "Bearer " + strings.ToUpper(good.Key),
		"too long":    "Bearer " + good.Key + "a",
		"broken utf8": "Bearer fw_\xff\xfe",
		"huge":        "Bearer " + strings.Repeat("a", 4000),
		"blank":       "",
	} {
		r := e.Get(t, "/api/v1/warnings", "Authorization", header)
		if r.StatusCode != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") != `Bearer realm="forewarn"` || r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, WWW-Authenticate %q, Cache-Control %q; want 401", name, r.StatusCode, r.Header.Get("WWW-Authenticate"), r.Header.Get("Cache-Control"))
			continue
		}
		body := requestID.ReplaceAllString(r.Body, "")
		if first == "" {
			first = body
			if !strings.Contains(body, `"code":"unauthorized"`) {
				t.Errorf("401 body: %s", body)
			}
		} else if body != first {
			t.Errorf("%s: the answer differs:\n%s\n%s", name, body, first)
		}
	}
	if r := postCheck(t, e, unknown); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /check with an unknown key: %d, want 401", r.StatusCode)
	}
	if n := e.Count(t, "api_keys", "last_used_at IS NOT NULL"); n != 0 {
		t.Errorf("a refused key was marked used (%d)", n)
	}
	r := e.Get(t, "/api/v1/warnings", bearer(good.Key)...)
	wantStatus(t, r, http.StatusOK)
}

// TestAKeyWithoutTheReadScopeIsRefusedOnReads: reading needs no key, but a
// request that sends one is held to it: a valid key without read gets 403,
// not a visitor's answer.
func TestAKeyWithoutTheReadScopeIsRefusedOnReads(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	id := e.Warning(t, apptest.Titled("Driver job"))
	org := newOrganisation(t, e, "Helpline Moldova")
	submit := issueKey(t, e, org, "submit,webhooks", "")
	read := issueKey(t, e, org, "read", "")
	for _, path := range []string{"/api/v1/warnings", fmt.Sprintf("/api/v1/warnings/%d", id)} {
		r := e.Get(t, path, bearer(submit.Key)...)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, `"code":"insufficient_scope"`) || strings.Contains(r.Body, "Driver job") {
			t.Errorf("%s with a submit-only key: %d %.300s, want 403", path, r.StatusCode, r.Body)
		}
		wantStatus(t, e.Get(t, path, bearer(read.Key)...), http.StatusOK)
		wantStatus(t, e.Get(t, path), http.StatusOK)
	}
	if r := postCheck(t, e, submit.Key); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /check with a submit-only key: %d, want 403", r.StatusCode)
	}
	wantStatus(t, postCheck(t, e, read.Key), http.StatusOK)
	wantStatus(t, postCheck(t, e, ""), http.StatusOK)
}

// TestAKeysRateLimitReplacesTheAnonymousOne: all requests come from one
// address. A key is held to its own limit, not the visitor's 120 checks a
// minute, whether its limit is lower or higher; two keys do not share a
// count, and keyed requests do not use up the address's anonymous count.
func TestAKeysRateLimitReplacesTheAnonymousOne(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	small := issueKey(t, e, org, "read", "3")
	other := issueKey(t, e, org, "read", "3")
	big := issueKey(t, e, org, "read", "200")
	for i := 0; i < 3; i++ {
		wantStatus(t, postCheck(t, e, small.Key), http.StatusOK)
	}
	if r := postCheck(t, e, small.Key); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("4th check with a key limited to 3: %d, want 429", r.StatusCode)
	}
	if r := e.Get(t, "/api/v1/warnings", bearer(small.Key)...); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the key's limit covers every API request: GET %d, want 429", r.StatusCode)
	}
	wantStatus(t, postCheck(t, e, other.Key), http.StatusOK)
	wantStatus(t, postCheck(t, e, ""), http.StatusOK)
	for i := 0; i < 125; i++ {
		if r := postCheck(t, e, big.Key); r.StatusCode != http.StatusOK {
			t.Fatalf("check %d with a key limited to 200: %d", i+1, r.StatusCode)
		}
	}
	// the visitor at the same address still has their 120, less the one
	for i := 0; i < 119; i++ {
		if r := postCheck(t, e, ""); r.StatusCode != http.StatusOK {
			t.Fatalf("anonymous check %d: %d", i+2, r.StatusCode)
		}
	}
	if r := postCheck(t, e, ""); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("anonymous check 121: %d, want 429", r.StatusCode)
	}
	wantStatus(t, postCheck(t, e, big.Key), http.StatusOK)
}

// TestAKeysLastUseIsWrittenAtMostOnceAMinute.
func TestAKeysLastUseIsWrittenAtMostOnceAMinute(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "read", "")
	lastUsed := func() *time.Time {
		var row model.APIKey
		apptest.Must(t, e.DB.Gorm.Where("id = ?", k.ID).Take(&row))
		return row.LastUsedAt
	}
	if lastUsed() != nil {
		t.Fatal("a new key has a last use")
	}
	wantStatus(t, e.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
	if at := lastUsed(); at == nil || !at.Equal(apptest.Now) {
		t.Fatalf("last use after a request: %v, want %v", at, apptest.Now)
	}
	setBack := func(d time.Duration) {
		apptest.Must(t, e.DB.Gorm.Exec("UPDATE api_keys SET last_used_at = ? WHERE id = ?", apptest.Now.Add(-d), k.ID))
	}
	setBack(30 * time.Second)
	wantStatus(t, e.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
	if at := lastUsed(); at == nil || !at.Equal(apptest.Now.Add(-30*time.Second)) {
		t.Errorf("last use written again within the minute: %v", at)
	}
	setBack(2 * time.Minute)
	wantStatus(t, e.Get(t, "/api/v1/warnings", bearer(k.Key)...), http.StatusOK)
	if at := lastUsed(); at == nil || !at.Equal(apptest.Now) {
		t.Errorf("last use not written after a minute: %v", at)
	}
}

// TestKeyedAnswersNeverShareThePageCache: a keyed request is never served
// a visitor's cached answer, and its own answer is never kept for
// visitors.
func TestKeyedAnswersNeverShareThePageCache(t *testing.T) {
	t.Parallel()
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", PageCacheTTL: time.Minute, PageCacheBytes: 1 << 20})
	id := e.Warning(t, apptest.Titled("Driver job"))
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "read", "")
	rename := func(title string) {
		changeBehindTheCache(t, e, "UPDATE warning_translations SET title = ? WHERE warning_id = ?", title, id)
	}
	// a visitor's answer is cached; a keyed request gets a fresh one
	path := "/api/v1/warnings"
	if r := e.Get(t, path); !strings.Contains(r.Body, "Driver job") || !strings.Contains(r.Header.Get("Vary"), "Authorization") || r.Header.Get("Cache-Control") != "public, no-cache" {
		t.Fatalf("anonymous answer: Vary %q, Cache-Control %q\n%.300s", r.Header.Get("Vary"), r.Header.Get("Cache-Control"), r.Body)
	}
	rename("Renamed once")
	if r := e.Get(t, path); !strings.Contains(r.Body, "Driver job") {
		t.Fatal("the visitor's answer is not cached: the test proves nothing")
	}
	r := e.Get(t, path, bearer(k.Key)...)
	if !strings.Contains(r.Body, "Renamed once") || r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("a keyed request was served the cached answer (Cache-Control %q):\n%.300s", r.Header.Get("Cache-Control"), r.Body)
	}
	// a keyed answer is not kept for visitors
	other := fmt.Sprintf("/api/v1/warnings/%d", id)
	if r := e.Get(t, other, bearer(k.Key)...); !strings.Contains(r.Body, "Renamed once") {
		t.Fatalf("keyed answer: %.300s", r.Body)
	}
	rename("Renamed twice")
	if r := e.Get(t, other); !strings.Contains(r.Body, "Renamed twice") || r.Header.Get("Cache-Control") == "private, no-store" {
		t.Errorf("a visitor was served the keyed answer (Cache-Control %q):\n%.300s", r.Header.Get("Cache-Control"), r.Body)
	}
	// nor a refused one
	wantStatus(t, e.Get(t, "/api/v1/warnings?limit=5", "Authorization", "Bearer nope"), http.StatusUnauthorized)
	wantStatus(t, e.Get(t, "/api/v1/warnings?limit=5"), http.StatusOK)
}

// TestTheModeratorLogNamesAKeyThatActed: an audit entry made through the
// API names the key and its organisation.
func TestTheModeratorLogNamesAKeyThatActed(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	org := newOrganisation(t, e, "Helpline Moldova")
	k := issueKey(t, e, org, "submit", "")
	if err := e.Store.LogAction(context.Background(), &model.ModerationAction{ActorKeyID: &k.ID, Action: "report.submit", TargetType: "organisation", TargetID: org, CreatedAt: apptest.Now}); err != nil {
		t.Fatal(err)
	}
	admin, _ := e.Member(t, "keys_admin", model.RoleAdmin, nil, nil)
	r := admin.Get(t, "/en/mod/log")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body, "API key “helpline bot” of Helpline Moldova") {
		t.Errorf("the log does not name the key:\n%s", r.Body)
	}
	r = admin.Get(t, "/en/mod/log?target=api_key")
	if !strings.Contains(r.Body, "<code>apikey.issue</code>") || strings.Contains(r.Body, "<code>report.submit</code>") {
		t.Errorf("the log filtered on keys:\n%s", r.Body)
	}
}

// TestKeyedExportsAndVectorsStayPrivate checks that the answers which set
// their own public caching (the test vectors, the exports) keep the
// private, no-store of a keyed request, and are public without a key.
func TestKeyedExportsAndVectorsStayPrivate(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t)
	key := issueKey(t, e, newOrganisation(t, e, "Helpline Cache"), "read", "")
	for _, path := range []string{"/api/v1/indicators/test-vectors", "/api/v1/export/warnings.jsonl", "/api/v1/export/warnings.csv", "/api/v1/export/stix.json"} {
		keyed := e.Get(t, path, bearer(key.Key)...)
		wantStatus(t, keyed, http.StatusOK)
		if got := keyed.Header.Get("Cache-Control"); got != "private, no-store" {
			t.Errorf("%s with a key: Cache-Control %q, want private, no-store", path, got)
		}
		anonymous := e.Get(t, path)
		wantStatus(t, anonymous, http.StatusOK)
		if got := anonymous.Header.Get("Cache-Control"); !strings.HasPrefix(got, "public") {
			t.Errorf("%s without a key: Cache-Control %q, want public", path, got)
		}
	}
}
