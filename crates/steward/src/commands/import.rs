//! `steward import telegram-export result.json --group G`: backfills a
//! group from a Telegram Desktop chat export, with a progress bar, so
//! reports cover the time before Steward joined.
//!
//! The export is read as a stream on its own thread and handed over in
//! batches; each batch is stored and counted in one transaction. Event ids
//! are Telegram's own, so a second run, or history Steward already saw
//! live, adds nothing twice. Nothing is acted on.

use std::fs::File;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use steward_adapter_telegram::export::{CountingReader, ExportOptions, read_export};
use steward_config::Config;
use steward_core::audit::AuditKind;
use steward_core::{IncomingEvent, Platform};
use steward_runtime::{ImportState, ImportSummary};
use steward_storage::audit::NewAudit;

use crate::app;

/// Events stored per transaction.
const BATCH: usize = 5_000;

/// Reads an offset such as `+08:00`, `-05:30` or `+3` into seconds.
fn parse_offset(text: &str) -> Result<i32> {
    let t = text.trim();
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => bail!("--utc-offset `{text}`: expected +HH:MM or -HH:MM"),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (Ok(h), Ok(m)) = (h.parse::<u8>(), m.parse::<u8>()) else {
        bail!("--utc-offset `{text}`: expected +HH:MM or -HH:MM");
    };
    if h > 14 || m > 59 {
        bail!("--utc-offset `{text}`: out of range");
    }
    Ok(sign * (i32::from(h) * 3600 + i32::from(m) * 60))
}

/// Imports `file` into `group`.
pub(crate) async fn telegram_export(
    config: &Config,
    file: &Path,
    group: &str,
    chat: Option<i64>,
    utc_offset: Option<&str>,
    force: bool,
) -> Result<()> {
    let options = ExportOptions {
        chat,
        utc_offset_seconds: utc_offset.map(parse_offset).transpose()?.unwrap_or(0),
    };
    let pipeline = app::open_pipeline(config).await?;
    let group_id = super::rules::find_group(pipeline.store(), group).await?;
    let known = pipeline
        .store()
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == group_id)
        .context("the group vanished")?;
    if known.group.platform != Platform::Telegram {
        bail!(
            "group `{group}` is on {}, not Telegram; a Telegram export can only fill a Telegram group",
            known.group.platform
        );
    }
    let started = std::time::Instant::now();
    let (total, summary) = import_file(
        &pipeline,
        group_id,
        &known.group.platform_id,
        file,
        options,
        true,
        force,
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();

    let mut tx = pipeline.store().begin().await?;
    tx.insert_audit(&NewAudit {
        at: Utc::now(),
        actor: "cli".to_owned(),
        action: AuditKind::HistoryImported.as_str().to_owned(),
        group: Some(group_id),
        target: Some(file.display().to_string()),
        reason: Some(format!(
            "telegram export: {} new events, {} already stored",
            total.inserted, total.duplicates
        )),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;

    let chat_name = summary
        .chat
        .as_ref()
        .and_then(|c| c.name.clone())
        .unwrap_or_default();
    println!(
        "imported {} from {}: {} new events, {} already stored, {} items read in {:.1}s",
        if chat_name.is_empty() {
            "the chat".to_owned()
        } else {
            format!("“{chat_name}”")
        },
        file.display(),
        total.inserted,
        total.duplicates,
        summary.messages,
        seconds
    );
    for (reason, n) in &summary.skipped {
        println!("  skipped {n}: {reason}");
    }
    Ok(())
}

/// Reads `file` and imports it into `group` batch by batch, with a
/// progress bar when `progress` is set. Returns what was stored and what
/// the reader saw.
pub(crate) async fn import_file(
    pipeline: &steward_runtime::Pipeline,
    group_id: steward_core::GroupId,
    group_platform_id: &str,
    file: &Path,
    options: ExportOptions,
    progress: bool,
    force: bool,
) -> Result<(
    ImportSummary,
    steward_adapter_telegram::export::ExportSummary,
)> {
    let opened = File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = opened.metadata().map(|m| m.len()).unwrap_or(0);
    let reader = CountingReader::new(opened);
    let counter = reader.counter();

    let bar = if progress {
        ProgressBar::new(size)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {bytes}/{total_bytes} {msg} ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );

    let (send, mut batches) = tokio::sync::mpsc::channel::<Vec<IncomingEvent>>(4);
    let reading = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH);
        let summary = read_export(reader, &options, |event| {
            batch.push(event);
            if batch.len() >= BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                if send.blocking_send(full).is_err() {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        if !batch.is_empty() {
            let _ = send.blocking_send(batch);
        }
        summary
    });

    let mut state = ImportState::new();
    let mut total = ImportSummary::default();
    let mut checked_chat = false;
    while let Some(batch) = batches.recv().await {
        if !checked_chat {
            checked_chat = true;
            if let Some(first) = batch.first()
                && first.group.id != group_platform_id
            {
                // Message ids are per chat: another chat's history would
                // collide with this group's and could not be told apart.
                if !force {
                    bar.finish_and_clear();
                    bail!(
                        "the export is of chat {}, but the group is {}; nothing was imported. If the group was upgraded from that chat (Telegram gives a supergroup a new id), run again with --force",
                        first.group.id,
                        group_platform_id
                    );
                }
                bar.suspend(|| {
                    eprintln!(
                        "note: the export is of chat {}, importing it into group {} as asked (--force)",
                        first.group.id, group_platform_id
                    )
                });
            }
        }
        let done = pipeline
            .import_history(group_id, &batch, &mut state, Utc::now())
            .await?;
        total += done;
        bar.set_position(counter.load(Ordering::Relaxed));
        bar.set_message(format!(
            "{} new, {} already there",
            total.inserted, total.duplicates
        ));
    }
    let summary = reading
        .join()
        .map_err(|_| anyhow::anyhow!("the export reader stopped unexpectedly"))?
        .with_context(|| format!("{}", file.display()))?;
    bar.finish_and_clear();
    Ok((total, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_read_with_their_sign() {
        assert_eq!(parse_offset("+08:00").unwrap(), 8 * 3600);
        assert_eq!(parse_offset("-05:30").unwrap(), -(5 * 3600 + 30 * 60));
        assert_eq!(parse_offset("+3").unwrap(), 3 * 3600);
        assert!(parse_offset("8").is_err());
        assert!(parse_offset("+25:00").is_err());
        assert!(parse_offset("+-5").is_err());
        assert!(parse_offset("+08:-30").is_err());
    }
}
