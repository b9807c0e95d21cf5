//! The polls and quizzes page (投票, 有奖问答): every poll and quiz with its
//! status; a form to start a poll (question, options, several choices or
//! one, closing time in the group's time zone) and one to start a quiz
//! (title, seconds per question, questions one per line as
//! `question | option | *right option | option`); a poll's or quiz's own
//! page with the counts per option, the voters and, for a quiz, the
//! scoreboard. Starting and closing need `ManageGroups`; both are audited
//! (by the pipeline, which also posts to the group).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::quiz;
use steward_core::{GroupId, Permission};
use steward_runtime::{MAX_POLL_TEXT, PollError, PollSpec, QuizSpec};
use steward_storage::entities::GroupSummary;
use steward_storage::polls::{NewQuestion, Poll};

use super::groups::group_name;
use super::page::{Dash, DashForm, PageError, notice, when};
use crate::AppState;

/// Polls the list shows.
const LIST: i64 = 200;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/polls", get(page))
        .route("/polls/poll", post(create_poll))
        .route("/polls/quiz", post(create_quiz))
        .route("/polls/{id}", get(poll_page))
        .route("/polls/{id}/close", post(close))
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

fn kind(dash: &Dash, poll: &Poll) -> String {
    dash.t(if poll.is_quiz() {
        "polls-kind-quiz"
    } else {
        "polls-kind-poll"
    })
}

fn status(dash: &Dash, poll: &Poll) -> String {
    dash.t(if poll.is_open() {
        "polls-open"
    } else {
        "polls-closed"
    })
}

fn group_select(groups: &[GroupSummary], id: &str) -> Markup {
    html! {
        select id=(id) name="group" {
            @for summary in groups {
                option value=(summary.group.id.0) { (group_name(&summary.group)) }
            }
        }
    }
}

async fn page(
    State(state): State<AppState>,
    dash: Dash,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let groups = state.store().list_groups().await?;
    let polls = state.store().polls(None, LIST).await?;
    let manage = dash.can(Permission::ManageGroups);
    let title = dash.t("polls-title");
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p.muted { (dash.t("polls-intro")) }
            section.card aria-labelledby="polls-list-h" {
                h2 #polls-list-h { (dash.t("polls-list")) }
                @if polls.is_empty() {
                    p.muted { (dash.t("polls-none")) }
                } @else {
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("polls-name")) }
                            th scope="col" { (dash.t("polls-kind")) }
                            th scope="col" { (dash.t("group")) }
                            th scope="col" { (dash.t("polls-status")) }
                            th scope="col" { (dash.t("polls-started")) }
                        } }
                        tbody {
                            @for p in &polls {
                                tr {
                                    td { a href=(format!("/polls/{}", p.id)) { (p.title) } }
                                    td { (kind(&dash, p)) }
                                    td { (group_label(&groups, p.group)) }
                                    td { (status(&dash, p)) }
                                    td { (when(p.created_at)) " UTC" }
                                }
                            }
                        }
                    } }
                }
            }
            @if manage && !groups.is_empty() {
                section.card aria-labelledby="polls-new-h" {
                    h2 #polls-new-h { (dash.t("polls-new-poll")) }
                    form.stack method="post" action="/polls/poll" {
                        (dash.csrf_field())
                        label for="poll-group" { (dash.t("group")) }
                        (group_select(&groups, "poll-group"))
                        label for="poll-question" { (dash.t("polls-question")) }
                        input #poll-question type="text" name="question" required maxlength=(MAX_POLL_TEXT);
                        label for="poll-options" { (dash.t("polls-options")) }
                        textarea #poll-options name="options" rows="5" required aria-describedby="poll-options-hint" {}
                        small #poll-options-hint .muted { (dash.t("polls-options-hint")) }
                        label { input type="checkbox" name="multiple" value="1"; " " (dash.t("polls-multiple")) }
                        label for="poll-closes" { (dash.t("polls-closes")) }
                        input #poll-closes type="datetime-local" name="closes" required aria-describedby="poll-closes-hint";
                        small #poll-closes-hint .muted { (dash.t("polls-closes-hint")) }
                        div.actions { button type="submit" { (dash.t("polls-start-poll")) } }
                    }
                }
                section.card aria-labelledby="quiz-new-h" {
                    h2 #quiz-new-h { (dash.t("polls-new-quiz")) }
                    form.stack method="post" action="/polls/quiz" {
                        (dash.csrf_field())
                        label for="quiz-group" { (dash.t("group")) }
                        (group_select(&groups, "quiz-group"))
                        label for="quiz-title" { (dash.t("polls-name")) }
                        input #quiz-title type="text" name="title" required maxlength=(MAX_POLL_TEXT);
                        label for="quiz-seconds" { (dash.t("polls-seconds")) }
                        input #quiz-seconds type="number" name="seconds" required min="5" max="3600" value="30";
                        label for="quiz-questions" { (dash.t("polls-questions")) }
                        textarea #quiz-questions name="questions" rows="8" required aria-describedby="quiz-questions-hint" {}
                        small #quiz-questions-hint .muted { (dash.t("polls-questions-hint")) }
                        div.actions { button type="submit" { (dash.t("polls-start-quiz")) } }
                    }
                }
            }
        },
    ))
}

