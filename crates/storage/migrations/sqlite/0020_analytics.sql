-- Analytics roll-ups for reports, kept up to date by ingest and
-- by history imports, so a report reads a few rows per group and day
-- however long the history is. Days are the group's local days, as day
-- numbers (days since 1970-01-01 in the group's time zone when the event
-- was counted). The roll-ups are WITHOUT ROWID tables: each is one B-tree
-- on its key, so an upsert writes once, not to a table and its key index.
-- Keep in step with ../postgres/0020_analytics.sql.

-- One row per group and day.
CREATE TABLE stats_days (
    group_id        INTEGER NOT NULL REFERENCES groups(id),
    day             INTEGER NOT NULL,
    messages        INTEGER NOT NULL DEFAULT 0,
    text_messages   INTEGER NOT NULL DEFAULT 0,
    link_messages   INTEGER NOT NULL DEFAULT 0,
    media_messages  INTEGER NOT NULL DEFAULT 0,
    questions       INTEGER NOT NULL DEFAULT 0,
    scored          INTEGER NOT NULL DEFAULT 0,
    negative        INTEGER NOT NULL DEFAULT 0,
    positive        INTEGER NOT NULL DEFAULT 0,
    joins           INTEGER NOT NULL DEFAULT 0,
    leaves          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day)
) WITHOUT ROWID;
-- The mood watch reads every group's recent days.
CREATE INDEX stats_days_day ON stats_days(day);

-- Messages per member, group and day: active members, top contributors,
-- retention.
CREATE TABLE stats_member_days (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    day        INTEGER NOT NULL,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    messages   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day, member_id)
) WITHOUT ROWID;

-- Messages per group, day and local hour (0-23): activity by hour and weekday.
CREATE TABLE stats_hours (
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    day       INTEGER NOT NULL,
    hour      INTEGER NOT NULL,
    messages  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day, hour)
) WITHOUT ROWID;

-- Messages using a term, per group and day: keyword trends. Terms used in
-- only one message of a day are dropped once the day is two days old.
CREATE TABLE stats_terms (
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    day       INTEGER NOT NULL,
    term      TEXT NOT NULL,
    count     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day, term)
) WITHOUT ROWID;

-- Joins per member, group and day: the cohorts of newcomer retention.
CREATE TABLE stats_joins (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    day        INTEGER NOT NULL,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (group_id, day, member_id)
) WITHOUT ROWID;

-- Questions and their first reply from another member: response times.
CREATE TABLE stats_questions (
    group_id     INTEGER NOT NULL REFERENCES groups(id),
    message_id   TEXT NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    day          INTEGER NOT NULL,
    asked_at     INTEGER NOT NULL,
    answered_at  INTEGER,
    PRIMARY KEY (group_id, message_id)
) WITHOUT ROWID;
CREATE INDEX stats_questions_day ON stats_questions(group_id, day);

-- Sentiment and complaint alerts sent to a group's admins.
CREATE TABLE sentiment_alerts (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    kind      TEXT NOT NULL,
    day       INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    detail    TEXT NOT NULL,
    UNIQUE (group_id, kind, day)
);

-- Reports sent to admins' chats on schedule, so each goes once.
CREATE TABLE report_deliveries (
    scope     TEXT NOT NULL,
    period    TEXT NOT NULL,
    label     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (scope, period, label)
);

-- The mood of a message, from -1 to 1, stored with it.
ALTER TABLE events ADD COLUMN sentiment REAL;

-- Per-period reads of moderation and tickets.
CREATE INDEX violations_group_at ON violations(group_id, at);
CREATE INDEX outbox_group_created ON outbox(group_id, created_at);
CREATE INDEX cases_group_decided ON cases(group_id, decided_at);
CREATE INDEX tickets_group_created ON tickets(group_id, created_at);
