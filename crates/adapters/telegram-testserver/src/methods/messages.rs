//! Methods that send, edit, delete and pin messages, send polls and photos, answer callback queries and
//! show chat actions. Sent messages get the next free `message_id` of their chat.

use serde_json::{Map, Value, json};

use super::Ctx;
use super::markup::inline_markup;
use crate::params::{as_i64, chat_ref};
use crate::reply::ApiError;
use crate::world::{StoredMessage, now_unix};

/// Longest message text, in UTF-16 code units as Telegram counts.
const MAX_TEXT: usize = 4096;
/// Longest photo caption, counted the same way.
const MAX_CAPTION: usize = 1024;
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly \
                            the same as a current content and reply markup of the message";
const CHAT_ACTIONS: [&str; 11] = [
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
];

pub(crate) fn send_message(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let text = message_text(ctx)?;
    let markup = inline_markup(ctx.params)?;
    let reply_to = replied_message(ctx, chat_id)?;
    if let Some(options) = ctx
        .params
        .json("link_preview_options", "link preview options")?
        && !options.is_object()
    {
        return Err(ApiError::bad_request(
            "Object expected as link preview options",
        ));
    }
    let mut content = Map::new();
    content.insert("text".into(), json!(text));
    if let Some(reply_to) = reply_to {
        content.insert("reply_to_message".into(), reply_to);
    }
    if let Some(markup) = markup {
        content.insert("reply_markup".into(), markup);
    }
    Ok(store_sent(ctx, chat_id, content))
}

pub(crate) fn edit_message_text(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let (chat_id, message_id) = edited_message_ref(ctx)?;
    let text = message_text(ctx)?;
    let markup = inline_markup(ctx.params)?;
    edit(ctx, chat_id, message_id, Some(text), markup)
}

pub(crate) fn edit_message_reply_markup(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let (chat_id, message_id) = edited_message_ref(ctx)?;
    let markup = inline_markup(ctx.params)?;
    edit(ctx, chat_id, message_id, None, markup)
}

