//! CAPTCHA challenges for newcomers and applicants: "press the 🍎" among
//! shuffled emoji buttons, or a small sum answered with a button or by text.
//!
//! Pure and deterministic: a challenge is generated from a seed the caller
//! derives from its cause (the join event), so the same join always gets the
//! same challenge and a replay decides the same way. The challenge is stored
//! whole with the screening, so checking needs nothing but it.

use serde::{Deserialize, Serialize};

use crate::{ActionKind, Capabilities, Platform};

/// How many buttons an emoji challenge shows.
pub const EMOJI_CHOICES: usize = 6;
/// How many buttons an arithmetic challenge shows (in groups, where a muted
/// newcomer cannot type).
pub const NUMBER_CHOICES: usize = 6;

/// The emoji the target and the decoys are drawn from: distinct shapes and
/// colours, so a person never confuses two of them.
const EMOJI: [&str; 16] = [
    "🍎", "🍌", "🍇", "🍉", "🍒", "🍋", "🥕", "🌽", "🍄", "🐟", "🐱", "🐶", "🚗", "⚽", "🌙", "⭐",
];

/// The kind of challenge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaptchaKind {
    /// Press the named emoji among shuffled ones.
    #[default]
    Emoji,
    /// Give the result of a small sum.
    Arithmetic,
}

/// One challenge: what is shown, the buttons, and the right answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// The kind.
    pub kind: CaptchaKind,
    /// What to look for: the emoji to press, or the sum (`3 + 4`).
    pub prompt: String,
    /// The button labels, shuffled; the right one is among them.
    pub options: Vec<String>,
    /// The right answer (an emoji, or digits).
    pub answer: String,
}

/// A small deterministic generator (SplitMix64): no dependency, and the same
/// seed gives the same sequence on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// A seed from any text (an event id, a member id): FNV-1a.
pub fn seed_of(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

impl Challenge {
    /// A challenge of `kind` from `seed`.
    pub fn generate(kind: CaptchaKind, seed: u64) -> Challenge {
        let mut rng = Rng(seed);
        match kind {
            CaptchaKind::Emoji => {
                let mut pool: Vec<&str> = EMOJI.to_vec();
                rng.shuffle(&mut pool);
                let mut options: Vec<String> = pool
                    .iter()
                    .take(EMOJI_CHOICES)
                    .map(|&e| e.to_owned())
                    .collect();
                let answer = options[rng.below(options.len())].clone();
                rng.shuffle(&mut options);
                Challenge {
                    kind,
                    prompt: answer.clone(),
                    options,
                    answer,
                }
            }
            CaptchaKind::Arithmetic => {
                let a = 2 + rng.below(8);
                let b = 1 + rng.below(8);
                let (prompt, result) = if rng.below(2) == 0 || b >= a {
                    (format!("{a} + {b}"), a + b)
                } else {
                    (format!("{a} − {b}"), a - b)
                };
                // Decoys near the answer, so guessing by size does not help.
                let mut numbers = vec![result];
                let mut step = 1;
                while numbers.len() < NUMBER_CHOICES {
                    for candidate in [result + step, result.wrapping_sub(step)] {
                        if candidate <= 20 && !numbers.contains(&candidate) {
                            numbers.push(candidate);
                        }
                    }
                    step += 1;
                }
                numbers.truncate(NUMBER_CHOICES);
                let mut options: Vec<String> = numbers.iter().map(ToString::to_string).collect();
                rng.shuffle(&mut options);
                Challenge {
                    kind,
                    prompt,
                    options,
                    answer: result.to_string(),
                }
            }
        }
    }

    /// Whether the button at `index` is the right one.
    pub fn check_choice(&self, index: usize) -> bool {
        self.options.get(index).is_some_and(|o| *o == self.answer)
    }

    /// Whether a typed answer is right: the last whole number in the text
    /// counts, so surrounding text, working shown and full-width digits
    /// are forgiven ("７", "it's 7", "3+4=7", "7!"); another number is not.
    pub fn check_text(&self, text: &str) -> bool {
        match self.kind {
            CaptchaKind::Emoji => text.trim() == self.answer,
            CaptchaKind::Arithmetic => last_number(text).is_some_and(|n| n == self.answer),
        }
    }
}

/// The last run of digits in `text` (full-width digits read as plain
/// ones), without leading zeros.
fn last_number(text: &str) -> Option<String> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
        _ => None,
    };
    let mut last: Option<String> = None;
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        match digit(c) {
            Some(d) => run.push(d),
            None if !run.is_empty() => last = Some(std::mem::take(&mut run)),
            None => {}
        }
    }
    last.map(|n| match n.trim_start_matches('0') {
        "" => "0".to_owned(),
        trimmed => trimmed.to_owned(),
    })
}

