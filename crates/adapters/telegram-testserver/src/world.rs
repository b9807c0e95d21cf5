//! The simulated Telegram world behind the server: bots with their update queues and webhooks,
//! chats with their messages, admins, restrictions, bans and join requests, and the call log.
//! Everything lives in one `World` behind one mutex; methods and the test-facing API both edit it.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::model::{BotRights, Call, Failure, JoinRequestState, Restriction, WebhookAttempt};
use crate::params::ChatRef;
use crate::reply::ApiError;

/// Update types left out unless named in `allowed_updates`.
const OPT_IN_UPDATES: [&str; 3] = ["chat_member", "message_reaction", "message_reaction_count"];

/// Update fields that carry a `Message`.
const MESSAGE_UPDATES: [&str; 6] = [
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
];

#[derive(Debug, Default)]
pub(crate) struct World {
    pub(crate) bots: HashMap<String, BotState>,
    pub(crate) chats: HashMap<i64, ChatState>,
    pub(crate) users: HashMap<i64, Value>,
    /// Users who may receive private messages (they wrote to a bot or asked to join a chat).
    pub(crate) private_allowed: HashSet<i64>,
    pub(crate) calls: Vec<Call>,
    /// Injected failures by lower-cased method name.
    pub(crate) failures: HashMap<String, VecDeque<Failure>>,
    pub(crate) webhook_attempts: Vec<WebhookAttempt>,
    /// Callback query ids pushed and not yet answered.
    pub(crate) callback_queries: HashSet<String>,
    pub(crate) webhook_retry: WebhookRetry,
    /// A counter for generated identifiers (poll ids, invite links).
    pub(crate) serial: u64,
}

/// How webhook deliveries are retried.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WebhookRetry {
    pub(crate) delay: Duration,
    pub(crate) attempts: u32,
}

impl Default for WebhookRetry {
    fn default() -> Self {
        WebhookRetry {
            delay: Duration::from_millis(100),
            attempts: 5,
        }
    }
}

#[derive(Debug)]
pub(crate) struct BotState {
    /// The bot's `User` object, as `getMe` returns it.
    pub(crate) user: Value,
    /// Updates not yet confirmed, in `update_id` order.
    pub(crate) queue: VecDeque<Value>,
    pub(crate) next_update_id: i64,
    /// The remembered `allowed_updates`; `None` = never set.
    pub(crate) allowed_updates: Option<Vec<String>>,
    pub(crate) webhook: Option<Webhook>,
    /// Bumped by every `setWebhook`/`deleteWebhook`, so old delivery workers stop.
    pub(crate) webhook_generation: u64,
    /// Bumped by every `getUpdates`, so an older long poll knows it was superseded.
    pub(crate) poll_generation: u64,
    /// Commands by (scope key, language code).
    pub(crate) commands: HashMap<(String, String), Value>,
}

#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) secret_token: Option<String>,
    pub(crate) max_connections: i64,
    pub(crate) generation: u64,
    pub(crate) last_error_date: Option<i64>,
    pub(crate) last_error_message: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct ChatState {
    /// The `Chat` object; `None` while the chat is only referred to, not known.
    pub(crate) chat: Option<Value>,
    pub(crate) messages: BTreeMap<i64, StoredMessage>,
    pub(crate) admins: Vec<Value>,
    pub(crate) bot_rights: BotRights,
    pub(crate) restrictions: HashMap<i64, Restriction>,
    /// Banned users and their `until_date`.
    pub(crate) bans: HashMap<i64, i64>,
    pub(crate) left: HashSet<i64>,
    pub(crate) join_requests: HashMap<i64, JoinRequestState>,
    pub(crate) pinned: Vec<i64>,
    pub(crate) invite_links: Vec<Value>,
    /// Default member permissions set by `setChatPermissions`.
    pub(crate) permissions: Option<Value>,
}

#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub(crate) message: Value,
    /// The token of the bot that sent it; `None` for messages received through updates.
    pub(crate) sent_by: Option<String>,
    pub(crate) deleted: bool,
}

impl BotState {
    pub(crate) fn new(id: i64, username: &str) -> BotState {
        BotState {
            user: json!({
                "id": id,
                "is_bot": true,
                "first_name": username,
                "username": username,
                "can_join_groups": true,
                "can_read_all_group_messages": true,
                "supports_inline_queries": false,
            }),
            queue: VecDeque::new(),
            next_update_id: 1,
            allowed_updates: None,
            webhook: None,
            webhook_generation: 0,
            poll_generation: 0,
            commands: HashMap::new(),
        }
    }

    pub(crate) fn id(&self) -> i64 {
        self.user["id"].as_i64().unwrap_or_default()
    }

    /// The `User` object as it appears in messages (without the `getMe`-only fields).
    pub(crate) fn sender(&self) -> Value {
        json!({
            "id": self.user["id"],
            "is_bot": true,
            "first_name": self.user["first_name"],
            "username": self.user["username"],
        })
    }

