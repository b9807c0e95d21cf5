-- Referrals (joins credited to whoever brought the newcomer in), referral
-- campaigns, and members' reports on messages, weighted by trust.
-- Keep in step with ../postgres/0010_referrals_reports.sql.

-- One row per join that someone brought about: through a member's personal
-- invite link (`source` = 'link') or by adding the newcomer ('added').
-- `counted` is 0 when the join does not count, and `reason` says why:
-- 'self', 'rejoin', 'already_credited', 'bot'.
CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES groups(id),
    referrer_id  INTEGER NOT NULL REFERENCES members(id),
    newcomer_id  INTEGER NOT NULL REFERENCES members(id),
    link_id      INTEGER REFERENCES invite_links(id),
    source       TEXT NOT NULL,
    counted      INTEGER NOT NULL,
    reason       TEXT,
    event_id     INTEGER REFERENCES events(id),
    at           INTEGER NOT NULL
);
CREATE INDEX referrals_group_at ON referrals(group_id, at);
CREATE INDEX referrals_newcomer ON referrals(group_id, newcomer_id);
CREATE INDEX referrals_referrer ON referrals(referrer_id);

-- A referral drive with a start and an end, for one group or for every
-- group of a community (exactly one of the two is set).
CREATE TABLE referral_campaigns (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER REFERENCES groups(id),
    community_id  INTEGER REFERENCES communities(id),
    name          TEXT NOT NULL,
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- Members' reports on a message, one per reporter and message, with the
-- weight the reporter's trust gave it. Reports on one message share a case
-- while it is open.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES groups(id),
    message_id   TEXT NOT NULL,
    event_id     INTEGER REFERENCES events(id),
    author_id    INTEGER NOT NULL REFERENCES members(id),
    reporter_id  INTEGER NOT NULL REFERENCES members(id),
    trust        INTEGER NOT NULL,
    weight       REAL NOT NULL,
    reason       TEXT,
    case_id      INTEGER REFERENCES cases(id),
    at           INTEGER NOT NULL,
    UNIQUE (group_id, message_id, reporter_id)
);
CREATE INDEX reports_case ON reports(case_id);
