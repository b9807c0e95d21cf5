//! Event sign-ups (接龙, online talks), the pure part: who is in and who
//! waits under a cap, who moves up when someone cancels, which reminder is
//! due, and the texts the bot posts about an event in zh, ru and en.
//!
//! Sign-ups are kept in the order they came; the first `cap` are in, the
//! rest are the waiting list. Nothing here reads a clock: times are
//! arguments.

use chrono::Duration;

use crate::Timestamp;
use crate::i18n::Lang;

/// The longest title.
pub const MAX_TITLE: usize = 100;
/// The longest description.
pub const MAX_DESCRIPTION: usize = 2000;
/// The most reminders one event has.
pub const MAX_REMINDERS: usize = 5;
/// The longest reminder offset: thirty days, in minutes.
pub const MAX_REMINDER_MINUTES: u32 = 30 * 24 * 60;

/// How many of `total` sign-ups are in under `cap` (`None`: no cap).
pub fn going(cap: Option<u32>, total: usize) -> usize {
    match cap {
        Some(cap) => total.min(cap as usize),
        None => total,
    }
}

/// Where a sign-up at position `index` (0-based, in arrival order) stands:
/// `None` when in, else its place on the waiting list (1-based).
pub fn waiting_place(cap: Option<u32>, index: usize) -> Option<usize> {
    match cap {
        Some(cap) if index >= cap as usize => Some(index - cap as usize + 1),
        _ => None,
    }
}

/// Who moves up when the sign-up at `removed` (0-based) of `total` leaves:
/// the position, counted in the list *after* the removal, of the member who
/// was waiting and is now in. `None` when nobody moves up (the one who left
/// was waiting, or nobody waits).
pub fn promoted(cap: Option<u32>, total: usize, removed: usize) -> Option<usize> {
    let cap = cap? as usize;
    if removed >= cap || total <= cap || removed >= total {
        return None;
    }
    Some(cap - 1)
}

/// Reminder offsets in minutes, cleaned: zero and too-long ones dropped,
/// repeats removed, largest first (the order they fall due), at most
/// [`MAX_REMINDERS`].
pub fn normalize_reminders(minutes: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = minutes
        .iter()
        .copied()
        .filter(|m| *m > 0 && *m <= MAX_REMINDER_MINUTES)
        .collect();
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out.truncate(MAX_REMINDERS);
    out
}

/// When reminder `minutes` before `starts` falls due.
pub fn reminder_at(starts: Timestamp, minutes: u32) -> Timestamp {
    starts - Duration::minutes(i64::from(minutes))
}

/// Which reminder to post at `now`, for an event starting at `starts` with
/// `reminders` (largest first, see [`normalize_reminders`]) of which `sent`
/// are done: `Some(n)`, the new count of done reminders, when one is due
/// (only the latest due is posted; those it overtook are skipped), `None`
/// when none is due or the event has started.
pub fn due_reminder(
    starts: Timestamp,
    reminders: &[u32],
    sent: usize,
    now: Timestamp,
) -> Option<usize> {
    if now >= starts {
        return None;
    }
    let due = reminders
        .iter()
        .take_while(|m| reminder_at(starts, **m) <= now)
        .count();
    (due > sent).then_some(due)
}

/// Reads reminder offsets such as `1d, 1h, 30m` (or plain minutes) into
/// minutes; `None` names the first part that cannot be read.
pub fn parse_reminders(text: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    for part in text
        .split([',', ' ', '，', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (number, unit) = part.split_at(
            part.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(part.len()),
        );
        let n: u32 = number.parse().map_err(|_| part.to_owned())?;
        let factor = match unit.trim() {
            "" | "m" | "min" => 1,
            "h" => 60,
            "d" => 24 * 60,
            _ => return Err(part.to_owned()),
        };
        let minutes = n.checked_mul(factor).ok_or_else(|| part.to_owned())?;
        if minutes == 0 || minutes > MAX_REMINDER_MINUTES {
            return Err(part.to_owned());
        }
        out.push(minutes);
    }
    Ok(normalize_reminders(&out))
}

/// An event as the texts show it.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: &'a str,
    /// Its description.
    pub description: &'a str,
    /// Its start, in the group's time zone, already formatted.
    pub starts: &'a str,
    /// Its cap.
    pub cap: Option<u32>,
}

