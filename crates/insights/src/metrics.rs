//! Small statistics the reports need: change against the period before,
//! percentiles of durations, and newcomer retention.

use std::collections::HashMap;
use std::hash::Hash;

use chrono::{Datelike, Days, NaiveDate};

/// The change from `previous` to `current` in percent (`+50.0` for 2 → 3);
/// `None` when there was nothing before to compare with (or a value is
/// not a number).
pub fn percent_change(current: f64, previous: f64) -> Option<f64> {
    if previous == 0.0 || !previous.is_finite() || !current.is_finite() {
        return None;
    }
    Some((current - previous) / previous.abs() * 100.0)
}

/// The `p`th percentile (0..=100) by the nearest-rank method: the smallest
/// value with at least `p`% of the values at or below it. `None` when
/// empty. `p` outside 0..=100 is clamped.
pub fn percentile(values: &[u64], p: f64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    Some(nearest_rank(&sorted, p))
}

/// The median: the mean of the two middle values when their number is even
/// (rounded down), else the middle one. `None` when empty.
pub fn median(values: &[u64]) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        Some(sorted[mid])
    } else {
        let (a, b) = (sorted[mid - 1], sorted[mid]);
        Some(a / 2 + b / 2 + (a % 2 + b % 2) / 2)
    }
}

fn nearest_rank(sorted: &[u64], p: f64) -> u64 {
    let p = if p.is_nan() {
        50.0
    } else {
        p.clamp(0.0, 100.0)
    };
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The Monday starting the (ISO) week of `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    let back = u64::from(day.weekday().num_days_from_monday());
    day.checked_sub_days(Days::new(back)).unwrap_or(day)
}

/// Newcomer retention: of the members in `cohort_joins` (typically those
/// who joined in one week), how many posted during the week `weeks_after`
/// weeks after their join week. Returns `(cohort, retained)`.
///
/// Weeks are calendar weeks starting on Monday. A member who joined in the
/// week starting Monday `W` counts as retained after `k` weeks when
/// `posting_days` holds at least one day in `W + 7k ..= W + 7k + 6`. So
/// "after 1 week" is the calendar week after the join week, and with
/// `weeks_after = 0` the question is whether they posted in their join
/// week at all (even before joining, for someone who rejoined). A member
/// listed twice counts once, with the first join listed.
pub fn retention<M: Eq + Hash>(
    cohort_joins: &[(M, NaiveDate)],
    posting_days: &HashMap<M, Vec<NaiveDate>>,
    weeks_after: u32,
) -> (usize, usize) {
    let mut firsts: HashMap<&M, NaiveDate> = HashMap::new();
    for (member, joined) in cohort_joins {
        firsts.entry(member).or_insert(*joined);
    }
    let retained = firsts
        .iter()
        .filter(|(member, joined)| {
            let Some(from) =
                week_start(**joined).checked_add_days(Days::new(7 * u64::from(weeks_after)))
            else {
                return false;
            };
            let Some(to) = from.checked_add_days(Days::new(7)) else {
                return false;
            };
            posting_days
                .get(**member)
                .is_some_and(|days| days.iter().any(|d| *d >= from && *d < to))
        })
        .count();
    (firsts.len(), retained)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid test date")
    }

    #[test]
    fn percent_change_known_answers() {
        assert_eq!(percent_change(3.0, 2.0), Some(50.0));
        assert_eq!(percent_change(1.0, 4.0), Some(-75.0));
        assert_eq!(percent_change(5.0, 5.0), Some(0.0));
        assert_eq!(percent_change(5.0, 0.0), None);
        assert_eq!(percent_change(f64::NAN, 1.0), None);
    }

    #[test]
    fn percentiles_and_median() {
        let times = [30, 10, 50, 20, 40];
        assert_eq!(median(&times), Some(30));
        assert_eq!(median(&[10, 40, 20, 30]), Some(25));
        assert_eq!(median(&[u64::MAX, u64::MAX]), Some(u64::MAX));
        assert_eq!(median(&[]), None);
        assert_eq!(percentile(&times, 90.0), Some(50));
        assert_eq!(percentile(&times, 40.0), Some(20));
        assert_eq!(percentile(&times, 0.0), Some(10));
        assert_eq!(percentile(&times, 250.0), Some(50));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn week_starts_on_monday() {
        // 2026-11-22 is a Sunday.
        assert_eq!(week_start(day(2026, 11, 22)), day(2026, 11, 16));
        assert_eq!(week_start(day(2026, 11, 16)), day(2026, 11, 16));
    }

    #[test]
    fn retention_after_one_and_four_weeks() {
        // Joined in the week of Monday 2 November 2026.
        let joins = vec![
            ("ann", day(2026, 11, 2)),
            ("bob", day(2026, 11, 4)),
            ("cat", day(2026, 11, 8)),
            ("dan", day(2026, 11, 5)),
            ("ann", day(2026, 11, 6)),
        ];
        let mut posts: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
        // ann posts in week +1 (9..=15 Nov) and week +4 (30 Nov..=6 Dec).
        posts.insert(
            "ann",
            vec![day(2026, 11, 2), day(2026, 11, 15), day(2026, 12, 6)],
        );
        // bob only in his join week.
        posts.insert("bob", vec![day(2026, 11, 4)]);
        // cat joined on Sunday; Monday 9 Nov is already week +1.
        posts.insert("cat", vec![day(2026, 11, 9), day(2026, 12, 7)]);
        // dan never posts.
        assert_eq!(retention(&joins, &posts, 0), (4, 2));
        assert_eq!(retention(&joins, &posts, 1), (4, 2));
        assert_eq!(retention(&joins, &posts, 4), (4, 1));
        assert_eq!(retention(&joins, &posts, 5), (4, 1));
        assert_eq!(retention::<&str>(&[], &posts, 1), (0, 0));
    }
}
