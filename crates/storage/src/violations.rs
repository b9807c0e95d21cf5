//! Violation points for the penalty ladder. Points expire, so a member's
//! standing recovers over time.

use steward_core::model::GroupRole;
use steward_core::{EventId, EventKind, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// A violation to record.
#[derive(Debug, Clone)]
pub struct NewViolation<'a> {
    /// The group.
    pub group: GroupId,
    /// The member.
    pub member: MemberId,
    /// The event that broke the rule.
    pub event: Option<EventId>,
    /// The rule's id.
    pub rule: &'a str,
    /// The rule's severity, by name.
    pub severity: &'a str,
    /// Points added to the member's standing.
    pub points: i64,
    /// When.
    pub at: Timestamp,
    /// When the points stop counting.
    pub expires_at: Timestamp,
}

/// A member's standing in a group: the violations still counting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// How many violations have not expired.
    pub violations: i64,
    /// The sum of their points.
    pub points: i64,
}

/// What a member's trust level is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberRecordInGroup {
    /// When they joined, or were first seen anywhere if no join was seen.
    pub since: Option<Timestamp>,
    /// Messages they posted in the group.
    pub messages: i64,
    /// Their role in the group on the platform.
    pub role: GroupRole,
    /// Their last violation in the group.
    pub last_violation: Option<Timestamp>,
}

impl Tx {
    /// What trust is computed from, for one member in one group.
    pub async fn member_record(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<MemberRecordInGroup> {
        let sql = "SELECT COALESCE(ms.joined_at, mem.created_at), COALESCE(ms.message_count, 0),
                          COALESCE(ms.role, 'member'),
                          (SELECT MAX(v.at) FROM violations v WHERE v.group_id = $1 AND v.member_id = $2)
                   FROM members mem
                   LEFT JOIN memberships ms ON ms.group_id = $1 AND ms.member_id = mem.id
                   WHERE mem.id = $2";
        let row: Option<(Option<i64>, i64, String, Option<i64>)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        let (since, messages, role, last_violation) =
            row.unwrap_or((None, 0, "member".to_owned(), None));
        Ok(MemberRecordInGroup {
            since: since.map(from_millis),
            messages,
            role: GroupRole::parse(&role),
            last_violation: last_violation.map(from_millis),
        })
    }

    /// Removes the violations an event caused (a dismissed case), so they
    /// no longer count towards the ladder.
    pub async fn delete_violations_for_event(&mut self, event: EventId) -> Result<u64> {
        let sql = "DELETE FROM violations WHERE event_id = $1";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(event.0).execute(conn).await?.rows_affected());
        Ok(n)
    }

    /// Records a violation.
    pub async fn insert_violation(&mut self, v: &NewViolation<'_>) -> Result<()> {
        let sql = "INSERT INTO violations (group_id, member_id, event_id, rule, severity, points, at, expires_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(v.group.0)
            .bind(v.member.0)
            .bind(v.event.map(|e| e.0))
            .bind(v.rule)
            .bind(v.severity)
            .bind(v.points)
            .bind(to_millis(v.at))
            .bind(to_millis(v.expires_at))
            .execute(conn).await?.rows_affected());
        Ok(())
    }

    /// The member's standing in the group at `now`, read inside the
    /// transaction so violations recorded earlier in it count.
    pub async fn standing(
        &mut self,
        group: GroupId,
        member: MemberId,
        now: Timestamp,
    ) -> Result<Standing> {
        let sql = "SELECT COUNT(*), CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM violations
                   WHERE group_id = $1 AND member_id = $2 AND expires_at > $3";
        let (violations, points): (i64, i64) = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(to_millis(now))
            .fetch_one(conn)
            .await?);
        Ok(Standing { violations, points })
    }
}

impl Store {
    /// What trust was computed from for one member in one group at `at`,
    /// as far as the store can tell afterwards: tenure from their last join
    /// at or before `at` (or, with no join on record then, from when they
    /// were first seen), the messages they posted before `at`, and their
    /// last violation before `at`. Roles are not kept over time, so the
    /// role is today's. A read outside any transaction: backtests call it
    /// while events keep coming in, and must not hold the write lock.
    pub async fn member_record_at(
        &self,
        group: GroupId,
        member: MemberId,
        at: Timestamp,
    ) -> Result<MemberRecordInGroup> {
        let sql = "SELECT COALESCE(
                            (SELECT MAX(e.at) FROM events e
                             WHERE e.group_id = $1 AND e.member_id = $2 AND e.kind = $4 AND e.at <= $3),
                            CASE WHEN ms.joined_at <= $3 THEN ms.joined_at END,
                            mem.created_at),
                          (SELECT COUNT(*) FROM events e
                           WHERE e.group_id = $1 AND e.member_id = $2 AND e.kind = $5 AND e.at < $3),
                          COALESCE(ms.role, 'member'),
                          (SELECT MAX(v.at) FROM violations v
                           WHERE v.group_id = $1 AND v.member_id = $2 AND v.at < $3)
                   FROM members mem
                   LEFT JOIN memberships ms ON ms.group_id = $1 AND ms.member_id = mem.id
                   WHERE mem.id = $2";
        let row: Option<(Option<i64>, i64, String, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(to_millis(at))
            .bind(EventKind::MemberJoined.as_str())
            .bind(EventKind::Message.as_str())
            .fetch_optional(pool)
            .await?);
        let (since, messages, role, last_violation) =
            row.unwrap_or((None, 0, "member".to_owned(), None));
        Ok(MemberRecordInGroup {
            since: since.map(from_millis),
            messages,
            role: GroupRole::parse(&role),
            last_violation: last_violation.map(from_millis),
        })
    }
}
