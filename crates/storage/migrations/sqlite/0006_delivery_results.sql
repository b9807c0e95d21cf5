-- What platforms report back about delivered actions (the id of a message
-- sent, a link created), and the invite links Steward created.
-- Keep in step with ../postgres/0006_delivery_results.sql.

-- JSON: {"message_id": ..., "invite_link": ...}; NULL when nothing came back.
ALTER TABLE outbox ADD COLUMN result TEXT;

-- Invite links Steward created: members' referral links, links that bring
-- removed members back. Joins through a link are credited from here.
CREATE TABLE invite_links (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    link        TEXT NOT NULL,
    name        TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    member_id   INTEGER REFERENCES members(id),
    action_id   INTEGER REFERENCES outbox(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    UNIQUE (platform, link)
);
CREATE INDEX invite_links_member ON invite_links(group_id, member_id, purpose);
