//! The raffles page (抽奖): every raffle with its status; a form to open
//! one (group, title, prize, winners, end time in the group's time zone,
//! who may enter); a raffle's own page with its rules, entries, the seed's
//! hash, and after the draw the seed, the entry list's digest, the winners
//! and the verification file (`/raffles/{id}/verify.json`, what `steward
//! raffle verify` reads). Opening and closing early need `ManageGroups`;
//! both are audited (by the pipeline, which also posts to the group).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use fluent_bundle::FluentValue;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::raffle::Eligibility;
use steward_core::{GroupId, Permission};
use steward_runtime::{
    MAX_RAFFLE_PRIZE, MAX_RAFFLE_TITLE, MAX_RAFFLE_WINNERS, RaffleError, RaffleSpec,
};
use steward_storage::entities::GroupSummary;
use steward_storage::raffles::Raffle;

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Raffles the list shows.
const LIST: i64 = 200;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/raffles", get(page).post(create))
        .route("/raffles/{id}", get(raffle_page))
        .route("/raffles/{id}/close", post(close))
        .route("/raffles/{id}/verify.json", get(verification))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    notice: Option<String>,
}

fn group_label(groups: &[GroupSummary], group: GroupId) -> String {
    groups
        .iter()
        .find(|g| g.group.id == group)
        .map_or_else(|| format!("#{}", group.0), |g| group_name(&g.group))
}

fn status(dash: &Dash, raffle: &Raffle) -> String {
    dash.t(if raffle.is_open() {
        "raffles-open"
    } else {
        "raffles-drawn"
    })
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let raffles = state.store().raffles(None, LIST).await?;
    let manage = dash.can(Permission::ManageGroups);
    let title = dash.t("raffles-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("raffles-intro")) }
            section.card aria-labelledby="raffles-list-h" {
                h2 #raffles-list-h { (dash.t("raffles-list")) }
                @if raffles.is_empty() {
                    p.muted { (dash.t("raffles-none")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("raffles-name")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("raffles-ends")) }
                            th scope="col" { (dash.t("raffles-winners")) }
                            th scope="col" { (dash.t("raffles-status")) }
                        } }
                        tbody {
                            @for r in &raffles {
                                tr {
                                    td { a href=(format!("/raffles/{}", r.id)) { (r.title) } }
                                    td { (group_label(&groups, r.group)) }
                                    td { (when(r.ends)) " UTC" }
                                    td { (r.winners) }
                                    td { (status(&dash, r)) }
                                }
                            }
                        }
                    } }
                }
            }
            @if manage && !groups.is_empty() {
                section.card aria-labelledby="raffles-new-h" {
                    h2 #raffles-new-h { (dash.t("raffles-new")) }
                    form.stack method="post" action="/raffles" {
                        (dash.csrf_field())
                        label for="raffle-group" { (dash.t("group")) }
                        select #raffle-group name="group" {
                            @for summary in &groups {
                                option value=(summary.group.id.0) { (group_name(&summary.group)) }
                            }
                        }
                        label for="raffle-title" { (dash.t("raffles-name")) }
                        input #raffle-title type="text" name="title" required maxlength=(MAX_RAFFLE_TITLE);
                        label for="raffle-prize" { (dash.t("raffles-prize")) }
                        input #raffle-prize type="text" name="prize" required maxlength=(MAX_RAFFLE_PRIZE);
                        label for="raffle-winners" { (dash.t("raffles-winners")) }
                        input #raffle-winners type="number" name="winners" required min="1" max=(MAX_RAFFLE_WINNERS) value="1";
                        label for="raffle-ends" { (dash.t("raffles-ends")) }
                        input #raffle-ends type="datetime-local" name="ends" required aria-describedby="raffle-ends-hint";
                        small #raffle-ends-hint .muted { (dash.t("raffles-ends-hint")) }
                        fieldset {
                            legend { (dash.t("raffles-eligibility")) }
                            label for="raffle-min-messages" { (dash.t("raffles-min-messages")) }
                            input #raffle-min-messages type="number" name="min_messages" min="0" value="0";
                            label for="raffle-message-days" { (dash.t("raffles-message-days")) }
                            input #raffle-message-days type="number" name="message_days" min="0" value="7";
                            label for="raffle-member-days" { (dash.t("raffles-member-days")) }
                            input #raffle-member-days type="number" name="min_member_days" min="0" value="0";
                            label for="raffle-min-points" { (dash.t("raffles-min-points")) }
                            input #raffle-min-points type="number" name="min_points" min="0" value="0";
                            label for="raffle-cost" { (dash.t("raffles-cost")) }
                            input #raffle-cost type="number" name="entry_cost" min="0" value="0";
                        }
                        div.actions { button type="submit" { (dash.t("raffles-create")) } }
                    }
                }
            }
        },
    ))
}

