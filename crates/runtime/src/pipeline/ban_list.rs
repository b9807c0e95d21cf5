//! The community's shared ban list: at the door (a listed account that
//! joins or asks to join is banned or declined, with the list's reason),
//! and changes to the list (an entry added, a file imported, a subscribed
//! list synced, an entry removed), each applied through the outbox and
//! audited.
//!
//! A new entry is banned at once only in the groups where Steward has seen
//! the account (a membership, present or past); in the others it is a
//! stranger, and the door check bans it if it ever joins or asks to. So a
//! list of a hundred thousand accounts queues bans only for the few that are
//! actually around.
//!
//! The account is never banned where it is staff: a group admin or owner,
//! one of the group's configured `admins` or `moderators`, or one of
//! Steward's own accounts. Each such group is skipped, counted as `spared`
//! and audited as `ban_list_spared` under the change's audit entry.
//!
//! Imports and syncs are merged [`MERGE_CHUNK`] entries per transaction,
//! taking the write turn for each, so a big list does not hold up ingest;
//! a merge cut short (a crash) leaves the chunks before it in place, and
//! merging the same list again finishes it (entries already listed are
//! skipped).
//!
//! Outbox keys are `banlist:a<audit id>:<group>:<ban|unban>:<platform>:<account>`:
//! the audit entry of the change (never reused: the audit log is
//! append-only) makes each change's actions its own, even when an entry is
//! removed and another takes its row id.

use std::collections::HashSet;

use steward_core::audit::AuditKind;
use steward_core::model::GroupRole;
use steward_core::{
    Action, ActionKind, AuditId, Capabilities, CommunityId, GroupId, IncomingEvent, MemberId,
    PlannedAction, Platform, Timestamp,
};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::ban_lists::{BanEntry, BanSource, NewBanEntry, Subscription};
use steward_storage::outbox::NewAction;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};
use crate::ban_lists::{ListEntry, SyncOutcome};

/// Entries merged (or dropped) per transaction on import and sync.
pub(crate) const MERGE_CHUNK: usize = 500;

/// What adding one entry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanListAdded {
    /// The entry's id.
    pub entry: i64,
    /// The account was already on the list (its entry is now a local one,
    /// with the new reason; nothing was queued again).
    pub already: bool,
    /// Bans queued, one per group of the community where the account is
    /// known.
    pub bans: usize,
    /// Groups where the account is staff or Steward: not banned there.
    pub spared: usize,
}

/// What merging many entries did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BanListMerged {
    /// Entries new to the list.
    pub added: usize,
    /// Entries already on it (left as they were).
    pub already: usize,
    /// Bans queued.
    pub bans: usize,
    /// Bans not made because the account is staff or Steward there.
    pub spared: usize,
}

impl BanListMerged {
    fn absorb(&mut self, other: BanListMerged) {
        self.added += other.added;
        self.already += other.already;
        self.bans += other.bans;
        self.spared += other.spared;
    }
}

/// What removing an entry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanListRemoved {
    /// The entry as it was.
    pub entry: BanEntry,
    /// Unbans queued.
    pub unbans: usize,
}

/// What applying one entry did.
#[derive(Debug, Clone, Copy, Default)]
struct Applied {
    queued: usize,
    spared: usize,
}

/// The reason an action taken for the list carries in the audit log.
fn list_reason(reason: &str) -> String {
    if reason.trim().is_empty() {
        "ban list".to_owned()
    } else {
        format!("ban list: {}", reason.trim())
    }
}

impl Pipeline {
    /// Whether `account` is one of Steward's own accounts.
    fn is_own_account(&self, platform: Platform, account: &str) -> bool {
        self.inner
            .own_accounts
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(&(platform, account.to_owned()))
    }

