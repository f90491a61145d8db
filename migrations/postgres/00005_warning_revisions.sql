-- +goose Up
-- A change to a published warning whose result names a party waits here, as
-- the complete proposed state, until a second moderator approves it; the
-- live warning tables keep the approved state meanwhile.
CREATE TABLE warning_revisions (
    id           BIGSERIAL PRIMARY KEY,
    warning_id   BIGINT NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
    proposer_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- contributors lists, as a JSON array, every moderator who wrote part of
    -- the proposed state: none of them may approve it.
    contributors TEXT NOT NULL DEFAULT '[]',
    decider_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    names_party  BOOLEAN NOT NULL DEFAULT FALSE,
    -- state is the proposed warning as JSON: fields, every translation,
    -- route, indicator lines and source reports.
    state        TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ
);
CREATE INDEX warning_revisions_warning ON warning_revisions (warning_id, created_at);
-- At most one revision of a warning waits at a time.
CREATE UNIQUE INDEX warning_revisions_pending ON warning_revisions (warning_id) WHERE status = 'pending';

-- +goose Down
DROP TABLE warning_revisions;
