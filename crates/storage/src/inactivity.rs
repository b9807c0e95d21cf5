//! Members gone silent: who has not posted in a group for a while, for the
//! inactive-members report (清理僵尸粉) that comes before any cleanup.
//!
//! Admins and owners of the group, members who left, and members who joined
//! within the period are never listed.

use steward_core::{GroupId, MemberId, Timestamp};

use crate::backend::on_pool;
use crate::{Result, Store, from_millis, to_millis};

/// One silent member of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentMember {
    /// The group.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
    /// When they last posted there (never: `None`).
    pub last_active: Option<Timestamp>,
    /// When they joined, if Steward saw it.
    pub joined: Option<Timestamp>,
    /// Messages they posted there.
    pub messages: i64,
}

type SilentRow = (
    i64,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    i64,
);

impl Store {
    /// Members of `group` (every group: `None`) who have not posted since
    /// `silent_since` and did not join after it; the longest silent first.
    pub async fn silent_members(
        &self,
        group: Option<GroupId>,
        silent_since: Timestamp,
        limit: i64,
    ) -> Result<Vec<SilentMember>> {
        let sql = "SELECT g.id, g.title, m.id, m.platform_id, m.name, m.username,
                          ms.last_active_at, ms.joined_at, ms.message_count
                   FROM memberships ms
                   JOIN groups g ON g.id = ms.group_id
                   JOIN members m ON m.id = ms.member_id
                   WHERE ($1 IS NULL OR ms.group_id = $1)
                     AND ms.left_at IS NULL
                     AND ms.role = 'member'
                     AND m.is_bot = 0
                     AND (ms.last_active_at IS NULL OR ms.last_active_at < $2)
                     AND (ms.joined_at IS NULL OR ms.joined_at < $2)
                   ORDER BY COALESCE(ms.last_active_at, 0), m.id
                   LIMIT $3";
        let rows: Vec<SilentRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map(|g| g.0))
            .bind(to_millis(silent_since))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(
                    group,
                    group_title,
                    member,
                    platform_id,
                    name,
                    username,
                    last,
                    joined,
                    messages,
                )| {
                    SilentMember {
                        group: GroupId(group),
                        group_title,
                        member: MemberId(member),
                        platform_id,
                        name,
                        username,
                        last_active: last.map(from_millis),
                        joined: joined.map(from_millis),
                        messages,
                    }
                },
            )
            .collect())
    }
}
