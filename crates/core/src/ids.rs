//! Typed internal ids.
//!
//! Internal ids are database sequence numbers; platform ids (a Telegram chat
//! id, a QQ group number, a Matrix room id) are strings kept as given, never
//! parsed into integers, because they do not fit any one integer type.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }
    )*};
}

id_type!(
    /// A community: a set of groups that share rules and ban lists.
    CommunityId,
    /// A group (chat, room) on one platform.
    GroupId,
    /// A platform account seen in at least one group.
    MemberId,
    /// A stored incoming event.
    EventId,
    /// An action in the outbox.
    ActionId,
    /// A row of the audit log.
    AuditId,
    /// A dashboard user (owner, admin, operator, viewer).
    UserId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialize_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&GroupId(42)).unwrap(), "42");
        assert_eq!(GroupId(7).to_string(), "7");
    }
}
