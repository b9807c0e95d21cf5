//! Join screening and raid mode.
//!
//! A join request goes through stages, each only when the group asks for
//! it: a CAPTCHA in private (emoji buttons, or a sum answered by text), then
//! a question in private (answers are patterns in any language), then an
//! admin's decision (manual approval, or when no automatic check is set);
//! passing the last stage approves the request, failing one declines it with
//! the reason in the audit log. One wrong answer fails: a retry would let a
//! script try every button.
//!
//! A newcomer who joined without a request (groups that do not use them)
//! is muted on join when the group asks for a CAPTCHA on joins: a challenge
//! with buttons is posted in the group and deletes itself; only the
//! newcomer's own press counts; passing unmutes and welcomes them, a wrong
//! press or the time running out removes them.
//!
//! Raid mode: when the moderation engine detects a join wave in a group
//! whose raid response is `mute_newcomers`, the group is in raid mode for a
//! while (the `raid_modes` table): every newcomer is muted until they pass
//! the CAPTCHA or an admin lets them in; the admins' chat is told when it
//! starts (with a button to end it) and ends. Telegram bots cannot switch a
//! group to join requests only, so muting is the response there.
//!
//! Everything decided from an event runs in its ingest transaction; timers,
//! dashboard decisions and raid-mode ends take their own.

use chrono::Duration;
use steward_core::audit::AuditKind;
use steward_core::captcha::{CaptchaKind, Challenge, buttons_in_groups, seed_of};
use steward_core::i18n::Lang;
use steward_core::model::GroupRole;
use steward_core::settings::{ChatSettings, RaidResponse};
use steward_core::texts::{BotText, ButtonLabel, Decision};
use steward_core::{
    Action, Button, EventPayload, GroupId, GroupRef, IncomingEvent, MemberId, MemberRef,
    PlannedAction, Platform, Timestamp,
};
use steward_moderation::{Mode, Normalized, Verdict};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::screening::{
    KIND_NEWCOMER, KIND_REQUEST, NewScreening, RaidMode, STAGE_CAPTCHA, STAGE_MANUAL,
    STAGE_QUESTION, Screening,
};

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// A newcomer whose join request was approved this recently is not
/// screened again when the join itself arrives.
const APPROVED_REQUEST_HOURS: i64 = 24;
/// How long a held newcomer's mute lasts: past 366 days Telegram treats a
/// restriction as for ever; the screening lifts it.
const HOLD_DAYS: i64 = 400;
/// Telegram lets a bot write to an applicant for five minutes.
const PRIVATE_WINDOW_MINUTES: u32 = 5;
/// Buttons per row under a challenge.
const BUTTONS_PER_ROW: usize = 3;
/// Most screenings one "approve all" or "decline all" decides.
const DECIDE_ALL_LIMIT: i64 = 500;

/// What comes after a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Captcha,
    Question,
    Manual,
    Approve,
}

/// The stage after `done` (none: the first) for a join request.
fn next_stage(done: Option<&str>, settings: &ChatSettings, lang: Lang) -> Next {
    let captcha = settings.captcha.as_ref().is_some_and(|c| c.on_requests());
    let question = !settings.questions_for(lang).is_empty();
    let after_question = if settings.manual_approval || (!captcha && !question) {
        Next::Manual
    } else {
        Next::Approve
    };
    match done {
        None if captcha => Next::Captcha,
        None | Some(STAGE_CAPTCHA) if question => Next::Question,
        _ => after_question,
    }
}

/// The checks passed so far, with `check` added.
fn with_check(checks: &str, check: &str) -> String {
    if checks.is_empty() {
        check.to_owned()
    } else if checks.split(',').any(|c| c == check) {
        checks.to_owned()
    } else {
        format!("{checks},{check}")
    }
}

/// Which question an applicant gets: fixed per applicant, so asking again
/// does not let them pick an easier one.
fn pick_question(member: &str, n: usize) -> usize {
    usize::try_from(seed_of(member) % n.max(1) as u64).unwrap_or(0)
}

/// Whether a platform can show buttons in a private chat with a member by
/// sending to a chat with the member's own id (Telegram: a private chat's id
/// is the user's id). Elsewhere a CAPTCHA in private is a sum answered by
/// text.
fn private_buttons(platform: Platform) -> bool {
    platform == Platform::Telegram
}

/// The challenge's buttons, `cap:{screening}:{index}`.
fn challenge_buttons(screening: i64, challenge: &Challenge) -> Vec<Vec<Button>> {
    challenge
        .options
        .iter()
        .enumerate()
        .map(|(i, label)| Button {
            text: label.clone(),
            data: Some(format!("cap:{screening}:{i}")),
            url: None,
        })
        .collect::<Vec<_>>()
        .chunks(BUTTONS_PER_ROW)
        .map(<[Button]>::to_vec)
        .collect()
}

/// How an admin's decision on a screening went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinDecision {
    /// Applied.
    Done,
    /// Someone (or the timer) decided first.
    AlreadyDecided,
    /// No such screening.
    NotFound,
}

