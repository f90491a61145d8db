-- +goose Up
-- The versioned set of public indicator prefixes behind
-- GET /api/v1/indicators/prefixes (see store/prefixes.go). A span is one
-- stretch of time, in sync sequence numbers, during which an indicator was
-- mentioned by public content on a country's route (country = its code,
-- or '' for content without a route): it opens at added_seq and closes at
-- removed_seq.
-- The set at sequence t is every span with added_seq <= t < removed_seq
-- (or still open), so the difference between any two sequences is exact.
-- Closed spans are pruned after a while; floor_seq is then the oldest
-- sequence a client may still sync from. removed_at is in Unix seconds.
CREATE TABLE indicator_prefix_spans (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL,
    country      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    added_seq    INTEGER NOT NULL,
    removed_seq  INTEGER,
    removed_at   INTEGER
);
CREATE INDEX indicator_prefix_spans_prefix ON indicator_prefix_spans (prefix);
CREATE INDEX indicator_prefix_spans_country ON indicator_prefix_spans (country, prefix);
CREATE INDEX indicator_prefix_spans_added ON indicator_prefix_spans (added_seq);
CREATE INDEX indicator_prefix_spans_removed ON indicator_prefix_spans (removed_seq);
CREATE TABLE indicator_prefix_state (
    id              INTEGER PRIMARY KEY CHECK (id = 0),
    seq             INTEGER NOT NULL,
    floor_seq       INTEGER NOT NULL,
    content_version INTEGER NOT NULL
);
INSERT INTO indicator_prefix_state (id, seq, floor_seq, content_version) VALUES (0, 0, 0, -1);

-- +goose Down
DROP TABLE indicator_prefix_state;
DROP TABLE indicator_prefix_spans;
