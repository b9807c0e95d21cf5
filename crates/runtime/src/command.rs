//! In-chat commands: `/warn`, `/mute 1h`, `!ban @someone 7d spam`, `/report`
//! and the rest, read from a message's text into a [`Command`].
//!
//! Parsing is pure and never panics: adapters call [`parse`] on every group
//! message, and whatever a member types must come back as "not a command"
//! (`None`), a command, or an error the bot can answer with
//! [`CommandError::reply`].

use std::time::Duration;

use steward_core::Permission;
use steward_core::texts::{BotText, MAX_DURATION_DAYS};

/// The longest duration [`parse_duration`] accepts.
pub const MAX_DURATION: Duration = Duration::from_secs(MAX_DURATION_DAYS as u64 * 24 * 60 * 60);

/// A command a member sent in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Warn a member.
    Warn {
        /// Who.
        target: Target,
        /// Why, if the admin said.
        reason: Option<String>,
    },
    /// Stop a member from writing.
    Mute {
        /// Who.
        target: Target,
        /// How long; `None` leaves it to the group's default.
        duration: Option<Duration>,
        /// Why, if the admin said.
        reason: Option<String>,
    },
    /// Let a member write again.
    Unmute {
        /// Who.
        target: Target,
    },
    /// Remove a member, who may come back.
    Kick {
        /// Who.
        target: Target,
        /// Why, if the admin said.
        reason: Option<String>,
    },
    /// Ban a member.
    Ban {
        /// Who.
        target: Target,
        /// How long; `None` is permanently.
        duration: Option<Duration>,
        /// Why, if the admin said.
        reason: Option<String>,
    },
    /// Lift a member's ban.
    Unban {
        /// Who.
        target: Target,
    },
    /// Report a message to the admins. Only a reply says which message, but
    /// a report without one is still parsed so the bot can explain that.
    Report {
        /// Why, if the member said.
        reason: Option<String>,
    },
    /// Show the group's rules.
    Rules,
    /// Show the commands.
    Help,
    /// Send feedback to the admins.
    Feedback {
        /// The feedback; never empty.
        text: String,
    },
    /// File a complaint: a ticket in the `complaint` category.
    Complain {
        /// The complaint; never empty.
        text: String,
    },
    /// Appeal a moderation decision.
    Appeal {
        /// The appeal; never empty.
        text: String,
    },
    /// Ask for one's personal invite link to the group.
    Invite,
    /// Show the group's top referrers.
    Referrals,
    /// Check in for the day (`/checkin`, `/signin`, `/qiandao`, or the
    /// plain text 签到 / 打卡).
    Checkin,
    /// Show one's points, level, rank and check-in streak.
    Points,
    /// Show the group's top members by points in a period.
    Top {
        /// The period (default: all time).
        period: steward_core::points::Period,
    },
    /// Give a member points (negative: take them).
    Award {
        /// Who.
        target: Target,
        /// How many; `None` when it could not be read (answered with the
        /// usage).
        amount: Option<i64>,
        /// Why, if the admin said.
        reason: Option<String>,
    },
    /// Enter a raffle (`/enter`, `/join_raffle`): the one named by id, or
    /// the only one open.
    Enter {
        /// The raffle's id, when given.
        raffle: Option<i64>,
    },
    /// Show the group's open raffles.
    Raffle,
    /// Sign up for an event (`/signup [id]`): the one named, or the only
    /// one open.
    Signup {
        /// The event's id, when given.
        activity: Option<i64>,
    },
    /// Cancel one's sign-up for an event (`/cancel [id]`).
    Unsignup {
        /// The event's id, when given.
        activity: Option<i64>,
    },
    /// List the group's frequently asked questions.
    Faq,
    /// Remove or ban everyone who joined since a time (after a raid): a
    /// dry run first, then the same command with `confirm`.
    Since {
        /// Where the window starts.
        from: SinceFrom,
        /// Ban rather than remove.
        ban: bool,
        /// Go ahead with the dry run shown before.
        confirm: bool,
    },
}

/// Where a `/since` window starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SinceFrom {
    /// This long ago (`10m`, `2h`).
    Ago(Duration),
    /// At this time of day, UTC (`14:05`): today, or yesterday when that
    /// is still to come.
    At {
        /// The hour, 0 to 23.
        hour: u32,
        /// The minute, 0 to 59.
        minute: u32,
    },
}

/// Whom a moderation command is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// The sender of the message the command replies to.
    Reply,
    /// A member named by username, without the `@`.
    Username(String),
    /// A member named by platform id (digits).
    Id(String),
}

/// Why a command could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// A moderation command neither replies to a message nor names anyone.
    #[error("/{command} needs a target: reply to a message, or give @username or an id")]
    MissingTarget {
        /// The command's name.
        command: &'static str,
    },
    /// A duration could not be read, or is longer than [`MAX_DURATION`].
    #[error("cannot read the duration `{given}`")]
    BadDuration {
        /// The duration as given.
        given: String,
    },
    /// A command that carries text came without any.
    #[error("/{command} needs some text")]
    MissingText {
        /// The command's name.
        command: &'static str,
    },
    /// `/since` without a time and `kick` or `ban`.
    #[error("/since needs a time and kick or ban")]
    BadSince,
}

