//! `setMyCommands`, `getMyCommands` and `deleteMyCommands`: command lists per bot, scope and
//! language, with the documented limits on command names and descriptions.

use serde_json::{Value, json};

use super::Ctx;
use crate::params::{ChatRef, as_i64, chat_ref};
use crate::reply::ApiError;

pub(crate) fn set_my_commands(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let Some(value) = ctx.params.json("commands", "commands")? else {
        return Err(ApiError::bad_request("Can't parse commands JSON object"));
    };
    let Value::Array(items) = value else {
        return Err(ApiError::bad_request("Expected an Array of BotCommand"));
    };
    if items.len() > 100 {
        return Err(ApiError::bad_request("too many commands specified"));
    }
    let commands = items.iter().map(command).collect::<Result<Vec<_>, _>>()?;
    let key = (scope_key(ctx)?, language(ctx)?);
    let bot = ctx.world.bot_mut(ctx.token)?;
    if commands.is_empty() {
        bot.commands.remove(&key);
    } else {
        bot.commands.insert(key, Value::Array(commands));
    }
    Ok(json!(true))
}

pub(crate) fn get_my_commands(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let key = (scope_key(ctx)?, language(ctx)?);
    let bot = ctx.world.bot_mut(ctx.token)?;
    Ok(bot.commands.get(&key).cloned().unwrap_or_else(|| json!([])))
}

pub(crate) fn delete_my_commands(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let key = (scope_key(ctx)?, language(ctx)?);
    ctx.world.bot_mut(ctx.token)?.commands.remove(&key);
    Ok(json!(true))
}

/// One `BotCommand`: `command` of 1–32 characters from `a-z`, `0-9` and `_`, `description` of 1–256.
fn command(item: &Value) -> Result<Value, ApiError> {
    let Value::Object(object) = item else {
        return Err(ApiError::bad_request("Expected an Array of BotCommand"));
    };
    let name = object
        .get("command")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = name.strip_prefix('/').unwrap_or(name);
    let name_ok = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !name_ok {
        return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
    }
    let description = object
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !(1..=256).contains(&description.chars().count()) {
        return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
    }
    Ok(json!({"command": name, "description": description}))
}

/// A `BotCommandScope` as a lookup key, e.g. `default`, `chat:-100`, `chat_member:-100:42`.
fn scope_key(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let Some(scope) = ctx.params.json("scope", "BotCommandScope")? else {
        return Ok("default".to_owned());
    };
    let Value::Object(scope) = scope else {
        return Err(ApiError::bad_request("BotCommandScope must be an Object"));
    };
    let kind = scope
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match kind {
        "default" | "all_private_chats" | "all_group_chats" | "all_chat_administrators" => {
            Ok(kind.to_owned())
        }
        "chat" | "chat_administrators" | "chat_member" => {
            let chat = scope
                .get("chat_id")
                .ok_or_else(|| ApiError::bad_request("Empty chat_id specified"))?;
            let chat = match chat_ref(chat)? {
                ChatRef::Id(id) => id.to_string(),
                ChatRef::Username(name) => format!("@{}", name.to_ascii_lowercase()),
            };
            if kind != "chat_member" {
                return Ok(format!("{kind}:{chat}"));
            }
            let user_id = scope.get("user_id").and_then(as_i64).filter(|id| *id > 0);
            let user_id =
                user_id.ok_or_else(|| ApiError::bad_request("Invalid user_id specified"))?;
            Ok(format!("{kind}:{chat}:{user_id}"))
        }
        _ => Err(ApiError::bad_request("Unsupported type specified")),
    }
}

/// The `language_code` parameter: empty or a two-letter ISO 639-1 code.
fn language(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let code = ctx.params.string("language_code")?.unwrap_or_default();
    let two_letters = code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase());
    if !code.is_empty() && !two_letters {
        return Err(ApiError::bad_request("invalid language code specified"));
    }
    Ok(code)
}
