//! Text normalization for matching, with a map back to the original text.
//!
//! Spammers disguise the words rules look for: `ＦＲＥＥ`, `𝐅𝐑𝐄𝐄`, `ⓕⓡⓔⓔ`,
//! zero-width spaces between letters, Cyrillic `с` inside a Latin word (or
//! Latin `c` inside a Russian one), `s.p.a.m`, `加 . 微 . 信`, `freeeee`,
//! traditional characters, `vx` / 薇信 for 微信. Matching therefore runs on a
//! folded copy of the message, and keywords are folded by the same function,
//! so a rule written plainly catches every disguise. Evidence must still
//! point at what the member actually wrote, so every byte of the folded
//! copy remembers the byte range of the original it came from.
//!
//! # Passes
//!
//! The text is first turned into *units*: one folded character plus the
//! original byte range it stands for. Later passes drop, merge and replace
//! units but never invent a range, so the map stays exact (and monotone,
//! which is what makes [`Normalized::original_range`] land on character
//! boundaries). In order:
//!
//! 1. Per character ([`fold`]): NFKC (`Ｆ`, `𝐅`, `Ⓕ`, `①` → `f`, `1`),
//!    lower case, invisible and bidi characters removed, combining
//!    diacritics removed (`é` → `e`, `ё` → `е`, Zalgo), `й` kept, small
//!    capitals and stroked letters to plain ones, traditional Han to
//!    simplified ([`cjk`]), every kind of white space to a space.
//! 2. Separators ([`join_separated`]): three or more single letters or digits
//!    in a row with separators between (`s p a m`, `s.p.a.m`, `s-p-a-m`)
//!    are joined (digits only across spaces, so `1.2.3` stays); separators
//!    between two Han or kana characters (`加 . 微`, `我们 今天`) are
//!    dropped, clause punctuation (`，` `。` `、`) is kept. Runs of spaces
//!    become one space. Two ordinary words never join: `I am a cat` has no
//!    three single letters in a row.
//! 3. Repeats ([`collapse_repeats`]): a run of more than two of the same
//!    character becomes two (`freeeee` → `free`, `!!!!!` → `!!`, `哈哈哈哈` →
//!    `哈哈`). Two rather than one so that words with a double letter
//!    (`free`, `good`) survive; digits are never collapsed, because `1000`
//!    and `100` are different amounts and phone numbers must stay whole.
//!    This pass runs again after each of the next two.
//! 4. Mixed-script words ([`fold_mixed_scripts`]): a word (run of letters)
//!    mixing Latin, Cyrillic and Greek is folded to one script through the
//!    look-alike table ([`confusables`]). The decision is per word because
//!    both directions happen: `cпам` is Russian with a Latin `c`, `раураl`
//!    is English in Cyrillic. Words in one script are never touched, so
//!    honest Russian stays Russian and honest English stays English.
//! 5. Contact stand-ins ([`standins`]): `vx`, `wx`, `weixin`, `v信`, 薇信,
//!    威信, … → 微信; 扣扣, 企鹅号, `qq号` → `qq`; `+v`, `加v`, `十v` → 加微信.
//!    Then the Han part of pass 2 runs again on what the replacements put
//!    side by side.
//!
//! Normalizing normalized text gives the same text (the property tests check
//! it on keyword-like and disguise-heavy input), which the engine relies on
//! when it folds keywords with this same function.
//!
//! # Cost
//!
//! Each pass is linear and most are skipped after a cheap scan shows they
//! have nothing to do (no double space, no single letters, no Cyrillic, no
//! `v`/`w`/`q`/`+`…). Pure ASCII skips decoding and the Unicode tables. The
//! passes work in place on the result's own buffer of units; the engine
//! keeps one result per thread ([`Normalized::scoped`]), so checking a
//! message allocates nothing, and the map back to the original per byte is
//! only made when a match needs it.

mod cjk;
mod confusables;
mod fold;
mod standins;

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use confusables::Script;

/// A message folded for matching.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    /// The characters of `text`, each with the byte range of the original
    /// text it came from; both ends are character boundaries of the
    /// original, and the starts never decrease.
    units: Vec<Unit>,
    /// The same per byte of `text`, made on the first call of
    /// [`Normalized::original_range`]: most messages match nothing and
    /// never need it.
    origin: OnceCell<Vec<(u32, u32)>>,
    /// The length of the original text, for empty ranges at the end.
    original_len: u32,
}