impl Pipeline {
    /// Screens a member who just joined: raid mode, and the in-group
    /// CAPTCHA (muted until solved).
    pub(super) async fn screen_newcomer(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        if event.member.is_bot || event.member.role.is_some_and(|r| r != GroupRole::Member) {
            return Ok(Step::pass());
        }
        let settings = self.settings(tx, group.id).await?;
        let mut actions = Vec::new();
        let raid = self
            .raid_mode_on_join(tx, sink, event, group, &settings)
            .await?;
        let wanted = settings.captcha.clone().filter(|c| c.on_joins());
        if wanted.is_none() && raid.is_none() {
            return Ok(Step::pass());
        }
        // A muted newcomer answers by pressing a button; where none can be
        // pressed they could never pass, so an admin decides instead.
        let unanswerable = wanted.is_some() && !buttons_in_groups(event.platform);
        let captcha = wanted.filter(|_| !unanswerable);
        let since = event.at - Duration::hours(APPROVED_REQUEST_HOURS);
        if tx.request_approved_since(group.id, member, since).await? {
            return Ok(Step::pass());
        }
        sink.actor = "system".to_owned();
        let why = match (&captcha, &raid) {
            (Some(_), None) => "join screening: muted until the CAPTCHA is solved",
            (Some(_), Some(_)) => "raid mode: muted until the CAPTCHA is solved",
            (None, _) if unanswerable => {
                "join screening: muted until an admin lets them in (no CAPTCHA buttons on this platform)"
            }
            (None, _) => "raid mode: muted until an admin lets them in",
        };
        actions.extend(
            self.queue(
                tx,
                sink,
                Action::Mute {
                    member: event.member.id.clone(),
                    until: event.at + Duration::days(HOLD_DAYS),
                },
                Some(member),
                Some(why.to_owned()),
            )
            .await?,
        );
        match captcha {
            Some(captcha) => {
                let seed = seed_of(&format!(
                    "{}:{}:{}",
                    event.platform, event.group.id, event.event_id
                ));
                let challenge = Challenge::generate(captcha.kind, seed);
                let json = serde_json::to_string(&challenge).unwrap_or_default();
                let minutes = captcha.minutes();
                let id = tx
                    .open_screening(&NewScreening {
                        group: group.id,
                        member,
                        event: sink.event,
                        kind: KIND_NEWCOMER,
                        stage: STAGE_CAPTCHA,
                        question: 0,
                        challenge: Some(&json),
                        comment: None,
                        at: event.at,
                        deadline: event.at + Duration::minutes(i64::from(minutes)),
                    })
                    .await?;
                let text = BotText::CaptchaInGroup {
                    name: display_name(&event.member),
                    prompt: &challenge.prompt,
                    kind: challenge.kind,
                    minutes,
                }
                .render(group.lang);
                actions.extend(
                    self.queue(
                        tx,
                        sink,
                        Action::SendMessage {
                            text,
                            buttons: challenge_buttons(id, &challenge),
                            reply_to: None,
                            delete_after: Some(minutes * 60),
                        },
                        Some(member),
                        None,
                    )
                    .await?,
                );
            }
            None => {
                tx.open_screening(&NewScreening {
                    group: group.id,
                    member,
                    event: sink.event,
                    kind: KIND_NEWCOMER,
                    stage: STAGE_MANUAL,
                    question: 0,
                    challenge: None,
                    comment: None,
                    at: event.at,
                    deadline: event.at + Duration::days(HOLD_DAYS),
                })
                .await?;
            }
        }
        Ok(Step {
            actions,
            stop: false,
            held: true,
        })
    }

    /// The group's raid mode for this join: starts it when the engine
    /// detected a raid on this very join and the group responds to raids.
    async fn raid_mode_on_join(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        settings: &ChatSettings,
    ) -> Result<Option<RaidMode>, PipelineError> {
        let Some(raid) = settings.raid.as_ref() else {
            return Ok(None);
        };
        if raid.response == RaidResponse::Off {
            return Ok(None);
        }
        if let Some(mode) = tx.raid_mode(group.id, event.at).await? {
            return Ok(Some(mode));
        }
        let Some(event_id) = sink.event else {
            return Ok(None);
        };
        if !tx.raid_detected_on(event_id).await? {
            return Ok(None);
        }
        let minutes = raid.minutes();
        let joins = self
            .engine()
            .behaviour()
            .raid
            .map_or(0, |w| i64::from(w.count));
        let ends_at = event.at + Duration::minutes(i64::from(minutes));
        let id = tx
            .start_raid_mode(group.id, event.at, ends_at, joins)
            .await?;
        tx.insert_audit(&NewAudit {
            at: event.at,
            actor: "system".to_owned(),
            action: AuditKind::RaidModeStarted.as_str().to_owned(),
            group: Some(group.id),
            reason: Some(format!(
                "{joins} joins within the raid window; newcomers muted for {minutes} minutes"
            )),
            rule: Some("raid".to_owned()),
            event: Some(event_id),
            ..NewAudit::default()
        })
        .await?;
        let title = event.group.title.as_deref().unwrap_or(&event.group.id);
        let card = BotText::RaidStarted {
            group: title,
            joins: u32::try_from(joins).unwrap_or(0),
            minutes,
        }
        .render(group.lang);
        self.post_card(
            tx,
            sink,
            settings,
            group.lang,
            card,
            vec![(ButtonLabel::EndRaid, format!("raid:{}:end", group.id))],
        )
        .await?;
        Ok(Some(RaidMode {
            id,
            group: group.id,
            started_at: event.at,
            ends_at,
            joins,
        }))
    }

