//! Communities' shared ban lists beyond the door: the exchange format
//! (export, import with every entry checked), and the worker that follows
//! other Stewards' lists over HTTP.
//!
//! The format, version 1:
//!
//! ```json
//! {"format": "steward-ban-list", "version": 1, "community": "Acme",
//!  "exported_at": "2026-05-01T12:00:00Z",
//!  "entries": [{"platform": "telegram", "account": "4242", "reason": "spam",
//!               "added_at": "2026-04-30T08:00:00Z"}]}
//! ```
//!
//! `community` and `exported_at` are informative; in an entry `reason` and
//! `added_at` may be left out. Fields a reader does not know are ignored, so
//! version 1 can gain optional fields; anything else is a new version.
//! Telegram accounts are numeric ids (negative for channels): a `@username`
//! names nobody for long, and the platform never sends it as the id.
//!
//! A list is read into typed structs whose fields take any JSON value, so a
//! wrong value is reported by where it is, never by echoing it: what another
//! Steward (or whatever a subscription URL points at) answers does not come
//! back in the error shown on the dashboard.
//!
//! Subscriptions are fetched without following redirects, with a bounded
//! body, and their token goes over plain `http://` only to this machine.
//!
//! Applying a list (bans in the community's groups, through the outbox,
//! audited) is [`crate::Pipeline::ban_list_add`] and its siblings.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use steward_core::{Platform, Timestamp};
use steward_storage::ban_lists::{BanEntry, Subscription};
use tokio_util::sync::CancellationToken;

use crate::{Pipeline, PipelineError};

/// The `format` field of an exported list.
pub const FORMAT: &str = "steward-ban-list";
/// The version of the format this Steward writes and reads.
pub const VERSION: u64 = 1;
/// Most entries one file may hold.
pub const MAX_ENTRIES: usize = 200_000;
/// Longest account id, in characters.
pub const MAX_ACCOUNT_CHARS: usize = 256;
/// Longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// Largest list fetched from another Steward (or imported), in bytes.
pub const MAX_FETCH_BYTES: usize = 16 * 1024 * 1024;
/// How often the worker fetches subscribed lists.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// Longest subscription URL, in bytes.
pub const MAX_URL_BYTES: usize = 2000;
/// Longest subscription token, in bytes.
pub const MAX_TOKEN_BYTES: usize = 500;

/// An exported list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListDocument {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u64,
    /// The community it was exported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// When it was exported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<Timestamp>,
    /// The entries, oldest first.
    pub entries: Vec<ListEntry>,
}

/// One banned account, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The account's platform.
    pub platform: Platform,
    /// The platform's id of the account, exactly as the platform sends it.
    pub account: String,
    /// Why it is banned (may be empty).
    #[serde(default)]
    pub reason: String,
    /// When it was put on the list at its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<Timestamp>,
}

/// What is wrong with a list or an entry, as a code the dashboard
/// translates (`banlist-problem-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The text is not JSON.
    NotJson,
    /// The JSON is not a list document (an object).
    NotObject,
    /// `format` is missing or not [`FORMAT`].
    Format,
    /// `version` is missing or not [`VERSION`].
    Version,
    /// `entries` is missing or not a list.
    Entries,
    /// More than [`MAX_ENTRIES`] entries.
    TooMany,
    /// An entry is not an object.
    EntryNotObject,
    /// A required field is missing.
    Missing,
    /// A field is not a string.
    NotString,
    /// An account id given as a number.
    AccountNumber,
    /// An unknown platform.
    Platform,
    /// An empty account id.
    AccountEmpty,
    /// An account id longer than [`MAX_ACCOUNT_CHARS`].
    AccountTooLong,
    /// An account id with spaces or control characters.
    AccountSpaces,
    /// A Telegram account that is not a numeric id (a `@username`).
    TelegramId,
    /// A reason longer than [`MAX_REASON_CHARS`].
    ReasonTooLong,
    /// `added_at` is not an RFC 3339 time.
    AddedAt,
}