/// `origin` is derived from `units`.
impl PartialEq for Normalized {
    fn eq(&self, other: &Normalized) -> bool {
        self.text == other.text
            && self.units == other.units
            && self.original_len == other.original_len
    }
}

impl Eq for Normalized {}

impl Normalized {
    /// Folds `original`.
    pub fn new(original: &str) -> Normalized {
        let mut normalized = Normalized::empty();
        normalized.fold(original);
        normalized
    }

    /// Folds `original` into a per-thread buffer and hands it to `f`: the
    /// engine's way, which costs a message no allocation at all.
    pub(crate) fn scoped<R>(original: &str, f: impl FnOnce(&Normalized) -> R) -> R {
        thread_local! {
            static RESULT: Cell<Normalized> = const { Cell::new(Normalized::empty()) };
        }
        // Taken out while in use, so a check inside a check (a forward's
        // origin) simply gets a fresh one.
        let mut normalized = RESULT.try_with(Cell::take).unwrap_or_default();
        normalized.fold(original);
        let out = f(&normalized);
        // One huge message must not pin its buffers forever.
        if normalized.units.capacity() <= MAX_KEPT_SCRATCH {
            let _ = RESULT.try_with(|cell| cell.set(normalized));
        }
        out
    }

    const fn empty() -> Normalized {
        Normalized {
            text: String::new(),
            units: Vec::new(),
            origin: OnceCell::new(),
            original_len: 0,
        }
    }

    /// `original` only lowercased (a character at a time), with the same
    /// map back: for keyword lists that match without folding.
    pub(crate) fn lowercased(original: &str) -> Normalized {
        let mut units = Vec::with_capacity(original.len());
        for (start, ch) in original.char_indices() {
            let (s, e) = (fold::to_u32(start), fold::to_u32(start + ch.len_utf8()));
            units.extend(ch.to_lowercase().map(|lower| Unit::new(lower, s, e)));
        }
        Normalized {
            text: units.iter().map(|u| u.ch).collect(),
            units,
            origin: OnceCell::new(),
            original_len: fold::to_u32(original.len()),
        }
    }

    /// Folds `original` into this value's buffers.
    fn fold(&mut self, original: &str) {
        // The units are worked on in place and kept; the spare buffer is
        // only needed (and allocated) when a stand-in is replaced.
        let mut units = std::mem::take(&mut self.units);
        fold_units(original, &mut units, &mut Vec::new());
        self.text.clear();
        // At most four bytes a unit; the buffer is kept between messages,
        // so reserving generously costs nothing after the first.
        self.text.reserve(units.len() * 4);
        for unit in &units {
            self.text.push(unit.ch);
        }
        self.units = units;
        self.origin = OnceCell::new();
        self.original_len = fold::to_u32(original.len());
    }

    /// The original range of each byte of the text.
    fn origin(&self) -> &[(u32, u32)] {
        self.origin.get_or_init(|| {
            let mut origin = Vec::with_capacity(self.text.len());
            for unit in &self.units {
                origin.extend(std::iter::repeat_n(
                    (unit.start, unit.end),
                    unit.ch.len_utf8(),
                ));
            }
            origin
        })
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The range of the original text that `range` of the folded text came
    /// from. Always on character boundaries of the original, even when
    /// `range` cuts a folded character; an empty range gives an empty range
    /// at the corresponding place, a range past the end gives `0..0`.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let Range { start, end } = range;
        if start > end || end > self.text.len() {
            return 0..0;
        }
        let origin = self.origin();
        if start == end {
            let at = origin.get(start).map_or(self.original_len, |o| o.0) as usize;
            return at..at;
        }
        let first = origin.get(start).map_or(0, |o| o.0);
        let last = origin.get(end - 1).map_or(first, |o| o.1);
        first as usize..last.max(first) as usize
    }
}

/// Runs the passes over `original` into `units`; `spare` is a second
/// buffer for the passes that copy.
fn fold_units(original: &str, units: &mut Vec<Unit>, spare: &mut Vec<Unit>) {
    units.clear();
    fold::fold_chars(original, units);
    let mut survey = Survey::of(units);
    if survey.join_spelled || survey.join_unspaced {
        join_separated(units, true);
        survey = Survey::of(units);
    }
    // Repeats go before the script pass too, so that the letter counts
    // it decides on are the ones a second normalization would see.
    if survey.triple {
        collapse_repeats(units);
    }
    if survey.mixed_scripts {
        fold_mixed_scripts(units);
        collapse_repeats(units);
    }
    // The script pass can make the letters a stand-in starts with.
    if (survey.stand_in || survey.mixed_scripts) && standins::any(units) {
        for pass in [standins::Pass::WeChat, standins::Pass::Qq] {
            spare.clear();
            if standins::replace(units, spare, pass) {
                std::mem::swap(units, spare);
            }
        }
        // A replacement can put 微信 next to Han text across a space, or
        // qq next to qq.
        if Survey::of(units).join_unspaced {
            join_separated(units, false);
        }
        collapse_repeats(units);
    }
}

