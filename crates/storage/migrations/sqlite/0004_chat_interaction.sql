-- Per-group settings kept as JSON (admins' chat, join questions, in-chat
-- moderators, rules text); the runtime owns their shape.
ALTER TABLE groups ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- Join requests being screened: the applicant was asked a question in
-- private and has until the deadline to answer.
CREATE TABLE join_screenings (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES groups(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    event_id     INTEGER REFERENCES events(id),
    question     INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending',
    created_at   INTEGER NOT NULL,
    deadline     INTEGER NOT NULL,
    decided_at   INTEGER
);
CREATE INDEX join_screenings_due ON join_screenings(status, deadline);
CREATE INDEX join_screenings_member ON join_screenings(member_id, status);
