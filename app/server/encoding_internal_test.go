package server

import "testing"

func TestChooseEncodingFollowsQValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"gzip;q=0", ""},
		{"deflate, gzip;q=0", "deflate"},
		{"gzip, deflate, br", "br"},
		{"gzip, deflate, br;q=0", "gzip"},
		{"br;q=0.1, gzip;q=0.9", "gzip"},
		{"br;q=0.5, gzip;q=0.5", "br"},
		{"*", "br"},
		{"*;q=0", ""},
		{"*;q=0, gzip", "gzip"},
		{"*, br;q=0, gzip;q=0", "deflate"},
		{"gzip;q=0.5, identity", ""},
		{"gzip;q=0.5", "gzip"},
		{"identity;q=0, gzip;q=0", ""},
		{"gzip;q=abc", ""},
		{"gzip;q=2", ""},
		{" GZIP ; Q=0.3 ", "gzip"},
		{"compress, zstd", ""},
		{"gzip;q=0, gzip", "gzip"},
		{",,;q=1,", ""},
	} {
		if got := chooseEncoding(tc.header); got != tc.want {
			t.Errorf("chooseEncoding(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
