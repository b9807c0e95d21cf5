//! Bulk removals: cleanups of silent members (清理僵尸粉) and since-actions
//! (everyone who joined in a window), each recorded as a run that starts as
//! a dry run, with who it removes and who it spares; and each group's
//! exempt list, which cleanups never touch.
//!
//! The removals themselves are outbox rows; a run only points at them, so
//! its progress is read from the outbox.

use sqlx::Row;
use steward_core::model::GroupRole;
use steward_core::{ActionId, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// The error an action cancelled by an undo is marked failed with.
pub const CANCELLED: &str = "cancelled by an undo";

/// A member a bulk removal may concern, with what decides whether they are
/// spared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
    /// Whether the account is a bot.
    pub is_bot: bool,
    /// Their role in the group on the platform.
    pub role: GroupRole,
    /// When they last joined, if seen.
    pub joined_at: Option<Timestamp>,
    /// When they last posted there.
    pub last_active: Option<Timestamp>,
    /// Messages they posted there.
    pub messages: i64,
    /// Whether they are on the group's exempt list.
    pub exempt: bool,
    /// Whether they left the group.
    pub left: bool,
    /// Whether Steward saw them in the group before the window asked about
    /// (since-actions: a long-time member who merely re-joined).
    pub seen_before: bool,
}

/// A run to record.
#[derive(Debug, Clone)]
pub struct NewBulkRun<'a> {
    /// The group.
    pub group: GroupId,
    /// `cleanup` or `since`.
    pub kind: &'a str,
    /// `kick` or `ban`.
    pub action: &'a str,
    /// What selected the members, as JSON.
    pub criteria: &'a str,
    /// The reason the removals are audited with.
    pub reason: &'a str,
    /// Who asked (`user:NAME`, `telegram:ID`).
    pub by: &'a str,
    /// When.
    pub at: Timestamp,
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRun {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// `cleanup` or `since`.
    pub kind: String,
    /// `kick` or `ban`.
    pub action: String,
    /// What selected the members, as JSON.
    pub criteria: String,
    /// The reason the removals are audited with.
    pub reason: String,
    /// `dry_run`, `confirmed`, `undone` or `superseded` (a newer dry run
    /// replaced it because the members changed).
    pub status: String,
    /// Who made the dry run.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Who confirmed it.
    pub confirmed_by: Option<String>,
    /// When.
    pub confirmed_at: Option<Timestamp>,
    /// Who undid it.
    pub undone_by: Option<String>,
    /// When.
    pub undone_at: Option<Timestamp>,
    /// The outbox key of the re-invite link an undo made for admins to share.
    pub link_key: Option<String>,
}

/// A member of a run, with where their removal (and its undo) stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkMember {
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
    /// Why they are spared; `None`: removed.
    pub spared: Option<String>,
    /// The removal in the outbox.
    pub outbox: Option<ActionId>,
    /// Its status: `pending`, `done`, `failed`.
    pub status: Option<String>,
    /// Its last error.
    pub error: Option<String>,
    /// The undo in the outbox.
    pub undo: Option<ActionId>,
}

/// How a run's removals stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkProgress {
    /// Members to remove.
    pub total: i64,
    /// Waiting for their time.
    pub pending: i64,
    /// Carried out.
    pub done: i64,
    /// Given up (refused by the platform).
    pub failed: i64,
    /// Stopped by an undo before they ran.
    pub cancelled: i64,
}

/// A member on a group's exempt list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemptMember {
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
    /// Who added them.
    pub added_by: String,
    /// When.
    pub added_at: Timestamp,
}

macro_rules! candidate_columns {
    () => {
        "m.id, m.platform_id, m.name, m.username, m.is_bot, ms.role, ms.joined_at,
         ms.last_active_at, ms.message_count,
         EXISTS (SELECT 1 FROM cleanup_exempt x WHERE x.group_id = ms.group_id AND x.member_id = m.id),
         ms.left_at"
    };
}

fn read_candidate<R>(row: &R, seen_before: bool) -> Result<Candidate>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let role: String = row.try_get(5)?;
    Ok(Candidate {
        member: MemberId(row.try_get(0)?),
        platform_id: row.try_get(1)?,
        name: row.try_get(2)?,
        username: row.try_get(3)?,
        is_bot: row.try_get::<i64, _>(4)? != 0,
        role: GroupRole::parse(&role),
        joined_at: row.try_get::<Option<i64>, _>(6)?.map(from_millis),
        last_active: row.try_get::<Option<i64>, _>(7)?.map(from_millis),
        messages: row.try_get(8)?,
        exempt: row.try_get(9)?,
        left: row.try_get::<Option<i64>, _>(10)?.is_some(),
        seen_before,
    })
}

