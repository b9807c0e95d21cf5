//! Members' reports on messages, weighted by the reporter's trust: one per
//! reporter and message, gathered on one open case per message, so enough
//! weight can hide the message pending review.

use steward_core::{EventId, GroupId, MemberId, Timestamp};

use crate::backend::on_tx;
use crate::{Result, Tx, from_millis, to_millis};

/// A report to record.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    /// The group.
    pub group: GroupId,
    /// The platform's id of the reported message.
    pub message: &'a str,
    /// The reported message's event, when Steward stored it.
    pub event: Option<EventId>,
    /// Who wrote the message.
    pub author: MemberId,
    /// Who reported it.
    pub reporter: MemberId,
    /// The reporter's trust level (0 to 4) when they reported.
    pub trust: u8,
    /// The weight the report carries.
    pub weight: f64,
    /// What the reporter said.
    pub reason: Option<&'a str>,
    /// When.
    pub at: Timestamp,
}

/// A recorded report, with the reporter's names.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Its id.
    pub id: i64,
    /// The reporter.
    pub reporter: MemberId,
    /// The reporter's platform id.
    pub reporter_platform_id: String,
    /// The reporter's display name.
    pub reporter_name: Option<String>,
    /// Their trust level when they reported.
    pub trust: u8,
    /// The weight it carried.
    pub weight: f64,
    /// What they said.
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

type ReportRow = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    f64,
    Option<String>,
    i64,
);

impl Tx {
    /// Records a report. `None` when this reporter already reported this
    /// message: a report counts once.
    pub async fn insert_report(&mut self, new: &NewReport<'_>) -> Result<Option<i64>> {
        let sql = "INSERT INTO reports
                     (group_id, message_id, event_id, author_id, reporter_id, trust, weight, reason, at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                   ON CONFLICT (group_id, message_id, reporter_id) DO NOTHING
                   RETURNING id";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.message)
            .bind(new.event.map(|e| e.0))
            .bind(new.author.0)
            .bind(new.reporter.0)
            .bind(i64::from(new.trust))
            .bind(new.weight)
            .bind(new.reason)
            .bind(to_millis(new.at))
            .fetch_optional(conn)
            .await?);
        Ok(id)
    }

    /// The open case gathering the reports on this message, if any.
    pub async fn open_report_case(&mut self, group: GroupId, message: &str) -> Result<Option<i64>> {
        let sql = "SELECT r.case_id FROM reports r JOIN cases c ON c.id = r.case_id
                   WHERE r.group_id = $1 AND r.message_id = $2 AND c.status = 'open'
                   ORDER BY r.case_id DESC LIMIT 1";
        let id: Option<Option<i64>> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(message)
            .fetch_optional(conn)
            .await?);
        Ok(id.flatten())
    }

    /// Puts a report on a case.
    pub async fn attach_report(&mut self, report: i64, case: i64) -> Result<()> {
        let sql = "UPDATE reports SET case_id = $2 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(report)
            .bind(case)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The reports on a case, oldest first.
    pub async fn reports_of_case(&mut self, case: i64) -> Result<Vec<Report>> {
        let sql = "SELECT r.id, r.reporter_id, m.platform_id, m.name, r.trust,
                          CAST(r.weight AS DOUBLE PRECISION), r.reason, r.at
                   FROM reports r JOIN members m ON m.id = r.reporter_id
                   WHERE r.case_id = $1
                   ORDER BY r.id";
        let rows: Vec<ReportRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(case)
            .fetch_all(conn)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, reporter, pid, name, trust, weight, reason, at)| Report {
                    id,
                    reporter: MemberId(reporter),
                    reporter_platform_id: pid,
                    reporter_name: name,
                    trust: u8::try_from(trust).unwrap_or(0),
                    weight,
                    reason,
                    at: from_millis(at),
                },
            )
            .collect())
    }

    /// Rewrites an open report case's reason and evidence (when the reports
    /// on it hid the message). Returns whether the case was still open.
    pub async fn update_report_case(
        &mut self,
        case: i64,
        reason: &str,
        evidence: &str,
    ) -> Result<bool> {
        let sql = "UPDATE cases SET reason = $2, evidence = $3
                   WHERE id = $1 AND kind = 'report' AND status = 'open'";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(case)
            .bind(reason)
            .bind(evidence)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}