/// One folded character and the original bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unit {
    ch: char,
    start: u32,
    end: u32,
}

impl Unit {
    fn new(ch: char, start: u32, end: u32) -> Unit {
        Unit { ch, start, end }
    }
}

/// Kept buffers above this many units are dropped after use.
const MAX_KEPT_SCRATCH: usize = 1 << 16;

/// Marks a unit for removal. Pass 1 drops every control character, so no
/// real unit is NUL.
const REMOVED: char = '\0';

/// The longest run of separators still read as "between letters"
/// (`s  .  p`).
const MAX_GAP: usize = 5;

/// Pass 2: joins spelled-out words (when `spelled_out`), drops separators
/// between Han/kana characters, and collapses runs of spaces into one.
fn join_separated(units: &mut Vec<Unit>, spelled_out: bool) {
    // Tokens are runs of letters and digits, except that a Han or kana
    // character is a token by itself.
    let mut pos = 0;
    let mut prev: Option<(usize, usize)> = None;
    // The current run of single-character tokens: first start, last end,
    // number of tokens, and the end of the token before the last.
    let mut chain: Option<(usize, usize, usize, usize)> = None;
    while let Some((s, e)) = next_token(units, pos) {
        pos = e;
        let first = units.get(s).map_or(REMOVED, |u| u.ch);
        if let Some((ps, pe)) = prev {
            let before = units.get(ps).map_or(REMOVED, |u| u.ch);
            let gap = units.get(pe..s).unwrap_or_default();
            if cjk::is_unspaced(before) && cjk::is_unspaced(first) && unspaced_gap(gap) {
                for unit in units.get_mut(pe..s).unwrap_or_default() {
                    unit.ch = REMOVED;
                }
            }
        }
        if spelled_out {
            let single = e - s == 1 && !cjk::is_unspaced(first);
            let linked = single
                && chain.is_some()
                && prev.is_some_and(|(ps, pe)| {
                    let before = units.get(ps).map_or(REMOVED, |u| u.ch);
                    let digits = is_number(before) || is_number(first);
                    spelled_gap(units.get(pe..s).unwrap_or_default(), digits)
                });
            if linked {
                if let Some(c) = chain.as_mut() {
                    c.3 = c.1;
                    c.1 = e;
                    c.2 += 1;
                }
            } else {
                // "к е t.me": the last single letter is glued to the word
                // that ends the run (no space between), so it belongs to
                // that word, not to the spelled-out one.
                if let (Some(c), Some((_, pe))) = (chain, prev)
                    && !single
                    && c.2 > 1
                    && pe == c.1
                    && glued(units.get(pe..s).unwrap_or_default())
                {
                    chain = Some((c.0, c.3, c.2 - 1, c.3));
                }
                join_chain(units, chain);
                chain = single.then_some((s, e, 1, s));
            }
        }
        prev = Some((s, e));
    }
    join_chain(units, chain);
    compact(units);
}

/// What the passes after the first could have to do, from one cheap scan
/// (an over-approximation): most messages need none of them.
#[derive(Debug, Clone, Copy, Default)]
struct Survey {
    /// Three single-character tokens: maybe a spelled-out word.
    join_spelled: bool,
    /// A double space, or a separator after a Han or kana character.
    join_unspaced: bool,
    /// Three equal characters in a row.
    triple: bool,
    /// A run of letters and digits with letters from two of the Latin,
    /// Cyrillic and Greek blocks: maybe a word the script pass folds.
    mixed_scripts: bool,
    /// A character a contact-word stand-in can start with.
    stand_in: bool,
}

