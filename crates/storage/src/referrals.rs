//! Referrals (裂变): joins credited to the member whose personal invite link
//! brought the newcomer in, or who added them; referral campaigns with a
//! start and an end; and the leaderboards read from both.
//!
//! Every attributed join is recorded, counted or not, with the reason it
//! does not count, so the dashboard can show why.

use steward_core::{CommunityId, EventId, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// Why an attributed join does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotCounted {
    /// The newcomer used their own link.
    SelfInvite,
    /// The newcomer was a member of the group before.
    Rejoin,
    /// The newcomer was already credited to someone in this group.
    AlreadyCredited,
    /// The newcomer is a bot.
    Bot,
    /// The newcomer is not let in yet (a CAPTCHA or an admin pending); the
    /// join counts when they are (see [`Tx::count_held_referral`]).
    Held,
}

impl NotCounted {
    /// Every reason.
    pub const ALL: [NotCounted; 5] = [
        NotCounted::SelfInvite,
        NotCounted::Rejoin,
        NotCounted::AlreadyCredited,
        NotCounted::Bot,
        NotCounted::Held,
    ];

    /// The name stored in the `reason` column.
    pub fn as_str(self) -> &'static str {
        match self {
            NotCounted::SelfInvite => "self",
            NotCounted::Rejoin => "rejoin",
            NotCounted::AlreadyCredited => "already_credited",
            NotCounted::Bot => "bot",
            NotCounted::Held => "held",
        }
    }

    /// The reason stored as `name`.
    pub fn parse(name: &str) -> Option<NotCounted> {
        NotCounted::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// The reason audited with the creation of a member's personal link by
/// `/invite`: how [`Tx::referral_link_asked_since`] finds it.
pub const REFERRAL_LINK_REASON: &str = "/invite: personal referral link";

/// A join to record.
#[derive(Debug, Clone)]
pub struct NewReferral {
    /// The group joined.
    pub group: GroupId,
    /// Whose link or invitation it was.
    pub referrer: MemberId,
    /// Who joined.
    pub newcomer: MemberId,
    /// The invite link used, when it was a recorded one.
    pub link: Option<i64>,
    /// `link` or `added`.
    pub source: &'static str,
    /// Why it does not count; `None` when it counts.
    pub not_counted: Option<NotCounted>,
    /// The join event.
    pub event: Option<EventId>,
    /// When.
    pub at: Timestamp,
}

/// A recorded join, with names for showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// Whose link or invitation it was.
    pub referrer: MemberShown,
    /// Who joined.
    pub newcomer: MemberShown,
    /// `link` or `added`.
    pub source: String,
    /// Whether it counts.
    pub counted: bool,
    /// Why not, as stored (see [`NotCounted::as_str`]).
    pub reason: Option<String>,
    /// When.
    pub at: Timestamp,
}

/// A member as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberShown {
    /// The member.
    pub id: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their display name.
    pub name: Option<String>,
    /// Their username.
    pub username: Option<String>,
}

impl MemberShown {
    /// The best name to show: display name, then @username, then the id.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| self.username.as_ref().map(|u| format!("@{u}")))
            .unwrap_or_else(|| self.platform_id.clone())
    }
}

/// One line of a leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    /// The referrer.
    pub member: MemberShown,
    /// Joins credited to them.
    pub count: i64,
}

/// A campaign to create.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    /// The group it runs in; `None` with `community` set for every group
    /// of a community.
    pub group: Option<GroupId>,
    /// The community it runs in, when not one group.
    pub community: Option<CommunityId>,
    /// Its name.
    pub name: &'a str,
    /// When joins start counting.
    pub starts: Timestamp,
    /// When they stop counting.
    pub ends: Timestamp,
    /// Who created it (`user:NAME`).
    pub created_by: &'a str,
    /// When.
    pub at: Timestamp,
}

