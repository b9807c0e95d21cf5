//! Communities, groups, members, their names over time, and memberships.

use sqlx::Row;
use steward_core::i18n::Lang;
use steward_core::model::{Group, GroupRole};
use steward_core::{CommunityId, GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, to_millis};

/// A member as stored, for comparing with what an event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRecord {
    /// Internal id.
    pub id: MemberId,
    /// Display name, as last seen.
    pub name: Option<String>,
    /// Username, as last seen.
    pub username: Option<String>,
}

/// A group with the figures the group list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    /// The group.
    pub group: Group,
    /// The community's name, if the group is in one.
    pub community_name: Option<String>,
    /// Messages stored for the group.
    pub message_count: i64,
    /// Members currently in the group, as far as Steward has seen.
    pub member_count: i64,
}

impl Tx {
    /// The group's id and language, creating the group on first sight. A
    /// title, when given, replaces the stored one; `language` is the
    /// language of a new group.
    pub async fn upsert_group(
        &mut self,
        platform: Platform,
        platform_id: &str,
        title: Option<&str>,
        language: Lang,
        now: Timestamp,
    ) -> Result<(GroupId, Lang)> {
        let sql = "INSERT INTO groups (platform, platform_id, title, created_at, language) VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (platform, platform_id)
                   DO UPDATE SET title = COALESCE(excluded.title, groups.title)
                   RETURNING id, language";
        let (id, language): (i64, String) = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(platform_id)
            .bind(title)
            .bind(to_millis(now))
            .bind(language.as_str())
            .fetch_one(conn)
            .await?);
        Ok((
            GroupId(id),
            language.parse().map_err(|e| corrupt("groups", e))?,
        ))
    }

    /// Adds `n` to a group's message count.
    pub async fn add_group_messages(&mut self, group: GroupId, n: i64) -> Result<()> {
        let sql = "UPDATE groups SET message_count = message_count + $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(n).bind(group.0).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// The stored member with this platform id.
    pub async fn find_member(
        &mut self,
        platform: Platform,
        platform_id: &str,
    ) -> Result<Option<MemberRecord>> {
        let sql = "SELECT id, name, username FROM members WHERE platform = $1 AND platform_id = $2";
        let row: Option<(i64, Option<String>, Option<String>)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(platform_id)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(id, name, username)| MemberRecord {
            id: MemberId(id),
            name,
            username,
        }))
    }

    /// Stores a member seen for the first time, with their first name in
    /// the name history.
    pub async fn insert_member(
        &mut self,
        platform: Platform,
        platform_id: &str,
        name: Option<&str>,
        username: Option<&str>,
        is_bot: bool,
        now: Timestamp,
    ) -> Result<MemberId> {
        let sql = "INSERT INTO members (platform, platform_id, name, username, is_bot, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (platform, platform_id) DO UPDATE SET platform_id = excluded.platform_id
                   RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(platform.as_str())
            .bind(platform_id)
            .bind(name)
            .bind(username)
            .bind(i64::from(is_bot))
            .bind(to_millis(now))
            .fetch_one(conn)
            .await?);
        let id = MemberId(id);
        if let Some(name) = name {
            self.insert_member_name(id, name, now).await?;
        }
        Ok(id)
    }

    /// Records a member's new name and username, keeping the old name in the
    /// history.
    pub async fn rename_member(
        &mut self,
        member: MemberId,
        name: Option<&str>,
        username: Option<&str>,
        now: Timestamp,
    ) -> Result<()> {
        let sql = "UPDATE members SET name = COALESCE($1, name), username = COALESCE($2, username) WHERE id = $3";
        on_tx!(self, conn => sqlx::query(sql).bind(name).bind(username).bind(member.0).execute(conn).await?.rows_affected());
        if let Some(name) = name {
            self.insert_member_name(member, name, now).await?;
        }
        Ok(())
    }

    async fn insert_member_name(
        &mut self,
        member: MemberId,
        name: &str,
        now: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO member_names (member_id, name, seen_at) VALUES ($1, $2, $3)";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).bind(name).bind(to_millis(now)).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Notes that members posted in groups: for each (group, member, last
    /// message time, number of messages), at most one entry per pair, the
    /// last activity moves forward and the count grows.
    pub async fn touch_memberships(
        &mut self,
        activity: &[(GroupId, MemberId, Timestamp, i64)],
    ) -> Result<()> {
        for chunk in activity.chunks(1000) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO memberships (group_id, member_id, last_active_at, message_count) ",
                );
                query.push_values(chunk, |mut row, (group, member, last, n)| {
                    row.push_bind(group.0)
                        .push_bind(member.0)
                        .push_bind(to_millis(*last))
                        .push_bind(*n);
                });
                query.push(
                    " ON CONFLICT (group_id, member_id) DO UPDATE SET
                     last_active_at = CASE
                       WHEN memberships.last_active_at IS NULL OR excluded.last_active_at > memberships.last_active_at
                       THEN excluded.last_active_at ELSE memberships.last_active_at END,
                     message_count = memberships.message_count + excluded.message_count",
                );
                query.build().execute(conn).await?.rows_affected()
            });
        }
        Ok(())
    }

    /// Records a member's role in a group, as the platform reports it.
    pub async fn set_group_role(
        &mut self,
        group: GroupId,
        member: MemberId,
        role: GroupRole,
    ) -> Result<()> {
        let sql = "INSERT INTO memberships (group_id, member_id, role) VALUES ($1, $2, $3)
                   ON CONFLICT (group_id, member_id) DO UPDATE SET role = excluded.role";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(role.as_str())
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Notes that a member joined a group, invited by `invited_by` if known.
    pub async fn record_join(
        &mut self,
        group: GroupId,
        member: MemberId,
        at: Timestamp,
        invited_by: Option<MemberId>,
    ) -> Result<()> {
        let sql = "INSERT INTO memberships (group_id, member_id, joined_at, invited_by)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (group_id, member_id) DO UPDATE SET
                     joined_at = excluded.joined_at, left_at = NULL,
                     invited_by = COALESCE(excluded.invited_by, memberships.invited_by)";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(to_millis(at))
            .bind(invited_by.map(|m| m.0))
            .execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Who invited `member` into `group`, as recorded on their join: their
    /// platform id, name and username.
    pub async fn inviter_of(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<(String, Option<String>, Option<String>)>> {
        let sql = "SELECT m.platform_id, m.name, m.username
                   FROM memberships ms JOIN members m ON m.id = ms.invited_by
                   WHERE ms.group_id = $1 AND ms.member_id = $2";
        let row = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        Ok(row)
    }

    /// The platform and platform id of a group.
    pub async fn group_platform_id(
        &mut self,
        group: GroupId,
    ) -> Result<Option<(Platform, String)>> {
        let sql = "SELECT platform, platform_id FROM groups WHERE id = $1";
        let row: Option<(String, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(group.0).fetch_optional(conn).await?);
        row.map(|(platform, id)| Ok((platform.parse().map_err(|e| corrupt("groups", e))?, id)))
            .transpose()
    }

    /// The platform id of a member.
    pub async fn member_platform_id(&mut self, member: MemberId) -> Result<Option<String>> {
        let sql = "SELECT platform_id FROM members WHERE id = $1";
        let id = on_tx!(self, conn => sqlx::query_scalar(sql).bind(member.0).fetch_optional(conn).await?);
        Ok(id)
    }

    /// Notes that a member left a group.
    pub async fn record_leave(
        &mut self,
        group: GroupId,
        member: MemberId,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO memberships (group_id, member_id, left_at) VALUES ($1, $2, $3)
                   ON CONFLICT (group_id, member_id) DO UPDATE SET left_at = excluded.left_at";
        on_tx!(self, conn => sqlx::query(sql).bind(group.0).bind(member.0).bind(to_millis(at)).execute(conn).await?.rows_affected());
        Ok(())
    }
}

impl Store {
    /// The community's id, creating it on first use.
    pub async fn ensure_community(&self, name: &str, now: Timestamp) -> Result<CommunityId> {
        let sql = "INSERT INTO communities (name, created_at) VALUES ($1, $2)
                   ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id";
        let id: i64 = on_pool!(self, pool => sqlx::query_scalar(sql).bind(name).bind(to_millis(now)).fetch_one(pool).await?);
        Ok(CommunityId(id))
    }

    /// Puts a group into a community and sets the language Steward speaks there.
    pub async fn configure_group(
        &self,
        group: GroupId,
        community: Option<CommunityId>,
        language: Lang,
    ) -> Result<()> {
        let sql = "UPDATE groups SET community_id = $1, language = $2 WHERE id = $3";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(community.map(|c| c.0))
            .bind(language.as_str())
            .bind(group.0)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Every group, with its community and figures, in id order.
    pub async fn list_groups(&self) -> Result<Vec<GroupSummary>> {
        let sql = "SELECT g.id, g.platform, g.platform_id, g.title, g.community_id, g.language,
                          c.name, g.message_count,
                          (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id AND m.left_at IS NULL)
                   FROM groups g LEFT JOIN communities c ON c.id = g.community_id
                   ORDER BY g.id";
        on_pool!(self, pool => sqlx::query(sql)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| {
                let platform: String = row.try_get(1)?;
                let language: String = row.try_get(5)?;
                Ok(GroupSummary {
                    group: Group {
                        id: GroupId(row.try_get(0)?),
                        platform: platform.parse().map_err(|e| corrupt("groups", e))?,
                        platform_id: row.try_get(2)?,
                        title: row.try_get(3)?,
                        community: row.try_get::<Option<i64>, _>(4)?.map(CommunityId),
                        language: language.parse().map_err(|e| corrupt("groups", e))?,
                    },
                    community_name: row.try_get(6)?,
                    message_count: row.try_get(7)?,
                    member_count: row.try_get(8)?,
                })
            })
            .collect())
    }

    /// The group with this platform id.
    pub async fn find_group(&self, platform: Platform, platform_id: &str) -> Result<Option<Group>> {
        let groups = self.list_groups_where(platform, platform_id).await?;
        Ok(groups.into_iter().next())
    }

    async fn list_groups_where(&self, platform: Platform, platform_id: &str) -> Result<Vec<Group>> {
        let sql = "SELECT id, title, community_id, language FROM groups WHERE platform = $1 AND platform_id = $2";
        let rows: Vec<(i64, Option<String>, Option<i64>, String)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(platform_id)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(|(id, title, community, language)| {
                Ok(Group {
                    id: GroupId(id),
                    platform,
                    platform_id: platform_id.to_owned(),
                    title,
                    community: community.map(CommunityId),
                    language: language.parse().map_err(|e| corrupt("groups", e))?,
                })
            })
            .collect()
    }

    /// A member's names over time, oldest first.
    pub async fn member_names(&self, member: MemberId) -> Result<Vec<(String, Timestamp)>> {
        let sql =
            "SELECT name, seen_at FROM member_names WHERE member_id = $1 ORDER BY seen_at, id";
        let rows: Vec<(String, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(member.0).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(n, at)| (n, crate::from_millis(at)))
            .collect())
    }
}
