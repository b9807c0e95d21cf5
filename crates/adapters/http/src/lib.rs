//! The generic HTTP platform: its wire format for ingest and its signed webhook for actions.
