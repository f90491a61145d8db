-- +goose Up
-- The search index: one row per public text (a warning in one language, a
-- report, a reply), holding the text normalised in Go (app/search: case,
-- accents, Arabic and Persian letter forms, digits), so that the index and
-- the query see the very same tokens on SQLite and on PostgreSQL. The
-- tsvector is written by the store from those tokens (weights A title,
-- B names, D body) and read with a tsquery cast from the same tokens, so
-- PostgreSQL's parser and dictionaries never re-read them (the 'simple'
-- configuration would keep them as they are); the accents are gone before
-- (unaccent's work is done in Go, for both engines alike). pg_trgm indexes
-- the names (title, organisation, adjacent words joined) for typos.
--
-- Freshness: triggers on every content table mark the item dirty in
-- search_dirty, whoever writes; the store indexes the dirty items in the
-- same transaction as the write (app/store/search.go), and a search reads
-- only items that are public at that moment.
--
-- The items already there wait in the backlog (backlog = 1), indexed in
-- batches by `serve` in the background after start and by `forewarn
-- search reindex`, never by a reader's or a moderator's write: a write
-- indexes only what it made dirty (backlog = 0).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE TABLE search_docs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    item_id      BIGINT NOT NULL,
    lang         TEXT NOT NULL,
    report_id    BIGINT,
    published_at TIMESTAMPTZ,
    title        TEXT NOT NULL,
    names        TEXT NOT NULL,
    body         TEXT NOT NULL,
    tsv          TSVECTOR NOT NULL
);
CREATE UNIQUE INDEX search_docs_item ON search_docs (kind, item_id, lang);
CREATE INDEX search_docs_tsv ON search_docs USING gin (tsv);
CREATE INDEX search_docs_names ON search_docs USING gin (names public.gin_trgm_ops);
CREATE TABLE search_dirty (
    kind    TEXT NOT NULL,
    backlog INTEGER NOT NULL DEFAULT 0,
    item_id BIGINT NOT NULL,
    PRIMARY KEY (kind, item_id)
);
CREATE INDEX search_dirty_fresh ON search_dirty (kind, item_id) WHERE backlog = 0;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'report', id, 1 FROM reports;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'reply', id, 1 FROM replies;

-- +goose StatementBegin
CREATE FUNCTION mark_search_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k TEXT;
    ids BIGINT[];
BEGIN
    IF TG_TABLE_NAME = 'warnings' THEN
        k := 'warning';
        ids := CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.id] ELSE ARRAY[NEW.id] END;
    ELSIF TG_TABLE_NAME = 'warning_translations' THEN
        k := 'warning';
        ids := CASE TG_OP WHEN 'DELETE' THEN ARRAY[OLD.warning_id] WHEN 'UPDATE' THEN ARRAY[OLD.warning_id, NEW.warning_id] ELSE ARRAY[NEW.warning_id] END;
    ELSIF TG_TABLE_NAME = 'warning_countries' THEN
        k := 'warning';
        ids := CASE TG_OP WHEN 'DELETE' THEN ARRAY[OLD.warning_id] WHEN 'UPDATE' THEN ARRAY[OLD.warning_id, NEW.warning_id] ELSE ARRAY[NEW.warning_id] END;
    ELSIF TG_TABLE_NAME = 'report_countries' THEN
        k := 'report';
        ids := CASE TG_OP WHEN 'DELETE' THEN ARRAY[OLD.report_id] WHEN 'UPDATE' THEN ARRAY[OLD.report_id, NEW.report_id] ELSE ARRAY[NEW.report_id] END;
    ELSIF TG_TABLE_NAME = 'reports' THEN
        k := 'report';
        ids := CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.id] ELSE ARRAY[NEW.id] END;
    ELSIF TG_TABLE_NAME = 'replies' THEN
        k := 'reply';
        ids := CASE WHEN TG_OP = 'DELETE' THEN ARRAY[OLD.id] ELSE ARRAY[NEW.id] END;
    ELSIF TG_TABLE_NAME = 'organisations' THEN
        IF OLD.name IS NOT DISTINCT FROM NEW.name THEN
            RETURN NULL;
        END IF;
        EXECUTE format('INSERT INTO %1$I.search_dirty (kind, item_id) SELECT ''warning'', id FROM %1$I.warnings WHERE organisation_id = $1 ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0', TG_TABLE_SCHEMA) USING NEW.id;
        RETURN NULL;
    END IF;
    -- DISTINCT: an update that keeps its warning or report names it twice,
    -- and one INSERT … ON CONFLICT DO UPDATE may not touch a row twice.
    EXECUTE format('INSERT INTO %I.search_dirty (kind, item_id) SELECT DISTINCT $1, id FROM unnest($2) AS id ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0', TG_TABLE_SCHEMA) USING k, ids;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER search_dirty_warnings AFTER INSERT OR UPDATE OR DELETE ON warnings FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_translations AFTER INSERT OR UPDATE OR DELETE ON warning_translations FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_organisations AFTER UPDATE ON organisations FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_reports AFTER INSERT OR UPDATE OR DELETE ON reports FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_warning_countries AFTER INSERT OR UPDATE OR DELETE ON warning_countries FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_report_countries AFTER INSERT OR UPDATE OR DELETE ON report_countries FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();
CREATE TRIGGER search_dirty_replies AFTER INSERT OR UPDATE OR DELETE ON replies FOR EACH ROW EXECUTE FUNCTION mark_search_dirty();

-- +goose Down
DROP TRIGGER search_dirty_replies ON replies;
DROP TRIGGER search_dirty_report_countries ON report_countries;
DROP TRIGGER search_dirty_warning_countries ON warning_countries;
DROP TRIGGER search_dirty_reports ON reports;
DROP TRIGGER search_dirty_organisations ON organisations;
DROP TRIGGER search_dirty_translations ON warning_translations;
DROP TRIGGER search_dirty_warnings ON warnings;
DROP FUNCTION mark_search_dirty();
DROP TABLE search_dirty;
DROP TABLE search_docs;
