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
    /// Try rules: on a text, or over a group's stored history.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Measure the spam classifier on labeled data.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// A community's shared ban list: export, import, add, remove.
    #[command(subcommand, name = "ban-list")]
    BanList(BanListCommand),
    /// One member's data on request: export it, or erase it.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Raffles: check a draw, or write its verification file.
    #[command(subcommand)]
    Raffle(RaffleCommand),
    /// Write a daily, weekly or monthly report on a group or a community.
    Report(ReportArgs),
    /// Backfill a group's history from another tool's export.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// `steward report daily|weekly|monthly --group G|--community C`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["group", "community"])))]
pub(crate) struct ReportArgs {
    /// The period: daily, weekly (Monday to Sunday) or monthly.
    #[arg(value_parser = ["daily", "weekly", "monthly"])]
    pub(crate) period: String,
    /// The group: its platform id, `platform:id`, or Steward's id.
    #[arg(long, allow_hyphen_values = true)]
    pub(crate) group: Option<String>,
    /// The community: its id or its name.
    #[arg(long)]
    pub(crate) community: Option<String>,
    /// md (Markdown), html (with SVG charts), json or csv.
    #[arg(long, default_value = "md")]
    pub(crate) format: String,
    /// A day in the period to report (YYYY-MM-DD, in the group's zone).
    /// Default: the last complete period (yesterday, last week, last month).
    #[arg(long, value_name = "DATE")]
    pub(crate) at: Option<chrono::NaiveDate>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// A Telegram Desktop chat export (Export chat history → JSON,
    /// `result.json`): its messages, joins and leaves are stored and
    /// counted for reports, never acted on. Running it twice imports
    /// nothing twice.
    #[command(name = "telegram-export")]
    TelegramExport {
        /// The export's `result.json`.
        file: PathBuf,
        /// The group to import into: its platform id, `platform:id`, or
        /// Steward's id.
        #[arg(long, allow_hyphen_values = true)]
        group: String,
        /// For a full-account export: the chat to import (its id in the
        /// export, or the Bot API id such as -100…).
        #[arg(long, value_name = "ID", allow_hyphen_values = true)]
        chat: Option<i64>,
        /// For old exports without `date_unixtime`: the exporting
        /// computer's UTC offset (`+08:00`, `-05:00`). Default: UTC.
        #[arg(long, value_name = "OFFSET", allow_hyphen_values = true)]
        utc_offset: Option<String>,
        /// Import even when the export's chat is not the group (a group
        /// Telegram upgraded to a supergroup has a new id).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RaffleCommand {
    /// Check a draw: the seed against its published hash, the entries
    /// against their digest, the winners against the draw. Prints OK (exit
    /// 0) or every mismatch (exit 1).
    Verify {
        /// The verification file (JSON: seed_hash, seed, entries,
        /// entries_digest, winners), `-` for standard input.
        #[arg(required_unless_present = "raffle", conflicts_with = "raffle")]
        file: Option<PathBuf>,
        /// Check raffle ID from the store instead of a file.
        #[arg(long, value_name = "ID")]
        raffle: Option<i64>,
    },
    /// Write a raffle's verification file (the seed only once it is drawn).
    Export {
        /// The raffle's id.
        #[arg(long, value_name = "ID")]
        raffle: i64,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum MemberCommand {
    /// Print everything Steward keeps about one member as JSON (audited).
    Export {
        /// Steward's member id (`42`) or `platform:id` (`telegram:123456`).
        member: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Erase one member's message texts, names, notes and case evidence
    /// (counts and the audit log's rows stay; the erasure is audited).
    Erase {
        /// Steward's member id (`42`) or `platform:id` (`telegram:123456`).
        member: String,
        /// Confirm: without it nothing is erased.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BanListCommand {
    /// Write the community's list as JSON (`steward-ban-list`, version 1).
    Export {
        /// The community: its id or its name.
        #[arg(long)]
        community: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Merge a list exported by Steward into the community's list and ban
    /// the new accounts in every group of the community. Every entry is
    /// checked first: a bad one is named and nothing is imported.
    Import {
        /// The file (`-` for standard input).
        file: PathBuf,
        /// The community: its id or its name.
        #[arg(long)]
        community: String,
    },
    /// Put one account on the list and ban it in every group of the community.
    Add {
        /// The community: its id or its name.
        #[arg(long)]
        community: String,
        /// telegram, onebot, matrix or http.
        #[arg(long)]
        platform: String,
        /// The platform's id of the account (for Telegram, the user id).
        #[arg(long)]
        account: String,
        /// Why; kept in the audit log with every ban.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Take one account off the list.
    Remove {
        /// The community: its id or its name.
        #[arg(long)]
        community: String,
        /// telegram, onebot, matrix or http.
        #[arg(long)]
        platform: String,
        /// The platform's id of the account.
        #[arg(long)]
        account: String,
        /// Also lift its bans in every group of the community.
        #[arg(long)]
        unban: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum EvalCommand {
    /// Precision, recall and F1 of the spam classifier in effect (the data
    /// folder's learned model, or the starter model) as JSON.
    Spam {
        /// Lines of `spam<TAB>text` or `ham<TAB>text`.
        #[arg(long, value_name = "FILE.tsv")]
        labeled: PathBuf,
        /// Spam probability that counts as spam; default the model's own.
        #[arg(long)]
        threshold: Option<f32>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Check a text against the rules in effect and print the verdict as JSON.
    Test {
        /// The text.
        text: String,
        /// A rules file (TOML with `[[rules]]`) instead of the config's rules.
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
    },
    /// Replay a group's stored history through a rule set and report what it
    /// would have done (JSON), with a progress bar.
    Backtest {
        /// The group: its platform id, `platform:id`, or Steward's id.
        #[arg(long)]
        group: String,
        /// How far back: `30d`, `12h`, `2w`, or an RFC 3339 time.
        #[arg(long, default_value = "30d")]
        since: String,
        /// A rules file (TOML with `[[rules]]`) instead of the config's rules.
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
    },
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
    /// The moderation engine on one core (10,000 keywords, 200 patterns,
    /// link rules) against the naive one-rule-at-a-time method.
    Moderation(BenchModerationArgs),
    /// Reports on a big store (weekly community report time), the
    /// roll-ups' share of ingest time, and Telegram-export import speed.
    Reports(BenchReportsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct BenchReportsArgs {
    /// Messages in the store the reports read.
    #[arg(long, default_value_t = 10_000_000)]
    pub(crate) messages: usize,
    /// Groups they are spread over (ten per community).
    #[arg(long, default_value_t = 1_000)]
    pub(crate) groups: usize,
    /// Days of history.
    #[arg(long, default_value_t = 60)]
    pub(crate) days: u32,
    /// Messages in the Telegram export imported.
    #[arg(long, default_value_t = 200_000)]
    pub(crate) import_messages: usize,
    /// Events ingested to measure the roll-ups' cost.
    #[arg(long, default_value_t = 20_000)]
    pub(crate) ingest_events: usize,
}

#[derive(Debug, Args)]
pub(crate) struct BenchModerationArgs {
    /// Messages in the corpus.
    #[arg(long, default_value_t = 100_000)]
    pub(crate) messages: usize,
    /// Messages for the naive method (it is slow; its rate is per message).
    #[arg(long, default_value_t = 5_000)]
    pub(crate) naive_messages: usize,
    /// Print the N slowest messages to stderr, to find what costs most.
    #[arg(long, default_value_t = 0)]
    pub(crate) show_slowest: usize,
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
