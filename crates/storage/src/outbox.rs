//! The outbox: every action bound for a platform is a row here before anything
//! is sent. Delivery workers claim due rows with a lease, so a worker that
//! dies mid-send leaves its rows to be claimed again once the lease runs out;
//! the idempotency key lets the receiving side drop a repeat.

use sqlx::Row;
use steward_core::{ActionId, EventId, GroupId, PlannedAction, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// An action to queue.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    /// The platform that must carry it out.
    pub platform: Platform,
    /// The group, by internal id.
    pub group: GroupId,
    /// The event that caused it, if any.
    pub event: Option<EventId>,
    /// A key unique to this action, derived from what caused it, so the same
    /// cause never queues it twice.
    pub idempotency_key: &'a str,
    /// The action.
    pub action: &'a PlannedAction,
    /// When it was decided.
    pub at: Timestamp,
}

/// Where an action is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting to be sent or pulled.
    Pending,
    /// Confirmed by the platform (or acknowledged by the puller).
    Done,
    /// Given up after a permanent error or too many attempts.
    Failed,
}

impl OutboxStatus {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "done" => Some(Self::Done),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }
}

/// A queued action.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    /// Its id, increasing in the order actions were decided; the cursor of
    /// the pull API.
    pub id: ActionId,
    /// The platform.
    pub platform: Platform,
    /// The group, by internal id.
    pub group: GroupId,
    /// The event that caused it.
    pub event: Option<EventId>,
    /// Its idempotency key.
    pub idempotency_key: String,
    /// The action.
    pub action: PlannedAction,
    /// Where it is in its life.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last delivery error.
    pub last_error: Option<String>,
    /// When it was decided.
    pub created_at: Timestamp,
    /// When it is (or was last) due: later than `created_at` for an action
    /// queued to wait, or retried.
    pub due_at: Timestamp,
}

/// How many actions are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting.
    pub pending: i64,
    /// Delivered.
    pub done: i64,
    /// Given up.
    pub failed: i64,
}

/// The columns [`read_row`] reads, as a literal so queries stay `&'static str`.
macro_rules! columns {
    () => {
        "id, platform, group_id, event_id, idempotency_key, payload, status, attempts, last_error, created_at, next_attempt_at"
    };
}

fn read_row<R>(row: &R) -> Result<OutboxRow>
where
    R: Row,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let platform: String = row.try_get("platform")?;
    let payload: String = row.try_get("payload")?;
    let status: String = row.try_get("status")?;
    Ok(OutboxRow {
        id: ActionId(row.try_get("id")?),
        platform: platform.parse().map_err(|e| corrupt("outbox", e))?,
        group: GroupId(row.try_get("group_id")?),
        event: row.try_get::<Option<i64>, _>("event_id")?.map(EventId),
        idempotency_key: row.try_get("idempotency_key")?,
        action: serde_json::from_str(&payload).map_err(|e| corrupt("outbox", e))?,
        status: OutboxStatus::parse(&status)
            .ok_or_else(|| corrupt("outbox", format!("status `{status}`")))?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
        created_at: from_millis(row.try_get("created_at")?),
        due_at: from_millis(row.try_get("next_attempt_at")?),
    })
}

impl Tx {
    /// Marks an action delivered in this transaction; see
    /// [`Store::mark_action_done_with`].
    pub async fn mark_action_done_with(
        &mut self,
        id: ActionId,
        now: Timestamp,
        result: Option<&str>,
    ) -> Result<bool> {
        let sql = "UPDATE outbox SET status = 'done', done_at = $1, last_error = NULL, result = $2 WHERE id = $3 AND status = 'pending'";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(to_millis(now)).bind(result).bind(id.0).execute(conn).await?.rows_affected());
        Ok(n > 0)
    }

    /// Queues an action; `None` when an action with the same idempotency key
    /// is already queued.
    pub async fn insert_action(&mut self, new: &NewAction<'_>) -> Result<Option<ActionId>> {
        self.insert_action_due(new, new.at).await
    }

    /// Queues an action that is not due before `due` (a welcome waiting for
    /// the rest of a join wave, a paced removal, a message's deletion).
    /// `None` when the key is taken.
    pub async fn insert_action_due(
        &mut self,
        new: &NewAction<'_>,
        due: Timestamp,
    ) -> Result<Option<ActionId>> {
        let payload = serde_json::to_string(new.action).map_err(|e| corrupt("outbox", e))?;
        let sql = "INSERT INTO outbox (platform, group_id, event_id, idempotency_key, kind, payload, next_attempt_at, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                   ON CONFLICT (idempotency_key) DO NOTHING
                   RETURNING id";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.platform.as_str())
            .bind(new.group.0)
            .bind(new.event.map(|e| e.0))
            .bind(new.idempotency_key)
            .bind(new.action.action.kind().as_str())
            .bind(payload)
            .bind(to_millis(due))
            .bind(to_millis(new.at))
            .fetch_optional(conn)
            .await?);
        Ok(id.map(ActionId))
    }
}

