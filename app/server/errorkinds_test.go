package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/apptest"
)

// TestEveryErrorKindOnBothSurfaces answers every kind of apperr through the
// server's own error handler, on a page and under /api: each has its status
// and a localised message, never the internal error page, in both formats.
// (A conflict has no route that produces it on demand: it needs two
// moderators racing, so the kinds are raised by a test route here, while
// not-found, forbidden and invalid input are also tested through real
// routes elsewhere.)
func TestEveryErrorKindOnBothSurfaces(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	kinds := apperr.Kinds()
	outer := fiber.New(fiber.Config{ErrorHandler: env.App.Config().ErrorHandler})
	raise := func(c *fiber.Ctx) error {
		var i int
		fmt.Sscan(c.Params("kind"), &i)
		return fmt.Errorf("service: test %d: %w", i, kinds[i])
	}
	outer.Get("/fr/raise/:kind", raise)
	outer.Get("/api/v1/raise/:kind", raise)
	want := map[string]int{apperr.ErrNotFound.Error(): 404, apperr.ErrForbidden.Error(): 404, apperr.ErrConflict.Error(): 409, apperr.ErrUnauthenticated.Error(): 401, apperr.ErrScope.Error(): 403,
		apperr.ErrIdempotencyMismatch.Error(): 422, apperr.ErrIdempotencyInProgress.Error(): 409}
	for i, kind := range kinds {
		status := 400
		if s, ok := want[kind.Error()]; ok {
			status = s
		}
		t.Run(fmt.Sprintf("%T %v", kind, kind), func(t *testing.T) {
			resp, err := outer.Test(httptest.NewRequest(http.MethodGet, fmt.Sprintf("/fr/raise/%d", i), nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("page: %d %s, want %d HTML", resp.StatusCode, resp.Header.Get("Content-Type"), status)
			}
			if strings.Contains(string(body), "Une erreur s") || !strings.Contains(string(body), `lang="fr"`) {
				t.Errorf("page is not a localised answer of its kind:\n%.600s", body)
			}
			if kind == apperr.ErrConflict && !strings.Contains(string(body), "Modifié entre-temps") {
				t.Errorf("conflict page without its French title:\n%.600s", body)
			}

			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/raise/%d?lang=fr", i), nil)
			resp, err = outer.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			var p struct {
				Status int    `json:"status"`
				Code   string `json:"code"`
				Title  string `json:"title"`
				Detail string `json:"detail"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != status || p.Status != status || resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("api: %d %s %+v, want %d problem+json", resp.StatusCode, resp.Header.Get("Content-Type"), p, status)
			}
			if p.Code == "" || p.Code == "internal" || p.Title == "" || p.Detail == "" || strings.HasPrefix(p.Title, "error.") {
				t.Errorf("api: problem not localised: %+v", p)
			}
			if kind == apperr.ErrConflict && (p.Code != "conflict" || p.Title != "Modifié entre-temps") {
				t.Errorf("api: conflict answered %+v", p)
			}
		})
	}
}
