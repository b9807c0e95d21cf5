-- Native polls (a Telegram poll): the platform's id of a poll Steward sent,
-- and the poll and question it asks, so answers the platform reports by
-- that id reach the right question. Recorded when the platform confirms the
-- poll was sent. Keep in step with ../postgres/0019_native_polls.sql.
CREATE TABLE poll_natives (
    platform   TEXT NOT NULL,
    native_id  TEXT NOT NULL,
    poll_id    INTEGER NOT NULL REFERENCES polls(id),
    idx        INTEGER NOT NULL,
    PRIMARY KEY (platform, native_id)
);
