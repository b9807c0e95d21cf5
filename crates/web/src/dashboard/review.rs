//! The review page: escalations, reports and appeals, with the evidence and
//! the member's history, decided one by one or in bulk. Deciding needs
//! [`Permission::DecideEscalations`] (or an operator when the team allows
//! it), checked here on every post; the buttons are only hidden otherwise.
//! `review.js` adds keyboard shortcuts.

use std::ops::Range;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::{Actor, Permission};
use steward_moderation::Penalty;
use steward_runtime::{CaseDecision, CaseError};
use steward_storage::cases::{MemberHistory, ReviewCase, ReviewFilter};

use super::page::{Dash, DashForm, PageError, notice, urlencode, when};
use crate::AppState;

/// Cases shown on one page.
const PAGE_SIZE: i64 = 50;
/// Violations and cases of the member's history shown by name.
const HISTORY_SHOWN: i64 = 3;
/// The most cases one bulk decision may take.
const MAX_BULK: usize = 500;
/// The longest reason accepted, in characters.
const MAX_REASON_CHARS: usize = 1000;
/// The kinds of cases.
const KINDS: [&str; 3] = ["escalation", "report", "appeal"];
/// The decisions offered, with their texts.
const DECISIONS: [(&str, &str); 4] = [
    ("confirm", "review-confirm"),
    ("dismiss", "review-dismiss"),
    ("ban", "review-change-ban"),
    ("mute-day", "review-change-mute"),
];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/review", get(page))
        .route("/review/{id}/decide", post(decide))
        .route("/review/bulk", post(bulk))
}

/// The page's query: filters, paging and what the last post did.
#[derive(Debug, Default, Deserialize)]
struct ReviewQuery {
    kind: Option<String>,
    status: Option<String>,
    before: Option<String>,
    notice: Option<String>,
    /// After a bulk decision: how many were decided.
    decided: Option<String>,
    /// After a bulk decision: the ids that were not, comma-separated.
    failed: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    query: Result<Query<ReviewQuery>, QueryRejection>,
) -> Result<Markup, PageError> {
    dash.require(Permission::Moderate)?;
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let kind = query
        .kind
        .as_deref()
        .filter(|k| KINDS.contains(k))
        .map(str::to_owned);
    let decided_view = query.status.as_deref() == Some("decided");
    let status = if decided_view { "decided" } else { "open" };
    let before = query.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let store = state.store();
    let cases = store
        .review_cases(&ReviewFilter {
            kind: kind.as_deref(),
            status,
            before_id: before,
            limit: PAGE_SIZE,
        })
        .await?;
    let mut items = Vec::with_capacity(cases.len());
    for case in cases {
        let history = store
            .member_history(case.case.member, case.case.id, HISTORY_SHOWN)
            .await?;
        items.push((case, history));
    }
    let can_decide = dash.can(Permission::DecideEscalations) && !decided_view;
    let older = (i64::try_from(items.len()).ok() == Some(PAGE_SIZE))
        .then(|| items.last().map(|(c, _)| c.case.id))
        .flatten()
        .map(|last| {
            let mut href = format!("/review?status={status}&before={last}");
            if let Some(kind) = &kind {
                href.push_str(&format!("&kind={}", urlencode(kind)));
            }
            href
        });
    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        (bulk_result(&dash, &query))
        form.filters method="get" action="/review" {
            label for="review-kind" {
                (dash.t("review-filter-kind"))
                select #review-kind name="kind" {
                    option value="" { (dash.t("review-kind-all")) }
                    @for k in KINDS {
                        option value=(k) selected[kind.as_deref() == Some(k)] { (dash.t(&format!("review-kind-{k}"))) }
                    }
                }
            }
            label for="review-status" {
                (dash.t("review-filter-status"))
                select #review-status name="status" {
                    option value="open" selected[!decided_view] { (dash.t("review-status-open")) }
                    option value="decided" selected[decided_view] { (dash.t("review-status-decided")) }
                }
            }
            button type="submit" { (dash.t("filter")) }
        }
        (shortcut_help(&dash))
        @if !decided_view && !dash.can(Permission::DecideEscalations) {
            p.notice.warn { (dash.t("review-not-allowed")) }
        }
        @if can_decide && !items.is_empty() {
            (bulk_form(&dash))
        }
        @if items.is_empty() {
            p.muted { (dash.t("review-empty")) }
        }
        @for (case, history) in &items {
            (case_card(&dash, case, history, can_decide))
        }
        @if let Some(href) = older {
            p { a href=(href) { (dash.t("review-older")) } }
        }
    };
    Ok(dash.page_with_scripts(&dash.t("nav-review"), &["review.js"], body))
}

