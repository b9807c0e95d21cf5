//! Builders for Bot API objects and updates, so tests read well.
//!
//! Object builders (`user`, `group`, `private_chat`, `chat_member`, `administrator`, `owner`,
//! `invite_link`) return the object itself. Update builders return an Update without
//! `update_id`, holding one field, e.g. `{"message": {...}}`, ready for
//! [`TestServer::push_update`](crate::TestServer::push_update). Builders that take a message
//! accept either a `Message` or an Update holding one.
//!
//! ```
//! use steward_telegram_testserver::updates;
//!
//! let group = updates::group(-1001, "Builders");
//! let ann = updates::user(42, "Ann", "ann");
//! let hello = updates::message(&group, &ann, 7, 1_700_000_000, "hello");
//! let reply = updates::with_reply_to(updates::message(&group, &ann, 8, 1_700_000_001, "again"), &hello);
//! assert_eq!(reply["message"]["reply_to_message"]["message_id"], 7);
//! assert_eq!(reply["message"]["chat"]["type"], "supergroup");
//! ```

use serde_json::{Value, json};

use crate::world::now_unix;

/// A human `User`; an empty `username` is left out.
pub fn user(id: i64, first_name: &str, username: &str) -> Value {
    let mut user = json!({"id": id, "is_bot": false, "first_name": first_name});
    if !username.is_empty() {
        user["username"] = json!(username);
    }
    user
}

/// A bot `User` (`is_bot: true`); an empty `username` is left out.
pub fn bot_user(id: i64, first_name: &str, username: &str) -> Value {
    let mut user = user(id, first_name, username);
    user["is_bot"] = json!(true);
    user
}

/// A supergroup `Chat` (ids of supergroups look like `-100…`).
pub fn group(id: i64, title: &str) -> Value {
    json!({"id": id, "type": "supergroup", "title": title})
}

/// A basic group `Chat` (`"type": "group"`).
pub fn basic_group(id: i64, title: &str) -> Value {
    json!({"id": id, "type": "group", "title": title})
}

/// The private `Chat` with a user (same id as the user).
pub fn private_chat(user: &Value) -> Value {
    let mut chat = json!({"id": user["id"], "type": "private", "first_name": user["first_name"]});
    for field in ["last_name", "username"] {
        if let Some(value) = user.get(field) {
            chat[field] = value.clone();
        }
    }
    chat
}

/// A text message update: `{"message": {message_id, from, chat, date, text}}`.
pub fn message(chat: &Value, from: &Value, message_id: i64, date: i64, text: &str) -> Value {
    json!({"message": {
        "message_id": message_id,
        "from": from,
        "chat": chat,
        "date": date,
        "text": text,
    }})
}

/// Makes the message in `update` a reply to `replied` (a `Message` or an Update holding one).
pub fn with_reply_to(mut update: Value, replied: &Value) -> Value {
    let replied = message_of(replied).clone();
    if let Some(message) = message_field_mut(&mut update) {
        message["reply_to_message"] = replied;
    }
    update
}

/// An `edited_message` update: the new version of a text message, with `edit_date`.
pub fn edited_message(
    chat: &Value,
    from: &Value,
    message_id: i64,
    date: i64,
    edit_date: i64,
    text: &str,
) -> Value {
    json!({"edited_message": {
        "message_id": message_id,
        "from": from,
        "chat": chat,
        "date": date,
        "edit_date": edit_date,
        "text": text,
    }})
}

/// The service message "`members` joined", sent by `from` (the member itself when joining alone).
pub fn new_chat_members(
    chat: &Value,
    from: &Value,
    message_id: i64,
    date: i64,
    members: &[Value],
) -> Value {
    json!({"message": {
        "message_id": message_id,
        "from": from,
        "chat": chat,
        "date": date,
        "new_chat_members": members,
    }})
}