    /// A member left: a pending screening of theirs in the group is dropped.
    pub(super) async fn screening_member_left(
        &self,
        tx: &mut Tx,
        _sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Step, PipelineError> {
        if let Some(screening) = tx.pending_screening_in(group.id, member).await?
            && screening.kind == KIND_NEWCOMER
        {
            tx.decide_screening(screening.id, "left", event.at, Some("left the group"), None)
                .await?;
        }
        Ok(Step::pass())
    }

    /// A join request: declined when the applicant's name or bio breaks an
    /// enforced rule, otherwise screened by the group's stages.
    pub(super) async fn join_request(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        verdict: &Verdict,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        if let Some(listed) = self
            .ban_list_on_request(tx, sink, event, group, member)
            .await?
        {
            return Ok(listed);
        }
        let settings = self.settings(tx, group.id).await?;
        let enforced = verdict.only(Mode::Enforce);
        let group_name = event
            .group
            .title
            .clone()
            .unwrap_or_else(|| event.group.id.clone());
        sink.actor = "system".to_owned();
        if let Some(hit) = enforced.hits.first() {
            let reason = format!("join request: rule {}", hit.rule);
            let mut planned: Vec<PlannedAction> = self
                .queue(
                    tx,
                    sink,
                    Action::DeclineJoin {
                        member: event.member.id.clone(),
                        reason: Some(reason.clone()),
                    },
                    Some(member),
                    Some(reason),
                )
                .await?
                .into_iter()
                .collect();
            let text = BotText::JoinDeclined { group: &group_name }.render(group.lang);
            planned.extend(
                self.queue(
                    tx,
                    sink,
                    Action::DirectMessage {
                        member: event.member.id.clone(),
                        text,
                    },
                    Some(member),
                    None,
                )
                .await?,
            );
            return Ok(planned);
        }
        let comment = match &event.payload {
            EventPayload::JoinRequest { answer, .. } => answer.clone(),
            _ => None,
        };
        let id = tx
            .open_screening(&NewScreening {
                group: group.id,
                member,
                event: sink.event,
                kind: KIND_REQUEST,
                stage: STAGE_QUESTION,
                question: 0,
                challenge: None,
                comment: comment.as_deref(),
                at: event.at,
                deadline: event.at,
            })
            .await?;
        let screening = Screening {
            id,
            group: group.id,
            member,
            member_platform_id: event.member.id.clone(),
            group_platform_id: event.group.id.clone(),
            platform: event.platform,
            event: sink.event,
            question: 0,
            deadline: event.at,
            kind: KIND_REQUEST.to_owned(),
            stage: STAGE_QUESTION.to_owned(),
            challenge: None,
            comment,
            answer: None,
            checks: String::new(),
            created_at: event.at,
        };
        let first = next_stage(None, &settings, group.lang);
        self.enter_stage(
            tx,
            &screening,
            first,
            &settings,
            group.lang,
            event.at,
            &event.event_id,
            Some(&event.member),
        )
        .await
    }

    /// Moves a join request to `next`: asks, hands it to the admins, or
    /// approves it.
    #[allow(clippy::too_many_arguments)]
    async fn enter_stage(
        &self,
        tx: &mut Tx,
        screening: &Screening,
        next: Next,
        settings: &ChatSettings,
        lang: Lang,
        at: Timestamp,
        cause: &str,
        applicant: Option<&MemberRef>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let title = group_title(tx, screening).await?;
        let mut sink = system_sink(screening, format!("screening:{}:{cause}", screening.id), at);
        let pid = screening.member_platform_id.clone();
        let mut planned = Vec::new();
        match next {
            Next::Captcha => {
                let captcha = settings.captcha.clone().unwrap_or_default();
                let buttons = private_buttons(screening.platform);
                let kind = if buttons {
                    captcha.kind
                } else {
                    CaptchaKind::Arithmetic
                };
                let challenge =
                    Challenge::generate(kind, seed_of(&format!("{}:{cause}", screening.id)));
                let json = serde_json::to_string(&challenge).unwrap_or_default();
                let minutes = captcha.minutes().min(PRIVATE_WINDOW_MINUTES);
                tx.advance_screening(
                    screening.id,
                    STAGE_CAPTCHA,
                    0,
                    Some(&json),
                    &screening.checks,
                    at + Duration::minutes(i64::from(minutes)),
                )
                .await?;
                let text = BotText::CaptchaPrivate {
                    group: &title,
                    prompt: &challenge.prompt,
                    kind,
                    minutes,
                }
                .render(lang);
                if buttons && kind == CaptchaKind::Emoji {
                    // The private chat is a chat of its own, keyed like one.
                    let (chat, _) = tx
                        .upsert_group(screening.platform, &pid, None, lang, at)
                        .await?;
                    let mut private = Sink::new(
                        screening.platform,
                        chat,
                        &pid,
                        screening.event,
                        format!("screening:{}:{cause}:dm", screening.id),
                        "system".to_owned(),
                        at,
                    );
                    planned.extend(
                        self.queue(
                            tx,
                            &mut private,
                            Action::SendMessage {
                                text,
                                buttons: challenge_buttons(screening.id, &challenge),
                                reply_to: None,
                                delete_after: None,
                            },
                            Some(screening.member),
                            None,
                        )
                        .await?,
                    );
                } else {
                    planned.extend(
                        self.queue(
                            tx,
                            &mut sink,
                            Action::DirectMessage { member: pid, text },
                            Some(screening.member),
                            Some("join screening: CAPTCHA sent".to_owned()),
                        )
                        .await?,
                    );
                }
            }
            Next::Question => {
                let questions = settings.questions_for(lang);
                let (index, question) = questions[pick_question(&pid, questions.len())];
                let minutes = settings.join_minutes();
                tx.advance_screening(
                    screening.id,
                    STAGE_QUESTION,
                    i64::try_from(index).unwrap_or(0),
                    None,
                    &screening.checks,
                    at + Duration::minutes(i64::from(minutes)),
                )
                .await?;
                let text = BotText::JoinQuestion {
                    group: &title,
                    question: &question.ask,
                    minutes,
                }
                .render(lang);
                planned.extend(
                    self.queue(
                        tx,
                        &mut sink,
                        Action::DirectMessage { member: pid, text },
                        Some(screening.member),
                        Some("join screening: question asked".to_owned()),
                    )
                    .await?,
                );
            }
            Next::Manual => {
                tx.advance_screening(
                    screening.id,
                    STAGE_MANUAL,
                    screening.question,
                    None,
                    &screening.checks,
                    at + Duration::days(HOLD_DAYS),
                )
                .await?;
                if !screening.checks.is_empty() {
                    let text = BotText::JoinAwaitingAdmin { group: &title }.render(lang);
                    planned.extend(
                        self.queue(
                            tx,
                            &mut sink,
                            Action::DirectMessage { member: pid, text },
                            Some(screening.member),
                            None,
                        )
                        .await?,
                    );
                }
                let name = match applicant {
                    Some(who) => display_name(who).to_owned(),
                    None => self.member_name(tx, screening).await?,
                };
                let note = [screening.comment.as_deref(), screening.answer.as_deref()]
                    .into_iter()
                    .flatten()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let card = BotText::JoinRequestCard {
                    group: &title,
                    member: &name,
                    note: (!note.is_empty()).then_some(note.as_str()),
                }
                .render(lang);
                self.post_card(
                    tx,
                    &sink,
                    settings,
                    lang,
                    card,
                    vec![
                        (
                            ButtonLabel::Approve,
                            format!("join:{}:{}:approve", screening.group, screening.member),
                        ),
                        (
                            ButtonLabel::Decline,
                            format!("join:{}:{}:decline", screening.group, screening.member),
                        ),
                    ],
                )
                .await?;
            }
            Next::Approve => {
                if tx
                    .decide_screening(
                        screening.id,
                        "approved",
                        at,
                        Some("passed the checks"),
                        None,
                    )
                    .await?
                {
                    planned.extend(
                        self.settle_screening(tx, screening, true, lang, at, cause, None)
                            .await?,
                    );
                }
            }
        }
        Ok(planned)
    }

    /// The applicant's display name as stored.
    async fn member_name(
        &self,
        tx: &mut Tx,
        screening: &Screening,
    ) -> Result<String, PipelineError> {
        let record = tx
            .find_member(screening.platform, &screening.member_platform_id)
            .await?;
        Ok(record
            .and_then(|r| r.name.or(r.username))
            .unwrap_or_else(|| screening.member_platform_id.clone()))
    }

    /// A private message: the answer to a join question or a typed
    /// CAPTCHA, when one is waiting. Only the screening whose prompt was
    /// sent last takes it (an applicant to several groups answers the last
    /// thing asked); a message with no text (a sticker, a photo) or a
    /// `/command` (`/start`) is no answer: the applicant is told what is
    /// expected and keeps their chance.
    pub(super) async fn direct_message(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        _member: MemberId,
        text: &str,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut latest: Option<(Timestamp, Screening, std::sync::Arc<ChatSettings>)> = None;
        for screening in tx
            .pending_screenings_of(event.platform, &event.member.id)
            .await?
        {
            if screening.kind != KIND_REQUEST {
                continue;
            }
            let settings = self.settings(tx, screening.group).await?;
            let Some(prompted) = prompted_at(&screening, &settings) else {
                continue;
            };
            if latest
                .as_ref()
                .is_none_or(|(at, last, _)| (prompted, screening.id) > (*at, last.id))
            {
                latest = Some((prompted, screening, settings));
            }
        }
        let Some((_, screening, settings)) = latest else {
            return Ok(Vec::new());
        };
        let challenge = challenge_of(&screening);
        let typed_captcha = challenge
            .as_ref()
            .is_some_and(|c| c.kind == CaptchaKind::Arithmetic);
        // Emoji are pressed, not typed: the text answers nothing.
        if screening.stage == STAGE_CAPTCHA && !typed_captcha {
            return Ok(Vec::new());
        }
        let lang = self.group_lang(tx, screening.group).await?;
        let text = text.trim();
        if text.is_empty() || text.starts_with('/') {
            return self
                .answer_hint(tx, &screening, typed_captcha, lang, event)
                .await;
        }
        let (right, check, wrong) = if screening.stage == STAGE_QUESTION {
            tx.set_screening_answer(screening.id, text).await?;
            let question = usize::try_from(screening.question)
                .ok()
                .and_then(|i| settings.join_questions.get(i));
            (
                question.is_some_and(|q| q.accepts_folding(text, &fold_like_rules)),
                STAGE_QUESTION,
                "wrong answer",
            )
        } else {
            (
                challenge.is_some_and(|c| c.check_text(text)),
                STAGE_CAPTCHA,
                "wrong CAPTCHA answer",
            )
        };
        let answered = Screening {
            answer: (check == STAGE_QUESTION).then(|| text.to_owned()),
            ..screening
        };
        self.screening_answered(
            tx,
            answered,
            right,
            check,
            wrong,
            &settings,
            lang,
            event.at,
            &event.event_id,
        )
        .await
    }

    /// Tells an applicant who sent something that is no answer what is
    /// expected.
    async fn answer_hint(
        &self,
        tx: &mut Tx,
        screening: &Screening,
        captcha: bool,
        lang: Lang,
        event: &IncomingEvent,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let title = group_title(tx, screening).await?;
        let mut sink = Sink::new(
            screening.platform,
            screening.group,
            &screening.group_platform_id,
            screening.event,
            format!("screening:{}:{}:hint", screening.id, event.event_id),
            "system".to_owned(),
            event.at,
        );
        let text = BotText::JoinAnswerHint {
            group: &title,
            captcha,
        }
        .render(lang);
        Ok(self
            .queue(
                tx,
                &mut sink,
                Action::DirectMessage {
                    member: screening.member_platform_id.clone(),
                    text,
                },
                Some(screening.member),
                None,
            )
            .await?
            .into_iter()
            .collect())
    }

    /// A join request's stage was answered: on to the next stage, or
    /// declined.
    #[allow(clippy::too_many_arguments)]
    async fn screening_answered(
        &self,
        tx: &mut Tx,
        mut screening: Screening,
        right: bool,
        check: &str,
        wrong: &str,
        settings: &ChatSettings,
        lang: Lang,
        at: Timestamp,
        cause: &str,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        if !right {
            let reason = format!("join screening: {wrong}");
            if !tx
                .decide_screening(screening.id, "declined", at, Some(&reason), None)
                .await?
            {
                return Ok(Vec::new());
            }
            return self
                .settle_screening(tx, &screening, false, lang, at, cause, Some(wrong))
                .await;
        }
        screening.checks = with_check(&screening.checks, check);
        let next = next_stage(Some(check), settings, lang);
        self.enter_stage(tx, &screening, next, settings, lang, at, cause, None)
            .await
    }

    /// Approves or declines a screened applicant and tells them. `wrong`
    /// says which answer was wrong; `timeout` (as `why`) that time ran out.
    #[allow(clippy::too_many_arguments)]
    async fn settle_screening(
        &self,
        tx: &mut Tx,
        screening: &Screening,
        approve: bool,
        lang: Lang,
        at: Timestamp,
        why: &str,
        wrong: Option<&str>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let title = group_title(tx, screening).await?;
        let mut sink = system_sink(
            screening,
            format!("screening:{}:{why}:settle", screening.id),
            at,
        );
        let pid = screening.member_platform_id.clone();
        let (action, text, reason) = if approve {
            let checks = if screening.checks.is_empty() {
                "checks".to_owned()
            } else {
                screening.checks.replace(',', ", ")
            };
            (
                Action::ApproveJoin {
                    member: pid.clone(),
                },
                BotText::JoinApproved { group: &title }.render(lang),
                format!("join screening: passed {checks}"),
            )
        } else if why == "timeout" {
            (
                Action::DeclineJoin {
                    member: pid.clone(),
                    reason: Some("no answer in time".to_owned()),
                },
                BotText::JoinTimedOut { group: &title }.render(lang),
                "join screening: no answer in time".to_owned(),
            )
        } else {
            let wrong = wrong.unwrap_or("wrong answer");
            (
                Action::DeclineJoin {
                    member: pid.clone(),
                    reason: Some(wrong.to_owned()),
                },
                BotText::JoinWrongAnswer { group: &title }.render(lang),
                format!("join screening: {wrong}"),
            )
        };
        let mut planned: Vec<PlannedAction> = self
            .queue(tx, &mut sink, action, Some(screening.member), Some(reason))
            .await?
            .into_iter()
            .collect();
        planned.extend(
            self.queue(
                tx,
                &mut sink,
                Action::DirectMessage { member: pid, text },
                Some(screening.member),
                None,
            )
            .await?,
        );
        Ok(planned)
    }

    /// A press on a CAPTCHA button (`cap:{screening}:{index}`), in the
    /// group or in private. Only the screened member's own press counts.
    pub(super) async fn captcha_press(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        data: &str,
        query: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut parts = data.split(':').skip(1);
        let (Some(id), Some(index), None) = (
            parts.next().and_then(|p| p.parse::<i64>().ok()),
            parts.next().and_then(|p| p.parse::<usize>().ok()),
            parts.next(),
        ) else {
            return Ok(Vec::new());
        };
        let here = self.group_lang(tx, sink.group).await?;
        let Some((screening, status)) = tx.screening(id).await? else {
            return self
                .answer_press(tx, sink, query, BotText::AlreadyDecided, here)
                .await;
        };
        let lang = self.group_lang(tx, screening.group).await?;
        if screening.platform != event.platform || screening.member_platform_id != event.member.id {
            return self
                .answer_press(tx, sink, query, BotText::CaptchaNotYours, lang)
                .await;
        }
        if status != "pending" || screening.stage != STAGE_CAPTCHA {
            return self
                .answer_press(tx, sink, query, BotText::AlreadyDecided, lang)
                .await;
        }
        let Some(challenge) = challenge_of(&screening) else {
            return Ok(Vec::new());
        };
        let right = challenge.check_choice(index);
        let mut planned = Vec::new();
        if screening.kind == KIND_NEWCOMER {
            // The challenge has served its purpose: it goes now rather than
            // when it would delete itself.
            if let EventPayload::ButtonPressed {
                message_id: Some(message),
                ..
            } = &event.payload
                && sink.group == screening.group
            {
                planned.extend(
                    self.queue(
                        tx,
                        sink,
                        Action::DeleteMessage {
                            message: message.clone(),
                        },
                        None,
                        Some("join screening: CAPTCHA answered".to_owned()),
                    )
                    .await?,
                );
            }
            let reason = if right {
                "join screening: CAPTCHA solved"
            } else {
                "join screening: wrong CAPTCHA answer"
            };
            if tx
                .decide_screening(
                    screening.id,
                    if right { "approved" } else { "declined" },
                    event.at,
                    Some(reason),
                    None,
                )
                .await?
            {
                planned.extend(
                    self.release_newcomer(
                        tx,
                        &screening,
                        right,
                        "system",
                        reason,
                        event.at,
                        &event.event_id,
                    )
                    .await?,
                );
            }
        } else {
            let settings = self.settings(tx, screening.group).await?;
            planned.extend(
                self.screening_answered(
                    tx,
                    screening,
                    right,
                    STAGE_CAPTCHA,
                    "wrong CAPTCHA answer",
                    &settings,
                    lang,
                    event.at,
                    &event.event_id,
                )
                .await?,
            );
        }
        let answer = if right {
            BotText::CaptchaPassed
        } else {
            BotText::CaptchaWrong
        };
        planned.extend(self.answer_press(tx, sink, query, answer, lang).await?);
        Ok(planned)
    }

    async fn answer_press(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        query: Option<String>,
        text: BotText<'_>,
        lang: Lang,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let action = Action::AnswerButton {
            query,
            text: Some(text.render(lang)),
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    /// Lets a held newcomer in (unmuted, then welcomed) or removes them.
    /// The screening was closed by the caller.
    #[allow(clippy::too_many_arguments)]
    async fn release_newcomer(
        &self,
        tx: &mut Tx,
        screening: &Screening,
        let_in: bool,
        actor: &str,
        reason: &str,
        at: Timestamp,
        cause: &str,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let lang = self.group_lang(tx, screening.group).await?;
        let title = tx.group_title(screening.group).await?;
        let mut sink = Sink::new(
            screening.platform,
            screening.group,
            &screening.group_platform_id,
            screening.event,
            format!("screening:{}:{cause}:release", screening.id),
            actor.to_owned(),
            at,
        );
        let pid = screening.member_platform_id.clone();
        let action = if let_in {
            Action::Unmute {
                member: pid.clone(),
            }
        } else {
            Action::Kick {
                member: pid.clone(),
            }
        };
        let mut planned: Vec<PlannedAction> = self
            .queue(
                tx,
                &mut sink,
                action,
                Some(screening.member),
                Some(reason.to_owned()),
            )
            .await?
            .into_iter()
            .collect();
        if let_in {
            let record = tx.find_member(screening.platform, &pid).await?;
            let newcomer = IncomingEvent {
                platform: screening.platform,
                event_id: format!("screening:{}:let-in", screening.id),
                group: GroupRef {
                    id: screening.group_platform_id.clone(),
                    title,
                },
                member: MemberRef {
                    name: record.as_ref().and_then(|r| r.name.clone()),
                    username: record.as_ref().and_then(|r| r.username.clone()),
                    ..MemberRef::with_id(pid)
                },
                at,
                payload: EventPayload::MemberJoined {
                    invite_link: None,
                    // For the welcome's {inviter}, as it was on the join.
                    inviter: tx.inviter_of(screening.group, screening.member).await?.map(
                        |(id, name, username)| MemberRef {
                            name,
                            username,
                            ..MemberRef::with_id(id)
                        },
                    ),
                },
            };
            let group = GroupInfo {
                id: screening.group,
                lang,
            };
            let welcome = self
                .welcome(tx, &mut sink, &newcomer, group, screening.member)
                .await?;
            planned.extend(welcome.actions);
            self.count_held_referral(tx, screening.group, screening.member)
                .await?;
        }
        Ok(planned)
    }

    /// An admin's decision on a pending screening: a request is approved
    /// or declined (and the applicant told), a held newcomer let in or
    /// removed. The reason goes to the audit log.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn decide_pending(
        &self,
        tx: &mut Tx,
        screening: &Screening,
        approve: bool,
        actor: &str,
        by: &str,
        reason: Option<&str>,
        at: Timestamp,
        cause: &str,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        let why = match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => format!("decided by {by}: {r}"),
            None => format!("decided by {by}"),
        };
        let status = if approve { "approved" } else { "declined" };
        if !tx
            .decide_screening(screening.id, status, at, Some(&why), Some(actor))
            .await?
        {
            return Ok(None);
        }
        if screening.kind == KIND_NEWCOMER {
            return self
                .release_newcomer(tx, screening, approve, actor, &why, at, cause)
                .await
                .map(Some);
        }
        let lang = self.group_lang(tx, screening.group).await?;
        let title = group_title(tx, screening).await?;
        let mut sink = Sink::new(
            screening.platform,
            screening.group,
            &screening.group_platform_id,
            screening.event,
            format!("screening:{}:{cause}:decided", screening.id),
            actor.to_owned(),
            at,
        );
        let pid = screening.member_platform_id.clone();
        let (action, text) = if approve {
            (
                Action::ApproveJoin {
                    member: pid.clone(),
                },
                BotText::JoinApproved { group: &title }.render(lang),
            )
        } else {
            (
                Action::DeclineJoin {
                    member: pid.clone(),
                    reason: reason.map(str::to_owned),
                },
                BotText::JoinDeclined { group: &title }.render(lang),
            )
        };
        let mut planned: Vec<PlannedAction> = self
            .queue(tx, &mut sink, action, Some(screening.member), Some(why))
            .await?
            .into_iter()
            .collect();
        planned.extend(
            self.queue(
                tx,
                &mut sink,
                Action::DirectMessage { member: pid, text },
                Some(screening.member),
                None,
            )
            .await?,
        );
        Ok(Some(planned))
    }

    /// An Approve or Decline press on a join card in the admins' chat.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn join_card_decided(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        about: GroupId,
        member: MemberId,
        approve: bool,
        actor: &str,
        by: &str,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        if let Some(screening) = tx.pending_screening_in(about, member).await? {
            return Ok(self
                .decide_pending(
                    tx,
                    &screening,
                    approve,
                    actor,
                    by,
                    None,
                    event.at,
                    &event.event_id,
                )
                .await?
                .unwrap_or_default());
        }
        // A card from before screenings were kept: decide the request as
        // the card says.
        let Some((platform, about_pid)) = tx.group_platform_id(about).await? else {
            return Ok(Vec::new());
        };
        let member_pid = tx.member_platform_id(member).await?.unwrap_or_default();
        let mut target = Sink::new(
            platform,
            about,
            &about_pid,
            sink.event,
            format!("{}:join", sink.key),
            actor.to_owned(),
            event.at,
        );
        let action = if approve {
            Action::ApproveJoin { member: member_pid }
        } else {
            Action::DeclineJoin {
                member: member_pid,
                reason: None,
            }
        };
        Ok(self
            .queue(
                tx,
                &mut target,
                action,
                Some(member),
                Some(format!("decided by {by}")),
            )
            .await?
            .into_iter()
            .collect())
    }

