//! The settings, with their documentation and defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;
use steward_core::Platform;
use steward_core::i18n::Lang;
use steward_core::settings::{ChatSettings, JoinQuestion};
use steward_moderation::{Engine, Ladder, RuleSet};

use crate::{ConfigError, Secret};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folder for the embedded database and other state. Default
    /// `./steward-data`; `--data-dir` and `STEWARD_DATA_DIR` override it.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// `postgres://USER@HOST/DB` to use PostgreSQL, or `sqlite://PATH`. Empty
    /// means SQLite at `DATA_DIR/steward.db`. `STEWARD_DATABASE_URL`.
    #[serde(default)]
    pub database_url: Option<String>,
    /// Language of new groups: `zh`, `ru` or `en`. `STEWARD_DEFAULT_LANGUAGE`.
    #[serde(default)]
    pub default_language: Lang,
    /// The HTTP server.
    #[serde(default)]
    pub server: ServerConfig,
    /// The generic HTTP platform: ingest token and action webhook.
    #[serde(default)]
    pub ingest: IngestConfig,
    /// The outbox.
    #[serde(default)]
    pub outbox: OutboxConfig,
    /// Rules and penalty ladder applied to every group.
    #[serde(default)]
    pub moderation: ModerationConfig,
    /// Groups with settings of their own (community, language).
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
    /// The Telegram adapter: its bots.
    #[serde(default)]
    pub telegram: TelegramConfig,
}

/// The HTTP server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on. Default `127.0.0.1:8080`; `--listen` and
    /// `STEWARD_LISTEN` override it.
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// The address people use to reach Steward, for links Steward prints
    /// (the setup link). Default `http://LISTEN`. `STEWARD_PUBLIC_URL`.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Most events one ingest request may carry. Default 1000.
    #[serde(default = "default_max_batch")]
    pub max_batch: usize,
    /// Longest message text accepted, in bytes. Default 65536.
    #[serde(default = "default_max_text_bytes")]
    pub max_text_bytes: usize,
    /// Largest request body accepted, in bytes. Default 8 MiB.
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
}

/// The generic HTTP platform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngestConfig {
    /// Bearer token systems use to push events to `/api/v1/ingest` (and to
    /// pull actions). Ingest is off while it is empty. `STEWARD_INGEST_TOKEN`.
    #[serde(default)]
    pub token: Secret,
    /// URL that actions for HTTP-platform groups are POSTed to. Empty means
    /// actions wait to be pulled from `/api/v1/actions`. `STEWARD_WEBHOOK_URL`.
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// Key for the `X-Steward-Signature` HMAC-SHA256 header of webhook
    /// requests. `STEWARD_WEBHOOK_SECRET`.
    #[serde(default)]
    pub webhook_secret: Secret,
    /// Pacing of webhook deliveries.
    #[serde(default)]
    pub delivery: DeliverySettings,
}

/// Pacing of deliveries to one platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    /// Actions per second to the platform as a whole. Default 30.
    #[serde(default = "default_per_second")]
    pub per_second: u32,
    /// Actions per minute to any one group. Default 60.
    #[serde(default = "default_per_group_per_minute")]
    pub per_group_per_minute: u32,
}

/// The outbox.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxConfig {
    /// Seconds a delivery worker holds an action before another may take it
    /// (after a crash, pending actions go out again after this). Default 30.
    #[serde(default = "default_lease_seconds")]
    pub lease_seconds: u64,
    /// Attempts before an action is given up and audited. Default 12.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: i64,
}

/// Moderation settings applied to every group.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationConfig {
    /// Rules replacing the default rule set. Absent: the default rules.
    #[serde(default)]
    pub rules: Option<Vec<steward_moderation::Rule>>,
    /// The penalty ladder. Absent: warn, mute 10 minutes, mute a day, ban.
    #[serde(default)]
    pub ladder: Option<Ladder>,
    /// Flood, repeat, wave and raid limits. Absent: the defaults.
    #[serde(default)]
    pub behaviour: Option<steward_moderation::BehaviourRules>,
    /// Steward's own bot accounts as `platform:id` (`http:bot-1`); their
    /// messages are never checked. Adapters that can ask the platform who
    /// the bot is add theirs themselves.
    #[serde(default)]
    pub own_accounts: Vec<String>,
}

