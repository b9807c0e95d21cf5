//! Points (积分): the append-only ledger of every change of a member's
//! points in a group, with its reason, and daily check-ins (签到).
//!
//! A balance is the sum of a member's entries in a group; triggers on both
//! backends refuse to change or remove an entry, so a mistake is corrected
//! by another entry. An entry with a `reference` (the event, referral or
//! raffle that caused it) is written once: the same cause again is a no-op.

use steward_core::points::Reason;
use steward_core::{CommunityId, EventId, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::referrals::{MemberShown, Scope};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NewPoints<'a> {
    /// The group.
    pub group: GroupId,
    /// Whose points.
    pub member: MemberId,
    /// The change (negative: spent or taken).
    pub delta: i64,
    /// Why.
    pub reason: Reason,
    /// Words for people (an admin's reason).
    pub note: Option<&'a str>,
    /// Who made the change (`system`, `user:NAME`, `telegram:ID`).
    pub actor: &'a str,
    /// The event that caused it.
    pub event: Option<EventId>,
    /// What caused it (`event:ID`, `referral:ID`, `raffle:ID`); an entry
    /// with the same group, member, reason and reference is written once.
    pub reference: Option<&'a str>,
    /// When.
    pub at: Timestamp,
}

/// A ledger entry, with names for showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsEntry {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// Whose points.
    pub member: MemberShown,
    /// The change.
    pub delta: i64,
    /// The reason code (see [`Reason::as_str`]).
    pub reason: String,
    /// Words for people.
    pub note: Option<String>,
    /// Who made the change.
    pub actor: String,
    /// What caused it.
    pub reference: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// One line of a points leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointsLeader {
    /// The member.
    pub member: MemberShown,
    /// Their points in the period.
    pub points: i64,
}

/// A member's balance in one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBalance {
    /// The group.
    pub group: GroupId,
    /// Its title.
    pub group_title: Option<String>,
    /// The balance.
    pub balance: i64,
}

/// What a spending came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    /// Spent; the balance after.
    Spent {
        /// The entry written.
        entry: i64,
        /// The balance now.
        balance: i64,
    },
    /// The same cause was spent on before; nothing written.
    Already {
        /// The balance.
        balance: i64,
    },
    /// Refused: the balance is short of the amount.
    Short {
        /// The balance.
        balance: i64,
    },
}

/// A member's last check-in in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    /// The day, `YYYY-MM-DD` in the group's zone.
    pub day: String,
    /// The streak that day made.
    pub streak: i64,
    /// When.
    pub at: Timestamp,
}

