package service

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"forewarn/app/apperr"
	"forewarn/app/model"
	"forewarn/app/store"
)

// PrefixLen is the length in bytes of the indicator prefixes an app keeps.
const PrefixLen = 8

// prefixRetention is how long a removal stays known: a client that last
// synced longer ago starts again with the full set.
const prefixRetention = 30 * 24 * time.Hour

// RangeBucket is how many hashes a range answer holds at least: the real
// ones padded with decoys, and a multiple of it when more are real.
const RangeBucket = 16

// DecoyEpoch is how long a prefix's decoys stay the same.
const DecoyEpoch = 24 * time.Hour

// IndicatorSync holds the rules of the private look-ups of indicators:
// the prefix set apps keep to match on the phone, and the padded range
// look-up that confirms a local hit. Its key signs sync tokens and derives
// decoys; nothing it serves depends on who asks.
type IndicatorSync struct {
	// reconciling lets one request of this process compute the set after
	// a change while the others wait for it, instead of all computing it.
	reconciling sync.Mutex
	// sums keeps the count and checksum of the sets at sums.seq, which
	// never change: a client's update needs them, not the whole set.
	sums struct {
		sync.Mutex
		seq int64
		of  map[setName]setSum
	}
	// whole keeps the set of every country and kind, the one a new app
	// downloads first, at one sequence: a million prefixes take seconds
	// to read and sort from the database, and a few milliseconds to bring
	// up to a later sequence from the spans that changed since.
	whole struct {
		sync.Mutex
		seq int64
		set [][PrefixLen]byte // sorted; replaced, never changed in place
	}
	store    *store.Store
	tokenKey []byte
	decoyKey []byte
	now      func() time.Time
}

// NewIndicatorSync returns the indicator look-ups of c, keyed by the
// server's secret.
func NewIndicatorSync(c *Checker, secret []byte, now func() time.Time) *IndicatorSync {
	derive := func(purpose string) []byte {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte("forewarn " + purpose))
		return mac.Sum(nil)
	}
	return &IndicatorSync{store: c.store, tokenKey: derive("prefix sync token"), decoyKey: derive("range decoys"), now: now}
}

// PrefixQuery asks for the prefix set, or its changes since a token.
type PrefixQuery struct {
	Since   string
	Country string
	Kind    string
}

// PrefixUpdate is the answer of a prefix sync. Additions and Removals are
// sorted; after removing the removals from the set of the token and adding
// the additions (or, when Full, taking the additions as the whole set), the
// client holds Count prefixes whose SHA-256 over their sorted concatenation
// is Checksum.
type PrefixUpdate struct {
	Token     string
	Full      bool
	Additions [][PrefixLen]byte
	Removals  [][PrefixLen]byte
	Count     int
	Checksum  string
}

