//! Polls and quizzes (有奖问答): a poll is one question with options; a
//! quiz is a set of questions, each with its right option, asked one after
//! another. Answers are kept in the order they arrived, which is what
//! decides the first right answers. Scoring is `steward_core::quiz`.

use steward_core::{GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// A poll or quiz still asking.
pub const OPEN: &str = "open";
/// A poll or quiz whose results are out.
pub const CLOSED: &str = "closed";
/// The kind of a poll.
pub const POLL: &str = "poll";
/// The kind of a quiz.
pub const QUIZ: &str = "quiz";

/// A question to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    /// The question.
    pub question: String,
    /// The options, 2 to 10.
    pub options: Vec<String>,
    /// The right option (quizzes).
    pub correct: Option<u32>,
}

/// A poll or quiz to create.
#[derive(Debug, Clone)]
pub struct NewPoll<'a> {
    /// The group it runs in.
    pub group: GroupId,
    /// [`POLL`] or [`QUIZ`].
    pub kind: &'static str,
    /// Its title (a poll: its question).
    pub title: &'a str,
    /// Whether several options may be chosen (polls).
    pub multiple: bool,
    /// How long each question is open (quizzes).
    pub seconds: u32,
    /// When the poll closes, or the quiz's first question does.
    pub due: Timestamp,
    /// The questions, in order.
    pub questions: &'a [NewQuestion],
    /// Who created it.
    pub created_by: &'a str,
    /// When.
    pub at: Timestamp,
}

/// A stored poll or quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: GroupId,
    /// [`POLL`] or [`QUIZ`].
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Whether several options may be chosen.
    pub multiple: bool,
    /// Seconds per question (quizzes).
    pub seconds: u32,
    /// [`OPEN`] or [`CLOSED`].
    pub status: String,
    /// The question being asked.
    pub current: u32,
    /// When the poll or the current question closes.
    pub due: Timestamp,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// When it closed.
    pub closed_at: Option<Timestamp>,
}

impl Poll {
    /// Whether it still takes answers.
    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }

    /// Whether it is a quiz.
    pub fn is_quiz(&self) -> bool {
        self.kind == QUIZ
    }
}

/// A stored question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Its index, from 0.
    pub idx: u32,
    /// The question.
    pub question: String,
    /// The options.
    pub options: Vec<String>,
    /// The right option (quizzes).
    pub correct: Option<u32>,
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollAnswer {
    /// The question's index.
    pub question: u32,
    /// The member.
    pub member: MemberId,
    /// Their platform id.
    pub platform_id: String,
    /// Their name when they answered.
    pub name: Option<String>,
    /// The option chosen.
    pub option: u32,
    /// When.
    pub at: Timestamp,
}

type PollRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    i64,
    Option<i64>,
);

fn poll(row: PollRow) -> Result<Poll> {
    let (id, group, kind, title, multiple, seconds, status, current, due, by, at, closed) = row;
    Ok(Poll {
        id,
        group: GroupId(group),
        kind,
        title,
        multiple: multiple != 0,
        seconds: u32::try_from(seconds).map_err(|e| corrupt("polls", e))?,
        status,
        current: u32::try_from(current).map_err(|e| corrupt("polls", e))?,
        due: from_millis(due),
        created_by: by,
        created_at: from_millis(at),
        closed_at: closed.map(from_millis),
    })
}

const QUESTIONS: &str = "SELECT idx, question, options, correct FROM poll_questions
                         WHERE poll_id = $1 ORDER BY idx";

type QuestionRow = (i64, String, String, Option<i64>);

fn question(row: QuestionRow) -> Result<Question> {
    let (idx, question, options, correct) = row;
    Ok(Question {
        idx: u32::try_from(idx).map_err(|e| corrupt("poll_questions", e))?,
        question,
        options: serde_json::from_str(&options).map_err(|e| corrupt("poll_questions", e))?,
        correct: correct
            .map(u32::try_from)
            .transpose()
            .map_err(|e| corrupt("poll_questions", e))?,
    })
}

const ANSWERS: &str = "SELECT idx, member_id, platform_id, name, option_idx, at FROM poll_answers
                       WHERE poll_id = $1 ORDER BY at, id";

type AnswerRow = (i64, i64, String, Option<String>, i64, i64);

fn answer(row: AnswerRow) -> Result<PollAnswer> {
    let (idx, member, platform_id, name, option, at) = row;
    Ok(PollAnswer {
        question: u32::try_from(idx).map_err(|e| corrupt("poll_answers", e))?,
        member: MemberId(member),
        platform_id,
        name,
        option: u32::try_from(option).map_err(|e| corrupt("poll_answers", e))?,
        at: from_millis(at),
    })
}

