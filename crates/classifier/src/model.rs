//! The spam model: naive Bayes over character n-grams, calibrated to a
//! probability, plus the index of known spam for near duplicates.
//!
//! [`Model::classify`] is the hot path: one pass over the text computes the
//! Bayes score and the SimHash fingerprint together, without allocating.
//! [`Model::learn`] is what an admin's "spam" / "not spam" does.
//! [`Model::explain`] is the slow path for showing a decision: which parts of
//! the message pushed it towards spam.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::bayes::{self, Bayes};
use crate::codec::{self, ModelError, Reader, Writer};
use crate::neardup::{self, NearDup, NearMatch};
use crate::score;
use crate::simhash::SimHasher;
use crate::tokenize::{self, FeatureKind, Signal};

/// The starter model shipped with Steward; see `model/SOURCES.md`.
static STARTER: &[u8] = include_bytes!("../model/starter.bin");

/// An admin's (or a corpus's) verdict on a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Spam or an unwanted ad.
    Spam,
    /// An ordinary message.
    Ham,
}

impl Label {
    /// True for [`Label::Spam`].
    pub fn is_spam(self) -> bool {
        self == Label::Spam
    }

    /// [`Label::Spam`] for `true`.
    pub fn from_spam(spam: bool) -> Self {
        if spam { Label::Spam } else { Label::Ham }
    }
}

/// Settings of a new, empty model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelConfig {
    /// The count tables have `2^bucket_bits` buckets (10 to 24).
    pub bucket_bits: u8,
    /// Laplace smoothing, added to every count.
    pub alpha: f32,
    /// Features whose log-likelihood ratio is weaker than this are left
    /// out of the score (see `bayes.rs`); 0 counts everything.
    pub min_evidence: f32,
    /// Known spam fingerprints kept for near-duplicate lookup.
    pub near_dup_capacity: usize,
    /// Spam probability from which [`Model::classify`] says spam.
    pub threshold: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            bucket_bits: 18,
            alpha: 0.5,
            min_evidence: 1.0,
            near_dup_capacity: neardup::DEFAULT_CAPACITY,
            threshold: 0.9,
        }
    }
}

/// Maps the raw naive Bayes log-likelihood ratio to calibrated log-odds:
/// `log_odds = scale * raw + offset` (Platt scaling). Naive Bayes is far too
/// sure of itself because it counts correlated n-grams as independent
/// evidence; the scale shrinks that back.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Multiplies the raw score.
    pub scale: f32,
    /// Added after scaling.
    pub offset: f32,
}

impl Default for Calibration {
    fn default() -> Self {
        Calibration {
            scale: 1.0,
            offset: 0.0,
        }
    }
}

/// What the model says about one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Verdict {
    /// Calibrated probability that the message is spam, in [0, 1].
    pub spam_probability: f32,
    /// The same as log-odds (unbounded, keeps resolution near 0 and 1).
    pub log_odds: f32,
    /// The probability reached the threshold, or the message is a near
    /// duplicate of known spam.
    pub is_spam: bool,
    /// The known spam this message is a light edit of, if any.
    pub near_duplicate: Option<NearMatch>,
}

/// A part of the message that pushed the verdict towards spam.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Byte range in the original text.
    pub start: usize,
    /// End of the range (exclusive).
    pub end: usize,
    /// The original text of that range.
    pub text: String,
    /// Its contribution to the log-odds (all occurrences together).
    pub weight: f32,
    /// Set when the evidence is a whole-message signal, not an n-gram.
    pub signal: Option<Signal>,
}

/// A verdict with the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The verdict, as [`Model::classify`] gives it.
    pub verdict: Verdict,
    /// The strongest spam evidence, strongest first; n-grams inside a
    /// stronger one are left out.
    pub evidence: Vec<Evidence>,
}

impl Explanation {
    /// The byte ranges to highlight: the evidence ranges, merged where they
    /// overlap or touch, in text order.
    pub fn spans(&self) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = self
            .evidence
            .iter()
            .filter(|e| e.start < e.end)
            .map(|e| e.start..e.end)
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Counts describing a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelStats {
    /// Buckets in each count table.
    pub buckets: usize,
    /// Buckets with any count.
    pub used_buckets: usize,
    /// Feature occurrences learned as spam.
    pub spam_features: u64,
    /// Feature occurrences learned as ham.
    pub ham_features: u64,
    /// Fingerprints in the near-duplicate index.
    pub known_spam: usize,
}

/// The spam classifier. Cloning copies the tables (a few MB).
#[derive(Clone)]
pub struct Model {
    bayes: Bayes,
    near: NearDup,
    calibration: Calibration,
    threshold: f32,
    /// `threshold` as log-odds, so the hot path needs no logarithm.
    threshold_log_odds: f32,
}

impl Default for Model {
    fn default() -> Self {
        Self::new(ModelConfig::default())
    }
}

/// The tables are megabytes: show their sizes, not their contents.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("stats", &self.stats())
            .field("calibration", &self.calibration)
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}

