//! `TestServer`: starting the server and setting up the world a test needs (bots, chats,
//! admins, rights, users who started the bot, queued updates and injected failures).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::model::{BotRights, Failure};
use crate::world::{BotState, World};

/// A running Telegram Bot API test server. Clones share the same server; it stops when the
/// last clone is dropped (or when the test's runtime ends).
///
/// See the [crate documentation](crate) for an overview and an example.
#[derive(Clone)]
pub struct TestServer {
    pub(crate) shared: Arc<Shared>,
    serving: Arc<Serving>,
}

/// State shared by the test-facing handle, the HTTP handlers and the webhook workers.
pub(crate) struct Shared {
    world: Mutex<World>,
    /// Woken when updates are queued, webhooks change or a newer `getUpdates` starts.
    pub(crate) updates_changed: Notify,
    /// Woken when a call or a webhook attempt is recorded.
    pub(crate) calls_changed: Notify,
    /// The client webhook deliveries use.
    pub(crate) http: reqwest::Client,
}

impl Shared {
    /// Locks the world; a panic in another holder does not poison it for the test.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Aborts the serving task when the last `TestServer` clone goes.
struct Serving {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Binds `127.0.0.1` on a free port and serves in a task of the current Tokio runtime.
    ///
    /// # Panics
    /// If no local port can be bound.
    pub async fn start() -> TestServer {
        let shared = Arc::new(Shared {
            world: Mutex::new(World::default()),
            updates_changed: Notify::new(),
            calls_changed: Notify::new(),
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .unwrap_or_default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port for the test server");
        let addr = listener
            .local_addr()
            .expect("local address of the test server");
        let router = crate::http::router(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "telegram test server stopped");
            }
        });
        TestServer {
            shared,
            serving: Arc::new(Serving { addr, task }),
        }
    }

    /// The API root, e.g. `http://127.0.0.1:41234`; clients call `{api_url}/bot{token}/{method}`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.serving.addr)
    }

    /// The URL of one method for one bot: `{api_url}/bot{token}/{method}`.
    pub fn method_url(&self, token: &str, method: &str) -> String {
        format!("{}/bot{token}/{method}", self.api_url())
    }

    /// Registers a bot. Calls with any other token get 401 `Unauthorized`.
    /// `getMe` returns `{id, is_bot: true, first_name: username, username, ...}`.
    pub fn add_bot(&self, token: &str, id: i64, username: &str) {
        self.shared
            .world()
            .bots
            .insert(token.to_owned(), BotState::new(id, username));
    }

    /// Makes a chat known from its `Chat` object (`{"id", "type", "title", "username"?}`).
    ///
    /// Chats also become known when they appear in a pushed update or are configured with
    /// [`set_admins`](Self::set_admins) / [`set_bot_rights`](Self::set_bot_rights); methods naming an
    /// unknown group answer 400 `"Bad Request: chat not found"`. The registry is shared by all bots.
    pub fn add_chat(&self, chat: Value) {
        self.shared.world().observe_chat(&chat);
    }

    /// Sets the chat's administrators: `ChatMember` objects with status `"creator"` or
    /// `"administrator"` (see [`updates::owner`](crate::updates::owner) and
    /// [`updates::administrator`](crate::updates::administrator)). `getChatAdministrators`
    /// returns them as given, `getChatMember` returns an admin's entry, and restricting or banning
    /// one answers 400 `"Bad Request: user is an administrator of the chat"`.
    pub fn set_admins(&self, chat_id: i64, admins: Vec<Value>) {
        let mut world = self.shared.world();
        for admin in &admins {
            if let Some(id) = admin["user"]["id"].as_i64() {
                world.users.insert(id, admin["user"].clone());
            }
        }
        world.ensure_group(chat_id).admins = admins;
    }

    /// Sets the bot's own rights in a group (all granted by default).
    pub fn set_bot_rights(&self, chat_id: i64, rights: BotRights) {
        self.shared.world().ensure_group(chat_id).bot_rights = rights;
    }

    /// Marks a user as having started the bot, so `sendMessage` to their private chat works.
    ///
    /// Without it, sending to a user's id answers 403
    /// `"Forbidden: bot can't initiate conversation with a user"`. Pushing a message from a private
    /// chat, or a `chat_join_request` from the user, allows it too.
    pub fn allow_private(&self, user_id: i64) {
        self.shared.world().private_allowed.insert(user_id);
    }

    /// Queues an update for a bot and returns its `update_id`.
    ///
    /// `update` is an Update without or with `update_id` (for example from [`crate::updates`]);
    /// a missing id is assigned as the bot's next one (ids start at 1 and increase).
    /// The update's content is also applied to the world: a received message exists in its chat
    /// (so `deleteMessage` on it works), a `chat_join_request` becomes a pending request, a
    /// `callback_query` may be answered, chats and users become known.
    ///
    /// # Panics
    /// If the token was not added with [`add_bot`](Self::add_bot).
    pub fn push_update(&self, token: &str, update: Value) -> i64 {
        let id = {
            let mut world = self.shared.world();
            assert!(
                world.bots.contains_key(token),
                "push_update: unknown bot token {token:?}; call add_bot first"
            );
            world.observe_update(&update);
            world
                .bot_mut(token)
                .map(|bot| bot.enqueue(update))
                .unwrap_or_default()
        };
        self.shared.updates_changed.notify_waiters();
        id
    }

    /// Queues a failure for the next call of `method` (any bot; names compare case-insensitively).
    /// Several queued failures answer consecutive calls in order; the call is still recorded.
    pub fn fail_next(&self, method: &str, failure: Failure) {
        let mut world = self.shared.world();
        world
            .failures
            .entry(method.to_ascii_lowercase())
            .or_default()
            .push_back(failure);
    }

    /// Sets how webhook deliveries retry: after a non-2xx answer or a connection error the
    /// update is posted again after `delay`, up to `attempts` times in all (default 100 ms, 5).
    /// After that the update stays queued until the next pushed update or `setWebhook`.
    pub fn set_webhook_retry(&self, delay: Duration, attempts: u32) {
        let mut world = self.shared.world();
        world.webhook_retry.delay = delay;
        world.webhook_retry.attempts = attempts.max(1);
    }
}
