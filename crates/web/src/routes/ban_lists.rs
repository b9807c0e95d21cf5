//! A community's shared ban list: read and export it, add and remove
//! entries, import a list exported by another Steward, and follow other
//! Stewards' lists (subscriptions).
//!
//! `{community}` is the community's id or its name. Reading needs `view`;
//! adding, removing, importing and syncing need `ban`; subscribing and
//! unsubscribing (which stores another Steward's token) need
//! `manage_groups`. Every change goes through the pipeline: bans in the
//! groups of the community where the account is known (the door check
//! bans it elsewhere on arrival) through the outbox, audited.
//!
//! The export (`GET .../ban-list`) is what other Stewards read: it carries
//! no names of this team (who added an entry stays on the dashboard).

use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use steward_core::model::Community;
use steward_core::{Permission, Platform};
use steward_runtime::ban_lists::{self, FormatError, ListEntry, SourceError, SyncError};
use steward_storage::ban_lists::{BanEntry, Subscription};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use steward_runtime::BanListMerged;

use crate::auth::Caller;
use crate::error::{ApiJson, ErrorBody};
use crate::{ApiError, AppState};

/// The largest list accepted for import.
const MAX_IMPORT_BYTES: usize = ban_lists::MAX_FETCH_BYTES;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_entries, add_entry))
        .routes(routes!(remove_entry))
        .routes(routes!(list_subscriptions, subscribe))
        .routes(routes!(unsubscribe))
        .routes(routes!(sync_now))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import))
                .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

/// The community named in the path (its id or its name), or 404.
pub(crate) async fn community(state: &AppState, key: &str) -> Result<Community, ApiError> {
    state.store().find_community(key).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no community `{key}`"),
        )
        .with_field("community")
    })
}

fn format_error(err: FormatError) -> ApiError {
    ApiError::bad_request("invalid_ban_list", err.to_string()).with_field(err.field)
}

/// A ban list in the exchange format (`steward-ban-list`, version 1).
/// Entries carry one more field (`source`), which importers ignore.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListView {
    /// Always `steward-ban-list`.
    format: &'static str,
    /// Always 1.
    version: u64,
    /// The community's name.
    community: String,
    #[schema(value_type = String, format = DateTime)]
    exported_at: chrono::DateTime<Utc>,
    entries: Vec<EntryView>,
}

/// One banned account.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntryView {
    /// `telegram`, `onebot`, `matrix` or `http`.
    platform: String,
    /// The platform's id of the account.
    account: String,
    /// Why (may be empty).
    reason: String,
    #[schema(value_type = String, format = DateTime)]
    added_at: chrono::DateTime<Utc>,
    /// `local`, `import` or `subscription`.
    source: &'static str,
}

impl From<BanEntry> for EntryView {
    fn from(e: BanEntry) -> EntryView {
        EntryView {
            platform: e.platform.as_str().to_owned(),
            account: e.account,
            reason: e.reason,
            added_at: e.added_at,
            source: e.source.as_str(),
        }
    }
}

/// Which entries.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ListQuery {
    /// Only entries whose account or reason contains this (any case).
    q: Option<String>,
}

/// The community's ban list, oldest first, in the exchange format: what
/// another Steward imports or subscribes to.
#[utoipa::path(get, path = "/api/v1/communities/{community}/ban-list", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name"), ListQuery),
    responses((status = 200, body = ListView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn list_entries(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Json<ListView>, ApiError> {
    caller.require(Permission::View)?;
    let community = community(&state, &key).await?;
    let entries = match query.q.as_deref().map(str::trim) {
        Some(q) if !q.is_empty() => {
            let mut found = state
                .store()
                .ban_entries(community.id, Some(q), i64::MAX)
                .await?;
            found.reverse();
            found
        }
        _ => state.store().all_ban_entries(community.id).await?,
    };
    Ok(Json(ListView {
        format: ban_lists::FORMAT,
        version: ban_lists::VERSION,
        community: community.name,
        exported_at: Utc::now(),
        entries: entries.into_iter().map(EntryView::from).collect(),
    }))
}

/// An account to ban in every group of the community.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewEntry {
    /// `telegram`, `onebot`, `matrix` or `http`.
    platform: String,
    /// The platform's id of the account (for Telegram, the numeric user id).
    account: String,
    /// Why; kept in the audit log with every ban.
    #[serde(default)]
    reason: String,
}

/// What adding did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AddedView {
    /// The entry's id.
    entry: i64,
    /// The account was already listed (nothing new was queued).
    already: bool,
    /// Bans queued, one per group of the community where the account is
    /// known.
    bans: usize,
    /// Groups where the account is staff (an admin, a configured admin or
    /// moderator) or Steward itself: not banned there.
    spared: usize,
}

/// Put an account on the community's list and ban it in the groups of the
/// community where it is known (elsewhere it is banned if it ever joins).
/// Telegram accounts are numeric ids; a `@username` is refused.
#[utoipa::path(post, path = "/api/v1/communities/{community}/ban-list", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name")),
    request_body = NewEntry,
    responses((status = 201, body = AddedView), (status = 200, body = AddedView, description = "Already listed"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn add_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<NewEntry>,
) -> Result<(StatusCode, Json<AddedView>), ApiError> {
    caller.require(Permission::Ban)?;
    let community = community(&state, &key).await?;
    let entry = ban_lists::check_entry("", &body.platform, &body.account, &body.reason, None)
        .map_err(format_error)?;
    let added = state
        .pipeline
        .ban_list_add(community.id, &entry, &caller.actor().label(), Utc::now())
        .await?;
    let status = if added.already {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(AddedView {
            entry: added.entry,
            already: added.already,
            bans: added.bans,
            spared: added.spared,
        }),
    ))
}

/// Whether to lift the bans too.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RemoveQuery {
    /// Also unban the account in every group of the community.
    #[serde(default)]
    unban: bool,
}

