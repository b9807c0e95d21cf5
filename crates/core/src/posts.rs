//! Scheduled posts (群SOP), the pure part: a post's statuses and the moves
//! between them (draft → waiting for approval → scheduled → published, or
//! rejected with a reason), its schedule (once at a time, or a cron
//! expression read in the group's time zone), and the pacing rules a group
//! sets: quiet hours, when nothing is posted, and a daily cap.
//!
//! Operators draft and submit; admins approve or reject. Only an approved
//! post is ever scheduled. No clock here: every time is an argument.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Timelike};
use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::zone::Zone;

/// The longest post text, in characters.
pub const MAX_POST_TEXT: usize = 4000;
/// The longest post title, in characters.
pub const MAX_POST_TITLE: usize = 100;
/// The most link buttons on one post.
pub const MAX_POST_BUTTONS: usize = 6;

/// Where a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Being written; nobody has been asked yet.
    Draft,
    /// Submitted, waiting for an admin.
    Pending,
    /// Approved: sent at its times.
    Scheduled,
    /// Sent, and nothing more to send (a one-off post).
    Published,
    /// Turned down by an admin, with a reason.
    Rejected,
}

impl PostStatus {
    /// Every status, in the order of the flow.
    pub const ALL: [PostStatus; 5] = [
        PostStatus::Draft,
        PostStatus::Pending,
        PostStatus::Scheduled,
        PostStatus::Published,
        PostStatus::Rejected,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Draft => "draft",
            PostStatus::Pending => "pending",
            PostStatus::Scheduled => "scheduled",
            PostStatus::Published => "published",
            PostStatus::Rejected => "rejected",
        }
    }

    /// Reads a stored name.
    pub fn parse(text: &str) -> Option<PostStatus> {
        PostStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether a post may go from `self` to `to`. A rejected or scheduled
    /// post may go back to draft to be changed (and approved again).
    pub fn can_move_to(self, to: PostStatus) -> bool {
        use PostStatus::*;
        matches!(
            (self, to),
            (Draft, Pending)
                | (Pending, Scheduled)
                | (Pending, Rejected)
                | (Pending, Draft)
                | (Rejected, Draft)
                | (Scheduled, Draft)
                | (Scheduled, Published)
        )
    }
}

/// A link button under a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    /// The label.
    pub text: String,
    /// The link it opens.
    pub url: String,
}

/// When a post is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Schedule {
    /// Once, at this instant.
    Once {
        /// The instant.
        at: Timestamp,
    },
    /// At every time a cron expression names (`0 9 * * 1-5`: weekdays at
    /// 09:00), read in the group's time zone.
    Cron {
        /// The expression: minute, hour, day of month, month, day of week.
        expr: String,
    },
}

/// Why a schedule or pacing setting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// The cron expression does not parse.
    #[error("cron expression `{0}`: {1}")]
    Cron(String, String),
    /// A time of day is not `HH:MM`.
    #[error("`{0}` is not a time of day like 22:00")]
    TimeOfDay(String),
}

fn parse_cron(expr: &str) -> Result<croner::Cron, PostError> {
    croner::Cron::new(expr.trim())
        .with_dom_and_dow()
        .parse()
        .map_err(|e| PostError::Cron(expr.to_owned(), e.to_string()))
}

/// Checks a cron expression.
pub fn check_cron(expr: &str) -> Result<(), PostError> {
    parse_cron(expr).map(|_| ())
}