impl CommandError {
    /// What the bot answers in the chat.
    pub fn reply(&self) -> BotText<'_> {
        match self {
            CommandError::MissingTarget { command } => BotText::NeedsTarget { command },
            CommandError::BadDuration { given } => BotText::BadDuration { given },
            CommandError::MissingText {
                command: "appeal", ..
            } => BotText::AppealNeedsText,
            CommandError::MissingText {
                command: "complain",
            } => BotText::ComplainNeedsText,
            CommandError::MissingText { .. } => BotText::FeedbackNeedsText,
            CommandError::BadSince => BotText::SinceUsage,
        }
    }
}

/// The commands by name, before their arguments are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Enter,
    Raffle,
    Signup,
    Unsignup,
    Warn,
    Mute,
    Unmute,
    Kick,
    Ban,
    Unban,
    Report,
    Rules,
    Help,
    Feedback,
    Complain,
    Appeal,
    Invite,
    Referrals,
    Faq,
    Since,
    Checkin,
    Points,
    Top,
    Award,
}

impl Kind {
    const ALL: &[Kind] = &[
        Kind::Warn,
        Kind::Mute,
        Kind::Unmute,
        Kind::Kick,
        Kind::Ban,
        Kind::Unban,
        Kind::Report,
        Kind::Rules,
        Kind::Help,
        Kind::Feedback,
        Kind::Appeal,
        Kind::Invite,
        Kind::Referrals,
        Kind::Checkin,
        Kind::Points,
        Kind::Top,
        Kind::Award,
        Kind::Faq,
        Kind::Since,
        Kind::Enter,
        Kind::Raffle,
        Kind::Signup,
        Kind::Unsignup,
        Kind::Complain,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Warn => "warn",
            Kind::Mute => "mute",
            Kind::Unmute => "unmute",
            Kind::Kick => "kick",
            Kind::Ban => "ban",
            Kind::Unban => "unban",
            Kind::Report => "report",
            Kind::Rules => "rules",
            Kind::Help => "help",
            Kind::Feedback => "feedback",
            Kind::Complain => "complain",
            Kind::Appeal => "appeal",
            Kind::Invite => "invite",
            Kind::Referrals => "referrals",
            Kind::Checkin => "checkin",
            Kind::Points => "points",
            Kind::Top => "top",
            Kind::Award => "award",
            Kind::Faq => "faq",
            Kind::Since => "since",
            Kind::Enter => "enter",
            Kind::Raffle => "raffle",
            Kind::Signup => "signup",
            Kind::Unsignup => "cancel",
        }
    }

    fn from_name(name: &str) -> Option<Kind> {
        // Aliases of /checkin kept off the menu: 签到 is "qiandao".
        if ["signin", "qiandao"]
            .iter()
            .any(|alias| name.eq_ignore_ascii_case(alias))
        {
            return Some(Kind::Checkin);
        }
        if name.eq_ignore_ascii_case("join_raffle") {
            return Some(Kind::Enter);
        }
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.name().eq_ignore_ascii_case(name))
    }

    /// Reads the arguments that follow the command's name.
    fn parse_args(self, args: &str, has_reply: bool) -> Result<Command, CommandError> {
        let command = self.name();
        Ok(match self {
            Kind::Warn => {
                let (target, rest) = target(args, has_reply, command)?;
                Command::Warn {
                    target,
                    reason: reason(rest),
                }
            }
            Kind::Mute => {
                let (target, rest) = target(args, has_reply, command)?;
                let (duration, rest) = durations(rest)?;
                Command::Mute {
                    target,
                    duration,
                    reason: reason(rest),
                }
            }
            Kind::Unmute => Command::Unmute {
                target: target(args, has_reply, command)?.0,
            },
            Kind::Kick => {
                let (target, rest) = target(args, has_reply, command)?;
                Command::Kick {
                    target,
                    reason: reason(rest),
                }
            }
            Kind::Ban => {
                let (target, rest) = target(args, has_reply, command)?;
                let (duration, rest) = durations(rest)?;
                Command::Ban {
                    target,
                    duration,
                    reason: reason(rest),
                }
            }
            Kind::Unban => Command::Unban {
                target: target(args, has_reply, command)?.0,
            },
            Kind::Report => Command::Report {
                reason: reason(args),
            },
            Kind::Rules => Command::Rules,
            Kind::Help => Command::Help,
            Kind::Feedback => Command::Feedback {
                text: reason(args).ok_or(CommandError::MissingText { command })?,
            },
            Kind::Complain => Command::Complain {
                text: reason(args).ok_or(CommandError::MissingText { command })?,
            },
            Kind::Appeal => Command::Appeal {
                text: reason(args).ok_or(CommandError::MissingText { command })?,
            },
            Kind::Invite => Command::Invite,
            Kind::Referrals => Command::Referrals,
            Kind::Checkin => Command::Checkin,
            Kind::Points => Command::Points,
            Kind::Top => Command::Top {
                period: split_token(args)
                    .and_then(|(p, _)| steward_core::points::Period::parse(p))
                    .unwrap_or_default(),
            },
            Kind::Award => {
                let (target, rest) = target(args, has_reply, command)?;
                let (amount, rest) = match split_token(rest) {
                    Some((n, after)) => match n.trim_start_matches('+').parse::<i64>() {
                        Ok(n) if n != 0 && n.abs() <= MAX_AWARD => (Some(n), after),
                        _ => (None, rest),
                    },
                    None => (None, rest),
                };
                Command::Award {
                    target,
                    amount,
                    reason: reason(rest),
                }
            }
            Kind::Faq => Command::Faq,
            Kind::Since => since(args)?,
            Kind::Enter => Command::Enter {
                raffle: split_token(args)
                    .and_then(|(id, _)| id.trim_start_matches('#').parse().ok()),
            },
            Kind::Raffle => Command::Raffle,
            Kind::Signup => Command::Signup {
                activity: split_token(args)
                    .and_then(|(id, _)| id.trim_start_matches('#').parse().ok()),
            },
            Kind::Unsignup => Command::Unsignup {
                activity: split_token(args)
                    .and_then(|(id, _)| id.trim_start_matches('#').parse().ok()),
            },
        })
    }
}