/// What removing did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RemovedView {
    /// The entry as it was.
    removed: EntryView,
    /// Unbans queued.
    unbans: usize,
}

/// Take an account off the community's list; with `unban=true`, lift its
/// bans in every group of the community.
#[utoipa::path(delete, path = "/api/v1/communities/{community}/ban-list/entries/{platform}/{account}", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name"),
        ("platform" = String, Path), ("account" = String, Path), RemoveQuery),
    responses((status = 200, body = RemovedView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn remove_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path((key, platform, account)): Path<(String, String, String)>,
    Query(query): Query<RemoveQuery>,
) -> Result<Json<RemovedView>, ApiError> {
    caller.require(Permission::Ban)?;
    let community = community(&state, &key).await?;
    let not_listed = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{platform}:{account} is not on the list"),
        )
    };
    let Ok(platform_id) = platform.parse::<Platform>() else {
        return Err(not_listed());
    };
    let mut tx = state.store().begin().await?;
    let found = tx
        .find_ban_entry(community.id, platform_id, &account)
        .await?;
    drop(tx);
    let Some(found) = found else {
        return Err(not_listed());
    };
    let removed = state
        .pipeline
        .ban_list_remove(
            community.id,
            found.id,
            query.unban,
            &caller.actor().label(),
            Utc::now(),
        )
        .await?
        .ok_or_else(not_listed)?;
    Ok(Json(RemovedView {
        removed: removed.entry.into(),
        unbans: removed.unbans,
    }))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImportedView {
    /// Entries in the file (the same account twice counts once).
    entries: usize,
    /// Entries new to the list.
    added: usize,
    /// Entries already on it.
    already: usize,
    /// Bans queued.
    bans: usize,
    /// Bans not made because the account is staff or Steward there.
    spared: usize,
}

