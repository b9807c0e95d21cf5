//! `getUpdates`: offset confirmation, negative offsets, limit, long polling, remembered
//! `allowed_updates`, and the conflicts with a webhook or a newer `getUpdates`.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::params::Params;
use crate::reply::ApiError;
use crate::server::Shared;
use crate::world::{BotState, update_id};

pub(crate) const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const TERMINATED_BY_POLL: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
const TERMINATED_BY_WEBHOOK: &str = "Conflict: terminated by setWebhook request";

/// The longest long poll the real server allows, in seconds.
const MAX_TIMEOUT: i64 = 50;

pub(crate) async fn get_updates(
    shared: &Arc<Shared>,
    token: &str,
    params: &Params,
) -> Result<Value, ApiError> {
    let offset = params.int("offset")?.unwrap_or(0);
    let limit = params.int("limit")?.unwrap_or(100).clamp(1, 100) as usize;
    let timeout = params.int("timeout")?.unwrap_or(0).clamp(0, MAX_TIMEOUT) as u64;
    let allowed = allowed_updates(params)?;
    let generation = {
        let mut world = shared.world();
        let bot = world.bot_mut(token)?;
        if bot.webhook.is_some() {
            return Err(ApiError::conflict(WEBHOOK_ACTIVE));
        }
        if allowed.is_some() {
            bot.allowed_updates = allowed;
        }
        confirm(bot, offset);
        bot.poll_generation += 1;
        bot.poll_generation
    };
    // Wakes an older long poll of this bot, which then ends with a conflict.
    shared.updates_changed.notify_waiters();
    let deadline = Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = shared.updates_changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        {
            let mut world = shared.world();
            let bot = world.bot_mut(token)?;
            if bot.poll_generation != generation {
                return Err(ApiError::conflict(TERMINATED_BY_POLL));
            }
            if bot.webhook.is_some() {
                return Err(ApiError::conflict(TERMINATED_BY_WEBHOOK));
            }
            bot.drop_unwanted();
            if !bot.queue.is_empty() || Instant::now() >= deadline {
                return Ok(Value::Array(
                    bot.queue.iter().take(limit).cloned().collect(),
                ));
            }
        }
        // Either a change or the deadline: both lead back to the check above.
        let _ = tokio::time::timeout_at(deadline, notified).await;
    }
}

/// The `allowed_updates` parameter of `getUpdates` and `setWebhook`: a JSON array of type names.
pub(crate) fn allowed_updates(params: &Params) -> Result<Option<Vec<String>>, ApiError> {
    let Some(value) = params.json("allowed_updates", "allowed updates")? else {
        return Ok(None);
    };
    let Value::Array(items) = value else {
        return Err(ApiError::bad_request(
            "Expected an Array of String as allowed_updates",
        ));
    };
    items
        .iter()
        .map(|item| item.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .map(Some)
        .ok_or_else(|| ApiError::bad_request("Expected an Array of String as allowed_updates"))
}

/// Applies an offset: a positive one confirms (drops) every update below it; a negative one
/// keeps only that many updates from the end of the queue.
fn confirm(bot: &mut BotState, offset: i64) {
    bot.drop_unwanted();
    if offset > 0 {
        bot.queue.retain(|update| update_id(update) >= offset);
    } else if offset < 0 {
        let keep = offset.unsigned_abs() as usize;
        while bot.queue.len() > keep {
            bot.queue.pop_front();
        }
    }
}
