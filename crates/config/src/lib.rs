//! Steward's configuration: one TOML file, overridden by environment
//! variables, validated before anything starts.
//!
//! Loading has two stages, as in ripgrep and Vector: [`Config::parse`] reads
//! and checks the file with no IO beyond reading it, and the binary then opens
//! the store and binds sockets from the checked values. A bad file fails with
//! its path, line, column, the key, and what was expected:
//!
//! ```text
//! steward.toml:3:10: `server.listen`: invalid socket address syntax
//! ```
//!
//! Every setting is documented on its field below; `steward.example.toml` at
//! the repository root shows them all and is parsed by a test.

mod env;
mod model;
mod secret;

pub use env::{ENV_VARS, EnvVar};
pub use model::{
    Config, DeliverySettings, GroupConfig, IngestConfig, ModerationConfig, OutboxConfig,
    ServerConfig, TelegramBotConfig, TelegramConfig, TelegramMode,
};
pub use secret::Secret;

use std::path::{Path, PathBuf};

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not fit the schema.
    #[error("{path}:{line}:{column}: `{key}`: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The dotted key, or `(root)`.
        key: String,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A value is well-formed but unusable.
    #[error("{source_name}: `{key}`: {message}")]
    Value {
        /// The file or environment variable it came from.
        source_name: String,
        /// The dotted key.
        key: String,
        /// What was wrong and what was expected.
        message: String,
    },
}

impl Config {
    /// Reads and checks the file at `path`, then applies environment
    /// overrides read through `env`.
    pub fn load(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = match path {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                Config::parse(path, &text)?
            }
            None => Config::default(),
        };
        env::apply(&mut config, &env)?;
        config.validate(path.map_or("defaults".to_owned(), |p| p.display().to_string()))?;
        Ok(config)
    }

    /// Parses the text of a config file; `path` is only used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, key: String, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_column(text, s.start));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key,
                message,
            }
        };
        let deserializer = toml::de::Deserializer::parse(text)
            .map_err(|e| invalid(e.span(), "(root)".to_owned(), e.message().to_owned()))?;
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let key = match e.path().to_string() {
                p if p == "." => "(root)".to_owned(),
                p => p,
            };
            let inner = e.into_inner();
            invalid(inner.span(), key, inner.message().to_owned())
        })
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
