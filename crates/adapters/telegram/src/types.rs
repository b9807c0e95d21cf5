//! The Bot API objects Steward reads, as the official documentation names
//! them. Only the fields Steward uses are declared; serde skips the rest, so
//! a newer Bot API that adds fields does not break parsing.
//!
//! Ids are `i64` throughout: Telegram's user and chat ids outgrew 32 bits.

use serde::{Deserialize, Serialize};

/// One incoming update (`Update`). Exactly one of the optional fields is set.
#[derive(Debug, Clone, Deserialize)]
pub struct Update {
    /// The update's id; confirm it by asking for `update_id + 1`.
    pub update_id: i64,
    /// A new message.
    pub message: Option<Message>,
    /// A new version of a message that was edited.
    pub edited_message: Option<Message>,
    /// A member's status changed (needs `chat_member` in `allowed_updates`).
    pub chat_member: Option<ChatMemberUpdated>,
    /// The bot's own status in a chat changed.
    pub my_chat_member: Option<ChatMemberUpdated>,
    /// Someone asked to join a chat.
    pub chat_join_request: Option<ChatJoinRequest>,
    /// A button of an inline keyboard was pressed.
    pub callback_query: Option<CallbackQuery>,
    /// A reaction changed (needs `message_reaction` in `allowed_updates`).
    pub message_reaction: Option<MessageReactionUpdated>,
    /// Someone answered a non-anonymous poll the bot sent.
    pub poll_answer: Option<PollAnswer>,
}

/// A user or bot (`User`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: i64,
    /// Whether this is a bot.
    #[serde(default)]
    pub is_bot: bool,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username, without the `@`.
    #[serde(default)]
    pub username: Option<String>,
    /// The user's language (IETF tag), when they share it.
    #[serde(default)]
    pub language_code: Option<String>,
}

impl User {
    /// First and last name, as Telegram clients show them.
    pub fn full_name(&self) -> String {
        match &self.last_name {
            Some(last) if !last.is_empty() => format!("{} {last}", self.first_name),
            _ => self.first_name.clone(),
        }
    }
}

/// A chat (`Chat`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Chat {
    /// The chat's id.
    pub id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Title of groups, supergroups and channels.
    #[serde(default)]
    pub title: Option<String>,
    /// Username of public chats.
    #[serde(default)]
    pub username: Option<String>,
    /// First name of the other party in a private chat.
    #[serde(default)]
    pub first_name: Option<String>,
}

impl Chat {
    /// Whether this is a group or supergroup.
    pub fn is_group(&self) -> bool {
        self.kind == "group" || self.kind == "supergroup"
    }

    /// Whether this is a private chat with one user.
    pub fn is_private(&self) -> bool {
        self.kind == "private"
    }
}

