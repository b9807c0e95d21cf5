//! A Telegram Bot API server for tests.
//!
//! [`TestServer`] listens on `127.0.0.1` and answers `{api_url}/bot{token}/{method}` the way the
//! official Bot API (<https://core.telegram.org/bots/api>) documents it: the envelopes
//! `{"ok":true,"result":...}` and `{"ok":false,"error_code":N,"description":"...","parameters":{...}}`,
//! the HTTP statuses (200, 400 `Bad Request: ...`, 401 `Unauthorized`, 403 `Forbidden: ...`,
//! 404 `Not Found`, 409 `Conflict: ...`, 429 `Too Many Requests: retry after N`) and the update shapes.
//! Parameters are read from the query string and from a JSON, form-encoded or `multipart/form-data`
//! body (uploaded files are logged as their name, type, size and first bytes), with GET or POST;
//! nested objects (`reply_markup`, `permissions`, ...) may be JSON text, as the real server accepts.
//!
//! A test sets up the world, feeds updates, lets the code under test call the API, then checks:
//!
//! - **Setup:** [`TestServer::add_bot`], [`add_chat`](TestServer::add_chat),
//!   [`set_admins`](TestServer::set_admins), [`set_bot_rights`](TestServer::set_bot_rights) (see
//!   [`BotRights`]), [`allow_private`](TestServer::allow_private).
//! - **Updates:** [`push_update`](TestServer::push_update) with the builders in [`updates`]. Updates
//!   reach the bot through `getUpdates` or, once `setWebhook` was called, as POSTs to the webhook.
//! - **Failures:** [`fail_next`](TestServer::fail_next) with a [`Failure`] answers the next call of
//!   a method with a 429, a migration or any error.
//! - **Checks:** [`calls`](TestServer::calls) / [`calls_to`](TestServer::calls_to) /
//!   [`wait_for_call`](TestServer::wait_for_call) return [`Call`]s; the world's state is read with
//!   [`restriction`](TestServer::restriction) ([`Restriction`]), [`is_banned`](TestServer::is_banned),
//!   [`message_exists`](TestServer::message_exists), [`sent_messages`](TestServer::sent_messages),
//!   [`join_request_state`](TestServer::join_request_state) ([`JoinRequestState`]) and
//!   [`webhook_attempts`](TestServer::webhook_attempts) ([`WebhookAttempt`]).
//!
//! ```
//! use std::time::Duration;
//!
//! use serde_json::{Value, json};
//! use steward_telegram_testserver::{TestServer, updates};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = TestServer::start().await;
//! server.add_bot("123:secret", 123, "steward_bot");
//! let group = updates::group(-100_777, "Test group");
//! let spammer = updates::user(42, "Spammer", "spam42");
//! server.push_update("123:secret", updates::message(&group, &spammer, 10, 1_700_000_000, "buy now"));
//!
//! // The code under test would do this; it only needs the API URL and the token.
//! let http = reqwest::Client::new();
//! let url = |method: &str| server.method_url("123:secret", method);
//! let updates: Value = http.post(url("getUpdates")).json(&json!({"timeout": 1})).send().await.unwrap().json().await.unwrap();
//! assert_eq!(updates["result"][0]["message"]["text"], "buy now");
//! let deleted: Value = http
//!     .post(url("deleteMessage"))
//!     .json(&json!({"chat_id": -100_777, "message_id": 10}))
//!     .send().await.unwrap().json().await.unwrap();
//! assert_eq!(deleted, json!({"ok": true, "result": true}));
//!
//! server.wait_for_call("deleteMessage", 1, Duration::from_secs(1)).await;
//! assert!(!server.message_exists(-100_777, 10));
//! # }
//! ```
//!
//! # How the simulation behaves
//!
//! - **Chats.** A group is known once added, configured, or seen in a pushed update; other groups
//!   answer `"Bad Request: chat not found"`. Private chats need the user to have written to the bot
//!   (a pushed private message, a join request, or [`allow_private`](TestServer::allow_private)),
//!   else 403 `"Forbidden: bot can't initiate conversation with a user"`. State is shared by all bots.
//! - **Messages.** Pushed messages exist in their chat; sent ones get the chat's next free id.
//!   Texts are stored as sent (markup is not parsed). The 48-hour limit on deletion is not enforced.
//! - **Updates.** Ids start at 1 per bot. `allowed_updates` (remembered per bot, shared by
//!   `getUpdates` and `setWebhook`) filters when updates are handed out: an update left out is
//!   dropped then, so push updates before or after the bot's first `getUpdates`, as you like.
//! - **Webhooks.** `http://` URLs are accepted. Updates are posted one at a time, in order.
//!   Failed posts are retried after 100 ms, 5 attempts in all
//!   ([`set_webhook_retry`](TestServer::set_webhook_retry)); then the update stays queued until
//!   the next push or `setWebhook`.
//! - **Descriptions** follow the real server's wording where known; the poll, command and invite
//!   link limits use descriptive wording of the documented limits.

mod delivery;
mod http;
mod inspect;
mod joins;
mod methods;
mod model;
mod multipart;
mod params;
mod reply;
mod server;
pub mod updates;
mod world;

pub use crate::model::{BotRights, Call, Failure, JoinRequestState, Restriction, WebhookAttempt};
pub use crate::server::TestServer;
