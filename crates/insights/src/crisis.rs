//! Crisis detection (危机处理): whether a group's mood or its complaints
//! are well above the group's own normal level, measured on its recent
//! history, with the numbers that decided it.
//!
//! Two signals, one rule shape: the current value must reach
//! `mean + sigmas · max(stddev, floor)` of the baseline, be at least
//! `ratio ×` the baseline mean, and rest on at least `min_count` events, so
//! a noisy small window or a group that is always grumpy does not alert.
//! - [`negative_spike`]: the share of negative messages in the current
//!   window (an hour, today so far) against the daily shares of the last
//!   days. Shares do not depend on the window's length.
//! - [`complaint_flood`]: complaints (tickets, complaint messages) opened in
//!   the window against the daily counts, scaled to the window's length.

use std::fmt;

/// Messages and negative messages of one day (or of the current window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCount {
    pub messages: u64,
    pub negative: u64,
}

/// The thresholds of a rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// How many standard deviations above the mean.
    pub sigmas: f64,
    /// The smallest standard deviation assumed, so a very steady history
    /// does not alert on a small wobble.
    pub min_stddev: f64,
    /// How many times the mean the current value must reach.
    pub ratio: f64,
    /// The fewest negative messages (or complaints) that can alert.
    pub min_count: u64,
    /// The fewest baseline days with messages needed to judge at all.
    pub min_days: usize,
}

impl Rule {
    /// For the negative share: 3σ, σ at least 3 points, twice the normal
    /// share, at least 10 negative messages, a week of history.
    pub const NEGATIVE_SHARE: Rule = Rule {
        sigmas: 3.0,
        min_stddev: 0.03,
        ratio: 2.0,
        min_count: 10,
        min_days: 7,
    };

    /// For complaints: 3σ, σ at least one complaint, twice the normal
    /// rate, at least 5 complaints, a week of history.
    pub const COMPLAINTS: Rule = Rule {
        sigmas: 3.0,
        min_stddev: 1.0,
        ratio: 2.0,
        min_count: 5,
        min_days: 7,
    };
}

/// What was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Well above normal: tell the admins.
    Alert,
    /// Within the group's normal range.
    Normal,
    /// Too few events in the window to say anything.
    TooFew,
    /// Not enough history to know what normal is.
    NoHistory,
}

/// Which signal an [`Explanation`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    NegativeShare,
    Complaints,
}

/// The numbers behind a verdict, for the alert's text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Explanation {
    pub signal: Signal,
    pub verdict: Verdict,
    /// The current share (0..=1) or the current number of complaints.
    pub current: f64,
    /// Negative messages or complaints in the window.
    pub count: u64,
    /// Messages in the window (for the share; equal to `count` for
    /// complaints).
    pub total: u64,
    /// The baseline mean, scaled to the window for complaints.
    pub normal: f64,
    /// The baseline standard deviation (after the floor), scaled likewise.
    pub spread: f64,
    /// The value the current one had to reach.
    pub threshold: f64,
    /// Baseline days used.
    pub days: usize,
}

impl Explanation {
    pub fn is_alert(&self) -> bool {
        self.verdict == Verdict::Alert
    }
}

impl fmt::Display for Explanation {
    /// "negative share 41% vs normal 8% ± 3%, 37 of 90 messages" or
    /// "12 complaints vs normal 1.5 ± 1.0".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.signal {
            Signal::NegativeShare => write!(
                f,
                "negative share {:.0}% vs normal {:.0}% ± {:.0}%, {} of {} messages",
                self.current * 100.0,
                self.normal * 100.0,
                self.spread * 100.0,
                self.count,
                self.total
            ),
            Signal::Complaints => write!(
                f,
                "{} complaints vs normal {:.1} ± {:.1}",
                self.count, self.normal, self.spread
            ),
        }
    }
}

/// Whether the negative share of `current` is a spike against the daily
/// shares of `baseline` (days without messages are ignored).
pub fn negative_spike(baseline: &[DayCount], current: DayCount, rule: &Rule) -> Explanation {
    let shares: Vec<f64> = baseline
        .iter()
        .filter(|d| d.messages > 0)
        .map(|d| d.negative.min(d.messages) as f64 / d.messages as f64)
        .collect();
    let negative = current.negative.min(current.messages);
    let share = if current.messages == 0 {
        0.0
    } else {
        negative as f64 / current.messages as f64
    };
    let (mean, stddev) = mean_stddev(&shares);
    let spread = stddev.max(rule.min_stddev);
    let threshold = (mean + rule.sigmas * spread).max(rule.ratio * mean);
    let verdict = decide(shares.len(), negative, share, threshold, rule);
    Explanation {
        signal: Signal::NegativeShare,
        verdict,
        current: share,
        count: negative,
        total: current.messages,
        normal: mean,
        spread,
        threshold,
        days: shares.len(),
    }
}

/// Whether `current` complaints in a window lasting `window_days` (1.0 for
/// a day, 1/24 for an hour) are a flood against the daily counts of
/// `baseline`. The spread is at least that of a Poisson count
/// (√expected), since complaints are rare events.
pub fn complaint_flood(
    baseline: &[u64],
    current: u64,
    window_days: f64,
    rule: &Rule,
) -> Explanation {
    let window = if window_days.is_finite() && window_days > 0.0 {
        window_days
    } else {
        1.0
    };
    let daily: Vec<f64> = baseline.iter().map(|&c| c as f64).collect();
    let (mean, stddev) = mean_stddev(&daily);
    let expected = mean * window;
    let spread = (stddev * window).max(expected.sqrt()).max(rule.min_stddev);
    let threshold = (expected + rule.sigmas * spread).max(rule.ratio * expected);
    let verdict = decide(daily.len(), current, current as f64, threshold, rule);
    Explanation {
        signal: Signal::Complaints,
        verdict,
        current: current as f64,
        count: current,
        total: current,
        normal: expected,
        spread,
        threshold,
        days: daily.len(),
    }
}

