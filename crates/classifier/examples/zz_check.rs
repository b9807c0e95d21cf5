use chrono::{TimeZone, Utc};
use steward_classifier::Model;
use steward_demo::{Demo, DemoSpec};
fn main() {
    let model = Model::starter().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).single().unwrap();
    let demo = Demo::new(DemoSpec { seed: 7, days: 30, start, scale: 1.0 });
    let mut n = 0; let mut flagged = 0; let mut spammer = 0;
    let mut shown = 0;
    for e in demo {
        let Some(m) = e.payload.message() else { continue };
        if m.text.is_empty() { continue; }
        n += 1;
        let is_spammer = e.member.id.parse::<u64>().map_or(false, |id| id >= 7_000_000_000);
        spammer += usize::from(is_spammer);
        let v = model.classify(&m.text);
        if v.is_spam { flagged += 1; }
        if is_spammer && !v.is_spam && shown < 10 { shown += 1; println!("MISS p={:.3} {}", v.spam_probability, m.text); }
        if n >= 100000 { break; }
    }
    println!("{n} messages, {spammer} by spammers, {flagged} flagged");
    let mut padded_flag = 0; let mut shown = 0;
    let demo = Demo::new(DemoSpec { seed: 7, days: 30, start, scale: 1.0 });
    for e in demo.take(200000) {
        let Some(m) = e.payload.message() else { continue };
        if m.text.is_empty() { continue; }
        let mut t = m.text.clone(); while t.len() < 100 { t.push(' '); t.push_str(&m.text); }
        let v = model.classify(&t);
        if v.is_spam { padded_flag += 1; if shown < 10 { shown += 1; println!("PADFLAG p={:.3} dup={:?} {}", v.spam_probability, v.near_duplicate.map(|d| d.distance), t); } }
    }
    println!("padded flagged {padded_flag}");
}
