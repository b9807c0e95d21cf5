//! Steward's store: every table, every query, for SQLite and PostgreSQL.
//!
//! [`Store`] is a connection pool to one of the two backends; [`Tx`] is a
//! transaction on it. Each method is one query, written once in SQL both
//! backends accept (`$1` placeholders, `ON CONFLICT`, `RETURNING`) and run on
//! whichever backend the store was opened with. Only this crate contains SQL;
//! queries are always parameterized, never built from strings.
//!
//! * [`events`]: accepted events, de-duplicated by (group, platform event id).
//! * [`entities`]: communities, groups, members, names over time, memberships.
//! * [`outbox`]: actions waiting to reach a platform.
//! * [`audit`]: the append-only audit log.
//! * [`violations`]: violation points for the penalty ladder.
//! * [`cases`]: the review queue (escalations, reports, appeals).
//! * [`rule_versions`]: rule sets edited over the API, versioned.
//! * [`accounts`]: dashboard users, API tokens, sessions, setup links.
//! * [`models`]: learned models (the spam classifier), as bytes.
//! * [`kv`]: small named values that survive restarts (adapter offsets).
//! * [`screening`]: join requests awaiting an answer, and per-group settings.
//! * [`welcomes`]: welcomes gathered over a window, rewritten while they wait.
//! * [`nicknames`]: members whose names break their group's nickname rule.
//! * [`referrals`]: joins credited to referrers, referral campaigns, leaderboards.
//! * [`reports`]: members' reports on messages, weighted by trust.
//! * [`ban_lists`]: communities' shared ban lists and their subscriptions.
//! * [`cleanups`]: bulk removals (inactive cleanups, since-actions) and exempt lists.
//! * [`privacy`]: one member's data, exported or erased on request.
//! * [`points`]: the append-only points ledger and daily check-ins.
//! * [`faq`]: FAQ entries, the answers given, unanswered questions.
//! * [`activities`]: event sign-ups (接龙), their lists and reminders.
//! * [`raffles`]: raffles, their committed seeds, entries and draws.
//! * [`posts`]: scheduled posts, where they go, and their publications.
//!
//! Times are stored as Unix milliseconds in UTC on both backends.

pub mod accounts;
pub mod activities;
pub mod analytics;
pub mod audit;
mod backend;
pub mod ban_lists;
pub mod cases;
pub mod cleanups;
pub mod entities;
pub mod events;
pub mod faq;
pub mod inactivity;
pub mod invite_links;
pub mod kv;
pub mod models;
pub mod nicknames;
pub mod outbox;
pub mod points;
pub mod polls;
pub mod posts;
pub mod privacy;
pub mod profiles;
pub mod raffles;
pub mod referrals;
pub mod report_data;
pub mod reports;
pub mod rule_versions;
pub mod screening;
pub mod stats;
pub mod team;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tickets;
pub mod violations;
pub mod welcomes;

pub use backend::{Backend, Store, Tx};

use steward_core::Timestamp;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row held something this version cannot read.
    #[error("corrupt row in {table}: {problem}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// What was wrong.
        problem: String,
    },
    /// The `database_url` setting is not one Steward understands.
    #[error("unsupported database url `{0}`: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
}

/// Result of a storage call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Milliseconds since the Unix epoch, as stored.
pub fn to_millis(at: Timestamp) -> i64 {
    at.timestamp_millis()
}

/// The timestamp of stored milliseconds.
pub fn from_millis(ms: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

pub(crate) fn corrupt(table: &'static str, problem: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        problem: problem.to_string(),
    }
}
