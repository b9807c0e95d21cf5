//! Trust levels, in the manner of Discourse's: earned by tenure and activity,
//! lost by violations. Rules can spare trusted members and be stricter with
//! newcomers.
//!
//! | level | name     | earned by                                                    |
//! |-------|----------|--------------------------------------------------------------|
//! | 0     | new      | everyone at first                                            |
//! | 1     | basic    | 1 day in the group and 5 messages                            |
//! | 2     | member   | 7 days, 50 messages, no violation in the last 30 days        |
//! | 3     | regular  | 30 days, 300 messages, no violation in the last 90 days      |
//! | 4     | leader   | the group's own admins and owner on the platform             |

use chrono::Duration;
use serde::{Deserialize, Serialize};
use steward_core::Timestamp;

/// How far a member is trusted in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TrustLevel {
    /// Level 0.
    New,
    /// Level 1.
    Basic,
    /// Level 2.
    Member,
    /// Level 3.
    Regular,
    /// Level 4: platform admins.
    Leader,
}

/// What trust is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrustInputs {
    /// When the member joined (or was first seen) in the group.
    pub since: Option<Timestamp>,
    /// Messages posted in the group.
    pub messages: i64,
    /// When their last violation was, if any.
    pub last_violation: Option<Timestamp>,
    /// Whether they are an admin or owner of the group on the platform.
    pub is_admin: bool,
}

impl TrustLevel {
    /// The number, 0 to 4.
    pub fn number(self) -> u8 {
        match self {
            TrustLevel::New => 0,
            TrustLevel::Basic => 1,
            TrustLevel::Member => 2,
            TrustLevel::Regular => 3,
            TrustLevel::Leader => 4,
        }
    }

    /// The level a member has at `now`.
    pub fn of(inputs: &TrustInputs, now: Timestamp) -> TrustLevel {
        if inputs.is_admin {
            return TrustLevel::Leader;
        }
        let tenure = inputs.since.map_or(Duration::zero(), |since| now - since);
        let clean_for = inputs.last_violation.map_or(Duration::MAX, |at| now - at);
        let earned = |days: i64, messages: i64, clean_days: i64| {
            tenure >= Duration::days(days)
                && inputs.messages >= messages
                && clean_for >= Duration::days(clean_days)
        };
        if earned(30, 300, 90) {
            TrustLevel::Regular
        } else if earned(7, 50, 30) {
            TrustLevel::Member
        } else if earned(1, 5, 0) {
            TrustLevel::Basic
        } else {
            TrustLevel::New
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(days: i64) -> Timestamp {
        chrono::Utc.timestamp_opt(1_790_000_000, 0).unwrap() + Duration::days(days)
    }

    #[test]
    fn trust_is_earned_by_tenure_and_activity() {
        let mut inputs = TrustInputs {
            since: Some(at(0)),
            messages: 3,
            ..TrustInputs::default()
        };
        assert_eq!(TrustLevel::of(&inputs, at(10)), TrustLevel::New);
        inputs.messages = 60;
        assert_eq!(
            TrustLevel::of(&inputs, at(0)),
            TrustLevel::New,
            "a day of tenure first"
        );
        assert_eq!(TrustLevel::of(&inputs, at(10)), TrustLevel::Member);
        inputs.messages = 400;
        assert_eq!(TrustLevel::of(&inputs, at(40)), TrustLevel::Regular);
    }

    #[test]
    fn violations_cost_trust_and_admins_are_leaders() {
        let mut inputs = TrustInputs {
            since: Some(at(0)),
            messages: 400,
            ..TrustInputs::default()
        };
        inputs.last_violation = Some(at(35));
        assert_eq!(TrustLevel::of(&inputs, at(40)), TrustLevel::Basic);
        assert_eq!(TrustLevel::of(&inputs, at(70)), TrustLevel::Member);
        inputs.is_admin = true;
        assert_eq!(TrustLevel::of(&inputs, at(40)), TrustLevel::Leader);
    }
}
