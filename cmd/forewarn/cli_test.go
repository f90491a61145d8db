package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"forewarn/app/apptest"
	"forewarn/app/db"
	"forewarn/app/search"
	"forewarn/app/service"
	"forewarn/app/store"
)

// TestMain runs main itself, in a child process, for the tests that need the
// process's exit code and what it writes to stdout and stderr.
func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv("FOREWARN_TEST_RUN_MAIN"); ok {
		os.Args = append([]string{"forewarn"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process runs forewarn with args (no spaces inside one) in a child process.
func process(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FOREWARN_TEST_RUN_MAIN="+strings.Join(args, " "))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("%v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

func TestHelpExitsZeroAndPrintsTheUsageToStdout(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}, {"-log-level", "debug", "-h"}, {"migrate", "-h"}, {"seed", "synthetic", "-h"}, {"user", "add", "-h"}} {
		stdout, stderr, code := process(t, args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "usage: forewarn") || !strings.Contains(stdout, "-page-cache-bytes") || !strings.Contains(stdout, "FOREWARN_DATABASE_URL") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if stdout, _, _ := process(t, "user", "add", "-h"); !strings.Contains(stdout, "-role") || !strings.Contains(stdout, "-name") {
		t.Errorf("user add -h does not list its flags: %q", stdout)
	}
	if stdout, _, _ := process(t, "seed", "-h"); !strings.Contains(stdout, "-warnings") {
		t.Errorf("seed -h does not list its flags: %q", stdout)
	}
	// a wrong flag is an error: exit 1, one line on stderr, nothing on stdout
	for _, args := range [][]string{{"-nope"}, {"migrate", "status", "-nope"}, {"-page-cache-ttl", "soon"}} {
		stdout, stderr, code := process(t, args...)
		if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "forewarn: ") || !strings.Contains(stderr, "forewarn -h lists the flags") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

// Flags go before or after the command, between its words too, and the
// database they name is the one used (not the default ./forewarn.db).
func TestFlagsAreAcceptedAfterTheCommand(t *testing.T) {
	t.Chdir(t.TempDir())
	dbURL := apptest.DatabaseURL(t)
	succeed := func(stdin string, args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		return out.String()
	}
	if out := succeed("", "migrate", "status", "-database-url", dbURL); !strings.Contains(out, "pending") || strings.Contains(out, "applied") {
		t.Fatalf("migrate status before up: %q", out)
	}
	if out := succeed("", "seed", "demo", "-database-url", dbURL, "-log-level", "warn"); !strings.Contains(out, "64 warnings and 84 reports created") {
		t.Fatalf("seed demo: %q", out)
	}
	if out := succeed("", "seed", "synthetic", "-warnings", "3", "-reports", "4", "-database-url", dbURL); !strings.Contains(out, "3 warnings and 4 reports created") {
		t.Fatalf("seed synthetic: %q", out)
	}
	if out := succeed("correct horse battery\n", "user", "add", "--role", "admin", "--name", "Amira", "-database-url", dbURL); !strings.Contains(out, `created admin "Amira"`) {
		t.Fatalf("user add: %q", out)
	}
	if out := succeed("another horse battery\n", "user", "-database-url", dbURL, "add", "--name", "Bogdan"); !strings.Contains(out, `created member "Bogdan"`) {
		t.Fatalf("user add with the flag between the words: %q", out)
	}
	if out := succeed("", "-database-url", dbURL, "migrate", "status"); strings.Contains(out, "pending") || !strings.Contains(out, "applied") {
		t.Errorf("migrate status after the seed, flag before the command: %q", out)
	}
	if _, err := os.Stat("forewarn.db"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the default database was used: %v", err)
	}
	// a flag after the command wins over the same flag before it, and a word
	// after "--" is a word
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-database-url", "mysql://x", "migrate", "-database-url", dbURL, "status"}, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "applied") {
		t.Errorf("the later flag should win: %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"migrate", "-database-url", dbURL, "--", "-status"}, nil, &out, &errOut); err == nil || !strings.Contains(err.Error(), `"-status"`) {
		t.Errorf("a word after --: %v", err)
	}
}

// A wrong or unreachable database gives one line of ours on stderr, not
// GORM's "failed to initialize database, got error …".
func TestAnUnreachableDatabaseGivesOneCleanLine(t *testing.T) {
	t.Parallel()
	missing := "sqlite:" + t.TempDir() + "/no/such/dir/forewarn.db"
	for _, args := range [][]string{
		{"seed", "demo", "-database-url", "postgres://127.0.0.1:1/x?connect_timeout=5"},
		{"-database-url", "postgres://127.0.0.1:1/x?connect_timeout=5", "migrate", "status"},
		{"-listen", "127.0.0.1:0", "-database-url", "postgres://127.0.0.1:1/x?connect_timeout=5"},
		{"user", "add", "--name", "Amira", "-database-url", missing},
	} {
		stdout, stderr, code := process(t, args...)
		if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "forewarn: open database: ") || strings.Contains(stderr, "failed to initialize") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
}

func TestVersionSaysTheCommitItsTimeAndWhetherTheTreeWasModified(t *testing.T) {
	t.Parallel()
	vcs := func(kv ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{}
		for i := 0; i < len(kv); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return info
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		version string
		info    *debug.BuildInfo
		want    string
	}{
		{"", nil, "(unknown)"},
		{"", vcs("-buildmode", "exe"), "(unknown)"},
		{"", vcs("vcs.revision", rev, "vcs.time", "2026-11-30T22:00:00Z", "vcs.modified", "false"), "0123456789ab (2026-11-30T22:00:00Z)"},
		{"", vcs("vcs.revision", rev, "vcs.time", "2026-11-30T22:00:00Z", "vcs.modified", "true"), "0123456789ab (2026-11-30T22:00:00Z), modified"},
		{"v1.2.0", vcs("vcs.revision", rev, "vcs.time", "2026-11-30T22:00:00Z", "vcs.modified", "true"), "v1.2.0 0123456789ab (2026-11-30T22:00:00Z), modified"},
		{"v1.2.0", nil, "v1.2.0"},
	} {
		if got := describeBuild(tc.version, tc.info); got != tc.want {
			t.Errorf("describeBuild(%q, %v) = %q, want %q", tc.version, tc.info, got, tc.want)
		}
	}
	// this test binary carries no VCS stamp
	if stdout, stderr, code := process(t, "version"); code != 0 || stderr != "" || stdout != "forewarn "+buildVersion()+"\n" {
		t.Errorf("version: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// A database seeded before its first `serve` records the normaliser's
// version with the seed, so that serve does not queue every item again.
func TestSeedRecordsTheSearchVersion(t *testing.T) {
	dbURL := apptest.DatabaseURL(t)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"seed", "synthetic", "-warnings", "3", "-reports", "4", "-database-url", dbURL, "-log-level", "warn"}, nil, &out, &errOut); err != nil {
		t.Fatalf("seed synthetic: %v (%s)", err, errOut.String())
	}
	d, err := db.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var version string
	apptest.Must(t, d.Gorm.Raw("SELECT value FROM settings WHERE key = 'search_normaliser'").Scan(&version))
	if version != search.Version {
		t.Errorf("search_normaliser after the seed = %q, want %q", version, search.Version)
	}
	svc := service.New(store.New(d.Gorm), time.Now, service.DefaultConfig())
	if queued, err := svc.Search.EnsureIndexVersion(context.Background()); err != nil || queued {
		t.Errorf("the first serve would queue a reindex: %v, %v", queued, err)
	}
	var waiting, docs int64
	apptest.Must(t, d.Gorm.Raw("SELECT COUNT(*) FROM search_dirty").Scan(&waiting))
	apptest.Must(t, d.Gorm.Raw("SELECT COUNT(*) FROM search_docs").Scan(&docs))
	if waiting != 0 || docs < 7 {
		t.Errorf("after the seed: %d items wait to be indexed, %d documents", waiting, docs)
	}
}