impl Problem {
    /// The code: `not-json`, `telegram-id`, ...
    pub fn code(self) -> &'static str {
        match self {
            Problem::NotJson => "not-json",
            Problem::NotObject => "not-object",
            Problem::Format => "format",
            Problem::Version => "version",
            Problem::Entries => "entries",
            Problem::TooMany => "too-many",
            Problem::EntryNotObject => "entry-not-object",
            Problem::Missing => "missing",
            Problem::NotString => "not-string",
            Problem::AccountNumber => "account-number",
            Problem::Platform => "platform",
            Problem::AccountEmpty => "account-empty",
            Problem::AccountTooLong => "account-too-long",
            Problem::AccountSpaces => "account-spaces",
            Problem::TelegramId => "telegram-id",
            Problem::ReasonTooLong => "reason-too-long",
            Problem::AddedAt => "added-at",
        }
    }
}

/// What is wrong with a list or one of its entries. The message never
/// repeats the offending value (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FormatError {
    /// Where: `format`, `entries[3].account`, ...
    pub field: String,
    /// What, as a code.
    pub problem: Problem,
    /// What, in English words.
    pub message: String,
}

fn bad(field: impl Into<String>, problem: Problem) -> FormatError {
    let message = match problem {
        Problem::NotJson => "not JSON".to_owned(),
        Problem::NotObject => {
            "a ban list is a JSON object with `format`, `version` and `entries`".to_owned()
        }
        Problem::Format => format!("not a Steward ban list (expected `{FORMAT}`)"),
        Problem::Version => format!("this Steward reads version {VERSION} only"),
        Problem::Entries => "missing or not a list".to_owned(),
        Problem::TooMany => format!("more than {MAX_ENTRIES} entries; split the file"),
        Problem::EntryNotObject => "an entry is a JSON object".to_owned(),
        Problem::Missing => "missing".to_owned(),
        Problem::NotString => "must be a string".to_owned(),
        Problem::AccountNumber => "must be a string (put the id in quotes)".to_owned(),
        Problem::Platform => {
            let known: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
            format!("unknown platform; expected one of {}", known.join(", "))
        }
        Problem::AccountEmpty => "the account id is empty".to_owned(),
        Problem::AccountTooLong => {
            format!("the account id is longer than {MAX_ACCOUNT_CHARS} characters")
        }
        Problem::AccountSpaces => "the account id has spaces or control characters".to_owned(),
        Problem::TelegramId => {
            "a Telegram account is its numeric id (like 123456789, negative for channels), not a @username"
                .to_owned()
        }
        Problem::ReasonTooLong => format!("the reason is longer than {MAX_REASON_CHARS} characters"),
        Problem::AddedAt => "not an RFC 3339 time (like 2026-04-30T08:00:00Z)".to_owned(),
    };
    FormatError {
        field: field.into(),
        problem,
        message,
    }
}

/// The export of a community's list. Who added an entry stays with the
/// team: it is not in the export.
pub fn export(community: &str, entries: &[BanEntry], now: Timestamp) -> ListDocument {
    ListDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        community: Some(community.to_owned()),
        exported_at: Some(now),
        entries: entries
            .iter()
            .map(|e| ListEntry {
                platform: e.platform,
                account: e.account.clone(),
                reason: e.reason.clone(),
                added_at: Some(e.added_at),
            })
            .collect(),
    }
}

/// Whether `account` is a Telegram id: an integer (negative for channels
/// and chats).
fn is_telegram_id(account: &str) -> bool {
    let digits = account.strip_prefix('-').unwrap_or(account);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && account.parse::<i64>().is_ok()
}

/// Checks one entry given field by field (a form, the API); `prefix` is
/// put before field names in errors.
pub fn check_entry(
    prefix: &str,
    platform: &str,
    account: &str,
    reason: &str,
    added_at: Option<Timestamp>,
) -> Result<ListEntry, FormatError> {
    let platform: Platform = platform
        .trim()
        .parse()
        .map_err(|_| bad(format!("{prefix}platform"), Problem::Platform))?;
    let account = account.trim();
    let field = || format!("{prefix}account");
    if account.is_empty() {
        return Err(bad(field(), Problem::AccountEmpty));
    }
    if account.chars().count() > MAX_ACCOUNT_CHARS {
        return Err(bad(field(), Problem::AccountTooLong));
    }
    if account.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(field(), Problem::AccountSpaces));
    }
    if platform == Platform::Telegram && !is_telegram_id(account) {
        return Err(bad(field(), Problem::TelegramId));
    }
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(bad(format!("{prefix}reason"), Problem::ReasonTooLong));
    }
    let reason: String = reason
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    Ok(ListEntry {
        platform,
        account: account.to_owned(),
        reason,
        added_at,
    })
}

