//! Multinomial naive Bayes over hashed features.
//!
//! Features are hashed into `2^bits` buckets; each bucket counts how often
//! its features occurred in spam and in ham. With Laplace (add-α) smoothing
//! the log-likelihood ratio of one occurrence of a feature in bucket `i` is
//!
//! ```text
//! ln P(i|spam) − ln P(i|ham)
//!   = [ln(spam[i] + α) − ln(ham[i] + α)]  +  [ln(H + αV) − ln(S + αV)]
//!   =           weight[i]                 +            bias
//! ```
//!
//! where `S` and `H` are the total feature counts per class and `V` the
//! number of buckets. The first part depends only on the bucket and is kept
//! in a table, updated bucket by bucket as the model learns; the second is
//! one number for the whole model. Scoring a text is then one array load
//! per feature. A feature never seen in either class has weight 0.
//!
//! The weight table is what every message reads, at random places, so it
//! is kept small: one byte per bucket, in steps of 1/12 (±10.6). At 2^18
//! buckets that is 256 KB, which stays in a core's L2 cache; as `f32` it was
//! four times that and lookups missing the cache were most of the time spent
//! classifying. The rounding moves a message's score by far less than the
//! differences that matter.
//!
//! Features whose whole log-likelihood ratio is weaker than `min_evidence`
//! are left out of the score. Most character n-grams are common to spam and
//! ham ("the", "что", "我们") and each leans a little one way; in a long
//! message hundreds of such leans add up and drown the few grams that
//! matter. Dropping them improved recall at a fixed false-positive rate on
//! the public corpora by about three points (cross-validated in the
//! trainer's `--sweep`). The default (1.0) keeps a gram seen once in one
//! class only, so a single admin decision still teaches something.
//!
//! There is deliberately no class prior: admins mark spam far more often
//! than they mark "not spam", and a prior learned from their marks would
//! drift towards calling everyone a spammer. The model's calibration (in
//! `model.rs`) sets the offset instead.

/// The count tables and their derived weights.
#[derive(Clone)]
pub(crate) struct Bayes {
    bits: u8,
    alpha: f32,
    min_evidence: f32,
    spam: Vec<u32>,
    ham: Vec<u32>,
    /// `round(weight * WEIGHT_STEPS)`, saturated.
    weights: Vec<i8>,
    spam_total: u64,
    ham_total: u64,
    bias: f32,
    /// What each weight value adds to a score: `weight / WEIGHT_STEPS +
    /// bias`, or 0 below `min_evidence`. Rebuilt when the bias changes;
    /// 1 KB, so it stays in L1 and scoring is a load and an add.
    evidence: [f32; 256],
}

/// Weight table steps per unit of log-likelihood ratio.
const WEIGHT_STEPS: f32 = 12.0;

/// Smallest and largest supported table sizes (in bits of bucket index).
pub(crate) const MIN_BITS: u8 = 10;
pub(crate) const MAX_BITS: u8 = 24;

impl Bayes {
    /// Empty tables of `2^bits` buckets (`bits` clamped to the supported
    /// range), smoothing `alpha` (> 0) and the weakest evidence counted
    /// (>= 0).
    pub(crate) fn new(bits: u8, alpha: f32, min_evidence: f32) -> Self {
        let bits = bits.clamp(MIN_BITS, MAX_BITS);
        let alpha = if alpha.is_finite() && alpha > 0.0 {
            alpha
        } else {
            1.0
        };
        let min_evidence = if min_evidence.is_finite() {
            min_evidence.max(0.0)
        } else {
            0.0
        };
        let n = 1usize << bits;
        let mut b = Bayes {
            bits,
            alpha,
            min_evidence,
            spam: vec![0; n],
            ham: vec![0; n],
            weights: vec![0; n],
            spam_total: 0,
            ham_total: 0,
            bias: 0.0,
            evidence: [0.0; 256],
        };
        b.update_bias();
        b
    }

    /// Tables from stored counts: `(bucket, spam, ham)` triples.
    pub(crate) fn from_counts(
        bits: u8,
        alpha: f32,
        min_evidence: f32,
        counts: impl IntoIterator<Item = (usize, u32, u32)>,
    ) -> Self {
        let mut b = Bayes::new(bits, alpha, min_evidence);
        for (i, s, h) in counts {
            if i < b.spam.len() {
                b.spam[i] = s;
                b.ham[i] = h;
                b.spam_total += u64::from(s);
                b.ham_total += u64::from(h);
                b.update_weight(i);
            }
        }
        b.update_bias();
        b
    }

    pub(crate) fn bits(&self) -> u8 {
        self.bits
    }

    pub(crate) fn alpha(&self) -> f32 {
        self.alpha
    }

    pub(crate) fn min_evidence(&self) -> f32 {
        self.min_evidence
    }

    /// Number of buckets.
    pub(crate) fn buckets(&self) -> usize {
        self.weights.len()
    }

