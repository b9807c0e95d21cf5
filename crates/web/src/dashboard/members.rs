//! The members pages: search across groups (`/members?q=`), a member's
//! profile (`/members/{id}`: names, groups, activity, violations, actions
//! taken, trust, notes), admins' notes (`POST /members/{id}/notes`) and
//! actions taken by hand (`POST /members/{id}/action`: warn, mute, unmute,
//! kick, ban, unban, in one group or across the community). The profile
//! also says how the member came into each group (join source), and
//! offers their data on request: a JSON export
//! (`GET /members/{id}/export`) and erasure (`POST /members/{id}/erase`).
//!
//! Permissions are checked here on every request: viewing needs `View`,
//! notes, warnings and mutes `Moderate`, kicks and bans `Ban`, the export
//! `ViewAudit`, erasure `ManageGroups` (owners and admins).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use chrono::{Duration, TimeZone, Utc};
use maud::{Markup, html};
use rand::RngCore;
use serde::Deserialize;
use steward_core::model::{GroupRole, Member};
use steward_core::{ActionKind, GroupId, MemberId, Permission, Timestamp};
use steward_moderation::{TrustInputs, TrustLevel};
use steward_storage::profiles::{JoinSource, MemberGroup, MemberHit};

use super::charts::{self, Point};
use super::page::{Dash, DashForm, PageError, action_tag, notice, urlencode, when};
use crate::AppState;

/// At most this many search results.
const SEARCH_LIMIT: i64 = 100;
/// At most this many violations and audit entries on a profile.
const HISTORY_LIMIT: i64 = 200;
/// Days of activity in the chart.
const ACTIVITY_DAYS: i64 = 30;
/// The longest note, in characters.
const MAX_NOTE_CHARS: usize = 4000;
/// The longest reason, in characters.
const MAX_REASON_CHARS: usize = 500;
/// The longest mute or timed ban, in minutes (a year, as the runtime allows).
const MAX_MINUTES: i64 = 366 * 24 * 60;
/// The actions a profile offers, in order.
const ACTIONS: [ActionKind; 6] = [
    ActionKind::Warn,
    ActionKind::Mute,
    ActionKind::Unmute,
    ActionKind::Kick,
    ActionKind::Ban,
    ActionKind::Unban,
];

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/members", get(search))
        .route("/members/{id}", get(profile))
        .route("/members/{id}/notes", post(add_note))
        .route("/members/{id}/action", post(act))
        .route("/members/{id}/export", get(export))
        .route("/members/{id}/erase", post(erase))
}

/// The permission an action needs.
fn needed(kind: ActionKind) -> Permission {
    match kind {
        ActionKind::Kick | ActionKind::Ban | ActionKind::Unban => Permission::Ban,
        _ => Permission::Moderate,
    }
}

fn parse_action(name: &str) -> Option<ActionKind> {
    ACTIONS.into_iter().find(|k| k.as_str() == name)
}

/// The name to show for a member.
fn display_name(member: &Member) -> &str {
    member
        .name
        .as_deref()
        .or(member.username.as_deref())
        .unwrap_or(&member.platform_id)
}

fn trust_key(level: TrustLevel) -> &'static str {
    match level {
        TrustLevel::New => "members-trust-new",
        TrustLevel::Basic => "members-trust-basic",
        TrustLevel::Member => "members-trust-member",
        TrustLevel::Regular => "members-trust-regular",
        TrustLevel::Leader => "members-trust-leader",
    }
}

fn trust_of(group: &MemberGroup, now: Timestamp) -> TrustLevel {
    TrustLevel::of(
        &TrustInputs {
            since: group.since,
            messages: group.messages,
            last_violation: group.last_violation,
            is_admin: group.role != GroupRole::Member,
        },
        now,
    )
}

fn group_label(title: Option<&str>, id: GroupId) -> String {
    title.map_or_else(|| format!("#{id}"), str::to_owned)
}

fn maybe_when(at: Option<Timestamp>) -> Markup {
    match at {
        Some(at) => html! { time datetime=(at.to_rfc3339()) { (when(at)) } },
        None => html! { span.muted { "—" } },
    }
}

