//! Look-alike letters across Latin, Cyrillic and Greek, for folding words
//! that mix scripts.
//!
//! The pairs are the single-letter, lower-case entries of the Unicode
//! confusables data (UTS #39, `confusables.txt`, "MA" table) between the
//! three scripts, plus the italic/handwritten look-alikes Russian spammers
//! use in practice (`n`↔`п`, `u`↔`и`, `r`↔`г`, `b`↔`в`/`ь`). They are written
//! out by hand rather than taken from a crate because the crates that ship
//! the full table (`unicode-security`, `decancer`) fold whole strings towards
//! ASCII prototypes, which would also turn honest Cyrillic into Latin and
//! cannot say which input character produced which output character.
//!
//! Only lower case is listed: the normalizer lower-cases before it folds, so
//! the upper-case look-alikes (`Н`/`H`, `В`/`B`, `Т`/`T`, `М`/`M`) arrive here
//! as their lower-case letters.

/// The scripts whose letters are confused with each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    Latin,
    Cyrillic,
    Greek,
    Other,
}

/// The script of a (lower-cased) letter; `Other` for anything else,
/// including digits.
pub(super) fn script(c: char) -> Script {
    match c {
        'a'..='z' => Script::Latin,
        '\u{00C0}'..='\u{024F}'
        | '\u{0250}'..='\u{02AF}'
        | '\u{1D00}'..='\u{1D7F}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
            if c.is_alphabetic() =>
        {
            Script::Latin
        }
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{052F}' => Script::Cyrillic,
        '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' | '\u{A640}'..='\u{A69F}'
            if c.is_alphabetic() =>
        {
            Script::Cyrillic
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' if c.is_alphabetic() => Script::Greek,
        _ => Script::Other,
    }
}

/// The Latin letter a Cyrillic or Greek letter looks like.
pub(super) fn to_latin(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic
        'а' => 'a',
        'в' | 'ь' => 'b',
        'г' => 'r',
        'ԁ' => 'd',
        'е' | 'ѐ' | 'ё' => 'e',
        'ԍ' => 'g',
        'н' | 'һ' => 'h',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'п' => 'n',
        'о' => 'o',
        'р' => 'p',
        'ԛ' => 'q',
        'с' => 'c',
        'ѕ' => 's',
        'т' => 't',
        'и' => 'u',
        'ѵ' => 'v',
        'ԝ' => 'w',
        'х' | 'ҳ' => 'x',
        'у' | 'ү' => 'y',
        // Greek
        'α' => 'a',
        'β' | 'ϐ' => 'b',
        'γ' => 'y',
        'ε' | 'ϵ' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' | 'ϰ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' | 'ϱ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'ω' => 'w',
        'ϳ' => 'j',
        _ => return None,
    })
}

/// The Cyrillic letter a Latin or Greek letter looks like.
pub(super) fn to_cyrillic(c: char) -> Option<char> {
    Some(match c {
        // Latin
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'i' => 'і',
        'j' => 'ј',
        'k' => 'к',
        'm' => 'м',
        'n' => 'п',
        'o' => 'о',
        'p' => 'р',
        'r' => 'г',
        's' => 'ѕ',
        't' => 'т',
        'u' => 'и',
        'x' => 'х',
        'y' => 'у',
        // Greek
        'α' => 'а',
        'β' => 'в',
        'γ' => 'у',
        'ε' => 'е',
        'η' => 'п',
        'ι' => 'і',
        'κ' => 'к',
        'ο' => 'о',
        'ρ' => 'р',
        'τ' => 'т',
        'υ' => 'и',
        'χ' => 'х',
        _ => return None,
    })
}

/// Letters whose lower case is drawn exactly like a letter of another of the
/// three scripts (`о`/`o`), as opposed to look-alikes that only hold in
/// upper case or in handwriting (`н`/`h`, `п`/`n`).
pub(super) fn is_twin(c: char) -> bool {
    matches!(
        c,
        'a' | 'c'
            | 'e'
            | 'i'
            | 'j'
            | 'o'
            | 'p'
            | 's'
            | 'x'
            | 'y'
            | 'а'
            | 'с'
            | 'е'
            | 'і'
            | 'ј'
            | 'о'
            | 'р'
            | 'ѕ'
            | 'х'
            | 'у'
            | 'ο'
    )
}

/// Latin letters that NFKC leaves alone although they are just a plain
/// letter in disguise: small capitals (`ꜰʀᴇᴇ`), letters with a stroke or
/// hook that is part of the letter rather than a combining mark (`ƒ`, `ł`,
/// `ø`), dotless i and j. Applied to every word whatever its script, since
/// these are Latin-only shapes.
pub(super) fn plain_latin(c: char) -> Option<char> {
    Some(match c {
        'ᴀ' | 'ɑ' => 'a',
        'ʙ' | 'ƀ' => 'b',
        'ᴄ' => 'c',
        'ᴅ' | 'đ' => 'd',
        'ᴇ' | 'ɛ' => 'e',
        'ꜰ' | 'ƒ' => 'f',
        'ɢ' | 'ɡ' => 'g',
        'ʜ' | 'ħ' => 'h',
        'ɪ' | 'ı' | 'ɨ' => 'i',
        'ᴊ' | 'ȷ' => 'j',
        'ᴋ' => 'k',
        'ʟ' | 'ł' => 'l',
        'ᴍ' => 'm',
        'ɴ' => 'n',
        'ᴏ' | 'ø' | 'ɵ' => 'o',
        'ᴘ' => 'p',
        'ꞯ' => 'q',
        'ʀ' => 'r',
        'ꜱ' => 's',
        'ᴛ' | 'ŧ' => 't',
        'ᴜ' | 'ʉ' => 'u',
        'ᴠ' => 'v',
        'ᴡ' => 'w',
        'ʏ' => 'y',
        'ᴢ' => 'z',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_cross_scripts_and_land_in_the_target_script() {
        for c in ('\u{0370}'..='\u{03FF}').chain('\u{0400}'..='\u{052F}') {
            if let Some(l) = to_latin(c) {
                assert_eq!(script(l), Script::Latin, "{c}");
                assert_ne!(script(c), Script::Latin, "{c}");
            }
        }
        for c in ('a'..='z').chain('\u{0370}'..='\u{03FF}') {
            if let Some(l) = to_cyrillic(c) {
                assert_eq!(script(l), Script::Cyrillic, "{c}");
                assert_ne!(script(c), Script::Cyrillic, "{c}");
            }
        }
        for c in '\u{00C0}'..='\u{FFFF}' {
            if let Some(l) = plain_latin(c) {
                assert!(l.is_ascii_lowercase(), "{c}");
            }
        }
    }
}
