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
        }
    }
}