/// The log-odds of a text without any feature (empty, or only invisible
/// characters): no evidence either way, so ham. Finite, so a verdict
/// always serializes as a number.
const NO_EVIDENCE: f32 = -100.0;

impl Model {
    /// An empty model: it knows nothing and calls every text 50/50 until it
    /// learns.
    pub fn new(config: ModelConfig) -> Self {
        let threshold = valid_threshold(config.threshold);
        Model {
            bayes: Bayes::new(config.bucket_bits, config.alpha, config.min_evidence),
            near: NearDup::new(config.near_dup_capacity),
            calibration: Calibration::default(),
            threshold,
            threshold_log_odds: logit(threshold),
        }
    }

    /// The starter model shipped with Steward, trained by
    /// `scripts/train-spam-model` on public spam corpora and the project's
    /// generator (see `crates/classifier/model/SOURCES.md`).
    pub fn starter() -> Result<Model, ModelError> {
        Model::from_bytes(STARTER)
    }

    /// The spam probability from which the model says spam.
    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Changes the threshold (clamped to [0, 1]; NaN is ignored).
    pub fn set_threshold(&mut self, threshold: f32) {
        if !threshold.is_nan() {
            self.threshold = valid_threshold(threshold);
            self.threshold_log_odds = logit(self.threshold);
        }
    }

    /// The calibration of raw scores to log-odds.
    pub fn calibration(&self) -> Calibration {
        self.calibration
    }

    /// Replaces the calibration (what the trainer fits).
    pub fn set_calibration(&mut self, calibration: Calibration) {
        if calibration.scale.is_finite() && calibration.offset.is_finite() {
            self.calibration = calibration;
        }
    }

    /// The near-duplicate index of known spam.
    pub fn near_dup(&self) -> &NearDup {
        &self.near
    }

    /// The near-duplicate index, to add or drop known spam directly.
    pub fn near_dup_mut(&mut self) -> &mut NearDup {
        &mut self.near
    }

    /// Sizes and counts.
    pub fn stats(&self) -> ModelStats {
        let (spam_features, ham_features) = self.bayes.totals();
        ModelStats {
            buckets: self.bayes.buckets(),
            used_buckets: self.bayes.counts().count(),
            spam_features,
            ham_features,
            known_spam: self.near.len(),
        }
    }

    /// Classifies a message at the model's threshold.
    #[inline]
    pub fn classify(&self, text: &str) -> Verdict {
        self.classify_log_odds(text, self.threshold_log_odds)
    }

    /// Classifies a message at another threshold (a spam probability).
    pub fn classify_at(&self, text: &str, threshold: f32) -> Verdict {
        self.classify_log_odds(text, logit(valid_threshold(threshold)))
    }

    fn classify_log_odds(&self, text: &str, threshold_log_odds: f32) -> Verdict {
        let want_fingerprint = !self.near.is_empty();
        let mut raw = 0.0f32;
        let mut features = 0u32;
        let scored = score::score(text, want_fingerprint, |hash| {
            raw += self.bayes.evidence(hash);
            features += 1;
        });
        // The signals come after the grams, in this order, as in
        // `tokenize::scan`: the sum must be taken in the same order.
        for signal in Signal::ALL {
            if scored.signals & score::bit(signal) != 0 {
                raw += self.bayes.evidence(signal.hash());
                features += 1;
            }
        }
        let near_duplicate = scored.fingerprint.and_then(|fp| self.near.find(fp));
        self.verdict(raw, features, near_duplicate, threshold_log_odds)
    }

    /// Just the calibrated spam probability (no near-duplicate lookup).
    pub fn spam_probability(&self, text: &str) -> f32 {
        let mut raw = 0.0f32;
        let mut features = 0u32;
        tokenize::for_each_feature(text, |f| {
            raw += self.bayes.evidence(f.hash);
            features += 1;
        });
        self.verdict(raw, features, None, self.threshold_log_odds)
            .spam_probability
    }

    fn verdict(
        &self,
        raw: f32,
        features: u32,
        near_duplicate: Option<NearMatch>,
        threshold_log_odds: f32,
    ) -> Verdict {
        let log_odds = if features == 0 {
            NO_EVIDENCE
        } else {
            self.calibration.scale * raw + self.calibration.offset
        };
        let spam_probability = sigmoid(log_odds);
        Verdict {
            spam_probability,
            log_odds,
            is_spam: near_duplicate.is_some() || log_odds >= threshold_log_odds,
            near_duplicate,
        }
    }