impl Command {
    /// The command's name, without the slash.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Warn { .. } => "warn",
            Command::Mute { .. } => "mute",
            Command::Unmute { .. } => "unmute",
            Command::Kick { .. } => "kick",
            Command::Ban { .. } => "ban",
            Command::Unban { .. } => "unban",
            Command::Report { .. } => "report",
            Command::Rules => "rules",
            Command::Help => "help",
            Command::Feedback { .. } => "feedback",
            Command::Complain { .. } => "complain",
            Command::Appeal { .. } => "appeal",
            Command::Invite => "invite",
            Command::Referrals => "referrals",
            Command::Checkin => "checkin",
            Command::Points => "points",
            Command::Top { .. } => "top",
            Command::Award { .. } => "award",
            Command::Faq => "faq",
            Command::Since { .. } => "since",
            Command::Enter { .. } => "enter",
            Command::Raffle => "raffle",
            Command::Signup { .. } => "signup",
            Command::Unsignup { .. } => "cancel",
        }
    }

    /// The permission a sender needs; `None` for commands every member may use.
    pub fn required_permission(&self) -> Option<Permission> {
        match self {
            Command::Warn { .. } | Command::Mute { .. } | Command::Unmute { .. } => {
                Some(Permission::Moderate)
            }
            Command::Kick { .. }
            | Command::Ban { .. }
            | Command::Unban { .. }
            | Command::Since { .. } => Some(Permission::Ban),
            Command::Award { .. } => Some(Permission::ManageGroups),
            Command::Checkin | Command::Points | Command::Top { .. } => None,
            Command::Enter { .. }
            | Command::Raffle
            | Command::Signup { .. }
            | Command::Unsignup { .. }
            | Command::Report { .. }
            | Command::Rules
            | Command::Help
            | Command::Feedback { .. }
            | Command::Complain { .. }
            | Command::Appeal { .. }
            | Command::Invite
            | Command::Referrals
            | Command::Faq => None,
        }
    }

    /// Whom the command is about, for moderation commands.
    pub fn target(&self) -> Option<&Target> {
        match self {
            Command::Warn { target, .. }
            | Command::Mute { target, .. }
            | Command::Unmute { target }
            | Command::Kick { target, .. }
            | Command::Ban { target, .. }
            | Command::Unban { target }
            | Command::Award { target, .. } => Some(target),
            Command::Checkin | Command::Points | Command::Top { .. } => None,
            Command::Enter { .. }
            | Command::Raffle
            | Command::Signup { .. }
            | Command::Unsignup { .. }
            | Command::Report { .. }
            | Command::Rules
            | Command::Help
            | Command::Feedback { .. }
            | Command::Complain { .. }
            | Command::Appeal { .. }
            | Command::Invite
            | Command::Referrals
            | Command::Faq
            | Command::Since { .. } => None,
        }
    }
}

/// Messages that check in as they are (Telegram commands are ASCII, but
/// members type these).
const CHECKIN_WORDS: [&str; 4] = ["签到", "打卡", "/签到", "!签到"];

/// The most points one `/award` gives or takes.
const MAX_AWARD: i64 = 1_000_000;

/// Reads a command from a message's text.
///
/// `None` means the message is not a command for this bot: not a command at
/// all, a command Steward does not know (another bot may), or Telegram's
/// `/cmd@OtherBot`. `has_reply` says whether the message replies to another;
/// `bot_username` is the bot's own username where the platform has one.
pub fn parse(
    text: &str,
    has_reply: bool,
    bot_username: Option<&str>,
) -> Option<Result<Command, CommandError>> {
    if CHECKIN_WORDS.contains(&text.trim()) {
        return Some(Ok(Command::Checkin));
    }
    let (head, args) = split_token(text)?;
    let head = head.strip_prefix(['/', '!'])?;
    let name = match head.split_once('@') {
        Some((name, addressee)) => {
            let ours = bot_username
                .map(|b| b.trim().trim_start_matches('@'))
                .filter(|b| !b.is_empty())?;
            if addressee.to_lowercase() != ours.to_lowercase() {
                return None;
            }
            name
        }
        None => head,
    };
    let kind = Kind::from_name(name)?;
    Some(kind.parse_args(args, has_reply))
}

