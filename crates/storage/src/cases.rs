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

/// A case with the names the review page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCase {
    /// The case.
    pub case: CaseRow,
    /// The group's title.
    pub group_title: Option<String>,
    /// The member's display name.
    pub member_name: Option<String>,
}

/// Which cases the review page lists. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter<'a> {
    /// Only this kind (`escalation`, `report`, `appeal`).
    pub kind: Option<&'a str>,
    /// `open`, `decided` (any closed status) or `all`.
    pub status: &'a str,
    /// Only ids below (paging back).
    pub before_id: Option<i64>,
    /// At most this many, newest first.
    pub limit: i64,
}

/// A violation, briefly, for a member's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationBrief {
    /// The group's title.
    pub group_title: Option<String>,
    /// The rule.
    pub rule: String,
    /// Its severity.
    pub severity: String,
    /// When.
    pub at: Timestamp,
}

/// A case, briefly, for a member's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseBrief {
    /// Its id.
    pub id: i64,
    /// `escalation`, `report` or `appeal`.
    pub kind: String,
    /// Its status.
    pub status: String,
    /// The rule.
    pub rule: Option<String>,
    /// When it was opened.
    pub at: Timestamp,
}

/// A member's record, as the review page shows it next to a case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberHistory {
    /// Violations recorded, in every group (expired ones too).
    pub violation_count: i64,
    /// The latest few.
    pub recent_violations: Vec<ViolationBrief>,
    /// Other cases of the member.
    pub case_count: i64,
    /// The latest few.
    pub recent_cases: Vec<CaseBrief>,
}

impl Store {
    /// Cases for the review page, with group titles and member names,
    /// newest first.
    pub async fn review_cases(&self, filter: &ReviewFilter<'_>) -> Result<Vec<ReviewCase>> {
        let sql = "SELECT c.id AS id, c.group_id AS group_id, c.member_id AS member_id,
                          c.event_id AS event_id, c.kind AS kind, c.status AS status, c.rule AS rule,
                          c.severity AS severity, c.reason AS reason, c.evidence AS evidence,
                          c.actions AS actions, c.note AS note, c.created_at AS created_at,
                          c.decided_at AS decided_at, c.decided_by AS decided_by,
                          c.decision_reason AS decision_reason,
                          g.title AS group_title, m.name AS member_name
                   FROM cases c
                   LEFT JOIN groups g ON g.id = c.group_id
                   LEFT JOIN members m ON m.id = c.member_id
                   WHERE ($1 IS NULL OR c.kind = $1)
                     AND ($2 = 'all' OR ($2 = 'open' AND c.status = 'open')
                          OR ($2 = 'decided' AND c.status <> 'open'))
                     AND ($3 IS NULL OR c.id < $3)
                   ORDER BY c.id DESC LIMIT $4";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(filter.kind)
            .bind(filter.status)
            .bind(filter.before_id)
            .bind(filter.limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| -> Result<ReviewCase> {
                Ok(ReviewCase {
                    case: read_case(row)?,
                    group_title: row.try_get("group_title")?,
                    member_name: row.try_get("member_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// A member's violations and other cases (all but `except`): counts and
    /// the latest `limit` of each.
    pub async fn member_history(
        &self,
        member: MemberId,
        except: i64,
        limit: i64,
    ) -> Result<MemberHistory> {
        let count_violations = "SELECT COUNT(*) FROM violations WHERE member_id = $1";
        let violations = "SELECT g.title, v.rule, v.severity, v.at
                          FROM violations v LEFT JOIN groups g ON g.id = v.group_id
                          WHERE v.member_id = $1 ORDER BY v.at DESC, v.id DESC LIMIT $2";
        let count_cases = "SELECT COUNT(*) FROM cases WHERE member_id = $1 AND id <> $2";
        let cases = "SELECT id, kind, status, rule, created_at FROM cases
                     WHERE member_id = $1 AND id <> $2 ORDER BY id DESC LIMIT $3";
        let history = on_pool!(self, pool => {
            let violation_count: i64 = sqlx::query_scalar(count_violations)
                .bind(member.0)
                .fetch_one(pool)
                .await?;
            let recent: Vec<(Option<String>, String, String, i64)> = sqlx::query_as(violations)
                .bind(member.0)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let case_count: i64 = sqlx::query_scalar(count_cases)
                .bind(member.0)
                .bind(except)
                .fetch_one(pool)
                .await?;
            let others: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(cases)
                .bind(member.0)
                .bind(except)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            MemberHistory {
                violation_count,
                recent_violations: recent
                    .into_iter()
                    .map(|(group_title, rule, severity, at)| ViolationBrief {
                        group_title,
                        rule,
                        severity,
                        at: from_millis(at),
                    })
                    .collect(),
                case_count,
                recent_cases: others
                    .into_iter()
                    .map(|(id, kind, status, rule, at)| CaseBrief {
                        id,
                        kind,
                        status,
                        rule,
                        at: from_millis(at),
                    })
                    .collect(),
            }
        });
        Ok(history)
    }
}
