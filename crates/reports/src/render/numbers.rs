//! How the renderings write numbers: counts, shares, changes against the
//! period before ("+12%", "−5%", "new", "–"), durations ("4 min"), and the
//! key-figures rows every rendering shares. Never prints NaN or infinity:
//! a share of nothing is "–".

use steward_core::i18n::Lang;

use super::texts::Text;
use crate::model::{Figures, Report, change};

/// Which way a figure moved, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Higher than before.
    Up,
    /// Lower than before.
    Down,
    /// The same, or nothing to compare with.
    Flat,
}

impl Trend {
    /// The CSS class of a change cell.
    pub fn class(self) -> &'static str {
        match self {
            Trend::Up => "change-up",
            Trend::Down => "change-down",
            Trend::Flat => "change-flat",
        }
    }
}

/// One row of the key-figures table.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    /// What it is.
    pub label: Text,
    /// This period, formatted.
    pub current: String,
    /// The period before, formatted.
    pub previous: String,
    /// The change, formatted.
    pub change: String,
    /// Which way it went.
    pub trend: Trend,
}

/// `part / whole`, `None` when the whole is zero.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A share as a percentage with one decimal ("12.5%"); "–" when undefined.
pub fn percent(share: Option<f64>) -> String {
    match share.filter(|s| s.is_finite()) {
        Some(s) => format!("{}%", decimal(s * 100.0)),
        None => "–".into(),
    }
}