    /// Classifies and lists the (at most `top`) strongest pieces of spam
    /// evidence with their byte ranges in `text`.
    pub fn explain(&self, text: &str, top: usize) -> Explanation {
        let verdict = self.classify(text);
        let scale = self.calibration.scale;
        // Per distinct feature: first range, summed contribution.
        let mut seen: Vec<Evidence> = Vec::new();
        let mut index: HashMap<u64, usize> = HashMap::new();
        tokenize::for_each_feature(text, |f| {
            let weight = scale * self.bayes.evidence(f.hash);
            if let Some(&i) = index.get(&f.hash) {
                seen[i].weight += weight;
                return;
            }
            index.insert(f.hash, seen.len());
            seen.push(Evidence {
                start: f.start,
                end: f.end,
                text: text.get(f.start..f.end).unwrap_or("").to_owned(),
                weight,
                signal: match f.kind {
                    FeatureKind::Signal(s) => Some(s),
                    FeatureKind::Gram(_) => None,
                },
            });
        });
        let mut candidates: Vec<Evidence> = seen.into_iter().filter(|e| e.weight > 0.0).collect();
        candidates.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
        let mut evidence: Vec<Evidence> = Vec::with_capacity(top);
        for c in candidates {
            if evidence.len() >= top {
                break;
            }
            let inside_stronger = c.signal.is_none()
                && evidence
                    .iter()
                    .any(|e| e.signal.is_none() && e.start <= c.start && c.end <= e.end);
            if !inside_stronger {
                evidence.push(c);
            }
        }
        Explanation { verdict, evidence }
    }

    /// Learns from a decision: the message's n-grams count towards `label`.
    /// Spam is also remembered for near-duplicate lookup (the fingerprint's
    /// id is returned; `None` for ham or a text too short to fingerprint);
    /// ham drops any known spam it is a near duplicate of, so a wrong
    /// "spam" mark does not keep matching.
    pub fn learn(&mut self, text: &str, label: Label) -> Option<u64> {
        let (hashes, fingerprint) = analyze(text);
        self.bayes.update(&hashes, label.is_spam(), false);
        let fingerprint = fingerprint?;
        match label {
            Label::Spam => Some(self.near.insert(fingerprint)),
            Label::Ham => {
                self.near.remove_near(fingerprint);
                None
            }
        }
    }

    /// Takes back an earlier [`Model::learn`] of the same text and label
    /// (an admin undid a decision). Counts never go below zero. Forgetting
    /// spam also drops its near duplicates from the index.
    pub fn forget(&mut self, text: &str, label: Label) {
        let (hashes, fingerprint) = analyze(text);
        self.bayes.update(&hashes, label.is_spam(), true);
        if let (Label::Spam, Some(fp)) = (label, fingerprint) {
            self.near.remove_near(fp);
        }
    }

    /// The model as bytes (see `codec.rs` for the format).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = Writer::default();
        body.u8(self.bayes.bits());
        body.f32(self.bayes.alpha());
        body.f32(self.bayes.min_evidence());
        body.f32(self.calibration.scale);
        body.f32(self.calibration.offset);
        body.f32(self.threshold);
        let counts: Vec<(usize, u32, u32)> = self.bayes.counts().collect();
        body.varint(counts.len() as u64);
        let mut previous = 0usize;
        for (i, (bucket, s, h)) in counts.into_iter().enumerate() {
            // The first index is absolute, the rest are gaps.
            body.varint((bucket - if i == 0 { 0 } else { previous }) as u64);
            body.varint(u64::from(s));
            body.varint(u64::from(h));
            previous = bucket;
        }
        body.varint(self.near.capacity() as u64);
        body.varint(self.near.next_id());
        body.varint(self.near.len() as u64);
        for (fingerprint, id) in self.near.iter() {
            body.u64(fingerprint);
            body.varint(id);
        }

