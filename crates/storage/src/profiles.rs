//! Members as the dashboard shows them: search across groups, a member's
//! groups, activity, violations and admins' notes.

use sqlx::Row;
use steward_core::i18n::Lang;
use steward_core::model::{GroupRole, Member};
use steward_core::{CommunityId, EventKind, GroupId, MemberId, Platform, Timestamp};

use crate::audit::{AuditRow, NewAudit, read_audit_row};
use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// One member in search results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberHit {
    /// The member.
    pub member: Member,
    /// In how many groups Steward has seen them.
    pub groups: i64,
    /// When they last posted anywhere.
    pub last_active: Option<Timestamp>,
    /// Violations recorded against them, expired ones included.
    pub violations: i64,
}

/// A member's place in one group, as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberGroup {
    /// The group.
    pub group: GroupId,
    /// The group's platform id.
    pub group_platform_id: String,
    /// The group's title.
    pub title: Option<String>,
    /// The group's community.
    pub community: Option<CommunityId>,
    /// The community's name.
    pub community_name: Option<String>,
    /// When they joined, if a join was seen.
    pub joined_at: Option<Timestamp>,
    /// When they left, if they left since.
    pub left_at: Option<Timestamp>,
    /// When they last posted.
    pub last_active: Option<Timestamp>,
    /// Messages they posted.
    pub messages: i64,
    /// Their role on the platform.
    pub role: GroupRole,
    /// Since when trust counts: their join, else when Steward first saw them.
    pub since: Option<Timestamp>,
    /// Their last violation in the group.
    pub last_violation: Option<Timestamp>,
}

/// A violation as the profile lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberViolation {
    /// The group.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// The rule.
    pub rule: String,
    /// The severity, by name.
    pub severity: String,
    /// Points.
    pub points: i64,
    /// When.
    pub at: Timestamp,
    /// When the points stop counting.
    pub expires_at: Timestamp,
}

/// An admin's note on a member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberNote {
    /// Its id.
    pub id: i64,
    /// Who wrote it (a dashboard user's name).
    pub author: String,
    /// What they wrote.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
}

/// How a member came into one group, as far as Steward saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinSource {
    /// The group.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// When they (last) joined.
    pub joined_at: Option<Timestamp>,
    /// Who added or invited them, by id and name.
    pub inviter: Option<(MemberId, String)>,
    /// The invite link they joined through.
    pub invite_link: Option<String>,
    /// Whose link it was (a referral link), by id and name.
    pub link_owner: Option<(MemberId, String)>,
    /// What the link was made for (`referral`, `reinvite`, ...), when
    /// Steward made it.
    pub link_purpose: Option<String>,
    /// Whether they asked to join (a join request) before joining.
    pub join_request: bool,
    /// How their join screening ended (`approved`, `declined`, `expired`,
    /// `pending`), if they were screened.
    pub screening: Option<String>,
    /// Who was credited with the referral, by id and name, and whether it
    /// counted.
    pub referrer: Option<(MemberId, String, bool)>,
}

/// A group where a member can be reached by a manual action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The group.
    pub group: GroupId,
    /// The group's platform.
    pub platform: Platform,
    /// The group's platform id.
    pub platform_id: String,
    /// The group's community.
    pub community: Option<CommunityId>,
    /// The language Steward speaks there.
    pub language: Lang,
    /// The member's role there on the platform.
    pub role: GroupRole,
    /// Whether the member has left the group.
    pub left: bool,
}

/// The columns a member is read from: platform, platform id, name,
/// username (the query `SELECT platform, platform_id, name, username`).
type MemberColumns = (String, String, Option<String>, Option<String>);

fn member_from(
    id: MemberId,
    (platform, platform_id, name, username): MemberColumns,
) -> Result<Member> {
    Ok(Member {
        id,
        platform: platform.parse().map_err(|e| corrupt("members", e))?,
        platform_id,
        name,
        username,
    })
}

