-- Join screening beyond one question: a screening is a join request
-- (`request`) or a newcomer muted in the group (`newcomer`), at a stage
-- (`captcha`, `question`, `manual`: waiting for an admin), with the CAPTCHA
-- challenge (JSON), what the applicant wrote, the checks passed so far, and
-- who decided why.
ALTER TABLE join_screenings ADD COLUMN kind TEXT NOT NULL DEFAULT 'request';
ALTER TABLE join_screenings ADD COLUMN stage TEXT NOT NULL DEFAULT 'question';
ALTER TABLE join_screenings ADD COLUMN challenge TEXT;
ALTER TABLE join_screenings ADD COLUMN comment TEXT;
ALTER TABLE join_screenings ADD COLUMN answer TEXT;
ALTER TABLE join_screenings ADD COLUMN checks TEXT NOT NULL DEFAULT '';
ALTER TABLE join_screenings ADD COLUMN reason TEXT;
ALTER TABLE join_screenings ADD COLUMN decided_by TEXT;
CREATE INDEX join_screenings_group ON join_screenings(group_id, status);

-- Raid mode: a join wave switched the group to muting newcomers until
-- `ends_at`, unless an admin ended it earlier.
CREATE TABLE raid_modes (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    started_at  INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    joins       INTEGER NOT NULL,
    ended_at    INTEGER,
    ended_by    TEXT
);
CREATE INDEX raid_modes_open ON raid_modes(group_id, ended_at);
