//! Verdicts: what the engine found and where.

use std::ops::Range;

use serde::Serialize;

use crate::rules::Mode;
use crate::{BehaviourHit, Severity, TrustLevel};

/// The result of checking one message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// `violation` when an enforced rule matched, otherwise `clean` (shadow
    /// rules may still be listed in `hits`).
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
    /// `enforce` or `shadow`.
    pub mode: Mode,
    /// Where in the original text, as byte ranges (`[start, end)`). Empty
    /// when the evidence is not a place in the text (a count, a hidden link).
    pub evidence: Vec<Range<usize>>,
    /// What matched, in the normalized form the engine compared (or what
    /// was counted).
    pub normalized: Vec<String>,
    /// The rule's own mute length.
    #[serde(skip)]
    pub mute_minutes: Option<i64>,
    /// Members at or above this level are spared.
    #[serde(skip)]
    pub spare_from: TrustLevel,
    /// Applies only below this level.
    #[serde(skip)]
    pub only_below: Option<TrustLevel>,
}

impl Hit {
    /// Whether the rule applies to a member of this trust level.
    pub fn applies_to(&self, trust: TrustLevel) -> bool {
        trust < self.spare_from && self.only_below.is_none_or(|below| trust < below)
    }

    /// A behaviour rule's hit.
    pub fn behaviour(hit: &BehaviourHit) -> Hit {
        let description = match hit.rule {
            "flood" => "刷屏 / флуд / flooding",
            "repeat" => "重复发送 / повторы / repeated messages",
            "wave" => "多群群发 / рассылка по группам / the same text in several groups",
            _ => "短时间大量加入 / наплыв участников / join raid",
        };
        Hit {
            rule: hit.rule.to_owned(),
            description: description.to_owned(),
            severity: hit.severity,
            mode: Mode::Enforce,
            evidence: Vec::new(),
            normalized: vec![format!("{} in the window", hit.count)],
            mute_minutes: None,
            spare_from: TrustLevel::Leader,
            only_below: None,
        }
    }
}

impl Verdict {
    pub(crate) fn from_hits(hits: Vec<Hit>) -> Verdict {
        let mut verdict = Verdict {
            verdict: "clean",
            hits,
        };
        verdict.settle();
        verdict
    }

    fn settle(&mut self) {
        self.verdict = if self.hits.iter().any(|h| h.mode == Mode::Enforce) {
            "violation"
        } else {
            "clean"
        };
    }

    /// Whether any enforced rule matched.
    pub fn is_violation(&self) -> bool {
        self.verdict == "violation"
    }

    /// Whether anything matched, enforced or shadow.
    pub fn has_hits(&self) -> bool {
        !self.hits.is_empty()
    }

    /// Adds hits (from behaviour rules).
    pub fn extend(&mut self, hits: impl IntoIterator<Item = Hit>) {
        self.hits.extend(hits);
        self.settle();
    }

    /// Keeps only the hits of rules that apply to a member of this trust level.
    pub fn retain_for(&mut self, trust: TrustLevel) {
        self.hits.retain(|h| h.applies_to(trust));
        self.settle();
    }

    /// The hits of one mode, as a verdict of their own.
    pub fn only(&self, mode: Mode) -> Verdict {
        let mut verdict = self.clone();
        verdict.hits.retain(|h| h.mode == mode);
        verdict.settle();
        if mode == Mode::Shadow && !verdict.hits.is_empty() {
            // For deciding what a shadow rule would have done.
            verdict.verdict = "violation";
        }
        verdict
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
