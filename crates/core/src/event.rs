//! The normalized event model: the one shape every adapter produces.
//!
//! Every event carries the platform's own event id, the group and member it
//! concerns (by platform id, as strings), and the time it happened. The
//! payload says what happened. Adapters fill in what their platform tells
//! them and leave the rest empty; nothing here is platform specific.

use serde::{Deserialize, Serialize};

use crate::model::GroupRole;
use crate::{Platform, Timestamp};

/// One event from a chat platform, normalized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncomingEvent {
    /// The platform the event came from.
    pub platform: Platform,
    /// The platform's id of the event; with the platform and group it
    /// identifies the event, and a second event with the same id is a
    /// duplicate.
    pub event_id: String,
    /// The group the event happened in.
    pub group: GroupRef,
    /// The member who did it (the sender, the joiner, the applicant, ...).
    pub member: MemberRef,
    /// When it happened, as the platform says.
    pub at: Timestamp,
    /// What happened.
    pub payload: EventPayload,
}

impl IncomingEvent {
    /// The kind of the payload.
    pub fn kind(&self) -> EventKind {
        self.payload.kind()
    }
}

/// A group as an event names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    /// The platform's id of the group, kept as a string.
    pub id: String,
    /// The group's title, when the platform sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A member as an event names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRef {
    /// The platform's id of the account, kept as a string.
    pub id: String,
    /// The display name at the time of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The username or handle, if the platform has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Whether the account is a bot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_bot: bool,
    /// The member's role in the group, when the platform says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<GroupRole>,
}

impl MemberRef {
    /// A member known only by id.
    pub fn with_id(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: None,
            username: None,
            is_bot: false,
            role: None,
        }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventPayload {
    /// A new message.
    Message {
        /// The message.
        message: MessageContent,
    },
    /// A message was edited; `message` holds its new content.
    MessageEdited {
        /// The message as it reads now.
        message: MessageContent,
    },
    /// A message was deleted (by its sender or an admin).
    MessageDeleted {
        /// The platform id of the deleted message.
        message_id: String,
        /// Who deleted it, if not the sender.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deleted_by: Option<MemberRef>,
    },
    /// A member joined the group.
    MemberJoined {
        /// The invite link used, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invite_link: Option<String>,
        /// Who invited or added the member, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inviter: Option<MemberRef>,
    },
    /// A member left or was removed.
    MemberLeft {
        /// Who removed the member, when it was not their own choice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        removed_by: Option<MemberRef>,
    },
    /// A member changed their display name.
    MemberRenamed {
        /// The name before, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old_name: Option<String>,
        /// The name now.
        new_name: String,
    },
    /// Someone asked to join the group.
    JoinRequest {
        /// The applicant's answer or comment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
        /// The invite link used, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        invite_link: Option<String>,
    },
    /// A reaction was added to or removed from a message.
    Reaction {
        /// The message reacted to.
        message_id: String,
        /// The emoji (or the platform's reaction key).
        emoji: String,
        /// True when added, false when removed.
        added: bool,
    },
    /// A member pressed a button Steward sent.
    ButtonPressed {
        /// The message carrying the button.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        /// The button's data.
        data: String,
        /// The platform's id of the press, for platforms that expect an
        /// answer to it (Telegram's callback query id).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        query_id: Option<String>,
    },
    /// A member wrote to Steward's bot in private (the group is the private
    /// chat). Not moderated: it carries answers to join questions, appeals
    /// and feedback.
    DirectMessage {
        /// The message.
        message: MessageContent,
    },
    /// A member answered a poll Steward sent.
    PollAnswer {
        /// The platform's id of the poll.
        poll_id: String,
        /// The options chosen, by position; empty when the vote was taken back.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<u32>,
    },
}

impl EventPayload {
    /// The kind of this payload.
    pub fn kind(&self) -> EventKind {
        match self {
            EventPayload::Message { .. } => EventKind::Message,
            EventPayload::MessageEdited { .. } => EventKind::MessageEdited,
            EventPayload::MessageDeleted { .. } => EventKind::MessageDeleted,
            EventPayload::MemberJoined { .. } => EventKind::MemberJoined,
            EventPayload::MemberLeft { .. } => EventKind::MemberLeft,
            EventPayload::MemberRenamed { .. } => EventKind::MemberRenamed,
            EventPayload::JoinRequest { .. } => EventKind::JoinRequest,
            EventPayload::Reaction { .. } => EventKind::Reaction,
            EventPayload::ButtonPressed { .. } => EventKind::ButtonPressed,
            EventPayload::DirectMessage { .. } => EventKind::DirectMessage,
            EventPayload::PollAnswer { .. } => EventKind::PollAnswer,
        }
    }

