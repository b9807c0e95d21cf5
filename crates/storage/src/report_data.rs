//! The reads behind a report: roll-up sums over a range of local days, and
//! per-period counts from the tables that keep their own times (violations,
//! actions, cases, activities, tickets), for one group or every group of a
//! community.
//!
//! Every query takes the scope as two values, so one static statement
//! serves both: rows of the group `group`, or of every group whose community
//! is `community` (the other one is -1).

use steward_core::{GroupId, Timestamp};

use crate::backend::on_pool;
use crate::{Result, Store, from_millis};

/// Which groups a report reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportScope {
    group: i64,
    community: i64,
}

impl ReportScope {
    /// One group.
    pub fn group(group: GroupId) -> Self {
        Self {
            group: group.0,
            community: -1,
        }
    }

    /// Every group of a community.
    pub fn community(community: i64) -> Self {
        Self {
            group: -1,
            community,
        }
    }
}

/// A range of local days and the instants that bound it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    /// The first day number.
    pub first_day: i64,
    /// The day number after the last.
    pub end_day: i64,
    /// The first instant, in Unix milliseconds.
    pub since: i64,
    /// The instant after the last, in Unix milliseconds.
    pub until: i64,
    /// The zone's offset from UTC in milliseconds, to put timed rows on days.
    pub offset: i64,
}

/// Sums of `stats_days` over a range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySums {
    /// The day number (per-day rows only).
    pub day: i64,
    /// Messages.
    pub messages: i64,
    /// Text-only messages.
    pub text_messages: i64,
    /// Messages with links.
    pub link_messages: i64,
    /// Messages with attachments.
    pub media_messages: i64,
    /// Questions.
    pub questions: i64,
    /// Scored for sentiment.
    pub scored: i64,
    /// Negative.
    pub negative: i64,
    /// Positive.
    pub positive: i64,
    /// Joins.
    pub joins: i64,
    /// Leaves.
    pub leaves: i64,
}

type SumRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn sums((day, m, t, l, me, q, s, n, p, j, lv): SumRow) -> DaySums {
    DaySums {
        day,
        messages: m,
        text_messages: t,
        link_messages: l,
        media_messages: me,
        questions: q,
        scored: s,
        negative: n,
        positive: p,
        joins: j,
        leaves: lv,
    }
}

/// One group's main figures over a range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupSums {
    /// The group.
    pub group: i64,
    /// Messages, joins, leaves, scored and negative.
    pub sums: DaySums,
    /// Distinct members who posted.
    pub active_members: i64,
    /// Violations.
    pub violations: i64,
}

/// A violation case for the report's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseLine {
    /// When it was opened.
    pub at: Timestamp,
    /// The group's title.
    pub group: String,
    /// The member's name.
    pub member: String,
    /// The rule.
    pub rule: String,
    /// The severity.
    pub severity: String,
    /// The actions taken, as stored (a JSON list).
    pub actions: String,
    /// Its status.
    pub status: String,
}

