//! Feedback and complaint tickets: the ticket, its history (status
//! changes, assignments, internal notes, replies), and its root-cause tags.
//! Which moves are allowed is `steward_core::tickets`; this module stores
//! what was decided.

use sqlx::Row;
use steward_core::{EventId, GroupId, MemberId, Platform, Timestamp, UserId};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// A ticket to open.
#[derive(Debug, Clone)]
pub struct NewTicket<'a> {
    /// The group it is about.
    pub group: GroupId,
    /// Who opened it.
    pub member: MemberId,
    /// The chat the command came from (the group or the private chat).
    pub origin_group: GroupId,
    /// The command's message there.
    pub origin_message: Option<&'a str>,
    /// The command's event.
    pub event: Option<EventId>,
    /// `feedback`, `complaint` or a configured category.
    pub category: &'a str,
    /// What the member wrote.
    pub text: &'a str,
    /// When.
    pub at: Timestamp,
    /// When the first response is due.
    pub due: Timestamp,
    /// Who, for the history (`telegram:42`).
    pub actor: &'a str,
}

/// A stored ticket, with the names the pages show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Its number.
    pub id: i64,
    /// The group it is about.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// The group's platform.
    pub platform: Platform,
    /// The group's platform id.
    pub group_platform_id: String,
    /// Who opened it.
    pub member: MemberId,
    /// Their platform id.
    pub member_platform_id: String,
    /// Their display name.
    pub member_name: Option<String>,
    /// The chat the command came from.
    pub origin_group: GroupId,
    /// That chat's platform id.
    pub origin_platform_id: String,
    /// The command's message there.
    pub origin_message: Option<String>,
    /// The category.
    pub category: String,
    /// `open`, `in_progress`, `resolved`, `closed`.
    pub status: String,
    /// What the member wrote.
    pub text: String,
    /// The dashboard user working on it.
    pub assignee: Option<UserId>,
    /// Their name.
    pub assignee_name: Option<String>,
    /// The answer the member was told when it was resolved.
    pub resolution: Option<String>,
    /// Opened.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
    /// The first response was due then.
    pub due_at: Timestamp,
    /// The team first responded then.
    pub first_response_at: Option<Timestamp>,
    /// Last resolved then.
    pub resolved_at: Option<Timestamp>,
    /// The admins' chat was told it is overdue then.
    pub alerted_at: Option<Timestamp>,
    /// Root-cause tags, sorted.
    pub tags: Vec<String>,
}

/// One line of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEntry {
    /// When.
    pub at: Timestamp,
    /// `opened`, `status`, `assigned`, `note`, `reply`, `tags`, `alert`.
    pub kind: String,
    /// Who (`user:NAME`, `telegram:42`, `system`).
    pub actor: String,
    /// The new status, for `status`.
    pub status: Option<String>,
    /// The note, the reply, the assignee's name, the tags.
    pub body: Option<String>,
}

/// Which tickets a list shows; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// By status.
    pub status: Option<String>,
    /// By category.
    pub category: Option<String>,
    /// By group.
    pub group: Option<GroupId>,
    /// By assignee.
    pub assignee: Option<UserId>,
    /// Only overdue ones at this time: open, not answered, past due.
    pub overdue_at: Option<Timestamp>,
    /// At most this many, newest first.
    pub limit: i64,
}

macro_rules! ticket_select {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.group_id, g.title, g.platform, g.platform_id, t.member_id, m.platform_id,
                    m.name, t.origin_group_id, o.platform_id, t.origin_message, t.category, t.status,
                    t.text, t.assignee_id, u.name, t.resolution, t.created_at, t.updated_at, t.due_at,
                    t.first_response_at, t.resolved_at, t.alerted_at
             FROM tickets t
             JOIN groups g ON g.id = t.group_id
             JOIN groups o ON o.id = t.origin_group_id
             JOIN members m ON m.id = t.member_id
             LEFT JOIN users u ON u.id = t.assignee_id ",
            $rest
        )
    };
}

