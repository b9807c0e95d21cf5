//! The penalty ladder: from a verdict and the member's standing to actions.
//!
//! Each violation that has not expired moves the member one step up; a high
//! severity hit moves two, a critical one goes straight to the top. The
//! offending message is always deleted; the step decides what else happens.

use chrono::Duration;
use serde::{Deserialize, Serialize};
use steward_core::i18n::{self, Lang, Text};
use steward_core::{Action, Timestamp};

use crate::{Severity, Verdict};

/// A group's penalty ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// The steps, mildest first.
    pub steps: Vec<LadderStep>,
    /// How long a violation keeps counting, in hours.
    #[serde(default = "default_expiry_hours")]
    pub points_expire_after_hours: i64,
    /// Act without posting notices in the group.
    #[serde(default)]
    pub silent: bool,
}

fn default_expiry_hours() -> i64 {
    7 * 24
}

/// One step of the ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderStep {
    /// What happens at this step.
    pub penalty: Penalty,
}

/// What happens to a member at one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Penalty {
    /// The message is deleted and the member warned.
    Warn,
    /// The member cannot post for a while.
    Mute {
        /// For how long.
        minutes: i64,
    },
    /// The member is removed and may come back.
    Kick,
    /// The member is removed and kept out.
    Ban {
        /// For how long; none means for ever.
        #[serde(default)]
        minutes: Option<i64>,
    },
}

impl Penalty {
    /// The name used in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Penalty::Warn => "warn",
            Penalty::Mute { .. } => "mute",
            Penalty::Kick => "kick",
            Penalty::Ban { .. } => "ban",
        }
    }
}

impl Default for Ladder {
    /// Warn, mute 10 minutes, mute a day, ban.
    fn default() -> Ladder {
        Ladder {
            steps: vec![
                LadderStep {
                    penalty: Penalty::Warn,
                },
                LadderStep {
                    penalty: Penalty::Mute { minutes: 10 },
                },
                LadderStep {
                    penalty: Penalty::Mute { minutes: 24 * 60 },
                },
                LadderStep {
                    penalty: Penalty::Ban { minutes: None },
                },
            ],
            points_expire_after_hours: default_expiry_hours(),
            silent: false,
        }
    }
}

/// What the ladder needs to know about the message and its sender.
#[derive(Debug, Clone)]
pub struct MessageContext<'a> {
    /// The platform id of the offending message, if it is a message.
    pub message_id: Option<&'a str>,
    /// The platform id of the member.
    pub member_id: &'a str,
    /// The member's display name, for the notice.
    pub member_name: &'a str,
    /// The group's language.
    pub lang: Lang,
    /// Violations of the member that still count, before this one.
    pub prior_violations: i64,
    /// Now.
    pub now: Timestamp,
}

/// What the ladder decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The step taken, counting from 1.
    pub step: usize,
    /// Its penalty.
    pub penalty: Penalty,
    /// The rule that decided it (the most serious hit).
    pub rule: String,
    /// Its severity.
    pub severity: Severity,
    /// Why, in words.
    pub reason: String,
    /// Points the violation adds to the member's standing.
    pub points: i64,
    /// When those points stop counting.
    pub expires_at: Timestamp,
    /// The actions, in the order they should happen.
    pub actions: Vec<Action>,
}