/// A message (`Message`).
#[derive(Debug, Clone, Deserialize)]
pub struct Message {
    /// Its id, unique inside the chat.
    pub message_id: i64,
    /// The sender; empty for messages sent to channels.
    #[serde(default)]
    pub from: Option<User>,
    /// The chat the message was sent on behalf of (anonymous admins,
    /// linked channels).
    #[serde(default)]
    pub sender_chat: Option<Chat>,
    /// Unix time it was sent.
    pub date: i64,
    /// Unix time it was last edited.
    #[serde(default)]
    pub edit_date: Option<i64>,
    /// The chat it belongs to.
    pub chat: Chat,
    /// Where a forwarded message came from.
    #[serde(default)]
    pub forward_origin: Option<MessageOrigin>,
    /// The message it replies to.
    #[serde(default)]
    pub reply_to_message: Option<Box<Message>>,
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
    /// Entities of the text (links, mentions, ...).
    #[serde(default)]
    pub entities: Vec<MessageEntity>,
    /// The caption of a media message.
    #[serde(default)]
    pub caption: Option<String>,
    /// Entities of the caption.
    #[serde(default)]
    pub caption_entities: Vec<MessageEntity>,
    /// Photo sizes; present for photos.
    #[serde(default)]
    pub photo: Option<Vec<serde_json::Value>>,
    /// A video.
    #[serde(default)]
    pub video: Option<serde_json::Value>,
    /// An audio file.
    #[serde(default)]
    pub audio: Option<serde_json::Value>,
    /// A voice note.
    #[serde(default)]
    pub voice: Option<serde_json::Value>,
    /// A round video note.
    #[serde(default)]
    pub video_note: Option<serde_json::Value>,
    /// A general file.
    #[serde(default)]
    pub document: Option<FileInfo>,
    /// A sticker.
    #[serde(default)]
    pub sticker: Option<serde_json::Value>,
    /// An animation (GIF).
    #[serde(default)]
    pub animation: Option<serde_json::Value>,
    /// A shared contact.
    #[serde(default)]
    pub contact: Option<serde_json::Value>,
    /// A shared location.
    #[serde(default)]
    pub location: Option<serde_json::Value>,
    /// A venue.
    #[serde(default)]
    pub venue: Option<serde_json::Value>,
    /// A native poll.
    #[serde(default)]
    pub poll: Option<serde_json::Value>,
    /// An inline keyboard attached by the sender (a bot or an inline query).
    #[serde(default)]
    pub reply_markup: Option<serde_json::Value>,
    /// Members added (service message).
    #[serde(default)]
    pub new_chat_members: Option<Vec<User>>,
    /// A member removed or gone (service message).
    #[serde(default)]
    pub left_chat_member: Option<User>,
    /// The group's new title (service message).
    #[serde(default)]
    pub new_chat_title: Option<String>,
    /// The group became a supergroup with this id (service message).
    #[serde(default)]
    pub migrate_to_chat_id: Option<i64>,
}

/// A file's name and size, where Telegram gives them.
#[derive(Debug, Clone, Deserialize)]
pub struct FileInfo {
    /// Original file name.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub file_size: Option<u64>,
}

/// A special part of a text (`MessageEntity`). Offsets and lengths are in
/// UTF-16 code units, as the documentation says.
#[derive(Debug, Clone, Deserialize)]
pub struct MessageEntity {
    /// `mention`, `url`, `text_link`, `text_mention`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Start, in UTF-16 code units.
    pub offset: usize,
    /// Length, in UTF-16 code units.
    pub length: usize,
    /// The hidden URL of a `text_link`.
    #[serde(default)]
    pub url: Option<String>,
    /// The user of a `text_mention` (users without usernames).
    #[serde(default)]
    pub user: Option<User>,
}

/// Where a forwarded message came from (`MessageOrigin`).
#[derive(Debug, Clone, Deserialize)]
pub struct MessageOrigin {
    /// `user`, `hidden_user`, `chat` or `channel`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For `user`.
    #[serde(default)]
    pub sender_user: Option<User>,
    /// For `hidden_user`.
    #[serde(default)]
    pub sender_user_name: Option<String>,
    /// For `chat`.
    #[serde(default)]
    pub sender_chat: Option<Chat>,
    /// For `channel`.
    #[serde(default)]
    pub chat: Option<Chat>,
}

/// A change of a member's status (`ChatMemberUpdated`).
#[derive(Debug, Clone, Deserialize)]
pub struct ChatMemberUpdated {
    /// The chat.
    pub chat: Chat,
    /// Who made the change.
    pub from: User,
    /// Unix time of the change.
    pub date: i64,
    /// The status before.
    pub old_chat_member: ChatMember,
    /// The status now.
    pub new_chat_member: ChatMember,
    /// The invite link the member joined by.
    #[serde(default)]
    pub invite_link: Option<ChatInviteLink>,
    /// Whether they joined after an approved join request.
    #[serde(default)]
    pub via_join_request: bool,
}

/// A member's status in a chat (`ChatMember`; its six kinds flattened).
#[derive(Debug, Clone, Deserialize)]
pub struct ChatMember {
    /// `creator`, `administrator`, `member`, `restricted`, `left` or `kicked`.
    pub status: String,
    /// The member.
    pub user: User,
    /// For `restricted`: whether they are still in the chat.
    #[serde(default)]
    pub is_member: Option<bool>,
    /// For administrators: may delete messages.
    #[serde(default)]
    pub can_delete_messages: bool,
    /// For administrators: may restrict, ban and unban.
    #[serde(default)]
    pub can_restrict_members: bool,
    /// For administrators: may invite and approve join requests.
    #[serde(default)]
    pub can_invite_users: bool,
    /// For administrators: may pin.
    #[serde(default)]
    pub can_pin_messages: bool,
}