/// What a bulk decision did, from the redirect's query.
fn bulk_result(dash: &Dash, query: &ReviewQuery) -> Markup {
    let Some(decided) = query.decided.as_deref().and_then(|d| d.parse::<u64>().ok()) else {
        return html! {};
    };
    let failed: Vec<i64> = query
        .failed
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .take(MAX_BULK)
        .collect();
    let failed_list = failed
        .iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        p.notice role="status" { (dash.ta("review-bulk-result", &[("count", decided.into())])) }
        @if !failed.is_empty() {
            p.notice.warn role="status" { (dash.ta("review-bulk-failed", &[("ids", failed_list.into())])) }
        }
    }
}

/// The keyboard shortcuts `review.js` offers.
fn shortcut_help(dash: &Dash) -> Markup {
    let keys = [
        ("j", "review-key-next"),
        ("k", "review-key-prev"),
        ("c", "review-key-confirm"),
        ("d", "review-key-dismiss"),
        ("x", "review-key-toggle"),
        ("?", "review-key-help"),
    ];
    html! {
        details.card #review-shortcuts {
            summary { (dash.t("review-shortcuts")) }
            ul {
                @for (key, text) in keys {
                    li { kbd { (key) } " " (dash.t(text)) }
                }
            }
        }
    }
}

/// The form the items' checkboxes belong to (`form="review-bulk"`).
fn bulk_form(dash: &Dash) -> Markup {
    html! {
        form.card.filters #review-bulk method="post" action="/review/bulk" aria-label=(dash.t("review-bulk-title")) {
            (dash.csrf_field())
            label for="review-select-all" {
                (dash.t("review-select-all"))
                input #review-select-all type="checkbox" data-select-all="case";
            }
            label for="review-bulk-decision" {
                (dash.t("review-bulk-decision"))
                select #review-bulk-decision name="decision" {
                    @for (value, text) in DECISIONS {
                        option value=(value) { (dash.t(text)) }
                    }
                }
            }
            label for="review-bulk-reason" {
                (dash.t("review-reason-label"))
                input #review-bulk-reason type="text" name="reason" maxlength="1000";
            }
            button type="submit" { (dash.t("review-bulk-apply")) }
        }
    }
}