async fn poll_page(
    State(state): State<AppState>,
    dash: Dash,
    Path(id): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Markup, PageError> {
    dash.require(Permission::View)?;
    let Some(poll) = state.store().poll(id).await? else {
        return Err(dash.not_found());
    };
    let groups = state.store().list_groups().await?;
    let questions = state.store().poll_questions(id).await?;
    let answers = state.store().poll_answers(id).await?;
    let manage = dash.can(Permission::ManageGroups);
    let correct: Vec<u32> = questions
        .iter()
        .map(|q| q.correct.unwrap_or(u32::MAX))
        .collect();
    let scored: Vec<quiz::Answer> = answers
        .iter()
        .map(|a| quiz::Answer {
            question: a.question,
            member: a.platform_id.clone(),
            name: a.name.clone().unwrap_or_else(|| a.platform_id.clone()),
            option: a.option,
        })
        .collect();
    let board = quiz::scoreboard(&correct, &scored);
    let title = dash.ta("polls-poll-title", &[("name", poll.title.as_str().into())]);
    Ok(dash.page(
        &title,
        html! {
            (notice(&dash, query.notice.as_deref()))
            p { a href="/polls" { "← " (dash.t("nav-polls")) } }
            section.card aria-labelledby="poll-facts-h" {
                h2 #poll-facts-h { (dash.t("polls-facts")) }
                dl {
                    dt { (dash.t("group")) } dd { (group_label(&groups, poll.group)) }
                    dt { (dash.t("polls-kind")) } dd { (kind(&dash, &poll)) }
                    dt { (dash.t("polls-status")) } dd { (status(&dash, &poll)) }
                    @if poll.is_quiz() {
                        dt { (dash.t("polls-seconds")) } dd { (poll.seconds) }
                    }
                    dt { (dash.t("polls-started")) } dd { (when(poll.created_at)) " UTC" }
                    @if let Some(at) = poll.closed_at {
                        dt { (dash.t("polls-closed-at")) } dd { (when(at)) " UTC" }
                    }
                }
                @if manage && poll.is_open() {
                    form.inline method="post" action=(format!("/polls/{id}/close")) {
                        (dash.csrf_field())
                        button.danger type="submit" { (dash.t("polls-close")) }
                    }
                }
            }
            @if poll.is_quiz() {
                section.card aria-labelledby="poll-board-h" {
                    h2 #poll-board-h { (dash.t("polls-scoreboard")) }
                    @if board.is_empty() {
                        p.muted { (dash.t("polls-no-answers")) }
                    } @else {
                        div.table-wrap { table {
                            thead { tr {
                                th scope="col" { "#" }
                                th scope="col" { (dash.t("member")) }
                                th scope="col" { (dash.t("polls-points")) }
                                th scope="col" { (dash.t("polls-right")) }
                            } }
                            tbody {
                                @for (i, s) in board.iter().enumerate() {
                                    tr {
                                        td { (i + 1) }
                                        td { (s.name) " " span.muted { "(" (s.member) ")" } }
                                        td { (s.points) }
                                        td { (s.right) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
            @for q in &questions {
                @let chosen: Vec<u32> = answers.iter().filter(|a| a.question == q.idx).map(|a| a.option).collect();
                @let counts = quiz::tally(q.options.len(), &chosen);
                section.card {
                    h2 { (q.idx + 1) ". " (q.question) }
                    div.table-wrap { table {
                        thead { tr {
                            th scope="col" { (dash.t("polls-option")) }
                            th scope="col" { (dash.t("polls-votes")) }
                            th scope="col" { (dash.t("polls-voters")) }
                        } }
                        tbody {
                            @for (o, option) in q.options.iter().enumerate() {
                                tr {
                                    td {
                                        (option)
                                        @if q.correct == Some(o as u32) { " ✓" }
                                    }
                                    td { (counts[o]) }
                                    td {
                                        @for a in answers.iter().filter(|a| a.question == q.idx && a.option == o as u32) {
                                            a href=(format!("/members/{}", a.member.0)) { (a.name.clone().unwrap_or_else(|| a.platform_id.clone())) }
                                            " "
                                        }
                                    }
                                }
                            }
                        }
                    } }
                }
            }
        },
    ))
}

#[derive(Debug, Deserialize)]
struct PollForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    multiple: Option<String>,
    #[serde(default)]
    closes: String,
}

#[derive(Debug, Deserialize)]
struct QuizForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    seconds: String,
    #[serde(default)]
    questions: String,
}

async fn known_group(state: &AppState, dash: &Dash, text: &str) -> Result<GroupId, PageError> {
    let bad = || dash.bad_request(&dash.t("polls-bad-group"));
    let group = GroupId(text.trim().parse().map_err(|_| bad())?);
    if !state
        .store()
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(bad());
    }
    Ok(group)
}

/// Quiz questions, one per line: `question | option | *right | option`.
pub(crate) fn parse_questions(text: &str) -> Option<Vec<NewQuestion>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut parts = line.split('|').map(str::trim);
        let question = parts.next()?.to_owned();
        let mut options = Vec::new();
        let mut correct = None;
        for (i, part) in parts.enumerate() {
            match part.strip_prefix('*') {
                Some(right) if correct.is_none() => {
                    correct = Some(u32::try_from(i).ok()?);
                    options.push(right.trim().to_owned());
                }
                Some(_) => return None,
                None => options.push(part.to_owned()),
            }
        }
        correct?;
        out.push(NewQuestion {
            question,
            options,
            correct,
        });
    }
    (!out.is_empty()).then_some(out)
}

fn page_error(dash: &Dash, err: PollError) -> PageError {
    match err {
        PollError::Invalid(_) => dash.bad_request(&dash.t("polls-bad-input")),
        PollError::NotFound => dash.bad_request(&dash.t("polls-bad-group")),
        err => PageError::Internal(err.to_string()),
    }
}

async fn create_poll(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<PollForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let group = known_group(&state, &dash, &form.group).await?;
    // The closing time is typed in the group's time zone.
    let closes = super::since::group_time(&state, group, &form.closes)
        .await?
        .ok_or_else(|| dash.bad_request(&dash.t("polls-bad-closes")))?;
    let now = Utc::now();
    if closes <= now {
        return Err(dash.bad_request(&dash.t("polls-bad-closes")));
    }
    let spec = PollSpec {
        group,
        question: form.question.trim().to_owned(),
        options: form
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        multiple: form.multiple.is_some(),
        closes,
    };
    let actor = format!("user:{}", dash.user.name);
    let id = state
        .pipeline
        .start_poll(&spec, &actor, now)
        .await
        .map_err(|e| page_error(&dash, e))?;
    Ok(Redirect::to(&format!("/polls/{id}?notice=notice-saved")).into_response())
}

async fn create_quiz(
    State(state): State<AppState>,
    DashForm(dash, form): DashForm<QuizForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::ManageGroups)?;
    let group = known_group(&state, &dash, &form.group).await?;
    let bad = || dash.bad_request(&dash.t("polls-bad-input"));
    let seconds: u32 = form.seconds.trim().parse().map_err(|_| bad())?;
    let questions = parse_questions(&form.questions).ok_or_else(bad)?;
    let spec = QuizSpec {
        group,
        title: form.title.trim().to_owned(),
        seconds,
        questions,
    };
    let actor = format!("user:{}", dash.user.name);
    let id = state
        .pipeline
        .start_quiz(&spec, &actor, Utc::now())
        .await
        .map_err(|e| page_error(&dash, e))?;
    Ok(Redirect::to(&format!("/polls/{id}?notice=notice-saved")).into_response())
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
    match state.pipeline.close_poll(id, &actor, Utc::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("/polls/{id}?notice=notice-saved")).into_response()),
        Err(PollError::NotFound) => Err(dash.not_found()),
        Err(err) => Err(PageError::Internal(err.to_string())),
    }
}