impl Store {
    /// Sums of the roll-ups over the range: totals when `per_day` is false
    /// (one row, day 0), else one row per day that has any.
    pub async fn report_day_sums(
        &self,
        scope: ReportScope,
        range: ReportRange,
        per_day: bool,
    ) -> Result<Vec<DaySums>> {
        let sql = "SELECT CASE WHEN $5 THEN day ELSE 0 END AS d,
                          COALESCE(CAST(SUM(messages) AS BIGINT), 0), COALESCE(CAST(SUM(text_messages) AS BIGINT), 0),
                          COALESCE(CAST(SUM(link_messages) AS BIGINT), 0), COALESCE(CAST(SUM(media_messages) AS BIGINT), 0),
                          COALESCE(CAST(SUM(questions) AS BIGINT), 0), COALESCE(CAST(SUM(scored) AS BIGINT), 0),
                          COALESCE(CAST(SUM(negative) AS BIGINT), 0), COALESCE(CAST(SUM(positive) AS BIGINT), 0),
                          COALESCE(CAST(SUM(joins) AS BIGINT), 0), COALESCE(CAST(SUM(leaves) AS BIGINT), 0)
                   FROM stats_days
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND day >= $3 AND day < $4
                   GROUP BY 1
                   ORDER BY 1";
        let rows: Vec<SumRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .bind(per_day)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(sums).collect())
    }

    /// Distinct members who posted over the whole range, and per day.
    pub async fn report_active_members(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<(i64, Vec<(i64, i64)>)> {
        let total_sql = "SELECT COUNT(DISTINCT member_id) FROM stats_member_days
                         WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                           AND day >= $3 AND day < $4";
        let daily_sql = "SELECT day, COUNT(DISTINCT member_id) FROM stats_member_days
                         WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                           AND day >= $3 AND day < $4
                         GROUP BY day ORDER BY day";
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(total_sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .fetch_one(pool)
            .await?);
        let daily: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(daily_sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .fetch_all(pool)
            .await?);
        Ok((total, daily))
    }

    /// The members who posted most: id, name, messages.
    pub async fn report_top_contributors(
        &self,
        scope: ReportScope,
        range: ReportRange,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64)>> {
        let sql = "SELECT m.id, COALESCE(m.name, m.username, m.platform_id), CAST(SUM(d.messages) AS BIGINT)
                   FROM stats_member_days d JOIN members m ON m.id = d.member_id
                   WHERE d.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND d.day >= $3 AND d.day < $4 AND m.is_bot = 0
                   GROUP BY m.id, m.name, m.username, m.platform_id
                   ORDER BY 3 DESC, 1
                   LIMIT $5";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// Messages per day and local hour: (day, hour, messages).
    pub async fn report_hours(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(i64, i64, i64)>> {
        let sql = "SELECT day, hour, CAST(SUM(messages) AS BIGINT) FROM stats_hours
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND day >= $3 AND day < $4
                   GROUP BY day, hour";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .fetch_all(pool)
            .await?))
    }

    /// The most used terms: (term, messages), most first.
    pub async fn report_terms(
        &self,
        scope: ReportScope,
        range: ReportRange,
        limit: i64,
    ) -> Result<Vec<(String, i64)>> {
        let sql = "SELECT term, CAST(SUM(count) AS BIGINT) FROM stats_terms
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND day >= $3 AND day < $4
                   GROUP BY term
                   ORDER BY 2 DESC, 1
                   LIMIT $5";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .bind(limit)
            .fetch_all(pool)
            .await?))
    }

    /// How many messages used each of `terms` over the range.
    pub async fn report_term_counts(
        &self,
        scope: ReportScope,
        range: ReportRange,
        terms: &[String],
    ) -> Result<Vec<(String, i64)>> {
        let mut counts = Vec::new();
        for chunk in terms.chunks(500) {
            let rows: Vec<(String, i64)> = on_pool!(self, pool => {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT term, CAST(SUM(count) AS BIGINT) FROM stats_terms
                     WHERE group_id IN (SELECT id FROM groups WHERE id = ",
                );
                query
                    .push_bind(scope.group)
                    .push(" OR community_id = ")
                    .push_bind(scope.community)
                    .push(") AND day >= ")
                    .push_bind(range.first_day)
                    .push(" AND day < ")
                    .push_bind(range.end_day)
                    .push(" AND term IN (");
                let mut list = query.separated(", ");
                for term in chunk {
                    list.push_bind(term.as_str());
                }
                query.push(") GROUP BY term");
                query.build_query_as().fetch_all(pool).await?
            });
            counts.extend(rows);
        }
        Ok(counts)
    }

    /// Newcomer retention: of the members who joined on days
    /// `[cohort_first, cohort_end)`, how many (cohort, retained) posted on a
    /// day in `[join + lo, join + hi)` before `until_day`.
    pub async fn report_retention(
        &self,
        scope: ReportScope,
        cohort_first: i64,
        cohort_end: i64,
        lo: i64,
        hi: i64,
        until_day: i64,
    ) -> Result<(i64, i64)> {
        let sql = "SELECT COUNT(*), COALESCE(CAST(SUM(CASE WHEN EXISTS (
                          SELECT 1 FROM stats_member_days d
                          WHERE d.group_id = j.group_id AND d.member_id = j.member_id
                            AND d.day >= j.day + $5 AND d.day < j.day + $6) THEN 1 ELSE 0 END) AS BIGINT), 0)
                   FROM stats_joins j
                   WHERE j.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND j.day >= $3 AND j.day < $4";
        let row: (i64, i64) = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(cohort_first)
            .bind(cohort_end)
            .bind(lo)
            .bind(hi)
            .bind(until_day)
            .fetch_one(pool)
            .await?);
        Ok(row)
    }

    /// Members Steward knows in the scope at an instant: joined before it
    /// (or when unknown) and not left by then. Bots are not counted.
    pub async fn report_members_at(&self, scope: ReportScope, at: i64) -> Result<i64> {
        let sql = "SELECT COUNT(DISTINCT s.member_id)
                   FROM memberships s JOIN members m ON m.id = s.member_id
                   WHERE s.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND m.is_bot = 0
                     AND (s.joined_at IS NULL OR s.joined_at < $3)
                     AND (s.left_at IS NULL OR s.left_at >= $3 OR s.left_at < s.joined_at)";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(at)
            .fetch_one(pool)
            .await?))
    }

    /// Response times of the questions asked on the range's days that were
    /// answered, in milliseconds.
    pub async fn report_response_times(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<i64>> {
        let sql = "SELECT answered_at - asked_at FROM stats_questions
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND day >= $3 AND day < $4 AND answered_at IS NOT NULL";
        Ok(on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .fetch_all(pool)
            .await?))
    }

    /// Violations by rule in the range: (rule, count), most first.
    pub async fn report_violations_by_rule(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(String, i64)>> {
        let sql = "SELECT rule, COUNT(*) FROM violations
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND at >= $3 AND at < $4
                   GROUP BY rule ORDER BY 2 DESC, 1";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?))
    }

    /// Violations per local day: (day, count).
    pub async fn report_violations_by_day(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(i64, i64)>> {
        let sql = "SELECT (at + $5) / 86400000, COUNT(*) FROM violations
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND at >= $3 AND at < $4
                   GROUP BY (at + $5) / 86400000";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .bind(range.offset)
            .fetch_all(pool)
            .await?))
    }

    /// Moderation actions in the range, by kind: those decided on a
    /// violation, on a review case, or by a team member; not housekeeping
    /// (a reply deleted after a while, a newcomer muted until the CAPTCHA).
    pub async fn report_actions(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(String, i64)>> {
        let sql = "SELECT kind, COUNT(*) FROM outbox
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND created_at >= $3 AND created_at < $4
                     AND kind IN ('delete_message', 'delete_messages', 'warn', 'mute', 'kick', 'ban')
                     AND (EXISTS (SELECT 1 FROM violations v WHERE v.event_id = outbox.event_id)
                          OR idempotency_key LIKE 'case:%' OR idempotency_key LIKE 'manual:%')
                   GROUP BY kind";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?))
    }

    /// Review cases of Steward's own decisions (escalations and appeals)
    /// decided in the range, by how they ended.
    pub async fn report_case_decisions(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(String, i64)>> {
        // Members' reports are not Steward's decisions: dismissing one is
        // not a false positive.
        let sql = "SELECT status, COUNT(*) FROM cases
                   WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND decided_at >= $3 AND decided_at < $4
                     AND kind IN ('escalation', 'appeal')
                   GROUP BY status";
        Ok(on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?))
    }

    /// The period's most recent violation cases, serious first.
    pub async fn report_cases(
        &self,
        scope: ReportScope,
        range: ReportRange,
        limit: i64,
    ) -> Result<Vec<CaseLine>> {
        let sql = "SELECT c.created_at, COALESCE(g.title, g.platform_id),
                          COALESCE(m.name, m.username, m.platform_id),
                          COALESCE(c.rule, c.kind), COALESCE(c.severity, ''), c.actions, c.status
                   FROM cases c
                   JOIN groups g ON g.id = c.group_id
                   JOIN members m ON m.id = c.member_id
                   WHERE c.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND c.created_at >= $3 AND c.created_at < $4
                   ORDER BY CASE c.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                                            WHEN 'medium' THEN 2 ELSE 3 END,
                            c.created_at DESC, c.id DESC
                   LIMIT $5";
        type Row = (i64, String, String, String, String, String, String);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(at, group, member, rule, severity, actions, status)| CaseLine {
                    at: from_millis(at),
                    group,
                    member,
                    rule,
                    severity,
                    actions,
                    status,
                },
            )
            .collect())
    }

    /// Participation in the range: (check-ins, poll votes, quiz answers,
    /// raffle entries, event sign-ups, distinct participants).
    pub async fn report_participation(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<[i64; 6]> {
        let sql = "WITH acts AS (
                       SELECT 'checkin' AS k, member_id FROM checkins
                       WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                         AND at >= $3 AND at < $4
                       UNION ALL
                       SELECT p.kind, a.member_id
                       FROM (SELECT DISTINCT poll_id, idx, member_id FROM poll_answers
                             WHERE at >= $3 AND at < $4) a
                       JOIN polls p ON p.id = a.poll_id
                       WHERE p.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                       UNION ALL
                       SELECT 'raffle', e.member_id FROM raffle_entries e JOIN raffles r ON r.id = e.raffle_id
                       WHERE r.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                         AND e.at >= $3 AND e.at < $4
                       UNION ALL
                       SELECT 'signup', s.member_id FROM activity_signups s JOIN activities v ON v.id = s.activity_id
                       WHERE v.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                         AND s.at >= $3 AND s.at < $4
                   )
                   SELECT COALESCE(CAST(SUM(CASE WHEN k = 'checkin' THEN 1 ELSE 0 END) AS BIGINT), 0),
                          COALESCE(CAST(SUM(CASE WHEN k = 'poll' THEN 1 ELSE 0 END) AS BIGINT), 0),
                          COALESCE(CAST(SUM(CASE WHEN k = 'quiz' THEN 1 ELSE 0 END) AS BIGINT), 0),
                          COALESCE(CAST(SUM(CASE WHEN k = 'raffle' THEN 1 ELSE 0 END) AS BIGINT), 0),
                          COALESCE(CAST(SUM(CASE WHEN k = 'signup' THEN 1 ELSE 0 END) AS BIGINT), 0),
                          COUNT(DISTINCT member_id)
                   FROM acts";
        let row: (i64, i64, i64, i64, i64, i64) = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_one(pool)
            .await?);
        Ok([row.0, row.1, row.2, row.3, row.4, row.5])
    }

    /// Tickets: (opened, overdue alerts) in the range, the resolution times
    /// in milliseconds of those resolved in it, and their root causes.
    pub async fn report_tickets(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<(i64, i64, Vec<i64>, Vec<(String, i64)>)> {
        let counts_sql = "SELECT
                  COALESCE(CAST(SUM(CASE WHEN created_at >= $3 AND created_at < $4 THEN 1 ELSE 0 END) AS BIGINT), 0),
                  COALESCE(CAST(SUM(CASE WHEN alerted_at >= $3 AND alerted_at < $4 THEN 1 ELSE 0 END) AS BIGINT), 0)
                FROM tickets
                WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)";
        let times_sql = "SELECT resolved_at - created_at FROM tickets
                WHERE group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                  AND resolved_at >= $3 AND resolved_at < $4";
        let causes_sql =
            "SELECT t.tag, COUNT(*) FROM ticket_tags t JOIN tickets k ON k.id = t.ticket_id
                WHERE k.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                  AND k.resolved_at >= $3 AND k.resolved_at < $4
                GROUP BY t.tag ORDER BY 2 DESC, 1";
        let (opened, overdue): (i64, i64) = on_pool!(self, pool => sqlx::query_as(counts_sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_one(pool)
            .await?);
        let times: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(times_sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?);
        let causes: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(causes_sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?);
        Ok((opened, overdue, times, causes))
    }

    /// Each group's main figures over the range, for a community report.
    pub async fn report_group_sums(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<GroupSums>> {
        let sql = "SELECT g.id,
                     COALESCE((SELECT CAST(SUM(messages) AS BIGINT) FROM stats_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4), 0),
                     COALESCE((SELECT CAST(SUM(joins) AS BIGINT) FROM stats_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4), 0),
                     COALESCE((SELECT CAST(SUM(leaves) AS BIGINT) FROM stats_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4), 0),
                     COALESCE((SELECT CAST(SUM(scored) AS BIGINT) FROM stats_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4), 0),
                     COALESCE((SELECT CAST(SUM(negative) AS BIGINT) FROM stats_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4), 0),
                     (SELECT COUNT(DISTINCT member_id) FROM stats_member_days d WHERE d.group_id = g.id AND d.day >= $3 AND d.day < $4),
                     (SELECT COUNT(*) FROM violations v WHERE v.group_id = g.id AND v.at >= $5 AND v.at < $6)
                   FROM groups g
                   WHERE g.id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                   ORDER BY g.id";
        type Row = (i64, i64, i64, i64, i64, i64, i64, i64);
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .bind(range.since)
            .bind(range.until)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(group, messages, joins, leaves, scored, negative, active, violations)| {
                    GroupSums {
                        group,
                        sums: DaySums {
                            messages,
                            joins,
                            leaves,
                            scored,
                            negative,
                            ..DaySums::default()
                        },
                        active_members: active,
                        violations,
                    }
                },
            )
            .collect())
    }

    /// Sentiment and complaint alerts raised on the range's days:
    /// (at, group title, kind, detail).
    pub async fn report_alerts(
        &self,
        scope: ReportScope,
        range: ReportRange,
    ) -> Result<Vec<(Timestamp, String, String, String)>> {
        let sql = "SELECT a.at, COALESCE(g.title, g.platform_id), a.kind, a.detail
                   FROM sentiment_alerts a JOIN groups g ON g.id = a.group_id
                   WHERE a.group_id IN (SELECT id FROM groups WHERE id = $1 OR community_id = $2)
                     AND a.day >= $3 AND a.day < $4
                   ORDER BY a.at";
        let rows: Vec<(i64, String, String, String)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(scope.group)
            .bind(scope.community)
            .bind(range.first_day)
            .bind(range.end_day)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(at, g, k, d)| (from_millis(at), g, k, d))
            .collect())
    }
}
