//! The JSON shape of ingested events, and its parser.
//!
//! A request body is a JSON array of events. The body as a whole can be
//! refused (not UTF-8, not JSON, not an array, too many events); otherwise
//! every event is judged on its own, so one bad event never costs the rest of
//! its batch. Each refusal names the field and the problem.
//!
//! ```json
//! [{"id": "e1", "platform": "http", "group": {"id": "g1", "title": "Rust 学习群"},
//!   "at": "2026-11-21T10:00:00Z", "kind": "message",
//!   "member": {"id": "u1", "name": "Alice"},
//!   "message": {"id": "m1", "text": "hello"}}]
//! ```
//!
//! Platform ids may be sent as strings or integers; they are kept as strings,
//! exactly as written, never truncated.

use serde::{Deserialize, Deserializer};
use steward_core::{
    Attachment, EventKind, EventPayload, ForwardOrigin, GroupRef, IncomingEvent, MemberRef,
    Mention, MessageContent, Platform,
};
use utoipa::ToSchema;

/// Limits a request must keep.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most events per request.
    pub max_batch: usize,
    /// Longest text, in bytes.
    pub max_text_bytes: usize,
}

/// Why a whole body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Not UTF-8.
    #[error("body is not valid UTF-8 (first bad byte at offset {offset})")]
    NotUtf8 {
        /// Where the bad byte is.
        offset: usize,
    },
    /// Not JSON.
    #[error("body is not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but not an array.
    #[error("body must be a JSON array of events, got {0}")]
    NotArray(&'static str),
    /// Empty array.
    #[error("body is an empty array: send at least one event")]
    Empty,
    /// Too many events.
    #[error("batch has {got} events, more than the limit of {limit}")]
    TooMany {
        /// Events sent.
        got: usize,
        /// The limit.
        limit: usize,
    },
}

/// Why one event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct EventError {
    /// The event's `id`, when it could be read.
    pub id: Option<String>,
    /// The field at fault, as a path (`message.text`).
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

/// A body split into events, each parsed or refused.
#[derive(Debug)]
pub struct ParsedBatch {
    /// One entry per element of the array, in order.
    pub events: Vec<Result<IncomingEvent, EventError>>,
}

/// Parses a request body.
pub fn parse_batch(body: &[u8], limits: Limits) -> Result<ParsedBatch, BodyError> {
    let text = std::str::from_utf8(body).map_err(|e| BodyError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| BodyError::NotJson(e.to_string()))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => return Err(BodyError::NotArray(json_type(&other))),
    };
    if items.is_empty() {
        return Err(BodyError::Empty);
    }
    if items.len() > limits.max_batch {
        return Err(BodyError::TooMany {
            got: items.len(),
            limit: limits.max_batch,
        });
    }
    Ok(ParsedBatch {
        events: items
            .into_iter()
            .map(|item| parse_event(item, limits))
            .collect(),
    })
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn parse_event(item: serde_json::Value, limits: Limits) -> Result<IncomingEvent, EventError> {
    let id = item.get("id").and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    // PostgreSQL cannot store NUL in text: refuse it here, on every backend,
    // rather than fail the whole batch in the store.
    if let Some(path) = nul_path(&item) {
        return Err(EventError {
            id,
            field: if path.is_empty() {
                "(event)".to_owned()
            } else {
                path
            },
            problem: "must not contain NUL characters (\\u0000)".to_owned(),
        });
    }
    let wire: WireEvent = serde_path_to_error::deserialize(item).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde reports a missing field at its parent's path, naming it in the message.
        let (field, problem) = match inner.strip_prefix("missing field `") {
            Some(rest) => {
                let name = rest.split('`').next().unwrap_or(rest);
                let path = if field == "." {
                    name.to_owned()
                } else {
                    format!("{field}.{name}")
                };
                (path, "is required".to_owned())
            }
            None => (
                if field == "." {
                    "(event)".to_owned()
                } else {
                    field
                },
                inner,
            ),
        };
        EventError {
            id: id.clone(),
            field,
            problem,
        }
    })?;
    wire.into_event(limits)
        .map_err(|(field, problem)| EventError {
            id,
            field: field.to_owned(),
            problem,
        })
}

