//! The referrals page (裂变): who brought newcomers into a group (all-time
//! leaderboard per group), referral campaigns with a start and an end and
//! their own leaderboards, and the latest attributed joins, counted or not
//! and why. Campaigns are created, ended and deleted by those who manage
//! groups (`ManageGroups`); everyone who may view sees the boards.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::audit::AuditKind;
use steward_core::{GroupId, Permission};
use steward_storage::audit::NewAudit;
use steward_storage::entities::GroupSummary;
use steward_storage::referrals::{Campaign, Leader, NewCampaign, Referral, Scope};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Referrers a leaderboard shows.
const TOP: i64 = 50;
/// Attributed joins the recent list shows.
const RECENT: i64 = 100;
/// The longest campaign name.
const MAX_NAME: usize = 100;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/referrals", get(page))
        .route("/referrals/campaigns", post(create))
        .route("/referrals/campaigns/{id}", get(campaign_page))
        .route("/referrals/campaigns/{id}/end", post(end))
        .route("/referrals/campaigns/{id}/delete", post(delete))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    group: Option<String>,
    notice: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let chosen = match query.group.as_deref().map(str::trim) {
        None | Some("") => groups.first().map(|g| g.group.id),
        Some(text) => {
            Some(GroupId(text.parse().map_err(|_| {
                dash.bad_request(&dash.t("referrals-bad-group"))
            })?))
        }
    };
    let leaders = match chosen {
        Some(group) => {
            state
                .store()
                .referral_leaderboard(Scope::Group(group), None, None, TOP)
                .await?
        }
        None => Vec::new(),
    };
    let campaigns = state.store().campaigns().await?;
    let recent = state.store().recent_referrals(chosen, RECENT).await?;
    let manage = dash.can(Permission::ManageGroups);
    let now = Utc::now();
    let title = dash.t("referrals-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("referrals-intro")) }
            form.filters method="get" action="/referrals" {
                label for="referrals-group" {
                    (dash.t("group"))
                    select #referrals-group name="group" {
                        @for summary in &groups {
                            option value=(summary.group.id.0) selected[chosen == Some(summary.group.id)] { (group_name(&summary.group)) }
                        }
                    }
                }
                button type="submit" { (dash.t("filter")) }
            }
            section.card aria-labelledby="referrals-board-h" {
                h2 #referrals-board-h { (dash.t("referrals-leaderboard")) }
                (board(&dash, &leaders))
            }
            section.card aria-labelledby="referrals-campaigns-h" {
                h2 #referrals-campaigns-h { (dash.t("referrals-campaigns")) }
                @if campaigns.is_empty() {
                    p.muted { (dash.t("referrals-no-campaigns")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("referrals-campaign-name")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("referrals-starts")) }
                            th scope="col" { (dash.t("referrals-ends")) }
                            th scope="col" { (dash.t("referrals-status")) }
                            @if manage { th scope="col" { span.sr-only { (dash.t("referrals-actions")) } } }
                        } }
                        tbody {
                            @for c in &campaigns {
                                tr {
                                    td { a href=(format!("/referrals/campaigns/{}", c.id)) { (c.name) } }
                                    td { (scope_name(&dash, &groups, c)) }
                                    td { (when(c.starts)) }
                                    td { (when(c.ends)) }
                                    td { (status(&dash, c, now)) }
                                    @if manage {
                                        td.actions {
                                            @if c.ends > now {
                                                form.inline method="post" action=(format!("/referrals/campaigns/{}/end", c.id)) {
                                                    (dash.csrf_field())
                                                    button.secondary type="submit" { (dash.t("referrals-end")) }
                                                }
                                            }
                                            form.inline method="post" action=(format!("/referrals/campaigns/{}/delete", c.id)) {
                                                (dash.csrf_field())
                                                button.danger type="submit" { (dash.t("referrals-delete")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
                @if manage && !groups.is_empty() {
                    h3 { (dash.t("referrals-new-campaign")) }
                    form.stack method="post" action="/referrals/campaigns" {
                        (dash.csrf_field())
                        label for="campaign-name" { (dash.t("referrals-campaign-name")) }
                        input #campaign-name type="text" name="name" required maxlength=(MAX_NAME);
                        label for="campaign-group" { (dash.t("group")) }
                        select #campaign-group name="group" {
                            @for summary in &groups {
                                option value=(summary.group.id.0) selected[chosen == Some(summary.group.id)] { (group_name(&summary.group)) }
                            }
                        }
                        label for="campaign-starts" { (dash.t("referrals-starts")) }
                        input #campaign-starts type="date" name="starts" required value=(now.format("%Y-%m-%d"));
                        label for="campaign-ends" { (dash.t("referrals-ends")) }
                        input #campaign-ends type="date" name="ends" required aria-describedby="campaign-ends-hint";
                        small #campaign-ends-hint .muted { (dash.t("referrals-dates-hint")) }
                        div.actions { button type="submit" { (dash.t("referrals-create")) } }
                    }
                }
            }
            section.card aria-labelledby="referrals-recent-h" {
                h2 #referrals-recent-h { (dash.t("referrals-recent")) }
                (recent_table(&dash, &recent))
            }
        },
    ))
}

async fn campaign_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let Some(campaign) = state.store().campaign(id).await? else {
        return Err(dash.not_found());
    };
    let groups = state.store().list_groups().await?;
    let leaders = state.store().campaign_leaderboard(&campaign, TOP).await?;
    let title = dash.ta(
        "referrals-campaign-title",
        &[("name", campaign.name.as_str().into())],
    );
    Ok(dash.page(
        &title,
        html! {
            p { a href="/referrals" { "← " (dash.t("nav-referrals")) } }
            p {
                (scope_name(&dash, &groups, &campaign)) " · "
                (when(campaign.starts)) " – " (when(campaign.ends)) " · "
                (status(&dash, &campaign, Utc::now()))
            }
            section.card aria-labelledby="campaign-board-h" {
                h2 #campaign-board-h { (dash.t("referrals-leaderboard")) }
                (board(&dash, &leaders))
            }
        },
    ))
}

/// A leaderboard table.
fn board(dash: &Dash, leaders: &[Leader]) -> Markup {
    html! {
        @if leaders.is_empty() {
            p.muted { (dash.t("referrals-no-referrals")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (dash.t("member")) }
                    th scope="col" { (dash.t("referrals-count")) }
                } }
                tbody {
                    @for (i, leader) in leaders.iter().enumerate() {
                        tr {
                            td { (i + 1) }
                            td { a href=(format!("/members/{}", leader.member.id.0)) { (leader.member.label()) } }
                            td { (leader.count) }
                        }
                    }
                }
            } }
        }
    }
}

