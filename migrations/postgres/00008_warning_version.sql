-- +goose Up
-- Every change of a warning by moderators claims the version it read, so
-- that two moderators acting at once cannot both succeed: a publication
-- decided on content that an edit changed meanwhile is refused.
ALTER TABLE warnings ADD COLUMN lock_version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE warnings DROP COLUMN lock_version;