/// What the bot says about events.
#[derive(Debug, Clone)]
pub enum ActivityText<'a> {
    /// The announcement and its sign-up list (接龙), edited as it changes.
    List {
        /// The event.
        event: Shown<'a>,
        /// The names signed up, in order (in, then waiting).
        names: &'a [String],
        /// Whether sign-ups are still open.
        open: bool,
    },
    /// The Sign up button.
    JoinButton,
    /// The Cancel button.
    LeaveButton,
    /// The member is in.
    SignedUp {
        /// Who.
        name: &'a str,
        /// The event.
        title: &'a str,
    },
    /// The event is full: the member waits at this place.
    Waitlisted {
        /// Who.
        name: &'a str,
        /// The event.
        title: &'a str,
        /// The place on the waiting list (1-based).
        place: usize,
    },
    /// The member had signed up already.
    AlreadySignedUp {
        /// The event.
        title: &'a str,
    },
    /// The member cancelled.
    Left {
        /// Who.
        name: &'a str,
        /// The event.
        title: &'a str,
    },
    /// The member was not signed up.
    NotSignedUp {
        /// The event.
        title: &'a str,
    },
    /// A member moved up from the waiting list.
    Promoted {
        /// Who.
        name: &'a str,
        /// The event.
        title: &'a str,
    },
    /// Sign-ups are closed (it started, or was cancelled).
    Closed {
        /// The event.
        title: &'a str,
    },
    /// No event takes sign-ups in this group.
    NoneOpen,
    /// More than one is open: which one (id, title).
    Which(&'a [(i64, String)]),
    /// A reminder before the start.
    Reminder {
        /// The event.
        event: Shown<'a>,
        /// How many are in.
        going: usize,
    },
    /// The event was cancelled by the admins.
    Cancelled {
        /// The event.
        title: &'a str,
    },
}

impl ActivityText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            ActivityText::List { event, names, open } => list(event, names, *open, lang),
            ActivityText::JoinButton => pick(lang, "✋ 报名", "✋ Записаться", "✋ Sign up").into(),
            ActivityText::LeaveButton => pick(lang, "取消报名", "Отменить запись", "Cancel").into(),
            ActivityText::SignedUp { name, title } => match lang {
                Lang::Zh => format!("{name}，已报名「{title}」。"),
                Lang::Ru => format!("{name}, вы записаны на «{title}»."),
                Lang::En => format!("{name}, you're signed up for \"{title}\"."),
            },
            ActivityText::Waitlisted { name, title, place } => match lang {
                Lang::Zh => format!("{name}，「{title}」已满，你在候补名单第 {place} 位。"),
                Lang::Ru => {
                    format!("{name}, на «{title}» мест нет: вы в листе ожидания, место {place}.")
                }
                Lang::En => format!(
                    "{name}, \"{title}\" is full: you're number {place} on the waiting list."
                ),
            },
            ActivityText::AlreadySignedUp { title } => match lang {
                Lang::Zh => format!("你已经报名了「{title}」。"),
                Lang::Ru => format!("Вы уже записаны на «{title}»."),
                Lang::En => format!("You're already signed up for \"{title}\"."),
            },
            ActivityText::Left { name, title } => match lang {
                Lang::Zh => format!("{name}，已取消「{title}」的报名。"),
                Lang::Ru => format!("{name}, запись на «{title}» отменена."),
                Lang::En => format!("{name}, your sign-up for \"{title}\" is cancelled."),
            },
            ActivityText::NotSignedUp { title } => match lang {
                Lang::Zh => format!("你没有报名「{title}」。"),
                Lang::Ru => format!("Вы не записаны на «{title}»."),
                Lang::En => format!("You're not signed up for \"{title}\"."),
            },
            ActivityText::Promoted { name, title } => match lang {
                Lang::Zh => format!("{name}，有人取消了，你已从候补转为正式报名「{title}」。"),
                Lang::Ru => format!(
                    "{name}, освободилось место: вы переведены из листа ожидания на «{title}»."
                ),
                Lang::En => format!(
                    "{name}, a place opened up: you moved up from the waiting list for \"{title}\"."
                ),
            },
            ActivityText::Closed { title } => match lang {
                Lang::Zh => format!("「{title}」的报名已结束。"),
                Lang::Ru => format!("Запись на «{title}» закрыта."),
                Lang::En => format!("Sign-ups for \"{title}\" are closed."),
            },
            ActivityText::NoneOpen => pick(
                lang,
                "现在没有可以报名的活动。",
                "Сейчас нет событий с открытой записью.",
                "There is no event open for sign-ups.",
            )
            .into(),
            ActivityText::Which(list) => {
                let head = pick(
                    lang,
                    "有多个活动，请写明编号，例如 /signup 3：",
                    "Открыто несколько событий, укажите номер, например /signup 3:",
                    "Several events are open; name one, e.g. /signup 3:",
                );
                let mut out = head.to_owned();
                for (id, title) in list.iter() {
                    out.push_str(&format!("\n#{id} {title}"));
                }
                out
            }
            ActivityText::Reminder { event, going } => match lang {
                Lang::Zh => format!(
                    "⏰ 提醒：「{}」将于 {} 开始，已有 {going} 人报名。",
                    event.title, event.starts
                ),
                Lang::Ru => format!(
                    "⏰ Напоминание: «{}» начнётся {}, записано участников: {going}.",
                    event.title, event.starts
                ),
                Lang::En => format!(
                    "⏰ Reminder: \"{}\" starts at {}; {going} signed up.",
                    event.title, event.starts
                ),
            },
            ActivityText::Cancelled { title } => match lang {
                Lang::Zh => format!("活动「{title}」已取消。"),
                Lang::Ru => format!("Событие «{title}» отменено."),
                Lang::En => format!("The event \"{title}\" is cancelled."),
            },
        }
    }
}

