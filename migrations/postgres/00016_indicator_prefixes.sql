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
    id           BIGSERIAL PRIMARY KEY,
    indicator_id BIGINT NOT NULL,
    country      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    added_seq    BIGINT NOT NULL,
    removed_seq  BIGINT,
    removed_at   BIGINT
);
CREATE INDEX indicator_prefix_spans_prefix ON indicator_prefix_spans (prefix);
CREATE INDEX indicator_prefix_spans_indicator ON indicator_prefix_spans (indicator_id);
CREATE INDEX indicator_prefix_spans_country ON indicator_prefix_spans (country, prefix);
CREATE INDEX indicator_prefix_spans_added ON indicator_prefix_spans (added_seq);
CREATE INDEX indicator_prefix_spans_removed ON indicator_prefix_spans (removed_seq);
CREATE TABLE indicator_prefix_state (
    id        INTEGER PRIMARY KEY CHECK (id = 0),
    seq       BIGINT NOT NULL,
    floor_seq BIGINT NOT NULL
);
INSERT INTO indicator_prefix_state (id, seq, floor_seq) VALUES (0, 0, 0);

-- The indicators whose spans may have to change: triggers add one row in
-- the writing transaction for every write to what decides whether an
-- indicator is public and where (a warning's or a report's status, their
-- indicators and routes, an indicator itself), whoever makes it; the next
-- reconciliation recomputes those indicators and deletes the rows it read
-- (by id: ids may commit out of order). Deleting a warning or a report
-- cascades to their links, whose triggers count. Every indicator is dirty
-- at first: the first reconciliation computes the whole set.
CREATE TABLE indicator_prefix_dirty (
    id           BIGSERIAL PRIMARY KEY,
    indicator_id BIGINT NOT NULL
);
CREATE INDEX indicator_prefix_dirty_indicator ON indicator_prefix_dirty (indicator_id);
INSERT INTO indicator_prefix_dirty (indicator_id) SELECT id FROM indicators;
-- +goose StatementBegin
CREATE FUNCTION mark_prefix_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Named by the schema of the written table, whatever the writer's
    -- search_path.
    IF TG_TABLE_NAME IN ('warning_indicators', 'report_indicators') THEN
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) VALUES ($1)', TG_TABLE_SCHEMA) USING OLD.indicator_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) VALUES ($1)', TG_TABLE_SCHEMA) USING NEW.indicator_id;
        END IF;
    ELSIF TG_TABLE_NAME = 'indicators' THEN
        EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) VALUES ($1), ($2)', TG_TABLE_SCHEMA) USING OLD.id, NEW.id;
    ELSIF TG_TABLE_NAME = 'warnings' THEN
        EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.warning_indicators WHERE warning_id IN ($1, $2)', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING OLD.id, NEW.id;
    ELSIF TG_TABLE_NAME = 'reports' THEN
        EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.report_indicators WHERE report_id IN ($1, $2)', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING OLD.id, NEW.id;
    ELSIF TG_TABLE_NAME = 'warning_countries' THEN
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.warning_indicators WHERE warning_id = $1', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING OLD.warning_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.warning_indicators WHERE warning_id = $1', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING NEW.warning_id;
        END IF;
    ELSIF TG_TABLE_NAME = 'report_countries' THEN
        IF TG_OP <> 'INSERT' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.report_indicators WHERE report_id = $1', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING OLD.report_id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            EXECUTE format('INSERT INTO %I.indicator_prefix_dirty (indicator_id) SELECT indicator_id FROM %I.report_indicators WHERE report_id = $1', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA) USING NEW.report_id;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER prefix_dirty_warning_indicators AFTER INSERT OR UPDATE OR DELETE ON warning_indicators FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_report_indicators AFTER INSERT OR UPDATE OR DELETE ON report_indicators FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_warning_countries AFTER INSERT OR UPDATE OR DELETE ON warning_countries FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_report_countries AFTER INSERT OR UPDATE OR DELETE ON report_countries FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_warnings AFTER UPDATE OF status ON warnings FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_reports AFTER UPDATE OF status ON reports FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();
CREATE TRIGGER prefix_dirty_indicators AFTER UPDATE ON indicators FOR EACH ROW EXECUTE FUNCTION mark_prefix_dirty();

-- +goose Down
DROP TRIGGER prefix_dirty_indicators ON indicators;
DROP TRIGGER prefix_dirty_reports ON reports;
DROP TRIGGER prefix_dirty_warnings ON warnings;
DROP TRIGGER prefix_dirty_report_countries ON report_countries;
DROP TRIGGER prefix_dirty_warning_countries ON warning_countries;
DROP TRIGGER prefix_dirty_report_indicators ON report_indicators;
DROP TRIGGER prefix_dirty_warning_indicators ON warning_indicators;
DROP FUNCTION mark_prefix_dirty();
DROP TABLE indicator_prefix_dirty;
DROP TABLE indicator_prefix_state;
DROP TABLE indicator_prefix_spans;
