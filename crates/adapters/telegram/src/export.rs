//! Telegram Desktop chat exports ("Export chat history" → JSON, the file
//! `result.json`) read as a stream of Steward events, for backfilling a
//! group's history.
//!
//! The file is visited key by key and message by message, never held whole:
//! exports of big groups run to gigabytes. Each message becomes the
//! [`IncomingEvent`] the live mapping ([`crate::mapping`]) would have made
//! of it, with the same `event_id` and group id, so importing twice, or
//! importing what was also seen live, stores one event.
//!
//! What the export cannot say, the events leave out: roles (the admin list
//! of the past is unknown), usernames, whom a reply answered, and who was
//! added or removed by someone else (the export names them but gives no
//! ids). Such items are skipped and counted by reason in the
//! [`ExportSummary`].
//!
//! Time: `date_unixtime` (exports since 2021) is exact. Older exports only
//! have `date`, the wall-clock time of the exporting machine without a
//! zone; it is read as UTC shifted by [`ExportOptions::utc_offset_seconds`].

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufReader, Read};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDateTime};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use steward_core::model::GroupRole;
use steward_core::{
    Attachment, AttachmentKind, EventPayload, ForwardOrigin, GroupRef, IncomingEvent, MemberRef,
    Mention, MessageContent, Platform,
};

use crate::mapping::TELEGRAM_SERVICE_USER;

/// How to read an export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// The chat to import from a full-account export (its `id` as the
    /// export writes it, or the live id such as `-100…`). Single-chat
    /// exports ignore it unless it names another chat.
    pub chat: Option<i64>,
    /// The exporting machine's offset from UTC, for old exports whose
    /// `date` has no zone. Zero reads them as UTC.
    pub utc_offset_seconds: i32,
}

/// The chat an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportChat {
    /// Its title.
    pub name: Option<String>,
    /// The export's chat type (`private_supergroup`, `private_group`, ...).
    pub kind: String,
    /// The id as the export writes it (without the `-100` of supergroups).
    pub export_id: i64,
    /// The id the Bot API, and so the live adapter, uses.
    pub group_id: i64,
}

/// What reading an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// The chat imported.
    pub chat: Option<ExportChat>,
    /// Items in its `messages` array.
    pub messages: u64,
    /// Events handed to the caller.
    pub events: u64,
    /// Items that made no event, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Whether the caller stopped the reading early.
    pub stopped: bool,
}

impl ExportSummary {
    fn skip(&mut self, reason: &str) {
        match self.skipped.get_mut(reason) {
            Some(n) => *n += 1,
            None => {
                self.skipped.insert(reason.to_owned(), 1);
            }
        }
    }
}

/// Why an export could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Malformed JSON, or a field of an unexpected type.
    #[error("line {line} column {column}: {path}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Where in the document, such as `messages[3].id`.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// Reading the file failed.
    #[error("reading the export: {0}")]
    Read(#[from] io::Error),
    /// Not a Telegram Desktop export.
    #[error("no messages found: not a Telegram Desktop chat export (result.json)")]
    NoMessages,
    /// The chat is a channel or a private chat.
    #[error("chat type {kind:?} is not a group: only groups and supergroups can be imported")]
    NotAGroup {
        /// The export's chat type.
        kind: String,
    },
    /// A full-account export, and no chat chosen.
    #[error("a full-account export: choose one of its groups by id: {}", list_chats(.groups))]
    ChooseChat {
        /// The groups it holds.
        groups: Vec<ExportChat>,
    },
    /// The chosen chat is not in the export.
    #[error("chat {id} is not in the export")]
    ChatNotFound {
        /// The id asked for.
        id: i64,
    },
}

