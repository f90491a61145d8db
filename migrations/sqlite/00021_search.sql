-- +goose Up
-- The search index: one row per public text (a warning in one language, a
-- report, a reply), holding the text normalised in Go (app/search: case,
-- accents, Arabic and Persian letter forms, digits), so that the index and
-- the query see the very same tokens on SQLite and on PostgreSQL. FTS5
-- tables read their text from search_docs (external content), one with the
-- unicode61 tokenizer for words and prefixes, one with the trigram
-- tokenizer over the names (title, organisation, adjacent words joined)
-- for typos.
--
-- Freshness: triggers on every content table mark the item dirty in
-- search_dirty, whoever writes (this server, an import, an operator's SQL);
-- the store indexes the dirty items in the same transaction as the write
-- (app/store/search.go), and a search reads only items that are public at
-- that moment, so a hidden or retracted item is never served even before
-- it is indexed again.
--
-- The items already there wait in the backlog (backlog = 1), indexed in
-- batches by `serve` in the background after start and by `forewarn
-- search reindex`, never by a reader's or a moderator's write: a write
-- indexes only what it made dirty (backlog = 0).
CREATE TABLE search_docs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    item_id      INTEGER NOT NULL,
    lang         TEXT NOT NULL,
    report_id    INTEGER,
    published_at DATETIME,
    title        TEXT NOT NULL,
    names        TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE UNIQUE INDEX search_docs_item ON search_docs (kind, item_id, lang);
CREATE TABLE search_dirty (
    kind    TEXT NOT NULL,
    backlog INTEGER NOT NULL DEFAULT 0,
    item_id INTEGER NOT NULL,
    PRIMARY KEY (kind, item_id)
);
CREATE INDEX search_dirty_fresh ON search_dirty (kind, item_id) WHERE backlog = 0;
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
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'warning', id, 1 FROM warnings;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'report', id, 1 FROM reports;
INSERT INTO search_dirty (kind, item_id, backlog) SELECT 'reply', id, 1 FROM replies;
-- +goose StatementBegin
CREATE TRIGGER search_dirty_warnings_ins AFTER INSERT ON warnings BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_warnings_upd AFTER UPDATE ON warnings BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_warnings_del AFTER DELETE ON warnings BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', OLD.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_translations_ins AFTER INSERT ON warning_translations BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', NEW.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_translations_upd AFTER UPDATE ON warning_translations BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', NEW.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', OLD.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_translations_del AFTER DELETE ON warning_translations BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', OLD.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_organisations_upd AFTER UPDATE ON organisations WHEN OLD.name IS NOT NEW.name BEGIN
    INSERT INTO search_dirty (kind, item_id) SELECT 'warning', id FROM warnings WHERE organisation_id = NEW.id ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_reports_ins AFTER INSERT ON reports BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('report', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_reports_upd AFTER UPDATE ON reports BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('report', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_reports_del AFTER DELETE ON reports BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('report', OLD.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_replies_ins AFTER INSERT ON replies BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('reply', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_replies_upd AFTER UPDATE ON replies BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('reply', NEW.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_replies_del AFTER DELETE ON replies BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('reply', OLD.id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_warning_countries_ins AFTER INSERT ON warning_countries BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', NEW.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_warning_countries_del AFTER DELETE ON warning_countries BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('warning', OLD.warning_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_report_countries_ins AFTER INSERT ON report_countries BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('report', NEW.report_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER search_dirty_report_countries_del AFTER DELETE ON report_countries BEGIN
    INSERT INTO search_dirty (kind, item_id) VALUES ('report', OLD.report_id) ON CONFLICT (kind, item_id) DO UPDATE SET backlog = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER search_dirty_warning_countries_ins;
DROP TRIGGER search_dirty_warning_countries_del;
DROP TRIGGER search_dirty_report_countries_ins;
DROP TRIGGER search_dirty_report_countries_del;
DROP TRIGGER search_dirty_replies_del;
DROP TRIGGER search_dirty_replies_upd;
DROP TRIGGER search_dirty_replies_ins;
DROP TRIGGER search_dirty_reports_del;
DROP TRIGGER search_dirty_reports_upd;
DROP TRIGGER search_dirty_reports_ins;
DROP TRIGGER search_dirty_organisations_upd;
DROP TRIGGER search_dirty_translations_del;
DROP TRIGGER search_dirty_translations_upd;
DROP TRIGGER search_dirty_translations_ins;
DROP TRIGGER search_dirty_warnings_del;
DROP TRIGGER search_dirty_warnings_upd;
DROP TRIGGER search_dirty_warnings_ins;
DROP TRIGGER search_docs_au;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_ai;
DROP TABLE search_grams;
DROP TABLE search_fts;
DROP TABLE search_dirty;
DROP TABLE search_docs;
