-- +goose Up
-- The content version: one number that every write to what public pages
-- and the API show moves, whoever writes it (this server, another instance,
-- a seed or import command, an operator's SQL), so that a page cache keyed
-- on it is exact. Users count only by the columns public pages show (a
-- login or a password change is no new content, nor is a member without
-- posts).
--
-- The triggers are deferred to the commit and bump the number once per
-- transaction: a row lock on content_version is taken last and held only
-- through the commit, so writers never deadlock on it, and the new number
-- becomes visible together with the content it stands for. The version is
-- the sum of 16 rows, each transaction bumping the row of its backend, so
-- that concurrent writers seldom wait for each other's commit; the sum
-- only grows, by one per writing transaction.
CREATE TABLE content_version (
    id      INTEGER PRIMARY KEY CHECK (id >= 0 AND id < 16),
    version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO content_version (id, version) SELECT g, 0 FROM generate_series(0, 15) g;

-- +goose StatementBegin
CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('forewarn.content_bumped', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('forewarn.content_bumped', 'on', true);
    -- Named by the schema of the written table, whatever the writer's
    -- search_path: an operator's schema-qualified write is counted too.
    EXECUTE format('UPDATE %I.content_version SET version = version + 1 WHERE id = $1', TG_TABLE_SCHEMA)
        USING pg_backend_pid() % 16;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER content_version_organisations AFTER INSERT OR UPDATE OR DELETE ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_organisations_truncate AFTER TRUNCATE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_categories AFTER INSERT OR UPDATE OR DELETE ON categories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_categories_truncate AFTER TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_category_names AFTER INSERT OR UPDATE OR DELETE ON category_names
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_category_names_truncate AFTER TRUNCATE ON category_names
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_reports AFTER INSERT OR UPDATE OR DELETE ON reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_reports_truncate AFTER TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_report_countries AFTER INSERT OR UPDATE OR DELETE ON report_countries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_report_countries_truncate AFTER TRUNCATE ON report_countries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_report_images AFTER INSERT OR UPDATE OR DELETE ON report_images
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_report_images_truncate AFTER TRUNCATE ON report_images
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_report_confirmations AFTER INSERT OR UPDATE OR DELETE ON report_confirmations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_report_confirmations_truncate AFTER TRUNCATE ON report_confirmations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_replies AFTER INSERT OR UPDATE OR DELETE ON replies
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_replies_truncate AFTER TRUNCATE ON replies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_warnings AFTER INSERT OR UPDATE OR DELETE ON warnings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_warnings_truncate AFTER TRUNCATE ON warnings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_warning_translations AFTER INSERT OR UPDATE OR DELETE ON warning_translations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_warning_translations_truncate AFTER TRUNCATE ON warning_translations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_warning_countries AFTER INSERT OR UPDATE OR DELETE ON warning_countries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_warning_countries_truncate AFTER TRUNCATE ON warning_countries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_warning_reports AFTER INSERT OR UPDATE OR DELETE ON warning_reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_warning_reports_truncate AFTER TRUNCATE ON warning_reports
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_indicators AFTER INSERT OR UPDATE OR DELETE ON indicators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_indicators_truncate AFTER TRUNCATE ON indicators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_warning_indicators AFTER INSERT OR UPDATE OR DELETE ON warning_indicators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_warning_indicators_truncate AFTER TRUNCATE ON warning_indicators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_report_indicators AFTER INSERT OR UPDATE OR DELETE ON report_indicators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_report_indicators_truncate AFTER TRUNCATE ON report_indicators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE CONSTRAINT TRIGGER content_version_users AFTER UPDATE OF pseudonym, role, organisation_id, trust_level OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();

-- +goose Down
DROP TRIGGER content_version_users ON users;
DROP TRIGGER content_version_report_indicators_truncate ON report_indicators;
DROP TRIGGER content_version_report_indicators ON report_indicators;
DROP TRIGGER content_version_warning_indicators_truncate ON warning_indicators;
DROP TRIGGER content_version_warning_indicators ON warning_indicators;
DROP TRIGGER content_version_indicators_truncate ON indicators;
DROP TRIGGER content_version_indicators ON indicators;
DROP TRIGGER content_version_warning_reports_truncate ON warning_reports;
DROP TRIGGER content_version_warning_reports ON warning_reports;
DROP TRIGGER content_version_warning_countries_truncate ON warning_countries;
DROP TRIGGER content_version_warning_countries ON warning_countries;
DROP TRIGGER content_version_warning_translations_truncate ON warning_translations;
DROP TRIGGER content_version_warning_translations ON warning_translations;
DROP TRIGGER content_version_warnings_truncate ON warnings;
DROP TRIGGER content_version_warnings ON warnings;
DROP TRIGGER content_version_replies_truncate ON replies;
DROP TRIGGER content_version_replies ON replies;
DROP TRIGGER content_version_report_confirmations_truncate ON report_confirmations;
DROP TRIGGER content_version_report_confirmations ON report_confirmations;
DROP TRIGGER content_version_report_images_truncate ON report_images;
DROP TRIGGER content_version_report_images ON report_images;
DROP TRIGGER content_version_report_countries_truncate ON report_countries;
DROP TRIGGER content_version_report_countries ON report_countries;
DROP TRIGGER content_version_reports_truncate ON reports;
DROP TRIGGER content_version_reports ON reports;
DROP TRIGGER content_version_category_names_truncate ON category_names;
DROP TRIGGER content_version_category_names ON category_names;
DROP TRIGGER content_version_categories_truncate ON categories;
DROP TRIGGER content_version_categories ON categories;
DROP TRIGGER content_version_organisations_truncate ON organisations;
DROP TRIGGER content_version_organisations ON organisations;
DROP FUNCTION bump_content_version();
DROP TABLE content_version;