    /// Buckets with any count, as `(bucket, spam, ham)`, in bucket order.
    pub(crate) fn counts(&self) -> impl Iterator<Item = (usize, u32, u32)> + '_ {
        self.spam
            .iter()
            .zip(&self.ham)
            .enumerate()
            .filter(|(_, (s, h))| **s != 0 || **h != 0)
            .map(|(i, (&s, &h))| (i, s, h))
    }

    /// Total feature occurrences learned as spam and as ham.
    pub(crate) fn totals(&self) -> (u64, u64) {
        (self.spam_total, self.ham_total)
    }

    #[inline]
    fn bucket(&self, hash: u64) -> usize {
        (hash >> (64 - u32::from(self.bits))) as usize
    }

    /// What one occurrence of a feature adds to the score: its
    /// log-likelihood ratio, or 0 if that is weaker than `min_evidence`.
    #[inline(always)]
    pub(crate) fn evidence(&self, hash: u64) -> f32 {
        self.evidence[self.weights[self.bucket(hash)] as u8 as usize]
    }

    /// Adds (or with `remove`, takes back) one message's features.
    /// Removing never takes a count below zero.
    pub(crate) fn update(&mut self, hashes: &[u64], spam: bool, remove: bool) {
        for &hash in hashes {
            let i = self.bucket(hash);
            let (count, total) = if spam {
                (&mut self.spam[i], &mut self.spam_total)
            } else {
                (&mut self.ham[i], &mut self.ham_total)
            };
            if remove {
                if *count > 0 {
                    *count -= 1;
                    *total -= 1;
                }
            } else if *count < u32::MAX {
                *count += 1;
                *total += 1;
            }
            self.update_weight(i);
        }
        self.update_bias();
    }

    fn update_weight(&mut self, i: usize) {
        let a = f64::from(self.alpha);
        let w = (f64::from(self.spam[i]) + a).ln() - (f64::from(self.ham[i]) + a).ln();
        self.weights[i] = (w * f64::from(WEIGHT_STEPS)).round().clamp(-127.0, 127.0) as i8;
    }

    fn update_bias(&mut self) {
        let av = f64::from(self.alpha) * self.weights.len() as f64;
        self.bias = ((self.ham_total as f64 + av).ln() - (self.spam_total as f64 + av).ln()) as f32;
        for (byte, slot) in self.evidence.iter_mut().enumerate() {
            let e = f32::from(byte as u8 as i8) / WEIGHT_STEPS + self.bias;
            *slot = if e.abs() >= self.min_evidence { e } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_counts() {
        let mut b = Bayes::new(10, 1.0, 0.0);
        let spammy = 0xAAAA_0000_0000_0000u64;
        let hammy = 0x5555_0000_0000_0000u64;
        let unseen = 0x1234_0000_0000_0000u64;
        assert_eq!(b.evidence(spammy), 0.0);
        b.update(&[spammy, spammy, spammy], true, false);
        b.update(&[hammy], false, false);
        let bias = b.bias;
        // Within the table's rounding (half a step).
        assert!((b.evidence(spammy) - (4f32.ln() + bias)).abs() < 0.5 / WEIGHT_STEPS);
        assert!((b.evidence(hammy) - (-(2f32.ln()) + bias)).abs() < 0.5 / WEIGHT_STEPS);
        assert_eq!(b.totals(), (3, 1));
        // More spam than ham overall: an unseen feature leans to ham.
        assert!(b.evidence(unseen) < 0.0);
        b.update(&[spammy, spammy, spammy, spammy], true, true);
        assert_eq!(b.totals(), (0, 1));
        assert!((b.evidence(spammy) - b.bias).abs() < 1e-6);
    }

    #[test]
    fn weak_evidence_is_left_out() {
        let mut b = Bayes::new(10, 1.0, 1.0);
        let once = 0xAAAA_0000_0000_0000u64;
        let often = 0x5555_0000_0000_0000u64;
        let both = 0x3333_0000_0000_0000u64;
        b.update(&[once, often, often, often, both], true, false);
        b.update(&[both], false, false);
        // ln(2/1) and ln(2/2) are below 1; ln(4/1) is not.
        assert_eq!(b.evidence(once), 0.0);
        assert_eq!(b.evidence(both), 0.0);
        assert!(b.evidence(often) > 1.0);
        // With the default smoothing a single sighting is enough.
        let mut b = Bayes::new(10, 0.5, 1.0);
        b.update(&[once], true, false);
        assert!(b.evidence(once) > 1.0);
    }

    #[test]
    fn from_counts_rebuilds_the_same_tables() {
        let mut b = Bayes::new(12, 0.5, 0.5);
        b.update(&[1 << 60, 7 << 58, 1 << 60], true, false);
        b.update(&[3 << 59], false, false);
        let again = Bayes::from_counts(12, 0.5, 0.5, b.counts());
        assert_eq!(
            again.counts().collect::<Vec<_>>(),
            b.counts().collect::<Vec<_>>()
        );
        assert_eq!(again.totals(), b.totals());
        assert_eq!(again.bias, b.bias);
        assert_eq!(again.evidence(1 << 60), b.evidence(1 << 60));
    }
}
