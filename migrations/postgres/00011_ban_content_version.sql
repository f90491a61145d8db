-- +goose Up
-- A member's ban moves the content version too: public lists count the
-- confirmations of members who are not banned, so a ban changes what they
-- show. (A ban's end is a moment, not a write: readers of those counts
-- also watch the clock, see service.Forum.ReportsStamp.)
DROP TRIGGER content_version_users ON users;
CREATE CONSTRAINT TRIGGER content_version_users AFTER UPDATE OF pseudonym, role, organisation_id, trust_level, banned_until OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();

-- +goose Down
DROP TRIGGER content_version_users ON users;
CREATE CONSTRAINT TRIGGER content_version_users AFTER UPDATE OF pseudonym, role, organisation_id, trust_level OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version();