/// Whether newcomers on `platform` can be given a CAPTCHA in the group:
/// it is answered by pressing a button under the challenge (a newcomer is
/// muted, so cannot type), and a platform whose members cannot press the
/// buttons a bot sends (QQ through OneBot: no inline keyboards, nothing to
/// answer a press with) cannot.
pub fn buttons_in_groups(platform: Platform) -> bool {
    Capabilities::of_platform(platform).supports(ActionKind::AnswerButton)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_challenge() {
        for kind in [CaptchaKind::Emoji, CaptchaKind::Arithmetic] {
            assert_eq!(Challenge::generate(kind, 42), Challenge::generate(kind, 42));
        }
        let differ = (0..20)
            .map(|s| Challenge::generate(CaptchaKind::Emoji, s))
            .collect::<Vec<_>>();
        assert!(differ.iter().any(|c| c.answer != differ[0].answer));
    }

    #[test]
    fn every_challenge_has_its_answer_once_among_distinct_options() {
        for seed in 0..500 {
            for kind in [CaptchaKind::Emoji, CaptchaKind::Arithmetic] {
                let c = Challenge::generate(kind, seed_of(&seed.to_string()));
                let right: Vec<usize> = (0..c.options.len())
                    .filter(|&i| c.check_choice(i))
                    .collect();
                assert_eq!(right.len(), 1, "{c:?}");
                let mut sorted = c.options.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(sorted.len(), c.options.len(), "{c:?}");
                assert!(!c.check_choice(c.options.len()));
            }
        }
    }

    #[test]
    fn arithmetic_is_small_and_right() {
        for seed in 0..200 {
            let c = Challenge::generate(CaptchaKind::Arithmetic, seed);
            let parts: Vec<&str> = c.prompt.split(' ').collect();
            let (a, b): (usize, usize) = (parts[0].parse().unwrap(), parts[2].parse().unwrap());
            let result = if parts[1] == "+" { a + b } else { a - b };
            assert_eq!(c.answer, result.to_string());
            assert!(c.check_text(&format!(" {result} ")));
            assert!(!c.check_text(&format!("{}", result + 1)));
            assert!(!c.check_text("no idea"));
        }
    }

    #[test]
    fn typed_answers_forgive_full_width_digits_and_words_around() {
        let c = Challenge {
            kind: CaptchaKind::Arithmetic,
            prompt: "3 + 4".into(),
            options: vec![],
            answer: "7".into(),
        };
        assert!(c.check_text("７"));
        assert!(c.check_text("it's 7"));
        assert!(!c.check_text("77"));
    }

    #[test]
    fn the_last_number_counts_when_working_is_shown() {
        let c = Challenge {
            kind: CaptchaKind::Arithmetic,
            prompt: "3 + 4".into(),
            options: vec![],
            answer: "7".into(),
        };
        assert!(c.check_text("3+4=7"));
        assert!(c.check_text("3 + 4 = ７"));
        assert!(c.check_text("7!"));
        assert!(c.check_text("07"));
        assert!(!c.check_text("7 or 8"));
        assert!(!c.check_text("3+4"));
        assert!(!c.check_text(""));
        let zero = Challenge {
            answer: "0".into(),
            ..c
        };
        assert!(zero.check_text("4-4=0"));
    }

    #[test]
    fn buttons_in_groups_need_a_platform_with_buttons() {
        assert!(buttons_in_groups(Platform::Telegram));
        assert!(buttons_in_groups(Platform::Http));
        assert!(!buttons_in_groups(Platform::Onebot));
    }
}
