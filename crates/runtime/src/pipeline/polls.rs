//! Polls and quizzes (有奖问答) in a group: a poll or a quiz started from
//! the dashboard, its questions posted in the platform's style
//! ([`quiz::poll_style`]): a native poll (Telegram; votes arrive as poll
//! answers, a changed vote replaces the earlier one), one answer button per
//! option (`poll:{id}:{question}:{option}`), or numbered options answered
//! by replying with the number (QQ). Answers are recorded in the order they
//! came, and the timers that move a quiz from one question to the next
//! (each open `seconds` long) and close polls and quizzes: a poll's results
//! and a quiz's scoreboard are posted in the group, and the first three
//! right answers to each question are credited 3, 2 and 1 points in the
//! points ledger (reason `quiz`, reference `quiz:{id}:{question}:{member}`).
//!
//! Scoring is `steward_core::quiz`.

use chrono::Duration;
use steward_core::audit::AuditKind;
use steward_core::points::Reason;
use steward_core::quiz::{self, PollStyle, QuizText};
use steward_core::{Action, Button, GroupId, IncomingEvent, PlannedAction, Timestamp};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::points::NewPoints;
use steward_storage::polls::{self as store_polls, NewPoll, NewQuestion, Poll, PollAnswer};

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// The longest question or title.
pub const MAX_POLL_TEXT: usize = 300;
/// The longest option.
pub const MAX_POLL_OPTION: usize = 100;
/// The most options a question has.
pub const MAX_POLL_OPTIONS: usize = 10;
/// The most questions a quiz has.
pub const MAX_QUIZ_QUESTIONS: usize = 50;
/// Polls and quizzes handled per timer round.
const TIMER_BATCH: i64 = 20;

/// A poll an admin asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSpec {
    /// The group it runs in.
    pub group: GroupId,
    /// The question.
    pub question: String,
    /// The options.
    pub options: Vec<String>,
    /// Whether several options may be chosen.
    pub multiple: bool,
    /// When it closes and its results are posted.
    pub closes: Timestamp,
}

/// A quiz an admin asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizSpec {
    /// The group it runs in.
    pub group: GroupId,
    /// Its title.
    pub title: String,
    /// How long each question is open.
    pub seconds: u32,
    /// The questions, each with its right option.
    pub questions: Vec<NewQuestion>,
}

/// Why a poll or quiz could not be started or closed.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// No such poll or group.
    #[error("no such poll or group")]
    NotFound,
    /// A field is out of bounds; names the field.
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// The pipeline (the store) failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl From<steward_storage::StoreError> for PollError {
    fn from(err: steward_storage::StoreError) -> Self {
        PollError::Pipeline(err.into())
    }
}

fn check_question(q: &NewQuestion, quiz: bool) -> Result<(), PollError> {
    let text = q.question.trim();
    if text.is_empty() || text.chars().count() > MAX_POLL_TEXT {
        return Err(PollError::Invalid("question"));
    }
    if q.options.len() < 2 || q.options.len() > MAX_POLL_OPTIONS {
        return Err(PollError::Invalid("options"));
    }
    if q.options
        .iter()
        .any(|o| o.trim().is_empty() || o.chars().count() > MAX_POLL_OPTION)
    {
        return Err(PollError::Invalid("options"));
    }
    match (quiz, q.correct) {
        (true, Some(c)) if (c as usize) < q.options.len() => Ok(()),
        (true, _) => Err(PollError::Invalid("correct")),
        (false, _) => Ok(()),
    }
}

fn buttons(id: i64, idx: u32, options: &[String]) -> Vec<Vec<Button>> {
    options
        .iter()
        .enumerate()
        .map(|(o, text)| {
            vec![Button {
                text: text.clone(),
                data: Some(quiz::button_data(id, idx, o as u32)),
                url: None,
            }]
        })
        .collect()
}