fn list_chats(groups: &[ExportChat]) -> String {
    if groups.is_empty() {
        return "it holds none".to_owned();
    }
    groups
        .iter()
        .map(|g| format!("{} ({})", g.export_id, g.name.as_deref().unwrap_or("?")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reader that counts the bytes read, for a progress bar polling the
/// shared counter from another thread.
#[derive(Debug)]
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> CountingReader<R> {
    /// Wraps `inner`; the count starts at zero.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            count: Arc::default(),
        }
    }

    /// The counter, to poll.
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.count)
    }
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads an export from `reader`, handing each event to `each` (which may
/// stop the reading with `ControlFlow::Break`). Buffers the reader itself.
pub fn read_export<R: Read>(
    reader: R,
    options: &ExportOptions,
    each: impl FnMut(IncomingEvent) -> ControlFlow<()>,
) -> Result<ExportSummary, ExportError> {
    let reader = BufReader::with_capacity(256 * 1024, reader);
    let mut de = serde_json::Deserializer::from_reader(reader);
    run(&mut de, options, each)
}

/// Reads an export already in memory; faster than [`read_export`] where
/// the file fits.
pub fn read_export_slice(
    bytes: &[u8],
    options: &ExportOptions,
    each: impl FnMut(IncomingEvent) -> ControlFlow<()>,
) -> Result<ExportSummary, ExportError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    run(&mut de, options, each)
}

fn run<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    options: &ExportOptions,
    each: impl FnMut(IncomingEvent) -> ControlFlow<()>,
) -> Result<ExportSummary, ExportError> {
    let mut ctx = Ctx {
        options,
        each,
        summary: ExportSummary::default(),
        path: Path::default(),
        fatal: None,
        found_messages: false,
        groups: Vec::new(),
    };
    let parsed = ChatSeed {
        ctx: &mut ctx,
        top: true,
    }
    .deserialize(&mut *de)
    .and_then(|()| de.end());
    if let Some(fatal) = ctx.fatal.take() {
        return Err(fatal);
    }
    match parsed {
        Ok(()) => {}
        Err(_) if ctx.summary.stopped => return Ok(ctx.summary),
        Err(e) if e.is_io() => return Err(ExportError::Read(e.into())),
        Err(e) => return Err(syntax(&e, &ctx.path)),
    }
    if ctx.summary.chat.is_some() {
        return Ok(ctx.summary);
    }
    match options.chat {
        Some(id) if ctx.found_messages => Err(ExportError::ChatNotFound { id }),
        None if !ctx.groups.is_empty() => Err(ExportError::ChooseChat { groups: ctx.groups }),
        _ => Err(ExportError::NoMessages),
    }
}

fn syntax(e: &serde_json::Error, path: &Path) -> ExportError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    ExportError::Syntax {
        line: e.line(),
        column: e.column(),
        path: path.to_string(),
        message,
    }
}

/// Where the reading is, for error messages.
#[derive(Debug, Default)]
struct Path {
    list: Option<(&'static str, usize)>,
    field: Option<&'static str>,
    message: Option<u64>,
    message_field: Option<&'static str>,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some((list, i)) = self.list {
            parts.push(format!("{list}.list[{i}]"));
        }
        match (self.message, self.field) {
            (Some(i), _) => parts.push(format!("messages[{i}]")),
            (None, Some(field)) => parts.push(field.to_owned()),
            (None, None) => {}
        }
        if let (Some(_), Some(field)) = (self.message, self.message_field) {
            parts.push(field.to_owned());
        }
        if parts.is_empty() {
            return f.write_str("(top level)");
        }
        f.write_str(&parts.join("."))
    }
}

struct Ctx<'o, F> {
    options: &'o ExportOptions,
    each: F,
    summary: ExportSummary,
    path: Path,
    fatal: Option<ExportError>,
    found_messages: bool,
    /// Groups met in a full-account export, to list when none was chosen.
    groups: Vec<ExportChat>,
}

const STOPPED: &str = "stopped by the caller";