    /// A dashboard user's decision on a screening in the queue.
    pub async fn decide_join(
        &self,
        id: i64,
        approve: bool,
        actor: &str,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<JoinDecision, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some((screening, status)) = tx.screening(id).await? else {
            return Ok(JoinDecision::NotFound);
        };
        if status != "pending" {
            return Ok(JoinDecision::AlreadyDecided);
        }
        let by = actor.strip_prefix("user:").unwrap_or(actor);
        let cause = format!("dash{}", now.timestamp_millis());
        let decided = self
            .decide_pending(&mut tx, &screening, approve, actor, by, reason, now, &cause)
            .await?;
        if decided.is_none() {
            return Ok(JoinDecision::AlreadyDecided);
        }
        tx.commit().await?;
        self.wake_delivery();
        Ok(JoinDecision::Done)
    }

    /// A dashboard user's decision on everyone waiting for an admin in a
    /// group (applicants past the checks, newcomers held in raid mode):
    /// each goes through the same path as a single decision, in one
    /// transaction. Returns how many were decided.
    pub async fn decide_all_joins(
        &self,
        group: GroupId,
        approve: bool,
        actor: &str,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<usize, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let waiting = tx.waiting_screenings_in(group, DECIDE_ALL_LIMIT).await?;
        let by = actor.strip_prefix("user:").unwrap_or(actor);
        let cause = format!("dash{}:all", now.timestamp_millis());
        let mut n = 0;
        for screening in &waiting {
            if self
                .decide_pending(&mut tx, screening, approve, actor, by, reason, now, &cause)
                .await?
                .is_some()
            {
                n += 1;
            }
        }
        tx.commit().await?;
        if n > 0 {
            self.wake_delivery();
        }
        Ok(n)
    }