/// Settings of one group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// Its platform: `telegram`, `onebot`, `matrix` or `http`.
    pub platform: Platform,
    /// The platform's id of the group.
    pub id: String,
    /// A title to show until the platform sends one.
    #[serde(default)]
    pub title: Option<String>,
    /// The community it belongs to (created on first use).
    #[serde(default)]
    pub community: Option<String>,
    /// The language Steward speaks there. Default: `default_language`.
    #[serde(default)]
    pub language: Option<Lang>,
    /// The platform id of the admins' own chat, where Steward posts
    /// escalations, reports and join requests with buttons.
    #[serde(default)]
    pub admin_chat: Option<String>,
    /// Platform account ids with admin powers in chat commands, besides
    /// the platform's own group admins.
    #[serde(default)]
    pub admins: Vec<String>,
    /// Platform account ids that may warn and mute by command.
    #[serde(default)]
    pub moderators: Vec<String>,
    /// The group's rules, as `/rules` shows them. Empty: the descriptions of
    /// the enforced moderation rules.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Questions asked in private of people who ask to join; the request
    /// is approved on an accepted answer and declined otherwise.
    #[serde(default)]
    pub join_questions: Vec<JoinQuestion>,
    /// Minutes an applicant has to answer (default 5).
    #[serde(default)]
    pub join_minutes: Option<u32>,
    /// A CAPTCHA for applicants and newcomers (`kind`, `minutes`, `on`).
    #[serde(default)]
    pub captcha: Option<steward_core::settings::CaptchaSettings>,
    /// Every join request that passes the checks waits for an admin.
    #[serde(default)]
    pub manual_approval: bool,
    /// The response to a join wave (`response`, `minutes`).
    #[serde(default)]
    pub raid: Option<steward_core::settings::RaidSettings>,
    /// The weight of members' reports that hides a message (default 3).
    #[serde(default)]
    pub report_threshold: Option<u32>,
    /// A link to the group's rules, for `{rules}` in the welcome.
    #[serde(default)]
    pub rules_url: Option<String>,
    /// The welcome for newcomers (templates per language, buttons,
    /// `delete_after`, `group_seconds`).
    #[serde(default)]
    pub welcome: Option<steward_core::welcome::Welcome>,
    /// The nickname rule (`pattern`, `description`, `example`,
    /// `grace_hours`).
    #[serde(default)]
    pub nickname: Option<steward_core::nickname::NicknameRule>,
    /// The group's time zone for times admins type and read (`/since
    /// 14:30`, the since form, referral campaign days): `UTC` (default),
    /// an offset such as `+08:00`, or a zone without daylight saving time
    /// such as `Asia/Shanghai` or `Europe/Moscow`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Points, levels and check-ins (`message`, `message_daily_cap`,
    /// `checkin`, `streak_step`, `streak_max`, `milestones`, `referral`,
    /// `levels`, `enabled`). Unset: the defaults.
    #[serde(default)]
    pub points: Option<steward_core::points::PointsSettings>,
    /// Feedback and complaint tickets (`categories`, `response_hours`,
    /// `root_causes`). Unset: the two built-in categories, 24 hours.
    #[serde(default)]
    pub tickets: Option<steward_core::tickets::TicketSettings>,
    /// Reports and mood alerts to the admins' chat (`daily`, `weekly`,
    /// `monthly`, `hour` 0–23 in the group's zone, `alerts`). Unset:
    /// weekly and monthly at 9, alerts on.
    #[serde(default)]
    pub reports: Option<steward_core::analytics::ReportSettings>,
}

