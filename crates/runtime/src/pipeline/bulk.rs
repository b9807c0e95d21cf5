//! Removing many members in one step, safely: cleanups of members gone
//! silent (清理僵尸粉) and since-actions (everyone who joined in a window,
//! after a raid).
//!
//! Every bulk removal is first a dry run, recorded as a run with who it
//! would remove and who it spares and why (admins and moderators, the
//! group's exempt list, recent joiners, bots, Steward itself, members seen
//! before the window). Confirming recomputes the list: if it changed, the
//! run is superseded by a new dry run and nothing is done. Otherwise the
//! removals go to the outbox with due times spaced out ([`Pace`]), so the
//! platform sees a gentle trickle, each audited under the run's own audit
//! entry. Undoing stops the removals not yet made and re-invites the
//! removed: their ban lifted, a personal invite link sent in private, and
//! one more link kept for the admins to share by hand.

use std::collections::BTreeSet;

use chrono::{Duration, FixedOffset, NaiveTime};
use rand::Rng;
use serde::{Deserialize, Serialize};
use steward_core::model::GroupRole;
use steward_core::texts::BotText;
use steward_core::{
    Action, ActionId, ActionKind, AuditId, Capabilities, GroupId, LinkShare, MemberId,
    PlannedAction, Platform, Timestamp,
};
use steward_storage::audit::NewAudit;
use steward_storage::cleanups::{BulkRun, Candidate, NewBulkRun};
use steward_storage::outbox::NewAction;
use steward_storage::{StoreError, Tx};

use super::interact::Sink;
use super::{Pipeline, PipelineError};
use crate::command::SinceFrom;

/// How long a `/since` dry run can be confirmed by command.
const CONFIRM_MINUTES: i64 = 15;
/// How many names a `/since` dry run quotes.
const QUOTED_NAMES: usize = 10;
/// How long a re-invite link works.
const REINVITE_DAYS: i64 = 7;
/// The longest silence a cleanup asks about, and the longest window.
const MAX_DAYS: i64 = 3650;

/// How removals are spread out: one every `every`, each a little later at
/// random (up to `jitter`), so a platform never sees a burst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// The gap between two removals.
    pub every: std::time::Duration,
    /// Up to this much more, at random.
    pub jitter: std::time::Duration,
}

impl Default for Pace {
    /// One every three seconds or so: far below Telegram's limits, and a
    /// thousand silent members are gone within the hour.
    fn default() -> Pace {
        Pace {
            every: std::time::Duration::from_secs(3),
            jitter: std::time::Duration::from_secs(2),
        }
    }
}

impl Pace {
    /// When the `i`th action (from 0) is due, counting from `start`.
    fn due(&self, start: Timestamp, i: usize) -> Timestamp {
        let every = Duration::from_std(self.every).unwrap_or_default();
        let jitter_ms = u64::try_from(self.jitter.as_millis()).unwrap_or(u64::MAX);
        let jitter = if jitter_ms == 0 {
            0
        } else {
            rand::thread_rng().gen_range(0..jitter_ms)
        };
        start
            + every * i32::try_from(i).unwrap_or(i32::MAX)
            + Duration::milliseconds(i64::try_from(jitter).unwrap_or(0))
    }

    /// How long `n` actions take, in whole minutes (at least one).
    fn minutes(&self, n: usize) -> i64 {
        let seconds = (self.every + self.jitter).as_secs_f64() * n as f64;
        ((seconds / 60.0).ceil() as i64).max(1)
    }
}

/// What picked a run's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkCriteria {
    /// Members silent for `days` days; those who joined within
    /// `recent_days` days are spared.
    Cleanup {
        /// Days without a message.
        days: i64,
        /// Joined within this many days: spared.
        recent_days: i64,
    },
    /// Members whose join falls in `[from, to]`.
    Since {
        /// The window's start.
        from: Timestamp,
        /// Its end.
        to: Timestamp,
        /// Ban rather than remove.
        ban: bool,
    },
}