impl Store {
    /// Claims up to `limit` pending actions of `platform` that are due at
    /// `now`, hiding them from other claims until `lease_until`.
    pub async fn claim_due_actions(
        &self,
        platform: Platform,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let sql = match self {
            Store::Sqlite(_) => concat!(
                "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM outbox WHERE platform = $2 AND status = 'pending'
                              AND next_attempt_at <= $3 ORDER BY id LIMIT $4)
                 RETURNING ",
                columns!()
            ),
            // SKIP LOCKED lets several Steward processes share one database.
            Store::Postgres(_) => concat!(
                "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM outbox WHERE platform = $2 AND status = 'pending'
                              AND next_attempt_at <= $3 ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
                 RETURNING ",
                columns!()
            ),
        };
        let mut rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(to_millis(lease_until))
            .bind(platform.as_str())
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_row)
            .collect::<Result<Vec<_>>>()?);
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Marks an action delivered.
    pub async fn mark_action_done(&self, id: ActionId, now: Timestamp) -> Result<()> {
        self.mark_action_done_with(id, now, None).await.map(|_| ())
    }

    /// Marks an action delivered, keeping what the platform reported back
    /// (JSON). False when it was not pending (another worker finished it).
    pub async fn mark_action_done_with(
        &self,
        id: ActionId,
        now: Timestamp,
        result: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = tx.mark_action_done_with(id, now, result).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// A pending action by id.
    pub async fn pending_action(&self, id: ActionId) -> Result<Option<OutboxRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM outbox WHERE id = $1 AND status = 'pending'"
        );
        let row = on_pool!(self, pool => sqlx::query(sql)
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(read_row)
            .transpose()?);
        Ok(row)
    }

    /// What the platform reported back about a delivered action (JSON), by
    /// its idempotency key.
    pub async fn action_result(&self, idempotency_key: &str) -> Result<Option<String>> {
        let sql = "SELECT result FROM outbox WHERE idempotency_key = $1";
        let found: Option<Option<String>> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(idempotency_key)
            .fetch_optional(pool)
            .await?);
        Ok(found.flatten())
    }

    /// Queues one action in its own transaction, not due before `due`; see
    /// [`Tx::insert_action_due`].
    pub async fn queue_action(
        &self,
        new: &NewAction<'_>,
        due: Timestamp,
    ) -> Result<Option<ActionId>> {
        let mut tx = self.begin().await?;
        let id = tx.insert_action_due(new, due).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Schedules another attempt at `next_at` after a passing error.
    pub async fn mark_action_retry(
        &self,
        id: ActionId,
        next_at: Timestamp,
        error: &str,
    ) -> Result<()> {
        let sql = "UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending'";
        on_pool!(self, pool => sqlx::query(sql).bind(to_millis(next_at)).bind(error).bind(id.0).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Gives an action up after a permanent error.
    pub async fn mark_action_failed(
        &self,
        id: ActionId,
        now: Timestamp,
        error: &str,
    ) -> Result<()> {
        let sql = "UPDATE outbox SET status = 'failed', done_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending'";
        on_pool!(self, pool => sqlx::query(sql).bind(to_millis(now)).bind(error).bind(id.0).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// What the pull API hands out at `now`: pending actions of `platform`
    /// that are due, with ids above `after`, oldest first. An action queued
    /// to wait (a paced removal, a grouped welcome, a deletion after a while)
    /// is handed out once due even when its id is below the cursor, since
    /// the puller moved past it while it waited.
    pub async fn due_actions_after(
        &self,
        platform: Platform,
        after: i64,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM outbox WHERE platform = $1 AND status = 'pending' AND next_attempt_at <= $3
                AND (id > $2 OR next_attempt_at > created_at)
              ORDER BY id LIMIT $4"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(platform.as_str())
            .bind(after)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_row)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Pending actions of `platform` with ids above `after`, oldest first,
    /// due or not (what is queued, for inspection).
    pub async fn pending_actions_after(
        &self,
        platform: Platform,
        after: i64,
        limit: i64,
    ) -> Result<Vec<OutboxRow>> {
        let sql = concat!(
            "SELECT ",
            columns!(),
            " FROM outbox WHERE platform = $1 AND status = 'pending' AND id > $2 ORDER BY id LIMIT $3"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(platform.as_str())
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_row)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Marks pulled actions of `platform` done; returns how many were pending.
    pub async fn ack_actions(
        &self,
        platform: Platform,
        ids: &[ActionId],
        now: Timestamp,
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let mut n = 0;
        for id in ids {
            let sql = "UPDATE outbox SET status = 'done', done_at = $1 WHERE id = $2 AND platform = $3 AND status = 'pending'";
            let res = on_tx!(&mut tx, conn => sqlx::query(sql)
                .bind(to_millis(now))
                .bind(id.0)
                .bind(platform.as_str())
                .execute(conn)
                .await?
                .rows_affected());
            n += res;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// How many actions are pending, done and failed.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let sql = "SELECT status, COUNT(*) FROM outbox GROUP BY status";
        let rows: Vec<(String, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        let mut counts = OutboxCounts::default();
        for (status, n) in rows {
            match OutboxStatus::parse(&status) {
                Some(OutboxStatus::Pending) => counts.pending = n,
                Some(OutboxStatus::Done) => counts.done = n,
                Some(OutboxStatus::Failed) => counts.failed = n,
                None => return Err(corrupt("outbox", format!("status `{status}`"))),
            }
        }
        Ok(counts)
    }
}
