//! Telegram updates into Steward's normalized events. Pure: the admin cache
//! and the poll registry come in as a [`MapContext`].
//!
//! Event ids are chosen so that one thing seen twice maps to one id, even
//! when it arrives by two routes (a `chat_member` join and the
//! `new_chat_members` service message of the same join share
//! `join:{user}:{date}`), and never depend on `update_id`, which Telegram
//! may restart after a week without updates.

use chrono::DateTime;
use steward_core::model::GroupRole;
use steward_core::{
    Attachment, AttachmentKind, EventPayload, ForwardOrigin, GroupRef, IncomingEvent, MemberRef,
    Mention, MessageContent, Platform, Timestamp,
};

use crate::types::{Chat, ChatMemberUpdated, Message, MessageEntity, Update, User};

/// Telegram's service account that forwards a linked channel's posts into
/// its discussion group; never a spammer.
pub const TELEGRAM_SERVICE_USER: i64 = 777_000;

/// What the mapper needs to know beyond the update itself.
pub trait MapContext {
    /// A member's role in a chat, when the admin list of the chat is known.
    fn role_of(&self, chat: i64, user: i64) -> Option<GroupRole>;
    /// The chat a poll the bot sent lives in.
    fn poll_chat(&self, poll_id: &str) -> Option<i64>;
    /// The time now: button presses and poll answers carry no date.
    fn now(&self) -> Timestamp;
}

/// The events of one update, and what the adapter should do about it.
#[derive(Debug, Default, PartialEq)]
pub struct Mapped {
    /// Events for the pipeline.
    pub events: Vec<IncomingEvent>,
    /// Chats whose admin list changed and should be fetched again.
    pub refresh_admins: Vec<i64>,
    /// Chats whose title is known from this update (for the chat registry).
    pub chats: Vec<(i64, Option<String>)>,
}

/// Maps one update.
pub fn map_update(update: &Update, ctx: &impl MapContext) -> Mapped {
    let mut out = Mapped::default();
    if let Some(message) = &update.message {
        map_message(message, false, ctx, &mut out);
    }
    if let Some(message) = &update.edited_message {
        map_message(message, true, ctx, &mut out);
    }
    if let Some(change) = &update.chat_member {
        map_member_change(change, ctx, &mut out);
    }
    if let Some(change) = &update.my_chat_member {
        // The bot's own rights changed: its view of the admin list is stale.
        out.refresh_admins.push(change.chat.id);
        out.chats.push((change.chat.id, change.chat.title.clone()));
    }
    if let Some(request) = &update.chat_join_request {
        out.events.push(event(
            format!("jr:{}:{}", request.from.id, request.date),
            &request.chat,
            member(&request.from, None),
            request.date,
            EventPayload::JoinRequest {
                answer: request.bio.clone().filter(|b| !b.is_empty()),
                invite_link: request.invite_link.as_ref().map(|l| l.invite_link.clone()),
            },
        ));
    }
    if let Some(query) = &update.callback_query
        && let Some(message) = &query.message
    {
        out.events.push(event(
            format!("cb:{}", query.id),
            &message.chat,
            member(&query.from, ctx.role_of(message.chat.id, query.from.id)),
            0,
            EventPayload::ButtonPressed {
                message_id: Some(message.message_id.to_string()),
                data: query.data.clone().unwrap_or_default(),
                query_id: Some(query.id.clone()),
            },
        ));
        if let Some(last) = out.events.last_mut() {
            last.at = ctx.now();
        }
    }
    if let Some(reaction) = &update.message_reaction
        && let Some(user) = &reaction.user
    {
        let before: Vec<String> = reaction.old_reaction.iter().map(|r| r.key()).collect();
        let now: Vec<String> = reaction.new_reaction.iter().map(|r| r.key()).collect();
        let added = now
            .iter()
            .filter(|k| !before.contains(k))
            .map(|k| (k, true));
        let removed = before
            .iter()
            .filter(|k| !now.contains(k))
            .map(|k| (k, false));
        for (emoji, added) in added.chain(removed) {
            out.events.push(event(
                format!(
                    "r:{}:{}:{}:{}{}",
                    reaction.message_id,
                    user.id,
                    reaction.date,
                    if added { "+" } else { "-" },
                    emoji
                ),
                &reaction.chat,
                member(user, ctx.role_of(reaction.chat.id, user.id)),
                reaction.date,
                EventPayload::Reaction {
                    message_id: reaction.message_id.to_string(),
                    emoji: emoji.clone(),
                    added,
                },
            ));
        }
    }
    if let Some(answer) = &update.poll_answer
        && let Some(user) = &answer.user
        && let Some(chat) = ctx.poll_chat(&answer.poll_id)
    {
        let options = answer
            .option_ids
            .iter()
            .filter_map(|&o| u32::try_from(o).ok())
            .collect();
        out.events.push(IncomingEvent {
            platform: Platform::Telegram,
            event_id: format!("pa:{}:{}:{}", answer.poll_id, user.id, update.update_id),
            group: GroupRef {
                id: chat.to_string(),
                title: None,
            },
            member: member(user, ctx.role_of(chat, user.id)),
            at: ctx.now(),
            payload: EventPayload::PollAnswer {
                poll_id: answer.poll_id.clone(),
                options,
            },
        });
    }
    out
}

