-- +goose Up
-- A smaller search index (00021 took 180 % of the content's size):
--
-- * search_docs keeps of a document only what ranking reads (title and
--   organisation, normalised; the names are derived from them), not the
--   body: its tsvector holds its words.
-- * Typos are found in the vocabulary of names, not in the names of every
--   document: search_terms holds each distinct name word (five runes or
--   more, not only digits) once, with a trigram index; a query word with a
--   typo is corrected against it and searched as words.
--
-- Every item is put in the backlog so that `serve` (or `forewarn search
-- reindex`) fills the vocabulary; the documents keep answering meanwhile.
ALTER TABLE search_docs DROP COLUMN body;
DROP INDEX search_docs_names;
ALTER TABLE search_docs DROP COLUMN names;
ALTER TABLE search_docs ADD COLUMN org TEXT NOT NULL DEFAULT '';
CREATE TABLE search_terms (
    id   BIGSERIAL PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
);
CREATE INDEX search_terms_grams ON search_terms USING gin (term public.gin_trgm_ops);
INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs ON CONFLICT (kind, item_id) DO NOTHING;

-- +goose Down
DROP TABLE search_terms;
ALTER TABLE search_docs DROP COLUMN org;
ALTER TABLE search_docs ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN body TEXT NOT NULL DEFAULT '';
CREATE INDEX search_docs_names ON search_docs USING gin (names public.gin_trgm_ops);
INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs ON CONFLICT (kind, item_id) DO NOTHING;
