-- +goose Up
-- API keys: who issued and who revoked a key (NULL for the command line),
-- and the key behind an audit entry made through the API.
ALTER TABLE api_keys ADD COLUMN created_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE api_keys ADD COLUMN revoked_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE moderation_actions ADD COLUMN actor_key_id BIGINT REFERENCES api_keys (id) ON DELETE SET NULL;
CREATE INDEX api_keys_organisation ON api_keys (organisation_id);

-- +goose Down
DROP INDEX api_keys_organisation;
ALTER TABLE moderation_actions DROP COLUMN actor_key_id;
ALTER TABLE api_keys DROP COLUMN revoked_by;
ALTER TABLE api_keys DROP COLUMN created_by;
