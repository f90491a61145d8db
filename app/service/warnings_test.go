package service

import (
	"strings"
	"testing"
	"time"
)

func TestCursorRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 4, 5, 6, 7, 890123000, time.UTC)
	c, ok := decodeCursor(encodeCursor(at, 42))
	if !ok || !c.published.Equal(at) || c.id != 42 {
		t.Fatalf("round trip: %+v, %v", c, ok)
	}
	for _, bad := range []string{"", "!!!", "MTIz", "YS5i", "LTEuNQ", strings.Repeat("A", 65)} {
		if _, ok := decodeCursor(bad); ok {
			t.Errorf("%q decoded", bad)
		}
	}
}

func TestMarkdownIsSanitised(t *testing.T) {
	t.Parallel()
	md := newMarkdown()
	for _, tc := range []struct{ in, must, mustNot string }{
		{"**bold**", "<strong>bold</strong>", ""},
		{"<script>alert(1)</script>", "", "<script"},
		{"[x](javascript:alert(1))", "", "javascript:"},
		{"![img](https://tracker.example/p.gif)", "", "<img"},
		{"<a href=\"https://a.example\" onclick=\"x()\">a</a>", "", "onclick"},
		{"[site](https://a.example)", `rel="nofollow noreferrer"`, ""},
		{"<div style=\"position:fixed\">x</div>", "", "style="},
	} {
		out, err := md.render(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if tc.must != "" && !strings.Contains(out, tc.must) {
			t.Errorf("%q rendered %q, want %q", tc.in, out, tc.must)
		}
		if tc.mustNot != "" && strings.Contains(out, tc.mustNot) {
			t.Errorf("%q rendered %q, which contains %q", tc.in, out, tc.mustNot)
		}
	}
}

func TestCountryCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"ua": "UA", "GB": "GB", "Fr": "FR"} {
		if got, ok := CountryCode(in); !ok || got != want {
			t.Errorf("CountryCode(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "U", "UKR", "ZZ", "EU", "419", "12", "\xff\xfe"} {
		if got, ok := CountryCode(bad); ok {
			t.Errorf("CountryCode(%q) accepted as %q", bad, got)
		}
	}
}
