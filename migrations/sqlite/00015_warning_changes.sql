-- +goose Up
-- The change log of warnings, for partners who keep a copy
-- (GET /api/v1/changes): one row per warning, moved to a new position by
-- every write to the warning or to its texts, countries or indicator links,
-- by triggers, so that no writer (this server, an import, an operator's
-- SQL) can change a warning without the feed seeing it. A row whose
-- warning is not public (draft, in review) is never served.
--
-- SQLite lets one transaction write at a time, from its first write to its
-- commit, so positions are taken in commit order: a reader never sees a
-- position before an earlier one is visible. The position comes from a
-- counter row, never from MAX(seq), so that it is never handed out twice.
CREATE TABLE warning_change_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 0),
    value INTEGER NOT NULL
);
CREATE TABLE warning_changes (
    warning_id INTEGER PRIMARY KEY,
    seq        INTEGER NOT NULL,
    changed_at DATETIME NOT NULL
);
CREATE INDEX warning_changes_position ON warning_changes (seq);
INSERT INTO warning_changes (warning_id, seq, changed_at)
    SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id), updated_at FROM warnings;
INSERT INTO warning_change_counter (id, value) SELECT 0, COUNT(*) FROM warnings;
-- Expiry is a change by time: the feed looks it up by expires_at.
CREATE INDEX warnings_expiring ON warnings (expires_at) WHERE expires_at IS NOT NULL;
-- +goose StatementBegin
CREATE TRIGGER warning_changes_insert AFTER INSERT ON warnings
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- A claim (lock_version alone) changes nothing a partner sees.
-- +goose StatementBegin
CREATE TRIGGER warning_changes_update AFTER UPDATE ON warnings
WHEN OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity OR OLD.category_id IS NOT NEW.category_id OR OLD.lang IS NOT NEW.lang OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.expires_at IS NOT NEW.expires_at OR OLD.published_at IS NOT NEW.published_at OR OLD.retracted_at IS NOT NEW.retracted_at OR OLD.retraction_reason IS NOT NEW.retraction_reason OR OLD.updated_at IS NOT NEW.updated_at
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_translations_ins AFTER INSERT ON warning_translations
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_translations_upd AFTER UPDATE ON warning_translations
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_translations_del AFTER DELETE ON warning_translations
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (OLD.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_countries_ins AFTER INSERT ON warning_countries
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_countries_upd AFTER UPDATE ON warning_countries
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_countries_del AFTER DELETE ON warning_countries
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (OLD.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_indicators_ins AFTER INSERT ON warning_indicators
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_indicators_upd AFTER UPDATE ON warning_indicators
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (NEW.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_indicators_del AFTER DELETE ON warning_indicators
BEGIN
    UPDATE warning_change_counter SET value = value + 1 WHERE id = 0;
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        VALUES (OLD.warning_id, (SELECT value FROM warning_change_counter WHERE id = 0), CURRENT_TIMESTAMP)
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER warning_changes_indicators_del;
DROP TRIGGER warning_changes_indicators_upd;
DROP TRIGGER warning_changes_indicators_ins;
DROP TRIGGER warning_changes_countries_del;
DROP TRIGGER warning_changes_countries_upd;
DROP TRIGGER warning_changes_countries_ins;
DROP TRIGGER warning_changes_translations_del;
DROP TRIGGER warning_changes_translations_upd;
DROP TRIGGER warning_changes_translations_ins;
DROP TRIGGER warning_changes_update;
DROP TRIGGER warning_changes_insert;
DROP INDEX warnings_expiring;
DROP TABLE warning_changes;
DROP TABLE warning_change_counter;