/// The service message "`member` left", sent by `from` (the member itself when leaving).
pub fn left_chat_member(
    chat: &Value,
    from: &Value,
    message_id: i64,
    date: i64,
    member: &Value,
) -> Value {
    json!({"message": {
        "message_id": message_id,
        "from": from,
        "chat": chat,
        "date": date,
        "left_chat_member": member,
    }})
}

/// A `ChatMember` object with the fields its `status` requires: `"creator"`, `"administrator"`
/// (every right granted), `"member"`, `"restricted"` (every permission denied, forever),
/// `"left"` or `"kicked"` (forever).
pub fn chat_member(user: &Value, status: &str) -> Value {
    match status {
        "creator" => owner(user),
        "administrator" => administrator(user),
        "restricted" => json!({
            "status": "restricted",
            "user": user,
            "is_member": true,
            "can_send_messages": false,
            "can_send_audios": false,
            "can_send_documents": false,
            "can_send_photos": false,
            "can_send_videos": false,
            "can_send_video_notes": false,
            "can_send_voice_notes": false,
            "can_send_polls": false,
            "can_send_other_messages": false,
            "can_add_web_page_previews": false,
            "can_react_to_messages": false,
            "can_change_info": false,
            "can_invite_users": false,
            "can_pin_messages": false,
            "can_manage_topics": false,
            "until_date": 0,
        }),
        "kicked" => json!({"status": "kicked", "user": user, "until_date": 0}),
        other => json!({"status": other, "user": user}),
    }
}

/// A `ChatMemberAdministrator` with every right granted.
pub fn administrator(user: &Value) -> Value {
    json!({
        "status": "administrator",
        "user": user,
        "can_be_edited": false,
        "is_anonymous": false,
        "can_manage_chat": true,
        "can_delete_messages": true,
        "can_manage_video_chats": true,
        "can_restrict_members": true,
        "can_promote_members": true,
        "can_change_info": true,
        "can_invite_users": true,
        "can_post_stories": true,
        "can_edit_stories": true,
        "can_delete_stories": true,
        "can_pin_messages": true,
    })
}

/// A `ChatMemberOwner` (status `"creator"`).
pub fn owner(user: &Value) -> Value {
    json!({"status": "creator", "user": user, "is_anonymous": false})
}

/// A `ChatInviteLink` created by `creator`.
pub fn invite_link(url: &str, creator: &Value, creates_join_request: bool) -> Value {
    json!({
        "invite_link": url,
        "creator": creator,
        "creates_join_request": creates_join_request,
        "is_primary": false,
        "is_revoked": false,
    })
}

/// A `chat_member` update: `from` changed `user`'s status from `old_status` to `new_status`
/// (statuses as in [`chat_member`]); dated now. Delivered only to bots that list
/// `chat_member` in `allowed_updates`.
pub fn chat_member_update(
    chat: &Value,
    from: &Value,
    user: &Value,
    old_status: &str,
    new_status: &str,
    invite_link: Option<&Value>,
) -> Value {
    let mut change = member_change(chat, from, user, old_status, new_status);
    if let Some(link) = invite_link {
        change["invite_link"] = link.clone();
    }
    json!({ "chat_member": change })
}

/// A `my_chat_member` update: the bot's own status changed; dated now.
pub fn my_chat_member(
    chat: &Value,
    from: &Value,
    bot: &Value,
    old_status: &str,
    new_status: &str,
) -> Value {
    json!({ "my_chat_member": member_change(chat, from, bot, old_status, new_status) })
}

/// A `chat_join_request` update from `user` (with `user_chat_id` = the user's id).
/// Pushing it registers a pending request and lets the bot message the user.
pub fn chat_join_request(
    chat: &Value,
    user: &Value,
    date: i64,
    bio: Option<&str>,
    invite_link: Option<&Value>,
) -> Value {
    let mut request = json!({
        "chat": chat,
        "from": user,
        "user_chat_id": user["id"],
        "date": date,
    });
    if let Some(bio) = bio {
        request["bio"] = json!(bio);
    }
    if let Some(link) = invite_link {
        request["invite_link"] = link.clone();
    }
    json!({ "chat_join_request": request })
}