/// A chat object: the top level of a single-chat export, a member of
/// `chats.list` in a full-account export, or (with `top`) the top level of
/// a full-account export, whose `chats` and `left_chats` hold lists.
struct ChatSeed<'c, 'o, F> {
    ctx: &'c mut Ctx<'o, F>,
    top: bool,
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> DeserializeSeed<'de> for ChatSeed<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> Visitor<'de> for ChatSeed<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a chat export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut name: Option<String> = None;
        let mut kind: Option<String> = None;
        let mut id: Option<i64> = None;
        let mut pending: Option<Vec<RawMessage>> = None;
        while let Some(key) = map.next_key::<ChatKey>()? {
            match key {
                ChatKey::Name => {
                    ctx.path.field = Some("name");
                    name = map.next_value()?;
                }
                ChatKey::Type => {
                    ctx.path.field = Some("type");
                    kind = map.next_value()?;
                }
                ChatKey::Id => {
                    ctx.path.field = Some("id");
                    id = Some(map.next_value::<Num>()?.0);
                }
                ChatKey::Messages => {
                    ctx.path.field = Some("messages");
                    ctx.found_messages = true;
                    let Some(chat) = header(&name, &kind, id) else {
                        // Telegram Desktop writes the header first; other
                        // writers may not: keep the messages until it comes.
                        let mut buffer = Vec::new();
                        map.next_value_seed(MessagesSeed {
                            ctx: &mut *ctx,
                            buffer: Some(&mut buffer),
                        })?;
                        pending = Some(buffer);
                        ctx.path.field = None;
                        continue;
                    };
                    if choose(ctx, chat)? {
                        map.next_value_seed(MessagesSeed {
                            ctx: &mut *ctx,
                            buffer: None,
                        })?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                ChatKey::Chats | ChatKey::LeftChats if self.top => {
                    let list = if key == ChatKey::Chats {
                        "chats"
                    } else {
                        "left_chats"
                    };
                    ctx.path.field = Some(list);
                    map.next_value_seed(ChatListHolder {
                        ctx: &mut *ctx,
                        list,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.path.field = None;
        }
        if let Some(buffer) = pending {
            let Some(chat) = header(&name, &kind, id) else {
                return Err(de::Error::custom("a chat with messages but no id or type"));
            };
            if choose(ctx, chat)? {
                let chat = ctx.summary.chat.clone();
                for raw in buffer {
                    ctx.summary.messages += 1;
                    let Some(chat) = &chat else { break };
                    if emit(raw, chat, ctx.options, &mut ctx.summary, &mut ctx.each).is_break() {
                        ctx.summary.stopped = true;
                        return Err(de::Error::custom(STOPPED));
                    }
                }
            }
        }
        Ok(())
    }
}

fn header(name: &Option<String>, kind: &Option<String>, id: Option<i64>) -> Option<ExportChat> {
    let (kind, id) = (kind.as_ref()?, id?);
    Some(ExportChat {
        name: name.clone(),
        kind: kind.clone(),
        export_id: id,
        group_id: live_chat_id(kind, id).unwrap_or(id),
    })
}

/// Whether to import this chat's messages; a chosen chat that is no group
/// ends the reading.
fn choose<F, E: de::Error>(ctx: &mut Ctx<'_, F>, chat: ExportChat) -> Result<bool, E> {
    let nested = ctx.path.list.is_some();
    let chosen = match ctx.options.chat {
        Some(want) => want == chat.export_id || want == chat.group_id,
        None => !nested,
    };
    let is_group = live_chat_id(&chat.kind, chat.export_id).is_some();
    if nested && is_group {
        ctx.groups.push(chat.clone());
    }
    if !chosen || ctx.summary.chat.is_some() {
        return Ok(false);
    }
    if !is_group {
        ctx.fatal = Some(ExportError::NotAGroup { kind: chat.kind });
        return Err(E::custom("not a group"));
    }
    ctx.summary.chat = Some(chat);
    Ok(true)
}

#[derive(PartialEq, Eq)]
enum ChatKey {
    Name,
    Type,
    Id,
    Messages,
    Chats,
    LeftChats,
    List,
    Other,
}

impl<'de> serde::Deserialize<'de> for ChatKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor(|key: &str| match key {
            "name" => ChatKey::Name,
            "type" => ChatKey::Type,
            "id" => ChatKey::Id,
            "messages" => ChatKey::Messages,
            "chats" => ChatKey::Chats,
            "left_chats" => ChatKey::LeftChats,
            "list" => ChatKey::List,
            _ => ChatKey::Other,
        }))
    }
}

/// The id the Bot API gives a chat of this export type, for the types
/// Steward imports (groups); `None` for channels and private chats.
pub fn live_chat_id(kind: &str, export_id: i64) -> Option<i64> {
    match kind {
        // Supergroups are channels to the Bot API: -100 followed by the id.
        "private_supergroup" | "public_supergroup" => {
            export_id.checked_add(1_000_000_000_000).map(|v| -v)
        }
        "private_group" => export_id.checked_neg(),
        _ => None,
    }
}

/// `{"about": ..., "list": [chat, ...]}` of a full-account export.
struct ChatListHolder<'c, 'o, F> {
    ctx: &'c mut Ctx<'o, F>,
    list: &'static str,
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> DeserializeSeed<'de>
    for ChatListHolder<'_, '_, F>
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> Visitor<'de> for ChatListHolder<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a list of chats")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<ChatKey>()? {
            if key == ChatKey::List {
                map.next_value_seed(ListSeed {
                    ctx: &mut *self.ctx,
                    list: self.list,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct ListSeed<'c, 'o, F> {
    ctx: &'c mut Ctx<'o, F>,
    list: &'static str,
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> DeserializeSeed<'de> for ListSeed<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> Visitor<'de> for ListSeed<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of chats")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.ctx.path.list = Some((self.list, i));
            let seed = ChatSeed {
                ctx: &mut *self.ctx,
                top: false,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
            i += 1;
        }
        self.ctx.path.list = None;
        Ok(())
    }
}

/// The `messages` array.
struct MessagesSeed<'c, 'o, F> {
    ctx: &'c mut Ctx<'o, F>,
    /// Where to keep the messages when the chat is not known yet.
    buffer: Option<&'c mut Vec<RawMessage>>,
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> DeserializeSeed<'de>
    for MessagesSeed<'_, '_, F>
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(IncomingEvent) -> ControlFlow<()>> Visitor<'de> for MessagesSeed<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut buffer = self.buffer;
        let chat = ctx.summary.chat.clone();
        let mut index = 0u64;
        loop {
            ctx.path.message = Some(index);
            let seed = MessageSeed {
                path: &mut ctx.path,
            };
            let Some(raw) = seq.next_element_seed(seed)? else {
                break;
            };
            index += 1;
            let (Some(chat), None) = (&chat, &mut buffer) else {
                if let Some(buffer) = &mut buffer {
                    buffer.push(raw);
                }
                continue;
            };
            ctx.summary.messages += 1;
            let flow = emit(raw, chat, ctx.options, &mut ctx.summary, &mut ctx.each);
            if flow.is_break() {
                ctx.summary.stopped = true;
                return Err(de::Error::custom(STOPPED));
            }
        }
        ctx.path.message = None;
        Ok(())
    }
}

/// A sender or actor, as `from_id` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    User(i64),
    Channel(i64),
    Chat(i64),
}

impl Peer {
    fn parse(s: &str) -> Option<Peer> {
        let num = |rest: &str| rest.parse::<i64>().ok();
        if let Some(rest) = s.strip_prefix("user") {
            num(rest).map(Peer::User)
        } else if let Some(rest) = s.strip_prefix("channel") {
            num(rest).map(Peer::Channel)
        } else if let Some(rest) = s.strip_prefix("chat") {
            num(rest).map(Peer::Chat)
        } else {
            num(s).map(Peer::User)
        }
    }

    /// The id the Bot API uses: users as they are, channels and
    /// supergroups as `-100…`, basic groups negative.
    fn live_id(self) -> Option<i64> {
        match self {
            Peer::User(id) => Some(id),
            Peer::Channel(id) => id.checked_add(1_000_000_000_000).map(|v| -v),
            Peer::Chat(id) => id.checked_neg(),
        }
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Kind {
    #[default]
    Missing,
    Message,
    Service,
    Other,
}

#[derive(Debug, Default)]
struct RawMessage {
    id: Option<i64>,
    kind: Kind,
    unixtime: Option<i64>,
    local: Option<i64>,
    from: Option<String>,
    from_id: Option<Peer>,
    text: Option<TextOut>,
    reply_to: Option<i64>,
    forwarded: bool,
    forwarded_from: Option<String>,
    forwarded_from_id: Option<Peer>,
    photo: bool,
    file: Option<String>,
    file_name: Option<String>,
    file_size: Option<u64>,
    media_type: Option<AttachmentKind>,
    poll: bool,
    contact: bool,
    location: bool,
    action: Option<String>,
    members: Vec<Option<String>>,
}

#[derive(Debug, Default)]
struct TextOut {
    text: String,
    links: Vec<String>,
    mentions: Vec<Mention>,
}

struct MessageSeed<'p> {
    path: &'p mut Path,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = RawMessage;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawMessage, D::Error> {
        d.deserialize_map(self)
    }
}

#[derive(Clone, Copy)]
enum MsgKey {
    Id,
    Type,
    Date,
    DateUnixtime,
    From,
    FromId,
    Text,
    TextEntities,
    ReplyTo,
    ForwardedFrom,
    ForwardedFromId,
    Photo,
    File,
    FileName,
    FileSize,
    MediaType,
    Poll,
    Contact,
    Location,
    Action,
    Members,
    Other,
}

impl MsgKey {
    fn name(self) -> &'static str {
        match self {
            MsgKey::Id => "id",
            MsgKey::Type => "type",
            MsgKey::Date => "date",
            MsgKey::DateUnixtime => "date_unixtime",
            MsgKey::From => "from",
            MsgKey::FromId => "from_id",
            MsgKey::Text => "text",
            MsgKey::TextEntities => "text_entities",
            MsgKey::ReplyTo => "reply_to_message_id",
            MsgKey::ForwardedFrom => "forwarded_from",
            MsgKey::ForwardedFromId => "forwarded_from_id",
            MsgKey::Photo => "photo",
            MsgKey::File => "file",
            MsgKey::FileName => "file_name",
            MsgKey::FileSize => "file_size",
            MsgKey::MediaType => "media_type",
            MsgKey::Poll => "poll",
            MsgKey::Contact => "contact_information",
            MsgKey::Location => "location_information",
            MsgKey::Action => "action",
            MsgKey::Members => "members",
            MsgKey::Other => "?",
        }
    }
}

impl<'de> serde::Deserialize<'de> for MsgKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor(|key: &str| match key {
            "id" => MsgKey::Id,
            "type" => MsgKey::Type,
            "date" => MsgKey::Date,
            "date_unixtime" => MsgKey::DateUnixtime,
            // Service messages name their doer `actor`.
            "from" | "actor" => MsgKey::From,
            "from_id" | "actor_id" => MsgKey::FromId,
            "text" => MsgKey::Text,
            "text_entities" => MsgKey::TextEntities,
            "reply_to_message_id" => MsgKey::ReplyTo,
            "forwarded_from" => MsgKey::ForwardedFrom,
            "forwarded_from_id" => MsgKey::ForwardedFromId,
            "photo" => MsgKey::Photo,
            "file" => MsgKey::File,
            "file_name" => MsgKey::FileName,
            "file_size" => MsgKey::FileSize,
            "media_type" => MsgKey::MediaType,
            "poll" => MsgKey::Poll,
            "contact_information" => MsgKey::Contact,
            "location_information" | "place_name" => MsgKey::Location,
            "action" => MsgKey::Action,
            "members" => MsgKey::Members,
            _ => MsgKey::Other,
        }))
    }
}

