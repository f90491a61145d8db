package service

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Idempotency-Key rules: an answer is replayed for idempotencyTTL; a
// request left "in progress" longer than idempotencyAbandoned (its
// instance stopped mid-way) no longer blocks a retry.
const (
	idempotencyTTL       = 24 * time.Hour
	idempotencyAbandoned = 5 * time.Minute
	idempotencySweep     = 10 * time.Minute
	maxIdempotencyKeyLen = 255
)

// Submissions holds the rules of reports that partner organisations' apps
// send with an API key of scope submit: they are created as guest reports
// are (Forum.createReport), wait for a moderator, and are attributed to
// the key and its organisation, which may follow their state.
type Submissions struct {
	store *store.Store
	forum *Forum
	now   func() time.Time
	// swept is when this process last deleted expired Idempotency-Key rows
	// (Unix nanoseconds).
	swept atomic.Int64
}

// Submitted is the answer to a submission: the report's ID, and for a
// request sent again with its Idempotency-Key, the answer stored for the
// first one (Replayed).
type Submitted struct {
	ID       int64
	Replayed bool
	Status   int
	Response []byte
	Location string
}

// Idempotency is a request's Idempotency-Key and the hash of the request
// (see RequestHash); Key is "" without the header.
type Idempotency struct {
	Key  string
	Hash string
}

// RequestHash is the hash of a request that an Idempotency-Key compares:
// its method, path and body bytes.
func RequestHash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + "\n" + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// CheckIdempotencyKey validates the value of an Idempotency-Key header: 1
// to 255 printable ASCII characters.
func CheckIdempotencyKey(key string) error {
	if key == "" || len(key) > maxIdempotencyKeyLen {
		return &apperr.Invalid{Field: "Idempotency-Key", Key: "error.idempotency.key", Args: map[string]any{"Max": maxIdempotencyKeyLen}}
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return &apperr.Invalid{Field: "Idempotency-Key", Key: "error.idempotency.key", Args: map[string]any{"Max": maxIdempotencyKeyLen}}
		}
	}
	return nil
}

// Submit creates the report a partner's app sends with the key in ctx,
// which needs the submit scope; answer words the answer to it. With an
// Idempotency-Key, the first request reserves the key ("in progress",
// decided by a unique constraint) and its answer is stored in the report's
// transaction; a retry of the same request gets it back for 24 hours. A
// retry with another request is apperr.ErrIdempotencyMismatch, one while
// the first is still served apperr.ErrIdempotencyInProgress. A request
// that fails leaves nothing, so its retry is served afresh.
func (s *Submissions) Submit(ctx context.Context, idem Idempotency, in ReportInput, answer func(Posted) (status int, response []byte, location string, err error)) (Submitted, error) {
	key, err := RequireScope(ctx, ScopeSubmit)
	if err != nil {
		return Submitted{}, err
	}
	s.sweep(ctx)
	var out Submitted
	var reserved *model.IdempotencyKey
	if idem.Key != "" {
		if err := CheckIdempotencyKey(idem.Key); err != nil {
			return Submitted{}, err
		}
		row, replay, err := s.reserve(ctx, key.ID, idem)
		if err != nil || replay {
			return Submitted{Replayed: replay, Status: row.Status, Response: []byte(row.Response), Location: row.Location}, err
		}
		reserved = &row
	}
	// The answer is stored in the report's own transaction: a report never
	// exists without the answer its retry gets back.
	_, err = s.forum.createReport(ctx, nil, &key, in, func(tx *store.Store, p Posted) error {
		status, body, location, err := answer(p)
		if err != nil {
			return err
		}
		out = Submitted{ID: p.ID, Status: status, Response: body, Location: location}
		if reserved == nil {
			return nil
		}
		return tx.CompleteIdempotencyKey(ctx, reserved.ID, status, string(body), location)
	})
	if err != nil && reserved != nil {
		// Nothing was created: the key is released, and a retry is served
		// afresh.
		if derr := s.store.DeleteIdempotencyKey(context.WithoutCancel(ctx), reserved.ID); derr != nil {
			return Submitted{}, errors.Join(err, derr)
		}
	}
	if err != nil {
		return Submitted{}, err
	}
	return out, nil
}

