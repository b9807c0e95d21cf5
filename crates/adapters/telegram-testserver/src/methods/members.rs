//! Member moderation and lookup: restrict, ban, unban, default permissions, join-request
//! answers, `getChatMember` and `getChatAdministrators`, with the bot-rights and admin checks.

use serde_json::{Map, Value, json};

use super::Ctx;
use crate::model::{JoinRequestState, Restriction};
use crate::reply::ApiError;

/// Every `ChatPermissions` field.
const PERMISSIONS: [&str; 16] = [
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
    "can_edit_tag",
];
/// The media permissions `can_send_other_messages` and `can_add_web_page_previews` imply.
const MEDIA: [&str; 6] = [
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
];
/// Granting all of these lifts a restriction.
const SEND_RIGHTS: [&str; 10] = [
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
];
const NO_RESTRICT_RIGHTS: &str = "not enough rights to restrict/unrestrict chat member";
const TARGET_IS_ADMIN: &str = "user is an administrator of the chat";

pub(crate) fn restrict_chat_member(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let user_id = ctx.params.user_id()?;
    let independent = ctx.params.bool("use_independent_chat_permissions");
    let permissions = permissions(ctx, independent)?;
    let until_date = ctx.params.int("until_date")?.unwrap_or(0);
    check_can_restrict(ctx, chat_id, user_id)?;
    let chat = ctx.world.chat_mut(chat_id);
    if SEND_RIGHTS.iter().all(|right| permissions[*right] == true) {
        chat.restrictions.remove(&user_id);
    } else {
        let restriction = Restriction {
            permissions,
            until_date,
            use_independent_chat_permissions: independent,
        };
        chat.restrictions.insert(user_id, restriction);
    }
    Ok(json!(true))
}

pub(crate) fn ban_chat_member(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let user_id = ctx.params.user_id()?;
    let until_date = ctx.params.int("until_date")?.unwrap_or(0);
    check_can_restrict(ctx, chat_id, user_id)?;
    let chat = ctx.world.chat_mut(chat_id);
    chat.bans.insert(user_id, until_date);
    chat.restrictions.remove(&user_id);
    chat.left.insert(user_id);
    Ok(json!(true))
}

pub(crate) fn unban_chat_member(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let user_id = ctx.params.user_id()?;
    let only_if_banned = ctx.params.bool("only_if_banned");
    if !ctx.rights(chat_id).can_restrict_members {
        return Err(ApiError::bad_request(NO_RESTRICT_RIGHTS));
    }
    let banned = ctx
        .world
        .chats
        .get(&chat_id)
        .is_some_and(|c| c.bans.contains_key(&user_id));
    if !banned && only_if_banned {
        return Ok(json!(true));
    }
    if !banned && is_admin(ctx, chat_id, user_id) {
        return Err(ApiError::bad_request(TARGET_IS_ADMIN));
    }
    // Unbanning leaves the user out of the chat; without only_if_banned a member is removed too.
    let chat = ctx.world.chat_mut(chat_id);
    chat.bans.remove(&user_id);
    chat.restrictions.remove(&user_id);
    chat.left.insert(user_id);
    Ok(json!(true))
}

pub(crate) fn set_chat_permissions(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let independent = ctx.params.bool("use_independent_chat_permissions");
    let permissions = permissions(ctx, independent)?;
    if !ctx.rights(chat_id).can_restrict_members {
        return Err(ApiError::bad_request(
            "not enough rights to change chat permissions",
        ));
    }
    ctx.world.chat_mut(chat_id).permissions = Some(permissions);
    Ok(json!(true))
}

pub(crate) fn answer_join_request(ctx: &mut Ctx<'_>, approve: bool) -> Result<Value, ApiError> {
    let chat_id = ctx.group_id()?;
    let user_id = ctx.params.user_id()?;
    if !ctx.rights(chat_id).can_invite_users {
        return Err(ApiError::bad_request("not enough rights"));
    }
    let chat = ctx.world.chat_mut(chat_id);
    if chat.join_requests.get(&user_id) != Some(&JoinRequestState::Pending) {
        return Err(ApiError::bad_request("HIDE_REQUESTER_MISSING"));
    }
    if approve {
        chat.join_requests
            .insert(user_id, JoinRequestState::Approved);
        chat.left.remove(&user_id);
    } else {
        chat.join_requests
            .insert(user_id, JoinRequestState::Declined);
    }
    Ok(json!(true))
}

pub(crate) fn get_chat_administrators(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    if chat_id > 0 {
        return Err(ApiError::bad_request(
            "there are no administrators in the private chat",
        ));
    }
    let admins = ctx
        .world
        .chats
        .get(&chat_id)
        .map(|c| c.admins.clone())
        .unwrap_or_default();
    Ok(Value::Array(admins))
}

