-- Welcomes grouped when many join at once, and members whose names break
-- their group's nickname rule.
-- Keep in step with ../sqlite/0009_welcome_nicknames.sql.

-- The welcome a group is gathering: newcomers who join before `due_at`
-- are added to the outbox row `action_key` while it is still pending.
CREATE TABLE welcome_batches (
    group_id    BIGINT PRIMARY KEY REFERENCES groups(id),
    action_key  TEXT NOT NULL,
    due_at      BIGINT NOT NULL,
    -- JSON: {"names": [...], "inviters": [...]}
    newcomers   TEXT NOT NULL
);

-- Open nickname cases: reminded (waiting out the grace period) or
-- restricted (muted until the name is fixed). A closed case is deleted;
-- the audit log keeps its story.
CREATE TABLE nickname_cases (
    group_id    BIGINT NOT NULL REFERENCES groups(id),
    member_id   BIGINT NOT NULL REFERENCES members(id),
    name        TEXT NOT NULL,
    since       BIGINT NOT NULL,
    deadline    BIGINT NOT NULL,
    status      TEXT NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX nickname_cases_deadline ON nickname_cases(status, deadline);
