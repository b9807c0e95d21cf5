//! The demo stream as the binary sees it: size, order, determinism, variety,
//! spam waves and the estimate.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use steward_core::i18n::Lang;
use steward_core::{EventKind, EventPayload, IncomingEvent, Timestamp};
use steward_demo::{Demo, DemoSpec, groups};

fn start() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap()
}

fn all(spec: DemoSpec) -> Vec<IncomingEvent> {
    let mut demo = Demo::new(spec);
    let mut out = Vec::new();
    loop {
        let batch = demo.next_batch(1000);
        if batch.is_empty() {
            return out;
        }
        assert!(batch.len() <= 1000);
        out.extend(batch);
    }
}

/// Markers of the ads the spam waves post.
const SPAM_MARKERS: [&str; 9] = [
    "微信",
    "加V",
    "QQ",
    "в лс",
    "t.me/",
    "USDT",
    "DM me",
    "$500",
    "http://free-usdt",
];

/// One pass over the standard stream, keeping only what the tests check.
struct Summary {
    events: u64,
    estimate: u64,
    elapsed: Duration,
    in_order: bool,
    kinds: BTreeMap<&'static str, u64>,
    groups: BTreeMap<String, u64>,
    duplicate_event_ids: u64,
    duplicate_message_ids: u64,
    dangling_references: u64,
    questions: u64,
    answered_questions: u64,
    cross_group_spam: u64,
    members: usize,
    renames: u64,
    forwards: u64,
    attachments: u64,
    edited_into_ads: u64,
    lang_texts: HashSet<Lang>,
}

fn summary() -> &'static Summary {
    static SUMMARY: OnceLock<Summary> = OnceLock::new();
    SUMMARY.get_or_init(|| {
        let began = Instant::now();
        let mut demo = Demo::new(DemoSpec::standard(start()));
        let estimate = demo.estimated_events();
        let mut s = Summary {
            events: 0,
            estimate,
            elapsed: Duration::ZERO,
            in_order: true,
            kinds: BTreeMap::new(),
            groups: BTreeMap::new(),
            duplicate_event_ids: 0,
            duplicate_message_ids: 0,
            dangling_references: 0,
            questions: 0,
            answered_questions: 0,
            cross_group_spam: 0,
            members: 0,
            renames: 0,
            forwards: 0,
            attachments: 0,
            edited_into_ads: 0,
            lang_texts: HashSet::new(),
        };
        let mut last: Option<Timestamp> = None;
        let mut event_ids = HashSet::new();
        let mut message_ids: HashSet<(String, String)> = HashSet::new();
        let mut questions: HashSet<(String, String)> = HashSet::new();
        let mut answered: HashSet<(String, String)> = HashSet::new();
        let mut members = HashSet::new();
        let mut recent_spam: Vec<(String, String, Timestamp)> = Vec::new();
        let mut clean_texts: HashMap<(String, String), String> = HashMap::new();
        loop {
            let batch = demo.next_batch(4096);
            if batch.is_empty() {
                break;
            }
            for e in batch {
                s.events += 1;
                if last.is_some_and(|l| e.at < l) {
                    s.in_order = false;
                }
                last = Some(e.at);
                *s.kinds.entry(e.kind().as_str()).or_default() += 1;
                *s.groups.entry(e.group.id.clone()).or_default() += 1;
                if !event_ids.insert(e.event_id.clone()) {
                    s.duplicate_event_ids += 1;
                }
                members.insert(e.member.id.clone());
                let key = |id: &str| (e.group.id.clone(), id.to_owned());
                match &e.payload {
                    EventPayload::Message { message } => {
                        if !message_ids.insert(key(&message.id)) {
                            s.duplicate_message_ids += 1;
                        }
                        if let Some(r) = &message.reply_to {
                            if !message_ids.contains(&key(r)) {
                                s.dangling_references += 1;
                            }
                            if questions.contains(&key(r)) {
                                answered.insert(key(r));
                            }
                        }
                        let t = &message.text;
                        if t.ends_with('?') || t.ends_with('？') {
                            s.questions += 1;
                            questions.insert(key(&message.id));
                        }
                        if message.forwarded_from.is_some() {
                            s.forwards += 1;
                        }
                        if !message.attachments.is_empty() {
                            s.attachments += 1;
                        }
                        if t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                            s.lang_texts.insert(Lang::Zh);
                        }
                        if t.chars().any(|c| ('а'..='я').contains(&c)) {
                            s.lang_texts.insert(Lang::Ru);
                        }
                        if t.contains(" the ") {
                            s.lang_texts.insert(Lang::En);
                        }
                        if SPAM_MARKERS.iter().any(|m| t.contains(m)) {
                            recent_spam
                                .retain(|(_, _, at)| e.at - *at <= chrono::Duration::minutes(10));
                            if recent_spam
                                .iter()
                                .any(|(text, group, _)| text == t && *group != e.group.id)
                            {
                                s.cross_group_spam += 1;
                            }
                            recent_spam.push((t.clone(), e.group.id.clone(), e.at));
                        } else {
                            clean_texts.insert(key(&message.id), t.clone());
                        }
                    }
                    EventPayload::MessageEdited { message } => {
                        if !message_ids.contains(&key(&message.id)) {
                            s.dangling_references += 1;
                        }
                        let was_clean = clean_texts.contains_key(&key(&message.id));
                        if was_clean && SPAM_MARKERS.iter().any(|m| message.text.contains(m)) {
                            s.edited_into_ads += 1;
                        }
                    }
                    EventPayload::MessageDeleted { message_id, .. }
                    | EventPayload::Reaction { message_id, .. }
                        if !message_ids.contains(&key(message_id)) =>
                    {
                        s.dangling_references += 1;
                    }
                    EventPayload::MemberRenamed { .. } => s.renames += 1,
                    _ => {}
                }
            }
        }
        s.elapsed = began.elapsed();
        s.members = members.len();
        s.answered_questions = answered.len() as u64;
        eprintln!(
            "standard demo: {} events (estimate {}) in {:?}; {} members; kinds {:?}; groups {:?}; \
             questions {} (answered {}); cross-group spam posts {}; renames {}; forwards {}; \
             attachments {}; edited into ads {}",
            s.events,
            s.estimate,
            s.elapsed,
            s.members,
            s.kinds,
            s.groups,
            s.questions,
            s.answered_questions,
            s.cross_group_spam,
            s.renames,
            s.forwards,
            s.attachments,
            s.edited_into_ads,
        );
        s
    })
}

