//! Feedback and complaint tickets, the pure part: a ticket's statuses and
//! the moves between them, its categories, and when it is overdue (the
//! group's response-time target).
//!
//! A ticket is opened by a member (`/feedback`, `/complain`), worked on by
//! the team in the dashboard, and resolved with a reply the member is told.
//! The time it is due is fixed when it is opened, so changing a group's
//! target later does not move the tickets already waiting.

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// The category every `/feedback` ticket gets.
pub const FEEDBACK: &str = "feedback";
/// The category every `/complain` ticket gets.
pub const COMPLAINT: &str = "complaint";
/// The response-time target when a group sets none, in hours.
pub const DEFAULT_RESPONSE_HOURS: u32 = 24;
/// The longest response-time target a group may set, in hours (30 days).
pub const MAX_RESPONSE_HOURS: u32 = 720;
/// The longest category or root-cause tag name, in characters.
pub const MAX_TAG_CHARS: usize = 40;

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Waiting for the team.
    Open,
    /// Someone is working on it.
    InProgress,
    /// Answered: the member was told the resolution.
    Resolved,
    /// Done with, nothing more to say (also for spam and duplicates).
    Closed,
}

impl TicketStatus {
    /// Every status, in workflow order.
    pub const ALL: [TicketStatus; 4] = [
        TicketStatus::Open,
        TicketStatus::InProgress,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];

    /// The snake_case name used in the database, the API and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Closed => "closed",
        }
    }

    /// The status named `name`.
    pub fn parse(name: &str) -> Option<TicketStatus> {
        TicketStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name.trim())
    }

    /// Whether a ticket may move from this status to `to`. Open and in
    /// progress tickets move forward or are closed; resolved and closed
    /// ones may be reopened (the member was not satisfied), and a resolved
    /// one closed. Staying put is no move.
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, to),
            (Open, InProgress | Resolved | Closed)
                | (InProgress, Open | Resolved | Closed)
                | (Resolved, Open | Closed)
                | (Closed, Open)
        )
    }

    /// Whether the team still owes the member something.
    pub fn is_active(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::InProgress)
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a ticket cannot move from {} to {}", from.as_str(), to.as_str())]
pub struct BadTransition {
    /// Where the ticket is.
    pub from: TicketStatus,
    /// Where it was asked to go.
    pub to: TicketStatus,
}

/// Checks a status change.
pub fn transition(from: TicketStatus, to: TicketStatus) -> Result<TicketStatus, BadTransition> {
    if from.can_move_to(to) {
        Ok(to)
    } else {
        Err(BadTransition { from, to })
    }
}

/// A group's ticket settings (`tickets` in its chat settings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TicketSettings {
    /// Categories beyond `feedback` and `complaint` (`billing`, `bug`),
    /// for the team to sort tickets into.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Hours the team has to answer a ticket before it is overdue and the
    /// admins' chat is alerted. Default 24.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_hours: Option<u32>,
    /// Root-cause tags the team may put on tickets, for reports
    /// (`rules-unclear`, `spam`, `bot-error`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub root_causes: Vec<String>,
}

impl TicketSettings {
    /// Whether nothing is set (the settings JSON leaves it out).
    pub fn is_default(&self) -> bool {
        *self == TicketSettings::default()
    }

    /// The response-time target, in hours (1 to [`MAX_RESPONSE_HOURS`]).
    pub fn response_hours(&self) -> u32 {
        self.response_hours
            .unwrap_or(DEFAULT_RESPONSE_HOURS)
            .clamp(1, MAX_RESPONSE_HOURS)
    }

    /// Every category a ticket may have: the two built in, then the
    /// configured ones (cleaned, without repeats).
    pub fn categories(&self) -> Vec<String> {
        let mut out = vec![FEEDBACK.to_owned(), COMPLAINT.to_owned()];
        for category in &self.categories {
            if let Some(tag) = clean_tag(category)
                && !out.contains(&tag)
            {
                out.push(tag);
            }
        }
        out
    }

