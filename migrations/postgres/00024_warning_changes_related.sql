-- +goose Up
-- The change log of warnings (00015) also moves a warning when something
-- it shows changes elsewhere: its organisation's name or verification, and
-- the count of public reports that name one of its indicators (a report
-- published, hidden, rejected, locked or deleted, or its indicators
-- re-extracted after an edit). The rows are written without a number and
-- numbered one by one at the commit, as 00015 explains.
-- +goose StatementBegin
CREATE FUNCTION record_related_warning_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    upsert CONSTANT TEXT := ' ON CONFLICT (warning_id) DO UPDATE SET seq = NULL, changed_at = EXCLUDED.changed_at';
    rid    BIGINT;
    status TEXT;
BEGIN
    IF TG_TABLE_NAME = 'organisations' THEN
        EXECUTE format('INSERT INTO %1$I.warning_changes (warning_id, seq, changed_at)'
            ' SELECT id, NULL, now() FROM %1$I.warnings WHERE organisation_id = $1', TG_TABLE_SCHEMA) || upsert USING NEW.id;
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'reports' THEN
        IF TG_OP = 'DELETE' THEN
            rid := OLD.id;
        ELSE
            rid := NEW.id;
        END IF;
        EXECUTE format('INSERT INTO %1$I.warning_changes (warning_id, seq, changed_at)'
            ' SELECT DISTINCT wi.warning_id, NULL::BIGINT, now() FROM %1$I.warning_indicators wi'
            ' JOIN %1$I.report_indicators ri ON ri.indicator_id = wi.indicator_id WHERE ri.report_id = $1', TG_TABLE_SCHEMA) || upsert USING rid;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    -- report_indicators: only a public report's links count.
    IF TG_OP = 'DELETE' THEN
        rid := OLD.report_id;
    ELSE
        rid := NEW.report_id;
    END IF;
    EXECUTE format('SELECT status FROM %I.reports WHERE id = $1', TG_TABLE_SCHEMA) INTO status USING rid;
    IF status IN ('published', 'locked') THEN
        EXECUTE format('INSERT INTO %1$I.warning_changes (warning_id, seq, changed_at)'
            ' SELECT DISTINCT warning_id, NULL::BIGINT, now() FROM %1$I.warning_indicators WHERE indicator_id = $1', TG_TABLE_SCHEMA) || upsert
            USING CASE WHEN TG_OP = 'DELETE' THEN OLD.indicator_id ELSE NEW.indicator_id END;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER warning_changes_organisations AFTER UPDATE ON organisations
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.verified IS DISTINCT FROM NEW.verified)
    EXECUTE FUNCTION record_related_warning_changes();
CREATE TRIGGER warning_changes_report_status AFTER UPDATE OF status ON reports
    FOR EACH ROW WHEN ((OLD.status IN ('published', 'locked')) IS DISTINCT FROM (NEW.status IN ('published', 'locked')))
    EXECUTE FUNCTION record_related_warning_changes();
-- Before the deletion: the cascade removes the report's indicator links.
CREATE TRIGGER warning_changes_report_delete BEFORE DELETE ON reports
    FOR EACH ROW WHEN (OLD.status IN ('published', 'locked'))
    EXECUTE FUNCTION record_related_warning_changes();
CREATE TRIGGER warning_changes_report_indicators AFTER INSERT OR DELETE ON report_indicators
    FOR EACH ROW EXECUTE FUNCTION record_related_warning_changes();

-- +goose Down
DROP TRIGGER warning_changes_report_indicators ON report_indicators;
DROP TRIGGER warning_changes_report_delete ON reports;
DROP TRIGGER warning_changes_report_status ON reports;
DROP TRIGGER warning_changes_organisations ON organisations;
DROP FUNCTION record_related_warning_changes();
