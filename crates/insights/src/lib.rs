//! Pure analytics for Steward's reports: the sentiment of a message
//! ([`sentiment`]), which terms a group talks about and which are rising
//! ([`trends`]), whether a group's mood or its complaints have turned into
//! a crisis ([`crisis`]), and the small statistics reports need
//! ([`metrics`]).
//!
//! Pure: no IO, no clock, no async; time is always an argument. The runtime
//! keeps the roll-ups, stores the scores and renders the explanations.

pub mod crisis;
pub mod metrics;
pub mod sentiment;
pub mod trends;

pub use sentiment::{SENTIMENT_SCHEME, Sentiment, score};
