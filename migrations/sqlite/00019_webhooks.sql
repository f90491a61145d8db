-- +goose Up
-- Signed webhooks of partner organisations (issue 11).
--
-- webhook_endpoints: the URLs an organisation registered. The secret signs
-- the deliveries, so it is kept as is (it cannot be hashed); it is shown
-- once, when the endpoint is made, and never served again.
CREATE TABLE webhook_endpoints (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    events          TEXT NOT NULL,
    countries       TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    -- after_event: the last event of the outbox when the endpoint was made;
    -- it is told of later ones only.
    after_event     INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    disabled_at     DATETIME,
    disabled_reason TEXT NOT NULL DEFAULT '',
    created_by_key  INTEGER REFERENCES api_keys (id) ON DELETE SET NULL,
    created_at      DATETIME NOT NULL
);
CREATE INDEX webhook_endpoints_organisation ON webhook_endpoints (organisation_id, id);

-- webhook_events: the outbox. Triggers write a row in the transaction of
-- every change a partner may be told of, whoever writes it (this server,
-- the importer, an operator's SQL); the worker fans each row out into one
-- delivery per matching endpoint and marks it fanned_out. A warning.updated
-- is not written twice for a warning while one waits to be fanned out
-- (an edit writes the warning, its texts and its countries).
CREATE TABLE webhook_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    type       TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    fanned_out BOOLEAN NOT NULL DEFAULT FALSE,
    payload    TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX webhook_events_waiting ON webhook_events (subject_id, id) WHERE fanned_out = FALSE;

-- webhook_deliveries: one message to one endpoint, with its stable
-- message ID (webhook-id, the same on every retry) and its lease: a
-- worker takes a due delivery by setting leased_until and lease_owner, so
-- that one instance at a time sends it; a lease that ran out (a crash) is
-- taken again.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    message_id   TEXT NOT NULL UNIQUE,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      DATETIME NOT NULL,
    leased_until DATETIME,
    lease_owner  TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at, id) WHERE state = 'pending';

-- webhook_attempts: the delivery log an organisation reads.
CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id);

-- Expiry happens by time, not by a write: the sweeper emits
-- warning.expired for the warnings whose expires_at lies in
-- (expired_until, now] and moves expired_until to now in the same
-- transaction, with a compare-and-set, so each expiry is emitted once by
-- one instance. NULL until the first sweep, which starts from its now.
CREATE TABLE webhook_sweep (
    id            INTEGER PRIMARY KEY CHECK (id = 0),
    expired_until DATETIME
);
INSERT INTO webhook_sweep (id, expired_until) VALUES (0, NULL);

-- +goose StatementBegin
CREATE TRIGGER webhook_warning_insert AFTER INSERT ON warnings
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) VALUES ('warning.published', NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_warning_status AFTER UPDATE ON warnings
WHEN OLD.status IS NOT NEW.status AND NEW.status IN ('published', 'retracted', 'expired')
BEGIN
    INSERT INTO webhook_events (type, subject_id) VALUES ('warning.' || NEW.status, NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_warning_update AFTER UPDATE ON warnings
WHEN OLD.status = 'published' AND NEW.status = 'published' AND (OLD.severity IS NOT NEW.severity OR OLD.category_id IS NOT NEW.category_id OR OLD.lang IS NOT NEW.lang OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.expires_at IS NOT NEW.expires_at OR OLD.updated_at IS NOT NEW.updated_at)
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_translations_ins AFTER INSERT ON warning_translations
WHEN (SELECT status FROM warnings WHERE id = NEW.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_translations_upd AFTER UPDATE ON warning_translations
WHEN (SELECT status FROM warnings WHERE id = NEW.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_translations_del AFTER DELETE ON warning_translations
WHEN (SELECT status FROM warnings WHERE id = OLD.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', OLD.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = OLD.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_countries_ins AFTER INSERT ON warning_countries
WHEN (SELECT status FROM warnings WHERE id = NEW.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_countries_upd AFTER UPDATE ON warning_countries
WHEN (SELECT status FROM warnings WHERE id = NEW.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_countries_del AFTER DELETE ON warning_countries
WHEN (SELECT status FROM warnings WHERE id = OLD.warning_id) = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', OLD.warning_id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = OLD.warning_id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_report_insert AFTER INSERT ON reports
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) VALUES ('report.published', NEW.id);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_report_update AFTER UPDATE ON reports
WHEN OLD.status IS NOT NEW.status AND NEW.status = 'published'
BEGIN
    INSERT INTO webhook_events (type, subject_id) VALUES ('report.published', NEW.id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER webhook_report_update;
DROP TRIGGER webhook_report_insert;
DROP TRIGGER webhook_countries_del;
DROP TRIGGER webhook_countries_upd;
DROP TRIGGER webhook_countries_ins;
DROP TRIGGER webhook_translations_del;
DROP TRIGGER webhook_translations_upd;
DROP TRIGGER webhook_translations_ins;
DROP TRIGGER webhook_warning_update;
DROP TRIGGER webhook_warning_status;
DROP TRIGGER webhook_warning_insert;
DROP TABLE webhook_sweep;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
