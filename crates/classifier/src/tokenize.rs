//! Features of a message, without word segmentation.
//!
//! Chinese has no spaces between words and spammers break words in every
//! script, so instead of words the classifier looks at short runs of
//! characters (n-grams) of a normalized character stream:
//!
//! * Normalization folds what spammers vary and readers do not notice:
//!   case, fullwidth forms (`ＤＭ` → `dm`), "bold" mathematical letters and
//!   circled letters, Cyrillic letters that look Latin (`Зaрaбoтoк` and
//!   `Заработок` read the same), every digit becomes `0` (amounts and phone
//!   numbers vary), invisible characters (zero-width spaces, joiners,
//!   combining marks) disappear, runs of whitespace become one space and a
//!   space between two CJK characters (`加 微 信`) disappears.
//! * The stream starts and ends with a virtual space, so word starts and
//!   ends are part of the grams and even "ok" has features.
//! * After a CJK character (Han, kana, Hangul) the grams of 1 to 3
//!   characters end there (a CJK character carries about as much as a short
//!   word); after any other character, the grams of 4 and 5 characters
//!   (with the spaces around them, a 4-gram holds a two-letter word: " dm ").
//!   Grams of 3 as well cost a third more time and did no better in
//!   cross-validation on the public corpora.
//! * A gram that repeats the one just before it (in a run of one
//!   character) is not emitted again.
//! * A few cheap [`Signal`]s (a link, a long number, a contact word, a word
//!   mixing Latin and Cyrillic letters, emoji) are features too, counted once
//!   per message.
//!
//! Every feature is a 64-bit hash (its top bits pick the naive Bayes bucket;
//! SimHash mixes it further and uses all 64) with the byte range of the
//! original text it came from, so explanations can point at the words. The hashes are part of the
//! stored model's format: any change here must bump [`FEATURE_SCHEME`].

use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

/// Version of the feature extraction. A model stores the scheme it was
/// trained with and refuses to load under another one.
pub const FEATURE_SCHEME: u16 = 1;

/// The longest gram, in characters.
const MAX_GRAM: usize = 5;
/// Byte starts of the last characters; must exceed [`MAX_GRAM`].
const RING: usize = 8;
/// Start of every gram hash.
const SEED: u64 = 0x243f_6a88_85a3_08d3;
/// The space character, as the grams see it.
const SPACE: u32 = b' ' as u32;

/// A cheap whole-message signal, used as a feature next to the grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Something that looks like a link (`http`, `www.`, `t.me/`, `.com`, ...).
    Link,
    /// Five or more digits in a row (phone numbers, QQ numbers, amounts).
    LongNumber,
    /// A contact word (微信, QQ, "DM me", "в лс", WhatsApp, ...).
    Contact,
    /// A word with both Latin and Cyrillic letters, the look-alike trick.
    MixedScript,
    /// An emoji.
    Emoji,
}

impl Signal {
    /// All signals, in the order they are emitted.
    pub const ALL: [Signal; 5] = [
        Signal::Link,
        Signal::LongNumber,
        Signal::Contact,
        Signal::MixedScript,
        Signal::Emoji,
    ];

    /// A short name, for explanations.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Link => "link",
            Signal::LongNumber => "long_number",
            Signal::Contact => "contact",
            Signal::MixedScript => "mixed_script",
            Signal::Emoji => "emoji",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The feature hash of the signal: fixed, and far from any gram's.
    fn hash(self) -> u64 {
        fmix(0x5157_4e41_4c00_0000 ^ (self as u64 + 1))
    }
}

/// What a feature is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// A character n-gram of this many normalized characters.
    Gram(u8),
    /// A whole-message signal.
    Signal(Signal),
}

/// One feature of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    /// The feature's hash.
    pub hash: u64,
    /// Start of the original text the feature came from (bytes).
    pub start: usize,
    /// End of that text (bytes, exclusive). Can equal `start` for a gram of
    /// only the virtual spaces around the text.
    pub end: usize,
    /// A gram or a signal.
    pub kind: FeatureKind,
    /// The gram overlaps a link (from `http`, `t.me/`, `www.`, ... to the
    /// next whitespace) or an `@handle`. Spammers vary those from copy to
    /// copy, so fingerprints leave them out; the Bayes score keeps them.
    pub volatile: bool,
}

