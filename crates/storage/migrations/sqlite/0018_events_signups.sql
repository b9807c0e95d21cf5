-- Event sign-ups (接龙, online talks): an event at a time in a group, the
-- members signed up in the order they came (the first `cap` are in, the
-- rest wait), and the reminders already posted. The tables are called
-- activities because `events` is the event store. Keep in step with
-- ../postgres/0018_events_signups.sql.

-- `reminders` is a JSON array of minutes before the start, largest first;
-- `reminders_sent` counts how many of them are done (a late one is skipped,
-- never sent twice); `status` is 'open', 'closed' (it started) or
-- 'cancelled'.
CREATE TABLE activities (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups(id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    starts_at       INTEGER NOT NULL,
    cap             INTEGER,
    reminders       TEXT NOT NULL,
    reminders_sent  INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'open',
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    cancelled_by    TEXT
);
CREATE INDEX activities_open ON activities(status, starts_at);
CREATE INDEX activities_group ON activities(group_id, status);

-- One sign-up per member and event; `id` keeps the order they came in.
CREATE TABLE activity_signups (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    platform_id  TEXT NOT NULL,
    name         TEXT,
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX activity_signups_member ON activity_signups(activity_id, member_id);