fn next_in<Tz: TimeZone>(cron: &croner::Cron, after: DateTime<Tz>) -> Option<Timestamp> {
    cron.find_next_occurrence(&after, false)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

impl Schedule {
    /// The first time strictly after `after` the post is due in a group of
    /// time zone `zone`; `None` when there is none (a one-off time passed, or
    /// an expression that never matches).
    pub fn next_after(&self, zone: Zone, after: Timestamp) -> Option<Timestamp> {
        match self {
            Schedule::Once { at } => (*at > after).then_some(*at),
            Schedule::Cron { expr } => {
                let cron = parse_cron(expr).ok()?;
                match zone {
                    Zone::Fixed(offset) => next_in(&cron, after.with_timezone(&offset)),
                    Zone::Named(tz) => next_in(&cron, after.with_timezone(&tz)),
                }
            }
        }
    }

    /// The times from `from` (inclusive) up to `until` (exclusive), at most
    /// `limit` of them: what the calendar shows.
    pub fn times_between(
        &self,
        zone: Zone,
        from: Timestamp,
        until: Timestamp,
        limit: usize,
    ) -> Vec<Timestamp> {
        let mut out = Vec::new();
        let mut cursor = from - Duration::milliseconds(1);
        while out.len() < limit {
            match self.next_after(zone, cursor) {
                Some(t) if t < until => {
                    out.push(t);
                    cursor = t;
                }
                _ => break,
            }
        }
        out
    }

    /// Whether it repeats.
    pub fn repeats(&self) -> bool {
        matches!(self, Schedule::Cron { .. })
    }
}

/// How a group paces posts: quiet hours, when nothing is posted, and the
/// most posts a day. Part of the group's chat settings (`posts`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostSettings {
    /// When quiet hours begin, `HH:MM` in the group's time zone (`22:00`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet_start: Option<String>,
    /// When quiet hours end, `HH:MM` (`08:00`); may be before the start,
    /// the window then runs over midnight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quiet_end: Option<String>,
    /// The most scheduled posts sent in one day (the group's day); a post
    /// over the cap waits for the next day. Unset: no cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
}

fn time_of_day(text: &str) -> Result<NaiveTime, PostError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| PostError::TimeOfDay(text.to_owned()))
}

/// What the pacing rules say about a post due now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// Send it.
    Send,
    /// Hold it until the quiet hours end.
    Quiet {
        /// When they end.
        until: Timestamp,
    },
    /// The day's cap is reached: hold it until the next day starts.
    Capped {
        /// When the next day starts.
        until: Timestamp,
    },
}

impl PostSettings {
    /// Whether nothing is set (the settings JSON leaves it out).
    pub fn is_default(&self) -> bool {
        *self == PostSettings::default()
    }

    /// Problems, each naming the field.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, value) in [
            ("posts.quiet_start", &self.quiet_start),
            ("posts.quiet_end", &self.quiet_end),
        ] {
            if let Some(v) = value
                && let Err(e) = time_of_day(v)
            {
                out.push(format!("{name}: {e}"));
            }
        }
        if self.quiet_start.is_some() != self.quiet_end.is_some() {
            out.push("posts: set both quiet_start and quiet_end, or neither".to_owned());
        }
        out
    }

    /// The quiet window as times of day, when both ends are set and read.
    pub fn quiet_window(&self) -> Option<(NaiveTime, NaiveTime)> {
        let start = time_of_day(self.quiet_start.as_deref()?).ok()?;
        let end = time_of_day(self.quiet_end.as_deref()?).ok()?;
        (start != end).then_some((start, end))
    }

    /// When the quiet hours around `at` end, if `at` falls in them.
    pub fn quiet_until(&self, zone: Zone, at: Timestamp) -> Option<Timestamp> {
        let (start, end) = self.quiet_window()?;
        let local = at.with_timezone(&zone.offset_at(at)).naive_local();
        let time = local.time().with_nanosecond(0)?;
        let inside = if start < end {
            time >= start && time < end
        } else {
            time >= start || time < end
        };
        if !inside {
            return None;
        }
        let day = if time >= end {
            local.date().succ_opt()?
        } else {
            local.date()
        };
        Some(local_to_utc(zone, day.and_time(end)))
    }

    /// What to do with a post due at `at` when `sent_today` posts went out
    /// in the group's day so far.
    pub fn pacing(&self, zone: Zone, at: Timestamp, sent_today: u32) -> Pacing {
        if let Some(until) = self.quiet_until(zone, at) {
            return Pacing::Quiet { until };
        }
        if let Some(cap) = self.daily_cap
            && sent_today >= cap
        {
            return Pacing::Capped {
                until: day_bounds(zone, at).1,
            };
        }
        Pacing::Send
    }
}

fn local_to_utc(zone: Zone, local: chrono::NaiveDateTime) -> Timestamp {
    // A local time skipped by a summer-time change is read with the offset
    // in effect just before it, which lands an hour later: good enough for
    // "when the quiet hours end".
    let guess = local.and_utc();
    let offset = zone.offset_at(guess);
    let at = offset
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or(guess - Duration::seconds(i64::from(offset.local_minus_utc())));
    // The offset may differ at the result; one more step settles it.
    let offset2 = zone.offset_at(at);
    if offset2 == offset {
        at
    } else {
        offset2
            .from_local_datetime(&local)
            .single()
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or(at)
    }
}

