package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/model"
	"forewarn/app/service"
	"forewarn/app/store"
	"forewarn/app/webhook"
)

// hookClock is the worker's clock in the tests: moved by hand.
type hookClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *hookClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *hookClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// received is one request a test receiver got.
type received struct {
	Path   string
	Header http.Header
	Body   []byte
}

// receiver is a loopback HTTP server that records what it gets and
// answers with answer (200 when nil).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	answer func(w http.ResponseWriter, r *http.Request, n int) bool
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		n := len(rc.got)
		answer := rc.answer
		rc.mu.Unlock()
		if answer != nil && answer(w, r, n) {
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) at(path string) []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []received
	for _, g := range rc.got {
		if g.Path == path {
			out = append(out, g)
		}
	}
	return out
}

// hookEnv is an application with loopback webhooks allowed, an
// organisation and a key with the webhooks scope.
type hookEnv struct {
	*apptest.Env
	org   int64
	key   string
	clock *hookClock
}

func newHookEnv(t *testing.T) *hookEnv {
	t.Helper()
	e := apptest.New(t)
	e.Services.Webhooks.Guard = &webhook.Guard{AllowLoopback: true}
	org := newOrganisation(t, e, "Helpline Hooks")
	k := issueKey(t, e, org, "webhooks", "")
	return &hookEnv{Env: e, org: org, key: k.Key, clock: &hookClock{now: apptest.Now}}
}

// worker returns a fast worker: short polls and timeouts, retries at once.
func (h *hookEnv) worker(t *testing.T, o service.WorkerOptions) *service.Worker {
	t.Helper()
	o.BaseURL = apptest.BaseURL
	if o.Poll == 0 {
		o.Poll = 5 * time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 2 * time.Second
	}
	if o.Backoff == nil {
		o.Backoff = func(int) time.Duration { return 0 }
	}
	if o.Now == nil {
		o.Now = h.clock.Now
	}
	o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	return h.Services.Webhooks.NewWorker(o)
}

// start runs a worker until the end of the test.
func (h *hookEnv) start(t *testing.T, o service.WorkerOptions) *service.Worker {
	wk := h.worker(t, o)
	wk.Start(context.Background())
	t.Cleanup(wk.Stop)
	return wk
}

// waitFor polls cond for up to 20 s (a correctness bound, not a timing).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settled reports that the outbox is fanned out and no delivery waits.
func (h *hookEnv) settled(t *testing.T) bool {
	return h.Count(t, "webhook_events", "fanned_out = ?", false) == 0 && h.Count(t, "webhook_deliveries", "state = 'pending'") == 0
}

// drain steps wk until the outbox is fanned out and no delivery waits.
func (h *hookEnv) drain(t *testing.T, wk *service.Worker) {
	t.Helper()
	waitFor(t, "the outbox to drain", func() bool {
		if _, err := wk.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
		return h.settled(t)
	})
}

// apiCall sends a request with the key (checked against the OpenAPI
// document by Env.Do).
func (h *hookEnv) apiCall(t *testing.T, method, path, body, key string) apptest.Response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return h.Do(t, req)
}

type endpointAnswer struct {
	ID             int64    `json:"id"`
	URL            string   `json:"url"`
	Events         []string `json:"events"`
	State          string   `json:"state"`
	DisabledReason string   `json:"disabled_reason"`
	Secret         string   `json:"secret"`
}

// register creates an endpoint through the API.
func (h *hookEnv) register(t *testing.T, u string, events []string, countries, langs []string) endpointAnswer {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"url": u, "events": events, "countries": countries, "languages": langs})
	r := h.apiCall(t, http.MethodPost, "/api/v1/webhooks", string(body), h.key)
	wantStatus(t, r, http.StatusCreated)
	ep := decode[endpointAnswer](t, r)
	if !strings.HasPrefix(ep.Secret, "whsec_") || ep.ID == 0 {
		t.Fatalf("created endpoint: %s", r.Body)
	}
	return ep
}

type hookPayload struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      struct {
		ID        int64    `json:"id"`
		URL       string   `json:"url"`
		Lang      string   `json:"lang"`
		Countries []string `json:"countries"`
		Severity  string   `json:"severity"`
		Title     string   `json:"title"`
	} `json:"data"`
}

// verified checks every request's signature and returns their payloads.
func verified(t *testing.T, secret string, got []received, now time.Time) []hookPayload {
	t.Helper()
	var out []hookPayload
	for _, g := range got {
		// The worker's clock is the test's, moved by hand: each message
		// is checked at the time it was signed, and that time is one the
		// clock showed.
		ts, _ := strconv.ParseInt(g.Header.Get("webhook-timestamp"), 10, 64)
		if at := time.Unix(ts, 0); at.Before(apptest.Now) || at.After(now) {
			t.Errorf("webhook-timestamp %s outside the test's clock", at)
		}
		if err := webhook.Verify(secret, g.Header.Get("webhook-id"), g.Header.Get("webhook-timestamp"), g.Header.Get("webhook-signature"), g.Body, time.Unix(ts, 0)); err != nil {
			t.Errorf("signature of %s does not verify: %v", g.Body, err)
		}
		if !strings.HasPrefix(g.Header.Get("webhook-id"), "msg_") {
			t.Errorf("webhook-id %q", g.Header.Get("webhook-id"))
		}
		var p hookPayload
		if err := json.Unmarshal(g.Body, &p); err != nil {
			t.Fatalf("payload %s: %v", g.Body, err)
		}
		out = append(out, p)
	}
	return out
}

