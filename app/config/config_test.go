package config

import (
	"flag"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	c := Default()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func TestDefaultsAreValid(t *testing.T) {
	c, err := parse(t)
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if c.DatabaseURL != "sqlite:./forewarn.db" || c.Listen != "127.0.0.1:8080" || c.BaseURL != "http://localhost:8080" || c.PageCacheTTL != time.Minute || c.PageCacheBytes != 16<<20 {
		t.Errorf("defaults: %+v", c)
	}
}

func TestTheBaseURLFollowsTheListenAddressUnlessGiven(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "http://localhost:8080"},
		{[]string{"-listen", "127.0.0.1:9000"}, "http://localhost:9000"},
		{[]string{"-listen", "[::1]:9000"}, "http://localhost:9000"},
		{[]string{"-listen", ":9000"}, "http://localhost:9000"},
		{[]string{"-listen", "0.0.0.0:9000"}, "http://localhost:9000"},
		{[]string{"-listen", "192.0.2.7:8081"}, "http://192.0.2.7:8081"},
		{[]string{"-listen", "[2001:db8::7]:8081"}, "http://[2001:db8::7]:8081"},
		{[]string{"-listen", "forewarn.internal:80"}, "http://forewarn.internal:80"},
		{[]string{"-listen", "192.0.2.7:8081", "-base-url", "https://forewarn.example/"}, "https://forewarn.example"},
	} {
		c, err := parse(t, tc.args...)
		if err != nil || c.BaseURL != tc.want {
			t.Errorf("%v: base URL %q, %v; want %q", tc.args, c.BaseURL, err, tc.want)
		}
	}
	if _, err := parse(t, "-listen", "8080"); err == nil || !strings.Contains(err.Error(), "listen address") {
		t.Errorf("a listen address without a port: %v", err)
	}
	if _, err := parse(t, "-listen", "8080", "-base-url", "https://forewarn.example"); err != nil {
		t.Errorf("a given base URL does not depend on the listen address: %v", err)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("FOREWARN_LISTEN", "127.0.0.1:9000")
	t.Setenv("FOREWARN_BASE_URL", "https://forewarn.example/")
	t.Setenv("FOREWARN_PAGE_CACHE_TTL", "30s")
	c, err := parse(t, "-listen", ":9999")
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":9999" {
		t.Errorf("a flag should win over the environment: %s", c.Listen)
	}
	if c.BaseURL != "https://forewarn.example" || c.PageCacheTTL != 30*time.Second {
		t.Errorf("environment not read: %+v", c)
	}
}

func TestInvalidConfigurationIsRefused(t *testing.T) {
	for _, tc := range []struct {
		env, value string
		args       []string
		want       string
	}{
		{args: []string{"-database-url", "mysql://x"}, want: "database URL"},
		{args: []string{"-base-url", "forewarn.example"}, want: "base URL"},
		{args: []string{"-quick-exit-url", "javascript:alert(1)"}, want: "quick exit URL"},
		{args: []string{"-secret-key", "short"}, want: "secret key"},
		{args: []string{"-log-level", "loud"}, want: "log level"},
		{env: "FOREWARN_PAGE_CACHE_TTL", value: "soon", want: "FOREWARN_PAGE_CACHE_TTL"},
		{env: "FOREWARN_PAGE_CACHE_BYTES", value: "-1", want: "FOREWARN_PAGE_CACHE_BYTES"},
		{args: []string{"-audit-retention", "-1h"}, want: "audit retention"},
		{env: "FOREWARN_AUDIT_RETENTION", value: "a year", want: "FOREWARN_AUDIT_RETENTION"},
	} {
		if tc.env != "" {
			t.Setenv(tc.env, tc.value)
		}
		_, err := parse(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %s=%s: error %v, want one naming %q", tc.args, tc.env, tc.value, err, tc.want)
		}
	}
}

func TestAuditRetention(t *testing.T) {
	c, err := parse(t)
	if err != nil || c.AuditRetention != 365*24*time.Hour {
		t.Fatalf("default audit retention %v, %v", c.AuditRetention, err)
	}
	t.Setenv("FOREWARN_AUDIT_RETENTION", "720h")
	if c, err = parse(t); err != nil || c.AuditRetention != 720*time.Hour {
		t.Errorf("from the environment: %v, %v", c.AuditRetention, err)
	}
	if c, err = parse(t, "-audit-retention", "48h"); err != nil || c.AuditRetention != 48*time.Hour {
		t.Errorf("a flag should win: %v, %v", c.AuditRetention, err)
	}
}

func TestTimeoutsAndMetrics(t *testing.T) {
	c, err := parse(t)
	if err != nil || c.ConnectTimeout != 10*time.Second || c.RequestTimeout != 15*time.Second || c.ShutdownTimeout != 10*time.Second || c.MetricsListen != "" {
		t.Fatalf("defaults: %+v, %v", c, err)
	}
	c, err = parse(t, "-connect-timeout", "3s", "-request-timeout", "2s", "-shutdown-timeout", "1s", "-metrics-listen", "127.0.0.1:9464")
	if err != nil || c.ConnectTimeout != 3*time.Second || c.RequestTimeout != 2*time.Second || c.ShutdownTimeout != time.Second || c.MetricsListen != "127.0.0.1:9464" {
		t.Fatalf("flags: %+v, %v", c, err)
	}
	for _, args := range [][]string{{"-request-timeout", "0s"}, {"-connect-timeout", "-1s"}, {"-metrics-listen", "nowhere"}} {
		if _, err := parse(t, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
