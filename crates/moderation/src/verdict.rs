//! Verdicts: what the engine found and where.

use std::ops::Range;

use serde::Serialize;

use crate::Severity;

/// The result of checking one message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// `clean` or `violation`.
    pub verdict: &'static str,
    /// Every rule that matched, in rule order.
    pub hits: Vec<Hit>,
}

/// One rule that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The rule's id.
    pub rule: String,
    /// The rule's description.
    pub description: String,
    /// The rule's severity.
    pub severity: Severity,
    /// Where in the original text, as byte ranges (`[start, end)`).
    pub evidence: Vec<Range<usize>>,
    /// What matched, in the normalized form the engine compared.
    pub normalized: Vec<String>,
}

impl Verdict {
    pub(crate) fn from_hits(hits: Vec<Hit>) -> Verdict {
        Verdict {
            verdict: if hits.is_empty() {
                "clean"
            } else {
                "violation"
            },
            hits,
        }
    }

    /// Whether any rule matched.
    pub fn is_violation(&self) -> bool {
        !self.hits.is_empty()
    }

    /// The most serious hit (the first among equals).
    pub fn worst(&self) -> Option<&Hit> {
        self.hits
            .iter()
            .fold(None, |worst: Option<&Hit>, hit| match worst {
                Some(w) if w.severity >= hit.severity => Some(w),
                _ => Some(hit),
            })
    }
}
