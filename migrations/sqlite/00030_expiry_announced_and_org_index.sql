-- +goose Up
-- A published warning whose expiry is moved back to a time the expiry
-- sweep (00019) has already passed will never be swept: the edit itself
-- announces warning.expired, once, instead of warning.updated. An expiry
-- moved to a time the sweep has not reached yet is left to the sweep.
-- +goose StatementBegin
DROP TRIGGER webhook_warning_update;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_warning_update AFTER UPDATE ON warnings
WHEN OLD.status = 'published' AND NEW.status = 'published' AND (OLD.severity IS NOT NEW.severity OR OLD.category_id IS NOT NEW.category_id OR OLD.lang IS NOT NEW.lang OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.expires_at IS NOT NEW.expires_at OR OLD.updated_at IS NOT NEW.updated_at)
    AND NOT IFNULL(NEW.expires_at <= (SELECT expired_until FROM webhook_sweep WHERE id = 0)
        AND (OLD.expires_at IS NULL OR OLD.expires_at > (SELECT expired_until FROM webhook_sweep WHERE id = 0)), 0)
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_warning_expired_by_edit AFTER UPDATE ON warnings
WHEN OLD.status = 'published' AND NEW.status = 'published'
    AND IFNULL(NEW.expires_at <= (SELECT expired_until FROM webhook_sweep WHERE id = 0)
        AND (OLD.expires_at IS NULL OR OLD.expires_at > (SELECT expired_until FROM webhook_sweep WHERE id = 0)), 0)
BEGIN
    INSERT INTO webhook_events (type, subject_id) VALUES ('warning.expired', NEW.id);
END;
-- +goose StatementEnd

-- The triggers of the change feed (00024) find an organisation's warnings
-- when its name or verification changes, and deleting an organisation
-- clears their organisation_id: without an index, a scan of every warning.
CREATE INDEX warnings_organisation ON warnings (organisation_id);

-- +goose Down
DROP INDEX warnings_organisation;
-- +goose StatementBegin
DROP TRIGGER webhook_warning_expired_by_edit;
-- +goose StatementEnd
-- +goose StatementBegin
DROP TRIGGER webhook_warning_update;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER webhook_warning_update AFTER UPDATE ON warnings
WHEN OLD.status = 'published' AND NEW.status = 'published' AND (OLD.severity IS NOT NEW.severity OR OLD.category_id IS NOT NEW.category_id OR OLD.lang IS NOT NEW.lang OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.expires_at IS NOT NEW.expires_at OR OLD.updated_at IS NOT NEW.updated_at)
BEGIN
    INSERT INTO webhook_events (type, subject_id) SELECT 'warning.updated', NEW.id
        WHERE NOT EXISTS (SELECT 1 FROM webhook_events WHERE subject_id = NEW.id AND fanned_out = FALSE AND type IN ('warning.published', 'warning.updated'));
END;
-- +goose StatementEnd