/// A row of `member_reach`: group id, platform, platform id, community,
/// language, role, left at.
type ReachRow = (
    i64,
    String,
    String,
    Option<i64>,
    String,
    String,
    Option<i64>,
);

/// The columns [`read_hit`] reads, as a literal so queries stay `&'static str`.
macro_rules! hit_columns {
    () => {
        "m.id, m.platform, m.platform_id, m.name, m.username,
         (SELECT COUNT(*) FROM memberships ms WHERE ms.member_id = m.id),
         (SELECT MAX(ms.last_active_at) FROM memberships ms WHERE ms.member_id = m.id),
         (SELECT COUNT(*) FROM violations v WHERE v.member_id = m.id)"
    };
}

fn read_hit<R>(row: &R) -> Result<MemberHit>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let platform: String = row.try_get(1)?;
    Ok(MemberHit {
        member: Member {
            id: MemberId(row.try_get(0)?),
            platform: platform.parse().map_err(|e| corrupt("members", e))?,
            platform_id: row.try_get(2)?,
            name: row.try_get(3)?,
            username: row.try_get(4)?,
        },
        groups: row.try_get(5)?,
        last_active: row.try_get::<Option<i64>, _>(6)?.map(from_millis),
        violations: row.try_get(7)?,
    })
}

/// A `LIKE` pattern matching `text` anywhere, lowercased, with `%`, `_` and
/// `\` taken literally (the queries say `ESCAPE '\'`).
pub fn contains_pattern(text: &str) -> String {
    literal_pattern(&text.to_lowercase())
}