/// Any JSON value where a scalar is expected: kept when it is a string or
/// a number, otherwise only noted (its content is skipped, not kept).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Number(serde_json::Number),
    Other(IgnoredAny),
}

/// The `entries` field: a list, or anything else.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawEntries {
    List(Vec<RawItem>),
    Other(IgnoredAny),
}

/// One item of `entries`: an object (its fields by name), or anything else.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawItem {
    Entry(HashMap<String, Option<Scalar>>),
    Other(IgnoredAny),
}

/// A list document as read, before checking. Only reached for a JSON
/// object (a struct would also take an array, by position).
#[derive(Debug, Deserialize)]
struct RawDocument {
    format: Option<Scalar>,
    version: Option<Scalar>,
    entries: Option<RawEntries>,
}

/// Reads an exported list, checking every entry; the first bad one is
/// named (`entries[3].platform: ...`). The same account twice is kept once.
pub fn parse(text: &str) -> Result<Vec<ListEntry>, FormatError> {
    parse_bytes(text.as_bytes())
}

/// [`parse`], from bytes.
pub fn parse_bytes(bytes: &[u8]) -> Result<Vec<ListEntry>, FormatError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(match serde_json::from_slice::<IgnoredAny>(bytes) {
            Ok(_) => bad("(file)", Problem::NotObject),
            Err(_) => bad("(file)", Problem::NotJson),
        });
    }
    let document: RawDocument = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            bad("(file)", Problem::NotObject)
        } else {
            bad("(file)", Problem::NotJson)
        }
    })?;
    check_document(document)
}

/// [`parse`], from JSON already read.
pub fn parse_value(value: &Value) -> Result<Vec<ListEntry>, FormatError> {
    if !value.is_object() {
        return Err(bad("(file)", Problem::NotObject));
    }
    let document =
        RawDocument::deserialize(value).map_err(|_| bad("(file)", Problem::NotObject))?;
    check_document(document)
}

fn check_document(document: RawDocument) -> Result<Vec<ListEntry>, FormatError> {
    match &document.format {
        Some(Scalar::Text(format)) if format == FORMAT => {}
        _ => return Err(bad("format", Problem::Format)),
    }
    match &document.version {
        Some(Scalar::Number(n)) if n.as_u64() == Some(VERSION) => {}
        _ => return Err(bad("version", Problem::Version)),
    }
    let Some(RawEntries::List(entries)) = document.entries else {
        return Err(bad("entries", Problem::Entries));
    };
    if entries.len() > MAX_ENTRIES {
        return Err(bad("entries", Problem::TooMany));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, item) in entries.iter().enumerate() {
        let prefix = format!("entries[{i}].");
        let RawItem::Entry(item) = item else {
            return Err(bad(format!("entries[{i}]"), Problem::EntryNotObject));
        };
        let text = |name: &str, required: bool| -> Result<Option<&str>, FormatError> {
            match item.get(name).and_then(Option::as_ref) {
                None if !required => Ok(None),
                None => Err(bad(format!("{prefix}{name}"), Problem::Missing)),
                Some(Scalar::Text(s)) => Ok(Some(s.as_str())),
                // Numeric ids are common in hand-made lists.
                Some(Scalar::Number(_)) if name == "account" => {
                    Err(bad(format!("{prefix}{name}"), Problem::AccountNumber))
                }
                Some(_) => Err(bad(format!("{prefix}{name}"), Problem::NotString)),
            }
        };
        let platform = text("platform", true)?.unwrap_or_default();
        let account = text("account", true)?.unwrap_or_default();
        let reason = text("reason", false)?.unwrap_or_default();
        let added_at = match text("added_at", false)? {
            None => None,
            Some(at) => Some(
                DateTime::parse_from_rfc3339(at)
                    .map_err(|_| bad(format!("{prefix}added_at"), Problem::AddedAt))?
                    .with_timezone(&Utc),
            ),
        };
        let entry = check_entry(&prefix, platform, account, reason, added_at)?;
        if seen.insert((entry.platform, entry.account.clone())) {
            out.push(entry);
        }
    }
    Ok(out)
}

