//! Polls and quizzes (有奖问答), the pure part: the points for the first
//! right answers to a quiz question, the final scoreboard, a poll's tally,
//! the data of an answer button, and what the bot says in zh, ru and en.
//!
//! Answers and their order are kept in the store; the timing (each quiz
//! question open for a number of seconds) is run by the pipeline's timers.

use std::collections::HashMap;

use crate::i18n::Lang;
use crate::{ActionKind, Capabilities, Platform};

/// Points for the first, second and third right answer to a question.
pub const PRIZES: [i64; 3] = [3, 2, 1];

/// One answer, as the scoring sees it: answers are given in the order they
/// arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The question's index.
    pub question: u32,
    /// Who answered (platform id).
    pub member: String,
    /// Their name, for the scoreboard.
    pub name: String,
    /// The option chosen.
    pub option: u32,
}

/// Points won by one member for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    /// The question's index.
    pub question: u32,
    /// Who (platform id).
    pub member: String,
    /// Points.
    pub points: i64,
}

/// A line of the scoreboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Who (platform id).
    pub member: String,
    /// Their name.
    pub name: String,
    /// Points won in the quiz.
    pub points: i64,
    /// Right answers.
    pub right: u32,
}

/// The points each question gives: the first three members whose first
/// answer to it is right get 3, 2 and 1. `correct[q]` is question `q`'s
/// right option. Only a member's first answer to a question counts.
pub fn awards(correct: &[u32], answers: &[Answer]) -> Vec<Award> {
    let mut out = Vec::new();
    let mut seen: HashMap<(u32, &str), ()> = HashMap::new();
    let mut winners: HashMap<u32, usize> = HashMap::new();
    for a in answers {
        if seen.insert((a.question, a.member.as_str()), ()).is_some() {
            continue;
        }
        let Some(&right) = correct.get(a.question as usize) else {
            continue;
        };
        if a.option != right {
            continue;
        }
        let n = winners.entry(a.question).or_default();
        if let Some(&points) = PRIZES.get(*n) {
            out.push(Award {
                question: a.question,
                member: a.member.clone(),
                points,
            });
        }
        *n += 1;
    }
    out
}

/// The scoreboard: everyone who answered, most points first, then most
/// right answers, then who answered first.
pub fn scoreboard(correct: &[u32], answers: &[Answer]) -> Vec<Score> {
    let awards = awards(correct, answers);
    let mut board: Vec<Score> = Vec::new();
    let mut seen: HashMap<(u32, &str), ()> = HashMap::new();
    for a in answers {
        let pos = match board.iter().position(|s| s.member == a.member) {
            Some(pos) => pos,
            None => {
                board.push(Score {
                    member: a.member.clone(),
                    name: a.name.clone(),
                    points: 0,
                    right: 0,
                });
                board.len() - 1
            }
        };
        if seen.insert((a.question, a.member.as_str()), ()).is_none()
            && correct.get(a.question as usize) == Some(&a.option)
        {
            board[pos].right += 1;
        }
    }
    for award in &awards {
        if let Some(s) = board.iter_mut().find(|s| s.member == award.member) {
            s.points += award.points;
        }
    }
    // A stable sort keeps the order of first answers among equals.
    board.sort_by(|a, b| b.points.cmp(&a.points).then(b.right.cmp(&a.right)));
    board
}

/// A poll's tally: the number of voters of each option.
pub fn tally(options: usize, chosen: &[u32]) -> Vec<u32> {
    let mut counts = vec![0u32; options];
    for &o in chosen {
        if let Some(c) = counts.get_mut(o as usize) {
            *c += 1;
        }
    }
    counts
}

/// The data of an answer button: `poll:{id}:{question}:{option}`.
pub fn button_data(id: i64, question: u32, option: u32) -> String {
    format!("poll:{id}:{question}:{option}")
}

