-- +goose Up
-- Account deletion forgets the revisions a member edited and the texts of
-- their own audit entries; the audit log shows a moderator the
-- restrictions they made.
CREATE INDEX post_revisions_editor ON post_revisions (editor_id);
CREATE INDEX moderation_actions_actor ON moderation_actions (actor_id, created_at);

-- +goose Down
DROP INDEX moderation_actions_actor;
DROP INDEX post_revisions_editor;
