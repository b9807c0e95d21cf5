//! Steward's reports: what a daily, weekly or monthly report on a group or a
//! community says ([`model`]), and its renderings for people and programs
//! (`render`: Markdown, HTML with SVG charts, JSON, CSV).
//!
//! Pure: the runtime gathers the figures from the store and hands a
//! [`Report`] over; nothing here reads a clock or a database, so a report
//! renders the same way in a test, the CLI and the dashboard.

pub mod model;
pub mod period;
pub mod render;
pub mod sample;

pub use model::*;
pub use period::{Period, PeriodKind};