func kinds(ps []hookPayload) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %d", p.Type, p.Data.ID))
	}
	slices.Sort(out)
	return out
}

func TestWebhookEventsReachEachMatchingEndpointOnceSigned(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	all := []string{"warning.published", "warning.updated", "warning.retracted", "warning.expired", "report.published"}
	a := h.register(t, rc.URL+"/a", all, nil, nil)
	h.register(t, rc.URL+"/b", []string{"warning.published"}, []string{"RO"}, nil)
	cc := h.register(t, rc.URL+"/c", all[:4], nil, []string{"uk"})
	d := h.register(t, rc.URL+"/d", []string{"report.published"}, []string{"ua"}, nil)
	wk := h.worker(t, service.WorkerOptions{})
	t.Cleanup(wk.Stop)
	ctx := context.Background()
	step := func() { t.Helper(); h.drain(t, wk) }
	step()
	modClient, mod := h.Member(t, "hooks_mod", model.RoleModerator, []string{"en"}, []string{"UA", "PL"})

	// Published by a moderator, translated (an update), retracted.
	w1, err := publishNew(ctx, h.Env, &mod, "Warehouse jobs in Poznan")
	if err != nil {
		t.Fatal(err)
	}
	step()
	if _, err := h.Services.Authoring.Translate(ctx, &mod, w1, service.Translation{Lang: "uk", Title: "Робота на складі в Познані",
		Summary: "Агенція продає робочі місця на складі, яких не існує.", WhatToDo: "Не платіть.", Body: "Вони просять 300 євро перед поїздкою."}); err != nil {
		t.Fatal(err)
	}
	step()
	if err := h.Services.Authoring.Retract(ctx, &mod, w1, "Named by mistake."); err != nil {
		t.Fatal(err)
	}
	step()
	// Imported, and expiring by time.
	w2 := h.Warning(t, apptest.ExpiringIn(time.Hour))
	step()
	h.clock.Add(2 * time.Hour)
	step()
	h.clock.Add(time.Hour)
	step() // a later sweep does not emit the expiry again
	// A report published by a moderator.
	rep := publishedReport(t, h.Env, modClient, "Agency asked for a fee", "")
	step()

	now := h.clock.Now()
	gotA := verified(t, a.Secret, rc.at("/a"), now)
	want := []string{fmt.Sprintf("report.published %d", rep), fmt.Sprintf("warning.expired %d", w2), fmt.Sprintf("warning.published %d", w1),
		fmt.Sprintf("warning.published %d", w2), fmt.Sprintf("warning.retracted %d", w1), fmt.Sprintf("warning.updated %d", w1)}
	slices.Sort(want)
	if got := kinds(gotA); !slices.Equal(got, want) {
		t.Errorf("endpoint with every event got\n%v\nwant\n%v", got, want)
	}
	for _, p := range gotA {
		if p.Data.ID == w1 && p.Type == "warning.published" {
			if p.Data.URL != fmt.Sprintf("%s/w/%d", apptest.BaseURL, w1) || p.Data.Lang != "en" || p.Data.Severity != "danger" ||
				p.Data.Title != "Warehouse jobs in Poznan" || !slices.Equal(p.Data.Countries, []string{"PL", "UA"}) {
				t.Errorf("payload %+v", p)
			}
			if _, err := time.Parse(time.RFC3339, p.Timestamp); err != nil {
				t.Errorf("timestamp %q", p.Timestamp)
			}
		}
	}
	if got := rc.at("/b"); len(got) != 0 {
		t.Errorf("the endpoint for Romania got %d messages", len(got))
	}
	wantC := []string{fmt.Sprintf("warning.retracted %d", w1), fmt.Sprintf("warning.updated %d", w1)}
	if got := kinds(verified(t, cc.Secret, rc.at("/c"), now)); !slices.Equal(got, wantC) {
		t.Errorf("the endpoint for Ukrainian got %v, want %v", got, wantC)
	}
	if got := kinds(verified(t, d.Secret, rc.at("/d"), now)); !slices.Equal(got, []string{fmt.Sprintf("report.published %d", rep)}) {
		t.Errorf("the endpoint for reports got %v", got)
	}
	// A secret signs only its endpoint's messages.
	if g := rc.at("/d"); len(g) == 1 {
		if err := webhook.Verify(a.Secret, g[0].Header.Get("webhook-id"), g[0].Header.Get("webhook-timestamp"), g[0].Header.Get("webhook-signature"), g[0].Body, now); err == nil {
			t.Error("another endpoint's secret verifies a message")
		}
	}
	// The secret is never served again.
	list := h.apiCall(t, http.MethodGet, "/api/v1/webhooks", "", h.key)
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(list.Body, "whsec_") || strings.Contains(h.Log.String(), "whsec_") {
		t.Error("a secret is listed or logged")
	}
	// The log of endpoint a: one delivered attempt per message.
	r := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries?limit=4", a.ID), "", h.key)
	wantStatus(t, r, http.StatusOK)
	page := decode[struct {
		Data []struct {
			MessageID  string `json:"message_id"`
			EventType  string `json:"event_type"`
			Attempt    int    `json:"attempt"`
			StatusCode *int   `json:"status_code"`
		} `json:"data"`
		NextCursor *string `json:"next_cursor"`
	}](t, r)
	if len(page.Data) != 4 || page.NextCursor == nil || page.Data[0].StatusCode == nil || *page.Data[0].StatusCode != 204 {
		t.Fatalf("first page of the log: %s", r.Body)
	}
	r2 := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries?cursor=%s", a.ID, *page.NextCursor), "", h.key)
	if n := strings.Count(r2.Body, `"message_id"`); n != 2 {
		t.Errorf("second page has %d lines: %s", n, r2.Body)
	}
}

