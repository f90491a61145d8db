-- +goose Up
-- Categories change when admins rename them: pages cached under the content
-- version must see it.
ALTER TABLE categories ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE categories SET updated_at = created_at;

-- +goose Down
ALTER TABLE categories DROP COLUMN updated_at;