impl<'de> Visitor<'de> for MessageSeed<'_> {
    type Value = RawMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawMessage, A::Error> {
        let mut m = RawMessage::default();
        while let Some(key) = map.next_key::<MsgKey>()? {
            self.path.message_field = Some(key.name());
            match key {
                MsgKey::Id => m.id = Some(map.next_value::<Num>()?.0),
                MsgKey::Type => {
                    m.kind = map.next_value_seed(StrSeed(|s: &str| match s {
                        "message" => Kind::Message,
                        "service" => Kind::Service,
                        _ => Kind::Other,
                    }))?;
                }
                MsgKey::Date => {
                    m.local = map.next_value_seed(StrSeed(|s: &str| {
                        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                            .ok()
                            .map(|t| t.and_utc().timestamp())
                    }))?;
                }
                MsgKey::DateUnixtime => m.unixtime = Some(map.next_value::<Num>()?.0),
                MsgKey::From => m.from = map.next_value()?,
                MsgKey::FromId => {
                    m.from_id = map.next_value::<Option<PeerValue>>()?.and_then(|p| p.0)
                }
                MsgKey::Text => {
                    let mut out = TextOut::default();
                    map.next_value_seed(TextSeed { out: &mut out })?;
                    m.text = Some(out);
                }
                MsgKey::TextEntities if m.text.is_none() => {
                    let mut out = TextOut::default();
                    map.next_value_seed(TextSeed { out: &mut out })?;
                    m.text = Some(out);
                }
                MsgKey::ReplyTo => m.reply_to = Some(map.next_value::<Num>()?.0),
                MsgKey::ForwardedFrom => {
                    m.forwarded = true;
                    m.forwarded_from = map.next_value()?;
                }
                MsgKey::ForwardedFromId => {
                    m.forwarded = true;
                    m.forwarded_from_id = map.next_value::<Option<PeerValue>>()?.and_then(|p| p.0);
                }
                MsgKey::Photo => {
                    map.next_value::<IgnoredAny>()?;
                    m.photo = true;
                }
                MsgKey::File => m.file = map.next_value()?,
                MsgKey::FileName => m.file_name = map.next_value()?,
                MsgKey::FileSize => {
                    m.file_size = map
                        .next_value::<Option<Num>>()?
                        .and_then(|n| u64::try_from(n.0).ok());
                }
                MsgKey::MediaType => {
                    m.media_type = map.next_value_seed(StrSeed(|s: &str| {
                        Some(match s {
                            "sticker" => AttachmentKind::Sticker,
                            "video_file" | "video_message" => AttachmentKind::Video,
                            "voice_message" => AttachmentKind::Voice,
                            "audio_file" => AttachmentKind::Audio,
                            "animation" => AttachmentKind::Animation,
                            _ => AttachmentKind::Other,
                        })
                    }))?;
                }
                MsgKey::Poll => {
                    map.next_value::<IgnoredAny>()?;
                    m.poll = true;
                }
                MsgKey::Contact => {
                    map.next_value::<IgnoredAny>()?;
                    m.contact = true;
                }
                MsgKey::Location => {
                    map.next_value::<IgnoredAny>()?;
                    m.location = true;
                }
                MsgKey::Action => m.action = map.next_value()?,
                MsgKey::Members => {
                    m.members = map
                        .next_value::<Option<Vec<Option<String>>>>()?
                        .unwrap_or_default();
                }
                MsgKey::TextEntities | MsgKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            self.path.message_field = None;
        }
        Ok(m)
    }
}