/// One case: what happened, the evidence, the member's record, and the
/// decision (made or to make).
fn case_card(dash: &Dash, item: &ReviewCase, history: &MemberHistory, can_decide: bool) -> Markup {
    let case = &item.case;
    let id = case.id;
    let open = case.status == "open";
    let evidence = case.evidence.as_deref().and_then(Evidence::parse);
    let group = item
        .group_title
        .clone()
        .unwrap_or_else(|| format!("#{}", case.group.0));
    let member = item
        .member_name
        .clone()
        .unwrap_or_else(|| format!("#{}", case.member.0));
    let kind_key = format!("review-kind-{}", case.kind);
    html! {
        article.card.review-item #(format!("case-{id}")) data-review-item tabindex="-1" aria-labelledby=(format!("case-{id}-title")) {
            h2 #(format!("case-{id}-title")) {
                span.tag { (dash.t(&kind_key)) } " "
                (dash.ta("review-case", &[("id", id.into())])) " · " (group) " · " (member)
            }
            p.muted { (dash.ta("review-opened", &[("time", when(case.created_at).into())])) }
            @if can_decide && open {
                p {
                    input #(format!("select-{id}")) type="checkbox" name="case" value=(id) form="review-bulk";
                    " "
                    label for=(format!("select-{id}")) { (dash.ta("review-select", &[("id", id.into())])) }
                }
            }
            dl {
                @if let Some(rule) = &case.rule {
                    dt { (dash.t("review-rule")) }
                    dd { code { (rule) } }
                }
                @if let Some(severity) = &case.severity {
                    dt { (dash.t("review-severity")) }
                    dd { span class=(format!("tag {severity}")) { (severity) } }
                }
                @if let Some(reason) = &case.reason {
                    dt { (dash.t("reason")) }
                    dd { (reason) }
                }
            }
            @if let Some(evidence) = &evidence {
                h3 { (dash.t("review-evidence")) }
                div.evidence {
                    @for (piece, hit) in highlight(&evidence.text, &evidence.ranges) {
                        @if hit { mark { (piece) } } @else { (piece) }
                    }
                }
                @if !evidence.hits.is_empty() {
                    p {
                        (dash.t("review-hits")) ": "
                        @for (rule, severity, mode) in &evidence.hits {
                            span class=(format!("tag {severity} {mode}")) { (rule) } " "
                        }
                    }
                }
            }
            @if let Some(note) = &case.note {
                h3 { (dash.t("review-note")) }
                blockquote.evidence { (note) }
            }
            h3 { (dash.t("review-actions-taken")) }
            @if case.actions.is_empty() {
                p.muted { (dash.t("review-no-actions")) }
            } @else {
                p {
                    @for action in &case.actions {
                        span.tag { (action.action.kind().as_str()) } " "
                    }
                }
            }
            (history_section(dash, history))
            @if !open {
                h3 { (dash.t("review-decision")) }
                p {
                    span.tag { (dash.t(&format!("review-status-{}", case.status))) } " "
                    @if let (Some(by), Some(at)) = (&case.decided_by, case.decided_at) {
                        (dash.ta("review-decided-by", &[("who", by.as_str().into()), ("time", when(at).into())]))
                    }
                }
                @if let Some(reason) = &case.decision_reason {
                    p { (dash.t("review-decision-reason")) ": " (reason) }
                }
            }
            @if can_decide && open {
                form.inline method="post" action=(format!("/review/{id}/decide")) {
                    (dash.csrf_field())
                    label.field for=(format!("reason-{id}")) {
                        (dash.t("review-reason-label"))
                        input #(format!("reason-{id}")) type="text" name="reason" maxlength="1000";
                    }
                    button type="submit" name="decision" value="confirm" data-shortcut="c" { (dash.t("review-confirm")) }
                    button.secondary type="submit" name="decision" value="dismiss" data-shortcut="d" { (dash.t("review-dismiss")) }
                    @if dash.can(Permission::Ban) {
                        button.danger type="submit" name="decision" value="ban" { (dash.t("review-change-ban")) }
                    }
                    button.secondary type="submit" name="decision" value="mute-day" { (dash.t("review-change-mute")) }
                }
            }
        }
    }
}

/// The member's violations and other cases.
fn history_section(dash: &Dash, history: &MemberHistory) -> Markup {
    html! {
        h3 { (dash.t("review-history")) }
        p {
            (dash.ta("review-history-violations", &[("count", history.violation_count.into())]))
            " · "
            (dash.ta("review-history-cases", &[("count", history.case_count.into())]))
        }
        @if !history.recent_violations.is_empty() || !history.recent_cases.is_empty() {
            ul {
                @for v in &history.recent_violations {
                    li {
                        (when(v.at)) " · " code { (v.rule) } " "
                        span class=(format!("tag {}", v.severity)) { (v.severity) }
                        @if let Some(group) = &v.group_title { " · " (group) }
                    }
                }
                @for c in &history.recent_cases {
                    li {
                        (when(c.at)) " · "
                        span.tag { (dash.t(&format!("review-kind-{}", c.kind))) } " "
                        (dash.ta("review-case", &[("id", c.id.into())])) " · "
                        (dash.t(&format!("review-status-{}", c.status)))
                        @if let Some(rule) = &c.rule { " · " code { (rule) } }
                    }
                }
            }
        }
    }
}