fn rules_list(dash: &Dash, rules: &Eligibility) -> Markup {
    let n = |v: i64| -> FluentValue<'static> { v.into() };
    html! {
        @if *rules == Eligibility::default() {
            p { (dash.t("raffles-everyone")) }
        } @else {
            ul {
                @if rules.min_messages > 0 {
                    li { (dash.ta("raffles-rule-messages", &[("count", n(i64::from(rules.min_messages))), ("days", n(i64::from(rules.message_days)))])) }
                }
                @if rules.min_member_days > 0 {
                    li { (dash.ta("raffles-rule-member-days", &[("days", n(i64::from(rules.min_member_days)))])) }
                }
                @if rules.min_points > 0 {
                    li { (dash.ta("raffles-rule-points", &[("points", n(rules.min_points))])) }
                }
                @if rules.entry_cost > 0 {
                    li { (dash.ta("raffles-rule-cost", &[("points", n(rules.entry_cost))])) }
                }
            }
        }
    }
}

async fn raffle_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let Some(raffle) = state.store().raffle(id).await? else {
        return Err(dash.not_found());
    };
    let groups = state.store().list_groups().await?;
    let entries = state.store().raffle_entries(id).await?;
    let manage = dash.can(Permission::ManageGroups);
    let title = dash.ta(
        "raffles-raffle-title",
        &[("name", raffle.title.as_str().into())],
    );
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p { a href="/raffles" { "← " (dash.t("nav-raffles")) } }
            section.card aria-labelledby="raffle-facts-h" {
                h2 #raffle-facts-h { (dash.t("raffles-facts")) }
                dl {
                    dt { (dash.t("group")) } dd { (group_label(&groups, raffle.group)) }
                    dt { (dash.t("raffles-prize")) } dd { (raffle.prize) }
                    dt { (dash.t("raffles-winners")) } dd { (raffle.winners) }
                    dt { (dash.t("raffles-ends")) } dd { (when(raffle.ends)) " UTC" }
                    dt { (dash.t("raffles-status")) } dd { (status(&dash, &raffle)) }
                    dt { (dash.t("raffles-entries")) } dd { (entries.len()) }
                    dt { (dash.t("raffles-seed-hash")) } dd { code { (raffle.seed_hash) } }
                    @if !raffle.is_open() {
                        dt { (dash.t("raffles-seed")) } dd { code { (raffle.seed) } }
                        @if let Some(digest) = &raffle.entries_digest {
                            dt { (dash.t("raffles-digest")) } dd { code { (digest) } }
                        }
                        @if let Some(at) = raffle.drawn_at {
                            dt { (dash.t("raffles-drawn-at")) } dd { (when(at)) " UTC" }
                        }
                    }
                }
                h3 { (dash.t("raffles-eligibility")) }
                (rules_list(&dash, &raffle.eligibility))
                p {
                    a href=(format!("/raffles/{id}/verify.json")) download=(format!("raffle-{id}.json")) { (dash.t("raffles-download")) }
                    " " span.muted { (dash.t("raffles-verify-hint")) }
                }
                @if manage && raffle.is_open() {
                    form.inline method="post" action=(format!("/raffles/{id}/close")) {
                        (dash.csrf_field())
                        button.danger type="submit" { (dash.t("raffles-close")) }
                    }
                }
            }
            @if !raffle.is_open() {
                section.card aria-labelledby="raffle-winners-h" {
                    h2 #raffle-winners-h { (dash.t("raffles-winners-list")) }
                    @if raffle.drawn_winners.is_empty() {
                        p.muted { (dash.t("raffles-no-entries")) }
                    } @else {
                        ol {
                            @for w in &raffle.drawn_winners {
                                @let entry = entries.iter().find(|e| &e.platform_id == w);
                                li {
                                    @match entry {
                                        Some(e) => {
                                            a href=(format!("/members/{}", e.member.0)) { (e.name.clone().unwrap_or_else(|| w.clone())) }
                                            " " span.muted { "(" (w) ")" }
                                        }
                                        None => { (w) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="raffle-entries-h" {
                h2 #raffle-entries-h { (dash.t("raffles-entries")) }
                @if entries.is_empty() {
                    p.muted { (dash.t("raffles-no-entries")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("member")) }
                            th scope="col" { (dash.t("raffles-platform-id")) }
                            th scope="col" { (dash.t("raffles-entered-at")) }
                        } }
                        tbody {
                            @for e in &entries {
                                tr {
                                    td { a href=(format!("/members/{}", e.member.0)) { (e.name.clone().unwrap_or_default()) } }
                                    td { code { (e.platform_id) } }
                                    td { (when(e.at)) }
                                }
                            }
                        }
                    } }
                }
            }
        },
    ))
}

