-- Scheduled posts (群SOP): a post drafted by an operator, approved or
-- rejected by an admin, then sent to its groups at its times through the
-- outbox. Keep in step with ../postgres/0016_posts.sql.

-- Exactly one of group_id and community_id is set (the whole community's
-- groups when it is the community). `schedule` is the JSON of
-- steward_core::posts::Schedule; `buttons` a JSON array of {text, url}.
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER REFERENCES groups(id),
    community_id  INTEGER REFERENCES communities(id),
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    image_url     TEXT,
    buttons       TEXT NOT NULL DEFAULT '[]',
    schedule      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft',
    reason        TEXT,
    created_by    TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    decided_by    TEXT,
    decided_at    INTEGER
);
CREATE INDEX posts_status ON posts(status);

-- Each group an approved post goes to, with the time it is next due
-- (`slot`: the time the schedule named; `due_at`: when to try, later
-- when quiet hours or the daily cap held it). NULL due_at: nothing left.
CREATE TABLE post_targets (
    post_id   INTEGER NOT NULL REFERENCES posts(id),
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    slot      INTEGER,
    due_at    INTEGER,
    PRIMARY KEY (post_id, group_id)
);
CREATE INDEX post_targets_due ON post_targets(due_at);

-- Every publication, once per post, group and slot.
CREATE TABLE post_publications (
    post_id   INTEGER NOT NULL REFERENCES posts(id),
    group_id  INTEGER NOT NULL REFERENCES groups(id),
    slot      INTEGER NOT NULL,
    sent_at   INTEGER NOT NULL,
    outbox_key TEXT NOT NULL,
    PRIMARY KEY (post_id, group_id, slot)
);
CREATE INDEX post_publications_group ON post_publications(group_id, sent_at);
