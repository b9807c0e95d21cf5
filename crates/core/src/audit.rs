//! The kinds of entries in the audit log.
//!
//! The audit log is append-only: one row per action taken, automated or by a
//! person, with who did it, to whom, why, and under which rule. Actions on
//! groups are recorded under their [`crate::ActionKind`] name (`mute`,
//! `delete_message`, ...); everything else under an [`AuditKind`] name.

use serde::{Deserialize, Serialize};

use crate::UserId;

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    /// Steward itself, following its rules.
    System,
    /// A dashboard user, through the dashboard, the API or the CLI.
    User {
        /// The user.
        id: UserId,
        /// Their login name at the time.
        name: String,
    },
}

impl Actor {
    /// The label stored in the audit log's `actor` column.
    pub fn label(&self) -> String {
        match self {
            Actor::System => "system".to_owned(),
            Actor::User { name, .. } => format!("user:{name}"),
        }
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A dashboard user was created.
    UserCreated,
    /// A dashboard user's role changed.
    RoleChanged,
    /// An API token was created.
    TokenCreated,
    /// An API token was revoked.
    TokenRevoked,
    /// The owner account was set up through the first-run link.
    SetupCompleted,
    /// An action could not be delivered and was given up.
    DeliveryFailed,
    /// A team invitation link was made.
    InviteCreated,
    /// A dashboard user was removed from the team.
    UserRemoved,
    /// A team-wide dashboard setting changed.
    TeamSettingsChanged,
    /// A cleanup of silent members was confirmed: its removals are queued.
    CleanupConfirmed,
    /// A since-action (remove everyone who joined in a window) was confirmed.
    SinceConfirmed,
    /// A cleanup or since-action was undone: the rest stopped, the removed
    /// re-invited.
    BulkUndone,
    /// A member was put on a group's cleanup exempt list.
    ExemptAdded,
    /// A member was taken off a group's cleanup exempt list.
    ExemptRemoved,
    /// One member's data was exported.
    MemberExported,
    /// One member's data was erased on request.
    MemberErased,
    /// A group's welcome (templates, buttons, timing) changed.
    WelcomeChanged,
    /// A group's nickname rule changed.
    NicknameRuleChanged,
    /// A member was reminded that their name breaks the nickname rule.
    NicknameReminded,
    /// A member's name follows the nickname rule again (a nickname mute is
    /// lifted with it).
    NicknameFixed,
    /// A join wave switched a group into raid mode.
    RaidModeStarted,
    /// A group's raid mode ended (its time ran out, or an admin ended it).
    RaidModeEnded,
    /// An account was put on a community's ban list.
    BanListAdded,
    /// An account was taken off a community's ban list.
    BanListRemoved,
    /// A ban list file was imported into a community's list.
    BanListImported,
    /// A subscribed list was fetched and merged.
    BanListSynced,
    /// A community subscribed to another Steward's ban list.
    BanListSubscribed,
    /// A community stopped following another Steward's ban list.
    BanListUnsubscribed,
    /// A ban-list entry was not applied in a group because the account is
    /// staff there (an admin, a configured admin or moderator) or Steward.
    BanListSpared,
    /// A scheduled post was drafted or changed.
    PostDrafted,
    /// A scheduled post was submitted for approval.
    PostSubmitted,
    /// A scheduled post was approved and scheduled.
    PostApproved,
    /// A scheduled post was rejected, with a reason.
    PostRejected,
    /// A scheduled post was sent to a group.
    PostPublished,
    /// A scheduled post was held (quiet hours, daily cap).
    PostHeld,
    /// A raffle was opened (its seed's hash announced).
    RaffleOpened,
    /// A raffle was drawn (its seed revealed, the winners announced).
    RaffleDrawn,
    /// A poll or a quiz was started in a group.
    PollStarted,
    /// A poll or a quiz was closed (results or scoreboard posted).
    PollClosed,
    /// A member was given points, or had points taken, by an admin (an
    /// award or a correction in the points ledger).
    PointsAwarded,
    /// A referral campaign was created.
    CampaignCreated,
    /// A referral campaign was ended early.
    CampaignEnded,
    /// A referral campaign was deleted.
    CampaignDeleted,
    /// An FAQ entry was created.
    FaqCreated,
    /// An FAQ entry changed.
    FaqChanged,
    /// An FAQ entry was deleted.
    FaqDeleted,
    /// A collected unanswered question was dismissed.
    FaqQuestionDismissed,
    /// A member opened a feedback or complaint ticket.
    TicketOpened,
    /// A ticket went past its response-time target; the admins were alerted.
    TicketOverdue,
    /// A ticket's status changed.
    TicketStatusChanged,
    /// A ticket was assigned (or unassigned).
    TicketAssigned,
    /// An internal note was added to a ticket.
    TicketNoted,
    /// A ticket's category or root-cause tags changed.
    TicketTagged,
    /// A ticket was resolved with a reply to the member.
    TicketResolved,
    /// An event with sign-ups was created and announced.
    ActivityCreated,
    /// An event with sign-ups was cancelled.
    ActivityCancelled,
    /// The admins were alerted that a group's mood turned or complaints
    /// flooded in.
    MoodAlert,
    /// A scheduled report was sent to a group's admins' chat.
    ReportSent,
    /// A group's history was imported.
    HistoryImported,
}

impl AuditKind {
    /// The snake_case name used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::UserCreated => "user_created",
            AuditKind::RoleChanged => "role_changed",
            AuditKind::TokenCreated => "token_created",
            AuditKind::TokenRevoked => "token_revoked",
            AuditKind::SetupCompleted => "setup_completed",
            AuditKind::DeliveryFailed => "delivery_failed",
            AuditKind::InviteCreated => "invite_created",
            AuditKind::UserRemoved => "user_removed",
            AuditKind::TeamSettingsChanged => "team_settings_changed",
            AuditKind::CleanupConfirmed => "cleanup_confirmed",
            AuditKind::SinceConfirmed => "since_confirmed",
            AuditKind::BulkUndone => "bulk_undone",
            AuditKind::ExemptAdded => "exempt_added",
            AuditKind::ExemptRemoved => "exempt_removed",
            AuditKind::MemberExported => "member_exported",
            AuditKind::MemberErased => "member_erased",
            AuditKind::WelcomeChanged => "welcome_changed",
            AuditKind::NicknameRuleChanged => "nickname_rule_changed",
            AuditKind::NicknameReminded => "nickname_reminded",
            AuditKind::NicknameFixed => "nickname_fixed",
            AuditKind::RaidModeStarted => "raid_mode_started",
            AuditKind::RaidModeEnded => "raid_mode_ended",
            AuditKind::BanListAdded => "ban_list_added",
            AuditKind::BanListRemoved => "ban_list_removed",
            AuditKind::BanListImported => "ban_list_imported",
            AuditKind::BanListSynced => "ban_list_synced",
            AuditKind::BanListSubscribed => "ban_list_subscribed",
            AuditKind::BanListUnsubscribed => "ban_list_unsubscribed",
            AuditKind::BanListSpared => "ban_list_spared",
            AuditKind::PostDrafted => "post_drafted",
            AuditKind::PostSubmitted => "post_submitted",
            AuditKind::PostApproved => "post_approved",
            AuditKind::PostRejected => "post_rejected",
            AuditKind::PostPublished => "post_published",
            AuditKind::PostHeld => "post_held",
            AuditKind::RaffleOpened => "raffle_opened",
            AuditKind::RaffleDrawn => "raffle_drawn",
            AuditKind::PollStarted => "poll_started",
            AuditKind::PollClosed => "poll_closed",
            AuditKind::PointsAwarded => "points_awarded",
            AuditKind::CampaignCreated => "campaign_created",
            AuditKind::CampaignEnded => "campaign_ended",
            AuditKind::CampaignDeleted => "campaign_deleted",
            AuditKind::FaqCreated => "faq_created",
            AuditKind::FaqChanged => "faq_changed",
            AuditKind::FaqDeleted => "faq_deleted",
            AuditKind::FaqQuestionDismissed => "faq_question_dismissed",
            AuditKind::TicketOpened => "ticket_opened",
            AuditKind::TicketOverdue => "ticket_overdue",
            AuditKind::TicketStatusChanged => "ticket_status_changed",
            AuditKind::TicketAssigned => "ticket_assigned",
            AuditKind::TicketNoted => "ticket_noted",
            AuditKind::TicketTagged => "ticket_tagged",
            AuditKind::TicketResolved => "ticket_resolved",
            AuditKind::ActivityCreated => "activity_created",
            AuditKind::ActivityCancelled => "activity_cancelled",
            AuditKind::MoodAlert => "mood_alert",
            AuditKind::ReportSent => "report_sent",
            AuditKind::HistoryImported => "history_imported",
        }
    }
}