/// Reads a duration: one or more number-unit pairs such as `30s`, `10m`,
/// `2h`, `1d`, `1w`, `1h30m`, `10分钟`, `2小时`, `1天`, `10м`, `2ч`, `1д`.
///
/// `None` when it cannot be read, is zero, or is longer than
/// [`MAX_DURATION`].
pub fn parse_duration(s: &str) -> Option<Duration> {
    let mut chars = s.trim().chars().peekable();
    chars.peek()?;
    let mut total: u64 = 0;
    while chars.peek().is_some() {
        let mut number: u64 = 0;
        let mut digits = 0;
        while let Some(d) = chars.peek().copied().and_then(digit) {
            // Checked, so "99999999999999999999d" is refused, not wrapped.
            number = number.checked_mul(10)?.checked_add(d)?;
            digits += 1;
            chars.next();
        }
        if digits == 0 {
            return None;
        }
        let mut unit = String::new();
        while let Some(&c) = chars.peek() {
            if digit(c).is_some() {
                break;
            }
            unit.push(c);
            chars.next();
        }
        total = total.checked_add(number.checked_mul(unit_seconds(unit.trim())?)?)?;
        if total > MAX_DURATION.as_secs() {
            return None;
        }
    }
    (total > 0).then(|| Duration::from_secs(total))
}

/// A digit's value. Full-width digits count, because Chinese input methods
/// often type them.
fn digit(c: char) -> Option<u64> {
    match c {
        '0'..='9' => Some(u64::from(c) - u64::from('0')),
        '０'..='９' => Some(u64::from(c) - u64::from('０')),
        _ => None,
    }
}

/// Seconds in a duration unit, in any of the languages Steward speaks.
fn unit_seconds(unit: &str) -> Option<u64> {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    const WEEK: u64 = 7 * DAY;
    Some(match unit.to_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" | "秒" | "秒钟" | "с" | "сек" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" | "分" | "分钟" | "м" | "мин" | "минута"
        | "минуту" | "минуты" | "минут" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" | "时" | "小时" | "个小时" | "ч" | "час" | "часа"
        | "часов" => HOUR,
        "d" | "day" | "days" | "天" | "日" | "д" | "дн" | "день" | "дня" | "дней" => {
            DAY
        }
        "w" | "wk" | "wks" | "week" | "weeks" | "周" | "星期" | "个星期" | "н" | "нед"
        | "неделя" | "неделю" | "недели" | "недель" => WEEK,
        _ => return None,
    })
}

/// Splits the first whitespace-separated token off `s`; the rest has its
/// leading whitespace removed.
fn split_token(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start();
    if s.is_empty() {
        return None;
    }
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    Some((&s[..end], s[end..].trim_start()))
}

/// Reads whom a moderation command is about, and returns the arguments left.
fn target<'a>(
    args: &'a str,
    has_reply: bool,
    command: &'static str,
) -> Result<(Target, &'a str), CommandError> {
    if has_reply {
        return Ok((Target::Reply, args));
    }
    let missing = CommandError::MissingTarget { command };
    let (token, rest) = split_token(args).ok_or(missing.clone())?;
    let target = match token.strip_prefix('@') {
        Some(username) if !username.is_empty() => Target::Username(username.to_owned()),
        Some(_) => return Err(missing),
        None if token.bytes().all(|b| b.is_ascii_digit()) => Target::Id(token.to_owned()),
        None => return Err(missing),
    };
    Ok((target, rest))
}

/// Whether a token is meant as a duration, so that failing to read it is an
/// error rather than the start of the reason.
fn looks_like_duration(token: &str) -> bool {
    let token = token.strip_prefix(['-', '+']).unwrap_or(token);
    token.chars().next().and_then(digit).is_some()
}

/// Reads the duration at the front of `args`, if there is one, and returns
/// the arguments left.
///
/// Admins type durations the way they would say them, so `1h 30m`,
/// `10 分钟` and `2 hours` are read as one duration as well as `1h30m`.
fn durations(args: &str) -> Result<(Option<Duration>, &str), CommandError> {
    let mut total: Option<Duration> = None;
    let mut rest = args;
    while let Some((token, after)) = split_token(rest) {
        if !looks_like_duration(token) {
            break;
        }
        let (read, after) = match parse_duration(token) {
            Some(d) => (Some(d), after),
            // A bare number may have its unit in the next token.
            None => match split_token(after) {
                Some((unit, after_unit)) if token.chars().all(|c| digit(c).is_some()) => {
                    match parse_duration(&format!("{token}{unit}")) {
                        Some(d) => (Some(d), after_unit),
                        None => (None, after),
                    }
                }
                _ => (None, after),
            },
        };
        let given = || CommandError::BadDuration {
            given: args[..args.len() - after.len()].trim_end().to_owned(),
        };
        let Some(read) = read else {
            // Only the first token must be a duration; a later one that is
            // not is where the reason starts ("1d 2nd offence").
            if total.is_some() {
                break;
            }
            return Err(CommandError::BadDuration {
                given: token.to_owned(),
            });
        };
        let sum = total
            .unwrap_or_default()
            .checked_add(read)
            .filter(|d| *d <= MAX_DURATION)
            .ok_or_else(given)?;
        total = Some(sum);
        rest = after;
    }
    Ok((total, rest))
}

