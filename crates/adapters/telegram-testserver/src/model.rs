//! The public value types a test reads from or hands to the server: recorded calls,
//! injected failures, the bot's rights, restrictions, join-request states and webhook attempts.

use std::time::Instant;

use serde_json::Value;

/// One Bot API request the server received, recorded before it was answered.
///
/// `params` holds the merged parameters exactly as sent: query string first, then the body
/// (a JSON body keeps its JSON types; form and query values are strings, so nested objects
/// such as `reply_markup` are JSON text there). The `param_*` helpers read either form.
#[derive(Debug, Clone)]
pub struct Call {
    /// The bot token from the URL path.
    pub token: String,
    /// The method name; known methods are spelled as in the docs (`sendMessage`), whatever case was used.
    pub method: String,
    /// The parameters as a JSON object.
    pub params: Value,
    /// When the request arrived.
    pub at: Instant,
}

impl Call {
    /// The parameter `name` as an integer, whether sent as a JSON number or as text.
    pub fn param_i64(&self, name: &str) -> Option<i64> {
        match self.params.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The parameter `name` as text; numbers and booleans are turned into text.
    pub fn param_str(&self, name: &str) -> Option<String> {
        match self.params.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The parameter `name` as a boolean (`true`, `"true"`, `"1"` and `1` are true).
    pub fn param_bool(&self, name: &str) -> Option<bool> {
        match self.params.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) => Some(matches!(s.as_str(), "true" | "True" | "1")),
            Value::Number(n) => Some(n.as_i64() == Some(1)),
            _ => None,
        }
    }

    /// The parameter `name` as JSON: objects and arrays as sent, JSON text parsed
    /// (form and query bodies carry `reply_markup`, `permissions` and the like as text).
    pub fn param_json(&self, name: &str) -> Option<Value> {
        match self.params.get(name)? {
            Value::String(s) => serde_json::from_str(s).ok(),
            other => Some(other.clone()),
        }
    }
}

/// A failure to answer the next call of a method with, queued by
/// [`TestServer::fail_next`](crate::TestServer::fail_next).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// HTTP 429 `"Too Many Requests: retry after N"` with `parameters.retry_after = N`.
    TooManyRequests {
        /// Seconds the client is told to wait.
        retry_after: u64,
    },
    /// HTTP 400 `"Bad Request: group chat was upgraded to a supergroup chat"` with
    /// `parameters.migrate_to_chat_id`.
    MigrateToChat {
        /// The supergroup's identifier.
        migrate_to_chat_id: i64,
    },
    /// Any error: the HTTP status and `error_code` are `code`, the description is used as given
    /// (write it the way Telegram does, e.g. `"Forbidden: bot was blocked by the user"`).
    Error {
        /// HTTP status and `error_code`.
        code: u16,
        /// The `description` field.
        description: String,
    },
}

/// The bot's own administrator rights in one chat, checked by the moderation methods.
///
/// The default grants every right, so a test only sets rights when it wants a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BotRights {
    /// Needed to delete other users' messages (`deleteMessage`, `deleteMessages`).
    pub can_delete_messages: bool,
    /// Needed by `restrictChatMember`, `banChatMember`, `unbanChatMember`, `setChatPermissions`.
    pub can_restrict_members: bool,
    /// Needed by `approveChatJoinRequest`, `declineChatJoinRequest`, `createChatInviteLink`.
    pub can_invite_users: bool,
    /// Needed by `pinChatMessage` and `unpinChatMessage`.
    pub can_pin_messages: bool,
}

impl BotRights {
    /// Every right granted (the default).
    pub const ALL: BotRights = BotRights {
        can_delete_messages: true,
        can_restrict_members: true,
        can_invite_users: true,
        can_pin_messages: true,
    };

    /// No right at all: the bot is a plain member.
    pub const NONE: BotRights = BotRights {
        can_delete_messages: false,
        can_restrict_members: false,
        can_invite_users: false,
        can_pin_messages: false,
    };
}

impl Default for BotRights {
    fn default() -> Self {
        BotRights::ALL
    }
}

/// A member's current restriction, set by `restrictChatMember`.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    /// The full `ChatPermissions` object after Telegram's rules: missing fields are false, and
    /// without `use_independent_chat_permissions`, `can_send_other_messages` or
    /// `can_add_web_page_previews` grant every media permission and `can_send_messages`,
    /// and `can_send_polls` grants `can_send_messages`.
    pub permissions: Value,
    /// Unix time the restriction ends; 0 means forever (stored as sent).
    pub until_date: i64,
    /// The `use_independent_chat_permissions` flag as sent.
    pub use_independent_chat_permissions: bool,
}

/// Where a join request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinRequestState {
    /// Pushed as a `chat_join_request` update and not yet handled.
    Pending,
    /// Approved with `approveChatJoinRequest`.
    Approved,
    /// Declined with `declineChatJoinRequest`.
    Declined,
}

/// One attempt to deliver an update to a webhook.
#[derive(Debug, Clone)]
pub struct WebhookAttempt {
    /// The bot the update belongs to.
    pub token: String,
    /// The webhook URL posted to.
    pub url: String,
    /// The update's `update_id`.
    pub update_id: i64,
    /// The HTTP status of the answer, or `None` when no answer came (connection error, timeout).
    pub status: Option<u16>,
    /// The connection error, when there was one.
    pub error: Option<String>,
    /// The `X-Telegram-Bot-Api-Secret-Token` header sent, if a secret was set.
    pub secret_token: Option<String>,
    /// When the attempt finished.
    pub at: Instant,
}

impl WebhookAttempt {
    /// Whether the webhook answered with a 2xx status.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}