/// A one-time id for a form, so the same form sent twice acts once.
fn request_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[derive(Debug, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<SearchQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    // The longest name a platform allows is far below this.
    let q: String = query.q.trim().chars().take(200).collect();
    let q = q.as_str();
    let hits = if q.is_empty() {
        state.store().recent_members(SEARCH_LIMIT).await?
    } else {
        state.store().search_members(q, SEARCH_LIMIT).await?
    };
    let heading = if q.is_empty() {
        dash.t("members-recent")
    } else {
        dash.ta(
            "members-results",
            &[
                ("query", q.into()),
                ("count", hits_count(hits.len()).into()),
            ],
        )
    };
    let body = html! {
        form.filters method="get" action="/members" role="search" {
            label for="member-q" {
                (dash.t("members-search-label"))
                input #member-q type="search" name="q" value=(q) maxlength="200"
                    placeholder=(dash.t("members-search-placeholder"));
            }
            button type="submit" { (dash.t("search")) }
        }
        p.muted { (dash.t("members-search-hint")) " " a href="/members/inactive" { (dash.t("members-inactive-link")) } }
        h2 { (heading) }
        @if hits.is_empty() {
            p.muted { (dash.t(if q.is_empty() { "none-yet" } else { "members-no-results" })) }
        } @else {
            (results_table(&dash, &hits))
        }
    };
    Ok(dash.page(&dash.t("nav-members"), body))
}

fn hits_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn results_table(dash: &Dash, hits: &[MemberHit]) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("members-col-name")) }
                        th scope="col" { (dash.t("members-col-username")) }
                        th scope="col" { (dash.t("members-col-platform")) }
                        th scope="col" { (dash.t("members-col-groups")) }
                        th scope="col" { (dash.t("members-col-last-active")) }
                        th scope="col" { (dash.t("members-col-violations")) }
                    }
                }
                tbody {
                    @for hit in hits {
                        tr {
                            td { a href=(format!("/members/{}", hit.member.id)) { (display_name(&hit.member)) } }
                            td {
                                @if let Some(username) = &hit.member.username {
                                    "@" (username)
                                } @else {
                                    span.muted { "—" }
                                }
                            }
                            td { (hit.member.platform.as_str()) " · " code { (hit.member.platform_id) } }
                            td { (hit.groups) }
                            td { (maybe_when(hit.last_active)) }
                            td {
                                @if hit.violations > 0 {
                                    span.tag.high { (hit.violations) }
                                } @else {
                                    "0"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct ProfileQuery {
    notice: Option<String>,
}

fn parse_id(dash: &Dash, raw: &str) -> Result<MemberId, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(MemberId)
        .ok_or_else(|| dash.not_found())
}

async fn load_member(state: &AppState, dash: &Dash, raw: &str) -> Result<Member, PageError> {
    let id = parse_id(dash, raw)?;
    state
        .store()
        .member(id)
        .await?
        .ok_or_else(|| dash.not_found())
}

async fn profile(
    State(state): State<AppState>,
    dash: Dash,
    Path(raw): Path<String>,
    Query(query): Query<ProfileQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let member = load_member(&state, &dash, &raw).await?;
    let store = state.store();
    let now = Utc::now();
    let names = store.member_names(member.id).await?;
    let groups = store.member_groups(member.id).await?;
    let violations = store.member_violations(member.id, HISTORY_LIMIT).await?;
    let audit = store.member_audit(member.id, HISTORY_LIMIT).await?;
    let notes = store.member_notes(member.id).await?;
    let erased_at = store.member_erased_at(member.id).await?;
    let sources = store.member_join_sources(member.id).await?;
    let exempt_in = store.member_exempt_groups(member.id).await?;
    let balances = super::points::member_levels(&state, member.id, dash.lang).await?;
    let today = now.timestamp_millis().div_euclid(86_400_000);
    let first_day = today - (ACTIVITY_DAYS - 1);
    let since = Utc
        .timestamp_millis_opt(first_day * 86_400_000)
        .single()
        .unwrap_or(now - Duration::days(ACTIVITY_DAYS));
    let daily: HashMap<i64, i64> = store
        .member_daily_messages(member.id, since)
        .await?
        .into_iter()
        .collect();
    let points: Vec<Point> = (first_day..=today)
        .map(|day| {
            let label = (since + Duration::days(day - first_day))
                .format("%m-%d")
                .to_string();
            #[allow(clippy::cast_precision_loss)]
            let value = daily.get(&day).copied().unwrap_or(0) as f64;
            Point::new(label, value)
        })
        .collect();
    let titles: HashMap<GroupId, String> = groups
        .iter()
        .map(|g| (g.group, group_label(g.title.as_deref(), g.group)))
        .collect();
    let trust = groups.iter().map(|g| trust_of(g, now)).max();
    let total_messages: i64 = groups.iter().map(|g| g.messages).sum();
    let name = display_name(&member).to_owned();

    let body = html! {
        (notice(&dash, query.notice.as_deref()))
        p { a href="/members" { "← " (dash.t("members-back")) } }
        @if let Some(at) = erased_at {
            p.notice role="status" { (dash.ta("members-erased-banner", &[("time", when(at).into())])) }
        }
        div.cards {
            div.card {
                h2 { (dash.t("members-account")) }
                p { (member.platform.as_str()) " · " code { (member.platform_id) } }
                @if let Some(username) = &member.username {
                    p { "@" (username) }
                }
            }
            div.card {
                h2 { (dash.t("members-trust")) }
                p.stat { (dash.t(trust_key(trust.unwrap_or(TrustLevel::New)))) }
                p.muted { (dash.t("members-trust-hint")) }
            }
            div.card {
                h2 { (dash.t("members-totals")) }
                p { (dash.ta("members-total-messages", &[("count", total_messages.into())])) }
                p { (dash.ta("members-total-groups", &[("count", hits_count(groups.len()).into())])) }
                p { (dash.ta("members-total-violations", &[("count", hits_count(violations.len()).into())])) }
            }
        }

        section aria-labelledby="names-h" {
            h2 #names-h { (dash.t("members-names")) }
            @if names.is_empty() {
                p.muted { (dash.t("none-yet")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("members-col-name")) }
                        th scope="col" { (dash.t("members-col-first-seen")) }
                    } }
                    tbody { @for (n, at) in names.iter().rev() {
                        tr { td { (n) } td { (maybe_when(Some(*at))) } }
                    } }
                } }
            }
        }

        section aria-labelledby="groups-h" {
            h2 #groups-h { (dash.t("members-groups")) }
            @if groups.is_empty() {
                p.muted { (dash.t("none-yet")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("group")) }
                        th scope="col" { (dash.t("members-col-community")) }
                        th scope="col" { (dash.t("members-col-role")) }
                        th scope="col" { (dash.t("members-col-joined")) }
                        th scope="col" { (dash.t("members-col-left")) }
                        th scope="col" { (dash.t("members-col-last-active")) }
                        th scope="col" { (dash.t("members-col-messages")) }
                        th scope="col" { (dash.t("members-trust")) }
                    } }
                    tbody { @for g in &groups {
                        tr {
                            td { (group_label(g.title.as_deref(), g.group)) }
                            td { (g.community_name.as_deref().unwrap_or("—")) }
                            td { (dash.t(&format!("members-role-{}", g.role.as_str()))) }
                            td { (maybe_when(g.joined_at)) }
                            td { (maybe_when(g.left_at)) }
                            td { (maybe_when(g.last_active)) }
                            td { (g.messages) }
                            td { span.tag { (dash.t(trust_key(trust_of(g, now)))) } }
                        }
                    } }
                } }
            }
        }

        (super::points::profile_section(&dash, &balances))

        (join_sources(&dash, &sources))

        @if dash.can(Permission::Ban) && !groups.is_empty() {
            section aria-labelledby="exempt-h" {
                h2 #exempt-h { (dash.t("members-exempt")) }
                p.muted { (dash.t("members-exempt-hint")) }
                ul.plain { @for g in &groups {
                    li {
                        form.inline method="post" action="/members/exempt" {
                            (dash.csrf_field())
                            input type="hidden" name="group" value=(g.group.0);
                            input type="hidden" name="member" value=(format!("#{}", member.id.0));
                            input type="hidden" name="back" value=(format!("/members/{}", member.id.0));
                            (group_label(g.title.as_deref(), g.group)) ": "
                            @if exempt_in.contains(&g.group) {
                                strong { (dash.t("members-exempt-yes")) } " "
                                input type="hidden" name="op" value="remove";
                                button.link type="submit" { (dash.t("members-exempt-remove")) }
                            } @else {
                                span.muted { (dash.t("members-exempt-no")) } " "
                                input type="hidden" name="op" value="add";
                                button.link type="submit" { (dash.t("members-exempt-add")) }
                            }
                        }
                    }
                } }
            }
        }

        section aria-labelledby="activity-h" {
            h2 #activity-h { (dash.t("members-activity")) }
            (charts::bars(&dash.t("members-activity-chart"), &points))
        }

        section aria-labelledby="violations-h" {
            h2 #violations-h { (dash.t("members-violations")) }
            @if violations.is_empty() {
                p.muted { (dash.t("members-no-violations")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("time")) }
                        th scope="col" { (dash.t("group")) }
                        th scope="col" { (dash.t("members-col-rule")) }
                        th scope="col" { (dash.t("members-col-severity")) }
                        th scope="col" { (dash.t("members-col-points")) }
                        th scope="col" { (dash.t("members-col-expires")) }
                    } }
                    tbody { @for v in &violations {
                        tr {
                            td { (maybe_when(Some(v.at))) }
                            td { (group_label(v.group_title.as_deref(), v.group)) }
                            td { code { (v.rule) } }
                            td { span class=(format!("tag {}", v.severity)) { (v.severity) } }
                            td { (v.points) }
                            td {
                                (maybe_when(Some(v.expires_at)))
                                @if v.expires_at <= now { " " span.muted { (dash.t("members-expired")) } }
                            }
                        }
                    } }
                } }
            }
        }

        @if dash.can(Permission::ViewAudit) {
            section aria-labelledby="taken-h" {
                h2 #taken-h { (dash.t("members-taken")) }
                @if audit.is_empty() {
                    p.muted { (dash.t("none-yet")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("time")) }
                            th scope="col" { (dash.t("action")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("members-col-by")) }
                            th scope="col" { (dash.t("reason")) }
                        } }
                        tbody { @for entry in &audit {
                            tr {
                                td { (maybe_when(Some(entry.at))) }
                                td { (action_tag(&dash, &entry.action)) }
                                td {
                                    @match entry.group {
                                        Some(g) => (titles.get(&g).cloned().unwrap_or_else(|| format!("#{g}"))),
                                        None => span.muted { "—" },
                                    }
                                }
                                td { (entry.actor) }
                                td {
                                    // Erasure keeps the log's rows; the
                                    // profile no longer shows what they say.
                                    @if erased_at.is_none() { (entry.reason.as_deref().unwrap_or("")) }
                                    @if let Some(rule) = &entry.rule { " " code { (rule) } }
                                }
                            }
                        } }
                    } }
                }
            }
        }

        @if dash.can(Permission::Moderate) && !groups.is_empty() {
            (action_form(&dash, member.id, &groups))
        }

        @if dash.can(Permission::ViewAudit) {
            section #privacy aria-labelledby="privacy-h" {
                h2 #privacy-h { (dash.t("members-privacy")) }
                p.muted { (dash.t("members-export-hint")) }
                p { a.button href=(format!("/members/{}/export", member.id)) download=(format!("member-{}.json", member.id)) { (dash.t("members-export")) } }
                @if dash.can(Permission::ManageGroups) && erased_at.is_none() {
                    form.stack.card method="post" action=(format!("/members/{}/erase", member.id)) {
                        (dash.csrf_field())
                        p { (dash.t("members-erase-hint")) }
                        label for="erase-confirm" { (dash.ta("members-erase-confirm", &[("id", member.id.0.into())])) }
                        input #erase-confirm type="text" name="confirm" required inputmode="numeric" autocomplete="off";
                        button.danger type="submit" { (dash.t("members-erase")) }
                    }
                }
            }
        }

        section #notes aria-labelledby="notes-h" {
            h2 #notes-h { (dash.t("members-notes")) }
            @if notes.is_empty() {
                p.muted { (dash.t("members-no-notes")) }
            } @else {
                @for note in &notes {
                    article.card {
                        p.muted { (note.author) " · " (maybe_when(Some(note.created_at))) }
                        p { (note.body) }
                    }
                }
            }
            @if dash.can(Permission::Moderate) {
                form.stack method="post" action=(format!("/members/{}/notes", member.id)) {
                    (dash.csrf_field())
                    label for="note-body" { (dash.t("members-note-label")) }
                    textarea #note-body name="body" required maxlength=(MAX_NOTE_CHARS) {}
                    button type="submit" { (dash.t("members-note-add")) }
                }
            }
        }
    };
    Ok(dash.page(&name, body))
}