    /// The message content for new and edited messages.
    pub fn message(&self) -> Option<&MessageContent> {
        match self {
            EventPayload::Message { message } | EventPayload::MessageEdited { message } => {
                Some(message)
            }
            _ => None,
        }
    }
}

/// The kinds of event, as named in the API and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// See [`EventPayload::Message`].
    Message,
    /// See [`EventPayload::MessageEdited`].
    MessageEdited,
    /// See [`EventPayload::MessageDeleted`].
    MessageDeleted,
    /// See [`EventPayload::MemberJoined`].
    MemberJoined,
    /// See [`EventPayload::MemberLeft`].
    MemberLeft,
    /// See [`EventPayload::MemberRenamed`].
    MemberRenamed,
    /// See [`EventPayload::JoinRequest`].
    JoinRequest,
    /// See [`EventPayload::Reaction`].
    Reaction,
    /// See [`EventPayload::ButtonPressed`].
    ButtonPressed,
    /// See [`EventPayload::DirectMessage`].
    DirectMessage,
    /// See [`EventPayload::PollAnswer`].
    PollAnswer,
}

impl EventKind {
    /// Every kind, in a stable order.
    pub const ALL: [EventKind; 11] = [
        EventKind::Message,
        EventKind::MessageEdited,
        EventKind::MessageDeleted,
        EventKind::MemberJoined,
        EventKind::MemberLeft,
        EventKind::MemberRenamed,
        EventKind::JoinRequest,
        EventKind::Reaction,
        EventKind::ButtonPressed,
        EventKind::DirectMessage,
        EventKind::PollAnswer,
    ];

    /// The snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Message => "message",
            EventKind::MessageEdited => "message_edited",
            EventKind::MessageDeleted => "message_deleted",
            EventKind::MemberJoined => "member_joined",
            EventKind::MemberLeft => "member_left",
            EventKind::MemberRenamed => "member_renamed",
            EventKind::JoinRequest => "join_request",
            EventKind::Reaction => "reaction",
            EventKind::ButtonPressed => "button_pressed",
            EventKind::DirectMessage => "direct_message",
            EventKind::PollAnswer => "poll_answer",
        }
    }

    /// Parses a kind by its API name.
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The content of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageContent {
    /// The platform's id of the message.
    pub id: String,
    /// The text, or the caption of a media message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The message this one replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// The sender of the message this one replies to, when the platform
    /// says (commands such as `/mute` by reply act on them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to_member: Option<MemberRef>,
    /// Where a forwarded message came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_from: Option<ForwardOrigin>,
    /// Links the platform marked up (text links hide their URL from the text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Members mentioned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention>,
    /// Attachments, by type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// The origin of a forwarded message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardOrigin {
    /// The platform id of the original chat, channel or user, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its name or title, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `user`, `channel`, `group` or `hidden`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A mention of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The platform id of the member, when the platform resolved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name or handle as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An attachment of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The type of attachment.
    pub kind: AttachmentKind,
    /// File name, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Size in bytes, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// Types of attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// A picture.
    Photo,
    /// A video.
    Video,
    /// An audio file.
    Audio,
    /// A voice note.
    Voice,
    /// Any other file.
    Document,
    /// A sticker.
    Sticker,
    /// A GIF or short looping video.
    Animation,
    /// A shared contact card.
    Contact,
    /// A shared location.
    Location,
    /// A poll.
    Poll,
    /// A link preview card or mini-program share.
    Card,
    /// Anything else.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(EventKind::parse("poke"), None);
    }

    #[test]
    fn payload_is_tagged_by_kind() {
        let payload = EventPayload::MemberRenamed {
            old_name: None,
            new_name: "Li Lei".into(),
        };
        let json = serde_json::to_value(&payload).unwrap();
        assert_eq!(json["kind"], "member_renamed");
        assert_eq!(payload.kind(), EventKind::MemberRenamed);
        let back: EventPayload = serde_json::from_value(json).unwrap();
        assert_eq!(back, payload);
    }
}
