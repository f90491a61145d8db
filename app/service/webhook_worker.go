package service

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
	"forewarn/app/webhook"
)

// WorkerOptions tune the webhook worker; zero values take the defaults.
type WorkerOptions struct {
	// BaseURL is the site's public origin, for the links in payloads.
	BaseURL string
	// Owner names this worker's leases; random when empty.
	Owner string
	// Concurrency bounds the deliveries in flight (16), PerEndpoint those
	// to one endpoint (4), so that a slow endpoint never takes every slot.
	Concurrency int
	PerEndpoint int
	// Poll is how often the outbox and the due deliveries are looked at (1 s).
	Poll time.Duration
	// Timeout bounds one attempt (10 s); Lease is how long a claimed
	// delivery is this worker's (Timeout + 50 s).
	Timeout time.Duration
	Lease   time.Duration
	// A delivery fails for good after MaxAttempts attempts (15) once
	// RetryFor (24 h) has passed since it was queued; its endpoint is then
	// disabled.
	MaxAttempts int
	RetryFor    time.Duration
	// Backoff is the wait after the nth failed attempt; by default
	// exponential from 5 s, capped at 6 h, with full jitter.
	Backoff func(attempt int) time.Duration
	// SweepEvery is how often expiries are looked for (30 s).
	SweepEvery time.Duration
	// Now is the clock of leases and retries; time.Now when nil.
	Now func() time.Time
	Log *slog.Logger
	// Client sends the deliveries; by default the Guard's client.
	Client *http.Client
}

// Backoff defaults.
const (
	backoffBase = 5 * time.Second
	backoffCap  = 6 * time.Hour
)

// FullJitterBackoff is the default Backoff: a random wait between 0 and
// min(cap, base·2^(attempt-1)).
func FullJitterBackoff(attempt int) time.Duration {
	d := backoffCap
	if attempt < 20 {
		d = min(backoffCap, backoffBase<<max(attempt-1, 0))
	}
	return time.Duration(mrand.Int64N(int64(d) + 1))
}

// Worker fans the outbox out into deliveries and sends them. Any number
// of workers (instances) may share a database: a lease in the database
// makes one of them send a given delivery at a time.
type Worker struct {
	hooks *Webhooks
	o     WorkerOptions
	log   *slog.Logger

	cancel context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup
	wake   chan struct{}
	// results carries finished attempts to the one goroutine that records
	// them, several to a transaction: the worker uses a couple of
	// database connections however many deliveries are in flight.
	results  chan attemptResult
	recorded chan struct{}
	stopOnce sync.Once

	mu        sync.Mutex
	inflight  map[int64]int // per endpoint
	total     int
	lastSwep  time.Time
	lastPurge time.Time
}

// NewWorker returns a worker; Start starts it.
func (w *Webhooks) NewWorker(o WorkerOptions) *Worker {
	if o.Owner == "" {
		o.Owner, _ = newMessageID()
		o.Owner = strings.TrimPrefix(o.Owner, "msg_")
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.PerEndpoint <= 0 {
		o.PerEndpoint = 4
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = o.Timeout + 50*time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 15
	}
	if o.RetryFor == 0 {
		o.RetryFor = 24 * time.Hour
	}
	if o.Backoff == nil {
		o.Backoff = FullJitterBackoff
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.Client == nil {
		o.Client = w.Guard.Client(o.Timeout)
	}
	wk := &Worker{hooks: w, o: o, log: o.Log.With("worker", "webhooks"), inflight: map[int64]int{}, wake: make(chan struct{}, 1),
		results: make(chan attemptResult, o.Concurrency), recorded: make(chan struct{})}
	go wk.record()
	return wk
}

// Start runs the worker until Stop or until ctx ends.
func (wk *Worker) Start(ctx context.Context) {
	ctx, wk.cancel = context.WithCancel(ctx)
	wk.done = make(chan struct{})
	go func() {
		defer close(wk.done)
		wk.run(ctx)
	}()
}

// Stop stops the worker and waits for it: attempts in flight are cut off
// and their leases given back, without counting as attempts; attempts
// made are recorded. A worker never started (driven by Step) is stopped
// the same way.
func (wk *Worker) Stop() {
	wk.stopOnce.Do(func() {
		if wk.cancel != nil {
			wk.cancel()
			<-wk.done
		}
		wk.wg.Wait()
		close(wk.results)
		<-wk.recorded
	})
}

func (wk *Worker) run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-wk.wake:
		}
		busy, err := wk.Step(ctx)
		if err != nil && ctx.Err() == nil {
			wk.log.Warn("webhook worker", "err", err)
		}
		wait := wk.o.Poll
		if busy {
			wait = 0
		}
		timer.Reset(wait)
	}
}