impl Pipeline {
    /// Starts a poll: stores it and posts the question in the platform's
    /// style.
    pub async fn start_poll(
        &self,
        spec: &PollSpec,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, PollError> {
        let question = NewQuestion {
            question: spec.question.trim().to_owned(),
            options: spec.options.iter().map(|o| o.trim().to_owned()).collect(),
            correct: None,
        };
        check_question(&question, false)?;
        if spec.closes <= now {
            return Err(PollError::Invalid("closes"));
        }
        let new = NewPoll {
            group: spec.group,
            kind: store_polls::POLL,
            title: &question.question,
            multiple: spec.multiple,
            seconds: 0,
            due: spec.closes,
            questions: std::slice::from_ref(&question),
            created_by: actor,
            at: now,
        };
        self.start(&new, actor, now).await
    }

    /// Starts a quiz: stores it and posts its first question; the timers
    /// post the next ones.
    pub async fn start_quiz(
        &self,
        spec: &QuizSpec,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, PollError> {
        let title = spec.title.trim();
        if title.is_empty() || title.chars().count() > MAX_POLL_TEXT {
            return Err(PollError::Invalid("title"));
        }
        if spec.questions.is_empty() || spec.questions.len() > MAX_QUIZ_QUESTIONS {
            return Err(PollError::Invalid("questions"));
        }
        if !(5..=3600).contains(&spec.seconds) {
            return Err(PollError::Invalid("seconds"));
        }
        let questions: Vec<NewQuestion> = spec
            .questions
            .iter()
            .map(|q| NewQuestion {
                question: q.question.trim().to_owned(),
                options: q.options.iter().map(|o| o.trim().to_owned()).collect(),
                correct: q.correct,
            })
            .collect();
        for q in &questions {
            check_question(q, true)?;
        }
        let new = NewPoll {
            group: spec.group,
            kind: store_polls::QUIZ,
            title,
            multiple: false,
            seconds: spec.seconds,
            due: now + Duration::seconds(i64::from(spec.seconds)),
            questions: &questions,
            created_by: actor,
            at: now,
        };
        self.start(&new, actor, now).await
    }

    async fn start(
        &self,
        new: &NewPoll<'_>,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, PollError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if tx.group_platform_id(new.group).await?.is_none() {
            return Err(PollError::NotFound);
        }
        let id = tx.create_poll(new).await?;
        let Some(found) = tx.poll(id).await? else {
            return Err(PollError::NotFound);
        };
        self.ask(&mut tx, &found, 0, actor, now).await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::PollStarted.as_str().to_owned(),
            group: Some(new.group),
            target: Some(format!("{}:{id}", new.kind)),
            reason: Some(new.title.to_owned()),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(id)
    }

    /// Posts question `idx` of a poll or quiz: a native poll, buttons or
    /// numbered options, as the platform allows.
    async fn ask(
        &self,
        tx: &mut Tx,
        found: &Poll,
        idx: u32,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), PipelineError> {
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Ok(());
        };
        let questions = tx.poll_questions(found.id).await?;
        let Some(q) = questions.get(idx as usize) else {
            return Ok(());
        };
        let lang = self.group_lang(tx, found.group).await?;
        let text = if found.is_quiz() {
            QuizText::QuestionAsked {
                title: &found.title,
                n: idx + 1,
                of: questions.len() as u32,
                question: &q.question,
                seconds: found.seconds,
            }
        } else {
            QuizText::PollAsked {
                question: &q.question,
                multiple: found.multiple,
            }
        }
        .render(lang);
        // Queued for now even when asked about a later time: the outbox runs
        // on the wall clock. The key lets the delivery follow-up tie a
        // native poll's id to this question.
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            quiz::ask_key(found.id, idx),
            actor.to_owned(),
            now.min(chrono::Utc::now()),
        );
        let action = match quiz::poll_style(platform, found.is_quiz()) {
            PollStyle::Native => Action::SendPoll {
                question: q.question.clone(),
                options: q.options.clone(),
                multiple: found.multiple,
                correct_option: None,
            },
            PollStyle::Buttons => Action::SendMessage {
                text,
                buttons: buttons(found.id, idx, &q.options),
                reply_to: None,
                delete_after: None,
            },
            PollStyle::Numbered => {
                let hint = QuizText::ReplyWithNumber {
                    multiple: found.multiple,
                }
                .render(lang);
                Action::SendMessage {
                    text: format!("{text}\n{}\n{hint}", quiz::numbered_options(&q.options)),
                    buttons: Vec::new(),
                    reply_to: None,
                    delete_after: None,
                }
            }
        };
        self.queue(tx, &mut sink, action, None, None).await?;
        Ok(())
    }

    /// Closes a poll or quiz now (an admin, or its time): posts the results
    /// or the scoreboard and credits a quiz's points. False when it was
    /// closed already.
    pub async fn close_poll(
        &self,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PollError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(found) = tx.poll(id).await? else {
            return Err(PollError::NotFound);
        };
        if !found.is_open() {
            return Ok(false);
        }
        let closed = self.finish(&mut tx, &found, actor, now).await?;
        tx.commit().await?;
        drop(turn);
        if closed {
            self.wake_delivery();
        }
        Ok(closed)
    }

    /// Polls due to close, and quizzes whose question's time is up: the
    /// next question asked, or the quiz closed after its last.
    pub(super) async fn poll_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self.inner.store.polls_due(now, TIMER_BATCH).await?;
        let mut done = 0;
        for id in due {
            let turn = self.inner.write_turn.lock().await;
            let mut tx = self.inner.store.begin().await?;
            let Some(found) = tx.poll(id).await? else {
                continue;
            };
            if !found.is_open() || found.due > now {
                continue;
            }
            let count = tx.poll_questions(id).await?.len() as u32;
            let acted = if found.is_quiz() && found.current + 1 < count {
                let next = found.current + 1;
                let due = now + Duration::seconds(i64::from(found.seconds));
                if tx.advance_quiz(id, found.current, due).await? {
                    self.ask(&mut tx, &found, next, "system", now).await?;
                    true
                } else {
                    false
                }
            } else {
                self.finish(&mut tx, &found, "system", now).await?
            };
            tx.commit().await?;
            drop(turn);
            if acted {
                done += 1;
                self.wake_delivery();
            }
        }
        Ok(done)
    }

    async fn finish(
        &self,
        tx: &mut Tx,
        found: &Poll,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        if !tx.close_poll(found.id, now).await? {
            return Ok(false);
        }
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Ok(false);
        };
        let lang = self.group_lang(tx, found.group).await?;
        let questions = tx.poll_questions(found.id).await?;
        let answers = tx.poll_answers(found.id).await?;
        let (text, summary) = if found.is_quiz() {
            let correct: Vec<u32> = questions
                .iter()
                .map(|q| q.correct.unwrap_or(u32::MAX))
                .collect();
            let scored = scored_answers(&answers);
            for award in quiz::awards(&correct, &scored) {
                let Some(member) = answers
                    .iter()
                    .find(|a| a.platform_id == award.member)
                    .map(|a| a.member)
                else {
                    continue;
                };
                let reference = format!("quiz:{}:{}:{}", found.id, award.question, award.member);
                tx.add_points(&NewPoints {
                    group: found.group,
                    member,
                    delta: award.points,
                    reason: Reason::Quiz,
                    note: Some(&found.title),
                    actor,
                    event: None,
                    reference: Some(&reference),
                    at: now,
                })
                .await?;
            }
            let board = quiz::scoreboard(&correct, &scored);
            let summary = board
                .iter()
                .map(|s| format!("{} {}", s.member, s.points))
                .collect::<Vec<_>>()
                .join(", ");
            let text = QuizText::Scoreboard {
                title: &found.title,
                board: &board,
            }
            .render(lang);
            (text, summary)
        } else {
            let options = questions
                .first()
                .map(|q| q.options.clone())
                .unwrap_or_default();
            let chosen: Vec<u32> = answers.iter().map(|a| a.option).collect();
            let counts: Vec<(String, u32)> = options
                .into_iter()
                .zip(quiz::tally(
                    questions.first().map_or(0, |q| q.options.len()),
                    &chosen,
                ))
                .collect();
            let mut voters: Vec<_> = answers.iter().map(|a| a.member).collect();
            voters.sort_unstable_by_key(|m| m.0);
            voters.dedup();
            let text = QuizText::PollResults {
                question: &found.title,
                counts: &counts,
                voters: voters.len(),
            }
            .render(lang);
            let summary = counts
                .iter()
                .map(|(o, n)| format!("{o}: {n}"))
                .collect::<Vec<_>>()
                .join(", ");
            (text, summary)
        };
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            format!("poll:{}:close", found.id),
            actor.to_owned(),
            now.min(chrono::Utc::now()),
        );
        let action = Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to: None,
            delete_after: None,
        };
        self.queue(tx, &mut sink, action, None, None).await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::PollClosed.as_str().to_owned(),
            group: Some(found.group),
            target: Some(format!("{}:{}", found.kind, found.id)),
            reason: Some(format!("{}: {summary}", found.title)),
            ..NewAudit::default()
        })
        .await?;
        Ok(true)
    }

    /// A press on an answer button (`poll:{id}:{question}:{option}`): the
    /// answer recorded if the question is still open, and the presser told.
    pub(super) async fn poll_press(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        data: &str,
        query: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let said = match quiz::parse_button(data) {
            Some((id, idx, option)) => self.press(tx, event, group, id, idx, option).await?,
            None => QuizText::Closed,
        };
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let action = Action::AnswerButton {
            query,
            text: Some(said.render(group.lang)),
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    async fn press(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        id: i64,
        idx: u32,
        option: u32,
    ) -> Result<QuizText<'static>, PipelineError> {
        let Some(found) = tx.poll(id).await?.filter(|p| p.group == group.id) else {
            return Ok(QuizText::Closed);
        };
        if !found.is_open() || found.current != idx || event.at > found.due {
            return Ok(QuizText::Closed);
        }
        let questions = tx.poll_questions(id).await?;
        let Some(q) = questions.get(idx as usize) else {
            return Ok(QuizText::Closed);
        };
        if option as usize >= q.options.len() {
            return Ok(QuizText::Closed);
        }
        let member = self
            .member_id(tx, event.platform, &event.member, event.at)
            .await?;
        if !found.multiple && !tx.poll_choices(id, idx, member).await?.is_empty() {
            return Ok(QuizText::AlreadyAnswered);
        }
        let answer = PollAnswer {
            question: idx,
            member,
            platform_id: event.member.id.clone(),
            name: Some(display_name(&event.member).to_owned()),
            option,
            at: event.at,
        };
        Ok(if tx.add_poll_answer(id, &answer).await? {
            QuizText::Recorded
        } else {
            QuizText::AlreadyAnswered
        })
    }
}

