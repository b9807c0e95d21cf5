//! `read_export_slice` on arbitrary bytes: it must not panic, and a summary
//! it returns must count no more events than messages could make (a
//! service message names at most one member it maps).
//!
//! Run with `cargo +nightly fuzz run telegram_export` from the repository
//! root.

#![no_main]

use std::ops::ControlFlow;

use libfuzzer_sys::fuzz_target;
use steward_adapter_telegram::export::{ExportOptions, read_export_slice};

fuzz_target!(|data: &[u8]| {
    let mut seen = 0u64;
    let result = read_export_slice(data, &ExportOptions::default(), |_| {
        seen += 1;
        ControlFlow::Continue(())
    });
    if let Ok(summary) = result {
        assert_eq!(summary.events, seen, "summary miscounts events");
        assert!(
            summary.events <= summary.messages,
            "more events than messages"
        );
    }
});
