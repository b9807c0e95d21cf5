//! The classifier's hot path: the features and shingles of a text, as
//! [`tokenize::scan`](crate::tokenize) gives them, without their byte ranges.
//!
//! `scan` serves explanations too, so it carries every feature's byte range
//! (a ring of character starts, the first range of each signal) and goes
//! through one generic loop for both gram lengths. Classifying needs none of
//! that: only the hashes, in the same order, and whether each signal
//! occurred. This module is the same pass written for that, with the grams
//! of CJK and of other characters unrolled, and the SimHash fingerprint
//! started only once a text has enough shingles to get one (most messages
//! are shorter). The tests check that both passes agree exactly.

use crate::simhash::{MIN_GRAMS, SimHasher};
use crate::tokenize::{
    CHAR_BITS, Folded, GRAM_SEEDS, SHINGLE_SEEDS, SPACE, Signal, fold, gram, is_emoji, markers,
};

/// What one pass over a text gives.
pub(crate) struct Scored {
    /// The signals present, as bits by [`Signal`] index.
    pub(crate) signals: u8,
    /// The SimHash fingerprint of the shingles, if asked for and there are
    /// enough of them.
    pub(crate) fingerprint: Option<u64>,
}

/// Calls `on_gram` with the hash of every gram of `text` in order, and
/// returns the signals present and (when `fingerprint` is set) the
/// fingerprint. The signals' hashes are the caller's to add after the grams,
/// in [`Signal::ALL`] order, as `scan` emits them.
#[inline]
pub(crate) fn score(text: &str, fingerprint: bool, mut on_gram: impl FnMut(u64)) -> Scored {
    let markers = markers();
    let mut grams = Grams::new();
    let mut shingles = Shingles::new(fingerprint);
    let mut signals = 0u8;
    // The stream (see `tokenize::Stream`): a space is pending, the last
    // character was a (virtual) space, the last character was CJK.
    let mut pending_space = false;
    let mut last_was_space = true;
    let mut last_wide = false;
    let mut word = Word::default();
    let mut in_link = false;
    // The grams one character makes (a space's before its own), gathered
    // so that one loop looks them up: one copy of that code, not four.
    let mut made = [0u64; 5];
    for c in text.chars() {
        let folded = fold(c);
        if word.step(c, folded) {
            signals |= bit(Signal::MixedScript);
        }
        if !c.is_ascii() && is_emoji(c) {
            signals |= bit(Signal::Emoji);
        }
        let (c32, wide) = match folded {
            Folded::Skip => continue,
            Folded::Space => {
                pending_space = true;
                continue;
            }
            Folded::Char { c, wide } => (c, wide),
        };
        // Chinese puts no spaces between words, so a space between two CJK
        // characters is a disguise, not a break.
        let space_before =
            std::mem::take(&mut pending_space) && !last_was_space && !(last_wide && wide);
        last_was_space = c32 == SPACE;
        last_wide = wide;
        let mut n = 0;
        if space_before {
            n = grams.push_narrow(SPACE, &mut made, n);
            // A link or handle ends at a space.
            in_link = false;
        }
        let spaces = n;
        in_link |= c == '@';
        n = if wide {
            grams.push_wide(c32, &mut made, n)
        } else {
            grams.push_narrow(c32, &mut made, n)
        };
        for (k, &hash) in made.iter().enumerate().take(n) {
            if let Some(signal) = markers.get(hash) {
                signals |= bit(signal);
                // As in `scan`: a link marker in the space's grams was
                // forgotten at the space; one in this character's counts.
                in_link |= signal == Signal::Link && k >= spaces;
            }
            on_gram(hash);
        }
        if !in_link {
            shingles.push(c32, wide);
        }
    }
    if word.finish() {
        signals |= bit(Signal::MixedScript);
    }
    if !last_was_space {
        let n = grams.push_narrow(SPACE, &mut made, 0);
        for &hash in made.iter().take(n) {
            if let Some(signal) = markers.get(hash) {
                signals |= bit(signal);
            }
            on_gram(hash);
        }
    }
    Scored {
        signals,
        fingerprint: shingles.finish(),
    }
}

