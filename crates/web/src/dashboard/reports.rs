//! The reports page (运营报告): the daily, weekly or monthly report on a
//! group or a community, with its SVG charts and the comparison with the
//! period before (the report's own HTML body), links to the period before
//! and after, and exports as Markdown, HTML, JSON and CSV.
//!
//! Viewers may read reports (`View`). The figures come from
//! `steward_runtime::reports::build_report`; this page only picks what to
//! report on and frames it.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, Utc};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use steward_core::{GroupId, Permission};
use steward_reports::render::{Format, html_body, render};
use steward_reports::{PeriodKind, Report};
use steward_runtime::reports::{
    ReportError, ReportTarget, build_report, report_period, target_zone,
};
use steward_storage::entities::GroupSummary;

use super::groups::group_name;
use super::page::{Dash, PageError, urlencode};
use crate::AppState;

/// The export formats offered, in the order of the buttons.
const EXPORTS: [Format; 4] = [Format::Markdown, Format::Html, Format::Json, Format::Csv];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports/export", get(export))
}

/// The page's and the export's query: `scope` is `group:ID` or
/// `community:ID`, `period` a period kind, `at` a date in the period.
#[derive(Debug, Default, Deserialize)]
struct ReportQuery {
    scope: Option<String>,
    period: Option<String>,
    at: Option<String>,
    format: Option<String>,
}

/// A group or a community the user may pick, with its name.
struct Choice {
    target: ReportTarget,
    name: String,
}

/// The query value naming a target.
fn scope_value(target: ReportTarget) -> String {
    match target {
        ReportTarget::Group(id) => format!("group:{}", id.0),
        ReportTarget::Community(id) => format!("community:{id}"),
    }
}

/// Reads a `scope` value; `None` when it is not one.
fn parse_scope(raw: &str) -> Option<ReportTarget> {
    let (kind, id) = raw.trim().split_once(':')?;
    let id: i64 = id.trim().parse().ok()?;
    match kind {
        "group" => Some(ReportTarget::Group(GroupId(id))),
        "community" => Some(ReportTarget::Community(id)),
        _ => None,
    }
}

/// Every group by title, then every community by name.
fn choices(groups: &[GroupSummary]) -> (Vec<Choice>, Vec<Choice>) {
    let group_choices = groups
        .iter()
        .map(|s| Choice {
            target: ReportTarget::Group(s.group.id),
            name: group_name(&s.group),
        })
        .collect();
    let mut communities: BTreeMap<i64, String> = BTreeMap::new();
    for s in groups {
        if let Some(c) = s.group.community {
            communities
                .entry(c.0)
                .or_insert_with(|| s.community_name.clone().unwrap_or_else(|| c.0.to_string()));
        }
    }
    let mut community_choices: Vec<Choice> = communities
        .into_iter()
        .map(|(id, name)| Choice {
            target: ReportTarget::Community(id),
            name,
        })
        .collect();
    community_choices.sort_by(|a, b| a.name.cmp(&b.name));
    (group_choices, community_choices)
}

/// What the query asks for, checked: the target (the first group when
/// none is named), the period kind (weekly by default) and the date.
struct Asked {
    target: Option<ReportTarget>,
    kind: PeriodKind,
    at: Option<NaiveDate>,
}

fn read_query(
    dash: &Dash,
    query: &ReportQuery,
    groups: &[GroupSummary],
) -> Result<Asked, PageError> {
    let target = match query.scope.as_deref().map(str::trim) {
        None | Some("") => groups.first().map(|s| ReportTarget::Group(s.group.id)),
        Some(raw) => {
            Some(parse_scope(raw).ok_or_else(|| dash.bad_request(&dash.t("reports-bad-scope")))?)
        }
    };
    let kind = match query.period.as_deref().map(str::trim) {
        None | Some("") => PeriodKind::Weekly,
        Some(raw) => raw
            .parse()
            .map_err(|_| dash.bad_request(&dash.t("reports-bad-period")))?,
    };
    let at = match query.at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| dash.bad_request(&dash.t("reports-bad-date")))?,
        ),
    };
    Ok(Asked { target, kind, at })
}

/// The report, or the page saying why there is none.
async fn report(
    state: &AppState,
    dash: &Dash,
    target: ReportTarget,
    asked: &Asked,
) -> Result<Report, PageError> {
    build_report(state.store(), target, asked.kind, asked.at, Utc::now())
        .await
        .map_err(|e| match e {
            ReportError::NotFound(_) => dash.bad_request(&dash.t("reports-bad-scope")),
            ReportError::Store(e) => PageError::from(e),
        })
}