/// Reads [`button_data`].
pub fn parse_button(data: &str) -> Option<(i64, u32, u32)> {
    let mut parts = data.strip_prefix("poll:")?.split(':');
    let id = parts.next()?.parse().ok()?;
    let question = parts.next()?.parse().ok()?;
    let option = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((id, question, option))
}

/// The key of the actions that ask question `question` of poll `id`; the
/// outbox keys of those actions start with it.
pub fn ask_key(id: i64, question: u32) -> String {
    format!("poll:{id}:q{question}")
}

/// Reads the poll and question from the outbox key of an action queued
/// under [`ask_key`] (`poll:{id}:q{question}:i{n}`).
pub fn parse_ask_key(key: &str) -> Option<(i64, u32)> {
    let mut parts = key.strip_prefix("poll:")?.split(':');
    let id = parts.next()?.parse().ok()?;
    let question = parts.next()?.strip_prefix('q')?.parse().ok()?;
    Some((id, question))
}

/// How a question is put to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStyle {
    /// The platform's own poll (Telegram); votes come back as poll answers.
    Native,
    /// One answer button per option.
    Buttons,
    /// The options numbered in the text; members reply with the number.
    Numbered,
}

/// The style for a poll (`quiz` false) or a quiz question on `platform`.
/// Quizzes stay on buttons, whose presses arrive in order and so decide the
/// first right answers; the HTTP platform keeps buttons so receivers built
/// for them keep working.
pub fn poll_style(platform: Platform, quiz: bool) -> PollStyle {
    let can = Capabilities::of_platform(platform);
    if !quiz && platform != Platform::Http && can.supports(ActionKind::SendPoll) {
        PollStyle::Native
    } else if can.supports(ActionKind::AnswerButton) {
        PollStyle::Buttons
    } else {
        PollStyle::Numbered
    }
}

/// The options as numbered lines, `1. …`, for a numbered question.
pub fn numbered_options(options: &[String]) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. {o}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest message read as a numbered answer; longer ones are never
/// looked at, so ordinary chat costs no store lookup.
pub const MAX_NUMBERED_REPLY: usize = 24;

/// Reads a numbered answer: a message that is only numbers (ASCII or
/// full-width digits) separated by commas, spaces or 、. Returns the chosen
/// options 0-based, in order, without repeats; `None` when the message is
/// anything else.
pub fn parse_numbered(text: &str) -> Option<Vec<u32>> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_NUMBERED_REPLY {
        return None;
    }
    let mut out: Vec<u32> = Vec::new();
    let mut current: Option<u32> = None;
    fn push(n: Option<u32>, out: &mut Vec<u32>) -> Option<()> {
        if let Some(n) = n {
            let option = n.checked_sub(1)?;
            if !out.contains(&option) {
                out.push(option);
            }
        }
        Some(())
    }
    for c in text.chars() {
        let digit = match c {
            '0'..='9' => Some(c as u32 - '0' as u32),
            '０'..='９' => Some(c as u32 - '０' as u32),
            _ => None,
        };
        match digit {
            Some(d) => current = Some(current.unwrap_or(0).checked_mul(10)?.checked_add(d)?),
            None if matches!(c, ',' | '，' | '、' | ' ' | '\u{3000}') => {
                push(current.take(), &mut out)?;
            }
            None => return None,
        }
    }
    push(current.take(), &mut out)?;
    (!out.is_empty()).then_some(out)
}