/// The message of a case and where the rules matched it.
#[derive(Debug, Default, PartialEq)]
struct Evidence {
    text: String,
    ranges: Vec<Range<usize>>,
    /// Rule, severity and mode of each hit.
    hits: Vec<(String, String, String)>,
}

impl Evidence {
    /// From the evidence JSON the pipeline stores:
    /// `{"text": ..., "hits": [{"rule", "severity", "mode", "evidence": [{"start", "end"}]}]}`.
    fn parse(json: &str) -> Option<Evidence> {
        let value: serde_json::Value = serde_json::from_str(json).ok()?;
        let text = value.get("text")?.as_str()?.to_owned();
        let mut evidence = Evidence {
            text,
            ..Evidence::default()
        };
        let field = |v: &serde_json::Value, name: &str| {
            v.get(name)
                .and_then(|f| f.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        for hit in value
            .get("hits")
            .and_then(|h| h.as_array())
            .into_iter()
            .flatten()
        {
            evidence.hits.push((
                field(hit, "rule"),
                field(hit, "severity"),
                field(hit, "mode"),
            ));
            for range in hit
                .get("evidence")
                .and_then(|e| e.as_array())
                .into_iter()
                .flatten()
            {
                let bound = |name: &str, idx: usize| {
                    range
                        .get(name)
                        .or_else(|| range.get(idx))
                        .and_then(|b| b.as_u64())
                        .and_then(|b| usize::try_from(b).ok())
                };
                if let (Some(start), Some(end)) = (bound("start", 0), bound("end", 1)) {
                    evidence.ranges.push(start..end);
                }
            }
        }
        Some(evidence)
    }
}

/// `text` cut into pieces at the byte ranges, each marked whether it is in
/// one. Ranges are clamped to the text and widened to character
/// boundaries; overlapping ones merge. Every piece is escaped when rendered.
fn highlight<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let ceil = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let mut spans: Vec<(usize, usize)> = ranges
        .iter()
        .map(|r| (floor(r.start), ceil(r.end)))
        .filter(|(start, end)| start < end)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut pieces = Vec::with_capacity(merged.len() * 2 + 1);
    let mut at = 0;
    for (start, end) in merged {
        if at < start {
            pieces.push((&text[at..start], false));
        }
        pieces.push((&text[start..end], true));
        at = end;
    }
    if at < text.len() {
        pieces.push((&text[at..], false));
    }
    pieces
}

/// A decision as the forms send it.
fn parse_decision(value: &str) -> Option<CaseDecision> {
    match value {
        "confirm" => Some(CaseDecision::Confirm),
        "dismiss" => Some(CaseDecision::Dismiss),
        "ban" => Some(CaseDecision::Change(Penalty::Ban { minutes: None })),
        "mute-day" => Some(CaseDecision::Change(Penalty::Mute { minutes: 24 * 60 })),
        _ => None,
    }
}

/// The reason typed, trimmed; none if empty; refused if too long.
fn parse_reason(dash: &Dash, reason: Option<&str>) -> Result<Option<String>, PageError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        Some(r) if r.chars().count() > MAX_REASON_CHARS => {
            Err(dash.bad_request(&dash.t("review-reason-too-long")))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

fn actor(dash: &Dash) -> String {
    Actor::User {
        id: dash.user.id,
        name: dash.user.name.clone(),
    }
    .label()
}

#[derive(Debug, Deserialize)]
struct DecideForm {
    decision: String,
    #[serde(default)]
    reason: Option<String>,
}

/// Changing a decision into a ban or a kick needs the right to ban, even
/// for someone allowed to decide review items.
fn require_penalty_right(dash: &Dash, decision: CaseDecision) -> Result<(), PageError> {
    match decision {
        CaseDecision::Change(Penalty::Ban { .. } | Penalty::Kick) => dash.require(Permission::Ban),
        _ => Ok(()),
    }
}

async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<DecideForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::DecideEscalations)?;
    let Some(decision) = parse_decision(&form.decision) else {
        return Err(dash.bad_request(&dash.t("review-unknown-decision")));
    };
    require_penalty_right(&dash, decision)?;
    let reason = parse_reason(&dash, form.reason.as_deref())?;
    let outcome = state
        .pipeline
        .decide_case(id, decision, &actor(&dash), reason.as_deref(), Utc::now())
        .await;
    match outcome {
        Ok(_) => Ok(Redirect::to("/review?notice=notice-decided").into_response()),
        Err(CaseError::AlreadyDecided(_)) => {
            Ok(Redirect::to("/review?notice=notice-already-decided").into_response())
        }
        Err(CaseError::NotFound(_)) => Err(dash.not_found()),
        Err(CaseError::Store(e)) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct BulkForm {
    decision: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    case: Vec<i64>,
}

async fn bulk(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<BulkForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::DecideEscalations)?;
    let Some(decision) = parse_decision(&form.decision) else {
        return Err(dash.bad_request(&dash.t("review-unknown-decision")));
    };
    require_penalty_right(&dash, decision)?;
    let reason = parse_reason(&dash, form.reason.as_deref())?;
    let mut ids = form.case;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Redirect::to("/review?notice=notice-none-selected").into_response());
    }
    if ids.len() > MAX_BULK {
        return Err(dash.bad_request(&dash.t("form-too-large")));
    }
    let actor = actor(&dash);
    let mut decided = 0_usize;
    let mut failed = Vec::new();
    for id in ids {
        match state
            .pipeline
            .decide_case(id, decision, &actor, reason.as_deref(), Utc::now())
            .await
        {
            Ok(_) => decided += 1,
            Err(CaseError::AlreadyDecided(_) | CaseError::NotFound(_)) => failed.push(id),
            Err(CaseError::Store(e)) => {
                tracing::error!(case = id, error = %e, "a bulk decision failed");
                failed.push(id);
            }
        }
    }
    let mut location = format!("/review?decided={decided}");
    if !failed.is_empty() {
        let list = failed
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        location.push_str(&format!("&failed={list}"));
    }
    Ok(Redirect::to(&location).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, ranges: &[(usize, usize)]) -> String {
        let ranges: Vec<Range<usize>> = ranges.iter().map(|&(start, end)| start..end).collect();
        highlight(text, &ranges)
            .into_iter()
            .map(|(piece, hit)| {
                if hit {
                    format!("[{piece}]")
                } else {
                    piece.to_owned()
                }
            })
            .collect()
    }

    #[test]
    fn ranges_are_marked_merged_and_kept_on_char_boundaries() {
        assert_eq!(render("send 1 btc now", &[(5, 10)]), "send [1 btc] now");
        assert_eq!(render("abcdef", &[(1, 3), (2, 4), (5, 99)]), "a[bcd]e[f]");
        // "加" is 3 bytes: a range inside it widens to the whole character.
        assert_eq!(render("a加b", &[(2, 3)]), "a[加]b");
        assert_eq!(render("abc", &[]), "abc");
        assert_eq!(render("abc", &[(2, 1), (7, 9)]), "abc");
        assert_eq!(render("", &[(0, 4)]), "");
    }

    #[test]
    fn evidence_is_read_from_the_stored_json() {
        let json = r#"{"text":"hi <b>","hits":[{"rule":"scam","severity":"high","mode":"enforce",
            "evidence":[{"start":3,"end":6}],"normalized":["b"]}],"trust":0}"#;
        let evidence = Evidence::parse(json).unwrap();
        assert_eq!(evidence.text, "hi <b>");
        assert_eq!(evidence.ranges, vec![Range { start: 3, end: 6 }]);
        assert_eq!(evidence.hits[0].0, "scam");
        assert!(Evidence::parse("not json").is_none());
    }

    #[test]
    fn decisions_are_known_by_name() {
        assert_eq!(parse_decision("confirm"), Some(CaseDecision::Confirm));
        assert_eq!(
            parse_decision("mute-day"),
            Some(CaseDecision::Change(Penalty::Mute { minutes: 1440 }))
        );
        assert_eq!(parse_decision("maybe"), None);
    }
}
