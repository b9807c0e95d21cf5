//! The normalized action model: the one shape every adapter executes.
//!
//! An [`Action`] names its targets by platform id, as events do, so an adapter
//! can carry it out without looking anything up. Each adapter declares the
//! kinds it supports in its [`Capabilities`]; the engine never plans an action
//! an adapter cannot do.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{Platform, Timestamp};

/// Something Steward asks a platform to do in a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Delete a message.
    DeleteMessage {
        /// The platform id of the message.
        message: String,
    },
    /// Post a notice in the group telling a member what they did wrong.
    Warn {
        /// The member warned.
        member: String,
        /// The notice, in the group's language.
        text: String,
        /// The message the notice replies to, when it still exists.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<String>,
    },
    /// Stop a member from posting until a time.
    Mute {
        /// The member muted.
        member: String,
        /// When the mute ends.
        until: Timestamp,
    },
    /// Let a muted member post again.
    Unmute {
        /// The member.
        member: String,
    },
    /// Remove a member; they may join again.
    Kick {
        /// The member.
        member: String,
    },
    /// Remove a member and keep them out until a time (or for ever).
    Ban {
        /// The member.
        member: String,
        /// When the ban ends; none means permanent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Timestamp>,
    },
    /// Lift a ban.
    Unban {
        /// The member.
        member: String,
    },
    /// Approve a join request.
    ApproveJoin {
        /// The applicant.
        member: String,
    },
    /// Decline a join request.
    DeclineJoin {
        /// The applicant.
        member: String,
        /// Why, for platforms that pass a reason on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Send a message to the group.
    SendMessage {
        /// The text.
        text: String,
        /// Rows of buttons, for platforms that have them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
        /// The message this one replies to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_to: Option<String>,
        /// Seconds after which Steward deletes the message again (welcomes,
        /// reminders), so the chat stays clean.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delete_after: Option<u32>,
    },
    /// Pin a message.
    Pin {
        /// The platform id of the message.
        message: String,
    },
    /// Set a member's nickname (group card) in the group.
    SetNickname {
        /// The member.
        member: String,
        /// The new nickname.
        nickname: String,
    },
    /// Send a poll.
    SendPoll {
        /// The question.
        question: String,
        /// The options, in order.
        options: Vec<String>,
        /// Whether a member may pick more than one option.
        #[serde(default)]
        multiple: bool,
        /// For a quiz: the position of the right option.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        correct_option: Option<u32>,
    },
    /// Delete several messages at once (a spam wave, a member's history).
    DeleteMessages {
        /// The platform ids of the messages.
        messages: Vec<String>,
    },
    /// Replace the text (and buttons) of a message Steward sent.
    EditMessage {
        /// The platform id of the message.
        message: String,
        /// The new text.
        text: String,
        /// The new rows of buttons; empty removes them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Vec<Button>>,
    },
    /// Answer a button press (the platform shows the text briefly).
    AnswerButton {
        /// The platform's id of the press.
        query: String,
        /// A short notice for the presser.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// Write to a member in private, about this group (join questions).
    DirectMessage {
        /// The member.
        member: String,
        /// The text.
        text: String,
    },
    /// Create an invite link to the group: a member's personal referral
    /// link, or a link that brings removed members back. The platform's link
    /// is recorded when it comes back, and shared as `share` says.
    CreateInviteLink {
        /// A label kept with the link on the platform (Telegram keeps 32
        /// characters).
        name: String,
        /// What the link is for: `referral`, `reinvite`, or anything else.
        purpose: String,
        /// The member the link belongs to, when it is personal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        member: Option<String>,
        /// Whether joining through the link makes a join request.
        #[serde(default)]
        creates_join_request: bool,
        /// When the link stops working.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires: Option<Timestamp>,
        /// Where the link is sent once it exists.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        share: Option<LinkShare>,
    },
    /// Send a picture (a report's chart) to the group. Built with
    /// [`Action::send_image`], which refuses pictures over [`MAX_IMAGE_BYTES`].
    SendImage {
        /// The picture: PNG bytes in standard base64 (with padding).
        image: String,
        /// The text under the picture.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
    },
}

/// The largest picture a [`Action::SendImage`] carries, before base64:
/// every platform takes it, and the outbox row stays small.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// A picture too large to send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the image has {size} bytes; at most {MAX_IMAGE_BYTES} are sent")]
pub struct ImageTooLarge {
    /// Its size in bytes.
    pub size: usize,
}

/// Where a created invite link is sent: `{link}` in `text` is replaced by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkShare {
    /// The text carrying the link.
    pub text: String,
    /// The member to write to in private; none posts in the group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_to: Option<String>,
    /// The group message the post replies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}

/// A button attached to a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// The label shown.
    pub text: String,
    /// Data sent back in a `button_pressed` event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// A URL opened instead of sending data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Action {
    /// The kind of this action.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::DeleteMessage { .. } => ActionKind::DeleteMessage,
            Action::Warn { .. } => ActionKind::Warn,
            Action::Mute { .. } => ActionKind::Mute,
            Action::Unmute { .. } => ActionKind::Unmute,
            Action::Kick { .. } => ActionKind::Kick,
            Action::Ban { .. } => ActionKind::Ban,
            Action::Unban { .. } => ActionKind::Unban,
            Action::ApproveJoin { .. } => ActionKind::ApproveJoin,
            Action::DeclineJoin { .. } => ActionKind::DeclineJoin,
            Action::SendMessage { .. } => ActionKind::SendMessage,
            Action::Pin { .. } => ActionKind::Pin,
            Action::SetNickname { .. } => ActionKind::SetNickname,
            Action::SendPoll { .. } => ActionKind::SendPoll,
            Action::DeleteMessages { .. } => ActionKind::DeleteMessages,
            Action::EditMessage { .. } => ActionKind::EditMessage,
            Action::AnswerButton { .. } => ActionKind::AnswerButton,
            Action::DirectMessage { .. } => ActionKind::DirectMessage,
            Action::CreateInviteLink { .. } => ActionKind::CreateInviteLink,
            Action::SendImage { .. } => ActionKind::SendImage,
        }
    }

    /// A [`Action::SendImage`] of the PNG `png`, refused when it is larger
    /// than [`MAX_IMAGE_BYTES`].
    pub fn send_image(png: &[u8], caption: Option<String>) -> Result<Action, ImageTooLarge> {
        use base64::Engine as _;
        if png.len() > MAX_IMAGE_BYTES {
            return Err(ImageTooLarge { size: png.len() });
        }
        Ok(Action::SendImage {
            image: base64::engine::general_purpose::STANDARD.encode(png),
            caption,
        })
    }

    /// The member the action targets, if any.
    pub fn target_member(&self) -> Option<&str> {
        match self {
            Action::Warn { member, .. }
            | Action::Mute { member, .. }
            | Action::Unmute { member }
            | Action::Kick { member }
            | Action::Ban { member, .. }
            | Action::Unban { member }
            | Action::ApproveJoin { member }
            | Action::DeclineJoin { member, .. }
            | Action::SetNickname { member, .. }
            | Action::DirectMessage { member, .. } => Some(member),
            _ => None,
        }
    }
}