// Step does one round: sweeps expiries when due, fans the outbox out and
// starts the due deliveries there is room for. busy reports that more
// work may wait right now. Safe to call while the worker runs.
func (wk *Worker) Step(ctx context.Context) (busy bool, err error) {
	now := wk.o.Now()
	wk.mu.Lock()
	sweep := now.Sub(wk.lastSwep) >= wk.o.SweepEvery || now.Before(wk.lastSwep)
	purge := false
	if sweep {
		wk.lastSwep = now
		if purge = now.Sub(wk.lastPurge) >= webhookPurgeEvery || now.Before(wk.lastPurge); purge {
			wk.lastPurge = now
		}
	}
	wk.mu.Unlock()
	if purge {
		if err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error { return tx.PurgeWebhooks(ctx, now.Add(-webhookLogKept)) }); err != nil {
			return false, fmt.Errorf("purge webhook log: %w", err)
		}
	}
	if sweep {
		if err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error {
			_, err := tx.SweepWebhookExpiries(ctx, now)
			return err
		}); err != nil {
			return false, fmt.Errorf("sweep expiries: %w", err)
		}
	}
	n, err := wk.fanOut(ctx)
	if err != nil {
		return false, err
	}
	started, full, err := wk.claim(ctx)
	return n == fanOutBatch || (started > 0 && !full), err
}

const fanOutBatch = 100

// The delivery log is kept 30 days; it is purged once a day.
const (
	webhookLogKept    = 30 * 24 * time.Hour
	webhookPurgeEvery = 24 * time.Hour
)

// fanOut turns a batch of the outbox into deliveries, in one transaction.
func (wk *Worker) fanOut(ctx context.Context) (int, error) {
	var n int
	err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error {
		events, err := tx.WaitingWebhookEvents(ctx, fanOutBatch)
		if err != nil || len(events) == 0 {
			return err
		}
		n = len(events)
		endpoints, err := tx.ActiveWebhookEndpoints(ctx)
		if err != nil {
			return err
		}
		now := wk.o.Now()
		// An update of a warning already waiting in this batch as
		// published or updated is the same news.
		told := map[int64]bool{}
		var deliveries []model.WebhookDelivery
		for _, ev := range events {
			if ev.Type == EventWarningUpdated && told[ev.SubjectID] {
				if err := tx.MarkWebhookEvent(ctx, ev.ID, ""); err != nil {
					return err
				}
				continue
			}
			if strings.HasPrefix(ev.Type, "warning.") {
				told[ev.SubjectID] = ev.Type == EventWarningPublished || ev.Type == EventWarningUpdated
			}
			body, subject, ok, err := wk.payload(ctx, tx, ev, now)
			if err != nil {
				return err
			}
			if ok {
				for _, e := range endpoints {
					if ev.ID <= e.AfterEvent || !subject.matches(e, ev.Type) {
						continue
					}
					msg, err := newMessageID()
					if err != nil {
						return err
					}
					deliveries = append(deliveries, model.WebhookDelivery{EndpointID: e.ID, EventID: ev.ID, MessageID: msg, State: model.DeliveryPending, NextAt: now, CreatedAt: now})
				}
			}
			if err := tx.MarkWebhookEvent(ctx, ev.ID, body); err != nil {
				return err
			}
		}
		return tx.CreateWebhookDeliveries(ctx, deliveries)
	})
	if err != nil {
		return 0, fmt.Errorf("fan out webhook events: %w", err)
	}
	return n, nil
}

// subject is what endpoints filter on.
type subject struct {
	countries []string
	langs     []string
}

func (s subject) matches(e model.WebhookEndpoint, event string) bool {
	if !slices.Contains(splitList(e.Events), event) {
		return false
	}
	if cs := splitList(e.Countries); len(cs) > 0 && !slices.ContainsFunc(s.countries, func(c string) bool { return slices.Contains(cs, c) }) {
		return false
	}
	if ls := splitList(e.Languages); len(ls) > 0 && !slices.ContainsFunc(s.langs, func(l string) bool { return slices.Contains(ls, l) }) {
		return false
	}
	return true
}

