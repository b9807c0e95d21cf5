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
//! Every feature is a 64-bit hash (its top bits pick the naive Bayes
//! bucket) with the byte range of the original text it came from, so
//! explanations can point at the words. The same pass gives the shingles
//! SimHash fingerprints are made of ([`for_each_shingle`]). The hashes are
//! part of the stored model's format: any change here must bump
//! [`FEATURE_SCHEME`].

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
/// The space character, as the grams see it.
pub(crate) const SPACE: u32 = b' ' as u32;

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
    pub(crate) fn hash(self) -> u64 {
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
pub fn for_each_feature(text: &str, emit: impl FnMut(Feature)) {
    scan(text, emit, |_| {});
}

/// Calls `emit` with the shingles SimHash fingerprints are made of.
///
/// Shingles are the 4-grams (2-grams ending in a CJK character) of the
/// stream with only letters and digits left: punctuation, spaces, emoji,
/// links and `@handles` are dropped. A spammer's next copy changes exactly
/// those ("!!" for "!", another link, a 🔥 in front), and with them gone the
/// copies have the same shingles.
pub fn for_each_shingle(text: &str, emit: impl FnMut(u64)) {
    scan(text, |_| {}, emit);
}

/// One pass over the text giving both the features (to `on_feature`) and
/// the shingles (to `on_shingle`, see [`for_each_shingle`]). A caller that
/// ignores one of the two outputs pays little for it: the work is inlined
/// and what has no effect is dropped.
#[inline]
pub(crate) fn scan(
    text: &str,
    mut on_feature: impl FnMut(Feature),
    mut on_shingle: impl FnMut(u64),
) {
    let markers = markers();
    let mut grams = Grams::new();
    let mut shingles = Shingles::default();
    let mut stream = Stream::new();
    let mut word = Word::default();
    // First occurrence of each signal.
    let mut found: [Option<(usize, usize)>; 5] = [None; 5];
    // Inside a link or handle, until the next whitespace.
    let mut in_link = false;
    let mut on_gram = |f: Feature, found: &mut [Option<(usize, usize)>; 5], in_link: &mut bool| {
        if let Some(signal) = markers.get(f.hash) {
            found[signal.index()].get_or_insert((f.start, f.end));
            *in_link |= signal == Signal::Link;
        }
        on_feature(f);
    };
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let folded = fold(c);
        if let Some(range) = word.step(c, folded, i) {
            found[Signal::MixedScript.index()].get_or_insert(range);
        }
        if !c.is_ascii() && is_emoji(c) {
            found[Signal::Emoji.index()].get_or_insert((i, end));
        }
        let Some(n) = stream.next(folded, i) else {
            continue;
        };
        if n.space_before {
            grams.push(SPACE, n.space_at, i, false, &mut |f| {
                on_gram(f, &mut found, &mut in_link);
            });
            in_link = false;
        }
        in_link |= c == '@';
        grams.push(n.c, i, end, n.wide, &mut |f| {
            on_gram(f, &mut found, &mut in_link);
        });
        if !in_link {
            shingles.push(n.c, n.wide, &mut on_shingle);
        }
    }
    if let Some(range) = word.finish(text.len()) {
        found[Signal::MixedScript.index()].get_or_insert(range);
    }
    if !stream.last_was_space {
        grams.push(SPACE, text.len(), text.len(), false, &mut |f| {
            on_gram(f, &mut found, &mut in_link);
        });
    }
    for signal in Signal::ALL {
        if let Some((start, end)) = found[signal.index()] {
            on_feature(Feature {
                hash: signal.hash(),
                start,
                end,
                kind: FeatureKind::Signal(signal),
            });
        }
    }
}