    /// An admin ended raid mode from the admins' chat.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn raid_end_pressed(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        about: GroupId,
        actor: &str,
        by: &str,
    ) -> Result<bool, PipelineError> {
        let Some(mode) = tx.raid_mode(about, event.at).await? else {
            return Ok(false);
        };
        self.end_raid(tx, &mode, Some((actor, by)), event.at, &event.event_id)
            .await
    }

    /// A dashboard user ends a group's raid mode. False when it was not on.
    pub async fn end_raid_mode(
        &self,
        group: GroupId,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(mode) = tx.raid_mode(group, now).await? else {
            return Ok(false);
        };
        let by = actor.strip_prefix("user:").unwrap_or(actor);
        let cause = format!("dash{}", now.timestamp_millis());
        let ended = self
            .end_raid(&mut tx, &mode, Some((actor, by)), now, &cause)
            .await?;
        tx.commit().await?;
        self.wake_delivery();
        Ok(ended)
    }

    /// Ends a raid mode, audits it and tells the admins' chat.
    async fn end_raid(
        &self,
        tx: &mut Tx,
        mode: &RaidMode,
        by: Option<(&str, &str)>,
        at: Timestamp,
        cause: &str,
    ) -> Result<bool, PipelineError> {
        let actor = by.map_or("system", |(actor, _)| actor);
        if !tx.end_raid_mode(mode.id, at, actor).await? {
            return Ok(false);
        }
        tx.insert_audit(&NewAudit {
            at,
            actor: actor.to_owned(),
            action: AuditKind::RaidModeEnded.as_str().to_owned(),
            group: Some(mode.group),
            reason: Some(match by {
                Some((_, name)) => format!("ended early by {name}"),
                None => "its time ran out".to_owned(),
            }),
            rule: Some("raid".to_owned()),
            ..NewAudit::default()
        })
        .await?;
        let settings = self.settings(tx, mode.group).await?;
        let Some(admin_chat) = settings.admin_chat.clone() else {
            return Ok(true);
        };
        let Some((platform, _)) = tx.group_platform_id(mode.group).await? else {
            return Ok(true);
        };
        let lang = self.group_lang(tx, mode.group).await?;
        let title = tx
            .group_title(mode.group)
            .await?
            .unwrap_or_else(|| format!("#{}", mode.group.0));
        let held = u32::try_from(tx.held_newcomers(mode.group).await?).unwrap_or(u32::MAX);
        let text = BotText::RaidEnded {
            group: &title,
            by: by.map(|(_, name)| name),
            held,
        }
        .render(lang);
        let (chat, _) = tx
            .upsert_group(platform, &admin_chat, None, lang, at)
            .await?;
        let mut sink = Sink::new(
            platform,
            chat,
            &admin_chat,
            None,
            format!("raid:{}:{cause}:ended", mode.id),
            "system".to_owned(),
            at,
        );
        self.queue(
            tx,
            &mut sink,
            Action::SendMessage {
                text,
                buttons: Vec::new(),
                reply_to: None,
                delete_after: None,
            },
            None,
            None,
        )
        .await?;
        Ok(true)
    }

    /// Declines applicants and removes newcomers whose time ran out.
    /// Returns how many.
    pub async fn expire_screenings(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self.inner.store.due_screenings(now, 100).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut n = 0;
        // Queued for now even when asked about a later time: the outbox
        // sends nothing before its time.
        let at = now.min(chrono::Utc::now());
        for screening in &due {
            let newcomer = screening.kind == KIND_NEWCOMER;
            let reason = if newcomer {
                "join screening: CAPTCHA not solved in time"
            } else {
                "join screening: no answer in time"
            };
            if !tx
                .decide_screening(screening.id, "expired", now, Some(reason), None)
                .await?
            {
                continue;
            }
            if newcomer {
                self.release_newcomer(&mut tx, screening, false, "system", reason, at, "timeout")
                    .await?;
            } else {
                let lang = self.group_lang(&mut tx, screening.group).await?;
                self.settle_screening(&mut tx, screening, false, lang, at, "timeout", None)
                    .await?;
            }
            n += 1;
        }
        tx.commit().await?;
        if n > 0 {
            self.wake_delivery();
        }
        Ok(n)
    }

    /// Raid modes whose time ran out. Returns how many ended.
    pub(super) async fn end_due_raid_modes(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self.inner.store.due_raid_modes(now).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let at = now.min(chrono::Utc::now());
        let mut n = 0;
        for mode in &due {
            if self.end_raid(&mut tx, mode, None, at, "timeout").await? {
                n += 1;
            }
        }
        tx.commit().await?;
        if n > 0 {
            self.wake_delivery();
        }
        Ok(n)
    }
}