fn pick(lang: Lang, zh: &'static str, ru: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn list(event: &Shown<'_>, names: &[String], open: bool, lang: Lang) -> String {
    let id = event.id;
    let mut out = format!("📅 {} (#{id})\n", event.title);
    if !event.description.is_empty() {
        out.push_str(event.description);
        out.push('\n');
    }
    out.push_str(&match lang {
        Lang::Zh => format!("时间：{}\n", event.starts),
        Lang::Ru => format!("Начало: {}\n", event.starts),
        Lang::En => format!("Starts: {}\n", event.starts),
    });
    let n = going(event.cap, names.len());
    let count = match event.cap {
        Some(cap) => format!("{n}/{cap}"),
        None => n.to_string(),
    };
    out.push_str(&match lang {
        Lang::Zh => format!("\n报名（{count}）：\n"),
        Lang::Ru => format!("\nЗаписались ({count}):\n"),
        Lang::En => format!("\nSigned up ({count}):\n"),
    });
    for (i, name) in names.iter().take(n).enumerate() {
        out.push_str(&format!("{}. {name}\n", i + 1));
    }
    if names.len() > n {
        out.push_str(pick(
            lang,
            "候补：\n",
            "Лист ожидания:\n",
            "Waiting list:\n",
        ));
        for (i, name) in names.iter().skip(n).enumerate() {
            out.push_str(&format!("{}. {name}\n", i + 1));
        }
    }
    out.push('\n');
    out.push_str(&if open {
        match lang {
            Lang::Zh => format!("报名：/signup {id} 或回复本消息 +1；取消：/cancel {id}"),
            Lang::Ru => format!("Записаться: /signup {id} или ответьте +1; отменить: /cancel {id}"),
            Lang::En => format!("Sign up: /signup {id} or reply +1; cancel: /cancel {id}"),
        }
    } else {
        pick(
            lang,
            "报名已结束。",
            "Запись закрыта.",
            "Sign-ups are closed.",
        )
        .to_owned()
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_cap_splits_in_from_waiting_and_the_first_waiting_moves_up() {
        assert_eq!(going(Some(2), 3), 2);
        assert_eq!(going(None, 3), 3);
        assert_eq!(waiting_place(Some(2), 1), None);
        assert_eq!(waiting_place(Some(2), 3), Some(2));
        // One of the two in leaves: the first waiting is now at place 1.
        assert_eq!(promoted(Some(2), 3, 0), Some(1));
        // The one waiting leaves, or nobody waits: nobody moves.
        assert_eq!(promoted(Some(2), 3, 2), None);
        assert_eq!(promoted(Some(2), 2, 0), None);
        assert_eq!(promoted(None, 5, 0), None);
    }

    #[test]
    fn reminders_fall_due_once_and_late_ones_are_skipped() {
        let starts = at(24 * 60);
        let r = normalize_reminders(&[60, 1440, 60, 0]);
        assert_eq!(r, vec![1440, 60]);
        assert_eq!(due_reminder(starts, &r, 0, at(-1)), None);
        assert_eq!(due_reminder(starts, &r, 0, at(0)), Some(1));
        assert_eq!(due_reminder(starts, &r, 1, at(10)), None);
        assert_eq!(due_reminder(starts, &r, 1, at(23 * 60)), Some(2));
        // Both overdue at once: only the latest, counted as both done.
        assert_eq!(due_reminder(starts, &r, 0, at(23 * 60 + 1)), Some(2));
        assert_eq!(due_reminder(starts, &r, 0, starts), None);
    }

    #[test]
    fn reminder_offsets_are_read() {
        assert_eq!(parse_reminders("1d, 1h").unwrap(), vec![1440, 60]);
        assert_eq!(parse_reminders("30m 90").unwrap(), vec![90, 30]);
        assert_eq!(parse_reminders("").unwrap(), Vec::<u32>::new());
        assert_eq!(parse_reminders("soon").unwrap_err(), "soon");
        assert!(parse_reminders("99d").is_err());
    }

    #[test]
    fn the_list_shows_in_and_waiting_in_every_language() {
        let names = vec!["Ann".to_owned(), "Bob".to_owned(), "Carl".to_owned()];
        let event = Shown {
            id: 3,
            title: "Talk",
            description: "About Rust",
            starts: "2024-05-01 19:00 UTC+8",
            cap: Some(2),
        };
        for lang in [Lang::Zh, Lang::Ru, Lang::En] {
            let text = ActivityText::List {
                event,
                names: &names,
                open: true,
            }
            .render(lang);
            assert!(text.contains("2/2"), "{text}");
            assert!(text.contains("1. Carl"), "{text}");
            assert!(text.contains("/signup 3"), "{text}");
        }
    }
}
