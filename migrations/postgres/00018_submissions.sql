-- +goose Up
-- Reports sent by partner apps: the API key and organisation that sent
-- them, and the answers to Idempotency-Key retries (a hash of the request,
-- never its body), kept 24 hours.
ALTER TABLE reports ADD COLUMN submitted_by_key_id BIGINT REFERENCES api_keys (id) ON DELETE SET NULL;
ALTER TABLE reports ADD COLUMN organisation_id BIGINT REFERENCES organisations (id) ON DELETE SET NULL;
CREATE INDEX reports_organisation ON reports (organisation_id, id) WHERE organisation_id IS NOT NULL;
CREATE TABLE idempotency_keys (
    id              BIGSERIAL PRIMARY KEY,
    api_key_id      BIGINT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          INTEGER NOT NULL DEFAULT 0,
    response        TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (api_key_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP INDEX reports_organisation;
ALTER TABLE reports DROP COLUMN organisation_id;
ALTER TABLE reports DROP COLUMN submitted_by_key_id;
