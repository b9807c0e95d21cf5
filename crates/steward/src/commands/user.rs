//! `steward user add|list`: dashboard users from the command line.

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use steward_config::Config;
use steward_core::Role;
use steward_core::audit::AuditKind;
use steward_storage::audit::NewAudit;

use crate::app;

/// Adds a user, with a password read from stdin when asked.
pub(crate) async fn add(
    config: &Config,
    name: &str,
    role: Role,
    password_stdin: bool,
) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        bail!("the name must be 1 to 64 characters");
    }
    let password_hash = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let password = line.trim_end_matches(['\r', '\n']);
        steward_web::auth::check_password(password).map_err(|e| anyhow::anyhow!(e.message))?;
        Some(steward_web::auth::hash_password(password).map_err(|e| anyhow::anyhow!(e.message))?)
    } else {
        None
    };
    let store = app::open_store(config).await?;
    let now = Utc::now();
    let mut tx = store.begin().await?;
    let Some(id) = tx
        .insert_user(name, role, password_hash.as_deref(), now)
        .await?
    else {
        bail!("a user named `{name}` already exists");
    };
    tx.insert_audit(&NewAudit {
        at: now,
        actor: "cli".to_owned(),
        action: AuditKind::UserCreated.as_str().to_owned(),
        target: Some(format!("user:{name}")),
        reason: Some(format!("role {role}")),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;
    println!("created user {name} (id {id}, role {role})");
    if password_hash.is_none() {
        println!("no password set: {name} can use API tokens (steward token create --user {name})");
    }
    Ok(())
}

/// Lists users.
pub(crate) async fn list(config: &Config) -> Result<()> {
    let store = app::open_store(config).await?;
    for user in store.list_users().await? {
        println!("{}\t{}\t{}", user.id, user.name, user.role);
    }
    Ok(())
}
