package server_test

import (
	"encoding/json"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"forewarn/app/apptest"
)

var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestRequestIDsAreRandom: request IDs are 128 random bits, never a counter
// that would tell the site's traffic, in the header and in the log alike.
func TestRequestIDsAreRandom(t *testing.T) {
	e := apptest.New(t)
	var ids []string
	for range 3 {
		r := e.Get(t, "/en/warnings")
		wantStatus(t, r, http.StatusOK)
		ids = append(ids, r.Header.Get("X-Request-ID"))
	}
	for i, id := range ids {
		if !requestIDPattern.MatchString(id) {
			t.Fatalf("request ID %q is not 32 lowercase hex digits", id)
		}
		if i == 0 {
			continue
		}
		prev, _ := new(big.Int).SetString(ids[i-1], 16)
		cur, _ := new(big.Int).SetString(id, 16)
		diff := new(big.Int).Sub(cur, prev)
		if diff.CmpAbs(big.NewInt(1<<32)) < 0 {
			t.Errorf("request IDs %s and %s are close: a counter", ids[i-1], id)
		}
		if id[:16] == ids[i-1][:16] || id[16:] == ids[i-1][16:] {
			t.Errorf("request IDs %s and %s share a half", ids[i-1], id)
		}
	}

	// The ID of a failed request is the one in the log and in the answer.
	e.DB.Close()
	r := e.Get(t, "/api/v1/warnings")
	if r.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d with the database closed", r.StatusCode)
	}
	var p struct {
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil {
		t.Fatalf("problem: %v\n%s", err, r.Body)
	}
	if !requestIDPattern.MatchString(p.RequestID) || p.RequestID != r.Header.Get("X-Request-ID") {
		t.Fatalf("problem request_id %q, header %q", p.RequestID, r.Header.Get("X-Request-ID"))
	}
	if !strings.Contains(e.Log.String(), "request_id="+p.RequestID) {
		t.Errorf("log does not name request %s:\n%s", p.RequestID, e.Log.String())
	}
	for _, id := range ids {
		if id == p.RequestID {
			t.Errorf("request ID %s was given twice", id)
		}
	}
}
