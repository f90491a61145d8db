-- +goose Up
-- Pruning finds the prefix spans closed before the retention cutoff on
-- every reconciliation step: without an index that is a scan of every
-- span, and the first build of a set of a million indicators (200 steps)
-- spent most of its time there. Open spans (removed_at NULL, nearly all)
-- stay out of the index.
CREATE INDEX indicator_prefix_spans_removed_at ON indicator_prefix_spans (removed_at) WHERE removed_at IS NOT NULL;

-- +goose Down
DROP INDEX indicator_prefix_spans_removed_at;