/// The bit of a signal in [`Scored::signals`].
#[inline(always)]
pub(crate) fn bit(signal: Signal) -> u8 {
    1 << signal as u8
}

/// The grams of the last characters (see `tokenize::Grams`), one method per
/// kind of character so that the lengths are constants.
struct Grams {
    window: u128,
    /// The grams made at the previous character, and whether it was CJK.
    last: [u64; 3],
    last_wide: bool,
    seen: usize,
}

impl Grams {
    fn new() -> Self {
        let mut g = Grams {
            window: 0,
            last: [0; 3],
            last_wide: false,
            seen: 0,
        };
        // The virtual space before the text.
        g.push_narrow(SPACE, &mut [0; 5], 0);
        g
    }

    #[inline(always)]
    fn shift(&mut self, c: u32) -> u128 {
        self.window = (self.window << CHAR_BITS) | u128::from(c);
        self.seen += 1;
        self.window
    }

    /// A CJK character: grams of 1 to 3 characters, written to `out` from
    /// `n` on; returns where they end. A gram equal to the one of the same
    /// length just before (a run of one character) is not made again.
    #[inline(always)]
    fn push_wide(&mut self, c: u32, out: &mut [u64; 5], mut n: usize) -> usize {
        let w = self.shift(c);
        let h = [
            gram(w, 1, GRAM_SEEDS),
            gram(w, 2, GRAM_SEEDS),
            gram(w, 3, GRAM_SEEDS),
        ];
        let last = if self.last_wide { self.last } else { [0; 3] };
        self.last = h;
        self.last_wide = true;
        for (k, (&hash, &before)) in h.iter().zip(&last).enumerate() {
            if self.seen > k && hash != before {
                if let Some(slot) = out.get_mut(n) {
                    *slot = hash;
                }
                n += 1;
            }
        }
        n
    }

    /// Any other character: grams of 4 and 5 characters.
    #[inline(always)]
    fn push_narrow(&mut self, c: u32, out: &mut [u64; 5], mut n: usize) -> usize {
        let w = self.shift(c);
        let h4 = gram(w, 4, GRAM_SEEDS);
        let h5 = gram(w, 5, GRAM_SEEDS);
        let (l4, l5) = if self.last_wide {
            (0, 0)
        } else {
            (self.last[0], self.last[1])
        };
        self.last = [h4, h5, 0];
        self.last_wide = false;
        if self.seen >= 4 && h4 != l4 {
            if let Some(slot) = out.get_mut(n) {
                *slot = h4;
            }
            n += 1;
        }
        if self.seen >= 5 && h5 != l5 {
            if let Some(slot) = out.get_mut(n) {
                *slot = h5;
            }
            n += 1;
        }
        n
    }
}

/// The shingles (see `tokenize::Shingles`) into a SimHash. The first
/// [`MIN_GRAMS`] are only kept: a text with fewer gets no fingerprint, and
/// most messages are that short.
struct Shingles {
    wanted: bool,
    window: u128,
    seen: usize,
    /// The first shingles, without straight repeats (which `SimHasher`
    /// would skip too).
    first: [u64; MIN_GRAMS as usize],
    kept: usize,
    hasher: Option<SimHasher>,
}

impl Shingles {
    fn new(wanted: bool) -> Self {
        Shingles {
            wanted,
            window: 0,
            seen: 0,
            first: [0; MIN_GRAMS as usize],
            kept: 0,
            hasher: None,
        }
    }

    #[inline(always)]
    fn push(&mut self, c: u32, wide: bool) {
        if !self.wanted {
            return;
        }
        let letter_or_digit = wide
            || matches!(c, 0x30..=0x39 | 0x61..=0x7A)
            || (0xC0..0x2000).contains(&c) && c != 0xD7 && c != 0xF7;
        if !letter_or_digit {
            return;
        }
        self.window = (self.window << CHAR_BITS) | u128::from(c);
        self.seen += 1;
        let n = if wide { 2 } else { 4 };
        if self.seen >= n {
            self.add(gram(self.window, n, SHINGLE_SEEDS));
        }
    }

