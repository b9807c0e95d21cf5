//! Arbitrary bytes, read as (lossy) UTF-8, through the normalizer: it must
//! not panic, and every range of the folded text on character boundaries
//! must map back to a range on character boundaries of the original.
//!
//! Run with `cargo +nightly fuzz run normalize` from the repository root.

#![no_main]

use libfuzzer_sys::fuzz_target;
use steward_moderation::Normalized;

fuzz_target!(|data: &[u8]| {
    let original = String::from_utf8_lossy(data);
    let normalized = Normalized::new(&original);
    let text = normalized.as_str();
    // Every pair of boundaries is quadratic; long inputs check a sample.
    let cuts: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let step = (cuts.len() / 64).max(1);
    for &a in cuts.iter().step_by(step) {
        for &b in cuts.iter().filter(|&&b| b >= a) {
            let range = normalized.original_range(a..b);
            assert!(range.start <= range.end && range.end <= original.len());
            assert!(original.is_char_boundary(range.start));
            assert!(original.is_char_boundary(range.end));
        }
    }
    // Normalizing the folded text must not panic either.
    let _ = Normalized::new(text);
});