/// The hash of `text` as one gram (all of it, no virtual spaces), as
/// [`for_each_feature`] would give it if the gram's length is one it emits.
fn gram_hash(text: &str) -> u64 {
    let mut window = 0u128;
    let mut n = 0;
    for c in text.chars() {
        let c = match fold(c) {
            Folded::Skip => continue,
            Folded::Space => SPACE,
            Folded::Char { c, .. } => c,
        };
        window = (window << CHAR_BITS) | u128::from(c);
        n += 1;
    }
    gram(window, n, GRAM_SEEDS)
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

    #[inline(always)]
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
                let space_before =
                    pending.is_some() && !self.last_was_space && !(self.last_wide && wide);
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

/// The last characters, packed [`CHAR_BITS`] apiece into one number, so
/// that the gram of the last `n` of them is that number's low bits: one
/// mask and one multiplication ([`gram`]) per gram, whatever its length.
struct Grams {
    window: u128,
    /// The grams made at the previous character, and whether it was CJK
    /// (which decides their lengths).
    last: [u64; 3],
    last_wide: bool,
    starts: [usize; RING],
    seen: usize,
}

impl Grams {
    fn new() -> Self {
        let mut g = Grams {
            window: 0,
            last: [0; 3],
            last_wide: false,
            starts: [0; RING],
            seen: 0,
        };
        // The virtual space before the text.
        g.push(SPACE, 0, 0, false, &mut |_| {});
        g
    }

    #[inline(always)]
    fn push(
        &mut self,
        c: u32,
        start: usize,
        end: usize,
        wide: bool,
        emit: &mut impl FnMut(Feature),
    ) {
        self.window = (self.window << CHAR_BITS) | u128::from(c);
        self.starts[self.seen % RING] = start;
        self.seen += 1;
        // The grams' lengths are constants here, so each hash is a fixed
        // mask and a multiplication.
        let w = self.window;
        let (low, hashes, count) = if wide {
            (
                1,
                [
                    gram(w, 1, GRAM_SEEDS),
                    gram(w, 2, GRAM_SEEDS),
                    gram(w, 3, GRAM_SEEDS),
                ],
                3,
            )
        } else {
            (4, [gram(w, 4, GRAM_SEEDS), gram(w, 5, GRAM_SEEDS), 0], 2)
        };
        // In a run of one character ("哈哈哈哈哈", "!!!!!!", "000000") each
        // gram equals the one before: count it once, or a happy "666666"
        // weighs like a paragraph. Only the gram right before counts, so
        // the lengths this character does not make are forgotten.
        let last = if wide == self.last_wide {
            self.last
        } else {
            [0; 3]
        };
        self.last = hashes;
        self.last_wide = wide;
        // One call site for `emit`, so the caller's work is inlined once.
        for k in 0..count {
            let n = low + k;
            if self.seen < n || hashes[k] == last[k] {
                continue;
            }
            emit(Feature {
                hash: hashes[k],
                start: self.starts[(self.seen - n) % RING],
                end,
                kind: FeatureKind::Gram(n as u8),
            });
        }
    }
}

/// The last letters and digits, packed like [`Grams`].
#[derive(Default)]
struct Shingles {
    window: u128,
    seen: usize,
}

impl Shingles {
    #[inline(always)]
    fn push(&mut self, c: u32, wide: bool, emit: &mut impl FnMut(u64)) {
        let letter_or_digit = wide
            || matches!(c, 0x30..=0x39 | 0x61..=0x7A)
            // Latin with accents, Greek, Cyrillic, Armenian, Hebrew, Arabic...:
            // letters, up to the punctuation and symbol blocks.
            || (0xC0..0x2000).contains(&c) && c != 0xD7 && c != 0xF7;
        if !letter_or_digit {
            return;
        }
        self.window = (self.window << CHAR_BITS) | u128::from(c);
        self.seen += 1;
        let n = if wide { 2 } else { 4 };
        if self.seen >= n {
            emit(gram(self.window, n, SHINGLE_SEEDS));
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
    #[inline(always)]
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

pub(crate) fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}')
}

// ------------------------------------------------------------ folding

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folded {
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

#[inline(always)]
pub(crate) fn fold(c: char) -> Folded {
    if c.is_ascii() {
        return fold_ascii(c as u8);
    }
    // The bulk of Chinese and Russian text, answered as `fold_other` would
    // without the call and its long match.
    let u = c as u32;
    if (0x4E00..=0x9FFF).contains(&u) {
        Folded::Char { c: u, wide: true }
    } else if (0x0400..=0x045F).contains(&u) {
        narrow(fold_cyrillic(u))
    } else {
        fold_other(c)
    }
}

#[inline(always)]
fn fold_ascii(b: u8) -> Folded {
    match b {
        b'A'..=b'Z' => narrow(u32::from(b + 32)),
        b'0'..=b'9' => narrow(u32::from(b'0')),
        0..=0x20 | 0x7F => Folded::Space,
        _ => narrow(u32::from(b)),
    }
}

// Out of line: most characters of most messages take the ASCII path.
#[inline(never)]
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

/// Bits per character in a packed window: every Unicode scalar fits.
pub(crate) const CHAR_BITS: u32 = 21;

/// Per-length seeds, so grams of different lengths never share a hash.
pub(crate) const GRAM_SEEDS: [u64; 6] = [
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
    0x4528_21e6_38d0_1377,
    0xbe54_66cf_34e9_0c6c,
];
pub(crate) const SHINGLE_SEEDS: [u64; 6] = [
    0xc0ac_29b7_c97c_50dd,
    0x3f84_d5b5_b547_0917,
    0x9216_d5d9_8979_fb1b,
    0xd131_0ba6_98df_b5ac,
    0x2ffd_72db_d01a_dfb7,
    0xb8e1_afed_6a26_7e96,
];

/// The hash of the last `n` characters of a packed window. Stable across
/// builds and platforms: stored models depend on it. Multiplication carries
/// every bit of the input into the top bits, which is what the bucket index
/// uses; the low bits are weak, so SimHash mixes the hash further
/// ([`fmix`]).
#[inline(always)]
pub(crate) fn gram(window: u128, n: usize, seeds: [u64; 6]) -> u64 {
    let bits = CHAR_BITS as usize * n.min(MAX_GRAM);
    let x = window & ((1u128 << bits) - 1);
    let (low, high) = (x as u64, (x >> 64) as u64);
    ((low ^ seeds[n.min(MAX_GRAM)]).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        ^ high.wrapping_mul(0xc2b2_ae3d_27d4_eb4f)
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
pub(crate) struct Markers {
    filter: [u64; 64],
    table: Vec<(u64, Signal)>,
}

impl Markers {
    #[inline(always)]
    pub(crate) fn get(&self, hash: u64) -> Option<Signal> {
        let bit = (hash >> 52) as usize;
        if self.filter[(bit >> 6) & 63] & (1 << (bit & 63)) == 0 {
            return None;
        }
        self.table
            .binary_search_by_key(&hash, |&(h, _)| h)
            .ok()
            .map(|i| self.table[i].1)
    }
}

pub(crate) fn markers() -> &'static Markers {
    static MARKERS_BY_HASH: OnceLock<Markers> = OnceLock::new();
    MARKERS_BY_HASH.get_or_init(|| {
        let mut m = Markers {
            filter: [0; 64],
            table: MARKERS
                .iter()
                .map(|&(s, sig)| (gram_hash(s), sig))
                .collect(),
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
        assert!(
            lengths
                .iter()
                .all(|k| matches!(k, FeatureKind::Gram(4 | 5))),
            "{lengths:?}"
        );
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
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end),
                "{f:?}"
            );
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
        assert_eq!(
            signals("see https://x.example and http://y.example"),
            [Signal::Link]
        );
        assert_eq!(signals("call +1 555 123 4567"), Vec::<Signal>::new());
        assert_eq!(
            signals("QQ 123456789"),
            [Signal::LongNumber, Signal::Contact]
        );
        assert_eq!(signals("加微信领取"), [Signal::Contact]);
        assert_eq!(signals("Пиши в лс"), [Signal::Contact]);
        assert_eq!(signals("DM me"), [Signal::Contact]);
        assert_eq!(signals("Зaрaботок"), [Signal::MixedScript]);
        assert_eq!(signals("Rust-разработчик"), Vec::<Signal>::new());
        assert_eq!(signals("hi 🚀"), [Signal::Emoji]);
        assert_eq!(signals("t.me/free_usdt"), [Signal::Link]);
    }

    fn shingles(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_shingle(text, |h| out.push(h));
        out
    }

    #[test]
    fn shingles_skip_punctuation_links_and_handles() {
        let a = shingles("Join now!!! 🔥 https://x.example/abc @bot_one free USDT");
        let b = shingles("JOIN NOW! https://y.example/zzz @another free usdt");
        assert_eq!(a, b);
        assert!(!a.is_empty());
        assert_ne!(a, shingles("Join later! free USDT"));
        // Chinese: bigrams of the characters, spaces and punctuation gone.
        assert_eq!(shingles("加 微 信，领红包"), shingles("加微信领红包"));
        assert_eq!(shingles("加微信领红包").len(), 5);
    }

    #[test]
    fn runs_of_one_character_count_once() {
        assert_eq!(features("哈哈哈哈哈哈哈哈").len(), features("哈哈哈").len());
        assert_eq!(grams("!!!!!!!!!!").len(), grams("!!!!!").len());
        // Not a run: the same character with another in between.
        let unigrams = features("好a好")
            .into_iter()
            .filter(|f| f.kind == FeatureKind::Gram(1));
        assert_eq!(unigrams.count(), 2);
    }

    #[test]
    fn every_marker_can_fire() {
        for &(marker, signal) in MARKERS {
            // Surrounded by spaces, as in a sentence.
            let text = format!("a {marker} b");
            assert!(
                signals(&text).contains(&signal),
                "marker {marker:?} never fires"
            );
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