// Prefixes returns the prefixes of the public indicators (those the range
// look-up and the indicator page show), narrowed to a country's routes or
// a kind, in full or as the changes since a token of an earlier answer.
func (s *IndicatorSync) Prefixes(ctx context.Context, q PrefixQuery) (PrefixUpdate, error) {
	var errs apperr.Invalids
	country := ""
	if q.Country != "" {
		code, ok := CountryCode(strings.ToUpper(q.Country))
		if !ok {
			errs = append(errs, &apperr.Invalid{Field: "country", Key: "error.country.unknown"})
		}
		country = code
	}
	if q.Kind != "" && !model.IndicatorKind(q.Kind).Valid() {
		errs = append(errs, &apperr.Invalid{Field: "kind", Key: "error.prefixes.kind"})
	}
	if err := errs.Err(); err != nil {
		return PrefixUpdate{}, err
	}
	st, err := s.current(ctx)
	if err != nil {
		return PrefixUpdate{}, err
	}
	since := int64(-1)
	if q.Since != "" {
		t, ok := s.openToken(q.Since, country, q.Kind)
		if !ok || t < st.Floor || t > st.Seq {
			return PrefixUpdate{}, &apperr.Invalid{Field: "since", Key: "error.prefixes.token"}
		}
		since = t
	}
	out := PrefixUpdate{Token: s.token(st.Seq, country, q.Kind), Full: since < 0}
	name := setName{country, q.Kind}
	sum, known := s.sum(st.Seq, name)
	if out.Full || !known {
		all, err := s.set(ctx, name, st)
		if err != nil {
			return PrefixUpdate{}, err
		}
		sum = setSum{count: len(all), checksum: PrefixChecksum(all)}
		s.keepSum(st.Seq, name, sum)
		out.Additions = all
	}
	out.Count, out.Checksum = sum.count, sum.checksum
	if out.Full {
		return out, nil
	}
	out.Additions = nil
	spans, err := s.store.PrefixSpansSince(ctx, country, q.Kind, since, st.Seq)
	if err != nil {
		return PrefixUpdate{}, fmt.Errorf("prefixes: %w", err)
	}
	adds, removes := spanChanges(spans, since, st.Seq)
	if out.Additions, err = decodePrefixes(adds); err != nil {
		return PrefixUpdate{}, err
	}
	if out.Removals, err = decodePrefixes(removes); err != nil {
		return PrefixUpdate{}, err
	}
	return out, nil
}

// set returns the prefixes of a set at st.Seq, sorted. The set of every
// country and kind comes from whole, brought up to st.Seq from the spans
// that changed since it was kept (or read whole when it was kept before
// the floor, or never); the others are read from the database.
func (s *IndicatorSync) set(ctx context.Context, name setName, st store.PrefixState) ([][PrefixLen]byte, error) {
	if name != (setName{}) {
		return s.readSet(ctx, name, st.Seq)
	}
	s.whole.Lock()
	defer s.whole.Unlock()
	switch {
	case s.whole.set != nil && s.whole.seq == st.Seq:
		return s.whole.set, nil
	case s.whole.set != nil && s.whole.seq >= st.Floor && s.whole.seq < st.Seq:
		spans, err := s.store.PrefixSpansSince(ctx, "", "", s.whole.seq, st.Seq)
		if err != nil {
			return nil, fmt.Errorf("prefixes: %w", err)
		}
		adds, removes := spanChanges(spans, s.whole.seq, st.Seq)
		a, err := decodePrefixes(adds)
		if err != nil {
			return nil, err
		}
		r, err := decodePrefixes(removes)
		if err != nil {
			return nil, err
		}
		s.whole.set, s.whole.seq = applyPrefixChanges(s.whole.set, a, r), st.Seq
		return s.whole.set, nil
	}
	set, err := s.readSet(ctx, name, st.Seq)
	if err != nil {
		return nil, err
	}
	if s.whole.set == nil || s.whole.seq < st.Seq {
		s.whole.set, s.whole.seq = set, st.Seq
	}
	return set, nil
}

// readSet reads a set at seq from the database.
func (s *IndicatorSync) readSet(ctx context.Context, name setName, seq int64) ([][PrefixLen]byte, error) {
	set, err := s.store.PrefixSet(ctx, name.country, name.kind, seq)
	if err != nil {
		return nil, fmt.Errorf("prefixes: %w", err)
	}
	return decodePrefixes(set)
}

// applyPrefixChanges returns the sorted set with removes taken out and
// adds put in: removes are in set, adds are not, both sorted.
func applyPrefixChanges(set, adds, removes [][PrefixLen]byte) [][PrefixLen]byte {
	out := make([][PrefixLen]byte, 0, len(set)+len(adds)-len(removes))
	j, k := 0, 0
	for _, p := range set {
		for j < len(adds) && bytes.Compare(adds[j][:], p[:]) < 0 {
			out = append(out, adds[j])
			j++
		}
		if k < len(removes) && removes[k] == p {
			k++
			continue
		}
		out = append(out, p)
	}
	return append(out, adds[j:]...)
}

