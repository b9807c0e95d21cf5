//! SimHash fingerprints: 64 bits per text such that texts sharing most of
//! their shingles (character n-grams of their letters and digits, see
//! `tokenize::for_each_shingle`) differ in few bits.
//!
//! Bit `b` of the fingerprint is set when more than half of the text's
//! shingles ("grams" below) have bit `b` set in their (mixed) hash. Counting per bit is done
//! "bit-sliced": the 64 counters live across several words, one word per
//! counter bit, so adding a gram's hash to all 64 counters is a carry
//! rippling through a few words instead of 64 additions. A small 4-bit
//! counter takes each gram without any branch and is poured into the wide
//! one every 15 grams, so fingerprinting costs a few nanoseconds per gram,
//! cheap enough to do on every message.

use crate::tokenize::{self, fmix};

/// Bits of each per-bit counter; 2^32 grams is more than any message has.
const PLANES: usize = 32;
/// Bits of the small counter, and how many grams it holds before it must
/// be poured into the wide one.
const SMALL: usize = 4;
const SMALL_MAX: u32 = (1 << SMALL) - 1;

/// Fewer grams than this and a text gets no fingerprint: in a text this
/// short ("hello everyone") a few edits change most grams, and short
/// greetings must not become "known spam" when a spammer's hello is marked.
/// (One shingle per letter or digit goes in, so this is about 16 of them.)
pub const MIN_GRAMS: u32 = 16;

/// Accumulates gram hashes into a fingerprint.
#[derive(Debug, Clone)]
pub struct SimHasher {
    planes: [u64; PLANES],
    small: [u64; SMALL],
    in_small: u32,
    grams: u32,
    last: u64,
}

impl Default for SimHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl SimHasher {
    /// An empty accumulator.
    pub fn new() -> Self {
        SimHasher {
            planes: [0; PLANES],
            small: [0; SMALL],
            in_small: 0,
            grams: 0,
            last: 0,
        }
    }

    /// Counts one gram hash. The same hash straight again is not counted:
    /// a run of one character ("0000000000", "哈哈哈哈") gives the same gram
    /// over and over, and counted each time it would outvote the rest of
    /// the text, so that any two texts with a phone number look alike.
    #[inline(always)]
    pub fn add(&mut self, hash: u64) {
        if hash == self.last {
            return;
        }
        self.last = hash;
        // Gram hashes are strong in their top bits only; spread them.
        let mut carry = fmix(hash);
        for plane in &mut self.small {
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
        }
        self.in_small += 1;
        self.grams = self.grams.saturating_add(1);
        if self.in_small == SMALL_MAX {
            self.pour();
        }
    }

    /// Adds the small counters into the wide ones and empties them.
    fn pour(&mut self) {
        for k in 0..SMALL {
            let mut carry = std::mem::take(&mut self.small[k]);
            for plane in &mut self.planes[k..] {
                if carry == 0 {
                    break;
                }
                let next = *plane & carry;
                *plane ^= carry;
                carry = next;
            }
        }
        self.in_small = 0;
    }

    /// Grams counted so far.
    pub fn grams(&self) -> u32 {
        self.grams
    }

    /// The fingerprint, or `None` for fewer than [`MIN_GRAMS`] grams.
    pub fn finish(&self) -> Option<u64> {
        self.clone().into_fingerprint()
    }

    /// [`SimHasher::finish`], using up the accumulator instead of a copy.
    pub(crate) fn into_fingerprint(mut self) -> Option<u64> {
        (self.grams >= MIN_GRAMS).then(|| {
            self.pour();
            self.majority()
        })
    }

    /// Bits whose counter exceeds half the grams, compared bit-sliced from
    /// the most significant counter bit down.
    fn majority(&self) -> u64 {
        let half = self.grams / 2;
        let mut greater = 0u64;
        let mut equal = !0u64;
        // No counter exceeds the number of grams, so the planes above its
        // highest bit are empty, as are those bits of `half`: comparing
        // them would change nothing.
        let used = (u32::BITS - self.grams.leading_zeros()) as usize;
        let planes = self.planes.get(..used).unwrap_or(&self.planes);
        for (i, &plane) in planes.iter().enumerate().rev() {
            if (half >> i) & 1 == 1 {
                equal &= plane;
            } else {
                greater |= equal & plane;
                equal &= !plane;
            }
        }
        greater
    }
}

/// The fingerprint of a text, or `None` if it is too short to have one.
/// Made of the text's shingles ([`tokenize::for_each_shingle`]): letters
/// and digits only, links and handles left out.
pub fn fingerprint(text: &str) -> Option<u64> {
    let mut h = SimHasher::new();
    tokenize::for_each_shingle(text, |s| h.add(s));
    h.finish()
}

/// Number of differing bits.
#[inline]
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain, 64-counter SimHash the bit-sliced one must equal.
    fn reference(hashes: &[u64]) -> u64 {
        let mut counts = [0u32; 64];
        for h in hashes.iter().map(|&h| fmix(h)) {
            for (b, count) in counts.iter_mut().enumerate() {
                *count += ((h >> b) & 1) as u32;
            }
        }
        let half = hashes.len() as u32 / 2;
        let mut out = 0;
        for (b, &count) in counts.iter().enumerate() {
            if count > half {
                out |= 1 << b;
            }
        }
        out
    }

    #[test]
    fn bit_sliced_counting_matches_plain_counting() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for n in [16usize, 17, 100, 257, 1000] {
            let hashes: Vec<u64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Skewed bits, so that some counters sit near the half.
                    x & (x >> 1) | (x & 0xF0F0)
                })
                .collect();
            let mut h = SimHasher::new();
            hashes.iter().for_each(|&v| h.add(v));
            assert_eq!(h.finish(), Some(reference(&hashes)), "n = {n}");
        }
    }

    #[test]
    fn a_phone_number_does_not_make_texts_alike() {
        let a = fingerprint("快递单号是587658660123，麻烦帮我查一下现在到哪里了");
        let b = fingerprint("Call 09058094583 now to claim your prize, 18+ only");
        let (Some(a), Some(b)) = (a, b) else {
            panic!("both have fingerprints");
        };
        assert!(distance(a, b) > 10, "{} bits apart", distance(a, b));
    }

    #[test]
    fn short_texts_have_no_fingerprint() {
        assert_eq!(fingerprint("hello everyone"), None);
        assert_eq!(fingerprint(""), None);
    }

    #[test]
    fn edits_move_few_bits_and_other_texts_many() {
        // Another link, amount and decoration, as in the next copy of a
        // spam wave.
        let spam = "Crypto airdrop! Claim 500 free USDT now at https://claim-airdrop.example/x7Kp2q before it ends";
        let edited = "🚀 Crypto airdrop!!! Claim 300 free USDT now at https://claim-drop.example/Qm93zz before it ends";
        let other =
            "Has anyone tried the new borrow checker diagnostics in nightly? They look much better";
        let (Some(a), Some(b), Some(c)) =
            (fingerprint(spam), fingerprint(edited), fingerprint(other))
        else {
            panic!("long texts have fingerprints");
        };
        assert!(
            distance(a, b) <= 3,
            "edited copy is {} bits away",
            distance(a, b)
        );
        assert!(
            distance(a, c) > 10,
            "unrelated text is {} bits away",
            distance(a, c)
        );
    }
}
