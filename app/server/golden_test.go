package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"forewarn/app/apptest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares body, re-indented and without its request ID, with
// testdata/name; -update rewrites it.
func golden(t *testing.T, name, body string) {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, body)
	}
	if m, ok := doc.(map[string]any); ok {
		delete(m, "request_id")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s changed; the API is a contract. Got:\n%s", name, buf.String())
	}
}

func TestAPIGoldenResponses(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	e.Warning(t,
		apptest.Titled("Truck drivers wanted in the Netherlands, visa included"),
		apptest.OnRoute("UA", "PL", "NL"),
		apptest.TranslatedInto("uk"),
		apptest.PublishedAgo(48*time.Hour),
		apptest.ExpiringIn(90*24*time.Hour),
	)
	e.Warning(t,
		apptest.Titled("Withdrawn: agency was impersonated"),
		apptest.PublishedAgo(72*time.Hour),
		apptest.Retracted("The agency is real; scammers copied its name."),
	)
	golden(t, "warning_1_uk.json", e.Get(t, "/api/v1/warnings/1?lang=uk").Body)
	golden(t, "warning_2_retracted.json", e.Get(t, "/api/v1/warnings/2").Body)
	golden(t, "warnings_list.json", e.Get(t, "/api/v1/warnings?limit=5").Body)
	golden(t, "problem_bad_filters_fr.json", e.Get(t, "/api/v1/warnings?severity=extreme&country=XX&lang=fr").Body)
}
