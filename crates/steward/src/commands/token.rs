//! `steward token create`: API tokens for scripts.

use anyhow::{Result, bail};
use chrono::Utc;
use steward_config::Config;
use steward_core::audit::AuditKind;
use steward_storage::accounts::hash_secret;
use steward_storage::audit::NewAudit;

use crate::app;

/// Creates a token acting as `user` and prints it; only its hash is kept.
pub(crate) async fn create(config: &Config, user: &str, label: &str) -> Result<()> {
    let store = app::open_store(config).await?;
    let Some((found, _)) = store.find_user(user).await? else {
        bail!("no user named `{user}`; add one with `steward user add`");
    };
    let token = steward_web::auth::new_secret("stw_");
    let now = Utc::now();
    let mut tx = store.begin().await?;
    tx.insert_token(found.id, &hash_secret(&token), label, now)
        .await?;
    tx.insert_audit(&NewAudit {
        at: now,
        actor: "cli".to_owned(),
        action: AuditKind::TokenCreated.as_str().to_owned(),
        target: Some(format!("user:{user}")),
        reason: Some(format!("label {label}")),
        ..NewAudit::default()
    })
    .await?;
    tx.commit().await?;
    println!("{token}");
    Ok(())
}