// reconcileTimeout bounds a reconciliation, which goes on when the
// request that started it gives up.
const reconcileTimeout = 10 * time.Minute

// current brings the prefix set up to the content and returns its state.
// One reconciliation of this process runs at a time, the others wait for
// it and then find little or nothing left to do. It runs on when the
// request gives up, so that a long first build (after the migration every
// indicator is marked) ends however many requests time out meanwhile; each
// of its steps is kept.
func (s *IndicatorSync) current(ctx context.Context) (store.PrefixState, error) {
	type result struct {
		st  store.PrefixState
		err error
	}
	done := make(chan result, 1)
	go func() {
		s.reconciling.Lock()
		defer s.reconciling.Unlock()
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), reconcileTimeout)
		defer cancel()
		st, err := s.store.ReconcilePrefixes(bg, s.now(), prefixRetention)
		done <- result{st, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return store.PrefixState{}, fmt.Errorf("prefixes: %w", r.err)
		}
		return r.st, nil
	case <-ctx.Done():
		return store.PrefixState{}, fmt.Errorf("prefixes: %w", ctx.Err())
	}
}

// Warm brings the prefix set up to the content, as the first request
// after a change would, however long it takes (a reconciliation that
// outlasts reconcileTimeout keeps its steps, and the next goes on from
// there), then reads the set of every country and kind, which the first
// download of every new app asks for.
func (s *IndicatorSync) Warm(ctx context.Context) error {
	for {
		st, err := s.current(ctx)
		if err == nil {
			_, err = s.set(ctx, setName{}, st)
			return err
		}
		if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
}

// setName names one set of prefixes: a country's or all (""), a kind's
// or all.
type setName struct{ country, kind string }

// setSum is the size and checksum of a set.
type setSum struct {
	count    int
	checksum string
}

// sum returns the size and checksum of a set at seq, if known.
func (s *IndicatorSync) sum(seq int64, name setName) (setSum, bool) {
	s.sums.Lock()
	defer s.sums.Unlock()
	sum, ok := s.sums.of[name]
	return sum, ok && s.sums.seq == seq
}

// keepSum remembers the size and checksum of a set at seq; those of an
// older sequence are forgotten.
func (s *IndicatorSync) keepSum(seq int64, name setName, sum setSum) {
	s.sums.Lock()
	defer s.sums.Unlock()
	if seq < s.sums.seq {
		return
	}
	if seq > s.sums.seq || s.sums.of == nil {
		s.sums.seq, s.sums.of = seq, map[setName]setSum{}
	}
	s.sums.of[name] = sum
}

// spanChanges tells, from the spans of the prefixes that changed after
// since, which prefixes are in the set at at but were not at since
// (additions) and which were but are not any more (removals), both sorted.
func spanChanges(spans []store.PrefixSpan, since, at int64) (adds, removes []string) {
	type presence struct{ then, now bool }
	byPrefix := map[string]*presence{}
	var order []string
	for _, sp := range spans {
		p := byPrefix[sp.Prefix]
		if p == nil {
			p = &presence{}
			byPrefix[sp.Prefix] = p
			order = append(order, sp.Prefix)
		}
		p.then = p.then || sp.Covers(since)
		p.now = p.now || sp.Covers(at)
	}
	sort.Strings(order)
	for _, prefix := range order {
		switch p := byPrefix[prefix]; {
		case p.now && !p.then:
			adds = append(adds, prefix)
		case p.then && !p.now:
			removes = append(removes, prefix)
		}
	}
	return adds, removes
}

// decodePrefixes turns sorted 16-hex-character prefixes into bytes.
func decodePrefixes(hexes []string) ([][PrefixLen]byte, error) {
	out := make([][PrefixLen]byte, len(hexes))
	for i, h := range hexes {
		if n, err := hex.Decode(out[i][:], []byte(h)); err != nil || n != PrefixLen {
			return nil, fmt.Errorf("prefixes: stored prefix %q is not %d bytes of hex", h, PrefixLen)
		}
	}
	return out, nil
}

// PrefixChecksum is the lower-case hex SHA-256 of the sorted prefixes
// concatenated, 8 bytes each, without separators: what a client computes
// over its own copy to know that it holds the server's set.
func PrefixChecksum(sorted [][PrefixLen]byte) string {
	h := sha256.New()
	for _, p := range sorted {
		h.Write(p[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// tokenVersion starts every token, so that their format can change.
const tokenVersion = "p1"

// token returns the signed sync token of sequence seq for a set: the
// client cannot make one up, nor use it for another set.
func (s *IndicatorSync) token(seq int64, country, kind string) string {
	payload := tokenVersion + "." + strconv.FormatInt(seq, 10)
	return payload + "." + s.tokenMAC(payload, country, kind)
}

func (s *IndicatorSync) tokenMAC(payload, country, kind string) string {
	mac := hmac.New(sha256.New, s.tokenKey)
	mac.Write([]byte(payload + "\x00" + country + "\x00" + kind))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:16])
}

// openToken returns the sequence of a token this server signed for the
// set, or false.
func (s *IndicatorSync) openToken(token, country, kind string) (int64, bool) {
	if len(token) > 64 {
		return 0, false
	}
	version, rest, ok1 := strings.Cut(token, ".")
	seqText, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || version != tokenVersion {
		return 0, false
	}
	want := s.tokenMAC(version+"."+seqText, country, kind)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return 0, false
	}
	seq, err := strconv.ParseInt(seqText, 10, 64)
	if err != nil || seq < 0 {
		return 0, false
	}
	return seq, true
}

// Range returns the hashes of the public indicators whose SHA-256 starts
// with prefix (5 lower-case hex characters), among decoys: random-looking
// hashes with the same prefix, as many as make the answer hold RangeBucket
// hashes (or the next multiple of it), all sorted. A decoy is an HMAC of
// the server's key, the prefix, its place and the DecoyEpoch: the same for
// a prefix throughout an epoch, so that asking again shows no difference
// between real and decoy, and new in the next. The same work is done
// whether the prefix matches or not: one query and RangeBucket decoys.
func (s *IndicatorSync) Range(ctx context.Context, prefix string) ([]string, error) {
	if len(prefix) != 5 || strings.Trim(prefix, "0123456789abcdef") != "" {
		return nil, &apperr.Invalid{Field: "prefix", Key: "error.check.prefix"}
	}
	rows, err := s.store.IndicatorsByHashPrefix(ctx, prefix)
	if err != nil {
		return nil, fmt.Errorf("range %s: %w", prefix, err)
	}
	size := RangeBucket
	for size < len(rows) {
		size += RangeBucket
	}
	decoys := s.Decoys(prefix, size, s.now())
	out := make([]string, 0, size)
	for _, r := range rows {
		out = append(out, r.Hash)
	}
	out = append(out, decoys[:size-len(rows)]...)
	sort.Strings(out)
	return out, nil
}

// Decoys returns n decoy hashes of a prefix for the epoch of at.
func (s *IndicatorSync) Decoys(prefix string, n int, at time.Time) []string {
	var epoch [8]byte
	binary.BigEndian.PutUint64(epoch[:], uint64(at.Unix()/int64(DecoyEpoch/time.Second)))
	out := make([]string, n)
	for i := range out {
		mac := hmac.New(sha256.New, s.decoyKey)
		mac.Write(epoch[:])
		mac.Write([]byte(prefix))
		mac.Write([]byte{byte(i >> 8), byte(i)})
		h := hex.EncodeToString(mac.Sum(nil))
		out[i] = prefix + h[len(prefix):]
	}
	return out
}
