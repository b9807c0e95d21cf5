//! Talking with people in chats: in-chat commands, cards with buttons in the
//! admins' chat and the presses on them, and join screening (a question
//! asked in private, answered or timed out).
//!
//! Everything here runs inside the ingest transaction, except decisions on
//! cases, which take their own transaction after the batch commits (they
//! are [`Deferred`]).

use std::sync::Arc;

use chrono::Duration;
use serde_json::json;
use steward_core::i18n::{self, Lang};
use steward_core::model::GroupRole;
use steward_core::settings::ChatSettings;
use steward_core::texts::{BotText, ButtonLabel, Decision, button};
use steward_core::{
    Action, Button, Capabilities, EventId, EventPayload, GroupId, IncomingEvent, MemberId,
    MemberRef, PlannedAction, Platform, Timestamp,
};
use steward_moderation::{Mode, Penalty, TrustInputs, TrustLevel, Verdict};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::cases::NewCase;
use steward_storage::outbox::NewAction;
use steward_storage::reports::NewReport;
use steward_storage::violations::NewViolation;

use super::{GroupInfo, Pipeline, PipelineError, display_name};
use crate::cases::CaseDecision;
use crate::command::{self, Command, Target};

/// A mute by command without a length lasts this long.
const DEFAULT_MUTE_MINUTES: i64 = 60;
/// A warning by command counts this long.
const WARNING_DAYS: i64 = 30;

/// Work that must wait until the batch has committed.
#[derive(Debug, Clone)]
pub(crate) enum Deferred {
    /// Decide a case from a button press, then update the card.
    DecideCase {
        case: i64,
        decision: CaseDecision,
        label: Decision,
        actor: String,
        by: String,
        card: CardRef,
    },
}

/// A card in an admins' chat, and the press that asked for a decision.
#[derive(Debug, Clone)]
pub(crate) struct CardRef {
    platform: Platform,
    chat: GroupId,
    chat_platform_id: String,
    message: Option<String>,
    query: Option<String>,
    lang: Lang,
}

/// How much a person may do by command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Power {
    Member,
    Operator,
    Admin,
}

/// Where queued actions go and how they are keyed and audited.
pub(super) struct Sink<'a> {
    pub(super) platform: Platform,
    pub(super) group: GroupId,
    pub(super) group_pid: &'a str,
    pub(super) event: Option<EventId>,
    pub(super) key: String,
    pub(super) actor: String,
    pub(super) at: Timestamp,
    pub(super) n: usize,
}

impl<'a> Sink<'a> {
    /// A sink for actions in `group`, keyed from `key` and audited as `actor`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        platform: Platform,
        group: GroupId,
        group_pid: &'a str,
        event: Option<EventId>,
        key: String,
        actor: String,
        at: Timestamp,
    ) -> Sink<'a> {
        Sink {
            platform,
            group,
            group_pid,
            event,
            key,
            actor,
            at,
            n: 0,
        }
    }
}

