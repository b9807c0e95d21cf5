//! `steward member export` and `steward member erase`: one member's data on
//! request, from the command line (what the dashboard's profile and
//! `/api/v1/members/{id}/export` offer), audited with the actor `cli`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use steward_config::Config;
use steward_core::MemberId;
use steward_storage::Store;

use crate::app;

async fn find(store: &Store, reference: &str) -> Result<MemberId> {
    match store.member_by_ref(reference).await? {
        Some(member) => Ok(member),
        None => bail!(
            "no member `{reference}`: give Steward's id (42) or platform:id (telegram:123456)"
        ),
    }
}

/// Prints (or writes to `out`) everything kept about `reference` as JSON.
pub(crate) async fn export(config: &Config, reference: &str, out: Option<&Path>) -> Result<()> {
    let store = app::open_store(config).await?;
    let member = find(&store, reference).await?;
    let export = store
        .export_member_audited(member, "cli", Utc::now())
        .await?
        .context("the member vanished")?;
    let json = serde_json::to_string_pretty(&export)?;
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}

/// Erases `reference`'s data; refuses without `yes`.
pub(crate) async fn erase(config: &Config, reference: &str, yes: bool) -> Result<()> {
    let store = app::open_store(config).await?;
    let member = find(&store, reference).await?;
    if !yes {
        bail!(
            "this erases member {}'s message texts, names, notes and case evidence for good; add --yes to go ahead",
            member.0
        );
    }
    // This process has no pipeline cache to clear; a running server's
    // pipeline sees `erased_at` and never writes a name back.
    let erased = store
        .erase_member(member, "cli", Utc::now())
        .await?
        .context("the member vanished")?;
    println!(
        "erased member {}: {} events, {} names, {} notes, {} cases, {} mentions by others, {} delivered actions",
        member.0,
        erased.events,
        erased.names,
        erased.notes,
        erased.cases,
        erased.mentions,
        erased.actions
    );
    Ok(())
}
