-- Polls and quizzes (有奖问答): a poll is one question; a quiz is a set of
-- questions asked one after another, each open `seconds` long. Answers come
-- from buttons (`poll:{id}:{question}:{option}`). Keep in step with
-- ../postgres/0017_polls_quizzes.sql.

-- `kind` is 'poll' or 'quiz'; `status` 'open' or 'closed'; `current` is the
-- question being asked (quizzes); `due_at` is when the current question (a
-- quiz) or the poll closes.
CREATE TABLE polls (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    multiple    INTEGER NOT NULL DEFAULT 0,
    seconds     INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'open',
    current     INTEGER NOT NULL DEFAULT 0,
    due_at      INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER
);
CREATE INDEX polls_due ON polls(status, due_at);
CREATE INDEX polls_group ON polls(group_id, id);

-- `options` is a JSON array of strings; `correct` the right option's index
-- (quizzes only).
CREATE TABLE poll_questions (
    poll_id   INTEGER NOT NULL REFERENCES polls(id),
    idx       INTEGER NOT NULL,
    question  TEXT NOT NULL,
    options   TEXT NOT NULL,
    correct   INTEGER,
    PRIMARY KEY (poll_id, idx)
);

-- One row per option chosen; `id` keeps the order answers arrived in.
CREATE TABLE poll_answers (
    id           INTEGER PRIMARY KEY,
    poll_id      INTEGER NOT NULL REFERENCES polls(id),
    idx          INTEGER NOT NULL,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    platform_id  TEXT NOT NULL,
    name         TEXT,
    option_idx   INTEGER NOT NULL,
    at           INTEGER NOT NULL
);
CREATE UNIQUE INDEX poll_answers_once ON poll_answers(poll_id, idx, member_id, option_idx);
