//! Accepted events. The unique key (group, platform event id) is what makes a
//! second delivery of the same event a duplicate.

use sqlx::Row;
use steward_core::{EventId, EventKind, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// An event to store.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    /// The group it happened in.
    pub group: GroupId,
    /// The platform's id of the event.
    pub platform_event_id: &'a str,
    /// Its kind.
    pub kind: EventKind,
    /// The member who did it.
    pub member: MemberId,
    /// When it happened.
    pub at: Timestamp,
    /// When Steward received it.
    pub received_at: Timestamp,
    /// The normalized event as JSON.
    pub payload: &'a str,
    /// The mood of a message's text, from -1 to 1, when it was scored.
    pub sentiment: Option<f32>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Internal id, increasing in order of arrival.
    pub id: EventId,
    /// The group.
    pub group: GroupId,
    /// The platform's id of the event.
    pub platform_event_id: String,
    /// Its kind, by name.
    pub kind: String,
    /// The member.
    pub member: MemberId,
    /// When it happened.
    pub at: Timestamp,
    /// The normalized event as JSON.
    pub payload: String,
    /// Why processing failed, if it did.
    pub error: Option<String>,
}

impl Tx {
    /// The id of the group's event with this platform id, read in this
    /// transaction.
    pub async fn event_id_of(
        &mut self,
        group: GroupId,
        platform_event_id: &str,
    ) -> Result<Option<EventId>> {
        let sql = "SELECT id FROM events WHERE group_id = $1 AND platform_event_id = $2";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(platform_event_id)
            .fetch_optional(conn)
            .await?);
        Ok(id.map(EventId))
    }

    /// Stores an event; `None` when the group already has an event with this
    /// platform id (a duplicate), which is left untouched.
    pub async fn insert_event(&mut self, event: &NewEvent<'_>) -> Result<Option<EventId>> {
        let sql = "INSERT INTO events (group_id, platform_event_id, kind, member_id, at, received_at, payload, sentiment)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                   ON CONFLICT (group_id, platform_event_id) DO NOTHING
                   RETURNING id";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(event.group.0)
            .bind(event.platform_event_id)
            .bind(event.kind.as_str())
            .bind(event.member.0)
            .bind(to_millis(event.at))
            .bind(to_millis(event.received_at))
            .bind(event.payload)
            .bind(event.sentiment)
            .fetch_optional(conn)
            .await?);
        Ok(id.map(EventId))
    }

    /// Stores many events with one statement per thousand; for each, in
    /// order, its id, or `None` when it is a duplicate (of a stored event or
    /// of one earlier in `events`).
    pub async fn insert_events(&mut self, events: &[NewEvent<'_>]) -> Result<Vec<Option<EventId>>> {
        let mut ids = Vec::with_capacity(events.len());
        for chunk in events.chunks(1000) {
            let rows: Vec<(i64, i64, String)> = on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO events (group_id, platform_event_id, kind, member_id, at, received_at, payload, sentiment) ",
                );
                query.push_values(chunk, |mut row, event| {
                    row.push_bind(event.group.0)
                        .push_bind(event.platform_event_id)
                        .push_bind(event.kind.as_str())
                        .push_bind(event.member.0)
                        .push_bind(to_millis(event.at))
                        .push_bind(to_millis(event.received_at))
                        .push_bind(event.payload)
                        .push_bind(event.sentiment);
                });
                query.push(
                    " ON CONFLICT (group_id, platform_event_id) DO NOTHING RETURNING id, group_id, platform_event_id",
                );
                query.build_query_as().fetch_all(conn).await?
            });
            let mut inserted: std::collections::HashMap<(i64, String), i64> = rows
                .into_iter()
                .map(|(id, group, platform_id)| ((group, platform_id), id))
                .collect();
            // The first event with a key gets the row; any repeat is a duplicate.
            ids.extend(chunk.iter().map(|event| {
                inserted
                    .remove(&(event.group.0, event.platform_event_id.to_owned()))
                    .map(EventId)
            }));
        }
        Ok(ids)
    }

    /// Records that processing an event failed, keeping the event.
    pub async fn set_event_error(&mut self, id: EventId, error: &str) -> Result<()> {
        let sql = "UPDATE events SET error = $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(error).bind(id.0).execute(conn).await?.rows_affected());
        Ok(())
    }
}

impl Store {
    /// Events of a group at or after `since`, with ids above `after`, oldest
    /// first.
    pub async fn group_events(
        &self,
        group: GroupId,
        since: Timestamp,
        after: EventId,
        limit: i64,
    ) -> Result<Vec<StoredEvent>> {
        let sql = "SELECT id, group_id, platform_event_id, kind, member_id, at, payload, error
                   FROM events WHERE group_id = $1 AND at >= $2 AND id > $3
                   ORDER BY id LIMIT $4";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(group.0)
            .bind(to_millis(since))
            .bind(after.0)
            .bind(limit)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<StoredEvent> {
                Ok(StoredEvent {
                    id: EventId(row.try_get(0)?),
                    group: GroupId(row.try_get(1)?),
                    platform_event_id: row.try_get(2)?,
                    kind: row.try_get(3)?,
                    member: MemberId(row.try_get(4)?),
                    at: from_millis(row.try_get(5)?),
                    payload: row.try_get(6)?,
                    error: row.try_get(7)?,
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// The number of a group's events at or after `since`.
    pub async fn count_group_events(&self, group: GroupId, since: Timestamp) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM events WHERE group_id = $1 AND at >= $2";
        let n = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(to_millis(since))
            .fetch_one(pool)
            .await?);
        Ok(n)
    }

    /// The number of stored events.
    pub async fn count_events(&self) -> Result<i64> {
        let n = on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(pool)
            .await?);
        Ok(n)
    }

    /// Whether the group already has an event with this platform id.
    pub async fn event_exists(&self, group: GroupId, platform_event_id: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM events WHERE group_id = $1 AND platform_event_id = $2";
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(platform_event_id)
            .fetch_one(pool)
            .await?);
        Ok(n > 0)
    }
}
