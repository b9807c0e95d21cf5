//! Webhook delivery: one worker per `setWebhook` posts the bot's queued updates in order, with
//! the secret-token header, retrying non-2xx answers and connection errors after a short delay.
//! A worker stops as soon as its webhook is replaced or deleted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::model::WebhookAttempt;
use crate::server::Shared;
use crate::world::{now_unix, update_id};

/// How long one POST may take before it counts as a failed attempt.
const POST_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) fn spawn(shared: Arc<Shared>, token: String, generation: u64) {
    tokio::spawn(async move { run(&shared, &token, generation).await });
}

/// One update to post and where to.
struct Job {
    update: Value,
    url: String,
    secret_token: Option<String>,
    retry_delay: Duration,
    attempts: u32,
}

enum Next {
    Deliver(Job),
    Idle,
    Stop,
}

async fn run(shared: &Shared, token: &str, generation: u64) {
    loop {
        let notified = shared.updates_changed.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        match next_job(shared, token, generation) {
            Next::Stop => return,
            Next::Idle => notified.await,
            Next::Deliver(job) => {
                if !deliver(shared, token, generation, job).await {
                    // Retries used up: wait for a new update or webhook change before trying again.
                    let later = shared.updates_changed.notified();
                    if !is_current(shared, token, generation) {
                        return;
                    }
                    later.await;
                }
            }
        }
    }
}

fn next_job(shared: &Shared, token: &str, generation: u64) -> Next {
    let mut world = shared.world();
    let retry = world.webhook_retry;
    let Some(bot) = world.bots.get_mut(token) else {
        return Next::Stop;
    };
    let Some(webhook) = bot.webhook.clone().filter(|w| w.generation == generation) else {
        return Next::Stop;
    };
    bot.drop_unwanted();
    match bot.queue.front() {
        None => Next::Idle,
        Some(update) => Next::Deliver(Job {
            update: update.clone(),
            url: webhook.url,
            secret_token: webhook.secret_token,
            retry_delay: retry.delay,
            attempts: retry.attempts,
        }),
    }
}

fn is_current(shared: &Shared, token: &str, generation: u64) -> bool {
    let world = shared.world();
    world
        .bot(token)
        .and_then(|b| b.webhook.as_ref())
        .is_some_and(|w| w.generation == generation)
}

/// Posts one update until it is accepted or the attempts run out; true when delivered.
async fn deliver(shared: &Shared, token: &str, generation: u64, job: Job) -> bool {
    let id = update_id(&job.update);
    for attempt in 0..job.attempts {
        if attempt > 0 {
            tokio::time::sleep(job.retry_delay).await;
        }
        if !is_current(shared, token, generation) {
            return false;
        }
        let mut request = shared
            .http
            .post(&job.url)
            .json(&job.update)
            .timeout(POST_TIMEOUT);
        if let Some(secret) = &job.secret_token {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        let (status, error) = match request.send().await {
            Ok(response) => (Some(response.status()), None),
            Err(error) => (None, Some(error.to_string())),
        };
        let delivered = status.is_some_and(|s| s.is_success());
        {
            let mut world = shared.world();
            world.webhook_attempts.push(WebhookAttempt {
                token: token.to_owned(),
                url: job.url.clone(),
                update_id: id,
                status: status.map(|s| s.as_u16()),
                error: error.clone(),
                secret_token: job.secret_token.clone(),
                at: Instant::now(),
            });
            if let Some(bot) = world.bots.get_mut(token) {
                if delivered {
                    bot.queue.retain(|u| update_id(u) != id);
                } else if let Some(webhook) =
                    bot.webhook.as_mut().filter(|w| w.generation == generation)
                {
                    webhook.last_error_date = Some(now_unix());
                    webhook.last_error_message = Some(match (status, &error) {
                        (Some(status), _) => format!("Wrong response from the webhook: {status}"),
                        (None, Some(error)) => error.clone(),
                        (None, None) => "Connection failed".to_owned(),
                    });
                }
            }
        }
        shared.calls_changed.notify_waiters();
        if delivered {
            return true;
        }
    }
    false
}
