//! Actions the team takes by hand from the dashboard: warn, mute, unmute,
//! kick, ban and unban a member, in one group or in every group where
//! Steward has seen them.
//!
//! Like every other decision, a manual action is planned here, written to
//! the outbox and audited in one transaction; the delivery workers (or the
//! pull API) carry it out. Actions a platform cannot do, and actions against
//! a group's own admins, are skipped and reported as such.

use chrono::Duration;
use steward_core::model::GroupRole;
use steward_core::texts::BotText;
use steward_core::{Action, ActionKind, Capabilities, GroupId, MemberId, PlannedAction, Timestamp};
use steward_storage::StoreError;
use steward_storage::audit::NewAudit;
use steward_storage::outbox::NewAction;
use steward_storage::violations::NewViolation;

use super::Pipeline;

/// A warning from the dashboard counts this long, as one given by command.
const WARNING_DAYS: i64 = 30;
/// The longest mute or timed ban, in minutes: a year.
const MAX_MINUTES: i64 = 366 * 24 * 60;

/// One action queued for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualQueued {
    /// The group.
    pub group: GroupId,
    /// The action, as handed to the platform.
    pub action: PlannedAction,
}

/// A group left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualSkipped {
    /// The group.
    pub group: GroupId,
    /// `unsupported`: the platform cannot do it; `left`: the member left the
    /// group (only bans and unbans still go there); `admin`: the member is an
    /// admin or owner of the group on the platform.
    pub why: &'static str,
}

/// What a manual action did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ManualOutcome {
    /// Actions queued, one per group.
    pub queued: Vec<ManualQueued>,
    /// Groups left out.
    pub skipped: Vec<ManualSkipped>,
    /// The same request was taken before (a form sent twice): nothing new
    /// was queued or audited.
    pub repeated: bool,
}

/// Why a manual action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ManualError {
    /// Not one of warn, mute, unmute, kick, ban, unban.
    #[error("`{0}` is not an action taken by hand")]
    NotManual(&'static str),
    /// A mute without a length, or a length out of range.
    #[error("the length must be 1 to {MAX_MINUTES} minutes")]
    BadLength,
    /// The request id is empty, too long or has odd characters.
    #[error("the request id must be 1 to 64 letters, digits, `-` or `_`")]
    BadRequestId,
    /// No such member.
    #[error("no member {0}")]
    UnknownMember(MemberId),
    /// The member was never seen in that group (or in any).
    #[error("the member was never seen in that group")]
    NotInGroup,
    /// The store failed; nothing was queued.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ManualError {
    /// Whether the request was refused as asked (a 400), rather than failed.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, ManualError::Store(_))
    }
}

/// Whether the platform would refuse this against a group's admin.
fn hits_admins(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Warn | ActionKind::Mute | ActionKind::Kick | ActionKind::Ban
    )
}

