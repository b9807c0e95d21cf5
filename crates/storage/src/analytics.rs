//! The analytics roll-ups (`stats_*` tables): counts per group and local
//! day that ingest and history imports add to, so reports read a few rows
//! per day however long the history is.
//!
//! A [`Rollup`] gathers a batch's counts in memory; [`Tx::apply_rollup`]
//! adds them with one multi-row upsert per table, in the transaction that
//! stores the batch, so a roll-up never counts an event that was not
//! stored, nor misses one that was.

use std::collections::{BTreeMap, BTreeSet};

use steward_core::{GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, to_millis};

/// Rows per upsert statement (each row binds at most 12 values).
const CHUNK: usize = 500;

/// A group's counts for one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// New messages.
    pub messages: i64,
    /// Messages with text and neither links nor attachments.
    pub text_messages: i64,
    /// Messages with a link.
    pub link_messages: i64,
    /// Messages with an attachment.
    pub media_messages: i64,
    /// Messages that read as questions.
    pub questions: i64,
    /// Messages given a sentiment score.
    pub scored: i64,
    /// Of them, negative.
    pub negative: i64,
    /// Of them, positive.
    pub positive: i64,
    /// Joins.
    pub joins: i64,
    /// Leaves and removals.
    pub leaves: i64,
}

impl DayCounts {
    fn add(&mut self, other: &DayCounts) {
        self.messages += other.messages;
        self.text_messages += other.text_messages;
        self.link_messages += other.link_messages;
        self.media_messages += other.media_messages;
        self.questions += other.questions;
        self.scored += other.scored;
        self.negative += other.negative;
        self.positive += other.positive;
        self.joins += other.joins;
        self.leaves += other.leaves;
    }
}

/// A question asked, for response times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionRow {
    /// The group.
    pub group: GroupId,
    /// The platform id of the message.
    pub message_id: String,
    /// Who asked.
    pub member: MemberId,
    /// The local day it was asked.
    pub day: i64,
    /// When.
    pub asked_at: Timestamp,
    /// When another member first replied, when known already (imports).
    pub answered_at: Option<Timestamp>,
}

/// A reply to a message, which answers it if it was an open question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRow {
    /// The group.
    pub group: GroupId,
    /// The platform id of the message replied to.
    pub message_id: String,
    /// Who replied.
    pub member: MemberId,
    /// When.
    pub at: Timestamp,
}

/// How long after a question a reply still counts as its answer.
pub const ANSWER_WINDOW_MILLIS: i64 = 86_400_000;

/// Counts gathered from a batch of events, to add to the roll-ups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollup {
    /// Per group and day.
    pub days: BTreeMap<(GroupId, i64), DayCounts>,
    /// Messages per group, day and member.
    pub member_days: BTreeMap<(GroupId, i64, MemberId), i64>,
    /// Messages per group, day and local hour.
    pub hours: BTreeMap<(GroupId, i64, u8), i64>,
    /// Messages using a term, per group and day.
    pub terms: BTreeMap<(GroupId, i64, String), i64>,
    /// Joins, per group, day and member.
    pub joins: BTreeSet<(GroupId, i64, MemberId)>,
    /// Questions asked.
    pub questions: Vec<QuestionRow>,
    /// Replies, which may answer stored questions.
    pub replies: Vec<ReplyRow>,
}

impl Rollup {
    /// Whether there is nothing to add.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
            && self.member_days.is_empty()
            && self.joins.is_empty()
            && self.replies.is_empty()
    }

    /// The counts of a group's day, to add to.
    pub fn day(&mut self, group: GroupId, day: i64) -> &mut DayCounts {
        self.days.entry((group, day)).or_default()
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: Rollup) {
        for (key, counts) in other.days {
            self.days.entry(key).or_default().add(&counts);
        }
        for (key, n) in other.member_days {
            *self.member_days.entry(key).or_default() += n;
        }
        for (key, n) in other.hours {
            *self.hours.entry(key).or_default() += n;
        }
        for (key, n) in other.terms {
            *self.terms.entry(key).or_default() += n;
        }
        self.joins.extend(other.joins);
        self.questions.extend(other.questions);
        self.replies.extend(other.replies);
    }
}

