//! Event sign-ups (接龙, online talks): each event with its start, cap and
//! reminders, and its sign-ups in the order they came. Who is in and who
//! waits follows from that order (`steward_core::activity`). The tables are
//! `activities` and `activity_signups` (`events` is the event store).

use steward_core::{GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// An event taking sign-ups.
pub const OPEN: &str = "open";
/// An event that started: sign-ups are closed.
pub const CLOSED: &str = "closed";
/// An event the admins cancelled.
pub const CANCELLED: &str = "cancelled";

/// An event to create.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    /// The group it is for.
    pub group: GroupId,
    /// Its title.
    pub title: &'a str,
    /// Its description.
    pub description: &'a str,
    /// When it starts.
    pub starts: Timestamp,
    /// How many may sign up before the waiting list starts.
    pub cap: Option<u32>,
    /// Reminder offsets in minutes, largest first.
    pub reminders: &'a [u32],
    /// Who created it (`user:NAME`).
    pub created_by: &'a str,
    /// When.
    pub at: Timestamp,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// Its title.
    pub title: String,
    /// Its description.
    pub description: String,
    /// When it starts.
    pub starts: Timestamp,
    /// The cap.
    pub cap: Option<u32>,
    /// Reminder offsets in minutes, largest first.
    pub reminders: Vec<u32>,
    /// How many reminders are done.
    pub reminders_sent: usize,
    /// [`OPEN`], [`CLOSED`] or [`CANCELLED`].
    pub status: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Who cancelled it.
    pub cancelled_by: Option<String>,
}

impl Activity {
    /// Whether it takes sign-ups.
    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }

    /// The idempotency key of its announcement's outbox row, whose result
    /// holds the message id.
    pub fn announcement_key(&self) -> String {
        announcement_key(self.id)
    }
}

/// The idempotency key of event `id`'s announcement.
pub fn announcement_key(id: i64) -> String {
    format!("activity:{id}:announce:i0")
}

/// One sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signup {
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name when they signed up.
    pub name: Option<String>,
    /// When.
    pub at: Timestamp,
}

impl Signup {
    /// The name shown in the list.
    pub fn shown(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.platform_id.clone())
    }
}

macro_rules! select_activities {
    ($where:literal) => {
        concat!(
            "SELECT id, group_id, title, description, starts_at, cap, reminders, reminders_sent,
                    status, created_by, created_at, cancelled_by
             FROM activities ",
            $where
        )
    };
}

type Row = (
    i64,
    i64,
    String,
    String,
    i64,
    Option<i64>,
    String,
    i64,
    String,
    String,
    i64,
    Option<String>,
);

fn activity(row: Row) -> Result<Activity> {
    let (
        id,
        group,
        title,
        description,
        starts,
        cap,
        reminders,
        sent,
        status,
        created_by,
        created_at,
        cancelled_by,
    ) = row;
    Ok(Activity {
        id,
        group: GroupId(group),
        title,
        description,
        starts: from_millis(starts),
        cap: cap
            .map(u32::try_from)
            .transpose()
            .map_err(|e| corrupt("activities", e))?,
        reminders: serde_json::from_str(&reminders).map_err(|e| corrupt("activities", e))?,
        reminders_sent: usize::try_from(sent).map_err(|e| corrupt("activities", e))?,
        status,
        created_by,
        created_at: from_millis(created_at),
        cancelled_by,
    })
}

type SignupRow = (i64, String, Option<String>, i64);

fn signup(row: SignupRow) -> Signup {
    let (member, platform_id, name, at) = row;
    Signup {
        member: MemberId(member),
        platform_id,
        name,
        at: from_millis(at),
    }
}

const SIGNUPS: &str = "SELECT member_id, platform_id, name, at FROM activity_signups
                       WHERE activity_id = $1 ORDER BY id";

