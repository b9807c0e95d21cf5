//! Join screening and per-group settings: join requests and newcomers being
//! screened (CAPTCHA, question, an admin's decision), groups' raid modes,
//! and the JSON settings each group keeps (whose shape the runtime owns).

use steward_core::{EventId, GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// What is being screened.
pub const KIND_REQUEST: &str = "request";
/// A newcomer who joined without a request and is muted until screened.
pub const KIND_NEWCOMER: &str = "newcomer";
/// Stage: a CAPTCHA is waiting to be solved.
pub const STAGE_CAPTCHA: &str = "captcha";
/// Stage: a question is waiting to be answered.
pub const STAGE_QUESTION: &str = "question";
/// Stage: an admin decides (no deadline).
pub const STAGE_MANUAL: &str = "manual";

/// A join request or newcomer being screened.
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
    /// The request (or join) event.
    pub event: Option<EventId>,
    /// Which of the group's questions was asked.
    pub question: i64,
    /// When the applicant's time is up (meaningless at the `manual` stage).
    pub deadline: Timestamp,
    /// [`KIND_REQUEST`] or [`KIND_NEWCOMER`].
    pub kind: String,
    /// [`STAGE_CAPTCHA`], [`STAGE_QUESTION`] or [`STAGE_MANUAL`].
    pub stage: String,
    /// The CAPTCHA challenge (JSON), at the `captcha` stage.
    pub challenge: Option<String>,
    /// What the applicant wrote with the request (comment or bio).
    pub comment: Option<String>,
    /// The applicant's answer to the question.
    pub answer: Option<String>,
    /// The checks passed so far, comma-separated (`captcha,question`).
    pub checks: String,
    /// When it was opened.
    pub created_at: Timestamp,
}

/// A screening to open.
#[derive(Debug, Clone)]
pub struct NewScreening<'a> {
    /// The group.
    pub group: GroupId,
    /// The applicant or newcomer.
    pub member: MemberId,
    /// The event that started it.
    pub event: Option<EventId>,
    /// [`KIND_REQUEST`] or [`KIND_NEWCOMER`].
    pub kind: &'a str,
    /// The first stage.
    pub stage: &'a str,
    /// Which question, at the `question` stage.
    pub question: i64,
    /// The CAPTCHA challenge (JSON), at the `captcha` stage.
    pub challenge: Option<&'a str>,
    /// What the applicant wrote with the request.
    pub comment: Option<&'a str>,
    /// Now.
    pub at: Timestamp,
    /// When the stage's time is up.
    pub deadline: Timestamp,
}

macro_rules! select_screenings {
    ($where:literal) => {
        concat!(
            "SELECT s.id, s.group_id, s.member_id, m.platform_id, g.platform_id, g.platform,
                    s.event_id, s.question, s.deadline, s.kind, s.stage, s.challenge,
                    s.comment, s.answer, s.checks, s.created_at
             FROM join_screenings s
             JOIN members m ON m.id = s.member_id JOIN groups g ON g.id = s.group_id ",
            $where
        )
    };
}

type ScreeningRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<i64>,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

fn screening(row: ScreeningRow) -> Result<Screening> {
    let (
        id,
        group,
        member,
        member_pid,
        group_pid,
        platform,
        event,
        question,
        deadline,
        kind,
        stage,
        challenge,
        comment,
        answer,
        checks,
        created_at,
    ) = row;
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
        kind,
        stage,
        challenge,
        comment,
        answer,
        checks,
        created_at: from_millis(created_at),
    })
}

/// A screening in the admins' queue, with the applicant's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedScreening {
    /// The screening's id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// The group's title, when known.
    pub group_title: Option<String>,
    /// The applicant.
    pub member: MemberId,
    /// Their platform id.
    pub member_platform_id: String,
    /// Their display name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
    /// [`KIND_REQUEST`] or [`KIND_NEWCOMER`].
    pub kind: String,
    /// The stage it is at.
    pub stage: String,
    /// What they wrote with the request (comment or bio).
    pub comment: Option<String>,
    /// Their answer to the question.
    pub answer: Option<String>,
    /// Checks passed, comma-separated.
    pub checks: String,
    /// When it was opened.
    pub created_at: Timestamp,
}

type QueueRow = (
    i64,
    i64,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
);

/// A group's raid mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaidMode {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ends unless ended earlier.
    pub ends_at: Timestamp,
    /// Joins counted when it started.
    pub joins: i64,
}

type RaidRow = (i64, i64, i64, i64, i64);

fn raid_mode((id, group, started, ends, joins): RaidRow) -> RaidMode {
    RaidMode {
        id,
        group: GroupId(group),
        started_at: from_millis(started),
        ends_at: from_millis(ends),
        joins,
    }
}

