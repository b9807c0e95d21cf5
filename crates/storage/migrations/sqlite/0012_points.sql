-- Points (积分): an append-only ledger per group, and daily check-ins (签到).
-- Keep in step with ../postgres/0012_points.sql.

-- One row per change of a member's points in a group; a balance is the sum
-- of `delta`. `reason` is a code ('checkin', 'checkin_streak', 'message',
-- 'referral', 'quiz', 'raffle_entry', 'award', 'correction'); `ref` names
-- what caused it ('event:ID', 'referral:ID', 'raffle:ID', ...) and makes a
-- repeat of the same cause a no-op. Nothing is ever changed or removed: a
-- mistake is corrected by another entry.
CREATE TABLE points_ledger (
    id         INTEGER PRIMARY KEY,
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    delta      INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    note       TEXT,
    actor      TEXT NOT NULL,
    event_id   INTEGER REFERENCES events(id),
    ref        TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX points_ledger_member ON points_ledger(group_id, member_id, at);
CREATE INDEX points_ledger_group_at ON points_ledger(group_id, at);
CREATE UNIQUE INDEX points_ledger_ref ON points_ledger(group_id, member_id, reason, ref)
    WHERE ref IS NOT NULL;
CREATE TRIGGER points_ledger_no_update BEFORE UPDATE ON points_ledger
BEGIN
    SELECT RAISE(ABORT, 'points ledger is append-only');
END;
CREATE TRIGGER points_ledger_no_delete BEFORE DELETE ON points_ledger
BEGIN
    SELECT RAISE(ABORT, 'points ledger is append-only');
END;

-- One row per member, group and day (in the group's time zone, as
-- YYYY-MM-DD) they checked in, with the streak that day made.
CREATE TABLE checkins (
    group_id   INTEGER NOT NULL REFERENCES groups(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    day        TEXT NOT NULL,
    streak     INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_id, day)
);
