//! Scheduled posts (群SOP): the posts with their status in the approval
//! flow, the groups an approved post goes to with the time each is next
//! due, and the history of publications. The rules (the flow, schedules,
//! quiet hours, the daily cap) are `steward_core::posts`.

use steward_core::posts::{LinkButton, PostStatus, Schedule};
use steward_core::{CommunityId, GroupId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// A post's content and where and when it goes, as drafted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    /// One group, or (with `community`) none.
    pub group: Option<GroupId>,
    /// Every group of this community.
    pub community: Option<CommunityId>,
    /// A title for the team (not sent).
    pub title: String,
    /// The text sent.
    pub text: String,
    /// A picture, sent as a link below the text.
    pub image_url: Option<String>,
    /// Link buttons, one row each.
    pub buttons: Vec<LinkButton>,
    /// When it is sent.
    pub schedule: Schedule,
}

/// A stored post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// Its id.
    pub id: i64,
    /// What it is.
    pub draft: PostDraft,
    /// Where it stands.
    pub status: PostStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// Who drafted it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// Who approved or rejected it last.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<Timestamp>,
}

/// One group a scheduled post goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostTarget {
    /// The post.
    pub post: i64,
    /// The group.
    pub group: GroupId,
    /// The time the schedule named for the next sending.
    pub slot: Option<Timestamp>,
    /// When it will be tried (later than `slot` when held).
    pub due: Option<Timestamp>,
}

/// One sending of a post to a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The post.
    pub post: i64,
    /// Its title.
    pub title: String,
    /// The group.
    pub group: GroupId,
    /// The time the schedule named.
    pub slot: Timestamp,
    /// When it was queued for sending.
    pub sent_at: Timestamp,
    /// The outbox row that carries it.
    pub outbox_key: String,
}

type PostRow = (
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<String>,
    Option<i64>,
);

fn post(row: PostRow) -> Result<Post> {
    let (
        id,
        group,
        community,
        title,
        text,
        image_url,
        buttons,
        schedule,
        status,
        reason,
        created_by,
        created_at,
        decided_by,
        decided_at,
    ) = row;
    Ok(Post {
        id,
        draft: PostDraft {
            group: group.map(GroupId),
            community: community.map(CommunityId),
            title,
            text,
            image_url,
            buttons: serde_json::from_str(&buttons).map_err(|e| corrupt("posts", e))?,
            schedule: serde_json::from_str(&schedule).map_err(|e| corrupt("posts", e))?,
        },
        status: PostStatus::parse(&status).ok_or_else(|| corrupt("posts", status))?,
        reason,
        created_by,
        created_at: from_millis(created_at),
        decided_by,
        decided_at: decided_at.map(from_millis),
    })
}

fn encode(draft: &PostDraft) -> Result<(String, String)> {
    Ok((
        serde_json::to_string(&draft.buttons).map_err(|e| corrupt("posts", e))?,
        serde_json::to_string(&draft.schedule).map_err(|e| corrupt("posts", e))?,
    ))
}

type TargetRow = (i64, i64, Option<i64>, Option<i64>);

fn target(row: TargetRow) -> PostTarget {
    let (post, group, slot, due) = row;
    PostTarget {
        post,
        group: GroupId(group),
        slot: slot.map(from_millis),
        due: due.map(from_millis),
    }
}

type PublicationRow = (i64, String, i64, i64, i64, String);

fn publication(row: PublicationRow) -> Publication {
    let (post, title, group, slot, sent_at, outbox_key) = row;
    Publication {
        post,
        title,
        group: GroupId(group),
        slot: from_millis(slot),
        sent_at: from_millis(sent_at),
        outbox_key,
    }
}

impl Store {
    /// Posts, newest first; only those of `status` when given.
    pub async fn posts(&self, status: Option<PostStatus>, limit: i64) -> Result<Vec<Post>> {
        const SQL: &str = "SELECT id, group_id, community_id, title, text, image_url, buttons,
            schedule, status, reason, created_by, created_at, decided_by, decided_at FROM posts
            WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2";
        let rows: Vec<PostRow> = on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(status.map(PostStatus::as_str))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(post).collect()
    }

