//! Steward's runtime: where events come in and actions go out.
//!
//! * [`Pipeline`] takes batches of normalized events from any adapter, stores
//!   them (dropping duplicates), runs the moderation engine and the penalty
//!   ladder on the new ones, and writes the resulting actions to the outbox
//!   and the audit log, all in one transaction per batch.
//! * [`delivery`] runs one worker per platform that carries queued actions
//!   out through that platform's [`Deliverer`], with retries, backoff and
//!   rate limits.
//! * [`ban_lists`]: communities' shared ban lists: the exchange format and
//!   the worker that follows other Stewards' lists.
//!
//! ```text
//! adapter ──events──▶ Pipeline::ingest ──tx──▶ store (events, outbox, audit)
//!                                                    │
//! platform ◀──Deliverer── delivery::run ◀──claims────┘
//! ```

pub mod backtest;
pub mod ban_lists;
pub mod cases;
pub mod command;
pub mod delivery;
mod followup;
mod pipeline;
pub mod reports;

pub use backtest::{BacktestReport, backtest};
pub use cases::{CaseDecision, CaseError, CaseOutcome};
pub use delivery::{
    Delivered, Deliverer, DeliveryConfig, DeliveryError, DeliveryOutcome, acknowledge,
};
pub use pipeline::JoinDecision;
pub use pipeline::{ActivityError, ActivitySpec};
pub use pipeline::{BanListAdded, BanListMerged, BanListRemoved};
pub use pipeline::{
    BulkConfirmed, BulkCriteria, BulkError, BulkPlan, BulkUndone, Pace, Spared, candidate_name,
};
pub use pipeline::{FaqProbe, faq_probe};
pub use pipeline::{
    GroupSettings, IngestOutcome, IngestStatus, ManualError, ManualOutcome, ManualQueued,
    ManualSkipped, Pipeline, PipelineError, SPAM_MODEL,
};
pub use pipeline::{ImportState, ImportSummary};
pub use pipeline::{
    MAX_POLL_OPTION, MAX_POLL_OPTIONS, MAX_POLL_TEXT, MAX_QUIZ_QUESTIONS, PollError, PollSpec,
    QuizSpec,
};
pub use pipeline::{
    MAX_RAFFLE_PRIZE, MAX_RAFFLE_TITLE, MAX_RAFFLE_WINNERS, RaffleError, RaffleSpec,
};
pub use pipeline::{MAX_TICKET_TEXT, TicketChange, TicketError, ticket_age};
pub use pipeline::{PostError, check_post};