// payload builds an event's body from the warning or report as it is now;
// ok is false when it is gone or no longer public, or for an update of a
// warning that has expired.
func (wk *Worker) payload(ctx context.Context, tx *store.Store, ev model.WebhookEvent, now time.Time) (string, subject, bool, error) {
	base := strings.TrimSuffix(wk.o.BaseURL, "/")
	switch {
	case strings.HasPrefix(ev.Type, "warning."):
		w, err := tx.Warning(ctx, ev.SubjectID)
		if errors.Is(err, apperr.ErrNotFound) || (err == nil && !w.Status.Public()) {
			return "", subject{}, false, nil
		}
		if err != nil {
			return "", subject{}, false, err
		}
		// An expired warning's edits are no news: its expiry is
		// announced once, by the sweep or by the edit that moved it
		// back (migration 00030).
		if ev.Type == EventWarningUpdated && w.ExpiresAt != nil && !w.ExpiresAt.After(now) {
			return "", subject{}, false, nil
		}
		texts, err := tx.WarningTranslations(ctx, w.ID)
		if err != nil {
			return "", subject{}, false, err
		}
		countries, err := tx.WarningCountryCodes(ctx, w.ID)
		if err != nil {
			return "", subject{}, false, err
		}
		countries = uniqueSorted(countries)
		s := subject{countries: countries}
		title := ""
		for _, t := range texts {
			s.langs = append(s.langs, t.Lang)
			if t.Lang == w.Lang || title == "" {
				title = t.Title
			}
		}
		body, err := marshalPayload(ev.Type, now, map[string]any{
			"id": w.ID, "url": fmt.Sprintf("%s/w/%d", base, w.ID), "lang": w.Lang, "countries": countries, "severity": w.Severity, "title": title,
		})
		return body, s, err == nil, err
	case ev.Type == EventReportPublished:
		r, err := tx.Report(ctx, ev.SubjectID)
		if errors.Is(err, apperr.ErrNotFound) || (err == nil && r.Status != model.PostPublished) {
			return "", subject{}, false, nil
		}
		if err != nil {
			return "", subject{}, false, err
		}
		rc, err := tx.ReportCountries(ctx, []int64{r.ID})
		if err != nil {
			return "", subject{}, false, err
		}
		var countries []string
		for _, c := range rc[r.ID] {
			countries = append(countries, c.Country)
		}
		countries = uniqueSorted(countries)
		body, err := marshalPayload(ev.Type, now, map[string]any{
			"id": r.ID, "url": fmt.Sprintf("%s/%s/reports/%d", base, r.Lang, r.ID), "lang": r.Lang, "countries": countries, "title": r.Title,
		})
		return body, subject{countries: countries, langs: []string{r.Lang}}, err == nil, err
	}
	return "", subject{}, false, nil
}

func uniqueSorted(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func marshalPayload(event string, at time.Time, data map[string]any) (string, error) {
	b, err := json.Marshal(map[string]any{"type": event, "timestamp": at.UTC().Format(time.RFC3339), "data": data})
	return string(b), err
}

var messageIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newMessageID returns a random message ID, "msg_" and 128 bits.
func newMessageID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	return "msg_" + messageIDEncoding.EncodeToString(b[:]), nil
}

// claim leases the due deliveries there is room for and starts them; it
// returns how many started and whether every slot is taken.
func (wk *Worker) claim(ctx context.Context) (int, bool, error) {
	wk.mu.Lock()
	free := wk.o.Concurrency - wk.total
	var skip []int64
	for id, n := range wk.inflight {
		if n >= wk.o.PerEndpoint {
			skip = append(skip, id)
		}
	}
	wk.mu.Unlock()
	if free <= 0 {
		return 0, true, nil
	}
	now := wk.o.Now()
	var claimed []store.ClaimedDelivery
	err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error {
		var err error
		claimed, err = tx.ClaimWebhookDeliveries(ctx, wk.o.Owner, now, now.Add(wk.o.Lease), free, skip)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	var extra []int64
	started := 0
	wk.mu.Lock()
	for _, d := range claimed {
		if wk.inflight[d.EndpointID] >= wk.o.PerEndpoint {
			extra = append(extra, d.ID)
			continue
		}
		wk.inflight[d.EndpointID]++
		wk.total++
		started++
		wk.wg.Add(1)
		go wk.deliver(ctx, d)
	}
	full := wk.total >= wk.o.Concurrency
	wk.mu.Unlock()
	if len(extra) > 0 {
		if err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error { return tx.ReleaseWebhookDeliveries(ctx, wk.o.Owner, extra) }); err != nil {
			return started, full, err
		}
	}
	return started, full, nil
}

// attemptResult is a finished attempt waiting to be recorded.
type attemptResult struct {
	d        store.ClaimedDelivery
	outcome  store.DeliveryOutcome
	now      time.Time
	released bool
}