impl Feature {
    /// The byte range of the original text this feature came from.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// All features of a text, in order (signals last).
pub fn features(text: &str) -> Vec<Feature> {
    let mut out = Vec::with_capacity(text.len() * 3 + 8);
    for_each_feature(text, |f| out.push(f));
    out
}

/// The normalized character stream of a text (without the virtual spaces at
/// either end): what the grams are made of. For tests and debugging.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut stream = Stream::new();
    for (i, c) in text.char_indices() {
        if let Some(n) = stream.next(fold(c), i) {
            if n.space_before {
                out.push(' ');
            }
            out.push(char::from_u32(n.c).unwrap_or(char::REPLACEMENT_CHARACTER));
        }
    }
    out
}

/// Calls `emit` with every feature of `text`: the grams in text order, then
/// each signal present (once, with the range of its first occurrence).
///
/// Allocates nothing; this is the classifier's hot path.
#[inline]
pub fn for_each_feature(text: &str, mut emit: impl FnMut(Feature)) {
    let markers = markers();
    let mut grams = Grams::new();
    let mut stream = Stream::new();
    let mut word = Word::default();
    // First occurrence of each signal.
    let mut found: [Option<(usize, usize)>; 5] = [None; 5];
    // Inside a link or handle, until the next whitespace.
    let mut volatile = Volatile::default();
    let mut on_gram = |mut f: Feature, found: &mut [Option<(usize, usize)>; 5], volatile: &mut Volatile| {
        if let Some(signal) = markers.get(f.hash) {
            found[signal.index()].get_or_insert((f.start, f.end));
            volatile.active |= signal == Signal::Link;
        }
        f.volatile = volatile.active || f.start < volatile.ended_at;
        emit(f);
    };
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let folded = fold(c);
        if let Some(range) = word.step(c, folded, i) {
            found[Signal::MixedScript.index()].get_or_insert(range);
        }
        if is_emoji(c) {
            found[Signal::Emoji.index()].get_or_insert((i, end));
        }
        if let Some(n) = stream.next(folded, i) {
            if n.space_before {
                // The grams ending in the space still belong to the link.
                grams.push(SPACE, n.space_at, i, false, &mut |f| {
                    on_gram(f, &mut found, &mut volatile);
                });
                volatile.end(n.space_at);
            }
            volatile.active |= c == '@';
            grams.push(n.c, i, end, n.wide, &mut |f| {
                on_gram(f, &mut found, &mut volatile);
            });
        }
    }
    if let Some(range) = word.finish(text.len()) {
        found[Signal::MixedScript.index()].get_or_insert(range);
    }
    if !stream.last_was_space {
        grams.push(SPACE, text.len(), text.len(), false, &mut |f| {
            on_gram(f, &mut found, &mut volatile);
        });
    }
    for signal in Signal::ALL {
        if let Some((start, end)) = found[signal.index()] {
            emit(Feature {
                hash: signal.hash(),
                start,
                end,
                kind: FeatureKind::Signal(signal),
                volatile: false,
            });
        }
    }
}

/// The hash of `text` as one gram (all of it, no virtual spaces), as
/// [`for_each_feature`] would give it if the gram's length is one it emits.
fn gram_hash(text: &str) -> u64 {
    let mut h = SEED;
    for c in text.chars() {
        match fold(c) {
            Folded::Skip => {}
            Folded::Space => h = mix(h, SPACE),
            Folded::Char { c, .. } => h = mix(h, c),
        }
    }
    h
}

// ------------------------------------------------------------ the stream

/// A normalized character ready for the grams.
struct Normalized {
    c: u32,
    wide: bool,
    /// A (collapsed) space comes before this character.
    space_before: bool,
    /// Where that space started in the original text.
    space_at: usize,
}

/// Folds characters and collapses whitespace.
struct Stream {
    pending_space: Option<usize>,
    last_was_space: bool,
    last_wide: bool,
}

impl Stream {
    fn new() -> Self {
        // The virtual space at the start swallows leading whitespace.
        Stream {
            pending_space: None,
            last_was_space: true,
            last_wide: false,
        }
    }

