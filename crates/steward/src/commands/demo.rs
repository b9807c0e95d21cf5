//! `steward demo`: a synthetic community fed through the real ingest path,
//! then served, so a newcomer sees Steward at work in one command.

use anyhow::Result;
use chrono::{Duration, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use steward_adapter_http::wire::{self, Limits};
use steward_config::Config;
use steward_demo::{DEMO_PLATFORM, Demo, DemoSpec};
use steward_runtime::{GroupSettings, IngestStatus};

use super::serve;
use crate::app;
use crate::cli::DemoArgs;

/// Events per ingest batch, as a busy integration would send them.
const BATCH: usize = 500;

/// Fills the data folder, then serves it unless `--no-serve`.
pub(crate) async fn demo(config: &Config, args: &DemoArgs) -> Result<()> {
    let pipeline = app::open_pipeline(config).await?;
    for group in steward_demo::groups() {
        let settings = GroupSettings {
            community: Some(group.community.clone()),
            language: group.lang,
            chat: Default::default(),
        };
        pipeline
            .configure_group(
                DEMO_PLATFORM,
                &group.platform_id,
                Some(&group.title),
                &settings,
            )
            .await?;
    }
    // The history ends today so the dashboard's "today" and "last 7 days"
    // have something to show; the content is the same on every run.
    let today = Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    let spec = DemoSpec {
        days: args.days,
        scale: args.scale,
        ..DemoSpec::standard(today - Duration::days(i64::from(args.days)))
    };
    let mut demo = Demo::new(spec);
    let progress = ProgressBar::new(demo.estimated_events());
    progress.set_style(
        ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} events ({per_sec}, {eta} left)",
        )?
        .progress_chars("=> "),
    );
    progress.set_message("feeding the demo community");
    let limits = Limits {
        max_batch: BATCH,
        max_text_bytes: config.server.max_text_bytes,
    };
    let (mut accepted, mut duplicates, mut actions) = (0u64, 0u64, 0u64);
    loop {
        let batch = demo.next_batch(BATCH);
        if batch.is_empty() {
            break;
        }
        // Through the same wire format and pipeline as events pushed over HTTP.
        let body = serde_json::to_vec(&batch.iter().map(wire::to_json).collect::<Vec<_>>())?;
        let events: Vec<_> = wire::parse_batch(&body, limits)?
            .events
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        let received_at = events.last().map_or_else(Utc::now, |e| e.at);
        for outcome in pipeline.ingest(&events, received_at).await? {
            match outcome.status {
                IngestStatus::Accepted => accepted += 1,
                IngestStatus::Duplicate => duplicates += 1,
            }
            actions += outcome.actions.len() as u64;
        }
        progress.inc(batch.len() as u64);
    }
    progress.finish_and_clear();
    pipeline.flush_terms().await?;
    println!(
        "demo: {accepted} events stored ({duplicates} already there), {actions} actions decided, {} groups, data in {}",
        steward_demo::groups().len(),
        config.data_dir.display()
    );
    if args.no_serve {
        return Ok(());
    }
    serve::serve(config, pipeline).await
}
