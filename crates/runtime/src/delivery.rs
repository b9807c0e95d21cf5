//! Delivery workers: the outbox carried out, platform by platform.
//!
//! A worker claims due actions with a lease, waits for the platform's rate
//! limits, hands each action to its [`Deliverer`], and records the result.
//! Passing errors are retried with exponential backoff and jitter (or when the
//! platform says); permanent ones are given up and audited. A worker killed
//! mid-send leaves its claimed rows to be claimed again when the lease ends,
//! so every action is delivered at least once, carrying its idempotency key.

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use rand::Rng;
use steward_core::audit::AuditKind;
use steward_core::{GroupId, Platform};
use steward_storage::Store;
use steward_storage::audit::NewAudit;
use steward_storage::outbox::OutboxRow;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// Why an action was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// A passing problem: try again, after `after` if the platform said.
    #[error("retry later: {reason}")]
    Retry {
        /// When the platform asked to be tried again.
        after: Option<Duration>,
        /// What went wrong.
        reason: String,
    },
    /// It will never work (no rights, bad request): give up.
    #[error("permanent: {0}")]
    Permanent(String),
}

/// What a platform reported back about an action it carried out.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Delivered {
    /// The platform id of the message sent, for actions that send one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The link created, for `create_invite_link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_link: Option<String>,
    /// The platform's id of the poll sent, for `send_poll` (its answers
    /// arrive by that id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_id: Option<String>,
}

impl Delivered {
    /// Done, with nothing to report.
    pub fn done() -> Delivered {
        Delivered::default()
    }

    /// A message was sent with this id.
    pub fn message(id: impl ToString) -> Delivered {
        Delivered {
            message_id: Some(id.to_string()),
            ..Delivered::default()
        }
    }

    fn is_empty(&self) -> bool {
        self.message_id.is_none() && self.invite_link.is_none() && self.poll_id.is_none()
    }
}

/// The result of one delivery attempt.
pub type DeliveryOutcome = Result<Delivered, DeliveryError>;

/// Carries actions out on one platform. Each adapter has one; it classes every
/// error as retry or permanent before it leaves the adapter.
pub trait Deliverer: Send + Sync + 'static {
    /// The platform it delivers to.
    fn platform(&self) -> Platform;

    /// Carries out one action.
    fn deliver<'a>(
        &'a self,
        action: &'a OutboxRow,
    ) -> Pin<Box<dyn Future<Output = DeliveryOutcome> + Send + 'a>>;
}

/// How a worker paces and retries.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// Actions per second to the platform as a whole.
    pub per_second: NonZeroU32,
    /// Actions per minute to any one group.
    pub per_group_per_minute: NonZeroU32,
    /// How long a claim hides an action from other claims.
    pub lease: Duration,
    /// Attempts before an action is given up.
    pub max_attempts: i64,
    /// Actions claimed at a time.
    pub batch: i64,
    /// How often to look for due actions when nothing wakes the worker.
    pub idle_poll: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            per_second: NonZeroU32::MIN.saturating_add(29),
            per_group_per_minute: NonZeroU32::MIN.saturating_add(59),
            lease: Duration::from_secs(30),
            max_attempts: 12,
            batch: 50,
            idle_poll: Duration::from_secs(1),
        }
    }
}

/// The backoff before attempt `attempts + 1`: 2, 4, 8 ... seconds, at most
/// ten minutes, with up to a quarter added at random so retries of many
/// actions do not arrive together.
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.clamp(1, 10)).unwrap_or(10);
    let base = Duration::from_secs(2u64.pow(exp)).min(Duration::from_secs(600));
    let jitter = rand::thread_rng().gen_range(0.0..0.25);
    base.mul_f64(1.0 + jitter)
}

