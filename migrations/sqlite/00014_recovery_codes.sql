-- +goose Up
-- One-time recovery codes: a member who forgot their password resets it
-- with one of them. Only a SHA-256 of each code is kept (see
-- service.hashRecoveryCode for why that is enough); a used code keeps its
-- row with used_at set until the member makes new codes.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL UNIQUE,
    used_at    DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- +goose Down
DROP TABLE recovery_codes;