impl BulkCriteria {
    fn kind(&self) -> &'static str {
        match self {
            BulkCriteria::Cleanup { .. } => "cleanup",
            BulkCriteria::Since { .. } => "since",
        }
    }

    fn action(&self) -> ActionKind {
        match self {
            BulkCriteria::Since { ban: true, .. } => ActionKind::Ban,
            _ => ActionKind::Kick,
        }
    }

    /// The reason every removal is audited with.
    fn reason(&self) -> String {
        match self {
            BulkCriteria::Cleanup { days, .. } => format!("inactive {days} days"),
            BulkCriteria::Since { from, to, .. } => format!(
                "joined between {} and {} UTC",
                from.format("%Y-%m-%d %H:%M:%S"),
                to.format("%Y-%m-%d %H:%M:%S")
            ),
        }
    }

    /// The criteria of a stored run.
    pub fn of_run(run: &BulkRun) -> Option<BulkCriteria> {
        serde_json::from_str(&run.criteria).ok()
    }
}

/// Why a member is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Spared {
    /// Steward's own account.
    Steward,
    /// A bot.
    Bot,
    /// An admin or the owner of the group.
    Admin,
    /// A moderator or admin named in the group's settings.
    Moderator,
    /// On the group's exempt list.
    Exempt,
    /// Joined recently (cleanups).
    Recent,
    /// Seen in the group before the window (since-actions): a member who
    /// merely joined again.
    Returning,
}

impl Spared {
    /// The name stored with the run and shown on the dashboard.
    pub fn as_str(self) -> &'static str {
        match self {
            Spared::Steward => "steward",
            Spared::Bot => "bot",
            Spared::Admin => "admin",
            Spared::Moderator => "moderator",
            Spared::Exempt => "exempt",
            Spared::Recent => "recent",
            Spared::Returning => "returning",
        }
    }
}

/// A dry run: who a run would remove and who it spares.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkPlan {
    /// The run recorded for it.
    pub run: i64,
    /// Members it would remove, in order.
    pub removed: Vec<Candidate>,
    /// Members it spares, and why.
    pub spared: Vec<(Candidate, Spared)>,
}

/// What confirming a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkConfirmed {
    /// Removals queued.
    pub queued: usize,
    /// When the last is due.
    pub last_due: Option<Timestamp>,
}

/// What undoing a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkUndone {
    /// Removals stopped before they were made.
    pub cancelled: usize,
    /// Removed members re-invited.
    pub reinvited: usize,
}