    /// One post.
    pub async fn post(&self, id: i64) -> Result<Option<Post>> {
        const SQL: &str = "SELECT id, group_id, community_id, title, text, image_url, buttons,
            schedule, status, reason, created_by, created_at, decided_by, decided_at FROM posts
            WHERE id = $1";
        let row: Option<PostRow> = on_pool!(self, pool => sqlx::query_as(SQL)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(post).transpose()
    }

    /// The targets due at `now`, earliest first.
    pub async fn post_targets_due(&self, now: Timestamp, limit: i64) -> Result<Vec<PostTarget>> {
        let sql = "SELECT t.post_id, t.group_id, t.slot, t.due_at FROM post_targets t
                   JOIN posts p ON p.id = t.post_id
                   WHERE t.due_at IS NOT NULL AND t.due_at <= $1 AND p.status = $2
                   ORDER BY t.due_at, t.post_id, t.group_id LIMIT $3";
        let rows: Vec<TargetRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(to_millis(now))
            .bind(PostStatus::Scheduled.as_str())
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(target).collect())
    }

    /// Every target of the scheduled posts that has something left to send.
    pub async fn scheduled_post_targets(&self) -> Result<Vec<PostTarget>> {
        let sql = "SELECT t.post_id, t.group_id, t.slot, t.due_at FROM post_targets t
                   JOIN posts p ON p.id = t.post_id
                   WHERE t.due_at IS NOT NULL AND p.status = $1
                   ORDER BY t.due_at, t.post_id, t.group_id";
        let rows: Vec<TargetRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(PostStatus::Scheduled.as_str())
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(target).collect())
    }

    /// The latest publications, newest first; of one post when given.
    pub async fn post_publications(
        &self,
        post: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Publication>> {
        let sql = "SELECT u.post_id, p.title, u.group_id, u.slot, u.sent_at, u.outbox_key
                   FROM post_publications u JOIN posts p ON p.id = u.post_id
                   WHERE ($1 IS NULL OR u.post_id = $1)
                   ORDER BY u.sent_at DESC, u.post_id DESC LIMIT $2";
        let rows: Vec<PublicationRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(post)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(publication).collect())
    }
}