/// A referral campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Its id.
    pub id: i64,
    /// The group, when it runs in one.
    pub group: Option<GroupId>,
    /// The community, when it runs in all of its groups.
    pub community: Option<CommunityId>,
    /// Its name.
    pub name: String,
    /// When joins start counting.
    pub starts: Timestamp,
    /// When they stop counting.
    pub ends: Timestamp,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
}

impl Campaign {
    /// Whether the campaign runs at `now`.
    pub fn running(&self, now: Timestamp) -> bool {
        self.starts <= now && now < self.ends
    }
}

/// Where a leaderboard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One group.
    Group(GroupId),
    /// Every group of a community.
    Community(CommunityId),
}

type CampaignRow = (i64, Option<i64>, Option<i64>, String, i64, i64, String, i64);

fn campaign(row: CampaignRow) -> Campaign {
    let (id, group, community, name, starts, ends, created_by, created_at) = row;
    Campaign {
        id,
        group: group.map(GroupId),
        community: community.map(CommunityId),
        name,
        starts: from_millis(starts),
        ends: from_millis(ends),
        created_by,
        created_at: from_millis(created_at),
    }
}

macro_rules! select_campaigns {
    ($rest:literal) => {
        concat!(
            "SELECT id, group_id, community_id, name, starts_at, ends_at, created_by, created_at
             FROM referral_campaigns ",
            $rest
        )
    };
}

type LeaderRow = (i64, String, Option<String>, Option<String>, i64);

fn leader(row: LeaderRow) -> Leader {
    let (id, platform_id, name, username, count) = row;
    Leader {
        member: MemberShown {
            id: MemberId(id),
            platform_id,
            name,
            username,
        },
        count,
    }
}

type ReferralRow = (
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
    Option<String>,
    String,
    i64,
    Option<String>,
    i64,
);

fn referral(row: ReferralRow) -> Referral {
    let (
        id,
        group,
        group_title,
        referrer,
        referrer_pid,
        referrer_name,
        referrer_username,
        newcomer,
        newcomer_pid,
        newcomer_name,
        newcomer_username,
        source,
        counted,
        reason,
        at,
    ) = row;
    Referral {
        id,
        group: GroupId(group),
        group_title,
        referrer: MemberShown {
            id: MemberId(referrer),
            platform_id: referrer_pid,
            name: referrer_name,
            username: referrer_username,
        },
        newcomer: MemberShown {
            id: MemberId(newcomer),
            platform_id: newcomer_pid,
            name: newcomer_name,
            username: newcomer_username,
        },
        source,
        counted: counted != 0,
        reason,
        at: from_millis(at),
    }
}

/// The bounds a leaderboard without a window uses.
fn window(from: Option<Timestamp>, to: Option<Timestamp>) -> (i64, i64) {
    (
        from.map_or(i64::MIN, to_millis),
        to.map_or(i64::MAX, to_millis),
    )
}

