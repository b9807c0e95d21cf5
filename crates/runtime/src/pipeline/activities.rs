//! Event sign-ups (接龙, online talks): an admin creates an event in the
//! dashboard and Steward announces it with Sign up / Cancel buttons (where
//! the platform has buttons); members sign up by the button, by `/signup
//! [id]`, or 接龙-style by replying `+1` to the announcement, and cancel
//! with the button or `/cancel [id]`. The announcement is edited to show
//! the list where the platform can edit (its message id comes back in the
//! outbox row's result), else the list is posted again. Past the cap
//! members wait; when someone in cancels, the first waiting moves up and is
//! told. The timers post the reminders before the start (in the group, and
//! in private to each member signed up where the platform allows) and close
//! sign-ups at the start.
//!
//! Who is in and which reminder is due is `steward_core::activity`.

use steward_core::activity::{self, ActivityText, Shown};
use steward_core::audit::AuditKind;
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::{
    Action, ActionKind, Button, Capabilities, GroupId, IncomingEvent, MemberId, PlannedAction,
    Platform, Timestamp,
};
use steward_storage::Tx;
use steward_storage::activities::{Activity, CANCELLED, CLOSED, NewActivity};
use steward_storage::audit::NewAudit;

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// Events looked at per timer round.
const TIMER_BATCH: i64 = 50;

/// An event an admin asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivitySpec {
    /// The group it is for.
    pub group: GroupId,
    /// Its title.
    pub title: String,
    /// Its description (may be empty).
    pub description: String,
    /// When it starts.
    pub starts: Timestamp,
    /// How many may sign up before the waiting list starts.
    pub cap: Option<u32>,
    /// Reminders, in minutes before the start.
    pub reminders: Vec<u32>,
}

/// Why an event could not be created or cancelled.
#[derive(Debug, thiserror::Error)]
pub enum ActivityError {
    /// No such event or group.
    #[error("no such event or group")]
    NotFound,
    /// A field is out of bounds; names the field.
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// The pipeline (the store) failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl From<steward_storage::StoreError> for ActivityError {
    fn from(err: steward_storage::StoreError) -> Self {
        ActivityError::Pipeline(err.into())
    }
}

/// The start of an event as its group reads it.
fn starts_text(settings: &ChatSettings, starts: Timestamp) -> String {
    let local = starts.with_timezone(&settings.utc_offset_at(starts));
    format!(
        "{} {}",
        local.format("%Y-%m-%d %H:%M"),
        settings.zone().label_at(starts)
    )
}

fn buttons(platform: Platform, id: i64, open: bool, lang: Lang) -> Vec<Vec<Button>> {
    if !open || !Capabilities::of_platform(platform).supports(ActionKind::AnswerButton) {
        return Vec::new();
    }
    vec![vec![
        Button {
            text: ActivityText::JoinButton.render(lang),
            data: Some(format!("act:{id}:join")),
            url: None,
        },
        Button {
            text: ActivityText::LeaveButton.render(lang),
            data: Some(format!("act:{id}:leave")),
            url: None,
        },
    ]]
}

/// What a sign-up or a cancellation came to.
struct Outcome {
    /// The answer to the member.
    text: String,
    /// Whether the list changed.
    changed: bool,
    /// A member who moved up from the waiting list: (platform id, name).
    promoted: Option<(String, String)>,
}