/// The path (`member.name`, `message.mentions[0].name`) of the first string
/// in `value` holding a NUL character; empty when `value` is that string.
fn nul_path(value: &serde_json::Value) -> Option<String> {
    let join = |head: String, rest: String| {
        if rest.is_empty() || rest.starts_with('[') {
            format!("{head}{rest}")
        } else {
            format!("{head}.{rest}")
        }
    };
    match value {
        serde_json::Value::String(s) => s.contains('\0').then(String::new),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_path(v).map(|rest| join(format!("[{i}]"), rest))),
        serde_json::Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| nul_path(v).map(|rest| join(k.clone(), rest))),
        _ => None,
    }
}

/// An id: a string, or an integer kept as written.
#[derive(Debug, Clone, PartialEq, Eq, ToSchema)]
#[schema(value_type = String, example = "-1001234567890123")]
pub struct WireId(pub String);

impl<'de> Deserialize<'de> for WireId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<WireId, D::Error> {
        struct IdVisitor;

        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = WireId;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an id: a string or an integer")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<WireId, E> {
                Ok(WireId(v.to_owned()))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<WireId, E> {
                Ok(WireId(v.to_string()))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<WireId, E> {
                Ok(WireId(v.to_string()))
            }
        }

        // deserialize_any, not an untagged enum, so "missing field" errors
        // pass through unchanged.
        deserializer.deserialize_any(IdVisitor)
    }
}

/// One event as sent to `POST /api/v1/ingest`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireEvent {
    /// The platform's event id; with the platform and group it identifies the
    /// event, and a repeat is answered `duplicate`.
    pub id: WireId,
    /// `http` (default), `telegram`, `onebot` or `matrix`.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "http")]
    pub platform: Option<Platform>,
    /// The group.
    pub group: WireGroup,
    /// When it happened, RFC 3339 (`2026-11-21T10:00:00Z`).
    pub at: String,
    /// `message`, `message_edited`, `message_deleted`, `member_joined`,
    /// `member_left`, `member_renamed`, `join_request`, `reaction`,
    /// `button_pressed`, `direct_message` or `poll_answer`.
    pub kind: String,
    /// Who did it (sender, joiner, applicant ...).
    pub member: WireMember,
    /// For `message`, `message_edited` and `direct_message`: the message;
    /// for `message_deleted`: at least its `id`.
    #[serde(default)]
    pub message: Option<WireMessage>,
    /// For `member_joined`.
    #[serde(default)]
    pub join: Option<WireJoin>,
    /// For `member_left`.
    #[serde(default)]
    pub left: Option<WireLeft>,
    /// For `member_renamed` (otherwise the new name is `member.name`).
    #[serde(default)]
    pub rename: Option<WireRename>,
    /// For `join_request`.
    #[serde(default)]
    pub request: Option<WireRequest>,
    /// For `reaction`.
    #[serde(default)]
    pub reaction: Option<WireReaction>,
    /// For `button_pressed`.
    #[serde(default)]
    pub button: Option<WireButton>,
    /// For `poll_answer`.
    #[serde(default)]
    pub poll: Option<WirePollAnswer>,
}

/// An answer to a poll.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WirePollAnswer {
    /// The platform's id of the poll.
    pub id: WireId,
    /// The options chosen, by position from 0.
    #[serde(default)]
    pub options: Vec<u32>,
}

/// A group.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireGroup {
    /// The platform's id of the group.
    pub id: WireId,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
}

/// A member.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireMember {
    /// The platform's id of the account.
    pub id: WireId,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Username or handle.
    #[serde(default)]
    pub username: Option<String>,
    /// Whether the account is a bot.
    #[serde(default)]
    pub is_bot: bool,
    /// `member`, `admin` or `owner`: the member's role in the group. Admins
    /// and owners are spared by rules (trust level 4).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "admin")]
    pub role: Option<steward_core::model::GroupRole>,
}

