//! The community's shared ban list: at the door (a listed account that
//! joins or asks to join is banned or declined, with the list's reason),
//! and changes to the list (an entry added, a file imported, a subscribed
//! list synced, an entry removed), each applied to every group of the
//! community through the outbox and audited, in one transaction.

use std::collections::HashSet;

use steward_core::audit::AuditKind;
use steward_core::model::GroupRole;
use steward_core::{
    Action, ActionKind, AuditId, Capabilities, CommunityId, IncomingEvent, MemberId, PlannedAction,
    Platform, Timestamp,
};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::ban_lists::{BanEntry, BanSource, NewBanEntry, Subscription};
use steward_storage::outbox::NewAction;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};
use crate::ban_lists::{ListEntry, SyncOutcome};

/// What adding one entry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanListAdded {
    /// The entry's id.
    pub entry: i64,
    /// The account was already on the list (its entry is now a local one,
    /// with the new reason; nothing was queued again).
    pub already: bool,
    /// Bans queued, one per group of the community on the platform.
    pub bans: usize,
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
}

/// What removing an entry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanListRemoved {
    /// The entry as it was.
    pub entry: BanEntry,
    /// Unbans queued.
    pub unbans: usize,
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
    /// A newcomer on the community's ban list is banned.
    pub(super) async fn ban_list_on_join(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        let Some((_, reason)) = tx
            .ban_entry_at_door(group.id, event.platform, &event.member.id)
            .await?
        else {
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
        let Some((_, reason)) = tx
            .ban_entry_at_door(group.id, event.platform, &event.member.id)
            .await?
        else {
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

    /// Bans a listed account in every group of the community on its
    /// platform (except where it is an admin), through the outbox; the
    /// number of bans queued.
    #[allow(clippy::too_many_arguments)]
    async fn apply_ban_entry(
        &self,
        tx: &mut Tx,
        community: CommunityId,
        entry: i64,
        platform: Platform,
        account: &str,
        reason: &str,
        actor: &str,
        parent: Option<AuditId>,
        now: Timestamp,
        unban: bool,
    ) -> Result<usize, PipelineError> {
        let kind = if unban {
            ActionKind::Unban
        } else {
            ActionKind::Ban
        };
        if !Capabilities::of_platform(platform).supports(kind) {
            return Ok(0);
        }
        let member = tx.find_member(platform, account).await?.map(|m| m.id);
        let mut queued = 0;
        for target in tx.ban_targets(community, platform, account).await? {
            // The platform refuses to ban its own admins.
            if !unban && matches!(target.role, Some(GroupRole::Admin | GroupRole::Owner)) {
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
                "banlist:{}:{entry}:{}:{}",
                community.0,
                target.group.0,
                kind.as_str()
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
                parent,
                ..NewAudit::default()
            })
            .await?;
            queued += 1;
        }
        Ok(queued)
    }

    /// Puts one account on a community's list (by hand: `actor` is
    /// `user:NAME` or `cli`) and bans it in every group of the community.
    /// An account already listed from elsewhere becomes a local entry, so it
    /// stays when its source drops it.
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
        let member = tx
            .find_member(entry.platform, &entry.account)
            .await?
            .map(|m| m.id);
        let parent = tx
            .insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: AuditKind::BanListAdded.as_str().to_owned(),
                member,
                target: Some(format!("{}:{}", entry.platform, entry.account)),
                reason: Some(entry.reason.clone()).filter(|r| !r.is_empty()),
                ..NewAudit::default()
            })
            .await?;
        let bans = self
            .apply_ban_entry(
                &mut tx,
                community,
                id,
                entry.platform,
                &entry.account,
                &entry.reason,
                actor,
                Some(parent),
                now,
                false,
            )
            .await?;
        tx.commit().await?;
        self.signal_queued(bans);
        drop(turn);
        Ok(BanListAdded {
            entry: id,
            already: false,
            bans,
        })
    }

    /// Merges entries from a file into a community's list (`source` is
    /// [`BanSource::Import`]) and bans the new ones in every group of the
    /// community. Entries already listed are left as they are. Audited as
    /// one `ban_list_imported` entry with the bans under it. Large files
    /// are best given a few hundred entries at a time (one transaction
    /// each).
    pub async fn ban_list_import(
        &self,
        community: CommunityId,
        entries: &[ListEntry],
        actor: &str,
        now: Timestamp,
    ) -> Result<BanListMerged, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
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
        let merged = self
            .merge_entries(
                &mut tx,
                community,
                entries,
                BanSource::Import,
                None,
                actor,
                Some(parent),
                now,
            )
            .await?;
        tx.commit().await?;
        self.signal_queued(merged.bans);
        drop(turn);
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
        parent: Option<AuditId>,
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
            let Some(id) = inserted else {
                merged.already += 1;
                continue;
            };
            merged.added += 1;
            merged.bans += self
                .apply_ban_entry(
                    tx,
                    community,
                    id,
                    entry.platform,
                    &entry.account,
                    &entry.reason,
                    actor,
                    parent,
                    now,
                    false,
                )
                .await?;
        }
        Ok(merged)
    }

    /// Takes an entry off a community's list; with `unban`, the account is
    /// also unbanned in every group of the community. `None`: no such entry.
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
        let member = tx
            .find_member(gone.platform, &gone.account)
            .await?
            .map(|m| m.id);
        let parent = tx
            .insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: AuditKind::BanListRemoved.as_str().to_owned(),
                member,
                target: Some(format!("{}:{}", gone.platform, gone.account)),
                reason: Some(gone.reason.clone()).filter(|r| !r.is_empty()),
                ..NewAudit::default()
            })
            .await?;
        let unbans = if unban {
            self.apply_ban_entry(
                &mut tx,
                community,
                gone.id,
                gone.platform,
                &gone.account,
                &gone.reason,
                actor,
                Some(parent),
                now,
                true,
            )
            .await?
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
    /// with the subscription) and banned, entries the source dropped are
    /// taken off (their bans stay: lifting a ban is a person's decision),
    /// and the sync is recorded. Audited only when something changed.
    pub async fn ban_list_sync(
        &self,
        subscription: &Subscription,
        entries: &[ListEntry],
        now: Timestamp,
    ) -> Result<SyncOutcome, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let community = subscription.community;
        let actor = format!("subscription:{}", subscription.id);
        let fetched: HashSet<(Platform, &str)> = entries
            .iter()
            .map(|e| (e.platform, e.account.as_str()))
            .collect();
        let mut removed = 0;
        for old in tx.subscription_entries(subscription.id).await? {
            if !fetched.contains(&(old.platform, old.account.as_str())) {
                tx.delete_ban_entry(community, old.id).await?;
                removed += 1;
            }
        }
        let mut fresh = Vec::new();
        for entry in entries {
            if tx
                .find_ban_entry(community, entry.platform, &entry.account)
                .await?
                .is_none()
            {
                fresh.push(entry.clone());
            }
        }
        let parent = if fresh.is_empty() && removed == 0 {
            None
        } else {
            Some(
                tx.insert_audit(&NewAudit {
                    at: now,
                    actor: actor.clone(),
                    action: AuditKind::BanListSynced.as_str().to_owned(),
                    target: Some(subscription.url.clone()),
                    reason: Some(format!("{} added, {removed} removed", fresh.len())),
                    ..NewAudit::default()
                })
                .await?,
            )
        };
        let merged = self
            .merge_entries(
                &mut tx,
                community,
                &fresh,
                BanSource::Subscription,
                Some(subscription.id),
                &actor,
                parent,
                now,
            )
            .await?;
        tx.record_subscription_sync(subscription.id, now, None)
            .await?;
        tx.commit().await?;
        self.signal_queued(merged.bans);
        drop(turn);
        Ok(SyncOutcome {
            fetched: entries.len(),
            added: merged.added,
            removed,
            bans: merged.bans,
        })
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
            self.inner.queued.send_modify(|q| *q = q.wrapping_add(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use steward_core::i18n::Lang;
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

    both_backends!(
        admins_are_spared_and_claimed_entries_outlive_their_source,
        |store: Store| async move {
            let pipeline = Pipeline::new(
                store.clone(),
                RuleSet::default_rules(),
                Ladder::default(),
                Lang::En,
            )
            .unwrap();
            let mut groups = Vec::new();
            for id in ["q1", "q2"] {
                groups.push(
                    pipeline
                        .configure_group(
                            Platform::Onebot,
                            id,
                            None,
                            &GroupSettings {
                                community: Some("Acme".to_owned()),
                                language: Lang::Zh,
                                chat: Default::default(),
                            },
                        )
                        .await
                        .unwrap(),
                );
            }
            let now = Utc::now();
            let mut tx = store.begin().await.unwrap();
            let boss = tx
                .insert_member(Platform::Onebot, "boss", None, None, false, now)
                .await
                .unwrap();
            tx.set_group_role(groups[0], boss, GroupRole::Admin)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let community = store.find_community("Acme").await.unwrap().unwrap().id;

            // An admin of q1 is banned only in q2.
            let added = pipeline
                .ban_list_add(community, &entry("boss"), "user:ann", now)
                .await
                .unwrap();
            assert_eq!((added.already, added.bans), (false, 1));

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
            assert_eq!((synced.added, synced.bans, synced.removed), (2, 4, 0));
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
}