// An expiry moved back into the past (an operator's SQL: the authoring
// forms refuse a past expiry) is announced as warning.expired exactly
// once, whether the sweep had already passed the new expiry (the edit
// announces it) or not yet (the sweep does), and never as an update.
func TestWebhookExpiryEditedIntoThePastIsAnnouncedExpiredOnce(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	all := []string{"warning.published", "warning.updated", "warning.retracted", "warning.expired", "report.published"}
	a := h.register(t, rc.URL+"/a", all, nil, nil)
	// The sweep runs only when the test moves the clock by an hour.
	wk := h.worker(t, service.WorkerOptions{SweepEvery: time.Hour})
	t.Cleanup(wk.Stop)
	step := func() { t.Helper(); h.drain(t, wk) }
	behind := h.Warning(t, apptest.ExpiringIn(7*24*time.Hour))
	ahead := h.Warning(t, apptest.ExpiringIn(7*24*time.Hour))
	step() // the first sweep starts the clock at apptest.Now
	setExpiry := func(id int64, at time.Time) {
		t.Helper()
		apptest.Must(t, h.DB.Gorm.Exec("UPDATE warnings SET expires_at = ?, updated_at = ? WHERE id = ?", at.UTC(), h.clock.Now().UTC(), id))
	}
	// Behind the sweep: an hour before the last one.
	setExpiry(behind, apptest.Now.Add(-time.Hour))
	step()
	// Ahead of the sweep but already past by the worker's clock, with its
	// text edited too; fanned out before the next sweep.
	h.clock.Add(10 * time.Minute)
	setExpiry(ahead, apptest.Now.Add(5*time.Minute))
	apptest.Must(t, h.DB.Gorm.Exec("UPDATE warning_translations SET title = ? WHERE warning_id = ?", "Edited after it expired", ahead))
	step()
	h.clock.Add(time.Hour)
	step() // this sweep announces ahead
	// Moved further back once expired: no news.
	setExpiry(behind, apptest.Now.Add(-2*time.Hour))
	setExpiry(ahead, apptest.Now.Add(-2*time.Hour))
	step()
	h.clock.Add(time.Hour)
	step()

	want := []string{fmt.Sprintf("warning.expired %d", behind), fmt.Sprintf("warning.expired %d", ahead),
		fmt.Sprintf("warning.published %d", behind), fmt.Sprintf("warning.published %d", ahead)}
	slices.Sort(want)
	if got := kinds(verified(t, a.Secret, rc.at("/a"), h.clock.Now())); !slices.Equal(got, want) {
		t.Errorf("the endpoint got\n%v\nwant\n%v", got, want)
	}
}

func TestWebhookTestEventGoesToThatEndpointOnly(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	a := h.register(t, rc.URL+"/a", []string{"warning.published"}, nil, nil)
	h.register(t, rc.URL+"/b", []string{"warning.published"}, nil, nil)
	r := h.apiCall(t, http.MethodPost, fmt.Sprintf("/api/v1/webhooks/%d/test", a.ID), "", h.key)
	wantStatus(t, r, http.StatusAccepted)
	h.start(t, service.WorkerOptions{})
	waitFor(t, "the test message", func() bool { return len(rc.at("/a")) == 1 })
	got := verified(t, a.Secret, rc.at("/a"), h.clock.Now())
	if got[0].Type != "webhook.test" || len(rc.at("/b")) != 0 {
		t.Errorf("test event: %+v, other endpoint got %d", got, len(rc.at("/b")))
	}
}

func TestWebhookFailedAttemptsAreRetriedWithTheSameMessageID(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	var redirectsFollowed atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { redirectsFollowed.Add(1) }))
	t.Cleanup(elsewhere.Close)
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if len(rc.atLocked(r.URL.Path)) > 1 {
			return false
		}
		switch r.URL.Path {
		case "/500":
			w.WriteHeader(http.StatusInternalServerError)
		case "/slow":
			time.Sleep(700 * time.Millisecond)
		case "/redirect":
			http.Redirect(w, r, elsewhere.URL, http.StatusTemporaryRedirect)
		default:
			return false
		}
		return true
	}
	eps := map[string]endpointAnswer{}
	for _, p := range []string{"/500", "/slow", "/redirect"} {
		eps[p] = h.register(t, rc.URL+p, []string{"warning.published"}, nil, nil)
	}
	h.Warning(t)
	h.start(t, service.WorkerOptions{Timeout: 300 * time.Millisecond})
	waitFor(t, "every message delivered", func() bool { return h.settled(t) })
	wantKinds := map[string]string{"/500": "http_status", "/slow": "timeout", "/redirect": "redirect"}
	for p, ep := range eps {
		got := rc.at(p)
		if len(got) != 2 || got[0].Header.Get("webhook-id") != got[1].Header.Get("webhook-id") {
			t.Errorf("%s: %d requests, or the retry changed the message ID", p, len(got))
			continue
		}
		r := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries", ep.ID), "", h.key)
		if !strings.Contains(r.Body, `"error":"`+wantKinds[p]+`"`) || !strings.Contains(r.Body, `"attempt":2`) {
			t.Errorf("%s: log %s", p, r.Body)
		}
	}
	if redirectsFollowed.Load() != 0 {
		t.Error("a redirect was followed")
	}
}