/// The kinds of action, as named in the API and the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// See [`Action::DeleteMessage`].
    DeleteMessage,
    /// See [`Action::Warn`].
    Warn,
    /// See [`Action::Mute`].
    Mute,
    /// See [`Action::Unmute`].
    Unmute,
    /// See [`Action::Kick`].
    Kick,
    /// See [`Action::Ban`].
    Ban,
    /// See [`Action::Unban`].
    Unban,
    /// See [`Action::ApproveJoin`].
    ApproveJoin,
    /// See [`Action::DeclineJoin`].
    DeclineJoin,
    /// See [`Action::SendMessage`].
    SendMessage,
    /// See [`Action::Pin`].
    Pin,
    /// See [`Action::SetNickname`].
    SetNickname,
    /// See [`Action::SendPoll`].
    SendPoll,
    /// See [`Action::DeleteMessages`].
    DeleteMessages,
    /// See [`Action::EditMessage`].
    EditMessage,
    /// See [`Action::AnswerButton`].
    AnswerButton,
    /// See [`Action::DirectMessage`].
    DirectMessage,
    /// See [`Action::CreateInviteLink`].
    CreateInviteLink,
    /// See [`Action::SendImage`].
    SendImage,
}

impl ActionKind {
    /// Every kind, in a stable order.
    pub const ALL: [ActionKind; 19] = [
        ActionKind::DeleteMessage,
        ActionKind::Warn,
        ActionKind::Mute,
        ActionKind::Unmute,
        ActionKind::Kick,
        ActionKind::Ban,
        ActionKind::Unban,
        ActionKind::ApproveJoin,
        ActionKind::DeclineJoin,
        ActionKind::SendMessage,
        ActionKind::Pin,
        ActionKind::SetNickname,
        ActionKind::SendPoll,
        ActionKind::DeleteMessages,
        ActionKind::EditMessage,
        ActionKind::AnswerButton,
        ActionKind::DirectMessage,
        ActionKind::CreateInviteLink,
        ActionKind::SendImage,
    ];