/// A message.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireMessage {
    /// The platform's id of the message.
    pub id: WireId,
    /// Text or caption.
    #[serde(default)]
    pub text: Option<String>,
    /// The message replied to.
    #[serde(default)]
    pub reply_to: Option<WireId>,
    /// The sender of the message replied to.
    #[serde(default)]
    pub reply_to_member: Option<WireMember>,
    /// Origin of a forwarded message.
    #[serde(default)]
    pub forwarded_from: Option<WireForward>,
    /// Links marked up by the platform (hidden text links included).
    #[serde(default)]
    pub links: Vec<String>,
    /// Members mentioned.
    #[serde(default)]
    pub mentions: Vec<WireMention>,
    /// Attachments by type.
    #[serde(default)]
    pub attachments: Vec<WireAttachment>,
}

/// Origin of a forwarded message.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireForward {
    /// Id of the original chat, channel or user.
    #[serde(default)]
    pub id: Option<WireId>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// `user`, `channel`, `group` or `hidden`.
    #[serde(default)]
    pub kind: Option<String>,
}

/// A mention.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireMention {
    /// The member's id, when resolved.
    #[serde(default)]
    pub id: Option<WireId>,
    /// The name or handle as written.
    #[serde(default)]
    pub name: Option<String>,
}

/// An attachment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireAttachment {
    /// `photo`, `video`, `audio`, `voice`, `document`, `sticker`,
    /// `animation`, `contact`, `location`, `poll`, `card` or `other`.
    #[schema(value_type = String)]
    pub kind: steward_core::AttachmentKind,
    /// File name.
    #[serde(default)]
    pub name: Option<String>,
    /// Size in bytes.
    #[serde(default)]
    pub size: Option<u64>,
}

/// A join.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WireJoin {
    /// The invite link used.
    #[serde(default)]
    pub invite_link: Option<String>,
    /// Who invited or added the member.
    #[serde(default)]
    pub inviter: Option<WireMember>,
}

/// A departure.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WireLeft {
    /// Who removed the member, if it was not their choice.
    #[serde(default)]
    pub removed_by: Option<WireMember>,
}

/// A change of name.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireRename {
    /// The name before.
    #[serde(default)]
    pub old_name: Option<String>,
    /// The name now.
    pub new_name: String,
}

/// A join request.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WireRequest {
    /// The applicant's answer or comment.
    #[serde(default)]
    pub answer: Option<String>,
    /// The invite link used.
    #[serde(default)]
    pub invite_link: Option<String>,
}

/// A reaction.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireReaction {
    /// The message reacted to.
    pub message_id: WireId,
    /// The emoji.
    pub emoji: String,
    /// True when added (default), false when removed.
    #[serde(default = "yes")]
    pub added: bool,
}

fn yes() -> bool {
    true
}

/// A button press.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WireButton {
    /// The message carrying the button.
    #[serde(default)]
    pub message_id: Option<WireId>,
    /// The button's data.
    pub data: String,
    /// The platform's id of the press, when it expects an answer.
    #[serde(default)]
    pub query_id: Option<String>,
}

