//! Steward's runtime: the ingest pipeline, the outbox delivery workers and rate limits.