pub(crate) fn delete_message(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.params.message_id("message_id")?;
    if !live_message(ctx, chat_id, message_id) {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    check_deletable(ctx, chat_id, message_id)?;
    mark_deleted(ctx, chat_id, message_id);
    Ok(json!(true))
}

pub(crate) fn delete_messages(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let ids = message_ids(ctx)?;
    let existing: Vec<i64> = ids
        .into_iter()
        .filter(|id| live_message(ctx, chat_id, *id))
        .collect();
    for id in &existing {
        check_deletable(ctx, chat_id, *id)?;
    }
    for id in existing {
        mark_deleted(ctx, chat_id, id);
    }
    Ok(json!(true))
}

pub(crate) fn pin_chat_message(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let message_id = ctx.params.message_id("message_id")?;
    check_pin_rights(ctx, chat_id)?;
    if !live_message(ctx, chat_id, message_id) {
        return Err(ApiError::bad_request("message to pin not found"));
    }
    let pinned = &mut ctx.world.chat_mut(chat_id).pinned;
    pinned.retain(|id| *id != message_id);
    pinned.push(message_id);
    Ok(json!(true))
}

pub(crate) fn unpin_chat_message(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let message_id = match ctx.params.has("message_id") {
        true => Some(ctx.params.message_id("message_id")?),
        false => None,
    };
    check_pin_rights(ctx, chat_id)?;
    let pinned = &mut ctx.world.chat_mut(chat_id).pinned;
    match message_id {
        Some(id) => pinned.retain(|p| *p != id),
        None => {
            pinned.pop();
        }
    }
    Ok(json!(true))
}

pub(crate) fn send_poll(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let question = ctx.params.string("question")?.unwrap_or_default();
    if question.is_empty() {
        return Err(ApiError::bad_request("poll question must be non-empty"));
    }
    if question.chars().count() > 300 {
        return Err(ApiError::bad_request(
            "poll question length must not exceed 300",
        ));
    }
    let options = poll_options(ctx)?;
    let kind = ctx
        .params
        .string("type")?
        .unwrap_or_else(|| "regular".to_owned());
    if kind != "regular" && kind != "quiz" {
        return Err(ApiError::bad_request("Unsupported poll type specified"));
    }
    let is_anonymous = !ctx.params.has("is_anonymous") || ctx.params.bool("is_anonymous");
    let allows_multiple_answers = ctx.params.bool("allows_multiple_answers");
    let markup = inline_markup(ctx.params)?;
    let serial = ctx.world.next_serial();
    let mut poll = json!({
        "id": format!("{}", 5_000_000_000_000_000_000u64 + serial),
        "question": question,
        "options": options.iter().map(|text| json!({"text": text, "voter_count": 0})).collect::<Vec<_>>(),
        "total_voter_count": 0,
        "is_closed": false,
        "is_anonymous": is_anonymous,
        "type": kind,
        "allows_multiple_answers": allows_multiple_answers,
    });
    if kind == "quiz" {
        let correct = correct_option_ids(ctx, options.len())?;
        poll["correct_option_id"] = json!(correct[0]);
        poll["correct_option_ids"] = json!(correct);
        if let Some(explanation) = ctx.params.string("explanation")? {
            if explanation.chars().count() > 200 {
                return Err(ApiError::bad_request("explanation is too long"));
            }
            poll["explanation"] = json!(explanation);
        }
    }
    let mut content = Map::new();
    content.insert("poll".into(), poll);
    if let Some(markup) = markup {
        content.insert("reply_markup".into(), markup);
    }
    Ok(store_sent(ctx, chat_id, content))
}

/// `sendPhoto`: `photo` is an uploaded file (multipart) or a `file_id`/URL string; the result
/// is a Message with a one-size `photo` array and the `caption`.
pub(crate) fn send_photo(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let (file_size, width, height) = match ctx.params.get("photo") {
        None => return Err(ApiError::bad_request("there is no photo in the request")),
        Some(Value::Object(file)) => {
            let size = file.get("file_size").and_then(Value::as_u64).unwrap_or(0);
            if size == 0 {
                return Err(ApiError::bad_request("file must be non-empty"));
            }
            let side = |name: &str| file.get(name).and_then(Value::as_u64).unwrap_or(0);
            (size, side("width"), side("height"))
        }
        Some(Value::String(_)) => (0, 0, 0),
        Some(_) => {
            return Err(ApiError::bad_request(
                "wrong file identifier/HTTP URL specified",
            ));
        }
    };
    let caption = ctx.params.string("caption")?;
    if caption
        .as_deref()
        .is_some_and(|c| c.encode_utf16().count() > MAX_CAPTION)
    {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    let markup = inline_markup(ctx.params)?;
    let serial = ctx.world.next_serial();
    let mut content = Map::new();
    content.insert(
        "photo".into(),
        json!([{
            "file_id": format!("AgACAgIAAxkDAAI{serial}"),
            "file_unique_id": format!("AQAD{serial}"),
            "file_size": file_size,
            "width": width,
            "height": height,
        }]),
    );
    if let Some(caption) = caption {
        content.insert("caption".into(), json!(caption));
    }
    if let Some(markup) = markup {
        content.insert("reply_markup".into(), markup);
    }
    Ok(store_sent(ctx, chat_id, content))
}

pub(crate) fn send_chat_action(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    ctx.chat_id()?;
    let action = ctx.params.string("action")?.unwrap_or_default();
    if !CHAT_ACTIONS.contains(&action.as_str()) {
        return Err(ApiError::bad_request("Wrong parameter action in request"));
    }
    Ok(json!(true))
}

pub(crate) fn answer_callback_query(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "query is too old and response timeout expired or query ID is invalid",
        )
    };
    let id = ctx
        .params
        .string("callback_query_id")?
        .ok_or_else(invalid)?;
    if let Some(text) = ctx.params.string("text")?
        && text.chars().count() > 200
    {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    if !ctx.world.callback_queries.remove(&id) {
        return Err(invalid());
    }
    Ok(json!(true))
}

/// The `text` parameter: 1–4096 characters.
fn message_text(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let text = ctx.params.string("text")?.unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("Message text is empty"));
    }
    if text.encode_utf16().count() > MAX_TEXT {
        return Err(ApiError::bad_request("message is too long"));
    }
    if let Some(mode) = ctx.params.string("parse_mode")?
        && !["html", "markdown", "markdownv2"].contains(&mode.to_ascii_lowercase().as_str())
    {
        return Err(ApiError::bad_request("unsupported parse_mode"));
    }
    Ok(text)
}

