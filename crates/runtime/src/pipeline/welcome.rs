//! Welcoming newcomers: the group's template in its language, deleted after
//! a while, one message for many who join at once.
//!
//! A welcome waits in the outbox until the group's grouping window closes
//! (30 seconds after the first join by default). Whoever joins before then
//! is added to the same message: the waiting outbox row is rewritten, as
//! long as no delivery worker has taken it yet; once one has, a later
//! joiner starts a new welcome. The welcome's key derives from the event
//! that opened the window, so a resent event never welcomes twice.

use std::sync::Arc;

use chrono::Duration;
use steward_core::settings::ChatSettings;
use steward_core::texts::BotText;
use steward_core::welcome::{Fill, Newcomers, Welcome, render};
use steward_core::{
    Action, ActionKind, Button, Capabilities, EventPayload, GroupId, IncomingEvent, MemberId,
    MemberRef, PlannedAction,
};
use steward_storage::Tx;
use steward_storage::outbox::NewAction;
use steward_storage::welcomes::WelcomeBatch;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

impl Pipeline {
    /// Welcomes a newcomer who was let in. `event` may be the join, or any
    /// later event of the newcomer's (the press that solved a CAPTCHA).
    pub(super) async fn welcome(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        _member: MemberId,
    ) -> Result<Step, PipelineError> {
        if event.member.is_bot
            || !Capabilities::of_platform(sink.platform).supports(ActionKind::SendMessage)
        {
            return Ok(Step::pass());
        }
        let settings = self.settings(tx, group.id).await?;
        let Some(welcome) = settings.welcome.as_ref() else {
            return Ok(Step::pass());
        };
        let Some(template) = welcome.template(group.lang) else {
            return Ok(Step::pass());
        };
        let title = match &event.group.title {
            Some(title) => title.clone(),
            None => self
                .inner
                .store
                .find_group(sink.platform, sink.group_pid)
                .await?
                .and_then(|g| g.title)
                .unwrap_or_default(),
        };
        let inviter = match &event.payload {
            EventPayload::MemberJoined {
                inviter: Some(inviter),
                ..
            } if inviter.id != event.member.id => Some(display_name(inviter).to_owned()),
            _ => None,
        };
        let newcomer = &event.member;
        let window = i64::from(welcome.group_seconds());

        if window > 0
            && let Some(batch) = tx.welcome_batch(group.id).await?
            && batch.due_at > event.at
        {
            let mut joined: Newcomers = serde_json::from_str(&batch.newcomers).unwrap_or_default();
            if joined.ids.contains(&newcomer.id) {
                return Ok(Step::pass());
            }
            add(&mut joined, newcomer, inviter.clone());
            let planned =
                welcome_action(sink, welcome, template, &settings, &joined, &title, group);
            if tx
                .rewrite_pending_action(&batch.action_key, &planned)
                .await?
            {
                tx.set_welcome_batch(
                    group.id,
                    &WelcomeBatch {
                        newcomers: serde_json::to_string(&joined).unwrap_or_default(),
                        ..batch
                    },
                )
                .await?;
                return Ok(Step::pass());
            }
        }

        let mut joined = Newcomers::default();
        add(&mut joined, newcomer, inviter);
        let planned = welcome_action(sink, welcome, template, &settings, &joined, &title, group);
        let key = format!(
            "welcome:{}:{}:{}",
            sink.platform, sink.group_pid, event.event_id
        );
        let due = event.at + Duration::seconds(window);
        let queued = tx
            .insert_action_due(
                &NewAction {
                    platform: sink.platform,
                    group: sink.group,
                    event: sink.event,
                    idempotency_key: &key,
                    action: &planned,
                    at: event.at,
                },
                due,
            )
            .await?;
        if queued.is_none() {
            return Ok(Step::pass());
        }
        if window > 0 {
            tx.set_welcome_batch(
                group.id,
                &WelcomeBatch {
                    action_key: key,
                    due_at: due,
                    newcomers: serde_json::to_string(&joined).unwrap_or_default(),
                },
            )
            .await?;
        }
        Ok(Step {
            actions: vec![planned],
            ..Step::default()
        })
    }

    /// Sets a group's welcome and rules link (from the dashboard). Returns
    /// the settings as they were, for the audit log. The caller checks the
    /// welcome first.
    pub async fn set_welcome(
        &self,
        group: GroupId,
        welcome: Option<Welcome>,
        rules_url: Option<String>,
    ) -> Result<ChatSettings, PipelineError> {
        self.rewrite_chat_settings(group, |chat| {
            chat.welcome = welcome;
            chat.rules_url = rules_url;
        })
        .await
    }

    /// Changes some of a group's chat settings in place, leaving the rest
    /// as they are, and puts the change in effect. Returns the settings as
    /// they were.
    pub(super) async fn rewrite_chat_settings(
        &self,
        group: GroupId,
        change: impl FnOnce(&mut ChatSettings),
    ) -> Result<ChatSettings, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let raw = tx.group_settings(group).await?;
        let before: ChatSettings = serde_json::from_str(&raw).unwrap_or_else(|err| {
            tracing::warn!(%group, error = %err, "unreadable group settings; starting from defaults");
            ChatSettings::default()
        });
        let mut after = before.clone();
        change(&mut after);
        let json = serde_json::to_string(&after).unwrap_or_else(|_| "{}".to_owned());
        tx.set_group_settings(group, &json).await?;
        tx.commit().await?;
        self.caches().settings.insert(group, Arc::new(after));
        Ok(before)
    }
}

/// Adds a newcomer (and who invited them) to a gathering welcome.
fn add(joined: &mut Newcomers, newcomer: &MemberRef, inviter: Option<String>) {
    joined.ids.push(newcomer.id.clone());
    joined.names.push(display_name(newcomer).to_owned());
    if let Some(inviter) = inviter.filter(|i| !joined.inviters.contains(i)) {
        joined.inviters.push(inviter);
    }
}

/// The welcome message for these newcomers.
fn welcome_action(
    sink: &Sink<'_>,
    welcome: &Welcome,
    template: &str,
    settings: &ChatSettings,
    joined: &Newcomers,
    title: &str,
    group: GroupInfo,
) -> PlannedAction {
    let hint;
    let rules = match settings
        .rules_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => url,
        None => {
            hint = BotText::WelcomeRulesHint.render(group.lang);
            hint.as_str()
        }
    };
    let text = render(
        template,
        &Fill {
            newcomers: joined,
            group: title,
            rules,
            lang: group.lang,
        },
    );
    let buttons = welcome
        .buttons
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| Button {
                    text: b.text.clone(),
                    data: None,
                    url: Some(b.url.clone()),
                })
                .collect()
        })
        .collect();
    PlannedAction {
        group: sink.group_pid.to_owned(),
        action: Action::SendMessage {
            text,
            buttons,
            reply_to: None,
            delete_after: welcome.delete_after,
        },
    }
}