/// Why a bulk request was refused.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// No such run.
    #[error("no run {0}")]
    UnknownRun(i64),
    /// No such group.
    #[error("no group {0}")]
    UnknownGroup(GroupId),
    /// The days or the window are out of range.
    #[error("{0}")]
    Invalid(&'static str),
    /// The run is not a dry run any more (confirmed, undone, superseded).
    #[error("run {0} was already confirmed or replaced")]
    NotDryRun(i64),
    /// The run was not confirmed, or was undone already.
    #[error("run {0} has nothing to undo")]
    NotConfirmed(i64),
    /// The members changed since the dry run: nothing was done, and a new
    /// dry run was recorded.
    #[error("the members changed since the dry run; see run {new_run}")]
    Changed {
        /// The new dry run.
        new_run: i64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BulkError {
    /// Whether the request was refused as asked (a 400), rather than failed.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, BulkError::Store(_))
    }
}

impl From<PipelineError> for BulkError {
    fn from(error: PipelineError) -> BulkError {
        match error {
            PipelineError::Store(e) => BulkError::Store(e),
        }
    }
}

/// The start of a `/since` window asked for at `now`; a clock time is the
/// group's (`zone`), the last time it was that time there.
pub(super) fn window_start(from: SinceFrom, now: Timestamp, zone: FixedOffset) -> Timestamp {
    match from {
        SinceFrom::Ago(ago) => now - Duration::from_std(ago).unwrap_or_default(),
        SinceFrom::At { hour, minute } => {
            let time = NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default();
            let local = now.with_timezone(&zone).date_naive().and_time(time);
            // A fixed offset maps every local time to exactly one instant.
            let today = (local - Duration::seconds(i64::from(zone.local_minus_utc()))).and_utc();
            if today > now {
                today - Duration::days(1)
            } else {
                today
            }
        }
    }
}

fn shown_name(c: &Candidate) -> String {
    c.name
        .clone()
        .or_else(|| c.username.as_ref().map(|u| format!("@{u}")))
        .unwrap_or_else(|| c.platform_id.clone())
}

impl Pipeline {
    /// Who `criteria` would remove from `group` at `now`, and who it
    /// spares.
    async fn plan(
        &self,
        tx: &mut Tx,
        group: GroupId,
        platform: Platform,
        criteria: &BulkCriteria,
        now: Timestamp,
    ) -> Result<(Vec<Candidate>, Vec<(Candidate, Spared)>), BulkError> {
        let settings = self.settings(tx, group).await?;
        let candidates = match *criteria {
            BulkCriteria::Cleanup { days, .. } => {
                tx.silent_candidates(group, now - Duration::days(days))
                    .await?
            }
            BulkCriteria::Since { from, to, ban } => {
                let mut found = tx.joined_between(group, from, to).await?;
                // Members already gone need no kick; a ban still keeps
                // them out.
                found.retain(|c| ban || !c.left);
                found
            }
        };
        let own = self
            .inner
            .own_accounts
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        let mut removed = Vec::new();
        let mut spared = Vec::new();
        for c in candidates {
            let why = if own.contains(&(platform, c.platform_id.clone())) {
                Some(Spared::Steward)
            } else if c.is_bot {
                Some(Spared::Bot)
            } else if c.role != GroupRole::Member {
                Some(Spared::Admin)
            } else if settings.admins.contains(&c.platform_id)
                || settings.moderators.contains(&c.platform_id)
            {
                Some(Spared::Moderator)
            } else if c.exempt {
                Some(Spared::Exempt)
            } else {
                match *criteria {
                    BulkCriteria::Cleanup { recent_days, .. } => c
                        .joined_at
                        .filter(|j| *j >= now - Duration::days(recent_days))
                        .map(|_| Spared::Recent),
                    BulkCriteria::Since { .. } => c.seen_before.then_some(Spared::Returning),
                }
            };
            match why {
                Some(why) => spared.push((c, why)),
                None => removed.push(c),
            }
        }
        spared.sort_by_key(|(_, why)| *why);
        Ok((removed, spared))
    }

    /// Plans and records a dry run.
    async fn dry_run_in(
        &self,
        tx: &mut Tx,
        group: GroupId,
        criteria: &BulkCriteria,
        actor: &str,
        now: Timestamp,
    ) -> Result<BulkPlan, BulkError> {
        let Some((platform, _)) = tx.group_platform_id(group).await? else {
            return Err(BulkError::UnknownGroup(group));
        };
        let (removed, spared) = self.plan(tx, group, platform, criteria, now).await?;
        let criteria_json = serde_json::to_string(criteria).unwrap_or_default();
        let run = tx
            .insert_bulk_run(&NewBulkRun {
                group,
                kind: criteria.kind(),
                action: criteria.action().as_str(),
                criteria: &criteria_json,
                reason: &criteria.reason(),
                by: actor,
                at: now,
            })
            .await?;
        for c in &removed {
            tx.insert_bulk_member(run, c.member, None).await?;
        }
        for (c, why) in &spared {
            tx.insert_bulk_member(run, c.member, Some(why.as_str()))
                .await?;
        }
        Ok(BulkPlan {
            run,
            removed,
            spared,
        })
    }

    /// A dry run of a cleanup: members of `group` silent for `days` days,
    /// sparing those who joined within `recent_days`. Recorded as a run
    /// by `actor`; nothing is removed.
    pub async fn cleanup_dry_run(
        &self,
        group: GroupId,
        days: i64,
        recent_days: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<BulkPlan, BulkError> {
        if !(1..=MAX_DAYS).contains(&days) || !(0..=MAX_DAYS).contains(&recent_days) {
            return Err(BulkError::Invalid("days must be 1 to 3650"));
        }
        let criteria = BulkCriteria::Cleanup { days, recent_days };
        self.dry_run(group, &criteria, actor, now).await
    }

    /// A dry run of a since-action: members whose join to `group` falls in
    /// `[from, to]`, removed (or banned). Nothing is removed yet.
    pub async fn since_dry_run(
        &self,
        group: GroupId,
        from: Timestamp,
        to: Timestamp,
        ban: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<BulkPlan, BulkError> {
        if from > to || to - from > Duration::days(MAX_DAYS) {
            return Err(BulkError::Invalid("the window must start before it ends"));
        }
        let criteria = BulkCriteria::Since { from, to, ban };
        self.dry_run(group, &criteria, actor, now).await
    }

    async fn dry_run(
        &self,
        group: GroupId,
        criteria: &BulkCriteria,
        actor: &str,
        now: Timestamp,
    ) -> Result<BulkPlan, BulkError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let plan = self
            .dry_run_in(&mut tx, group, criteria, actor, now)
            .await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// Confirms dry run `run` as `actor`: when the members to remove are
    /// still the same (and `expected` of them, when given), queues their
    /// removal at `pace`, audited; otherwise records a new dry run and
    /// answers [`BulkError::Changed`].
    pub async fn confirm_bulk(
        &self,
        run: i64,
        expected: Option<usize>,
        actor: &str,
        pace: Pace,
        now: Timestamp,
    ) -> Result<BulkConfirmed, BulkError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let outcome = self
            .confirm_in(&mut tx, run, expected, actor, pace, now)
            .await;
        // A changed list still commits: the new dry run is recorded.
        if matches!(outcome, Ok(_) | Err(BulkError::Changed { .. })) {
            tx.commit().await?;
        }
        drop(turn);
        if matches!(&outcome, Ok(c) if c.queued > 0) {
            self.wake_delivery();
        }
        outcome
    }

    async fn confirm_in(
        &self,
        tx: &mut Tx,
        run: i64,
        expected: Option<usize>,
        actor: &str,
        pace: Pace,
        now: Timestamp,
    ) -> Result<BulkConfirmed, BulkError> {
        let Some(stored) = tx.bulk_run(run).await? else {
            return Err(BulkError::UnknownRun(run));
        };
        if stored.status != "dry_run" {
            return Err(BulkError::NotDryRun(run));
        }
        let Some(criteria) = BulkCriteria::of_run(&stored) else {
            return Err(BulkError::Invalid("the run's criteria cannot be read"));
        };
        let Some((platform, group_pid)) = tx.group_platform_id(stored.group).await? else {
            return Err(BulkError::UnknownGroup(stored.group));
        };
        let (removed, _) = self
            .plan(tx, stored.group, platform, &criteria, now)
            .await?;
        let before: BTreeSet<MemberId> = tx
            .bulk_removed(run)
            .await?
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        let after: BTreeSet<MemberId> = removed.iter().map(|c| c.member).collect();
        if before != after || expected.is_some_and(|n| n != before.len()) {
            tx.set_bulk_status(run, "dry_run", "superseded", actor, now)
                .await?;
            let plan = self
                .dry_run_in(tx, stored.group, &criteria, actor, now)
                .await?;
            return Err(BulkError::Changed { new_run: plan.run });
        }
        if !tx
            .set_bulk_status(run, "dry_run", "confirmed", actor, now)
            .await?
        {
            return Err(BulkError::NotDryRun(run));
        }
        let kind = criteria.action();
        let audit_kind = match criteria {
            BulkCriteria::Cleanup { .. } => steward_core::AuditKind::CleanupConfirmed,
            BulkCriteria::Since { .. } => steward_core::AuditKind::SinceConfirmed,
        };
        let parent = tx
            .insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: audit_kind.as_str().to_owned(),
                group: Some(stored.group),
                target: Some(format!("run:{run} ({} members)", removed.len())),
                reason: Some(stored.reason.clone()),
                ..NewAudit::default()
            })
            .await?;
        let mut confirmed = BulkConfirmed {
            queued: 0,
            last_due: None,
        };
        if !Capabilities::of_platform(platform).supports(kind) {
            return Ok(confirmed);
        }
        for (i, c) in removed.iter().enumerate() {
            let action = match kind {
                ActionKind::Ban => Action::Ban {
                    member: c.platform_id.clone(),
                    until: None,
                },
                _ => Action::Kick {
                    member: c.platform_id.clone(),
                },
            };
            let due = pace.due(now, i);
            let key = format!("bulk:{run}:{}:remove", c.member.0);
            let outbox = queue_at(
                tx,
                Queued {
                    platform,
                    group: stored.group,
                    group_pid: &group_pid,
                    key: &key,
                    action,
                    due,
                    member: Some(c.member),
                    actor,
                    reason: &stored.reason,
                    parent,
                    now,
                },
            )
            .await?;
            tx.set_bulk_outbox(run, c.member, outbox).await?;
            confirmed.queued += 1;
            confirmed.last_due = Some(due);
        }
        Ok(confirmed)
    }

    /// Undoes confirmed run `run` as `actor`: removals not made yet are
    /// stopped; the removed have any ban lifted and, where the platform
    /// makes invite links, get a personal one in private; one more link is
    /// made for the admins to share by hand.
    pub async fn undo_bulk(
        &self,
        run: i64,
        actor: &str,
        pace: Pace,
        now: Timestamp,
    ) -> Result<BulkUndone, BulkError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(stored) = tx.bulk_run(run).await? else {
            return Err(BulkError::UnknownRun(run));
        };
        if stored.status != "confirmed"
            || !tx
                .set_bulk_status(run, "confirmed", "undone", actor, now)
                .await?
        {
            return Err(BulkError::NotConfirmed(run));
        }
        let Some((platform, group_pid)) = tx.group_platform_id(stored.group).await? else {
            return Err(BulkError::UnknownGroup(stored.group));
        };
        let lang = self.group_lang(&mut tx, stored.group).await?;
        let title = tx
            .group_title(stored.group)
            .await?
            .unwrap_or_else(|| group_pid.clone());
        let reason = format!("undo of {} #{run}", stored.kind);
        let parent = tx
            .insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: steward_core::AuditKind::BulkUndone.as_str().to_owned(),
                group: Some(stored.group),
                target: Some(format!("run:{run}")),
                reason: Some(reason.clone()),
                ..NewAudit::default()
            })
            .await?;
        let capabilities = Capabilities::of_platform(platform);
        let links = capabilities.supports(ActionKind::CreateInviteLink);
        let mut undone = BulkUndone {
            cancelled: 0,
            reinvited: 0,
        };
        let mut step = 0;
        for (member, outbox) in tx.bulk_removed(run).await? {
            let Some(outbox) = outbox else { continue };
            if tx.cancel_pending_action(outbox, now).await? {
                undone.cancelled += 1;
                continue;
            }
            if tx.action_status(outbox).await?.as_deref() != Some("done") {
                continue;
            }
            let Some(pid) = tx.member_platform_id(member).await? else {
                continue;
            };
            let mut first = None;
            let mut actions = Vec::new();
            if stored.action == ActionKind::Ban.as_str() {
                actions.push((
                    "unban",
                    Action::Unban {
                        member: pid.clone(),
                    },
                ));
            }
            if links {
                actions.push((
                    "invite",
                    Action::CreateInviteLink {
                        name: format!("Steward re-invite #{run}"),
                        purpose: "reinvite".to_owned(),
                        member: Some(pid.clone()),
                        creates_join_request: false,
                        expires: Some(now + Duration::days(REINVITE_DAYS)),
                        share: Some(LinkShare {
                            text: BotText::Reinvited { group: &title }.render(lang),
                            direct_to: Some(pid.clone()),
                            reply_to: None,
                        }),
                    },
                ));
            }
            let due = pace.due(now, step);
            step += 1;
            for (suffix, action) in actions {
                if !capabilities.supports(action.kind()) {
                    continue;
                }
                let key = format!("bulk:{run}:{}:{suffix}", member.0);
                let id = queue_at(
                    &mut tx,
                    Queued {
                        platform,
                        group: stored.group,
                        group_pid: &group_pid,
                        key: &key,
                        action,
                        due,
                        member: Some(member),
                        actor,
                        reason: &reason,
                        parent,
                        now,
                    },
                )
                .await?;
                first = first.or(id);
            }
            tx.set_bulk_undo(run, member, first).await?;
            undone.reinvited += 1;
        }
        if links && undone.reinvited > 0 {
            let key = format!("bulk:{run}:link");
            queue_at(
                &mut tx,
                Queued {
                    platform,
                    group: stored.group,
                    group_pid: &group_pid,
                    key: &key,
                    action: Action::CreateInviteLink {
                        name: format!("Steward re-invite #{run}"),
                        purpose: "reinvite".to_owned(),
                        member: None,
                        creates_join_request: false,
                        expires: Some(now + Duration::days(REINVITE_DAYS)),
                        share: None,
                    },
                    due: now,
                    member: None,
                    actor,
                    reason: &reason,
                    parent,
                    now,
                },
            )
            .await?;
            tx.set_bulk_link(run, &key).await?;
        }
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(undone)
    }

    /// Puts a member on a group's exempt list (or takes them off), audited;
    /// false when nothing changed.
    pub async fn set_exempt(
        &self,
        group: GroupId,
        member: MemberId,
        exempt: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let changed = if exempt {
            tx.add_exempt(group, member, actor, now).await?
        } else {
            tx.remove_exempt(group, member).await?
        };
        if changed {
            let kind = if exempt {
                steward_core::AuditKind::ExemptAdded
            } else {
                steward_core::AuditKind::ExemptRemoved
            };
            tx.insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: kind.as_str().to_owned(),
                group: Some(group),
                member: Some(member),
                ..NewAudit::default()
            })
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// `/since`: a dry run in the chat, or with `confirm` the removals of
    /// the last dry run (made within the last minutes with the same
    /// action); runs in the ingest transaction.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn since_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        group: GroupId,
        lang: steward_core::i18n::Lang,
        from: SinceFrom,
        ban: bool,
        confirm: bool,
        command_text: &str,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let now = sink.at;
        let actor = sink.actor.clone();
        let action = if ban {
            ActionKind::Ban
        } else {
            ActionKind::Kick
        };
        let zone = self.settings(tx, group).await?.utc_offset_at(now);
        let mut plan_criteria = BulkCriteria::Since {
            from: window_start(from, now, zone),
            to: now,
            ban,
        };
        if confirm {
            let since = now - Duration::minutes(CONFIRM_MINUTES);
            if let Some(dry) = tx
                .latest_since_dry_run(group, action.as_str(), since)
                .await?
            {
                let outcome = self
                    .confirm_in(tx, dry.id, None, &actor, Pace::default(), now)
                    .await;
                match outcome {
                    Ok(done) => {
                        let text = BotText::SinceQueued {
                            count: done.queued,
                            ban,
                            minutes: Pace::default().minutes(done.queued),
                        }
                        .render(lang);
                        return self.reply(tx, sink, text, reply_to).await;
                    }
                    Err(BulkError::Changed { new_run }) => {
                        return self
                            .since_reply(tx, sink, new_run, lang, ban, command_text, true, reply_to)
                            .await;
                    }
                    Err(BulkError::Store(e)) => return Err(e.into()),
                    Err(_) => {}
                }
                if let Some(c) = BulkCriteria::of_run(&dry) {
                    plan_criteria = c;
                }
            }
        }
        let plan = match self
            .dry_run_in(tx, group, &plan_criteria, &actor, now)
            .await
        {
            Ok(plan) => plan,
            Err(BulkError::Store(e)) => return Err(e.into()),
            Err(_) => return Ok(Vec::new()),
        };
        self.since_reply(tx, sink, plan.run, lang, ban, command_text, false, reply_to)
            .await
    }

    /// The chat's answer to a `/since` dry run.
    #[allow(clippy::too_many_arguments)]
    async fn since_reply(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        run: i64,
        lang: steward_core::i18n::Lang,
        ban: bool,
        command_text: &str,
        changed: bool,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let Some(stored) = tx.bulk_run(run).await? else {
            return Ok(Vec::new());
        };
        let from = match BulkCriteria::of_run(&stored) {
            Some(BulkCriteria::Since { from, .. }) => from,
            _ => stored.created_at,
        };
        // Shown in the group's time zone, named.
        let zone = self
            .settings(tx, stored.group)
            .await?
            .utc_offset_at(sink.at);
        let local = from.with_timezone(&zone);
        let label = steward_core::settings::zone_label(zone);
        let since = if local.date_naive() == sink.at.with_timezone(&zone).date_naive() {
            format!("{} {label}", local.format("%H:%M"))
        } else {
            format!("{} {label}", local.format("%Y-%m-%d %H:%M"))
        };
        let mut names = Vec::new();
        let mut count = 0;
        for (member, _) in tx.bulk_removed(run).await? {
            count += 1;
            if names.len() < QUOTED_NAMES
                && let Some(found) = tx.member_by_id(member).await?
            {
                names.push(
                    found
                        .name
                        .or(found.username.map(|u| format!("@{u}")))
                        .unwrap_or(found.platform_id),
                );
            }
        }
        let text = if count == 0 {
            BotText::SinceNobody { since: &since }.render(lang)
        } else {
            let typed = command_text.trim();
            let confirm = if typed.to_lowercase().ends_with("confirm") {
                typed.to_owned()
            } else {
                format!("{typed} confirm")
            };
            BotText::SinceDryRun {
                count,
                names: &names,
                ban,
                since: &since,
                confirm: &confirm,
                changed,
            }
            .render(lang)
        };
        self.reply(tx, sink, text, reply_to).await
    }
}