    /// The snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::DeleteMessage => "delete_message",
            ActionKind::Warn => "warn",
            ActionKind::Mute => "mute",
            ActionKind::Unmute => "unmute",
            ActionKind::Kick => "kick",
            ActionKind::Ban => "ban",
            ActionKind::Unban => "unban",
            ActionKind::ApproveJoin => "approve_join",
            ActionKind::DeclineJoin => "decline_join",
            ActionKind::SendMessage => "send_message",
            ActionKind::Pin => "pin",
            ActionKind::SetNickname => "set_nickname",
            ActionKind::SendPoll => "send_poll",
            ActionKind::DeleteMessages => "delete_messages",
            ActionKind::EditMessage => "edit_message",
            ActionKind::AnswerButton => "answer_button",
            ActionKind::DirectMessage => "direct_message",
            ActionKind::CreateInviteLink => "create_invite_link",
            ActionKind::SendImage => "send_image",
        }
    }

    /// Whether the action posts a message in the chat, so it counts against
    /// the platform's per-chat sending limits (deletes and bans do not).
    pub fn posts_message(self) -> bool {
        matches!(
            self,
            ActionKind::Warn
                | ActionKind::SendMessage
                | ActionKind::SendPoll
                | ActionKind::EditMessage
                | ActionKind::DirectMessage
                | ActionKind::SendImage
        )
    }
}

/// The action kinds one adapter can carry out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities(BTreeSet<ActionKind>);

impl Capabilities {
    /// An adapter that can do everything.
    pub fn all() -> Self {
        Self(ActionKind::ALL.into_iter().collect())
    }

    /// An adapter that can do exactly these.
    pub fn of(kinds: impl IntoIterator<Item = ActionKind>) -> Self {
        Self(kinds.into_iter().collect())
    }

    /// Whether `kind` is supported.
    pub fn supports(&self, kind: ActionKind) -> bool {
        self.0.contains(&kind)
    }

    /// The supported kinds, in a stable order.
    pub fn kinds(&self) -> impl Iterator<Item = ActionKind> + '_ {
        self.0.iter().copied()
    }

    /// The capabilities a platform's adapter declares.
    pub fn of_platform(platform: Platform) -> Self {
        use ActionKind::*;
        match platform {
            // The generic HTTP platform hands every action to the system on the
            // other side, which decides what it can do with it.
            Platform::Http => Self::all(),
            // Bots cannot rename members on Telegram.
            Platform::Telegram => Self::all().without(SetNickname),
            // QQ has no pins for bots through OneBot v11, no native polls,
            // no buttons to answer, no edits and no invite links.
            Platform::Onebot => Self::all()
                .without(Pin)
                .without(CreateInviteLink)
                .without(SendPoll)
                .without(AnswerButton)
                .without(EditMessage),
            // Matrix has no per-member nickname a moderator can set.
            // Rooms are joined by alias or invitation, not by links a bot
            // creates.
            Platform::Matrix => Self::all().without(SetNickname).without(CreateInviteLink),
        }
    }

    fn without(mut self, kind: ActionKind) -> Self {
        self.0.remove(&kind);
        self
    }
}

/// An action for one group, as it is stored in the outbox and handed out.
///
/// Serialized as the action's fields plus `group`, the platform id of the
/// group: `{"kind": "delete_message", "group": "g1", "message": "m1"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    /// The platform id of the group.
    pub group: String,
    /// The action.
    #[serde(flatten)]
    pub action: Action,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_action_has_the_documented_shape() {
        let planned = PlannedAction {
            group: "g1".into(),
            action: Action::DeleteMessage {
                message: "m1".into(),
            },
        };
        let json = serde_json::to_value(&planned).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "delete_message", "group": "g1", "message": "m1"})
        );
        let back: PlannedAction = serde_json::from_value(json).unwrap();
        assert_eq!(back, planned);
    }

    #[test]
    fn send_image_has_the_documented_shape() {
        let planned = PlannedAction {
            group: "g1".into(),
            action: Action::send_image(b"\x89PNG", Some("Weekly report".into())).unwrap(),
        };
        let json = serde_json::to_value(&planned).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "send_image",
                "group": "g1",
                "image": "iVBORw==",
                "caption": "Weekly report",
            })
        );
        let back: PlannedAction = serde_json::from_value(json).unwrap();
        assert_eq!(back, planned);
        let bare = serde_json::json!({"kind": "send_image", "group": "g1", "image": "iVBORw=="});
        let bare: PlannedAction = serde_json::from_value(bare).unwrap();
        assert!(matches!(
            bare.action,
            Action::SendImage { caption: None, .. }
        ));
    }

    #[test]
    fn images_over_the_limit_are_refused() {
        assert!(Action::send_image(&vec![0; MAX_IMAGE_BYTES], None).is_ok());
        assert_eq!(
            Action::send_image(&vec![0; MAX_IMAGE_BYTES + 1], None),
            Err(ImageTooLarge {
                size: MAX_IMAGE_BYTES + 1
            })
        );
    }

    #[test]
    fn kinds_match_serde_names() {
        for kind in ActionKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn telegram_cannot_rename() {
        assert!(!Capabilities::of_platform(Platform::Telegram).supports(ActionKind::SetNickname));
        assert!(Capabilities::of_platform(Platform::Onebot).supports(ActionKind::SetNickname));
        assert!(Capabilities::of_platform(Platform::Http).supports(ActionKind::SendPoll));
    }
}