fn read_ticket<R>(row: &R) -> Result<Ticket>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let platform: String = row.try_get(3)?;
    let opt_time = |i: usize| -> Result<Option<Timestamp>> {
        Ok(row.try_get::<Option<i64>, _>(i)?.map(from_millis))
    };
    Ok(Ticket {
        id: row.try_get(0)?,
        group: GroupId(row.try_get(1)?),
        group_title: row.try_get(2)?,
        platform: platform.parse().unwrap_or(Platform::Http),
        group_platform_id: row.try_get(4)?,
        member: MemberId(row.try_get(5)?),
        member_platform_id: row.try_get(6)?,
        member_name: row.try_get(7)?,
        origin_group: GroupId(row.try_get(8)?),
        origin_platform_id: row.try_get(9)?,
        origin_message: row.try_get(10)?,
        category: row.try_get(11)?,
        status: row.try_get(12)?,
        text: row.try_get(13)?,
        assignee: row.try_get::<Option<i64>, _>(14)?.map(UserId),
        assignee_name: row.try_get(15)?,
        resolution: row.try_get(16)?,
        created_at: from_millis(row.try_get(17)?),
        updated_at: from_millis(row.try_get(18)?),
        due_at: from_millis(row.try_get(19)?),
        first_response_at: opt_time(20)?,
        resolved_at: opt_time(21)?,
        alerted_at: opt_time(22)?,
        tags: Vec::new(),
    })
}

type EntryRow = (i64, String, String, Option<String>, Option<String>);

const TAGS_OF: &str = "SELECT tag FROM ticket_tags WHERE ticket_id = $1 ORDER BY tag";

