//! The scheduled posts page (群SOP): every post with its status in the
//! approval flow and the buttons for the moves the user may make (operators
//! draft and submit with `DraftPosts`, admins approve or reject with a
//! reason with `ApprovePosts`; the server checks each), a calendar of the
//! next 14 days (which post goes to which group when, in the group's time
//! zone, and each group's quiet hours), the history of publications, and
//! the form for a new draft, and a page to edit a draft (a post waiting
//! for approval or rejected goes back to draft when edited, so an admin
//! approves what is sent). A typed time is read in a time zone the form
//! names: the target group's, for a whole community its first group's, or
//! one picked from the list. The pipeline audits every move.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Duration, NaiveDateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::posts::{LinkButton, MAX_POST_TEXT, MAX_POST_TITLE, PostStatus, Schedule};
use steward_core::settings::ChatSettings;
use steward_core::zone::Zone;
use steward_core::{CommunityId, GroupId, Permission, Timestamp};
use steward_runtime::{PostError, check_post};
use steward_storage::entities::GroupSummary;
use steward_storage::posts::{Post, PostDraft};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Posts the list shows.
const LIST: i64 = 200;
/// Days the calendar shows.
const CALENDAR_DAYS: i64 = 14;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/posts", get(page).post(create))
        .route("/posts/{id}/move", post(move_post))
        .route("/posts/{id}/edit", get(edit_page).post(edit))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    notice: Option<String>,
}

async fn chat_settings(state: &AppState, group: GroupId) -> Result<ChatSettings, PageError> {
    Ok(state
        .store()
        .group_settings_json(group)
        .await?
        .and_then(|json| serde_json::from_str::<ChatSettings>(&json).ok())
        .unwrap_or_default())
}

fn group_label(groups: &[GroupSummary], group: GroupId) -> String {
    groups
        .iter()
        .find(|g| g.group.id == group)
        .map_or_else(|| format!("#{}", group.0), |g| group_name(&g.group))
}

fn target_label(dash: &Dash, groups: &[GroupSummary], post: &Post) -> String {
    match (post.draft.group, post.draft.community) {
        (Some(group), _) => group_label(groups, group),
        (None, Some(community)) => {
            let name = groups
                .iter()
                .find(|g| g.group.community == Some(community))
                .and_then(|g| g.community_name.clone())
                .unwrap_or_else(|| format!("#{}", community.0));
            dash.ta("posts-community", &[("name", name.into())])
        }
        (None, None) => String::new(),
    }
}

/// Where a post can go (`g:1`, `c:2`) and the time zone its typed time is
/// read in there.
struct Target {
    value: String,
    label: String,
    zone: Zone,
    /// For a community: the groups do not all share `zone`.
    mixed: bool,
}

/// Every group and community a post can go to. A community's zone is its
/// first group's (the oldest), which is all of them when they agree.
async fn targets(
    state: &AppState,
    dash: &Dash,
    groups: &[GroupSummary],
) -> Result<Vec<Target>, PageError> {
    let mut zoned = Vec::with_capacity(groups.len());
    for g in groups {
        zoned.push((g, chat_settings(state, g.group.id).await?.zone()));
    }
    let mut out: Vec<Target> = zoned
        .iter()
        .map(|(g, zone)| Target {
            value: format!("g:{}", g.group.id.0),
            label: group_name(&g.group),
            zone: *zone,
            mixed: false,
        })
        .collect();
    zoned.sort_by_key(|(g, _)| g.group.id.0);
    let mut communities: Vec<Target> = Vec::new();
    for (g, zone) in &zoned {
        let (Some(c), Some(name)) = (g.group.community, &g.community_name) else {
            continue;
        };
        let value = format!("c:{}", c.0);
        match communities.iter_mut().find(|t| t.value == value) {
            Some(t) => t.mixed |= t.zone != *zone,
            None => communities.push(Target {
                value,
                label: dash.ta("posts-community", &[("name", name.as_str().into())]),
                zone: *zone,
                mixed: false,
            }),
        }
    }
    out.extend(communities);
    Ok(out)
}

/// The time zones the groups are set to (as written in their settings),
/// and UTC: the choices besides the target's own.
async fn zone_choices(state: &AppState, groups: &[GroupSummary]) -> Result<Vec<String>, PageError> {
    let mut out = vec!["UTC".to_owned()];
    for g in groups {
        if let Some(name) = chat_settings(state, g.group.id).await?.timezone
            && Zone::parse(&name).is_some()
            && !out.iter().any(|z| z.eq_ignore_ascii_case(name.trim()))
        {
            out.push(name.trim().to_owned());
        }
    }
    Ok(out)
}