impl Pipeline {
    /// A vote on a native poll: it replaces the member's earlier choices
    /// for that question (the platform lets votes change), and an empty
    /// one takes the vote back. Ignored once the poll closed.
    pub(super) async fn poll_vote(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        native: &str,
        options: &[u32],
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let Some((id, idx)) = tx.native_poll(event.platform, native).await? else {
            return Ok(Vec::new());
        };
        let Some(found) = tx.poll(id).await?.filter(|p| p.group == group.id) else {
            return Ok(Vec::new());
        };
        if !found.is_open() || found.current != idx || event.at > found.due {
            return Ok(Vec::new());
        }
        let count = tx
            .poll_questions(id)
            .await?
            .get(idx as usize)
            .map_or(0, |q| q.options.len());
        let member = self
            .member_id(tx, event.platform, &event.member, event.at)
            .await?;
        tx.clear_poll_choices(id, idx, member).await?;
        let take = if found.multiple { options.len() } else { 1 };
        for &option in options.iter().filter(|&&o| (o as usize) < count).take(take) {
            let answer = PollAnswer {
                question: idx,
                member,
                platform_id: event.member.id.clone(),
                name: Some(display_name(&event.member).to_owned()),
                option,
                at: event.at,
            };
            tx.add_poll_answer(id, &answer).await?;
        }
        Ok(Vec::new())
    }