/// One action to queue at its own time.
struct Queued<'a> {
    platform: Platform,
    group: GroupId,
    group_pid: &'a str,
    key: &'a str,
    action: Action,
    due: Timestamp,
    member: Option<MemberId>,
    actor: &'a str,
    reason: &'a str,
    parent: AuditId,
    now: Timestamp,
}

/// Queues an action due at its time and audits it (decided now) under the
/// run's entry.
async fn queue_at(tx: &mut Tx, q: Queued<'_>) -> Result<Option<ActionId>, StoreError> {
    let planned = PlannedAction {
        group: q.group_pid.to_owned(),
        action: q.action,
    };
    // Decided now, due later: the pull API hands a waiting action out once
    // due even after the puller's cursor passed it.
    let outbox = tx
        .insert_action_due(
            &NewAction {
                platform: q.platform,
                group: q.group,
                event: None,
                idempotency_key: q.key,
                action: &planned,
                at: q.now,
            },
            q.due,
        )
        .await?;
    if outbox.is_some() {
        tx.insert_audit(&NewAudit {
            at: q.now,
            actor: q.actor.to_owned(),
            action: planned.action.kind().as_str().to_owned(),
            group: Some(q.group),
            member: q.member,
            target: planned.action.target_member().map(str::to_owned),
            reason: Some(q.reason.to_owned()),
            outbox,
            parent: Some(q.parent),
            ..NewAudit::default()
        })
        .await?;
    }
    Ok(outbox)
}

