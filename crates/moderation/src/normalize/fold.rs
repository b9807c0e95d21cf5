//! Character folding: the first pass, one original character at a time.
//!
//! Each original character becomes zero or more units, all remembering the
//! original character's byte range: compatibility decomposition (NFKD) per
//! character, lower case, noise marks and invisible characters dropped,
//! traditional Han folded to simplified, then canonical composition with the
//! unit before (so Hangul, kana voicing marks and Indic vowel signs come back
//! together as NFKC would put them). Working per character rather than on
//! the whole string is what keeps the map to the original exact; the price
//! is that no reordering of combining marks happens across characters,
//! which matters for no script this engine cares about.

use unicode_normalization::char::{compose, decompose_compatible};

use super::cjk::{self, T2s};
use super::confusables::plain_latin;
use super::{REMOVED, Unit};

/// Folds every character of `original` into `units`.
pub(super) fn fold_chars(original: &str, units: &mut Vec<Unit>) {
    units.reserve(original.len());
    if original.is_ascii() {
        // Most chat in Latin script: no decoding, no table, and an exact
        // size, so the copy needs no per-character capacity check.
        units.extend(original.bytes().enumerate().map(|(start, byte)| {
            let s = to_u32(start);
            Unit::new(fold_ascii(byte), s, s.saturating_add(1))
        }));
        if original.bytes().any(|b| fold_ascii(b) == REMOVED) {
            units.retain(|u| u.ch != REMOVED);
        }
        return;
    }
    let t2s = cjk::t2s();
    for (start, ch) in original.char_indices() {
        let s = to_u32(start);
        let e = to_u32(start + ch.len_utf8());
        if ch.is_ascii()
            && let Ok(byte) = u8::try_from(ch)
        {
            let ch = fold_ascii(byte);
            if ch != REMOVED {
                units.push(Unit::new(ch, s, e));
            }
        } else {
            fold_other(ch, s, e, t2s, units);
        }
    }
}

/// An ASCII character folded: lower case, white space to a space, other
/// control characters to [`REMOVED`].
fn fold_ascii(byte: u8) -> char {
    match byte {
        b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C' => ' ',
        0..=0x1F | 0x7F => REMOVED,
        _ => char::from(byte.to_ascii_lowercase()),
    }
}

/// Byte offsets are stored as `u32` to halve the map; texts of 4 GiB and
/// more are not chat messages, and saturating keeps the map monotone.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn fold_other(ch: char, s: u32, e: u32, t2s: &T2s, units: &mut Vec<Unit>) {
    // Shortcuts for the bulk of Russian and Chinese text: these have no
    // decomposition, and Russian upper case is a fixed offset away.
    if cjk::is_han(ch) {
        return units.push(Unit::new(t2s.simplify(ch), s, e));
    }
    match ch as u32 {
        0x0430..=0x044F if ch != 'й' => return units.push(Unit::new(ch, s, e)),
        0x0410..=0x042F if ch != 'Й' => {
            let lower = char::from_u32(ch as u32 + 0x20).unwrap_or(ch);
            return units.push(Unit::new(lower, s, e));
        }
        _ => {}
    }
    if is_invisible(ch) {
        return;
    }
    match ch {
        // Keep й a letter of its own: folding it to и would make мой, свой
        // look like мои, свои. ё is written as е by most Russians anyway.
        'й' | 'Й' => return units.push(Unit::new('й', s, e)),
        'ё' | 'Ё' => return units.push(Unit::new('е', s, e)),
        // Full case folding where lower-casing is not enough.
        'ß' | 'ẞ' => {
            units.push(Unit::new('s', s, e));
            return units.push(Unit::new('s', s, e));
        }
        // ➕ is an emoji with no decomposition, used for "add" (➕v).
        '➕' => return units.push(Unit::new('+', s, e)),
        // Negative circled and squared letters (🅐, 🅰) have no
        // decomposition either, unlike their plain counterparts.
        '\u{1F150}'..='\u{1F169}' => {
            return units.push(Unit::new(offset_letter(ch, 0x1F150), s, e));
        }
        '\u{1F170}'..='\u{1F189}' => {
            return units.push(Unit::new(offset_letter(ch, 0x1F170), s, e));
        }
        // Braille blank renders as a space and is used as one.
        '\u{2800}' => return units.push(Unit::new(' ', s, e)),
        _ => {}
    }
    let mut parts = Parts::default();
    decompose_compatible(ch, |c| parts.push(c));
    // Parenthesized and full-stop forms (⒡, ⑴, ⒈, ㏂) decompose into the
    // letter plus ASCII punctuation; the punctuation would split the word.
    let strip_punctuation = parts.len > 1 && parts.as_slice().iter().any(|c| c.is_alphanumeric());
    for &part in parts.as_slice() {
        if strip_punctuation && part.is_ascii_punctuation() {
            continue;
        }
        for lower in part.to_lowercase() {
            if lower.is_ascii() || lower == part {
                push_piece(lower, s, e, t2s, units);
            } else {
                // Lower-casing can leave a compatibility character or split
                // off a combining mark (İ → i + U+0307): decompose again.
                decompose_compatible(lower, |c| push_piece(c, s, e, t2s, units));
            }
        }
    }
}