/// Reads `/since`'s arguments: a time (`14:05`) or how long ago (`10m`),
/// then `kick` or `ban`, then optionally `confirm`.
fn since(args: &str) -> Result<Command, CommandError> {
    let (first, rest) = split_token(args).ok_or(CommandError::BadSince)?;
    let clock = first.replace('：', ":");
    let (from, rest) = match clock.split_once(':') {
        Some((h, m)) => {
            let hour = h.parse::<u32>().ok().filter(|h| *h < 24);
            let minute = m
                .parse::<u32>()
                .ok()
                .filter(|minute| *minute < 60 && m.len() == 2);
            match (hour, minute) {
                (Some(hour), Some(minute)) => (SinceFrom::At { hour, minute }, rest),
                _ => return Err(CommandError::BadSince),
            }
        }
        None => match durations(args) {
            Ok((Some(d), rest)) => (SinceFrom::Ago(d), rest),
            _ => return Err(CommandError::BadSince),
        },
    };
    let (action, rest) = split_token(rest).ok_or(CommandError::BadSince)?;
    let ban = match action.to_lowercase().as_str() {
        "kick" | "remove" => false,
        "ban" => true,
        _ => return Err(CommandError::BadSince),
    };
    let confirm = match split_token(rest) {
        None => false,
        Some((word, "")) if word.eq_ignore_ascii_case("confirm") => true,
        Some(_) => return Err(CommandError::BadSince),
    };
    Ok(Command::Since { from, ban, confirm })
}