fn map_message(message: &Message, edited: bool, ctx: &impl MapContext, out: &mut Mapped) {
    let chat = &message.chat;
    if !chat.is_group() && !chat.is_private() {
        return;
    }
    out.chats.push((chat.id, chat.title.clone()));
    let Some(sender) = sender(message, ctx) else {
        return;
    };
    if chat.is_private() {
        if edited {
            return;
        }
        out.events.push(event(
            message.message_id.to_string(),
            chat,
            sender,
            message.date,
            EventPayload::DirectMessage {
                message: content(message),
            },
        ));
        return;
    }
    if let Some(joined) = &message.new_chat_members {
        for user in joined {
            let inviter = (message.from.as_ref().map(|f| f.id) != Some(user.id))
                .then(|| message.from.as_ref().map(|f| member(f, None)))
                .flatten();
            out.events.push(event(
                format!("join:{}:{}", user.id, message.date),
                chat,
                member(user, ctx.role_of(chat.id, user.id)),
                message.date,
                EventPayload::MemberJoined {
                    invite_link: None,
                    inviter,
                },
            ));
        }
        return;
    }
    if let Some(user) = &message.left_chat_member {
        let removed_by = message
            .from
            .as_ref()
            .filter(|f| f.id != user.id)
            .map(|f| member(f, None));
        out.events.push(event(
            format!("left:{}:{}", user.id, message.date),
            chat,
            member(user, None),
            message.date,
            EventPayload::MemberLeft { removed_by },
        ));
        return;
    }
    if message.new_chat_title.is_some() || message.migrate_to_chat_id.is_some() {
        return;
    }
    let (id, payload) = if edited {
        let at = message.edit_date.unwrap_or(message.date);
        (
            format!("{}.e{at}", message.message_id),
            EventPayload::MessageEdited {
                message: content(message),
            },
        )
    } else {
        (
            message.message_id.to_string(),
            EventPayload::Message {
                message: content(message),
            },
        )
    };
    let at = if edited {
        message.edit_date.unwrap_or(message.date)
    } else {
        message.date
    };
    out.events.push(event(id, chat, sender, at, payload));
}

/// Who a message is from. Posts by the group itself (anonymous admins) and
/// by Telegram's forwarding account count as the group's admins; posts as
/// another channel are that channel's.
fn sender(message: &Message, ctx: &impl MapContext) -> Option<MemberRef> {
    let chat = message.chat.id;
    if let Some(as_chat) = &message.sender_chat {
        let linked = message.from.as_ref().map(|f| f.id) == Some(TELEGRAM_SERVICE_USER);
        let role = (as_chat.id == chat || linked).then_some(GroupRole::Admin);
        return Some(MemberRef {
            id: as_chat.id.to_string(),
            name: as_chat.title.clone(),
            username: as_chat.username.clone(),
            is_bot: false,
            role,
        });
    }
    let from = message.from.as_ref()?;
    let role = if from.id == TELEGRAM_SERVICE_USER {
        Some(GroupRole::Admin)
    } else {
        ctx.role_of(chat, from.id)
    };
    Some(member(from, role))
}