fn schedule_label(schedule: &Schedule) -> String {
    match schedule {
        Schedule::Once { at } => format!("{} UTC", when(*at)),
        Schedule::Cron { expr } => format!("cron `{expr}`"),
    }
}

fn status_label(dash: &Dash, status: PostStatus) -> String {
    dash.t(&format!("posts-status-{}", status.as_str()))
}

/// One line of the calendar.
struct Slot {
    at: Timestamp,
    local: String,
    day: String,
    group: String,
    title: String,
    held: bool,
}

async fn calendar(
    state: &AppState,
    groups: &[GroupSummary],
    now: Timestamp,
) -> Result<Vec<Slot>, PageError> {
    let until = now + Duration::days(CALENDAR_DAYS);
    let mut slots = Vec::new();
    for target in state.store().scheduled_post_targets().await? {
        let (Some(post), Some(due)) = (state.store().post(target.post).await?, target.due) else {
            continue;
        };
        let zone = chat_settings(state, target.group).await?.zone();
        let mut times = vec![(due, target.slot != Some(due))];
        let after = target.slot.unwrap_or(due).max(due);
        times.extend(
            post.draft
                .schedule
                .times_between(zone, after + Duration::milliseconds(1), until, 60)
                .into_iter()
                .map(|t| (t, false)),
        );
        for (at, held) in times.into_iter().filter(|(t, _)| *t < until) {
            let local = at.with_timezone(&zone.offset_at(at));
            slots.push(Slot {
                at,
                local: format!("{} {}", local.format("%H:%M"), zone.label_at(at)),
                day: local.format("%Y-%m-%d").to_string(),
                group: group_label(groups, target.group),
                title: post.draft.title.clone(),
                held,
            });
        }
    }
    slots.sort_by_key(|s| s.at);
    Ok(slots)
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let posts = state.store().posts(None, LIST).await?;
    let history = state.store().post_publications(None, 50).await?;
    let now = Utc::now();
    let slots = calendar(&state, &groups, now).await?;
    let mut quiet = Vec::new();
    for g in &groups {
        let settings = chat_settings(&state, g.group.id).await?;
        if let (Some(start), Some(end)) = (&settings.posts.quiet_start, &settings.posts.quiet_end) {
            quiet.push((
                group_name(&g.group),
                format!("{start}–{end}"),
                settings.posts.daily_cap,
            ));
        }
    }
    let choices = targets(&state, &dash, &groups).await?;
    let zones = zone_choices(&state, &groups).await?;
    let draft = dash.can(Permission::DraftPosts);
    let approve = dash.can(Permission::ApprovePosts);
    let title = dash.t("posts-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("posts-intro")) }
            section.card aria-labelledby="posts-calendar-h" {
                h2 #posts-calendar-h { (dash.t("posts-calendar")) }
                @if slots.is_empty() {
                    p.muted { (dash.t("posts-calendar-empty")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("posts-day")) }
                            th scope="col" { (dash.t("posts-time")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("posts-name")) }
                        } }
                        tbody {
                            @for s in &slots {
                                tr {
                                    td { (s.day) }
                                    td { (s.local) @if s.held { " " span.muted { (dash.t("posts-held")) } } }
                                    td { (s.group) }
                                    td { (s.title) }
                                }
                            }
                        }
                    } }
                }
                @if !quiet.is_empty() {
                    h3 { (dash.t("posts-quiet")) }
                    ul {
                        @for (group, window, cap) in &quiet {
                            li {
                                (group) ": " (window)
                                @if let Some(cap) = cap { " · " (dash.ta("posts-cap", &[("count", i64::from(*cap).into())])) }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="posts-list-h" {
                h2 #posts-list-h { (dash.t("posts-list")) }
                @if posts.is_empty() {
                    p.muted { (dash.t("posts-none")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("posts-name")) }
                            th scope="col" { (dash.t("posts-target")) }
                            th scope="col" { (dash.t("posts-schedule")) }
                            th scope="col" { (dash.t("posts-status")) }
                            th scope="col" { (dash.t("posts-actions")) }
                        } }
                        tbody {
                            @for p in &posts {
                                tr {
                                    td {
                                        strong { (p.draft.title) }
                                        br;
                                        span.muted { (p.draft.text.chars().take(120).collect::<String>()) }
                                    }
                                    td { (target_label(&dash, &groups, p)) }
                                    td { (schedule_label(&p.draft.schedule)) }
                                    td {
                                        (status_label(&dash, p.status))
                                        @if let Some(reason) = &p.reason { br; span.muted { (reason) } }
                                    }
                                    td { (actions(&dash, p, draft, approve)) }
                                }
                            }
                        }
                    } }
                }
            }
            section.card aria-labelledby="posts-history-h" {
                h2 #posts-history-h { (dash.t("posts-history")) }
                @if history.is_empty() {
                    p.muted { (dash.t("posts-history-none")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("posts-sent-at")) }
                            th scope="col" { (dash.t("posts-name")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("posts-slot")) }
                        } }
                        tbody {
                            @for h in &history {
                                tr {
                                    td { (when(h.sent_at)) " UTC" }
                                    td { (h.title) }
                                    td { (group_label(&groups, h.group)) }
                                    td { (when(h.slot)) " UTC" }
                                }
                            }
                        }
                    } }
                }
            }
            @if draft && !groups.is_empty() {
                section.card aria-labelledby="posts-new-h" {
                    h2 #posts-new-h { (dash.t("posts-new")) }
                    form.stack method="post" action="/posts" {
                        (post_fields(&dash, &choices, &zones, None, now))
                        div.actions { button type="submit" { (dash.t("posts-create")) } }
                    }
                }
            }
        },
    ))
}

