//! A group's time zone, for the times admins type and read ("today" for
//! check-ins, `/since 14:30`, campaign days): an IANA zone such as
//! `Asia/Shanghai` or `Europe/Berlin` (with its summer time), or a fixed
//! offset such as `+08:00` or `UTC-5`.
//!
//! Pure: the offset in effect is always asked for at a given instant.

use std::str::FromStr;

use chrono::{FixedOffset, Offset, TimeZone};

use crate::Timestamp;

/// A time zone a group can be set to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The same offset all year.
    Fixed(FixedOffset),
    /// An IANA zone, whose offset may change with the seasons.
    Named(chrono_tz::Tz),
}

impl Default for Zone {
    fn default() -> Zone {
        Zone::Fixed(utc())
    }
}

impl Zone {
    /// Reads a setting: `UTC`, an IANA name (any case), or an offset
    /// (`+08:00`, `+8`, `UTC+3`, `GMT-05:30`). `None` when it names no zone.
    pub fn parse(text: &str) -> Option<Zone> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Some(offset) = parse_offset(text) {
            return Some(Zone::Fixed(offset));
        }
        chrono_tz::Tz::from_str_insensitive(text)
            .ok()
            .map(Zone::Named)
    }

    /// The offset from UTC in effect at `at`.
    pub fn offset_at(self, at: Timestamp) -> FixedOffset {
        match self {
            Zone::Fixed(offset) => offset,
            Zone::Named(tz) => tz.offset_from_utc_datetime(&at.naive_utc()).fix(),
        }
    }

    /// The instant a wall-clock time in this zone names. A time the clocks
    /// skip (spring forward) is read with the offset before the change; a
    /// time that comes twice (fall back) is the first of the two.
    pub fn to_utc(self, local: chrono::NaiveDateTime) -> Timestamp {
        match self {
            Zone::Fixed(offset) => shift(local, offset),
            Zone::Named(tz) => match tz.from_local_datetime(&local).earliest() {
                Some(at) => at.with_timezone(&chrono::Utc),
                None => shift(local, tz.offset_from_utc_datetime(&local).fix()),
            },
        }
    }

    /// How texts name the zone at `at`: `UTC`, `UTC+08:00`, or
    /// `Europe/Berlin (UTC+01:00)`.
    pub fn label_at(self, at: Timestamp) -> String {
        let offset = offset_label(self.offset_at(at));
        match self {
            Zone::Fixed(_) => offset,
            Zone::Named(tz) => format!("{} ({offset})", tz.name()),
        }
    }
}

/// An offset as texts show it: `UTC`, `UTC+08:00`.
pub fn offset_label(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn shift(local: chrono::NaiveDateTime, offset: FixedOffset) -> Timestamp {
    (local - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc()
}

fn utc() -> FixedOffset {
    chrono::Utc.fix()
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let upper = text.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    if rest.is_empty() || rest == "Z" {
        return Some(utc());
    }
    let (sign, rest) = if let Some(rest) = rest.strip_prefix('+') {
        (1, rest)
    } else if let Some(rest) = rest.strip_prefix('-') {
        (-1, rest)
    } else {
        return None;
    };
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
    let two_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(hours) || !two_digits(minutes) {
        return None;
    }
    let (hours, minutes) = (i32::from_str(hours).ok()?, i32::from_str(minutes).ok()?);
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(month: u32) -> Timestamp {
        chrono::Utc
            .with_ymd_and_hms(2026, month, 15, 12, 0, 0)
            .unwrap()
    }

    fn minutes(zone: &str, month: u32) -> Option<i32> {
        Zone::parse(zone).map(|z| z.offset_at(at(month)).local_minus_utc() / 60)
    }

    #[test]
    fn zones_are_iana_names_or_offsets() {
        assert_eq!(minutes("Asia/Shanghai", 1), Some(480));
        assert_eq!(minutes("europe/moscow", 7), Some(180));
        assert_eq!(minutes("+08:00", 1), Some(480));
        assert_eq!(minutes("UTC-5", 1), Some(-300));
        assert_eq!(minutes("GMT+05:30", 1), Some(330));
        assert_eq!(minutes("utc", 1), Some(0));
        assert_eq!(minutes("Mars/Olympus", 1), None);
        assert_eq!(minutes("+25:00", 1), None);
        assert_eq!(minutes("8", 1), None);
        assert_eq!(minutes("", 1), None);
    }

    #[test]
    fn wall_clock_times_become_instants_in_their_season() {
        let local = |m, h| {
            chrono::NaiveDate::from_ymd_opt(2026, m, 15)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        assert_eq!(
            berlin.to_utc(local(1, 12)),
            at(1) - chrono::Duration::hours(1)
        );
        assert_eq!(
            berlin.to_utc(local(7, 12)),
            at(7) - chrono::Duration::hours(2)
        );
        let shanghai = Zone::parse("+08:00").unwrap();
        assert_eq!(shanghai.to_utc(local(1, 20)), at(1));
    }

    #[test]
    fn named_zones_follow_summer_time() {
        assert_eq!(minutes("Europe/Berlin", 1), Some(60));
        assert_eq!(minutes("Europe/Berlin", 7), Some(120));
        assert_eq!(
            Zone::parse("Europe/Berlin").unwrap().label_at(at(7)),
            "Europe/Berlin (UTC+02:00)"
        );
        assert_eq!(Zone::parse("+8").unwrap().label_at(at(1)), "UTC+08:00");
        assert_eq!(Zone::default().label_at(at(1)), "UTC");
    }
}
