//! What a test reads back from `TestServer`: the call log, waiting for calls, and the state the
//! bot's calls left behind (restrictions, bans, messages, join requests, webhook attempts).

use std::time::Duration;

use serde_json::Value;
use tokio::sync::Notify;

use crate::model::{Call, JoinRequestState, Restriction, WebhookAttempt};
use crate::server::TestServer;
use crate::world::World;

impl TestServer {
    /// Every call received, in order (including refused ones).
    pub fn calls(&self) -> Vec<Call> {
        self.shared.world().calls.clone()
    }

    /// The calls of one method (compared case-insensitively), in order.
    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        let world = self.shared.world();
        calls_named(&world, method)
    }

    /// Waits until at least `n` calls of `method` were received and returns all of them.
    ///
    /// # Panics
    /// After `timeout`, with a message listing every call seen.
    pub async fn wait_for_call(&self, method: &str, n: usize, timeout: Duration) -> Vec<Call> {
        let found = wait_until(&self.shared.calls_changed, timeout, || {
            let calls = self.calls_to(method);
            (calls.len() >= n).then_some(calls)
        })
        .await;
        found.unwrap_or_else(|| {
            let seen: Vec<String> = self
                .calls()
                .iter()
                .map(|c| format!("  {} {}", c.method, c.params))
                .collect();
            panic!(
                "timed out after {timeout:?} waiting for {n} call(s) to {method}; {} seen:\n{}",
                self.calls_to(method).len(),
                seen.join("\n")
            )
        })
    }

    /// Every webhook delivery attempt, in order.
    pub fn webhook_attempts(&self) -> Vec<WebhookAttempt> {
        self.shared.world().webhook_attempts.clone()
    }

    /// Waits until at least `n` webhook attempts were made and returns all of them.
    ///
    /// # Panics
    /// After `timeout`, with a message listing the attempts seen.
    pub async fn wait_for_webhook_attempts(
        &self,
        n: usize,
        timeout: Duration,
    ) -> Vec<WebhookAttempt> {
        let found = wait_until(&self.shared.calls_changed, timeout, || {
            let attempts = self.webhook_attempts();
            (attempts.len() >= n).then_some(attempts)
        })
        .await;
        found.unwrap_or_else(|| {
            panic!(
                "timed out after {timeout:?} waiting for {n} webhook attempt(s); seen: {:#?}",
                self.webhook_attempts()
            )
        })
    }

    /// Updates queued for a bot and not yet confirmed (or delivered to its webhook).
    pub fn pending_updates(&self, token: &str) -> Vec<Value> {
        let world = self.shared.world();
        world
            .bot(token)
            .map(|bot| bot.queue.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The member's current restriction, if `restrictChatMember` left one in place
    /// (permissions granting every send right lift it).
    pub fn restriction(&self, chat_id: i64, user_id: i64) -> Option<Restriction> {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)?
            .restrictions
            .get(&user_id)
            .cloned()
    }

    /// Whether the user is banned from the chat (`banChatMember` and no `unbanChatMember` since).
    pub fn is_banned(&self, chat_id: i64, user_id: i64) -> bool {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)
            .is_some_and(|chat| chat.bans.contains_key(&user_id))
    }

    /// The `until_date` of a ban (0 = forever), if the user is banned.
    pub fn ban_until(&self, chat_id: i64, user_id: i64) -> Option<i64> {
        let world = self.shared.world();
        world.chats.get(&chat_id)?.bans.get(&user_id).copied()
    }

    /// Whether a message exists: received through an update or sent by a bot, and not deleted.
    pub fn message_exists(&self, chat_id: i64, message_id: i64) -> bool {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)
            .and_then(|chat| chat.messages.get(&message_id))
            .is_some_and(|stored| !stored.deleted)
    }

    /// The current `Message` object of a message (with edits applied), even if deleted since.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        let world = self.shared.world();
        Some(
            world
                .chats
                .get(&chat_id)?
                .messages
                .get(&message_id)?
                .message
                .clone(),
        )
    }

    /// Where a join request stands, if one was pushed for this chat and user.
    pub fn join_request_state(&self, chat_id: i64, user_id: i64) -> Option<JoinRequestState> {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)?
            .join_requests
            .get(&user_id)
            .copied()
    }

    /// The `Message` objects bots sent to the chat, oldest first, with edits applied.
    /// Messages deleted since are included; use [`message_exists`](Self::message_exists) to tell.
    pub fn sent_messages(&self, chat_id: i64) -> Vec<Value> {
        let world = self.shared.world();
        let Some(chat) = world.chats.get(&chat_id) else {
            return Vec::new();
        };
        chat.messages
            .values()
            .filter(|m| m.sent_by.is_some())
            .map(|m| m.message.clone())
            .collect()
    }

    /// The pinned message ids of a chat, oldest pin first.
    pub fn pinned_messages(&self, chat_id: i64) -> Vec<i64> {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)
            .map(|chat| chat.pinned.clone())
            .unwrap_or_default()
    }

    /// The `ChatInviteLink` objects created with `createChatInviteLink` in the chat.
    pub fn invite_links(&self, chat_id: i64) -> Vec<Value> {
        let world = self.shared.world();
        world
            .chats
            .get(&chat_id)
            .map(|chat| chat.invite_links.clone())
            .unwrap_or_default()
    }

    /// The default member permissions set with `setChatPermissions`, if any.
    pub fn chat_permissions(&self, chat_id: i64) -> Option<Value> {
        let world = self.shared.world();
        world.chats.get(&chat_id)?.permissions.clone()
    }
}

fn calls_named(world: &World, method: &str) -> Vec<Call> {
    world
        .calls
        .iter()
        .filter(|c| c.method.eq_ignore_ascii_case(method))
        .cloned()
        .collect()
}

/// Re-checks `check` whenever `notify` fires until it yields a value or `timeout` passes.
async fn wait_until<T>(
    notify: &Notify,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let notified = notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if let Some(found) = check() {
            return Some(found);
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return check();
        }
    }
}