/// `text` or `text_entities`: a string, or an array of strings and
/// `{"type", "text", "href"?, "user_id"?}` parts.
struct TextSeed<'t> {
    out: &'t mut TextOut,
}

impl<'de> DeserializeSeed<'de> for TextSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TextSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of text parts")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.out.text.push_str(v);
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(()) = seq.next_element_seed(PartSeed {
            out: &mut *self.out,
        })? {}
        Ok(())
    }
}

struct PartSeed<'t> {
    out: &'t mut TextOut,
}

impl<'de> DeserializeSeed<'de> for PartSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Link,
    TextLink,
    Mention,
    MentionName,
    Other,
}

enum PartKey {
    Type,
    Text,
    Href,
    UserId,
    Other,
}

impl<'de> serde::Deserialize<'de> for PartKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_identifier(KeyVisitor(|key: &str| match key {
            "type" => PartKey::Type,
            "text" => PartKey::Text,
            "href" => PartKey::Href,
            "user_id" => PartKey::UserId,
            _ => PartKey::Other,
        }))
    }
}

impl<'de> Visitor<'de> for PartSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text part")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.out.text.push_str(v);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut kind = PartKind::Other;
        let start = self.out.text.len();
        let mut href: Option<String> = None;
        let mut user_id: Option<i64> = None;
        while let Some(key) = map.next_key::<PartKey>()? {
            match key {
                PartKey::Type => {
                    kind = map.next_value_seed(StrSeed(|s: &str| match s {
                        "link" => PartKind::Link,
                        "text_link" => PartKind::TextLink,
                        "mention" => PartKind::Mention,
                        "mention_name" => PartKind::MentionName,
                        _ => PartKind::Other,
                    }))?;
                }
                PartKey::Text => map.next_value_seed(TextSeed {
                    out: &mut *self.out,
                })?,
                PartKey::Href => href = map.next_value()?,
                PartKey::UserId => user_id = map.next_value::<Option<Num>>()?.map(|n| n.0),
                PartKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // The part's text may come before its type: look back at it.
        let text = self.out.text.get(start..).unwrap_or_default();
        match kind {
            PartKind::Link if !text.is_empty() => self.out.links.push(text.to_owned()),
            PartKind::TextLink => self.out.links.extend(href),
            PartKind::Mention => self.out.mentions.push(Mention {
                id: None,
                name: Some(text.trim_start_matches('@').to_owned()),
            }),
            PartKind::MentionName => self.out.mentions.push(Mention {
                id: user_id.map(|id| id.to_string()),
                name: Some(text.to_owned()).filter(|t| !t.is_empty()),
            }),
            _ => {}
        }
        Ok(())
    }
}

