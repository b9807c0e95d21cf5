//! The review queue: cases for admins to decide. Escalations (serious
//! automated decisions), reports by members, and appeals share one table.

use sqlx::Row;
use steward_core::{EventId, GroupId, MemberId, PlannedAction, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// A case to open.
#[derive(Debug, Clone)]
pub struct NewCase<'a> {
    /// The group.
    pub group: GroupId,
    /// The member concerned.
    pub member: MemberId,
    /// The event at the heart of it.
    pub event: Option<EventId>,
    /// `escalation`, `report` or `appeal`.
    pub kind: &'a str,
    /// The rule that fired, for escalations.
    pub rule: Option<&'a str>,
    /// Its severity.
    pub severity: Option<&'a str>,
    /// Why, in words.
    pub reason: Option<&'a str>,
    /// The evidence, as JSON.
    pub evidence: Option<&'a str>,
    /// The actions already taken, to reverse on dismissal.
    pub actions: &'a [PlannedAction],
    /// The member's or reporter's own words.
    pub note: Option<&'a str>,
    /// When.
    pub at: Timestamp,
}

/// A case in the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// The member concerned.
    pub member: MemberId,
    /// The event.
    pub event: Option<EventId>,
    /// `escalation`, `report` or `appeal`.
    pub kind: String,
    /// `open`, `confirmed`, `dismissed` or `changed`.
    pub status: String,
    /// The rule.
    pub rule: Option<String>,
    /// Its severity.
    pub severity: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The evidence, as JSON.
    pub evidence: Option<String>,
    /// The actions taken.
    pub actions: Vec<PlannedAction>,
    /// The member's or reporter's words.
    pub note: Option<String>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// What they said.
    pub decision_reason: Option<String>,
}

macro_rules! case_columns {
    () => {
        "id, group_id, member_id, event_id, kind, status, rule, severity, reason, evidence, actions, note,
         created_at, decided_at, decided_by, decision_reason"
    };
}

fn read_case<R>(row: &R) -> Result<CaseRow>
where
    R: Row,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let actions: String = row.try_get("actions")?;
    Ok(CaseRow {
        id: row.try_get("id")?,
        group: GroupId(row.try_get("group_id")?),
        member: MemberId(row.try_get("member_id")?),
        event: row.try_get::<Option<i64>, _>("event_id")?.map(EventId),
        kind: row.try_get("kind")?,
        status: row.try_get("status")?,
        rule: row.try_get("rule")?,
        severity: row.try_get("severity")?,
        reason: row.try_get("reason")?,
        evidence: row.try_get("evidence")?,
        actions: serde_json::from_str(&actions).map_err(|e| corrupt("cases", e))?,
        note: row.try_get("note")?,
        created_at: from_millis(row.try_get("created_at")?),
        decided_at: row
            .try_get::<Option<i64>, _>("decided_at")?
            .map(from_millis),
        decided_by: row.try_get("decided_by")?,
        decision_reason: row.try_get("decision_reason")?,
    })
}

impl Tx {
    /// Opens a case.
    pub async fn insert_case(&mut self, case: &NewCase<'_>) -> Result<i64> {
        let actions = serde_json::to_string(case.actions).map_err(|e| corrupt("cases", e))?;
        let sql = "INSERT INTO cases (group_id, member_id, event_id, kind, rule, severity, reason, evidence, actions, note, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        let id = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(case.group.0)
            .bind(case.member.0)
            .bind(case.event.map(|e| e.0))
            .bind(case.kind)
            .bind(case.rule)
            .bind(case.severity)
            .bind(case.reason)
            .bind(case.evidence)
            .bind(actions)
            .bind(case.note)
            .bind(to_millis(case.at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Closes an open case with a decision; false if it was not open (so two
    /// admins deciding at once cannot both act).
    pub async fn decide_case(
        &mut self,
        id: i64,
        status: &str,
        by: &str,
        reason: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let sql =
            "UPDATE cases SET status = $1, decided_by = $2, decision_reason = $3, decided_at = $4
                   WHERE id = $5 AND status = 'open'";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(status)
            .bind(by)
            .bind(reason)
            .bind(to_millis(at))
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// One case, read inside the transaction.
    pub async fn case(&mut self, id: i64) -> Result<Option<CaseRow>> {
        let sql = concat!("SELECT ", case_columns!(), " FROM cases WHERE id = $1");
        let row = on_tx!(self, conn => sqlx::query(sql).bind(id).fetch_optional(conn).await?.as_ref().map(read_case).transpose()?);
        Ok(row)
    }
}

impl Store {
    /// Cases with this status (or all), newest first.
    pub async fn list_cases(&self, status: Option<&str>, limit: i64) -> Result<Vec<CaseRow>> {
        let sql = concat!(
            "SELECT ",
            case_columns!(),
            " FROM cases WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(status)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_case)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }
}