impl Survey {
    fn of(units: &[Unit]) -> Survey {
        let mut survey = Survey::default();
        let mut singles = 0usize;
        let mut run = 0usize;
        let (mut prev, mut prev_prev) = (REMOVED, REMOVED);
        let mut prev_unspaced = false;
        // The scripts of the current run of letters and digits, as bits.
        // The script pass works on runs of letters, which lie inside these
        // runs (Han and kana do not end one here), so a mixed word always
        // shows.
        let mut scripts = 0u8;
        for unit in units {
            let c = unit.ch;
            let (word, unspaced) = if let Some(&class) = ASCII_CLASS.get(c as usize) {
                let alnum = class & A_ALNUM != 0;
                if alnum {
                    scripts |= class & LATIN;
                } else {
                    survey.mixed_scripts |= mixed(scripts);
                    scripts = 0;
                }
                survey.stand_in |= class & A_STAND_IN != 0;
                (alnum, false)
            } else {
                survey.stand_in |= standins::may_start(c);
                if cjk::is_unspaced(c) {
                    (false, true)
                } else if is_alnum(c) {
                    scripts |= script_block(c);
                    (true, false)
                } else {
                    survey.mixed_scripts |= mixed(scripts);
                    scripts = 0;
                    (false, false)
                }
            };
            if word {
                run += 1;
            } else {
                singles += usize::from(run == 1);
                run = 0;
                survey.join_unspaced |= (c == ' ' && prev == ' ')
                    || (prev_unspaced && !unspaced && (c == ' ' || is_separator(c)));
            }
            survey.triple |= c == prev && c == prev_prev;
            prev_prev = prev;
            prev = c;
            prev_unspaced = unspaced;
        }
        singles += usize::from(run == 1);
        survey.join_spelled = singles >= 3;
        survey.mixed_scripts |= mixed(scripts);
        survey
    }
}

/// Whether script bits name more than one script.
#[inline]
fn mixed(scripts: u8) -> bool {
    scripts & scripts.wrapping_sub(1) != 0
}

/// Script bits for [`Survey`].
const LATIN: u8 = 1;
const CYRILLIC: u8 = 2;
const GREEK: u8 = 4;

/// What [`Survey`] asks of an ASCII character, one table load instead of
/// several tests: a letter (the [`LATIN`] bit), a letter or digit, a
/// character a stand-in can start with.
const A_ALNUM: u8 = 8;
const A_STAND_IN: u8 = 16;
static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        table[i] = if b.is_ascii_alphabetic() {
            LATIN | A_ALNUM
        } else if b.is_ascii_digit() {
            A_ALNUM
        } else {
            0
        } | if matches!(b, b'+' | b'v' | b'w' | b'q') {
            A_STAND_IN
        } else {
            0
        };
        i += 1;
    }
    table
};

/// The script block a non-ASCII character is in, as a [`Survey`] bit: the
/// blocks `confusables::script` looks at, so that every letter it calls
/// Latin, Cyrillic or Greek gets that bit (some non-letters get one too,
/// which only costs a needless script pass).
#[inline]
fn script_block(c: char) -> u8 {
    let cp = c as u32;
    // The common blocks first, then one test for everything from the
    // CJK blocks on.
    match cp {
        0x0400..=0x052F => CYRILLIC,
        0x00C0..=0x02AF => LATIN,
        0x0370..=0x03FF => GREEK,
        0x3000..=0xA63F | 0xA800.. => 0,
        0x1D00..=0x1D7F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF => LATIN,
        0x1F00..=0x1FFF => GREEK,
        0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => CYRILLIC,
        _ => 0,
    }
}

/// The next token at or after `pos`.
fn next_token(units: &[Unit], pos: usize) -> Option<(usize, usize)> {
    let rest = units.get(pos..)?;
    let s = pos + rest.iter().position(|u| is_alnum(u.ch))?;
    if units.get(s).is_some_and(|u| cjk::is_unspaced(u.ch)) {
        return Some((s, s + 1));
    }
    let rest = units.get(s..)?;
    let len = rest
        .iter()
        .position(|u| !is_alnum(u.ch) || cjk::is_unspaced(u.ch))
        .unwrap_or(rest.len());
    Some((s, s + len))
}

/// Whether a gap joins two tokens into one word: punctuation with no space
/// (`t.me`, `a-b`).
fn glued(gap: &[Unit]) -> bool {
    !gap.is_empty() && gap.iter().all(|u| u.ch != REMOVED && !u.ch.is_whitespace())
}