    #[inline]
    fn next(&mut self, folded: Folded, at: usize) -> Option<Normalized> {
        match folded {
            Folded::Skip => None,
            Folded::Space => {
                self.pending_space.get_or_insert(at);
                None
            }
            Folded::Char { c, wide } => {
                let pending = self.pending_space.take();
                // Chinese puts no spaces between words, so a space between
                // two CJK characters is a disguise ("加 微 信"), not a break.
                let space_before = pending.is_some() && !self.last_was_space && !(self.last_wide && wide);
                self.last_was_space = c == SPACE;
                self.last_wide = wide;
                Some(Normalized {
                    c,
                    wide,
                    space_before,
                    space_at: pending.unwrap_or(at),
                })
            }
        }
    }
}

/// The rolling hashes of the grams ending at the last character.
struct Grams {
    /// `rolling[n]`: unfinished hash of the `n` characters ending at the
    /// last one (valid when `seen >= n`).
    rolling: [u64; MAX_GRAM + 1],
    starts: [usize; RING],
    seen: usize,
}

impl Grams {
    fn new() -> Self {
        let mut g = Grams {
            rolling: [0; MAX_GRAM + 1],
            starts: [0; RING],
            seen: 0,
        };
        // The virtual space before the text.
        g.push(SPACE, 0, 0, false, &mut |_| {});
        g
    }

    #[inline]
    fn push(&mut self, c: u32, start: usize, end: usize, wide: bool, emit: &mut impl FnMut(Feature)) {
        let previous = self.rolling;
        for n in (2..=MAX_GRAM).rev() {
            self.rolling[n] = mix(self.rolling[n - 1], c);
        }
        self.rolling[1] = mix(SEED, c);
        self.starts[self.seen % RING] = start;
        self.seen += 1;
        let (low, high) = if wide { (1, 3) } else { (MAX_GRAM - 1, MAX_GRAM) };
        for n in low..high.min(self.seen) + 1 {
            // In a run of one character ("哈哈哈哈哈", "!!!!!!", "000000")
            // each gram equals the one before: count it once, or a happy
            // "666666" weighs like a paragraph.
            if self.rolling[n] == previous[n] {
                continue;
            }
            emit(Feature {
                hash: self.rolling[n],
                start: self.starts[(self.seen - n) % RING],
                end,
                kind: FeatureKind::Gram(n as u8),
                volatile: false,
            });
        }
    }
}

/// Whether the grams are in a link or handle.
#[derive(Default)]
struct Volatile {
    active: bool,
    /// Where the last one ended: grams starting before it overlap it.
    ended_at: usize,
}

impl Volatile {
    fn end(&mut self, at: usize) {
        if self.active {
            self.active = false;
            self.ended_at = at;
        }
    }
}

/// Tracks the current word (a run of Latin and Cyrillic letters and
/// digits; invisible characters do not break it) for the mixed-script
/// signal.
#[derive(Default)]
struct Word {
    start: usize,
    in_word: bool,
    latin: bool,
    cyrillic: bool,
}

impl Word {
    /// Feeds one original character; returns the byte range of a word that
    /// mixed scripts and just ended.
    #[inline]
    fn step(&mut self, c: char, folded: Folded, at: usize) -> Option<(usize, usize)> {
        let (latin, cyrillic) = match c {
            'a'..='z' | 'A'..='Z' => (true, false),
            '0'..='9' => (false, false),
            '\u{0400}'..='\u{04FF}' => (false, true),
            _ if folded == Folded::Skip => (false, false),
            _ => return self.finish(at),
        };
        if !self.in_word {
            self.in_word = true;
            self.start = at;
        }
        self.latin |= latin;
        self.cyrillic |= cyrillic;
        None
    }

    /// Ends the current word at `at`.
    fn finish(&mut self, at: usize) -> Option<(usize, usize)> {
        let mixed = self.latin && self.cyrillic;
        self.in_word = false;
        self.latin = false;
        self.cyrillic = false;
        mixed.then_some((self.start, at))
    }
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

// ------------------------------------------------------------ folding

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    /// Invisible: drop it.
    Skip,
    /// Whitespace (collapsed later).
    Space,
    /// A normalized character; `wide` for CJK.
    Char { c: u32, wide: bool },
}

#[inline]
fn narrow(c: u32) -> Folded {
    Folded::Char { c, wide: false }
}

#[inline]
fn fold(c: char) -> Folded {
    if c.is_ascii() {
        fold_ascii(c as u8)
    } else {
        fold_other(c)
    }
}