/// How the member came into each group.
fn join_sources(dash: &Dash, sources: &[JoinSource]) -> Markup {
    html! {
        section aria-labelledby="source-h" {
            h2 #source-h { (dash.t("members-join-source")) }
            @if sources.is_empty() {
                p.muted { (dash.t("none-yet")) }
            } @else {
                div.table-wrap { table {
                    thead { tr {
                        th scope="col" { (dash.t("group")) }
                        th scope="col" { (dash.t("members-col-joined")) }
                        th scope="col" { (dash.t("members-join-how")) }
                    } }
                    tbody { @for s in sources {
                        tr {
                            td { (group_label(s.group_title.as_deref(), s.group)) }
                            td { (maybe_when(s.joined_at)) }
                            td {
                                ul.plain {
                                    @if let Some((id, name)) = &s.inviter {
                                        li { (dash.t("members-source-added-by")) " " a href=(format!("/members/{id}")) { (name) } }
                                    }
                                    @if let Some(link) = &s.invite_link {
                                        li {
                                            (dash.t("members-source-link")) " " code { (link) }
                                            @if let Some(purpose) = &s.link_purpose { " " span.tag { (purpose) } }
                                            @if let Some((id, name)) = &s.link_owner {
                                                " " (dash.t("members-source-link-of")) " " a href=(format!("/members/{id}")) { (name) }
                                            }
                                        }
                                    }
                                    @if let Some((id, name, counted)) = &s.referrer {
                                        li {
                                            (dash.t("members-source-referral")) " " a href=(format!("/members/{id}")) { (name) }
                                            @if !counted { " " span.muted { (dash.t("members-source-not-counted")) } }
                                        }
                                    }
                                    @if s.join_request { li { (dash.t("members-source-request")) } }
                                    @if let Some(status) = &s.screening {
                                        li { (dash.t("members-source-screening")) " " span.tag { (status) } }
                                    }
                                    @if s.inviter.is_none() && s.invite_link.is_none() && s.referrer.is_none() && !s.join_request && s.screening.is_none() {
                                        li.muted { (dash.t("members-source-unknown")) }
                                    }
                                }
                            }
                        }
                    } }
                } }
            }
        }
    }
}

