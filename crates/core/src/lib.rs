//! Steward's domain model, shared by every other crate.
//!
//! Everything a chat platform sends becomes an [`IncomingEvent`]; everything
//! Steward wants a platform to do is an [`Action`]. Adapters translate between
//! these and their wire formats, the moderation engine turns events into
//! actions, and storage records both.
//!
//! The crate does no IO and reads no clock: time always comes in as an
//! argument, so every decision built on it can be replayed.
//!
//! * [`ids`]: typed internal ids (`GroupId`, `MemberId`, ...).
//! * [`platform`]: the platforms Steward speaks to and what each can do.
//! * [`event`]: the normalized event model.
//! * [`action`]: the normalized action model and capabilities.
//! * [`model`]: communities, groups, members, memberships, dashboard users.
//! * [`role`]: dashboard roles and the permission table.
//! * [`audit`]: the kinds of entries in the append-only audit log.
//! * [`captcha`]: CAPTCHA challenges for newcomers, generated from a seed.
//! * [`i18n`]: the catalog of texts shown to group members, in zh / ru / en.
//! * [`texts`]: what the bot says in chats beyond moderation notices.
//! * [`points`]: points, levels and check-ins (settings, streaks, periods, texts).
//! * [`settings`]: a group's chat settings (admins' chat, join questions).
//! * [`welcome`]: welcome templates, their variables and buttons.
//! * [`nickname`]: nickname rules (a template of fields or a regex) and the check.
//! * [`activity`]: event sign-ups (接龙): the cap and waiting list, reminders.
//! * [`raffle`]: the verifiable raffle draw (seed commitment, entry digest, winners).
//! * [`posts`]: scheduled posts (statuses, schedules, quiet hours and daily cap).

pub mod action;
pub mod activity;
pub mod analytics;
pub mod audit;
pub mod captcha;
pub mod event;
pub mod i18n;
pub mod ids;
pub mod model;
pub mod nickname;
pub mod platform;
pub mod points;
pub mod posts;
pub mod quiz;
pub mod raffle;
pub mod role;
pub mod settings;
pub mod texts;
pub mod tickets;
pub mod welcome;
pub mod zone;

pub use action::{Action, ActionKind, Button, Capabilities, LinkShare, PlannedAction};
pub use audit::{Actor, AuditKind};
pub use event::{
    Attachment, AttachmentKind, EventKind, EventPayload, ForwardOrigin, GroupRef, IncomingEvent,
    MemberRef, Mention, MessageContent,
};
pub use ids::{ActionId, AuditId, CommunityId, EventId, GroupId, MemberId, UserId};
pub use platform::Platform;
pub use role::{Permission, Role};

/// Time as every Steward crate sees it: UTC with millisecond precision.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