/// The fields of a post, empty or filled from `post`; the typed time is
/// shown in the target's zone.
fn post_fields(
    dash: &Dash,
    targets: &[Target],
    zones: &[String],
    post: Option<&PostDraft>,
    now: Timestamp,
) -> Markup {
    let chosen = post.map(|p| match (p.group, p.community) {
        (Some(g), _) => format!("g:{}", g.0),
        (None, Some(c)) => format!("c:{}", c.0),
        (None, None) => String::new(),
    });
    let (at, cron) = match post.map(|p| &p.schedule) {
        Some(Schedule::Once { at }) => {
            let zone = targets
                .iter()
                .find(|t| Some(&t.value) == chosen.as_ref())
                .map_or_else(Zone::default, |t| t.zone);
            let local = at.with_timezone(&zone.offset_at(*at));
            (local.format("%Y-%m-%dT%H:%M").to_string(), String::new())
        }
        Some(Schedule::Cron { expr }) => (String::new(), expr.clone()),
        None => (String::new(), String::new()),
    };
    let buttons = post.map_or_else(String::new, |p| {
        p.buttons
            .iter()
            .map(|b| format!("{} {}", b.text, b.url))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let mixed: Vec<&Target> = targets.iter().filter(|t| t.mixed).collect();
    html! {
        (dash.csrf_field())
        label for="post-target" { (dash.t("posts-target")) }
        select #post-target name="target" {
            @for t in targets {
                option value=(t.value) selected[Some(&t.value) == chosen.as_ref()] {
                    (t.label) " · " (t.zone.label_at(now))
                }
            }
        }
        label for="post-title" { (dash.t("posts-name")) }
        input #post-title type="text" name="title" required maxlength=(MAX_POST_TITLE) value=[post.map(|p| p.title.as_str())];
        label for="post-text" { (dash.t("posts-text")) }
        textarea #post-text name="text" required maxlength=(MAX_POST_TEXT) rows="6" { (post.map_or("", |p| p.text.as_str())) }
        label for="post-image" { (dash.t("posts-image")) }
        input #post-image type="url" name="image_url" value=[post.and_then(|p| p.image_url.as_deref())];
        label for="post-buttons" { (dash.t("posts-buttons")) }
        textarea #post-buttons name="buttons" rows="2" aria-describedby="post-buttons-hint" { (buttons) }
        small #post-buttons-hint .muted { (dash.t("posts-buttons-hint")) }
        label for="post-at" { (dash.t("posts-at")) }
        input #post-at type="datetime-local" name="at" value=(at) aria-describedby="post-at-hint";
        label for="post-zone" { (dash.t("posts-zone")) }
        select #post-zone name="zone" aria-describedby="post-at-hint" {
            option value="" { (dash.t("posts-zone-target")) }
            @for z in zones {
                option value=(z) { (z) }
            }
        }
        small #post-at-hint .muted {
            (dash.t("posts-at-hint"))
            @for t in &mixed {
                " " (dash.ta("posts-zone-mixed", &[("name", t.label.as_str().into()), ("zone", t.zone.label_at(now).into())]))
            }
        }
        label for="post-cron" { (dash.t("posts-cron")) }
        input #post-cron type="text" name="cron" placeholder="0 9 * * 1-5" value=(cron) aria-describedby="post-cron-hint";
        small #post-cron-hint .muted { (dash.t("posts-cron-hint")) }
    }
}

