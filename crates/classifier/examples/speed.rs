//! How fast is `Model::classify`? Run in release:
//!
//! ```sh
//! cargo run --release -p steward-classifier --example speed
//! ```
//!
//! Classifies 100,000 messages of the demo community (Chinese, Russian and
//! English, about 30–100 bytes each, plus longer spam) with the starter
//! model, then the same messages padded to about 100 bytes, then again with
//! the near-duplicate index full (100,000 fingerprints). Prints the mean
//! time per message (by the clock and, on Linux, by the CPU time the thread
//! actually got, which is what counts on a busy machine) and the p50 / p99 /
//! max latency of single calls.

use std::hint::black_box;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use steward_classifier::Model;
use steward_demo::{Demo, DemoSpec};

const MESSAGES: usize = 100_000;

fn main() {
    let Ok(model) = Model::starter() else {
        eprintln!("speed: the starter model does not load");
        std::process::exit(1);
    };
    let texts = demo_texts();
    let padded: Vec<String> = texts.iter().map(|t| pad(t, 100)).collect();

    run("demo messages, starter model", &model, &texts);
    run("demo messages padded to >= 100 bytes", &model, &padded);

    let mut full = model.clone();
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..full.near_dup().capacity() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        full.near_dup_mut().insert(x);
    }
    run("padded, near-duplicate index full", &full, &padded);
}

fn run(name: &str, model: &Model, texts: &[String]) {
    let bytes: usize = texts.iter().map(String::len).sum();
    // Warm up caches and the branch predictor.
    for t in texts.iter().take(10_000) {
        black_box(model.classify(black_box(t)));
    }
    // Several passes, timed by the clock and by the CPU time this thread
    // actually ran (other processes on a busy machine inflate the first).
    const PASSES: usize = 5;
    let cpu_start = thread_cpu_ns();
    let start = Instant::now();
    let mut spam = 0usize;
    for _ in 0..PASSES {
        spam = 0;
        for t in texts {
            spam += usize::from(black_box(model.classify(black_box(t))).is_spam);
        }
    }
    let total = start.elapsed() / PASSES as u32;
    let cpu = match (cpu_start, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!("{:.0}", (b - a) as f64 / (PASSES * texts.len()) as f64),
        _ => "?".to_owned(),
    };

    let mut latencies: Vec<u64> = Vec::with_capacity(texts.len());
    for t in texts {
        let s = Instant::now();
        black_box(model.classify(black_box(t)));
        latencies.push(s.elapsed().as_nanos() as u64);
    }
    latencies.sort_unstable();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{name}: {} messages, {:.0} bytes avg, {:.0} ns/message wall ({:.0}k messages/s), {cpu} ns/message CPU, \
         single call p50 {} ns, p99 {} ns, max {} ns; {} flagged",
        texts.len(),
        bytes as f64 / texts.len() as f64,
        total.as_nanos() as f64 / texts.len() as f64,
        texts.len() as f64 / total.as_secs_f64() / 1000.0,
        pct(0.5),
        pct(0.99),
        latencies.last().copied().unwrap_or(0),
        spam
    );
}

/// Nanoseconds this thread has run on a CPU (Linux; `None` elsewhere).
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Texts of the demo's messages, repeated up to `MESSAGES`.
fn demo_texts() -> Vec<String> {
    let Some(start) = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).single() else {
        return Vec::new();
    };
    let demo = Demo::new(DemoSpec {
        seed: 7,
        days: 30,
        start,
        scale: 1.0,
    });
    let mut texts: Vec<String> = demo
        .filter_map(|e| e.payload.message().map(|m| m.text.clone()))
        .filter(|t| !t.is_empty())
        .take(MESSAGES)
        .collect();
    let n = texts.len();
    for i in 0..MESSAGES.saturating_sub(n) {
        texts.push(texts[i % n.max(1)].clone());
    }
    texts
}

/// Repeats the text (with spaces) until it is at least `len` bytes.
fn pad(text: &str, len: usize) -> String {
    let mut out = text.to_owned();
    while out.len() < len {
        out.push(' ');
        out.push_str(text);
    }
    out
}
