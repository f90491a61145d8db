package httperr_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"

	"forewarn/app/apperr"
	"forewarn/app/httperr"
	"forewarn/app/i18n"
	"forewarn/locales"
)

// TestEveryKindIsMapped walks every kind of apperr: each, wrapped as the
// services wrap it, has a status below 500, a stable code and a title (and
// a detail or field errors) that every shipped locale translates. A kind
// added to apperr.Kinds without a mapping is answered as internal and fails.
func TestEveryKindIsMapped(t *testing.T) {
	catalog, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		apperr.ErrNotFound.Error():        http.StatusNotFound,
		apperr.ErrForbidden.Error():       http.StatusNotFound, // never tells that the object exists
		apperr.ErrConflict.Error():        http.StatusConflict,
		apperr.ErrUnauthenticated.Error(): http.StatusUnauthorized,
		apperr.ErrScope.Error():           http.StatusForbidden,
	}
	for _, kind := range apperr.Kinds() {
		t.Run(fmt.Sprintf("%T %v", kind, kind), func(t *testing.T) {
			info := httperr.Classify(fmt.Errorf("service: op 7: %w", kind))
			if info.Internal || info.Status >= 500 || info.Code == "" || info.Code == "internal" {
				t.Fatalf("Classify(%v) = %+v: not mapped", kind, info)
			}
			if status, ok := want[kind.Error()]; ok && info.Status != status {
				t.Errorf("status %d, want %d", info.Status, status)
			}
			if _, ok := apperr.AsInvalids(kind); ok && (info.Status != http.StatusBadRequest || len(info.Invalids) == 0) {
				t.Errorf("invalid input: %+v, want 400 with its field errors", info)
			}
			if info.DetailKey == "" && len(info.Invalids) == 0 {
				t.Errorf("no message: %+v", info)
			}
			for _, l := range catalog.Languages() {
				for _, key := range []string{info.TitleKey, info.DetailKey} {
					if key == "" {
						continue
					}
					if _, ok := catalog.Messages(l.Code)[key]; !ok {
						t.Errorf("%s: no message %q", l.Code, key)
					}
				}
			}
		})
	}
}

// TestUnknownErrorIsInternal: an error of no kind is a 500 whose details
// are logged, never shown.
func TestUnknownErrorIsInternal(t *testing.T) {
	info := httperr.Classify(errors.New("store: disk full"))
	if !info.Internal || info.Status != http.StatusInternalServerError {
		t.Fatalf("got %+v", info)
	}
	if info := httperr.Classify(fiber.NewError(http.StatusConflict)); info.Code != "conflict" || info.Status != http.StatusConflict {
		t.Fatalf("fiber conflict: got %+v", info)
	}
}