/// What the bot says about polls and quizzes.
#[derive(Debug, Clone)]
pub enum QuizText<'a> {
    /// A poll asked in the group.
    PollAsked {
        /// The question.
        question: &'a str,
        /// Whether several options may be chosen.
        multiple: bool,
    },
    /// A quiz question asked: number `n` of `of`, open `seconds`.
    QuestionAsked {
        /// The quiz's title.
        title: &'a str,
        /// 1-based.
        n: u32,
        /// How many questions.
        of: u32,
        /// The question.
        question: &'a str,
        /// How long it is open.
        seconds: u32,
    },
    /// A poll's results.
    PollResults {
        /// The question.
        question: &'a str,
        /// Each option with its number of voters.
        counts: &'a [(String, u32)],
        /// How many members voted.
        voters: usize,
    },
    /// A quiz's final scoreboard.
    Scoreboard {
        /// The quiz's title.
        title: &'a str,
        /// The lines, in order.
        board: &'a [Score],
    },
    /// How to answer a numbered question (after its numbered options).
    ReplyWithNumber {
        /// Whether several numbers may be given.
        multiple: bool,
    },
    /// An answer was recorded.
    Recorded,
    /// The member answered this question already.
    AlreadyAnswered,
    /// The poll or question is closed.
    Closed,
}

