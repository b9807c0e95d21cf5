//! The points page (积分): leaderboards of a group and of its community for
//! this week, this month or all time (periods in the group's time zone),
//! the latest entries of the points ledger with their reasons, and the
//! form to award or correct a member's points (`Moderate`; audited).

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::points::{Period, Reason};
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, MemberId, Permission};
use steward_storage::entities::GroupSummary;
use steward_storage::points::{PointsEntry, PointsLeader};
use steward_storage::referrals::Scope;

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, urlencode, when};
use crate::AppState;

/// Members a leaderboard shows.
const TOP: i64 = 20;
/// Ledger entries the page shows.
const RECENT: i64 = 100;
/// The most points one award gives or takes.
const MAX_AWARD: i64 = 1_000_000;
/// The longest note.
const MAX_NOTE: usize = 500;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/points", get(page))
        .route("/points/award", post(award))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    group: Option<String>,
    period: Option<String>,
    notice: Option<String>,
}

fn parse_group(dash: &Dash, raw: &str) -> Result<GroupId, PageError> {
    raw.trim()
        .parse()
        .map(GroupId)
        .map_err(|_| dash.bad_request(&dash.t("points-bad-group")))
}

/// A group's chat settings (defaults when unset or unreadable).
async fn chat_settings(state: &AppState, group: GroupId) -> Result<ChatSettings, PageError> {
    Ok(state
        .store()
        .group_settings_json(group)
        .await?
        .and_then(|json| serde_json::from_str::<ChatSettings>(&json).ok())
        .unwrap_or_default())
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
        Some(text) => Some(parse_group(&dash, text)?),
    };
    let period = query
        .period
        .as_deref()
        .and_then(Period::parse)
        .unwrap_or(Period::Week);
    let summary = chosen.and_then(|g| groups.iter().find(|s| s.group.id == g));
    if chosen.is_some() && summary.is_none() {
        return Err(dash.bad_request(&dash.t("points-bad-group")));
    }
    let (group_board, community_board, settings) = match summary {
        Some(s) => {
            let settings = chat_settings(&state, s.group.id).await?;
            let from = period.start(Utc::now(), settings.zone());
            let board = state
                .store()
                .points_leaderboard(Scope::Group(s.group.id), from, TOP)
                .await?;
            let community = match s.group.community {
                Some(c) => Some(
                    state
                        .store()
                        .points_leaderboard(Scope::Community(c), from, TOP)
                        .await?,
                ),
                None => None,
            };
            (board, community, settings)
        }
        None => (Vec::new(), None, ChatSettings::default()),
    };
    let recent = state.store().recent_points(chosen, RECENT).await?;
    let title = dash.t("points-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("points-intro")) }
            form.filters method="get" action="/points" {
                label for="points-group" {
                    (dash.t("group"))
                    select #points-group name="group" {
                        @for s in &groups {
                            option value=(s.group.id.0) selected[chosen == Some(s.group.id)] { (group_name(&s.group)) }
                        }
                    }
                }
                label for="points-period" {
                    (dash.t("points-period"))
                    select #points-period name="period" {
                        @for p in Period::ALL {
                            option value=(p.as_str()) selected[p == period] { (dash.t(&format!("points-period-{}", p.as_str()))) }
                        }
                    }
                }
                button type="submit" { (dash.t("filter")) }
            }
            @if let Some(s) = summary {
                section.card aria-labelledby="points-group-h" {
                    h2 #points-group-h { (dash.ta("points-group-board", &[("group", group_name(&s.group).into())])) }
                    (board(&dash, &group_board))
                }
                @if let Some(community) = &community_board {
                    section.card aria-labelledby="points-community-h" {
                        h2 #points-community-h {
                            (dash.ta("points-community-board", &[("community", s.community_name.clone().unwrap_or_default().into())]))
                        }
                        (board(&dash, community))
                    }
                }
                section.card aria-labelledby="points-levels-h" {
                    h2 #points-levels-h { (dash.t("points-levels")) }
                    @if settings.points.enabled {
                        ul.plain {
                            @for level in &settings.points.levels {
                                li { (level.name(dash.lang)) ": " (level.points) }
                            }
                        }
                        p.muted {
                            (dash.ta("points-rules", &[
                                ("message", settings.points.message.into()),
                                ("cap", settings.points.message_daily_cap.into()),
                                ("checkin", settings.points.checkin.into()),
                                ("referral", settings.points.referral.into()),
                            ]))
                        }
                    } @else {
                        p.muted { (dash.t("points-off")) }
                    }
                }
                @if dash.can(Permission::Moderate) {
                    (award_form(&dash, &groups, s.group.id))
                }
            }
            section.card aria-labelledby="points-recent-h" {
                h2 #points-recent-h { (dash.t("points-recent")) }
                (ledger(&dash, &recent))
            }
        },
    ))
}

