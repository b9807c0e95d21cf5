-- Learned models (the spam classifier), stored whole as bytes.
CREATE TABLE models (
    name        TEXT PRIMARY KEY,
    data        BYTEA NOT NULL,
    updated_at  BIGINT NOT NULL
);