    /// A group message that is only a number (or numbers, for a poll that
    /// takes several) while a numbered question is open: the answer
    /// recorded, without a reply so the group is not flooded. `None` when
    /// the message is not such an answer. The store is read only for
    /// short all-digit messages.
    pub(super) async fn numbered_answer(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        text: &str,
    ) -> Result<Option<Vec<PlannedAction>>, PipelineError> {
        let Some(chosen) = quiz::parse_numbered(text) else {
            return Ok(None);
        };
        let Some(found) = tx.open_poll_in_group(group.id).await? else {
            return Ok(None);
        };
        if quiz::poll_style(event.platform, found.is_quiz()) != PollStyle::Numbered {
            return Ok(None);
        }
        let take = if found.multiple { chosen.len() } else { 1 };
        for &option in chosen.iter().take(take) {
            self.press(tx, event, group, found.id, found.current, option)
                .await?;
        }
        Ok(Some(Vec::new()))
    }
}

/// Stored answers as the scoring reads them.
pub(super) fn scored_answers(answers: &[PollAnswer]) -> Vec<quiz::Answer> {
    answers
        .iter()
        .map(|a| quiz::Answer {
            question: a.question,
            member: a.platform_id.clone(),
            name: a.name.clone().unwrap_or_else(|| a.platform_id.clone()),
            option: a.option,
        })
        .collect()
}
