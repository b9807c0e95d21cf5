//! `steward serve`: the API, the delivery workers, and a clean shutdown.

use std::sync::Arc;

use anyhow::{Context, Result};
use chrono::{Duration, Utc};
use steward_adapter_http::WebhookDeliverer;
use steward_config::{Config, TelegramMode};
use steward_runtime::{DeliveryConfig, Pipeline, delivery};
use steward_storage::accounts::hash_secret;
use steward_web::{AppState, WebSettings};
use tokio_util::sync::CancellationToken;

/// Serves until SIGINT or SIGTERM.
pub(crate) async fn serve(config: &Config, pipeline: Pipeline) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    let addr = listener.local_addr()?;
    let public_url = match &config.server.public_url {
        Some(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
        _ => format!("http://{addr}"),
    };
    steward_web::install_metrics();
    let cancel = CancellationToken::new();
    let mut workers = Vec::new();
    if let Some(url) = config
        .ingest
        .webhook_url
        .as_deref()
        .filter(|u| !u.is_empty())
    {
        let deliverer =
            WebhookDeliverer::new(url, config.ingest.webhook_secret.expose().as_bytes())
                .context("cannot build the webhook client")?;
        let delivery_config = DeliveryConfig {
            per_second: nonzero(config.ingest.delivery.per_second),
            per_group_per_minute: nonzero(config.ingest.delivery.per_group_per_minute),
            lease: std::time::Duration::from_secs(config.outbox.lease_seconds),
            max_attempts: config.outbox.max_attempts,
            ..DeliveryConfig::default()
        };
        workers.push(tokio::spawn(delivery::run(
            pipeline.store().clone(),
            Arc::new(deliverer),
            delivery_config,
            pipeline.queued_signal(),
            cancel.clone(),
        )));
    }
    let mut extra_routes = axum::Router::new();
    if !config.telegram.bots.is_empty() {
        let settings: Vec<steward_adapter_telegram::BotSettings> = config
            .telegram
            .bots
            .iter()
            .map(|bot| steward_adapter_telegram::BotSettings {
                token: bot.token.expose().to_owned(),
                api_url: bot.api_url.clone(),
                webhook_secret: (bot.mode == TelegramMode::Webhook).then(|| {
                    if bot.webhook_secret.is_empty() {
                        // Hex: inside Telegram's secret alphabet.
                        steward_web::auth::new_secret("tg_")
                    } else {
                        bot.webhook_secret.expose().to_owned()
                    }
                }),
                poll_timeout_seconds: bot.poll_timeout_seconds,
                set_commands: bot.set_commands,
            })
            .collect();
        let started = steward_adapter_telegram::start(&pipeline, &settings, &public_url, &cancel)
            .await
            .context("cannot start the Telegram adapter")?;
        let first = &config.telegram.bots[0];
        let delivery_config = DeliveryConfig {
            per_second: nonzero(first.per_second),
            per_group_per_minute: nonzero(first.per_group_per_minute),
            lease: std::time::Duration::from_secs(config.outbox.lease_seconds),
            max_attempts: config.outbox.max_attempts,
            ..DeliveryConfig::default()
        };
        workers.push(tokio::spawn(delivery::run(
            pipeline.store().clone(),
            Arc::new(started.deliverer),
            delivery_config,
            pipeline.queued_signal(),
            cancel.clone(),
        )));
        workers.extend(started.workers);
        extra_routes = extra_routes.merge(started.router);
        println!("Telegram: {} bot(s) running", settings.len());
    }
    workers.push(tokio::spawn(run_timers(pipeline.clone(), cancel.clone())));
    // Communities' subscriptions to other Stewards' ban lists.
    workers.push(tokio::spawn(steward_runtime::ban_lists::run(
        pipeline.clone(),
        steward_runtime::ban_lists::SYNC_INTERVAL,
        cancel.clone(),
    )));
    let store = pipeline.store().clone();
    let state = AppState::new(pipeline.clone(), WebSettings::from_config(config))
        .with_connections(steward_web::Connection::from_config(config))
        .with_public_url(&public_url);
    println!("Dashboard: {public_url}/");
    println!("steward listening on http://{addr}");
    if !store.has_owner().await? {
        let token = steward_web::auth::new_secret("setup_");
        let now = Utc::now();
        store
            .insert_setup_token(&hash_secret(&token), now, now + Duration::hours(24))
            .await?;
        println!(
            "No owner account yet. Open this link within 24 hours to create it (it works once):"
        );
        println!("  {public_url}/setup?token={token}");
    }
    if config.ingest.token.is_empty() {
        println!(
            "Ingest is off: set STEWARD_INGEST_TOKEN (or ingest.token) to accept events over HTTP."
        );
    }
    let shutdown = cancel.clone();
    axum::serve(listener, steward_web::router(state).merge(extra_routes))
        .with_graceful_shutdown(async move {
            wait_for_signal().await;
            shutdown.cancel();
        })
        .await
        .context("the HTTP server failed")?;
    cancel.cancel();
    for worker in workers {
        worker.await.ok();
    }
    if let Err(err) = pipeline.flush_terms().await {
        tracing::warn!(error = %err, "cannot write the last term counts");
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Runs the pipeline's timed work (unanswered join questions, CAPTCHAs,
/// nickname grace periods, raid mode) every second.
async fn run_timers(pipeline: Pipeline, cancel: CancellationToken) {
    while !cancel.is_cancelled() {
        if let Err(err) = pipeline.run_timers(Utc::now()).await {
            tracing::warn!(error = %err, "cannot run timed work");
        }
        tokio::select! {
            () = cancel.cancelled() => break,
            () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
        }
    }
}

fn nonzero(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN)
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    ctrl_c.await.ok();
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.ok();
}