async fn verification(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    dash.require(Permission::View)?;
    let Some(published) = state.store().raffle_published(id).await? else {
        return Err(dash.not_found());
    };
    let json =
        serde_json::to_string_pretty(&published).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"raffle-{id}.json\""),
            ),
        ],
        json + "\n",
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct RaffleForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    prize: String,
    #[serde(default)]
    winners: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    min_messages: String,
    #[serde(default)]
    message_days: String,
    #[serde(default)]
    min_member_days: String,
    #[serde(default)]
    min_points: String,
    #[serde(default)]
    entry_cost: String,
}

/// A whole number from a form field; empty is zero.
fn number<T: std::str::FromStr + Default>(text: &str) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        return Some(T::default());
    }
    text.parse().ok()
}

async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<RaffleForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let bad = |key: &str| dash.bad_request(&dash.t(key));
    let group = GroupId(
        form.group
            .trim()
            .parse()
            .map_err(|_| bad("raffles-bad-group"))?,
    );
    if !state
        .store()
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(bad("raffles-bad-group"));
    }
    let winners: u32 = number(&form.winners)
        .filter(|w| (1..=MAX_RAFFLE_WINNERS).contains(w))
        .ok_or_else(|| bad("raffles-bad-winners"))?;
    let eligibility = Eligibility {
        min_messages: number(&form.min_messages).ok_or_else(|| bad("raffles-bad-rules"))?,
        message_days: number(&form.message_days).ok_or_else(|| bad("raffles-bad-rules"))?,
        min_member_days: number(&form.min_member_days).ok_or_else(|| bad("raffles-bad-rules"))?,
        min_points: number::<i64>(&form.min_points)
            .filter(|p| *p >= 0)
            .ok_or_else(|| bad("raffles-bad-rules"))?,
        entry_cost: number::<i64>(&form.entry_cost)
            .filter(|p| *p >= 0)
            .ok_or_else(|| bad("raffles-bad-rules"))?,
    };
    // The end time is typed in the group's time zone.
    let ends = super::since::group_time(&state, group, &form.ends)
        .await?
        .ok_or_else(|| bad("raffles-bad-ends"))?;
    let now = Utc::now();
    if ends <= now {
        return Err(bad("raffles-bad-ends"));
    }
    let spec = RaffleSpec {
        group,
        title: form.title.trim().to_owned(),
        prize: form.prize.trim().to_owned(),
        winners,
        ends,
        eligibility,
    };
    let actor = format!("user:{}", dash.user.name);
    let id = match state.pipeline.open_raffle(&spec, &actor, now).await {
        Ok(id) => id,
        Err(RaffleError::Invalid("title")) => return Err(bad("raffles-bad-title")),
        Err(RaffleError::Invalid("prize")) => return Err(bad("raffles-bad-prize")),
        Err(RaffleError::Invalid(_)) => return Err(bad("raffles-bad-rules")),
        Err(RaffleError::NotFound) => return Err(bad("raffles-bad-group")),
        Err(err) => return Err(PageError::Internal(err.to_string())),
    };
    Ok(Redirect::to(&format!("/raffles/{id}?notice=notice-saved")).into_response())
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let actor = format!("user:{}", dash.user.name);
    match state.pipeline.close_raffle(id, &actor, Utc::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/raffles/{id}?notice=notice-saved")).into_response()),
        Err(RaffleError::NotFound) => Err(dash.not_found()),
        Err(err) => Err(PageError::Internal(err.to_string())),
    }
}