/// When a join request's pending prompt (the private CAPTCHA or the
/// question) was sent: its deadline less the minutes it was given. None
/// when nothing typed is awaited.
fn prompted_at(screening: &Screening, settings: &ChatSettings) -> Option<Timestamp> {
    let minutes = match screening.stage.as_str() {
        STAGE_QUESTION => settings.join_minutes(),
        STAGE_CAPTCHA => settings
            .captcha
            .as_ref()
            .map_or(PRIVATE_WINDOW_MINUTES, |c| {
                c.minutes().min(PRIVATE_WINDOW_MINUTES)
            }),
        _ => return None,
    };
    Some(screening.deadline - Duration::minutes(i64::from(minutes)))
}

/// Folds a join answer as the moderation engine folds messages (traditional
/// Chinese to simplified, look-alike letters, stand-ins), on top of the
/// answer folding of `steward_core`.
fn fold_like_rules(text: &str) -> String {
    Normalized::new(text).as_str().to_owned()
}

/// The stored challenge of a screening at the CAPTCHA stage.
fn challenge_of(screening: &Screening) -> Option<Challenge> {
    serde_json::from_str(screening.challenge.as_deref()?).ok()
}

/// The card text after an admin decided a join card.
pub(super) fn decided_join_card(
    about: &str,
    member: i64,
    approve: bool,
    by: &str,
    lang: Lang,
) -> String {
    let label = if approve {
        Decision::Approved
    } else {
        Decision::Declined
    };
    BotText::Decided {
        card: BotText::JoinRequestCard {
            group: about,
            member: &format!("#{member}"),
            note: None,
        }
        .render(lang),
        decision: label,
        by,
    }
    .render(lang)
}

