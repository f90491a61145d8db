-- +goose Up
-- The content version: one number that every write to what public pages
-- and the API show moves, whoever writes it (this server, another instance,
-- a seed or import command, an operator's SQL), so that a page cache keyed
-- on it is exact. Triggers bump it in the writing transaction: the new
-- number becomes visible at the commit, together with the content. The
-- version is the sum of the table's rows (one here; PostgreSQL spreads
-- concurrent writers over several).
-- Users count only by the columns public pages show (a login or a password
-- change is no new content; a member without posts is not public either).
CREATE TABLE content_version (
    id      INTEGER PRIMARY KEY CHECK (id = 0),
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO content_version (id, version) VALUES (0, 0);
-- +goose StatementBegin
CREATE TRIGGER content_version_organisations_ins AFTER INSERT ON organisations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_organisations_upd AFTER UPDATE ON organisations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_organisations_del AFTER DELETE ON organisations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_categories_ins AFTER INSERT ON categories
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_categories_upd AFTER UPDATE ON categories
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_categories_del AFTER DELETE ON categories
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_category_names_ins AFTER INSERT ON category_names
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_category_names_upd AFTER UPDATE ON category_names
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_category_names_del AFTER DELETE ON category_names
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_reports_ins AFTER INSERT ON reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_reports_upd AFTER UPDATE ON reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_reports_del AFTER DELETE ON reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_countries_ins AFTER INSERT ON report_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_countries_upd AFTER UPDATE ON report_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_countries_del AFTER DELETE ON report_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_images_ins AFTER INSERT ON report_images
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_images_upd AFTER UPDATE ON report_images
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_images_del AFTER DELETE ON report_images
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_confirmations_ins AFTER INSERT ON report_confirmations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_confirmations_upd AFTER UPDATE ON report_confirmations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_confirmations_del AFTER DELETE ON report_confirmations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_replies_ins AFTER INSERT ON replies
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_replies_upd AFTER UPDATE ON replies
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_replies_del AFTER DELETE ON replies
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warnings_ins AFTER INSERT ON warnings
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warnings_upd AFTER UPDATE ON warnings
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warnings_del AFTER DELETE ON warnings
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_translations_ins AFTER INSERT ON warning_translations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_translations_upd AFTER UPDATE ON warning_translations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_translations_del AFTER DELETE ON warning_translations
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_countries_ins AFTER INSERT ON warning_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_countries_upd AFTER UPDATE ON warning_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_countries_del AFTER DELETE ON warning_countries
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_reports_ins AFTER INSERT ON warning_reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_reports_upd AFTER UPDATE ON warning_reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_reports_del AFTER DELETE ON warning_reports
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_indicators_ins AFTER INSERT ON indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_indicators_upd AFTER UPDATE ON indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_indicators_del AFTER DELETE ON indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_indicators_ins AFTER INSERT ON warning_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_indicators_upd AFTER UPDATE ON warning_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_warning_indicators_del AFTER DELETE ON warning_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_indicators_ins AFTER INSERT ON report_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_indicators_upd AFTER UPDATE ON report_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_report_indicators_del AFTER DELETE ON report_indicators
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_users_upd AFTER UPDATE OF pseudonym, role, organisation_id, trust_level ON users
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER content_version_users_del AFTER DELETE ON users
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER content_version_users_del;
DROP TRIGGER content_version_users_upd;
DROP TRIGGER content_version_report_indicators_del;
DROP TRIGGER content_version_report_indicators_upd;
DROP TRIGGER content_version_report_indicators_ins;
DROP TRIGGER content_version_warning_indicators_del;
DROP TRIGGER content_version_warning_indicators_upd;
DROP TRIGGER content_version_warning_indicators_ins;
DROP TRIGGER content_version_indicators_del;
DROP TRIGGER content_version_indicators_upd;
DROP TRIGGER content_version_indicators_ins;
DROP TRIGGER content_version_warning_reports_del;
DROP TRIGGER content_version_warning_reports_upd;
DROP TRIGGER content_version_warning_reports_ins;
DROP TRIGGER content_version_warning_countries_del;
DROP TRIGGER content_version_warning_countries_upd;
DROP TRIGGER content_version_warning_countries_ins;
DROP TRIGGER content_version_warning_translations_del;
DROP TRIGGER content_version_warning_translations_upd;
DROP TRIGGER content_version_warning_translations_ins;
DROP TRIGGER content_version_warnings_del;
DROP TRIGGER content_version_warnings_upd;
DROP TRIGGER content_version_warnings_ins;
DROP TRIGGER content_version_replies_del;
DROP TRIGGER content_version_replies_upd;
DROP TRIGGER content_version_replies_ins;
DROP TRIGGER content_version_report_confirmations_del;
DROP TRIGGER content_version_report_confirmations_upd;
DROP TRIGGER content_version_report_confirmations_ins;
DROP TRIGGER content_version_report_images_del;
DROP TRIGGER content_version_report_images_upd;
DROP TRIGGER content_version_report_images_ins;
DROP TRIGGER content_version_report_countries_del;
DROP TRIGGER content_version_report_countries_upd;
DROP TRIGGER content_version_report_countries_ins;
DROP TRIGGER content_version_reports_del;
DROP TRIGGER content_version_reports_upd;
DROP TRIGGER content_version_reports_ins;
DROP TRIGGER content_version_category_names_del;
DROP TRIGGER content_version_category_names_upd;
DROP TRIGGER content_version_category_names_ins;
DROP TRIGGER content_version_categories_del;
DROP TRIGGER content_version_categories_upd;
DROP TRIGGER content_version_categories_ins;
DROP TRIGGER content_version_organisations_del;
DROP TRIGGER content_version_organisations_upd;
DROP TRIGGER content_version_organisations_ins;
DROP TABLE content_version;
