-- +goose Up
-- The change log of warnings, for partners who keep a copy
-- (GET /api/v1/changes): one row per warning, moved to a new position by
-- every write to the warning or to its texts, countries or indicator links,
-- by triggers, so that no writer (this server, an import, an operator's
-- SQL) can change a warning without the feed seeing it. A row whose
-- warning is not public (draft, in review) is never served.
--
-- Commit order against sequence order: a number taken from a sequence
-- during a transaction does not say when it commits: one transaction can
-- take 7, another take 8 and commit first; a reader that handed out "8" as
-- a partner's position would then never serve 7. So a change gets its
-- number at the commit, not before: the row triggers write the change with
-- no number (seq NULL), and a constraint trigger deferred to the commit
-- numbers it while holding a transaction-level advisory lock, which is
-- released only once the commit is visible. Numbering writers thus take
-- turns, and a number is taken only after every smaller one is committed
-- (or rolled back): number order is commit order, and a reader that sees
-- a number sees every smaller one. The lock is held only from the
-- deferred trigger to the end of the commit, and is taken after the
-- content version's deferred row lock (whose trigger was queued first), in
-- the same order by every transaction, so the two cannot deadlock. A
-- session that sets its constraints IMMEDIATE gives up the guarantee.
-- Uncommitted rows are invisible to readers; a committed row always has a
-- number.
CREATE SEQUENCE warning_change_seq;
CREATE TABLE warning_changes (
    warning_id BIGINT PRIMARY KEY,
    seq        BIGINT,
    changed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX warning_changes_position ON warning_changes (seq);
INSERT INTO warning_changes (warning_id, seq, changed_at)
    SELECT id, nextval('warning_change_seq'), updated_at FROM warnings ORDER BY updated_at, id;
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
    EXECUTE format('INSERT INTO %I.warning_changes (warning_id, seq, changed_at) VALUES ($1, NULL, now())'
        ' ON CONFLICT (warning_id) DO UPDATE SET seq = NULL, changed_at = EXCLUDED.changed_at', TG_TABLE_SCHEMA) USING wid;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION number_warning_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('forewarn.warning_changes'));
    EXECUTE format('UPDATE %1$I.warning_changes SET seq = nextval(%2$L) WHERE warning_id = $1 AND seq IS NULL',
        TG_TABLE_SCHEMA, TG_TABLE_SCHEMA || '.warning_change_seq') USING NEW.warning_id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER warning_changes_number AFTER INSERT OR UPDATE ON warning_changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION number_warning_change();
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
DROP TRIGGER warning_changes_number ON warning_changes;
DROP FUNCTION number_warning_change();
DROP FUNCTION record_warning_change();
DROP INDEX warnings_expiring;
DROP TABLE warning_changes;
DROP SEQUENCE warning_change_seq;