fn action_form(dash: &Dash, member: MemberId, groups: &[MemberGroup]) -> Markup {
    let allowed: Vec<ActionKind> = ACTIONS
        .into_iter()
        .filter(|k| dash.can(needed(*k)))
        .collect();
    html! {
        section aria-labelledby="act-h" {
            h2 #act-h { (dash.t("members-act")) }
            form.stack.card method="post" action=(format!("/members/{member}/action")) {
                (dash.csrf_field())
                input type="hidden" name="request" value=(request_id());
                label for="act-action" { (dash.t("action")) }
                select #act-action name="action" required {
                    @for kind in &allowed {
                        option value=(kind.as_str()) { (dash.t(&format!("members-action-{}", kind.as_str()))) }
                    }
                }
                label for="act-group" { (dash.t("members-act-where")) }
                select #act-group name="group" required {
                    @for g in groups {
                        option value=(g.group.0) { (group_label(g.title.as_deref(), g.group)) }
                    }
                    option value="community" {
                        (dash.ta("members-act-community", &[("count", hits_count(groups.len()).into())]))
                    }
                }
                label for="act-minutes" { (dash.t("members-act-minutes")) }
                input #act-minutes type="number" name="minutes" min="1" max=(MAX_MINUTES) step="1" inputmode="numeric";
                p.muted { (dash.t("members-act-minutes-hint")) }
                label for="act-reason" { (dash.t("reason")) }
                input #act-reason type="text" name="reason" maxlength=(MAX_REASON_CHARS);
                @if !dash.can(Permission::Ban) {
                    p.muted { (dash.t("members-act-ban-needs")) }
                }
                button.danger type="submit" { (dash.t("members-act-submit")) }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    body: String,
}

async fn add_note(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<NoteForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::Moderate)?;
    let member = load_member(&state, &dash, &raw).await?;
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > MAX_NOTE_CHARS {
        return Err(dash.bad_request(&dash.ta(
            "members-note-bad",
            &[("max", hits_count(MAX_NOTE_CHARS).into())],
        )));
    }
    state
        .store()
        .add_member_note(member.id, &dash.user.name, body, Utc::now())
        .await?;
    Ok(Redirect::to(&format!(
        "/members/{}?notice=notice-member-note-added#notes",
        member.id
    )))
}

