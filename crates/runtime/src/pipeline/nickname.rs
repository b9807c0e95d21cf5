//! Nickname rules: a member's name checked against the group's pattern on
//! join and on rename; reminded, then restricted after a grace period.
//!
//! A wrong name opens a case (`nickname_cases`) and posts a reminder with
//! the format and an example, deleted after a while. When the grace period
//! runs out, [`Pipeline::run_timers`] mutes the member for a long time
//! (platforms have no "until fixed"); a name that follows the rule closes
//! the case and lifts that mute. Telegram sends no rename events, so the
//! timers also look at the name each open case's member was last seen
//! under: a member who fixed their name is let go at the next sign of them.
//! Admins and bots are never held to the rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::Duration;
use steward_core::i18n::Lang;
use steward_core::nickname::{CompiledNickname, NicknameRule};
use steward_core::settings::ChatSettings;
use steward_core::texts::{BotText, MAX_DURATION_DAYS};
use steward_core::{
    Action, ActionKind, AuditKind, Capabilities, EventPayload, GroupId, IncomingEvent, MemberId,
    MemberRef, PlannedAction, Platform, Timestamp,
};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::nicknames::{NicknameCase, NicknameStatus};

use super::interact::{Power, Sink};
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError};

/// Seconds a reminder (or a notice about the name) stays in the chat.
const NICKNAME_NOTICE_SECONDS: u32 = 10 * 60;

/// Most cases the timers look at in one round.
const TIMER_BATCH: i64 = 200;

/// Compiled rules by pattern: compiling a regex for every join would be
/// wasteful, and rules change rarely.
fn compiled(rule: &NicknameRule) -> Option<Arc<CompiledNickname>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<CompiledNickname>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(found) = cache.get(&rule.pattern) {
        return Some(found.clone());
    }
    match rule.compile() {
        Ok(c) => {
            if cache.len() > 256 {
                cache.clear();
            }
            let c = Arc::new(c);
            cache.insert(rule.pattern.clone(), c.clone());
            Some(c)
        }
        Err(err) => {
            tracing::warn!(pattern = %rule.pattern, error = %err, "a nickname rule does not compile; not enforced");
            None
        }
    }
}

/// What a case is about: one member in one group.
struct Subject<'a> {
    group: GroupId,
    member: MemberId,
    member_pid: &'a str,
    lang: Lang,
}

impl Pipeline {
    /// Checks a member's name against the group's nickname rule.
    pub(super) async fn check_nickname(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        let settings = self.settings(tx, group.id).await?;
        let Some(rule) = settings.nickname.as_ref() else {
            return Ok(Step::pass());
        };
        let Some(check) = compiled(rule) else {
            return Ok(Step::pass());
        };
        if self
            .exempt_from_nickname(tx, group.id, &event.member, member, &settings)
            .await?
        {
            return Ok(Step::pass());
        }
        let name = match &event.payload {
            EventPayload::MemberRenamed { new_name, .. } => new_name.clone(),
            _ => event.member.name.clone().unwrap_or_default(),
        };
        let subject = Subject {
            group: group.id,
            member,
            member_pid: &event.member.id,
            lang: group.lang,
        };
        let open = tx.nickname_case(group.id, member).await?;
        if check.accepts(&name) {
            let actions = match open {
                Some(case) => {
                    self.nickname_fixed(tx, sink, &subject, case.status, &name, "")
                        .await?
                }
                None => Vec::new(),
            };
            return Ok(Step {
                actions,
                ..Step::default()
            });
        }
        if let Some(case) = open {
            // Still wrong under another name: the grace period keeps running.
            tx.update_nickname_case(group.id, member, &name, case.status)
                .await?;
            return Ok(Step::pass());
        }
        let hours = rule.grace_hours();
        let deadline = event.at + Duration::hours(i64::from(hours));
        if !tx
            .open_nickname_case(group.id, member, &name, event.at, deadline)
            .await?
        {
            return Ok(Step::pass());
        }
        let shown = shown_name(&event.member, &name);
        let example = Some(rule.example.as_str()).filter(|e| !e.trim().is_empty());
        let text = BotText::NicknameReminder {
            name: &shown,
            format: rule.format(),
            example,
            hours,
        }
        .render(group.lang);
        let mut actions = Vec::new();
        actions.extend(self.notice(tx, sink, text).await?);
        tx.insert_audit(&NewAudit {
            at: sink.at,
            actor: "system".to_owned(),
            action: AuditKind::NicknameReminded.as_str().to_owned(),
            group: Some(group.id),
            member: Some(member),
            target: Some(event.member.id.clone()),
            reason: Some(format!(
                "the name “{name}” does not follow “{}”; muted after {hours} h unless fixed",
                rule.format()
            )),
            rule: Some("nickname".to_owned()),
            event: sink.event,
            ..NewAudit::default()
        })
        .await?;
        Ok(Step {
            actions,
            ..Step::default()
        })
    }