/// The message `reply_parameters` (or the older `reply_to_message_id`) points at, if any.
fn replied_message(ctx: &Ctx<'_>, chat_id: i64) -> Result<Option<Value>, ApiError> {
    let (target, allow_missing) = match ctx.params.json("reply_parameters", "reply parameters")? {
        Some(Value::Object(reply)) => {
            let Some(id) = reply.get("message_id").and_then(as_i64) else {
                return Err(ApiError::bad_request("Message identifier is not specified"));
            };
            let chat = match reply.get("chat_id") {
                Some(other) => ctx.world.resolve_chat(&chat_ref(other)?)?,
                None => chat_id,
            };
            let allow = reply
                .get("allow_sending_without_reply")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            ((chat, id), allow)
        }
        Some(_) => return Err(ApiError::bad_request("Object expected as reply parameters")),
        None => match ctx.params.int("reply_to_message_id")? {
            Some(id) => (
                (chat_id, id),
                ctx.params.bool("allow_sending_without_reply"),
            ),
            None => return Ok(None),
        },
    };
    let (chat, id) = target;
    let found = ctx
        .world
        .chats
        .get(&chat)
        .and_then(|c| c.messages.get(&id))
        .filter(|m| !m.deleted);
    match found {
        Some(stored) => {
            let mut replied = stored.message.clone();
            if let Some(object) = replied.as_object_mut() {
                object.remove("reply_to_message");
            }
            Ok(Some(replied))
        }
        None if allow_missing => Ok(None),
        None => Err(ApiError::bad_request("message to be replied not found")),
    }
}

/// Stores a message the bot sends and returns its `Message` object.
fn store_sent(ctx: &mut Ctx<'_>, chat_id: i64, content: Map<String, Value>) -> Value {
    let chat = ctx.world.chat_object(chat_id);
    let from = ctx.bot_sender();
    let messages = &mut ctx.world.chat_mut(chat_id).messages;
    let message_id = messages.keys().next_back().map_or(1, |last| last + 1);
    let mut message = json!({
        "message_id": message_id,
        "from": from,
        "chat": chat,
        "date": now_unix(),
    });
    if let Some(object) = message.as_object_mut() {
        object.extend(content);
    }
    let stored = StoredMessage {
        message: message.clone(),
        sent_by: Some(ctx.token.to_owned()),
        deleted: false,
    };
    messages.insert(message_id, stored);
    message
}

fn edited_message_ref(ctx: &Ctx<'_>) -> Result<(i64, i64), ApiError> {
    if ctx.params.has("inline_message_id") && !ctx.params.has("chat_id") {
        return Err(ApiError::bad_request("message to edit not found"));
    }
    Ok((ctx.chat_id()?, ctx.params.message_id("message_id")?))
}