/// Whether a post in this status can be edited (drafts; a post waiting
/// for approval or rejected goes back to draft first).
fn editable(status: PostStatus) -> bool {
    matches!(
        status,
        PostStatus::Draft | PostStatus::Pending | PostStatus::Rejected
    )
}

async fn edit_page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    dash: Dash,
) -> Result<Markup, PageError> {
    dash.require(Permission::DraftPosts)?;
    let Some(post) = state.store().post(id).await? else {
        return Err(dash.not_found());
    };
    if !editable(post.status) {
        return Err(dash.bad_request(&dash.t("posts-bad-edit")));
    }
    let groups = state.store().list_groups().await?;
    let choices = targets(&state, &dash, &groups).await?;
    let zones = zone_choices(&state, &groups).await?;
    let title = dash.ta(
        "posts-edit-title",
        &[("title", post.draft.title.as_str().into())],
    );
    Ok(dash.page(
        &title,
        html! {
            p.muted {
                (dash.t("posts-status")) ": " (status_label(&dash, post.status))
                @if post.status != PostStatus::Draft { " · " (dash.t("posts-edit-back-to-draft")) }
            }
            section.card aria-labelledby="posts-edit-h" {
                h2 #posts-edit-h { (dash.t("posts-edit")) }
                form.stack method="post" action=(format!("/posts/{id}/edit")) {
                    (post_fields(&dash, &choices, &zones, Some(&post.draft), Utc::now()))
                    div.actions {
                        button type="submit" { (dash.t("posts-save")) }
                        a href="/posts" { (dash.t("posts-cancel")) }
                    }
                }
            }
        },
    ))
}

async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<PostForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::DraftPosts)?;
    let draft = read_form(&state, &dash, &form).await?;
    let Some(post) = state.store().post(id).await? else {
        return Err(dash.not_found());
    };
    if !editable(post.status) {
        return Err(dash.bad_request(&dash.t("posts-bad-edit")));
    }
    // Checked before the post leaves its status, so a refused edit leaves
    // it where it was.
    check_post(&draft).map_err(|err| post_error(&dash, err))?;
    let actor = format!("user:{}", dash.user.name);
    let now = Utc::now();
    if post.status != PostStatus::Draft {
        state
            .pipeline
            .move_post(id, PostStatus::Draft, None, &actor, now)
            .await
            .map_err(|err| post_error(&dash, err))?;
    }
    match state.pipeline.edit_post(id, &draft, &actor, now).await {
        Ok(()) => Ok(Redirect::to("/posts?notice=notice-saved").into_response()),
        Err(err) => Err(post_error(&dash, err)),
    }
}

fn move_button(dash: &Dash, id: i64, to: PostStatus, key: &str) -> Markup {
    html! {
        form.inline method="post" action=(format!("/posts/{id}/move")) {
            (dash.csrf_field())
            input type="hidden" name="to" value=(to.as_str());
            button type="submit" { (dash.t(key)) }
        }
    }
}

fn actions(dash: &Dash, post: &Post, draft: bool, approve: bool) -> Markup {
    let id = post.id;
    html! {
        @if draft && editable(post.status) {
            a.inline href=(format!("/posts/{id}/edit")) { (dash.t("posts-edit")) }
            " "
        }
        @match post.status {
            PostStatus::Draft if draft => { (move_button(dash, id, PostStatus::Pending, "posts-submit")) }
            PostStatus::Pending if approve => {
                (move_button(dash, id, PostStatus::Scheduled, "posts-approve"))
                form.inline method="post" action=(format!("/posts/{id}/move")) {
                    (dash.csrf_field())
                    input type="hidden" name="to" value="rejected";
                    label for=(format!("reject-{id}")) { (dash.t("posts-reason")) }
                    input id=(format!("reject-{id}")) type="text" name="reason" required;
                    button.danger type="submit" { (dash.t("posts-reject")) }
                }
            }
            PostStatus::Rejected | PostStatus::Scheduled | PostStatus::Pending if draft => {
                (move_button(dash, id, PostStatus::Draft, "posts-withdraw"))
            }
            _ => {}
        }
    }
}

#[derive(Debug, Deserialize)]
struct PostForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    image_url: String,
    #[serde(default)]
    buttons: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    cron: String,
    /// A time zone for `at`; empty: the target's.
    #[serde(default)]
    zone: String,
}

