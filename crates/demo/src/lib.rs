//! A deterministic synthetic community for `steward demo`.
//!
//! Three communities (a Chinese coffee brand's fan groups, a Russian and an
//! English Rust community) with seven groups and hundreds of members talk for
//! a number of days: ordinary chat in each group's local rhythm, questions
//! and answers, joins, leaves and renames, reactions, edits and deletes,
//! floods, and spam and ad waves that hit several groups within minutes.
//!
//! [`Demo`] streams the events in time order, a day at a time, so memory
//! stays small however long the period. The same [`DemoSpec`] always gives
//! the same events: every random choice comes from a ChaCha stream seeded by
//! the spec, and no clock is read.
//!
//! * `layout`: the communities and groups ([`groups`], [`communities`]).
//! * `roster`: members, their activity, joins, leaves and renames.
//! * `text`: per-language phrase books.
//! * `schedule`: daily rhythm, growth and seeded streams.
//! * `talk`: one group's ordinary day.
//! * `spam`: spam and ad waves.
//! * `draft`: ordering and id assignment.

mod draft;
mod layout;
mod names;
mod roster;
mod schedule;
mod spam;
mod talk;
mod text;

use std::collections::VecDeque;

use steward_core::{IncomingEvent, Timestamp};

pub use layout::{DEMO_PLATFORM, DemoCommunity, DemoGroup, communities, groups};

use draft::{Draft, Emitter, Sink};
use layout::GROUPS;
use roster::Roster;
use schedule::{DAY, Ms, Rhythm};
use talk::GroupDay;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSpec {
    /// Seed of every random choice.
    pub seed: u64,
    /// Number of days.
    pub days: u32,
    /// Midnight UTC of the first day.
    pub start: Timestamp,
    /// Size: 1.0 is the full community (about 4,000 events a day); message
    /// volume and member counts scale with it.
    pub scale: f64,
}

impl DemoSpec {
    /// The standard demo: 60 days at full size, seed 2026.
    pub fn standard(start: Timestamp) -> Self {
        DemoSpec {
            seed: 2026,
            days: 60,
            start,
            scale: 1.0,
        }
    }
}

/// Ordinary messages per group and day beyond the target, because the last
/// conversation of a day runs to its end.
const OVERSHOOT_PER_GROUP_DAY: f64 = 2.0;

/// The event stream of one spec.
pub struct Demo {
    spec: DemoSpec,
    scale: f64,
    roster: Roster,
    plans: Vec<spam::Plan>,
    next_plan: usize,
    next_day: u32,
    /// Drafted but not yet final: events later than the last finished day.
    pending: Vec<Draft>,
    ready: VecDeque<IncomingEvent>,
    sink: Sink,
    emitter: Emitter,
    /// First message slot of each recent day, to forget old slots.
    first_slots: VecDeque<u64>,
    estimate: u64,
}

impl Demo {
    /// Plans the community (members, spam waves); events come on demand.
    pub fn new(spec: DemoSpec) -> Self {
        let scale = if spec.scale.is_finite() && spec.scale > 0.0 {
            spec.scale
        } else {
            0.0
        };
        let mut rng = schedule::plan_rng(spec.seed, 1);
        let mut roster = Roster::build(&mut rng, scale, spec.days);
        let mut rng = schedule::plan_rng(spec.seed, 2);
        let plans = spam::plan(&mut rng, &mut roster, spec.days, scale);
        let estimate = estimate(&spec, scale, &roster, &plans);
        Demo {
            emitter: Emitter::new(spec.start),
            spec,
            scale,
            roster,
            plans,
            next_plan: 0,
            next_day: 0,
            pending: Vec::new(),
            ready: VecDeque::new(),
            sink: Sink::default(),
            first_slots: VecDeque::new(),
            estimate,
        }
    }

    /// The spec this demo was made from.
    pub fn spec(&self) -> &DemoSpec {
        &self.spec
    }