/// What is wrong with a subscription's URL or token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Not an `http://` or `https://` address with a host.
    #[error("the URL must be an http:// or https:// address")]
    Url,
    /// The token is too long or has spaces or control characters.
    #[error("the token is too long or has spaces or control characters")]
    Token,
    /// A token would travel over plain `http://` to another machine.
    #[error("a token is sent only over https:// (plain http:// only to this machine)")]
    TokenOverHttp,
}

impl SourceError {
    /// The field it concerns: `url` or `token`.
    pub fn field(self) -> &'static str {
        match self {
            SourceError::Url => "url",
            SourceError::Token | SourceError::TokenOverHttp => "token",
        }
    }
}

/// Whether a token may be sent to `url`: over TLS, or to this machine.
fn may_carry_token(url: &reqwest::Url) -> bool {
    if url.scheme() == "https" {
        return true;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_source(url: &str) -> Result<reqwest::Url, SourceError> {
    let parsed = reqwest::Url::parse(url).map_err(|_| SourceError::Url)?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(SourceError::Url);
    }
    Ok(parsed)
}

/// Checks a subscription's URL and token; the trimmed pair.
pub fn check_source(url: &str, token: &str) -> Result<(String, String), SourceError> {
    let url = url.trim();
    if url.len() > MAX_URL_BYTES || url.chars().any(char::is_whitespace) {
        return Err(SourceError::Url);
    }
    let parsed = parse_source(url)?;
    let token = token.trim();
    if token.len() > MAX_TOKEN_BYTES || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(SourceError::Token);
    }
    if !token.is_empty() && !may_carry_token(&parsed) {
        return Err(SourceError::TokenOverHttp);
    }
    Ok((url.to_owned(), token.to_owned()))
}

/// Why a subscribed list could not be fetched or read. The words are
/// Steward's own: nothing of what the other side answered is repeated.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The subscription's URL or token is not acceptable (any more).
    #[error("{0}")]
    Source(#[from] SourceError),
    /// The other Steward could not be reached, or answered badly.
    #[error("{0}")]
    Fetch(String),
    /// What came back is not a valid list.
    #[error("the list is not valid: {0}")]
    Format(#[from] FormatError),
    /// The store failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

/// What a fetch of a subscribed list changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncOutcome {
    /// Entries on the fetched list.
    pub fetched: usize,
    /// Entries new to the community's list.
    pub added: usize,
    /// Entries the source no longer lists, dropped.
    pub removed: usize,
    /// Bans queued.
    pub bans: usize,
    /// Bans not made because the account is staff or Steward there.
    pub spared: usize,
}

/// The HTTP client subscriptions are fetched with: bounded in time, and
/// following no redirects (a list that moved is subscribed to again, at
/// its new address, by a person).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("steward/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

fn too_large() -> SyncError {
    SyncError::Fetch(format!(
        "the list is larger than {} MiB",
        MAX_FETCH_BYTES / 1024 / 1024
    ))
}

/// Fetches and reads another Steward's list.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> Result<Vec<ListEntry>, SyncError> {
    let parsed = parse_source(url)?;
    let mut request = client
        .get(parsed.clone())
        .header("accept", "application/json");
    if !token.is_empty() {
        if !may_carry_token(&parsed) {
            return Err(SourceError::TokenOverHttp.into());
        }
        request = request.bearer_auth(token);
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| SyncError::Fetch(format!("cannot fetch the list: {}", describe(&e))))?;
    let status = response.status();
    if status.is_redirection() {
        return Err(SyncError::Fetch(format!(
            "HTTP {status}: the list moved; redirects are not followed, subscribe to its new address"
        )));
    }
    if !status.is_success() {
        return Err(SyncError::Fetch(format!("HTTP {status}")));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_FETCH_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| SyncError::Fetch(format!("cannot read the list: {}", describe(&e))))?
    {
        if body.len() + chunk.len() > MAX_FETCH_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(parse_bytes(&body)?)
}

/// A short account of a transport error (never the other side's words).
fn describe(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    }
}