type Refusal = (&'static str, String);

impl WireMember {
    fn into_member(self) -> MemberRef {
        MemberRef {
            id: self.id.0,
            name: self.name,
            username: self.username,
            is_bot: self.is_bot,
            role: self.role,
        }
    }
}

impl WireEvent {
    fn into_event(self, limits: Limits) -> Result<IncomingEvent, Refusal> {
        if self.id.0.is_empty() {
            return Err(("id", "must not be empty".into()));
        }
        if self.group.id.0.is_empty() {
            return Err(("group.id", "must not be empty".into()));
        }
        if self.member.id.0.is_empty() {
            return Err(("member.id", "must not be empty".into()));
        }
        let at = chrono::DateTime::parse_from_rfc3339(&self.at)
            .map_err(|e| ("at", format!("`{}` is not an RFC 3339 time: {e}", self.at)))?
            .with_timezone(&chrono::Utc);
        let kind = EventKind::parse(&self.kind).ok_or_else(|| {
            (
                "kind",
                format!(
                    "unknown event kind `{}`, expected one of {}",
                    self.kind,
                    EventKind::ALL.map(EventKind::as_str).join(", ")
                ),
            )
        })?;
        let member = self.member.into_member();
        let payload = match kind {
            EventKind::Message | EventKind::MessageEdited | EventKind::DirectMessage => {
                let message = self.message.ok_or((
                    "message",
                    format!("is required for kind `{}`", kind.as_str()),
                ))?;
                let message = message_content(message, limits)?;
                match kind {
                    EventKind::Message => EventPayload::Message { message },
                    EventKind::MessageEdited => EventPayload::MessageEdited { message },
                    _ => EventPayload::DirectMessage { message },
                }
            }
            EventKind::PollAnswer => {
                let poll = self
                    .poll
                    .ok_or(("poll", "is required for kind `poll_answer`".to_owned()))?;
                EventPayload::PollAnswer {
                    poll_id: non_empty("poll.id", poll.id)?,
                    options: poll.options,
                }
            }
            EventKind::MessageDeleted => {
                let message = self.message.ok_or((
                    "message",
                    "is required for kind `message_deleted` (its `id`)".to_owned(),
                ))?;
                EventPayload::MessageDeleted {
                    message_id: non_empty("message.id", message.id)?,
                    deleted_by: None,
                }
            }
            EventKind::MemberJoined => {
                let join = self.join.unwrap_or_default();
                EventPayload::MemberJoined {
                    invite_link: join.invite_link,
                    inviter: join.inviter.map(WireMember::into_member),
                }
            }
            EventKind::MemberLeft => EventPayload::MemberLeft {
                removed_by: self
                    .left
                    .unwrap_or_default()
                    .removed_by
                    .map(WireMember::into_member),
            },
            EventKind::MemberRenamed => match self.rename {
                Some(rename) => EventPayload::MemberRenamed {
                    old_name: rename.old_name,
                    new_name: rename.new_name,
                },
                None => EventPayload::MemberRenamed {
                    old_name: None,
                    new_name: member.name.clone().ok_or((
                        "rename.new_name",
                        "is required for kind `member_renamed` (or give member.name)".to_owned(),
                    ))?,
                },
            },
            EventKind::JoinRequest => {
                let request = self.request.unwrap_or_default();
                if let Some(answer) = &request.answer {
                    check_length("request.answer", answer, limits)?;
                }
                EventPayload::JoinRequest {
                    answer: request.answer,
                    invite_link: request.invite_link,
                }
            }
            EventKind::Reaction => {
                let reaction = self
                    .reaction
                    .ok_or(("reaction", "is required for kind `reaction`".to_owned()))?;
                EventPayload::Reaction {
                    message_id: non_empty("reaction.message_id", reaction.message_id)?,
                    emoji: reaction.emoji,
                    added: reaction.added,
                }
            }
            EventKind::ButtonPressed => {
                let button = self
                    .button
                    .ok_or(("button", "is required for kind `button_pressed`".to_owned()))?;
                EventPayload::ButtonPressed {
                    message_id: button.message_id.map(|id| id.0),
                    data: button.data,
                    query_id: button.query_id,
                }
            }
        };
        Ok(IncomingEvent {
            platform: self.platform.unwrap_or(Platform::Http),
            event_id: self.id.0,
            group: GroupRef {
                id: self.group.id.0,
                title: self.group.title,
            },
            member,
            at,
            payload,
        })
    }
}

fn non_empty(field: &'static str, id: WireId) -> Result<String, Refusal> {
    if id.0.is_empty() {
        return Err((field, "must not be empty".into()));
    }
    Ok(id.0)
}

fn check_length(field: &'static str, text: &str, limits: Limits) -> Result<(), Refusal> {
    if text.len() > limits.max_text_bytes {
        return Err((
            field,
            format!(
                "is {} bytes, more than the limit of {}",
                text.len(),
                limits.max_text_bytes
            ),
        ));
    }
    Ok(())
}

fn message_content(message: WireMessage, limits: Limits) -> Result<MessageContent, Refusal> {
    let text = message.text.unwrap_or_default();
    check_length("message.text", &text, limits)?;
    Ok(MessageContent {
        id: non_empty("message.id", message.id)?,
        text,
        reply_to: message.reply_to.map(|id| id.0),
        reply_to_member: message.reply_to_member.map(WireMember::into_member),
        forwarded_from: message.forwarded_from.map(|f| ForwardOrigin {
            id: f.id.map(|id| id.0),
            name: f.name,
            kind: f.kind,
        }),
        links: message.links,
        mentions: message
            .mentions
            .into_iter()
            .map(|m| Mention {
                id: m.id.map(|id| id.0),
                name: m.name,
            })
            .collect(),
        attachments: message
            .attachments
            .into_iter()
            .map(|a| Attachment {
                kind: a.kind,
                name: a.name,
                size: a.size,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_batch: 3,
        max_text_bytes: 20,
    };

    fn one(json: &str) -> Result<IncomingEvent, EventError> {
        let body = format!("[{json}]");
        parse_batch(body.as_bytes(), LIMITS)
            .unwrap()
            .events
            .remove(0)
    }

    #[test]
    fn the_documented_example_parses() {
        let event = one(
            r#"{"id": "e1", "platform": "http", "group": {"id": "g1", "title": "Rust 学习群"},
                "at": "2026-11-21T10:00:00Z", "kind": "message",
                "member": {"id": "u1", "name": "Alice"},
                "message": {"id": "m1", "text": "hello"}}"#,
        )
        .unwrap();
        assert_eq!(event.event_id, "e1");
        assert_eq!(event.group.title.as_deref(), Some("Rust 学习群"));
        assert_eq!(event.payload.message().unwrap().text, "hello");
    }

    #[test]
    fn big_numeric_ids_are_kept_exactly() {
        let event = one(
            r#"{"id": 18446744073709551615, "group": {"id": -1001234567890123},
                "at": "2026-11-21T10:00:00+08:00", "kind": "member_joined",
                "member": {"id": 7000000000}}"#,
        )
        .unwrap();
        assert_eq!(event.event_id, "18446744073709551615");
        assert_eq!(event.group.id, "-1001234567890123");
        assert_eq!(event.member.id, "7000000000");
        assert_eq!(event.platform, Platform::Http);
    }

    #[test]
    fn every_refusal_names_the_field() {
        let cases = [
            (r#"{"id": "e1"}"#, "group", "is required"),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "yesterday", "kind": "message", "member": {"id": "u"}}"#,
                "at",
                "RFC 3339",
            ),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "poke", "member": {"id": "u"}}"#,
                "kind",
                "unknown event kind `poke`",
            ),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "message", "member": {"id": "u"}}"#,
                "message",
                "is required for kind `message`",
            ),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "message", "member": {"id": "u"}, "message": {"id": "m", "text": "this text is far too long"}}"#,
                "message.text",
                "more than the limit of 20",
            ),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "message", "member": {"id": true}}"#,
                "member.id",
                "expected an id",
            ),
            (
                r#"{"id": "e1", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "message", "member": {"id": "u"}, "message": {"text": "x"}}"#,
                "message.id",
                "is required",
            ),
            (
                r#"{"id": "", "group": {"id": "g"}, "at": "2026-01-01T00:00:00Z", "kind": "member_left", "member": {"id": "u"}}"#,
                "id",
                "must not be empty",
            ),
        ];
        for (json, field, problem) in cases {
            let err = one(json).unwrap_err();
            assert_eq!(err.field, field, "{json}: {}", err.problem);
            assert!(err.problem.contains(problem), "{json}: {}", err.problem);
            assert_eq!(
                err.id.as_deref(),
                Some("e1")
                    .filter(|_| !json.contains(r#""id": """#))
                    .or(Some(""))
            );
        }
    }

    #[test]
    fn whole_bodies_are_refused_with_a_reason() {
        assert_eq!(
            parse_batch(b"\xff\xfe", LIMITS).unwrap_err(),
            BodyError::NotUtf8 { offset: 0 }
        );
        assert!(matches!(
            parse_batch(b"[{", LIMITS).unwrap_err(),
            BodyError::NotJson(_)
        ));
        assert_eq!(
            parse_batch(b"{}", LIMITS).unwrap_err(),
            BodyError::NotArray("an object")
        );
        assert_eq!(parse_batch(b"[]", LIMITS).unwrap_err(), BodyError::Empty);
        assert_eq!(
            parse_batch(b"[1,2,3,4]", LIMITS).unwrap_err(),
            BodyError::TooMany { got: 4, limit: 3 }
        );
        let batch = parse_batch(b"[1]", LIMITS).unwrap();
        assert_eq!(batch.events[0].as_ref().unwrap_err().field, "(event)");
    }
}