impl Pipeline {
    /// Takes a manual action against `member` as `actor` (`user:NAME`):
    /// `kind` is warn, mute (`minutes` required), unmute, kick, ban
    /// (`minutes`: none is permanent) or unban; `group` is one group, or
    /// `None` for every group where the member has been seen (their
    /// community). `request` names the request (a form's one-time id), so
    /// the same request sent twice queues nothing the second time.
    ///
    /// A warning counts as a violation of the rule `manual` and is posted
    /// in the group in its language, like a warning by command.
    #[allow(clippy::too_many_arguments)]
    pub async fn manual_action(
        &self,
        member: MemberId,
        kind: ActionKind,
        minutes: Option<i64>,
        group: Option<GroupId>,
        actor: &str,
        reason: Option<&str>,
        request: &str,
        now: Timestamp,
    ) -> Result<ManualOutcome, ManualError> {
        let manual = matches!(
            kind,
            ActionKind::Warn
                | ActionKind::Mute
                | ActionKind::Unmute
                | ActionKind::Kick
                | ActionKind::Ban
                | ActionKind::Unban
        );
        if !manual {
            return Err(ManualError::NotManual(kind.as_str()));
        }
        let length = match (kind, minutes) {
            (ActionKind::Mute, None) => return Err(ManualError::BadLength),
            (ActionKind::Mute | ActionKind::Ban, Some(m)) if !(1..=MAX_MINUTES).contains(&m) => {
                return Err(ManualError::BadLength);
            }
            (ActionKind::Mute | ActionKind::Ban, Some(m)) => Some(Duration::minutes(m)),
            _ => None,
        };
        let request_ok = !request.is_empty()
            && request.len() <= 64
            && request
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !request_ok {
            return Err(ManualError::BadRequestId);
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());

        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(found) = tx.member_by_id(member).await? else {
            return Err(ManualError::UnknownMember(member));
        };
        let mut reach = tx.member_reach(member).await?;
        if let Some(group) = group {
            reach.retain(|r| r.group == group);
        }
        if reach.is_empty() {
            return Err(ManualError::NotInGroup);
        }
        let pid = found.platform_id;
        let name = found.name.or(found.username).unwrap_or_else(|| pid.clone());
        let parent = if group.is_none() {
            Some(
                tx.insert_audit(&NewAudit {
                    at: now,
                    actor: actor.to_owned(),
                    action: format!("community_{}", kind.as_str()),
                    member: Some(member),
                    target: Some(pid.clone()),
                    reason: reason.map(str::to_owned),
                    ..NewAudit::default()
                })
                .await?,
            )
        } else {
            None
        };
        let mut outcome = ManualOutcome::default();
        for target in &reach {
            // Only a ban or an unban means anything where they are gone.
            if target.left && !matches!(kind, ActionKind::Ban | ActionKind::Unban) {
                outcome.skipped.push(ManualSkipped {
                    group: target.group,
                    why: "left",
                });
                continue;
            }
            if hits_admins(kind) && target.role != GroupRole::Member {
                outcome.skipped.push(ManualSkipped {
                    group: target.group,
                    why: "admin",
                });
                continue;
            }
            if !Capabilities::of_platform(target.platform).supports(kind) {
                outcome.skipped.push(ManualSkipped {
                    group: target.group,
                    why: "unsupported",
                });
                continue;
            }
            let member_pid = pid.clone();
            let action = match kind {
                ActionKind::Warn => {
                    tx.insert_violation(&NewViolation {
                        group: target.group,
                        member,
                        event: None,
                        rule: "manual",
                        severity: "medium",
                        points: 1,
                        at: now,
                        expires_at: now + Duration::days(WARNING_DAYS),
                    })
                    .await?;
                    let standing = tx.standing(target.group, member, now).await?;
                    let text = BotText::Warned {
                        name: &name,
                        reason,
                        count: u32::try_from(standing.violations).unwrap_or(u32::MAX),
                    }
                    .render(target.language);
                    Action::Warn {
                        member: member_pid,
                        text,
                        reply_to: None,
                    }
                }
                ActionKind::Mute => Action::Mute {
                    member: member_pid,
                    until: now + length.unwrap_or_else(|| Duration::minutes(60)),
                },
                ActionKind::Unmute => Action::Unmute { member: member_pid },
                ActionKind::Kick => Action::Kick { member: member_pid },
                ActionKind::Ban => Action::Ban {
                    member: member_pid,
                    until: length.map(|l| now + l),
                },
                _ => Action::Unban { member: member_pid },
            };
            let planned = PlannedAction {
                group: target.platform_id.clone(),
                action,
            };
            let key = format!(
                "manual:{request}:{}:{}:{}:{}",
                member.0,
                kind.as_str(),
                target.group,
                outcome.queued.len()
            );
            let Some(outbox) = tx
                .insert_action(&NewAction {
                    platform: target.platform,
                    group: target.group,
                    event: None,
                    idempotency_key: &key,
                    action: &planned,
                    at: now,
                })
                .await?
            else {
                // Sent before: roll everything back, the first one stands.
                drop(tx);
                drop(turn);
                return Ok(ManualOutcome {
                    repeated: true,
                    ..ManualOutcome::default()
                });
            };
            tx.insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: kind.as_str().to_owned(),
                group: Some(target.group),
                member: Some(member),
                target: Some(pid.clone()),
                reason: reason.map(str::to_owned),
                outbox: Some(outbox),
                parent,
                ..NewAudit::default()
            })
            .await?;
            outcome.queued.push(ManualQueued {
                group: target.group,
                action: planned,
            });
        }
        tx.commit().await?;
        if !outcome.queued.is_empty() {
            metrics::counter!("steward_actions_decided_total")
                .increment(outcome.queued.len() as u64);
            self.wake_delivery();
        }
        drop(turn);
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use steward_core::Platform;
    use steward_core::i18n::Lang;
    use steward_moderation::{Ladder, RuleSet};
    use steward_storage::audit::AuditFilter;
    use steward_storage::{Store, both_backends};

    use super::*;

    /// A pipeline with Ann in two groups and Bob in none.
    async fn setup(store: &Store) -> (Pipeline, MemberId, MemberId, GroupId, GroupId) {
        let now = Utc::now();
        let mut tx = store.begin().await.unwrap();
        let (g1, _) = tx
            .upsert_group(Platform::Onebot, "g1", Some("One"), Lang::En, now)
            .await
            .unwrap();
        let (g2, _) = tx
            .upsert_group(Platform::Onebot, "g2", Some("Two"), Lang::Ru, now)
            .await
            .unwrap();
        let ann = tx
            .insert_member(Platform::Onebot, "u1", Some("Ann"), None, false, now)
            .await
            .unwrap();
        let bob = tx
            .insert_member(Platform::Onebot, "u2", Some("Bob"), None, false, now)
            .await
            .unwrap();
        tx.touch_memberships(&[(g1, ann, now, 3), (g2, ann, now, 1)])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let pipeline = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        (pipeline, ann, bob, g1, g2)
    }

    both_backends!(
        a_community_ban_reaches_every_group_once,
        |store: Store| async move {
            let (pipeline, ann, _, g1, g2) = setup(&store).await;
            let now = Utc::now();
            let outcome = pipeline
                .manual_action(
                    ann,
                    ActionKind::Ban,
                    None,
                    None,
                    "user:ann",
                    Some(" spam "),
                    "r1",
                    now,
                )
                .await
                .unwrap();
            assert!(!outcome.repeated);
            assert!(outcome.skipped.is_empty());
            let groups: Vec<GroupId> = outcome.queued.iter().map(|q| q.group).collect();
            assert_eq!(groups, [g1, g2]);
            assert!(matches!(
                &outcome.queued[1].action.action,
                Action::Ban { member, until: None } if member == "u1"
            ));
            assert_eq!(outcome.queued[1].action.group, "g2");
            let rows = store
                .pending_actions_after(Platform::Onebot, 0, 100)
                .await
                .unwrap();
            assert_eq!(rows.len(), 2);
            assert!(rows[0].idempotency_key.starts_with("manual:r1:"));
            assert!(rows[0].idempotency_key.contains(":ban:"));
            let audit = store
                .list_audit(&AuditFilter {
                    actor: Some("user:ann".to_owned()),
                    limit: 10,
                    ..AuditFilter::default()
                })
                .await
                .unwrap();
            let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
            assert_eq!(actions, ["ban", "ban", "community_ban"]);
            assert!(audit.iter().all(|a| a.reason.as_deref() == Some("spam")));
            assert!(audit[0].outbox.is_some() && audit[0].member == Some(ann));

            // The same form sent again queues nothing.
            let again = pipeline
                .manual_action(
                    ann,
                    ActionKind::Ban,
                    None,
                    None,
                    "user:ann",
                    None,
                    "r1",
                    now,
                )
                .await
                .unwrap();
            assert!(again.repeated && again.queued.is_empty());
            let rows = store
                .pending_actions_after(Platform::Onebot, 0, 100)
                .await
                .unwrap();
            assert_eq!(rows.len(), 2);
            assert_eq!(store.count_audit().await.unwrap(), 3);
        }
    );

    both_backends!(a_warning_counts_and_is_posted, |store: Store| async move {
        let (pipeline, ann, _, _, g2) = setup(&store).await;
        let now = Utc::now();
        let outcome = pipeline
            .manual_action(
                ann,
                ActionKind::Warn,
                None,
                Some(g2),
                "user:ann",
                None,
                "w1",
                now,
            )
            .await
            .unwrap();
        assert_eq!(outcome.queued.len(), 1);
        let Action::Warn { member, text, .. } = &outcome.queued[0].action.action else {
            panic!("{outcome:?}");
        };
        assert_eq!(member, "u1");
        // In the group's language.
        assert!(text.contains("Ann") && text.contains("1"), "{text}");
        assert!(text.contains("предупреждение"), "{text}");
        let mut tx = store.begin().await.unwrap();
        let standing = tx.standing(g2, ann, now).await.unwrap();
        assert_eq!(standing.violations, 1);
    });

    both_backends!(refusals_and_skips, |store: Store| async move {
        let (pipeline, ann, bob, g1, _) = setup(&store).await;
        let now = Utc::now();
        let act = |member, kind, minutes, group| {
            let pipeline = pipeline.clone();
            async move {
                pipeline
                    .manual_action(member, kind, minutes, group, "user:x", None, "x1", now)
                    .await
            }
        };
        assert!(matches!(
            act(ann, ActionKind::Mute, None, Some(g1)).await,
            Err(ManualError::BadLength)
        ));
        assert!(matches!(
            act(ann, ActionKind::Mute, Some(0), Some(g1)).await,
            Err(ManualError::BadLength)
        ));
        assert!(matches!(
            act(ann, ActionKind::DeleteMessage, None, Some(g1)).await,
            Err(ManualError::NotManual("delete_message"))
        ));
        assert!(matches!(
            act(bob, ActionKind::Unban, None, None).await,
            Err(ManualError::NotInGroup)
        ));
        assert!(matches!(
            act(MemberId(9999), ActionKind::Kick, None, None).await,
            Err(ManualError::UnknownMember(_))
        ));
        let bad_id = pipeline
            .manual_action(
                ann,
                ActionKind::Kick,
                None,
                None,
                "user:x",
                None,
                "a:b",
                now,
            )
            .await;
        assert!(matches!(bad_id, Err(ManualError::BadRequestId)));
        assert!(bad_id.unwrap_err().is_refusal());

        // A group's admin is not muted there, but can be unmuted.
        let mut tx = store.begin().await.unwrap();
        tx.set_group_role(g1, ann, GroupRole::Admin).await.unwrap();
        tx.commit().await.unwrap();
        let muted = act(ann, ActionKind::Mute, Some(10), Some(g1))
            .await
            .unwrap();
        assert!(muted.queued.is_empty());
        assert_eq!(
            muted.skipped,
            [ManualSkipped {
                group: g1,
                why: "admin"
            }]
        );
        let unmuted = act(ann, ActionKind::Unmute, None, Some(g1)).await.unwrap();
        assert_eq!(unmuted.queued.len(), 1);
        assert!(matches!(
            unmuted.queued[0].action.action,
            Action::Unmute { .. }
        ));
    });
}
