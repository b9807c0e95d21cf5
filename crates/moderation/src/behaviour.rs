//! Behaviour rules: what no single message shows, but a stream does.
//!
//! * flooding: N messages from one member in T seconds;
//! * repeats: the same (or near-identical) text from one member, again and again;
//! * waves: the same text in several groups within minutes (a spam wave);
//! * raids: a burst of joins in one group.
//!
//! [`BehaviourState`] keeps short sliding windows in memory. It is pure: the
//! caller passes every event's time, so a replay of stored history gives the
//! same hits. Windows are minutes long, so losing them on restart costs at
//! most one window of memory.

use std::collections::{HashMap, VecDeque};

use chrono::Duration;
use serde::{Deserialize, Serialize};
use steward_core::Timestamp;

use crate::Severity;

/// The behaviour rules of a rule set. Absent ones are off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourRules {
    /// Too many messages too fast.
    #[serde(default = "default_flood")]
    pub flood: Option<Window>,
    /// The same text from one member too often.
    #[serde(default = "default_repeat")]
    pub repeat: Option<Window>,
    /// The same text in `count` groups within the window.
    #[serde(default = "default_wave")]
    pub wave: Option<Window>,
    /// `count` joins in one group within the window.
    #[serde(default = "default_raid")]
    pub raid: Option<Window>,
}

/// A count within a time window. A count of 0 turns the rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// How many.
    pub count: u32,
    /// Within how many seconds.
    pub seconds: u32,
    /// How serious it is.
    #[serde(default)]
    pub severity: Severity,
}

fn default_flood() -> Option<Window> {
    Some(Window {
        count: 8,
        seconds: 10,
        severity: Severity::Medium,
    })
}
fn default_repeat() -> Option<Window> {
    Some(Window {
        count: 4,
        seconds: 300,
        severity: Severity::Medium,
    })
}
fn default_wave() -> Option<Window> {
    Some(Window {
        count: 3,
        seconds: 600,
        severity: Severity::High,
    })
}
fn default_raid() -> Option<Window> {
    Some(Window {
        count: 15,
        seconds: 60,
        severity: Severity::High,
    })
}

impl Default for BehaviourRules {
    fn default() -> BehaviourRules {
        BehaviourRules {
            flood: default_flood(),
            repeat: default_repeat(),
            wave: default_wave(),
            raid: default_raid(),
        }
    }
}

/// A behaviour rule that fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BehaviourHit {
    /// `flood`, `repeat`, `wave` or `raid`.
    pub rule: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// How many events were in the window.
    pub count: u32,
}

/// Sliding windows per member, per text and per group.
#[derive(Debug, Default)]
pub struct BehaviourState {
    /// (group, member) → times of recent messages.
    messages: HashMap<(i64, i64), VecDeque<Timestamp>>,
    /// (group, member, text fingerprint) → times it was posted.
    repeats: HashMap<(i64, i64, u64), VecDeque<Timestamp>>,
    /// text fingerprint → (time, group) of recent posts anywhere.
    waves: HashMap<u64, VecDeque<(Timestamp, i64)>>,
    /// group → times of recent joins.
    joins: HashMap<i64, VecDeque<Timestamp>>,
    /// Observations since the last sweep of idle keys.
    since_sweep: u32,
}

