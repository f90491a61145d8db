-- +goose Up
-- Vetted investigators: an admin marks an organisation whose keys may hold
-- the investigate scope and whose members may open the investigation
-- pages; NULL when it is not (or no longer) one.
ALTER TABLE organisations ADD COLUMN investigator_since TIMESTAMPTZ;

-- +goose Down
ALTER TABLE organisations DROP COLUMN investigator_since;
