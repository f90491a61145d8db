-- +goose Up
-- Signed webhooks of partner organisations (issue 11).
--
-- webhook_endpoints: the URLs an organisation registered. The secret signs
-- the deliveries, so it is kept as is (it cannot be hashed); it is shown
-- once, when the endpoint is made, and never served again.
CREATE TABLE webhook_endpoints (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    events          TEXT NOT NULL,
    countries       TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    -- after_event: the last event of the outbox when the endpoint was made;
    -- it is told of later ones only.
    after_event     BIGINT NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    disabled_at     TIMESTAMPTZ,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_by_key  BIGINT REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_organisation ON webhook_endpoints (organisation_id, id);

-- webhook_events: the outbox. Triggers write a row in the transaction of
-- every change a partner may be told of, whoever writes it (this server,
-- the importer, an operator's SQL); the worker fans each row out into one
-- delivery per matching endpoint and marks it fanned_out. A warning.updated
-- is not written twice for a warning while one waits to be fanned out
-- (an edit writes the warning, its texts and its countries).
CREATE TABLE webhook_events (
    id         BIGSERIAL PRIMARY KEY,
    type       TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    fanned_out BOOLEAN NOT NULL DEFAULT FALSE,
    payload    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_waiting ON webhook_events (subject_id, id) WHERE fanned_out = FALSE;

-- webhook_deliveries: one message to one endpoint, with its stable
-- message ID (webhook-id, the same on every retry) and its lease: a
-- worker takes a due delivery by setting leased_until and lease_owner, so
-- that one instance at a time sends it; a lease that ran out (a crash) is
-- taken again.
CREATE TABLE webhook_deliveries (
    id           BIGSERIAL PRIMARY KEY,
    endpoint_id  BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id     BIGINT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    message_id   TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TIMESTAMPTZ NOT NULL,
    leased_until TIMESTAMPTZ,
    lease_owner  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at, id) WHERE state = 'pending';

-- webhook_attempts: the delivery log an organisation reads.
CREATE TABLE webhook_attempts (
    id          BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

-- Expiry happens by time, not by a write: the sweeper emits
-- warning.expired for the warnings whose expires_at lies in
-- (expired_until, now] and moves expired_until to now in the same
-- transaction, with a compare-and-set, so each expiry is emitted once by
-- one instance. NULL until the first sweep, which starts from its now.
CREATE TABLE webhook_sweep (
    id            INTEGER PRIMARY KEY CHECK (id = 0),
    expired_until TIMESTAMPTZ
);
INSERT INTO webhook_sweep (id, expired_until) VALUES (0, NULL);

-- The outbox triggers: one function for every table, as in 00015 (names
-- qualified by the trigger's schema).
-- +goose StatementBegin
CREATE FUNCTION record_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind TEXT;
    sid  BIGINT;
    st   TEXT;
BEGIN
    IF TG_TABLE_NAME = 'reports' THEN
        kind := 'report.published';
        sid := NEW.id;
    ELSIF TG_TABLE_NAME = 'warnings' THEN
        sid := NEW.id;
        IF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status THEN
            kind := 'warning.' || NEW.status;
        ELSE
            kind := 'warning.updated';
        END IF;
    ELSE
        IF TG_OP = 'DELETE' THEN
            sid := OLD.warning_id;
        ELSE
            sid := NEW.warning_id;
        END IF;
        EXECUTE format('SELECT status FROM %I.warnings WHERE id = $1', TG_TABLE_SCHEMA) INTO st USING sid;
        IF st IS DISTINCT FROM 'published' THEN
            RETURN NULL;
        END IF;
        kind := 'warning.updated';
    END IF;
    IF kind = 'warning.updated' THEN
        EXECUTE format('INSERT INTO %1$I.webhook_events (type, subject_id) SELECT $1, $2 WHERE NOT EXISTS'
            ' (SELECT 1 FROM %1$I.webhook_events WHERE subject_id = $2 AND fanned_out = FALSE AND type IN (''warning.published'', ''warning.updated''))',
            TG_TABLE_SCHEMA) USING kind, sid;
    ELSE
        EXECUTE format('INSERT INTO %I.webhook_events (type, subject_id) VALUES ($1, $2)', TG_TABLE_SCHEMA) USING kind, sid;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER webhook_warning_insert AFTER INSERT ON warnings
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_warning_status AFTER UPDATE ON warnings
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('published', 'retracted', 'expired'))
    EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_warning_update AFTER UPDATE ON warnings
    FOR EACH ROW WHEN (OLD.status = 'published' AND NEW.status = 'published' AND (
        OLD.severity IS DISTINCT FROM NEW.severity OR OLD.category_id IS DISTINCT FROM NEW.category_id OR
        OLD.lang IS DISTINCT FROM NEW.lang OR OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR
        OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.updated_at IS DISTINCT FROM NEW.updated_at))
    EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_translations AFTER INSERT OR UPDATE OR DELETE ON warning_translations
    FOR EACH ROW EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_countries AFTER INSERT OR UPDATE OR DELETE ON warning_countries
    FOR EACH ROW EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_report_insert AFTER INSERT ON reports
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION record_webhook_event();
CREATE TRIGGER webhook_report_update AFTER UPDATE ON reports
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status = 'published')
    EXECUTE FUNCTION record_webhook_event();

-- +goose Down
DROP TRIGGER webhook_report_update ON reports;
DROP TRIGGER webhook_report_insert ON reports;
DROP TRIGGER webhook_countries ON warning_countries;
DROP TRIGGER webhook_translations ON warning_translations;
DROP TRIGGER webhook_warning_update ON warnings;
DROP TRIGGER webhook_warning_status ON warnings;
DROP TRIGGER webhook_warning_insert ON warnings;
DROP FUNCTION record_webhook_event();
DROP TABLE webhook_sweep;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