impl Tx {
    /// Records an attributed join. Returns its id.
    pub async fn record_referral(&mut self, new: &NewReferral) -> Result<i64> {
        let sql = "INSERT INTO referrals
                     (group_id, referrer_id, newcomer_id, link_id, source, counted, reason, event_id, at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                   RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.referrer.0)
            .bind(new.newcomer.0)
            .bind(new.link)
            .bind(new.source)
            .bind(i64::from(new.not_counted.is_none()))
            .bind(new.not_counted.map(NotCounted::as_str))
            .bind(new.event.map(|e| e.0))
            .bind(to_millis(new.at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// Whether the join `event` already has a referral row (counted or
    /// not).
    pub async fn referral_recorded_for(&mut self, event: EventId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM referrals WHERE event_id = $1";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(event.0)
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Counts the join of a newcomer held at the door (recorded as
    /// [`NotCounted::Held`]) now that they are let in; if someone was
    /// credited with them meanwhile, it stays uncounted as
    /// [`NotCounted::AlreadyCredited`]. Returns whether a held join was
    /// found.
    pub async fn count_held_referral(
        &mut self,
        group: GroupId,
        newcomer: MemberId,
    ) -> Result<bool> {
        let credited = self.already_credited(group, newcomer).await?;
        let sql = "UPDATE referrals SET counted = $3, reason = $4
                   WHERE id = (SELECT MAX(id) FROM referrals
                               WHERE group_id = $1 AND newcomer_id = $2 AND reason = 'held')";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(newcomer.0)
            .bind(i64::from(!credited))
            .bind(credited.then_some(NotCounted::AlreadyCredited.as_str()))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Whether `member` had Steward create a personal link in `group`
    /// (by `/invite`, audited) after `since`, answered by the platform yet
    /// or not.
    pub async fn referral_link_asked_since(
        &mut self,
        group: GroupId,
        member: MemberId,
        since: Timestamp,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM audit_log
                   WHERE member_id = $1 AND group_id = $2 AND action = 'create_invite_link'
                     AND reason = $3 AND at > $4";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(member.0)
            .bind(group.0)
            .bind(REFERRAL_LINK_REASON)
            .bind(to_millis(since))
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Whether an action was queued under one of these idempotency keys
    /// after `since`.
    pub async fn queued_since(&mut self, keys: &[&str; 2], since: Timestamp) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM outbox
                   WHERE idempotency_key IN ($1, $2) AND created_at > $3";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(keys[0])
            .bind(keys[1])
            .bind(to_millis(since))
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Whether `newcomer` was already credited to someone in `group`.
    pub async fn already_credited(&mut self, group: GroupId, newcomer: MemberId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM referrals
                   WHERE group_id = $1 AND newcomer_id = $2 AND counted = 1";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(newcomer.0)
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Whether `member` was in `group` before the event `before`: anything
    /// they did there earlier (a message, a join, a leave) except asking to
    /// join. Memberships keep only the latest join, so the events are the
    /// history that survives a leave and a rejoin.
    pub async fn was_in_group_before(
        &mut self,
        group: GroupId,
        member: MemberId,
        before: EventId,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM events
                   WHERE group_id = $1 AND member_id = $2 AND id < $3 AND kind <> 'join_request'";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(before.0)
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Whether `member` asked to join `group` before the event `before`
    /// (whoever let them in approved a request; they did not invite).
    pub async fn asked_to_join(
        &mut self,
        group: GroupId,
        member: MemberId,
        before: EventId,
    ) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM events
                   WHERE group_id = $1 AND member_id = $2 AND id < $3 AND kind = 'join_request'";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(before.0)
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// The newest referral link of `member` in `group` still working at
    /// `now`, if any.
    pub async fn referral_link_of(
        &mut self,
        group: GroupId,
        member: MemberId,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let sql = "SELECT link FROM invite_links
                   WHERE group_id = $1 AND member_id = $2 AND purpose = 'referral'
                     AND (expires_at IS NULL OR expires_at > $3)
                   ORDER BY id DESC LIMIT 1";
        let link: Option<String> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(to_millis(now))
            .fetch_optional(conn)
            .await?);
        Ok(link)
    }

    /// The campaign running in `group` at `now` (its own, or its
    /// community's), the one ending soonest first.
    pub async fn running_campaign(
        &mut self,
        group: GroupId,
        now: Timestamp,
    ) -> Result<Option<Campaign>> {
        let sql = select_campaigns!(
            "WHERE (group_id = $1 OR community_id = (SELECT community_id FROM groups WHERE id = $1))
               AND starts_at <= $2 AND ends_at > $2
             ORDER BY ends_at, id LIMIT 1"
        );
        let row: Option<CampaignRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(to_millis(now))
            .fetch_optional(conn)
            .await?);
        Ok(row.map(campaign))
    }

    /// The top `limit` referrers in `group` between `from` and `to`, read
    /// in this transaction (for the in-chat leaderboard).
    pub async fn referral_leaders(
        &mut self,
        group: GroupId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<Leader>> {
        let (from, to) = window(from, to);
        let rows: Vec<LeaderRow> = on_tx!(self, conn => sqlx::query_as(LEADERS_IN_GROUP)
            .bind(group.0)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(conn)
            .await?);
        Ok(rows.into_iter().map(leader).collect())
    }
}

const LEADERS_IN_GROUP: &str = "SELECT m.id, m.platform_id, m.name, m.username, COUNT(*) AS n
     FROM referrals r JOIN members m ON m.id = r.referrer_id
     WHERE r.group_id = $1 AND r.counted = 1 AND r.at >= $2 AND r.at < $3
     GROUP BY m.id, m.platform_id, m.name, m.username
     ORDER BY n DESC, MIN(r.at), m.id
     LIMIT $4";

const LEADERS_IN_COMMUNITY: &str = "SELECT m.id, m.platform_id, m.name, m.username, COUNT(*) AS n
     FROM referrals r JOIN members m ON m.id = r.referrer_id
     JOIN groups g ON g.id = r.group_id
     WHERE g.community_id = $1 AND r.counted = 1 AND r.at >= $2 AND r.at < $3
     GROUP BY m.id, m.platform_id, m.name, m.username
     ORDER BY n DESC, MIN(r.at), m.id
     LIMIT $4";

impl Store {
    /// The top `limit` referrers in `scope` between `from` (inclusive) and
    /// `to` (exclusive); no bounds is all time.
    pub async fn referral_leaderboard(
        &self,
        scope: Scope,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        limit: i64,
    ) -> Result<Vec<Leader>> {
        let (from, to) = window(from, to);
        let (sql, id) = match scope {
            Scope::Group(g) => (LEADERS_IN_GROUP, g.0),
            Scope::Community(c) => (LEADERS_IN_COMMUNITY, c.0),
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

    /// The campaign's leaderboard: credited joins in its window, in its
    /// group or community.
    pub async fn campaign_leaderboard(
        &self,
        campaign: &Campaign,
        limit: i64,
    ) -> Result<Vec<Leader>> {
        let scope = match (campaign.group, campaign.community) {
            (Some(g), _) => Scope::Group(g),
            (None, Some(c)) => Scope::Community(c),
            (None, None) => return Ok(Vec::new()),
        };
        self.referral_leaderboard(scope, Some(campaign.starts), Some(campaign.ends), limit)
            .await
    }

    /// The latest attributed joins, counted or not, newest first; in one
    /// group, or everywhere.
    pub async fn recent_referrals(
        &self,
        group: Option<GroupId>,
        limit: i64,
    ) -> Result<Vec<Referral>> {
        let sql = "SELECT r.id, r.group_id, g.title,
                          a.id, a.platform_id, a.name, a.username,
                          b.id, b.platform_id, b.name, b.username,
                          r.source, r.counted, r.reason, r.at
                   FROM referrals r
                   JOIN groups g ON g.id = r.group_id
                   JOIN members a ON a.id = r.referrer_id
                   JOIN members b ON b.id = r.newcomer_id
                   WHERE ($1 = 0 OR r.group_id = $1)
                   ORDER BY r.at DESC, r.id DESC
                   LIMIT $2";
        let rows: Vec<ReferralRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map_or(0, |g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(referral).collect())
    }

    /// Creates a campaign. Returns its id.
    pub async fn create_campaign(&self, new: &NewCampaign<'_>) -> Result<i64> {
        let sql = "INSERT INTO referral_campaigns
                     (group_id, community_id, name, starts_at, ends_at, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   RETURNING id";
        let id: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(new.group.map(|g| g.0))
            .bind(new.community.map(|c| c.0))
            .bind(new.name)
            .bind(to_millis(new.starts))
            .bind(to_millis(new.ends))
            .bind(new.created_by)
            .bind(to_millis(new.at))
            .fetch_one(pool)
            .await?);
        Ok(id)
    }

    /// Every campaign, newest first.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>> {
        let sql = select_campaigns!("ORDER BY starts_at DESC, id DESC");
        let rows: Vec<CampaignRow> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(campaign).collect())
    }

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>> {
        let sql = select_campaigns!("WHERE id = $1");
        let row: Option<CampaignRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        Ok(row.map(campaign))
    }

    /// Ends a campaign at `now` (one that has not ended yet). Returns
    /// whether it changed.
    pub async fn end_campaign(&self, id: i64, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE referral_campaigns
                   SET ends_at = $2, starts_at = CASE WHEN starts_at > $2 THEN $2 ELSE starts_at END
                   WHERE id = $1 AND ends_at > $2";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .bind(to_millis(now))
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Deletes a campaign (the joins it counted stay recorded). Returns
    /// whether it existed.
    pub async fn delete_campaign(&self, id: i64) -> Result<bool> {
        let sql = "DELETE FROM referral_campaigns WHERE id = $1";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::both_backends;
    use chrono::{TimeZone, Utc};
    use steward_core::Platform;
    use steward_core::i18n::Lang;

    both_backends!(a_held_join_counts_when_let_in, |store: Store| async move {
        let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
        let mut tx = store.begin().await.unwrap();
        let (group, _) = tx
            .upsert_group(Platform::Telegram, "-1", Some("G"), Lang::En, t0)
            .await
            .unwrap();
        let mut ids = Vec::new();
        for (pid, name) in [("1", "Ann"), ("2", "Neo"), ("3", "Bob")] {
            let id = tx
                .insert_member(Platform::Telegram, pid, Some(name), None, false, t0)
                .await
                .unwrap();
            ids.push(id);
        }
        let (ann, neo, bob) = (ids[0], ids[1], ids[2]);
        let held = |referrer, newcomer| NewReferral {
            group,
            referrer,
            newcomer,
            link: None,
            source: "added",
            not_counted: Some(NotCounted::Held),
            event: None,
            at: t0,
        };
        tx.record_referral(&held(ann, neo)).await.unwrap();
        assert!(!tx.already_credited(group, neo).await.unwrap());
        assert!(tx.count_held_referral(group, neo).await.unwrap());
        assert!(tx.already_credited(group, neo).await.unwrap());
        // Nothing held is left to count.
        assert!(!tx.count_held_referral(group, ann).await.unwrap());
        // Held twice (by two referrers): only the first let in counts.
        tx.record_referral(&held(ann, bob)).await.unwrap();
        tx.record_referral(&NewReferral {
            not_counted: None,
            ..held(neo, bob)
        })
        .await
        .unwrap();
        assert!(tx.count_held_referral(group, bob).await.unwrap());
        tx.commit().await.unwrap();
        let recent = store.recent_referrals(Some(group), 10).await.unwrap();
        let bobs: Vec<_> = recent.iter().filter(|r| r.newcomer.id == bob).collect();
        assert_eq!(bobs.len(), 2);
        assert_eq!(bobs.iter().filter(|r| r.counted).count(), 1);
        assert!(
            bobs.iter()
                .any(|r| r.reason.as_deref() == Some("already_credited"))
        );
    });

    #[test]
    fn reasons_round_trip() {
        for reason in NotCounted::ALL {
            assert_eq!(NotCounted::parse(reason.as_str()), Some(reason));
        }
        assert_eq!(NotCounted::parse("other"), None);
    }

    #[test]
    fn members_show_their_best_name() {
        let mut m = MemberShown {
            id: MemberId(1),
            platform_id: "42".into(),
            name: Some(" ".into()),
            username: Some("ann".into()),
        };
        assert_eq!(m.label(), "@ann");
        m.username = None;
        assert_eq!(m.label(), "42");
        m.name = Some("Ann".into());
        assert_eq!(m.label(), "Ann");
    }
}
