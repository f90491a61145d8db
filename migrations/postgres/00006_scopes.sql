-- +goose Up
-- The audit log shows a moderator the entries about content in their scope:
-- each entry keeps the language and the route of the report, reply or
-- warning it is about as they were when it was written (" FR RO "), filled
-- here for the existing entries.
ALTER TABLE moderation_actions ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE moderation_actions ADD COLUMN countries TEXT NOT NULL DEFAULT '';
UPDATE moderation_actions SET
    lang = COALESCE((SELECT r.lang FROM reports r WHERE r.id = moderation_actions.target_id), ''),
    countries = COALESCE(' ' || (SELECT string_agg(DISTINCT x.country, ' ' ORDER BY x.country) FROM report_countries x WHERE x.report_id = moderation_actions.target_id) || ' ', '')
WHERE target_type = 'report';
UPDATE moderation_actions SET
    lang = COALESCE((SELECT r.lang FROM reports r WHERE r.id = (SELECT rp.report_id FROM replies rp WHERE rp.id = moderation_actions.target_id)), ''),
    countries = COALESCE(' ' || (SELECT string_agg(DISTINCT x.country, ' ' ORDER BY x.country) FROM report_countries x WHERE x.report_id = (SELECT rp.report_id FROM replies rp WHERE rp.id = moderation_actions.target_id)) || ' ', '')
WHERE target_type = 'reply';
UPDATE moderation_actions SET
    lang = COALESCE((SELECT w.lang FROM warnings w WHERE w.id = moderation_actions.target_id), ''),
    countries = COALESCE(' ' || (SELECT string_agg(DISTINCT x.country, ' ' ORDER BY x.country) FROM warning_countries x WHERE x.warning_id = moderation_actions.target_id) || ' ', '')
WHERE target_type = 'warning';

-- Account deletion forgets the revisions a member edited and the texts of
-- their own entries; a moderator sees the restrictions they made; the log
-- is read newest first in a stable order, and its filter lists its actions.
CREATE INDEX post_revisions_editor ON post_revisions (editor_id);
CREATE INDEX moderation_actions_actor ON moderation_actions (actor_id, created_at);
CREATE INDEX moderation_actions_recent ON moderation_actions (created_at DESC, id DESC);
DROP INDEX moderation_actions_created;
CREATE INDEX moderation_actions_action ON moderation_actions (action);

-- +goose Down
DROP INDEX moderation_actions_action;
CREATE INDEX moderation_actions_created ON moderation_actions (created_at DESC);
DROP INDEX moderation_actions_recent;
DROP INDEX moderation_actions_actor;
DROP INDEX post_revisions_editor;
ALTER TABLE moderation_actions DROP COLUMN countries;
ALTER TABLE moderation_actions DROP COLUMN lang;