fn map_member_change(change: &ChatMemberUpdated, ctx: &impl MapContext, out: &mut Mapped) {
    let chat = &change.chat;
    out.chats.push((chat.id, chat.title.clone()));
    let old = &change.old_chat_member;
    let new = &change.new_chat_member;
    let user = &new.user;
    if old.is_admin() != new.is_admin() || new.status == "creator" {
        out.refresh_admins.push(chat.id);
    }
    let role = if new.status == "creator" {
        Some(GroupRole::Owner)
    } else if new.is_admin() {
        Some(GroupRole::Admin)
    } else {
        ctx.role_of(chat.id, user.id).map(|_| GroupRole::Member)
    };
    match (old.is_present(), new.is_present()) {
        (false, true) => {
            let inviter = (change.from.id != user.id).then(|| member(&change.from, None));
            out.events.push(event(
                format!("join:{}:{}", user.id, change.date),
                chat,
                member(user, role),
                change.date,
                EventPayload::MemberJoined {
                    invite_link: change.invite_link.as_ref().map(|l| l.invite_link.clone()),
                    inviter,
                },
            ));
        }
        (true, false) => {
            let removed_by = (change.from.id != user.id).then(|| member(&change.from, None));
            out.events.push(event(
                format!("left:{}:{}", user.id, change.date),
                chat,
                member(user, None),
                change.date,
                EventPayload::MemberLeft { removed_by },
            ));
        }
        _ => {}
    }
}

fn event(
    id: String,
    chat: &Chat,
    member: MemberRef,
    date: i64,
    payload: EventPayload,
) -> IncomingEvent {
    IncomingEvent {
        platform: Platform::Telegram,
        event_id: id,
        group: GroupRef {
            id: chat.id.to_string(),
            title: chat
                .title
                .clone()
                .or_else(|| chat.first_name.clone().filter(|_| chat.is_private())),
        },
        member,
        at: unix(date),
        payload,
    }
}

fn unix(seconds: i64) -> Timestamp {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

/// A Telegram user as a Steward member.
pub fn member(user: &User, role: Option<GroupRole>) -> MemberRef {
    MemberRef {
        id: user.id.to_string(),
        name: Some(user.full_name()).filter(|n| !n.is_empty()),
        username: user.username.clone(),
        is_bot: user.is_bot,
        role,
    }
}

fn content(message: &Message) -> MessageContent {
    let (text, entities) = match (&message.text, &message.caption) {
        (Some(text), _) => (text.as_str(), &message.entities),
        (None, Some(caption)) => (caption.as_str(), &message.caption_entities),
        (None, None) => ("", &message.entities),
    };
    let mut links = Vec::new();
    let mut mentions = Vec::new();
    for entity in entities {
        match entity.kind.as_str() {
            "text_link" => links.extend(entity.url.clone()),
            "url" => links.extend(entity_text(text, entity)),
            "mention" => mentions.push(Mention {
                id: None,
                name: entity_text(text, entity).map(|t| t.trim_start_matches('@').to_owned()),
            }),
            "text_mention" => mentions.push(Mention {
                id: entity.user.as_ref().map(|u| u.id.to_string()),
                name: entity.user.as_ref().map(User::full_name),
            }),
            _ => {}
        }
    }
    // URL buttons under a message are links too (a favourite of ad bots).
    if let Some(rows) = message
        .reply_markup
        .as_ref()
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(|k| k.as_array())
    {
        for button in rows.iter().filter_map(|r| r.as_array()).flatten() {
            if let Some(url) = button.get("url").and_then(|u| u.as_str()) {
                links.push(url.to_owned());
            }
        }
    }
    MessageContent {
        id: message.message_id.to_string(),
        text: text.to_owned(),
        reply_to: message
            .reply_to_message
            .as_ref()
            .map(|r| r.message_id.to_string()),
        reply_to_member: message
            .reply_to_message
            .as_ref()
            .and_then(|r| r.from.as_ref())
            .map(|u| member(u, None)),
        forwarded_from: message.forward_origin.as_ref().map(|origin| {
            let (id, name) = match origin.kind.as_str() {
                "user" => origin
                    .sender_user
                    .as_ref()
                    .map(|u| (Some(u.id.to_string()), Some(u.full_name())))
                    .unwrap_or_default(),
                "hidden_user" => (None, origin.sender_user_name.clone()),
                "chat" => origin
                    .sender_chat
                    .as_ref()
                    .map(|c| (Some(c.id.to_string()), c.title.clone()))
                    .unwrap_or_default(),
                _ => origin
                    .chat
                    .as_ref()
                    .map(|c| (Some(c.id.to_string()), c.title.clone()))
                    .unwrap_or_default(),
            };
            let kind = match origin.kind.as_str() {
                "hidden_user" => "hidden",
                "chat" => "group",
                other => other,
            };
            ForwardOrigin {
                id,
                name,
                kind: Some(kind.to_owned()),
            }
        }),
        links,
        mentions,
        attachments: attachments(message),
    }
}

/// The text an entity covers. Offsets count UTF-16 code units.
fn entity_text(text: &str, entity: &MessageEntity) -> Option<String> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let end = entity.offset.checked_add(entity.length)?;
    let slice = units.get(entity.offset..end)?;
    String::from_utf16(slice).ok()
}

