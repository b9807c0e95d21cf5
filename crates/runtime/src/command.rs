//! In-chat commands (being written).
