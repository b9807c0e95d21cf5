//! Communities, groups, members, memberships and dashboard users.
//!
//! These are read models: what storage hands back and the API shows. Writes
//! go through the storage crate's forms.

use serde::{Deserialize, Serialize};

use crate::{CommunityId, GroupId, MemberId, Platform, Role, Timestamp, UserId, i18n::Lang};

/// A set of groups that share rules and ban lists (one brand's 50 groups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    /// Internal id.
    pub id: CommunityId,
    /// Display name.
    pub name: String,
}

/// A group (chat, room) on one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Internal id.
    pub id: GroupId,
    /// The platform it lives on.
    pub platform: Platform,
    /// The platform's id of the group.
    pub platform_id: String,
    /// Title, as last seen.
    pub title: Option<String>,
    /// The community it belongs to, if any.
    pub community: Option<CommunityId>,
    /// The language Steward speaks there.
    pub language: Lang,
}

/// A platform account seen in at least one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Internal id.
    pub id: MemberId,
    /// The platform of the account.
    pub platform: Platform,
    /// The platform's id of the account.
    pub platform_id: String,
    /// Display name, as last seen.
    pub name: Option<String>,
    /// Username or handle, as last seen.
    pub username: Option<String>,
}

/// A name a member went by, and when it was first seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberName {
    /// The display name.
    pub name: String,
    /// When Steward first saw it.
    pub seen_at: Timestamp,
}

/// A member's role inside a group, as the platform reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupRole {
    /// An ordinary member.
    Member,
    /// A group admin on the platform.
    Admin,
    /// The group's owner on the platform.
    Owner,
}

impl GroupRole {
    /// The lowercase name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupRole::Member => "member",
            GroupRole::Admin => "admin",
            GroupRole::Owner => "owner",
        }
    }

    /// Parses the database name; unknown names read as `member`.
    pub fn parse(name: &str) -> GroupRole {
        match name {
            "admin" => GroupRole::Admin,
            "owner" => GroupRole::Owner,
            _ => GroupRole::Member,
        }
    }
}

/// A member's place in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The group.
    pub group: GroupId,
    /// The member.
    pub member: MemberId,
    /// When the member joined, when Steward saw it.
    pub joined_at: Option<Timestamp>,
    /// When the member last posted.
    pub last_active_at: Option<Timestamp>,
    /// Who invited them, when known.
    pub invited_by: Option<MemberId>,
    /// Their role in the group.
    pub role: GroupRole,
    /// Whether they are still in the group.
    pub present: bool,
}

/// A person who uses the dashboard, the API or the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardUser {
    /// Internal id.
    pub id: UserId,
    /// Login name.
    pub name: String,
    /// Role, which decides what they may do.
    pub role: Role,
}
