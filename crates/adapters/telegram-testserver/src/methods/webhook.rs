//! `setWebhook`, `deleteWebhook` and `getWebhookInfo`. Setting a webhook starts a delivery
//! worker (see `crate::delivery`); plain `http://` URLs are accepted so tests can listen locally.

use std::sync::Arc;

use serde_json::{Value, json};

use super::Answer;
use super::polling::allowed_updates;
use crate::delivery;
use crate::params::Params;
use crate::reply::ApiError;
use crate::server::Shared;
use crate::world::Webhook;

pub(crate) fn set_webhook(
    shared: &Arc<Shared>,
    token: &str,
    params: &Params,
) -> Result<Answer, ApiError> {
    let Some(url) = params.string("url")? else {
        return delete_webhook(shared, token, params);
    };
    let parsed = url::Url::parse(&url)
        .map_err(|_| ApiError::bad_request("invalid webhook URL specified"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(ApiError::bad_request("invalid webhook URL specified"));
    }
    let secret_token = params.string("secret_token")?;
    if let Some(secret) = &secret_token {
        if secret.len() > 256 {
            return Err(ApiError::bad_request("secret token is too long"));
        }
        if !secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ApiError::bad_request(
                "secret token contains unallowed characters",
            ));
        }
    }
    let max_connections = params.int("max_connections")?.unwrap_or(40).clamp(1, 100);
    let allowed = allowed_updates(params)?;
    let drop_pending = params.bool("drop_pending_updates");
    let (generation, unchanged) = {
        let mut world = shared.world();
        let bot = world.bot_mut(token)?;
        if drop_pending {
            bot.queue.clear();
        }
        if allowed.is_some() {
            bot.allowed_updates = allowed;
        }
        let unchanged = bot.webhook.as_ref().is_some_and(|w| {
            w.url == url && w.secret_token == secret_token && w.max_connections == max_connections
        });
        if !unchanged {
            bot.webhook_generation += 1;
            bot.webhook = Some(Webhook {
                url,
                secret_token,
                max_connections,
                generation: bot.webhook_generation,
                last_error_date: None,
                last_error_message: None,
            });
        }
        (bot.webhook_generation, unchanged)
    };
    if !unchanged {
        delivery::spawn(Arc::clone(shared), token.to_owned(), generation);
    }
    shared.updates_changed.notify_waiters();
    let description = if unchanged {
        "Webhook is already set"
    } else {
        "Webhook was set"
    };
    Ok((json!(true), Some(description)))
}

pub(crate) fn delete_webhook(
    shared: &Arc<Shared>,
    token: &str,
    params: &Params,
) -> Result<Answer, ApiError> {
    let drop_pending = params.bool("drop_pending_updates");
    let was_set = {
        let mut world = shared.world();
        let bot = world.bot_mut(token)?;
        if drop_pending {
            bot.queue.clear();
        }
        bot.webhook_generation += 1;
        bot.webhook.take().is_some()
    };
    shared.updates_changed.notify_waiters();
    let description = if was_set {
        "Webhook was deleted"
    } else {
        "Webhook is already deleted"
    };
    Ok((json!(true), Some(description)))
}

pub(crate) fn get_webhook_info(shared: &Arc<Shared>, token: &str) -> Result<Value, ApiError> {
    let mut world = shared.world();
    let bot = world.bot_mut(token)?;
    let mut info = json!({
        "url": "",
        "has_custom_certificate": false,
        "pending_update_count": bot.queue.len(),
    });
    if let Some(webhook) = &bot.webhook {
        info["url"] = json!(webhook.url);
        info["max_connections"] = json!(webhook.max_connections);
        if let Some(date) = webhook.last_error_date {
            info["last_error_date"] = json!(date);
        }
        if let Some(message) = &webhook.last_error_message {
            info["last_error_message"] = json!(message);
        }
        if let Some(allowed) = &bot.allowed_updates {
            info["allowed_updates"] = json!(allowed);
        }
    }
    Ok(info)
}
