//! Han characters: which characters count as CJK, and traditional to
//! simplified folding.
//!
//! The table is OpenCC's `TSCharacters.txt` (Apache-2.0), as shipped by the
//! `hanconv` crate. Only its character table is used, one character to one
//! character: phrase tables would make one output character come from
//! several input characters in ways that depend on context, and keyword
//! matching gains almost nothing from them. It is turned once into a bitmap
//! (is there a mapping at all?) over the main ideograph blocks plus a sorted
//! array, so a simplified character, the common case, costs one bit test.

use std::sync::OnceLock;

/// The part of the BMP the bitmap covers: CJK Extension A and the URO.
const DENSE_START: u32 = 0x3400;
const DENSE_END: u32 = 0x9FFF;

/// Traditional → simplified, character by character.
#[derive(Debug)]
pub(super) struct T2s {
    /// One bit per code point of `DENSE_START..=DENSE_END`: has a mapping.
    dense: Vec<u64>,
    /// All mappings, sorted by the traditional character.
    pairs: Vec<(char, char)>,
}

impl T2s {
    /// The simplified form of `c`, or `c`.
    #[inline]
    pub(super) fn simplify(&self, c: char) -> char {
        let cp = c as u32;
        if (DENSE_START..=DENSE_END).contains(&cp) {
            let idx = (cp - DENSE_START) as usize;
            let word = self.dense.get(idx / 64).copied().unwrap_or(0);
            if word >> (idx % 64) & 1 == 0 {
                return c;
            }
        }
        match self.pairs.binary_search_by_key(&c, |p| p.0) {
            Ok(i) => self.pairs.get(i).map_or(c, |p| p.1),
            Err(_) => c,
        }
    }
}

/// OpenCC's character table. Evaluated at compile time so that only this
/// table, not every dictionary the crate ships (over a megabyte of phrase
/// tables), ends up in the binary.
const TS_CHARACTERS: &str = hanconv::RawDictionary::TSCharacters.text();

/// The table, built on first use (about 4 000 entries, well under a
/// millisecond).
pub(super) fn t2s() -> &'static T2s {
    static TABLE: OnceLock<T2s> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> T2s {
    let single = |s: &str| {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    };
    let mut pairs: Vec<(char, char)> = TS_CHARACTERS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            // `traditional<TAB>simplified [alternatives…]`: the first
            // simplified form is the standard one.
            let mut fields = line.split_whitespace();
            Some((single(fields.next()?)?, single(fields.next()?)?))
        })
        .filter(|(from, to)| from != to)
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    // A few entries chain (薴 → 苧 → 苎); follow them so that folding twice
    // gives what folding once gives. The step limit guards against cycles.
    let lookup = pairs.clone();
    for pair in &mut pairs {
        for _ in 0..4 {
            match lookup.binary_search_by_key(&pair.1, |p| p.0) {
                Ok(i) if lookup.get(i).is_some_and(|next| next.1 != pair.0) => {
                    if let Some(next) = lookup.get(i) {
                        pair.1 = next.1;
                    }
                }
                _ => break,
            }
        }
    }
    let words = ((DENSE_END - DENSE_START) as usize + 1).div_ceil(64);
    let mut dense = vec![0u64; words];
    for &(from, _) in &pairs {
        let cp = from as u32;
        if (DENSE_START..=DENSE_END).contains(&cp) {
            let idx = (cp - DENSE_START) as usize;
            if let Some(word) = dense.get_mut(idx / 64) {
                *word |= 1 << (idx % 64);
            }
        }
    }
    T2s { dense, pairs }
}

/// Han ideographs (unified blocks and their extensions). They have no
/// compatibility decomposition, so the normalizer can skip NFKC for them.
#[inline]
pub(super) fn is_han(c: char) -> bool {
    let cp = c as u32;
    // Everything below U+3400 (all alphabets) is answered by one compare.
    cp >= 0x3400 && matches!(cp, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x323AF)
}

/// Characters of scripts written without spaces between words: Han and
/// kana. Separators between two of them carry no meaning for matching.
#[inline]
pub(super) fn is_unspaced(c: char) -> bool {
    let cp = c as u32;
    cp >= 0x3040 && (is_han(c) || matches!(cp, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xF900..=0xFAFF))
}

/// CJK as the engine's word-boundary rule sees it: not part of a
/// space-separated word. Must agree with `keywords::is_cjk`.
#[inline]
pub(super) fn is_cjk(c: char) -> bool {
    let cp = c as u32;
    cp >= 0x3040
        && matches!(cp,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_traditional_characters() {
        let t = t2s();
        let folded: String = "維護髮財聯繫後臺".chars().map(|c| t.simplify(c)).collect();
        assert_eq!(folded, "维护发财联系后台");
        let folded: String = "简体中文保持不变".chars().map(|c| t.simplify(c)).collect();
        assert_eq!(folded, "简体中文保持不变");
    }

    #[test]
    fn folding_is_idempotent_over_the_whole_table() {
        let t = t2s();
        assert!(t.pairs.len() > 3000);
        for &(from, to) in &t.pairs {
            assert_eq!(t.simplify(t.simplify(from)), to, "{from}");
            assert_eq!(t.simplify(to), to, "{from} → {to}");
        }
    }
}
