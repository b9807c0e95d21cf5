//! What a report says: the figures of one period beside the period before,
//! day by day series for the charts, activity by weekday and hour, top
//! contributors and terms, moderation with a summary of violation cases,
//! participation in activities, and tickets.
//!
//! Every figure has one definition, written on its field; the runtime fills
//! them from the roll-ups and the store, the renderers only format them.
//! The JSON rendering is this structure as it is (`serde`), so its field
//! names are part of Steward's interface.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use steward_core::Timestamp;
use steward_core::i18n::Lang;

use crate::period::Period;

/// A report on one group or one community for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Report format version, bumped when a field changes meaning.
    pub version: u32,
    /// What it covers.
    pub scope: Scope,
    /// The period reported on.
    pub period: Period,
    /// The period before, compared with.
    pub previous_period: Period,
    /// The time zone the days are counted in (an IANA name or an offset).
    pub time_zone: String,
    /// The language its texts are in.
    pub language: Lang,
    /// When it was made.
    pub generated_at: Timestamp,
    /// The figures of the period.
    pub current: Figures,
    /// The same figures for the period before.
    pub previous: Figures,
    /// One row per day of the period, for the charts.
    pub days: Vec<DayRow>,
    /// Messages by weekday (0 = Monday) and local hour.
    pub hours: Vec<[u64; 24]>,
    /// The members who posted most, most first.
    pub top_contributors: Vec<Contributor>,
    /// The most used terms of the period, most first.
    pub top_terms: Vec<TermRow>,
    /// The terms that grew fastest against the period before.
    pub rising_terms: Vec<TermRow>,
    /// Violations by rule, most first.
    pub violations_by_rule: Vec<RuleRow>,
    /// A sample of the period's serious violation cases (定期总结违规案例).
    pub cases: Vec<CaseRow>,
    /// For a community: each group's main figures. Empty for a group.
    pub groups: Vec<GroupRow>,
    /// Sentiment alerts raised in the period.
    pub alerts: Vec<AlertRow>,
}

/// The current report format version.
pub const REPORT_VERSION: u32 = 1;

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// `group` or `community`.
    pub kind: ScopeKind,
    /// Steward's id of the group or community.
    pub id: i64,
    /// Its name (a group's title, a community's name).
    pub name: String,
}

/// A group or a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    /// One group.
    Group,
    /// Every group of a community.
    Community,
}

/// The figures of one period. Counts are over the period's local days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Messages posted (new messages, not edits; Steward's own excluded).
    pub messages: u64,
    /// Distinct members who posted at least once in the period.
    pub active_members: u64,
    /// Average over the period's days of the distinct members who posted that day.
    pub daily_active_average: f64,
    /// Members in the group(s) at the end of the period, as far as Steward
    /// knows (members it has seen and who have not left).
    pub members: u64,
    /// `active_members / members`, 0 when no members are known.
    pub posting_share: f64,
    /// Joins in the period.
    pub joins: u64,
    /// Leaves and removals in the period.
    pub leaves: u64,
    /// `joins - leaves`.
    pub net_growth: i64,
    /// Newcomer retention (see [`Retention`]).
    pub retention: Retention,
    /// Questions and how fast they were answered.
    pub questions: Questions,
    /// What the messages were.
    pub content: Content,
    /// Moderation figures.
    pub moderation: Moderation,
    /// Participation in activities.
    pub participation: Participation,
    /// Feedback and complaint tickets.
    pub tickets: Tickets,
    /// Mood of the messages.
    pub sentiment: Sentiment,
}

/// Newcomer retention: of those who joined in a week, how many still posted
/// one and four weeks later.
///
/// With `E` the day after the period's last day: the week-1 cohort joined on
/// the days `[E-21, E-14)` and is retained when it posted on a day in
/// `[join+7, join+14)`; the week-4 cohort joined on `[E-42, E-35)` and is
/// retained when it posted in `[join+28, join+35)`. Every window ends before
/// `E`, so a past period's figure never changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Retention {
    /// Members in the week-1 cohort.
    pub week1_cohort: u64,
    /// Of them, those who posted in their second week.
    pub week1_retained: u64,
    /// Members in the week-4 cohort.
    pub week4_cohort: u64,
    /// Of them, those who posted in the week four weeks after joining.
    pub week4_retained: u64,
}

/// Questions asked and answered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Questions {
    /// Messages that read as a question.
    pub asked: u64,
    /// Of them, those another member replied to (a platform reply) within a day.
    pub answered: u64,
    /// The median time from a question to its first reply, in seconds.
    pub median_response_seconds: Option<f64>,
}

