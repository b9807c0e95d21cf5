-- A community's shared ban list, and the other Stewards' lists it follows.
-- Keep in step with ../postgres/0007_ban_lists.sql.

-- Another Steward's exported list, fetched over HTTP with that Steward's
-- API token (kept as given: it must be sent as is).
CREATE TABLE ban_list_subscriptions (
    id               INTEGER PRIMARY KEY,
    community_id     INTEGER NOT NULL REFERENCES communities(id),
    url              TEXT NOT NULL,
    token            TEXT NOT NULL DEFAULT '',
    created_by       TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    last_sync_at     INTEGER,
    last_success_at  INTEGER,
    last_error       TEXT,
    UNIQUE (community_id, url)
);

-- One row per banned account and community. `source` is `local` (added
-- here), `import` (from a file) or `subscription` (then `subscription_id`
-- says which; such rows go when the source drops them).
CREATE TABLE ban_list_entries (
    id               INTEGER PRIMARY KEY,
    community_id     INTEGER NOT NULL REFERENCES communities(id),
    platform         TEXT NOT NULL,
    account          TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    added_by         TEXT NOT NULL,
    added_at         INTEGER NOT NULL,
    source           TEXT NOT NULL,
    subscription_id  INTEGER REFERENCES ban_list_subscriptions(id),
    UNIQUE (community_id, platform, account)
);
CREATE INDEX ban_list_entries_subscription ON ban_list_entries(subscription_id);
