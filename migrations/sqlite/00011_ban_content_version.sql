-- +goose Up
-- A member's ban moves the content version too: public lists count the
-- confirmations of members who are not banned, so a ban changes what they
-- show. (A ban's end is a moment, not a write: readers of those counts
-- also watch the clock, see service.Forum.ReportsStamp.)
DROP TRIGGER content_version_users_upd;
-- +goose StatementBegin
CREATE TRIGGER content_version_users_upd AFTER UPDATE OF pseudonym, role, organisation_id, trust_level, banned_until ON users
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER content_version_users_upd;
-- +goose StatementBegin
CREATE TRIGGER content_version_users_upd AFTER UPDATE OF pseudonym, role, organisation_id, trust_level ON users
BEGIN UPDATE content_version SET version = version + 1 WHERE id = 0; END;
-- +goose StatementEnd