    /// A member left: their pending nickname reminder is dropped.
    pub(super) async fn nickname_member_left(
        &self,
        tx: &mut Tx,
        _sink: &mut Sink<'_>,
        _event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        tx.close_nickname_case(group.id, member).await?;
        Ok(Step::pass())
    }

    /// Admins (the platform's or the group's own) and bots are exempt.
    async fn exempt_from_nickname(
        &self,
        tx: &mut Tx,
        group: GroupId,
        who: &MemberRef,
        member: MemberId,
        settings: &ChatSettings,
    ) -> Result<bool, PipelineError> {
        if who.is_bot {
            return Ok(true);
        }
        let power = self.power(tx, group, who, Some(member), settings).await?;
        Ok(power == Power::Admin)
    }

    /// A message about someone's name, deleted after a while.
    async fn notice(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        text: String,
    ) -> Result<Option<PlannedAction>, PipelineError> {
        let action = Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to: None,
            delete_after: Some(NICKNAME_NOTICE_SECONDS),
        };
        self.queue(tx, sink, action, None, None).await
    }

    /// Closes a case whose member now follows the rule (or need not any
    /// more), lifting a nickname mute.
    async fn nickname_fixed(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        subject: &Subject<'_>,
        status: NicknameStatus,
        name: &str,
        why: &str,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        tx.close_nickname_case(subject.group, subject.member)
            .await?;
        let reason = if why.is_empty() {
            format!("the name “{name}” follows the group's format")
        } else {
            why.to_owned()
        };
        let mut actions = Vec::new();
        if status == NicknameStatus::Restricted {
            let unmute = Action::Unmute {
                member: subject.member_pid.to_owned(),
            };
            actions.extend(
                self.queue(tx, sink, unmute, Some(subject.member), Some(reason.clone()))
                    .await?,
            );
            if why.is_empty() {
                let text = BotText::NicknameFixed { name }.render(subject.lang);
                actions.extend(self.notice(tx, sink, text).await?);
            }
        }
        tx.insert_audit(&NewAudit {
            at: sink.at,
            actor: "system".to_owned(),
            action: AuditKind::NicknameFixed.as_str().to_owned(),
            group: Some(subject.group),
            member: Some(subject.member),
            target: Some(subject.member_pid.to_owned()),
            reason: Some(reason),
            rule: Some("nickname".to_owned()),
            event: sink.event,
            ..NewAudit::default()
        })
        .await?;
        Ok(actions)
    }

    /// Grace periods that ran out, and members seen under a new name.
    pub(super) async fn run_nickname_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self
            .inner
            .store
            .nickname_cases_due(now, TIMER_BATCH)
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut done = 0;
        let mut queued = false;
        for found in due {
            // Another round may have handled it meanwhile.
            let Some(case) = tx.nickname_case(found.group, found.member).await? else {
                continue;
            };
            let acted = self.nickname_case_due(&mut tx, &case, now).await?;
            queued |= acted;
            done += 1;
        }
        tx.commit().await?;
        drop(turn);
        if queued {
            self.wake_delivery();
        }
        Ok(done)
    }

    /// Does what one case needs at `now`; true when actions were queued.
    async fn nickname_case_due(
        &self,
        tx: &mut Tx,
        case: &NicknameCase,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let settings = self.settings(tx, case.group).await?;
        let lang: Lang = case.language.parse().unwrap_or_default();
        let subject = Subject {
            group: case.group,
            member: case.member,
            member_pid: &case.member_platform_id,
            lang,
        };
        let key = format!(
            "nickname:{}:{}:{}:{}",
            case.group.0,
            case.member.0,
            case.since.timestamp_millis(),
            now.timestamp_millis()
        );
        // Queued for now even when asked about a later time: the outbox
        // runs on the wall clock.
        let mut sink = Sink::new(
            case.platform,
            case.group,
            &case.group_platform_id,
            None,
            key,
            "system".to_owned(),
            now.min(chrono::Utc::now()),
        );
        let current = case.current_name.clone().unwrap_or_default();
        let who = MemberRef::with_id(case.member_platform_id.clone());
        let rule = settings.nickname.as_ref();
        let check = rule.and_then(compiled);
        let exempt = self
            .exempt_from_nickname(tx, case.group, &who, case.member, &settings)
            .await?;
        let Some((rule, check)) = rule.zip(check).filter(|_| !exempt) else {
            let why = if exempt {
                "an admin is not held to the nickname rule"
            } else {
                "the group no longer has a nickname rule"
            };
            let actions = self
                .nickname_fixed(tx, &mut sink, &subject, case.status, &current, why)
                .await?;
            return Ok(!actions.is_empty());
        };
        if check.accepts(&current) {
            let actions = self
                .nickname_fixed(tx, &mut sink, &subject, case.status, &current, "")
                .await?;
            return Ok(!actions.is_empty());
        }
        if case.status == NicknameStatus::Restricted || case.deadline > now {
            tx.update_nickname_case(case.group, case.member, &current, case.status)
                .await?;
            return Ok(false);
        }
        let until = now + Duration::days(i64::from(MAX_DURATION_DAYS) - 1);
        let reason = format!(
            "the name “{current}” still does not follow “{}” after {} h",
            rule.format(),
            rule.grace_hours()
        );
        let mute = Action::Mute {
            member: case.member_platform_id.clone(),
            until,
        };
        let muted = self
            .queue(tx, &mut sink, mute, Some(case.member), Some(reason))
            .await?;
        if muted.is_some() {
            let shown = if current.is_empty() {
                case.member_platform_id.as_str()
            } else {
                current.as_str()
            };
            let text = BotText::NicknameRestricted {
                name: shown,
                format: rule.format(),
            }
            .render(lang);
            self.notice(tx, &mut sink, text).await?;
        }
        tx.update_nickname_case(
            case.group,
            case.member,
            &current,
            NicknameStatus::Restricted,
        )
        .await?;
        Ok(muted.is_some())
    }

    /// Sets a member's name from the dashboard, on platforms that let a bot
    /// do it: queues `SetNickname` through the outbox, audited as `actor`.
    /// None when the platform cannot, or the member has no open case (the
    /// dashboard lists only those). The caller checks the name follows the
    /// rule.
    pub async fn set_member_nickname(
        &self,
        group: GroupId,
        member: MemberId,
        nickname: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<PlannedAction>, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(case) = tx.nickname_case(group, member).await? else {
            return Ok(None);
        };
        if !nickname_settable(case.platform) {
            return Ok(None);
        }
        let key = format!(
            "dashboard:nickname:{}:{}:{}",
            group.0,
            member.0,
            now.timestamp_millis()
        );
        let mut sink = Sink::new(
            case.platform,
            group,
            &case.group_platform_id,
            None,
            key,
            actor.to_owned(),
            now,
        );
        let action = Action::SetNickname {
            member: case.member_platform_id.clone(),
            nickname: nickname.to_owned(),
        };
        let reason = format!(
            "set by an admin from the dashboard (was “{}”)",
            case.current_name.as_deref().unwrap_or(&case.name)
        );
        let planned = self
            .queue(&mut tx, &mut sink, action, Some(member), Some(reason))
            .await?;
        tx.commit().await?;
        self.wake_delivery();
        Ok(planned)
    }

    /// Sets (or with `None` removes) a group's nickname rule. Returns the
    /// rule as it was. The caller checks the rule first.
    pub async fn set_nickname_rule(
        &self,
        group: GroupId,
        rule: Option<NicknameRule>,
    ) -> Result<Option<NicknameRule>, PipelineError> {
        let before = self
            .rewrite_chat_settings(group, |chat| chat.nickname = rule)
            .await?;
        Ok(before.nickname)
    }
}

/// Whether Steward can set a member's name on `platform`.
fn nickname_settable(platform: Platform) -> bool {
    Capabilities::of_platform(platform).supports(ActionKind::SetNickname)
}

/// The name a reminder addresses: the display name, else the username or id.
fn shown_name(member: &MemberRef, name: &str) -> String {
    if !name.trim().is_empty() {
        return name.to_owned();
    }
    member
        .username
        .as_ref()
        .map(|u| format!("@{u}"))
        .unwrap_or_else(|| member.id.clone())
}