impl Tx {
    /// Adds a batch's counts to the roll-ups.
    pub async fn apply_rollup(&mut self, rollup: &Rollup) -> Result<()> {
        let days: Vec<_> = rollup.days.iter().collect();
        for chunk in days.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_days (group_id, day, messages, text_messages, link_messages, media_messages, questions, scored, negative, positive, joins, leaves) ",
                );
                query.push_values(chunk, |mut row, ((group, day), c)| {
                    row.push_bind(group.0)
                        .push_bind(*day)
                        .push_bind(c.messages)
                        .push_bind(c.text_messages)
                        .push_bind(c.link_messages)
                        .push_bind(c.media_messages)
                        .push_bind(c.questions)
                        .push_bind(c.scored)
                        .push_bind(c.negative)
                        .push_bind(c.positive)
                        .push_bind(c.joins)
                        .push_bind(c.leaves);
                });
                query.push(
                    " ON CONFLICT (group_id, day) DO UPDATE SET
                      messages = stats_days.messages + excluded.messages,
                      text_messages = stats_days.text_messages + excluded.text_messages,
                      link_messages = stats_days.link_messages + excluded.link_messages,
                      media_messages = stats_days.media_messages + excluded.media_messages,
                      questions = stats_days.questions + excluded.questions,
                      scored = stats_days.scored + excluded.scored,
                      negative = stats_days.negative + excluded.negative,
                      positive = stats_days.positive + excluded.positive,
                      joins = stats_days.joins + excluded.joins,
                      leaves = stats_days.leaves + excluded.leaves",
                );
                query.build().execute(conn).await?;
            });
        }
        let member_days: Vec<_> = rollup.member_days.iter().collect();
        for chunk in member_days.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_member_days (group_id, day, member_id, messages) ",
                );
                query.push_values(chunk, |mut row, ((group, day, member), n)| {
                    row.push_bind(group.0).push_bind(*day).push_bind(member.0).push_bind(**n);
                });
                query.push(
                    " ON CONFLICT (group_id, day, member_id) DO UPDATE SET messages = stats_member_days.messages + excluded.messages",
                );
                query.build().execute(conn).await?;
            });
        }
        let hours: Vec<_> = rollup.hours.iter().collect();
        for chunk in hours.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_hours (group_id, day, hour, messages) ",
                );
                query.push_values(chunk, |mut row, ((group, day, hour), n)| {
                    row.push_bind(group.0).push_bind(*day).push_bind(i64::from(*hour)).push_bind(**n);
                });
                query.push(
                    " ON CONFLICT (group_id, day, hour) DO UPDATE SET messages = stats_hours.messages + excluded.messages",
                );
                query.build().execute(conn).await?;
            });
        }
        let terms: Vec<_> = rollup.terms.iter().collect();
        for chunk in terms.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_terms (group_id, day, term, count) ",
                );
                query.push_values(chunk, |mut row, ((group, day, term), n)| {
                    row.push_bind(group.0).push_bind(*day).push_bind(term.as_str()).push_bind(**n);
                });
                query.push(
                    " ON CONFLICT (group_id, day, term) DO UPDATE SET count = stats_terms.count + excluded.count",
                );
                query.build().execute(conn).await?;
            });
        }
        let joins: Vec<_> = rollup.joins.iter().collect();
        for chunk in joins.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_joins (group_id, day, member_id) ",
                );
                query.push_values(chunk, |mut row, (group, day, member)| {
                    row.push_bind(group.0).push_bind(*day).push_bind(member.0);
                });
                query.push(" ON CONFLICT (group_id, day, member_id) DO NOTHING");
                query.build().execute(conn).await?;
            });
        }
        for chunk in rollup.questions.chunks(CHUNK) {
            on_tx!(self, conn => {
                let mut query = sqlx::QueryBuilder::new(
                    "INSERT INTO stats_questions (group_id, message_id, member_id, day, asked_at, answered_at) ",
                );
                query.push_values(chunk, |mut row, q| {
                    row.push_bind(q.group.0)
                        .push_bind(q.message_id.as_str())
                        .push_bind(q.member.0)
                        .push_bind(q.day)
                        .push_bind(to_millis(q.asked_at))
                        .push_bind(q.answered_at.map(to_millis));
                });
                query.push(" ON CONFLICT (group_id, message_id) DO NOTHING");
                query.build().execute(conn).await?;
            });
        }
        // One reply per member and question, the earliest: several rows
        // matching one question leave it to the database which one counts.
        let mut replies: Vec<&ReplyRow> = rollup.replies.iter().collect();
        replies.sort_by(|a, b| {
            (a.group, &a.message_id, a.member, a.at).cmp(&(b.group, &b.message_id, b.member, b.at))
        });
        replies.dedup_by(|b, a| {
            a.group == b.group && a.message_id == b.message_id && a.member == b.member
        });
        for chunk in replies.chunks(CHUNK) {
            self.answer_questions(chunk).await?;
        }
        Ok(())
    }

    /// Marks stored questions answered by replies from someone else, the
    /// first time, within [`ANSWER_WINDOW_MILLIS`]: one statement for many
    /// replies (most replies answer no question, so this is mostly a miss).
    async fn answer_questions(&mut self, replies: &[&ReplyRow]) -> Result<()> {
        on_tx!(self, conn => {
            let mut query = sqlx::QueryBuilder::new(
                "UPDATE stats_questions SET answered_at = r.column4 FROM (",
            );
            query.push_values(replies, |mut row, reply| {
                row.push_bind(reply.group.0)
                    .push_bind(reply.message_id.as_str())
                    .push_bind(reply.member.0)
                    .push_bind(to_millis(reply.at));
            });
            query.push(
                ") AS r
                 WHERE stats_questions.group_id = r.column1
                   AND stats_questions.message_id = r.column2
                   AND stats_questions.answered_at IS NULL
                   AND stats_questions.member_id <> r.column3
                   AND stats_questions.asked_at <= r.column4
                   AND r.column4 - stats_questions.asked_at <= ",
            );
            query.push_bind(ANSWER_WINDOW_MILLIS);
            query.build().execute(conn).await?.rows_affected()
        });
        Ok(())
    }
}

