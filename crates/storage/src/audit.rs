//! The append-only audit log. Rows are only ever inserted: both backends
//! refuse UPDATE and DELETE on the table with a trigger.
//!
//! Because rows cannot change, a member's erasure is honoured when the log
//! is read: every reader leaves out `reason` and `evidence` (which quote what
//! they wrote and what they were called) of the rows about an erased member.

use sqlx::Row;
use steward_core::{ActionId, AuditId, EventId, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, to_millis};

/// An entry to append.
#[derive(Debug, Clone, Default)]
pub struct NewAudit {
    /// When.
    pub at: Timestamp,
    /// Who: `system` or `user:NAME`.
    pub actor: String,
    /// What: an action kind (`mute`) or an audit kind (`user_created`).
    pub action: String,
    /// The group, when the entry concerns one.
    pub group: Option<GroupId>,
    /// The member targeted, when there is one.
    pub member: Option<MemberId>,
    /// Any other target, described (a user name, a token label).
    pub target: Option<String>,
    /// Why, in words.
    pub reason: Option<String>,
    /// The rule that fired, for automated decisions.
    pub rule: Option<String>,
    /// The step of the penalty ladder, for automated decisions.
    pub ladder_step: Option<i64>,
    /// The evidence, as JSON (matched text ranges, the message).
    pub evidence: Option<String>,
    /// The event that caused it.
    pub event: Option<EventId>,
    /// The outbox row carrying it out.
    pub outbox: Option<ActionId>,
    /// The parent entry, for one step of a bulk action.
    pub parent: Option<AuditId>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Its id.
    pub id: AuditId,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// The group.
    pub group: Option<GroupId>,
    /// The member targeted.
    pub member: Option<MemberId>,
    /// Any other target.
    pub target: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The rule.
    pub rule: Option<String>,
    /// The ladder step.
    pub ladder_step: Option<i64>,
    /// The evidence, as JSON.
    pub evidence: Option<String>,
    /// The event.
    pub event: Option<EventId>,
    /// The outbox row.
    pub outbox: Option<ActionId>,
}

/// An [`AuditRow`] from a row whose first 13 columns are, in order: id, at,
/// actor, action, group_id, member_id, target, reason, rule, ladder_step,
/// evidence, event_id, outbox_id. A macro, because each backend's row is its
/// own type.
macro_rules! read_audit_row {
    ($row:expr) => {
        $crate::audit::AuditRow {
            id: steward_core::AuditId($row.try_get(0)?),
            at: $crate::from_millis($row.try_get(1)?),
            actor: $row.try_get(2)?,
            action: $row.try_get(3)?,
            group: $row
                .try_get::<Option<i64>, _>(4)?
                .map(steward_core::GroupId),
            member: $row
                .try_get::<Option<i64>, _>(5)?
                .map(steward_core::MemberId),
            target: $row.try_get(6)?,
            reason: $row.try_get(7)?,
            rule: $row.try_get(8)?,
            ladder_step: $row.try_get(9)?,
            evidence: $row.try_get(10)?,
            event: $row
                .try_get::<Option<i64>, _>(11)?
                .map(steward_core::EventId),
            outbox: $row
                .try_get::<Option<i64>, _>(12)?
                .map(steward_core::ActionId),
        }
    };
}
pub(crate) use read_audit_row;

/// Which entries to list. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this group.
    pub group: Option<GroupId>,
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only at or after.
    pub since: Option<Timestamp>,
    /// Only before.
    pub until: Option<Timestamp>,
    /// Only ids below (for paging back).
    pub before_id: Option<AuditId>,
    /// At most this many (newest first).
    pub limit: i64,
}

impl Tx {
    /// Appends an entry.
    pub async fn insert_audit(&mut self, entry: &NewAudit) -> Result<AuditId> {
        let sql =
            "INSERT INTO audit_log (at, actor, action, group_id, member_id, target, reason, rule,
                                          ladder_step, evidence, event_id, outbox_id, parent_id)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(to_millis(entry.at))
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(entry.group.map(|g| g.0))
            .bind(entry.member.map(|m| m.0))
            .bind(&entry.target)
            .bind(&entry.reason)
            .bind(&entry.rule)
            .bind(entry.ladder_step)
            .bind(&entry.evidence)
            .bind(entry.event.map(|e| e.0))
            .bind(entry.outbox.map(|o| o.0))
            .bind(entry.parent.map(|p| p.0))
            .fetch_one(conn)
            .await?);
        Ok(AuditId(id))
    }
}

impl Store {
    /// Appends an entry in a transaction of its own.
    pub async fn insert_audit(&self, entry: &NewAudit) -> Result<AuditId> {
        let mut tx = self.begin().await?;
        let id = tx.insert_audit(entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Entries matching `filter`, newest first.
    pub async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        // The joins for the names are by primary key: cheap enough to share
        // one query with the audit page.
        let rows = self.list_audit_named(filter).await?;
        Ok(rows.into_iter().map(|row| row.entry).collect())
    }

    /// The number of audit entries.
    pub async fn count_audit(&self) -> Result<i64> {
        let n = on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await?);
        Ok(n)
    }
}

/// An entry with the names the audit page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedAuditRow {
    /// The entry.
    pub entry: AuditRow,
    /// The group's title.
    pub group_title: Option<String>,
    /// The member's display name.
    pub member_name: Option<String>,
}

impl Store {
    /// Entries matching `filter`, newest first, with group titles and
    /// member names.
    pub async fn list_audit_named(&self, filter: &AuditFilter) -> Result<Vec<NamedAuditRow>> {
        let sql = "SELECT a.id, a.at, a.actor, a.action, a.group_id, a.member_id, a.target,
                    CASE WHEN m.erased_at IS NULL THEN a.reason END,
                    a.rule, a.ladder_step,
                    CASE WHEN m.erased_at IS NULL THEN a.evidence END,
                    a.event_id, a.outbox_id, g.title, m.name
             FROM audit_log a
             LEFT JOIN groups g ON g.id = a.group_id
             LEFT JOIN members m ON m.id = a.member_id
             WHERE ($1 IS NULL OR a.group_id = $1)
               AND ($2 IS NULL OR a.actor = $2)
               AND ($3 IS NULL OR a.action = $3)
               AND ($4 IS NULL OR a.at >= $4)
               AND ($5 IS NULL OR a.at < $5)
               AND ($6 IS NULL OR a.id < $6)
             ORDER BY a.id DESC LIMIT $7";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(filter.group.map(|g| g.0))
            .bind(filter.actor.as_deref())
            .bind(filter.action.as_deref())
            .bind(filter.since.map(to_millis))
            .bind(filter.until.map(to_millis))
            .bind(filter.before_id.map(|a| a.0))
            .bind(filter.limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<NamedAuditRow> {
                Ok(NamedAuditRow {
                    entry: read_audit_row!(row),
                    group_title: row.try_get(13)?,
                    member_name: row.try_get(14)?,
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Every distinct action in the log, in name order (for the filter).
    pub async fn audit_actions(&self) -> Result<Vec<String>> {
        let sql = "SELECT DISTINCT action FROM audit_log ORDER BY action";
        let actions = on_pool!(self, pool => sqlx::query_scalar(sql).fetch_all(pool).await?);
        Ok(actions)
    }
}