// deliver makes one attempt of d, holding no database connection while
// it waits for the receiver, and hands the result to the recorder.
func (wk *Worker) deliver(ctx context.Context, d store.ClaimedDelivery) {
	defer wk.wg.Done()
	started := time.Now()
	status, kind := wk.send(ctx, d)
	elapsed := time.Since(started)
	if ctx.Err() != nil {
		// Stopping: the attempt does not count; another worker (or this
		// one, started again) takes the delivery at once.
		wk.results <- attemptResult{d: d, released: true}
		return
	}
	now := wk.o.Now()
	attempt := d.Attempts + 1
	o := store.DeliveryOutcome{Attempt: model.WebhookAttempt{DeliveryID: d.ID, EndpointID: d.EndpointID, MessageID: d.MessageID, EventType: d.EventType,
		Attempt: attempt, StatusCode: status, Error: kind, DurationMS: elapsed.Milliseconds(), CreatedAt: now}}
	switch {
	case kind == "":
		o.Delivered = true
	case attempt >= wk.o.MaxAttempts && now.Sub(d.CreatedAt) >= wk.o.RetryFor:
		o.Final, o.DisableReason = true, DisabledFailing
	default:
		o.NextAt = now.Add(wk.o.Backoff(attempt))
	}
	wk.results <- attemptResult{d: d, outcome: o, now: now}
}

// recordBatch bounds the attempts recorded in one transaction.
const recordBatch = 64

// record writes finished attempts, as many as wait to a transaction,
// then frees their slots. It runs until Stop closes results.
func (wk *Worker) record() {
	defer close(wk.recorded)
	for first := range wk.results {
		batch := []attemptResult{first}
	more:
		for len(batch) < recordBatch {
			select {
			case r, ok := <-wk.results:
				if !ok {
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		// Recorded even while the worker stops: the attempts were made.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := wk.hooks.store.Tx(ctx, func(tx *store.Store) error {
			var released []int64
			for _, r := range batch {
				if r.released {
					released = append(released, r.d.ID)
					continue
				}
				// Each in a savepoint of its own: one that fails (its
				// endpoint deleted at that moment) loses only itself.
				if err := tx.Tx(ctx, func(tx *store.Store) error {
					_, err := tx.FinishWebhookDelivery(ctx, wk.o.Owner, r.d.ID, r.outcome, r.now)
					return err
				}); err != nil {
					wk.log.Warn("record webhook attempt", "delivery", r.d.ID, "err", err)
				}
			}
			return tx.ReleaseWebhookDeliveries(ctx, wk.o.Owner, released)
		})
		cancel()
		if err != nil {
			// The leases run out and the deliveries are tried again.
			wk.log.Warn("record webhook attempts", "attempts", len(batch), "err", err)
		}
		wk.mu.Lock()
		for _, r := range batch {
			wk.inflight[r.d.EndpointID]--
			if wk.inflight[r.d.EndpointID] <= 0 {
				delete(wk.inflight, r.d.EndpointID)
			}
			wk.total--
			if err == nil && r.outcome.DisableReason != "" {
				wk.log.Warn("webhook endpoint disabled after repeated failures", "endpoint", r.d.EndpointID, "host", hostOf(r.d.URL))
			}
		}
		wk.mu.Unlock()
		select {
		case wk.wake <- struct{}{}:
		default:
		}
	}
}

// send posts d's signed payload; it returns the answer's status (0 when
// none came) and the kind of failure ("" on a 2xx).
func (wk *Worker) send(ctx context.Context, d store.ClaimedDelivery) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, wk.o.Timeout)
	defer cancel()
	body := []byte(d.Payload)
	ts := wk.o.Now()
	sig, err := webhook.Sign(d.Secret, d.MessageID, ts, body)
	if err != nil {
		return 0, "signature"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, strings.NewReader(d.Payload))
	if err != nil {
		return 0, "invalid_url"
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Forewarn-Webhooks/1")
	req.Header.Set(webhook.HeaderID, d.MessageID)
	req.Header.Set(webhook.HeaderTimestamp, fmt.Sprint(ts.Unix()))
	req.Header.Set(webhook.HeaderSignature, sig)
	resp, err := wk.o.Client.Do(req)
	if err != nil {
		return 0, failureKind(err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return resp.StatusCode, ""
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return resp.StatusCode, "redirect"
	default:
		return resp.StatusCode, "http_status"
	}
}

// failureKind names a transport error for the log.
func failureKind(err error) string {
	var ue *webhook.URLError
	var ne net.Error
	switch {
	case errors.Is(err, webhook.ErrRefusedAddress):
		return "refused_address"
	case errors.As(err, &ue):
		return ue.Reason
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	default:
		return "connection"
	}
}