fn decide(days: usize, count: u64, value: f64, threshold: f64, rule: &Rule) -> Verdict {
    if days < rule.min_days.max(1) {
        Verdict::NoHistory
    } else if count < rule.min_count {
        Verdict::TooFew
    } else if value >= threshold {
        Verdict::Alert
    } else {
        Verdict::Normal
    }
}

/// Mean and population standard deviation; (0, 0) when empty.
fn mean_stddev(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fourteen ordinary days: 200 messages, 12 to 20 of them negative.
    fn ordinary_history() -> Vec<DayCount> {
        [16, 12, 18, 14, 20, 15, 17, 13, 16, 19, 14, 15, 18, 16]
            .into_iter()
            .map(|negative| DayCount {
                messages: 200,
                negative,
            })
            .collect()
    }

    #[test]
    fn fires_on_a_negative_spike() {
        let e = negative_spike(
            &ordinary_history(),
            DayCount {
                messages: 90,
                negative: 37,
            },
            &Rule::NEGATIVE_SHARE,
        );
        assert_eq!(e.verdict, Verdict::Alert, "{e}");
        assert_eq!(
            e.to_string(),
            "negative share 41% vs normal 8% ± 3%, 37 of 90 messages"
        );
    }

    #[test]
    fn does_not_fire_on_an_ordinary_day() {
        let e = negative_spike(
            &ordinary_history(),
            DayCount {
                messages: 210,
                negative: 21,
            },
            &Rule::NEGATIVE_SHARE,
        );
        assert_eq!(e.verdict, Verdict::Normal, "{e}");
        assert!(e.current < e.threshold);
    }

    #[test]
    fn does_not_fire_on_a_tiny_window() {
        let e = negative_spike(
            &ordinary_history(),
            DayCount {
                messages: 3,
                negative: 2,
            },
            &Rule::NEGATIVE_SHARE,
        );
        assert_eq!(e.verdict, Verdict::TooFew);
    }

    #[test]
    fn does_not_fire_when_the_group_is_always_this_negative() {
        let grumpy: Vec<DayCount> = [80, 95, 70, 90, 85, 100, 75, 88]
            .into_iter()
            .map(|negative| DayCount {
                messages: 200,
                negative,
            })
            .collect();
        let e = negative_spike(
            &grumpy,
            DayCount {
                messages: 200,
                negative: 96,
            },
            &Rule::NEGATIVE_SHARE,
        );
        assert_eq!(e.verdict, Verdict::Normal, "{e}");
    }

    #[test]
    fn twice_normal_is_needed_even_beyond_three_sigma() {
        // Perfectly steady 20% history: σ floors at 3 points, so 3σ alone
        // would alert at 29%; twice normal asks for 40% (41 is clear of
        // rounding).
        let steady = vec![
            DayCount {
                messages: 100,
                negative: 20
            };
            10
        ];
        let at = |negative| {
            negative_spike(
                &steady,
                DayCount {
                    messages: 100,
                    negative,
                },
                &Rule::NEGATIVE_SHARE,
            )
            .verdict
        };
        assert_eq!(at(35), Verdict::Normal);
        assert_eq!(at(41), Verdict::Alert);
    }

    #[test]
    fn needs_history() {
        let e = negative_spike(
            &ordinary_history()[..3],
            DayCount {
                messages: 90,
                negative: 60,
            },
            &Rule::NEGATIVE_SHARE,
        );
        assert_eq!(e.verdict, Verdict::NoHistory);
    }

    #[test]
    fn complaint_flood_fires_and_scales_to_the_window() {
        let baseline = [2, 1, 3, 2, 0, 2, 1, 3, 2, 2];
        let day = complaint_flood(&baseline, 12, 1.0, &Rule::COMPLAINTS);
        assert_eq!(day.verdict, Verdict::Alert, "{day}");
        assert_eq!(day.to_string(), "12 complaints vs normal 1.8 ± 1.3");
        let ordinary = complaint_flood(&baseline, 3, 1.0, &Rule::COMPLAINTS);
        assert_eq!(ordinary.verdict, Verdict::TooFew);
        // Six complaints in one hour, against 1.8 a day.
        let hour = complaint_flood(&baseline, 6, 1.0 / 24.0, &Rule::COMPLAINTS);
        assert_eq!(hour.verdict, Verdict::Alert, "{hour}");
        // Five in a day is within reach of a busy day (threshold 1.8 + 3·1.34).
        let five_a_day = complaint_flood(&baseline, 5, 1.0, &Rule::COMPLAINTS);
        assert_eq!(five_a_day.verdict, Verdict::Normal, "{five_a_day}");
    }

    #[test]
    fn complaint_flood_in_a_group_used_to_complaints() {
        let busy = [30, 25, 35, 28, 32, 30, 27, 33];
        let e = complaint_flood(&busy, 36, 1.0, &Rule::COMPLAINTS);
        assert_eq!(e.verdict, Verdict::Normal, "{e}");
    }
}
