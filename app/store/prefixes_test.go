package store_test

import (
	"strings"
	"testing"

	"forewarn/app/apptest"
	"forewarn/app/store"
)

// TestPruningReadsTheIndexOfClosedSpans checks that the prune of every
// reconciliation step reads the partial index of closed prefix spans, not
// every span: a scan made the first build of a million indicators
// quadratic.
func TestPruningReadsTheIndexOfClosedSpans(t *testing.T) {
	t.Parallel()
	e := apptest.New(t)
	plan := queryPlan(t, e, store.PruneQuery, 1)
	if !strings.Contains(plan, "indicator_prefix_spans_removed_at") {
		t.Errorf("the prune does not read the index of closed spans:\n%s", plan)
	}
}