/// Runs a delivery worker until `cancel` fires.
pub async fn run(
    store: Store,
    deliverer: Arc<dyn Deliverer>,
    config: DeliveryConfig,
    mut queued: watch::Receiver<u64>,
    cancel: CancellationToken,
) {
    let platform = deliverer.platform();
    let global: DefaultDirectRateLimiter =
        RateLimiter::direct(Quota::per_second(config.per_second));
    let per_group: DefaultKeyedRateLimiter<GroupId> =
        RateLimiter::keyed(Quota::per_minute(config.per_group_per_minute));
    tracing::info!(%platform, "delivery worker started");
    while !cancel.is_cancelled() {
        let now = Utc::now();
        let lease_until = now + chrono::Duration::from_std(config.lease).unwrap_or_default();
        let claimed = match store
            .claim_due_actions(platform, now, lease_until, config.batch)
            .await
        {
            Ok(rows) => rows,
            Err(err) => {
                tracing::warn!(%platform, error = %err, "cannot claim actions");
                Vec::new()
            }
        };
        if claimed.is_empty() {
            tokio::select! {
                () = cancel.cancelled() => break,
                () = tokio::time::sleep(config.idle_poll) => {}
                _ = queued.changed() => {}
            }
            continue;
        }
        for row in claimed {
            // Per-chat limits are on messages posted; deletes, mutes and bans
            // are not held back behind a group's chatter.
            let posts = row.action.action.kind().posts_message();
            tokio::select! {
                () = cancel.cancelled() => break,
                () = async {
                    global.until_ready().await;
                    if posts {
                        per_group.until_key_ready(&row.group).await;
                    }
                } => {}
            }
            let outcome = deliverer.deliver(&row).await;
            if let Err(err) = record(&store, &row, outcome, &config).await {
                tracing::warn!(%platform, action = %row.id, error = %err, "cannot record delivery");
            }
        }
        per_group.retain_recent();
    }
    tracing::info!(%platform, "delivery worker stopped");
}

async fn record(
    store: &Store,
    row: &OutboxRow,
    outcome: DeliveryOutcome,
    config: &DeliveryConfig,
) -> Result<(), steward_storage::StoreError> {
    let now = Utc::now();
    let platform = row.platform.as_str();
    match outcome {
        Ok(delivered) => {
            metrics::counter!("steward_actions_delivered_total", "platform" => platform)
                .increment(1);
            finish(store, row, &delivered, now).await.map(drop)
        }
        Err(DeliveryError::Retry { after, reason }) if row.attempts < config.max_attempts => {
            metrics::counter!("steward_actions_retried_total", "platform" => platform).increment(1);
            let wait = after.unwrap_or_else(|| backoff(row.attempts));
            let next = now + chrono::Duration::from_std(wait).unwrap_or_default();
            tracing::debug!(action = %row.id, %reason, ?wait, "delivery will be retried");
            store.mark_action_retry(row.id, next, &reason).await
        }
        Err(err) => {
            metrics::counter!("steward_actions_failed_total", "platform" => platform).increment(1);
            let reason = err.to_string();
            tracing::warn!(action = %row.id, %reason, "delivery given up");
            store.mark_action_failed(row.id, now, &reason).await?;
            store
                .insert_audit(&NewAudit {
                    at: now,
                    actor: "system".to_owned(),
                    action: AuditKind::DeliveryFailed.as_str().to_owned(),
                    group: Some(row.group),
                    target: row.action.action.target_member().map(str::to_owned),
                    reason: Some(reason),
                    event: row.event,
                    outbox: Some(row.id),
                    ..NewAudit::default()
                })
                .await
                .map(drop)
        }
    }
}

/// Marks a delivered action done with what the platform reported, and
/// queues its follow-ups, in one transaction. False when it was not pending.
async fn finish(
    store: &Store,
    row: &OutboxRow,
    delivered: &Delivered,
    now: chrono::DateTime<Utc>,
) -> Result<bool, steward_storage::StoreError> {
    let result =
        (!delivered.is_empty()).then(|| serde_json::to_string(delivered).unwrap_or_default());
    let mut tx = store.begin().await?;
    let done = tx
        .mark_action_done_with(row.id, now, result.as_deref())
        .await?;
    if done {
        crate::followup::after_delivery(&mut tx, row, delivered, now).await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// A pulled action the other side carried out and reported back on (the
/// pull API's acknowledgement with a result): marked done, its follow-ups
/// queued. False when it is not a pending action of `platform`.
pub async fn acknowledge(
    store: &Store,
    platform: Platform,
    id: steward_core::ActionId,
    delivered: &Delivered,
) -> Result<bool, steward_storage::StoreError> {
    let Some(row) = store.pending_action(id).await? else {
        return Ok(false);
    };
    if row.platform != platform {
        return Ok(false);
    }
    finish(store, &row, delivered, Utc::now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!(backoff(1) >= Duration::from_secs(2) && backoff(1) <= Duration::from_millis(2500));
        assert!(backoff(3) >= Duration::from_secs(8));
        assert!(backoff(50) <= Duration::from_secs(750));
    }
}