/// A number with at most one decimal, without a trailing ".0".
pub fn decimal(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// A signed whole number with a true minus sign: "+7", "−3", "0".
pub fn signed(n: i64) -> String {
    match n.signum() {
        1 => format!("+{n}"),
        -1 => format!("−{}", n.unsigned_abs()),
        _ => "0".into(),
    }
}

/// The relative change from `previous` to `current`: "+12%", "−5%", "0%";
/// "new" when there was nothing before, "–" when there is nothing at all.
pub fn relative_change(current: f64, previous: f64, lang: Lang) -> (String, Trend) {
    match change(current, previous).filter(|c| c.is_finite()) {
        Some(c) => {
            let pct = (c * 100.0).round() as i64;
            (format!("{}%", signed(pct)), trend_of(pct as f64))
        }
        None if current > 0.0 => (Text::New.get(lang).into(), Trend::Up),
        None => ("–".into(), Trend::Flat),
    }
}

/// The change of a share in percentage points: "+1.2 pp"; "–" when either
/// share is undefined.
pub fn points_change(current: Option<f64>, previous: Option<f64>, lang: Lang) -> (String, Trend) {
    match (current, previous) {
        (Some(c), Some(p)) if c.is_finite() && p.is_finite() => {
            let diff = ((c - p) * 1000.0).round() / 10.0;
            let sign = if diff > 0.0 {
                "+"
            } else if diff < 0.0 {
                "−"
            } else {
                ""
            };
            let value = format!("{sign}{}", decimal(diff.abs()));
            (
                format!("{value} {}", Text::Points.get(lang)),
                trend_of(diff),
            )
        }
        _ => ("–".into(), Trend::Flat),
    }
}

fn trend_of(x: f64) -> Trend {
    if x > 0.0 {
        Trend::Up
    } else if x < 0.0 {
        Trend::Down
    } else {
        Trend::Flat
    }
}

/// A duration in words: "45 s", "4 min", "2.5 h", "3 d"; "–" when unknown.
pub fn duration(seconds: Option<f64>, lang: Lang) -> String {
    let Some(s) = seconds.filter(|s| s.is_finite() && *s >= 0.0) else {
        return "–".into();
    };
    let (value, unit) = if s < 60.0 {
        (s, Text::Seconds)
    } else if s < 3600.0 {
        (s / 60.0, Text::Minutes)
    } else if s < 48.0 * 3600.0 {
        (s / 3600.0, Text::HoursUnit)
    } else {
        (s / 86400.0, Text::DaysUnit)
    };
    let number = if unit == Text::Seconds || unit == Text::Minutes {
        format!("{}", value.round())
    } else {
        decimal(value)
    };
    format!("{number} {}", unit.get(lang))
}

/// An hour slot: "20:00–21:00".
pub fn hour_slot(hour: usize) -> String {
    format!("{hour:02}:00–{:02}:00", (hour + 1) % 24)
}

fn count_row(label: Text, current: u64, previous: u64, lang: Lang) -> KeyFigure {
    let (change, trend) = relative_change(current as f64, previous as f64, lang);
    KeyFigure {
        label,
        current: current.to_string(),
        previous: previous.to_string(),
        change,
        trend,
    }
}

fn share_row(label: Text, current: Option<f64>, previous: Option<f64>, lang: Lang) -> KeyFigure {
    let (change, trend) = points_change(current, previous, lang);
    KeyFigure {
        label,
        current: percent(current),
        previous: percent(previous),
        change,
        trend,
    }
}

fn duration_row(label: Text, current: Option<f64>, previous: Option<f64>, lang: Lang) -> KeyFigure {
    let (change, trend) = match (current, previous) {
        (Some(c), Some(p)) => relative_change(c, p, lang),
        _ => ("–".into(), Trend::Flat),
    };
    KeyFigure {
        label,
        current: duration(current, lang),
        previous: duration(previous, lang),
        change,
        trend,
    }
}

/// The key figures of a report, in the order every rendering shows them.
pub fn key_figures(r: &Report) -> Vec<KeyFigure> {
    let lang = r.language;
    let (c, p) = (&r.current, &r.previous);
    let share = |f: &Figures| (f.members > 0).then_some(f.posting_share);
    let negative = |f: &Figures| (f.sentiment.scored > 0).then_some(f.sentiment.negative_share);
    let answered = |f: &Figures| ratio(f.questions.answered, f.questions.asked);
    let week1 = |f: &Figures| ratio(f.retention.week1_retained, f.retention.week1_cohort);
    let week4 = |f: &Figures| ratio(f.retention.week4_retained, f.retention.week4_cohort);
    let hours = |f: &Figures| f.tickets.median_resolve_hours.map(|h| h * 3600.0);
    let (growth_change, growth_trend) = {
        let diff = c.net_growth.saturating_sub(p.net_growth);
        (signed(diff), trend_of(diff as f64))
    };
    let (avg_change, avg_trend) =
        relative_change(c.daily_active_average, p.daily_active_average, lang);
    vec![
        count_row(Text::Messages, c.messages, p.messages, lang),
        count_row(
            Text::ActiveMembers,
            c.active_members,
            p.active_members,
            lang,
        ),
        KeyFigure {
            label: Text::DailyActiveAverage,
            current: decimal(c.daily_active_average),
            previous: decimal(p.daily_active_average),
            change: avg_change,
            trend: avg_trend,
        },
        count_row(Text::Members, c.members, p.members, lang),
        share_row(Text::PostingShare, share(c), share(p), lang),
        count_row(Text::Joins, c.joins, p.joins, lang),
        count_row(Text::Leaves, c.leaves, p.leaves, lang),
        KeyFigure {
            label: Text::NetGrowth,
            current: signed(c.net_growth),
            previous: signed(p.net_growth),
            change: growth_change,
            trend: growth_trend,
        },
        share_row(Text::RetentionWeek1, week1(c), week1(p), lang),
        share_row(Text::RetentionWeek4, week4(c), week4(p), lang),
        share_row(Text::AnsweredShare, answered(c), answered(p), lang),
        duration_row(
            Text::MedianResponse,
            c.questions.median_response_seconds,
            p.questions.median_response_seconds,
            lang,
        ),
        count_row(
            Text::Violations,
            c.moderation.violations,
            p.moderation.violations,
            lang,
        ),
        share_row(
            Text::FalsePositiveRate,
            c.moderation.false_positive_rate,
            p.moderation.false_positive_rate,
            lang,
        ),
        count_row(
            Text::Participants,
            c.participation.participants,
            p.participation.participants,
            lang,
        ),
        count_row(
            Text::TicketsOpened,
            c.tickets.opened,
            p.tickets.opened,
            lang,
        ),
        count_row(
            Text::TicketsResolved,
            c.tickets.resolved,
            p.tickets.resolved,
            lang,
        ),
        duration_row(Text::MedianResolve, hours(c), hours(p), lang),
        share_row(Text::NegativeShare, negative(c), negative(p), lang),
    ]
}

/// Where the messages cluster: the busiest weekday×hour cell, the busiest
/// hour over the week and the busiest weekday; `None` without messages.
pub fn busiest(hours: &[[u64; 24]]) -> Option<(usize, usize, usize, usize)> {
    let total: u64 = hours.iter().flatten().sum();
    if total == 0 {
        return None;
    }
    let mut cell = (0, 0, 0u64);
    for (day, row) in hours.iter().enumerate().take(7) {
        for (hour, &n) in row.iter().enumerate() {
            if n > cell.2 {
                cell = (day, hour, n);
            }
        }
    }
    let by_hour = (0..24).max_by_key(|&h| (hours.iter().map(|r| r[h]).sum::<u64>(), 24 - h))?;
    let by_day = (0..hours.len().min(7))
        .max_by_key(|&d| (hours[d].iter().sum::<u64>(), 7 - d))
        .unwrap_or(0);
    Some((cell.0, cell.1, by_hour, by_day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_percentages_or_words() {
        assert_eq!(relative_change(1120.0, 1000.0, Lang::En).0, "+12%");
        assert_eq!(relative_change(95.0, 100.0, Lang::En).0, "−5%");
        assert_eq!(relative_change(100.0, 100.0, Lang::En).0, "0%");
        assert_eq!(relative_change(3.0, 0.0, Lang::En).0, "new");
        assert_eq!(relative_change(3.0, 0.0, Lang::Zh).0, "新增");
        assert_eq!(relative_change(0.0, 0.0, Lang::En).0, "–");
        assert_eq!(
            points_change(Some(0.061), Some(0.05), Lang::En).0,
            "+1.1 pp"
        );
        assert_eq!(points_change(Some(0.05), Some(0.07), Lang::Ru).0, "−2 п.п.");
        assert_eq!(points_change(None, Some(0.05), Lang::En).0, "–");
    }

    #[test]
    fn numbers_never_read_nan() {
        assert_eq!(percent(ratio(1, 0)), "–");
        assert_eq!(percent(Some(f64::NAN)), "–");
        assert_eq!(percent(Some(0.125)), "12.5%");
        assert_eq!(decimal(f64::INFINITY), "–");
        assert_eq!(signed(-3), "−3");
        assert_eq!(signed(7), "+7");
    }

    #[test]
    fn durations_pick_a_unit() {
        assert_eq!(duration(Some(240.0), Lang::En), "4 min");
        assert_eq!(duration(Some(45.0), Lang::En), "45 s");
        assert_eq!(duration(Some(5.5 * 3600.0), Lang::En), "5.5 h");
        assert_eq!(duration(Some(3.0 * 86400.0), Lang::Zh), "3 天");
        assert_eq!(duration(None, Lang::En), "–");
        assert_eq!(hour_slot(23), "23:00–00:00");
    }

    #[test]
    fn busiest_finds_the_peak() {
        let mut hours = vec![[0u64; 24]; 7];
        assert_eq!(busiest(&hours), None);
        hours[1][20] = 9;
        hours[3][8] = 5;
        hours[3][9] = 5;
        assert_eq!(busiest(&hours), Some((1, 20, 20, 3)));
    }
}
