//! Backtests from the rules page: the form, starting one through the same
//! machinery as the API (`routes::backtests::start_job`), the progress page
//! (`rules.js` polls `GET /api/v1/backtests/{id}`; without scripts the page
//! has a refresh link) and the report.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{GroupId, Permission};
use steward_moderation::Engine;
use steward_runtime::BacktestReport;
use steward_storage::entities::GroupSummary;

use super::super::page::{Dash, DashForm, PageError, when};
use super::{View, evidence, main_page, parse_rule_set};
use crate::AppState;
use crate::routes::backtests::start_job;

/// How many days back a backtest starts by default.
const DEFAULT_DAYS: i64 = 7;

/// The backtest form. Its fields belong to the raw JSON box's form (HTML
/// `form=` attributes), so "the draft" is that box's text.
#[derive(Debug, Default, Deserialize)]
pub(super) struct StartForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    since: String,
    /// `current` or `draft`.
    #[serde(default)]
    which: String,
    /// The raw JSON box.
    #[serde(default)]
    rules: Option<String>,
}

/// The backtest form on the rules page.
pub(super) fn form(
    dash: &Dash,
    groups: &[GroupSummary],
    sent: Option<&StartForm>,
    error: Option<&str>,
) -> Markup {
    let default_since = (Utc::now() - chrono::Duration::days(DEFAULT_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    let since = sent.map_or(default_since.as_str(), |f| f.since.as_str());
    let group = sent.map_or("", |f| f.group.as_str());
    let draft = sent.is_some_and(|f| f.which == "draft");
    html! {
        p.muted { (dash.t("rules-backtest-intro")) }
        @if let Some(error) = error {
            p.notice.error role="alert" { (error) }
        }
        @if groups.is_empty() {
            p.notice { (dash.t("rules-backtest-no-groups")) }
        }
        div.filters {
            div.field {
                label for="backtest-group" { (dash.t("group")) }
                select #backtest-group name="group" form="rules-draft" {
                    @for summary in groups {
                        @let id = summary.group.id.0.to_string();
                        option value=(id) selected[id == group] { (group_name(summary)) }
                    }
                }
            }
            div.field {
                label for="backtest-since" { (dash.t("rules-backtest-since")) }
                input #backtest-since type="date" name="since" form="rules-draft" value=(since);
            }
            fieldset {
                legend { (dash.t("rules-backtest-which")) }
                label {
                    input type="radio" name="which" value="current" form="rules-draft" checked[!draft];
                    " " (dash.t("rules-backtest-current"))
                }
                " "
                label {
                    input type="radio" name="which" value="draft" form="rules-draft" checked[draft];
                    " " (dash.t("rules-backtest-draft"))
                }
            }
            button type="submit" form="rules-draft" formaction="/rules/backtests" disabled[groups.is_empty()] {
                (dash.t("rules-backtest-start"))
            }
        }
    }
}

fn group_name(summary: &GroupSummary) -> String {
    let group = &summary.group;
    let title = group.title.as_deref().unwrap_or(&group.platform_id);
    format!("{title} ({})", group.platform.as_str())
}

/// A date (`2024-05-01`, midnight UTC) or an RFC 3339 time.
fn parse_since(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(date.and_hms_opt(0, 0, 0)?.and_utc());
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

pub(super) async fn start(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<StartForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let checked = async {
        let group = form
            .group
            .trim()
            .parse::<i64>()
            .map_err(|_| dash.t("rules-backtest-pick-group"))?;
        let since = parse_since(&form.since).ok_or_else(|| dash.t("rules-backtest-bad-date"))?;
        let rules = if form.which == "draft" {
            let rule_set = parse_rule_set(&dash, form.rules.as_deref().unwrap_or_default())?;
            Engine::compile(&rule_set).map_err(|e| {
                dash.ta(
                    "rules-refused",
                    &[
                        ("rule", e.rule.as_str().into()),
                        ("problem", e.problem.as_str().into()),
                    ],
                )
            })?;
            Some(rule_set)
        } else {
            None
        };
        Ok::<_, String>((GroupId(group), since, rules))
    };
    let problem = match checked.await {
        Ok((group, since, rules)) => match start_job(&state, group, since, rules).await {
            Ok(job) => {
                return Ok(Redirect::to(&format!("/rules/backtests/{}", job.id)).into_response());
            }
            Err(e) if e.status == StatusCode::NOT_FOUND => dash.t("rules-backtest-no-such-group"),
            Err(e) if e.status == StatusCode::BAD_REQUEST => e.message,
            Err(e) => return Err(e.into()),
        },
        Err(problem) => problem,
    };
    let view = View {
        draft: form.rules.clone(),
        backtest: Some(form),
        backtest_error: Some(problem),
        ..View::default()
    };
    let markup = main_page(&state, &dash, view).await?;
    Ok((StatusCode::BAD_REQUEST, markup).into_response())
}

pub(super) async fn progress(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<u64>,
) -> Result<Markup, PageError> {
    dash.require(Permission::EditRules)?;
    let Some(job) = state.backtests.get(id) else {
        return Err(dash.not_found());
    };
    let status_key = match job.status {
        "done" => "rules-backtest-done",
        "failed" => "rules-backtest-failed",
        _ => "rules-backtest-running",
    };
    let body = html! {
        p { a href="/rules#rules-backtest" { (dash.t("rules-back")) } }
        section.card {
            p #backtest-status role="status" { (dash.t(status_key)) }
            label for="backtest-progress" { (dash.t("rules-backtest-progress")) }
            progress #backtest-progress
                max=(job.total_events.max(1))
                value=(job.done_events.min(job.total_events.max(1)))
                data-backtest=(id)
                data-status=(job.status) {
                (job.done_events) " / " (job.total_events)
            }
            p.muted {
                span #backtest-done { (job.done_events) } " / "
                span #backtest-total { (job.total_events) } " "
                (dash.t("rules-backtest-events"))
            }
            @if job.status == "running" {
                p { a href=(format!("/rules/backtests/{id}")) { (dash.t("rules-backtest-refresh")) } }
            }
            @if let Some(error) = &job.error {
                p.notice.error role="alert" { (error) }
            }
        }
        @if let Some(report) = &job.report {
            (report_view(&dash, report))
        }
    };
    Ok(dash.page_with_scripts(
        &dash.ta("rules-backtest-page-title", &[("id", id.into())]),
        &["rules.js"],
        body,
    ))
}

fn action_label(dash: &Dash, action: &str) -> String {
    let key = format!("rules-action-{}", action.replace('_', "-"));
    if super::super::i18n::has(dash.lang, &key) {
        dash.t(&key)
    } else {
        action.to_owned()
    }
}

fn report_view(dash: &Dash, report: &BacktestReport) -> Markup {
    let summary = [
        ("rules-report-events", report.events),
        ("rules-report-messages", report.messages),
        ("rules-report-violations", report.violations),
        ("rules-report-trusted", report.hits_on_trusted),
        ("rules-report-spared", report.spared),
    ];
    html! {
        section.card aria-labelledby="report-summary" {
            h2 #report-summary { (dash.t("rules-report-title")) }
            p.muted { (dash.ta("rules-report-since", &[("since", when(report.since).into())])) }
            div.table-wrap {
                table {
                    tbody {
                        @for (key, value) in summary {
                            tr { th scope="row" { (dash.t(key)) } td { (value) } }
                        }
                    }
                }
            }
        }
        section.card aria-labelledby="report-rules" {
            h2 #report-rules { (dash.t("rules-report-by-rule")) }
            @if report.by_rule.is_empty() {
                p.muted { (dash.t("rules-report-no-hits")) }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { (dash.t("rules-field-id")) } th scope="col" { (dash.t("rules-report-hits")) } } }
                        tbody {
                            @for (rule, count) in &report.by_rule {
                                tr { td { code { (rule) } } td { (count) } }
                            }
                        }
                    }
                }
            }
        }
        section.card aria-labelledby="report-actions" {
            h2 #report-actions { (dash.t("rules-report-by-action")) }
            @if report.by_action.is_empty() {
                p.muted { (dash.t("rules-report-no-actions")) }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr { th scope="col" { (dash.t("action")) } th scope="col" { (dash.t("rules-report-count")) } } }
                        tbody {
                            @for (action, count) in &report.by_action {
                                tr { td { (action_label(dash, action)) } td { (count) } }
                            }
                        }
                    }
                }
            }
        }
        @if !report.samples.is_empty() {
            section.card aria-labelledby="report-samples" {
                h2 #report-samples { (dash.t("rules-report-samples")) }
                @for (rule, samples) in &report.samples {
                    h3 { code { (rule) } }
                    @for sample in samples {
                        article {
                            p.muted {
                                (when(sample.at)) " · " (sample.member)
                                @if let Some(step) = sample.step {
                                    " · " (dash.ta("rules-report-step", &[("step", step.into())]))
                                }
                            }
                            div.evidence { (evidence::highlight(&sample.text, &sample.evidence)) }
                        }
                    }
                }
            }
        }
    }
}