const INSERT: &str = "INSERT INTO points_ledger
       (group_id, member_id, delta, reason, note, actor, event_id, ref, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT DO NOTHING
     RETURNING id";

/// Writes the entry only when the member's entries of the same reason
/// between $10 and $11 stay within $12 with it, and the member is not held
/// muted by newcomer screening (a CAPTCHA to solve) in the group.
const INSERT_CAPPED: &str = "INSERT INTO points_ledger
       (group_id, member_id, delta, reason, note, actor, event_id, ref, at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
     WHERE (SELECT COALESCE(SUM(delta), 0) FROM points_ledger
            WHERE group_id = $1 AND member_id = $2 AND reason = $4
              AND at >= $10 AND at < $11) + $3 <= $12
       AND NOT EXISTS (SELECT 1 FROM join_screenings
                       WHERE group_id = $1 AND member_id = $2
                         AND status = 'pending' AND kind = 'newcomer')
     ON CONFLICT DO NOTHING
     RETURNING id";

/// Writes the entry (a spending, $3 negative) only when the balance covers
/// it.
const INSERT_COVERED: &str = "INSERT INTO points_ledger
       (group_id, member_id, delta, reason, note, actor, event_id, ref, at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
     WHERE (SELECT COALESCE(SUM(delta), 0) FROM points_ledger
            WHERE group_id = $1 AND member_id = $2) + $3 >= 0
     ON CONFLICT DO NOTHING
     RETURNING id";

const BALANCE: &str = "SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM points_ledger
     WHERE group_id = $1 AND member_id = $2";

const RANK: &str = "SELECT COUNT(*) FROM (
       SELECT member_id FROM points_ledger WHERE group_id = $1
       GROUP BY member_id HAVING SUM(delta) > $2) better";

const LAST_CHECKIN: &str = "SELECT day, streak, at FROM checkins
     WHERE group_id = $1 AND member_id = $2
     ORDER BY day DESC LIMIT 1";

const LEADERS_IN_GROUP: &str = "SELECT m.id, m.platform_id, m.name, m.username,
            CAST(SUM(p.delta) AS BIGINT) AS n
     FROM points_ledger p JOIN members m ON m.id = p.member_id
     WHERE p.group_id = $1 AND p.at >= $2 AND p.at < $3
     GROUP BY m.id, m.platform_id, m.name, m.username
     HAVING SUM(p.delta) > 0
     ORDER BY n DESC, m.id
     LIMIT $4";

const LEADERS_IN_COMMUNITY: &str = "SELECT m.id, m.platform_id, m.name, m.username,
            CAST(SUM(p.delta) AS BIGINT) AS n
     FROM points_ledger p JOIN members m ON m.id = p.member_id
     JOIN groups g ON g.id = p.group_id
     WHERE g.community_id = $1 AND p.at >= $2 AND p.at < $3
     GROUP BY m.id, m.platform_id, m.name, m.username
     HAVING SUM(p.delta) > 0
     ORDER BY n DESC, m.id
     LIMIT $4";

type LeaderRow = (i64, String, Option<String>, Option<String>, i64);

fn leader(row: LeaderRow) -> PointsLeader {
    let (id, platform_id, name, username, points) = row;
    PointsLeader {
        member: MemberShown {
            id: MemberId(id),
            platform_id,
            name,
            username,
        },
        points,
    }
}

type EntryRow = (
    i64,
    i64,
    Option<String>,
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    String,
    Option<String>,
    String,
    Option<String>,
    i64,
);

fn entry(row: EntryRow) -> PointsEntry {
    let (
        id,
        group,
        group_title,
        member,
        platform_id,
        name,
        username,
        delta,
        reason,
        note,
        actor,
        reference,
        at,
    ) = row;
    PointsEntry {
        id,
        group: GroupId(group),
        group_title,
        member: MemberShown {
            id: MemberId(member),
            platform_id,
            name,
            username,
        },
        delta,
        reason,
        note,
        actor,
        reference,
        at: from_millis(at),
    }
}

fn bounds(from: Option<Timestamp>) -> (i64, i64) {
    (from.map_or(i64::MIN, to_millis), i64::MAX)
}

impl Tx {
    /// Writes an entry. Returns its id, or `None` when an entry for the
    /// same cause (`reference`) was written before.
    pub async fn add_points(&mut self, new: &NewPoints<'_>) -> Result<Option<i64>> {
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(INSERT)
            .bind(new.group.0)
            .bind(new.member.0)
            .bind(new.delta)
            .bind(new.reason.as_str())
            .bind(new.note)
            .bind(new.actor)
            .bind(new.event.map(|e| e.0))
            .bind(new.reference)
            .bind(to_millis(new.at))
            .fetch_optional(conn)
            .await?);
        Ok(id)
    }

    /// Writes an entry only if the member's entries of its reason from
    /// `from` to `to` stay within `cap` with it (the daily cap on points
    /// for messages), and they are not held muted by newcomer screening.
    /// One query. Returns whether it was written.
    pub async fn add_capped_points(
        &mut self,
        new: &NewPoints<'_>,
        from: Timestamp,
        to: Timestamp,
        cap: i64,
    ) -> Result<bool> {
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(INSERT_CAPPED)
            .bind(new.group.0)
            .bind(new.member.0)
            .bind(new.delta)
            .bind(new.reason.as_str())
            .bind(new.note)
            .bind(new.actor)
            .bind(new.event.map(|e| e.0))
            .bind(new.reference)
            .bind(to_millis(new.at))
            .bind(to_millis(from))
            .bind(to_millis(to))
            .bind(cap)
            .fetch_optional(conn)
            .await?);
        Ok(id.is_some())
    }

    /// Spends `new.delta.abs()` points, refused when the balance is short.
    /// A spending with the reference of an earlier one is not repeated.
    pub async fn spend_points(&mut self, new: &NewPoints<'_>) -> Result<Spend> {
        let delta = -new.delta.abs();
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(INSERT_COVERED)
            .bind(new.group.0)
            .bind(new.member.0)
            .bind(delta)
            .bind(new.reason.as_str())
            .bind(new.note)
            .bind(new.actor)
            .bind(new.event.map(|e| e.0))
            .bind(new.reference)
            .bind(to_millis(new.at))
            .fetch_optional(conn)
            .await?);
        let balance = self.points_balance(new.group, new.member).await?;
        Ok(match id {
            Some(entry) => Spend::Spent { entry, balance },
            None if balance + delta >= 0 && new.reference.is_some() => Spend::Already { balance },
            None => Spend::Short { balance },
        })
    }

    /// A member's balance in a group.
    pub async fn points_balance(&mut self, group: GroupId, member: MemberId) -> Result<i64> {
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(BALANCE)
            .bind(group.0)
            .bind(member.0)
            .fetch_one(conn)
            .await?);
        Ok(n)
    }

    /// A member's place in the group's all-time leaderboard: one more than
    /// the members with more points.
    pub async fn points_rank(&mut self, group: GroupId, balance: i64) -> Result<i64> {
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(RANK)
            .bind(group.0)
            .bind(balance)
            .fetch_one(conn)
            .await?);
        Ok(n + 1)
    }

    /// The top `limit` members of `group` since `from` (`None`: all time).
    pub async fn points_leaders(
        &mut self,
        group: GroupId,
        from: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<PointsLeader>> {
        let (from, to) = bounds(from);
        let rows: Vec<LeaderRow> = on_tx!(self, conn => sqlx::query_as(LEADERS_IN_GROUP)
            .bind(group.0)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(conn)
            .await?);
        Ok(rows.into_iter().map(leader).collect())
    }

    /// A member's latest check-in in a group.
    pub async fn last_checkin(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<Checkin>> {
        let row: Option<(String, i64, i64)> = on_tx!(self, conn => sqlx::query_as(LAST_CHECKIN)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(day, streak, at)| Checkin {
            day,
            streak,
            at: from_millis(at),
        }))
    }

    /// Records a check-in on `day`. Returns `false` when the member had
    /// checked in that day already.
    pub async fn record_checkin(
        &mut self,
        group: GroupId,
        member: MemberId,
        day: &str,
        streak: i64,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO checkins (group_id, member_id, day, streak, at)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(day)
            .bind(streak)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// The counted referral of `newcomer` in `group`, if any: its id, the
    /// referrer, and when the newcomer joined (for the points it earns).
    pub async fn counted_referral_of(
        &mut self,
        group: GroupId,
        newcomer: MemberId,
    ) -> Result<Option<(i64, MemberId, Timestamp)>> {
        let sql = "SELECT id, referrer_id, at FROM referrals
                   WHERE group_id = $1 AND newcomer_id = $2 AND counted = 1
                   ORDER BY id DESC LIMIT 1";
        let row: Option<(i64, i64, i64)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(newcomer.0)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(id, referrer, at)| (id, MemberId(referrer), from_millis(at))))
    }
}

