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
CREATE INDEX indicator_prefix_spans_indicator ON indicator_prefix_spans (indicator_id);
CREATE INDEX indicator_prefix_spans_country ON indicator_prefix_spans (country, prefix);
CREATE INDEX indicator_prefix_spans_added ON indicator_prefix_spans (added_seq);
CREATE INDEX indicator_prefix_spans_removed ON indicator_prefix_spans (removed_seq);
CREATE TABLE indicator_prefix_state (
    id        INTEGER PRIMARY KEY CHECK (id = 0),
    seq       INTEGER NOT NULL,
    floor_seq INTEGER NOT NULL
);
INSERT INTO indicator_prefix_state (id, seq, floor_seq) VALUES (0, 0, 0);

-- The indicators whose spans may have to change: triggers add one row in
-- the writing transaction for every write to what decides whether an
-- indicator is public and where (a warning's or a report's status, their
-- indicators and routes, an indicator itself), whoever makes it; the next
-- reconciliation recomputes those indicators and deletes the rows it read.
-- Deleting a warning or a report cascades to their links, whose triggers
-- count. Every indicator is dirty at first: the first reconciliation
-- computes the whole set.
CREATE TABLE indicator_prefix_dirty (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL
);
CREATE INDEX indicator_prefix_dirty_indicator ON indicator_prefix_dirty (indicator_id);
INSERT INTO indicator_prefix_dirty (indicator_id) SELECT id FROM indicators;
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_indicators_ins AFTER INSERT ON warning_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (NEW.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_indicators_upd AFTER UPDATE ON warning_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (OLD.indicator_id), (NEW.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_indicators_del AFTER DELETE ON warning_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (OLD.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_indicators_ins AFTER INSERT ON report_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (NEW.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_indicators_upd AFTER UPDATE ON report_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (OLD.indicator_id), (NEW.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_indicators_del AFTER DELETE ON report_indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (OLD.indicator_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warnings_upd AFTER UPDATE OF status ON warnings
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM warning_indicators WHERE warning_id IN (OLD.id, NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_reports_upd AFTER UPDATE OF status ON reports
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM report_indicators WHERE report_id IN (OLD.id, NEW.id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_countries_ins AFTER INSERT ON warning_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM warning_indicators WHERE warning_id = NEW.warning_id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_countries_upd AFTER UPDATE ON warning_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM warning_indicators WHERE warning_id IN (OLD.warning_id, NEW.warning_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_warning_countries_del AFTER DELETE ON warning_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM warning_indicators WHERE warning_id = OLD.warning_id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_countries_ins AFTER INSERT ON report_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM report_indicators WHERE report_id = NEW.report_id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_countries_upd AFTER UPDATE ON report_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM report_indicators WHERE report_id IN (OLD.report_id, NEW.report_id); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_report_countries_del AFTER DELETE ON report_countries
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM report_indicators WHERE report_id = OLD.report_id; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER prefix_dirty_indicators_upd AFTER UPDATE ON indicators
BEGIN INSERT INTO indicator_prefix_dirty (indicator_id) VALUES (OLD.id), (NEW.id); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER prefix_dirty_indicators_upd;
DROP TRIGGER prefix_dirty_report_countries_del;
DROP TRIGGER prefix_dirty_report_countries_upd;
DROP TRIGGER prefix_dirty_report_countries_ins;
DROP TRIGGER prefix_dirty_warning_countries_del;
DROP TRIGGER prefix_dirty_warning_countries_upd;
DROP TRIGGER prefix_dirty_warning_countries_ins;
DROP TRIGGER prefix_dirty_reports_upd;
DROP TRIGGER prefix_dirty_warnings_upd;
DROP TRIGGER prefix_dirty_report_indicators_del;
DROP TRIGGER prefix_dirty_report_indicators_upd;
DROP TRIGGER prefix_dirty_report_indicators_ins;
DROP TRIGGER prefix_dirty_warning_indicators_del;
DROP TRIGGER prefix_dirty_warning_indicators_upd;
DROP TRIGGER prefix_dirty_warning_indicators_ins;
DROP TABLE indicator_prefix_dirty;
DROP TABLE indicator_prefix_state;
DROP TABLE indicator_prefix_spans;
