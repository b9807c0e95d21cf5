//! Environment variables that override the file.

use std::path::PathBuf;

use crate::{Config, ConfigError, Secret};

/// One environment variable Steward reads.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    /// Its name.
    pub name: &'static str,
    /// The setting it overrides, or what it does.
    pub setting: &'static str,
}

/// Every variable, for the docs and `steward config check`.
pub const ENV_VARS: &[EnvVar] = &[
    EnvVar {
        name: "STEWARD_CONFIG",
        setting: "path of the config file (same as --config)",
    },
    EnvVar {
        name: "STEWARD_DATA_DIR",
        setting: "data_dir (same as --data-dir)",
    },
    EnvVar {
        name: "STEWARD_DATABASE_URL",
        setting: "database_url",
    },
    EnvVar {
        name: "STEWARD_DEFAULT_LANGUAGE",
        setting: "default_language",
    },
    EnvVar {
        name: "STEWARD_LISTEN",
        setting: "server.listen (same as --listen)",
    },
    EnvVar {
        name: "STEWARD_PUBLIC_URL",
        setting: "server.public_url",
    },
    EnvVar {
        name: "STEWARD_INGEST_TOKEN",
        setting: "ingest.token",
    },
    EnvVar {
        name: "STEWARD_WEBHOOK_URL",
        setting: "ingest.webhook_url",
    },
    EnvVar {
        name: "STEWARD_WEBHOOK_SECRET",
        setting: "ingest.webhook_secret",
    },
    EnvVar {
        name: "STEWARD_TELEGRAM_TOKEN",
        setting: "telegram.bots[0].token (adds the bot when the file has none)",
    },
    EnvVar {
        name: "STEWARD_TELEGRAM_API_URL",
        setting: "telegram.bots[0].api_url",
    },
    EnvVar {
        name: "STEWARD_LOG",
        setting: "log filter, e.g. `info` or `steward=debug` (not a file setting)",
    },
];

pub(crate) fn apply(
    config: &mut Config,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    let get = |name: &str| env(name).filter(|v| !v.is_empty());
    let bad = |name: &str, key: &str, message: String| ConfigError::Value {
        source_name: name.to_owned(),
        key: key.to_owned(),
        message,
    };
    if let Some(dir) = get("STEWARD_DATA_DIR") {
        config.data_dir = PathBuf::from(dir);
    }
    if let Some(url) = get("STEWARD_DATABASE_URL") {
        config.database_url = Some(url);
    }
    if let Some(lang) = get("STEWARD_DEFAULT_LANGUAGE") {
        config.default_language = lang.parse().map_err(|e| {
            bad(
                "STEWARD_DEFAULT_LANGUAGE",
                "default_language",
                format!("{e}"),
            )
        })?;
    }
    if let Some(listen) = get("STEWARD_LISTEN") {
        config.server.listen = listen.parse().map_err(|e| {
            bad(
                "STEWARD_LISTEN",
                "server.listen",
                format!("`{listen}`: {e}; expected HOST:PORT"),
            )
        })?;
    }
    if let Some(url) = get("STEWARD_PUBLIC_URL") {
        config.server.public_url = Some(url);
    }
    if let Some(token) = get("STEWARD_INGEST_TOKEN") {
        config.ingest.token = Secret::new(token);
    }
    if let Some(url) = get("STEWARD_WEBHOOK_URL") {
        config.ingest.webhook_url = Some(url);
    }
    if let Some(secret) = get("STEWARD_WEBHOOK_SECRET") {
        config.ingest.webhook_secret = Secret::new(secret);
    }
    if let Some(token) = get("STEWARD_TELEGRAM_TOKEN") {
        match config.telegram.bots.first_mut() {
            Some(bot) => bot.token = Secret::new(token),
            None => config
                .telegram
                .bots
                .push(crate::TelegramBotConfig::with_token(token)),
        }
    }
    if let Some(url) = get("STEWARD_TELEGRAM_API_URL") {
        match config.telegram.bots.first_mut() {
            Some(bot) => bot.api_url = url,
            None => {
                return Err(bad(
                    "STEWARD_TELEGRAM_API_URL",
                    "telegram.bots[0].api_url",
                    "is set but no bot is: set STEWARD_TELEGRAM_TOKEN too".to_owned(),
                ));
            }
        }
    }
    Ok(())
}