impl Ladder {
    /// The decision for a verdict; `None` for a clean one.
    pub fn decide(&self, verdict: &Verdict, ctx: &MessageContext<'_>) -> Option<Decision> {
        if !verdict.is_violation() {
            return None;
        }
        let worst = verdict.worst()?;
        let last = self.steps.len().checked_sub(1)?;
        let prior = usize::try_from(ctx.prior_violations.max(0)).unwrap_or(usize::MAX);
        let step_idx = match worst.severity {
            Severity::Critical => last,
            Severity::High => prior.saturating_add(1).min(last),
            Severity::Low | Severity::Medium => prior.min(last),
        };
        let penalty = match (self.steps.get(step_idx)?.penalty, worst.mute_minutes) {
            (Penalty::Mute { .. }, Some(minutes)) => Penalty::Mute { minutes },
            (penalty, _) => penalty,
        };
        let reason = worst.description.clone();
        let mut actions = Vec::new();
        if let Some(message) = ctx.message_id {
            actions.push(Action::DeleteMessage {
                message: message.to_owned(),
            });
        }
        let member = ctx.member_id.to_owned();
        let name = ctx.member_name;
        let notice = match penalty {
            Penalty::Warn => Text::Removed {
                name,
                reason: &reason,
            }
            .render(ctx.lang),
            Penalty::Mute { minutes } => {
                actions.push(Action::Mute {
                    member: member.clone(),
                    until: ctx.now + Duration::minutes(minutes),
                });
                let duration = i18n::duration(minutes, ctx.lang);
                Text::Muted {
                    name,
                    duration: &duration,
                    reason: &reason,
                }
                .render(ctx.lang)
            }
            Penalty::Kick => {
                actions.push(Action::Kick {
                    member: member.clone(),
                });
                Text::Banned {
                    name,
                    reason: &reason,
                }
                .render(ctx.lang)
            }
            Penalty::Ban { minutes } => {
                actions.push(Action::Ban {
                    member: member.clone(),
                    until: minutes.map(|m| ctx.now + Duration::minutes(m)),
                });
                Text::Banned {
                    name,
                    reason: &reason,
                }
                .render(ctx.lang)
            }
        };
        if !self.silent {
            actions.push(Action::Warn {
                member,
                text: notice,
                reply_to: None,
            });
        }
        Some(Decision {
            step: step_idx + 1,
            penalty,
            rule: worst.rule.clone(),
            severity: worst.severity,
            reason,
            points: worst.severity.points(),
            expires_at: ctx.now + Duration::hours(self.points_expire_after_hours),
            actions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, RuleSet};
    use steward_core::ActionKind;

    fn decide(text: &str, prior: i64) -> Decision {
        let engine = Engine::compile(&RuleSet::default_rules()).unwrap();
        let verdict = engine.check(text);
        let ctx = MessageContext {
            message_id: Some("m1"),
            member_id: "u1",
            member_name: "Alice",
            lang: Lang::En,
            prior_violations: prior,
            now: Timestamp::default(),
        };
        Ladder::default().decide(&verdict, &ctx).unwrap()
    }

    fn kinds(decision: &Decision) -> Vec<ActionKind> {
        decision.actions.iter().map(Action::kind).collect()
    }

    #[test]
    fn first_offence_deletes_and_warns() {
        let d = decide("crypto airdrop, claim now", 0);
        assert_eq!(d.step, 1);
        assert_eq!(kinds(&d), [ActionKind::DeleteMessage, ActionKind::Warn]);
    }

    #[test]
    fn repeat_offences_climb_the_ladder() {
        let d = decide("crypto airdrop", 1);
        assert_eq!(d.penalty, Penalty::Mute { minutes: 10 });
        assert_eq!(
            kinds(&d),
            [
                ActionKind::DeleteMessage,
                ActionKind::Mute,
                ActionKind::Warn
            ]
        );
        assert_eq!(
            decide("crypto airdrop", 9).penalty,
            Penalty::Ban { minutes: None }
        );
    }

    #[test]
    fn critical_rules_jump_to_the_top() {
        let d = decide("send 1 btc to recover your wallet", 0);
        assert_eq!(d.step, 4);
        assert!(kinds(&d).contains(&ActionKind::Ban));
    }

    #[test]
    fn clean_verdicts_decide_nothing() {
        let engine = Engine::compile(&RuleSet::default_rules()).unwrap();
        let ctx = MessageContext {
            message_id: None,
            member_id: "u1",
            member_name: "A",
            lang: Lang::Zh,
            prior_violations: 0,
            now: Timestamp::default(),
        };
        assert!(
            Ladder::default()
                .decide(&engine.check("hello"), &ctx)
                .is_none()
        );
    }
}
