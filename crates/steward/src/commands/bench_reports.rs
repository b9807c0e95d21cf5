//! `steward bench reports`: how fast reports are on a big store, what the
//! roll-ups cost during ingest, and how fast a Telegram export imports.
//!
//! 1. A store is filled with `--messages` messages across `--groups`
//!    groups (ten per community) over `--days` days, with joins, leaves,
//!    replies and questions, through the history import (the path a real
//!    backfill takes, roll-ups included). Texts are the demo community's,
//!    in Chinese, Russian and English.
//! 2. `weekly_report_ms`: the median time to build the weekly report of a
//!    community (ten groups), over several runs, after the term roll-ups
//!    were compacted as the daily timer compacts them.
//! 3. `rollup_overhead_ratio`: the same events ingested through the HTTP
//!    API as `steward bench ingest` does (batches of 100, two requests in
//!    flight) with the roll-ups off, then on, in fresh stores; the extra
//!    time over the time without (best of two rounds each).
//! 4. `import_messages_per_second`: a Telegram Desktop export written for
//!    the run, imported as `steward import telegram-export` does (reading,
//!    parsing, storing, counting).
//!
//! Every figure comes with the baseline it was measured against in the
//! same run; the targets are in the output, the verdict is the reader's.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use steward_adapter_telegram::export::ExportOptions;
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::{EventPayload, IncomingEvent, Platform};
use steward_demo::{Demo, DemoSpec};
use steward_moderation::{Ladder, RuleSet};
use steward_reports::PeriodKind;
use steward_runtime::reports::{ReportTarget, build_report};
use steward_runtime::{GroupSettings, ImportState, Pipeline};
use steward_storage::Store;

use crate::cli::BenchReportsArgs;

/// Groups per community.
const GROUPS_PER_COMMUNITY: usize = 10;
/// Members per group.
const MEMBERS: usize = 300;