impl Tx {
    /// Stores a new draft. Returns its id.
    pub async fn insert_post(&mut self, draft: &PostDraft, by: &str, at: Timestamp) -> Result<i64> {
        let sql = "INSERT INTO posts (group_id, community_id, title, text, image_url, buttons,
                                      schedule, status, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let (buttons, schedule) = encode(draft)?;
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(draft.group.map(|g| g.0))
            .bind(draft.community.map(|c| c.0))
            .bind(&draft.title)
            .bind(&draft.text)
            .bind(draft.image_url.as_deref())
            .bind(&buttons)
            .bind(&schedule)
            .bind(PostStatus::Draft.as_str())
            .bind(by)
            .bind(to_millis(at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Replaces a draft's content. False when it is not a draft.
    pub async fn update_post(&mut self, id: i64, draft: &PostDraft) -> Result<bool> {
        let sql = "UPDATE posts SET group_id = $1, community_id = $2, title = $3, text = $4,
                          image_url = $5, buttons = $6, schedule = $7
                   WHERE id = $8 AND status = $9";
        let (buttons, schedule) = encode(draft)?;
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(draft.group.map(|g| g.0))
            .bind(draft.community.map(|c| c.0))
            .bind(&draft.title)
            .bind(&draft.text)
            .bind(draft.image_url.as_deref())
            .bind(&buttons)
            .bind(&schedule)
            .bind(id)
            .bind(PostStatus::Draft.as_str())
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }

    /// One post, read in this transaction.
    pub async fn post(&mut self, id: i64) -> Result<Option<Post>> {
        const SQL: &str = "SELECT id, group_id, community_id, title, text, image_url, buttons,
            schedule, status, reason, created_by, created_at, decided_by, decided_at FROM posts
            WHERE id = $1";
        let row: Option<PostRow> = on_tx!(self, conn => sqlx::query_as(SQL)
            .bind(id)
            .fetch_optional(conn)
            .await?);
        row.map(post).transpose()
    }

    /// Moves a post from `from` to `to`; `decided` records who approved or
    /// rejected it (and the reason). False when it was not at `from`.
    pub async fn move_post(
        &mut self,
        id: i64,
        from: PostStatus,
        to: PostStatus,
        decided: Option<(&str, Timestamp)>,
        reason: Option<&str>,
    ) -> Result<bool> {
        let sql = "UPDATE posts SET status = $1, reason = $2,
                          decided_by = COALESCE($3, decided_by),
                          decided_at = COALESCE($4, decided_at)
                   WHERE id = $5 AND status = $6";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(to.as_str())
            .bind(reason)
            .bind(decided.map(|d| d.0))
            .bind(decided.map(|d| to_millis(d.1)))
            .bind(id)
            .bind(from.as_str())
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }

    /// The groups a post goes to: its group, or its community's groups.
    pub async fn post_groups(&mut self, draft: &PostDraft) -> Result<Vec<GroupId>> {
        if let Some(group) = draft.group {
            return Ok(vec![group]);
        }
        let Some(community) = draft.community else {
            return Ok(Vec::new());
        };
        let sql = "SELECT id FROM groups WHERE community_id = $1 ORDER BY id";
        let ids: Vec<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(community.0)
            .fetch_all(conn)
            .await?);
        Ok(ids.into_iter().map(GroupId).collect())
    }

    /// Sets (or adds) a target's next slot and due time; `None` marks it
    /// done.
    pub async fn set_post_target(
        &mut self,
        post: i64,
        group: GroupId,
        slot: Option<Timestamp>,
        due: Option<Timestamp>,
    ) -> Result<()> {
        let sql =
            "INSERT INTO post_targets (post_id, group_id, slot, due_at) VALUES ($1, $2, $3, $4)
                   ON CONFLICT (post_id, group_id) DO UPDATE SET slot = $3, due_at = $4";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(post)
            .bind(group.0)
            .bind(slot.map(to_millis))
            .bind(due.map(to_millis))
            .execute(conn)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Forgets where a post was going (it went back to draft).
    pub async fn clear_post_targets(&mut self, post: i64) -> Result<()> {
        let sql = "DELETE FROM post_targets WHERE post_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(post).execute(conn).await.map(|_| ())?);
        Ok(())
    }

    /// One target, read in this transaction.
    pub async fn post_target(&mut self, post: i64, group: GroupId) -> Result<Option<PostTarget>> {
        let sql = "SELECT post_id, group_id, slot, due_at FROM post_targets
                   WHERE post_id = $1 AND group_id = $2";
        let row: Option<TargetRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(post)
            .bind(group.0)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(target))
    }

    /// How many of a post's targets have something left to send.
    pub async fn post_targets_left(&mut self, post: i64) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM post_targets WHERE post_id = $1 AND due_at IS NOT NULL";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(post)
            .fetch_one(conn)
            .await?);
        Ok(n)
    }

    /// Records a publication. False when this slot was sent already.
    pub async fn record_post_publication(
        &mut self,
        post: i64,
        group: GroupId,
        slot: Timestamp,
        sent_at: Timestamp,
        outbox_key: &str,
    ) -> Result<bool> {
        let sql = "INSERT INTO post_publications (post_id, group_id, slot, sent_at, outbox_key)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(post)
            .bind(group.0)
            .bind(to_millis(slot))
            .bind(to_millis(sent_at))
            .bind(outbox_key)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }

    /// How many posts a group was sent in `[from, until)`.
    pub async fn post_publications_between(
        &mut self,
        group: GroupId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM post_publications
                   WHERE group_id = $1 AND sent_at >= $2 AND sent_at < $3";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(to_millis(from))
            .bind(to_millis(until))
            .fetch_one(conn)
            .await?);
        Ok(n)
    }
}