/// Free text after the arguments: trimmed, `None` when empty.
fn reason(rest: &str) -> Option<String> {
    let rest = rest.trim();
    (!rest.is_empty()).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;

    fn secs(n: u64) -> Option<Duration> {
        Some(Duration::from_secs(n))
    }

    fn ok(text: &str, has_reply: bool) -> Command {
        match parse(text, has_reply, Some("StewardBot")) {
            Some(Ok(command)) => command,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn err(text: &str, has_reply: bool) -> CommandError {
        match parse(text, has_reply, Some("StewardBot")) {
            Some(Err(e)) => e,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn user(name: &str) -> Target {
        Target::Username(name.to_owned())
    }

    #[test]
    fn durations_in_every_language() {
        assert_eq!(parse_duration("30s"), secs(30));
        assert_eq!(parse_duration("10m"), secs(10 * MIN));
        assert_eq!(parse_duration("2h"), secs(2 * HOUR));
        assert_eq!(parse_duration("1d"), secs(DAY));
        assert_eq!(parse_duration("1w"), secs(7 * DAY));
        assert_eq!(parse_duration("1h30m"), secs(HOUR + 30 * MIN));
        assert_eq!(
            parse_duration("1d2h3m4s"),
            secs(DAY + 2 * HOUR + 3 * MIN + 4)
        );
        assert_eq!(parse_duration("2H"), secs(2 * HOUR));
        assert_eq!(parse_duration("10min"), secs(10 * MIN));
        assert_eq!(parse_duration("3days"), secs(3 * DAY));
        assert_eq!(parse_duration("10分钟"), secs(10 * MIN));
        assert_eq!(parse_duration("2小时"), secs(2 * HOUR));
        assert_eq!(parse_duration("2个小时"), secs(2 * HOUR));
        assert_eq!(parse_duration("1天"), secs(DAY));
        assert_eq!(parse_duration("1周"), secs(7 * DAY));
        assert_eq!(parse_duration("１０分钟"), secs(10 * MIN));
        assert_eq!(parse_duration("10м"), secs(10 * MIN));
        assert_eq!(parse_duration("2ч"), secs(2 * HOUR));
        assert_eq!(parse_duration("1д"), secs(DAY));
        assert_eq!(parse_duration("5минут"), secs(5 * MIN));
        assert_eq!(parse_duration("2Ч30М"), secs(2 * HOUR + 30 * MIN));
        assert_eq!(parse_duration(" 1h "), secs(HOUR));
    }

    #[test]
    fn durations_that_do_not_read() {
        for bad in [
            "", " ", "10", "h", "1x", "1h30", "1.5h", "-1h", "0s", "0h0m", "1mo", "h1", "1 h x",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn durations_stop_at_the_limit_and_never_overflow() {
        let days = u64::from(MAX_DURATION_DAYS);
        assert_eq!(parse_duration(&format!("{days}d")), Some(MAX_DURATION));
        assert_eq!(parse_duration(&format!("{}d", days + 1)), None);
        assert_eq!(parse_duration(&format!("{days}d1s")), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
        assert_eq!(parse_duration("18446744073709551615s"), None);
        assert_eq!(parse_duration("18446744073709551616s"), None);
        assert_eq!(parse_duration("9999999999999w"), None);
        assert_eq!(parse_duration(&"9".repeat(10_000)), None);
    }

    #[test]
    fn moderation_commands_by_reply() {
        assert_eq!(
            ok("/warn", true),
            Command::Warn {
                target: Target::Reply,
                reason: None
            }
        );
        assert_eq!(
            ok("/warn  stop   flooding  ", true),
            Command::Warn {
                target: Target::Reply,
                reason: Some("stop   flooding".into())
            }
        );
        assert_eq!(
            ok("/mute", true),
            Command::Mute {
                target: Target::Reply,
                duration: None,
                reason: None
            }
        );
        assert_eq!(
            ok("/mute 1h spam links", true),
            Command::Mute {
                target: Target::Reply,
                duration: secs(HOUR),
                reason: Some("spam links".into())
            }
        );
        assert_eq!(
            ok("/mute spam", true),
            Command::Mute {
                target: Target::Reply,
                duration: None,
                reason: Some("spam".into())
            }
        );
        assert_eq!(
            ok("/ban", true),
            Command::Ban {
                target: Target::Reply,
                duration: None,
                reason: None
            }
        );
        assert_eq!(
            ok("/ban 7d 广告", true),
            Command::Ban {
                target: Target::Reply,
                duration: secs(7 * DAY),
                reason: Some("广告".into())
            }
        );
        assert_eq!(
            ok("/kick bye", true),
            Command::Kick {
                target: Target::Reply,
                reason: Some("bye".into())
            }
        );
        assert_eq!(
            ok("/unmute", true),
            Command::Unmute {
                target: Target::Reply
            }
        );
        assert_eq!(
            ok("/unban", true),
            Command::Unban {
                target: Target::Reply
            }
        );
    }

    #[test]
    fn a_reply_is_the_target_even_when_someone_is_named() {
        assert_eq!(
            ok("/warn @bob rude", true),
            Command::Warn {
                target: Target::Reply,
                reason: Some("@bob rude".into())
            }
        );
    }

    #[test]
    fn moderation_commands_by_name_or_id() {
        assert_eq!(
            ok("/mute @alice 10m", false),
            Command::Mute {
                target: user("alice"),
                duration: secs(10 * MIN),
                reason: None
            }
        );
        assert_eq!(
            ok("/ban 123456789 1w scam", false),
            Command::Ban {
                target: Target::Id("123456789".into()),
                duration: secs(7 * DAY),
                reason: Some("scam".into())
            }
        );
        assert_eq!(
            ok("/ban 1", false),
            Command::Ban {
                target: Target::Id("1".into()),
                duration: None,
                reason: None
            }
        );
        assert_eq!(
            ok("/unban @alice", false),
            Command::Unban {
                target: user("alice")
            }
        );
        assert_eq!(
            ok("/kick 42", false),
            Command::Kick {
                target: Target::Id("42".into()),
                reason: None
            }
        );
        assert_eq!(
            ok("/warn @alice:matrix.org off-topic", false),
            Command::Warn {
                target: user("alice:matrix.org"),
                reason: Some("off-topic".into())
            }
        );
    }

    #[test]
    fn moderation_commands_need_a_target() {
        for text in [
            "/warn",
            "/mute",
            "/mute 1h",
            "/ban spammer",
            "/kick @",
            "/unmute ",
            "/unban -5",
        ] {
            let command = parse(text, false, None)
                .and_then(Result::err)
                .unwrap_or_else(|| panic!("{text:?}"));
            assert!(
                matches!(command, CommandError::MissingTarget { .. }),
                "{text:?}: {command:?}"
            );
        }
        assert_eq!(
            err("/mute 1h", false),
            CommandError::MissingTarget { command: "mute" }
        );
    }

    #[test]
    fn durations_in_commands() {
        let mute = |text| match ok(text, true) {
            Command::Mute {
                duration, reason, ..
            } => (duration, reason),
            other => panic!("{other:?}"),
        };
        assert_eq!(mute("/mute 1h 30m"), (secs(HOUR + 30 * MIN), None));
        assert_eq!(
            mute("/mute 10 分钟 刷屏"),
            (secs(10 * MIN), Some("刷屏".into()))
        );
        assert_eq!(mute("/mute 2 hours"), (secs(2 * HOUR), None));
        assert_eq!(
            mute("/mute 10м флуд"),
            (secs(10 * MIN), Some("флуд".into()))
        );
        assert_eq!(
            mute("/mute 1d 2nd offence"),
            (secs(DAY), Some("2nd offence".into()))
        );
        assert_eq!(mute("/mute 1d 5"), (secs(DAY), Some("5".into())));
        assert_eq!(
            err("/mute 5 flood", true),
            CommandError::BadDuration { given: "5".into() }
        );
        assert_eq!(
            err("/mute @bob 5x", false),
            CommandError::BadDuration { given: "5x".into() }
        );
        assert_eq!(
            err("/ban 1", true),
            CommandError::BadDuration { given: "1".into() }
        );
        assert_eq!(
            err("/mute -1h", true),
            CommandError::BadDuration {
                given: "-1h".into()
            }
        );
        assert_eq!(
            err("/mute 99999999999999999999d", true),
            CommandError::BadDuration {
                given: "99999999999999999999d".into()
            }
        );
        assert_eq!(
            err("/ban 366d 1d", true),
            CommandError::BadDuration {
                given: "366d 1d".into()
            }
        );
        // Warn and kick take no duration: digits are part of the reason.
        assert_eq!(
            ok("/warn 3 links", true),
            Command::Warn {
                target: Target::Reply,
                reason: Some("3 links".into())
            }
        );
    }

    #[test]
    fn raffle_commands() {
        assert_eq!(ok("/enter", false), Command::Enter { raffle: None });
        assert_eq!(ok("/enter 12", false), Command::Enter { raffle: Some(12) });
        assert_eq!(
            ok("/join_raffle #3", false),
            Command::Enter { raffle: Some(3) }
        );
        assert_eq!(
            ok("/JOIN_RAFFLE@StewardBot", false),
            Command::Enter { raffle: None }
        );
        assert_eq!(ok("/enter please", false), Command::Enter { raffle: None });
        assert_eq!(ok("/raffle", false), Command::Raffle);
        assert_eq!(Command::Enter { raffle: None }.required_permission(), None);
        assert_eq!(Command::Raffle.target(), None);
    }

    #[test]
    fn referral_commands() {
        assert_eq!(ok("/invite", false), Command::Invite);
        assert_eq!(ok("/INVITE@StewardBot", false), Command::Invite);
        assert_eq!(ok("/invite me please", true), Command::Invite);
        assert_eq!(ok("!referrals", false), Command::Referrals);
        assert_eq!(Command::Invite.required_permission(), None);
        assert_eq!(Command::Referrals.target(), None);
        assert_eq!(ok("/faq", false), Command::Faq);
        assert_eq!(Command::Faq.required_permission(), None);
        assert_eq!(parse("/invites", false, None), None);
    }

    #[test]
    fn member_commands() {
        assert_eq!(ok("/report", false), Command::Report { reason: None });
        assert_eq!(
            ok("/report scam link", true),
            Command::Report {
                reason: Some("scam link".into())
            }
        );
        assert_eq!(ok("/rules", false), Command::Rules);
        assert_eq!(ok("/rules please", false), Command::Rules);
        assert_eq!(ok("/help", true), Command::Help);
        assert_eq!(
            ok("/feedback more events\nplease", false),
            Command::Feedback {
                text: "more events\nplease".into()
            }
        );
        assert_eq!(
            ok("/appeal 我没有发广告", false),
            Command::Appeal {
                text: "我没有发广告".into()
            }
        );
        assert_eq!(
            err("/feedback   ", false),
            CommandError::MissingText {
                command: "feedback"
            }
        );
        assert_eq!(
            err("/appeal", true),
            CommandError::MissingText { command: "appeal" }
        );
    }

    #[test]
    fn prefixes_case_and_addressees() {
        assert_eq!(ok("!help", false), Command::Help);
        assert_eq!(ok("/HELP", false), Command::Help);
        assert_eq!(ok("  /Help", false), Command::Help);
        assert_eq!(ok("/help@StewardBot", false), Command::Help);
        assert_eq!(ok("/help@stewardbot", false), Command::Help);
        assert_eq!(
            parse("/help@StewardBot", false, Some("@StewardBot")),
            Some(Ok(Command::Help))
        );
        assert_eq!(
            ok("/mute@StewardBot 1h", true),
            Command::Mute {
                target: Target::Reply,
                duration: secs(HOUR),
                reason: None
            }
        );
        assert_eq!(parse("/help@OtherBot", false, Some("StewardBot")), None);
        assert_eq!(parse("/help@StewardBot", false, None), None);
        assert_eq!(parse("/help@", false, Some("StewardBot")), None);
        assert_eq!(parse("/start", false, Some("StewardBot")), None);
        assert_eq!(parse("/mutex", false, Some("StewardBot")), None);
        assert_eq!(parse("hello /help", false, Some("StewardBot")), None);
        assert_eq!(parse("help", false, Some("StewardBot")), None);
        assert_eq!(parse("/ help", false, Some("StewardBot")), None);
        assert_eq!(parse("#help", false, Some("StewardBot")), None);
    }

    #[test]
    fn names_and_permissions() {
        let commands = [
            ok("/warn", true),
            ok("/mute", true),
            ok("/unmute", true),
            ok("/kick", true),
            ok("/ban", true),
            ok("/unban", true),
            ok("/report", true),
            ok("/rules", true),
            ok("/help", true),
            ok("/feedback x", true),
            ok("/appeal x", true),
        ];
        for (command, kind) in commands.iter().zip(Kind::ALL) {
            assert_eq!(command.name(), kind.name());
            assert_eq!(
                ok(&format!("/{} x", command.name()), true).name(),
                command.name()
            );
        }
        let permissions: Vec<_> = commands.iter().map(Command::required_permission).collect();
        use Permission::{Ban, Moderate};
        assert_eq!(
            permissions,
            [
                Some(Moderate),
                Some(Moderate),
                Some(Moderate),
                Some(Ban),
                Some(Ban),
                Some(Ban),
                None,
                None,
                None,
                None,
                None
            ]
        );
        assert!(
            commands[..6]
                .iter()
                .all(|c| c.target() == Some(&Target::Reply))
        );
        assert!(commands[6..].iter().all(|c| c.target().is_none()));
    }

    #[test]
    fn every_command_is_on_the_menu() {
        let menu = steward_core::texts::command_descriptions(steward_core::i18n::Lang::En, true);
        let mut on_menu: Vec<&str> = menu.iter().map(|(name, _)| *name).collect();
        let mut known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        on_menu.sort_unstable();
        known.sort_unstable();
        assert_eq!(on_menu, known);
    }

    #[test]
    fn errors_have_replies() {
        use steward_core::i18n::Lang;
        assert_eq!(
            err("/ban", false).reply(),
            BotText::NeedsTarget { command: "ban" }
        );
        assert_eq!(
            err("/mute 7x", true).reply(),
            BotText::BadDuration { given: "7x" }
        );
        assert_eq!(err("/feedback", true).reply(), BotText::FeedbackNeedsText);
        assert_eq!(err("/appeal", true).reply(), BotText::AppealNeedsText);
        assert!(
            err("/mute 500d", true)
                .reply()
                .render(Lang::En)
                .contains("500d")
        );
    }

    #[test]
    fn since_reads_a_time_or_a_length_and_an_action() {
        assert_eq!(
            ok("/since 10m kick", false),
            Command::Since {
                from: SinceFrom::Ago(Duration::from_secs(10 * MIN)),
                ban: false,
                confirm: false
            }
        );
        assert_eq!(
            ok("/since 14:05 ban confirm", false),
            Command::Since {
                from: SinceFrom::At {
                    hour: 14,
                    minute: 5
                },
                ban: true,
                confirm: true
            }
        );
        assert_eq!(
            ok("/since 1 h KICK Confirm", true),
            Command::Since {
                from: SinceFrom::Ago(Duration::from_secs(HOUR)),
                ban: false,
                confirm: true
            }
        );
        for bad in [
            "/since",
            "/since 10m",
            "/since kick",
            "/since 25:00 ban",
            "/since 14:5 ban",
            "/since 10m nuke",
            "/since 10m ban now",
        ] {
            assert_eq!(err(bad, false), CommandError::BadSince, "{bad}");
        }
        assert_eq!(
            ok("/since 10m ban", false).required_permission(),
            Some(Permission::Ban)
        );
        assert_eq!(ok("/since 10m ban", false).target(), None);
    }

    #[test]
    fn nothing_a_member_types_makes_it_panic() {
        let tricky = [
            "",
            " ",
            "\n",
            "/",
            "!",
            "/@",
            "/@StewardBot",
            "/mute@",
            "/mute@@",
            "/mute@StewardBot@StewardBot",
            "/ban 1",
            "/ban @",
            "/ban @ 1d",
            "/mute 99999999999999999999d",
            "/mute 18446744073709551615s",
            "/mute 1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w1w",
            "/mute 366d 366d 366d",
            "/mute 0s",
            "/mute ０",
            "/mute １ｈ",
            "/mute 9",
            "/mute 9 ",
            "/mute 1 1 1 1",
            "/mute 1h\u{0}",
            "/mute\u{3000}1h",
            "/mute\t@bob\t1h\treason",
            "/禁言 1h",
            "/mute 一小时",
            "/mute 🙂",
            "/mute 1🙂",
            "/ban 1d\u{202e}abc",
            "/warn \u{200b}",
            "/feedback \u{200b}",
            "/appeal\n\n\n",
            "/report@StewardBot\u{feff}",
            "/ВАРН",
            "/ǅ",
            "/İ",
            "/MUTE@STEWARDBOT 1Д",
            "!!ban",
            "//ban",
            "/ban/ban",
            "@StewardBot /ban",
        ];
        let long = format!(
            "/mute @{} {}d {}",
            "a".repeat(10_000),
            "9".repeat(5_000),
            "x ".repeat(5_000)
        );
        for text in tricky.iter().copied().chain([long.as_str()]) {
            for has_reply in [false, true] {
                for bot in [None, Some("StewardBot"), Some(""), Some("@")] {
                    let _ = parse(text, has_reply, bot);
                }
            }
            let _ = parse_duration(text);
        }
        // An ideographic space separates words like any other.
        assert_eq!(
            ok("/mute\u{3000}1h", true),
            Command::Mute {
                target: Target::Reply,
                duration: secs(HOUR),
                reason: None
            }
        );
    }

    #[test]
    fn points_commands_parse() {
        use steward_core::points::Period;
        for text in [
            "/checkin",
            "/signin@StewardBot",
            "!qiandao",
            "签到",
            " 打卡 ",
        ] {
            assert_eq!(ok(text, false), Command::Checkin, "{text}");
        }
        assert_eq!(parse("签到了吗", false, None), None);
        assert_eq!(ok("/points", false), Command::Points);
        assert_eq!(
            ok("/top", false),
            Command::Top {
                period: Period::All
            }
        );
        assert_eq!(
            ok("/top week", false),
            Command::Top {
                period: Period::Week
            }
        );
        assert_eq!(
            ok("/top 本月", false),
            Command::Top {
                period: Period::Month
            }
        );
        assert_eq!(
            ok("/award @ann +10 great answer", false),
            Command::Award {
                target: Target::Username("ann".into()),
                amount: Some(10),
                reason: Some("great answer".into()),
            }
        );
        assert_eq!(
            ok("/award -5", true),
            Command::Award {
                target: Target::Reply,
                amount: Some(-5),
                reason: None,
            }
        );
        assert!(matches!(
            ok("/award @ann lots", false),
            Command::Award { amount: None, .. }
        ));
        assert!(matches!(
            ok("/award @ann 0", false),
            Command::Award { amount: None, .. }
        ));
        assert_eq!(
            parse("/award", false, None),
            Some(Err(CommandError::MissingTarget { command: "award" }))
        );
        assert_eq!(Command::Points.required_permission(), None);
        assert!(ok("/award @ann 1", false).required_permission().is_some());
    }
}