/// A link to this page (or the export) for `target`, `kind` and `at`.
fn link(path: &str, target: ReportTarget, kind: PeriodKind, at: NaiveDate) -> String {
    format!(
        "{path}?scope={}&period={}&at={}",
        urlencode(&scope_value(target)),
        kind.as_str(),
        at.format("%Y-%m-%d"),
    )
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<ReportQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let asked = read_query(&dash, &query, &groups)?;
    let (group_choices, community_choices) = choices(&groups);
    let shown = match asked.target {
        Some(target) => Some((target, report(&state, &dash, target, &asked).await?)),
        None => None,
    };
    // The running period is the newest with anything in it: no "next" link
    // past it. It starts where the last complete one ends.
    let running_start = match &shown {
        Some((target, _)) => {
            let zone = target_zone(state.store(), *target)
                .await
                .map_err(|e| PageError::Internal(e.to_string()))?;
            Some(report_period(asked.kind, None, zone, Utc::now()).end)
        }
        None => None,
    };
    let title = dash.t("reports-title");
    Ok(dash.page(
        &title,
        html! {
            p.muted { (dash.t("reports-intro")) }
            @if groups.is_empty() {
                p.muted { (dash.t("reports-no-groups")) }
            } @else {
                (picker(&dash, &asked, &group_choices, &community_choices))
            }
            @if let Some((target, report)) = &shown {
                (period_nav(&dash, *target, report, running_start))
                (exports(&dash, *target, report))
                section.card.report-frame aria-label=(dash.t("reports-title")) {
                    (PreEscaped(html_body(report)))
                }
            }
        },
    ))
}

fn picker(dash: &Dash, asked: &Asked, groups: &[Choice], communities: &[Choice]) -> Markup {
    let option = |c: &Choice| {
        html! {
            option value=(scope_value(c.target)) selected[asked.target == Some(c.target)] { (c.name) }
        }
    };
    html! {
        form.filters method="get" action="/reports" {
            label for="reports-scope" {
                (dash.t("reports-scope"))
                select #reports-scope name="scope" {
                    optgroup label=(dash.t("reports-groups")) {
                        @for c in groups { (option(c)) }
                    }
                    @if !communities.is_empty() {
                        optgroup label=(dash.t("reports-communities")) {
                            @for c in communities { (option(c)) }
                        }
                    }
                }
            }
            label for="reports-period" {
                (dash.t("reports-period"))
                select #reports-period name="period" {
                    @for kind in PeriodKind::ALL {
                        option value=(kind.as_str()) selected[kind == asked.kind] { (dash.t(&format!("reports-period-{}", kind.as_str()))) }
                    }
                }
            }
            label for="reports-at" {
                (dash.t("reports-at"))
                input #reports-at type="date" name="at" value=[asked.at.map(|d| d.format("%Y-%m-%d").to_string())] aria-describedby="reports-at-hint";
            }
            button type="submit" { (dash.t("reports-show")) }
        }
        small #reports-at-hint .muted { (dash.t("reports-at-hint")) }
    }
}

/// Links to the period before and, unless this is the running one, after.
fn period_nav(
    dash: &Dash,
    target: ReportTarget,
    report: &Report,
    running_start: Option<NaiveDate>,
) -> Markup {
    let period = report.period;
    let has_next = running_start.is_some_and(|start| period.end <= start);
    html! {
        nav.report-periods aria-label=(dash.t("reports-periods")) {
            a rel="prev" href=(link("/reports", target, period.kind, report.previous_period.start)) {
                "← " (report.previous_period.label())
            }
            strong { (period.label()) }
            @if has_next {
                a rel="next" href=(link("/reports", target, period.kind, period.end)) {
                    (dash.t("reports-next")) " →"
                }
            }
        }
    }
}

fn exports(dash: &Dash, target: ReportTarget, report: &Report) -> Markup {
    let base = link(
        "/reports/export",
        target,
        report.period.kind,
        report.period.start,
    );
    html! {
        p.report-exports {
            span.muted { (dash.t("reports-export")) }
            @for format in EXPORTS {
                " "
                a.button href=(format!("{base}&format={}", format.extension())) download {
                    (dash.t(&format!("reports-format-{}", format.extension())))
                }
            }
        }
    }
}

/// The file name of an export: `steward-group-5-2026-W47.md`.
pub(crate) fn file_name(report: &Report, format: Format) -> String {
    format!(
        "steward-{}-{}-{}.{}",
        match report.scope.kind {
            steward_reports::ScopeKind::Group => "group",
            steward_reports::ScopeKind::Community => "community",
        },
        report.scope.id,
        report.period.label(),
        format.extension(),
    )
}

/// The report as a file: its content type and an attachment disposition.
pub(crate) fn download(report: &Report, format: Format) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file_name(report, format)),
            ),
        ],
        render(report, format),
    )
        .into_response()
}

async fn export(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    dash.require(Permission::View)?;
    let format: Format = query
        .format
        .as_deref()
        .unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| dash.bad_request(&dash.t("reports-bad-format")))?;
    let groups = state.store().list_groups().await?;
    let asked = read_query(&dash, &query, &groups)?;
    let Some(target) = asked.target else {
        return Err(dash.bad_request(&dash.t("reports-bad-scope")));
    };
    let report = report(&state, &dash, target, &asked).await?;
    Ok(download(&report, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_back_what_they_write() {
        for target in [ReportTarget::Group(GroupId(7)), ReportTarget::Community(3)] {
            assert_eq!(parse_scope(&scope_value(target)), Some(target));
        }
        assert_eq!(parse_scope("group:x"), None);
        assert_eq!(parse_scope("team:1"), None);
        assert_eq!(parse_scope("7"), None);
    }
}