    /// Queues an update, giving it the next `update_id` unless it has one; returns the id.
    pub(crate) fn enqueue(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.next_update_id;
                update["update_id"] = json!(id);
                id
            }
        };
        self.next_update_id = self.next_update_id.max(id + 1);
        let at = self
            .queue
            .iter()
            .position(|u| update_id(u) > id)
            .unwrap_or(self.queue.len());
        self.queue.insert(at, update);
        id
    }

    /// Drops queued updates the bot's `allowed_updates` leaves out.
    pub(crate) fn drop_unwanted(&mut self) {
        let allowed = self.allowed_updates.clone();
        self.queue
            .retain(|u| is_allowed(allowed.as_deref(), update_kind(u)));
    }
}

impl World {
    pub(crate) fn bot(&self, token: &str) -> Option<&BotState> {
        self.bots.get(token)
    }

    pub(crate) fn bot_mut(&mut self, token: &str) -> Result<&mut BotState, ApiError> {
        self.bots.get_mut(token).ok_or_else(ApiError::unauthorized)
    }

    pub(crate) fn chat_mut(&mut self, chat_id: i64) -> &mut ChatState {
        self.chats.entry(chat_id).or_default()
    }

    /// Makes a chat known, creating a supergroup `Chat` object for it when none was given.
    pub(crate) fn ensure_group(&mut self, chat_id: i64) -> &mut ChatState {
        let chat = self.chat_mut(chat_id);
        if chat.chat.is_none() && chat_id < 0 {
            chat.chat = Some(
                json!({"id": chat_id, "type": "supergroup", "title": format!("Group {chat_id}")}),
            );
        }
        chat
    }

    pub(crate) fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// Finds the chat a `chat_id` parameter names, refusing unknown chats and private chats
    /// with users who never wrote to the bot.
    pub(crate) fn resolve_chat(&self, chat: &ChatRef) -> Result<i64, ApiError> {
        let chat_id = match chat {
            ChatRef::Id(id) => *id,
            ChatRef::Username(name) => self
                .find_username(name)
                .ok_or_else(|| ApiError::bad_request("chat not found"))?,
        };
        if chat_id > 0 {
            if !self.private_allowed.contains(&chat_id) {
                return Err(ApiError::forbidden(
                    "bot can't initiate conversation with a user",
                ));
            }
            return Ok(chat_id);
        }
        match self.chats.get(&chat_id) {
            Some(ChatState { chat: Some(_), .. }) => Ok(chat_id),
            _ => Err(ApiError::bad_request("chat not found")),
        }
    }

    fn find_username(&self, name: &str) -> Option<i64> {
        let matches = |v: &Value| {
            v["username"]
                .as_str()
                .is_some_and(|u| u.eq_ignore_ascii_case(name))
        };
        let chat = self
            .chats
            .iter()
            .find(|(_, c)| c.chat.as_ref().is_some_and(matches))
            .map(|(id, _)| *id);
        chat.or_else(|| {
            self.users
                .iter()
                .find(|(_, u)| matches(u))
                .map(|(id, _)| *id)
        })
    }

    /// The `Chat` object of a known chat; private chats are built from the user.
    pub(crate) fn chat_object(&self, chat_id: i64) -> Value {
        if let Some(ChatState {
            chat: Some(chat), ..
        }) = self.chats.get(&chat_id)
        {
            return chat.clone();
        }
        let user = self.user_object(chat_id);
        let mut chat = json!({"id": chat_id, "type": "private", "first_name": user["first_name"]});
        for field in ["last_name", "username"] {
            if let Some(value) = user.get(field) {
                chat[field] = value.clone();
            }
        }
        chat
    }

    /// The `User` object seen for `user_id`, or a made-up one.
    pub(crate) fn user_object(&self, user_id: i64) -> Value {
        if let Some(user) = self.users.get(&user_id) {
            return user.clone();
        }
        if let Some(bot) = self.bots.values().find(|b| b.id() == user_id) {
            return bot.sender();
        }
        json!({"id": user_id, "is_bot": false, "first_name": format!("User {user_id}")})
    }

