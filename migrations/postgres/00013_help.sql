-- +goose Up
-- Help where the danger is: per country and language, the entries admins
-- keep (the national anti-trafficking hotline, the labour inspectorate,
-- the emergency number, other services), and the organisations' own
-- public contacts with the countries they cover. Both are public pages:
-- their writes move the content version (see 00009).
CREATE TABLE help_entries (
    id          BIGSERIAL PRIMARY KEY,
    country     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('hotline', 'inspectorate', 'emergency', 'other')),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    website     TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '',
    seed_key    TEXT UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX help_entries_country ON help_entries (country, lang);

ALTER TABLE organisations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN languages TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN helps_with TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN countries TEXT NOT NULL DEFAULT '';

CREATE CONSTRAINT TRIGGER content_version_help_entries AFTER INSERT OR UPDATE OR DELETE ON help_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER content_version_help_entries_truncate AFTER TRUNCATE ON help_entries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();

-- +goose Down
DROP TRIGGER content_version_help_entries_truncate ON help_entries;
DROP TRIGGER content_version_help_entries ON help_entries;
ALTER TABLE organisations DROP COLUMN countries;
ALTER TABLE organisations DROP COLUMN helps_with;
ALTER TABLE organisations DROP COLUMN languages;
ALTER TABLE organisations DROP COLUMN hours;
ALTER TABLE organisations DROP COLUMN email;
ALTER TABLE organisations DROP COLUMN phone;
DROP TABLE help_entries;
