-- +goose Up
-- Server-side HTTP state: sessions, CSRF tokens and rate-limit counters,
-- when no Redis is configured. Values are opaque to the database.
CREATE TABLE http_state (
    key        TEXT PRIMARY KEY,
    value      BYTEA NOT NULL,
    expires_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX http_state_expires ON http_state (expires_at);

-- Earlier versions of reports and replies, kept when their author edits them.
CREATE TABLE post_revisions (
    id          BIGSERIAL PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('report', 'reply')),
    target_id   BIGINT NOT NULL,
    editor_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title       TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_revisions_target ON post_revisions (target_type, target_id, created_at);

-- +goose Down
DROP TABLE post_revisions;
DROP TABLE http_state;