fn edit(
    ctx: &mut Ctx<'_>,
    chat_id: i64,
    message_id: i64,
    text: Option<String>,
    markup: Option<Value>,
) -> Result<Value, ApiError> {
    let token = ctx.token.to_owned();
    let stored = ctx
        .world
        .chats
        .get_mut(&chat_id)
        .and_then(|c| c.messages.get_mut(&message_id))
        .filter(|m| !m.deleted)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if stored.sent_by.as_deref() != Some(token.as_str()) {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    let message = &mut stored.message;
    let same_text = text
        .as_ref()
        .is_none_or(|t| message["text"].as_str() == Some(t.as_str()));
    let same_markup = message.get("reply_markup") == markup.as_ref();
    if same_text && same_markup {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    if let Some(text) = text {
        message["text"] = json!(text);
    }
    if let Some(object) = message.as_object_mut() {
        match markup {
            Some(markup) => object.insert("reply_markup".into(), markup),
            None => object.remove("reply_markup"),
        };
        object.insert("edit_date".into(), json!(now_unix()));
    }
    Ok(message.clone())
}

fn live_message(ctx: &Ctx<'_>, chat_id: i64, message_id: i64) -> bool {
    let chat = ctx.world.chats.get(&chat_id);
    chat.and_then(|c| c.messages.get(&message_id))
        .is_some_and(|m| !m.deleted)
}

/// In groups the bot needs `can_delete_messages` for messages it did not send itself.
fn check_deletable(ctx: &Ctx<'_>, chat_id: i64, message_id: i64) -> Result<(), ApiError> {
    let chat = ctx.world.chats.get(&chat_id);
    let own = chat
        .and_then(|c| c.messages.get(&message_id))
        .is_some_and(|m| m.sent_by.as_deref() == Some(ctx.token));
    if chat_id < 0 && !own && !ctx.rights(chat_id).can_delete_messages {
        return Err(ApiError::bad_request("message can't be deleted"));
    }
    Ok(())
}

fn mark_deleted(ctx: &mut Ctx<'_>, chat_id: i64, message_id: i64) {
    let chat = ctx.world.chat_mut(chat_id);
    if let Some(message) = chat.messages.get_mut(&message_id) {
        message.deleted = true;
    }
    chat.pinned.retain(|id| *id != message_id);
}

fn check_pin_rights(ctx: &Ctx<'_>, chat_id: i64) -> Result<(), ApiError> {
    if chat_id < 0 && !ctx.rights(chat_id).can_pin_messages {
        return Err(ApiError::bad_request(
            "not enough rights to manage pinned messages in the chat",
        ));
    }
    Ok(())
}

/// The `message_ids` parameter of `deleteMessages`: 1–100 positive identifiers.
fn message_ids(ctx: &Ctx<'_>) -> Result<Vec<i64>, ApiError> {
    let Some(value) = ctx.params.json("message_ids", "message_ids")? else {
        return Err(ApiError::bad_request(
            "Message identifiers are not specified",
        ));
    };
    let Value::Array(items) = value else {
        return Err(ApiError::bad_request(
            "Expected an Array of message identifiers",
        ));
    };
    if items.is_empty() {
        return Err(ApiError::bad_request(
            "Message identifiers are not specified",
        ));
    }
    if items.len() > 100 {
        return Err(ApiError::bad_request(
            "Too many message identifiers specified",
        ));
    }
    items
        .iter()
        .map(|item| {
            as_i64(item)
                .filter(|id| *id > 0)
                .ok_or_else(|| ApiError::bad_request("Invalid message identifier specified"))
        })
        .collect()
}

/// The `options` of `sendPoll`: 2–12 answers, strings or `InputPollOption` objects, 1–100 characters.
fn poll_options(ctx: &Ctx<'_>) -> Result<Vec<String>, ApiError> {
    let Some(value) = ctx.params.json("options", "options")? else {
        return Err(ApiError::bad_request("Can't parse options JSON object"));
    };
    let Value::Array(items) = value else {
        return Err(ApiError::bad_request(
            "Expected an Array of String as options",
        ));
    };
    let mut options = Vec::with_capacity(items.len());
    for item in &items {
        let text = match item {
            Value::String(text) => text.clone(),
            Value::Object(option) => match option.get("text") {
                Some(Value::String(text)) => text.clone(),
                _ => {
                    return Err(ApiError::bad_request(
                        "Field \"text\" must be of type String",
                    ));
                }
            },
            _ => {
                return Err(ApiError::bad_request(
                    "Expected an option to be of type String",
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(ApiError::bad_request("poll options must be non-empty"));
        }
        if text.chars().count() > 100 {
            return Err(ApiError::bad_request(
                "poll options length must not exceed 100",
            ));
        }
        options.push(text);
    }
    if options.len() < 2 {
        return Err(ApiError::bad_request("poll must have at least 2 option"));
    }
    if options.len() > 12 {
        return Err(ApiError::bad_request(
            "poll can't have more than 12 options",
        ));
    }
    Ok(options)
}

/// The correct answers of a quiz: `correct_option_ids` or the older `correct_option_id`.
fn correct_option_ids(ctx: &Ctx<'_>, n_options: usize) -> Result<Vec<i64>, ApiError> {
    let ids = match ctx
        .params
        .json("correct_option_ids", "correct option identifiers")?
    {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_i64().ok_or_else(|| {
                    ApiError::bad_request("Correct option identifier must be of type Number")
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => {
            return Err(ApiError::bad_request(
                "Expected an Array of correct option identifiers",
            ));
        }
        None => ctx.params.int("correct_option_id")?.into_iter().collect(),
    };
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            "quiz poll must have a correct option",
        ));
    }
    if ids.iter().any(|id| !(0..n_options as i64).contains(id)) {
        return Err(ApiError::bad_request(
            "Invalid correct option identifier specified",
        ));
    }
    Ok(ids)
}
