//! The generic HTTP platform: a real integration for systems with no adapter
//! of their own (custom apps, WeChat hook tools, bridges).
//!
//! Such a system pushes normalized events as JSON to `POST /api/v1/ingest`
//! and gets Steward's decisions back, in the response and later through
//! either the pull API (`GET /api/v1/actions`) or a signed webhook.
//!
//! * [`wire`]: the JSON shape of ingested events, parsed with errors that
//!   name the field, into [`steward_core::IncomingEvent`].
//! * [`webhook`]: the [`steward_runtime::Deliverer`] that POSTs actions to
//!   the configured URL, signed with HMAC-SHA256.
//! * [`envelope`]: the JSON shape of an action handed out, shared by the pull
//!   API and the webhook.

pub mod envelope;
pub mod webhook;
pub mod wire;

pub use envelope::ActionEnvelope;
pub use webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookDeliverer, sign, verify};
pub use wire::{EventError, ParsedBatch, parse_batch};