// atLocked is at for the receiver's own handler (its lock held by none).
func (rc *receiver) atLocked(path string) []received { return rc.at(path) }

func TestAFailingEndpointNeverHoldsUpTheOthers(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	release := make(chan struct{})
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if r.URL.Path == "/stuck" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			w.WriteHeader(http.StatusBadGateway)
			return true
		}
		return false
	}
	h.register(t, rc.URL+"/stuck", []string{"warning.published"}, nil, nil)
	for range 20 {
		h.Warning(t)
	}
	h.start(t, service.WorkerOptions{Concurrency: 8, PerEndpoint: 2, Timeout: time.Minute})
	waitFor(t, "the stuck endpoint to hold its share", func() bool { return len(rc.at("/stuck")) >= 2 })
	h.register(t, rc.URL+"/fine", []string{"warning.published"}, nil, nil)
	h.Warning(t)
	// Delivered while every message to the stuck endpoint still hangs.
	waitFor(t, "the healthy endpoint", func() bool { return len(rc.at("/fine")) == 1 })
	close(release)
}

func TestAnEndpointIsDisabledAfterRepeatedFailureAndAdminsEnableIt(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	var failing atomic.Bool
	failing.Store(true)
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if failing.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	ep := h.register(t, rc.URL+"/down", []string{"warning.published"}, nil, nil)
	h.Warning(t)
	wk := h.start(t, service.WorkerOptions{MaxAttempts: 3, RetryFor: -1})
	waitFor(t, "the endpoint disabled", func() bool { return h.Count(t, "webhook_endpoints", "disabled_at IS NOT NULL") == 1 })
	if n := len(rc.at("/down")); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	r := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d", ep.ID), "", h.key)
	if got := decode[endpointAnswer](t, r); got.State != "disabled" || got.DisabledReason != "failing" {
		t.Errorf("disabled endpoint: %s", r.Body)
	}
	// Nothing goes to a disabled endpoint.
	h.Warning(t)
	waitFor(t, "the outbox fanned out", func() bool { return h.Count(t, "webhook_events", "fanned_out = ?", false) == 0 })
	if h.Count(t, "webhook_deliveries", "state = 'pending'") != 0 {
		t.Error("a delivery was queued for a disabled endpoint")
	}

	admin, _ := h.Member(t, "hooks_admin", model.RoleAdmin, nil, nil)
	page := admin.Get(t, "/en/admin/webhooks")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Body, "Disabled on") || !strings.Contains(page.Body, rc.URL+"/down") || !strings.Contains(page.Body, "http_status") {
		t.Errorf("admin page without the notice or the log:\n%s", page.Body)
	}
	member, _ := h.Member(t, "hooks_member", model.RoleMember, nil, nil)
	member.Get(t, "/en/account")
	if r := member.Post(t, fmt.Sprintf("/en/admin/webhooks/%d/enable", ep.ID), url.Values{}); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
		t.Errorf("a member enabled an endpoint: %d", r.StatusCode)
	}
	failing.Store(false)
	wantStatus(t, admin.Post(t, fmt.Sprintf("/en/admin/webhooks/%d/enable", ep.ID), url.Values{}), http.StatusSeeOther)
	if h.Count(t, "webhook_endpoints", "disabled_at IS NULL AND failures = 0") != 1 || h.Count(t, "moderation_actions", "action = 'webhook.enable'") != 1 {
		t.Error("not enabled, or not in the audit log")
	}
	h.Warning(t)
	waitFor(t, "a delivery after enabling", func() bool { return len(rc.at("/down")) == 4 })
	_ = wk
}

