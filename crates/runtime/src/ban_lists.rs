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
//!
//! Applying a list (bans in every group of the community, through the
//! outbox, audited) is [`crate::Pipeline::ban_list_add`] and its siblings.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
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
/// Largest list fetched from another Steward, in bytes.
pub const MAX_FETCH_BYTES: usize = 64 * 1024 * 1024;
/// How often the worker fetches subscribed lists.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(5 * 60);

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

/// What is wrong with a list or one of its entries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FormatError {
    /// Where: `format`, `entries[3].account`, ...
    pub field: String,
    /// What, in words.
    pub message: String,
}

fn bad(field: impl Into<String>, message: impl Into<String>) -> FormatError {
    FormatError {
        field: field.into(),
        message: message.into(),
    }
}

/// The export of a community's list.
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
        .map_err(|e| bad(format!("{prefix}platform"), format!("{e}")))?;
    let account = account.trim();
    if account.is_empty() {
        return Err(bad(format!("{prefix}account"), "the account id is empty"));
    }
    if account.chars().count() > MAX_ACCOUNT_CHARS {
        return Err(bad(
            format!("{prefix}account"),
            format!("the account id is longer than {MAX_ACCOUNT_CHARS} characters"),
        ));
    }
    if account.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad(
            format!("{prefix}account"),
            format!("the account id `{account}` has spaces or control characters"),
        ));
    }
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(bad(
            format!("{prefix}reason"),
            format!("the reason is longer than {MAX_REASON_CHARS} characters"),
        ));
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

/// Reads an exported list, checking every entry; the first bad one is
/// named (`entries[3].platform: ...`). The same account twice is kept once.
pub fn parse(text: &str) -> Result<Vec<ListEntry>, FormatError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| bad("(file)", format!("not JSON: {e}")))?;
    parse_value(&value)
}

/// [`parse`], from JSON already read.
pub fn parse_value(value: &Value) -> Result<Vec<ListEntry>, FormatError> {
    let Some(document) = value.as_object() else {
        return Err(bad("(file)", "a ban list is a JSON object"));
    };
    match document.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(bad(
                "format",
                format!("`{other}` is not a Steward ban list (expected `{FORMAT}`)"),
            ));
        }
        None => return Err(bad("format", format!("missing; expected `{FORMAT}`"))),
    }
    match document.get("version").and_then(Value::as_u64) {
        Some(VERSION) => {}
        Some(other) => {
            return Err(bad(
                "version",
                format!("version {other} is not supported; this Steward reads version {VERSION}"),
            ));
        }
        None => return Err(bad("version", "missing or not a number")),
    }
    let Some(entries) = document.get("entries").and_then(Value::as_array) else {
        return Err(bad("entries", "missing or not a list"));
    };
    if entries.len() > MAX_ENTRIES {
        return Err(bad(
            "entries",
            format!("more than {MAX_ENTRIES} entries; split the file"),
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(entries.len());
    for (i, item) in entries.iter().enumerate() {
        let prefix = format!("entries[{i}].");
        let Some(item) = item.as_object() else {
            return Err(bad(format!("entries[{i}]"), "an entry is a JSON object"));
        };
        let text = |name: &str, required: bool| -> Result<Option<&str>, FormatError> {
            match item.get(name) {
                None | Some(Value::Null) if !required => Ok(None),
                None | Some(Value::Null) => Err(bad(format!("{prefix}{name}"), "missing")),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                // Numeric ids are common in hand-made lists.
                Some(Value::Number(n)) if name == "account" => Err(bad(
                    format!("{prefix}{name}"),
                    format!("must be a string (write \"{n}\")"),
                )),
                Some(_) => Err(bad(format!("{prefix}{name}"), "must be a string")),
            }
        };
        let platform = text("platform", true)?.unwrap_or_default();
        let account = text("account", true)?.unwrap_or_default();
        let reason = text("reason", false)?.unwrap_or_default();
        let added_at = match text("added_at", false)? {
            None => None,
            Some(at) => Some(
                DateTime::parse_from_rfc3339(at)
                    .map_err(|e| {
                        bad(
                            format!("{prefix}added_at"),
                            format!("`{at}` is not an RFC 3339 time: {e}"),
                        )
                    })?
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

/// Why a subscribed list could not be fetched or read.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
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
}

/// The HTTP client subscriptions are fetched with: bounded in time.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("steward/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Fetches and reads another Steward's list.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    token: &str,
) -> Result<Vec<ListEntry>, SyncError> {
    let mut request = client.get(url).header("accept", "application/json");
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let mut response = request
        .send()
        .await
        .map_err(|e| SyncError::Fetch(format!("cannot fetch the list: {}", describe(&e))))?;
    let status = response.status();
    if response
        .content_length()
        .is_some_and(|n| n > MAX_FETCH_BYTES as u64)
    {
        return Err(SyncError::Fetch(format!(
            "the list is larger than {} MiB",
            MAX_FETCH_BYTES / 1024 / 1024
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| SyncError::Fetch(format!("cannot read the list: {}", describe(&e))))?
    {
        if body.len() + chunk.len() > MAX_FETCH_BYTES {
            return Err(SyncError::Fetch(format!(
                "the list is larger than {} MiB",
                MAX_FETCH_BYTES / 1024 / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    if !status.is_success() {
        // Another Steward explains itself in its error shape.
        let message = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        return Err(SyncError::Fetch(
            format!("HTTP {status} {message}").trim().to_owned(),
        ));
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| SyncError::Fetch(format!("the answer is not JSON: {e}")))?;
    Ok(parse_value(&value)?)
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            text = format!("{text}: {inner}");
            source = inner.source();
        }
        text
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
        ];
        for (text, field) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.field, field, "{text}: {err}");
        }
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
