package config

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
)

// readmeRow is one row of the README's configuration table.
type readmeRow struct{ variable, def string }

// readmeTable parses the flag rows of the configuration table in README.md:
// | `-flag` | `VARIABLE` | default | meaning |
func readmeTable(t *testing.T) map[string]readmeRow {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\| `-([a-z-]+)` \\| `([A-Z_]+)` \\| ([^|]+) \\|")
	rows := map[string]readmeRow{}
	for _, line := range strings.Split(string(b), "\n") {
		m := row.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if _, dup := rows[m[1]]; dup {
			t.Errorf("README: -%s has two rows", m[1])
		}
		rows[m[1]] = readmeRow{variable: m[2], def: strings.TrimSpace(m[3])}
	}
	if len(rows) == 0 {
		t.Fatal("README: no configuration table found")
	}
	return rows
}

// The README's configuration table names every flag of -h with its variable
// and, in backquotes, the default -h prints; a default -h leaves empty is
// described in words ("empty", "generated", …). No row names a flag that
// does not exist.
func TestTheREADMETableMatchesTheFlags(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "FOREWARN_") && !strings.HasPrefix(name, "FOREWARN_TEST_") {
			t.Setenv(name, "") // restored after the test
			os.Unsetenv(name)
		}
	}
	rows := readmeTable(t)
	c := Default()
	fs := flag.NewFlagSet("forewarn", flag.ContinueOnError)
	c.Register(fs)
	variable := regexp.MustCompile(`\((FOREWARN_[A-Z_]+)\)$`)
	fs.VisitAll(func(f *flag.Flag) {
		r, ok := rows[f.Name]
		if !ok {
			t.Errorf("README: no row for -%s", f.Name)
			return
		}
		delete(rows, f.Name)
		if m := variable.FindStringSubmatch(f.Usage); m == nil || m[1] != r.variable {
			t.Errorf("README: -%s is read from %s, its help says %q", f.Name, r.variable, f.Usage)
		}
		if quoted := strings.HasPrefix(r.def, "`") && strings.HasSuffix(r.def, "`") && len(r.def) > 1; quoted {
			if got := strings.Trim(r.def, "`"); got != f.DefValue {
				t.Errorf("README: -%s defaults to `%s`, -h says %q", f.Name, got, f.DefValue)
			}
		} else if f.DefValue != "" {
			t.Errorf("README: -%s defaults to %q in words, -h says %q: write `%s`", f.Name, r.def, f.DefValue, f.DefValue)
		}
	})
	for name := range rows {
		t.Errorf("README: row for -%s, a flag that does not exist", name)
	}
}
