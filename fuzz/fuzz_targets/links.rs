//! `LinkExtractor::extract` on arbitrary text: it must not panic, and every
//! finding must lie within the text, on character boundaries, in order and
//! without overlapping the one before.
//!
//! Run with `cargo +nightly fuzz run links` from the repository root.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use steward_moderation::links::LinkExtractor;

static EXTRACTOR: LazyLock<LinkExtractor> = LazyLock::new(LinkExtractor::new);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut end = 0;
    for found in EXTRACTOR.extract(&text) {
        let range = found.range;
        assert!(range.start < range.end, "empty range {range:?}");
        assert!(range.end <= text.len(), "range {range:?} past the end");
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "range {range:?} splits a character"
        );
        assert!(range.start >= end, "range {range:?} overlaps the one before");
        assert!(!found.value.is_empty(), "empty value for {range:?}");
        end = range.end;
    }
});
