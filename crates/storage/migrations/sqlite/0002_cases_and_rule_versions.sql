-- Review queue (escalations, reports, appeals) and versioned rule sets.
-- Keep in step with ../postgres/0002_cases_and_rule_versions.sql.

CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    group_id         INTEGER NOT NULL REFERENCES groups(id),
    member_id        INTEGER NOT NULL REFERENCES members(id),
    event_id         INTEGER REFERENCES events(id),
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open',
    rule             TEXT,
    severity         TEXT,
    reason           TEXT,
    evidence         TEXT,
    actions          TEXT NOT NULL DEFAULT '[]',
    note             TEXT,
    created_at       INTEGER NOT NULL,
    decided_at       INTEGER,
    decided_by       TEXT,
    decision_reason  TEXT
);
CREATE INDEX cases_status ON cases(status, id);
CREATE INDEX cases_group ON cases(group_id);
CREATE INDEX cases_member ON cases(member_id);
CREATE INDEX cases_event ON cases(event_id);

CREATE TABLE rule_versions (
    id          INTEGER PRIMARY KEY,
    rules       TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    comment     TEXT
);
