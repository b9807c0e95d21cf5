//! The "Ban list" page of each community: the accounts banned in every
//! group of the community (search, add, remove), export and import in the
//! exchange format, and the other Stewards' lists the community follows.
//!
//! Reading needs `view`; adding, removing, importing and "sync now" need
//! `ban`; subscribing and unsubscribing need `manage_groups`. Changes go
//! through the pipeline, like the API's (`routes::ban_lists`). What is
//! wrong with an entry, a file or a subscription is said in the reader's
//! language (`banlist-problem-*`); who added an entry is shown here, to the
//! team, and is not part of the export.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::model::Community;
use steward_core::{Permission, Platform};
use steward_runtime::ban_lists::{self, FormatError, SourceError, SyncError};

use super::page::{Dash, DashForm, PageError, notice, urlencode, when};
use crate::AppState;
use crate::routes::ban_lists::import_entries;

/// Most entries shown at once.
const SHOWN: i64 = 500;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/ban-lists", get(index))
        .route("/ban-lists/{community}", get(page))
        .route("/ban-lists/{community}/export", get(export))
        .route("/ban-lists/{community}/add", post(add))
        .route("/ban-lists/{community}/remove", post(remove))
        .route("/ban-lists/{community}/import", post(import))
        .route("/ban-lists/{community}/subscriptions", post(subscribe))
        .route(
            "/ban-lists/{community}/subscriptions/{id}/remove",
            post(unsubscribe),
        )
        .route(
            "/ban-lists/{community}/subscriptions/{id}/sync",
            post(sync_now),
        )
}

async fn index(State(state): State<AppState>, dash: Dash) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let communities = state.store().communities().await?;
    let title = dash.t("banlist-title");
    Ok(dash.page(
        &title,
        html! {
            p.muted { (dash.t("banlist-intro")) }
            @if communities.is_empty() {
                p.muted { (dash.t("banlist-no-communities")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th { (dash.t("banlist-community")) }
                        th { (dash.t("banlist-groups")) }
                        th { (dash.t("banlist-entries")) }
                        th { (dash.t("banlist-subscriptions")) }
                    } }
                    tbody {
                        @for c in &communities {
                            tr {
                                td { a href=(format!("/ban-lists/{}", c.community.id.0)) { (c.community.name) } }
                                td { (c.groups) }
                                td { (c.entries) }
                                td { (c.subscriptions) }
                            }
                        }
                    }
                } }
            }
        },
    ))
}

async fn load(state: &AppState, dash: &Dash, raw: &str) -> Result<Community, PageError> {
    let Ok(id) = raw.parse::<i64>() else {
        return Err(dash.not_found());
    };
    state
        .store()
        .find_community(&id.to_string())
        .await?
        .filter(|c| c.id.0 == id)
        .ok_or_else(|| dash.not_found())
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    q: Option<String>,
    notice: Option<String>,
    added: Option<usize>,
    already: Option<usize>,
    bans: Option<usize>,
    spared: Option<usize>,
    removed: Option<usize>,
}

/// What the import form shows again after a bad file.
#[derive(Debug, Default)]
struct ImportDraft {
    text: String,
    error: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Path(raw): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let community = load(&state, &dash, &raw).await?;
    render(&state, &dash, &community, &query, &ImportDraft::default()).await
}

