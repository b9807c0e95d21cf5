//! `steward_insights::sentiment::score` on arbitrary text: it must not
//! panic, the score must lie in -1..=1, and a message cannot be positive
//! and negative at once.
//!
//! Run with `cargo +nightly fuzz run sentiment` from the repository root.

#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_insights::sentiment::score;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let s = score(&text);
    assert!(
        (-1.0..=1.0).contains(&s.score),
        "score {} out of range",
        s.score
    );
    assert!(
        !(s.positive && s.negative),
        "both positive and negative: {s:?}"
    );
});