func TestAWebhookDeliverySurvivesARestart(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	var hang atomic.Bool
	hang.Store(true)
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if hang.Load() {
			<-r.Context().Done()
			return true
		}
		return false
	}
	h.register(t, rc.URL+"/r", []string{"warning.published"}, nil, nil)
	h.Warning(t)
	first := h.worker(t, service.WorkerOptions{Timeout: time.Minute})
	first.Start(context.Background())
	waitFor(t, "the first attempt", func() bool { return len(rc.at("/r")) == 1 })
	first.Stop()
	hang.Store(false)
	second := h.start(t, service.WorkerOptions{})
	waitFor(t, "delivery by the next worker", func() bool { return h.settled(t) })
	second.Stop()

	// An instance that hangs holding a lease (as one that died would):
	// nobody else sends the delivery until the lease runs out, then
	// another worker does.
	h.Warning(t)
	var hung atomic.Int32
	dead := h.worker(t, service.WorkerOptions{Owner: "dead", Concurrency: 1, Timeout: time.Hour, Lease: time.Minute, Client: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		hung.Add(1)
		<-r.Context().Done()
		return nil, r.Context().Err()
	})}})
	dead.Start(context.Background())
	t.Cleanup(dead.Stop)
	waitFor(t, "the hung instance to take the delivery", func() bool { return hung.Load() == 1 })
	delivered := len(rc.at("/r"))
	healthy := h.start(t, service.WorkerOptions{Owner: "healthy"})
	for range 20 {
		if _, err := healthy.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(rc.at("/r")) != delivered || h.Count(t, "webhook_deliveries", "lease_owner = 'dead'") != 1 {
		t.Fatal("a delivery leased by another instance was sent")
	}
	h.clock.Add(2 * time.Minute)
	waitFor(t, "the expired lease taken again", func() bool { return h.settled(t) })
	if len(rc.at("/r")) != delivered+1 {
		t.Errorf("%d requests after the lease ran out, want %d", len(rc.at("/r")), delivered+1)
	}
	dead.Stop()
	if h.Count(t, "webhook_deliveries", "state = 'delivered'") != 2 {
		t.Error("the hung instance's stop undid the delivery")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTwoWorkersNeverDeliverTheSameMessageAtOnce(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	var mu sync.Mutex
	inFlight, seen := map[string]bool{}, map[string]int{}
	var overlap atomic.Int32
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		id := r.Header.Get("webhook-id")
		mu.Lock()
		if inFlight[id] {
			overlap.Add(1)
		}
		inFlight[id] = true
		seen[id]++
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		delete(inFlight, id)
		mu.Unlock()
		return false
	}
	for i := range 3 {
		h.register(t, fmt.Sprintf("%s/e%d", rc.URL, i), []string{"warning.published"}, nil, nil)
	}
	for range 15 {
		h.Warning(t)
	}
	// The second worker is another instance: its own connection pool.
	other := apptestSecondServices(t, h)
	h.start(t, service.WorkerOptions{Owner: "one"})
	wk2 := other.NewWorker(service.WorkerOptions{Owner: "two", BaseURL: apptest.BaseURL, Poll: 5 * time.Millisecond, Now: h.clock.Now})
	wk2.Start(context.Background())
	t.Cleanup(wk2.Stop)
	waitFor(t, "every message delivered", func() bool { return h.settled(t) })
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 45 || overlap.Load() != 0 {
		t.Errorf("%d messages, %d sent concurrently", len(seen), overlap.Load())
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %s delivered %d times", id, n)
		}
	}
	if h.Count(t, "webhook_attempts", "1 = 1") != 45 {
		t.Errorf("%d log lines", h.Count(t, "webhook_attempts", "1 = 1"))
	}
}

// fakeResolver resolves names from a map; others do not exist.
type fakeResolver struct {
	mu    sync.Mutex
	names map[string]string
}

func (f *fakeResolver) set(name, ip string) { f.mu.Lock(); f.names[name] = ip; f.mu.Unlock() }

func (f *fakeResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ip, ok := f.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []net.IPAddr{{IP: net.ParseIP(ip)}}, nil
}

func TestWebhookURLsToPrivateAddressesAreRefused(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	res := &fakeResolver{names: map[string]string{"public.test": "93.184.216.34", "loop.test": "127.0.0.1", "meta.test": "169.254.169.254", "mapped.test": "::ffff:10.1.2.3"}}
	h.Services.Webhooks.Guard = &webhook.Guard{Resolver: res}
	for raw, reason := range map[string]string{
		"http://public.test/hook":          "must start with https",
		"https://127.0.0.1/hook":           "private, local or reserved",
		"https://10.0.0.8/hook":            "private, local or reserved",
		"https://192.168.1.1/hook":         "private, local or reserved",
		"https://169.254.169.254/latest":   "private, local or reserved",
		"https://[::1]/hook":               "private, local or reserved",
		"https://[::ffff:127.0.0.1]/hook":  "private, local or reserved",
		"https://[fd00::1]/hook":           "private, local or reserved",
		"https://[fe80::1]/hook":           "private, local or reserved",
		"https://100.64.0.1/hook":          "private, local or reserved",
		"https://0.0.0.0/hook":             "private, local or reserved",
		"https://224.0.0.1/hook":           "private, local or reserved",
		"https://localhost/hook":           "private, local or reserved",
		"https://loop.test/hook":           "private, local or reserved",
		"https://meta.test/hook":           "private, local or reserved",
		"https://mapped.test/hook":         "private, local or reserved",
		"https://nowhere.test/hook":        "does not resolve",
		"https://user:pw@public.test/hook": "user name or password",
		"ftp://public.test/hook":           "must start with https",
		"public.test/hook":                 "not a full URL",
	} {
		body, _ := json.Marshal(map[string]any{"url": raw, "events": []string{"warning.published"}})
		r := h.apiCall(t, http.MethodPost, "/api/v1/webhooks", string(body), h.key)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `"url"`) || !strings.Contains(r.Body, reason) {
			t.Errorf("%s: %d %s", raw, r.StatusCode, r.Body)
		}
	}
	// Localised.
	body := `{"url":"http://public.test/h","events":["warning.published"]}`
	req, _ := http.NewRequest(http.MethodPost, "/api/v1/webhooks", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Accept-Language", "fr")
	if r := h.Do(t, req); !strings.Contains(r.Body, "doit commencer par https") {
		t.Errorf("not in French: %s", r.Body)
	}
	if h.Count(t, "webhook_endpoints", "1 = 1") != 0 {
		t.Error("a refused endpoint was stored")
	}

	// At delivery: the name now points at the loopback (DNS rebinding).
	rc := newReceiver(t)
	_, port, _ := net.SplitHostPort(rc.Listener.Addr().String())
	ep := h.register(t, "https://public.test:"+port+"/hook", []string{"warning.published"}, nil, nil)
	res.set("public.test", "127.0.0.1")
	h.Warning(t)
	h.start(t, service.WorkerOptions{})
	waitFor(t, "a refused attempt", func() bool { return h.Count(t, "webhook_attempts", "error = 'refused_address'") > 0 })
	res.set("public.test", "10.0.0.1")
	waitFor(t, "a second refused attempt", func() bool { return h.Count(t, "webhook_attempts", "error = 'refused_address'") > 1 })
	if len(rc.at("/hook")) != 0 {
		t.Error("the loopback receiver was reached")
	}
	r := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries", ep.ID), "", h.key)
	if !strings.Contains(r.Body, "refused_address") {
		t.Errorf("log: %s", r.Body)
	}
}