/// The wire JSON of an event: what a system would send to
/// `POST /api/v1/ingest` for it. `parse_batch` reads it back unchanged.
pub fn to_json(event: &IncomingEvent) -> serde_json::Value {
    use serde_json::{Value, json};
    let member = |m: &MemberRef| {
        let mut v = json!({"id": m.id});
        if let Some(name) = &m.name {
            v["name"] = json!(name);
        }
        if let Some(username) = &m.username {
            v["username"] = json!(username);
        }
        if m.is_bot {
            v["is_bot"] = json!(true);
        }
        if let Some(role) = m.role {
            v["role"] = json!(role.as_str());
        }
        v
    };
    let mut v = json!({
        "id": event.event_id,
        "platform": event.platform.as_str(),
        "group": {"id": event.group.id},
        "at": event.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "kind": event.kind().as_str(),
        "member": member(&event.member),
    });
    if let Some(title) = &event.group.title {
        v["group"]["title"] = json!(title);
    }
    let section: Option<(&str, Value)> = match &event.payload {
        EventPayload::Message { message }
        | EventPayload::MessageEdited { message }
        | EventPayload::DirectMessage { message } => Some((
            "message",
            serde_json::to_value(message).unwrap_or(Value::Null),
        )),
        EventPayload::MessageDeleted { message_id, .. } => {
            Some(("message", json!({"id": message_id})))
        }
        EventPayload::MemberJoined {
            invite_link,
            inviter,
        } => Some((
            "join",
            json!({"invite_link": invite_link, "inviter": inviter.as_ref().map(member)}),
        )),
        EventPayload::MemberLeft { removed_by } => Some((
            "left",
            json!({"removed_by": removed_by.as_ref().map(member)}),
        )),
        EventPayload::MemberRenamed { old_name, new_name } => Some((
            "rename",
            json!({"old_name": old_name, "new_name": new_name}),
        )),
        EventPayload::JoinRequest {
            answer,
            invite_link,
        } => Some((
            "request",
            json!({"answer": answer, "invite_link": invite_link}),
        )),
        EventPayload::Reaction {
            message_id,
            emoji,
            added,
        } => Some((
            "reaction",
            json!({"message_id": message_id, "emoji": emoji, "added": added}),
        )),
        EventPayload::ButtonPressed {
            message_id,
            data,
            query_id,
        } => Some((
            "button",
            json!({"message_id": message_id, "data": data, "query_id": query_id}),
        )),
        EventPayload::PollAnswer { poll_id, options } => {
            Some(("poll", json!({"id": poll_id, "options": options})))
        }
    };
    if let Some((key, value)) = section {
        v[key] = value;
    }
    v
}

#[cfg(test)]
mod round_trip {
    use super::*;

    #[test]
    fn to_json_reads_back_unchanged() {
        let event = IncomingEvent {
            platform: Platform::Http,
            event_id: "e9".into(),
            group: GroupRef {
                id: "g".into(),
                title: Some("t".into()),
            },
            member: MemberRef::with_id("u"),
            at: chrono::DateTime::from_timestamp_millis(1_790_000_000_123).unwrap(),
            payload: EventPayload::MemberJoined {
                invite_link: Some("https://t.me/+abc".into()),
                inviter: Some(MemberRef::with_id("v")),
            },
        };
        let body = serde_json::to_vec(&vec![to_json(&event)]).unwrap();
        let limits = Limits {
            max_batch: 1,
            max_text_bytes: 10,
        };
        let back = parse_batch(&body, limits)
            .unwrap()
            .events
            .remove(0)
            .unwrap();
        assert_eq!(back, event);
    }
}