impl Store {
    /// A member's balance in a group.
    pub async fn points_balance(&self, group: GroupId, member: MemberId) -> Result<i64> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(BALANCE)
            .bind(group.0)
            .bind(member.0)
            .fetch_one(pool)
            .await?);
        Ok(n)
    }

    /// A member's balances, one per group they have entries in.
    pub async fn member_points(&self, member: MemberId) -> Result<Vec<GroupBalance>> {
        let sql = "SELECT p.group_id, g.title, CAST(SUM(p.delta) AS BIGINT)
                   FROM points_ledger p JOIN groups g ON g.id = p.group_id
                   WHERE p.member_id = $1
                   GROUP BY p.group_id, g.title
                   ORDER BY p.group_id";
        let rows: Vec<(i64, Option<String>, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(member.0)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(group, group_title, balance)| GroupBalance {
                group: GroupId(group),
                group_title,
                balance,
            })
            .collect())
    }

    /// The top `limit` members in `scope` since `from` (`None`: all time).
    pub async fn points_leaderboard(
        &self,
        scope: Scope,
        from: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<PointsLeader>> {
        let (from, to) = bounds(from);
        let (sql, id) = match scope {
            Scope::Group(g) => (LEADERS_IN_GROUP, g.0),
            Scope::Community(CommunityId(c)) => (LEADERS_IN_COMMUNITY, c),
        };
        let rows: Vec<LeaderRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(leader).collect())
    }

    /// The latest entries, newest first; in one group, or everywhere.
    pub async fn recent_points(
        &self,
        group: Option<GroupId>,
        limit: i64,
    ) -> Result<Vec<PointsEntry>> {
        let sql = "SELECT p.id, p.group_id, g.title, m.id, m.platform_id, m.name, m.username,
                          p.delta, p.reason, p.note, p.actor, p.ref, p.at
                   FROM points_ledger p
                   JOIN groups g ON g.id = p.group_id
                   JOIN members m ON m.id = p.member_id
                   WHERE ($1 = 0 OR p.group_id = $1)
                   ORDER BY p.at DESC, p.id DESC
                   LIMIT $2";
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map_or(0, |g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(entry).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::both_backends;
    use chrono::{Duration, TimeZone, Utc};
    use steward_core::Platform;
    use steward_core::i18n::Lang;

    both_backends!(
        the_ledger_sums_caps_spends_and_never_changes,
        |store: Store| async move {
            let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 8, 0, 0).unwrap();
            let mut tx = store.begin().await.unwrap();
            let (group, _) = tx
                .upsert_group(Platform::Telegram, "-1", Some("G"), Lang::En, t0)
                .await
                .unwrap();
            let ann = tx
                .insert_member(Platform::Telegram, "1", Some("Ann"), None, false, t0)
                .await
                .unwrap();
            let bob = tx
                .insert_member(Platform::Telegram, "2", Some("Bob"), None, false, t0)
                .await
                .unwrap();
            let entry = |member, delta, reason, reference| NewPoints {
                group,
                member,
                delta,
                reason,
                note: None,
                actor: "system",
                event: None,
                reference,
                at: t0,
            };
            // The daily cap: 3 points a day, one at a time.
            let day = (t0, t0 + Duration::days(1));
            let references: Vec<String> = (0..5).map(|i| format!("event:{i}")).collect();
            let mut written = 0;
            for reference in &references {
                let new = entry(ann, 1, Reason::Message, Some(reference.as_str()));
                if tx.add_capped_points(&new, day.0, day.1, 3).await.unwrap() {
                    written += 1;
                }
            }
            assert_eq!(written, 3);
            // The same cause twice is written once.
            let award = entry(bob, 10, Reason::Award, Some("x"));
            assert!(tx.add_points(&award).await.unwrap().is_some());
            assert!(tx.add_points(&award).await.unwrap().is_none());
            assert_eq!(tx.points_balance(group, ann).await.unwrap(), 3);
            assert_eq!(tx.points_balance(group, bob).await.unwrap(), 10);
            assert_eq!(tx.points_rank(group, 3).await.unwrap(), 2);
            // Spending: refused when short, done when covered, not repeated.
            let spend = |amount, reference| entry(ann, amount, Reason::RaffleEntry, reference);
            assert_eq!(
                tx.spend_points(&spend(5, Some("raffle:1"))).await.unwrap(),
                Spend::Short { balance: 3 }
            );
            assert!(matches!(
                tx.spend_points(&spend(2, Some("raffle:1"))).await.unwrap(),
                Spend::Spent { balance: 1, .. }
            ));
            assert_eq!(
                tx.spend_points(&spend(1, Some("raffle:1"))).await.unwrap(),
                Spend::Already { balance: 1 }
            );
            // Check-ins: once a day.
            assert!(
                tx.record_checkin(group, ann, "2025-06-01", 1, t0)
                    .await
                    .unwrap()
            );
            assert!(
                !tx.record_checkin(group, ann, "2025-06-01", 1, t0)
                    .await
                    .unwrap()
            );
            assert!(
                tx.record_checkin(group, ann, "2025-06-02", 2, t0)
                    .await
                    .unwrap()
            );
            let last = tx.last_checkin(group, ann).await.unwrap().unwrap();
            assert_eq!((last.day.as_str(), last.streak), ("2025-06-02", 2));
            let leaders = tx.points_leaders(group, None, 10).await.unwrap();
            assert_eq!(leaders[0].member.id, bob);
            assert_eq!(leaders[1].points, 1);
            tx.commit().await.unwrap();

            let recent = store.recent_points(Some(group), 100).await.unwrap();
            assert_eq!(recent.len(), 5);
            assert_eq!(recent[0].reason, "raffle_entry");
            assert_eq!(store.member_points(ann).await.unwrap()[0].balance, 1);
            let board = store
                .points_leaderboard(Scope::Group(group), Some(t0 + Duration::hours(1)), 10)
                .await
                .unwrap();
            assert!(board.is_empty());

            // Append-only: neither UPDATE nor DELETE goes through.
            let mut tx = store.begin().await.unwrap();
            assert!(
                tx.try_change_points_for_test("UPDATE points_ledger SET delta = 100")
                    .await
                    .is_err()
            );
            drop(tx);
            let mut tx = store.begin().await.unwrap();
            assert!(
                tx.try_change_points_for_test("DELETE FROM points_ledger")
                    .await
                    .is_err()
            );
            drop(tx);
            assert_eq!(store.points_balance(group, bob).await.unwrap(), 10);
        }
    );

    impl Tx {
        async fn try_change_points_for_test(&mut self, sql: &'static str) -> Result<u64> {
            Ok(on_tx!(self, conn => sqlx::query(sql).execute(conn).await?.rows_affected()))
        }
    }
}
