//! Feedback and complaint tickets: opened by a member's `/feedback` or
//! `/complain` (in the group, or in private with the bot), alerted to the
//! admins' chat once when nobody answered within the group's target, and
//! changed by the team from the dashboard (status, assignee, notes, tags, a
//! reply that resolves the ticket and is sent to the member).
//!
//! A ticket sent in private belongs to the group the member last wrote in
//! (Steward cannot ask which without a conversation, and the last group is
//! nearly always the one meant); a member in no known group is asked to
//! send it from the group.

use chrono::Duration;
use steward_core::i18n::{self, Lang};
use steward_core::settings::ChatSettings;
use steward_core::texts::BotText;
use steward_core::tickets::{self, BadTransition, TicketStatus};
use steward_core::{
    Action, AuditKind, Capabilities, IncomingEvent, MemberId, MessageContent, PlannedAction,
    Platform, Timestamp, UserId,
};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::tickets::{NewTicket, Ticket};

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError, display_name};
use crate::command::{self, Command};

/// Overdue tickets alerted per timer round.
const ALERT_BATCH: i64 = 100;
/// The longest ticket text, note or reply kept, in characters.
pub const MAX_TICKET_TEXT: usize = 4000;

/// A change the team makes to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketChange {
    /// Move it to a status (not `resolved`: resolving needs a reply).
    Status(TicketStatus),
    /// Assign it to a dashboard user, or to nobody.
    Assign(Option<UserId>),
    /// Add an internal note, never shown to the member.
    Note(String),
    /// Set its category and root-cause tags.
    Tags {
        /// The category (one of the group's).
        category: String,
        /// The root-cause tags (from the group's list).
        tags: Vec<String>,
    },
    /// Resolve it with this reply, which the member is sent.
    Resolve(String),
}

