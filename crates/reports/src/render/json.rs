//! The JSON rendering: the [`Report`] structure as it is, pretty printed.
//! Its field names are part of Steward's interface (see [`crate::model`]).

use crate::model::Report;

/// Renders the report as pretty JSON.
pub fn json(r: &Report) -> String {
    // A Report has only string keys and plain values: serializing cannot
    // fail (non-finite floats become `null`).
    serde_json::to_string_pretty(r).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn json_round_trips() {
        let r = sample();
        let text = json(&r);
        assert!(text.contains("\"messages\": 1234"), "{text}");
        let back: Report = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
    }
}
