//! The Telegram adapter (being written).