        let mut out = Writer::default();
        out.bytes.reserve(codec::HEADER_LEN + body.bytes.len());
        out.bytes.extend_from_slice(codec::MAGIC);
        out.bytes
            .extend_from_slice(&codec::FORMAT_VERSION.to_le_bytes());
        out.bytes
            .extend_from_slice(&tokenize::FEATURE_SCHEME.to_le_bytes());
        out.u64(body.bytes.len() as u64);
        out.u64(codec::checksum(&body.bytes));
        out.bytes.extend_from_slice(&body.bytes);
        out.bytes
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader::new(bytes);
        r.part("the header");
        let prefix = &bytes[..bytes.len().min(codec::MAGIC.len())];
        if !codec::MAGIC.starts_with(prefix) {
            return Err(ModelError::BadMagic);
        }
        r.take(codec::MAGIC.len())?;
        let version = r.u16()?;
        if version != codec::FORMAT_VERSION {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: codec::FORMAT_VERSION,
            });
        }
        let scheme = r.u16()?;
        if scheme != tokenize::FEATURE_SCHEME {
            return Err(ModelError::FeatureScheme {
                found: scheme,
                supported: tokenize::FEATURE_SCHEME,
            });
        }
        let len = r.u64()?;
        let stored = r.u64()?;
        r.part("the body");
        let body = r.take(usize::try_from(len).unwrap_or(usize::MAX))?;
        if !r.is_empty() {
            return Err(ModelError::Corrupt("bytes after the end of the body"));
        }
        let computed = codec::checksum(body);
        if computed != stored {
            return Err(ModelError::Checksum { stored, computed });
        }
        decode_body(body)
    }
}

fn decode_body(body: &[u8]) -> Result<Model, ModelError> {
    let mut r = Reader::new(body);
    r.part("the settings");
    let bits = r.u8()?;
    if !(bayes::MIN_BITS..=bayes::MAX_BITS).contains(&bits) {
        return Err(ModelError::Corrupt("table size out of range"));
    }
    let alpha = r.f32()?;
    if !(alpha.is_finite() && alpha > 0.0) {
        return Err(ModelError::Corrupt("smoothing is not a positive number"));
    }
    let min_evidence = r.f32()?;
    if !(min_evidence.is_finite() && min_evidence >= 0.0) {
        return Err(ModelError::Corrupt("minimum evidence is not a number >= 0"));
    }
    let calibration = Calibration {
        scale: r.f32()?,
        offset: r.f32()?,
    };
    if !(calibration.scale.is_finite() && calibration.offset.is_finite()) {
        return Err(ModelError::Corrupt("calibration is not finite"));
    }
    let threshold = r.f32()?;
    if !(0.0..=1.0).contains(&threshold) {
        return Err(ModelError::Corrupt("threshold outside [0, 1]"));
    }

    r.part("the count tables");
    let buckets = 1u64 << bits;
    let used = r.varint()?;
    if used > buckets {
        return Err(ModelError::Corrupt("more used buckets than buckets"));
    }
    let mut counts = Vec::with_capacity(used as usize);
    let mut bucket = 0u64;
    for i in 0..used {
        let step = r.varint()?;
        if i > 0 && step == 0 {
            return Err(ModelError::Corrupt("bucket indexes are not increasing"));
        }
        bucket = bucket.saturating_add(step);
        if bucket >= buckets {
            return Err(ModelError::Corrupt("bucket index out of range"));
        }
        counts.push((bucket as usize, r.varint_u32()?, r.varint_u32()?));
    }

    r.part("the near-duplicate index");
    let capacity = r.varint()?;
    if capacity == 0 || capacity >= u64::from(u32::MAX) {
        return Err(ModelError::Corrupt("near-duplicate capacity out of range"));
    }
    let next_id = r.varint()?;
    let entries = r.varint()?;
    if entries > capacity {
        return Err(ModelError::Corrupt("more known spam than the index holds"));
    }
    let mut near = NearDup::new(capacity as usize);
    for _ in 0..entries {
        let fingerprint = r.u64()?;
        let id = r.varint()?;
        near.insert_with_id(fingerprint, id);
    }
    if near.next_id() > next_id {
        return Err(ModelError::Corrupt("a known spam id is beyond the next id"));
    }
    near.set_next_id(next_id);
    if !r.is_empty() {
        return Err(ModelError::Corrupt("unexpected bytes after the index"));
    }

    Ok(Model {
        bayes: Bayes::from_counts(bits, alpha, min_evidence, counts),
        near,
        calibration,
        threshold,
        threshold_log_odds: logit(threshold),
    })
}

/// The feature hashes of a text and its fingerprint.
fn analyze(text: &str) -> (Vec<u64>, Option<u64>) {
    let mut hashes = Vec::with_capacity(text.len() * 3 + 8);
    let mut sim = SimHasher::new();
    tokenize::scan(text, |f| hashes.push(f.hash), |shingle| sim.add(shingle));
    (hashes, sim.finish())
}

fn valid_threshold(t: f32) -> f32 {
    if t.is_nan() { 0.5 } else { t.clamp(0.0, 1.0) }
}

#[inline]
fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Inverse of [`sigmoid`]; ±infinity at 1 and 0.
#[inline]
fn logit(p: f32) -> f32 {
    (p / (1.0 - p)).ln()
}
