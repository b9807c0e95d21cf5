//! `steward ban-list`: a community's shared ban list from the command line:
//! export it, import a list another community exported (with a progress
//! bar), add or remove one account.
//!
//! Bans are queued in the outbox like any other action, in the groups of
//! the community where the account is known (the door check bans it
//! elsewhere when it arrives; staff and Steward are spared); a running
//! `steward serve` carries them out.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use steward_config::Config;
use steward_core::model::Community;
use steward_runtime::Pipeline;
use steward_runtime::ban_lists;

use crate::app;

/// The audit log's actor for changes made here.
const ACTOR: &str = "cli";

pub(crate) async fn community(pipeline: &Pipeline, key: &str) -> Result<Community> {
    match pipeline.store().find_community(key).await? {
        Some(found) => Ok(found),
        None => {
            let known: Vec<String> = pipeline
                .store()
                .communities()
                .await?
                .into_iter()
                .map(|c| format!("{} ({})", c.community.name, c.community.id.0))
                .collect();
            if known.is_empty() {
                bail!(
                    "no community `{key}`: there are none yet (set `community` on groups in the config)"
                );
            }
            bail!("no community `{key}`; known: {}", known.join(", "))
        }
    }
}

/// Writes the community's list in the exchange format to `out` (standard
/// output when `None`).
pub(crate) async fn export(config: &Config, key: &str, out: Option<&Path>) -> Result<()> {
    let pipeline = app::open_pipeline(config).await?;
    let community = community(&pipeline, key).await?;
    let entries = pipeline.store().all_ban_entries(community.id).await?;
    let document = ban_lists::export(&community.name, &entries, Utc::now());
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    match out {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} entries written to {}", entries.len(), path.display());
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    Ok(())
}

/// Reads a list (`-`: standard input), checks every entry, then merges it
/// into the community's list and bans the new accounts in every group of
/// the community. Prints what it did as JSON.
pub(crate) async fn import(config: &Config, key: &str, file: &Path) -> Result<()> {
    let text = if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let entries = ban_lists::parse(&text).with_context(|| {
        format!(
            "{} is not a valid ban list; nothing was imported",
            file.display()
        )
    })?;
    let pipeline = app::open_pipeline(config).await?;
    let community = community(&pipeline, key).await?;
    let progress = ProgressBar::new(entries.len() as u64);
    progress.set_style(ProgressStyle::with_template(
        "{spinner} import [{bar:40}] {pos}/{len} entries ({per_sec}, {eta} left)",
    )?);
    // The pipeline merges a chunk per transaction and reports each.
    let bar = progress.clone();
    let merged = pipeline
        .ban_list_import_with(community.id, &entries, ACTOR, Utc::now(), &mut |n| {
            bar.inc(n as u64);
        })
        .await?;
    progress.finish_and_clear();
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "community": community.name,
            "entries": entries.len(),
            "added": merged.added,
            "already": merged.already,
            "bans_queued": merged.bans,
            "spared": merged.spared,
        }))?
    );
    Ok(())
}

/// Puts one account on the list and bans it in the groups of the
/// community where it is known.
pub(crate) async fn add(
    config: &Config,
    key: &str,
    platform: &str,
    account: &str,
    reason: &str,
) -> Result<()> {
    let entry = ban_lists::check_entry("", platform, account, reason, None)?;
    let pipeline = app::open_pipeline(config).await?;
    let community = community(&pipeline, key).await?;
    let added = pipeline
        .ban_list_add(community.id, &entry, ACTOR, Utc::now())
        .await?;
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "entry": added.entry,
            "already": added.already,
            "bans_queued": added.bans,
            "spared": added.spared,
        }))?
    );
    Ok(())
}

/// Takes one account off the list; with `unban`, lifts its bans in every
/// group of the community.
pub(crate) async fn remove(
    config: &Config,
    key: &str,
    platform: &str,
    account: &str,
    unban: bool,
) -> Result<()> {
    let entry = ban_lists::check_entry("", platform, account, "", None)?;
    let pipeline = app::open_pipeline(config).await?;
    let community = community(&pipeline, key).await?;
    let mut tx = pipeline.store().begin().await?;
    let found = tx
        .find_ban_entry(community.id, entry.platform, &entry.account)
        .await?;
    drop(tx);
    let Some(found) = found else {
        bail!(
            "{platform}:{account} is not on the ban list of {}",
            community.name
        );
    };
    let removed = pipeline
        .ban_list_remove(community.id, found.id, unban, ACTOR, Utc::now())
        .await?;
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "removed": removed.is_some(),
            "unbans_queued": removed.map_or(0, |r| r.unbans),
        }))?
    );
    Ok(())
}