impl GroupConfig {
    /// The chat settings this entry sets.
    // The default fills what the config file cannot set (yet), so a new
    // chat setting never breaks this until it gets a key here.
    #[allow(clippy::needless_update)]
    pub fn chat_settings(&self) -> ChatSettings {
        ChatSettings {
            admin_chat: self.admin_chat.clone(),
            admins: self.admins.clone(),
            moderators: self.moderators.clone(),
            rules: self.rules.clone(),
            join_questions: self.join_questions.clone(),
            join_minutes: self.join_minutes,
            captcha: self.captcha.clone(),
            manual_approval: self.manual_approval,
            raid: self.raid.clone(),
            report_threshold: self.report_threshold,
            rules_url: self.rules_url.clone(),
            welcome: self.welcome.clone(),
            nickname: self.nickname.clone(),
            timezone: self.timezone.clone(),
            points: self.points.clone().unwrap_or_default(),
            tickets: self.tickets.clone().unwrap_or_default(),
            reports: self.reports.clone().unwrap_or_default(),
            ..ChatSettings::default()
        }
    }
}

/// The Telegram adapter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramConfig {
    /// The bots Steward runs. `STEWARD_TELEGRAM_TOKEN` adds (or sets the
    /// token of) the first.
    #[serde(default)]
    pub bots: Vec<TelegramBotConfig>,
}

/// One Telegram bot.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramBotConfig {
    /// The token BotFather gave.
    pub token: Secret,
    /// The Bot API server. Default `https://api.telegram.org`; a local Bot
    /// API server's URL otherwise.
    #[serde(default = "default_telegram_api_url")]
    pub api_url: String,
    /// `polling` (default: `getUpdates`, works behind NAT) or `webhook`
    /// (Telegram posts updates to `server.public_url`).
    #[serde(default)]
    pub mode: TelegramMode,
    /// The secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`
    /// (1–256 of `A-Z a-z 0-9 _ -`). Webhook mode; generated when empty.
    #[serde(default)]
    pub webhook_secret: Secret,
    /// Seconds one `getUpdates` long poll waits. Default 30.
    #[serde(default = "default_poll_timeout")]
    pub poll_timeout_seconds: u64,
    /// Messages per second to Telegram as a whole. Default 30.
    #[serde(default = "default_tg_per_second")]
    pub per_second: u32,
    /// Messages per minute to one group. Default 20.
    #[serde(default = "default_tg_per_group_per_minute")]
    pub per_group_per_minute: u32,
    /// Register the commands menu (`setMyCommands`) in zh, ru and en at
    /// start. Default true.
    #[serde(default = "default_true")]
    pub set_commands: bool,
}

/// How a bot receives updates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    /// Long polling with `getUpdates`.
    #[default]
    Polling,
    /// Telegram posts to Steward's webhook.
    Webhook,
}

impl TelegramBotConfig {
    /// A bot with this token and every other setting at its default.
    pub fn with_token(token: String) -> TelegramBotConfig {
        TelegramBotConfig {
            token: Secret::new(token),
            api_url: default_telegram_api_url(),
            mode: TelegramMode::default(),
            webhook_secret: Secret::default(),
            poll_timeout_seconds: default_poll_timeout(),
            per_second: default_tg_per_second(),
            per_group_per_minute: default_tg_per_group_per_minute(),
            set_commands: true,
        }
    }
}

fn default_telegram_api_url() -> String {
    "https://api.telegram.org".to_owned()
}

fn default_poll_timeout() -> u64 {
    30
}

fn default_tg_per_second() -> u32 {
    30
}

fn default_tg_per_group_per_minute() -> u32 {
    20
}

fn default_true() -> bool {
    true
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: default_data_dir(),
            database_url: None,
            default_language: Lang::default(),
            server: ServerConfig::default(),
            ingest: IngestConfig::default(),
            outbox: OutboxConfig::default(),
            moderation: ModerationConfig::default(),
            groups: Vec::new(),
            telegram: TelegramConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            listen: default_listen(),
            public_url: None,
            max_batch: default_max_batch(),
            max_text_bytes: default_max_text_bytes(),
            max_body_bytes: default_max_body_bytes(),
        }
    }
}

