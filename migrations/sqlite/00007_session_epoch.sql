-- +goose Up
-- A member's sessions carry the epoch they were opened in; a ban or a
-- password change bumps it, which ends every older session at once, in the
-- database session store and in Redis alike.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN session_epoch;
