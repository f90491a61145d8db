package service

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"forewarn/app/apperr"
)

// TestFindInScopeHidesWhatIsOutOfScope: an object out of the actor's scope
// is answered as one that does not exist, an object in scope is returned,
// and a refusal or failure of the check itself is kept.
func TestFindInScopeHidesWhatIsOutOfScope(t *testing.T) {
	type note struct{ id int64 }
	load := func(_ context.Context, id int64) (note, error) {
		if id > 10 {
			return note{}, fmt.Errorf("store: note %d: %w", id, apperr.ErrNotFound)
		}
		return note{id}, nil
	}
	boom := errors.New("scope lookup failed")
	allowed := func(_ context.Context, n note) (bool, error) {
		switch n.id {
		case 3:
			return false, apperr.ErrForbidden
		case 4:
			return false, boom
		}
		return n.id%2 == 0, nil
	}
	ctx := context.Background()
	for _, tc := range []struct {
		id   int64
		want error
	}{
		{2, nil},
		{1, apperr.ErrNotFound},  // exists, out of scope
		{11, apperr.ErrNotFound}, // does not exist
		{3, apperr.ErrForbidden},
		{4, boom},
	} {
		n, err := findInScope(ctx, "note", tc.id, load, allowed)
		if tc.want == nil {
			if err != nil || n.id != tc.id {
				t.Errorf("id %d: got %v, %v; want the note", tc.id, n, err)
			}
			continue
		}
		if !errors.Is(err, tc.want) || n != (note{}) {
			t.Errorf("id %d: got %v, %v; want %v and nothing", tc.id, n, err, tc.want)
		}
	}
}
