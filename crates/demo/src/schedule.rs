//! Timing: when things happen. The daily rhythm in each group's local time,
//! weekday and weekend differences, growth over the period, a few busy days,
//! and the seeded random streams that keep every run identical.

use chrono::{Datelike, Duration, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use steward_core::Timestamp;

use crate::layout::GroupSpec;

/// Milliseconds since the start of the demo period.
pub(crate) type Ms = i64;

pub(crate) const SECOND: Ms = 1_000;
pub(crate) const MINUTE: Ms = 60 * SECOND;
pub(crate) const HOUR: Ms = 60 * MINUTE;
pub(crate) const DAY: Ms = 24 * HOUR;

/// Messages per local hour on a weekday: quiet nights, a lunch bump, and the
/// evening peak that every hobby chat has.
const WEEKDAY: [f64; 24] = [
    0.8, 0.4, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.0, 3.2, 3.4, 4.0, 3.5, 3.0, 3.0, 3.2, 3.5, 4.0,
    5.0, 6.0, 6.5, 5.0, 2.5,
];

/// Weekends start later and spread over the afternoon.
const WEEKEND: [f64; 24] = [
    1.2, 0.8, 0.4, 0.2, 0.1, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 3.8, 4.2, 4.4, 4.5, 4.5, 4.4, 4.3, 4.5,
    5.0, 5.8, 6.0, 5.0, 3.0,
];

/// Job groups follow office hours on weekdays.
const OFFICE: [f64; 24] = [
    0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 1.0, 3.0, 5.0, 6.0, 6.0, 5.0, 5.5, 6.0, 6.0, 5.5, 4.5,
    3.0, 2.0, 1.5, 1.0, 0.6, 0.3,
];

fn mean(profile: &[f64; 24]) -> f64 {
    profile.iter().sum::<f64>() / 24.0
}

/// One group's rhythm on one day: how likely each UTC hour is.
pub(crate) struct Rhythm {
    day_start: Ms,
    cumulative: [f64; 24],
    /// The day's average activity relative to an average weekday; folds in
    /// the weekend factor of the local days the UTC day overlaps.
    pub(crate) level: f64,
}

impl Rhythm {
    pub(crate) fn new(spec: &GroupSpec, start: Timestamp, day: u32) -> Self {
        let mut weights = [0.0; 24];
        for (hour, weight) in weights.iter_mut().enumerate() {
            for &(offset, share) in spec.zones {
                let local = start + Duration::hours(i64::from(day) * 24 + hour as i64 + offset);
                let weekend = matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
                let local_hour = (hour as i64 + offset).rem_euclid(24) as usize;
                let (profile, factor) = match (weekend, spec.topic.is_jobs()) {
                    (true, _) => (&WEEKEND, spec.weekend),
                    (false, true) => (&OFFICE, 1.0),
                    (false, false) => (&WEEKDAY, 1.0),
                };
                *weight += share * factor * profile[local_hour] / mean(profile);
            }
        }
        let mut cumulative = [0.0; 24];
        let mut total = 0.0;
        for (c, w) in cumulative.iter_mut().zip(weights) {
            total += w;
            *c = total;
        }
        Rhythm {
            day_start: i64::from(day) * DAY,
            cumulative,
            level: total / 24.0,
        }
    }

    /// A moment of the day, more likely in busy hours.
    pub(crate) fn sample(&self, rng: &mut impl Rng) -> Ms {
        let total = self.cumulative[23];
        let hour = if total > 0.0 {
            let x = rng.gen_range(0.0..total);
            self.cumulative.iter().position(|&c| x < c).unwrap_or(23)
        } else {
            rng.gen_range(0..24)
        };
        self.day_start + hour as Ms * HOUR + rng.gen_range(0..HOUR)
    }

    /// A moment of the day between two local hours, for things people do at
    /// a set time (announcements in the morning).
    pub(crate) fn local_between(
        &self,
        rng: &mut impl Rng,
        spec: &GroupSpec,
        from_hour: i64,
        to_hour: i64,
    ) -> Ms {
        let offset = spec.zones.first().map_or(0, |z| z.0);
        let utc_hour = (from_hour - offset).rem_euclid(24);
        let span = (to_hour - from_hour).max(1) * HOUR;
        self.day_start + utc_hour * HOUR + rng.gen_range(0..span)
    }
}

/// How many ordinary messages a group gets on a day. Deterministic and cheap,
/// so the estimate for the progress bar can call it without generating.
pub(crate) fn target_messages(
    spec: &GroupSpec,
    group: usize,
    seed: u64,
    scale: f64,
    days: u32,
    day: u32,
    rhythm: &Rhythm,
) -> f64 {
    // Communities grow: the last day is busier than the first.
    let growth = 0.75 + 0.5 * f64::from(day) / f64::from(days.saturating_sub(1).max(1));
    let noise = 0.85 + 0.3 * unit(seed, 0x6e6f_6973, (u64::from(day) << 8) | group as u64);
    spec.messages_per_day * scale * growth * noise * busy_day(spec, days, day) * rhythm.level
}

/// The days everyone talks about something: a product launch for the coffee
/// fans, a Rust release for the Rust chats.
fn busy_day(spec: &GroupSpec, days: u32, day: u32) -> f64 {
    use crate::layout::Topic;
    let launch = days / 3;
    let release = days * 3 / 5;
    match spec.topic {
        Topic::Coffee if day == launch => 1.6,
        Topic::Coffee if day == launch + 1 => 1.2,
        Topic::RustRu | Topic::RustEn if day == release => 1.4,
        _ => 1.0,
    }
}

/// Whether the day is the coffee brand's launch day (the talk mentions it).
pub(crate) fn is_launch_day(days: u32, day: u32) -> bool {
    day == days / 3
}

/// A random pause with an exponential tail (people answer fast or much later).
pub(crate) fn pause(rng: &mut impl Rng, min: Ms, mean: Ms) -> Ms {
    let u: f64 = rng.gen_range(0.0..1.0);
    min + (-(1.0 - u).ln() * mean as f64) as Ms
}

/// splitmix64: turns a seed and a label into an independent stream seed.
pub(crate) fn mix(seed: u64, label: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(label.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(index.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in [0, 1) fixed by the seed and labels.
pub(crate) fn unit(seed: u64, label: u64, index: u64) -> f64 {
    (mix(seed, label, index) >> 11) as f64 / (1u64 << 53) as f64
}

/// The random stream of one day. Each day has its own, so a day's events do
/// not depend on how earlier days happened to draw.
pub(crate) fn day_rng(seed: u64, day: u32) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, 0x6461_7973, u64::from(day)))
}

/// The random stream for one-off planning (members, spam waves).
pub(crate) fn plan_rng(seed: u64, label: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(mix(seed, 0x706c_616e, label))
}
