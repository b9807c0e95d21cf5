-- Feedback and complaint tickets: what a member asked, where it stands, who
-- works on it, and everything done to it.
-- Keep in step with ../postgres/0013_tickets.sql.

-- One row per ticket. `group_id` is the group it is about; `origin_group_id`
-- the chat the command came from (the group, or the private chat with the
-- bot) and `origin_message` the command's message there, to reply to when
-- the member cannot be written to in private. `due_at` is fixed when the
-- ticket opens (the group's response-time target then); `alerted_at` is set
-- once the admins' chat was told it is overdue, so it is told only once.
CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY,
    group_id           INTEGER NOT NULL REFERENCES groups(id),
    member_id          INTEGER NOT NULL REFERENCES members(id),
    origin_group_id    INTEGER NOT NULL REFERENCES groups(id),
    origin_message     TEXT,
    event_id           INTEGER REFERENCES events(id),
    category           TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'open',
    text               TEXT NOT NULL,
    assignee_id        INTEGER REFERENCES users(id),
    resolution         TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    due_at             INTEGER NOT NULL,
    first_response_at  INTEGER,
    resolved_at        INTEGER,
    alerted_at         INTEGER
);
CREATE INDEX tickets_group_status ON tickets(group_id, status);
CREATE INDEX tickets_due ON tickets(status, due_at);
CREATE INDEX tickets_member ON tickets(member_id);

-- A ticket's history: `opened`, `status` (with the new status), `assigned`,
-- `note` (internal, never shown to the member), `reply` (sent to the
-- member), `tags`, `alert`.
CREATE TABLE ticket_entries (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    status     TEXT,
    body       TEXT
);
CREATE INDEX ticket_entries_ticket ON ticket_entries(ticket_id, id);

-- Root-cause tags on tickets, for reports.
CREATE TABLE ticket_tags (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    tag        TEXT NOT NULL,
    PRIMARY KEY (ticket_id, tag)
);
CREATE INDEX ticket_tags_tag ON ticket_tags(tag);
