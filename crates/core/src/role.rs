//! Dashboard roles and the permission table.
//!
//! | permission            | owner | admin | operator | viewer |
//! |-----------------------|:-----:|:-----:|:--------:|:------:|
//! | view                  |   x   |   x   |    x     |   x    |
//! | moderate              |   x   |   x   |    x     |        |
//! | ban                   |   x   |   x   |          |        |
//! | decide_escalations    |   x   |   x   |          |        |
//! | edit_rules            |   x   |   x   |          |        |
//! | manage_groups         |   x   |   x   |          |        |
//! | draft_posts           |   x   |   x   |    x     |        |
//! | approve_posts         |   x   |   x   |          |        |
//! | handle_tickets        |   x   |   x   |    x     |        |
//! | view_audit            |   x   |   x   |    x     |        |
//! | manage_operators      |   x   |   x   |          |        |
//! | manage_admins         |   x   |       |          |        |
//! | manage_platforms      |   x   |       |          |        |
//!
//! Operators do the daily work (moderate within limits, draft posts, handle
//! tickets); serious cases go up to admins, who set rules and decide
//! escalated cases; owners manage admins and platform connections.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A dashboard user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 群主: every power, manages admins.
    Owner,
    /// 社群管理员: rules, ladders, escalated cases, operators.
    Admin,
    /// 社群运营人员: daily work within limits.
    Operator,
    /// Read-only access.
    Viewer,
}

/// Something a dashboard user may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See groups, members, events and reports.
    View,
    /// Delete messages, warn and mute members, handle reports.
    Moderate,
    /// Kick and ban members.
    Ban,
    /// Decide cases escalated to the review queue.
    DecideEscalations,
    /// Edit rules and penalty ladders.
    EditRules,
    /// Change group and community settings.
    ManageGroups,
    /// Draft scheduled posts.
    DraftPosts,
    /// Approve scheduled posts.
    ApprovePosts,
    /// Work on feedback and complaint tickets.
    HandleTickets,
    /// Read the audit log.
    ViewAudit,
    /// Add and remove operators and viewers.
    ManageOperators,
    /// Add and remove admins.
    ManageAdmins,
    /// Connect platforms and see their tokens.
    ManagePlatforms,
}

impl Permission {
    /// Every permission, in table order.
    pub const ALL: [Permission; 13] = [
        Permission::View,
        Permission::Moderate,
        Permission::Ban,
        Permission::DecideEscalations,
        Permission::EditRules,
        Permission::ManageGroups,
        Permission::DraftPosts,
        Permission::ApprovePosts,
        Permission::HandleTickets,
        Permission::ViewAudit,
        Permission::ManageOperators,
        Permission::ManageAdmins,
        Permission::ManagePlatforms,
    ];
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Operator, Role::Viewer];

    /// The lowercase name used in the API, the CLI and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
        }
    }

    /// Whether this role grants `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => true,
            Role::Admin => !matches!(permission, ManageAdmins | ManagePlatforms),
            Role::Operator => matches!(
                permission,
                View | Moderate | DraftPosts | HandleTickets | ViewAudit
            ),
            Role::Viewer => matches!(permission, View),
        }
    }

    /// Whether a user with this role may give `other` to someone, or take it
    /// away: owners manage admins, admins manage operators and viewers.
    pub fn can_manage(self, other: Role) -> bool {
        match other {
            Role::Owner | Role::Admin => self.can(Permission::ManageAdmins),
            Role::Operator | Role::Viewer => self.can(Permission::ManageOperators),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that Steward does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`, expected one of owner, admin, operator, viewer")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_in_the_module_doc_holds() {
        use Permission::*;
        assert!(Role::Owner.can(ManageAdmins));
        assert!(!Role::Admin.can(ManageAdmins));
        assert!(Role::Admin.can(EditRules));
        assert!(Role::Admin.can(DecideEscalations));
        assert!(!Role::Operator.can(EditRules));
        assert!(!Role::Operator.can(Ban));
        assert!(Role::Operator.can(Moderate));
        assert!(Role::Operator.can(DraftPosts));
        assert!(!Role::Operator.can(ApprovePosts));
        for p in Permission::ALL {
            assert!(Role::Owner.can(p));
            assert_eq!(Role::Viewer.can(p), p == View);
        }
    }

    #[test]
    fn owners_manage_admins_and_admins_manage_operators() {
        assert!(Role::Owner.can_manage(Role::Admin));
        assert!(!Role::Admin.can_manage(Role::Admin));
        assert!(Role::Admin.can_manage(Role::Operator));
        assert!(!Role::Operator.can_manage(Role::Viewer));
    }
}
