-- +goose Up
-- Why a post waits for a moderator beyond the trust rule (personal data).
ALTER TABLE reports ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE replies ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX reports_queue ON reports (status, created_at) WHERE status = 'pending';
CREATE INDEX replies_queue ON replies (status, created_at) WHERE status = 'pending';
CREATE INDEX reports_listed ON reports (published_at DESC, id DESC) WHERE status IN ('published', 'locked');
CREATE INDEX reports_author ON reports (author_id, created_at);
CREATE INDEX replies_author ON replies (author_id, created_at);

-- +goose Down
DROP INDEX replies_author;
DROP INDEX reports_author;
DROP INDEX reports_listed;
DROP INDEX replies_queue;
DROP INDEX reports_queue;
ALTER TABLE replies DROP COLUMN hold_reason;
ALTER TABLE reports DROP COLUMN hold_reason;