async fn render(
    state: &AppState,
    dash: &Dash,
    community: &Community,
    query: &PageQuery,
    draft: &ImportDraft,
) -> Result<Markup, PageError> {
    let search = query.q.as_deref().map(str::trim).unwrap_or_default();
    let entries = state
        .store()
        .ban_entries(community.id, Some(search), SHOWN)
        .await?;
    let subscriptions = state.store().subscriptions(Some(community.id)).await?;
    let may_ban = dash.can(Permission::Ban);
    let may_subscribe = dash.can(Permission::ManageGroups);
    let base = format!("/ban-lists/{}", community.id.0);
    let title = dash.ta(
        "banlist-page-title",
        &[("community", community.name.as_str().into())],
    );
    let counts = match (query.added, query.already, query.bans, query.removed) {
        (Some(added), already, bans, removed) => Some(dash.ta(
            "banlist-merged",
            &[
                ("added", added.into()),
                ("already", already.unwrap_or(0).into()),
                ("bans", bans.unwrap_or(0).into()),
                ("spared", query.spared.unwrap_or(0).into()),
                ("removed", removed.unwrap_or(0).into()),
            ],
        )),
        _ => None,
    };
    Ok(dash.page(
        &title,
        html! {
            p { a href="/ban-lists" { "← " (dash.t("banlist-title")) } }
            (notice(dash, query.notice.as_deref()))
            @if let Some(counts) = counts {
                p.notice role="status" { (counts) }
            }
            p.muted { (dash.t("banlist-page-intro")) }

            section.card aria-labelledby="entries-h" {
                h2 #entries-h { (dash.t("banlist-entries")) }
                form.filters method="get" action=(base) {
                    label for="banlist-q" {
                        (dash.t("search"))
                        input #banlist-q type="search" name="q" value=(search) maxlength="200";
                    }
                    button type="submit" { (dash.t("search")) }
                }
                p role="status" { (dash.ta("banlist-count", &[("count", entries.len().into())])) }
                @if !entries.is_empty() {
                    div.table-wrap { table {
                        thead { tr {
                            th { (dash.t("banlist-account")) }
                            th { (dash.t("reason")) }
                            th.hide-narrow { (dash.t("banlist-source")) }
                            th.hide-narrow { (dash.t("banlist-added")) }
                            @if may_ban { th { (dash.t("actions")) } }
                        } }
                        tbody {
                            @for entry in &entries {
                                tr {
                                    td { span.tag { (entry.platform.as_str()) } " " code { (entry.account) } }
                                    td { (entry.reason) }
                                    td.hide-narrow { (dash.t(&format!("banlist-source-{}", entry.source.as_str()))) }
                                    td.hide-narrow { (when(entry.added_at)) " · " span.muted { (entry.added_by) } }
                                    @if may_ban {
                                        td {
                                            form.inline method="post" action=(format!("{base}/remove")) {
                                                (dash.csrf_field())
                                                input type="hidden" name="entry" value=(entry.id);
                                                label {
                                                    input type="checkbox" name="unban" value="on";
                                                    " " (dash.t("banlist-unban-too"))
                                                }
                                                button.danger type="submit" data-confirm=(dash.t("banlist-remove-confirm")) { (dash.t("banlist-remove")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                @if may_ban {
                    h3 { (dash.t("banlist-add")) }
                    p.muted { (dash.t("banlist-add-help")) }
                    form.inline method="post" action=(format!("{base}/add")) {
                        (dash.csrf_field())
                        div.field {
                            label for="banlist-platform" { (dash.t("banlist-platform")) }
                            select #banlist-platform name="platform" {
                                @for platform in Platform::ALL {
                                    option value=(platform.as_str()) { (platform.as_str()) }
                                }
                            }
                        }
                        div.field {
                            label for="banlist-account" { (dash.t("banlist-account")) }
                            input #banlist-account name="account" required maxlength=(ban_lists::MAX_ACCOUNT_CHARS);
                        }
                        div.field {
                            label for="banlist-reason" { (dash.t("reason")) }
                            input #banlist-reason name="reason" maxlength=(ban_lists::MAX_REASON_CHARS);
                        }
                        button.danger type="submit" { (dash.t("banlist-add-submit")) }
                    }
                }
            }

            section.card aria-labelledby="exchange-h" {
                h2 #exchange-h { (dash.t("banlist-exchange")) }
                p { a href=(format!("{base}/export")) download { (dash.t("banlist-export")) } }
                p.muted { (dash.ta("banlist-export-help", &[("url", format!("{}/api/v1/communities/{}/ban-list", state.public_url, community.id.0).into())])) }
                @if may_ban {
                    form.stack method="post" action=(format!("{base}/import")) {
                        (dash.csrf_field())
                        label for="banlist-import" { (dash.t("banlist-import-label")) }
                        textarea #banlist-import name="list" rows="10" spellcheck="false" required { (draft.text) }
                        @if let Some(error) = &draft.error {
                            p.notice.error role="alert" { (error) }
                        }
                        p.muted { (dash.t("banlist-import-help")) }
                        button type="submit" { (dash.t("banlist-import")) }
                    }
                }
            }

            section.card aria-labelledby="subs-h" {
                h2 #subs-h { (dash.t("banlist-subscriptions")) }
                p.muted { (dash.t("banlist-subscriptions-help")) }
                @if subscriptions.is_empty() {
                    p.muted { (dash.t("none-yet")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th { (dash.t("banlist-url")) }
                            th { (dash.t("banlist-entries")) }
                            th { (dash.t("banlist-last-sync")) }
                            @if may_ban || may_subscribe { th { (dash.t("actions")) } }
                        } }
                        tbody {
                            @for sub in &subscriptions {
                                tr {
                                    td { code { (sub.url) } }
                                    td { (sub.entries) }
                                    td {
                                        @match (sub.last_sync_at, &sub.last_error) {
                                            (None, _) => span.muted { (dash.t("banlist-never-synced")) },
                                            (Some(at), None) => (dash.ta("banlist-synced-ok", &[("time", when(at).into())])),
                                            (Some(at), Some(error)) => span.error {
                                                (dash.ta("banlist-synced-failed", &[("time", when(at).into()), ("error", error.as_str().into())]))
                                            },
                                        }
                                    }
                                    @if may_ban || may_subscribe {
                                        td {
                                            @if may_ban {
                                                form.inline method="post" action=(format!("{base}/subscriptions/{}/sync", sub.id)) {
                                                    (dash.csrf_field())
                                                    button.secondary type="submit" { (dash.t("banlist-sync-now")) }
                                                }
                                            }
                                            @if may_subscribe {
                                                form.inline method="post" action=(format!("{base}/subscriptions/{}/remove", sub.id)) {
                                                    (dash.csrf_field())
                                                    button.danger type="submit" data-confirm=(dash.t("banlist-unsubscribe-confirm")) { (dash.t("banlist-unsubscribe")) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                @if may_subscribe {
                    form.inline method="post" action=(format!("{base}/subscriptions")) {
                        (dash.csrf_field())
                        div.field {
                            label for="banlist-sub-url" { (dash.t("banlist-url")) }
                            input #banlist-sub-url type="url" name="url" required maxlength="2000" placeholder="https://steward.example.org/api/v1/communities/1/ban-list";
                        }
                        div.field {
                            label for="banlist-sub-token" { (dash.t("banlist-token")) }
                            input #banlist-sub-token type="password" name="token" maxlength="500" autocomplete="off";
                        }
                        button type="submit" { (dash.t("banlist-subscribe")) }
                    }
                }
            }
        },
    ))
}

async fn export(
    State(state): State<AppState>,
    dash: Dash,
    Path(raw): Path<String>,
) -> Result<Response, PageError> {
    dash.require(Permission::View)?;
    let community = load(&state, &dash, &raw).await?;
    let entries = state.store().all_ban_entries(community.id).await?;
    let document = ban_lists::export(&community.name, &entries, Utc::now());
    let body =
        serde_json::to_string_pretty(&document).map_err(|e| PageError::Internal(e.to_string()))?;
    let file: String = community
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ban-list-{file}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// What is wrong with an entry or a list, in the reader's language.
fn problem(dash: &Dash, err: &FormatError) -> String {
    dash.ta(
        &format!("banlist-problem-{}", err.problem.code()),
        &[("field", err.field.as_str().into())],
    )
}

/// What is wrong with a subscription's URL or token, in the reader's
/// language.
fn source_problem(dash: &Dash, err: SourceError) -> String {
    dash.t(match err {
        SourceError::Url => "banlist-bad-url",
        SourceError::Token => "banlist-bad-token",
        SourceError::TokenOverHttp => "banlist-token-over-http",
    })
}

fn back(community: &Community, notice: &str) -> Redirect {
    Redirect::to(&format!(
        "/ban-lists/{}?notice={}",
        community.id.0,
        urlencode(notice)
    ))
}

#[derive(Debug, Deserialize)]
struct AddForm {
    platform: String,
    account: String,
    #[serde(default)]
    reason: String,
}

async fn add(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<AddForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let community = load(&state, &dash, &raw).await?;
    let entry = ban_lists::check_entry("", &form.platform, &form.account, &form.reason, None)
        .map_err(|e| dash.bad_request(&problem(&dash, &e)))?;
    let added = state
        .pipeline
        .ban_list_add(
            community.id,
            &entry,
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(if added.already {
        back(&community, "notice-banlist-already")
    } else {
        Redirect::to(&format!(
            "/ban-lists/{}?notice=notice-banlist-added&added=1&bans={}&spared={}",
            community.id.0, added.bans, added.spared
        ))
    })
}

#[derive(Debug, Deserialize)]
struct RemoveForm {
    entry: i64,
    unban: Option<String>,
}

async fn remove(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<RemoveForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let community = load(&state, &dash, &raw).await?;
    let removed = state
        .pipeline
        .ban_list_remove(
            community.id,
            form.entry,
            form.unban.is_some(),
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(back(
        &community,
        match removed {
            Some(_) => "notice-banlist-removed",
            None => "notice-banlist-gone",
        },
    ))
}

#[derive(Debug, Deserialize)]
struct ImportForm {
    list: String,
}

async fn import(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<ImportForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::Ban)?;
    let community = load(&state, &dash, &raw).await?;
    let entries = match ban_lists::parse(&form.list) {
        Ok(entries) => entries,
        Err(err) => {
            let draft = ImportDraft {
                error: Some(dash.ta(
                    "banlist-import-bad",
                    &[("problem", problem(&dash, &err).into())],
                )),
                text: form.list,
            };
            let page = render(&state, &dash, &community, &PageQuery::default(), &draft).await?;
            return Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let merged = import_entries(
        &state,
        &community,
        &entries,
        &format!("user:{}", dash.user.name),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/ban-lists/{}?notice=notice-banlist-imported&added={}&already={}&bans={}&spared={}",
        community.id.0, merged.added, merged.already, merged.bans, merged.spared
    ))
    .into_response())
}

#[derive(Debug, Deserialize)]
struct SubscribeForm {
    url: String,
    #[serde(default)]
    token: String,
}

async fn subscribe(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<SubscribeForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::ManageGroups)?;
    let community = load(&state, &dash, &raw).await?;
    let (url, token) = ban_lists::check_source(&form.url, &form.token)
        .map_err(|e| dash.bad_request(&source_problem(&dash, e)))?;
    let made = state
        .pipeline
        .ban_list_subscribe(
            community.id,
            &url,
            &token,
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(back(
        &community,
        if made.is_some() {
            "notice-banlist-subscribed"
        } else {
            "notice-banlist-already-subscribed"
        },
    ))
}

#[derive(Debug, Deserialize)]
struct EmptyForm {}

async fn unsubscribe(
    State(state): State<AppState>,
    Path((raw, id)): Path<(String, i64)>,
    DashForm(dash, _): DashForm<EmptyForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::ManageGroups)?;
    let community = load(&state, &dash, &raw).await?;
    let gone = state
        .pipeline
        .ban_list_unsubscribe(
            community.id,
            id,
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    if !gone {
        return Err(dash.not_found());
    }
    Ok(back(&community, "notice-banlist-unsubscribed"))
}

async fn sync_now(
    State(state): State<AppState>,
    Path((raw, id)): Path<(String, i64)>,
    DashForm(dash, _): DashForm<EmptyForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Ban)?;
    let community = load(&state, &dash, &raw).await?;
    let Some(subscription) = state
        .store()
        .subscription(id)
        .await?
        .filter(|s| s.community == community.id)
    else {
        return Err(dash.not_found());
    };
    let client = ban_lists::http_client();
    match ban_lists::sync_subscription(&state.pipeline, &client, &subscription).await {
        Ok(outcome) => Ok(Redirect::to(&format!(
            "/ban-lists/{}?notice=notice-banlist-synced&added={}&bans={}&spared={}&removed={}",
            community.id.0, outcome.added, outcome.bans, outcome.spared, outcome.removed
        ))),
        Err(SyncError::Pipeline(err)) => Err(PageError::Internal(err.to_string())),
        // The failure is recorded on the subscription and shown there.
        Err(_) => Ok(back(&community, "notice-banlist-sync-failed")),
    }
}