impl QuizText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            QuizText::PollAsked { question, multiple } => {
                let hint = match (lang, multiple) {
                    (Lang::Zh, true) => "（可多选）",
                    (Lang::Ru, true) => " (можно выбрать несколько)",
                    (Lang::En, true) => " (choose any)",
                    (_, false) => "",
                };
                match lang {
                    Lang::Zh => format!("📊 投票：{question}{hint}"),
                    Lang::Ru => format!("📊 Опрос: {question}{hint}"),
                    Lang::En => format!("📊 Poll: {question}{hint}"),
                }
            }
            QuizText::QuestionAsked {
                title,
                n,
                of,
                question,
                seconds,
            } => match lang {
                Lang::Zh => format!("❓ {title} 第 {n}/{of} 题（{seconds} 秒）：{question}"),
                Lang::Ru => format!("❓ {title}, вопрос {n}/{of} ({seconds} с): {question}"),
                Lang::En => format!("❓ {title}, question {n}/{of} ({seconds} s): {question}"),
            },
            QuizText::PollResults {
                question,
                counts,
                voters,
            } => {
                let head = match lang {
                    Lang::Zh => format!("📊 投票结束：{question}（{voters} 人投票）"),
                    Lang::Ru => format!("📊 Опрос окончен: {question} (голосов: {voters})"),
                    Lang::En => format!("📊 Poll closed: {question} ({voters} voted)"),
                };
                let lines: Vec<String> = counts
                    .iter()
                    .map(|(option, n)| format!("• {option}: {n}"))
                    .collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            QuizText::Scoreboard { title, board } => {
                let head = match lang {
                    Lang::Zh => format!("🏆 {title} 结束！最终排名："),
                    Lang::Ru => format!("🏆 {title} окончена! Итоги:"),
                    Lang::En => format!("🏆 {title} is over! Final scoreboard:"),
                };
                if board.is_empty() {
                    let none = match lang {
                        Lang::Zh => "无人作答。",
                        Lang::Ru => "Никто не ответил.",
                        Lang::En => "Nobody answered.",
                    };
                    return format!("{head}\n{none}");
                }
                let unit = match lang {
                    Lang::Zh => "分",
                    Lang::Ru => "очк.",
                    Lang::En => "pts",
                };
                let lines: Vec<String> = board
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("{}. {} — {} {unit}", i + 1, s.name, s.points))
                    .collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            QuizText::ReplyWithNumber { multiple } => match (lang, multiple) {
                (Lang::Zh, false) => "回复选项编号作答，例如 1",
                (Lang::Zh, true) => "回复选项编号作答，可多选，例如 1,3",
                (Lang::Ru, false) => "Ответьте номером варианта, например 1",
                (Lang::Ru, true) => "Ответьте номерами вариантов, например 1,3",
                (Lang::En, false) => "Reply with the option's number, e.g. 1",
                (Lang::En, true) => "Reply with the options' numbers, e.g. 1,3",
            }
            .to_owned(),
            QuizText::Recorded => match lang {
                Lang::Zh => "已记录你的答案。",
                Lang::Ru => "Ответ принят.",
                Lang::En => "Your answer is in.",
            }
            .to_owned(),
            QuizText::AlreadyAnswered => match lang {
                Lang::Zh => "你已经回答过了。",
                Lang::Ru => "Вы уже ответили.",
                Lang::En => "You answered already.",
            }
            .to_owned(),
            QuizText::Closed => match lang {
                Lang::Zh => "已经结束了。",
                Lang::Ru => "Уже закрыто.",
                Lang::En => "This is closed.",
            }
            .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(question: u32, member: &str, option: u32) -> Answer {
        Answer {
            question,
            member: member.into(),
            name: member.to_uppercase(),
            option,
        }
    }

    #[test]
    fn the_first_three_right_answers_score_and_only_first_answers_count() {
        let correct = [1, 0];
        let answers = [
            a(0, "x", 0), // wrong: x's first answer
            a(0, "x", 1), // a second answer does not count
            a(0, "b", 1),
            a(0, "a", 1),
            a(0, "c", 1),
            a(0, "d", 1), // fourth right: nothing
            a(1, "a", 0),
            a(1, "c", 0),
        ];
        let awards = awards(&correct, &answers);
        let got: Vec<(u32, &str, i64)> = awards
            .iter()
            .map(|w| (w.question, w.member.as_str(), w.points))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "b", 3),
                (0, "a", 2),
                (0, "c", 1),
                (1, "a", 3),
                (1, "c", 2)
            ]
        );
        let board = scoreboard(&correct, &answers);
        let order: Vec<(&str, i64)> = board
            .iter()
            .map(|s| (s.member.as_str(), s.points))
            .collect();
        assert_eq!(
            order,
            // c and b tie on points, but c has two right answers.
            vec![("a", 5), ("c", 3), ("b", 3), ("d", 0), ("x", 0)]
        );
    }

    #[test]
    fn tally_and_button_data() {
        assert_eq!(tally(3, &[0, 2, 2, 7]), vec![1, 0, 2]);
        assert_eq!(parse_button(&button_data(12, 3, 1)), Some((12, 3, 1)));
        assert_eq!(parse_button("poll:1:2"), None);
        assert_eq!(parse_button("raffle:1:enter"), None);
    }

    #[test]
    fn styles_follow_the_platform() {
        assert_eq!(poll_style(Platform::Telegram, false), PollStyle::Native);
        assert_eq!(poll_style(Platform::Telegram, true), PollStyle::Buttons);
        assert_eq!(poll_style(Platform::Http, false), PollStyle::Buttons);
        assert_eq!(poll_style(Platform::Onebot, false), PollStyle::Numbered);
        assert_eq!(poll_style(Platform::Onebot, true), PollStyle::Numbered);
    }

    #[test]
    fn numbered_answers_are_read_strictly() {
        assert_eq!(parse_numbered(" 2 "), Some(vec![1]));
        assert_eq!(parse_numbered("１，３"), Some(vec![0, 2]));
        assert_eq!(parse_numbered("1, 3 3"), Some(vec![0, 2]));
        assert_eq!(parse_numbered("0"), None);
        assert_eq!(parse_numbered("2 apples"), None);
        assert_eq!(parse_numbered("+1"), None);
        assert_eq!(parse_numbered(""), None);
        assert_eq!(parse_numbered("99999999999999999999"), None);
        assert_eq!(
            parse_ask_key(&format!("{}:i0", ask_key(7, 2))),
            Some((7, 2))
        );
        assert_eq!(parse_ask_key("poll:7:close:i0"), None);
        assert_eq!(numbered_options(&["a".into(), "b".into()]), "1. a\n2. b");
    }

    #[test]
    fn texts_in_every_language() {
        let board = [Score {
            member: "1".into(),
            name: "Ann".into(),
            points: 5,
            right: 2,
        }];
        for lang in [Lang::Zh, Lang::Ru, Lang::En] {
            let t = QuizText::Scoreboard {
                title: "Q",
                board: &board,
            }
            .render(lang);
            assert!(t.contains("1. Ann — 5"), "{t}");
        }
    }
}