fn award_form(dash: &Dash, groups: &[GroupSummary], chosen: GroupId) -> Markup {
    html! {
        section.card aria-labelledby="points-award-h" {
            h2 #points-award-h { (dash.t("points-award")) }
            form.stack method="post" action="/points/award" {
                (dash.csrf_field())
                label for="award-group" { (dash.t("group")) }
                select #award-group name="group" {
                    @for s in groups {
                        option value=(s.group.id.0) selected[s.group.id == chosen] { (group_name(&s.group)) }
                    }
                }
                label for="award-member" { (dash.t("member")) }
                input #award-member type="text" name="member" required aria-describedby="award-member-hint";
                small #award-member-hint .muted { (dash.t("points-member-hint")) }
                label for="award-amount" { (dash.t("points-amount")) }
                input #award-amount type="number" name="amount" required min=(-MAX_AWARD) max=(MAX_AWARD) aria-describedby="award-amount-hint";
                small #award-amount-hint .muted { (dash.t("points-amount-hint")) }
                label for="award-reason" { (dash.t("points-reason")) }
                select #award-reason name="reason" {
                    option value="award" { (dash.t("points-reason-award")) }
                    option value="correction" { (dash.t("points-reason-correction")) }
                }
                label for="award-note" { (dash.t("points-note")) }
                input #award-note type="text" name="note" required maxlength=(MAX_NOTE);
                div.actions { button type="submit" { (dash.t("points-award-submit")) } }
            }
        }
    }
}

/// A leaderboard table.
fn board(dash: &Dash, leaders: &[PointsLeader]) -> Markup {
    html! {
        @if leaders.is_empty() {
            p.muted { (dash.t("points-none")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (dash.t("member")) }
                    th scope="col" { (dash.t("points-points")) }
                } }
                tbody {
                    @for (i, leader) in leaders.iter().enumerate() {
                        tr {
                            td { (i + 1) }
                            td { a href=(format!("/members/{}", leader.member.id.0)) { (leader.member.label()) } }
                            td { (leader.points) }
                        }
                    }
                }
            } }
        }
    }
}

/// The latest ledger entries.
fn ledger(dash: &Dash, entries: &[PointsEntry]) -> Markup {
    html! {
        @if entries.is_empty() {
            p.muted { (dash.t("points-none")) }
        } @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (dash.t("points-when")) }
                    th scope="col" { (dash.t("group")) }
                    th scope="col" { (dash.t("member")) }
                    th scope="col" { (dash.t("points-change")) }
                    th scope="col" { (dash.t("points-reason")) }
                    th scope="col" { (dash.t("points-by")) }
                } }
                tbody {
                    @for e in entries {
                        tr {
                            td { (when(e.at)) }
                            td { (e.group_title.clone().unwrap_or_else(|| format!("#{}", e.group.0))) }
                            td { a href=(format!("/members/{}", e.member.id.0)) { (e.member.label()) } }
                            td { @if e.delta > 0 { "+" } (e.delta) }
                            td {
                                span.tag { (reason_label(dash, &e.reason)) }
                                @if let Some(note) = &e.note { " " (note) }
                            }
                            td { (e.actor) }
                        }
                    }
                }
            } }
        }
    }
}

/// A reason code's name in the user's language (the code when unknown).
fn reason_label(dash: &Dash, code: &str) -> String {
    match Reason::parse(code) {
        Some(reason) => dash.t(&format!(
            "points-reason-{}",
            reason.as_str().replace('_', "-")
        )),
        None => code.to_owned(),
    }
}