/// Like [`contains_pattern`], keeping the case as typed.
fn literal_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Store {
    /// Members whose name (now or before), or username, contains `query`
    /// (case-insensitive; a leading `@` looks at usernames only), or whose
    /// platform id is `query`; exact id matches first, then the newest.
    ///
    /// SQLite's `LOWER` folds ASCII letters only, so names in other scripts
    /// match case-insensitively on PostgreSQL alone; on SQLite they match
    /// when typed in the same case (the as-typed pattern, `$5`).
    pub async fn search_members(&self, query: &str, limit: i64) -> Result<Vec<MemberHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let (name_pattern, username_pattern) = match query.strip_prefix('@') {
            Some(username) if !username.is_empty() => (None, contains_pattern(username)),
            _ => (Some(contains_pattern(query)), contains_pattern(query)),
        };
        let sql = concat!(
            "SELECT ",
            hit_columns!(),
            " FROM members m
              WHERE m.platform_id = $1
                 OR LOWER(m.username) LIKE $2 ESCAPE '\\'
                 OR ($3 IS NOT NULL AND LOWER(m.name) LIKE $3 ESCAPE '\\')
                 OR ($3 IS NOT NULL AND EXISTS (SELECT 1 FROM member_names n
                     WHERE n.member_id = m.id AND LOWER(n.name) LIKE $3 ESCAPE '\\'))
                 OR ($5 IS NOT NULL AND m.name LIKE $5 ESCAPE '\\')
                 OR ($5 IS NOT NULL AND EXISTS (SELECT 1 FROM member_names n
                     WHERE n.member_id = m.id AND n.name LIKE $5 ESCAPE '\\'))
              ORDER BY CASE WHEN m.platform_id = $1 THEN 0 ELSE 1 END, m.id DESC
              LIMIT $4"
        );
        let hits = on_pool!(self, pool => sqlx::query(sql)
            .bind(query.strip_prefix('@').unwrap_or(query))
            .bind(&username_pattern)
            .bind(name_pattern.as_deref())
            .bind(limit)
            .bind(name_pattern.is_some().then(|| literal_pattern(query)))
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_hit)
            .collect::<Result<Vec<_>>>()?);
        Ok(hits)
    }

    /// The members who posted last, anywhere, most recent first.
    pub async fn recent_members(&self, limit: i64) -> Result<Vec<MemberHit>> {
        let sql = concat!(
            "SELECT ",
            hit_columns!(),
            " FROM members m
              WHERE m.id IN (SELECT ms.member_id FROM memberships ms
                             WHERE ms.last_active_at IS NOT NULL
                             GROUP BY ms.member_id
                             ORDER BY MAX(ms.last_active_at) DESC LIMIT $1)"
        );
        let mut hits = on_pool!(self, pool => sqlx::query(sql)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_hit)
            .collect::<Result<Vec<_>>>()?);
        hits.sort_by(|a, b| {
            b.last_active
                .cmp(&a.last_active)
                .then(b.member.id.0.cmp(&a.member.id.0))
        });
        Ok(hits)
    }

    /// A member by internal id.
    pub async fn member(&self, member: MemberId) -> Result<Option<Member>> {
        let sql = "SELECT platform, platform_id, name, username FROM members WHERE id = $1";
        let row: Option<MemberColumns> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(member.0).fetch_optional(pool).await?);
        row.map(|columns| member_from(member, columns)).transpose()
    }

    /// The groups Steward has seen a member in, with what trust is
    /// computed from, in group order.
    pub async fn member_groups(&self, member: MemberId) -> Result<Vec<MemberGroup>> {
        let sql = "SELECT g.id, g.platform_id, g.title, g.community_id, c.name,
                          ms.joined_at, ms.left_at, ms.last_active_at, ms.message_count, ms.role,
                          COALESCE(ms.joined_at, mem.created_at),
                          (SELECT MAX(v.at) FROM violations v
                           WHERE v.group_id = g.id AND v.member_id = ms.member_id)
                   FROM memberships ms
                   JOIN groups g ON g.id = ms.group_id
                   JOIN members mem ON mem.id = ms.member_id
                   LEFT JOIN communities c ON c.id = g.community_id
                   WHERE ms.member_id = $1
                   ORDER BY g.id";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<MemberGroup> {
                let role: String = row.try_get(9)?;
                Ok(MemberGroup {
                    group: GroupId(row.try_get(0)?),
                    group_platform_id: row.try_get(1)?,
                    title: row.try_get(2)?,
                    community: row.try_get::<Option<i64>, _>(3)?.map(CommunityId),
                    community_name: row.try_get(4)?,
                    joined_at: row.try_get::<Option<i64>, _>(5)?.map(from_millis),
                    left_at: row.try_get::<Option<i64>, _>(6)?.map(from_millis),
                    last_active: row.try_get::<Option<i64>, _>(7)?.map(from_millis),
                    messages: row.try_get(8)?,
                    role: GroupRole::parse(&role),
                    since: row.try_get::<Option<i64>, _>(10)?.map(from_millis),
                    last_violation: row.try_get::<Option<i64>, _>(11)?.map(from_millis),
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// How a member came into each of their groups: inviter, invite link
    /// (and whose it was), join request, screening; in group order.
    pub async fn member_join_sources(&self, member: MemberId) -> Result<Vec<JoinSource>> {
        let sql = "SELECT ms.group_id, g.title, g.platform, ms.joined_at, ms.invited_by,
                          COALESCE(inv.name, inv.username, inv.platform_id),
                          (SELECT e.payload FROM events e
                           WHERE e.group_id = ms.group_id AND e.member_id = ms.member_id AND e.kind = $2
                           ORDER BY e.at DESC, e.id DESC LIMIT 1),
                          EXISTS (SELECT 1 FROM events e
                           WHERE e.group_id = ms.group_id AND e.member_id = ms.member_id AND e.kind = $3),
                          (SELECT s.status FROM join_screenings s
                           WHERE s.group_id = ms.group_id AND s.member_id = ms.member_id
                           ORDER BY s.id DESC LIMIT 1),
                          (SELECT r.referrer_id FROM referrals r
                           WHERE r.group_id = ms.group_id AND r.newcomer_id = ms.member_id
                           ORDER BY r.id DESC LIMIT 1),
                          (SELECT r.counted FROM referrals r
                           WHERE r.group_id = ms.group_id AND r.newcomer_id = ms.member_id
                           ORDER BY r.id DESC LIMIT 1)
                   FROM memberships ms
                   JOIN groups g ON g.id = ms.group_id
                   LEFT JOIN members inv ON inv.id = ms.invited_by
                   WHERE ms.member_id = $1
                   ORDER BY ms.group_id";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .bind(EventKind::MemberJoined.as_str())
            .bind(EventKind::JoinRequest.as_str())
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<(JoinSource, String)> {
                let inviter = match (row.try_get::<Option<i64>, _>(4)?, row.try_get::<Option<String>, _>(5)?) {
                    (Some(id), Some(name)) => Some((MemberId(id), name)),
                    _ => None,
                };
                let payload: Option<String> = row.try_get(6)?;
                let invite_link = payload
                    .and_then(|p| serde_json::from_str::<steward_core::IncomingEvent>(&p).ok())
                    .and_then(|e| match e.payload {
                        steward_core::EventPayload::MemberJoined { invite_link, .. } => invite_link,
                        _ => None,
                    });
                Ok((
                    JoinSource {
                        group: GroupId(row.try_get(0)?),
                        group_title: row.try_get(1)?,
                        joined_at: row.try_get::<Option<i64>, _>(3)?.map(from_millis),
                        inviter,
                        invite_link,
                        link_owner: None,
                        link_purpose: None,
                        join_request: row.try_get(7)?,
                        screening: row.try_get(8)?,
                        referrer: row
                            .try_get::<Option<i64>, _>(9)?
                            .map(|id| (MemberId(id), String::new(), row.try_get::<Option<i64>, _>(10).ok().flatten().unwrap_or(0) != 0)),
                    },
                    row.try_get(2)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?);
        let mut sources = Vec::with_capacity(rows.len());
        for (mut source, platform) in rows {
            if let (Some(link), Ok(platform)) = (&source.invite_link, platform.parse::<Platform>())
                && let Some(found) = self.invite_link(platform, link).await?
            {
                source.link_purpose = Some(found.purpose);
                if let Some(owner) = found.member {
                    let name = self
                        .member(owner)
                        .await?
                        .map(|m| m.name.or(m.username).unwrap_or(m.platform_id));
                    source.link_owner = name.map(|n| (owner, n));
                }
            }
            if let Some((referrer, _, counted)) = source.referrer.take() {
                let name = self
                    .member(referrer)
                    .await?
                    .map(|m| m.name.or(m.username).unwrap_or(m.platform_id))
                    .unwrap_or_default();
                source.referrer = Some((referrer, name, counted));
            }
            sources.push(source);
        }
        Ok(sources)
    }

    /// A member's messages per UTC day from `since` on, in all groups:
    /// `(days since the Unix epoch, messages)`, days without messages left
    /// out, oldest first.
    pub async fn member_daily_messages(
        &self,
        member: MemberId,
        since: Timestamp,
    ) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT at / 86400000, COUNT(*) FROM events
                   WHERE member_id = $1 AND kind = $2 AND at >= $3
                   GROUP BY at / 86400000
                   ORDER BY at / 86400000";
        let rows: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(member.0)
            .bind(EventKind::Message.as_str())
            .bind(to_millis(since))
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// A member's violations in every group, newest first.
    pub async fn member_violations(
        &self,
        member: MemberId,
        limit: i64,
    ) -> Result<Vec<MemberViolation>> {
        let sql = "SELECT v.group_id, g.title, v.rule, v.severity, v.points, v.at, v.expires_at
                   FROM violations v JOIN groups g ON g.id = v.group_id
                   WHERE v.member_id = $1
                   ORDER BY v.at DESC, v.id DESC
                   LIMIT $2";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<MemberViolation> {
                Ok(MemberViolation {
                    group: GroupId(row.try_get(0)?),
                    group_title: row.try_get(1)?,
                    rule: row.try_get(2)?,
                    severity: row.try_get(3)?,
                    points: row.try_get(4)?,
                    at: from_millis(row.try_get(5)?),
                    expires_at: from_millis(row.try_get(6)?),
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// The audit entries that name a member, newest first (without reason
    /// and evidence once the member's data was erased).
    pub async fn member_audit(&self, member: MemberId, limit: i64) -> Result<Vec<AuditRow>> {
        let sql = "SELECT a.id, a.at, a.actor, a.action, a.group_id, a.member_id, a.target,
                    CASE WHEN m.erased_at IS NULL THEN a.reason END,
                    a.rule, a.ladder_step,
                    CASE WHEN m.erased_at IS NULL THEN a.evidence END,
                    a.event_id, a.outbox_id
             FROM audit_log a JOIN members m ON m.id = a.member_id
             WHERE a.member_id = $1
             ORDER BY a.id DESC LIMIT $2";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<AuditRow> {
                Ok(read_audit_row!(row))
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Admins' notes on a member, newest first.
    pub async fn member_notes(&self, member: MemberId) -> Result<Vec<MemberNote>> {
        let sql = "SELECT id, author, body, created_at FROM member_notes
                   WHERE member_id = $1 ORDER BY created_at DESC, id DESC";
        let rows: Vec<(i64, String, String, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(member.0).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, author, body, created_at)| MemberNote {
                id,
                author,
                body,
                created_at: from_millis(created_at),
            })
            .collect())
    }

    /// Adds a note by dashboard user `author` and audits it as
    /// `member_note_added` (actor `user:AUTHOR`), in one transaction.
    pub async fn add_member_note(
        &self,
        member: MemberId,
        author: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.insert_member_note(member, author, body, now).await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: format!("user:{author}"),
            action: "member_note_added".to_owned(),
            member: Some(member),
            target: Some(format!("note:{id}")),
            reason: Some(body.to_owned()),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Tx {
    /// A member by internal id, read inside the transaction.
    pub async fn member_by_id(&mut self, member: MemberId) -> Result<Option<Member>> {
        let sql = "SELECT platform, platform_id, name, username FROM members WHERE id = $1";
        let row: Option<MemberColumns> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(member.0).fetch_optional(conn).await?);
        row.map(|columns| member_from(member, columns)).transpose()
    }

    /// Stores an admin's note on a member.
    pub async fn insert_member_note(
        &mut self,
        member: MemberId,
        author: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let sql = "INSERT INTO member_notes (member_id, author, body, created_at)
                   VALUES ($1, $2, $3, $4) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(member.0)
            .bind(author)
            .bind(body)
            .bind(to_millis(now))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// The groups of a member where manual actions can reach them: every
    /// group with a membership on record (left or not: a ban should still
    /// keep them out), in group order.
    pub async fn member_reach(&mut self, member: MemberId) -> Result<Vec<Reach>> {
        let sql = "SELECT g.id, g.platform, g.platform_id, g.community_id, g.language, ms.role, ms.left_at
                   FROM memberships ms JOIN groups g ON g.id = ms.group_id
                   WHERE ms.member_id = $1 ORDER BY g.id";
        let rows: Vec<ReachRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(member.0)
            .fetch_all(conn)
            .await?);
        rows.into_iter()
            .map(
                |(id, platform, platform_id, community, language, role, left_at)| {
                    Ok(Reach {
                        group: GroupId(id),
                        platform: platform.parse().map_err(|e| corrupt("groups", e))?,
                        platform_id,
                        community: community.map(CommunityId),
                        language: language.parse().map_err(|e| corrupt("groups", e))?,
                        role: GroupRole::parse(&role),
                        left: left_at.is_some(),
                    })
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_take_wildcards_literally() {
        assert_eq!(contains_pattern("Ann"), "%ann%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