impl Pipeline {
    /// Creates an event and announces it in its group. Returns its id.
    pub async fn create_activity(
        &self,
        spec: &ActivitySpec,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, ActivityError> {
        let title = spec.title.trim();
        let description = spec.description.trim();
        if title.is_empty() || title.chars().count() > activity::MAX_TITLE {
            return Err(ActivityError::Invalid("title"));
        }
        if description.chars().count() > activity::MAX_DESCRIPTION {
            return Err(ActivityError::Invalid("description"));
        }
        if spec.starts <= now {
            return Err(ActivityError::Invalid("starts"));
        }
        if spec.cap == Some(0) {
            return Err(ActivityError::Invalid("cap"));
        }
        let reminders = activity::normalize_reminders(&spec.reminders);
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some((platform, group_pid)) = tx.group_platform_id(spec.group).await? else {
            return Err(ActivityError::NotFound);
        };
        let lang = self.group_lang(&mut tx, spec.group).await?;
        let settings = self.settings(&mut tx, spec.group).await?;
        let id = tx
            .create_activity(&NewActivity {
                group: spec.group,
                title,
                description,
                starts: spec.starts,
                cap: spec.cap,
                reminders: &reminders,
                created_by: actor,
                at: now,
            })
            .await?;
        let starts = starts_text(&settings, spec.starts);
        let text = ActivityText::List {
            event: Shown {
                id,
                title,
                description,
                starts: &starts,
                cap: spec.cap,
            },
            names: &[],
            open: true,
        }
        .render(lang);
        // The key must be `activities::announcement_key(id)`: the list is
        // edited through the message id its result holds.
        let mut sink = Sink::new(
            platform,
            spec.group,
            &group_pid,
            None,
            format!("activity:{id}:announce"),
            actor.to_owned(),
            now,
        );
        let announcement = Action::SendMessage {
            text,
            buttons: buttons(platform, id, true, lang),
            reply_to: None,
            delete_after: None,
        };
        self.queue(&mut tx, &mut sink, announcement, None, None)
            .await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::ActivityCreated.as_str().to_owned(),
            group: Some(spec.group),
            target: Some(format!("activity:{id}")),
            reason: Some(format!("{title} ({starts})")),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(id)
    }

    /// Cancels an open event: says so in the group and takes the buttons
    /// off the announcement. False when it was not open.
    pub async fn cancel_activity(
        &self,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, ActivityError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(found) = tx.activity(id).await? else {
            return Err(ActivityError::NotFound);
        };
        if !tx.end_activity(id, CANCELLED, Some(actor)).await? {
            return Ok(false);
        }
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Err(ActivityError::NotFound);
        };
        let lang = self.group_lang(&mut tx, found.group).await?;
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            format!("activity:{id}:cancel"),
            actor.to_owned(),
            now,
        );
        let text = ActivityText::Cancelled {
            title: &found.title,
        }
        .render(lang);
        self.say(&mut tx, &mut sink, text).await?;
        self.refresh_list(&mut tx, &mut sink, &found, lang, None, false, false)
            .await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::ActivityCancelled.as_str().to_owned(),
            group: Some(found.group),
            target: Some(format!("activity:{id}")),
            reason: Some(found.title.clone()),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(true)
    }

    /// Reminders that fell due, and events that started (sign-ups closed).
    pub(super) async fn activity_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let horizon = now + chrono::Duration::minutes(i64::from(activity::MAX_REMINDER_MINUTES));
        let open = self
            .inner
            .store
            .open_activities_before(horizon, TIMER_BATCH)
            .await?;
        let mut done = 0;
        for found in open {
            if found.starts <= now {
                done += usize::from(self.close_activity(&found, now).await?);
            } else if let Some(to) =
                activity::due_reminder(found.starts, &found.reminders, found.reminders_sent, now)
            {
                done += usize::from(self.remind(&found, to, now).await?);
            }
        }
        Ok(done)
    }

    async fn close_activity(
        &self,
        found: &Activity,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if !tx.end_activity(found.id, CLOSED, None).await? {
            return Ok(false);
        }
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Ok(false);
        };
        let lang = self.group_lang(&mut tx, found.group).await?;
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            format!("activity:{}:close", found.id),
            "system".to_owned(),
            now.min(chrono::Utc::now()),
        );
        self.refresh_list(&mut tx, &mut sink, found, lang, None, false, false)
            .await?;
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(true)
    }

    async fn remind(
        &self,
        found: &Activity,
        to: usize,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if !tx
            .mark_reminders_sent(found.id, found.reminders_sent, to)
            .await?
        {
            return Ok(false);
        }
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Ok(false);
        };
        let lang = self.group_lang(&mut tx, found.group).await?;
        let settings = self.settings(&mut tx, found.group).await?;
        let signups = tx.activity_signups(found.id).await?;
        let going = activity::going(found.cap, signups.len());
        let starts = starts_text(&settings, found.starts);
        let text = ActivityText::Reminder {
            event: Shown {
                id: found.id,
                title: &found.title,
                description: &found.description,
                starts: &starts,
                cap: found.cap,
            },
            going,
        }
        .render(lang);
        // Queued for now even when asked about a later time: the outbox runs
        // on the wall clock.
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            format!("activity:{}:remind:{to}", found.id),
            "system".to_owned(),
            now.min(chrono::Utc::now()),
        );
        self.say(&mut tx, &mut sink, text.clone()).await?;
        for signup in signups.iter().take(going) {
            let dm = Action::DirectMessage {
                member: signup.platform_id.clone(),
                text: text.clone(),
            };
            self.queue(&mut tx, &mut sink, dm, Some(signup.member), None)
                .await?;
        }
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(true)
    }

    /// `/signup [id]` (`join`) and `/cancel [id]`: for the event named, or
    /// the only one open.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn signup_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        id: Option<i64>,
        join: bool,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let open = tx.open_activities_in(group.id).await?;
        let chosen = match id {
            Some(id) => tx.activity(id).await?.filter(|a| a.group == group.id),
            None if open.len() > 1 => {
                let list: Vec<(i64, String)> =
                    open.iter().map(|a| (a.id, a.title.clone())).collect();
                let text = ActivityText::Which(&list).render(group.lang);
                return self.reply(tx, sink, text, reply_to).await;
            }
            None => open.into_iter().next(),
        };
        let Some(found) = chosen else {
            let text = ActivityText::NoneOpen.render(group.lang);
            return self.reply(tx, sink, text, reply_to).await;
        };
        let outcome = self.change(tx, event, group, member, &found, join).await?;
        let mut planned = self.reply(tx, sink, outcome.text.clone(), reply_to).await?;
        planned.extend(
            self.after_change(tx, sink, group, &found, &outcome, None)
                .await?,
        );
        Ok(planned)
    }

    /// A `+1` in reply to an event's announcement signs the member up (接龙).
    /// `None` when the message answers no open event's announcement.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn activity_plus_one(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        message_id: &str,
        replied: &str,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        let mut found = None;
        for candidate in tx.open_activities_in(group.id).await? {
            if tx.announcement_message(candidate.id).await?.as_deref() == Some(replied) {
                found = Some(candidate);
                break;
            }
        }
        let Some(found) = found else {
            return Ok(None);
        };
        let outcome = self.change(tx, event, group, member, &found, true).await?;
        let mut planned = self
            .reply(tx, sink, outcome.text.clone(), Some(message_id.to_owned()))
            .await?;
        let hint = Some(replied.to_owned());
        planned.extend(
            self.after_change(tx, sink, group, &found, &outcome, hint)
                .await?,
        );
        Ok(Some(planned))
    }

    /// A press on an event's button (`act:{id}:join`, `act:{id}:leave`):
    /// the answer goes to the presser alone.
    pub(super) async fn activity_press(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        data: &str,
        query: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut parts = data.split(':').skip(1);
        let id = parts.next().and_then(|id| id.parse::<i64>().ok());
        let join = match parts.next() {
            Some("join") => true,
            Some("leave") => false,
            _ => return Ok(Vec::new()),
        };
        let found = match id {
            Some(id) => tx.activity(id).await?.filter(|a| a.group == group.id),
            None => None,
        };
        let mut planned = Vec::new();
        let text = match found {
            Some(found) => {
                let member = self
                    .member_id(tx, event.platform, &event.member, event.at)
                    .await?;
                let outcome = self.change(tx, event, group, member, &found, join).await?;
                let hint = match &event.payload {
                    steward_core::EventPayload::ButtonPressed { message_id, .. } => {
                        message_id.clone()
                    }
                    _ => None,
                };
                planned.extend(
                    self.after_change(tx, sink, group, &found, &outcome, hint)
                        .await?,
                );
                outcome.text
            }
            None => ActivityText::NoneOpen.render(group.lang),
        };
        if let Some(query) = query {
            let action = Action::AnswerButton {
                query,
                text: Some(text),
            };
            planned.extend(self.queue(tx, sink, action, None, None).await?);
        }
        Ok(planned)
    }

    /// Signs a member up (`join`) or cancels their sign-up.
    async fn change(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        found: &Activity,
        join: bool,
    ) -> Result<Outcome, PipelineError> {
        let lang = group.lang;
        let title = found.title.as_str();
        let name = display_name(&event.member);
        let unchanged = |text: ActivityText<'_>| Outcome {
            text: text.render(lang),
            changed: false,
            promoted: None,
        };
        if !found.is_open() || found.starts <= event.at {
            return Ok(unchanged(ActivityText::Closed { title }));
        }
        let before = tx.activity_signups(found.id).await?;
        let index = before.iter().position(|s| s.member == member);
        if join {
            if index.is_some() {
                return Ok(unchanged(ActivityText::AlreadySignedUp { title }));
            }
            tx.add_signup(found.id, member, &event.member.id, Some(name), event.at)
                .await?;
            let text = match activity::waiting_place(found.cap, before.len()) {
                Some(place) => ActivityText::Waitlisted { name, title, place },
                None => ActivityText::SignedUp { name, title },
            };
            return Ok(Outcome {
                text: text.render(lang),
                changed: true,
                promoted: None,
            });
        }
        let Some(index) = index else {
            return Ok(unchanged(ActivityText::NotSignedUp { title }));
        };
        tx.remove_signup(found.id, member).await?;
        let promoted = activity::promoted(found.cap, before.len(), index).and_then(|at| {
            let after: Vec<_> = before
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, s)| s)
                .collect();
            after.get(at).map(|s| (s.platform_id.clone(), s.shown()))
        });
        Ok(Outcome {
            text: ActivityText::Left { name, title }.render(lang),
            changed: true,
            promoted,
        })
    }

    /// The list updated and whoever moved up told.
    async fn after_change(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        group: GroupInfo,
        found: &Activity,
        outcome: &Outcome,
        hint: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut planned = Vec::new();
        if !outcome.changed {
            return Ok(planned);
        }
        if let Some((platform_id, name)) = &outcome.promoted {
            let text = ActivityText::Promoted {
                name,
                title: &found.title,
            }
            .render(group.lang);
            planned.extend(self.say(tx, sink, text.clone()).await?);
            let dm = Action::DirectMessage {
                member: platform_id.clone(),
                text,
            };
            planned.extend(self.queue(tx, sink, dm, None, None).await?);
        }
        planned.extend(
            self.refresh_list(tx, sink, found, group.lang, hint, true, true)
                .await?,
        );
        Ok(planned)
    }

    /// Shows the current list: the announcement edited where the platform
    /// can and its message id is known, else (when `post_if_no_edit`) the
    /// list posted again.
    #[allow(clippy::too_many_arguments)]
    async fn refresh_list(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        found: &Activity,
        lang: Lang,
        hint: Option<String>,
        open: bool,
        post_if_no_edit: bool,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let settings = self.settings(tx, found.group).await?;
        let names: Vec<String> = tx
            .activity_signups(found.id)
            .await?
            .iter()
            .map(|s| s.shown())
            .collect();
        let starts = starts_text(&settings, found.starts);
        let text = ActivityText::List {
            event: Shown {
                id: found.id,
                title: &found.title,
                description: &found.description,
                starts: &starts,
                cap: found.cap,
            },
            names: &names,
            open,
        }
        .render(lang);
        let message = match hint {
            Some(message) => Some(message),
            None => tx.announcement_message(found.id).await?,
        };
        let can_edit = Capabilities::of_platform(sink.platform).supports(ActionKind::EditMessage);
        let action = match message {
            Some(message) if can_edit => Action::EditMessage {
                message,
                text,
                buttons: buttons(sink.platform, found.id, open, lang),
            },
            _ if post_if_no_edit => Action::SendMessage {
                text,
                buttons: buttons(sink.platform, found.id, open, lang),
                reply_to: None,
                delete_after: None,
            },
            _ => return Ok(Vec::new()),
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    /// A message in the group, replying to nothing.
    async fn say(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        text: String,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        self.reply(tx, sink, text, None).await
    }
}
