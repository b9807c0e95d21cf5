//! Report periods: a day, an ISO week (Monday to Sunday) or a calendar
//! month, as local dates in the group's time zone, and the period before.
//!
//! Roll-ups are kept per local day (`day_number`: days since 1970-01-01), so
//! a period is a range of day numbers.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a report's period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// One day.
    Daily,
    /// An ISO week, Monday to Sunday.
    Weekly,
    /// A calendar month.
    Monthly,
}

impl PeriodKind {
    /// Every kind.
    pub const ALL: [PeriodKind; 3] = [PeriodKind::Daily, PeriodKind::Weekly, PeriodKind::Monthly];

    /// The name used on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Daily => "daily",
            PeriodKind::Weekly => "weekly",
            PeriodKind::Monthly => "monthly",
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PeriodKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown period `{s}`: expected daily, weekly or monthly"))
    }
}

/// One period: local dates from `start` up to, not including, `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// Its kind.
    pub kind: PeriodKind,
    /// The first day.
    pub start: NaiveDate,
    /// The day after the last.
    pub end: NaiveDate,
}

impl Period {
    /// The period of `kind` that contains `date`. Dates outside the years
    /// 1900 to 9999 are taken as the nearest of those, so no arithmetic on
    /// a typed date can overflow.
    pub fn containing(kind: PeriodKind, date: NaiveDate) -> Period {
        let date = date.clamp(earliest(), latest());
        let start = match kind {
            PeriodKind::Daily => date,
            PeriodKind::Weekly => {
                date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
            }
            PeriodKind::Monthly => date.with_day(1).unwrap_or(date),
        };
        Period {
            kind,
            start,
            end: next_start(kind, start),
        }
    }

    /// The last period of `kind` that ended on or before `today` began: the
    /// one a scheduled report covers (yesterday, last week, last month).
    pub fn last_complete(kind: PeriodKind, today: NaiveDate) -> Period {
        Period::containing(kind, today).previous()
    }

    /// The period just before this one, for comparisons.
    pub fn previous(&self) -> Period {
        let day_before = self.start.pred_opt().unwrap_or(self.start);
        Period::containing(self.kind, day_before)
    }

    /// Its number of days.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Its first day as a day number.
    pub fn first_day(&self) -> i64 {
        day_number(self.start)
    }

    /// The day number after its last day.
    pub fn end_day(&self) -> i64 {
        day_number(self.end)
    }

    /// Every date in it.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(|d| *d < self.end)
    }

    /// A short label: `2026-11-21`, `2026-W47`, `2026-11`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Daily => self.start.format("%Y-%m-%d").to_string(),
            PeriodKind::Weekly => {
                let week = self.start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            PeriodKind::Monthly => self.start.format("%Y-%m").to_string(),
        }
    }
}

fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 8).unwrap_or_default()
}

fn latest() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 11, 30).unwrap_or_default()
}

fn next_start(kind: PeriodKind, start: NaiveDate) -> NaiveDate {
    match kind {
        PeriodKind::Daily => start + Duration::days(1),
        PeriodKind::Weekly => start + Duration::days(7),
        PeriodKind::Monthly => {
            let (y, m) = if start.month() == 12 {
                (start.year() + 1, 1)
            } else {
                (start.year(), start.month() + 1)
            };
            NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start)
        }
    }
}

/// Days since 1970-01-01 of a local date: the day key of the roll-ups.
pub fn day_number(date: NaiveDate) -> i64 {
    (date - NaiveDate::default()).num_days()
}

/// The local date of a day number (clamped to the dates chrono has).
pub fn date_of(day: i64) -> NaiveDate {
    let days = day.clamp(-100_000_000, 100_000_000);
    NaiveDate::default()
        .checked_add_signed(Duration::days(days))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_contain_their_date_and_chain_backwards() {
        let week = Period::containing(PeriodKind::Weekly, d("2026-11-22")); // a Sunday
        assert_eq!((week.start, week.end), (d("2026-11-16"), d("2026-11-23")));
        assert_eq!(week.previous().start, d("2026-11-09"));
        assert_eq!(week.label(), "2026-W47");
        let month = Period::containing(PeriodKind::Monthly, d("2026-12-31"));
        assert_eq!((month.start, month.end), (d("2026-12-01"), d("2027-01-01")));
        assert_eq!(month.previous().start, d("2026-11-01"));
        assert_eq!(month.previous().days(), 30);
        let march = Period::containing(PeriodKind::Monthly, d("2028-03-05"));
        assert_eq!(march.previous().days(), 29);
        let day = Period::last_complete(PeriodKind::Daily, d("2026-01-01"));
        assert_eq!(day.start, d("2025-12-31"));
        assert_eq!(day.dates().count(), 1);
    }

    #[test]
    fn extreme_dates_never_panic() {
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            for kind in PeriodKind::ALL {
                let period = Period::containing(kind, date);
                assert!(period.start < period.end);
                let _ = period.previous().label();
            }
        }
        let _ = date_of(i64::MAX);
        let _ = date_of(i64::MIN);
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(day_number(d("1970-01-02")), 1);
        for s in ["1969-12-31", "2026-11-22", "2100-02-28"] {
            assert_eq!(date_of(day_number(d(s))), d(s));
        }
    }
}