impl ChatMember {
    /// Whether the member is in the chat (for `restricted`, as Telegram says).
    pub fn is_present(&self) -> bool {
        match self.status.as_str() {
            "creator" | "administrator" | "member" => true,
            "restricted" => self.is_member.unwrap_or(true),
            _ => false,
        }
    }

    /// Whether the member is the owner or an admin.
    pub fn is_admin(&self) -> bool {
        matches!(self.status.as_str(), "creator" | "administrator")
    }
}

/// An invite link (`ChatInviteLink`).
#[derive(Debug, Clone, Deserialize)]
pub struct ChatInviteLink {
    /// The link.
    pub invite_link: String,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// Who made it.
    #[serde(default)]
    pub creator: Option<User>,
}

/// A request to join a chat (`ChatJoinRequest`).
#[derive(Debug, Clone, Deserialize)]
pub struct ChatJoinRequest {
    /// The chat.
    pub chat: Chat,
    /// The applicant.
    pub from: User,
    /// The private chat with the applicant, usable for five minutes or until
    /// the request is handled.
    pub user_chat_id: i64,
    /// Unix time of the request.
    pub date: i64,
    /// The applicant's bio.
    #[serde(default)]
    pub bio: Option<String>,
    /// The invite link used.
    #[serde(default)]
    pub invite_link: Option<ChatInviteLink>,
}

/// A press of an inline keyboard button (`CallbackQuery`).
#[derive(Debug, Clone, Deserialize)]
pub struct CallbackQuery {
    /// The query's id, to answer it.
    pub id: String,
    /// Who pressed.
    pub from: User,
    /// The message the button belongs to; absent when too old.
    #[serde(default)]
    pub message: Option<Message>,
    /// The button's data.
    #[serde(default)]
    pub data: Option<String>,
}

/// A change of reactions on a message (`MessageReactionUpdated`).
#[derive(Debug, Clone, Deserialize)]
pub struct MessageReactionUpdated {
    /// The chat.
    pub chat: Chat,
    /// The message.
    pub message_id: i64,
    /// Who reacted; absent for anonymous reactions.
    #[serde(default)]
    pub user: Option<User>,
    /// The chat that reacted, for anonymous reactions.
    #[serde(default)]
    pub actor_chat: Option<Chat>,
    /// Unix time of the change.
    pub date: i64,
    /// Reactions before.
    #[serde(default)]
    pub old_reaction: Vec<ReactionType>,
    /// Reactions now.
    #[serde(default)]
    pub new_reaction: Vec<ReactionType>,
}

/// A reaction (`ReactionType`): an emoji, a custom emoji or a paid star.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ReactionType {
    /// `emoji`, `custom_emoji` or `paid`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For `emoji`.
    #[serde(default)]
    pub emoji: Option<String>,
    /// For `custom_emoji`.
    #[serde(default)]
    pub custom_emoji_id: Option<String>,
}

impl ReactionType {
    /// A key naming the reaction: the emoji itself, or the custom emoji's id.
    pub fn key(&self) -> String {
        match (&self.emoji, &self.custom_emoji_id) {
            (Some(emoji), _) => emoji.clone(),
            (None, Some(id)) => format!("custom:{id}"),
            _ => self.kind.clone(),
        }
    }
}

/// An answer to a non-anonymous poll (`PollAnswer`).
#[derive(Debug, Clone, Deserialize)]
pub struct PollAnswer {
    /// The poll.
    pub poll_id: String,
    /// Who answered.
    #[serde(default)]
    pub user: Option<User>,
    /// The options chosen (empty when the vote was retracted).
    #[serde(default)]
    pub option_ids: Vec<i64>,
}
