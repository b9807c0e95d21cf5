//! The Telegram adapter: Steward runs Telegram groups through the Bot API.
//!
//! * [`client`]: the Bot API client (`{api_url}/bot{token}/{method}`, JSON,
//!   the documented envelope and its errors).
//! * [`types`]: the Bot API objects Steward reads.
//! * [`mapping`]: updates into normalized events (pure).
//! * [`receive`]: long polling with a stored offset, and the webhook with
//!   its secret header.
//! * [`deliver`]: outbox actions into Bot API calls, errors classed for
//!   retry.
//! * [`bots`]: the bots, which one serves which chat, cached admin lists,
//!   notices about missing rights.
//!
//! [`start`] brings the bots up: asks each who it is, registers its
//! commands menu, switches it to polling or webhook, and returns the
//! workers and the webhook routes for `steward serve` to run.

pub mod bots;
pub mod client;
pub mod deliver;
pub mod export;
pub mod mapping;
pub mod receive;
pub mod types;

use serde_json::json;
use steward_core::Platform;
use steward_core::i18n::Lang;
use steward_core::texts::command_descriptions;
use steward_runtime::Pipeline;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use bots::{Bot, Bots};
pub use client::{ApiError, BotClient, OFFICIAL_API_URL};
pub use deliver::TelegramDeliverer;
pub use receive::{ALLOWED_UPDATES, Receiver, SECRET_HEADER, webhook_router};

/// How one bot is run.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// The token BotFather gave.
    pub token: String,
    /// The Bot API server.
    pub api_url: String,
    /// Receive by webhook (`Some(secret)`) or by polling (`None`).
    pub webhook_secret: Option<String>,
    /// Seconds a long poll waits.
    pub poll_timeout_seconds: u64,
    /// Register the commands menu at start.
    pub set_commands: bool,
}

/// The running adapter.
pub struct Started {
    /// The webhook routes, to merge into the HTTP server.
    pub router: axum::Router,
    /// Pollers, to await on shutdown.
    pub workers: Vec<JoinHandle<()>>,
    /// The deliverer for the outbox worker.
    pub deliverer: TelegramDeliverer,
}

/// Why the adapter could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A bot's token or API URL did not work.
    #[error("Telegram bot #{index}: {source}")]
    Bot {
        /// Its position in the config.
        index: usize,
        /// What the Bot API said.
        source: ApiError,
    },
}

/// Starts every bot. `public_url` is where Telegram reaches Steward's
/// webhook (`{public_url}/telegram/webhook/{bot id}`).
pub async fn start(
    pipeline: &Pipeline,
    settings: &[BotSettings],
    public_url: &str,
    cancel: &CancellationToken,
) -> Result<Started, StartError> {
    let mut bots = Vec::with_capacity(settings.len());
    for (index, s) in settings.iter().enumerate() {
        let fail = |source| StartError::Bot { index, source };
        let client = BotClient::new(&s.api_url, &s.token).map_err(fail)?;
        let me = client.get_me().await.map_err(fail)?;
        pipeline.add_own_account(Platform::Telegram, &me.id.to_string());
        if let Some(username) = &me.username {
            pipeline.set_own_username(Platform::Telegram, username);
        }
        if s.set_commands
            && let Err(err) = register_commands(&client).await
        {
            tracing::warn!(error = %err, "cannot register the commands menu");
        }
        match &s.webhook_secret {
            Some(secret) => {
                let url = format!(
                    "{}/telegram/webhook/{}",
                    public_url.trim_end_matches('/'),
                    me.id
                );
                client
                    .call_unit(
                        "setWebhook",
                        &json!({
                            "url": url,
                            "secret_token": secret,
                            "allowed_updates": ALLOWED_UPDATES,
                        }),
                    )
                    .await
                    .map_err(fail)?;
                tracing::info!(bot = ?me.username, %url, "Telegram webhook set");
            }
            None => {
                // getUpdates and a webhook exclude each other.
                client
                    .call_unit("deleteWebhook", &json!({"drop_pending_updates": false}))
                    .await
                    .map_err(fail)?;
            }
        }
        bots.push(Bot { client, me });
    }
    let bots = Bots::new(bots, pipeline.store().clone());
    let receiver = Receiver::new(pipeline.clone(), bots.clone());
    let mut workers = Vec::new();
    let mut secrets = Vec::new();
    for (index, s) in settings.iter().enumerate() {
        match &s.webhook_secret {
            Some(secret) => secrets.push((bots.all()[index].me.id, secret.clone())),
            None => workers.push(tokio::spawn(receiver.clone().poll(
                index,
                s.poll_timeout_seconds,
                cancel.clone(),
            ))),
        }
    }
    Ok(Started {
        router: webhook_router(receiver, secrets),
        workers,
        deliverer: TelegramDeliverer::new(bots),
    })
}

/// The commands menu in each language: members' commands everywhere, and
/// the moderators' ones for chat administrators.
async fn register_commands(client: &BotClient) -> Result<(), ApiError> {
    let menu = |lang: Lang, admin: bool| {
        command_descriptions(lang, admin)
            .into_iter()
            .map(|(command, description)| json!({"command": command, "description": description}))
            .collect::<Vec<_>>()
    };
    for (lang, code) in [
        (Lang::En, None),
        (Lang::En, Some("en")),
        (Lang::Zh, Some("zh")),
        (Lang::Ru, Some("ru")),
    ] {
        for (admin, scope) in [(false, "default"), (true, "all_chat_administrators")] {
            let mut params = json!({
                "commands": menu(lang, admin),
                "scope": {"type": scope},
            });
            if let Some(code) = code {
                params["language_code"] = json!(code);
            }
            client.call_unit("setMyCommands", &params).await?;
        }
    }
    Ok(())
}
