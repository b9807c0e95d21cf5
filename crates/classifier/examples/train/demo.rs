//! Messages of `steward demo`'s synthetic community, labeled, for an
//! out-of-sample check: the model never trains on them, and the demo's
//! phrase books and spam templates are separate from this trainer's.
//!
//! The demo gives spammers fresh accounts with ids from 7,000,000,000 up
//! (ordinary members stay below 6,500,000,000), so a message's author tells
//! its label. One exception: a "sleeper" spammer first says hello and later
//! edits the hello into an ad, so a spammer's message that is later edited
//! is ham and the edit is spam.

use std::collections::{HashMap, HashSet};

use chrono::{TimeZone, Utc};
use steward_core::EventPayload;
use steward_demo::{Demo, DemoSpec};

const FIRST_SPAMMER_ID: u64 = 7_000_000_000;

/// `(is_spam, text)` of every message and edit of a demo run, distinct
/// texts only (a spam wave repeats one text many times).
pub(crate) fn labeled(seed: u64, days: u32) -> Vec<(bool, String)> {
    let Some(start) = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).single() else {
        return Vec::new();
    };
    let demo = Demo::new(DemoSpec {
        seed,
        days,
        start,
        scale: 1.0,
    });
    let mut messages: Vec<(bool, String)> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for event in demo {
        let spammer = event
            .member
            .id
            .parse::<u64>()
            .is_ok_and(|id| id >= FIRST_SPAMMER_ID);
        match &event.payload {
            EventPayload::Message { message } if !message.text.is_empty() => {
                by_id.insert(message.id.clone(), messages.len());
                messages.push((spammer, message.text.clone()));
            }
            EventPayload::MessageEdited { message } if !message.text.is_empty() => {
                if spammer && let Some(&i) = by_id.get(&message.id) {
                    messages[i].0 = false;
                }
                messages.push((spammer, message.text.clone()));
            }
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    messages.retain(|(spam, text)| seen.insert((*spam, text.clone())));
    messages
}
