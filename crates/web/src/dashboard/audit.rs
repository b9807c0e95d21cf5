//! The audit page: the log, filtered by group, actor, action and time (UTC
//! days), paged back by id; and the same filters exported as CSV.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Days, NaiveDate, SecondsFormat};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{AuditId, GroupId, Permission};
use steward_storage::audit::{AuditFilter, NamedAuditRow};

use super::page::{Dash, PageError, action_label, action_tag, urlencode, when};
use crate::AppState;

/// Entries on one page.
const PAGE_SIZE: i64 = 100;
/// The most entries one export holds.
const MAX_EXPORT: usize = 100_000;
/// Entries read at a time while exporting.
const EXPORT_CHUNK: i64 = 5_000;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(page))
        .route("/audit.csv", get(export))
}

/// The filters as the form sends them (empty fields do not filter).
#[derive(Debug, Default, Deserialize)]
struct AuditParams {
    group: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    /// `YYYY-MM-DD`, UTC, inclusive.
    from: Option<String>,
    /// `YYYY-MM-DD`, UTC, inclusive.
    to: Option<String>,
    /// Only ids below (paging back).
    before: Option<String>,
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

impl AuditParams {
    /// The store's filter, or the text of what is wrong.
    fn filter(&self, limit: i64) -> Result<AuditFilter, &'static str> {
        let group = non_empty(self.group.as_deref())
            .map(|g| g.parse::<i64>().map(GroupId).map_err(|_| "audit-bad-group"))
            .transpose()?;
        let day = |value: Option<&str>| {
            non_empty(value)
                .map(|d| {
                    NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
                        .map_err(|_| "audit-bad-date")
                })
                .transpose()
        };
        let since = day(self.from.as_deref())?;
        let until = day(self.to.as_deref())?
            .map(|d| d.checked_add_days(Days::new(1)).ok_or("audit-bad-date"))
            .transpose()?;
        let before_id = non_empty(self.before.as_deref())
            .and_then(|b| b.parse::<i64>().ok())
            .map(AuditId);
        Ok(AuditFilter {
            group,
            actor: non_empty(self.actor.as_deref()).map(str::to_owned),
            action: non_empty(self.action.as_deref()).map(str::to_owned),
            since,
            until,
            before_id,
            limit,
        })
    }

