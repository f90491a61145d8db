-- +goose Up
-- The change log of warnings (00015) also moves a warning when something
-- it shows changes elsewhere: its organisation's name or verification, and
-- the count of public reports that name one of its indicators (a report
-- published, hidden, rejected, locked or deleted, or its indicators
-- re-extracted after an edit). Each moved warning takes its own position,
-- so that a page boundary never falls between two with the same one.
-- +goose StatementBegin
CREATE TRIGGER warning_changes_organisations AFTER UPDATE ON organisations
WHEN OLD.name IS NOT NEW.name OR OLD.verified IS NOT NEW.verified
BEGIN
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        SELECT id, (SELECT value FROM warning_change_counter WHERE id = 0) + ROW_NUMBER() OVER (ORDER BY id), CURRENT_TIMESTAMP
        FROM warnings WHERE organisation_id = NEW.id
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
    UPDATE warning_change_counter SET value = value + (SELECT COUNT(*) FROM warnings WHERE organisation_id = NEW.id) WHERE id = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_report_status AFTER UPDATE OF status ON reports
WHEN (OLD.status IN ('published', 'locked')) IS NOT (NEW.status IN ('published', 'locked'))
BEGIN
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        SELECT warning_id, (SELECT value FROM warning_change_counter WHERE id = 0) + ROW_NUMBER() OVER (ORDER BY warning_id), CURRENT_TIMESTAMP
        FROM (SELECT DISTINCT wi.warning_id FROM warning_indicators wi JOIN report_indicators ri ON ri.indicator_id = wi.indicator_id WHERE ri.report_id = NEW.id)
        WHERE true
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
    UPDATE warning_change_counter SET value = value + (SELECT COUNT(DISTINCT wi.warning_id) FROM warning_indicators wi JOIN report_indicators ri ON ri.indicator_id = wi.indicator_id WHERE ri.report_id = NEW.id) WHERE id = 0;
END;
-- +goose StatementEnd
-- A public report's deletion: its indicator links go with it (cascade),
-- so the warnings are found while they are still there.
-- +goose StatementBegin
CREATE TRIGGER warning_changes_report_delete BEFORE DELETE ON reports
WHEN OLD.status IN ('published', 'locked')
BEGIN
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        SELECT warning_id, (SELECT value FROM warning_change_counter WHERE id = 0) + ROW_NUMBER() OVER (ORDER BY warning_id), CURRENT_TIMESTAMP
        FROM (SELECT DISTINCT wi.warning_id FROM warning_indicators wi JOIN report_indicators ri ON ri.indicator_id = wi.indicator_id WHERE ri.report_id = OLD.id)
        WHERE true
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
    UPDATE warning_change_counter SET value = value + (SELECT COUNT(DISTINCT wi.warning_id) FROM warning_indicators wi JOIN report_indicators ri ON ri.indicator_id = wi.indicator_id WHERE ri.report_id = OLD.id) WHERE id = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_report_indicators_ins AFTER INSERT ON report_indicators
WHEN (SELECT status FROM reports WHERE id = NEW.report_id) IN ('published', 'locked')
BEGIN
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        SELECT warning_id, (SELECT value FROM warning_change_counter WHERE id = 0) + ROW_NUMBER() OVER (ORDER BY warning_id), CURRENT_TIMESTAMP
        FROM (SELECT DISTINCT warning_id FROM warning_indicators WHERE indicator_id = NEW.indicator_id)
        WHERE true
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
    UPDATE warning_change_counter SET value = value + (SELECT COUNT(DISTINCT warning_id) FROM warning_indicators WHERE indicator_id = NEW.indicator_id) WHERE id = 0;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER warning_changes_report_indicators_del AFTER DELETE ON report_indicators
WHEN (SELECT status FROM reports WHERE id = OLD.report_id) IN ('published', 'locked')
BEGIN
    INSERT INTO warning_changes (warning_id, seq, changed_at)
        SELECT warning_id, (SELECT value FROM warning_change_counter WHERE id = 0) + ROW_NUMBER() OVER (ORDER BY warning_id), CURRENT_TIMESTAMP
        FROM (SELECT DISTINCT warning_id FROM warning_indicators WHERE indicator_id = OLD.indicator_id)
        WHERE true
        ON CONFLICT (warning_id) DO UPDATE SET seq = excluded.seq, changed_at = excluded.changed_at;
    UPDATE warning_change_counter SET value = value + (SELECT COUNT(DISTINCT warning_id) FROM warning_indicators WHERE indicator_id = OLD.indicator_id) WHERE id = 0;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER warning_changes_report_indicators_del;
DROP TRIGGER warning_changes_report_indicators_ins;
DROP TRIGGER warning_changes_report_delete;
DROP TRIGGER warning_changes_report_status;
DROP TRIGGER warning_changes_organisations;
