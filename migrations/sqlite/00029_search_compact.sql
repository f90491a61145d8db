-- +goose Up
-- A smaller search index (00021 took 180 % of the content's size):
--
-- * search_docs keeps of a document only what ranking reads (title and
--   organisation, normalised; the names are derived from them), not the
--   body: the word index holds it alone.
--   search_fts is contentless (content=''), written by the store with the
--   document's rowid and deleted with it (contentless_delete), and keeps
--   in which column a word is, not where in it (detail=column): queries
--   are words and prefixes, all ANDed, filtered by column, never phrases;
--   snippets are cut in Go from the original texts.
-- * Typos are found in the vocabulary of names, not in the names of every
--   document: search_terms holds each distinct name word (five runes or
--   more, not only digits) once, with a trigram index; a query word with a
--   typo is corrected against it and searched as words.
--
-- The words already indexed are copied into the new word index, so search
-- keeps answering; every item is put in the backlog so that `serve` (or
-- `forewarn search reindex`) fills the vocabulary.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_grams;
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(title, names, body, content='', contentless_delete=1, detail=column, tokenize='unicode61 remove_diacritics 2');
INSERT INTO search_fts (rowid, title, names, body) SELECT id, title, names, body FROM search_docs;
ALTER TABLE search_docs DROP COLUMN body;
ALTER TABLE search_docs DROP COLUMN names;
ALTER TABLE search_docs ADD COLUMN org TEXT NOT NULL DEFAULT '';
-- +goose StatementBegin
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id;
END;
-- +goose StatementEnd
CREATE TABLE search_terms (
    id   INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE search_terms_grams USING fts5(term, content='search_terms', content_rowid='id', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER search_terms_ai AFTER INSERT ON search_terms BEGIN
    INSERT INTO search_terms_grams (rowid, term) VALUES (NEW.id, NEW.term);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_terms_ad AFTER DELETE ON search_terms BEGIN
    INSERT INTO search_terms_grams (search_terms_grams, rowid, term) VALUES ('delete', OLD.id, OLD.term);
END;
-- +goose StatementEnd
INSERT INTO search_dirty (kind, item_id, backlog) SELECT DISTINCT kind, item_id, 1 FROM search_docs WHERE true ON CONFLICT (kind, item_id) DO NOTHING;

-- +goose Down
DROP TRIGGER search_terms_ad;
DROP TRIGGER search_terms_ai;
DROP TABLE search_terms_grams;
DROP TABLE search_terms;
DROP TRIGGER search_docs_ad;
DROP TABLE search_fts;
ALTER TABLE search_docs DROP COLUMN org;
ALTER TABLE search_docs ADD COLUMN names TEXT NOT NULL DEFAULT '';
ALTER TABLE search_docs ADD COLUMN body TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE search_fts USING fts5(title, names, body, content='search_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_grams USING fts5(names, content='search_docs', content_rowid='id', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, title, names, body) VALUES (NEW.id, NEW.title, NEW.names, NEW.body);
    INSERT INTO search_grams (rowid, names) VALUES (NEW.id, NEW.names);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, names, body) VALUES ('delete', OLD.id, OLD.title, OLD.names, OLD.body);
    INSERT INTO search_grams (search_grams, rowid, names) VALUES ('delete', OLD.id, OLD.names);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, names, body) VALUES ('delete', OLD.id, OLD.title, OLD.names, OLD.body);
    INSERT INTO search_grams (search_grams, rowid, names) VALUES ('delete', OLD.id, OLD.names);
    INSERT INTO search_fts (rowid, title, names, body) VALUES (NEW.id, NEW.title, NEW.names, NEW.body);
    INSERT INTO search_grams (rowid, names) VALUES (NEW.id, NEW.names);
END;
-- +goose StatementEnd
-- The bodies are gone: every item is indexed again.
DELETE FROM search_docs;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings WHERE true ON CONFLICT (kind, item_id) DO NOTHING;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'report', id, 1 FROM reports WHERE true ON CONFLICT (kind, item_id) DO NOTHING;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'reply', id, 1 FROM replies WHERE true ON CONFLICT (kind, item_id) DO NOTHING;