const NATIVE: &str = "SELECT poll_id, idx FROM poll_natives WHERE platform = $1 AND native_id = $2";

fn native((id, idx): (i64, i64)) -> Result<(i64, u32)> {
    let idx = u32::try_from(idx).map_err(|e| corrupt("poll_natives", e))?;
    Ok((id, idx))
}

impl Store {
    /// Polls and quizzes, newest first; of one group when `group` is given.
    pub async fn polls(&self, group: Option<GroupId>, limit: i64) -> Result<Vec<Poll>> {
        let sql = concat!(
            "SELECT id, group_id, kind, title, multiple, seconds, status, current,
                    due_at, created_by, created_at, closed_at
             FROM polls ",
            "WHERE ($1 IS NULL OR group_id = $1) ORDER BY id DESC LIMIT $2"
        );
        let rows: Vec<PollRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map(|g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(poll).collect()
    }

    /// One poll or quiz.
    pub async fn poll(&self, id: i64) -> Result<Option<Poll>> {
        let sql = concat!(
            "SELECT id, group_id, kind, title, multiple, seconds, status, current,
                    due_at, created_by, created_at, closed_at
             FROM polls ",
            "WHERE id = $1"
        );
        let row: Option<PollRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(poll).transpose()
    }

    /// Its questions, in order.
    pub async fn poll_questions(&self, id: i64) -> Result<Vec<Question>> {
        let rows: Vec<QuestionRow> = on_pool!(self, pool => sqlx::query_as(QUESTIONS)
            .bind(id)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(question).collect()
    }

    /// Its answers, in the order they came.
    pub async fn poll_answers(&self, id: i64) -> Result<Vec<PollAnswer>> {
        let rows: Vec<AnswerRow> = on_pool!(self, pool => sqlx::query_as(ANSWERS)
            .bind(id)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(answer).collect()
    }

    /// The poll and question a platform's native poll asks.
    pub async fn native_poll(
        &self,
        platform: Platform,
        native_id: &str,
    ) -> Result<Option<(i64, u32)>> {
        let row: Option<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(NATIVE)
            .bind(platform.as_str())
            .bind(native_id)
            .fetch_optional(pool)
            .await?);
        row.map(native).transpose()
    }

    /// Open polls and quizzes whose poll or current question is due.
    pub async fn polls_due(&self, now: Timestamp, limit: i64) -> Result<Vec<i64>> {
        let sql =
            "SELECT id FROM polls WHERE status = $1 AND due_at <= $2 ORDER BY due_at, id LIMIT $3";
        let ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(OPEN)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(ids)
    }
}

impl Tx {
    /// Creates a poll or quiz with its questions; returns its id.
    pub async fn create_poll(&mut self, new: &NewPoll<'_>) -> Result<i64> {
        let sql = "INSERT INTO polls
                     (group_id, kind, title, multiple, seconds, status, current, due_at,
                      created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9)
                   RETURNING id";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.kind)
            .bind(new.title)
            .bind(i64::from(new.multiple))
            .bind(i64::from(new.seconds))
            .bind(OPEN)
            .bind(to_millis(new.due))
            .bind(new.created_by)
            .bind(to_millis(new.at))
            .fetch_one(conn)
            .await?);
        let sql = "INSERT INTO poll_questions (poll_id, idx, question, options, correct)
                   VALUES ($1, $2, $3, $4, $5)";
        for (idx, q) in new.questions.iter().enumerate() {
            let options =
                serde_json::to_string(&q.options).map_err(|e| corrupt("poll_questions", e))?;
            on_tx!(self, conn => sqlx::query(sql)
                .bind(id)
                .bind(idx as i64)
                .bind(&q.question)
                .bind(&options)
                .bind(q.correct.map(i64::from))
                .execute(conn)
                .await?
                .rows_affected());
        }
        Ok(id)
    }

    /// One poll or quiz, read in this transaction.
    pub async fn poll(&mut self, id: i64) -> Result<Option<Poll>> {
        let sql = concat!(
            "SELECT id, group_id, kind, title, multiple, seconds, status, current,
                    due_at, created_by, created_at, closed_at
             FROM polls ",
            "WHERE id = $1"
        );
        let row: Option<PollRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await?);
        row.map(poll).transpose()
    }