    #[inline(always)]
    fn add(&mut self, hash: u64) {
        if let Some(hasher) = &mut self.hasher {
            hasher.add(hash);
            return;
        }
        // The hasher starts from 0 as the hash before the first.
        let last = self.kept.checked_sub(1).map_or(0, |i| self.first[i]);
        if hash == last {
            return;
        }
        if let Some(slot) = self.first.get_mut(self.kept) {
            *slot = hash;
            self.kept += 1;
            return;
        }
        let mut hasher = SimHasher::new();
        for &h in &self.first {
            hasher.add(h);
        }
        hasher.add(hash);
        self.hasher = Some(hasher);
    }

    fn finish(&mut self) -> Option<u64> {
        match self.hasher.take() {
            Some(hasher) => hasher.into_fingerprint(),
            None if self.kept >= MIN_GRAMS as usize => {
                let mut hasher = SimHasher::new();
                for &h in &self.first {
                    hasher.add(h);
                }
                hasher.into_fingerprint()
            }
            None => None,
        }
    }
}

/// Whether a word (see `tokenize::Word`) mixed Latin and Cyrillic letters.
#[derive(Default)]
struct Word {
    latin: bool,
    cyrillic: bool,
}

impl Word {
    /// Feeds one original character; true when a word that mixed scripts
    /// just ended.
    #[inline(always)]
    fn step(&mut self, c: char, folded: Folded) -> bool {
        match c {
            'a'..='z' | 'A'..='Z' => self.latin = true,
            '0'..='9' => {}
            '\u{0400}'..='\u{04FF}' => self.cyrillic = true,
            _ if folded == Folded::Skip => {}
            _ => return self.finish(),
        }
        false
    }

    fn finish(&mut self) -> bool {
        let mixed = self.latin && self.cyrillic;
        self.latin = false;
        self.cyrillic = false;
        mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::{FeatureKind, scan};

    /// What one pass gives: the grams, the signals, the fingerprint.
    type Pass = (Vec<u64>, u8, Option<u64>);

    /// Both passes over `text`: the full scan's, then the hot path's.
    fn both(text: &str) -> (Pass, Pass) {
        let mut slow_grams = Vec::new();
        let mut slow_signals = 0u8;
        let mut sim = SimHasher::new();
        scan(
            text,
            |f| match f.kind {
                FeatureKind::Gram(_) => slow_grams.push(f.hash),
                FeatureKind::Signal(s) => slow_signals |= bit(s),
            },
            |s| sim.add(s),
        );
        let mut fast_grams = Vec::new();
        let fast = score(text, true, |h| fast_grams.push(h));
        (
            (slow_grams, slow_signals, sim.finish()),
            (fast_grams, fast.signals, fast.fingerprint),
        )
    }

    #[test]
    fn the_hot_path_agrees_with_the_full_scan() {
        let texts = [
            "",
            " ",
            "a",
            "ok",
            "哈哈哈哈哈哈哈哈",
            "!!!!!!!!!!",
            "好a好",
            "加 微 信 abc 领红包",
            "Зaрaботок от 5000 в день, пиши в лс",
            "Crypto airdrop! Claim 500 free USDT now at https://claim.example/x7Kp2q 🚀",
            "@bot_one hello @another, see t.me/free_usdt",
            "fr\u{200B}ee 𝐅𝐫𝐞𝐞 ⓜⓞⓝⓔⓨ ＤＭ ｍｅ",
            "大家好，今天的咖啡很好喝，周末一起去新店吗？有人一起吗？我们可以一起去",
            "Rust-разработчик aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0000000000000",
            "ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab",
            "  leading and trailing   ",
        ];
        for text in texts {
            let (slow, fast) = both(text);
            assert_eq!(slow, fast, "{text:?}");
        }
    }

    #[test]
    fn the_hot_path_agrees_on_generated_text() {
        // Characters from every branch of the folding, in every order.
        let alphabet: Vec<char> =
            "aZ0 9@.:/-_!哈加微信ＡｂｃДжёЁ\u{200B}\u{0301}🚀☀𝐅ⓜ\t\n\u{3000}é"
                .chars()
                .collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..200 {
            let text: String = (0..len % 60)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            let (slow, fast) = both(&text);
            assert_eq!(slow, fast, "{text:?}");
        }
    }
}