    /// Roughly how many events the stream has (within a few percent), for a
    /// progress bar.
    pub fn estimated_events(&self) -> u64 {
        self.estimate
    }

    /// Next batch of up to `n` events in time order; empty when done (or
    /// when `n` is 0). Batches follow each other in time order too.
    pub fn next_batch(&mut self, n: usize) -> Vec<IncomingEvent> {
        while self.ready.len() < n && !self.is_done() {
            self.advance();
        }
        let take = n.min(self.ready.len());
        self.ready.drain(..take).collect()
    }

    fn is_done(&self) -> bool {
        self.next_day >= self.spec.days && self.pending.is_empty()
    }

    /// Generates the next day and finalizes every event before its end.
    fn advance(&mut self) {
        let cutoff = if self.next_day < self.spec.days {
            let day = self.next_day;
            self.remember_day_start();
            self.generate_day(day);
            self.pending.append(&mut self.sink.drafts);
            self.next_day += 1;
            if self.next_day < self.spec.days {
                i64::from(self.next_day) * DAY
            } else {
                Ms::MAX
            }
        } else {
            Ms::MAX
        };
        // Later days only add later events, so everything before the cutoff
        // is final. `seq` is unique, so the order is total and reproducible.
        self.pending.sort_unstable_by_key(|d| (d.at, d.seq));
        let split = self.pending.partition_point(|d| d.at < cutoff);
        for draft in self.pending.drain(..split) {
            if let Some(event) = self.emitter.emit(draft, &self.roster) {
                self.ready.push_back(event);
            }
        }
    }

    /// Nothing refers to messages more than two days old (follow-ups come
    /// within hours), so their ids can go.
    fn remember_day_start(&mut self) {
        self.first_slots.push_back(self.sink.next_slot());
        if self.first_slots.len() > 3 {
            self.first_slots.pop_front();
            if let Some(&oldest) = self.first_slots.front() {
                self.emitter.forget_before(oldest);
            }
        }
    }

    fn generate_day(&mut self, day: u32) {
        let mut rng = schedule::day_rng(self.spec.seed, day);
        let group_days: Vec<GroupDay<'_>> = (0..GROUPS.len() as u16)
            .map(|g| GroupDay::new(g, &self.roster, self.spec.start, day, self.spec.days))
            .collect();
        for g in &group_days {
            let target = schedule::target_messages(
                g.spec,
                g.group as usize,
                self.spec.seed,
                self.scale,
                self.spec.days,
                day,
                &g.rhythm,
            );
            talk::day(g, &mut rng, &mut self.sink, target);
        }
        while let Some(plan) = self.plans.get(self.next_plan).filter(|p| p.day == day) {
            spam::run(plan, &group_days, &mut rng, &mut self.sink);
            self.next_plan += 1;
        }
    }
}

impl Iterator for Demo {
    type Item = IncomingEvent;

    fn next(&mut self) -> Option<IncomingEvent> {
        while self.ready.is_empty() && !self.is_done() {
            self.advance();
        }
        self.ready.pop_front()
    }
}

/// The expected event count, from the same deterministic targets the
/// generator aims for, without generating anything.
fn estimate(spec: &DemoSpec, scale: f64, roster: &Roster, plans: &[spam::Plan]) -> u64 {
    let mut messages = 0.0;
    for day in 0..spec.days {
        for (g, group) in GROUPS.iter().enumerate() {
            let rhythm = Rhythm::new(group, spec.start, day);
            let target =
                schedule::target_messages(group, g, spec.seed, scale, spec.days, day, &rhythm);
            if target > 0.0 {
                messages += target + OVERSHOOT_PER_GROUP_DAY;
            }
        }
    }
    let spam: f64 = plans.iter().map(spam::expected_events).sum();
    let total = messages * (1.0 + talk::FOLLOW_UPS_PER_MESSAGE)
        + roster.events_in_period(spec.days) as f64
        + spam;
    total.round() as u64
}