/// The latest attributed joins.
fn recent_table(dash: &Dash, recent: &[Referral]) -> Markup {
    html! {
        @if recent.is_empty() {
            p.muted { (dash.t("referrals-no-referrals")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (dash.t("referrals-when")) }
                    th scope="col" { (dash.t("group")) }
                    th scope="col" { (dash.t("referrals-referrer")) }
                    th scope="col" { (dash.t("referrals-newcomer")) }
                    th scope="col" { (dash.t("referrals-counted")) }
                } }
                tbody {
                    @for r in recent {
                        tr {
                            td { (when(r.at)) }
                            td { (r.group_title.clone().unwrap_or_else(|| format!("#{}", r.group.0))) }
                            td {
                                a href=(format!("/members/{}", r.referrer.id.0)) { (r.referrer.label()) }
                                " " span.muted { (dash.t(if r.source == "link" { "referrals-by-link" } else { "referrals-by-adding" })) }
                            }
                            td { a href=(format!("/members/{}", r.newcomer.id.0)) { (r.newcomer.label()) } }
                            td {
                                @if r.counted {
                                    span.tag { (dash.t("referrals-yes")) }
                                } @else {
                                    span.tag.muted { (dash.t("referrals-no")) }
                                    " " (dash.t(&format!("referrals-why-{}", r.reason.as_deref().unwrap_or("unknown").replace('_', "-"))))
                                }
                            }
                        }
                    }
                }
            } }
        }
    }
}

fn scope_name(dash: &Dash, groups: &[GroupSummary], campaign: &Campaign) -> String {
    if let Some(group) = campaign.group {
        return groups
            .iter()
            .find(|g| g.group.id == group)
            .map_or_else(|| format!("#{}", group.0), |g| group_name(&g.group));
    }
    let community = campaign.community.map(|c| c.0);
    groups
        .iter()
        .find(|g| g.group.community.map(|c| c.0) == community)
        .and_then(|g| g.community_name.clone())
        .unwrap_or_else(|| dash.t("referrals-community"))
}

