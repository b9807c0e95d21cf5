//! Steward's store: SQLite by default, PostgreSQL by setting; events, outbox, audit log, users.