/// Display name of a candidate, for pages that list a plan.
pub fn candidate_name(c: &Candidate) -> String {
    shown_name(c)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn paced_actions_are_spaced_and_jittered_within_bounds() {
        let start = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let pace = Pace {
            every: std::time::Duration::from_secs(3),
            jitter: std::time::Duration::from_secs(1),
        };
        let dues: Vec<_> = (0..20).map(|i| pace.due(start, i)).collect();
        for (i, due) in dues.iter().enumerate() {
            let offset = (*due - start).num_milliseconds();
            let base = 3000 * i as i64;
            assert!((base..base + 1000).contains(&offset), "{i}: {offset}");
        }
        assert!(dues.windows(2).all(|w| w[1] - w[0] >= Duration::seconds(2)));
        assert_eq!(pace.minutes(30), 2);
    }

    #[test]
    fn a_clock_time_in_the_future_means_yesterday() {
        let now = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        assert_eq!(
            window_start(
                SinceFrom::At {
                    hour: 11,
                    minute: 30
                },
                now,
                utc
            ),
            Utc.with_ymd_and_hms(2024, 5, 1, 11, 30, 0).unwrap()
        );
        assert_eq!(
            window_start(
                SinceFrom::At {
                    hour: 13,
                    minute: 0
                },
                now,
                utc
            ),
            Utc.with_ymd_and_hms(2024, 4, 30, 13, 0, 0).unwrap()
        );
        assert_eq!(
            window_start(
                SinceFrom::Ago(std::time::Duration::from_secs(600)),
                now,
                utc
            ),
            Utc.with_ymd_and_hms(2024, 5, 1, 11, 50, 0).unwrap()
        );
    }

    #[test]
    fn a_clock_time_is_the_groups() {
        // 12:00 UTC is 20:00 in Shanghai: 14:30 there was 06:30 UTC today,
        // 21:00 there was 13:00 UTC yesterday.
        let now = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap();
        let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = |hour, minute| window_start(SinceFrom::At { hour, minute }, now, shanghai);
        assert_eq!(
            at(14, 30),
            Utc.with_ymd_and_hms(2024, 5, 1, 6, 30, 0).unwrap()
        );
        assert_eq!(
            at(21, 0),
            Utc.with_ymd_and_hms(2024, 4, 30, 13, 0, 0).unwrap()
        );
        // Just after local midnight, 23:50 is yesterday's.
        let now = Utc.with_ymd_and_hms(2024, 5, 1, 16, 5, 0).unwrap();
        assert_eq!(
            window_start(
                SinceFrom::At {
                    hour: 23,
                    minute: 50
                },
                now,
                shanghai
            ),
            Utc.with_ymd_and_hms(2024, 5, 1, 15, 50, 0).unwrap()
        );
    }

    #[test]
    fn criteria_round_trip_as_stored() {
        let c = BulkCriteria::Cleanup {
            days: 30,
            recent_days: 7,
        };
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, r#"{"kind":"cleanup","days":30,"recent_days":7}"#);
        assert_eq!(serde_json::from_str::<BulkCriteria>(&json).unwrap(), c);
        assert_eq!(c.reason(), "inactive 30 days");
    }
}