impl Tx {
    /// Opens a screening, replacing any pending one of the same member for
    /// the same group (they asked again).
    pub async fn open_screening(&mut self, new: &NewScreening<'_>) -> Result<i64> {
        let close = "UPDATE join_screenings SET status = 'replaced', decided_at = $1
                     WHERE group_id = $2 AND member_id = $3 AND status = 'pending'";
        on_tx!(self, conn => sqlx::query(close).bind(to_millis(new.at)).bind(new.group.0).bind(new.member.0).execute(conn).await?.rows_affected());
        let sql = "INSERT INTO join_screenings (group_id, member_id, event_id, question, created_at, deadline,
                                                kind, stage, challenge, comment)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.member.0)
            .bind(new.event.map(|e| e.0))
            .bind(new.question)
            .bind(to_millis(new.at))
            .bind(to_millis(new.deadline))
            .bind(new.kind)
            .bind(new.stage)
            .bind(new.challenge)
            .bind(new.comment)
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Moves a pending screening to its next stage, recording the checks
    /// passed so far.
    #[allow(clippy::too_many_arguments)]
    pub async fn advance_screening(
        &mut self,
        id: i64,
        stage: &str,
        question: i64,
        challenge: Option<&str>,
        checks: &str,
        deadline: Timestamp,
    ) -> Result<bool> {
        let sql = "UPDATE join_screenings SET stage = $1, question = $2, challenge = $3, checks = $4, deadline = $5
                   WHERE id = $6 AND status = 'pending'";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(stage)
            .bind(question)
            .bind(challenge)
            .bind(checks)
            .bind(to_millis(deadline))
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Keeps the applicant's answer to the question.
    pub async fn set_screening_answer(&mut self, id: i64, answer: &str) -> Result<()> {
        let sql = "UPDATE join_screenings SET answer = $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(answer).bind(id).execute(conn).await?.rows_affected());
        Ok(())
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

    /// The member's pending screening in a group, if any.
    pub async fn pending_screening_in(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<Screening>> {
        let sql = select_screenings!(
            "WHERE s.status = 'pending' AND s.group_id = $1 AND s.member_id = $2 ORDER BY s.id DESC LIMIT 1"
        );
        let row: Option<ScreeningRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        row.map(screening).transpose()
    }

    /// A screening by id, whatever its status.
    pub async fn screening(&mut self, id: i64) -> Result<Option<(Screening, String)>> {
        let sql = select_screenings!("WHERE s.id = $1");
        let row: Option<ScreeningRow> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(id).fetch_optional(conn).await?);
        let Some(row) = row else {
            return Ok(None);
        };
        let status_sql = "SELECT status FROM join_screenings WHERE id = $1";
        let status: String =
            on_tx!(self, conn => sqlx::query_scalar(status_sql).bind(id).fetch_one(conn).await?);
        Ok(Some((screening(row)?, status)))
    }

    /// Closes a pending screening with `status` (`approved`, `declined`,
    /// `expired`). False when it was no longer pending.
    pub async fn close_screening(&mut self, id: i64, status: &str, now: Timestamp) -> Result<bool> {
        self.decide_screening(id, status, now, None, None).await
    }

    /// Closes a pending screening with `status`, why and by whom. False
    /// when it was no longer pending (someone decided first).
    pub async fn decide_screening(
        &mut self,
        id: i64,
        status: &str,
        now: Timestamp,
        reason: Option<&str>,
        by: Option<&str>,
    ) -> Result<bool> {
        let sql =
            "UPDATE join_screenings SET status = $1, decided_at = $2, reason = $3, decided_by = $4
                   WHERE id = $5 AND status = 'pending'";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(status)
            .bind(to_millis(now))
            .bind(reason)
            .bind(by)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Whether the member's join request to the group was approved since
    /// `since` (they were screened at the door; their join is not screened
    /// again).
    pub async fn request_approved_since(
        &mut self,
        group: GroupId,
        member: MemberId,
        since: Timestamp,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM join_screenings
                   WHERE group_id = $1 AND member_id = $2 AND kind = 'request' AND status = 'approved'
                     AND decided_at >= $3";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(to_millis(since))
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Whether a raid was detected on this event (the moderation engine's
    /// `raid_detected` audit entry, written earlier in the same
    /// transaction).
    pub async fn raid_detected_on(&mut self, event: EventId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM audit_log WHERE event_id = $1 AND action = 'raid_detected'";
        let n: i64 =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(event.0).fetch_one(conn).await?);
        Ok(n > 0)
    }

    /// The group's raid mode in force at `now`, if any.
    pub async fn raid_mode(&mut self, group: GroupId, now: Timestamp) -> Result<Option<RaidMode>> {
        let sql = "SELECT id, group_id, started_at, ends_at, joins FROM raid_modes
                   WHERE group_id = $1 AND ended_at IS NULL AND ends_at > $2 ORDER BY id DESC LIMIT 1";
        let row: Option<RaidRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(to_millis(now))
            .fetch_optional(conn)
            .await?);
        Ok(row.map(raid_mode))
    }

    /// Starts raid mode in a group until `ends_at`.
    pub async fn start_raid_mode(
        &mut self,
        group: GroupId,
        now: Timestamp,
        ends_at: Timestamp,
        joins: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO raid_modes (group_id, started_at, ends_at, joins) VALUES ($1, $2, $3, $4) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(to_millis(now))
            .bind(to_millis(ends_at))
            .bind(joins)
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Ends a raid mode. False when it had ended already.
    pub async fn end_raid_mode(&mut self, id: i64, now: Timestamp, by: &str) -> Result<bool> {
        let sql =
            "UPDATE raid_modes SET ended_at = $1, ended_by = $2 WHERE id = $3 AND ended_at IS NULL";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(to_millis(now))
            .bind(by)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// A group's screenings waiting for an admin (the `manual` stage:
    /// applicants past the automatic checks, newcomers held in raid mode),
    /// oldest first: what "approve all" and "decline all" decide.
    pub async fn waiting_screenings_in(
        &mut self,
        group: GroupId,
        limit: i64,
    ) -> Result<Vec<Screening>> {
        let sql = select_screenings!(
            "WHERE s.status = 'pending' AND s.stage = 'manual' AND s.group_id = $1
             ORDER BY s.id LIMIT $2"
        );
        let rows: Vec<ScreeningRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(limit)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(screening).collect()
    }

    /// Newcomers of a group still muted and waiting for an admin.
    pub async fn held_newcomers(&mut self, group: GroupId) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM join_screenings
                   WHERE group_id = $1 AND status = 'pending' AND kind = 'newcomer'";
        Ok(on_tx!(self, conn => sqlx::query_scalar(sql).bind(group.0).fetch_one(conn).await?))
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

    /// Pending screenings whose deadline has passed (those waiting for an
    /// admin have none).
    pub async fn due_screenings(&self, now: Timestamp, limit: i64) -> Result<Vec<Screening>> {
        let sql = select_screenings!(
            "WHERE s.status = 'pending' AND s.stage <> 'manual' AND s.deadline <= $1
             ORDER BY s.deadline LIMIT $2"
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

    /// Pending screenings, newest first, in one group or all: the admins'
    /// queue of join requests and held newcomers.
    pub async fn screening_queue(
        &self,
        group: Option<GroupId>,
        limit: i64,
    ) -> Result<Vec<QueuedScreening>> {
        let sql =
            "SELECT s.id, s.group_id, g.title, s.member_id, m.platform_id, m.name, m.username,
                          s.kind, s.stage, s.comment, s.answer, s.checks, s.created_at
                   FROM join_screenings s
                   JOIN members m ON m.id = s.member_id JOIN groups g ON g.id = s.group_id
                   WHERE s.status = 'pending' AND ($1 = 0 OR s.group_id = $1)
                   ORDER BY s.id DESC LIMIT $2";
        let rows: Vec<QueueRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map_or(0, |g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    group,
                    group_title,
                    member,
                    member_platform_id,
                    name,
                    username,
                    kind,
                    stage,
                    comment,
                    answer,
                    checks,
                    created_at,
                )| QueuedScreening {
                    id,
                    group: GroupId(group),
                    group_title,
                    member: MemberId(member),
                    member_platform_id,
                    name,
                    username,
                    kind,
                    stage,
                    comment,
                    answer,
                    checks,
                    created_at: from_millis(created_at),
                },
            )
            .collect())
    }

    /// Raid modes in force at `now`, in every group.
    pub async fn active_raid_modes(&self, now: Timestamp) -> Result<Vec<RaidMode>> {
        let sql = "SELECT id, group_id, started_at, ends_at, joins FROM raid_modes
                   WHERE ended_at IS NULL AND ends_at > $1 ORDER BY id";
        let rows: Vec<RaidRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(to_millis(now)).fetch_all(pool).await?);
        Ok(rows.into_iter().map(raid_mode).collect())
    }

    /// Raid modes whose time ran out and that were not ended yet.
    pub async fn due_raid_modes(&self, now: Timestamp) -> Result<Vec<RaidMode>> {
        let sql = "SELECT id, group_id, started_at, ends_at, joins FROM raid_modes
                   WHERE ended_at IS NULL AND ends_at <= $1 ORDER BY id LIMIT 100";
        let rows: Vec<RaidRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(to_millis(now)).fetch_all(pool).await?);
        Ok(rows.into_iter().map(raid_mode).collect())
    }
}
