//! Receiving updates: long polling with a stored offset, or a webhook that
//! checks Telegram's secret header. Both hand batches to [`Receiver::handle`],
//! which maps them and runs them through the pipeline.
//!
//! The offset is stored only after the pipeline committed a batch, so a
//! crash re-reads the batch; the pipeline drops what it already took (its
//! events are keyed by Telegram's message and member ids), so nothing is
//! lost or handled twice.

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::Utc;
use steward_core::Timestamp;
use steward_core::model::GroupRole;
use steward_runtime::Pipeline;
use tokio_util::sync::CancellationToken;

use crate::bots::Bots;
use crate::client::ApiError;
use crate::mapping::{MapContext, map_update};
use crate::types::Update;

/// The updates Steward asks for. `chat_member` and `message_reaction` only
/// arrive when named.
pub const ALLOWED_UPDATES: &[&str] = &[
    "message",
    "edited_message",
    "chat_member",
    "my_chat_member",
    "chat_join_request",
    "callback_query",
    "message_reaction",
    "poll_answer",
];

/// The header Telegram sends the webhook secret in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Turns updates into pipeline batches.
#[derive(Clone)]
pub struct Receiver {
    pipeline: Pipeline,
    bots: Bots,
}

struct Context<'a> {
    bots: &'a Bots,
    now: Timestamp,
}

impl MapContext for Context<'_> {
    fn role_of(&self, chat: i64, user: i64) -> Option<GroupRole> {
        self.bots.role_of(chat, user)
    }
    fn poll_chat(&self, poll_id: &str) -> Option<i64> {
        self.bots.poll_chat(poll_id)
    }
    fn now(&self) -> Timestamp {
        self.now
    }
}

impl Receiver {
    /// A receiver feeding `pipeline`.
    pub fn new(pipeline: Pipeline, bots: Bots) -> Receiver {
        Receiver { pipeline, bots }
    }

    /// Maps and ingests one batch of updates received by bot `index`.
    pub async fn handle(&self, index: usize, updates: &[Update]) -> Result<(), String> {
        let bot = &self.bots.all()[index];
        // Know who the admins are before judging a chat's first messages.
        let mut chats: Vec<i64> = updates.iter().filter_map(chat_of).collect();
        chats.sort_unstable();
        chats.dedup();
        for &chat in &chats {
            self.bots.route(chat, index).await;
            if chat < 0 && self.bots.admins_stale(chat) {
                self.bots.refresh_admins(bot, chat).await;
            }
        }
        for update in updates {
            if let Some(answer) = &update.poll_answer {
                self.bots.load_poll(&answer.poll_id).await;
            }
        }
        let ctx = Context {
            bots: &self.bots,
            now: Utc::now(),
        };
        let mut events = Vec::new();
        let mut refresh = Vec::new();
        for update in updates {
            let mapped = map_update(update, &ctx);
            events.extend(mapped.events);
            refresh.extend(mapped.refresh_admins);
        }
        if !events.is_empty() {
            self.pipeline
                .ingest(&events, Utc::now())
                .await
                .map_err(|e| e.to_string())?;
        }
        refresh.sort_unstable();
        refresh.dedup();
        for chat in refresh {
            self.bots.refresh_admins(bot, chat).await;
        }
        Ok(())
    }

    /// Long-polls bot `index` until `cancel` fires.
    pub async fn poll(self, index: usize, timeout_seconds: u64, cancel: CancellationToken) {
        let bot = self.bots.all()[index].clone();
        let key = format!("telegram:{}:offset", bot.me.id);
        let mut offset: Option<i64> = match self.pipeline.store().kv_get(&key).await {
            Ok(stored) => stored.and_then(|s| s.parse().ok()),
            Err(err) => {
                tracing::error!(error = %err, "cannot read the stored Telegram offset");
                None
            }
        };
        tracing::info!(bot = %bot.me.username.as_deref().unwrap_or("?"), ?offset, "polling Telegram");
        let mut failures: u32 = 0;
        while !cancel.is_cancelled() {
            let got = tokio::select! {
                () = cancel.cancelled() => break,
                got = bot.client.get_updates(offset, timeout_seconds, ALLOWED_UPDATES) => got,
            };
            let updates = match got {
                Ok(updates) => updates,
                Err(err) => {
                    failures += 1;
                    let wait = match &err {
                        ApiError::Api {
                            retry_after: Some(s),
                            ..
                        } => Duration::from_secs(*s),
                        _ => Duration::from_millis(500 * u64::from(failures.min(20))),
                    };
                    tracing::warn!(error = %err, ?wait, "getUpdates failed");
                    tokio::select! {
                        () = cancel.cancelled() => break,
                        () = tokio::time::sleep(wait) => {}
                    }
                    continue;
                }
            };
            failures = 0;
            let Some(last) = updates.iter().map(|u| u.update_id).max() else {
                continue;
            };
            if let Err(err) = self.handle(index, &updates).await {
                // Not confirmed: the same updates come again.
                tracing::error!(error = %err, "cannot ingest Telegram updates; will retry");
                tokio::select! {
                    () = cancel.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                continue;
            }
            offset = Some(last + 1);
            if let Err(err) = self
                .pipeline
                .store()
                .kv_set(&key, &(last + 1).to_string())
                .await
            {
                tracing::warn!(error = %err, "cannot store the Telegram offset");
            }
        }
        tracing::info!("Telegram polling stopped");
    }
}

/// The webhook endpoints, one per bot: `POST /telegram/webhook/{bot id}`.
pub fn webhook_router(receiver: Receiver, secrets: Vec<(i64, String)>) -> Router {
    Router::new()
        .route("/telegram/webhook/{bot}", post(webhook))
        .with_state(WebhookState {
            receiver,
            secrets: std::sync::Arc::new(secrets),
        })
}

#[derive(Clone)]
struct WebhookState {
    receiver: Receiver,
    secrets: std::sync::Arc<Vec<(i64, String)>>,
}

async fn webhook(
    State(state): State<WebhookState>,
    Path(bot): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some((index, (_, secret))) = state
        .secrets
        .iter()
        .enumerate()
        .find(|(_, (id, _))| *id == bot)
    else {
        return StatusCode::NOT_FOUND;
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, secret.as_bytes()) {
        tracing::warn!(bot, "webhook request without the right secret refused");
        return StatusCode::FORBIDDEN;
    }
    let update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(err) => {
            // Telegram would resend it for ever; take it and say why.
            tracing::warn!(error = %err, "unreadable Telegram update skipped");
            return StatusCode::OK;
        }
    };
    match state.receiver.handle(index, &[update]).await {
        Ok(()) => StatusCode::OK,
        // Telegram retries on anything but 2xx.
        Err(err) => {
            tracing::error!(error = %err, "cannot ingest a webhook update");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Compares secrets without leaking, through timing, how much matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn chat_of(update: &Update) -> Option<i64> {
    if let Some(m) = update.message.as_ref().or(update.edited_message.as_ref()) {
        return Some(m.chat.id);
    }
    if let Some(c) = update
        .chat_member
        .as_ref()
        .or(update.my_chat_member.as_ref())
    {
        return Some(c.chat.id);
    }
    if let Some(r) = &update.chat_join_request {
        return Some(r.chat.id);
    }
    if let Some(q) = &update.callback_query {
        return q.message.as_ref().map(|m| m.chat.id);
    }
    update.message_reaction.as_ref().map(|r| r.chat.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