#[derive(Debug, Deserialize)]
struct ActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    request: String,
}

async fn act(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<ActionForm>,
) -> Result<Redirect, PageError> {
    // Nothing here is open to viewers; the action decides the rest.
    dash.require(Permission::Moderate)?;
    let Some(kind) = parse_action(form.action.trim()) else {
        return Err(dash.bad_request(&dash.t("members-bad-action")));
    };
    dash.require(needed(kind))?;
    let member = load_member(&state, &dash, &raw).await?;
    let minutes = match form.minutes.trim() {
        "" => None,
        m => match m.parse::<i64>() {
            Ok(m) if (1..=MAX_MINUTES).contains(&m) => Some(m),
            _ => return Err(dash.bad_request(&minutes_problem(&dash))),
        },
    };
    let minutes = match kind {
        ActionKind::Mute if minutes.is_none() => {
            return Err(dash.bad_request(&minutes_problem(&dash)));
        }
        ActionKind::Mute | ActionKind::Ban => minutes,
        _ => None,
    };
    let group = match form.group.trim() {
        "community" => None,
        g => {
            let groups = state.store().member_groups(member.id).await?;
            let found = g
                .parse::<i64>()
                .ok()
                .map(GroupId)
                .filter(|id| groups.iter().any(|m| m.group == *id));
            match found {
                Some(id) => Some(id),
                None => return Err(dash.bad_request(&dash.t("members-bad-group"))),
            }
        }
    };
    let reason: String = form.reason.trim().chars().take(MAX_REASON_CHARS).collect();
    let request = match form.request.trim() {
        r if !r.is_empty()
            && r.len() <= 64
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            r.to_owned()
        }
        _ => request_id(),
    };
    let outcome = state
        .pipeline
        .manual_action(
            member.id,
            kind,
            minutes,
            group,
            &format!("user:{}", dash.user.name),
            Some(reason.as_str()),
            &request,
            Utc::now(),
        )
        .await;
    let key = match outcome {
        Ok(outcome) if outcome.repeated => "notice-member-action-repeated",
        Ok(outcome) if outcome.queued.is_empty() => "notice-member-action-none",
        Ok(outcome) if !outcome.skipped.is_empty() => "notice-member-action-some-skipped",
        Ok(_) => "notice-action-queued",
        Err(error) if error.is_refusal() => {
            let problem = dash.ta("form-invalid", &[("problem", error.to_string().into())]);
            return Err(dash.bad_request(&problem));
        }
        Err(error) => return Err(PageError::Internal(error.to_string())),
    };
    Ok(Redirect::to(&format!(
        "/members/{}?notice={}",
        member.id,
        urlencode(key)
    )))
}