    /// Records what an incoming update tells about the world: chats, users, messages that now
    /// exist, pending join requests, callback queries awaiting an answer.
    pub(crate) fn observe_update(&mut self, update: &Value) {
        for field in MESSAGE_UPDATES {
            if let Some(message) = update.get(field) {
                self.observe_message(message, true);
            }
        }
        if let Some(query) = update.get("callback_query") {
            self.observe_user(&query["from"]);
            if let Some(id) = query["id"].as_str() {
                self.callback_queries.insert(id.to_owned());
            }
            if let Some(message) = query.get("message") {
                self.observe_message(message, false);
            }
        }
        if let Some(request) = update.get("chat_join_request") {
            self.observe_chat(&request["chat"]);
            self.observe_user(&request["from"]);
            let user_id = request["from"]["id"].as_i64();
            let dm_chat = request["user_chat_id"].as_i64().or(user_id);
            if let (Some(chat_id), Some(user_id)) = (request["chat"]["id"].as_i64(), user_id) {
                self.chat_mut(chat_id)
                    .join_requests
                    .insert(user_id, JoinRequestState::Pending);
            }
            if let Some(dm_chat) = dm_chat {
                self.private_allowed.insert(dm_chat);
            }
        }
        for field in ["chat_member", "my_chat_member"] {
            if let Some(change) = update.get(field) {
                self.observe_chat(&change["chat"]);
                self.observe_user(&change["from"]);
                self.observe_user(&change["new_chat_member"]["user"]);
                if let (Some(chat_id), Some(user_id)) = (
                    change["chat"]["id"].as_i64(),
                    change["new_chat_member"]["user"]["id"].as_i64(),
                ) {
                    let left = matches!(
                        change["new_chat_member"]["status"].as_str(),
                        Some("left" | "kicked")
                    );
                    let chat = self.chat_mut(chat_id);
                    if left {
                        chat.left.insert(user_id);
                    } else {
                        chat.left.remove(&user_id);
                    }
                }
            }
        }
        if let Some(reaction) = update.get("message_reaction") {
            self.observe_chat(&reaction["chat"]);
            self.observe_user(&reaction["user"]);
        }
        if let Some(answer) = update.get("poll_answer") {
            self.observe_user(&answer["user"]);
        }
    }

    /// Makes a chat known, merging the fields seen into what was known.
    pub(crate) fn observe_chat(&mut self, chat: &Value) {
        let Some(chat_id) = chat["id"].as_i64() else {
            return;
        };
        let state = self.chat_mut(chat_id);
        match (&mut state.chat, chat) {
            (Some(Value::Object(known)), Value::Object(seen)) => {
                known.extend(seen.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            _ => state.chat = Some(chat.clone()),
        }
        if chat["type"] == "private" {
            self.private_allowed.insert(chat_id);
        }
    }

    fn observe_user(&mut self, user: &Value) {
        if let Some(id) = user["id"].as_i64() {
            self.users.insert(id, user.clone());
        }
    }

    /// Stores a received message; `replace` decides whether it overwrites a stored copy.
    fn observe_message(&mut self, message: &Value, replace: bool) {
        self.observe_chat(&message["chat"]);
        self.observe_user(&message["from"]);
        if let Some(reply) = message.get("reply_to_message") {
            self.observe_message(reply, false);
        }
        let (Some(chat_id), Some(message_id)) = (
            message["chat"]["id"].as_i64(),
            message["message_id"].as_i64(),
        ) else {
            return;
        };
        if let Some(members) = message["new_chat_members"].as_array() {
            for member in members.clone() {
                self.observe_user(&member);
                if let Some(id) = member["id"].as_i64() {
                    self.chat_mut(chat_id).left.remove(&id);
                }
            }
        }
        if let Some(id) = message["left_chat_member"]["id"].as_i64() {
            self.observe_user(&message["left_chat_member"]);
            self.chat_mut(chat_id).left.insert(id);
        }
        let messages = &mut self.chat_mut(chat_id).messages;
        match messages.get_mut(&message_id) {
            Some(stored) if replace => {
                stored.message = message.clone();
                stored.deleted = false;
            }
            Some(_) => {}
            None => {
                messages.insert(
                    message_id,
                    StoredMessage {
                        message: message.clone(),
                        sent_by: None,
                        deleted: false,
                    },
                );
            }
        }
    }
}

/// The `update_id` of an update.
pub(crate) fn update_id(update: &Value) -> i64 {
    update["update_id"].as_i64().unwrap_or_default()
}

/// The update's type: its one field besides `update_id`.
pub(crate) fn update_kind(update: &Value) -> &str {
    update
        .as_object()
        .and_then(|o| o.keys().find(|k| k.as_str() != "update_id"))
        .map_or("", String::as_str)
}

/// Whether an update type passes an `allowed_updates` setting (`None` or empty = the default set).
pub(crate) fn is_allowed(allowed: Option<&[String]>, kind: &str) -> bool {
    match allowed {
        Some(list) if !list.is_empty() => list.iter().any(|k| k == kind),
        _ => !OPT_IN_UPDATES.contains(&kind),
    }
}

pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_allowed_updates_leave_out_opt_in_types() {
        assert!(is_allowed(None, "message"));
        assert!(!is_allowed(None, "chat_member"));
        assert!(!is_allowed(Some(&[]), "message_reaction"));
        assert!(is_allowed(Some(&["chat_member".to_owned()]), "chat_member"));
        assert!(!is_allowed(Some(&["chat_member".to_owned()]), "message"));
    }

    #[test]
    fn queued_updates_stay_in_id_order() {
        let mut bot = BotState::new(1, "b");
        assert_eq!(bot.enqueue(json!({"message": {}})), 1);
        assert_eq!(bot.enqueue(json!({"update_id": 10, "message": {}})), 10);
        assert_eq!(bot.enqueue(json!({"update_id": 5, "message": {}})), 5);
        assert_eq!(bot.enqueue(json!({"message": {}})), 11);
        let ids: Vec<i64> = bot.queue.iter().map(update_id).collect();
        assert_eq!(ids, [1, 5, 10, 11]);
    }
}