/// Runs the benchmark and prints one JSON object.
pub(crate) async fn reports(args: &BenchReportsArgs) -> Result<()> {
    let texts = demo_texts(20_000);
    let start: DateTime<Utc> = "2026-01-05T00:00:00Z".parse()?;
    let dir = tempfile::tempdir()?;
    let store = Store::open_sqlite(&dir.path().join("steward.db")).await?;
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )?;

    let filled = Instant::now();
    fill(&pipeline, args, &texts, start).await?;
    let fill_seconds = filled.elapsed().as_secs_f64();
    // A live store's old days lose their one-message terms to the daily
    // compaction; do the same, so reports read the store as it would be.
    let last_day = (start + chrono::Duration::days(i64::from(args.days))).timestamp() / 86_400;
    for summary in store.list_groups().await? {
        store
            .compact_terms(summary.group.id, 0, last_day - 2)
            .await?;
    }

    // A week in the middle of the history, for a community of ten groups.
    let week = (start + chrono::Duration::days(i64::from(args.days) / 2)).date_naive();
    let community = store
        .list_groups()
        .await?
        .into_iter()
        .find_map(|g| g.group.community)
        .map(|c| c.0)
        .unwrap_or(1);
    let weekly = time_report(&store, ReportTarget::Community(community), week).await?;
    let group = store.list_groups().await?[0].group.id;
    let weekly_group = time_report(&store, ReportTarget::Group(group), week).await?;

    let (import, read) = import_speed(&pipeline, args.import_messages, &texts, start).await?;
    let (without, with) = rollup_cost(args.ingest_events).await?;

    let report = json!({
        "benchmark": "reports",
        "messages": args.messages,
        "groups": args.groups,
        "days": args.days,
        "fill_seconds": round3(fill_seconds),
        "fill_messages_per_second": (args.messages as f64 / fill_seconds).round(),
        "weekly_report_ms": round3(weekly.as_secs_f64() * 1000.0),
        "weekly_report_target_ms": 200,
        "weekly_group_report_ms": round3(weekly_group.as_secs_f64() * 1000.0),
        "rollup_overhead_ratio": round3((with - without).as_secs_f64() / without.as_secs_f64()),
        "rollup_overhead_target": 0.05,
        "ingest_events": args.ingest_events,
        "ingest_seconds_without_rollups": round3(without.as_secs_f64()),
        "ingest_seconds_with_rollups": round3(with.as_secs_f64()),
        "import_messages": args.import_messages,
        "import_messages_per_second": import.round(),
        "export_read_messages_per_second": read.round(),
        "import_ratio_to_read": round3(import / read),
        "import_target_messages_per_second": 200_000,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Message texts of the demo community, to cycle through.
fn demo_texts(n: usize) -> Vec<String> {
    let mut demo = Demo::new(DemoSpec::standard(Utc::now()));
    let mut texts = Vec::with_capacity(n);
    while texts.len() < n {
        let batch = demo.next_batch(1000);
        if batch.is_empty() {
            break;
        }
        texts.extend(batch.into_iter().filter_map(|e| match e.payload {
            EventPayload::Message { message } if !message.text.is_empty() => Some(message.text),
            _ => None,
        }));
    }
    if texts.is_empty() {
        texts.push("hello".to_owned());
    }
    texts
}

/// One group's history: messages spread over the days, a reply to the
/// message before every fifth, two joins and a leave a day.
fn group_history(
    g: usize,
    per_day: usize,
    days: u32,
    texts: &[String],
    start: DateTime<Utc>,
) -> Vec<IncomingEvent> {
    let mut events = Vec::with_capacity(per_day * days as usize + 3 * days as usize);
    let step = 86_400_000 / (per_day as i64 + 1);
    let mut n = 0usize;
    for day in 0..i64::from(days) {
        let midnight = start + chrono::Duration::days(day);
        for k in 0..2 {
            let member = format!("{g}-j{day}-{k}");
            events.push(member_event(
                g,
                format!("j{day}-{k}"),
                &member,
                midnight,
                "member_joined",
            ));
        }
        for i in 0..per_day {
            n += 1;
            let at = midnight + chrono::Duration::milliseconds(step * (i as i64 + 1));
            let member = format!("{g}-{}", (n * 7 + day as usize) % MEMBERS);
            let text = &texts[(n * 31 + g * 17) % texts.len()];
            let reply_to = n.is_multiple_of(5).then(|| format!("{}", n - 1));
            events.push(serde_json::from_value(json!({
                "platform": "http",
                "event_id": format!("m{n}"),
                "group": {"id": format!("bench-{g}")},
                "member": {"id": member, "name": member},
                "at": at,
                "payload": {"kind": "message", "message": {"id": format!("{n}"), "text": text, "reply_to": reply_to}},
            })).expect("a valid event"));
        }
        let leaver = format!("{g}-j{}-0", (day - 3).max(0));
        events.push(member_event(
            g,
            format!("l{day}"),
            &leaver,
            midnight + chrono::Duration::hours(23),
            "member_left",
        ));
    }
    events
}

fn member_event(
    g: usize,
    id: String,
    member: &str,
    at: DateTime<Utc>,
    kind: &str,
) -> IncomingEvent {
    serde_json::from_value(json!({
        "platform": "http",
        "event_id": id,
        "group": {"id": format!("bench-{g}")},
        "member": {"id": member, "name": member},
        "at": at,
        "payload": {"kind": kind},
    }))
    .expect("a valid event")
}

async fn fill(
    pipeline: &Pipeline,
    args: &BenchReportsArgs,
    texts: &[String],
    start: DateTime<Utc>,
) -> Result<()> {
    let groups = args.groups.max(1);
    let per_day = (args.messages / groups / args.days.max(1) as usize).max(1);
    let bar = ProgressBar::new(groups as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} filling [{bar:40}] {pos}/{len} groups ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let zones = ["Asia/Shanghai", "Europe/Moscow", "UTC", "America/New_York"];
    for g in 0..groups {
        let id = pipeline
            .configure_group(
                Platform::Http,
                &format!("bench-{g}"),
                Some(&format!("Group {g}")),
                &GroupSettings {
                    community: Some(format!("Community {}", g / GROUPS_PER_COMMUNITY)),
                    language: Lang::ALL[g % 3],
                    chat: ChatSettings {
                        timezone: Some(zones[g % zones.len()].to_owned()),
                        ..ChatSettings::default()
                    },
                },
            )
            .await?;
        let history = group_history(g, per_day, args.days, texts, start);
        let mut state = ImportState::new();
        for chunk in history.chunks(5_000) {
            pipeline
                .import_history(id, chunk, &mut state, Utc::now())
                .await?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(())
}

/// The median of five builds of a weekly report, after one to warm up.
async fn time_report(store: &Store, target: ReportTarget, week: NaiveDate) -> Result<Duration> {
    let mut times = Vec::new();
    for round in 0..6 {
        let started = Instant::now();
        let report =
            build_report(store, target, PeriodKind::Weekly, Some(week), Utc::now()).await?;
        std::hint::black_box(&report);
        if round > 0 {
            times.push(started.elapsed());
        }
    }
    times.sort_unstable();
    Ok(times[times.len() / 2])
}

/// Writes a Telegram Desktop export of `n` messages and imports it as the
/// command does; messages per second, whole process.
async fn import_speed(
    pipeline: &Pipeline,
    n: usize,
    texts: &[String],
    start: DateTime<Utc>,
) -> Result<(f64, f64)> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("result.json");
    write_export(&path, n, texts, start)?;
    let group = pipeline
        .configure_group(
            Platform::Telegram,
            "-1001999000111",
            Some("Imported"),
            &GroupSettings {
                community: None,
                language: Lang::Ru,
                chat: ChatSettings::default(),
            },
        )
        .await?;
    // The reader alone, as the baseline the import is measured against.
    let read_started = Instant::now();
    let mut seen = 0usize;
    steward_adapter_telegram::export::read_export(
        std::fs::File::open(&path)?,
        &ExportOptions::default(),
        |event| {
            seen += 1;
            std::hint::black_box(event);
            std::ops::ControlFlow::Continue(())
        },
    )?;
    let read_seconds = read_started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (summary, _) = super::import::import_file(
        pipeline,
        group,
        "-1001999000111",
        &path,
        ExportOptions::default(),
        false,
        false,
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        summary.inserted as usize >= n,
        "the import stored {} of {n} messages",
        summary.inserted
    );
    Ok((n as f64 / seconds, seen as f64 / read_seconds))
}

/// A supergroup export in Telegram Desktop's current JSON format.
pub(crate) fn write_export(
    path: &Path,
    n: usize,
    texts: &[String],
    start: DateTime<Utc>,
) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        r#"{{"name": "Imported", "type": "private_supergroup", "id": 1999000111, "messages": ["#
    )?;
    for i in 0..n {
        let at = start.timestamp() + i as i64 * 7;
        let user = 5_000_000 + (i * 13) % 2_000;
        let mut message = json!({
            "id": i + 1,
            "type": "message",
            "date": DateTime::from_timestamp(at, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S").to_string(),
            "date_unixtime": at.to_string(),
            "from": format!("Member {user}"),
            "from_id": format!("user{user}"),
            "text": texts[(i * 31) % texts.len()],
        });
        if i % 5 == 4 {
            message["reply_to_message_id"] = json!(i);
        }
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &message)?;
    }
    writeln!(out, "]}}")?;
    out.flush()?;
    Ok(())
}

/// Ingest time for the same events without and with the roll-ups, through
/// the HTTP API as `steward bench ingest` measures it (batches of 100, two
/// requests in flight), each the best of two rounds in fresh stores.
async fn rollup_cost(n: usize) -> Result<(Duration, Duration)> {
    let events = super::bench::demo_events(n);
    let bodies: Vec<Vec<u8>> = events
        .chunks(100)
        .map(|chunk| {
            serde_json::to_vec(
                &chunk
                    .iter()
                    .map(steward_adapter_http::wire::to_json)
                    .collect::<Vec<_>>(),
            )
        })
        .collect::<Result<_, _>>()?;
    let mut best = [Duration::MAX, Duration::MAX];
    for _ in 0..2 {
        for (slot, analytics) in [(0, false), (1, true)] {
            let dir = tempfile::tempdir()?;
            let (_, _, _, wall) =
                super::bench::http_ingest(dir.path(), &bodies, events.len(), 100, 2, analytics)
                    .await?;
            best[slot] = best[slot].min(wall);
        }
    }
    Ok((best[0], best[1]))
}
