//! Opening Steward from its configuration: the second, IO-doing stage of
//! loading (the first, parsing and checking, is `steward_config`).

use std::path::Path;

use anyhow::{Context, Result};
use steward_classifier::Model;
use steward_config::Config;
use steward_moderation::RuleSet;
use steward_runtime::{GroupSettings, Pipeline, SPAM_MODEL};
use steward_storage::Store;

use crate::cli::StoreArgs;

/// Reads the config file named by the arguments (or `file`), applies the
/// environment and the command line.
pub(crate) fn load_config(args: &StoreArgs, file: Option<&Path>) -> Result<Config> {
    let path = file.or(args.config.as_deref());
    let mut config = Config::load(path, |name| std::env::var(name).ok())?;
    if let Some(dir) = &args.data_dir {
        config.data_dir = dir.clone();
    }
    Ok(config)
}

/// Opens the store (creating the data folder for SQLite) and brings its
/// schema up to date.
pub(crate) async fn open_store(config: &Config) -> Result<Store> {
    let url = config.database_url();
    if url.starts_with("sqlite://") {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "cannot create the data folder {}",
                config.data_dir.display()
            )
        })?;
    }
    Store::open(&url)
        .await
        .with_context(|| format!("cannot open the store at {}", redact_url(&url)))
}

/// The store and the pipeline, with the config's groups set up.
pub(crate) async fn open_pipeline(config: &Config) -> Result<Pipeline> {
    let store = open_store(config).await?;
    // Rules saved over the API win over the config file's.
    let rule_set = match store.rule_versions(1).await?.first() {
        Some(version) => serde_json::from_str::<RuleSet>(&version.rules)
            .with_context(|| format!("stored rules version {} cannot be read", version.id))?,
        None => config.rule_set(),
    };
    let model = match store.load_model(SPAM_MODEL).await? {
        // A model that cannot be read (a newer feature scheme, damage) is
        // replaced by the starter rather than stopping Steward.
        Some(bytes) => Model::from_bytes(&bytes).or_else(|err| {
            tracing::warn!(error = %err, "the stored spam model cannot be read; using the starter model");
            Model::starter()
        })?,
        None => Model::starter()?,
    };
    let pipeline = Pipeline::new(store, rule_set, config.ladder(), config.default_language)?;
    pipeline.set_model(model).await;
    pipeline.set_public_url(Some(
        config
            .server
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.server.listen)),
    ));
    for account in &config.moderation.own_accounts {
        // Checked when the config was loaded.
        if let Some((platform, id)) = account.split_once(':')
            && let Ok(platform) = platform.parse()
        {
            pipeline.add_own_account(platform, id);
        }
    }
    for group in &config.groups {
        let settings = GroupSettings {
            community: group.community.clone(),
            language: group.language.unwrap_or(config.default_language),
            chat: group.chat_settings(),
        };
        pipeline
            .configure_group(group.platform, &group.id, group.title.as_deref(), &settings)
            .await
            .with_context(|| format!("cannot set up group {}:{}", group.platform, group.id))?;
    }
    Ok(pipeline)
}

/// A database URL without its password, for messages.
pub(crate) fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The learned model in the data folder, if there is a store there;
/// otherwise the starter model. Never creates a store.
pub(crate) async fn model_in_effect(config: &Config) -> Result<Model> {
    let url = config.database_url();
    let has_store = match url.strip_prefix("sqlite://") {
        Some(path) => Path::new(path).exists(),
        None => true,
    };
    if has_store {
        let store = open_store(config).await?;
        if let Some(bytes) = store.load_model(SPAM_MODEL).await? {
            return Model::from_bytes(&bytes).context("the stored spam model cannot be read");
        }
    }
    Model::starter().context("the starter model cannot be read")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            redact_url("sqlite://./d/steward.db"),
            "sqlite://./d/steward.db"
        );
    }
}
