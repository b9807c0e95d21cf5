-- Raffles (抽奖) with a draw anyone can check: the secret seed's hash is
-- published when a raffle opens, the seed, the entry list's digest and the
-- winners when it is drawn. Keep in step with ../postgres/0014_raffles.sql.

-- `seed` is 64 hex digits, kept secret until `status` is 'drawn';
-- `eligibility` is the JSON of steward_core::raffle::Eligibility;
-- `winners` is a JSON array of platform ids, in the order drawn.
CREATE TABLE raffles (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups(id),
    title           TEXT NOT NULL,
    prize           TEXT NOT NULL,
    winner_count    INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    eligibility     TEXT NOT NULL,
    seed            TEXT NOT NULL,
    seed_hash       TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open',
    entries_digest  TEXT,
    winners         TEXT,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    drawn_at        INTEGER,
    drawn_by        TEXT
);
CREATE INDEX raffles_due ON raffles(status, ends_at);
CREATE INDEX raffles_group ON raffles(group_id, status);

-- One entry per member and raffle; the platform id is what the draw uses.
CREATE TABLE raffle_entries (
    raffle_id    INTEGER NOT NULL REFERENCES raffles(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    platform_id  TEXT NOT NULL,
    name         TEXT,
    at           INTEGER NOT NULL,
    PRIMARY KEY (raffle_id, member_id)
);
CREATE UNIQUE INDEX raffle_entries_platform ON raffle_entries(raffle_id, platform_id);