impl Store {
    /// Events, newest first; of one group when `group` is given.
    pub async fn activities(&self, group: Option<GroupId>, limit: i64) -> Result<Vec<Activity>> {
        let sql =
            select_activities!("WHERE ($1 IS NULL OR group_id = $1) ORDER BY id DESC LIMIT $2");
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map(|g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(activity).collect()
    }

    /// One event.
    pub async fn activity(&self, id: i64) -> Result<Option<Activity>> {
        let sql = select_activities!("WHERE id = $1");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(activity).transpose()
    }

    /// An event's sign-ups, in the order they came.
    pub async fn activity_signups(&self, id: i64) -> Result<Vec<Signup>> {
        let rows: Vec<SignupRow> = on_pool!(self, pool => sqlx::query_as(SIGNUPS)
            .bind(id)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(signup).collect())
    }

    /// Open events whose start is before `until` (the timers look at those
    /// with a reminder due or a start come), soonest first.
    pub async fn open_activities_before(
        &self,
        until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Activity>> {
        let sql = select_activities!(
            "WHERE status = $1 AND starts_at <= $2 ORDER BY starts_at, id LIMIT $3"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(OPEN)
            .bind(to_millis(until))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(activity).collect()
    }
}

impl Tx {
    /// Creates an event; returns its id.
    pub async fn create_activity(&mut self, new: &NewActivity<'_>) -> Result<i64> {
        let sql = "INSERT INTO activities
                     (group_id, title, description, starts_at, cap, reminders, reminders_sent,
                      status, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)
                   RETURNING id";
        let reminders =
            serde_json::to_string(new.reminders).map_err(|e| corrupt("activities", e))?;
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.title)
            .bind(new.description)
            .bind(to_millis(new.starts))
            .bind(new.cap.map(i64::from))
            .bind(&reminders)
            .bind(OPEN)
            .bind(new.created_by)
            .bind(to_millis(new.at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// One event, read in this transaction.
    pub async fn activity(&mut self, id: i64) -> Result<Option<Activity>> {
        let sql = select_activities!("WHERE id = $1");
        let row: Option<Row> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await?);
        row.map(activity).transpose()
    }

    /// The open events of a group, oldest first.
    pub async fn open_activities_in(&mut self, group: GroupId) -> Result<Vec<Activity>> {
        let sql = select_activities!("WHERE group_id = $1 AND status = $2 ORDER BY id");
        let rows: Vec<Row> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(OPEN)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(activity).collect()
    }

    /// An event's sign-ups in order, read in this transaction.
    pub async fn activity_signups(&mut self, id: i64) -> Result<Vec<Signup>> {
        let rows: Vec<SignupRow> = on_tx!(self, conn => sqlx::query_as(SIGNUPS)
            .bind(id)
            .fetch_all(conn)
            .await?);
        Ok(rows.into_iter().map(signup).collect())
    }

    /// Records a sign-up at the end of the list; false when the member had
    /// signed up already.
    pub async fn add_signup(
        &mut self,
        activity: i64,
        member: MemberId,
        platform_id: &str,
        name: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO activity_signups (activity_id, member_id, platform_id, name, at)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(activity)
            .bind(member.0)
            .bind(platform_id)
            .bind(name)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Removes a sign-up; false when there was none.
    pub async fn remove_signup(&mut self, activity: i64, member: MemberId) -> Result<bool> {
        let sql = "DELETE FROM activity_signups WHERE activity_id = $1 AND member_id = $2";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(activity)
            .bind(member.0)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Moves an open event's reminder count from `from` to `to`; false when
    /// another round did it first (so a reminder is posted once).
    pub async fn mark_reminders_sent(&mut self, id: i64, from: usize, to: usize) -> Result<bool> {
        let sql = "UPDATE activities SET reminders_sent = $3
                   WHERE id = $1 AND reminders_sent = $2 AND status = $4";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(i64::try_from(from).unwrap_or(i64::MAX))
            .bind(i64::try_from(to).unwrap_or(i64::MAX))
            .bind(OPEN)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Moves an open event to `status` ([`CLOSED`] or [`CANCELLED`]); false
    /// when it was not open.
    pub async fn end_activity(&mut self, id: i64, status: &str, by: Option<&str>) -> Result<bool> {
        let sql = "UPDATE activities SET status = $2, cancelled_by = $3
                   WHERE id = $1 AND status = $4";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(status)
            .bind(by)
            .bind(OPEN)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// The platform's message id of an event's announcement, once it was
    /// delivered (from its outbox row's result).
    pub async fn announcement_message(&mut self, id: i64) -> Result<Option<String>> {
        let sql = "SELECT result FROM outbox WHERE idempotency_key = $1";
        let key = announcement_key(id);
        let found: Option<Option<String>> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(&key)
            .fetch_optional(conn)
            .await?);
        Ok(found
            .flatten()
            .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
            .and_then(|v| {
                v.get("message_id")
                    .and_then(|m| m.as_str())
                    .map(str::to_owned)
            }))
    }
}

#[cfg(test)]
mod tests {
    use steward_core::Platform;

    use super::*;
    use crate::both_backends;

    both_backends!(
        signups_keep_their_order_and_reminders_go_once,
        |store: Store| async move {
            let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
            let mut tx = store.begin().await.unwrap();
            let (group, _) = tx
                .upsert_group(
                    Platform::Telegram,
                    "-100",
                    Some("G"),
                    steward_core::i18n::Lang::En,
                    at,
                )
                .await
                .unwrap();
            let id = tx
                .create_activity(&NewActivity {
                    group,
                    title: "Talk",
                    description: "",
                    starts: at + chrono::Duration::hours(2),
                    cap: Some(1),
                    reminders: &[60],
                    created_by: "user:admin",
                    at,
                })
                .await
                .unwrap();
            let ann = tx
                .insert_member(Platform::Telegram, "1", Some("Ann"), None, false, at)
                .await
                .unwrap();
            let bob = tx
                .insert_member(Platform::Telegram, "2", Some("Bob"), None, false, at)
                .await
                .unwrap();
            assert!(tx.add_signup(id, bob, "2", Some("Bob"), at).await.unwrap());
            assert!(tx.add_signup(id, ann, "1", Some("Ann"), at).await.unwrap());
            assert!(!tx.add_signup(id, ann, "1", Some("Ann"), at).await.unwrap());
            let names: Vec<String> = tx
                .activity_signups(id)
                .await
                .unwrap()
                .iter()
                .map(Signup::shown)
                .collect();
            assert_eq!(names, ["Bob", "Ann"]);
            assert!(tx.remove_signup(id, bob).await.unwrap());
            assert!(!tx.remove_signup(id, bob).await.unwrap());
            assert!(tx.mark_reminders_sent(id, 0, 1).await.unwrap());
            assert!(!tx.mark_reminders_sent(id, 0, 1).await.unwrap());
            assert_eq!(tx.announcement_message(id).await.unwrap(), None);
            assert_eq!(tx.open_activities_in(group).await.unwrap().len(), 1);
            tx.commit().await.unwrap();
            let stored = store.activity(id).await.unwrap().unwrap();
            assert_eq!(stored.reminders, vec![60]);
            assert_eq!(stored.reminders_sent, 1);
            assert_eq!(stored.cap, Some(1));
            assert_eq!(
                store
                    .open_activities_before(at + chrono::Duration::hours(3), 10)
                    .await
                    .unwrap()
                    .len(),
                1
            );
            let mut tx = store.begin().await.unwrap();
            assert!(
                tx.end_activity(id, CANCELLED, Some("user:admin"))
                    .await
                    .unwrap()
            );
            assert!(!tx.end_activity(id, CLOSED, None).await.unwrap());
            tx.commit().await.unwrap();
            assert_eq!(store.activity_signups(id).await.unwrap().len(), 1);
            assert_eq!(
                store.activities(Some(group), 10).await.unwrap()[0].status,
                CANCELLED
            );
        }
    );
}
