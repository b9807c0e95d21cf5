//! Join screening and per-group settings: join requests waiting on the
//! applicant's answer to a question, and the JSON settings each group keeps
//! (whose shape the runtime owns).

use steward_core::{EventId, GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// A join request being screened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screening {
    /// Its id.
    pub id: i64,
    /// The group applied to.
    pub group: GroupId,
    /// The applicant.
    pub member: MemberId,
    /// The applicant's platform id.
    pub member_platform_id: String,
    /// The group's platform id.
    pub group_platform_id: String,
    /// The platform.
    pub platform: Platform,
    /// The request event.
    pub event: Option<EventId>,
    /// Which of the group's questions was asked.
    pub question: i64,
    /// When the applicant's time is up.
    pub deadline: Timestamp,
}

macro_rules! select_screenings {
    ($where:literal) => {
        concat!(
            "SELECT s.id, s.group_id, s.member_id, m.platform_id, g.platform_id, g.platform,
                    s.event_id, s.question, s.deadline
             FROM join_screenings s
             JOIN members m ON m.id = s.member_id JOIN groups g ON g.id = s.group_id ",
            $where
        )
    };
}

type ScreeningRow = (i64, i64, i64, String, String, String, Option<i64>, i64, i64);

fn screening(row: ScreeningRow) -> Result<Screening> {
    let (id, group, member, member_pid, group_pid, platform, event, question, deadline) = row;
    Ok(Screening {
        id,
        group: GroupId(group),
        member: MemberId(member),
        member_platform_id: member_pid,
        group_platform_id: group_pid,
        platform: platform.parse().map_err(|e| crate::corrupt("groups", e))?,
        event: event.map(EventId),
        question,
        deadline: from_millis(deadline),
    })
}

impl Tx {
    /// Opens a screening, replacing any pending one of the same member for
    /// the same group (they asked again).
    pub async fn open_screening(
        &mut self,
        group: GroupId,
        member: MemberId,
        event: Option<EventId>,
        question: i64,
        now: Timestamp,
        deadline: Timestamp,
    ) -> Result<i64> {
        let close = "UPDATE join_screenings SET status = 'replaced', decided_at = $1
                     WHERE group_id = $2 AND member_id = $3 AND status = 'pending'";
        on_tx!(self, conn => sqlx::query(close).bind(to_millis(now)).bind(group.0).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "INSERT INTO join_screenings (group_id, member_id, event_id, question, created_at, deadline)
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(event.map(|e| e.0))
            .bind(question)
            .bind(to_millis(now))
            .bind(to_millis(deadline))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// The member's pending screenings on a platform, oldest first.
    pub async fn pending_screenings_of(
        &mut self,
        platform: Platform,
        member_platform_id: &str,
    ) -> Result<Vec<Screening>> {
        let sql = select_screenings!(
            "WHERE s.status = 'pending' AND m.platform = $1 AND m.platform_id = $2 ORDER BY s.id"
        );
        let rows: Vec<ScreeningRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(member_platform_id)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(screening).collect()
    }

    /// Closes a pending screening with `status` (`approved`, `declined`,
    /// `expired`). False when it was no longer pending.
    pub async fn close_screening(&mut self, id: i64, status: &str, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE join_screenings SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(status).bind(to_millis(now)).bind(id).execute(conn).await?.rows_affected());
        Ok(n == 1)
    }

    /// Stores a group's settings (JSON).
    pub async fn set_group_settings(&mut self, group: GroupId, settings: &str) -> Result<()> {
        let sql = "UPDATE groups SET settings = $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(settings).bind(group.0).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// A group's settings (JSON), `{}` when none were set.
    pub async fn group_settings(&mut self, group: GroupId) -> Result<String> {
        let sql = "SELECT settings FROM groups WHERE id = $1";
        let settings: Option<String> =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(group.0).fetch_optional(conn).await?);
        Ok(settings.unwrap_or_else(|| "{}".to_owned()))
    }

    /// The stored member with this username (without `@`) on a platform,
    /// most recently seen first.
    pub async fn find_member_by_username(
        &mut self,
        platform: Platform,
        username: &str,
    ) -> Result<Option<(MemberId, String)>> {
        let sql = "SELECT id, platform_id FROM members WHERE platform = $1 AND LOWER(username) = LOWER($2)
                   ORDER BY id DESC LIMIT 1";
        let row: Option<(i64, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(username)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(id, pid)| (MemberId(id), pid)))
    }
}

impl Tx {
    /// An event by its platform id in a group: its id, the member who sent
    /// it, the member's platform id and the stored payload (JSON).
    pub async fn event_by_platform_id(
        &mut self,
        group: GroupId,
        platform_event_id: &str,
    ) -> Result<Option<(EventId, MemberId, String, String)>> {
        let sql = "SELECT e.id, e.member_id, m.platform_id, e.payload FROM events e
                   JOIN members m ON m.id = e.member_id
                   WHERE e.group_id = $1 AND e.platform_event_id = $2";
        let row: Option<(i64, i64, String, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(platform_event_id)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(e, m, pid, payload)| (EventId(e), MemberId(m), pid, payload)))
    }

    /// A group's title, when known.
    pub async fn group_title(&mut self, group: GroupId) -> Result<Option<String>> {
        let sql = "SELECT title FROM groups WHERE id = $1";
        let title: Option<Option<String>> =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(group.0).fetch_optional(conn).await?);
        Ok(title.flatten())
    }

    /// The language Steward speaks in a group.
    pub async fn group_language(
        &mut self,
        group: GroupId,
    ) -> Result<Option<steward_core::i18n::Lang>> {
        let sql = "SELECT language FROM groups WHERE id = $1";
        let lang: Option<String> =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(group.0).fetch_optional(conn).await?);
        Ok(lang.and_then(|l| l.parse().ok()))
    }

    /// The group where the member's latest violation was recorded, for
    /// appeals written to the bot in private.
    pub async fn latest_violation_group(&mut self, member: MemberId) -> Result<Option<GroupId>> {
        let sql = "SELECT group_id FROM violations WHERE member_id = $1 ORDER BY at DESC LIMIT 1";
        let group: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql).bind(member.0).fetch_optional(conn).await?);
        Ok(group.map(GroupId))
    }
}

impl Store {
    /// A group's language and chat settings (JSON), by platform id.
    pub async fn group_language_and_settings(
        &self,
        platform: Platform,
        platform_id: &str,
    ) -> Result<Option<(String, String)>> {
        let sql = "SELECT language, settings FROM groups WHERE platform = $1 AND platform_id = $2";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(platform_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Pending screenings whose deadline has passed.
    pub async fn due_screenings(&self, now: Timestamp, limit: i64) -> Result<Vec<Screening>> {
        let sql = select_screenings!(
            "WHERE s.status = 'pending' AND s.deadline <= $1 ORDER BY s.deadline LIMIT $2"
        );
        let rows: Vec<ScreeningRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(screening).collect()
    }

    /// A screening's status.
    pub async fn screening_status(&self, id: i64) -> Result<Option<String>> {
        let sql = "SELECT status FROM join_screenings WHERE id = $1";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?))
    }
}
