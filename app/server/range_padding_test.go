package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "forewarn/app/api/v1"
	"forewarn/app/apptest"
	"forewarn/app/model"
	"forewarn/app/service"
)

// rangeHashes returns the hashes of a range answer, checking its shape.
func rangeHashes(t *testing.T, r apptest.Response, prefix string) []string {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	res := decode[v1.RangeResponse](t, r)
	var out []string
	for _, m := range res.Matches {
		if !strings.HasPrefix(m.SHA256, prefix) || len(m.SHA256) != 64 || strings.Trim(m.SHA256, "0123456789abcdef") != "" {
			t.Errorf("range %s returned %q", prefix, m.SHA256)
		}
		out = append(out, m.SHA256)
	}
	if !slices.IsSorted(out) || len(slices.Compact(slices.Clone(out))) != len(out) {
		t.Errorf("range %s: not sorted or repeated: %v", prefix, out)
	}
	if res.Prefix != prefix {
		t.Errorf("prefix %q, want %q", res.Prefix, prefix)
	}
	return out
}

// otherPrefix is a range prefix no indicator of these tests has.
func otherPrefix(known ...string) string {
	for i := 0; ; i++ {
		p := fmt.Sprintf("%05x", i*7919)
		if !slices.ContainsFunc(known, func(h string) bool { return strings.HasPrefix(h, p) }) {
			return p
		}
	}
}

func TestRangeAnswersHaveOneSizeWhetherOrNotThePrefixMatches(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	hash := service.Hash("+447700900123")
	miss := otherPrefix(hash)

	hit := e.Get(t, "/api/v1/indicators/range/"+hash[:5])
	none := e.Get(t, "/api/v1/indicators/range/"+miss)
	hits, nones := rangeHashes(t, hit, hash[:5]), rangeHashes(t, none, miss)
	if !slices.Contains(hits, hash) {
		t.Errorf("the known hash is not in its range: %v", hits)
	}
	if len(hits) != service.RangeBucket || len(nones) != service.RangeBucket {
		t.Errorf("%d and %d hashes, want %d each", len(hits), len(nones), service.RangeBucket)
	}
	if len(hit.Body) != len(none.Body) {
		t.Errorf("answer lengths differ: %d with a match, %d without", len(hit.Body), len(none.Body))
	}
	for name := range hit.Header {
		// The ETag names the body, the request ID the request, the
		// counters the visitor's earlier requests, the date the second
		// each was answered in.
		if name == "Etag" || name == "X-Request-Id" || name == "Date" || name == "Ratelimit" || strings.HasPrefix(name, "X-Ratelimit-") {
			continue
		}
		if hit.Header.Get(name) != none.Header.Get(name) {
			t.Errorf("header %s: %q with a match, %q without", name, hit.Header.Get(name), none.Header.Get(name))
		}
	}
	if len(hit.Header) != len(none.Header) {
		t.Errorf("headers differ: %v / %v", hit.Header, none.Header)
	}

	// Asked again, the same answer: no difference shows the real hash.
	if again := rangeHashes(t, e.Get(t, "/api/v1/indicators/range/"+hash[:5]), hash[:5]); !slices.Equal(again, hits) {
		t.Errorf("asked again: %v, first %v", again, hits)
	}
	// A hidden indicator leaves an answer of the same size without it.
	apptest.Must(t, e.DB.Gorm.Exec("UPDATE warnings SET status = 'retracted'"))
	gone := e.Get(t, "/api/v1/indicators/range/"+hash[:5])
	if after := rangeHashes(t, gone, hash[:5]); slices.Contains(after, hash) || len(gone.Body) != len(hit.Body) {
		t.Errorf("after the retraction: %d bytes, %v", len(gone.Body), after)
	}
}

func TestRangeDecoysChangeWithTheEpochOnly(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t, apptest.WithIndicators(service.RawIndicator{Kind: model.IndicatorPhone, Value: "+44 7700 900123"}))
	hash := service.Hash("+447700900123")
	at := func(d time.Duration) []string {
		sync := service.NewIndicatorSync(e.Services.Checker, []byte("test-secret-key-test-secret-key-test"), func() time.Time { return apptest.Now.Add(d) })
		hashes, err := sync.Range(context.Background(), hash[:5])
		if err != nil || len(hashes) != service.RangeBucket || !slices.Contains(hashes, hash) {
			t.Fatalf("range: %v, %v", hashes, err)
		}
		return hashes
	}
	// apptest.Now is noon: an hour on is the same day, 24 hours on the next.
	now, soon, tomorrow := at(0), at(time.Hour), at(24*time.Hour)
	if !slices.Equal(now, soon) {
		t.Errorf("decoys changed within the epoch:\n%v\n%v", now, soon)
	}
	for _, h := range tomorrow {
		if h != hash && slices.Contains(now, h) {
			t.Errorf("decoy %s is the same in the next epoch", h)
		}
	}
	// The HTTP answer is today's.
	if got := rangeHashes(t, e.Get(t, "/api/v1/indicators/range/"+hash[:5]), hash[:5]); !slices.Equal(got, now) {
		t.Errorf("HTTP answer %v, want %v", got, now)
	}
	// Another key, other decoys.
	other := service.NewIndicatorSync(e.Services.Checker, []byte("another-secret-another-secret-xx"), func() time.Time { return apptest.Now })
	if slices.Equal(other.Decoys(hash[:5], 4, apptest.Now), service.NewIndicatorSync(e.Services.Checker, []byte("test-secret-key-test-secret-key-test"), nil).Decoys(hash[:5], 4, apptest.Now)) {
		t.Error("decoys do not depend on the key")
	}
}

func TestRangeAnswersGrowByWholeBuckets(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	w := e.Warning(t)
	// 17 indicators under one prefix, as made-up hashes.
	var want []string
	for i := range service.RangeBucket + 1 {
		sum := sha256.Sum256([]byte(fmt.Sprint("crowded ", i)))
		hash := "abcde" + hex.EncodeToString(sum[:])[5:]
		want = append(want, hash)
		var id int64
		apptest.Must(t, e.DB.Gorm.Raw("INSERT INTO indicators (kind, platform, normalized, hash, created_at) VALUES ('company', '', ?, ?, ?) RETURNING id", fmt.Sprint("crowded ", i), hash, apptest.Now).Scan(&id))
		apptest.Must(t, e.DB.Gorm.Exec("INSERT INTO warning_indicators (warning_id, indicator_id, raw) VALUES (?, ?, ?)", w, id, "crowded"))
	}
	got := rangeHashes(t, e.Get(t, "/api/v1/indicators/range/abcde"), "abcde")
	if len(got) != 2*service.RangeBucket {
		t.Errorf("%d hashes, want %d", len(got), 2*service.RangeBucket)
	}
	for _, h := range want {
		if !slices.Contains(got, h) {
			t.Errorf("%s missing", h)
		}
	}
}

func TestRangeLookUpIsRateLimited(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for i := range 120 {
		if r := e.Get(t, fmt.Sprintf("/api/v1/indicators/range/%05x", i)); r.StatusCode != http.StatusOK {
			t.Fatalf("look-up %d: status %d", i+1, r.StatusCode)
		}
	}
	r := e.Get(t, "/api/v1/indicators/range/00000")
	wantStatus(t, r, http.StatusTooManyRequests)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %s", ct)
	}
	if p := decode[v1.Problem](t, r); p.Status != http.StatusTooManyRequests || p.Title == "" {
		t.Errorf("problem %+v", p)
	}
	// The check has its own counter; the prefixes download none.
	wantStatus(t, e.Get(t, "/api/v1/indicators/prefixes"), http.StatusOK)
}
