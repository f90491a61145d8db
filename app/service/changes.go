package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// Change feed bounds.
const (
	// DefaultChangesPageSize and MaxChangesPageSize bound a page of changes.
	DefaultChangesPageSize = 50
	MaxChangesPageSize     = 200
	// MaxChangeTokenAge is how long a change token is honoured: a partner
	// who has not polled for longer starts a full sync.
	MaxChangeTokenAge = 180 * 24 * time.Hour
	// changeTokenSkew is how far in the future a token's time may lie
	// (clocks of several instances).
	changeTokenSkew = 5 * time.Minute
)

// Kinds of change, as the feed names them: the warning's state now.
const (
	ChangePublished = "published"
	ChangeExpired   = "expired"
	ChangeRetracted = "retracted"
)

// Changes is the change feed of public warnings, for partners who keep an
// exact copy: every publication, edit, retraction and expiry after a
// token, once, in a stable order.
//
// The feed reads two sources. Writes move a warning's row in the change
// log (triggers, see migrations/*/00015_warning_changes.sql). Expiry
// happens by time, not by a write, so it is computed: a token carries, as
// well as a log position P, the time T up to which expiries were served;
// the next page serves first the warnings that expired in (T, now] and
// whose last change is at or before P (the partner saw them unexpired),
// then the log after P, each warning in its state at now, and hands out
// (P', now). A warning changed after P is served by the log, already
// expired when it is; one served before its expiry comes back once, as an
// expiry, in the first window that holds its expiry time. So each change
// is served once, and a page cached by the page cache stays consistent
// with the token it hands out.
type Changes struct {
	warnings *Warnings
	key      []byte
}

// NewChanges returns the change feed; secret keys the HMAC that signs its
// tokens (a random key when empty: tokens then last until a restart).
func NewChanges(warnings *Warnings, secret string) *Changes {
	mac := hmac.New(sha256.New, []byte(secret))
	if secret == "" {
		var random [32]byte
		_, _ = rand.Read(random[:])
		mac = hmac.New(sha256.New, random[:])
	}
	mac.Write([]byte("forewarn change token v1"))
	return &Changes{warnings: warnings, key: mac.Sum(nil)}
}

// ChangesQuery is a request for a page of changes, as received: raw text,
// validated here.
type ChangesQuery struct {
	// Since is the token of the previous page; empty starts a full sync.
	Since string
	Limit string
	// Lang is the reader's language, as for warnings.
	Lang string
}

// Change is one changed warning: its state now (Detail), or for a
// retracted warning only the tombstone fields of Detail (ID, RetractedAt,
// RetractionReason) are meant to be shown.
type Change struct {
	Kind   string
	Detail WarningDetail
}

// ChangePage is one page of the change feed.
type ChangePage struct {
	Items []Change
	// Next is the token to ask for the changes after this page.
	Next string
	// More is true when more changes may wait right now.
	More bool
}

// changeToken is the state a partner holds between polls.
type changeToken struct {
	// pos is the position in the change log served up to.
	pos int64
	// expiredUntil and afterID: expiries up to (expiredUntil, afterID)
	// were served. The time is kept to the nanosecond, as stored, so that
	// the last expiry served compares equal to it.
	expiredUntil time.Time
	afterID      int64
}

const changeTokenVersion = 1