/// A fingerprint of a text that ignores case, spacing, punctuation and
/// digits, so "Join us 1!" and "join us 2" count as the same text.
pub fn fingerprint(normalized: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for ch in normalized
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
    {
        let mut buf = [0u8; 4];
        for byte in ch.encode_utf8(&mut buf).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn push_and_count<T>(queue: &mut VecDeque<(Timestamp, T)>, item: (Timestamp, T), window: Duration) {
    let now = item.0;
    queue.push_back(item);
    while queue.front().is_some_and(|(at, _)| now - *at > window) {
        queue.pop_front();
    }
}

fn push_times(queue: &mut VecDeque<Timestamp>, now: Timestamp, window: Duration) -> u32 {
    queue.push_back(now);
    while queue.front().is_some_and(|at| now - *at > window) {
        queue.pop_front();
    }
    u32::try_from(queue.len()).unwrap_or(u32::MAX)
}

fn span(window: &Window) -> Duration {
    Duration::seconds(i64::from(window.seconds))
}

impl BehaviourState {
    /// Records a message and returns the behaviour rules it breaks.
    /// `fingerprint` is [`fingerprint`] of the normalized text; texts with
    /// fewer than a few letters should pass `None` so "ok" and "+1" never
    /// count as repeats or waves.
    pub fn observe_message(
        &mut self,
        rules: &BehaviourRules,
        group: i64,
        member: i64,
        fingerprint: Option<u64>,
        at: Timestamp,
    ) -> Vec<BehaviourHit> {
        self.maybe_sweep(at);
        let mut hits = Vec::new();
        if let Some(flood) = rules.flood.as_ref().filter(|w| w.count > 0) {
            let queue = self.messages.entry((group, member)).or_default();
            let n = push_times(queue, at, span(flood));
            if n >= flood.count {
                hits.push(BehaviourHit {
                    rule: "flood",
                    severity: flood.severity,
                    count: n,
                });
            }
        }
        let Some(fingerprint) = fingerprint else {
            return hits;
        };
        if let Some(repeat) = rules.repeat.as_ref().filter(|w| w.count > 0) {
            let queue = self
                .repeats
                .entry((group, member, fingerprint))
                .or_default();
            let n = push_times(queue, at, span(repeat));
            if n >= repeat.count {
                hits.push(BehaviourHit {
                    rule: "repeat",
                    severity: repeat.severity,
                    count: n,
                });
            }
        }
        if let Some(wave) = rules.wave.as_ref().filter(|w| w.count > 0) {
            let queue = self.waves.entry(fingerprint).or_default();
            push_and_count(queue, (at, group), span(wave));
            let mut groups: Vec<i64> = queue.iter().map(|(_, g)| *g).collect();
            groups.sort_unstable();
            groups.dedup();
            let n = u32::try_from(groups.len()).unwrap_or(u32::MAX);
            if n >= wave.count {
                hits.push(BehaviourHit {
                    rule: "wave",
                    severity: wave.severity,
                    count: n,
                });
            }
        }
        hits
    }

    /// Records a join and returns the raid rule if the group is being raided.
    pub fn observe_join(
        &mut self,
        rules: &BehaviourRules,
        group: i64,
        at: Timestamp,
    ) -> Option<BehaviourHit> {
        let raid = rules.raid.as_ref().filter(|w| w.count > 0)?;
        let n = push_times(self.joins.entry(group).or_default(), at, span(raid));
        (n >= raid.count).then_some(BehaviourHit {
            rule: "raid",
            severity: raid.severity,
            count: n,
        })
    }

    /// Drops windows that have gone quiet, so memory follows the active
    /// members, not everyone ever seen.
    fn maybe_sweep(&mut self, now: Timestamp) {
        self.since_sweep += 1;
        if self.since_sweep < 10_000 {
            return;
        }
        self.since_sweep = 0;
        let idle = Duration::hours(1);
        self.messages
            .retain(|_, q| q.back().is_some_and(|at| now - *at < idle));
        self.repeats
            .retain(|_, q| q.back().is_some_and(|at| now - *at < idle));
        self.waves
            .retain(|_, q| q.back().is_some_and(|(at, _)| now - *at < idle));
        self.joins
            .retain(|_, q| q.back().is_some_and(|at| now - *at < idle));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> Timestamp {
        chrono::Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
    }

    fn rules_hit(hits: &[BehaviourHit]) -> Vec<&'static str> {
        hits.iter().map(|h| h.rule).collect()
    }

    #[test]
    fn floods_are_counted_in_a_sliding_window() {
        let rules = BehaviourRules::default();
        let mut state = BehaviourState::default();
        for i in 0..7 {
            assert!(state.observe_message(&rules, 1, 1, None, t(i)).is_empty());
        }
        assert_eq!(
            rules_hit(&state.observe_message(&rules, 1, 1, None, t(7))),
            ["flood"]
        );
        // Another member, or the same member much later, is fine.
        assert!(state.observe_message(&rules, 1, 2, None, t(7)).is_empty());
        assert!(state.observe_message(&rules, 1, 1, None, t(100)).is_empty());
    }

    #[test]
    fn repeats_and_waves_use_the_fingerprint() {
        let rules = BehaviourRules::default();
        let mut state = BehaviourState::default();
        let text = fingerprint("join my channel 1");
        assert_eq!(text, fingerprint("JOIN my channel!! 2"));
        assert_ne!(text, fingerprint("something else"));
        for i in 0..3 {
            assert!(
                state
                    .observe_message(&rules, 1, 1, Some(text), t(i * 30))
                    .is_empty()
            );
        }
        assert_eq!(
            rules_hit(&state.observe_message(&rules, 1, 1, Some(text), t(100))),
            ["repeat"]
        );
        let mut state = BehaviourState::default();
        assert!(
            state
                .observe_message(&rules, 1, 7, Some(text), t(0))
                .is_empty()
        );
        assert!(
            state
                .observe_message(&rules, 2, 8, Some(text), t(60))
                .is_empty()
        );
        assert_eq!(
            rules_hit(&state.observe_message(&rules, 3, 9, Some(text), t(120))),
            ["wave"]
        );
        assert!(
            state
                .observe_message(&rules, 4, 9, Some(text), t(5000))
                .is_empty(),
            "window passed"
        );
    }

    #[test]
    fn raids_are_bursts_of_joins() {
        let rules = BehaviourRules::default();
        let mut state = BehaviourState::default();
        for i in 0..14 {
            assert!(state.observe_join(&rules, 1, t(i)).is_none());
        }
        assert_eq!(state.observe_join(&rules, 1, t(14)).unwrap().count, 15);
        assert!(state.observe_join(&rules, 2, t(14)).is_none());
    }
}