    /// The filters as a query string (without `before`), each value
    /// encoded.
    fn query(&self) -> String {
        let fields = [
            ("group", &self.group),
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ];
        fields
            .iter()
            .filter_map(|(name, value)| {
                non_empty(value.as_deref()).map(|v| format!("{name}={}", urlencode(v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    }
}

fn with_query(path: &str, query: &str, extra: Option<String>) -> String {
    let parts: Vec<String> = [Some(query.to_owned()), extra]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Result<Markup, PageError> {
    dash.require(Permission::ViewAudit)?;
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let filter = params
        .filter(PAGE_SIZE)
        .map_err(|key| dash.bad_request(&dash.t(key)))?;
    let store = state.store();
    let groups = store.list_groups().await?;
    let mut actions = store.audit_actions().await?;
    if let Some(action) = &filter.action
        && !actions.contains(action)
    {
        actions.push(action.clone());
    }
    let rows = store.list_audit_named(&filter).await?;
    let query = params.query();
    let older = (i64::try_from(rows.len()).ok() == Some(PAGE_SIZE))
        .then(|| rows.last().map(|r| r.entry.id.0))
        .flatten()
        .map(|last| with_query("/audit", &query, Some(format!("before={last}"))));
    let selected_group = filter.group.map(|g| g.0);
    let body = html! {
        form.filters method="get" action="/audit" {
            label for="audit-group" {
                (dash.t("group"))
                select #audit-group name="group" {
                    option value="" { (dash.t("audit-all-groups")) }
                    @for g in &groups {
                        option value=(g.group.id.0) selected[selected_group == Some(g.group.id.0)] {
                            (g.group.title.clone().unwrap_or_else(|| g.group.platform_id.clone()))
                        }
                    }
                }
            }
            label for="audit-actor" {
                (dash.t("audit-actor"))
                input #audit-actor type="text" name="actor" value=(filter.actor.clone().unwrap_or_default())
                    placeholder=(dash.t("audit-actor-hint"));
            }
            label for="audit-action" {
                (dash.t("action"))
                select #audit-action name="action" {
                    option value="" { (dash.t("audit-all-actions")) }
                    @for action in &actions {
                        option value=(action) selected[filter.action.as_ref() == Some(action)] { (action_label(&dash, action)) }
                    }
                }
            }
            label for="audit-from" {
                (dash.t("audit-from"))
                input #audit-from type="date" name="from" value=(non_empty(params.from.as_deref()).unwrap_or_default());
            }
            label for="audit-to" {
                (dash.t("audit-to"))
                input #audit-to type="date" name="to" value=(non_empty(params.to.as_deref()).unwrap_or_default());
            }
            button type="submit" { (dash.t("filter")) }
            a href=(with_query("/audit.csv", &query, None)) download { (dash.t("audit-export")) }
        }
        @if rows.is_empty() {
            p.muted { (dash.t("audit-empty")) }
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (dash.t("audit-caption")) }
                    thead {
                        tr {
                            th scope="col" { (dash.t("time")) }
                            th scope="col" { (dash.t("audit-actor")) }
                            th scope="col" { (dash.t("action")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("member")) }
                            th scope="col" { (dash.t("audit-target")) }
                            th scope="col" { (dash.t("reason")) }
                            th scope="col" { (dash.t("audit-rule")) }
                            th scope="col" { (dash.t("audit-ladder-step")) }
                        }
                    }
                    tbody {
                        @for row in &rows {
                            (table_row(&dash, row))
                        }
                    }
                }
            }
        }
        p {
            @if filter.before_id.is_some() {
                a href=(with_query("/audit", &query, None)) { (dash.t("audit-newest")) }
                " "
            }
            @if let Some(href) = older {
                a href=(href) { (dash.t("audit-older")) }
            }
        }
    };
    Ok(dash.page(&dash.t("nav-audit"), body))
}

fn group_name(row: &NamedAuditRow) -> Option<String> {
    row.group_title
        .clone()
        .or_else(|| row.entry.group.map(|g| format!("#{}", g.0)))
}

fn member_name(row: &NamedAuditRow) -> Option<String> {
    row.member_name
        .clone()
        .or_else(|| row.entry.member.map(|m| format!("#{}", m.0)))
}

fn table_row(dash: &Dash, row: &NamedAuditRow) -> Markup {
    let e = &row.entry;
    html! {
        tr {
            td { time datetime=(e.at.to_rfc3339_opts(SecondsFormat::Secs, true)) { (when(e.at)) } }
            td { (e.actor) }
            td { (action_tag(dash, &e.action)) }
            td { (group_name(row).unwrap_or_default()) }
            td { (member_name(row).unwrap_or_default()) }
            td { (e.target.as_deref().unwrap_or_default()) }
            td { (e.reason.as_deref().unwrap_or_default()) }
            td { @if let Some(rule) = &e.rule { code { (rule) } } }
            td { @if let Some(step) = e.ladder_step { (step) } }
        }
    }
}

async fn export(
    State(state): State<AppState>,
    dash: Dash,
    params: Result<Query<AuditParams>, QueryRejection>,
) -> Result<Response, PageError> {
    dash.require(Permission::ViewAudit)?;
    let params = params.map(|Query(p)| p).unwrap_or_default();
    let mut filter = params
        .filter(EXPORT_CHUNK)
        .map_err(|key| dash.bad_request(&dash.t(key)))?;
    let store = state.store();
    let mut csv = String::new();
    csv_line(
        &mut csv,
        &[
            "id",
            "time",
            "actor",
            "action",
            "group_id",
            "group",
            "member_id",
            "member",
            "target",
            "reason",
            "rule",
            "ladder_step",
        ],
    );
    let mut written = 0_usize;
    while written < MAX_EXPORT {
        let left = i64::try_from(MAX_EXPORT - written).unwrap_or(EXPORT_CHUNK);
        filter.limit = EXPORT_CHUNK.min(left);
        let rows = store.list_audit_named(&filter).await?;
        let Some(last) = rows.last() else { break };
        filter.before_id = Some(last.entry.id);
        let full = i64::try_from(rows.len()).ok() == Some(filter.limit);
        for row in &rows {
            let e = &row.entry;
            let fields = [
                e.id.0.to_string(),
                e.at.to_rfc3339_opts(SecondsFormat::Secs, true),
                e.actor.clone(),
                e.action.clone(),
                e.group.map(|g| g.0.to_string()).unwrap_or_default(),
                row.group_title.clone().unwrap_or_default(),
                e.member.map(|m| m.0.to_string()).unwrap_or_default(),
                row.member_name.clone().unwrap_or_default(),
                e.target.clone().unwrap_or_default(),
                e.reason.clone().unwrap_or_default(),
                e.rule.clone().unwrap_or_default(),
                e.ladder_step.map(|s| s.to_string()).unwrap_or_default(),
            ];
            csv_line(&mut csv, &fields);
        }
        written += rows.len();
        if !full {
            break;
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"steward-audit.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    )
        .into_response())
}

/// Appends one CSV record (RFC 4180, CRLF).
fn csv_line<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (idx, field) in fields.iter().enumerate() {
        if idx > 0 {
            out.push(',');
        }
        out.push_str(&csv_cell(field.as_ref()));
    }
    out.push_str("\r\n");
}

/// One CSV cell: a cell a spreadsheet would run as a formula (starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`;
/// cells with separators, quotes or line breaks are quoted.
fn csv_cell(value: &str) -> String {
    // A plain number (a Telegram chat id is `-100…`) is data, not a formula.
    let number = value.parse::<f64>().is_ok() && !value.starts_with(['=', '@']);
    let value = if !number && value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        // Numbers stay numbers (Telegram chat ids are negative).
        assert_eq!(csv_cell("-1001234567890"), "-1001234567890");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("+x,y"), "\"'+x,y\"");
        let mut line = String::new();
        csv_line(&mut line, &["a", "b c", ""]);
        assert_eq!(line, "a,b c,\r\n");
    }

    #[test]
    fn days_are_whole_utc_days() {
        let params = AuditParams {
            from: Some("2024-05-01".into()),
            to: Some("2024-05-01".into()),
            group: Some(String::new()),
            ..AuditParams::default()
        };
        let filter = params.filter(10).unwrap();
        assert_eq!(filter.group, None);
        assert_eq!(
            filter.until.unwrap() - filter.since.unwrap(),
            chrono::Duration::days(1)
        );
        let bad = AuditParams {
            to: Some("31.05.2024".into()),
            ..AuditParams::default()
        };
        assert_eq!(bad.filter(10).unwrap_err(), "audit-bad-date");
    }
}