/// `Label https://link` per line.
fn parse_buttons(text: &str) -> Option<Vec<LinkButton>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (label, url) = line.rsplit_once(char::is_whitespace)?;
            Some(LinkButton {
                text: label.trim().to_owned(),
                url: url.trim().to_owned(),
            })
        })
        .collect()
}

async fn create(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<PostForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::DraftPosts)?;
    let draft = read_form(&state, &dash, &form).await?;
    let actor = format!("user:{}", dash.user.name);
    match state.pipeline.draft_post(&draft, &actor, Utc::now()).await {
        Ok(_) => Ok(Redirect::to("/posts?notice=notice-saved").into_response()),
        Err(err) => Err(post_error(&dash, err)),
    }
}

/// The post a submitted form describes, its target checked against the
/// known groups and its time read in the chosen zone.
async fn read_form(state: &AppState, dash: &Dash, form: &PostForm) -> Result<PostDraft, PageError> {
    let bad = |key: &str| dash.bad_request(&dash.t(key));
    let groups = state.store().list_groups().await?;
    let (group, community) = match form.target.trim().split_once(':') {
        Some(("g", id)) => {
            let id = GroupId(id.parse().map_err(|_| bad("posts-bad-target"))?);
            if !groups.iter().any(|g| g.group.id == id) {
                return Err(bad("posts-bad-target"));
            }
            (Some(id), None)
        }
        Some(("c", id)) => {
            let id = CommunityId(id.parse().map_err(|_| bad("posts-bad-target"))?);
            if !groups.iter().any(|g| g.group.community == Some(id)) {
                return Err(bad("posts-bad-target"));
            }
            (None, Some(id))
        }
        _ => return Err(bad("posts-bad-target")),
    };
    let schedule = if !form.cron.trim().is_empty() {
        Schedule::Cron {
            expr: form.cron.trim().to_owned(),
        }
    } else {
        let zone = if form.zone.trim().is_empty() {
            let target = targets(state, dash, &groups).await?;
            let value = form.target.trim();
            target
                .iter()
                .find(|t| t.value == value)
                .map_or_else(Zone::default, |t| t.zone)
        } else {
            Zone::parse(&form.zone).ok_or_else(|| bad("posts-bad-zone"))?
        };
        let local = NaiveDateTime::parse_from_str(form.at.trim(), "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(form.at.trim(), "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| bad("posts-bad-schedule"))?;
        Schedule::Once {
            at: zone.to_utc(local),
        }
    };
    Ok(PostDraft {
        group,
        community,
        title: form.title.trim().to_owned(),
        text: form.text.trim().to_owned(),
        image_url: Some(form.image_url.trim().to_owned()).filter(|u| !u.is_empty()),
        buttons: parse_buttons(&form.buttons).ok_or_else(|| bad("posts-bad-buttons"))?,
        schedule,
    })
}

fn post_error(dash: &Dash, err: PostError) -> PageError {
    let bad = |key: &str| dash.bad_request(&dash.t(key));
    match err {
        PostError::NotFound => dash.not_found(),
        PostError::Invalid("title") => bad("posts-bad-title"),
        PostError::Invalid("text") => bad("posts-bad-text"),
        PostError::Invalid("image_url") => bad("posts-bad-image"),
        PostError::Invalid("buttons") => bad("posts-bad-buttons"),
        PostError::Invalid("schedule") => bad("posts-bad-schedule"),
        PostError::Invalid("reason") => bad("posts-bad-reason"),
        PostError::Invalid(_) => bad("posts-bad-target"),
        PostError::WrongStatus(_) => bad("posts-bad-move"),
        PostError::Pipeline(err) => PageError::Internal(err.to_string()),
    }
}

#[derive(Debug, Deserialize)]
struct MoveForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
}

async fn move_post(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<MoveForm>,
) -> Result<Response, PageError> {
    let Some(to) = PostStatus::parse(form.to.trim()) else {
        return Err(dash.bad_request(&dash.t("posts-bad-move")));
    };
    // Approving and rejecting are the admins' (管理员抽查); the rest is
    // the drafters'.
    match to {
        PostStatus::Scheduled | PostStatus::Rejected => dash.require(Permission::ApprovePosts)?,
        _ => dash.require(Permission::DraftPosts)?,
    }
    let actor = format!("user:{}", dash.user.name);
    let reason = Some(form.reason.as_str()).filter(|r| !r.trim().is_empty());
    match state
        .pipeline
        .move_post(id, to, reason, &actor, Utc::now())
        .await
    {
        Ok(()) => Ok(Redirect::to("/posts?notice=notice-saved").into_response()),
        Err(err) => Err(post_error(&dash, err)),
    }
}