fn push_piece(c: char, s: u32, e: u32, t2s: &T2s, units: &mut Vec<Unit>) {
    if c.is_ascii() {
        if c.is_ascii_control() {
            return;
        }
        return units.push(Unit::new(c, s, e));
    }
    if is_noise_mark(c) {
        // The mark belongs to the letter before it, so evidence ending at
        // that letter takes the mark along instead of cutting the glyph.
        if let Some(last) = units.last_mut() {
            last.end = last.end.max(e);
            // и + combining breve is a decomposed й: keep it (see above).
            if c == '\u{0306}' && last.ch == 'и' {
                last.ch = 'й';
            }
        }
        return;
    }
    if is_invisible(c) {
        return;
    }
    if c.is_whitespace() {
        return units.push(Unit::new(' ', s, e));
    }
    if cjk::is_han(c) {
        return units.push(Unit::new(t2s.simplify(c), s, e));
    }
    let c = match c {
        'ς' => 'σ',
        _ => plain_latin(c).unwrap_or(c),
    };
    if !c.is_ascii()
        && let Some(last) = units.last_mut()
        && !last.ch.is_ascii()
        && let Some(composed) = compose(last.ch, c)
    {
        last.ch = composed;
        last.end = e;
        return;
    }
    units.push(Unit::new(c, s, e));
}

fn offset_letter(ch: char, base: u32) -> char {
    char::from_u32('a' as u32 + (ch as u32 - base)).unwrap_or(ch)
}

/// Characters that render as nothing (or nearly) and are put between
/// letters to break matching: zero-width spaces and joiners, bidi controls,
/// soft hyphen, variation selectors, Hangul fillers, tag characters, C1
/// controls.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x0080..=0x009F
        | 0x00AD
        | 0x034F
        | 0x061C
        | 0x115F..=0x1160
        | 0x17B4..=0x17B5
        | 0x180B..=0x180F
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x206F
        | 0x3164
        | 0xFE00..=0xFE0F
        | 0xFEFF
        | 0xFFA0
        | 0xFFF9..=0xFFFB
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Generic combining diacritics, the material of "Zalgo" text and of
/// accents that change nothing for matching (é, ё, ά). Script-specific marks
/// (Indic vowel signs, kana voicing) are not in these blocks and are kept.
fn is_noise_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The decomposition of one character. The longest compatibility
/// decomposition in Unicode (U+FDFA) has 18 characters.
struct Parts {
    chars: [char; 24],
    len: usize,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            chars: ['\0'; 24],
            len: 0,
        }
    }
}

impl Parts {
    fn push(&mut self, c: char) {
        if let Some(slot) = self.chars.get_mut(self.len) {
            *slot = c;
            self.len += 1;
        }
    }

    fn as_slice(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or_default()
    }
}