    /// Its questions, in order, read in this transaction.
    pub async fn poll_questions(&mut self, id: i64) -> Result<Vec<Question>> {
        let rows: Vec<QuestionRow> = on_tx!(self, conn => sqlx::query_as(QUESTIONS)
            .bind(id)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(question).collect()
    }

    /// Its answers, in the order they came, read in this transaction.
    pub async fn poll_answers(&mut self, id: i64) -> Result<Vec<PollAnswer>> {
        let rows: Vec<AnswerRow> = on_tx!(self, conn => sqlx::query_as(ANSWERS)
            .bind(id)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(answer).collect()
    }

    /// The options a member chose for a question.
    pub async fn poll_choices(
        &mut self,
        id: i64,
        question: u32,
        member: MemberId,
    ) -> Result<Vec<u32>> {
        let sql = "SELECT option_idx FROM poll_answers
                   WHERE poll_id = $1 AND idx = $2 AND member_id = $3 ORDER BY id";
        let rows: Vec<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(id)
            .bind(i64::from(question))
            .bind(member.0)
            .fetch_all(conn)
            .await?);
        Ok(rows
            .into_iter()
            .filter_map(|o| u32::try_from(o).ok())
            .collect())
    }

    /// Records an answer; false when that option was chosen already.
    pub async fn add_poll_answer(&mut self, id: i64, answer: &PollAnswer) -> Result<bool> {
        let sql = "INSERT INTO poll_answers
                     (poll_id, idx, member_id, platform_id, name, option_idx, at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT DO NOTHING";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(i64::from(answer.question))
            .bind(answer.member.0)
            .bind(&answer.platform_id)
            .bind(answer.name.as_deref())
            .bind(i64::from(answer.option))
            .bind(to_millis(answer.at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }

    /// Forgets a member's choices for a question (a changed or taken-back
    /// vote on a native poll); returns how many were removed.
    pub async fn clear_poll_choices(
        &mut self,
        id: i64,
        question: u32,
        member: MemberId,
    ) -> Result<u64> {
        let sql = "DELETE FROM poll_answers WHERE poll_id = $1 AND idx = $2 AND member_id = $3";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(i64::from(question))
            .bind(member.0)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done)
    }

    /// Records that the platform's poll `native_id` asks question
    /// `question` of poll `id`; a repeat report changes nothing.
    pub async fn record_native_poll(
        &mut self,
        platform: Platform,
        native_id: &str,
        id: i64,
        question: u32,
    ) -> Result<()> {
        let sql = "INSERT INTO poll_natives (platform, native_id, poll_id, idx)
                   VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(platform.as_str())
            .bind(native_id)
            .bind(id)
            .bind(i64::from(question))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// The poll and question a platform's native poll asks.
    pub async fn native_poll(
        &mut self,
        platform: Platform,
        native_id: &str,
    ) -> Result<Option<(i64, u32)>> {
        let row: Option<(i64, i64)> = on_tx!(self, conn => sqlx::query_as(NATIVE)
            .bind(platform.as_str())
            .bind(native_id)
            .fetch_optional(conn)
            .await?);
        row.map(native).transpose()
    }

    /// The newest open poll or quiz of a group, if any (numbered replies
    /// answer it).
    pub async fn open_poll_in_group(&mut self, group: GroupId) -> Result<Option<Poll>> {
        let sql = concat!(
            "SELECT id, group_id, kind, title, multiple, seconds, status, current,
                    due_at, created_by, created_at, closed_at
             FROM polls ",
            "WHERE group_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1"
        );
        let row: Option<PollRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(OPEN)
            .fetch_optional(conn)
            .await?);
        row.map(poll).transpose()
    }

    /// Moves an open quiz from question `from` to the next, due at `due`;
    /// false when it had moved on (or closed) already.
    pub async fn advance_quiz(&mut self, id: i64, from: u32, due: Timestamp) -> Result<bool> {
        let sql = "UPDATE polls SET current = current + 1, due_at = $1
                   WHERE id = $2 AND status = $3 AND current = $4";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(to_millis(due))
            .bind(id)
            .bind(OPEN)
            .bind(i64::from(from))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }

    /// Closes a poll or quiz; false when it was closed already.
    pub async fn close_poll(&mut self, id: i64, at: Timestamp) -> Result<bool> {
        let sql = "UPDATE polls SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4";
        let done = on_tx!(self, conn => sqlx::query(sql)
            .bind(CLOSED)
            .bind(to_millis(at))
            .bind(id)
            .bind(OPEN)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(done == 1)
    }
}