/// Why a change to a ticket was refused.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    /// No such ticket.
    #[error("no such ticket")]
    NotFound,
    /// The status cannot move that way.
    #[error(transparent)]
    Transition(#[from] BadTransition),
    /// Someone changed the ticket meanwhile.
    #[error("the ticket changed meanwhile; reload it")]
    Conflict,
    /// Something in the request is wrong.
    #[error("{0}")]
    Invalid(&'static str),
    /// The store failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl From<steward_storage::StoreError> for TicketError {
    fn from(error: steward_storage::StoreError) -> TicketError {
        TicketError::Pipeline(error.into())
    }
}

/// Text cut to [`MAX_TICKET_TEXT`] characters and trimmed.
fn bounded(text: &str) -> String {
    text.trim().chars().take(MAX_TICKET_TEXT).collect()
}

impl Pipeline {
    /// `/feedback` or `/complain` in a group: opens a ticket and answers
    /// with its number.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn ticket_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        category: &str,
        text: &str,
        settings: &ChatSettings,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let title = event.group.title.as_deref().unwrap_or(&event.group.id);
        let number = self
            .open_ticket(
                tx, sink, event, group, title, group.id, member, category, text, settings,
            )
            .await?;
        let answer = BotText::TicketOpened { number }.render(group.lang);
        self.reply(tx, sink, answer, reply_to).await
    }

    /// `/feedback` or `/complain` sent to the bot in private; `None` when
    /// the message is something else (a join answer, say).
    pub(super) async fn ticket_in_private(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        chat: GroupInfo,
        member: MemberId,
        message: &MessageContent,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        let bot = self.own_username(event.platform);
        let category = match command::parse(&message.text, false, bot.as_deref()) {
            Some(Ok(Command::Feedback { text })) => (tickets::FEEDBACK, text),
            Some(Ok(Command::Complain { text })) => (tickets::COMPLAINT, text),
            Some(Err(err @ command::CommandError::MissingText { .. })) => {
                let text = err.reply().render(chat.lang);
                return Ok(Some(
                    self.reply(tx, sink, text, Some(message.id.clone())).await?,
                ));
            }
            _ => return Ok(None),
        };
        let (category, text) = category;
        let reply_to = Some(message.id.clone());
        let Some(target) = tx
            .last_group_of(event.platform, &event.member.id, chat.id)
            .await?
        else {
            let text = BotText::TicketNoGroup.render(chat.lang);
            return Ok(Some(self.reply(tx, sink, text, reply_to).await?));
        };
        let lang = self.group_lang(tx, target).await?;
        let settings = self.settings(tx, target).await?;
        let title = tx
            .group_title(target)
            .await?
            .unwrap_or_else(|| target.0.to_string());
        let group = GroupInfo { id: target, lang };
        let number = self
            .open_ticket(
                tx, sink, event, group, &title, chat.id, member, category, &text, &settings,
            )
            .await?;
        let answer = BotText::TicketOpened { number }.render(lang);
        Ok(Some(self.reply(tx, sink, answer, reply_to).await?))
    }

    /// Records a ticket, audits it and tells the admins' chat.
    #[allow(clippy::too_many_arguments)]
    async fn open_ticket(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        title: &str,
        origin: steward_core::GroupId,
        member: MemberId,
        category: &str,
        text: &str,
        settings: &ChatSettings,
    ) -> Result<i64, PipelineError> {
        let text = bounded(text);
        let actor = format!("{}:{}", event.platform, event.member.id);
        let origin_message = event
            .payload
            .message()
            .map(|m| m.id.clone())
            .or_else(|| match &event.payload {
                steward_core::EventPayload::DirectMessage { message } => Some(message.id.clone()),
                _ => None,
            });
        let number = tx
            .insert_ticket(&NewTicket {
                group: group.id,
                member,
                origin_group: origin,
                origin_message: origin_message.as_deref(),
                event: sink.event,
                category,
                text: &text,
                at: event.at,
                due: tickets::due_at(event.at, settings.tickets.response_hours()),
                actor: &actor,
            })
            .await?;
        tx.insert_audit(&NewAudit {
            at: event.at,
            actor,
            action: AuditKind::TicketOpened.as_str().to_owned(),
            group: Some(group.id),
            member: Some(member),
            target: Some(format!("ticket:{number}")),
            reason: Some(category.to_owned()),
            event: sink.event,
            ..NewAudit::default()
        })
        .await?;
        let card = BotText::TicketCard {
            number,
            group: title,
            member: display_name(&event.member),
            category,
            text: &text,
        }
        .render(group.lang);
        self.tell_admins(
            tx,
            event.platform,
            settings,
            group.lang,
            format!("{}:ticket", sink.key),
            card,
            event.at,
        )
        .await?;
        Ok(number)
    }

    /// Sends a plain message to a group's admins' chat, if it has one.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn tell_admins(
        &self,
        tx: &mut Tx,
        platform: Platform,
        settings: &ChatSettings,
        lang: Lang,
        key: String,
        text: String,
        at: Timestamp,
    ) -> Result<bool, PipelineError> {
        let Some(admin_chat) = settings.admin_chat.as_deref() else {
            return Ok(false);
        };
        let (chat, _) = tx
            .upsert_group(platform, admin_chat, None, lang, at)
            .await?;
        let mut sink = Sink::new(
            platform,
            chat,
            admin_chat,
            None,
            key,
            "system".to_owned(),
            at,
        );
        let action = Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to: None,
            delete_after: None,
        };
        Ok(self
            .queue(tx, &mut sink, action, None, None)
            .await?
            .is_some())
    }

    /// Alerts the admins' chat, once per ticket, about tickets nobody
    /// answered within the group's response-time target.
    pub(super) async fn run_ticket_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self
            .inner
            .store
            .overdue_unalerted_tickets(now, ALERT_BATCH)
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut done = 0;
        for ticket in due {
            // Another round (or a reply) may have come first.
            if !tx.mark_ticket_alerted(ticket.id, now).await? {
                continue;
            }
            let settings = self.settings(&mut tx, ticket.group).await?;
            let lang = self.group_lang(&mut tx, ticket.group).await?;
            let age = i18n::duration((now - ticket.created_at).num_minutes().max(1), lang);
            let title = ticket
                .group_title
                .clone()
                .unwrap_or_else(|| ticket.group_platform_id.clone());
            let text = BotText::TicketOverdue {
                number: ticket.id,
                group: &title,
                member: ticket
                    .member_name
                    .as_deref()
                    .unwrap_or(&ticket.member_platform_id),
                age: &age,
                text: &ticket.text,
            }
            .render(lang);
            self.tell_admins(
                &mut tx,
                ticket.platform,
                &settings,
                lang,
                format!("ticket:{}:overdue", ticket.id),
                text,
                // Due now even when asked about a later time: the outbox
                // runs on the wall clock.
                now.min(chrono::Utc::now()),
            )
            .await?;
            tx.add_ticket_entry(ticket.id, "alert", "system", None, Some(&age), now)
                .await?;
            tx.insert_audit(&NewAudit {
                at: now,
                actor: "system".to_owned(),
                action: AuditKind::TicketOverdue.as_str().to_owned(),
                group: Some(ticket.group),
                member: Some(ticket.member),
                target: Some(format!("ticket:{}", ticket.id)),
                reason: Some(format!(
                    "no response within {} h",
                    (ticket.due_at - ticket.created_at).num_hours()
                )),
                ..NewAudit::default()
            })
            .await?;
            done += 1;
        }
        tx.commit().await?;
        drop(turn);
        if done > 0 {
            self.wake_delivery();
        }
        Ok(done)
    }

    /// Applies a team member's change to a ticket, audited as `actor`
    /// (`user:NAME`). Resolving sends the reply to the member: in private
    /// where the platform can, else in the chat they wrote from, in reply
    /// to their command.
    pub async fn change_ticket(
        &self,
        id: i64,
        change: TicketChange,
        actor: &str,
        now: Timestamp,
    ) -> Result<Ticket, TicketError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let ticket = tx.ticket(id).await?.ok_or(TicketError::NotFound)?;
        let settings = self.settings(&mut tx, ticket.group).await?;
        let from = TicketStatus::parse(&ticket.status).unwrap_or(TicketStatus::Open);
        let mut queued = false;
        let (kind, reason) = match change {
            TicketChange::Status(to) => {
                if to == TicketStatus::Resolved {
                    return Err(TicketError::Invalid(
                        "resolving needs a reply to the member",
                    ));
                }
                tickets::transition(from, to)?;
                if !tx
                    .set_ticket_status(
                        id,
                        from.as_str(),
                        to.as_str(),
                        tickets::is_response(to),
                        None,
                        now,
                    )
                    .await?
                {
                    return Err(TicketError::Conflict);
                }
                tx.add_ticket_entry(id, "status", actor, Some(to.as_str()), None, now)
                    .await?;
                (
                    AuditKind::TicketStatusChanged,
                    format!("{} → {}", from.as_str(), to.as_str()),
                )
            }
            TicketChange::Assign(user) => {
                let name = match user {
                    Some(user) => Some(
                        self.inner
                            .store
                            .user(user)
                            .await?
                            .ok_or(TicketError::Invalid("no such user"))?
                            .name,
                    ),
                    None => None,
                };
                tx.set_ticket_assignee(id, user, now).await?;
                tx.add_ticket_entry(id, "assigned", actor, None, name.as_deref(), now)
                    .await?;
                (
                    AuditKind::TicketAssigned,
                    name.unwrap_or_else(|| "-".to_owned()),
                )
            }
            TicketChange::Note(note) => {
                let note = bounded(&note);
                if note.is_empty() {
                    return Err(TicketError::Invalid("the note is empty"));
                }
                tx.add_ticket_entry(id, "note", actor, None, Some(&note), now)
                    .await?;
                tx.set_ticket_category(id, &ticket.category, now).await?;
                // The note is internal: the audit log says one was added, not what.
                (AuditKind::TicketNoted, "note".to_owned())
            }
            TicketChange::Tags { category, tags } => {
                let category = tickets::clean_tag(&category).unwrap_or_default();
                if !settings.tickets.has_category(&category) {
                    return Err(TicketError::Invalid("unknown category"));
                }
                let allowed = settings.tickets.root_causes();
                let mut clean: Vec<String> = Vec::new();
                for tag in tags.iter().filter_map(|t| tickets::clean_tag(t)) {
                    if !allowed.contains(&tag) {
                        return Err(TicketError::Invalid("unknown root-cause tag"));
                    }
                    if !clean.contains(&tag) {
                        clean.push(tag);
                    }
                }
                clean.sort();
                tx.set_ticket_category(id, &category, now).await?;
                tx.set_ticket_tags(id, &clean).await?;
                let body = format!("{category}: {}", clean.join(", "));
                tx.add_ticket_entry(id, "tags", actor, None, Some(&body), now)
                    .await?;
                (AuditKind::TicketTagged, body)
            }
            TicketChange::Resolve(reply) => {
                let reply = bounded(&reply);
                if reply.is_empty() {
                    return Err(TicketError::Invalid("the reply is empty"));
                }
                tickets::transition(from, TicketStatus::Resolved)?;
                if !tx
                    .set_ticket_status(id, from.as_str(), "resolved", true, Some(&reply), now)
                    .await?
                {
                    return Err(TicketError::Conflict);
                }
                tx.add_ticket_entry(id, "reply", actor, None, Some(&reply), now)
                    .await?;
                tx.add_ticket_entry(id, "status", actor, Some("resolved"), None, now)
                    .await?;
                queued = self
                    .tell_member(&mut tx, &ticket, &reply, actor, now)
                    .await?;
                (AuditKind::TicketResolved, reply)
            }
        };
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: kind.as_str().to_owned(),
            group: Some(ticket.group),
            member: Some(ticket.member),
            target: Some(format!("ticket:{id}")),
            reason: Some(reason),
            ..NewAudit::default()
        })
        .await?;
        let changed = tx.ticket(id).await?.ok_or(TicketError::NotFound)?;
        tx.commit().await?;
        drop(turn);
        if queued {
            self.wake_delivery();
        }
        Ok(changed)
    }

    /// Sends the resolution to the member who opened the ticket.
    async fn tell_member(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        reply: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let lang = self.group_lang(tx, ticket.group).await?;
        let title = ticket
            .group_title
            .clone()
            .unwrap_or_else(|| ticket.group_platform_id.clone());
        let text = BotText::TicketResolved {
            number: ticket.id,
            group: &title,
            text: reply,
        }
        .render(lang);
        let key = format!("ticket:{}:resolved:{}", ticket.id, now.timestamp_millis());
        let caps = Capabilities::of_platform(ticket.platform);
        let (chat, chat_pid, action) = if caps.supports(steward_core::ActionKind::DirectMessage) {
            (
                ticket.group,
                ticket.group_platform_id.as_str(),
                Action::DirectMessage {
                    member: ticket.member_platform_id.clone(),
                    text,
                },
            )
        } else {
            (
                ticket.origin_group,
                ticket.origin_platform_id.as_str(),
                Action::SendMessage {
                    text,
                    buttons: Vec::new(),
                    reply_to: ticket.origin_message.clone(),
                    delete_after: None,
                },
            )
        };
        let mut sink = Sink::new(
            ticket.platform,
            chat,
            chat_pid,
            None,
            key,
            actor.to_owned(),
            now,
        );
        Ok(self
            .queue(tx, &mut sink, action, Some(ticket.member), None)
            .await?
            .is_some())
    }
}

/// How long ago, for pages: whole hours, at least one minute.
pub fn ticket_age(opened: Timestamp, now: Timestamp, lang: Lang) -> String {
    i18n::duration((now - opened).max(Duration::minutes(1)).num_minutes(), lang)
}
