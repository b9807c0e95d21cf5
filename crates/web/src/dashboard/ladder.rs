//! A group's own penalty ladder, on the group's page: shown always, edited
//! by those who may edit rules (`EditRules`: "rules and penalty ladders").
//!
//! Steps are written one per line, as admins say them: `warn`, `mute 10m`,
//! `mute 1d`, `kick`, `ban`, `ban 7d` (durations as in-chat commands take
//! them, in any of the three languages). A group without its own ladder uses
//! the default one from the config.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;
use steward_core::i18n as core_i18n;
use steward_core::{GroupId, Permission};
use steward_moderation::{Ladder, LadderStep, Penalty};
use steward_storage::audit::NewAudit;

use super::page::{Dash, DashForm, PageError};
use crate::AppState;

/// Most steps a ladder may have.
const MAX_STEPS: usize = 20;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/groups/{id}/ladder", post(save))
}

/// What was typed, kept when the form is refused.
#[derive(Debug, Default, Clone)]
pub(crate) struct Draft {
    steps: String,
    expire_hours: String,
    silent: bool,
    problem: String,
}

/// The ladder section of a group's page.
pub(crate) async fn section(
    dash: &Dash,
    state: &AppState,
    group: GroupId,
    draft: Option<&Draft>,
) -> Result<Markup, PageError> {
    let own = state
        .pipeline
        .group_ladder(group)
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let ladder = own
        .clone()
        .unwrap_or_else(|| state.pipeline.ladder().clone());
    let editable = dash.can(Permission::EditRules);
    let steps_text = draft.map_or_else(|| steps_to_text(&ladder), |d| d.steps.clone());
    let hours = draft.map_or_else(
        || ladder.points_expire_after_hours.to_string(),
        |d| d.expire_hours.clone(),
    );
    let silent = draft.map_or(ladder.silent, |d| d.silent);
    Ok(html! {
        section.card #ladder aria-labelledby="ladder-h" {
            h2 #ladder-h { (dash.t("groups-section-ladder")) }
            p {
                @if own.is_some() { (dash.t("ladder-own")) } @else { (dash.t("ladder-default")) }
                " "
                (dash.ta("groups-ladder-intro", &[("hours", ladder.points_expire_after_hours.into())]))
            }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (dash.t("groups-ladder-step")) }
                        th scope="col" { (dash.t("groups-ladder-penalty")) }
                    } }
                    tbody {
                        @for (i, step) in ladder.steps.iter().enumerate() {
                            tr { td { (i + 1) } td { (penalty_words(dash, step.penalty)) } }
                        }
                    }
                }
            }
            @if ladder.silent {
                p.muted { (dash.t("groups-ladder-silent")) }
            }
            @if editable {
                form.stack method="post" action=(format!("/groups/{}/ladder", group.0)) {
                    (dash.csrf_field())
                    @if let Some(draft) = draft {
                        p.notice.error role="alert" { (draft.problem) }
                    }
                    label for="ladder-steps" { (dash.t("ladder-steps")) }
                    textarea #ladder-steps name="steps" rows="6" aria-describedby="ladder-steps-hint" { (steps_text) }
                    small #ladder-steps-hint .muted { (dash.t("ladder-steps-hint")) }
                    label for="ladder-hours" { (dash.t("ladder-expire")) }
                    input #ladder-hours type="number" name="expire_hours" min="1" max="8784" value=(hours);
                    div {
                        input #ladder-silent type="checkbox" name="silent" value="on" checked[silent];
                        " "
                        label for="ladder-silent" { (dash.t("ladder-silent")) }
                    }
                    div.actions {
                        button type="submit" name="use" value="own" { (dash.t("ladder-save")) }
                        @if own.is_some() {
                            " "
                            button.secondary type="submit" name="use" value="default" { (dash.t("ladder-use-default")) }
                        }
                    }
                }
            } @else {
                p.muted { (dash.t("ladder-read-only")) }
            }
        }
    })
}

/// A penalty in words.
pub(crate) fn penalty_words(dash: &Dash, penalty: Penalty) -> String {
    let duration = |minutes: i64| core_i18n::duration(minutes, dash.lang);
    match penalty {
        Penalty::Warn => dash.t("groups-penalty-warn"),
        Penalty::Mute { minutes } => dash.ta(
            "groups-penalty-mute",
            &[("duration", duration(minutes).into())],
        ),
        Penalty::Kick => dash.t("groups-penalty-kick"),
        Penalty::Ban { minutes: Some(m) } => {
            dash.ta("groups-penalty-ban", &[("duration", duration(m).into())])
        }
        Penalty::Ban { minutes: None } => dash.t("groups-penalty-ban-forever"),
    }
}