/// The group's day around `at`: its start and the next day's start.
pub fn day_bounds(zone: Zone, at: Timestamp) -> (Timestamp, Timestamp) {
    let local = at.with_timezone(&zone.offset_at(at)).date_naive();
    let start = local_to_utc(zone, local.and_hms_opt(0, 0, 0).unwrap_or_default());
    let next = local
        .succ_opt()
        .map(|d| local_to_utc(zone, d.and_hms_opt(0, 0, 0).unwrap_or_default()))
        .unwrap_or(start + Duration::days(1));
    (start, next)
}

/// The text actually sent: the post's text, and the image's link below it
/// when the platform's message has no picture of its own.
pub fn message_text(text: &str, image_url: Option<&str>) -> String {
    match image_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => format!("{}\n\n{url}", text.trim_end()),
        None => text.to_owned(),
    }
}

/// Whether a button or image link is one a post may carry.
pub fn is_link(url: &str) -> bool {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn shanghai() -> Zone {
        Zone::parse("Asia/Shanghai").unwrap()
    }

    #[test]
    fn the_flow_allows_only_its_moves() {
        use PostStatus::*;
        assert!(Draft.can_move_to(Pending));
        assert!(Pending.can_move_to(Scheduled));
        assert!(Pending.can_move_to(Rejected));
        assert!(!Draft.can_move_to(Scheduled));
        assert!(!Rejected.can_move_to(Scheduled));
        assert!(!Published.can_move_to(Scheduled));
        for s in PostStatus::ALL {
            assert_eq!(PostStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn cron_times_are_read_in_the_group_zone() {
        let schedule = Schedule::Cron {
            expr: "0 9 * * 1-5".into(),
        };
        // Friday 2026-03-06 02:00 UTC is 10:00 in Shanghai: the next weekday
        // 09:00 there is Monday 2026-03-09 09:00 +08:00 = 01:00 UTC.
        let after = Utc.with_ymd_and_hms(2026, 3, 6, 2, 0, 0).unwrap();
        let next = schedule.next_after(shanghai(), after).unwrap();
        assert_eq!(next, Utc.with_ymd_and_hms(2026, 3, 9, 1, 0, 0).unwrap());
        let times = schedule.times_between(shanghai(), after, after + Duration::days(7), 10);
        assert_eq!(times.len(), 5);
        assert_eq!(
            times[4],
            Utc.with_ymd_and_hms(2026, 3, 13, 1, 0, 0).unwrap()
        );
        assert!(check_cron("61 * * * *").is_err());
    }

    #[test]
    fn quiet_hours_over_midnight_end_in_the_morning() {
        let settings = PostSettings {
            quiet_start: Some("22:00".into()),
            quiet_end: Some("08:00".into()),
            daily_cap: Some(1),
        };
        assert!(settings.problems().is_empty());
        // 23:30 in Shanghai → held until 08:00 the next morning.
        let at = Utc.with_ymd_and_hms(2026, 3, 6, 15, 30, 0).unwrap();
        assert_eq!(
            settings.pacing(shanghai(), at, 0),
            Pacing::Quiet {
                until: Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 0).unwrap()
            }
        );
        // 07:00 → 08:00 the same day.
        let at = Utc.with_ymd_and_hms(2026, 3, 6, 23, 0, 0).unwrap();
        assert_eq!(
            settings.quiet_until(shanghai(), at),
            Some(Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 0).unwrap())
        );
        // 12:00 is not quiet; with one post out already the cap holds it to
        // the next local midnight (16:00 UTC).
        let at = Utc.with_ymd_and_hms(2026, 3, 6, 4, 0, 0).unwrap();
        assert_eq!(settings.pacing(shanghai(), at, 0), Pacing::Send);
        assert_eq!(
            settings.pacing(shanghai(), at, 1),
            Pacing::Capped {
                until: Utc.with_ymd_and_hms(2026, 3, 6, 16, 0, 0).unwrap()
            }
        );
        let bad = PostSettings {
            quiet_start: Some("25:00".into()),
            ..PostSettings::default()
        };
        assert_eq!(bad.problems().len(), 2);
    }

    #[test]
    fn an_image_goes_below_the_text_as_a_link() {
        assert_eq!(
            message_text("Hello", Some("https://x.test/a.png")),
            "Hello\n\nhttps://x.test/a.png"
        );
        assert_eq!(message_text("Hello", None), "Hello");
        assert!(is_link("https://x.test"));
        assert!(!is_link("javascript:alert(1)"));
    }
}