impl Tx {
    /// Applies a past join or leave to a membership, keeping whichever time
    /// is later (history never overwrites what Steward saw since).
    pub async fn import_membership(
        &mut self,
        group: GroupId,
        member: MemberId,
        joined_at: Option<Timestamp>,
        left_at: Option<Timestamp>,
    ) -> Result<()> {
        let sql = "INSERT INTO memberships (group_id, member_id, joined_at, left_at)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (group_id, member_id) DO UPDATE SET
                     joined_at = CASE WHEN memberships.joined_at IS NULL
                                        OR memberships.joined_at < excluded.joined_at
                                      THEN COALESCE(excluded.joined_at, memberships.joined_at)
                                      ELSE memberships.joined_at END,
                     left_at = CASE WHEN memberships.left_at IS NULL
                                      OR memberships.left_at < excluded.left_at
                                    THEN COALESCE(excluded.left_at, memberships.left_at)
                                    ELSE memberships.left_at END";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(joined_at.map(to_millis))
            .bind(left_at.map(to_millis))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }
}

impl Store {
    /// Drops one group's terms used in only one message of a day, for the
    /// days `[from_day, before_day)`: they never make a trend, and they are
    /// most of the rows. One group at a time, along the primary key, so no
    /// statement holds the write lock for long.
    pub async fn compact_terms(
        &self,
        group: GroupId,
        from_day: i64,
        before_day: i64,
    ) -> Result<u64> {
        let sql = "DELETE FROM stats_terms
                   WHERE group_id = $1 AND day >= $2 AND day < $3 AND count <= 1";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(group.0)
            .bind(from_day)
            .bind(before_day)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n)
    }
}

/// A group's sentiment counts on one local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoodDay {
    /// The group.
    pub group: GroupId,
    /// The local day number.
    pub day: i64,
    /// Messages scored.
    pub scored: i64,
    /// Of them, negative.
    pub negative: i64,
}

impl Store {
    /// Every group's scored and negative messages per day from `first_day`
    /// on, for the mood watch.
    pub async fn mood_days(&self, first_day: i64) -> Result<Vec<MoodDay>> {
        let sql = "SELECT group_id, day, scored, negative FROM stats_days
                   WHERE day >= $1 AND scored > 0 ORDER BY group_id, day";
        // stats_days_day keeps this a range read, not a scan of all history.
        let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(first_day)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(group, day, scored, negative)| MoodDay {
                group: GroupId(group),
                day,
                scored,
                negative,
            })
            .collect())
    }

    /// When each complaint ticket opened since `since` was opened, by group.
    pub async fn complaints_since(&self, since: Timestamp) -> Result<Vec<(GroupId, Timestamp)>> {
        let sql = "SELECT group_id, created_at FROM tickets
                   WHERE category = 'complaint' AND created_at >= $1 ORDER BY group_id";
        let rows: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(to_millis(since))
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(g, at)| (GroupId(g), crate::from_millis(at)))
            .collect())
    }

    /// Whether a scheduled report was already sent.
    pub async fn report_delivered(&self, scope: &str, period: &str, label: &str) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM report_deliveries WHERE scope = $1 AND period = $2 AND label = $3";
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(scope)
            .bind(period)
            .bind(label)
            .fetch_one(pool)
            .await?);
        Ok(n > 0)
    }
}

impl Tx {
    /// Records a mood or complaint alert for a group's day; false when one
    /// of that kind was raised that day already.
    pub async fn record_alert(
        &mut self,
        group: GroupId,
        kind: &str,
        day: i64,
        at: Timestamp,
        detail: &str,
    ) -> Result<bool> {
        let sql = "INSERT INTO sentiment_alerts (group_id, kind, day, at, detail) VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (group_id, kind, day) DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(kind)
            .bind(day)
            .bind(to_millis(at))
            .bind(detail)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Records that a scheduled report was sent; false when it was already.
    pub async fn record_report_delivery(
        &mut self,
        scope: &str,
        period: &str,
        label: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO report_deliveries (scope, period, label, at) VALUES ($1, $2, $3, $4)
                   ON CONFLICT (scope, period, label) DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(scope)
            .bind(period)
            .bind(label)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}
