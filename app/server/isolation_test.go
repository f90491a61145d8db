package server_test

import (
	"net/http"
	"testing"

	"forewarn/app/apptest"
)

// TestPagesAreNotCrossOriginIsolated: cross-origin isolation (COOP
// same-origin, COEP require-corp) guards nothing on this site and makes
// Chrome start every page entered from another site in a new renderer
// process, hundreds of milliseconds of main-thread work on a cheap phone.
func TestPagesAreNotCrossOriginIsolated(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	for _, path := range []string{"/en", "/uk/check", "/ar/warnings", "/api/v1/warnings"} {
		r := e.Get(t, path)
		wantStatus(t, r, http.StatusOK)
		for _, h := range []string{"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy"} {
			if v := r.Header.Get(h); v != "" && v != "unsafe-none" {
				t.Errorf("%s: %s: %s", path, h, v)
			}
		}
		if r.Header.Get("X-Frame-Options") == "" {
			t.Errorf("%s: framing no longer refused", path)
		}
	}
}
