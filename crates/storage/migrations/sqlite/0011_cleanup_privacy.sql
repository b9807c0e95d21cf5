-- Inactive-member cleanups and since-actions (bulk removals with a dry run
-- first), each group's exempt list, and erasure of a member's data on
-- request. Keep in step with ../postgres/0011_cleanup_privacy.sql.

-- Members a group's cleanups never remove.
CREATE TABLE cleanup_exempt (
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    added_by    TEXT NOT NULL,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_id)
);

-- One bulk removal: a cleanup of silent members or a since-action. It
-- starts as a dry run; confirming queues the removals, undoing re-invites.
CREATE TABLE bulk_runs (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES groups(id),
    kind          TEXT NOT NULL,
    action        TEXT NOT NULL,
    -- JSON: {"days": 30, "recent_days": 7} or {"from": ms, "to": ms}.
    criteria      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'dry_run',
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    confirmed_by  TEXT,
    confirmed_at  INTEGER,
    undone_by     TEXT,
    undone_at     INTEGER,
    -- The outbox key of the shared re-invite link made by an undo.
    link_key      TEXT
);
CREATE INDEX bulk_runs_group ON bulk_runs(group_id, id);

-- Who a run removes (spared IS NULL) or spares, and why.
CREATE TABLE bulk_run_members (
    run_id       INTEGER NOT NULL REFERENCES bulk_runs(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    spared       TEXT,
    outbox_id    INTEGER REFERENCES outbox(id),
    undo_id      INTEGER REFERENCES outbox(id),
    PRIMARY KEY (run_id, member_id)
);

-- Set when a member's data was erased on request.
ALTER TABLE members ADD COLUMN erased_at INTEGER;