/// Merge a list in the exchange format into the community's list and ban
/// the new accounts in every group of the community. Every entry is
/// checked first: a bad one is named in `field` (`entries[3].platform`)
/// and nothing is stored.
#[utoipa::path(post, path = "/api/v1/communities/{community}/ban-list/import", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name")),
    request_body(content = Object, description = "A `steward-ban-list` document, version 1"),
    responses((status = 200, body = ImportedView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<ImportedView>, ApiError> {
    caller.require(Permission::Ban)?;
    let community = community(&state, &key).await?;
    let entries = ban_lists::parse_value(&body).map_err(format_error)?;
    let merged = import_entries(&state, &community, &entries, &caller.actor().label()).await?;
    Ok(Json(ImportedView {
        entries: entries.len(),
        added: merged.added,
        already: merged.already,
        bans: merged.bans,
        spared: merged.spared,
    }))
}

/// Merges checked entries (the pipeline takes them a chunk per
/// transaction).
pub(crate) async fn import_entries(
    state: &AppState,
    community: &Community,
    entries: &[ListEntry],
    actor: &str,
) -> Result<BanListMerged, ApiError> {
    Ok(state
        .pipeline
        .ban_list_import(community.id, entries, actor, Utc::now())
        .await?)
}

/// Another Steward's list the community follows.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SubscriptionView {
    id: i64,
    /// The other Steward's export URL.
    url: String,
    /// Whether a token is sent (it is never shown).
    has_token: bool,
    created_by: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: chrono::DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_sync_at: Option<chrono::DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    last_success_at: Option<chrono::DateTime<Utc>>,
    /// Why the last fetch failed; `null` when it worked.
    last_error: Option<String>,
    /// Entries on the list that came through it.
    entries: i64,
}

impl From<Subscription> for SubscriptionView {
    fn from(s: Subscription) -> SubscriptionView {
        SubscriptionView {
            id: s.id,
            url: s.url,
            has_token: !s.token.is_empty(),
            created_by: s.created_by,
            created_at: s.created_at,
            last_sync_at: s.last_sync_at,
            last_success_at: s.last_success_at,
            last_error: s.last_error,
            entries: s.entries,
        }
    }
}

/// The lists the community follows.
#[utoipa::path(get, path = "/api/v1/communities/{community}/ban-list/subscriptions", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name")),
    responses((status = 200, body = Vec<SubscriptionView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn list_subscriptions(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
) -> Result<Json<Vec<SubscriptionView>>, ApiError> {
    caller.require(Permission::View)?;
    let community = community(&state, &key).await?;
    let subscriptions = state.store().subscriptions(Some(community.id)).await?;
    Ok(Json(
        subscriptions
            .into_iter()
            .map(SubscriptionView::from)
            .collect(),
    ))
}

/// A list to follow.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSubscription {
    /// The other Steward's export URL
    /// (`https://.../api/v1/communities/{id}/ban-list`).
    url: String,
    /// An API token of the other Steward (a viewer's is enough), sent as a
    /// Bearer token: only over `https://`, or plain `http://` to this
    /// machine (`localhost`, `127.0.0.1`, `::1`).
    #[serde(default)]
    token: String,
}

/// Checks a subscription's URL and token; the trimmed pair.
pub(crate) fn check_subscription(url: &str, token: &str) -> Result<(String, String), ApiError> {
    ban_lists::check_source(url, token).map_err(source_error)
}

fn source_error(err: SourceError) -> ApiError {
    ApiError::bad_request("invalid_field", err.to_string()).with_field(err.field())
}

/// Follow another Steward's list. The first fetch happens with the next
/// round of the sync worker, or at once with `.../sync`.
#[utoipa::path(post, path = "/api/v1/communities/{community}/ban-list/subscriptions", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name")),
    request_body = NewSubscription,
    responses((status = 201, body = SubscriptionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn subscribe(
    State(state): State<AppState>,
    caller: Caller,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<NewSubscription>,
) -> Result<(StatusCode, Json<SubscriptionView>), ApiError> {
    caller.require(Permission::ManageGroups)?;
    let community = community(&state, &key).await?;
    let (url, token) = check_subscription(&body.url, &body.token)?;
    let Some(id) = state
        .pipeline
        .ban_list_subscribe(
            community.id,
            &url,
            &token,
            &caller.actor().label(),
            Utc::now(),
        )
        .await?
    else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_subscribed",
            "the community already follows this list",
        )
        .with_field("url"));
    };
    let found = state
        .store()
        .subscription(id)
        .await?
        .ok_or_else(|| ApiError::internal("a new subscription vanished"))?;
    Ok((StatusCode::CREATED, Json(found.into())))
}

/// Stop following a list; the entries that came through it are dropped
/// (bans already made stay).
#[utoipa::path(delete, path = "/api/v1/communities/{community}/ban-list/subscriptions/{id}", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name"), ("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn unsubscribe(
    State(state): State<AppState>,
    caller: Caller,
    Path((key, id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    caller.require(Permission::ManageGroups)?;
    let community = community(&state, &key).await?;
    if state
        .pipeline
        .ban_list_unsubscribe(community.id, id, &caller.actor().label(), Utc::now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(no_subscription(id))
    }
}

fn no_subscription(id: i64) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no subscription {id} in this community"),
    )
}

/// What a sync did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SyncView {
    /// Entries on the fetched list.
    fetched: usize,
    /// Entries new to the community's list.
    added: usize,
    /// Entries the source dropped, taken off.
    removed: usize,
    /// Bans queued.
    bans: usize,
    /// Bans not made because the account is staff or Steward there.
    spared: usize,
}

/// Fetch a subscribed list now and merge it. A fetch that fails is
/// recorded on the subscription and answered with 502; redirects are not
/// followed, and the error says what went wrong in Steward's own words
/// (the HTTP status, never the other side's body).
#[utoipa::path(post, path = "/api/v1/communities/{community}/ban-list/subscriptions/{id}/sync", tag = "ban-lists",
    params(("community" = String, Path, description = "The community's id or name"), ("id" = i64, Path)),
    responses((status = 200, body = SyncView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 502, body = ErrorBody)),
    security(("api_token" = []), ("session" = [])))]
async fn sync_now(
    State(state): State<AppState>,
    caller: Caller,
    Path((key, id)): Path<(String, i64)>,
) -> Result<Json<SyncView>, ApiError> {
    caller.require(Permission::Ban)?;
    let community = community(&state, &key).await?;
    let subscription = state
        .store()
        .subscription(id)
        .await?
        .filter(|s| s.community == community.id)
        .ok_or_else(|| no_subscription(id))?;
    let client = ban_lists::http_client();
    match ban_lists::sync_subscription(&state.pipeline, &client, &subscription).await {
        Ok(outcome) => Ok(Json(SyncView {
            fetched: outcome.fetched,
            added: outcome.added,
            removed: outcome.removed,
            bans: outcome.bans,
            spared: outcome.spared,
        })),
        Err(SyncError::Pipeline(err)) => Err(err.into()),
        Err(err) => Err(ApiError::new(
            StatusCode::BAD_GATEWAY,
            "sync_failed",
            err.to_string(),
        )),
    }
}
