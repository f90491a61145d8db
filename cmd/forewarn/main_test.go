package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
)

// cli runs the command line against the test database.
func cli(t *testing.T, databaseURL, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	all := append([]string{"-database-url", databaseURL}, args...)
	err := run(context.Background(), all, strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestCommands(t *testing.T) {
	t.Parallel()
	dbPath := apptest.DatabaseURL(t)

	out, err := cli(t, dbPath, "", "version")
	if err != nil || !strings.HasPrefix(out, "forewarn ") {
		t.Fatalf("version: %q, %v", out, err)
	}

	out, err = cli(t, dbPath, "", "migrate", "up")
	if err != nil || !strings.Contains(out, "00001_init.sql") {
		t.Fatalf("migrate up: %q, %v", out, err)
	}
	out, err = cli(t, dbPath, "", "migrate", "status")
	if err != nil || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %q, %v", out, err)
	}
	out, err = cli(t, dbPath, "", "migrate", "down")
	if err != nil || !strings.Contains(out, "rolled back") {
		t.Fatalf("migrate down: %q, %v", out, err)
	}
	out, err = cli(t, dbPath, "", "migrate", "status")
	if err != nil || !strings.Contains(out, "pending") {
		t.Fatalf("migrate status after down: %q, %v", out, err)
	}

	out, err = cli(t, dbPath, "correct horse battery\n", "user", "add", "--role", "admin", "--name", "Amira")
	if err != nil || !strings.Contains(out, `created admin "Amira"`) {
		t.Fatalf("user add: %q, %v", out, err)
	}
	if _, err = cli(t, dbPath, "another long password\n", "user", "add", "--name", "amira"); err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("duplicate pseudonym (other case): %v", err)
	}
	if _, err = cli(t, dbPath, "short\n", "user", "add", "--name", "Bogdan"); err == nil || !strings.Contains(err.Error(), "at least 10 characters") {
		t.Errorf("short password: %v", err)
	}
	if _, err = cli(t, dbPath, "long enough password\n", "user", "add", "--role", "king", "--name", "Bogdan"); err == nil || !strings.Contains(err.Error(), "member, moderator or admin") {
		t.Errorf("unknown role: %v", err)
	}

	out, err = cli(t, dbPath, "", "seed", "demo")
	if err != nil || !strings.Contains(out, "64 warnings and 84 reports created") {
		t.Fatalf("seed demo: %q, %v", out, err)
	}
	out, err = cli(t, dbPath, "", "seed", "demo")
	if err != nil || !strings.Contains(out, "0 warnings and 0 reports created") {
		t.Fatalf("seed demo again: %q, %v", out, err)
	}
	out, err = cli(t, dbPath, "", "seed", "synthetic", "-warnings", "25", "-reports", "30")
	if err != nil || !strings.Contains(out, "25 warnings and 30 reports created") {
		t.Fatalf("seed synthetic: %q, %v", out, err)
	}

	for _, bad := range [][]string{{"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"seed", "everything"}, {"user", "remove"}} {
		if _, err := cli(t, dbPath, "", bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if err := run(context.Background(), []string{"-database-url", "mysql://x", "version"}, nil, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("a mysql URL was accepted")
	}
}

func TestEveryRunsAtOnceThenOnTheTickUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	calls := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		every(ctx, 10*time.Millisecond, func(context.Context) { calls <- struct{}{} })
		close(done)
	}()
	for i := 0; i < 3; i++ {
		select {
		case <-calls:
		case <-time.After(5 * time.Second):
			t.Fatalf("call %d did not come", i+1)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("every did not stop when its context ended")
	}
}