/// The member's data as a JSON download, audited as `member_exported`.
async fn export(
    State(state): State<AppState>,
    dash: Dash,
    Path(raw): Path<String>,
) -> Result<axum::response::Response, PageError> {
    dash.require(Permission::ViewAudit)?;
    let id = parse_id(&dash, &raw)?;
    let Some(export) = state
        .store()
        .export_member_audited(id, &format!("user:{}", dash.user.name), Utc::now())
        .await?
    else {
        return Err(dash.not_found());
    };
    let body =
        serde_json::to_vec_pretty(&export).map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"member-{}.json\"", id.0),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Erases the member's data on request; the confirmation must repeat their id.
async fn erase(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    DashForm(dash, form): DashForm<EraseForm>,
) -> Result<Redirect, PageError> {
    dash.require(Permission::ManageGroups)?;
    let member = load_member(&state, &dash, &raw).await?;
    if form.confirm.trim().trim_start_matches('#') != member.id.0.to_string() {
        return Err(
            dash.bad_request(&dash.ta("members-erase-mismatch", &[("id", member.id.0.into())]))
        );
    }
    state
        .pipeline
        .erase_member(member.id, &format!("user:{}", dash.user.name), Utc::now())
        .await
        .map_err(crate::ApiError::from)?;
    Ok(Redirect::to(&format!(
        "/members/{}?notice=notice-member-erased",
        member.id
    )))
}

fn minutes_problem(dash: &Dash) -> String {
    dash.ta("members-bad-minutes", &[("max", MAX_MINUTES.into())])
}