impl Default for DeliverySettings {
    fn default() -> DeliverySettings {
        DeliverySettings {
            per_second: default_per_second(),
            per_group_per_minute: default_per_group_per_minute(),
        }
    }
}

impl Default for OutboxConfig {
    fn default() -> OutboxConfig {
        OutboxConfig {
            lease_seconds: default_lease_seconds(),
            max_attempts: default_max_attempts(),
        }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./steward-data")
}
fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}
fn default_max_batch() -> usize {
    1000
}
fn default_max_text_bytes() -> usize {
    64 * 1024
}
fn default_max_body_bytes() -> usize {
    8 * 1024 * 1024
}
fn default_per_second() -> u32 {
    30
}
fn default_per_group_per_minute() -> u32 {
    60
}
fn default_lease_seconds() -> u64 {
    30
}
fn default_max_attempts() -> i64 {
    12
}

impl Config {
    /// The database URL in effect.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) if !url.is_empty() => url.clone(),
            _ => format!("sqlite://{}", self.data_dir.join("steward.db").display()),
        }
    }

    /// The address people reach Steward at.
    pub fn public_url(&self) -> String {
        match &self.server.public_url {
            Some(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
            _ => format!("http://{}", self.server.listen),
        }
    }

    /// The rule set in effect.
    pub fn rule_set(&self) -> RuleSet {
        let mut rule_set = RuleSet::default_rules();
        if let Some(rules) = &self.moderation.rules {
            rule_set.rules = rules.clone();
        }
        if let Some(behaviour) = &self.moderation.behaviour {
            rule_set.behaviour = behaviour.clone();
        }
        rule_set
    }

    /// The ladder in effect.
    pub fn ladder(&self) -> Ladder {
        self.moderation.ladder.clone().unwrap_or_default()
    }

    /// Checks what the schema cannot: values that parse but cannot work.
    pub(crate) fn validate(&self, source_name: String) -> Result<(), ConfigError> {
        let bad = |key: &str, message: String| ConfigError::Value {
            source_name: source_name.clone(),
            key: key.to_owned(),
            message,
        };
        let url = self.database_url();
        if !(url.starts_with("sqlite://")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(bad(
                "database_url",
                format!("`{url}` is not a database URL: expected sqlite://PATH or postgres://..."),
            ));
        }
        if let Some(hook) = self.ingest.webhook_url.as_deref().filter(|u| !u.is_empty()) {
            match url::Url::parse(hook) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => {
                    return Err(bad(
                        "ingest.webhook_url",
                        format!("`{hook}` is not an http(s) URL"),
                    ));
                }
            }
            if self.ingest.webhook_secret.is_empty() {
                return Err(bad(
                    "ingest.webhook_secret",
                    "a webhook needs a secret to sign its requests".to_owned(),
                ));
            }
        }
        if let Some(public) = self.server.public_url.as_deref().filter(|u| !u.is_empty())
            && url::Url::parse(public).is_err()
        {
            return Err(bad("server.public_url", format!("`{public}` is not a URL")));
        }
        for (key, value) in [
            ("server.max_batch", self.server.max_batch),
            ("server.max_text_bytes", self.server.max_text_bytes),
            ("server.max_body_bytes", self.server.max_body_bytes),
        ] {
            if value == 0 {
                return Err(bad(key, "must be greater than 0".to_owned()));
            }
        }
        if self.ingest.delivery.per_second == 0 || self.ingest.delivery.per_group_per_minute == 0 {
            return Err(bad(
                "ingest.delivery",
                "rate limits must be greater than 0".to_owned(),
            ));
        }
        if self.outbox.lease_seconds == 0 || self.outbox.max_attempts < 1 {
            return Err(bad(
                "outbox",
                "lease_seconds and max_attempts must be at least 1".to_owned(),
            ));
        }
        for account in &self.moderation.own_accounts {
            let valid = account.split_once(':').is_some_and(|(platform, id)| {
                platform.parse::<Platform>().is_ok() && !id.is_empty()
            });
            if !valid {
                return Err(bad(
                    "moderation.own_accounts",
                    format!("`{account}` is not platform:id (e.g. http:bot-1)"),
                ));
            }
        }
        Engine::compile(&self.rule_set()).map_err(|e| bad("moderation.rules", e.to_string()))?;
        if self.ladder().steps.is_empty() {
            return Err(bad(
                "moderation.ladder.steps",
                "needs at least one step".to_owned(),
            ));
        }
        for (i, group) in self.groups.iter().enumerate() {
            if let Some(problem) = group.chat_settings().problems().into_iter().next() {
                return Err(bad(&format!("groups[{i}]"), problem));
            }
            if let Some(reports) = &group.reports
                && reports.hour > 23
            {
                return Err(bad(
                    &format!("groups[{i}].reports.hour"),
                    format!(
                        "{} is not an hour: 0 to 23, in the group's zone",
                        reports.hour
                    ),
                ));
            }
        }
        for (i, bot) in self.telegram.bots.iter().enumerate() {
            let key = |field: &str| format!("telegram.bots[{i}].{field}");
            let token = bot.token.expose();
            // BotFather's tokens are `<bot id>:<secret>`.
            let looks_right = token
                .split_once(':')
                .is_some_and(|(id, rest)| id.parse::<u64>().is_ok() && !rest.is_empty());
            if !looks_right {
                return Err(bad(
                    &key("token"),
                    "is not a bot token (BotFather gives `123456:ABC-...`)".to_owned(),
                ));
            }
            match url::Url::parse(&bot.api_url) {
                Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                _ => {
                    return Err(bad(
                        &key("api_url"),
                        format!("`{}` is not an http(s) URL", bot.api_url),
                    ));
                }
            }
            let secret = bot.webhook_secret.expose();
            if !secret.is_empty()
                && (secret.len() > 256
                    || !secret
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
            {
                return Err(bad(
                    &key("webhook_secret"),
                    "must be 1-256 characters of A-Z, a-z, 0-9, _ and -".to_owned(),
                ));
            }
            if bot.mode == TelegramMode::Webhook
                && self.server.public_url.as_deref().is_none_or(str::is_empty)
            {
                return Err(bad(
                    &key("mode"),
                    "webhook mode needs server.public_url, the https address Telegram posts to"
                        .to_owned(),
                ));
            }
            if bot.per_second == 0 || bot.per_group_per_minute == 0 || bot.poll_timeout_seconds > 50
            {
                return Err(bad(
                    &key("per_second"),
                    "rate limits must be greater than 0 and poll_timeout_seconds at most 50"
                        .to_owned(),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Config, ConfigError};

    const GROUP: &str = "[[groups]]\nplatform = \"http\"\nid = \"g1\"\n";

    #[test]
    fn a_group_sets_its_reports() {
        let text = format!("{GROUP}[groups.reports]\ndaily = true\nmonthly = false\nhour = 18\n");
        let config = Config::parse(Path::new("steward.toml"), &text).unwrap();
        let reports = config.groups[0].chat_settings().reports;
        assert!(reports.daily && reports.weekly && !reports.monthly && reports.alerts);
        assert_eq!(reports.hour, 18);
        // Unset: the defaults.
        let config = Config::parse(Path::new("steward.toml"), GROUP).unwrap();
        assert!(config.groups[0].chat_settings().reports.is_default());
    }

    #[test]
    fn a_report_hour_past_23_names_its_key() {
        let text = format!("{GROUP}reports = {{ hour = 24 }}\n");
        let config = Config::parse(Path::new("steward.toml"), &text).unwrap();
        match config.validate("steward.toml".to_owned()) {
            Err(e @ ConfigError::Value { .. }) => {
                let err = e.to_string();
                assert!(err.contains("groups[0].reports.hour"), "{err}");
                assert!(err.contains("0 to 23"), "{err}");
            }
            other => panic!("expected a bad value, got {other:?}"),
        }
    }
}