impl Pipeline {
    /// Commands, button presses, join requests and private answers.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn interact(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        event_id: EventId,
        verdict: &Verdict,
        deferred: &mut Vec<Deferred>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut sink = Sink::new(
            event.platform,
            group.id,
            &event.group.id,
            Some(event_id),
            format!("{}:{}:{}", event.platform, event.group.id, event.event_id),
            format!("{}:{}", event.platform, event.member.id),
            event.at,
        );
        match &event.payload {
            EventPayload::Message { message } => {
                let bot = self.own_username(event.platform);
                let Some(parsed) =
                    command::parse(&message.text, message.reply_to.is_some(), bot.as_deref())
                else {
                    // A bare number answers an open numbered poll or quiz.
                    if let Some(planned) = self
                        .numbered_answer(tx, event, group, &message.text)
                        .await?
                    {
                        return Ok(planned);
                    }
                    // 接龙: `+1` in reply to an event's announcement signs up.
                    if let (Some(replied), true) = (
                        &message.reply_to,
                        ["+1", "＋1"].contains(&message.text.trim()),
                    ) && let Some(planned) = self
                        .activity_plus_one(
                            tx,
                            &mut sink,
                            event,
                            group,
                            member,
                            &message.id,
                            replied,
                        )
                        .await?
                    {
                        return Ok(planned);
                    }
                    let settings = self.settings(tx, group.id).await?;
                    return self
                        .faq_message(
                            tx, &mut sink, event, group, member, event_id, message, &settings,
                        )
                        .await;
                };
                let reply_to = Some(message.id.clone());
                let settings = self.settings(tx, group.id).await?;
                match parsed {
                    Err(err) => {
                        let text = err.reply().render(group.lang);
                        self.reply(tx, &mut sink, text, reply_to).await
                    }
                    Ok(cmd) => {
                        self.command(tx, &mut sink, event, group, member, &settings, cmd)
                            .await
                    }
                }
            }
            EventPayload::ButtonPressed { data, query_id, .. } => {
                self.button(
                    tx,
                    &mut sink,
                    event,
                    group,
                    data,
                    query_id.clone(),
                    deferred,
                )
                .await
            }
            EventPayload::PollAnswer { poll_id, options } => {
                self.poll_vote(tx, event, group, poll_id, options).await
            }
            EventPayload::JoinRequest { .. } => {
                self.join_request(tx, &mut sink, event, group, member, verdict)
                    .await
            }
            EventPayload::DirectMessage { message } => {
                // `/feedback` and `/complain` open a ticket; anything else
                // may be a join answer.
                if let Some(planned) = self
                    .ticket_in_private(tx, &mut sink, event, group, member, message)
                    .await?
                {
                    return Ok(planned);
                }
                self.direct_message(tx, event, member, &message.text).await
            }
            EventPayload::MemberJoined { .. } => {
                self.member_joined(tx, &mut sink, event, group, member)
                    .await
            }
            EventPayload::MemberLeft { .. } => {
                self.member_left(tx, &mut sink, event, group, member).await
            }
            EventPayload::MemberRenamed { .. } => {
                self.member_renamed(tx, &mut sink, event, group, member)
                    .await
            }
            _ => Ok(Vec::new()),
        }
    }

    /// Runs work deferred until after a batch committed.
    pub(super) async fn run_deferred(&self, deferred: Vec<Deferred>) {
        for work in deferred {
            let Deferred::DecideCase {
                case,
                decision,
                label,
                actor,
                by,
                card,
            } = work;
            let now = chrono::Utc::now();
            let answer = match self.decide_case(case, decision, &actor, None, now).await {
                Ok(_) => Ok(BotText::DecisionApplied.render(card.lang)),
                Err(crate::CaseError::AlreadyDecided(_)) => {
                    Err(BotText::AlreadyDecided.render(card.lang))
                }
                Err(err) => {
                    tracing::warn!(case, error = %err, "a decision from the admins' chat failed");
                    Err(err.to_string())
                }
            };
            if let Err(err) = self.finish_card(case, label, &by, &card, answer, now).await {
                tracing::warn!(case, error = %err, "cannot update the card of a decided case");
            }
        }
    }

    async fn finish_card(
        &self,
        case: i64,
        label: Decision,
        by: &str,
        card: &CardRef,
        answer: Result<String, String>,
        now: Timestamp,
    ) -> Result<(), PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut sink = Sink::new(
            card.platform,
            card.chat,
            &card.chat_platform_id,
            None,
            format!("card:{case}:{}", now.timestamp_millis()),
            "system".to_owned(),
            now,
        );
        if let (Ok(_), Some(message)) = (&answer, &card.message) {
            let summary = case_summary(&mut tx, case).await?;
            let text = BotText::Decided {
                card: summary,
                decision: label,
                by,
            }
            .render(card.lang);
            self.queue(
                &mut tx,
                &mut sink,
                Action::EditMessage {
                    message: message.clone(),
                    text,
                    buttons: Vec::new(),
                },
                None,
                None,
            )
            .await?;
        }
        if let Some(query) = &card.query {
            let text = match answer {
                Ok(text) | Err(text) => text,
            };
            self.queue(
                &mut tx,
                &mut sink,
                Action::AnswerButton {
                    query: query.clone(),
                    text: Some(text),
                },
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        self.wake_delivery();
        Ok(())
    }

    /// The group's chat settings (cached; they change only by configuration).
    pub(super) async fn settings(
        &self,
        tx: &mut Tx,
        group: GroupId,
    ) -> Result<Arc<ChatSettings>, PipelineError> {
        if let Some(found) = self.caches().settings.get(&group) {
            return Ok(found.clone());
        }
        let raw = tx.group_settings(group).await?;
        Ok(self.remember_settings(group, &raw))
    }

    /// Parses a group's stored settings and caches them. Settings that no
    /// longer parse fall back to the defaults, loudly.
    pub(super) fn remember_settings(&self, group: GroupId, raw: &str) -> Arc<ChatSettings> {
        let settings = Arc::new(
            serde_json::from_str::<ChatSettings>(raw).unwrap_or_else(|err| {
                tracing::warn!(%group, error = %err, "unreadable group settings; using defaults");
                ChatSettings::default()
            }),
        );
        self.caches().settings.insert(group, settings.clone());
        settings
    }

    /// Queues one action and audits it.
    pub(super) async fn queue(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        action: Action,
        member: Option<MemberId>,
        reason: Option<String>,
    ) -> Result<Option<PlannedAction>, PipelineError> {
        if !Capabilities::of_platform(sink.platform).supports(action.kind()) {
            return Ok(None);
        }
        let planned = PlannedAction {
            group: sink.group_pid.to_owned(),
            action,
        };
        let key = format!("{}:i{}", sink.key, sink.n);
        sink.n += 1;
        let outbox = tx
            .insert_action(&NewAction {
                platform: sink.platform,
                group: sink.group,
                event: sink.event,
                idempotency_key: &key,
                action: &planned,
                at: sink.at,
            })
            .await?;
        // Replies and card edits are chatter, not decisions: only the
        // actions that change something for a member go to the audit log.
        let chatter = matches!(
            planned.action,
            Action::SendMessage { .. } | Action::EditMessage { .. } | Action::AnswerButton { .. }
        );
        if !chatter {
            tx.insert_audit(&NewAudit {
                at: sink.at,
                actor: sink.actor.clone(),
                action: planned.action.kind().as_str().to_owned(),
                group: Some(sink.group),
                member,
                target: planned.action.target_member().map(str::to_owned),
                reason,
                event: sink.event,
                outbox,
                ..NewAudit::default()
            })
            .await?;
        }
        Ok(Some(planned))
    }

    pub(super) async fn reply(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        text: String,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let action = Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to,
            delete_after: None,
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    /// How much `who` may do in `group`: the platform's admins and the
    /// configured admins may do everything, configured moderators warn and
    /// mute.
    pub(super) async fn power(
        &self,
        tx: &mut Tx,
        group: GroupId,
        who: &MemberRef,
        member: Option<MemberId>,
        settings: &ChatSettings,
    ) -> Result<Power, PipelineError> {
        if settings.admins.contains(&who.id) {
            return Ok(Power::Admin);
        }
        let role = match (who.role, member) {
            (Some(role), _) => role,
            (None, Some(member)) => tx.member_record(group, member).await?.role,
            (None, None) => GroupRole::Member,
        };
        if role != GroupRole::Member {
            return Ok(Power::Admin);
        }
        if settings.moderators.contains(&who.id) {
            return Ok(Power::Operator);
        }
        Ok(Power::Member)
    }

    #[allow(clippy::too_many_arguments)]
    async fn command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        settings: &ChatSettings,
        cmd: Command,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let lang = group.lang;
        let Some(message) = event.payload.message() else {
            return Ok(Vec::new());
        };
        let reply_to = Some(message.id.clone());
        let power = self
            .power(tx, group.id, &event.member, Some(member), settings)
            .await?;
        if let Some(needed) = cmd.required_permission() {
            let allowed = match needed {
                steward_core::Permission::Moderate => power >= Power::Operator,
                _ => power >= Power::Admin,
            };
            if !allowed {
                let text = BotText::NotAllowed {
                    command: cmd.name(),
                }
                .render(lang);
                return self.reply(tx, sink, text, reply_to).await;
            }
        }
        let actor_name = display_name(&event.member).to_owned();
        sink.actor = format!("{}:{}", event.platform, event.member.id);
        match &cmd {
            Command::Rules => {
                let rules = if settings.rules.is_empty() {
                    self.rule_set()
                        .rules
                        .iter()
                        .filter(|r| r.mode == Mode::Enforce)
                        .map(|r| r.description.clone())
                        .collect()
                } else {
                    settings.rules.clone()
                };
                let text = BotText::Rules { rules: &rules }.render(lang);
                return self.reply(tx, sink, text, reply_to).await;
            }
            Command::Help => {
                let text = BotText::Help {
                    admin: power >= Power::Operator,
                }
                .render(lang);
                return self.reply(tx, sink, text, reply_to).await;
            }
            Command::Feedback { text } | Command::Complain { text } => {
                let category = if matches!(cmd, Command::Complain { .. }) {
                    steward_core::tickets::COMPLAINT
                } else {
                    steward_core::tickets::FEEDBACK
                };
                return self
                    .ticket_command(
                        tx, sink, event, group, member, category, text, settings, reply_to,
                    )
                    .await;
            }
            Command::Appeal { text } => {
                self.open_case_from_member(
                    tx, sink, event, group, member, "appeal", text, settings,
                )
                .await?;
                let answer = BotText::AppealReceived;
                return self.reply(tx, sink, answer.render(lang), reply_to).await;
            }
            Command::Since { from, ban, confirm } => {
                return self
                    .since_command(
                        tx,
                        sink,
                        group.id,
                        lang,
                        *from,
                        *ban,
                        *confirm,
                        &message.text,
                        reply_to,
                    )
                    .await;
            }
            Command::Report { reason } => {
                let Some(reported) = &message.reply_to else {
                    let text = BotText::ReportNeedsReply.render(lang);
                    return self.reply(tx, sink, text, reply_to).await;
                };
                let (answer, mut planned) = self
                    .report(
                        tx,
                        sink,
                        event,
                        group,
                        member,
                        reported,
                        message.reply_to_member.as_ref(),
                        reason.as_deref(),
                        settings,
                    )
                    .await?;
                planned.extend(self.reply(tx, sink, answer.render(lang), reply_to).await?);
                return Ok(planned);
            }
            Command::Invite => {
                return self
                    .invite_command(tx, sink, event, group, member, settings, reply_to)
                    .await;
            }
            Command::Referrals => {
                return self
                    .referrals_command(tx, sink, event, group, reply_to)
                    .await;
            }
            Command::Checkin | Command::Points | Command::Top { .. } | Command::Award { .. } => {
                return self
                    .points_command(tx, sink, event, group, member, &cmd, reply_to)
                    .await;
            }
            Command::Faq => {
                return self.faq_command(tx, sink, group, reply_to).await;
            }
            Command::Enter { raffle } => {
                return self
                    .enter_command(tx, sink, event, group, member, *raffle, reply_to)
                    .await;
            }
            Command::Raffle => {
                return self.raffles_command(tx, sink, group, reply_to).await;
            }
            Command::Signup { activity } | Command::Unsignup { activity } => {
                let join = matches!(cmd, Command::Signup { .. });
                return self
                    .signup_command(tx, sink, event, group, member, *activity, join, reply_to)
                    .await;
            }
            _ => {}
        }
        // The remaining commands act on a member.
        let Some(target) = cmd.target() else {
            return Ok(Vec::new());
        };
        let Some((target_pid, target_id, target_name)) = self
            .resolve_target(tx, event, group.id, target, message)
            .await?
        else {
            let who = match target {
                Target::Username(name) => format!("@{name}"),
                Target::Id(id) => id.clone(),
                Target::Reply => "?".to_owned(),
            };
            let text = BotText::TargetNotFound { who: &who }.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        };
        let target_ref = MemberRef::with_id(target_pid.clone());
        let target_power = self
            .power(tx, group.id, &target_ref, target_id, settings)
            .await?;
        if target_power >= Power::Admin
            && !matches!(cmd, Command::Unmute { .. } | Command::Unban { .. })
        {
            let text = BotText::CannotTargetAdmin { name: &target_name }.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        }
        let reason_of = |r: &Option<String>| {
            Some(format!(
                "/{} by {actor_name}{}",
                cmd.name(),
                r.as_ref().map(|r| format!(": {r}")).unwrap_or_default()
            ))
        };
        let mut planned = Vec::new();
        let (action, notice) = match &cmd {
            Command::Warn { reason, .. } => {
                let Some(target_id) = target_id else {
                    let text = BotText::TargetNotFound { who: &target_name }.render(lang);
                    return self.reply(tx, sink, text, reply_to).await;
                };
                tx.insert_violation(&NewViolation {
                    group: group.id,
                    member: target_id,
                    event: sink.event,
                    rule: "manual",
                    severity: "medium",
                    points: 1,
                    at: event.at,
                    expires_at: event.at + Duration::days(WARNING_DAYS),
                })
                .await?;
                let standing = tx.standing(group.id, target_id, event.at).await?;
                tx.insert_audit(&NewAudit {
                    at: event.at,
                    actor: sink.actor.clone(),
                    action: "warn".to_owned(),
                    group: Some(group.id),
                    member: Some(target_id),
                    target: Some(target_pid.clone()),
                    reason: reason_of(reason),
                    event: sink.event,
                    ..NewAudit::default()
                })
                .await?;
                let count = u32::try_from(standing.violations).unwrap_or(u32::MAX);
                let text = BotText::Warned {
                    name: &target_name,
                    reason: reason.as_deref(),
                    count,
                }
                .render(lang);
                (None, text)
            }
            Command::Mute {
                duration, reason, ..
            } => {
                let length = duration
                    .and_then(|d| Duration::from_std(d).ok())
                    .unwrap_or_else(|| Duration::minutes(DEFAULT_MUTE_MINUTES));
                let text = BotText::MutedFor {
                    name: &target_name,
                    duration: &i18n::duration(length.num_minutes(), lang),
                }
                .render(lang);
                (
                    Some((
                        Action::Mute {
                            member: target_pid.clone(),
                            until: event.at + length,
                        },
                        reason_of(reason),
                    )),
                    text,
                )
            }
            Command::Unmute { .. } => (
                Some((
                    Action::Unmute {
                        member: target_pid.clone(),
                    },
                    reason_of(&None),
                )),
                BotText::Unmuted { name: &target_name }.render(lang),
            ),
            Command::Kick { reason, .. } => (
                Some((
                    Action::Kick {
                        member: target_pid.clone(),
                    },
                    reason_of(reason),
                )),
                BotText::Kicked { name: &target_name }.render(lang),
            ),
            Command::Ban {
                duration, reason, ..
            } => {
                let length = duration.and_then(|d| Duration::from_std(d).ok());
                let formatted = length.map(|l| i18n::duration(l.num_minutes(), lang));
                let text = BotText::BannedFor {
                    name: &target_name,
                    duration: formatted.as_deref(),
                }
                .render(lang);
                (
                    Some((
                        Action::Ban {
                            member: target_pid.clone(),
                            until: length.map(|l| event.at + l),
                        },
                        reason_of(reason),
                    )),
                    text,
                )
            }
            Command::Unban { .. } => (
                Some((
                    Action::Unban {
                        member: target_pid.clone(),
                    },
                    reason_of(&None),
                )),
                BotText::Unbanned { name: &target_name }.render(lang),
            ),
            _ => return Ok(Vec::new()),
        };
        if let Some((action, reason)) = action {
            planned.extend(self.queue(tx, sink, action, target_id, reason).await?);
        }
        planned.extend(self.reply(tx, sink, notice, reply_to).await?);
        Ok(planned)
    }

    /// The target's platform id, stored id (when Steward has seen them) and
    /// display name.
    pub(super) async fn resolve_target(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupId,
        target: &Target,
        message: &steward_core::MessageContent,
    ) -> Result<Option<(String, Option<MemberId>, String)>, PipelineError> {
        let platform = event.platform;
        let (pid, name) = match target {
            Target::Reply => {
                if let Some(m) = &message.reply_to_member {
                    (m.id.clone(), display_name(m).to_owned())
                } else {
                    let Some(reply) = &message.reply_to else {
                        return Ok(None);
                    };
                    let Some((_, _, pid, _)) = tx.event_by_platform_id(group, reply).await? else {
                        return Ok(None);
                    };
                    (pid.clone(), pid)
                }
            }
            Target::Username(username) => {
                match tx.find_member_by_username(platform, username).await? {
                    Some((_, pid)) => (pid, format!("@{username}")),
                    None => return Ok(None),
                }
            }
            Target::Id(id) => (id.clone(), id.clone()),
        };
        let record = tx.find_member(platform, &pid).await?;
        let name = record
            .as_ref()
            .and_then(|r| r.name.clone().or_else(|| r.username.clone()))
            .filter(|_| !matches!(target, Target::Username(_)))
            .unwrap_or(name);
        Ok(Some((pid, record.map(|r| r.id), name)))
    }

    /// A member's report on a message, weighted by the reporter's trust
    /// (see [`report_weight`]); a reporter counts once per message. Reports
    /// on one message gather on one open case; when their weight reaches the
    /// group's threshold and at least one of them vouches for it (see
    /// [`hides`]: newcomers alone never hide a message) it is deleted
    /// (hidden pending review: a
    /// platform cannot bring a deleted message back, so dismissing the case
    /// does not restore it). Returns the answer for the reporter and the
    /// actions queued.
    #[allow(clippy::too_many_arguments)]
    async fn report(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        reporter: MemberId,
        reported: &str,
        reported_member: Option<&MemberRef>,
        reason: Option<&str>,
        settings: &ChatSettings,
    ) -> Result<(BotText<'static>, Vec<PlannedAction>), PipelineError> {
        let found = tx.event_by_platform_id(group.id, reported).await?;
        let (event_ref, member_id, member_pid, text) = match found {
            Some((event_ref, member, pid, payload)) => {
                let text = serde_json::from_str::<IncomingEvent>(&payload)
                    .ok()
                    .and_then(|e| e.payload.message().map(|m| m.text.clone()))
                    .unwrap_or_default();
                (Some(event_ref), member, pid, text)
            }
            None => {
                let Some(m) = reported_member else {
                    return Ok((BotText::ReportReceived, Vec::new()));
                };
                let id = self.member_id(tx, event.platform, m, event.at).await?;
                (None, id, m.id.clone(), String::new())
            }
        };
        let power = self
            .power(tx, group.id, &event.member, Some(reporter), settings)
            .await?;
        let record = tx.member_record(group.id, reporter).await?;
        let trust = TrustLevel::of(
            &TrustInputs {
                since: record.since,
                messages: record.messages,
                last_violation: record.last_violation,
                is_admin: record.role != GroupRole::Member,
            },
            event.at,
        );
        let threshold = settings.report_threshold();
        let weight = report_weight(trust, power >= Power::Operator, threshold);
        let Some(report) = tx
            .insert_report(&NewReport {
                group: group.id,
                message: reported,
                event: event_ref,
                author: member_id,
                reporter,
                trust: trust.number(),
                weight,
                reason,
                at: event.at,
            })
            .await?
        else {
            return Ok((BotText::ReportAlreadyCounted, Vec::new()));
        };
        let case = match tx.open_report_case(group.id, reported).await? {
            Some(case) => case,
            None => {
                tx.insert_case(&NewCase {
                    group: group.id,
                    member: member_id,
                    event: event_ref,
                    kind: "report",
                    rule: None,
                    severity: None,
                    reason: reason.or(Some("reported by a member")),
                    evidence: None,
                    actions: &[PlannedAction {
                        group: event.group.id.clone(),
                        action: Action::DeleteMessage {
                            message: reported.to_owned(),
                        },
                    }],
                    note: reason,
                    at: event.at,
                })
                .await?
            }
        };
        tx.attach_report(report, case).await?;
        let reports = tx.reports_of_case(case).await?;
        let total: f64 = reports.iter().map(|r| r.weight).sum();
        let limit = f64::from(threshold);
        // Admins' messages are never hidden by members' reports.
        let author_power = self
            .power(
                tx,
                group.id,
                &MemberRef::with_id(member_pid.clone()),
                Some(member_id),
                settings,
            )
            .await?;
        let weights: Vec<(u8, f64)> = reports.iter().map(|r| (r.trust, r.weight)).collect();
        let before: Vec<(u8, f64)> = reports
            .iter()
            .filter(|r| r.id != report)
            .map(|r| (r.trust, r.weight))
            .collect();
        let hidden_before = hides(&before, threshold);
        let hidden = hides(&weights, threshold) && author_power < Power::Admin;
        let crossed = hidden && !hidden_before;
        let names: Vec<String> = reports
            .iter()
            .map(|r| {
                r.reporter_name
                    .clone()
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| r.reporter_platform_id.clone())
            })
            .collect();
        let evidence = json!({
            "text": text,
            "message": reported,
            "reporter": event.member.id,
            "reports": reports.iter().map(|r| json!({
                "reporter": r.reporter_platform_id,
                "name": r.reporter_name,
                "trust": r.trust,
                "weight": r.weight,
                "reason": r.reason,
                "at": r.at,
            })).collect::<Vec<_>>(),
            "weight": total,
            "threshold": threshold,
            "hidden": hidden,
        });
        let summary = if hidden {
            format!(
                "hidden after {} report(s), weight {total} of {threshold}; a deleted message cannot be restored",
                reports.len()
            )
        } else if total >= limit && !hides(&weights, threshold) {
            format!(
                "{} report(s), weight {total} of {threshold}; not hidden: only newcomers (trust level 0) reported it",
                reports.len()
            )
        } else {
            format!("{} report(s), weight {total} of {threshold}", reports.len())
        };
        tx.update_report_case(case, &summary, &evidence.to_string())
            .await?;
        let group_name = event.group.title.as_deref().unwrap_or(&event.group.id);
        let shown = reported_member
            .map(|m| display_name(m).to_owned())
            .unwrap_or(member_pid);
        let mut planned = Vec::new();
        if crossed {
            // Steward hides the message on the reports' weight, not on the
            // last reporter's say.
            let actor = std::mem::replace(&mut sink.actor, "system".to_owned());
            let queued = self
                .queue(
                    tx,
                    sink,
                    Action::DeleteMessage {
                        message: reported.to_owned(),
                    },
                    Some(member_id),
                    Some(format!("case {case}: {summary}")),
                )
                .await;
            sink.actor = actor;
            planned.extend(queued?);
            let card = BotText::ReportHiddenCard {
                group: group_name,
                member: &shown,
                reporters: &names.join(", "),
                weight: &total.to_string(),
                threshold,
                text: &text,
            }
            .render(group.lang);
            self.post_card(
                tx,
                sink,
                settings,
                group.lang,
                card,
                vec![
                    (ButtonLabel::Confirm, format!("case:{case}:confirm")),
                    (ButtonLabel::Ban, format!("case:{case}:ban")),
                    (ButtonLabel::Dismiss, format!("case:{case}:dismiss")),
                ],
            )
            .await?;
            return Ok((BotText::ReportHidden, planned));
        }
        if hidden_before {
            // Hidden already: the admins have the card.
            return Ok((BotText::ReportReceived, planned));
        }
        let card = BotText::ReportCard {
            group: group_name,
            reporter: display_name(&event.member),
            member: &shown,
            text: &text,
        }
        .render(group.lang);
        self.post_card(
            tx,
            sink,
            settings,
            group.lang,
            card,
            vec![
                (ButtonLabel::Ban, format!("case:{case}:ban")),
                (ButtonLabel::Dismiss, format!("case:{case}:confirm")),
            ],
        )
        .await?;
        Ok((BotText::ReportReceived, planned))
    }

    #[allow(clippy::too_many_arguments)]
    async fn open_case_from_member(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        kind: &str,
        text: &str,
        settings: &ChatSettings,
    ) -> Result<(), PipelineError> {
        // An appeal asks to lift what was done to the member: dismissing it
        // unmutes and unbans.
        let lift = [
            PlannedAction {
                group: event.group.id.clone(),
                action: Action::Mute {
                    member: event.member.id.clone(),
                    until: event.at,
                },
            },
            PlannedAction {
                group: event.group.id.clone(),
                action: Action::Ban {
                    member: event.member.id.clone(),
                    until: None,
                },
            },
        ];
        let case = tx
            .insert_case(&NewCase {
                group: group.id,
                member,
                event: sink.event,
                kind,
                rule: None,
                severity: None,
                reason: None,
                evidence: None,
                actions: if kind == "appeal" { &lift } else { &[] },
                note: Some(text),
                at: event.at,
            })
            .await?;
        let group_name = event.group.title.as_deref().unwrap_or(&event.group.id);
        let name = display_name(&event.member);
        let (card, buttons) = if kind == "appeal" {
            (
                BotText::AppealCard {
                    group: group_name,
                    member: name,
                    text,
                },
                vec![
                    (ButtonLabel::Confirm, format!("case:{case}:confirm")),
                    (ButtonLabel::Dismiss, format!("case:{case}:dismiss")),
                ],
            )
        } else {
            (
                BotText::FeedbackCard {
                    group: group_name,
                    member: name,
                    text,
                },
                vec![(ButtonLabel::Confirm, format!("case:{case}:confirm"))],
            )
        };
        self.post_card(
            tx,
            sink,
            settings,
            group.lang,
            card.render(group.lang),
            buttons,
        )
        .await
    }

    /// Posts a card with buttons to the group's admins' chat, if it has one.
    pub(super) async fn post_card(
        &self,
        tx: &mut Tx,
        sink: &Sink<'_>,
        settings: &ChatSettings,
        lang: Lang,
        text: String,
        buttons: Vec<(ButtonLabel, String)>,
    ) -> Result<(), PipelineError> {
        let Some(admin_chat) = settings.admin_chat.as_deref() else {
            return Ok(());
        };
        let (chat, _) = tx
            .upsert_group(sink.platform, admin_chat, None, lang, sink.at)
            .await?;
        let row = buttons
            .into_iter()
            .map(|(label, data)| Button {
                text: button(label, lang).to_owned(),
                data: Some(data),
                url: None,
            })
            .collect();
        let mut card_sink = Sink::new(
            sink.platform,
            chat,
            admin_chat,
            sink.event,
            format!("{}:card{}", sink.key, sink.n),
            "system".to_owned(),
            sink.at,
        );
        self.queue(
            tx,
            &mut card_sink,
            Action::SendMessage {
                text,
                buttons: vec![row],
                reply_to: None,
                delete_after: None,
            },
            None,
            None,
        )
        .await?;
        Ok(())
    }

    /// Posts an escalation's card (called by the ladder's enactment).
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn escalation_card(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        event_id: EventId,
        case: i64,
        rule: &str,
        reason: &str,
        done: &str,
    ) -> Result<(), PipelineError> {
        let settings = self.settings(tx, group.id).await?;
        if settings.admin_chat.is_none() {
            return Ok(());
        }
        let text = event
            .payload
            .message()
            .map_or_else(|| display_name(&event.member), |m| m.text.as_str());
        let card = BotText::EscalationCard {
            group: event.group.title.as_deref().unwrap_or(&event.group.id),
            member: display_name(&event.member),
            rule,
            reason,
            text,
            done,
        }
        .render(group.lang);
        let sink = Sink::new(
            event.platform,
            group.id,
            &event.group.id,
            Some(event_id),
            format!(
                "{}:{}:{}:esc",
                event.platform, event.group.id, event.event_id
            ),
            "system".to_owned(),
            event.at,
        );
        self.post_card(
            tx,
            &sink,
            &settings,
            group.lang,
            card,
            vec![
                (ButtonLabel::Confirm, format!("case:{case}:confirm")),
                (ButtonLabel::Ban, format!("case:{case}:ban")),
                (ButtonLabel::Dismiss, format!("case:{case}:dismiss")),
            ],
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn button(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        data: &str,
        query: Option<String>,
        deferred: &mut Vec<Deferred>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        // A CAPTCHA is answered by the newcomer, not decided by an admin.
        if data.starts_with("cap:") {
            return self.captcha_press(tx, sink, event, data, query).await;
        }
        // A raffle's Enter button is pressed by members, for themselves.
        if data.starts_with("raffle:") {
            return self.raffle_press(tx, sink, event, group, data, query).await;
        }
        // An event's Sign up / Cancel buttons, pressed by members for themselves.
        if data.starts_with("act:") {
            return self
                .activity_press(tx, sink, event, group, data, query)
                .await;
        }
        // Poll and quiz answers are members' own, too.
        if data.starts_with("poll:") {
            return self.poll_press(tx, sink, event, group, data, query).await;
        }
        let Some(parsed) = ButtonData::parse(data) else {
            return Ok(Vec::new());
        };
        let message = match &event.payload {
            EventPayload::ButtonPressed { message_id, .. } => message_id.clone(),
            _ => None,
        };
        let card = CardRef {
            platform: event.platform,
            chat: group.id,
            chat_platform_id: event.group.id.clone(),
            message,
            query: query.clone(),
            lang: group.lang,
        };
        // Whoever presses must be an admin of the group the card is about,
        // or of the admins' chat itself.
        let about = match parsed {
            ButtonData::Case { id, .. } => match tx.case(id).await? {
                Some(case) => case.group,
                None => {
                    return self
                        .answer(tx, sink, query, BotText::AlreadyDecided, group.lang)
                        .await;
                }
            },
            ButtonData::Join { group: about, .. } | ButtonData::RaidEnd { group: about } => {
                GroupId(about)
            }
        };
        let about_settings = self.settings(tx, about).await?;
        let presser = self
            .member_id(tx, event.platform, &event.member, event.at)
            .await?;
        let here = event.member.role.is_some_and(|r| r != GroupRole::Member);
        let there = self
            .power(
                tx,
                about,
                &MemberRef {
                    role: None,
                    ..event.member.clone()
                },
                Some(presser),
                &about_settings,
            )
            .await?
            >= Power::Admin;
        if !here && !there {
            return self
                .answer(tx, sink, query, BotText::ButtonNotAllowed, group.lang)
                .await;
        }
        let by = display_name(&event.member).to_owned();
        let actor = format!("{}:{}", event.platform, event.member.id);
        match parsed {
            ButtonData::Case { id, decision } => {
                let (decision, label) = match decision {
                    CaseButton::Confirm => (CaseDecision::Confirm, Decision::Confirmed),
                    CaseButton::Dismiss => (CaseDecision::Dismiss, Decision::Dismissed),
                    CaseButton::Ban => (
                        CaseDecision::Change(Penalty::Ban { minutes: None }),
                        Decision::Banned,
                    ),
                };
                deferred.push(Deferred::DecideCase {
                    case: id,
                    decision,
                    label,
                    actor,
                    by,
                    card,
                });
                Ok(Vec::new())
            }
            ButtonData::Join {
                group: about,
                member,
                approve,
            } => {
                let mut planned = self
                    .join_card_decided(
                        tx,
                        sink,
                        event,
                        GroupId(about),
                        MemberId(member),
                        approve,
                        &actor,
                        &by,
                    )
                    .await?;
                if let Some(message) = &card.message {
                    let about_pid = tx
                        .group_platform_id(GroupId(about))
                        .await?
                        .map(|(_, pid)| pid)
                        .unwrap_or_default();
                    let text = super::screening::decided_join_card(
                        &about_pid, member, approve, &by, group.lang,
                    );
                    planned.extend(
                        self.queue(
                            tx,
                            sink,
                            Action::EditMessage {
                                message: message.clone(),
                                text,
                                buttons: Vec::new(),
                            },
                            None,
                            None,
                        )
                        .await?,
                    );
                }
                planned.extend(
                    self.answer(tx, sink, query, BotText::DecisionApplied, group.lang)
                        .await?,
                );
                Ok(planned)
            }
            ButtonData::RaidEnd { group: about } => {
                let ended = self
                    .raid_end_pressed(tx, event, GroupId(about), &actor, &by)
                    .await?;
                let text = if ended {
                    BotText::DecisionApplied
                } else {
                    BotText::AlreadyDecided
                };
                self.answer(tx, sink, query, text, group.lang).await
            }
        }
    }

    async fn answer(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        query: Option<String>,
        text: BotText<'_>,
        lang: Lang,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let action = Action::AnswerButton {
            query,
            text: Some(text.render(lang)),
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    pub(super) async fn group_lang(
        &self,
        tx: &mut Tx,
        group: GroupId,
    ) -> Result<Lang, PipelineError> {
        if let Some(info) = self.caches().groups.values().find(|g| g.id == group) {
            return Ok(info.lang);
        }
        Ok(tx
            .group_language(group)
            .await?
            .unwrap_or(self.inner.default_language))
    }

    pub(super) async fn member_id(
        &self,
        tx: &mut Tx,
        platform: Platform,
        member: &MemberRef,
        at: Timestamp,
    ) -> Result<MemberId, PipelineError> {
        if let Some(found) = tx.find_member(platform, &member.id).await? {
            return Ok(found.id);
        }
        Ok(tx
            .insert_member(
                platform,
                &member.id,
                member.name.as_deref(),
                member.username.as_deref(),
                member.is_bot,
                at,
            )
            .await?)
    }
}

/// What a newcomer's (TL0) report weighs.
const NEWCOMER_WEIGHT: f64 = 0.5;

/// The weight of a report by a member of `trust`: newcomers count half,
/// trust levels 1 to 3 count 1, 2 and 3, and the group's admins and
/// moderators (`moderator`) count enough to reach the threshold alone.
fn report_weight(trust: TrustLevel, moderator: bool, threshold: u32) -> f64 {
    if moderator || trust == TrustLevel::Leader {
        return f64::from(threshold).max(3.0);
    }
    match trust {
        TrustLevel::New => NEWCOMER_WEIGHT,
        TrustLevel::Basic => 1.0,
        TrustLevel::Member => 2.0,
        TrustLevel::Regular | TrustLevel::Leader => 3.0,
    }
}

/// Whether reports (`(trust level, weight)` each) hide a message: their
/// weight reaches `threshold` and at least one reporter is at trust level 1
/// or above, or is an admin or moderator (whose report weighs more than a
/// newcomer's whatever their trust). A wave of fresh accounts alone cannot
/// delete a message.
fn hides(reports: &[(u8, f64)], threshold: u32) -> bool {
    let total: f64 = reports.iter().map(|&(_, weight)| weight).sum();
    let vouched = reports
        .iter()
        .any(|&(trust, weight)| trust >= 1 || weight > NEWCOMER_WEIGHT);
    total >= f64::from(threshold) && vouched
}

/// A short line naming a case, for the card after it was decided.
async fn case_summary(tx: &mut Tx, case: i64) -> Result<String, PipelineError> {
    let Some(row) = tx.case(case).await? else {
        return Ok(format!("#{case}"));
    };
    let name = tx.member_platform_id(row.member).await?.unwrap_or_default();
    let what = row.rule.or(row.reason).unwrap_or(row.kind);
    Ok(format!("#{case} · {what} · {name}"))
}

/// What a card's button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ButtonData {
    Case {
        id: i64,
        decision: CaseButton,
    },
    Join {
        group: i64,
        member: i64,
        approve: bool,
    },
    RaidEnd {
        group: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaseButton {
    Confirm,
    Dismiss,
    Ban,
}

impl ButtonData {
    /// `case:{id}:{confirm|dismiss|ban}`, `join:{group}:{member}:{approve|decline}`
    /// or `raid:{group}:end`.
    fn parse(data: &str) -> Option<ButtonData> {
        let mut parts = data.split(':');
        match parts.next()? {
            "case" => {
                let id = parts.next()?.parse().ok()?;
                let decision = match parts.next()? {
                    "confirm" => CaseButton::Confirm,
                    "dismiss" => CaseButton::Dismiss,
                    "ban" => CaseButton::Ban,
                    _ => return None,
                };
                parts
                    .next()
                    .is_none()
                    .then_some(ButtonData::Case { id, decision })
            }
            "join" => {
                let group = parts.next()?.parse().ok()?;
                let member = parts.next()?.parse().ok()?;
                let approve = match parts.next()? {
                    "approve" => true,
                    "decline" => false,
                    _ => return None,
                };
                parts.next().is_none().then_some(ButtonData::Join {
                    group,
                    member,
                    approve,
                })
            }
            "raid" => {
                let group = parts.next()?.parse().ok()?;
                (parts.next()? == "end" && parts.next().is_none())
                    .then_some(ButtonData::RaidEnd { group })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_reports_weigh_more() {
        assert_eq!(report_weight(TrustLevel::New, false, 3), 0.5);
        assert_eq!(report_weight(TrustLevel::Basic, false, 3), 1.0);
        assert_eq!(report_weight(TrustLevel::Member, false, 3), 2.0);
        assert_eq!(report_weight(TrustLevel::Regular, false, 3), 3.0);
        assert_eq!(report_weight(TrustLevel::Leader, false, 5), 5.0);
        assert_eq!(report_weight(TrustLevel::New, true, 7), 7.0);
        assert_eq!(report_weight(TrustLevel::New, true, 1), 3.0);
    }

    #[test]
    fn newcomers_alone_never_hide_a_message() {
        let newcomer = (0, report_weight(TrustLevel::New, false, 3));
        assert!(!hides(&[newcomer; 6], 3));
        assert!(!hides(&[newcomer; 20], 3));
        // One basic member's report with them is enough.
        let basic = (1, report_weight(TrustLevel::Basic, false, 3));
        assert!(hides(&[newcomer, newcomer, newcomer, newcomer, basic], 3));
        assert!(!hides(&[newcomer, basic], 3));
        // So is a moderator's, even one new to the group.
        let moderator = (0, report_weight(TrustLevel::New, true, 3));
        assert!(hides(&[moderator], 3));
        assert!(hides(&[(1, 1.0); 3], 3));
    }

    #[test]
    fn button_data_round_trips_and_rejects_junk() {
        assert_eq!(
            ButtonData::parse("case:12:dismiss"),
            Some(ButtonData::Case {
                id: 12,
                decision: CaseButton::Dismiss
            })
        );
        assert_eq!(
            ButtonData::parse("join:3:9:approve"),
            Some(ButtonData::Join {
                group: 3,
                member: 9,
                approve: true
            })
        );
        assert_eq!(
            ButtonData::parse("raid:4:end"),
            Some(ButtonData::RaidEnd { group: 4 })
        );
        for junk in [
            "",
            "raid:4",
            "raid:4:start",
            "case",
            "case:x:confirm",
            "case:1:nuke",
            "join:1:2",
            "case:1:confirm:extra",
        ] {
            assert_eq!(ButtonData::parse(junk), None, "{junk}");
        }
    }
}
