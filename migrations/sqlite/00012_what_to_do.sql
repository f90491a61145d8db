-- +goose Up
-- "What to do now": one to three short sentences per translation that a
-- warning page shows on its first screen, under the title. Required to
-- publish (checked by service.Authoring); empty on drafts until written.
-- The column lives on warning_translations, whose content_version triggers
-- (00009) fire on any row change, so no new trigger is needed.
ALTER TABLE warning_translations ADD COLUMN what_to_do TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE warning_translations DROP COLUMN what_to_do;