fn status(dash: &Dash, campaign: &Campaign, now: DateTime<Utc>) -> String {
    let key = if campaign.running(now) {
        "referrals-running"
    } else if campaign.starts > now {
        "referrals-upcoming"
    } else {
        "referrals-ended"
    };
    dash.t(key)
}

#[derive(Debug, Deserialize)]
struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
}

/// The window the form asks for: from the start of `starts` to the end of
/// `ends`, both days included, in the group's time zone (`zone`).
fn window(
    starts: &str,
    ends: &str,
    zone: chrono::FixedOffset,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let shift = Duration::seconds(i64::from(zone.local_minus_utc()));
    let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let starts = (day(starts)?.and_hms_opt(0, 0, 0)? - shift).and_utc();
    let ends = (day(ends)?.and_hms_opt(0, 0, 0)? - shift).and_utc() + Duration::days(1);
    (ends > starts).then_some((starts, ends))
}

async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<CampaignForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(dash.bad_request(&dash.t("referrals-bad-name")));
    }
    let group = GroupId(
        form.group
            .trim()
            .parse()
            .map_err(|_| dash.bad_request(&dash.t("referrals-bad-group")))?,
    );
    if !state
        .store()
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(dash.bad_request(&dash.t("referrals-bad-group")));
    }
    let zone = super::since::group_zone(&state, group).await?;
    let (starts, ends) = window(&form.starts, &form.ends, zone)
        .ok_or_else(|| dash.bad_request(&dash.t("referrals-bad-dates")))?;
    let actor = format!("user:{}", dash.user.name);
    let now = Utc::now();
    let id = state
        .store()
        .create_campaign(&NewCampaign {
            group: Some(group),
            community: None,
            name,
            starts,
            ends,
            created_by: &actor,
            at: now,
        })
        .await?;
    audit(
        &state,
        &actor,
        AuditKind::CampaignCreated,
        Some(group),
        id,
        format!("{name}: {} – {}", when(starts), when(ends)),
    )
    .await?;
    Ok(Redirect::to(&format!("/referrals?group={}&notice=notice-saved", group.0)).into_response())
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn end(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(campaign) = state.store().campaign(id).await? else {
        return Err(dash.not_found());
    };
    let now = Utc::now();
    if state.store().end_campaign(id, now).await? {
        let actor = format!("user:{}", dash.user.name);
        audit(
            &state,
            &actor,
            AuditKind::CampaignEnded,
            campaign.group,
            id,
            campaign.name.clone(),
        )
        .await?;
    }
    Ok(Redirect::to("/referrals?notice=notice-saved").into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, _): DashForm<Empty>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let Some(campaign) = state.store().campaign(id).await? else {
        return Err(dash.not_found());
    };
    if state.store().delete_campaign(id).await? {
        let actor = format!("user:{}", dash.user.name);
        audit(
            &state,
            &actor,
            AuditKind::CampaignDeleted,
            campaign.group,
            id,
            campaign.name.clone(),
        )
        .await?;
    }
    Ok(Redirect::to("/referrals?notice=notice-saved").into_response())
}

async fn audit(
    state: &AppState,
    actor: &str,
    kind: AuditKind,
    group: Option<GroupId>,
    campaign: i64,
    reason: String,
) -> Result<(), PageError> {
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: actor.to_owned(),
            action: kind.as_str().to_owned(),
            group,
            target: Some(format!("campaign:{campaign}")),
            reason: Some(reason),
            ..NewAudit::default()
        })
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaign_dates_include_both_days() {
        let utc = chrono::FixedOffset::east_opt(0).unwrap();
        let (starts, ends) = window("2026-03-01", "2026-03-31", utc).unwrap();
        assert_eq!(starts.to_rfc3339(), "2026-03-01T00:00:00+00:00");
        assert_eq!(ends.to_rfc3339(), "2026-04-01T00:00:00+00:00");
        assert!(window("2026-03-01", "2026-03-01", utc).is_some());
        assert!(window("2026-03-02", "2026-03-01", utc).is_none());
        assert!(window("March", "2026-03-01", utc).is_none());
        // Days in Shanghai start eight hours before UTC's.
        let shanghai = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        let (starts, ends) = window("2026-03-01", "2026-03-31", shanghai).unwrap();
        assert_eq!(starts.to_rfc3339(), "2026-02-28T16:00:00+00:00");
        assert_eq!(ends.to_rfc3339(), "2026-03-31T16:00:00+00:00");
    }
}
