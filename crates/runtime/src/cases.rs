//! Deciding cases in the review queue: confirm what was done, change the
//! penalty, or dismiss the case and reverse what can be reversed (a mute is
//! lifted, a ban undone, the violation no longer counts). Every decision and
//! every reversal is queued through the outbox and audited.

use chrono::Duration;
use steward_classifier::Label;
use steward_core::{Action, Capabilities, PlannedAction, Timestamp};
use steward_moderation::Penalty;
use steward_storage::StoreError;
use steward_storage::audit::NewAudit;
use steward_storage::cases::CaseRow;
use steward_storage::outbox::NewAction;

use crate::Pipeline;

/// What an admin decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseDecision {
    /// What was done stands.
    Confirm,
    /// It was wrong: reverse it.
    Dismiss,
    /// Replace the penalty with another.
    Change(Penalty),
}

/// Why a decision could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No such case.
    #[error("no case {0}")]
    NotFound(i64),
    /// Someone decided it already.
    #[error("case {0} is already decided")]
    AlreadyDecided(i64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseOutcome {
    /// The case's new status.
    pub status: &'static str,
    /// Actions queued to carry it out.
    pub actions: Vec<PlannedAction>,
    /// The text of the message at the heart of the case, for the classifier.
    pub text: Option<String>,
}

/// The actions that undo `taken`, where anything can be undone.
pub fn reversals(taken: &[PlannedAction]) -> Vec<PlannedAction> {
    taken
        .iter()
        .filter_map(|planned| {
            let action = match &planned.action {
                Action::Mute { member, .. } => Action::Unmute {
                    member: member.clone(),
                },
                Action::Ban { member, .. } => Action::Unban {
                    member: member.clone(),
                },
                _ => return None,
            };
            Some(PlannedAction {
                group: planned.group.clone(),
                action,
            })
        })
        .collect()
}

impl Pipeline {
    /// Decides an open case as `actor` (`user:NAME`).
    pub async fn decide_case(
        &self,
        id: i64,
        decision: CaseDecision,
        actor: &str,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<CaseOutcome, CaseError> {
        let mut tx = self.store().begin().await?;
        let case = tx.case(id).await?.ok_or(CaseError::NotFound(id))?;
        let status = match decision {
            CaseDecision::Confirm => "confirmed",
            CaseDecision::Dismiss => "dismissed",
            CaseDecision::Change(_) => "changed",
        };
        if !tx.decide_case(id, status, actor, reason, now).await? {
            return Err(CaseError::AlreadyDecided(id));
        }
        let Some((platform, group_platform_id)) = tx.group_platform_id(case.group).await? else {
            return Err(CaseError::NotFound(id));
        };
        let member_platform_id = tx
            .member_platform_id(case.member)
            .await?
            .unwrap_or_default();
        let mut actions = Vec::new();
        if decision != CaseDecision::Confirm {
            actions.extend(reversals(&case.actions));
            if let Some(event) = case.event {
                tx.delete_violations_for_event(event).await?;
            }
        }
        if let CaseDecision::Change(penalty) = decision {
            actions.extend(penalty_actions(
                penalty,
                &group_platform_id,
                &member_platform_id,
                now,
            ));
        }
        let capabilities = Capabilities::of_platform(platform);
        actions.retain(|a| capabilities.supports(a.action.kind()));
        let why = format!(
            "case {id} {status}{}",
            reason.map(|r| format!(": {r}")).unwrap_or_default()
        );
        for (idx, action) in actions.iter().enumerate() {
            let key = format!("case:{id}:{status}:{idx}");
            let outbox = tx
                .insert_action(&NewAction {
                    platform,
                    group: case.group,
                    event: case.event,
                    idempotency_key: &key,
                    action,
                    at: now,
                })
                .await?;
            tx.insert_audit(&NewAudit {
                at: now,
                actor: actor.to_owned(),
                action: action.action.kind().as_str().to_owned(),
                group: Some(case.group),
                member: Some(case.member),
                target: action.action.target_member().map(str::to_owned),
                reason: Some(why.clone()),
                rule: case.rule.clone(),
                event: case.event,
                outbox,
                ..NewAudit::default()
            })
            .await?;
        }
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: format!("case_{status}"),
            group: Some(case.group),
            member: Some(case.member),
            target: Some(format!("case:{id}")),
            reason: Some(why),
            rule: case.rule.clone(),
            event: case.event,
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        // The admin's judgement teaches the classifier: a confirmed
        // escalation was spam, a dismissed one was not.
        let text = message_text(&case);
        if let (Some(text), "escalation") = (&text, case.kind.as_str()) {
            let label = match decision {
                CaseDecision::Dismiss => Some(Label::Ham),
                CaseDecision::Confirm => Some(Label::Spam),
                CaseDecision::Change(_) => None,
            };
            if let Some(label) = label
                && let Err(err) = self.learn(text, label).await
            {
                tracing::warn!(case = id, error = %err, "the classifier could not learn from a decision");
            }
        }
        Ok(CaseOutcome {
            status,
            actions,
            text,
        })
    }
}

fn message_text(case: &CaseRow) -> Option<String> {
    let evidence: serde_json::Value = serde_json::from_str(case.evidence.as_deref()?).ok()?;
    evidence.get("text")?.as_str().map(str::to_owned)
}

fn penalty_actions(
    penalty: Penalty,
    group: &str,
    member: &str,
    now: Timestamp,
) -> Vec<PlannedAction> {
    let member = member.to_owned();
    let action = match penalty {
        Penalty::Warn => return Vec::new(),
        Penalty::Mute { minutes } => Action::Mute {
            member,
            until: now + Duration::minutes(minutes),
        },
        Penalty::Kick => Action::Kick { member },
        Penalty::Ban { minutes } => Action::Ban {
            member,
            until: minutes.map(|m| now + Duration::minutes(m)),
        },
    };
    vec![PlannedAction {
        group: group.to_owned(),
        action,
    }]
}