#[test]
fn same_spec_gives_the_same_events() {
    let spec = DemoSpec {
        seed: 7,
        days: 10,
        start: start(),
        scale: 0.2,
    };
    let a = all(spec.clone());
    let b = all(spec.clone());
    assert!(!a.is_empty());
    assert_eq!(a, b);
    let other = all(DemoSpec { seed: 8, ..spec });
    assert_ne!(a, other);
}

#[test]
fn batch_size_does_not_change_the_stream() {
    let spec = DemoSpec {
        seed: 11,
        days: 4,
        start: start(),
        scale: 0.1,
    };
    let whole = all(spec.clone());
    let mut demo = Demo::new(spec);
    let mut pieces = Vec::new();
    for n in [1usize, 7, 300, 2].into_iter().cycle() {
        let batch = demo.next_batch(n);
        if batch.is_empty() {
            break;
        }
        pieces.extend(batch);
    }
    assert_eq!(whole, pieces);
}

#[test]
fn standard_demo_is_large_and_in_time_order() {
    let s = summary();
    assert!(s.events >= 200_000, "only {} events", s.events);
    assert!(s.events <= 300_000, "{} events", s.events);
    assert!(s.in_order, "events must be in time order");
    assert_eq!(s.duplicate_event_ids, 0);
    assert_eq!(s.duplicate_message_ids, 0);
    assert_eq!(s.dangling_references, 0);
    assert!(s.members >= 500, "{} members", s.members);
    assert_eq!(s.groups.len(), groups().len());
}

#[test]
fn every_kind_and_language_is_present() {
    let s = summary();
    for kind in EventKind::ALL {
        // Buttons, private chats with the bot and poll answers answer
        // what Steward sends; the community's own traffic has none.
        if matches!(
            kind,
            EventKind::ButtonPressed | EventKind::DirectMessage | EventKind::PollAnswer
        ) {
            continue;
        }
        assert!(
            s.kinds.get(kind.as_str()).copied().unwrap_or(0) > 0,
            "no {} events",
            kind.as_str()
        );
    }
    assert_eq!(s.lang_texts.len(), 3, "{:?}", s.lang_texts);
    let langs: HashSet<Lang> = groups().iter().map(|g| g.lang).collect();
    assert_eq!(langs.len(), 3);
    assert!(s.renames >= 3);
    assert!(s.forwards > 0);
    assert!(s.attachments > 0);
    assert!(s.questions > 1000);
    assert!(
        s.answered_questions * 2 > s.questions,
        "most questions get answers"
    );
}

#[test]
fn spam_waves_hit_several_groups_within_minutes() {
    let s = summary();
    assert!(s.cross_group_spam >= 5, "{}", s.cross_group_spam);
    assert!(
        s.edited_into_ads > 0,
        "a clean message is edited into an ad"
    );
}

#[test]
fn estimate_is_close() {
    let s = summary();
    let diff = (s.events as f64 - s.estimate as f64).abs() / s.events as f64;
    assert!(diff < 0.1, "estimate {} vs {} events", s.estimate, s.events);
}

#[test]
fn small_scale_gives_a_small_stream() {
    let spec = DemoSpec {
        seed: 2026,
        days: 3,
        start: start(),
        scale: 0.05,
    };
    let demo = Demo::new(spec.clone());
    let estimate = demo.estimated_events();
    let events = all(spec.clone());
    // The full stream has about 4,000 events a day.
    let expected = 4_000.0 * 3.0 * 0.05;
    let n = events.len() as f64;
    assert!(n > expected * 0.5 && n < expected * 2.0, "{n} events");
    assert!(
        (n - estimate as f64).abs() / n < 0.25,
        "estimate {estimate} vs {n}"
    );
    let end = spec.start + chrono::Duration::days(3) + chrono::Duration::hours(12);
    assert!(events.iter().all(|e| e.at >= spec.start && e.at < end));
}

#[test]
fn zero_days_gives_nothing() {
    let mut demo = Demo::new(DemoSpec {
        days: 0,
        ..DemoSpec::standard(start())
    });
    assert_eq!(demo.estimated_events(), 0);
    assert!(demo.next_batch(10).is_empty());
}
