-- FAQ auto-replies: the entries, the answers given, and the questions
-- nothing answered, collected for the team.
-- Keep in step with ../postgres/0015_faq.sql.

-- One frequently asked question, for one group or for every group of a
-- community (exactly one of the two is set). `content` is JSON: keywords,
-- and per language (zh, ru, en) a title, example phrasings and the answer.
CREATE TABLE faq_entries (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER REFERENCES groups(id),
    community_id  INTEGER REFERENCES communities(id),
    content       TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX faq_entries_group ON faq_entries(group_id);
CREATE INDEX faq_entries_community ON faq_entries(community_id);

-- Every answer the bot gave: which entry, to which message, how sure. The
-- newest per (group, entry) is the cooldown's clock. `entry_id` has no
-- foreign key: answers outlive a deleted entry in the reports.
CREATE TABLE faq_answers (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    member_id   INTEGER REFERENCES members(id),
    event_id    INTEGER REFERENCES events(id),
    message_id  TEXT NOT NULL,
    score       REAL NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX faq_answers_group_entry ON faq_answers(group_id, entry_id, at);
CREATE INDEX faq_answers_group_at ON faq_answers(group_id, at);

-- Messages that looked like questions and matched no entry well enough.
-- `dismissed_at` is set when the team dismisses one or makes an entry of it.
CREATE TABLE faq_unanswered (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES groups(id),
    member_id     INTEGER REFERENCES members(id),
    event_id      INTEGER REFERENCES events(id),
    text          TEXT NOT NULL,
    score         REAL NOT NULL,
    at            INTEGER NOT NULL,
    dismissed_at  INTEGER
);
CREATE INDEX faq_unanswered_open ON faq_unanswered(dismissed_at, at);
