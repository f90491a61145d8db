package server_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/server"
)

// A request whose deadline has passed before its first query answers a
// clean, localised 503 with its request ID, on the pages and the API, and
// the log names the request in one warning, without a stack.
func TestARequestPastItsDeadlineAnswers503(t *testing.T) {
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", RequestTimeout: time.Nanosecond})

	r := e.Get(t, "/fr/warnings")
	id := r.Header.Get("X-Request-ID")
	if r.StatusCode != 503 || id == "" {
		t.Fatalf("page past its deadline: %d, request ID %q", r.StatusCode, id)
	}
	if !strings.Contains(r.Body, "Veuillez réessayer dans un instant") || !strings.Contains(r.Body, id) {
		t.Errorf("page past its deadline is not the French 'try again' page with %s:\n%s", id, r.Body)
	}
	if log := e.Log.String(); !strings.Contains(log, "request_id="+id) || !strings.Contains(log, "code=timeout") || strings.Contains(log, "goroutine ") {
		t.Errorf("log of the request past its deadline:\n%s", log)
	}

	r = e.Get(t, "/api/v1/warnings")
	var p struct {
		Status    int    `json:"status"`
		Code      string `json:"code"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(r.Body), &p); err != nil || r.StatusCode != 503 || p.Code != "timeout" || p.RequestID != r.Header.Get("X-Request-ID") {
		t.Fatalf("API past its deadline: %d %q (%v)", r.StatusCode, r.Body, err)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("API past its deadline: content type %q", ct)
	}
}

// Slow-query lines name the request they ran for.
func TestSlowQueryLinesNameTheRequest(t *testing.T) {
	t.Parallel()
	e := apptest.NewLoggingQueries(t, 0)
	r := e.Get(t, "/en/warnings")
	if r.StatusCode != 200 {
		t.Fatalf("warnings: %d", r.StatusCode)
	}
	id := r.Header.Get("X-Request-ID")
	found := false
	for _, line := range strings.Split(e.Log.String(), "\n") {
		if strings.Contains(line, "slow query") && strings.Contains(line, "request_id="+id) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no slow-query line names request %s:\n%s", id, e.Log.String())
	}
}

// A query that blocks mid-run (a table locked by another transaction) is
// cut off at the request's deadline: a clean 503 with the request ID, not
// a page that waits forever. PostgreSQL only: SQLite's readers are never
// blocked by a writer.
func TestABlockedQueryEndsAtTheDeadline(t *testing.T) {
	if !strings.HasPrefix(os.Getenv("FOREWARN_TEST_DATABASE_URL"), "postgres") {
		t.Skip("needs PostgreSQL")
	}
	e := apptest.New(t, server.Options{BaseURL: apptest.BaseURL, QuickExitURL: "https://neutral.test/", RequestTimeout: 300 * time.Millisecond})
	tx := e.DB.Gorm.Begin()
	if err := tx.Exec("LOCK TABLE warnings IN ACCESS EXCLUSIVE MODE").Error; err != nil {
		t.Fatal(err)
	}
	r := e.Get(t, "/en/warnings")
	tx.Rollback()
	id := r.Header.Get("X-Request-ID")
	if r.StatusCode != 503 || id == "" || !strings.Contains(r.Body, "Please try again in a moment") || !strings.Contains(r.Body, id) {
		t.Fatalf("page blocked past its deadline: %d\n%s", r.StatusCode, r.Body)
	}
	if r := e.Get(t, "/en/warnings"); r.StatusCode != 200 {
		t.Errorf("after the lock: %d", r.StatusCode)
	}
}