fn attachments(message: &Message) -> Vec<Attachment> {
    let plain = |kind| Attachment {
        kind,
        name: None,
        size: None,
    };
    let mut out = Vec::new();
    if message.photo.is_some() {
        out.push(plain(AttachmentKind::Photo));
    }
    if message.video.is_some() || message.video_note.is_some() {
        out.push(plain(AttachmentKind::Video));
    }
    if message.audio.is_some() {
        out.push(plain(AttachmentKind::Audio));
    }
    if message.voice.is_some() {
        out.push(plain(AttachmentKind::Voice));
    }
    if let Some(doc) = &message.document {
        // An animation also comes with a document field; count it once.
        if message.animation.is_none() {
            out.push(Attachment {
                kind: AttachmentKind::Document,
                name: doc.file_name.clone(),
                size: doc.file_size,
            });
        }
    }
    if message.sticker.is_some() {
        out.push(plain(AttachmentKind::Sticker));
    }
    if message.animation.is_some() {
        out.push(plain(AttachmentKind::Animation));
    }
    if message.contact.is_some() {
        out.push(plain(AttachmentKind::Contact));
    }
    if message.location.is_some() || message.venue.is_some() {
        out.push(plain(AttachmentKind::Location));
    }
    if message.poll.is_some() {
        out.push(plain(AttachmentKind::Poll));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Ctx;
    impl MapContext for Ctx {
        fn role_of(&self, _chat: i64, user: i64) -> Option<GroupRole> {
            Some(if user == 7 {
                GroupRole::Admin
            } else {
                GroupRole::Member
            })
        }
        fn poll_chat(&self, poll_id: &str) -> Option<i64> {
            (poll_id == "p1").then_some(-100)
        }
        fn now(&self) -> Timestamp {
            unix(1_790_000_000)
        }
    }

    fn update(value: serde_json::Value) -> Update {
        serde_json::from_value(value).unwrap()
    }

    fn group() -> serde_json::Value {
        json!({"id": -100, "type": "supergroup", "title": "Rust 中文"})
    }

    #[test]
    fn a_message_with_hidden_link_mention_and_photo() {
        let u = update(json!({"update_id": 1, "message": {
            "message_id": 5, "date": 1_790_000_000, "chat": group(),
            "from": {"id": 9, "is_bot": false, "first_name": "Ann", "last_name": "Lee", "username": "ann"},
            "caption": "看 @bob 这里",
            "caption_entities": [
                {"type": "mention", "offset": 2, "length": 4},
                {"type": "text_link", "offset": 7, "length": 2, "url": "https://spam.example/x"}
            ],
            "photo": [{"file_id": "a", "file_unique_id": "b", "width": 1, "height": 1}],
            "reply_to_message": {"message_id": 4, "date": 1_789_999_000, "chat": group(),
                "from": {"id": 11, "is_bot": false, "first_name": "Bob"}}
        }}));
        let mapped = map_update(&u, &Ctx);
        assert_eq!(mapped.events.len(), 1);
        let e = &mapped.events[0];
        assert_eq!(e.event_id, "5");
        assert_eq!(e.group.id, "-100");
        assert_eq!(e.member.name.as_deref(), Some("Ann Lee"));
        assert_eq!(e.member.role, Some(GroupRole::Member));
        let m = e.payload.message().unwrap();
        assert_eq!(m.text, "看 @bob 这里");
        assert_eq!(m.links, vec!["https://spam.example/x".to_owned()]);
        assert_eq!(m.mentions[0].name.as_deref(), Some("bob"));
        assert_eq!(m.attachments[0].kind, AttachmentKind::Photo);
        assert_eq!(m.reply_to.as_deref(), Some("4"));
        assert_eq!(m.reply_to_member.as_ref().unwrap().id, "11");
    }

    #[test]
    fn entity_offsets_count_utf16_units() {
        // "😀" is two UTF-16 units: the URL starts at unit 3, not char 2.
        let u = update(json!({"update_id": 1, "message": {
            "message_id": 5, "date": 1, "chat": group(),
            "from": {"id": 9, "first_name": "A"},
            "text": "😀 t.me/x",
            "entities": [{"type": "url", "offset": 3, "length": 6}]
        }}));
        let m = map_update(&u, &Ctx).events.remove(0);
        assert_eq!(
            m.payload.message().unwrap().links,
            vec!["t.me/x".to_owned()]
        );
    }

    #[test]
    fn edits_get_their_own_id() {
        let u = update(json!({"update_id": 2, "edited_message": {
            "message_id": 5, "date": 1, "edit_date": 70, "chat": group(),
            "from": {"id": 9, "first_name": "A"}, "text": "now an ad"
        }}));
        let e = map_update(&u, &Ctx).events.remove(0);
        assert_eq!(e.event_id, "5.e70");
        assert_eq!(e.kind(), steward_core::EventKind::MessageEdited);
    }

    #[test]
    fn service_join_and_chat_member_join_share_an_id() {
        let service = update(json!({"update_id": 3, "message": {
            "message_id": 6, "date": 100, "chat": group(),
            "from": {"id": 12, "first_name": "New"},
            "new_chat_members": [{"id": 12, "first_name": "New"}]
        }}));
        let change = update(json!({"update_id": 4, "chat_member": {
            "chat": group(), "from": {"id": 12, "first_name": "New"}, "date": 100,
            "old_chat_member": {"status": "left", "user": {"id": 12, "first_name": "New"}},
            "new_chat_member": {"status": "member", "user": {"id": 12, "first_name": "New"}},
            "invite_link": {"invite_link": "https://t.me/+abc", "creates_join_request": false, "is_primary": false, "is_revoked": false}
        }}));
        let a = map_update(&service, &Ctx).events.remove(0);
        let b = map_update(&change, &Ctx).events.remove(0);
        assert_eq!(a.event_id, b.event_id);
        assert!(matches!(
            b.payload,
            EventPayload::MemberJoined { invite_link: Some(ref l), .. } if l == "https://t.me/+abc"
        ));
    }

    #[test]
    fn kicks_name_who_removed_and_promotions_refresh_admins() {
        let kick = update(json!({"update_id": 5, "chat_member": {
            "chat": group(), "from": {"id": 7, "first_name": "Admin"}, "date": 100,
            "old_chat_member": {"status": "member", "user": {"id": 12, "first_name": "X"}},
            "new_chat_member": {"status": "kicked", "user": {"id": 12, "first_name": "X"}, "until_date": 0}
        }}));
        let e = map_update(&kick, &Ctx).events.remove(0);
        assert!(
            matches!(e.payload, EventPayload::MemberLeft { removed_by: Some(ref by) } if by.id == "7")
        );
        let promote = update(json!({"update_id": 6, "chat_member": {
            "chat": group(), "from": {"id": 7, "first_name": "Admin"}, "date": 100,
            "old_chat_member": {"status": "member", "user": {"id": 12, "first_name": "X"}},
            "new_chat_member": {"status": "administrator", "user": {"id": 12, "first_name": "X"}}
        }}));
        let mapped = map_update(&promote, &Ctx);
        assert!(mapped.events.is_empty());
        assert_eq!(mapped.refresh_admins, vec![-100]);
    }

    #[test]
    fn anonymous_admins_and_linked_channels_are_admins() {
        let anon = update(json!({"update_id": 7, "message": {
            "message_id": 8, "date": 1, "chat": group(),
            "from": {"id": 1_087_968_824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
            "sender_chat": group(), "text": "hi"
        }}));
        assert_eq!(
            map_update(&anon, &Ctx).events[0].member.role,
            Some(GroupRole::Admin)
        );
        let channel = update(json!({"update_id": 8, "message": {
            "message_id": 9, "date": 1, "chat": group(),
            "from": {"id": 777000, "first_name": "Telegram"},
            "sender_chat": {"id": -200, "type": "channel", "title": "News"}, "text": "post"
        }}));
        let e = map_update(&channel, &Ctx).events.remove(0);
        assert_eq!(e.member.id, "-200");
        assert_eq!(e.member.role, Some(GroupRole::Admin));
    }

    #[test]
    fn join_requests_buttons_reactions_and_polls() {
        let request = update(json!({"update_id": 9, "chat_join_request": {
            "chat": group(), "from": {"id": 13, "first_name": "Applicant"},
            "user_chat_id": 13, "date": 200, "bio": "crypto signals"
        }}));
        let e = map_update(&request, &Ctx).events.remove(0);
        assert_eq!(e.event_id, "jr:13:200");
        assert!(
            matches!(e.payload, EventPayload::JoinRequest { answer: Some(ref b), .. } if b == "crypto signals")
        );

        let press = update(json!({"update_id": 10, "callback_query": {
            "id": "q1", "from": {"id": 7, "first_name": "Admin"}, "chat_instance": "x",
            "message": {"message_id": 30, "date": 1, "chat": group(), "text": "card"},
            "data": "case:1:dismiss"
        }}));
        let e = map_update(&press, &Ctx).events.remove(0);
        assert_eq!(e.member.role, Some(GroupRole::Admin));
        assert!(
            matches!(e.payload, EventPayload::ButtonPressed { query_id: Some(ref q), ref data, .. } if q == "q1" && data == "case:1:dismiss")
        );

        let reaction = update(json!({"update_id": 11, "message_reaction": {
            "chat": group(), "message_id": 5, "user": {"id": 9, "first_name": "A"}, "date": 3,
            "old_reaction": [{"type": "emoji", "emoji": "👍"}],
            "new_reaction": [{"type": "emoji", "emoji": "🔥"}]
        }}));
        let events = map_update(&reaction, &Ctx).events;
        assert_eq!(events.len(), 2);
        assert!(
            matches!(events[0].payload, EventPayload::Reaction { added: true, ref emoji, .. } if emoji == "🔥")
        );

        let answer = update(json!({"update_id": 12, "poll_answer": {
            "poll_id": "p1", "user": {"id": 9, "first_name": "A"}, "option_ids": [1]
        }}));
        let e = map_update(&answer, &Ctx).events.remove(0);
        assert_eq!(e.group.id, "-100");
        assert!(
            matches!(e.payload, EventPayload::PollAnswer { ref options, .. } if options == &[1])
        );
    }

    #[test]
    fn private_messages_are_direct_messages() {
        let dm = update(json!({"update_id": 13, "message": {
            "message_id": 1, "date": 1,
            "chat": {"id": 13, "type": "private", "first_name": "Applicant"},
            "from": {"id": 13, "first_name": "Applicant"}, "text": "42"
        }}));
        let e = map_update(&dm, &Ctx).events.remove(0);
        assert_eq!(e.kind(), steward_core::EventKind::DirectMessage);
        assert_eq!(e.group.id, "13");
    }
}