/// Removes the separators of a run of at least three single characters.
fn join_chain(units: &mut [Unit], chain: Option<(usize, usize, usize, usize)>) {
    let Some((s, e, count, _)) = chain else {
        return;
    };
    if count < 3 {
        return;
    }
    for unit in units.get_mut(s..e).unwrap_or_default() {
        if !is_alnum(unit.ch) {
            unit.ch = REMOVED;
        }
    }
}

/// Separators between spelled-out letters: spaces and punctuation people
/// put between letters. Between digits only spaces count, so that version
/// numbers and dates (`1.2.3`, `1/2/3`) keep their dots and slashes.
fn spelled_gap(gap: &[Unit], digits: bool) -> bool {
    !gap.is_empty()
        && gap.len() <= MAX_GAP
        && gap.iter().all(|u| {
            if digits {
                u.ch == ' '
            } else {
                u.ch == ' ' || is_separator(u.ch) || matches!(u.ch, ',' | ':' | ';' | '、')
            }
        })
}

/// Separators between Han or kana characters, which carry no meaning
/// there. Clause punctuation is not among them, so text on both sides of a
/// comma does not run together.
fn unspaced_gap(gap: &[Unit]) -> bool {
    !gap.is_empty() && gap.len() <= MAX_GAP && gap.iter().all(|u| u.ch == ' ' || is_separator(u.ch))
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '.' | '-'
            | '_'
            | '*'
            | '/'
            | '\\'
            | '|'
            | '~'
            | '\''
            | '"'
            | '`'
            | '^'
            | '#'
            | '·'
            | '•'
            | '・'
            | '‧'
            | '∙'
            | '⋅'
            | '\u{2010}'..='\u{2015}'
    )
}

/// Drops removed units and merges runs of spaces into one space that maps
/// to the whole run. Characters brought together by a removal are composed
/// as NFKC would (Hangul jamo spelled out with spaces: `ᄀ ᅡ`).
fn compact(units: &mut Vec<Unit>) {
    let mut kept: usize = 0;
    let mut after_gap = false;
    for read in 0..units.len() {
        let Some(&unit) = units.get(read) else { break };
        if unit.ch == REMOVED {
            after_gap = true;
            continue;
        }
        let joined = std::mem::take(&mut after_gap);
        if let Some(last) = kept.checked_sub(1).and_then(|k| units.get_mut(k)) {
            if unit.ch == ' ' && last.ch == ' ' {
                last.end = unit.end;
                continue;
            }
            if joined
                && !unit.ch.is_ascii()
                && !last.ch.is_ascii()
                && let Some(composed) = unicode_normalization::char::compose(last.ch, unit.ch)
            {
                last.ch = composed;
                last.end = unit.end;
                continue;
            }
        }
        if let Some(slot) = units.get_mut(kept) {
            *slot = unit;
        }
        kept += 1;
    }
    units.truncate(kept);
}

