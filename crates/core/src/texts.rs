//! Texts the bot speaks in chats (being written).