/// Fetches one subscription and merges it into its community's list; a
/// failure is recorded on the subscription (and returned).
pub async fn sync_subscription(
    pipeline: &Pipeline,
    client: &reqwest::Client,
    subscription: &Subscription,
) -> Result<SyncOutcome, SyncError> {
    match fetch(client, &subscription.url, &subscription.token).await {
        Ok(entries) => Ok(pipeline
            .ban_list_sync(subscription, &entries, Utc::now())
            .await?),
        Err(SyncError::Pipeline(err)) => Err(SyncError::Pipeline(err)),
        Err(err) => {
            let message: String = err.to_string().chars().take(500).collect();
            pipeline
                .ban_list_sync_failed(subscription.id, &message, Utc::now())
                .await?;
            Err(err)
        }
    }
}

/// Fetches every subscription once.
pub async fn sync_all(pipeline: &Pipeline, client: &reqwest::Client) -> Result<(), PipelineError> {
    let subscriptions = pipeline.store().subscriptions(None).await?;
    for subscription in &subscriptions {
        match sync_subscription(pipeline, client, subscription).await {
            Ok(outcome) if outcome.added + outcome.removed > 0 => tracing::info!(
                subscription = subscription.id,
                added = outcome.added,
                removed = outcome.removed,
                "ban list synced"
            ),
            Ok(_) => {}
            Err(SyncError::Pipeline(err)) => return Err(err),
            Err(err) => tracing::warn!(
                subscription = subscription.id,
                url = %subscription.url,
                error = %err,
                "cannot sync a subscribed ban list"
            ),
        }
    }
    Ok(())
}

