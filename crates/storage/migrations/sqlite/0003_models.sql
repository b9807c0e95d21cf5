-- Learned models (the spam classifier), stored whole as bytes.
CREATE TABLE models (
    name        TEXT PRIMARY KEY,
    data        BLOB NOT NULL,
    updated_at  INTEGER NOT NULL
);
