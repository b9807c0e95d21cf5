//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use steward_core::Role;

/// Steward: community operations for group admins.
#[derive(Debug, Parser)]
#[command(name = "steward", version)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) store: StoreArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Where the configuration and the data live; every command that touches the
/// store takes these.
#[derive(Debug, Clone, Args)]
pub(crate) struct StoreArgs {
    /// The config file (TOML). Default: none, built-in defaults.
    #[arg(long, global = true, env = "STEWARD_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// The data folder (embedded database and state). Default ./steward-data.
    #[arg(long, global = true, env = "STEWARD_DATA_DIR", value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run Steward: the API, the pipeline and the delivery workers.
    Serve(ServeArgs),
    /// Fill a data folder with a synthetic community, then serve it.
    Demo(DemoArgs),
    /// Dashboard users.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens for scripts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Measure performance; prints one JSON object.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on. Default 127.0.0.1:8080.
    #[arg(long, env = "STEWARD_LISTEN", value_name = "ADDR")]
    pub(crate) listen: Option<SocketAddr>,
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Fill the data folder and exit instead of serving.
    #[arg(long)]
    pub(crate) no_serve: bool,
    /// Address to serve on afterwards.
    #[arg(long, env = "STEWARD_LISTEN", value_name = "ADDR")]
    pub(crate) listen: Option<SocketAddr>,
    /// Days of history to generate.
    #[arg(long, default_value_t = 60)]
    pub(crate) days: u32,
    /// Size of the community, 1.0 being the standard demo.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) scale: f64,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UserCommand {
    /// Add a dashboard user.
    Add {
        /// Login name.
        name: String,
        /// owner, admin, operator or viewer.
        #[arg(long)]
        role: Role,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List dashboard users.
    List,
}

#[derive(Debug, Subcommand)]
pub(crate) enum TokenCommand {
    /// Create an API token acting as a user, and print it (once).
    Create {
        /// The user the token acts as.
        #[arg(long)]
        user: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Parse and validate a config file (or the defaults), print the settings
    /// in effect with secrets masked, and exit non-zero on any problem.
    Check {
        /// The file; default --config / STEWARD_CONFIG.
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// HTTP ingest into SQLite in batches of 100, against plain batched
    /// inserts of the same rows.
    Ingest(BenchIngestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BenchIngestArgs {
    /// Events to send.
    #[arg(long, default_value_t = 100_000)]
    pub(crate) events: usize,
    /// Events per request.
    #[arg(long, default_value_t = 100)]
    pub(crate) batch: usize,
    /// Requests in flight at once (two keep both cores busy: one request is
    /// parsed while another is written).
    #[arg(long, default_value_t = 2)]
    pub(crate) concurrency: usize,
}
