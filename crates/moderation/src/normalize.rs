//! Text normalization for matching, with a map back to the original text.
//!
//! Matching runs on a folded copy of the message (lower case, fullwidth forms
//! folded to ASCII, invisible characters removed), but evidence must point at
//! the original text, so every byte of the folded copy remembers which
//! original character it came from.

use std::ops::Range;

/// A message folded for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    text: String,
    /// For each byte of `text`, the byte range of the original character it
    /// came from.
    origin: Vec<(u32, u32)>,
}

impl Normalized {
    /// Folds `original`.
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (start, ch) in original.char_indices() {
            let end = start + ch.len_utf8();
            if is_invisible(ch) {
                continue;
            }
            let folded = fold_width(ch);
            for lower in folded.to_lowercase() {
                let before = text.len();
                text.push(lower);
                for _ in before..text.len() {
                    origin.push((to_u32(start), to_u32(end)));
                }
            }
        }
        Normalized { text, origin }
    }

    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The range of the original text that `range` of the folded text came
    /// from. Always on character boundaries of the original.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        if range.start >= range.end || range.end > self.origin.len() {
            return 0..0;
        }
        let start = self.origin.get(range.start).map_or(0, |o| o.0 as usize);
        let end = self.origin.get(range.end - 1).map_or(0, |o| o.1 as usize);
        start..end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Zero-width and bidirectional control characters, which spammers put
/// between letters to break keyword matching.
fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Fullwidth ASCII (`ｗｅｃｈａｔ`) to ASCII.
fn fold_width(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFF01 + 0x21).unwrap_or(ch),
        '\u{3000}' => ' ',
        _ => ch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_width_and_invisibles() {
        let n = Normalized::new("ＦＲＥＥ\u{200B}Usdt");
        assert_eq!(n.as_str(), "freeusdt");
    }

    #[test]
    fn maps_back_to_original_bytes() {
        let original = "Ｈi 加微信";
        let n = Normalized::new(original);
        let pos = n.as_str().find("微信").unwrap();
        let range = n.original_range(pos..pos + "微信".len());
        assert_eq!(&original[range], "微信");
        let range = n.original_range(0..1);
        assert_eq!(&original[range], "Ｈ");
    }
}