func (ch *Changes) encode(t changeToken) string {
	buf := make([]byte, 0, 1+3*binary.MaxVarintLen64+16)
	buf = append(buf, changeTokenVersion)
	buf = binary.AppendVarint(buf, t.pos)
	buf = binary.AppendVarint(buf, t.expiredUntil.UnixNano())
	buf = binary.AppendVarint(buf, t.afterID)
	mac := hmac.New(sha256.New, ch.key)
	mac.Write(buf)
	buf = append(buf, mac.Sum(nil)[:16]...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// decode reads a token made by encode; ok is false for anything else
// (garbage, a changed byte, another server's token).
func (ch *Changes) decode(s string) (changeToken, bool) {
	var t changeToken
	if len(s) > 128 {
		return t, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 1+3+16 {
		return t, false
	}
	body, sum := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, ch.key)
	mac.Write(body)
	if !hmac.Equal(sum, mac.Sum(nil)[:16]) || body[0] != changeTokenVersion {
		return t, false
	}
	rest := body[1:]
	var vals [3]int64
	for i := range vals {
		v, n := binary.Varint(rest)
		if n <= 0 {
			return t, false
		}
		vals[i], rest = v, rest[n:]
	}
	if len(rest) != 0 || vals[0] < 0 || vals[2] < 0 {
		return t, false
	}
	t.pos, t.expiredUntil, t.afterID = vals[0], time.Unix(0, vals[1]).UTC(), vals[2]
	return t, true
}

// Page validates q and returns the page of changes it asks for. A token
// that is not one of ours, or older than MaxChangeTokenAge, is an
// apperr.Invalid on "since" whose key tells the partner to start a full
// sync.
func (ch *Changes) Page(ctx context.Context, q ChangesQuery) (ChangePage, error) {
	now := ch.warnings.now().UTC().Truncate(time.Microsecond)
	var errs apperr.Invalids
	limit := DefaultChangesPageSize
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > MaxChangesPageSize {
			errs = append(errs, &apperr.Invalid{Field: "limit", Key: "error.limit.invalid", Args: map[string]any{"Max": MaxChangesPageSize}})
		}
		limit = n
	}
	var tok changeToken
	if q.Since != "" {
		var ok bool
		switch tok, ok = ch.decode(q.Since); {
		case !ok || tok.expiredUntil.After(now.Add(changeTokenSkew)):
			errs = append(errs, &apperr.Invalid{Field: "since", Key: "error.changes.token_invalid"})
		case tok.expiredUntil.Before(now.Add(-MaxChangeTokenAge)):
			errs = append(errs, &apperr.Invalid{Field: "since", Key: "error.changes.token_expired"})
		}
	}
	if err := errs.Err(); err != nil {
		return ChangePage{}, err
	}
	// The change log and the warnings' rows are read in one snapshot, so
	// that a warning changed meanwhile is served in the state of its
	// position, never a newer one (which its next position would serve
	// again). Categories and report counts, read through the pool and
	// kept per content version, are read outside it: a snapshot holds a
	// connection of the pool for its whole read.
	if _, err := ch.warnings.allCategories(ctx); err != nil {
		return ChangePage{}, err
	}
	page := ChangePage{}
	var (
		rows []model.Warning
		read snapshotRows
	)
	err := ch.warnings.store.Snapshot(ctx, func(st *store.Store) error {
		expiries, err := st.ExpiriesBetween(ctx, tok.pos, tok.expiredUntil, tok.afterID, now, limit)
		if err != nil {
			return err
		}
		rows = expiries
		next := tok
		if len(expiries) == limit {
			last := expiries[len(expiries)-1]
			next.expiredUntil, next.afterID = last.ExpiresAt.UTC(), last.ID
			page.More = true
		} else {
			changed, err := st.ChangesAfter(ctx, tok.pos, limit-len(expiries)+1)
			if err != nil {
				return err
			}
			if len(changed) > limit-len(expiries) {
				changed, page.More = changed[:limit-len(expiries)], true
			}
			for _, c := range changed {
				rows = append(rows, c.Warning)
				next.pos = c.Seq
			}
			next.expiredUntil, next.afterID = now, 0
		}
		page.Next = ch.encode(next)
		if len(rows) == 0 {
			return nil
		}
		read, err = readSnapshotRows(ctx, st, rows)
		return err
	})
	if err != nil {
		return ChangePage{}, fmt.Errorf("changes: %w", err)
	}
	if page.Items, err = ch.warnings.changeDetails(ctx, read, rows, langOf(q.Lang), now); err != nil {
		return ChangePage{}, err
	}
	return page, nil
}

// snapshotRows are the rows summaries read of some warnings, read in one
// snapshot; it serves them as a warningReader.
type snapshotRows struct {
	texts      []model.WarningTranslation
	countries  map[int64][]model.WarningCountry
	orgs       map[int64]model.Organisation
	indicators map[int64][]store.LinkedIndicator
}

func readSnapshotRows(ctx context.Context, st *store.Store, rows []model.Warning) (snapshotRows, error) {
	var (
		r      snapshotRows
		err    error
		ids    = make([]int64, len(rows))
		orgIDs []int64
	)
	for i, w := range rows {
		ids[i] = w.ID
		if w.OrganisationID != nil {
			orgIDs = append(orgIDs, *w.OrganisationID)
		}
	}
	if r.texts, err = st.WarningFullTexts(ctx, ids); err != nil {
		return r, err
	}
	if r.countries, err = st.WarningCountries(ctx, ids); err != nil {
		return r, err
	}
	if r.orgs, err = st.OrganisationsByID(ctx, orgIDs); err != nil {
		return r, err
	}
	r.indicators, err = st.WarningIndicators(ctx, ids)
	return r, err
}

func (r snapshotRows) WarningTexts(context.Context, []int64) ([]model.WarningTranslation, error) {
	return r.texts, nil
}

func (r snapshotRows) WarningCountries(context.Context, []int64) (map[int64][]model.WarningCountry, error) {
	return r.countries, nil
}

func (r snapshotRows) OrganisationsByID(context.Context, []int64) (map[int64]model.Organisation, error) {
	return r.orgs, nil
}

func (r snapshotRows) WarningIndicators(context.Context, []int64) (map[int64][]store.LinkedIndicator, error) {
	return r.indicators, nil
}

// changeDetails builds from read the state of rows at now as the warning
// API shows them.
func (ws *Warnings) changeDetails(ctx context.Context, read snapshotRows, rows []model.Warning, lang string, now time.Time) ([]Change, error) {
	if len(rows) == 0 {
		return []Change{}, nil
	}
	texts := read.texts
	sums, err := ws.summariesFrom(ctx, read, rows, lang, true, texts, nil)
	if err != nil {
		return nil, err
	}
	byWarning := make(map[int64][]model.WarningTranslation, len(rows))
	for _, t := range texts {
		byWarning[t.WarningID] = append(byWarning[t.WarningID], t)
	}
	out := make([]Change, len(rows))
	for i, w := range rows {
		d := WarningDetail{WarningSummary: sums[i], RetractedAt: w.RetractedAt, RetractionReason: w.RetractionReason}
		// The state at now, the time the token carries, not at the
		// moment of this loop.
		d.Expired = w.Expired(now)
		for _, t := range byWarning[w.ID] {
			if t.Lang == d.TextLang {
				d.Body, d.WhatToDo = t.Body, t.WhatToDo
			}
		}
		if d.BodyHTML, err = ws.markdown.render(d.Body); err != nil {
			return nil, fmt.Errorf("changes: warning %d: %w", w.ID, err)
		}
		switch {
		case w.Status == model.WarningRetracted:
			out[i] = Change{Kind: ChangeRetracted, Detail: WarningDetail{WarningSummary: WarningSummary{ID: w.ID, Status: w.Status}, RetractedAt: w.RetractedAt, RetractionReason: w.RetractionReason}}
			continue
		case d.Expired:
			out[i].Kind = ChangeExpired
		default:
			out[i].Kind = ChangePublished
		}
		out[i].Detail = d
	}
	return out, nil
}
