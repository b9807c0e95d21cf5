-- The dashboard: team invitations, each user's language, removed users,
-- admins' notes on members. Keep in step with ../postgres/0005_dashboard.sql.

-- NULL: the browser's language.
ALTER TABLE users ADD COLUMN language TEXT;
-- Set when the user was removed from the team; they can no longer sign in.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;

-- One-time links that let a new team member pick a name and a password.
CREATE TABLE invites (
    token_hash  TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     TEXT
);

-- What admins write about a member, shared by the whole team.
CREATE TABLE member_notes (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    author      TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX member_notes_member ON member_notes(member_id, created_at);

-- Member search by name.
CREATE INDEX members_name ON members(name);
CREATE INDEX events_group_kind_at ON events(group_id, kind, at);
