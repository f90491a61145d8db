-- +goose Up
-- The change log of warnings, for partners who keep a copy
-- (GET /api/v1/changes): one row per warning, moved to a new position by
-- every write to the warning or to its texts, countries or indicator links,
-- by triggers, so that no writer (this server, an import, an operator's
-- SQL) can change a warning without the feed seeing it. A row whose
-- warning is not public (draft, in review) is never served.
--
-- Commit order against sequence order: a sequence number is taken during
-- the transaction, so a transaction can take 7, another take 8 and commit
-- first; a reader that handed out "8" as its position would then never see
-- 7. Instead of serialising writers, each row also keeps the ID of the
-- writing transaction (txid), and the feed is ordered by (txid, seq) and
-- serves only rows whose transaction is older than the oldest transaction
-- still running when it reads (pg_snapshot_xmin of its snapshot): those
-- transactions have all ended, and every transaction that writes later,
-- running now or not yet begun, has a larger ID, so its rows always sort
-- after any position already handed out. A long transaction delays the
-- feed, never makes it skip a change. No lock is taken: writers of
-- warnings never wait for each other here.
CREATE SEQUENCE warning_change_seq;
CREATE TABLE warning_changes (
    warning_id BIGINT PRIMARY KEY,
    txid       BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX warning_changes_position ON warning_changes (txid, seq);
INSERT INTO warning_changes (warning_id, txid, seq, changed_at)
    SELECT id, 0, nextval('warning_change_seq'), updated_at FROM warnings ORDER BY updated_at, id;
-- Expiry is a change by time: the feed looks it up by expires_at.
CREATE INDEX warnings_expiring ON warnings (expires_at) WHERE expires_at IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION record_warning_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wid BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'warnings' THEN
        wid := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        wid := OLD.warning_id;
    ELSE
        wid := NEW.warning_id;
    END IF;
    EXECUTE format('INSERT INTO %1$I.warning_changes (warning_id, txid, seq, changed_at)'
        ' VALUES ($1, pg_current_xact_id()::text::bigint, nextval(%2$L), now())'
        ' ON CONFLICT (warning_id) DO UPDATE SET txid = EXCLUDED.txid, seq = EXCLUDED.seq, changed_at = EXCLUDED.changed_at',
        TG_TABLE_SCHEMA, TG_TABLE_SCHEMA || '.warning_change_seq') USING wid;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER warning_changes_insert AFTER INSERT ON warnings
    FOR EACH ROW EXECUTE FUNCTION record_warning_change();
-- A claim (lock_version alone) changes nothing a partner sees.
CREATE TRIGGER warning_changes_update AFTER UPDATE ON warnings
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status OR OLD.severity IS DISTINCT FROM NEW.severity OR
        OLD.category_id IS DISTINCT FROM NEW.category_id OR OLD.lang IS DISTINCT FROM NEW.lang OR
        OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR
        OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.retracted_at IS DISTINCT FROM NEW.retracted_at OR
        OLD.retraction_reason IS DISTINCT FROM NEW.retraction_reason OR OLD.updated_at IS DISTINCT FROM NEW.updated_at)
    EXECUTE FUNCTION record_warning_change();
CREATE TRIGGER warning_changes_translations AFTER INSERT OR UPDATE OR DELETE ON warning_translations
    FOR EACH ROW EXECUTE FUNCTION record_warning_change();
CREATE TRIGGER warning_changes_countries AFTER INSERT OR UPDATE OR DELETE ON warning_countries
    FOR EACH ROW EXECUTE FUNCTION record_warning_change();
CREATE TRIGGER warning_changes_indicators AFTER INSERT OR UPDATE OR DELETE ON warning_indicators
    FOR EACH ROW EXECUTE FUNCTION record_warning_change();

-- +goose Down
DROP TRIGGER warning_changes_indicators ON warning_indicators;
DROP TRIGGER warning_changes_countries ON warning_countries;
DROP TRIGGER warning_changes_translations ON warning_translations;
DROP TRIGGER warning_changes_update ON warnings;
DROP TRIGGER warning_changes_insert ON warnings;
DROP FUNCTION record_warning_change();
DROP INDEX warnings_expiring;
DROP TABLE warning_changes;
DROP SEQUENCE warning_change_seq;