/// An integer, written as a number or as a string of digits.
struct Num(i64);

impl<'de> serde::Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

struct NumVisitor;

impl Visitor<'_> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        i64::try_from(v)
            .map(Num)
            .map_err(|_| E::custom("number out of range"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        v.parse()
            .map(Num)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// `from_id`: `"user123"`, `"channel123"`, `"chat123"`, or a bare number
/// in exports before 2021.
struct PeerValue(Option<Peer>);

impl<'de> serde::Deserialize<'de> for PeerValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PeerVisitor)
    }
}

struct PeerVisitor;

impl Visitor<'_> for PeerVisitor {
    type Value = PeerValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a peer id such as \"user123\"")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PeerValue, E> {
        Ok(PeerValue(Some(Peer::User(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PeerValue, E> {
        Ok(PeerValue(i64::try_from(v).ok().map(Peer::User)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PeerValue, E> {
        Ok(PeerValue(Peer::parse(v)))
    }
}

/// A map key, read without allocating.
struct KeyVisitor<F>(F);

impl<T, F: FnOnce(&str) -> T> Visitor<'_> for KeyVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

/// A string value handed to a function without allocating.
struct StrSeed<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> DeserializeSeed<'de> for StrSeed<F> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_str(self)
    }
}

impl<T, F: FnOnce(&str) -> T> Visitor<'_> for StrSeed<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

/// Turns one parsed message into events, or counts why not.
fn emit<F: FnMut(IncomingEvent) -> ControlFlow<()>>(
    mut m: RawMessage,
    chat: &ExportChat,
    options: &ExportOptions,
    summary: &mut ExportSummary,
    each: &mut F,
) -> ControlFlow<()> {
    match m.kind {
        Kind::Message | Kind::Service => {}
        Kind::Missing => {
            summary.skip("no type");
            return ControlFlow::Continue(());
        }
        Kind::Other => {
            summary.skip("unsupported message");
            return ControlFlow::Continue(());
        }
    }
    let Some(id) = m.id else {
        summary.skip("no id");
        return ControlFlow::Continue(());
    };
    let Some(date) = m
        .unixtime
        .or_else(|| m.local.map(|t| t - i64::from(options.utc_offset_seconds)))
    else {
        summary.skip("no date");
        return ControlFlow::Continue(());
    };
    let Some(at) = DateTime::from_timestamp(date, 0) else {
        summary.skip("date out of range");
        return ControlFlow::Continue(());
    };
    let Some(peer) = m.from_id else {
        summary.skip("no sender id");
        return ControlFlow::Continue(());
    };
    let Some(sender_id) = peer.live_id() else {
        summary.skip("sender id out of range");
        return ControlFlow::Continue(());
    };
    let group = GroupRef {
        id: chat.group_id.to_string(),
        title: chat.name.clone(),
    };
    let event = |event_id: String, member: MemberRef, payload| IncomingEvent {
        platform: Platform::Telegram,
        event_id,
        group: group.clone(),
        member,
        at,
        payload,
    };
    match m.kind {
        Kind::Message => {
            let member = sender(peer, sender_id, m.from.take(), chat);
            let content = content(id, m);
            summary.events += 1;
            each(event(
                id.to_string(),
                member,
                EventPayload::Message { message: content },
            ))
        }
        Kind::Service => service(m, peer, date, summary, |id, member, payload| {
            each(event(id, member, payload))
        }),
        Kind::Missing | Kind::Other => ControlFlow::Continue(()),
    }
}

/// Joins and leaves of the sender themselves; the rest of the service
/// messages map to nothing, as they do live.
fn service(
    m: RawMessage,
    peer: Peer,
    date: i64,
    summary: &mut ExportSummary,
    mut each: impl FnMut(String, MemberRef, EventPayload) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let Peer::User(user) = peer else {
        summary.skip("service message by a channel");
        return ControlFlow::Continue(());
    };
    let action = m.action.as_deref().unwrap_or("");
    let actor = || MemberRef {
        id: user.to_string(),
        name: m.from.clone().filter(|n| !n.is_empty()),
        username: None,
        is_bot: false,
        role: None,
    };
    // A member named in the list who is the actor: one who added or
    // removed themselves (a join of a public group is written so).
    let only_self = m.members.len() == 1
        && m.members[0].is_some()
        && m.members[0].as_deref() == m.from.as_deref();
    let joined = EventPayload::MemberJoined {
        invite_link: None,
        inviter: None,
    };
    match action {
        "join_group_by_link" | "join_group_by_request" => {
            summary.events += 1;
            each(format!("join:{user}:{date}"), actor(), joined)
        }
        "invite_members" if only_self => {
            summary.events += 1;
            each(format!("join:{user}:{date}"), actor(), joined)
        }
        "remove_members" if only_self => {
            summary.events += 1;
            each(
                format!("left:{user}:{date}"),
                actor(),
                EventPayload::MemberLeft { removed_by: None },
            )
        }
        "invite_members" => {
            for _ in 0..m.members.len().max(1) {
                summary.skip("member added by another (no id in the export)");
            }
            ControlFlow::Continue(())
        }
        "remove_members" => {
            for _ in 0..m.members.len().max(1) {
                summary.skip("member removed by another (no id in the export)");
            }
            ControlFlow::Continue(())
        }
        "" => {
            summary.skip("service message without action");
            ControlFlow::Continue(())
        }
        other => {
            summary.skip(&format!("service: {other}"));
            ControlFlow::Continue(())
        }
    }
}

fn sender(peer: Peer, live_id: i64, name: Option<String>, chat: &ExportChat) -> MemberRef {
    // As live: the group posting as itself (anonymous admins) and
    // Telegram's forwarding account are the group's admins.
    let role = match peer {
        Peer::User(TELEGRAM_SERVICE_USER) => Some(GroupRole::Admin),
        Peer::User(_) => None,
        Peer::Channel(_) | Peer::Chat(_) => (live_id == chat.group_id).then_some(GroupRole::Admin),
    };
    MemberRef {
        id: live_id.to_string(),
        name: name.filter(|n| !n.is_empty()),
        username: None,
        is_bot: false,
        role,
    }
}

fn content(id: i64, m: RawMessage) -> MessageContent {
    let text = m.text.unwrap_or_default();
    let forwarded_from = m.forwarded.then(|| {
        let (id, kind) = match m.forwarded_from_id {
            Some(p @ Peer::User(_)) => (p.live_id(), Some("user")),
            Some(p @ Peer::Channel(_)) => (p.live_id(), Some("channel")),
            Some(p @ Peer::Chat(_)) => (p.live_id(), Some("group")),
            None => (None, None),
        };
        ForwardOrigin {
            id: id.map(|i| i.to_string()),
            name: m.forwarded_from.clone(),
            kind: kind.map(str::to_owned),
        }
    });
    let mut attachments = Vec::new();
    let plain = |kind| Attachment {
        kind,
        name: None,
        size: None,
    };
    if m.photo {
        attachments.push(plain(AttachmentKind::Photo));
    }
    match m.media_type {
        Some(kind) => attachments.push(plain(kind)),
        None if m.file.is_some() || m.file_name.is_some() => attachments.push(Attachment {
            kind: AttachmentKind::Document,
            name: m
                .file_name
                .or_else(|| m.file.as_deref().and_then(file_name)),
            size: m.file_size,
        }),
        None => {}
    }
    if m.contact {
        attachments.push(plain(AttachmentKind::Contact));
    }
    if m.location {
        attachments.push(plain(AttachmentKind::Location));
    }
    if m.poll {
        attachments.push(plain(AttachmentKind::Poll));
    }
    MessageContent {
        id: id.to_string(),
        text: text.text,
        reply_to: m.reply_to.map(|r| r.to_string()),
        reply_to_member: None,
        forwarded_from,
        links: text.links,
        mentions: text.mentions,
        attachments,
    }
}

/// The file name in an export path (`files/report.pdf`); none when the
/// file was not downloaded (`(File not included. ...)`).
fn file_name(path: &str) -> Option<String> {
    if path.starts_with('(') {
        return None;
    }
    path.rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
}