/// A ladder's steps as the form shows them.
fn steps_to_text(ladder: &Ladder) -> String {
    let minutes = |m: i64| {
        if m % (24 * 60) == 0 {
            format!("{}d", m / (24 * 60))
        } else if m % 60 == 0 {
            format!("{}h", m / 60)
        } else {
            format!("{m}m")
        }
    };
    ladder
        .steps
        .iter()
        .map(|step| match step.penalty {
            Penalty::Warn => "warn".to_owned(),
            Penalty::Mute { minutes: m } => format!("mute {}", minutes(m)),
            Penalty::Kick => "kick".to_owned(),
            Penalty::Ban { minutes: None } => "ban".to_owned(),
            Penalty::Ban { minutes: Some(m) } => format!("ban {}", minutes(m)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a line is refused: the line number and its text.
#[derive(Debug, PartialEq, Eq)]
struct BadLine {
    line: usize,
    text: String,
}

/// Reads the steps, one per line; blank lines are skipped.
fn parse_steps(text: &str) -> Result<Vec<LadderStep>, BadLine> {
    let mut steps = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || BadLine {
            line: i + 1,
            text: line.to_owned(),
        };
        let mut words = line.split_whitespace();
        let verb = words.next().unwrap_or_default().to_lowercase();
        let duration = words.next();
        if words.next().is_some() {
            return Err(bad());
        }
        let minutes = match duration {
            None => None,
            Some(d) => {
                let d = steward_runtime::command::parse_duration(d).ok_or_else(bad)?;
                Some(i64::try_from(d.as_secs() / 60).unwrap_or(i64::MAX).max(1))
            }
        };
        let penalty = match (verb.as_str(), minutes) {
            ("warn" | "警告" | "предупреждение", None) => Penalty::Warn,
            ("mute" | "禁言" | "мьют", Some(minutes)) => Penalty::Mute { minutes },
            ("kick" | "踢出" | "кик", None) => Penalty::Kick,
            ("ban" | "封禁" | "бан", minutes) => Penalty::Ban { minutes },
            _ => return Err(bad()),
        };
        steps.push(LadderStep { penalty });
    }
    Ok(steps)
}

#[derive(Debug, Deserialize)]
struct LadderForm {
    #[serde(default)]
    steps: String,
    #[serde(default)]
    expire_hours: String,
    silent: Option<String>,
    #[serde(default)]
    r#use: String,
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    DashForm(dash, form): DashForm<LadderForm>,
) -> Result<Response, PageError> {
    dash.require(Permission::EditRules)?;
    let group = GroupId(id);
    if !state
        .store()
        .list_groups()
        .await?
        .iter()
        .any(|g| g.group.id == group)
    {
        return Err(dash.not_found());
    }
    let ladder = if form.r#use == "default" {
        None
    } else {
        match read(&dash, &form) {
            Ok(ladder) => Some(ladder),
            Err(problem) => {
                let draft = Draft {
                    steps: form.steps.clone(),
                    expire_hours: form.expire_hours.clone(),
                    silent: form.silent.is_some(),
                    problem,
                };
                let body = section(&dash, &state, group, Some(&draft)).await?;
                let page = dash.page(&dash.t("groups-section-ladder"), body);
                return Ok((StatusCode::BAD_REQUEST, page).into_response());
            }
        }
    };
    let before = state
        .pipeline
        .group_ladder(group)
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    state
        .pipeline
        .set_group_ladder(group, ladder.as_ref())
        .await
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let describe = |ladder: &Option<Ladder>| match ladder {
        Some(l) => steps_to_text(l).replace('\n', ", "),
        None => "default".to_owned(),
    };
    state
        .store()
        .insert_audit(&NewAudit {
            at: Utc::now(),
            actor: format!("user:{}", dash.user.name),
            action: "ladder_changed".to_owned(),
            group: Some(group),
            target: Some(format!("group:{id}")),
            reason: Some(format!("{} → {}", describe(&before), describe(&ladder))),
            ..NewAudit::default()
        })
        .await?;
    Ok(Redirect::to(&format!("/groups/{id}?notice=notice-saved#ladder")).into_response())
}

/// The ladder the form describes, or what is wrong with it.
fn read(dash: &Dash, form: &LadderForm) -> Result<Ladder, String> {
    let steps = parse_steps(&form.steps).map_err(|bad| {
        dash.ta(
            "ladder-bad-line",
            &[("line", bad.line.into()), ("text", bad.text.into())],
        )
    })?;
    if steps.is_empty() || steps.len() > MAX_STEPS {
        return Err(dash.ta("ladder-step-count", &[("max", MAX_STEPS.into())]));
    }
    let hours = form
        .expire_hours
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|h| (1..=8784).contains(h))
        .ok_or_else(|| dash.t("ladder-bad-hours"))?;
    Ok(Ladder {
        steps,
        points_expire_after_hours: hours,
        silent: form.silent.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_as_admins_write_them() {
        let steps = parse_steps("warn\n\nmute 10m\n禁言 1天\nkick\nban 7d\nban").unwrap();
        let penalties: Vec<Penalty> = steps.iter().map(|s| s.penalty).collect();
        assert_eq!(
            penalties,
            [
                Penalty::Warn,
                Penalty::Mute { minutes: 10 },
                Penalty::Mute { minutes: 1440 },
                Penalty::Kick,
                Penalty::Ban {
                    minutes: Some(7 * 1440)
                },
                Penalty::Ban { minutes: None },
            ]
        );
        assert_eq!(
            parse_steps("warn\nmute\n").unwrap_err(),
            BadLine {
                line: 2,
                text: "mute".to_owned()
            }
        );
        assert!(parse_steps("explode 5m").is_err());
        assert!(parse_steps("mute 10m extra").is_err());
    }

    #[test]
    fn the_text_form_round_trips() {
        let ladder = Ladder::default();
        let text = steps_to_text(&ladder);
        let steps = parse_steps(&text).unwrap();
        assert_eq!(steps, ladder.steps);
    }
}