    /// Whether `category` is one of [`TicketSettings::categories`].
    pub fn has_category(&self, category: &str) -> bool {
        self.categories().iter().any(|c| c == category)
    }

    /// The root-cause tags, cleaned, without repeats.
    pub fn root_causes(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for tag in self.root_causes.iter().filter_map(|t| clean_tag(t)) {
            if !out.contains(&tag) {
                out.push(tag);
            }
        }
        out
    }
}

/// A category or tag as stored: trimmed, lowercase, inner spaces as `-`,
/// at most [`MAX_TAG_CHARS`]; `None` when nothing is left.
pub fn clean_tag(tag: &str) -> Option<String> {
    let tag: String = tag
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TAG_CHARS)
        .collect();
    (!tag.is_empty()).then_some(tag)
}

/// When a ticket opened at `opened` must have had its first response.
pub fn due_at(opened: Timestamp, response_hours: u32) -> Timestamp {
    opened + Duration::hours(i64::from(response_hours.clamp(1, MAX_RESPONSE_HOURS)))
}

/// Whether a ticket is overdue at `now`: still open, nobody answered it,
/// and its due time has passed.
pub fn is_overdue(
    status: TicketStatus,
    first_response: Option<Timestamp>,
    due: Timestamp,
    now: Timestamp,
) -> bool {
    status == TicketStatus::Open && first_response.is_none() && now >= due
}

/// Whether moving to `to` counts as the team's first response (anything
/// but reopening: taking the ticket, resolving or closing it).
pub fn is_response(to: TicketStatus) -> bool {
    to != TicketStatus::Open
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn transitions() {
        use TicketStatus::*;
        assert!(Open.can_move_to(InProgress));
        assert!(Open.can_move_to(Resolved));
        assert!(InProgress.can_move_to(Resolved));
        assert!(Resolved.can_move_to(Closed));
        assert!(Resolved.can_move_to(Open));
        assert!(Closed.can_move_to(Open));
        assert!(!Closed.can_move_to(Resolved));
        assert!(!Closed.can_move_to(InProgress));
        assert!(!Resolved.can_move_to(InProgress));
        for s in TicketStatus::ALL {
            assert!(!s.can_move_to(s));
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            transition(Closed, Resolved),
            Err(BadTransition {
                from: Closed,
                to: Resolved
            })
        );
        assert_eq!(TicketStatus::parse("nope"), None);
    }

    #[test]
    fn categories_and_tags() {
        let settings = TicketSettings {
            categories: vec![" Billing ".into(), "feedback".into(), "".into()],
            response_hours: Some(0),
            root_causes: vec!["Rules unclear".into(), "rules-unclear".into()],
        };
        assert_eq!(
            settings.categories(),
            vec!["feedback", "complaint", "billing"]
        );
        assert!(settings.has_category("billing"));
        assert!(!settings.has_category("other"));
        assert_eq!(settings.root_causes(), vec!["rules-unclear"]);
        assert_eq!(settings.response_hours(), 1);
        assert_eq!(TicketSettings::default().response_hours(), 24);
        assert!(TicketSettings::default().is_default());
        assert_eq!(clean_tag("   "), None);
    }

    #[test]
    fn overdue() {
        let opened = chrono::Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let due = due_at(opened, 24);
        assert_eq!(due, opened + Duration::hours(24));
        let later = due + Duration::minutes(1);
        assert!(!is_overdue(TicketStatus::Open, None, due, opened));
        assert!(is_overdue(TicketStatus::Open, None, due, later));
        assert!(!is_overdue(TicketStatus::Open, Some(opened), due, later));
        assert!(!is_overdue(TicketStatus::InProgress, None, due, later));
        assert!(is_response(TicketStatus::InProgress));
        assert!(!is_response(TicketStatus::Open));
    }
}