/// A sink for what Steward does about a screening on its own account,
/// keyed from `key`.
fn system_sink(screening: &Screening, key: String, at: Timestamp) -> Sink<'_> {
    Sink::new(
        screening.platform,
        screening.group,
        &screening.group_platform_id,
        screening.event,
        key,
        "system".to_owned(),
        at,
    )
}

/// The title of the screening's group, or its platform id.
async fn group_title(tx: &mut Tx, screening: &Screening) -> Result<String, PipelineError> {
    Ok(tx
        .group_title(screening.group)
        .await?
        .unwrap_or_else(|| screening.group_platform_id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::settings::{CaptchaSettings, JoinQuestion};

    #[test]
    fn the_question_is_fixed_per_applicant() {
        assert_eq!(pick_question("123", 3), pick_question("123", 3));
        assert!(pick_question("123", 3) < 3);
        assert_eq!(pick_question("x", 1), 0);
    }

    #[test]
    fn stages_follow_the_settings() {
        let none = ChatSettings::default();
        assert_eq!(next_stage(None, &none, Lang::En), Next::Manual);
        let question = ChatSettings {
            join_questions: vec![JoinQuestion {
                ask: "?".into(),
                answers: vec!["x".into()],
                lang: None,
            }],
            ..ChatSettings::default()
        };
        assert_eq!(next_stage(None, &question, Lang::En), Next::Question);
        assert_eq!(
            next_stage(Some(STAGE_QUESTION), &question, Lang::En),
            Next::Approve
        );
        let all = ChatSettings {
            captcha: Some(CaptchaSettings::default()),
            manual_approval: true,
            ..question
        };
        assert_eq!(next_stage(None, &all, Lang::En), Next::Captcha);
        assert_eq!(
            next_stage(Some(STAGE_CAPTCHA), &all, Lang::En),
            Next::Question
        );
        assert_eq!(
            next_stage(Some(STAGE_QUESTION), &all, Lang::En),
            Next::Manual
        );
        let captcha_only = ChatSettings {
            captcha: Some(CaptchaSettings::default()),
            ..ChatSettings::default()
        };
        assert_eq!(
            next_stage(Some(STAGE_CAPTCHA), &captcha_only, Lang::En),
            Next::Approve
        );
    }

    #[test]
    fn checks_are_listed_once() {
        assert_eq!(with_check("", "captcha"), "captcha");
        assert_eq!(with_check("captcha", "question"), "captcha,question");
        assert_eq!(with_check("captcha", "captcha"), "captcha");
    }

    #[test]
    fn challenge_buttons_carry_the_screening_and_index() {
        let c = Challenge::generate(CaptchaKind::Emoji, 1);
        let rows = challenge_buttons(9, &c);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][2].data.as_deref(), Some("cap:9:5"));
    }
}