impl Tx {
    /// Opens a ticket and writes the first line of its history. Returns its
    /// number.
    pub async fn insert_ticket(&mut self, new: &NewTicket<'_>) -> Result<i64> {
        let sql = "INSERT INTO tickets
                     (group_id, member_id, origin_group_id, origin_message, event_id, category,
                      status, text, created_at, updated_at, due_at)
                   VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $8, $9)
                   RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.member.0)
            .bind(new.origin_group.0)
            .bind(new.origin_message)
            .bind(new.event.map(|e| e.0))
            .bind(new.category)
            .bind(new.text)
            .bind(to_millis(new.at))
            .bind(to_millis(new.due))
            .fetch_one(conn)
            .await?);
        self.add_ticket_entry(id, "opened", new.actor, Some("open"), None, new.at)
            .await?;
        Ok(id)
    }

    /// The ticket numbered `id`.
    pub async fn ticket(&mut self, id: i64) -> Result<Option<Ticket>> {
        let sql = ticket_select!("WHERE t.id = $1");
        let found = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .fetch_optional(conn)
            .await?
            .map(|row| read_ticket(&row))
            .transpose()?);
        let Some(mut ticket) = found else {
            return Ok(None);
        };
        ticket.tags = on_tx!(self, conn => sqlx::query_scalar(TAGS_OF)
            .bind(id)
            .fetch_all(conn)
            .await?);
        Ok(Some(ticket))
    }

    /// Adds a line to a ticket's history.
    pub async fn add_ticket_entry(
        &mut self,
        ticket: i64,
        kind: &str,
        actor: &str,
        status: Option<&str>,
        body: Option<&str>,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO ticket_entries (ticket_id, at, kind, actor, status, body)
                   VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(ticket)
            .bind(to_millis(at))
            .bind(kind)
            .bind(actor)
            .bind(status)
            .bind(body)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Moves a ticket from `from` to `to`; `false` when it was no longer at
    /// `from` (someone else moved it). `response` marks the team's first
    /// response when there was none; `resolution` is kept when resolving.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_ticket_status(
        &mut self,
        ticket: i64,
        from: &str,
        to: &str,
        response: bool,
        resolution: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let resolved = to == "resolved";
        let sql = "UPDATE tickets SET status = $3, updated_at = $4,
                     first_response_at = CASE WHEN $5 = 1 AND first_response_at IS NULL THEN $4
                                              ELSE first_response_at END,
                     resolved_at = CASE WHEN $6 = 1 THEN $4 ELSE resolved_at END,
                     resolution = CASE WHEN $6 = 1 THEN $7 ELSE resolution END
                   WHERE id = $1 AND status = $2";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(ticket)
            .bind(from)
            .bind(to)
            .bind(to_millis(at))
            .bind(i64::from(response))
            .bind(i64::from(resolved))
            .bind(resolution)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Assigns a ticket to a dashboard user, or to nobody.
    pub async fn set_ticket_assignee(
        &mut self,
        ticket: i64,
        assignee: Option<UserId>,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "UPDATE tickets SET assignee_id = $2, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(ticket)
            .bind(assignee.map(|u| u.0))
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Changes a ticket's category.
    pub async fn set_ticket_category(
        &mut self,
        ticket: i64,
        category: &str,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "UPDATE tickets SET category = $2, updated_at = $3 WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(ticket)
            .bind(category)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Replaces a ticket's root-cause tags.
    pub async fn set_ticket_tags(&mut self, ticket: i64, tags: &[String]) -> Result<()> {
        on_tx!(self, conn => sqlx::query("DELETE FROM ticket_tags WHERE ticket_id = $1")
            .bind(ticket)
            .execute(conn)
            .await?
            .rows_affected());
        for tag in tags {
            let sql = "INSERT INTO ticket_tags (ticket_id, tag) VALUES ($1, $2)
                       ON CONFLICT DO NOTHING";
            on_tx!(self, conn => sqlx::query(sql)
                .bind(ticket)
                .bind(tag)
                .execute(conn)
                .await?
                .rows_affected());
        }
        Ok(())
    }

    /// Records that the admins were alerted about an overdue ticket;
    /// `false` when they already were.
    pub async fn mark_ticket_alerted(&mut self, ticket: i64, at: Timestamp) -> Result<bool> {
        let sql = "UPDATE tickets SET alerted_at = $2 WHERE id = $1 AND alerted_at IS NULL";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(ticket)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// The group a member last wrote in (still a member there), other than
    /// the chat `except` (their private chat with the bot): where a ticket
    /// sent in private belongs.
    pub async fn last_group_of(
        &mut self,
        platform: Platform,
        member_platform_id: &str,
        except: GroupId,
    ) -> Result<Option<GroupId>> {
        let sql = "SELECT ms.group_id FROM memberships ms
                   JOIN members m ON m.id = ms.member_id
                   JOIN groups g ON g.id = ms.group_id
                   WHERE m.platform = $1 AND m.platform_id = $2 AND ms.left_at IS NULL
                     AND ms.group_id <> $3 AND g.platform_id <> $2
                   ORDER BY COALESCE(ms.last_active_at, ms.joined_at, 0) DESC, ms.group_id DESC
                   LIMIT 1";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(platform.as_str())
            .bind(member_platform_id)
            .bind(except.0)
            .fetch_optional(conn)
            .await?);
        Ok(id.map(GroupId))
    }
}

impl Store {
    /// The ticket numbered `id`, with its tags.
    pub async fn ticket(&self, id: i64) -> Result<Option<Ticket>> {
        let sql = ticket_select!("WHERE t.id = $1");
        let found = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .map(|row| read_ticket(&row))
            .transpose()?);
        let Some(mut ticket) = found else {
            return Ok(None);
        };
        ticket.tags = on_pool!(self, pool => sqlx::query_scalar(TAGS_OF)
            .bind(id)
            .fetch_all(pool)
            .await?);
        Ok(Some(ticket))
    }

    /// Tickets past their due time at `now` with no response and no alert
    /// yet, oldest first (read before taking the write turn).
    pub async fn overdue_unalerted_tickets(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<Ticket>> {
        let sql = ticket_select!(
            "WHERE t.status = 'open' AND t.first_response_at IS NULL AND t.alerted_at IS NULL
               AND t.due_at <= $1
             ORDER BY t.due_at, t.id LIMIT $2"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_ticket)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// A ticket's history, oldest first.
    pub async fn ticket_entries(&self, ticket: i64) -> Result<Vec<TicketEntry>> {
        let sql = "SELECT at, kind, actor, status, body FROM ticket_entries
                   WHERE ticket_id = $1 ORDER BY id";
        let rows: Vec<EntryRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(ticket).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(at, kind, actor, status, body)| TicketEntry {
                at: from_millis(at),
                kind,
                actor,
                status,
                body,
            })
            .collect())
    }

    /// Tickets as `filter` says, newest first.
    pub async fn tickets(&self, filter: &TicketFilter) -> Result<Vec<Ticket>> {
        let sql = ticket_select!(
            "WHERE ($1 IS NULL OR t.status = $1)
               AND ($2 IS NULL OR t.category = $2)
               AND ($3 IS NULL OR t.group_id = $3)
               AND ($4 IS NULL OR t.assignee_id = $4)
               AND ($5 IS NULL OR (t.status = 'open' AND t.first_response_at IS NULL
                                   AND t.due_at <= $5))
             ORDER BY t.id DESC LIMIT $6"
        );
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(filter.status.as_deref())
            .bind(filter.category.as_deref())
            .bind(filter.group.map(|g| g.0))
            .bind(filter.assignee.map(|u| u.0))
            .bind(filter.overdue_at.map(to_millis))
            .bind(filter.limit.max(1))
            .fetch_all(pool)
            .await?
            .iter()
            .map(read_ticket)
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// How many tickets carry each root-cause tag, most first (for reports),
    /// in one group or all.
    pub async fn ticket_tag_counts(&self, group: Option<GroupId>) -> Result<Vec<(String, i64)>> {
        let sql =
            "SELECT tt.tag, COUNT(*) FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id
                   WHERE ($1 IS NULL OR t.group_id = $1)
                   GROUP BY tt.tag ORDER BY COUNT(*) DESC, tt.tag";
        let rows: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map(|g| g.0))
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }
}