// reserve inserts the "in progress" row of idem for the key keyID, or
// returns the stored answer to replay.
func (s *Submissions) reserve(ctx context.Context, keyID int64, idem Idempotency) (model.IdempotencyKey, bool, error) {
	now := s.now()
	row := model.IdempotencyKey{APIKeyID: keyID, IdempotencyKey: idem.Key, RequestHash: idem.Hash, CreatedAt: now}
	for attempt := 0; attempt < 3; attempt++ {
		err := s.store.CreateIdempotencyKey(ctx, &row)
		if err == nil {
			return row, false, nil
		}
		if !errors.Is(err, apperr.ErrConflict) {
			return row, false, fmt.Errorf("submit: %w", err)
		}
		old, err := s.store.IdempotencyKey(ctx, keyID, idem.Key)
		if errors.Is(err, apperr.ErrNotFound) {
			continue // deleted meanwhile: insert again
		}
		if err != nil {
			return row, false, fmt.Errorf("submit: %w", err)
		}
		renewed, err := s.store.RenewIdempotencyKey(ctx, old.ID, idem.Hash, now, now.Add(-idempotencyTTL), now.Add(-idempotencyAbandoned))
		if err != nil {
			return row, false, fmt.Errorf("submit: %w", err)
		}
		switch {
		case renewed:
			old.RequestHash, old.Status, old.Response, old.Location, old.CreatedAt = idem.Hash, 0, "", "", now
			return old, false, nil
		case old.RequestHash != idem.Hash:
			return row, false, fmt.Errorf("submit: key %d: %w", keyID, apperr.ErrIdempotencyMismatch)
		case old.Status == 0:
			return row, false, fmt.Errorf("submit: key %d: %w", keyID, apperr.ErrIdempotencyInProgress)
		}
		return old, true, nil
	}
	return row, false, fmt.Errorf("submit: key %d: %w", keyID, apperr.ErrIdempotencyInProgress)
}

// sweep deletes the expired Idempotency-Key rows, at most once per
// idempotencySweep in this process; a failure is left for the next one.
func (s *Submissions) sweep(ctx context.Context) {
	now := s.now()
	last := s.swept.Load()
	if now.UnixNano()-last < int64(idempotencySweep) || !s.swept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	_, _ = s.store.DeleteIdempotencyKeysBefore(ctx, now.Add(-idempotencyTTL))
}

// Submission is the state of a report an organisation sent, as the
// organisation may see it.
type Submission struct {
	ID           int64
	Status       model.PostStatus
	RejectReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// SubmissionList is one page of an organisation's submissions.
type SubmissionList struct {
	Items      []Submission
	NextCursor string
}

// List returns a page of the submissions of the organisation of the key in
// ctx (scope submit), newest first; cursor continues a page.
func (s *Submissions) List(ctx context.Context, cursor, limit string) (SubmissionList, error) {
	key, err := RequireScope(ctx, ScopeSubmit)
	if err != nil {
		return SubmissionList{}, err
	}
	var errs apperr.Invalids
	n := DefaultPageSize
	if limit != "" {
		v, err := strconv.Atoi(limit)
		if err != nil || v < 1 || v > MaxPageSize {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": MaxPageSize}})
		}
		n = v
	}
	var before int64
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err == nil && len(cursor) <= 32 {
			before, err = strconv.ParseInt(strings.TrimPrefix(string(raw), "s"), 10, 64)
		}
		if err != nil || before <= 0 || len(cursor) > 32 || !strings.HasPrefix(string(raw), "s") {
			errs = append(errs, &apperr.Invalid{Field: "cursor", Key: "error.cursor.invalid"})
		}
	}
	if err := errs.Err(); err != nil {
		return SubmissionList{}, err
	}
	rows, err := s.store.SubmissionsOf(ctx, key.OrganisationID, before, n+1)
	if err != nil {
		return SubmissionList{}, fmt.Errorf("list submissions: %w", err)
	}
	var out SubmissionList
	if len(rows) > n {
		rows = rows[:n]
		out.NextCursor = base64.RawURLEncoding.EncodeToString([]byte("s" + strconv.FormatInt(rows[n-1].ID, 10)))
	}
	for _, r := range rows {
		out.Items = append(out.Items, submissionOf(r))
	}
	return out, nil
}

// Get returns one submission of the organisation of the key in ctx (scope
// submit); another organisation's report, or one sent by no organisation,
// is apperr.ErrNotFound, as if it did not exist.
func (s *Submissions) Get(ctx context.Context, id int64) (Submission, error) {
	key, err := RequireScope(ctx, ScopeSubmit)
	if err != nil {
		return Submission{}, err
	}
	r, err := s.store.Submission(ctx, key.OrganisationID, id)
	if err != nil {
		return Submission{}, fmt.Errorf("get submission: %w", err)
	}
	return submissionOf(r), nil
}

// submissionOf tells a partner no more than the state of its report: a
// locked report is public, so "published"; the reason of a rejection.
func submissionOf(r model.Report) Submission {
	sub := Submission{ID: r.ID, Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Status == model.PostLocked {
		sub.Status = model.PostPublished
	}
	if r.Status == model.PostRejected {
		sub.RejectReason = r.RejectReason
	}
	return sub
}
