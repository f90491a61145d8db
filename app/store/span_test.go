package store_test

import (
	"testing"

	"forewarn/app/store"
)

// TestNextSpanWidensUnlessTheMatchesAreMany: how many windows the next
// read of a PostgreSQL search covers (1,172 windows, 1.2 million
// documents). A wide read fetches every match of the query from the
// table, so it is for queries whose matches are few.
func TestNextSpanWidensUnlessTheMatchesAreMany(t *testing.T) {
	t.Parallel()
	const all = 1172
	for _, c := range []struct {
		name                     string
		span, found, limit, seen int64
		want                     int64
	}{
		{"nothing yet: four times as wide", 2, 0, 200, 2, 8},
		{"nothing after many: four times as wide", 64, 0, 200, 90, 256},
		{"dense: as many as the density says", 2, 100, 200, 2, 4},
		{"a rare word: wide, up to eight times the windows seen", 2, 1, 200, 2, 16},
		{"a rare word further back: wide", 16, 3, 200, 18, 144},
		{"two common title words, a few per window: narrow reads", 2, 11, 200, 2, store.NarrowRead},
		{"the same after 34 windows: still narrow", 8, 150, 200, 34, store.NarrowRead},
		{"matches that stopped coming: wide again", 8, 100, 200, 80, 160},
	} {
		if got := store.NextSpan(c.span, c.found, c.limit, c.seen, all); got != c.want {
			t.Errorf("%s: %d windows, want %d", c.name, got, c.want)
		}
	}
}