macro_rules! run_columns {
    () => {
        "id, group_id, kind, action, criteria, reason, status, created_by, created_at,
         confirmed_by, confirmed_at, undone_by, undone_at, link_key"
    };
}

fn read_run<R>(row: &R) -> Result<BulkRun>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(BulkRun {
        id: row.try_get(0)?,
        group: GroupId(row.try_get(1)?),
        kind: row.try_get(2)?,
        action: row.try_get(3)?,
        criteria: row.try_get(4)?,
        reason: row.try_get(5)?,
        status: row.try_get(6)?,
        created_by: row.try_get(7)?,
        created_at: from_millis(row.try_get(8)?),
        confirmed_by: row.try_get(9)?,
        confirmed_at: row.try_get::<Option<i64>, _>(10)?.map(from_millis),
        undone_by: row.try_get(11)?,
        undone_at: row.try_get::<Option<i64>, _>(12)?.map(from_millis),
        link_key: row.try_get(13)?,
    })
}

impl Tx {
    /// Members of `group` still there who have not posted since
    /// `silent_since`, whatever their role: the caller decides whom to
    /// spare. Silence counts from the last message, or from the join for
    /// who never wrote (a newcomer is not long silent); longest silent
    /// first.
    pub async fn silent_candidates(
        &mut self,
        group: GroupId,
        silent_since: Timestamp,
    ) -> Result<Vec<Candidate>> {
        let sql = concat!(
            "SELECT ",
            candidate_columns!(),
            " FROM memberships ms JOIN members m ON m.id = ms.member_id
              WHERE ms.group_id = $1 AND ms.left_at IS NULL
                AND COALESCE(ms.last_active_at, ms.joined_at, 0) < $2
              ORDER BY COALESCE(ms.last_active_at, ms.joined_at, 0), m.id"
        );
        let rows = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(to_millis(silent_since))
            .fetch_all(conn)
            .await?
            .iter()
            .map(|row| read_candidate(row, false))
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Members whose last join to `group` falls in `[from, to]`, in join
    /// order; `seen_before` tells who Steward saw there before `from`.
    pub async fn joined_between(
        &mut self,
        group: GroupId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Candidate>> {
        let sql = concat!(
            "SELECT ",
            candidate_columns!(),
            ", EXISTS (SELECT 1 FROM events e WHERE e.group_id = ms.group_id
                        AND e.member_id = m.id AND e.at < $2)
              FROM memberships ms JOIN members m ON m.id = ms.member_id
              WHERE ms.group_id = $1 AND ms.joined_at >= $2 AND ms.joined_at <= $3
              ORDER BY ms.joined_at, m.id"
        );
        let rows = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(to_millis(from))
            .bind(to_millis(to))
            .fetch_all(conn)
            .await?
            .iter()
            .map(|row| {
                let before: bool = row.try_get(11)?;
                read_candidate(row, before)
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Records a run; returns its id.
    pub async fn insert_bulk_run(&mut self, new: &NewBulkRun<'_>) -> Result<i64> {
        let sql = "INSERT INTO bulk_runs (group_id, kind, action, criteria, reason, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.kind)
            .bind(new.action)
            .bind(new.criteria)
            .bind(new.reason)
            .bind(new.by)
            .bind(to_millis(new.at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Adds a member to a run: removed (`spared` none) or spared, and why.
    pub async fn insert_bulk_member(
        &mut self,
        run: i64,
        member: MemberId,
        spared: Option<&str>,
    ) -> Result<()> {
        let sql = "INSERT INTO bulk_run_members (run_id, member_id, spared) VALUES ($1, $2, $3)
                   ON CONFLICT (run_id, member_id) DO NOTHING";
        on_tx!(self, conn => sqlx::query(sql).bind(run).bind(member.0).bind(spared).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// A run, read in this transaction.
    pub async fn bulk_run(&mut self, id: i64) -> Result<Option<BulkRun>> {
        let sql = concat!("SELECT ", run_columns!(), " FROM bulk_runs WHERE id = $1");
        let run = on_tx!(self, conn => sqlx::query(sql).bind(id).fetch_optional(conn).await?.as_ref().map(read_run).transpose()?);
        Ok(run)
    }

    /// The members a run removes (not those it spares), by id.
    pub async fn bulk_removed(&mut self, run: i64) -> Result<Vec<(MemberId, Option<ActionId>)>> {
        let sql = "SELECT member_id, outbox_id FROM bulk_run_members
                   WHERE run_id = $1 AND spared IS NULL ORDER BY member_id";
        let rows: Vec<(i64, Option<i64>)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(run).fetch_all(conn).await?);
        Ok(rows
            .into_iter()
            .map(|(m, o)| (MemberId(m), o.map(ActionId)))
            .collect())
    }

    /// Moves a run from `from` to `to` (`dry_run` → `confirmed`, ...),
    /// noting who and when; false when it was not in `from` (someone else
    /// got there first).
    pub async fn set_bulk_status(
        &mut self,
        run: i64,
        from: &str,
        to: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = match to {
            "confirmed" => {
                "UPDATE bulk_runs SET status = $1, confirmed_by = $2, confirmed_at = $3 WHERE id = $4 AND status = $5"
            }
            "undone" => {
                "UPDATE bulk_runs SET status = $1, undone_by = $2, undone_at = $3 WHERE id = $4 AND status = $5"
            }
            _ => {
                "UPDATE bulk_runs SET status = $1, undone_by = $2, undone_at = $3 WHERE id = $4 AND status = $5 AND undone_at IS NULL"
            }
        };
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(to)
            .bind(by)
            .bind(to_millis(at))
            .bind(run)
            .bind(from)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Notes the outbox row removing `member` in `run`.
    pub async fn set_bulk_outbox(
        &mut self,
        run: i64,
        member: MemberId,
        outbox: Option<ActionId>,
    ) -> Result<()> {
        let sql = "UPDATE bulk_run_members SET outbox_id = $1 WHERE run_id = $2 AND member_id = $3";
        on_tx!(self, conn => sqlx::query(sql).bind(outbox.map(|o| o.0)).bind(run).bind(member.0).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Notes the outbox row undoing `member`'s removal in `run`.
    pub async fn set_bulk_undo(
        &mut self,
        run: i64,
        member: MemberId,
        outbox: Option<ActionId>,
    ) -> Result<()> {
        let sql = "UPDATE bulk_run_members SET undo_id = $1 WHERE run_id = $2 AND member_id = $3";
        on_tx!(self, conn => sqlx::query(sql).bind(outbox.map(|o| o.0)).bind(run).bind(member.0).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Notes the outbox key of the link an undo made for admins to share.
    pub async fn set_bulk_link(&mut self, run: i64, key: &str) -> Result<()> {
        let sql = "UPDATE bulk_runs SET link_key = $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(key).bind(run).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Stops a queued action that has not run yet (marked failed with
    /// [`CANCELLED`]); false when it already ran or was given up.
    pub async fn cancel_pending_action(&mut self, id: ActionId, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE outbox SET status = 'failed', done_at = $1, last_error = $2
                   WHERE id = $3 AND status = 'pending'";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(to_millis(now))
            .bind(CANCELLED)
            .bind(id.0)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Where a queued action stands: `pending`, `done`, `failed`.
    pub async fn action_status(&mut self, id: ActionId) -> Result<Option<String>> {
        let sql = "SELECT status FROM outbox WHERE id = $1";
        let status =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(id.0).fetch_optional(conn).await?);
        Ok(status)
    }

    /// The newest since-action dry run in `group` with `action`, made at
    /// or after `since`.
    pub async fn latest_since_dry_run(
        &mut self,
        group: GroupId,
        action: &str,
        since: Timestamp,
    ) -> Result<Option<BulkRun>> {
        let sql = concat!(
            "SELECT ",
            run_columns!(),
            " FROM bulk_runs WHERE group_id = $1 AND kind = 'since' AND action = $2
              AND status = 'dry_run' AND created_at >= $3 ORDER BY id DESC LIMIT 1"
        );
        let run = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(action)
            .bind(to_millis(since))
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(read_run)
            .transpose()?);
        Ok(run)
    }

    /// Puts a member on a group's exempt list; false when already there.
    pub async fn add_exempt(
        &mut self,
        group: GroupId,
        member: MemberId,
        by: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO cleanup_exempt (group_id, member_id, added_by, added_at)
                   VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, member_id) DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(by)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Takes a member off a group's exempt list; false when not there.
    pub async fn remove_exempt(&mut self, group: GroupId, member: MemberId) -> Result<bool> {
        let sql = "DELETE FROM cleanup_exempt WHERE group_id = $1 AND member_id = $2";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(group.0).bind(member.0).execute(conn).await?.rows_affected());
        Ok(n > 0)
    }
}

impl Store {
    /// A run.
    pub async fn bulk_run(&self, id: i64) -> Result<Option<BulkRun>> {
        let sql = concat!("SELECT ", run_columns!(), " FROM bulk_runs WHERE id = $1");
        let run = on_pool!(self, pool => sqlx::query(sql).bind(id).fetch_optional(pool).await?.as_ref().map(read_run).transpose()?);
        Ok(run)
    }

    /// The newest runs, of one group or all, newest first.
    pub async fn bulk_runs(&self, group: Option<GroupId>, limit: i64) -> Result<Vec<BulkRun>> {
        let sql = concat!(
            "SELECT ",
            run_columns!(),
            " FROM bulk_runs WHERE ($1 IS NULL OR group_id = $1) ORDER BY id DESC LIMIT $2"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(group.map(|g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_run)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// A run's members, removed ones first, each with where their removal
    /// stands.
    pub async fn bulk_run_members(&self, run: i64) -> Result<Vec<BulkMember>> {
        let sql = "SELECT r.member_id, m.platform_id, m.name, m.username, r.spared, r.outbox_id,
                          o.status, o.last_error, r.undo_id
                   FROM bulk_run_members r
                   JOIN members m ON m.id = r.member_id
                   LEFT JOIN outbox o ON o.id = r.outbox_id
                   WHERE r.run_id = $1
                   ORDER BY CASE WHEN r.spared IS NULL THEN 0 ELSE 1 END, r.spared, r.member_id";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(run)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<BulkMember> {
                Ok(BulkMember {
                    member: MemberId(row.try_get(0)?),
                    platform_id: row.try_get(1)?,
                    name: row.try_get(2)?,
                    username: row.try_get(3)?,
                    spared: row.try_get(4)?,
                    outbox: row.try_get::<Option<i64>, _>(5)?.map(ActionId),
                    status: row.try_get(6)?,
                    error: row.try_get(7)?,
                    undo: row.try_get::<Option<i64>, _>(8)?.map(ActionId),
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// How a run's removals stand, from the outbox.
    pub async fn bulk_progress(&self, run: i64) -> Result<BulkProgress> {
        let sql = "SELECT o.status, o.last_error FROM bulk_run_members r
                   LEFT JOIN outbox o ON o.id = r.outbox_id
                   WHERE r.run_id = $1 AND r.spared IS NULL";
        let rows: Vec<(Option<String>, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(run).fetch_all(pool).await?);
        let mut progress = BulkProgress::default();
        for (status, error) in rows {
            progress.total += 1;
            match status.as_deref() {
                Some("done") => progress.done += 1,
                Some("failed") if error.as_deref() == Some(CANCELLED) => progress.cancelled += 1,
                Some("failed") => progress.failed += 1,
                Some(_) => progress.pending += 1,
                None => {}
            }
        }
        Ok(progress)
    }

    /// The groups where `member` is on the exempt list.
    pub async fn member_exempt_groups(&self, member: MemberId) -> Result<Vec<GroupId>> {
        let sql = "SELECT group_id FROM cleanup_exempt WHERE member_id = $1 ORDER BY group_id";
        let rows: Vec<i64> =
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(member.0).fetch_all(pool).await?);
        Ok(rows.into_iter().map(GroupId).collect())
    }

    /// A group's exempt list, by name.
    pub async fn exempt_list(&self, group: GroupId) -> Result<Vec<ExemptMember>> {
        let sql = "SELECT x.member_id, m.platform_id, m.name, m.username, x.added_by, x.added_at
                   FROM cleanup_exempt x JOIN members m ON m.id = x.member_id
                   WHERE x.group_id = $1 ORDER BY COALESCE(m.name, m.username, m.platform_id), m.id";
        type ExemptRow = (i64, String, Option<String>, Option<String>, String, i64);
        let rows: Vec<ExemptRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(group.0).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(member, platform_id, name, username, added_by, added_at)| ExemptMember {
                    member: MemberId(member),
                    platform_id,
                    name,
                    username,
                    added_by,
                    added_at: from_millis(added_at),
                },
            )
            .collect())
    }
}
