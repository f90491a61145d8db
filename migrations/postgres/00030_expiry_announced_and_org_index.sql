-- +goose Up
-- A published warning whose expiry is moved back to a time the expiry
-- sweep (00019) has already passed will never be swept: the edit itself
-- announces warning.expired, once, instead of warning.updated. An expiry
-- moved to a time the sweep has not reached yet is left to the sweep.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION record_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind TEXT;
    sid  BIGINT;
    st   TEXT;
    swept TIMESTAMPTZ;
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
            -- An expiry moved back behind the sweep: the sweep will not
            -- announce it. The row lock orders this edit with a sweep
            -- moving at the same time (its UPDATE of the row waits for
            -- this commit, so its INSERT then sees the new expiry).
            IF NEW.expires_at IS NOT NULL AND OLD.expires_at IS DISTINCT FROM NEW.expires_at THEN
                EXECUTE format('SELECT expired_until FROM %I.webhook_sweep WHERE id = 0 FOR SHARE', TG_TABLE_SCHEMA) INTO swept;
                IF NEW.expires_at <= swept AND (OLD.expires_at IS NULL OR OLD.expires_at > swept) THEN
                    kind := 'warning.expired';
                END IF;
            END IF;
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

-- The triggers of the change feed (00024) find an organisation's warnings
-- when its name or verification changes, and deleting an organisation
-- clears their organisation_id: without an index, a scan of every warning.
CREATE INDEX warnings_organisation ON warnings (organisation_id);

-- +goose Down
DROP INDEX warnings_organisation;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION record_webhook_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