pub(crate) fn get_chat_member(ctx: &mut Ctx<'_>) -> Result<Value, ApiError> {
    let chat_id = ctx.chat_id()?;
    let user_id = ctx.params.user_id()?;
    let user = ctx.world.user_object(user_id);
    if user_id == ctx.bot_id() {
        return Ok(bot_member(ctx, chat_id));
    }
    let Some(chat) = ctx.world.chats.get(&chat_id) else {
        return Ok(json!({"status": "member", "user": user}));
    };
    if let Some(admin) = chat
        .admins
        .iter()
        .find(|a| a["user"]["id"].as_i64() == Some(user_id))
    {
        return Ok(admin.clone());
    }
    if let Some(until_date) = chat.bans.get(&user_id) {
        return Ok(json!({"status": "kicked", "user": user, "until_date": until_date}));
    }
    if let Some(restriction) = chat.restrictions.get(&user_id) {
        let mut member = json!({
            "status": "restricted",
            "user": user,
            "is_member": !chat.left.contains(&user_id),
            "until_date": restriction.until_date,
        });
        if let (Some(member), Some(permissions)) =
            (member.as_object_mut(), restriction.permissions.as_object())
        {
            member.extend(permissions.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        return Ok(member);
    }
    if chat.left.contains(&user_id) {
        return Ok(json!({"status": "left", "user": user}));
    }
    Ok(json!({"status": "member", "user": user}))
}

/// The bot's own membership: an administrator with its rights in groups, else a member.
fn bot_member(ctx: &Ctx<'_>, chat_id: i64) -> Value {
    let user = ctx.bot_sender();
    let rights = ctx.rights(chat_id);
    if chat_id > 0 || rights == crate::model::BotRights::NONE {
        return json!({"status": "member", "user": user});
    }
    json!({
        "status": "administrator",
        "user": user,
        "can_be_edited": false,
        "is_anonymous": false,
        "can_manage_chat": true,
        "can_delete_messages": rights.can_delete_messages,
        "can_manage_video_chats": false,
        "can_restrict_members": rights.can_restrict_members,
        "can_promote_members": false,
        "can_change_info": false,
        "can_invite_users": rights.can_invite_users,
        "can_post_stories": false,
        "can_edit_stories": false,
        "can_delete_stories": false,
        "can_pin_messages": rights.can_pin_messages,
    })
}

fn is_admin(ctx: &Ctx<'_>, chat_id: i64, user_id: i64) -> bool {
    let chat = ctx.world.chats.get(&chat_id);
    chat.is_some_and(|c| {
        c.admins
            .iter()
            .any(|a| a["user"]["id"].as_i64() == Some(user_id))
    })
}

/// The bot needs `can_restrict_members`, and admins cannot be restricted or banned.
fn check_can_restrict(ctx: &Ctx<'_>, chat_id: i64, user_id: i64) -> Result<(), ApiError> {
    if !ctx.rights(chat_id).can_restrict_members {
        return Err(ApiError::bad_request(NO_RESTRICT_RIGHTS));
    }
    if is_admin(ctx, chat_id, user_id) {
        return Err(ApiError::bad_request(TARGET_IS_ADMIN));
    }
    Ok(())
}

/// The `permissions` parameter as a full `ChatPermissions` object, applying Telegram's rules:
/// missing fields are false; unless permissions are independent, sending other messages or link
/// previews grants every media right and plain messages, and sending polls grants plain messages.
fn permissions(ctx: &Ctx<'_>, independent: bool) -> Result<Value, ApiError> {
    let Some(value) = ctx.params.json("permissions", "permissions")? else {
        return Err(ApiError::bad_request(
            "Parameter \"permissions\" is required",
        ));
    };
    let Value::Object(given) = value else {
        return Err(ApiError::bad_request("Object expected as permissions"));
    };
    let mut full = Map::new();
    for field in PERMISSIONS {
        let granted = match given.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(ApiError::bad_request(&format!(
                    "Can't parse chat permissions: Field \"{field}\" must be of type Boolean"
                )));
            }
        };
        full.insert(field.to_owned(), json!(granted));
    }
    if !independent {
        let grants_media =
            full["can_send_other_messages"] == true || full["can_add_web_page_previews"] == true;
        if grants_media {
            for field in MEDIA.into_iter().chain(["can_send_messages"]) {
                full.insert(field.to_owned(), json!(true));
            }
        }
        if full["can_send_polls"] == true {
            full.insert("can_send_messages".to_owned(), json!(true));
        }
    }
    if !given.contains_key("can_react_to_messages") {
        let can_send = full["can_send_messages"].clone();
        full.insert("can_react_to_messages".to_owned(), can_send);
    }
    Ok(Value::Object(full))
}