    /// Why `account` is not to be banned in `group` by the list: it is
    /// Steward, an admin there, or one of the group's configured admins or
    /// moderators. `None`: ban it.
    async fn spared_because(
        &self,
        tx: &mut Tx,
        group: GroupId,
        platform: Platform,
        account: &str,
        role: Option<GroupRole>,
    ) -> Result<Option<&'static str>, PipelineError> {
        if self.is_own_account(platform, account) {
            return Ok(Some("Steward's own account"));
        }
        // The platform refuses to ban its own admins anyway.
        if matches!(role, Some(GroupRole::Admin | GroupRole::Owner)) {
            return Ok(Some("an admin of the group"));
        }
        let settings = self.settings(tx, group).await?;
        if settings.admins.iter().any(|a| a == account) {
            return Ok(Some("one of the group's configured admins"));
        }
        if settings.moderators.iter().any(|m| m == account) {
            return Ok(Some("one of the group's configured moderators"));
        }
        Ok(None)
    }

    /// Audits that the list passed over `account` in `group`.
    #[allow(clippy::too_many_arguments)]
    async fn audit_spared(
        &self,
        tx: &mut Tx,
        group: GroupId,
        member: Option<MemberId>,
        account: &str,
        why: &str,
        reason: &str,
        actor: &str,
        parent: Option<AuditId>,
        event: Option<steward_core::EventId>,
        now: Timestamp,
    ) -> Result<(), PipelineError> {
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::BanListSpared.as_str().to_owned(),
            group: Some(group),
            member,
            target: Some(account.to_owned()),
            reason: Some(format!("not banned: {why} ({})", list_reason(reason))),
            parent,
            event,
            ..NewAudit::default()
        })
        .await?;
        Ok(())
    }

    /// The list's entry for a newcomer or applicant, unless the account is
    /// staff or Steward in the group (then the pass is audited).
    async fn listed_at_door(
        &self,
        tx: &mut Tx,
        sink: &Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Option<String>, PipelineError> {
        let Some((_, reason)) = tx
            .ban_entry_at_door(group.id, event.platform, &event.member.id)
            .await?
        else {
            return Ok(None);
        };
        if let Some(why) = self
            .spared_because(tx, group.id, event.platform, &event.member.id, None)
            .await?
        {
            self.audit_spared(
                tx,
                group.id,
                Some(member),
                &event.member.id,
                why,
                &reason,
                "system",
                None,
                sink.event,
                sink.at,
            )
            .await?;
            return Ok(None);
        }
        Ok(Some(reason))
    }

    /// A newcomer on the community's ban list is banned.
    pub(super) async fn ban_list_on_join(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        let Some(reason) = self.listed_at_door(tx, sink, event, group, member).await? else {
            return Ok(Step::pass());
        };
        sink.actor = "system".to_owned();
        let actions = self
            .queue(
                tx,
                sink,
                Action::Ban {
                    member: event.member.id.clone(),
                    until: None,
                },
                Some(member),
                Some(list_reason(&reason)),
            )
            .await?
            .into_iter()
            .collect();
        Ok(Step {
            actions,
            stop: true,
            held: false,
        })
    }

    /// A join request from an account on the community's ban list is
    /// declined; `None` lets the request go on to screening.
    pub(super) async fn ban_list_on_request(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        let Some(reason) = self.listed_at_door(tx, sink, event, group, member).await? else {
            return Ok(None);
        };
        sink.actor = "system".to_owned();
        // The list's reason stays in the audit log: the applicant is told
        // nothing they could use to get around it.
        let planned = self
            .queue(
                tx,
                sink,
                Action::DeclineJoin {
                    member: event.member.id.clone(),
                    reason: None,
                },
                Some(member),
                Some(list_reason(&reason)),
            )
            .await?;
        Ok(Some(planned.into_iter().collect()))
    }

    /// Bans (or unbans) a listed account in the groups of the community
    /// where it is known, through the outbox, each under `parent` in the
    /// audit log; staff and Steward are spared (bans only).
    #[allow(clippy::too_many_arguments)]
    async fn apply_ban_entry(
        &self,
        tx: &mut Tx,
        community: CommunityId,
        platform: Platform,
        account: &str,
        reason: &str,
        actor: &str,
        parent: AuditId,
        now: Timestamp,
        unban: bool,
    ) -> Result<Applied, PipelineError> {
        let kind = if unban {
            ActionKind::Unban
        } else {
            ActionKind::Ban
        };
        let mut applied = Applied::default();
        if !Capabilities::of_platform(platform).supports(kind) {
            return Ok(applied);
        }
        let targets = tx.ban_targets(community, platform, account).await?;
        if targets.is_empty() {
            return Ok(applied);
        }
        let member = tx.find_member(platform, account).await?.map(|m| m.id);
        for target in targets {
            if !unban
                && let Some(why) = self
                    .spared_because(tx, target.group, platform, account, Some(target.role))
                    .await?
            {
                self.audit_spared(
                    tx,
                    target.group,
                    member,
                    account,
                    why,
                    reason,
                    actor,
                    Some(parent),
                    None,
                    now,
                )
                .await?;
                applied.spared += 1;
                continue;
            }
            let action = if unban {
                Action::Unban {
                    member: account.to_owned(),
                }
            } else {
                Action::Ban {
                    member: account.to_owned(),
                    until: None,
                }
            };
            let planned = PlannedAction {
                group: target.platform_id.clone(),
                action,
            };
            let key = format!(
                "banlist:a{}:{}:{}:{}:{account}",
                parent.0,
                target.group.0,
                kind.as_str(),
                platform.as_str(),
            );
            let Some(outbox) = tx
                .insert_action(&NewAction {
                    platform,
                    group: target.group,
                    event: None,
                    idempotency_key: &key,
                    action: &planned,
                    at: now,
                })
                .await?
            else {
                continue;
            };
            tx.insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: kind.as_str().to_owned(),
                group: Some(target.group),
                member,
                target: Some(account.to_owned()),
                reason: Some(list_reason(reason)),
                outbox: Some(outbox),
                parent: Some(parent),
                ..NewAudit::default()
            })
            .await?;
            applied.queued += 1;
        }
        Ok(applied)
    }

    /// Puts one account on a community's list (by hand: `actor` is
    /// `user:NAME` or `cli`) and bans it in the groups of the community
    /// where it is known. An account already listed from elsewhere becomes
    /// a local entry, so it stays when its source drops it.
    pub async fn ban_list_add(
        &self,
        community: CommunityId,
        entry: &ListEntry,
        actor: &str,
        now: Timestamp,
    ) -> Result<BanListAdded, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if let Some(found) = tx
            .find_ban_entry(community, entry.platform, &entry.account)
            .await?
        {
            if found.source != BanSource::Local {
                tx.claim_ban_entry(found.id, &entry.reason, actor, now)
                    .await?;
                tx.commit().await?;
            }
            return Ok(BanListAdded {
                entry: found.id,
                already: true,
                bans: 0,
                spared: 0,
            });
        }
        let id = tx
            .insert_ban_entry(
                community,
                &NewBanEntry {
                    platform: entry.platform,
                    account: &entry.account,
                    reason: &entry.reason,
                    added_by: actor,
                    added_at: now,
                    source: BanSource::Local,
                    subscription: None,
                },
            )
            .await?
            .unwrap_or_default();
        let parent = audit_entry(
            &mut tx,
            AuditKind::BanListAdded,
            entry.platform,
            &entry.account,
            &entry.reason,
            actor,
            now,
        )
        .await?;
        let applied = self
            .apply_ban_entry(
                &mut tx,
                community,
                entry.platform,
                &entry.account,
                &entry.reason,
                actor,
                parent,
                now,
                false,
            )
            .await?;
        tx.commit().await?;
        self.signal_queued(applied.queued);
        drop(turn);
        Ok(BanListAdded {
            entry: id,
            already: false,
            bans: applied.queued,
            spared: applied.spared,
        })
    }

    /// Merges entries from a file into a community's list (`source` is
    /// [`BanSource::Import`]) and bans the new ones where they are known.
    /// Entries already listed are left as they are. Audited as one
    /// `ban_list_imported` entry with the bans under it; merged 500
    /// entries per transaction, so ingest goes on meanwhile.
    pub async fn ban_list_import(
        &self,
        community: CommunityId,
        entries: &[ListEntry],
        actor: &str,
        now: Timestamp,
    ) -> Result<BanListMerged, PipelineError> {
        self.ban_list_import_with(community, entries, actor, now, &mut |_| {})
            .await
    }

    /// [`Pipeline::ban_list_import`], calling `progress` with the number of
    /// entries of each chunk merged.
    pub async fn ban_list_import_with(
        &self,
        community: CommunityId,
        entries: &[ListEntry],
        actor: &str,
        now: Timestamp,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<BanListMerged, PipelineError> {
        let parent = {
            let _turn = self.inner.write_turn.lock().await;
            let mut tx = self.inner.store.begin().await?;
            let parent = tx
                .insert_audit(&NewAudit {
                    at: now,
                    actor: actor.to_owned(),
                    action: AuditKind::BanListImported.as_str().to_owned(),
                    target: Some(format!("{} entries", entries.len())),
                    ..NewAudit::default()
                })
                .await?;
            tx.commit().await?;
            parent
        };
        self.merge_chunked(
            community,
            entries,
            BanSource::Import,
            None,
            actor,
            parent,
            now,
            progress,
        )
        .await
    }

    /// Merges entries [`MERGE_CHUNK`] at a time, one transaction (and one
    /// write turn) each.
    #[allow(clippy::too_many_arguments)]
    async fn merge_chunked(
        &self,
        community: CommunityId,
        entries: &[ListEntry],
        source: BanSource,
        subscription: Option<i64>,
        actor: &str,
        parent: AuditId,
        now: Timestamp,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<BanListMerged, PipelineError> {
        let mut merged = BanListMerged::default();
        for chunk in entries.chunks(MERGE_CHUNK) {
            let turn = self.inner.write_turn.lock().await;
            let mut tx = self.inner.store.begin().await?;
            let part = self
                .merge_entries(
                    &mut tx,
                    community,
                    chunk,
                    source,
                    subscription,
                    actor,
                    parent,
                    now,
                )
                .await?;
            tx.commit().await?;
            self.signal_queued(part.bans);
            drop(turn);
            merged.absorb(part);
            progress(chunk.len());
        }
        Ok(merged)
    }

    #[allow(clippy::too_many_arguments)]
    async fn merge_entries(
        &self,
        tx: &mut Tx,
        community: CommunityId,
        entries: &[ListEntry],
        source: BanSource,
        subscription: Option<i64>,
        actor: &str,
        parent: AuditId,
        now: Timestamp,
    ) -> Result<BanListMerged, PipelineError> {
        let mut merged = BanListMerged::default();
        for entry in entries {
            let inserted = tx
                .insert_ban_entry(
                    community,
                    &NewBanEntry {
                        platform: entry.platform,
                        account: &entry.account,
                        reason: &entry.reason,
                        added_by: actor,
                        added_at: entry.added_at.unwrap_or(now),
                        source,
                        subscription,
                    },
                )
                .await?;
            if inserted.is_none() {
                merged.already += 1;
                continue;
            }
            merged.added += 1;
            let applied = self
                .apply_ban_entry(
                    tx,
                    community,
                    entry.platform,
                    &entry.account,
                    &entry.reason,
                    actor,
                    parent,
                    now,
                    false,
                )
                .await?;
            merged.bans += applied.queued;
            merged.spared += applied.spared;
        }
        Ok(merged)
    }

    /// Takes an entry off a community's list; with `unban`, the account is
    /// also unbanned in the groups of the community where it is known.
    /// `None`: no such entry.
    pub async fn ban_list_remove(
        &self,
        community: CommunityId,
        entry: i64,
        unban: bool,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<BanListRemoved>, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(gone) = tx.delete_ban_entry(community, entry).await? else {
            return Ok(None);
        };
        let parent = audit_entry(
            &mut tx,
            AuditKind::BanListRemoved,
            gone.platform,
            &gone.account,
            &gone.reason,
            actor,
            now,
        )
        .await?;
        let unbans = if unban {
            self.apply_ban_entry(
                &mut tx,
                community,
                gone.platform,
                &gone.account,
                &gone.reason,
                actor,
                parent,
                now,
                true,
            )
            .await?
            .queued
        } else {
            0
        };
        tx.commit().await?;
        self.signal_queued(unbans);
        drop(turn);
        Ok(Some(BanListRemoved {
            entry: gone,
            unbans,
        }))
    }

    /// Merges a subscribed list as fetched: new entries are added (marked
    /// with the subscription) and banned where known, entries the source
    /// dropped are taken off (their bans stay: lifting a ban is a person's
    /// decision), and the sync is recorded. Audited only when something
    /// changed, as one `ban_list_synced` entry (with what was planned) and
    /// the bans under it. The work is planned from a read, then done 500
    /// entries per transaction; changes made meanwhile are
    /// respected (an entry claimed by hand is not dropped, one listed
    /// meanwhile is not added twice).
    pub async fn ban_list_sync(
        &self,
        subscription: &Subscription,
        entries: &[ListEntry],
        now: Timestamp,
    ) -> Result<SyncOutcome, PipelineError> {
        let community = subscription.community;
        let actor = format!("subscription:{}", subscription.id);
        let store = &self.inner.store;
        let fetched: HashSet<(Platform, &str)> = entries
            .iter()
            .map(|e| (e.platform, e.account.as_str()))
            .collect();
        let gone: Vec<i64> = {
            let mut tx = store.begin().await?;
            let old = tx.subscription_entries(subscription.id).await?;
            drop(tx);
            old.into_iter()
                .filter(|e| !fetched.contains(&(e.platform, e.account.as_str())))
                .map(|e| e.id)
                .collect()
        };
        let listed: HashSet<(Platform, String)> = store
            .all_ban_entries(community)
            .await?
            .into_iter()
            .map(|e| (e.platform, e.account))
            .collect();
        let fresh: Vec<ListEntry> = entries
            .iter()
            .filter(|e| !listed.contains(&(e.platform, e.account.clone())))
            .cloned()
            .collect();
        let mut outcome = SyncOutcome {
            fetched: entries.len(),
            ..SyncOutcome::default()
        };
        if !fresh.is_empty() || !gone.is_empty() {
            let parent = {
                let _turn = self.inner.write_turn.lock().await;
                let mut tx = store.begin().await?;
                let parent = tx
                    .insert_audit(&NewAudit {
                        at: now,
                        actor: actor.clone(),
                        action: AuditKind::BanListSynced.as_str().to_owned(),
                        target: Some(subscription.url.clone()),
                        reason: Some(format!("{} added, {} removed", fresh.len(), gone.len())),
                        ..NewAudit::default()
                    })
                    .await?;
                tx.commit().await?;
                parent
            };
            for chunk in gone.chunks(MERGE_CHUNK) {
                let _turn = self.inner.write_turn.lock().await;
                let mut tx = store.begin().await?;
                for id in chunk {
                    if tx.delete_subscription_entry(subscription.id, *id).await? {
                        outcome.removed += 1;
                    }
                }
                tx.commit().await?;
            }
            let merged = self
                .merge_chunked(
                    community,
                    &fresh,
                    BanSource::Subscription,
                    Some(subscription.id),
                    &actor,
                    parent,
                    now,
                    &mut |_| {},
                )
                .await?;
            outcome.added = merged.added;
            outcome.bans = merged.bans;
            outcome.spared = merged.spared;
        }
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = store.begin().await?;
        tx.record_subscription_sync(subscription.id, now, None)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Records that a subscribed list could not be fetched.
    pub async fn ban_list_sync_failed(
        &self,
        subscription: i64,
        error: &str,
        now: Timestamp,
    ) -> Result<(), PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        tx.record_subscription_sync(subscription, now, Some(error))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Subscribes a community to another Steward's list; `None` when it
    /// already follows that URL. Audited.
    pub async fn ban_list_subscribe(
        &self,
        community: CommunityId,
        url: &str,
        token: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<i64>, PipelineError> {
        let store = &self.inner.store;
        let Some(id) = store
            .add_subscription(community, url, token, actor, now)
            .await?
        else {
            return Ok(None);
        };
        store
            .insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: AuditKind::BanListSubscribed.as_str().to_owned(),
                target: Some(url.to_owned()),
                ..NewAudit::default()
            })
            .await?;
        Ok(Some(id))
    }

    /// Stops following a list; the entries that came through it go too
    /// (their bans stay). Whether the subscription existed. Audited.
    pub async fn ban_list_unsubscribe(
        &self,
        community: CommunityId,
        subscription: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let Some(found) = self.inner.store.subscription(subscription).await? else {
            return Ok(false);
        };
        if found.community != community {
            return Ok(false);
        }
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if !tx.delete_subscription(community, subscription).await? {
            return Ok(false);
        }
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::BanListUnsubscribed.as_str().to_owned(),
            target: Some(found.url),
            reason: Some(format!("{} entries dropped", found.entries)),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    fn signal_queued(&self, n: usize) {
        if n > 0 {
            metrics::counter!("steward_actions_decided_total").increment(n as u64);
            self.wake_delivery();
        }
    }
}

/// Audits a change to one entry of the list (added, removed), naming the
/// account and, when Steward knows it, the member. The entry's bans are
/// audited under it.
#[allow(clippy::too_many_arguments)]
async fn audit_entry(
    tx: &mut Tx,
    kind: AuditKind,
    platform: Platform,
    account: &str,
    reason: &str,
    actor: &str,
    now: Timestamp,
) -> Result<AuditId, PipelineError> {
    let member = tx.find_member(platform, account).await?.map(|m| m.id);
    Ok(tx
        .insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: kind.as_str().to_owned(),
            member,
            target: Some(format!("{platform}:{account}")),
            reason: Some(reason.to_owned()).filter(|r| !r.is_empty()),
            ..NewAudit::default()
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use steward_core::i18n::Lang;
    use steward_core::settings::ChatSettings;
    use steward_moderation::{Ladder, RuleSet};
    use steward_storage::{Store, both_backends};

    use super::*;
    use crate::GroupSettings;

    fn entry(account: &str) -> ListEntry {
        ListEntry {
            platform: Platform::Onebot,
            account: account.to_owned(),
            reason: "spam".to_owned(),
            added_at: None,
        }
    }

    /// A pipeline with groups q1 and q2 in community Acme (q2 names `mod`
    /// as a moderator and `chief` as an admin in its settings).
    async fn acme(store: &Store) -> (Pipeline, Vec<GroupId>, CommunityId) {
        let pipeline = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        let mut groups = Vec::new();
        for id in ["q1", "q2"] {
            let chat = if id == "q2" {
                ChatSettings {
                    moderators: vec!["mod".to_owned()],
                    admins: vec!["chief".to_owned()],
                    ..ChatSettings::default()
                }
            } else {
                ChatSettings::default()
            };
            groups.push(
                pipeline
                    .configure_group(
                        Platform::Onebot,
                        id,
                        None,
                        &GroupSettings {
                            community: Some("Acme".to_owned()),
                            language: Lang::Zh,
                            chat,
                        },
                    )
                    .await
                    .unwrap(),
            );
        }
        let community = store.find_community("Acme").await.unwrap().unwrap().id;
        (pipeline, groups, community)
    }

    /// Records `account` as seen in `groups` with `role`.
    async fn seen(store: &Store, account: &str, groups: &[GroupId], role: GroupRole) {
        let mut tx = store.begin().await.unwrap();
        let member = match tx.find_member(Platform::Onebot, account).await.unwrap() {
            Some(found) => found.id,
            None => tx
                .insert_member(Platform::Onebot, account, None, None, false, Utc::now())
                .await
                .unwrap(),
        };
        for group in groups {
            tx.set_group_role(*group, member, role).await.unwrap();
        }
        tx.commit().await.unwrap();
    }

    /// The bans waiting in the outbox, as (group, account).
    async fn bans(store: &Store) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = store
            .pending_actions_after(Platform::Onebot, 0, 10_000)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|row| match row.action.action {
                Action::Ban { member, .. } => Some((row.action.group, member)),
                _ => None,
            })
            .collect();
        found.sort();
        found
    }

    both_backends!(
        admins_are_spared_and_claimed_entries_outlive_their_source,
        |store: Store| async move {
            let (pipeline, groups, community) = acme(&store).await;
            let now = Utc::now();
            seen(&store, "boss", &groups[..1], GroupRole::Admin).await;
            seen(&store, "boss", &groups[1..], GroupRole::Member).await;

            // An admin of q1 is banned only in q2, and the pass is audited.
            let added = pipeline
                .ban_list_add(community, &entry("boss"), "user:ann", now)
                .await
                .unwrap();
            assert_eq!((added.already, added.bans, added.spared), (false, 1, 1));
            assert_eq!(bans(&store).await, [("q2".to_owned(), "boss".to_owned())]);

            // A subscribed entry claimed by hand stays when the source drops it.
            let sub = store
                .add_subscription(community, "http://x/list", "", "user:ann", now)
                .await
                .unwrap()
                .unwrap();
            let subscription = store.subscription(sub).await.unwrap().unwrap();
            let synced = pipeline
                .ban_list_sync(&subscription, &[entry("s1"), entry("s2")], now)
                .await
                .unwrap();
            // Strangers everywhere: listed, and left to the door.
            assert_eq!((synced.added, synced.bans, synced.removed), (2, 0, 0));
            let claimed = pipeline
                .ban_list_add(community, &entry("s1"), "user:ann", now)
                .await
                .unwrap();
            assert!(claimed.already && claimed.bans == 0);
            let synced = pipeline
                .ban_list_sync(&subscription, &[], now)
                .await
                .unwrap();
            assert_eq!(synced.removed, 1);
            let left: Vec<(String, BanSource)> = store
                .all_ban_entries(community)
                .await
                .unwrap()
                .into_iter()
                .map(|e| (e.account, e.source))
                .collect();
            assert_eq!(
                left,
                [
                    ("boss".to_owned(), BanSource::Local),
                    ("s1".to_owned(), BanSource::Local)
                ]
            );
            // A sync that changes nothing writes nothing to the audit log.
            let before = store.count_audit().await.unwrap();
            pipeline
                .ban_list_sync(&subscription, &[], now)
                .await
                .unwrap();
            assert_eq!(store.count_audit().await.unwrap(), before);
        }
    );

    both_backends!(
        configured_staff_and_steward_are_never_banned,
        |store: Store| async move {
            let (pipeline, groups, community) = acme(&store).await;
            pipeline.add_own_account(Platform::Onebot, "steward");
            for account in ["mod", "chief", "steward", "troll"] {
                seen(&store, account, &groups, GroupRole::Member).await;
            }
            let now = Utc::now();
            // `mod` and `chief` are staff in q2 only; Steward everywhere.
            let merged = pipeline
                .ban_list_import(
                    community,
                    &[
                        entry("mod"),
                        entry("chief"),
                        entry("steward"),
                        entry("troll"),
                    ],
                    "cli",
                    now,
                )
                .await
                .unwrap();
            assert_eq!((merged.added, merged.bans, merged.spared), (4, 4, 4));
            assert_eq!(
                bans(&store).await,
                [
                    ("q1".to_owned(), "chief".to_owned()),
                    ("q1".to_owned(), "mod".to_owned()),
                    ("q1".to_owned(), "troll".to_owned()),
                    ("q2".to_owned(), "troll".to_owned()),
                ]
            );
            let audit = store
                .list_audit(&steward_storage::audit::AuditFilter {
                    limit: 100,
                    ..Default::default()
                })
                .await
                .unwrap();
            let spared: Vec<_> = audit
                .iter()
                .filter(|a| a.action == "ban_list_spared")
                .collect();
            assert_eq!(spared.len(), 4);
            assert!(spared.iter().all(|a| a.group.is_some()));
            assert!(spared.iter().any(|a| {
                a.target.as_deref() == Some("mod")
                    && a.reason
                        .as_deref()
                        .unwrap_or_default()
                        .contains("moderators")
            }));
        }
    );

    both_backends!(
        a_removed_entry_does_not_swallow_the_next_ones_bans,
        |store: Store| async move {
            // SQLite hands the highest row id out again once its row is
            // deleted: keys built from entry ids would collide.
            let (pipeline, groups, community) = acme(&store).await;
            for account in ["a1", "b2", "c3"] {
                seen(&store, account, &groups, GroupRole::Member).await;
            }
            let now = Utc::now();
            let first = pipeline
                .ban_list_add(community, &entry("a1"), "cli", now)
                .await
                .unwrap();
            let newest = pipeline
                .ban_list_add(community, &entry("b2"), "cli", now)
                .await
                .unwrap();
            assert_eq!((first.bans, newest.bans), (2, 2));
            pipeline
                .ban_list_remove(community, newest.entry, false, "cli", now)
                .await
                .unwrap()
                .unwrap();
            let next = pipeline
                .ban_list_add(community, &entry("c3"), "cli", now)
                .await
                .unwrap();
            assert_eq!(next.bans, 2);
            let queued = bans(&store).await;
            assert_eq!(
                queued.iter().filter(|(_, account)| account == "c3").count(),
                2,
                "{queued:?}"
            );
            // Putting b2 back bans it again (a new decision, a new key).
            let again = pipeline
                .ban_list_add(community, &entry("b2"), "cli", now)
                .await
                .unwrap();
            assert_eq!(again.bans, 2);
        }
    );

    both_backends!(a_big_sync_is_merged_in_chunks, |store: Store| async move {
        let (pipeline, groups, community) = acme(&store).await;
        seen(&store, "n1100", &groups[..1], GroupRole::Member).await;
        let now = Utc::now();
        let sub = store
            .add_subscription(community, "http://x/list", "", "user:ann", now)
            .await
            .unwrap()
            .unwrap();
        let subscription = store.subscription(sub).await.unwrap().unwrap();
        let list: Vec<ListEntry> = (0..1200).map(|i| entry(&format!("n{i}"))).collect();
        let synced = pipeline
            .ban_list_sync(&subscription, &list, now)
            .await
            .unwrap();
        assert_eq!((synced.fetched, synced.added, synced.bans), (1200, 1200, 1));
        assert_eq!(bans(&store).await, [("q1".to_owned(), "n1100".to_owned())]);
        let synced = pipeline
            .ban_list_sync(&subscription, &list[..100], now)
            .await
            .unwrap();
        assert_eq!((synced.added, synced.removed), (0, 1100));
        assert_eq!(store.all_ban_entries(community).await.unwrap().len(), 100);
        let found = store.subscription(sub).await.unwrap().unwrap();
        assert!(found.last_success_at.is_some());
        assert_eq!(found.last_error, None);
    });
}