/// What the messages were. A message with a link and a photo counts as both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Content {
    /// Messages with text and neither links nor attachments.
    pub text: u64,
    /// Messages with at least one link.
    pub links: u64,
    /// Messages with at least one attachment (photo, video, file, sticker, voice...).
    pub media: u64,
}

/// Moderation in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Moderation {
    /// Violations recorded (enforced rules; shadow rules are not counted).
    pub violations: u64,
    /// Messages deleted by Steward.
    pub deletions: u64,
    /// Warnings given.
    pub warnings: u64,
    /// Mutes given.
    pub mutes: u64,
    /// Removals and bans.
    pub bans: u64,
    /// Review cases decided.
    pub cases_decided: u64,
    /// Of them, dismissed or reversed (on review or appeal): Steward was wrong.
    pub reversed: u64,
    /// `reversed / cases_decided`, the false-positive rate; `None` without decisions.
    pub false_positive_rate: Option<f64>,
}

/// Participation in the group's activities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    /// Daily check-ins.
    pub checkins: u64,
    /// Answers to polls.
    pub poll_votes: u64,
    /// Answers to quiz questions.
    pub quiz_answers: u64,
    /// Raffle entries.
    pub raffle_entries: u64,
    /// Event sign-ups.
    pub event_signups: u64,
    /// Distinct members who did any of these.
    pub participants: u64,
}

/// Feedback and complaint tickets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tickets {
    /// Tickets opened in the period.
    pub opened: u64,
    /// Tickets resolved in the period (whenever they were opened).
    pub resolved: u64,
    /// The median time from opening to resolution of those resolved, in hours.
    pub median_resolve_hours: Option<f64>,
    /// Tickets that went past their response-time target in the period.
    pub overdue: u64,
    /// Resolved tickets by root-cause tag, most first.
    pub causes: Vec<(String, u64)>,
}

/// The mood of the period's messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    /// Messages given a score.
    pub scored: u64,
    /// Of them, negative.
    pub negative: u64,
    /// Of them, positive.
    pub positive: u64,
    /// `negative / scored`, 0 when none was scored.
    pub negative_share: f64,
}

/// One day of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DayRow {
    /// The local date.
    pub date: NaiveDate,
    /// Messages.
    pub messages: u64,
    /// Distinct members who posted.
    pub active_members: u64,
    /// Joins.
    pub joins: u64,
    /// Leaves.
    pub leaves: u64,
    /// Violations.
    pub violations: u64,
    /// Share of scored messages that were negative.
    pub negative_share: f64,
}

/// A member and how much they posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// Steward's id of the member.
    pub member: i64,
    /// Their display name.
    pub name: String,
    /// Messages in the period.
    pub messages: u64,
}

/// A term and its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermRow {
    /// The term (a Chinese word, a Russian or English stem as written most often).
    pub term: String,
    /// Messages using it in the period.
    pub count: u64,
    /// Messages using it in the period before.
    pub previous: u64,
}

/// Violations of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    /// The rule's name.
    pub rule: String,
    /// Violations in the period.
    pub count: u64,
    /// Violations in the period before.
    pub previous: u64,
}

/// One violation case, summarized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    /// When.
    pub at: Timestamp,
    /// The group's title.
    pub group: String,
    /// The member's name.
    pub member: String,
    /// The rule.
    pub rule: String,
    /// The severity.
    pub severity: String,
    /// What Steward did (the ladder's penalty).
    pub action: String,
    /// How the case ended: `open`, `confirmed`, `changed`, `dismissed`.
    pub status: String,
}

/// One group's figures in a community report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// Steward's id of the group.
    pub group: i64,
    /// Its title.
    pub name: String,
    /// Messages in the period.
    pub messages: u64,
    /// Messages in the period before.
    pub previous_messages: u64,
    /// Distinct members who posted.
    pub active_members: u64,
    /// Joins minus leaves.
    pub net_growth: i64,
    /// Violations.
    pub violations: u64,
    /// Share of scored messages that were negative.
    pub negative_share: f64,
}

/// A sentiment or complaint alert raised in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRow {
    /// When.
    pub at: Timestamp,
    /// The group's title.
    pub group: String,
    /// `negative_spike` or `complaint_flood`.
    pub kind: String,
    /// The explanation given to the admins.
    pub detail: String,
}

/// The relative change from `previous` to `current`: `Some(0.25)` for +25%;
/// `None` when there was nothing before to compare with.
pub fn change(current: f64, previous: f64) -> Option<f64> {
    (previous > 0.0).then(|| (current - previous) / previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_is_relative_and_undefined_from_nothing() {
        assert_eq!(change(125.0, 100.0), Some(0.25));
        assert_eq!(change(50.0, 100.0), Some(-0.5));
        assert_eq!(change(5.0, 0.0), None);
    }
}
