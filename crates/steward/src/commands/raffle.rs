//! `steward raffle verify` and `steward raffle export`: checking a raffle's
//! draw from what was published (the verification file the dashboard
//! offers), or straight from the store, and writing that file.
//!
//! Verification needs nothing but the file: the seed must hash to the hash
//! announced when the raffle opened, the entry list to the digest published
//! with the result, and the winners must follow from the seed and the
//! entries (`steward_core::raffle`, algorithm `steward-raffle-v1`).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use steward_config::Config;
use steward_core::raffle::{self, Published};

use crate::app;

/// Reads a verification file (`-`: standard input).
fn read(path: &Path) -> Result<Published> {
    let text = if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a raffle verification file (seed_hash, seed, entries, entries_digest, winners)",
            path.display()
        )
    })
}

async fn from_store(config: &Config, id: i64) -> Result<Published> {
    let store = app::open_store(config).await?;
    match store.raffle_published(id).await? {
        Some(published) => Ok(published),
        None => bail!("no raffle {id}"),
    }
}

/// Checks a draw from `file` or from the store's raffle `id`: prints `OK`
/// and exits 0, or names every mismatch and exits 1.
pub(crate) async fn verify(
    config: impl FnOnce() -> Result<Config>,
    file: Option<&Path>,
    id: Option<i64>,
) -> Result<ExitCode> {
    let published = match (file, id) {
        (Some(file), None) => read(file)?,
        (None, Some(id)) => from_store(&config()?, id).await?,
        _ => bail!("give either a verification file or --raffle ID"),
    };
    let problems = raffle::verify(&published);
    let name = match (&published.raffle, &published.title) {
        (Some(id), Some(title)) => format!("raffle {id} ({title})"),
        (Some(id), None) => format!("raffle {id}"),
        (None, Some(title)) => format!("raffle {title}"),
        (None, None) => "the raffle".to_owned(),
    };
    if problems.is_empty() {
        println!(
            "OK: {name}: the seed matches the published hash, {} entries match the digest {}, and the winners follow from them: {}",
            published.entries.len(),
            published.entries_digest,
            if published.winners.is_empty() {
                "(none)".to_owned()
            } else {
                published.winners.join(", ")
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("MISMATCH: {name} does not verify:");
    for problem in &problems {
        println!("  - {problem}");
    }
    Ok(ExitCode::from(1))
}

/// Writes raffle `id`'s verification file (to `out`, or standard output).
pub(crate) async fn export(config: &Config, id: i64, out: Option<&Path>) -> Result<()> {
    let published = from_store(config, id).await?;
    let json = serde_json::to_string_pretty(&published)?;
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}
