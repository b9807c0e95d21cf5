//! `steward bench ingest`: HTTP ingest throughput and latency into SQLite,
//! against the bare store writing the same rows in the same run.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use serde_json::json;
use steward_adapter_http::wire;
use steward_config::Secret;
use steward_core::i18n::Lang;
use steward_core::{IncomingEvent, Platform};
use steward_demo::{Demo, DemoSpec};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::Pipeline;
use steward_storage::Store;
use steward_storage::events::NewEvent;
use steward_web::{AppState, WebSettings};

use crate::cli::BenchIngestArgs;

const TOKEN: &str = "bench-token";

/// Runs the benchmark and prints one JSON object.
pub(crate) async fn ingest(args: &BenchIngestArgs) -> Result<()> {
    let batch_size = args.batch.max(1);
    let events = demo_events(args.events);
    let bodies: Vec<Vec<u8>> = events
        .chunks(batch_size)
        .map(|chunk| serde_json::to_vec(&chunk.iter().map(wire::to_json).collect::<Vec<_>>()))
        .collect::<Result<_, _>>()?;

    let dir = tempfile::tempdir()?;
    let (events_per_second, p50_ms, p99_ms, wall) = http_ingest(
        dir.path(),
        &bodies,
        events.len(),
        batch_size,
        args.concurrency.max(1),
        true,
    )
    .await?;
    let store_dir = tempfile::tempdir()?;
    let store_limit = bare_store(store_dir.path(), &events, batch_size).await?;
    let report = json!({
        "benchmark": "ingest",
        "events": events.len(),
        "batch_size": batch_size,
        "concurrency": args.concurrency,
        "seconds": wall.as_secs_f64(),
        "events_per_second": events_per_second.round(),
        "p50_ms": round3(p50_ms),
        "p99_ms": round3(p99_ms),
        "store_limit_events_per_second": store_limit.round(),
        "ratio_to_store_limit": round3(events_per_second / store_limit),
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Realistic traffic: the demo community's events, cycled with fresh ids if
/// more are asked for than one pass makes.
pub(crate) fn demo_events(n: usize) -> Vec<IncomingEvent> {
    let start = Utc::now() - chrono::Duration::days(60);
    let mut events = Vec::with_capacity(n);
    let mut round = 0;
    while events.len() < n {
        let mut demo = Demo::new(DemoSpec::standard(start));
        loop {
            let batch = demo.next_batch(1000);
            if batch.is_empty() || events.len() >= n {
                break;
            }
            for mut event in batch.into_iter().take(n - events.len()) {
                if round > 0 {
                    event.event_id = format!("{}-r{round}", event.event_id);
                }
                events.push(event);
            }
        }
        round += 1;
    }
    events
}

/// HTTP ingest of `bodies` into a fresh store, `concurrency` requests in
/// flight, with the analytics roll-ups on or off: events per second, p50
/// and p99 latency, wall time.
pub(crate) async fn http_ingest(
    dir: &std::path::Path,
    bodies: &[Vec<u8>],
    n_events: usize,
    batch_size: usize,
    concurrency: usize,
    analytics: bool,
) -> Result<(f64, f64, f64, Duration)> {
    let store = Store::open_sqlite(&dir.join("steward.db")).await?;
    let pipeline = Pipeline::new(store, RuleSet::default_rules(), Ladder::default(), Lang::En)?;
    pipeline.set_analytics(analytics);
    let state = AppState::new(
        pipeline,
        WebSettings {
            ingest_token: Secret::new(TOKEN),
            max_batch: batch_size,
            max_text_bytes: 64 * 1024,
            max_body_bytes: 64 * 1024 * 1024,
            secure_cookies: false,
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/api/v1/ingest", listener.local_addr()?);
    let server =
        tokio::spawn(async move { axum::serve(listener, steward_web::router(state)).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let bodies = Arc::new(bodies.to_vec());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, url, bodies, next) =
            (client.clone(), url.clone(), bodies.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let idx = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = bodies.get(idx) else { break };
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(TOKEN)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await?;
                let status = response.status();
                response.bytes().await?;
                anyhow::ensure!(status.is_success(), "ingest answered {status}");
                latencies.push(sent.elapsed());
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.context("bench client")??);
    }
    let wall = started.elapsed();
    server.abort();
    latencies.sort();
    let pick = |q: f64| {
        let idx = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies.get(idx).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok((
        n_events as f64 / wall.as_secs_f64(),
        pick(0.50),
        pick(0.99),
        wall,
    ))
}

/// The same event rows written by plain batched inserts: one multi-row
/// INSERT and one transaction per batch (the fastest plain way, and the one
/// the pipeline itself uses), no HTTP, no parsing, no processing.
async fn bare_store(
    dir: &std::path::Path,
    events: &[IncomingEvent],
    batch_size: usize,
) -> Result<f64> {
    let store = Store::open_sqlite(&dir.join("steward.db")).await?;
    let now = Utc::now();
    let mut groups = std::collections::HashMap::new();
    let mut members = std::collections::HashMap::new();
    let mut tx = store.begin().await?;
    for event in events {
        if !groups.contains_key(&event.group.id) {
            let (id, _) = tx
                .upsert_group(Platform::Http, &event.group.id, None, Lang::En, now)
                .await?;
            groups.insert(event.group.id.clone(), id);
        }
        if !members.contains_key(&event.member.id) {
            let id = tx
                .insert_member(Platform::Http, &event.member.id, None, None, false, now)
                .await?;
            members.insert(event.member.id.clone(), id);
        }
    }
    tx.commit().await?;
    let rows: Vec<(String, &IncomingEvent)> = events
        .iter()
        .map(|e| (serde_json::to_string(e).unwrap_or_default(), e))
        .collect();
    let started = Instant::now();
    for chunk in rows.chunks(batch_size) {
        let batch: Vec<NewEvent<'_>> = chunk
            .iter()
            .filter_map(|(payload, event)| {
                Some(NewEvent {
                    sentiment: None,
                    group: *groups.get(&event.group.id)?,
                    platform_event_id: &event.event_id,
                    kind: event.kind(),
                    member: *members.get(&event.member.id)?,
                    at: event.at,
                    received_at: now,
                    payload,
                })
            })
            .collect();
        let mut tx = store.begin().await?;
        tx.insert_events(&batch).await?;
        tx.commit().await?;
    }
    Ok(events.len() as f64 / started.elapsed().as_secs_f64())
}
