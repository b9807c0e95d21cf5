-- Steward's foundation schema (SQLite). Times are Unix milliseconds (UTC).
-- Keep in step with ../postgres/0001_foundation.sql: both backends pass the same tests.

CREATE TABLE communities (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE groups (
    id             INTEGER PRIMARY KEY,
    platform       TEXT NOT NULL,
    platform_id    TEXT NOT NULL,
    title          TEXT,
    community_id   INTEGER REFERENCES communities(id),
    language       TEXT NOT NULL DEFAULT 'en',
    message_count  INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    UNIQUE (platform, platform_id)
);
CREATE INDEX groups_community ON groups(community_id);

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    platform_id  TEXT NOT NULL,
    name         TEXT,
    username     TEXT,
    is_bot       INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (platform, platform_id)
);

-- Names over time: one row each time a member shows up under a new name.
CREATE TABLE member_names (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    name       TEXT NOT NULL,
    seen_at    INTEGER NOT NULL
);
CREATE INDEX member_names_member ON member_names(member_id, seen_at);

CREATE TABLE memberships (
    group_id        INTEGER NOT NULL REFERENCES groups(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    joined_at       INTEGER,
    left_at         INTEGER,
    last_active_at  INTEGER,
    invited_by      INTEGER REFERENCES members(id),
    role            TEXT NOT NULL DEFAULT 'member',
    message_count   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX memberships_member ON memberships(member_id);
CREATE INDEX memberships_invited_by ON memberships(invited_by);

-- Every accepted event, stored before (and in the same transaction as) what
-- Steward decided from it. (group_id, platform_event_id) is the dedup key.
CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    group_id           INTEGER NOT NULL REFERENCES groups(id),
    platform_event_id  TEXT NOT NULL,
    kind               TEXT NOT NULL,
    member_id          INTEGER NOT NULL REFERENCES members(id),
    at                 INTEGER NOT NULL,
    received_at        INTEGER NOT NULL,
    payload            TEXT NOT NULL,
    error              TEXT,
    UNIQUE (group_id, platform_event_id)
);
CREATE INDEX events_group_at ON events(group_id, at);
CREATE INDEX events_member ON events(member_id);

CREATE TABLE violations (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    event_id    INTEGER REFERENCES events(id),
    rule        TEXT NOT NULL,
    severity    TEXT NOT NULL,
    points      INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX violations_member ON violations(group_id, member_id, expires_at);
CREATE INDEX violations_event ON violations(event_id);

-- The only way out: every action for a platform is a row here first.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    platform          TEXT NOT NULL,
    group_id          INTEGER NOT NULL REFERENCES groups(id),
    event_id          INTEGER REFERENCES events(id),
    idempotency_key   TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL,
    payload           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending',
    attempts          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at   INTEGER NOT NULL,
    last_error        TEXT,
    created_at        INTEGER NOT NULL,
    done_at           INTEGER
);
CREATE INDEX outbox_due ON outbox(platform, status, next_attempt_at);
CREATE INDEX outbox_group ON outbox(group_id);
CREATE INDEX outbox_event ON outbox(event_id);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    role           TEXT NOT NULL,
    password_hash  TEXT,
    created_at     INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    token_hash    TEXT NOT NULL UNIQUE,
    label         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE setup_tokens (
    token_hash  TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);

-- Small named values that must survive restarts (adapter offsets, cursors).
CREATE TABLE kv (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Append-only record of every action, automated or by a person.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    group_id     INTEGER REFERENCES groups(id),
    member_id    INTEGER REFERENCES members(id),
    target       TEXT,
    reason       TEXT,
    rule         TEXT,
    ladder_step  INTEGER,
    evidence     TEXT,
    event_id     INTEGER REFERENCES events(id),
    outbox_id    INTEGER REFERENCES outbox(id),
    parent_id    INTEGER REFERENCES audit_log(id)
);
CREATE INDEX audit_log_group_at ON audit_log(group_id, at);
CREATE INDEX audit_log_member ON audit_log(member_id);
CREATE INDEX audit_log_event ON audit_log(event_id);
CREATE INDEX audit_log_outbox ON audit_log(outbox_id);
CREATE INDEX audit_log_parent ON audit_log(parent_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