#[inline]
fn fold_ascii(b: u8) -> Folded {
    match b {
        b'A'..=b'Z' => narrow(u32::from(b + 32)),
        b'0'..=b'9' => narrow(u32::from(b'0')),
        0..=0x20 | 0x7F => Folded::Space,
        _ => narrow(u32::from(b)),
    }
}

#[inline]
fn fold_other(c: char) -> Folded {
    let u = c as u32;
    match u {
        0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x3040..=0x30FF
        | 0xAC00..=0xD7AF
        | 0x20000..=0x2FA1F => Folded::Char { c: u, wide: true },
        0x0400..=0x045F => narrow(fold_cyrillic(u)),
        // Fullwidth ASCII, and Chinese punctuation with it (，！？：).
        0xFF01..=0xFF5E => fold_ascii((u - 0xFEE0) as u8),
        0x3000 => Folded::Space,
        0x00AD
        | 0x034F
        | 0x0300..=0x036F
        | 0x180E
        | 0x200B..=0x200F
        | 0x2060..=0x2064
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xE0100..=0xE01EF => Folded::Skip,
        // Mathematical bold, italic, script, ... letters: 52 per style.
        0x1D400..=0x1D6A3 => {
            let i = (u - 0x1D400) % 52;
            narrow(u32::from(b'a') + i % 26)
        }
        0x1D7CE..=0x1D7FF => narrow(u32::from(b'0')),
        // Circled, squared, negative circled and negative squared letters.
        0x24B6..=0x24CF => narrow(u32::from(b'a') + (u - 0x24B6)),
        0x24D0..=0x24E9 => narrow(u32::from(b'a') + (u - 0x24D0)),
        0x1F130..=0x1F149 => narrow(u32::from(b'a') + (u - 0x1F130)),
        0x1F150..=0x1F169 => narrow(u32::from(b'a') + (u - 0x1F150)),
        0x1F170..=0x1F189 => narrow(u32::from(b'a') + (u - 0x1F170)),
        _ if c.is_whitespace() => Folded::Space,
        _ if c.is_uppercase() => narrow(c.to_lowercase().next().map_or(u, |l| l as u32)),
        _ => narrow(u),
    }
}

/// Lowercases basic Cyrillic and folds the letters that look Latin onto
/// their Latin twins, so both spellings give the same grams.
#[inline]
fn fold_cyrillic(u: u32) -> u32 {
    let lower = match u {
        0x0410..=0x042F => u + 0x20,
        0x0400..=0x040F => u + 0x50,
        _ => u,
    };
    let latin = match lower {
        0x0430 => 'a',
        0x0432 => 'b',
        0x0435 | 0x0450 | 0x0451 => 'e',
        0x043A => 'k',
        0x043C => 'm',
        0x043D => 'h',
        0x043E => 'o',
        0x0440 => 'p',
        0x0441 => 'c',
        0x0442 => 't',
        0x0443 => 'y',
        0x0445 => 'x',
        0x0456 => 'i',
        0x0458 => 'j',
        _ => return lower,
    };
    latin as u32
}

// ------------------------------------------------------------ hashing