/// A `callback_query` update: `from` pressed a button carrying `data` under `message`
/// (a `Message` or an Update holding one). Pushing it lets the bot answer query `id` once.
pub fn callback_query(id: &str, from: &Value, message: &Value, data: &str) -> Value {
    let message = message_of(message);
    json!({"callback_query": {
        "id": id,
        "from": from,
        "message": message,
        "chat_instance": format!("{}", message["chat"]["id"].as_i64().unwrap_or_default().unsigned_abs()),
        "data": data,
    }})
}

/// A `message_reaction` update: `user` changed their emoji reactions on a message; dated now.
/// Delivered only to bots that list `message_reaction` in `allowed_updates`.
pub fn message_reaction(
    chat: &Value,
    user: &Value,
    message_id: i64,
    old: &[&str],
    new: &[&str],
) -> Value {
    let reactions = |emoji: &[&str]| -> Vec<Value> {
        emoji
            .iter()
            .map(|e| json!({"type": "emoji", "emoji": e}))
            .collect()
    };
    json!({"message_reaction": {
        "chat": chat,
        "message_id": message_id,
        "user": user,
        "date": now_unix(),
        "old_reaction": reactions(old),
        "new_reaction": reactions(new),
    }})
}

/// A `poll_answer` update: `user` chose `option_ids` (empty = vote retracted) in a non-anonymous poll.
pub fn poll_answer(poll_id: &str, user: &Value, option_ids: &[i64]) -> Value {
    json!({"poll_answer": {"poll_id": poll_id, "user": user, "option_ids": option_ids}})
}

fn member_change(
    chat: &Value,
    from: &Value,
    user: &Value,
    old_status: &str,
    new_status: &str,
) -> Value {
    json!({
        "chat": chat,
        "from": from,
        "date": now_unix(),
        "old_chat_member": chat_member(user, old_status),
        "new_chat_member": chat_member(user, new_status),
    })
}

/// The `Message` in `value`: the value itself, or the message field of an Update.
fn message_of(value: &Value) -> &Value {
    if value.get("message_id").is_some() {
        return value;
    }
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
    ]
    .iter()
    .find_map(|field| value.get(*field))
    .unwrap_or(value)
}

fn message_field_mut(update: &mut Value) -> Option<&mut Value> {
    if update.get("message_id").is_some() {
        return Some(update);
    }
    let field = [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
    ]
    .into_iter()
    .find(|field| update.get(*field).is_some())?;
    update.get_mut(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_requests_carry_user_chat_id() {
        let ann = user(42, "Ann", "");
        let update = chat_join_request(&group(-1, "g"), &ann, 5, Some("bio"), None);
        assert_eq!(update["chat_join_request"]["user_chat_id"], 42);
        assert_eq!(update["chat_join_request"]["bio"], "bio");
        assert!(ann.get("username").is_none());
    }

    #[test]
    fn callback_queries_unwrap_updates() {
        let g = group(-1005, "g");
        let ann = user(1, "Ann", "ann");
        let update = callback_query("q1", &ann, &message(&g, &ann, 3, 0, "pick"), "yes");
        assert_eq!(update["callback_query"]["message"]["message_id"], 3);
        assert_eq!(update["callback_query"]["chat_instance"], "1005");
    }

    #[test]
    fn member_changes_have_valid_chat_members() {
        let ann = user(1, "Ann", "ann");
        let update = chat_member_update(&group(-1, "g"), &ann, &ann, "left", "restricted", None);
        assert_eq!(
            update["chat_member"]["old_chat_member"],
            json!({"status": "left", "user": ann})
        );
        assert_eq!(update["chat_member"]["new_chat_member"]["is_member"], true);
    }
}
