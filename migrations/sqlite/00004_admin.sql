-- +goose Up
-- Categories change when admins rename them: pages cached under the content
-- version must see it.
ALTER TABLE categories ADD COLUMN updated_at DATETIME NOT NULL DEFAULT '1970-01-01 00:00:00+00:00';
UPDATE categories SET updated_at = created_at;

-- +goose Down
ALTER TABLE categories DROP COLUMN updated_at;