/// The subscription worker: fetches every subscribed list every
/// `interval`, until cancelled.
pub async fn run(pipeline: Pipeline, interval: Duration, cancel: CancellationToken) {
    let client = http_client();
    loop {
        // A fetch in flight is dropped on shutdown; its transaction, if
        // any, rolls back.
        tokio::select! {
            () = cancel.cancelled() => return,
            result = sync_all(&pipeline, &client) => {
                if let Err(err) = result {
                    tracing::warn!(error = %err, "ban list sync failed");
                }
            }
        }
        tokio::select! {
            () = cancel.cancelled() => return,
            () = tokio::time::sleep(interval) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &str) -> String {
        format!(r#"{{"format":"steward-ban-list","version":1,"entries":[{entries}]}}"#)
    }

    #[test]
    fn a_list_is_read_and_merged() {
        let text = list(
            r#"{"platform":"telegram","account":"42","reason":"spam","added_at":"2026-04-30T08:00:00Z"},
               {"platform":"matrix","account":"@x:example.org"},
               {"platform":"telegram","account":"42","reason":"again"}"#,
        );
        let entries = parse(&text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].reason, "spam");
        assert!(entries[0].added_at.is_some());
        assert_eq!(entries[1].platform, Platform::Matrix);
        assert_eq!(entries[1].reason, "");
    }

    #[test]
    fn the_bad_entry_is_named() {
        let cases = [
            ("[]", "(file)"),
            (r#"{"format":"other","version":1,"entries":[]}"#, "format"),
            (
                r#"{"format":"steward-ban-list","version":2,"entries":[]}"#,
                "version",
            ),
            (r#"{"format":"steward-ban-list","version":1}"#, "entries"),
            (
                &list(r#"{"platform":"telegram","account":"1"},{"platform":"icq","account":"2"}"#),
                "entries[1].platform",
            ),
            (
                &list(r#"{"platform":"telegram","account":" "}"#),
                "entries[0].account",
            ),
            (
                &list(r#"{"platform":"telegram","account":42}"#),
                "entries[0].account",
            ),
            (&list(r#"{"platform":"telegram"}"#), "entries[0].account"),
            (
                &list(r#"{"platform":"telegram","account":"1","added_at":"yesterday"}"#),
                "entries[0].added_at",
            ),
            (&list("7"), "entries[0]"),
            (
                &list(r#"{"platform":"telegram","account":"@spammer"}"#),
                "entries[0].account",
            ),
            (
                &list(r#"{"platform":"telegram","account":"1","reason":{"x":1}}"#),
                "entries[0].reason",
            ),
            (r#"["steward-ban-list",1,[]]"#, "(file)"),
            ("not json", "(file)"),
        ];
        for (text, field) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.field, field, "{text}: {err}");
        }
    }

    #[test]
    fn telegram_accounts_are_numeric_ids() {
        for good in ["42", "-1001234567890"] {
            assert!(
                check_entry("", "telegram", good, "", None).is_ok(),
                "{good}"
            );
        }
        for bad_id in ["@spammer", "spammer", "-", "12a", "99999999999999999999"] {
            let err = check_entry("", "telegram", bad_id, "", None).unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.problem),
                ("account", Problem::TelegramId)
            );
        }
        // Other platforms keep their own id shapes.
        assert!(check_entry("", "matrix", "@x:example.org", "", None).is_ok());
    }

    #[test]
    fn errors_do_not_repeat_what_was_read() {
        let secret = "internal-secret-value";
        let texts = [
            format!(r#"{{"format":"{secret}","version":1,"entries":[]}}"#),
            format!(r#""{secret}""#),
            list(&format!(r#"{{"platform":"{secret}","account":"1"}}"#)),
            list(&format!(
                r#"{{"platform":"http","account":"a b {secret}"}}"#
            )),
            list(&format!(
                r#"{{"platform":"http","account":"1","added_at":"{secret}"}}"#
            )),
        ];
        for text in texts {
            let err = parse(&text).unwrap_err();
            assert!(!err.to_string().contains(secret), "{err}");
        }
        // The same checks from JSON already read (the API's import).
        let value: Value =
            serde_json::from_str(&list(r#"{"platform":"http","account":"ok","reason":null}"#))
                .unwrap();
        assert_eq!(parse_value(&value).unwrap()[0].reason, "");
        assert_eq!(
            parse_value(&Value::Null).unwrap_err().problem,
            Problem::NotObject
        );
    }

    #[test]
    fn tokens_go_over_tls_or_to_this_machine() {
        assert!(check_source("https://x.example/list", "stw_1").is_ok());
        assert!(check_source("http://x.example/list", "").is_ok());
        for local in [
            "http://127.0.0.1:8080/l",
            "http://localhost/l",
            "http://[::1]:9/l",
        ] {
            assert!(check_source(local, "stw_1").is_ok(), "{local}");
        }
        assert_eq!(
            check_source("http://x.example/list", "stw_1"),
            Err(SourceError::TokenOverHttp)
        );
        assert_eq!(check_source("ftp://x", ""), Err(SourceError::Url));
        assert_eq!(check_source("https://", ""), Err(SourceError::Url));
        assert_eq!(
            check_source("https://x.example/", "a b"),
            Err(SourceError::Token)
        );
    }

    #[tokio::test]
    async fn a_token_is_not_sent_over_plain_http_elsewhere() {
        let err = fetch(&http_client(), "http://x.example/list", "stw_1")
            .await
            .unwrap_err();
        assert!(
            matches!(err, SyncError::Source(SourceError::TokenOverHttp)),
            "{err}"
        );
    }

    #[test]
    fn an_export_reads_back() {
        let now = Utc::now();
        let doc = ListDocument {
            format: FORMAT.to_owned(),
            version: VERSION,
            community: Some("Acme".to_owned()),
            exported_at: Some(now),
            entries: vec![ListEntry {
                platform: Platform::Onebot,
                account: "10001".to_owned(),
                reason: "ads".to_owned(),
                added_at: Some(now),
            }],
        };
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(parse(&text).unwrap(), doc.entries);
    }
}