/// Pass 4: folds each word that mixes Latin, Cyrillic and Greek letters to
/// one script.
///
/// The target is a script into which every foreign letter of the word has a
/// look-alike (`раураl` can only be Latin: `l` has no Cyrillic twin); if
/// both or neither qualify, the script with more letters in the word, then
/// Latin if Cyrillic would need non-Russian letters (`саsinо`), then the
/// script whose letters are not exact twins of the other's (`hоmе` is
/// English), then Cyrillic: a word half Latin, half Cyrillic with nothing
/// else to go by is more often Russian typed in Latin leetspeak (`npuвет`)
/// than English with half its letters swapped. Letters without a look-alike
/// stay as they are.
///
/// The decision looks at the word alone, never at the rest of the message,
/// so that a folded word folds the same way when normalized again.
fn fold_mixed_scripts(units: &mut [Unit]) {
    let mut pos = 0;
    while pos < units.len() {
        let Some(start) = units
            .get(pos..)
            .and_then(|rest| rest.iter().position(|u| is_letter(u.ch)))
            .map(|p| p + pos)
        else {
            break;
        };
        let len = units.get(start..).map_or(0, |rest| {
            rest.iter().take_while(|u| is_letter(u.ch)).count()
        });
        let end = start + len.max(1);
        pos = end;
        let word = units.get(start..end).unwrap_or_default();
        let (mut latin, mut cyrillic, mut greek) = (0usize, 0usize, 0usize);
        let (mut all_to_latin, mut all_to_cyrillic) = (true, true);
        for unit in word.iter() {
            match confusables::script(unit.ch) {
                Script::Latin => {
                    latin += 1;
                    all_to_cyrillic &= confusables::to_cyrillic(unit.ch).is_some();
                }
                Script::Cyrillic => {
                    cyrillic += 1;
                    all_to_latin &= confusables::to_latin(unit.ch).is_some();
                }
                Script::Greek => {
                    greek += 1;
                    all_to_latin &= confusables::to_latin(unit.ch).is_some();
                    all_to_cyrillic &= confusables::to_cyrillic(unit.ch).is_some();
                }
                Script::Other => {}
            }
        }
        let scripts = usize::from(latin > 0) + usize::from(cyrillic > 0) + usize::from(greek > 0);
        if scripts < 2 {
            continue;
        }
        let to_latin = match (all_to_latin, all_to_cyrillic) {
            (true, false) => true,
            (false, true) => false,
            _ if latin != cyrillic => latin > cyrillic,
            // Folding to Cyrillic would need і, ј or ѕ, which Russian does
            // not have: `саsinо` is English.
            (true, true) if word.iter().any(|u| matches!(u.ch, 'i' | 'j' | 's')) => true,
            _ => {
                // The letters that are exact twins of letters of the other
                // script are the likely substitutes: in `hоmе` the Cyrillic
                // о and е are, the Latin h and m are not.
                let twins = |script: Script| {
                    word.iter()
                        .filter(|u| {
                            confusables::script(u.ch) == script && confusables::is_twin(u.ch)
                        })
                        .count()
                };
                twins(Script::Cyrillic) > twins(Script::Latin)
            }
        };
        let Some(word) = units.get_mut(start..end) else {
            break;
        };
        for unit in word {
            let folded = if to_latin {
                match confusables::script(unit.ch) {
                    Script::Cyrillic | Script::Greek => confusables::to_latin(unit.ch),
                    _ => None,
                }
            } else {
                match confusables::script(unit.ch) {
                    Script::Latin | Script::Greek => confusables::to_cyrillic(unit.ch),
                    _ => None,
                }
            };
            if let Some(folded) = folded {
                unit.ch = folded;
            }
        }
    }
}

/// Letters of scripts written with spaces between words. Words for the
/// script pass are made of letters only: a digit inside (`vx100`) does not
/// tie the two sides together, so that replacing a contact word later
/// cannot leave a differently-mixed word behind.
fn is_letter(c: char) -> bool {
    is_alpha(c) && !cjk::is_cjk(c)
}

/// Pass 3: a run of more than two of the same character becomes two; the
/// second keeps the original range of the whole rest of the run. Digits are
/// left alone, and so is the `www` of a host name.
fn collapse_repeats(units: &mut Vec<Unit>) {
    // Most messages have no run of three: find the first one, if any.
    let Some(first) = units
        .windows(3)
        .position(|w| matches!(w, [a, b, c] if a.ch == b.ch && b.ch == c.ch))
    else {
        return;
    };
    let mut kept = first;
    for read in first..units.len() {
        let Some(&unit) = units.get(read) else { break };
        // `www.` stays whole: deny lists name hosts with it.
        let host_www = unit.ch == 'w' && units.get(read + 1).is_some_and(|next| next.ch == '.');
        if kept >= 2 && !is_number(unit.ch) && !host_www {
            let same = |k: usize| units.get(k).is_some_and(|u| u.ch == unit.ch);
            if same(kept - 1) && same(kept - 2) {
                if let Some(last) = units.get_mut(kept - 1) {
                    last.end = last.end.max(unit.end);
                }
                continue;
            }
        }
        if let Some(slot) = units.get_mut(kept) {
            *slot = unit;
        }
        kept += 1;
    }
    units.truncate(kept);
}

/// `char::is_alphanumeric`, answering the scripts chat is mostly written in
/// (ASCII, Cyrillic, Han, kana) without the general table lookup, which
/// otherwise dominates the cost of normalizing Chinese text.
#[inline]
fn is_alnum(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x0400..=0x0481
        | 0x048A..=0x052F
        | 0x3041..=0x3096
        | 0x30A1..=0x30FA
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// `char::is_alphabetic`, with the same shortcuts as [`is_alnum`].
#[inline]
fn is_alpha(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0x0400..=0x0481
        | 0x048A..=0x052F
        | 0x3041..=0x3096
        | 0x30A1..=0x30FA
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF => true,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_numeric`, with the same shortcuts as [`is_alnum`].
#[inline]
fn is_number(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_digit(),
        0x0400..=0x052F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF => false,
        _ => c.is_numeric(),
    }
}

#[cfg(test)]
mod tests;