#[derive(Debug, Deserialize)]
struct AwardForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    member: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

async fn award(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<AwardForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Moderate)?;
    let group = parse_group(&dash, &form.group)?;
    let groups = state.store().list_groups().await?;
    let Some(summary) = groups.iter().find(|g| g.group.id == group) else {
        return Err(dash.bad_request(&dash.t("points-bad-group")));
    };
    let amount: i64 = form
        .amount
        .trim()
        .trim_start_matches('+')
        .parse()
        .ok()
        .filter(|n: &i64| *n != 0 && n.abs() <= MAX_AWARD)
        .ok_or_else(|| dash.bad_request(&dash.t("points-bad-amount")))?;
    let reason = match form.reason.as_str() {
        "award" => Reason::Award,
        "correction" => Reason::Correction,
        _ => return Err(dash.bad_request(&dash.t("points-bad-reason"))),
    };
    let note = form.note.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE {
        return Err(dash.bad_request(&dash.t("points-bad-note")));
    }
    let member = find_member(&state, summary, &form.member)
        .await?
        .ok_or_else(|| dash.bad_request(&dash.t("points-unknown-member")))?;
    state
        .pipeline
        .award_points(
            group,
            member,
            amount,
            reason,
            Some(note),
            &format!("user:{}", dash.user.name),
            Utc::now(),
        )
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(Redirect::to(&format!(
        "/points?group={}&notice={}",
        group.0,
        urlencode("notice-points-awarded")
    )))
}

/// The member a form names: `#42` is Steward's id, `@name` a username on
/// the group's platform, anything else the platform's id (what admins see
/// in chats), then Steward's id.
async fn find_member(
    state: &AppState,
    group: &GroupSummary,
    text: &str,
) -> Result<Option<MemberId>, PageError> {
    let text = text.trim();
    let store = state.store();
    let platform = group.group.platform;
    if let Some(id) = text.strip_prefix('#') {
        return Ok(store.member_by_ref(id).await?);
    }
    if let Some(username) = text.strip_prefix('@') {
        let mut tx = store.begin().await?;
        let found = tx.find_member_by_username(platform, username).await?;
        drop(tx);
        return Ok(found.map(|(id, _)| id));
    }
    Ok(
        match store
            .member_by_ref(&format!("{}:{text}", platform.as_str()))
            .await?
        {
            Some(found) => Some(found),
            None => store.member_by_ref(text).await?,
        },
    )
}

/// A member's balance and level in one group, for the profile.
pub(crate) struct MemberLevel {
    group: GroupId,
    title: Option<String>,
    balance: i64,
    level: String,
}

/// A member's balances and levels (by each group's levels), one per group
/// they have points in.
pub(crate) async fn member_levels(
    state: &AppState,
    member: MemberId,
    lang: steward_core::i18n::Lang,
) -> Result<Vec<MemberLevel>, PageError> {
    let mut out = Vec::new();
    for b in state.store().member_points(member).await? {
        let settings = chat_settings(state, b.group).await?;
        let level = settings
            .points
            .level(b.balance)
            .0
            .map(|l| l.name(lang).to_owned())
            .unwrap_or_default();
        out.push(MemberLevel {
            group: b.group,
            title: b.group_title,
            balance: b.balance,
            level,
        });
    }
    Ok(out)
}

/// The profile's points section: balance and level per group.
pub(crate) fn profile_section(dash: &Dash, levels: &[MemberLevel]) -> Markup {
    html! {
        section aria-labelledby="points-h" {
            h2 #points-h { (dash.t("points-profile")) }
            @if levels.is_empty() {
                p.muted { (dash.t("points-none")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("group")) }
                        th scope="col" { (dash.t("points-points")) }
                        th scope="col" { (dash.t("points-profile-level")) }
                    } }
                    tbody { @for l in levels {
                        tr {
                            td { a href=(format!("/points?group={}", l.group.0)) { (l.title.clone().unwrap_or_else(|| format!("#{}", l.group.0))) } }
                            td { (l.balance) }
                            td { (l.level) }
                        }
                    } }
                } }
            }
        }
    }
}