/// Appends a character to a gram hash. Stable across builds and platforms:
/// stored models depend on it. The multiplication carries every bit of the
/// input into the top bits, which is what the bucket index uses; the low
/// bits are weak, so SimHash mixes the hash further ([`fmix`]).
#[inline]
fn mix(h: u64, c: u32) -> u64 {
    (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// MurmurHash3's finalizer: every input bit affects every output bit, as
/// SimHash needs.
#[inline]
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

// ------------------------------------------------------------ markers

/// Grams that raise a signal. Each must have a length the grams come in
/// (1–3 characters ending in a CJK character, else 4–5); a test checks.
const MARKERS: &[(&str, Signal)] = &[
    ("http", Signal::Link),
    ("www.", Signal::Link),
    ("s://", Signal::Link),
    ("p://", Signal::Link),
    ("t.me/", Signal::Link),
    ("wa.me", Signal::Link),
    ("bit.l", Signal::Link),
    (".com", Signal::Link),
    (".net", Signal::Link),
    (".org", Signal::Link),
    (".ru/", Signal::Link),
    (".io/", Signal::Link),
    (".ly/", Signal::Link),
    (".me/", Signal::Link),
    (".xyz", Signal::Link),
    (".top", Signal::Link),
    (".site", Signal::Link),
    (".shop", Signal::Link),
    (".link", Signal::Link),
    ("00000", Signal::LongNumber),
    ("微信", Signal::Contact),
    ("薇信", Signal::Contact),
    ("威信", Signal::Contact),
    ("v信", Signal::Contact),
    ("加微", Signal::Contact),
    ("私聊", Signal::Contact),
    ("私信", Signal::Contact),
    ("扣扣", Signal::Contact),
    ("qq号", Signal::Contact),
    (" qq ", Signal::Contact),
    (" vx ", Signal::Contact),
    (" vx:", Signal::Contact),
    (" vx0", Signal::Contact),
    (" лс ", Signal::Contact),
    ("в лс", Signal::Contact),
    ("личк", Signal::Contact),
    ("пишит", Signal::Contact),
    ("whats", Signal::Contact),
    ("wecha", Signal::Contact),
    (" dm ", Signal::Contact),
    ("dm me", Signal::Contact),
    ("inbox", Signal::Contact),
];

/// The marker grams by hash, behind a small Bloom-style filter so that the
/// common case (not a marker) costs one L1 load.
struct Markers {
    filter: [u64; 64],
    table: Vec<(u64, Signal)>,
}

impl Markers {
    #[inline]
    fn get(&self, hash: u64) -> Option<Signal> {
        let bit = (hash >> 52) as usize;
        if self.filter[bit >> 6] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.table
            .binary_search_by_key(&hash, |&(h, _)| h)
            .ok()
            .map(|i| self.table[i].1)
    }
}

fn markers() -> &'static Markers {
    static MARKERS_BY_HASH: OnceLock<Markers> = OnceLock::new();
    MARKERS_BY_HASH.get_or_init(|| {
        let mut m = Markers {
            filter: [0; 64],
            table: MARKERS.iter().map(|&(s, sig)| (gram_hash(s), sig)).collect(),
        };
        m.table.sort_unstable_by_key(|&(h, _)| h);
        for &(h, _) in &m.table {
            let bit = (h >> 52) as usize;
            m.filter[bit >> 6] |= 1 << (bit & 63);
        }
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str) -> Vec<&str> {
        features(text)
            .into_iter()
            .filter(|f| matches!(f.kind, FeatureKind::Gram(_)))
            .map(|f| &text[f.range()])
            .collect()
    }

    fn signals(text: &str) -> Vec<Signal> {
        features(text)
            .into_iter()
            .filter_map(|f| match f.kind {
                FeatureKind::Signal(s) => Some(s),
                FeatureKind::Gram(_) => None,
            })
            .collect()
    }

    fn hashes(text: &str) -> Vec<u64> {
        features(text)
            .into_iter()
            .filter(|f| matches!(f.kind, FeatureKind::Gram(_)))
            .map(|f| f.hash)
            .collect()
    }

    #[test]
    fn normalizes_case_width_digits_and_whitespace() {
        assert_eq!(normalize("  Hello\t\n  WORLD  "), "hello world");
        assert_eq!(normalize("ＤＭ ｍｅ ５"), "dm me 0");
        assert_eq!(normalize("Call 555-1234"), "call 000-0000");
        assert_eq!(normalize("fr\u{200B}ee"), "free");
        assert_eq!(normalize("𝐅𝐫𝐞𝐞 ⓜⓞⓝⓔⓨ"), "free money");
    }

    #[test]
    fn cjk_spaces_vanish_and_cjk_gives_short_grams() {
        assert_eq!(normalize("加 微 信 abc"), "加微信 abc");
        assert_eq!(hashes("加 微 信"), hashes("加微信"));
        let g = grams("加微信");
        // Unigrams, bigrams and trigrams of the Han characters.
        for want in ["加", "微", "信", "加微", "微信", "加微信"] {
            assert!(g.contains(&want), "{want} missing from {g:?}");
        }
    }

    #[test]
    fn cyrillic_lookalikes_fold_to_one_spelling() {
        // Latin a, o, p in the first; all Cyrillic in the second.
        assert_eq!(hashes("Зaрaбoтoк"), hashes("Заработок"));
        assert_eq!(hashes("ПРИВЕТ"), hashes("привет"));
        assert_eq!(hashes("Ёлка"), hashes("елка"));
        // Latin text gets grams of 4 and 5 characters, with word edges.
        let g = grams("Привет");
        assert!(g.contains(&"Приве"));
        assert!(g.contains(&"Прив"));
        let lengths: Vec<FeatureKind> = features("Привет").into_iter().map(|f| f.kind).collect();
        assert!(lengths.iter().all(|k| matches!(k, FeatureKind::Gram(4 | 5))), "{lengths:?}");
    }

    #[test]
    fn latin_grams_point_into_the_original_text() {
        let text = "Earn  $500 NOW";
        for f in features(text) {
            assert!(f.start <= f.end && f.end <= text.len());
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        let g = grams(text);
        assert!(g.contains(&"Earn"));
        assert!(g.contains(&"$500"));
        // " now " and " now": the spaces around are part of the grams.
        assert!(g.contains(&"NOW"));
    }

    #[test]
    fn byte_ranges_are_right_for_multibyte_text() {
        let text = "你好，朋友 привет 👋";
        for f in features(text) {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        }
        assert!(grams(text).contains(&"朋友"));
    }

    #[test]
    fn short_and_empty_texts() {
        assert!(features("").is_empty());
        assert!(features("   ").is_empty());
        assert_eq!(grams("ok"), ["ok"]); // " ok "
        assert_eq!(grams("a"), Vec::<&str>::new()); // " a " is too short
        // "好" and " 好": both cover the same character.
        assert_eq!(grams("好"), ["好", "好"]);
    }

    #[test]
    fn signals_are_found_once_each() {
        assert_eq!(signals("see https://x.example and http://y.example"), [Signal::Link]);
        assert_eq!(signals("call +1 555 123 4567"), Vec::<Signal>::new());
        assert_eq!(signals("QQ 123456789"), [Signal::LongNumber, Signal::Contact]);
        assert_eq!(signals("加微信领取"), [Signal::Contact]);
        assert_eq!(signals("Пиши в лс"), [Signal::Contact]);
        assert_eq!(signals("DM me"), [Signal::Contact]);
        assert_eq!(signals("Зaрaботок"), [Signal::MixedScript]);
        assert_eq!(signals("Rust-разработчик"), Vec::<Signal>::new());
        assert_eq!(signals("hi 🚀"), [Signal::Emoji]);
        assert_eq!(signals("t.me/free_usdt"), [Signal::Link]);
    }

    #[test]
    fn grams_overlapping_links_and_handles_are_volatile() {
        let text = "join https://x.example/abc now @spam_bot ok";
        let volatile: Vec<&str> = features(text)
            .into_iter()
            .filter(|f| f.volatile)
            .map(|f| &text[f.range()])
            .collect();
        assert!(volatile.contains(&"/abc"));
        assert!(volatile.contains(&"_bot"));
        // Grams that touch a link or handle may be volatile; others not.
        let link = text.find("https").unwrap_or(0)..text.find(" now").unwrap_or(0);
        let handle = text.find('@').unwrap_or(0)..text.find(" ok").unwrap_or(0);
        for f in features(text).into_iter().filter(|f| f.volatile) {
            let touches = |r: &Range<usize>| f.start <= r.end && r.start < f.end;
            assert!(touches(&link) || touches(&handle), "{:?}", &text[f.range()]);
        }
    }

    #[test]
    fn runs_of_one_character_count_once() {
        assert_eq!(features("哈哈哈哈哈哈哈哈").len(), features("哈哈哈").len());
        assert_eq!(grams("!!!!!!!!!!").len(), grams("!!!!!").len());
    }

    #[test]
    fn every_marker_can_fire() {
        for &(marker, signal) in MARKERS {
            // Surrounded by spaces, as in a sentence.
            let text = format!("a {marker} b");
            assert!(signals(&text).contains(&signal), "marker {marker:?} never fires");
        }
    }

    #[test]
    fn mixed_script_range_covers_the_word() {
        let text = "тест Зaрaботок ok";
        let f = features(text)
            .into_iter()
            .find(|f| f.kind == FeatureKind::Signal(Signal::MixedScript))
            .map(|f| &text[f.range()]);
        assert_eq!(f, Some("Зaрaботок"));
    }
}