func TestWebhookGuardRefusesPrivateAddressesEvenWhenDialledDirectly(t *testing.T) {
	t.Parallel()
	g := &webhook.Guard{}
	for _, addr := range []string{"127.0.0.1:80", "[::1]:80", "10.0.0.1:443", "169.254.169.254:80", "[::ffff:192.168.0.1]:443", "100.100.100.100:443"} {
		if _, err := g.DialContext(context.Background(), "tcp", addr); !errors.Is(err, webhook.ErrRefusedAddress) {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

func TestWebhookAPIKeepsOrganisationsApart(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	ep := h.register(t, rc.URL+"/mine", []string{"warning.published"}, nil, nil)
	otherOrg := newOrganisation(t, h.Env, "Other NGO")
	other := issueKey(t, h.Env, otherOrg, "webhooks,read", "").Key
	for _, rq := range []struct{ method, path string }{
		{http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d", ep.ID)},
		{http.MethodDelete, fmt.Sprintf("/api/v1/webhooks/%d", ep.ID)},
		{http.MethodPost, fmt.Sprintf("/api/v1/webhooks/%d/test", ep.ID)},
		{http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries", ep.ID)},
		{http.MethodGet, "/api/v1/webhooks/999999"},
	} {
		if r := h.apiCall(t, rq.method, rq.path, "", other); r.StatusCode != http.StatusNotFound {
			t.Errorf("another organisation's %s %s: %d", rq.method, rq.path, r.StatusCode)
		}
	}
	if r := h.apiCall(t, http.MethodGet, "/api/v1/webhooks", "", other); strings.Contains(r.Body, "/mine") {
		t.Errorf("another organisation lists the endpoint: %s", r.Body)
	}
	readOnly := issueKey(t, h.Env, h.org, "read", "").Key
	if r := h.apiCall(t, http.MethodGet, "/api/v1/webhooks", "", readOnly); r.StatusCode != http.StatusForbidden {
		t.Errorf("key without the scope: %d", r.StatusCode)
	}
	if r := h.apiCall(t, http.MethodPost, "/api/v1/webhooks", `{"url":"`+rc.URL+`/x","events":["warning.published"]}`, readOnly); r.StatusCode != http.StatusForbidden {
		t.Errorf("key without the scope creates: %d", r.StatusCode)
	}
	if r := h.apiCall(t, http.MethodGet, "/api/v1/webhooks", "", ""); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("no key: %d", r.StatusCode)
	}
	revoked := issueKey(t, h.Env, h.org, "webhooks", "")
	if _, err := h.Services.APIKeys.RevokeByOperator(context.Background(), revoked.ID, ""); err != nil {
		t.Fatal(err)
	}
	if r := h.apiCall(t, http.MethodGet, "/api/v1/webhooks", "", revoked.Key); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked key: %d", r.StatusCode)
	}
	for body, field := range map[string]string{
		`{"url":"` + rc.URL + `/x","events":["warning.published"],"secret":"mine"}`:         `"secret"`,
		`{"url":42,"events":["warning.published"]}`:                                         `"url"`,
		`{"url":"` + rc.URL + `/x","events":"warning.published"}`:                           `"events"`,
		`{"url":"` + rc.URL + `/x","events":["warning.deleted"]}`:                           `"events"`,
		`{"url":"` + rc.URL + `/x","events":["warning.published"],"countries":["Romania"]}`: `"countries"`,
		`{"url":"` + rc.URL + "/x\xff" + `","events":["warning.published"]}`:                `"body"`,
	} {
		if r := h.apiCall(t, http.MethodPost, "/api/v1/webhooks", body, h.key); r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, field) {
			t.Errorf("%s: %d %s", body, r.StatusCode, r.Body)
		}
	}
	// A body over the limit, refused from its length on a real listener
	// (app.Test reports the refusal as its own error).
	addr := listen(t, h.Env)
	resp, answer := rawRequest(t, addr, "POST /api/v1/webhooks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+h.key+
		"\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(2<<20)+"\r\n\r\n")
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(answer, `"status":413`) {
		t.Errorf("a 2 MB body: %d %s", resp.StatusCode, answer)
	}
	if n := h.Count(t, "webhook_endpoints", "1 = 1"); n != 1 {
		t.Errorf("%d endpoints stored", n)
	}
	for _, q := range []string{"cursor=not-a-cursor", "cursor=AA", "limit=0", "limit=201", "limit=x"} {
		r := h.apiCall(t, http.MethodGet, fmt.Sprintf("/api/v1/webhooks/%d/deliveries?%s", ep.ID, q), "", h.key)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("deliveries?%s: %d", q, r.StatusCode)
		}
	}
	if r := h.apiCall(t, http.MethodGet, "/api/v1/webhooks/abc", "", h.key); r.StatusCode != http.StatusBadRequest && r.StatusCode != http.StatusNotFound {
		t.Errorf("a forged ID: %d", r.StatusCode)
	}
	if r := h.apiCall(t, http.MethodDelete, fmt.Sprintf("/api/v1/webhooks/%d", ep.ID), "", h.key); r.StatusCode != http.StatusNoContent {
		t.Errorf("delete: %d", r.StatusCode)
	}
	if h.Count(t, "webhook_endpoints", "1 = 1") != 0 || h.Count(t, "moderation_actions", "action = 'webhook.delete' AND actor_key_id IS NOT NULL") != 1 {
		t.Error("not deleted, or not in the audit log with its key")
	}
}

// apptestSecondServices opens the test's database a second time, as
// another instance would, and returns its webhooks service.
func apptestSecondServices(t *testing.T, h *hookEnv) *service.Webhooks {
	t.Helper()
	d, err := db.Open(h.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	svc := service.New(store.New(d.Gorm), h.clock.Now, service.DefaultConfig())
	svc.Webhooks.Guard = h.Services.Webhooks.Guard
	return svc.Webhooks
}

// A change that waits for a second moderator is news only once approved:
// the proposal changes nothing public, the approval is one update.
func TestWebhookUpdateWaitsForTheSecondModerator(t *testing.T) {
	t.Parallel()
	f := newFourEyes(t)
	h := &hookEnv{Env: f.e, clock: &hookClock{now: apptest.Now}}
	h.Services.Webhooks.Guard = &webhook.Guard{AllowLoopback: true}
	h.org = newOrganisation(t, h.Env, "Helpline Hooks")
	h.key = issueKey(t, h.Env, h.org, "webhooks", "").Key
	rc := newReceiver(t)
	ep := h.register(t, rc.URL+"/u", []string{"warning.published", "warning.updated"}, nil, nil)
	wk := h.worker(t, service.WorkerOptions{})
	t.Cleanup(wk.Stop)
	drain := func() {
		t.Helper()
		waitFor(t, "the outbox to drain", func() bool {
			if _, err := wk.Step(context.Background()); err != nil {
				t.Fatal(err)
			}
			return h.settled(t)
		})
	}
	id := f.publishAlone(t, "Farm work that never existed")
	drain()
	form := unnamedDraft("Farm work that never existed")
	form.Set("body", "Baltic Crew Agency asks for 300 euros before the trip.")
	r := f.edit(t, f.one, id, form)
	mustContain(t, loc(r), "notice=proposed")
	drain()
	if got := kinds(verified(t, ep.Secret, rc.at("/u"), h.clock.Now())); !slices.Equal(got, []string{fmt.Sprintf("warning.published %d", id)}) {
		t.Fatalf("before the approval: %v", got)
	}
	rev := f.pendingRevision(t, id)
	wantStatus(t, f.state(t, f.two, id, url.Values{"action": {"approve"}, "revision": {fmt.Sprint(rev)}}), http.StatusSeeOther)
	drain()
	want := []string{fmt.Sprintf("warning.published %d", id), fmt.Sprintf("warning.updated %d", id)}
	if got := kinds(verified(t, ep.Secret, rc.at("/u"), h.clock.Now())); !slices.Equal(got, want) {
		t.Errorf("after the approval: %v, want %v", got, want)
	}
}

// A member's report waits in the queue: report.published goes out when a
// moderator approves it, never for a rejected one.
func TestWebhookReportPublishedWhenAModeratorApprovesIt(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	ep := h.register(t, rc.URL+"/r", []string{"report.published"}, []string{"UA"}, []string{"en"})
	wk := h.worker(t, service.WorkerOptions{})
	t.Cleanup(wk.Stop)
	drain := func() {
		t.Helper()
		waitFor(t, "the outbox to drain", func() bool {
			if _, err := wk.Step(context.Background()); err != nil {
				t.Fatal(err)
			}
			return h.settled(t)
		})
	}
	member, _ := h.Member(t, "hooks_reporter", model.RoleMember, nil, nil)
	_, mod := h.Member(t, "hooks_queue_mod", model.RoleModerator, []string{"en"}, []string{"UA", "PL"})
	kept, r := postReport(t, member, reportForm("A fee for a warehouse job"))
	wantStatus(t, r, http.StatusSeeOther)
	dropped, r := postReport(t, member, reportForm("Another fee for a farm job"))
	wantStatus(t, r, http.StatusSeeOther)
	drain()
	if len(rc.at("/r")) != 0 {
		t.Fatal("a pending report was announced")
	}
	ctx := context.Background()
	if err := h.Services.Moderation.Approve(ctx, &mod, service.Decision{Kind: "report", ID: kept}); err != nil {
		t.Fatal(err)
	}
	if err := h.Services.Moderation.Reject(ctx, &mod, service.Decision{Kind: "report", ID: dropped, Reason: "Not about trafficking."}); err != nil {
		t.Fatal(err)
	}
	drain()
	got := verified(t, ep.Secret, rc.at("/r"), h.clock.Now())
	if len(got) != 1 || got[0].Type != "report.published" || got[0].Data.ID != kept || got[0].Data.URL != fmt.Sprintf("%s/en/reports/%d", apptest.BaseURL, kept) ||
		got[0].Data.Title != "A fee for a warehouse job" || !slices.Equal(got[0].Data.Countries, []string{"PL", "UA"}) {
		t.Errorf("announced: %+v", got)
	}
}

// An endpoint deleted while a message to it is in flight: the attempt
// finds nothing to record, and the other endpoints' deliveries go on.
func TestWebhookEndpointDeletedDuringADelivery(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	rc := newReceiver(t)
	release := make(chan struct{})
	rc.answer = func(w http.ResponseWriter, r *http.Request, _ int) bool {
		if r.URL.Path == "/gone" {
			<-release
		}
		return false
	}
	gone := h.register(t, rc.URL+"/gone", []string{"warning.published"}, nil, nil)
	h.register(t, rc.URL+"/stays", []string{"warning.published"}, nil, nil)
	h.Warning(t)
	h.start(t, service.WorkerOptions{})
	waitFor(t, "both requests", func() bool { return len(rc.at("/gone")) == 1 && len(rc.at("/stays")) == 1 })
	wantStatus(t, h.apiCall(t, http.MethodDelete, fmt.Sprintf("/api/v1/webhooks/%d", gone.ID), "", h.key), http.StatusNoContent)
	close(release)
	h.Warning(t)
	waitFor(t, "the next message to the endpoint that stays", func() bool { return len(rc.at("/stays")) == 2 && h.settled(t) })
	if n := h.Count(t, "webhook_attempts", "endpoint_id = ?", gone.ID); n != 0 {
		t.Errorf("%d log lines of a deleted endpoint", n)
	}
	if n := h.Count(t, "webhook_attempts", "1 = 1"); n != 2 {
		t.Errorf("%d log lines, want 2", n)
	}
}

// TestWebhookDeleteIsAllowedFromAnotherOrigin checks that a partner's
// browser tool may delete an endpoint: the CORS preflight of DELETE names
// it among the allowed methods.
func TestWebhookDeleteIsAllowedFromAnotherOrigin(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	req, _ := http.NewRequest(http.MethodOptions, "/api/v1/webhooks/1", nil)
	req.Header.Set("Origin", "https://partner.example")
	req.Header.Set("Access-Control-Request-Method", http.MethodDelete)
	req.Header.Set("Access-Control-Request-Headers", "authorization")
	r := e.Do(t, req)
	if allowed := r.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(allowed, http.MethodDelete) {
		t.Errorf("preflight of DELETE: status %d, Access-Control-Allow-Methods %q", r.StatusCode, allowed)
	}
}

// The admin list of endpoints comes in pages, walked with links; a bad
// page number is a localised 400.
func TestAdminWebhooksPageIsPaged(t *testing.T) {
	t.Parallel()
	h := newHookEnv(t)
	admin, _ := h.Member(t, "hooks_pager_admin", model.RoleAdmin, nil, nil)
	total := service.AdminEndpointsPerPage + 5
	for i := 1; i <= total; i++ {
		apptest.Must(t, h.DB.Gorm.Exec("INSERT INTO webhook_endpoints (organisation_id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)",
			h.org, fmt.Sprintf("https://hooks.example/endpoint-%03d", i), "whsec_test", "warning.published", apptest.Now))
	}
	shown := func(body string) []int {
		var out []int
		for i := 1; i <= total; i++ {
			if strings.Contains(body, fmt.Sprintf("endpoint-%03d<", i)) {
				out = append(out, i)
			}
		}
		return out
	}
	first := admin.Get(t, "/en/admin/webhooks")
	wantStatus(t, first, http.StatusOK)
	if got := shown(first.Body); len(got) != service.AdminEndpointsPerPage || got[0] != 1 {
		t.Errorf("first page shows %v", got)
	}
	mustContain(t, first.Body, `rel="next" href="/en/admin/webhooks?page=2"`)
	mustNotContain(t, first.Body, `rel="prev"`)
	second := admin.Get(t, "/en/admin/webhooks?page=2")
	wantStatus(t, second, http.StatusOK)
	if got := shown(second.Body); len(got) != 5 || got[0] != service.AdminEndpointsPerPage+1 {
		t.Errorf("second page shows %v", got)
	}
	mustContain(t, second.Body, `rel="prev" href="/en/admin/webhooks"`)
	mustNotContain(t, second.Body, `rel="next"`)
	for _, p := range []string{"0", "-1", "abc", "99999999999"} {
		r := admin.Get(t, "/fr/admin/webhooks?page="+p)
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("page=%s: %d, want 400", p, r.StatusCode)
		}
	}
	member, _ := h.Member(t, "hooks_pager_member", model.RoleMember, nil, nil)
	if r := member.Get(t, "/en/admin/webhooks?page=2"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a member gets page 2: %d", r.StatusCode)
	}
}
