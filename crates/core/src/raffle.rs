//! Raffles (抽奖) that anyone can check: the pure parts. When a raffle
//! opens, Steward commits to a secret seed by publishing its SHA-256 hash;
//! when it closes, it publishes the seed, the digest of the entry list and
//! the winners, which follow from the seed and the entries alone.
//!
//! The draw (`steward-raffle-v1`), exactly as [`draw`] does it:
//!
//! 1. `seed` is 32 bytes, published as 64 lowercase hex digits;
//!    `seed_hash = hex(SHA-256(seed))`.
//! 2. The entries are the entrants' platform ids, sorted by their UTF-8
//!    bytes with duplicates removed (`LC_ALL=C sort -u`).
//!    `entries_digest = hex(SHA-256(e₁ "\n" e₂ "\n" … eₙ "\n"))`, so
//!    `printf '%s\n' ids… | LC_ALL=C sort -u | sha256sum` gives it.
//! 3. For `i` in `0..min(k, n)`: `h = SHA-256(seed ‖ digest ‖ be32(i))`,
//!    where `digest` is the 32 bytes of the entries digest and `be32(i)`
//!    is `i` as four big-endian bytes; `j = be64(h[0..8]) mod len(pool)`;
//!    the `j`-th entry of the pool (0-based, in sorted order) wins and is
//!    removed from the pool.
//!
//! The seed cannot be chosen after the entries are in (its hash was
//! published first), and the entries cannot be changed after the draw (their
//! digest is published with the winners, and every winner depends on it).
//!
//! Eligibility ([`Eligibility`], [`check`]) is pure too: the facts about a
//! member come in as arguments.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::i18n::Lang;

/// The name of the draw algorithm, written into every export.
pub const ALGORITHM: &str = "steward-raffle-v1";

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

/// The bytes of a hex string (either case); `None` if it is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let nibble = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

/// A seed read from its hex form: exactly 32 bytes.
pub fn parse_seed(text: &str) -> Option<[u8; 32]> {
    from_hex(text)?.try_into().ok()
}

/// The published commitment to a seed: hex of its SHA-256.
pub fn seed_hash(seed: &[u8]) -> String {
    to_hex(&Sha256::digest(seed))
}

/// The entries in canonical order: sorted by UTF-8 bytes, each once.
pub fn canonical(entries: &[String]) -> Vec<String> {
    let mut sorted = entries.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

fn digest_bytes(canonical: &[String]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for entry in canonical {
        hasher.update(entry.as_bytes());
        hasher.update(b"\n");
    }
    hasher.finalize().into()
}

/// The digest of the entry list (in canonical order, whatever order it is
/// given in), as hex.
pub fn entries_digest(entries: &[String]) -> String {
    to_hex(&digest_bytes(&canonical(entries)))
}

/// The winners, in the order drawn: at most `winners` of them, all of the
/// entries when there are fewer.
pub fn draw(seed: &[u8], entries: &[String], winners: usize) -> Vec<String> {
    let mut pool = canonical(entries);
    let digest = digest_bytes(&pool);
    let mut out = Vec::new();
    let mut i: u32 = 0;
    while out.len() < winners && !pool.is_empty() {
        let mut hasher = Sha256::new();
        hasher.update(seed);
        hasher.update(digest);
        hasher.update(i.to_be_bytes());
        let h = hasher.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&h[..8]);
        let len = u64::try_from(pool.len()).unwrap_or(u64::MAX);
        let j = usize::try_from(u64::from_be_bytes(first) % len).unwrap_or(0);
        out.push(pool.remove(j));
        i = i.saturating_add(1);
    }
    out
}

/// What a raffle publishes for checking: the verification file the
/// dashboard offers and `steward raffle verify` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The algorithm, [`ALGORITHM`].
    #[serde(default = "default_algorithm")]
    pub algorithm: String,
    /// The raffle's id in the Steward that ran it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raffle: Option<i64>,
    /// The raffle's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The hash published when the raffle opened.
    pub seed_hash: String,
    /// The seed revealed at the draw (hex); absent while the raffle is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
    /// How many winners the raffle draws; absent: as many as are listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winners_count: Option<u32>,
    /// The entrants' platform ids, in canonical order.
    pub entries: Vec<String>,
    /// The digest of the entry list.
    pub entries_digest: String,
    /// The winners, in the order drawn.
    pub winners: Vec<String>,
}

fn default_algorithm() -> String {
    ALGORITHM.to_owned()
}

/// One thing in a published draw that does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The file names an algorithm this version does not know.
    Algorithm(String),
    /// There is no seed (the raffle has not been drawn).
    NoSeed,
    /// The seed is not 64 hex digits.
    BadSeed,
    /// The seed does not hash to the published hash.
    SeedHash {
        /// The hash published.
        published: String,
        /// The seed's hash.
        computed: String,
    },
    /// An entry is empty or holds a line break (it could not be digested
    /// unambiguously).
    BadEntry(String),
    /// An entry appears twice.
    DuplicateEntry(String),
    /// The entry list does not hash to the published digest.
    EntriesDigest {
        /// The digest published.
        published: String,
        /// The list's digest.
        computed: String,
    },
    /// The winners do not follow from the seed and the entries.
    Winners {
        /// The winners published.
        published: Vec<String>,
        /// The winners the draw gives.
        computed: Vec<String>,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Algorithm(name) => {
                write!(f, "unknown algorithm `{name}` (this is {ALGORITHM})")
            }
            Mismatch::NoSeed => write!(f, "no seed: the raffle has not been drawn"),
            Mismatch::BadSeed => write!(f, "the seed is not 64 hex digits"),
            Mismatch::SeedHash {
                published,
                computed,
            } => write!(
                f,
                "seed hash mismatch: published {published}, the seed hashes to {computed}"
            ),
            Mismatch::BadEntry(entry) => write!(f, "entry {entry:?} is empty or has a line break"),
            Mismatch::DuplicateEntry(entry) => write!(f, "entry {entry:?} appears twice"),
            Mismatch::EntriesDigest {
                published,
                computed,
            } => write!(
                f,
                "entries digest mismatch: published {published}, the entries hash to {computed}"
            ),
            Mismatch::Winners {
                published,
                computed,
            } => write!(
                f,
                "winners mismatch: published [{}], the draw gives [{}]",
                published.join(", "),
                computed.join(", ")
            ),
        }
    }
}

/// Checks a published draw; empty when everything checks out.
pub fn verify(published: &Published) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if published.algorithm != ALGORITHM {
        out.push(Mismatch::Algorithm(published.algorithm.clone()));
        return out;
    }
    let seed = match published.seed.as_deref() {
        None => {
            out.push(Mismatch::NoSeed);
            None
        }
        Some(text) => match parse_seed(text) {
            Some(seed) => Some(seed),
            None => {
                out.push(Mismatch::BadSeed);
                None
            }
        },
    };
    if let Some(seed) = &seed {
        let computed = seed_hash(seed);
        if !computed.eq_ignore_ascii_case(published.seed_hash.trim()) {
            out.push(Mismatch::SeedHash {
                published: published.seed_hash.clone(),
                computed,
            });
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for entry in &published.entries {
        if entry.is_empty() || entry.contains(['\n', '\r']) {
            out.push(Mismatch::BadEntry(entry.clone()));
        } else if !seen.insert(entry.as_str()) {
            out.push(Mismatch::DuplicateEntry(entry.clone()));
        }
    }
    let computed = entries_digest(&published.entries);
    if !computed.eq_ignore_ascii_case(published.entries_digest.trim()) {
        out.push(Mismatch::EntriesDigest {
            published: published.entries_digest.clone(),
            computed,
        });
    }
    if let Some(seed) = &seed {
        let k = published
            .winners_count
            .map_or(published.winners.len(), |k| k as usize);
        let computed = draw(seed, &published.entries, k);
        if computed != published.winners {
            out.push(Mismatch::Winners {
                published: published.winners.clone(),
                computed,
            });
        }
    }
    out
}

/// Who may enter a raffle. Every rule left at zero is no rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Eligibility {
    /// Messages the member must have written in the group in the last
    /// `message_days` days.
    pub min_messages: u32,
    /// The window `min_messages` counts over, in days (0: all time).
    pub message_days: u32,
    /// Days the member must have been in the group.
    pub min_member_days: u32,
    /// Points the member must have.
    pub min_points: i64,
    /// Points an entry costs.
    pub entry_cost: i64,
}

/// What is known about a member who wants to enter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// Messages in the window.
    pub messages: u32,
    /// Whole days in the group; `None` when the join was never seen (the
    /// member was there before Steward).
    pub member_days: Option<u32>,
    /// The member's points; `None` when the group keeps no points.
    pub points: Option<i64>,
}

/// Why a member may not enter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    /// Too few messages in the window.
    TooFewMessages {
        /// Messages needed.
        need: u32,
        /// Messages written.
        have: u32,
        /// The window in days (0: all time).
        days: u32,
    },
    /// In the group for too short a time.
    TooNew {
        /// Days needed.
        need: u32,
        /// Days so far.
        have: u32,
    },
    /// Too few points (for the minimum or the entry's cost).
    TooFewPoints {
        /// Points needed.
        need: i64,
        /// Points the member has.
        have: i64,
    },
}

/// Whether a member with `facts` may enter; the first rule they miss.
pub fn check(rules: &Eligibility, facts: &Facts) -> Result<(), Ineligible> {
    if rules.min_messages > 0 && facts.messages < rules.min_messages {
        return Err(Ineligible::TooFewMessages {
            need: rules.min_messages,
            have: facts.messages,
            days: rules.message_days,
        });
    }
    if rules.min_member_days > 0 {
        // A member seen before Steward counts as long-standing.
        if let Some(have) = facts.member_days.filter(|d| *d < rules.min_member_days) {
            return Err(Ineligible::TooNew {
                need: rules.min_member_days,
                have,
            });
        }
    }
    let need = rules.min_points.max(rules.entry_cost);
    if need > 0
        && let Some(have) = facts.points
        && have < need
    {
        return Err(Ineligible::TooFewPoints { need, have });
    }
    Ok(())
}

/// What the bot says about raffles, in the group's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RaffleText<'a> {
    /// The announcement of an open raffle, with the seed's hash.
    Opened {
        /// The raffle's id.
        id: i64,
        /// Its title.
        title: &'a str,
        /// The prize.
        prize: &'a str,
        /// How many win.
        winners: u32,
        /// When it ends, formatted in the group's zone.
        ends: &'a str,
        /// The rules, as [`Eligibility`] says them.
        rules: Eligibility,
        /// The seed's hash.
        seed_hash: &'a str,
    },
    /// The result: winners, the seed, the entries' digest.
    Drawn {
        /// Its title.
        title: &'a str,
        /// The prize.
        prize: &'a str,
        /// How many entered.
        entries: usize,
        /// The winners' names, in the order drawn.
        winners: &'a [String],
        /// The seed, revealed.
        seed: &'a str,
        /// The hash published at the start.
        seed_hash: &'a str,
        /// The entries' digest.
        digest: &'a str,
    },
    /// An entry was taken.
    Entered {
        /// The member's name.
        name: &'a str,
        /// The raffle's title.
        title: &'a str,
        /// Points the entry cost.
        cost: i64,
    },
    /// The member had entered already.
    AlreadyEntered {
        /// The raffle's title.
        title: &'a str,
    },
    /// The member may not enter, and why.
    NotEligible(Ineligible),
    /// There is no open raffle (or not the one named).
    NoneOpen,
    /// The raffle has been drawn already.
    Closed {
        /// The raffle's title.
        title: &'a str,
    },
    /// Several are open: which one? Pairs of (id, title).
    Which(&'a [(i64, String)]),
    /// The label of the entry button.
    EnterButton,
}

fn pick(lang: Lang, zh: &str, ru: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::Ru => ru,
        Lang::En => en,
    }
    .to_owned()
}

fn rule_lines(rules: &Eligibility, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if rules.min_messages > 0 {
        let (n, d) = (rules.min_messages, rules.message_days);
        out.push(match (lang, d) {
            (Lang::Zh, 0) => format!("在本群发言至少 {n} 条"),
            (Lang::Zh, d) => format!("最近 {d} 天在本群发言至少 {n} 条"),
            (Lang::Ru, 0) => format!("не меньше {n} сообщений в группе"),
            (Lang::Ru, d) => format!("не меньше {n} сообщений в группе за последние {d} дн."),
            (Lang::En, 0) => format!("at least {n} messages in the group"),
            (Lang::En, d) => format!("at least {n} messages in the group in the last {d} days"),
        });
    }
    if rules.min_member_days > 0 {
        let d = rules.min_member_days;
        out.push(match lang {
            Lang::Zh => format!("入群至少 {d} 天"),
            Lang::Ru => format!("в группе не меньше {d} дн."),
            Lang::En => format!("a member for at least {d} days"),
        });
    }
    if rules.min_points > 0 {
        let p = rules.min_points;
        out.push(match lang {
            Lang::Zh => format!("积分至少 {p}"),
            Lang::Ru => format!("не меньше {p} баллов"),
            Lang::En => format!("at least {p} points"),
        });
    }
    if rules.entry_cost > 0 {
        let p = rules.entry_cost;
        out.push(match lang {
            Lang::Zh => format!("参与消耗 {p} 积分"),
            Lang::Ru => format!("участие стоит {p} баллов"),
            Lang::En => format!("an entry costs {p} points"),
        });
    }
    out
}

impl RaffleText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            RaffleText::Opened {
                id,
                title,
                prize,
                winners,
                ends,
                rules,
                seed_hash,
            } => {
                let rules = rule_lines(rules, lang);
                let rules = if rules.is_empty() {
                    pick(
                        lang,
                        "所有成员",
                        "все участники группы",
                        "everyone in the group",
                    )
                } else {
                    rules.join(match lang {
                        Lang::Zh => "；",
                        _ => "; ",
                    })
                };
                match lang {
                    Lang::Zh => format!(
                        "🎁 抽奖：{title}\n奖品：{prize}\n名额：{winners} 人\n截止：{ends}\n参与条件：{rules}\n点击下方按钮或发送 /enter {id} 参与，每人限一次。\n随机种子的 SHA-256：{seed_hash}\n开奖时公布种子、参与名单摘要和中奖者，任何人都可以用 steward raffle verify 核验。"
                    ),
                    Lang::Ru => format!(
                        "🎁 Розыгрыш: {title}\nПриз: {prize}\nПобедителей: {winners}\nИтоги: {ends}\nКто может участвовать: {rules}\nНажмите кнопку ниже или отправьте /enter {id}; участвовать можно один раз.\nSHA-256 случайного зерна: {seed_hash}\nПри подведении итогов будут опубликованы зерно, хеш списка участников и победители: любой может проверить их командой steward raffle verify."
                    ),
                    Lang::En => format!(
                        "🎁 Raffle: {title}\nPrize: {prize}\nWinners: {winners}\nDraw: {ends}\nWho may enter: {rules}\nPress the button below or send /enter {id}; one entry each.\nSHA-256 of the random seed: {seed_hash}\nAt the draw the seed, the digest of the entry list and the winners are published; anyone can check them with steward raffle verify."
                    ),
                }
            }
            RaffleText::Drawn {
                title,
                prize,
                entries,
                winners,
                seed,
                seed_hash,
                digest,
            } => {
                let head = match lang {
                    Lang::Zh => {
                        format!("🎉 抽奖「{title}」开奖！奖品：{prize}\n参与人数：{entries}")
                    }
                    Lang::Ru => format!(
                        "🎉 Итоги розыгрыша «{title}»! Приз: {prize}\nУчастников: {entries}"
                    ),
                    Lang::En => format!(
                        "🎉 The raffle \"{title}\" is drawn! Prize: {prize}\nEntries: {entries}"
                    ),
                };
                let list = if winners.is_empty() {
                    pick(
                        lang,
                        "无人参与，没有中奖者。",
                        "Никто не участвовал, победителей нет.",
                        "Nobody entered, so nobody wins.",
                    )
                } else {
                    let names = winners
                        .iter()
                        .enumerate()
                        .map(|(i, w)| format!("{}. {w}", i + 1))
                        .collect::<Vec<_>>()
                        .join("\n");
                    match lang {
                        Lang::Zh => format!("中奖者：\n{names}"),
                        Lang::Ru => format!("Победители:\n{names}"),
                        Lang::En => format!("Winners:\n{names}"),
                    }
                };
                let proof = match lang {
                    Lang::Zh => format!(
                        "种子：{seed}\n种子哈希（开始时公布）：{seed_hash}\n参与名单摘要：{digest}"
                    ),
                    Lang::Ru => format!(
                        "Зерно: {seed}\nХеш зерна (опубликован в начале): {seed_hash}\nХеш списка участников: {digest}"
                    ),
                    Lang::En => format!(
                        "Seed: {seed}\nSeed hash (published at the start): {seed_hash}\nEntry list digest: {digest}"
                    ),
                };
                format!("{head}\n{list}\n{proof}")
            }
            RaffleText::Entered { name, title, cost } => match (lang, *cost > 0) {
                (Lang::Zh, false) => format!("✅ {name} 已参加抽奖「{title}」。"),
                (Lang::Zh, true) => {
                    format!("✅ {name} 已参加抽奖「{title}」（消耗 {cost} 积分）。")
                }
                (Lang::Ru, false) => format!("✅ {name}, вы участвуете в розыгрыше «{title}»."),
                (Lang::Ru, true) => format!(
                    "✅ {name}, вы участвуете в розыгрыше «{title}» (списано баллов: {cost})."
                ),
                (Lang::En, false) => format!("✅ {name}, you're in the raffle \"{title}\"."),
                (Lang::En, true) => {
                    format!("✅ {name}, you're in the raffle \"{title}\" ({cost} points spent).")
                }
            },
            RaffleText::AlreadyEntered { title } => match lang {
                Lang::Zh => format!("你已经参加过抽奖「{title}」了，每人限一次。"),
                Lang::Ru => format!("Вы уже участвуете в розыгрыше «{title}»: только один раз."),
                Lang::En => format!("You're already in the raffle \"{title}\": one entry each."),
            },
            RaffleText::NotEligible(why) => match (*why, lang) {
                (
                    Ineligible::TooFewMessages {
                        need,
                        have,
                        days: 0,
                    },
                    Lang::Zh,
                ) => format!("暂不能参加：需要在本群发言至少 {need} 条，你目前 {have} 条。"),
                (Ineligible::TooFewMessages { need, have, days }, Lang::Zh) => format!(
                    "暂不能参加：需要最近 {days} 天在本群发言至少 {need} 条，你目前 {have} 条。"
                ),
                (
                    Ineligible::TooFewMessages {
                        need,
                        have,
                        days: 0,
                    },
                    Lang::Ru,
                ) => {
                    format!("Пока нельзя: нужно не меньше {need} сообщений в группе, у вас {have}.")
                }
                (Ineligible::TooFewMessages { need, have, days }, Lang::Ru) => format!(
                    "Пока нельзя: нужно не меньше {need} сообщений в группе за {days} дн., у вас {have}."
                ),
                (
                    Ineligible::TooFewMessages {
                        need,
                        have,
                        days: 0,
                    },
                    Lang::En,
                ) => format!(
                    "Not yet: you need at least {need} messages in the group, you have {have}."
                ),
                (Ineligible::TooFewMessages { need, have, days }, Lang::En) => format!(
                    "Not yet: you need at least {need} messages in the group in the last {days} days, you have {have}."
                ),
                (Ineligible::TooNew { need, have }, Lang::Zh) => {
                    format!("暂不能参加：需要入群至少 {need} 天，你入群 {have} 天。")
                }
                (Ineligible::TooNew { need, have }, Lang::Ru) => format!(
                    "Пока нельзя: нужно быть в группе не меньше {need} дн., вы в ней {have} дн."
                ),
                (Ineligible::TooNew { need, have }, Lang::En) => format!(
                    "Not yet: you need to have been in the group for {need} days, it has been {have}."
                ),
                (Ineligible::TooFewPoints { need, have }, Lang::Zh) => {
                    format!("暂不能参加：需要 {need} 积分，你有 {have} 积分。")
                }
                (Ineligible::TooFewPoints { need, have }, Lang::Ru) => {
                    format!("Пока нельзя: нужно {need} баллов, у вас {have}.")
                }
                (Ineligible::TooFewPoints { need, have }, Lang::En) => {
                    format!("Not yet: you need {need} points, you have {have}.")
                }
            },
            RaffleText::NoneOpen => pick(
                lang,
                "目前没有进行中的抽奖。",
                "Сейчас нет открытых розыгрышей.",
                "There is no open raffle right now.",
            ),
            RaffleText::Closed { title } => match lang {
                Lang::Zh => format!("抽奖「{title}」已经结束。"),
                Lang::Ru => format!("Розыгрыш «{title}» уже завершён."),
                Lang::En => format!("The raffle \"{title}\" is over."),
            },
            RaffleText::Which(open) => {
                let list = open
                    .iter()
                    .map(|(id, title)| format!("/enter {id} — {title}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                match lang {
                    Lang::Zh => format!("有多个抽奖正在进行，请选择：\n{list}"),
                    Lang::Ru => format!("Открыто несколько розыгрышей, выберите:\n{list}"),
                    Lang::En => format!("Several raffles are open; choose one:\n{list}"),
                }
            }
            RaffleText::EnterButton => pick(lang, "🎟 参加抽奖", "🎟 Участвовать", "🎟 Enter"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn hex_round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(from_hex(&to_hex(&bytes)).unwrap(), bytes);
        assert_eq!(from_hex("ABcd").unwrap(), vec![0xab, 0xcd]);
        assert!(from_hex("abc").is_none());
        assert!(from_hex("zz").is_none());
        assert!(parse_seed(&"00".repeat(31)).is_none());
    }

    #[test]
    fn known_vectors() {
        // SHA-256 of 32 zero bytes, and of "1\n2\n" (what `sha256sum` says).
        assert_eq!(
            seed_hash(&[0; 32]),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"
        );
        assert_eq!(
            entries_digest(&ids(&["2", "1", "2"])),
            "a6e2b7a040683432de03a18fd8a1939a2fdf82585b364bfc874bdd4095c4cae1"
        );
        assert_eq!(
            canonical(&ids(&["b", "a", "b", "10", "9"])),
            ids(&["10", "9", "a", "b"])
        );
    }

    #[test]
    fn the_draw_is_deterministic_and_draws_each_once() {
        let entries: Vec<String> = (1..=50).map(|i| format!("{}", 1000 + i * 7)).collect();
        let seed = [7u8; 32];
        let a = draw(&seed, &entries, 5);
        let mut shuffled = entries.clone();
        shuffled.reverse();
        assert_eq!(a, draw(&seed, &shuffled, 5));
        assert_eq!(a.len(), 5);
        let unique: std::collections::BTreeSet<_> = a.iter().collect();
        assert_eq!(unique.len(), 5);
        assert_ne!(a, draw(&[8u8; 32], &entries, 5));
        assert_eq!(draw(&seed, &entries[..3], 10).len(), 3);
        assert!(draw(&seed, &[], 3).is_empty());
        // The first winner of a longer draw is the winner of a draw of one.
        assert_eq!(draw(&seed, &entries, 1)[0], a[0]);
    }

    fn published() -> Published {
        let seed = [42u8; 32];
        let entries = canonical(&ids(&["111", "222", "333", "444"]));
        Published {
            algorithm: ALGORITHM.into(),
            raffle: Some(1),
            title: Some("t".into()),
            seed_hash: seed_hash(&seed),
            seed: Some(to_hex(&seed)),
            winners_count: Some(2),
            entries_digest: entries_digest(&entries),
            winners: draw(&seed, &entries, 2),
            entries,
        }
    }

    #[test]
    fn a_true_draw_verifies_and_tampering_is_named() {
        let good = published();
        assert_eq!(verify(&good), vec![]);

        let mut seed = good.clone();
        seed.seed = Some(to_hex(&[43u8; 32]));
        let found = verify(&seed);
        assert!(matches!(found[0], Mismatch::SeedHash { .. }), "{found:?}");

        let mut entry = good.clone();
        entry.entries[0] = "999".into();
        let found = verify(&entry);
        assert!(
            found
                .iter()
                .any(|m| matches!(m, Mismatch::EntriesDigest { .. })),
            "{found:?}"
        );

        let mut winner = good.clone();
        let loser = good
            .entries
            .iter()
            .find(|e| !good.winners.contains(e))
            .unwrap()
            .clone();
        winner.winners[0] = loser;
        let found = verify(&winner);
        assert!(
            matches!(found.as_slice(), [Mismatch::Winners { .. }]),
            "{found:?}"
        );

        let mut twice = good.clone();
        twice.entries.push(twice.entries[0].clone());
        assert!(
            verify(&twice)
                .iter()
                .any(|m| matches!(m, Mismatch::DuplicateEntry(_)))
        );

        let mut open = good;
        open.seed = None;
        assert_eq!(verify(&open), vec![Mismatch::NoSeed]);
        for m in verify(&seed).into_iter().chain(verify(&winner)) {
            assert!(!m.to_string().is_empty());
        }
    }

    #[test]
    fn eligibility_names_the_first_rule_missed() {
        let rules = Eligibility {
            min_messages: 3,
            message_days: 7,
            min_member_days: 2,
            min_points: 10,
            entry_cost: 20,
        };
        let ok = Facts {
            messages: 3,
            member_days: Some(2),
            points: Some(20),
        };
        assert_eq!(check(&rules, &ok), Ok(()));
        assert_eq!(
            check(&rules, &Facts { messages: 1, ..ok }),
            Err(Ineligible::TooFewMessages {
                need: 3,
                have: 1,
                days: 7
            })
        );
        assert_eq!(
            check(
                &rules,
                &Facts {
                    member_days: Some(0),
                    ..ok
                }
            ),
            Err(Ineligible::TooNew { need: 2, have: 0 })
        );
        assert_eq!(
            check(
                &rules,
                &Facts {
                    member_days: None,
                    ..ok
                }
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &rules,
                &Facts {
                    points: Some(15),
                    ..ok
                }
            ),
            Err(Ineligible::TooFewPoints { need: 20, have: 15 })
        );
        assert_eq!(check(&rules, &Facts { points: None, ..ok }), Ok(()));
        assert_eq!(check(&Eligibility::default(), &Facts::default()), Ok(()));
    }

    #[test]
    fn every_text_in_every_language() {
        let winners = ids(&["Ann", "Bo"]);
        let open = vec![(3, "Spring".to_owned()), (4, "Summer".to_owned())];
        let rules = Eligibility {
            min_messages: 5,
            message_days: 7,
            min_member_days: 3,
            min_points: 1,
            entry_cost: 2,
        };
        let samples: Vec<(RaffleText<'_>, Vec<&str>)> = vec![
            (
                RaffleText::Opened {
                    id: 9,
                    title: "T1",
                    prize: "Book",
                    winners: 2,
                    ends: "2030-01-01 20:00 UTC+08:00",
                    rules,
                    seed_hash: "abc123",
                },
                vec![
                    "T1",
                    "Book",
                    "2",
                    "2030-01-01 20:00 UTC+08:00",
                    "abc123",
                    "/enter 9",
                    "5",
                    "7",
                    "3",
                ],
            ),
            (
                RaffleText::Opened {
                    id: 9,
                    title: "T1",
                    prize: "Book",
                    winners: 2,
                    ends: "x",
                    rules: Eligibility::default(),
                    seed_hash: "abc123",
                },
                vec!["abc123"],
            ),
            (
                RaffleText::Drawn {
                    title: "T1",
                    prize: "Book",
                    entries: 4,
                    winners: &winners,
                    seed: "s33d",
                    seed_hash: "h4sh",
                    digest: "d1g",
                },
                vec!["T1", "Book", "4", "Ann", "Bo", "s33d", "h4sh", "d1g"],
            ),
            (
                RaffleText::Drawn {
                    title: "T1",
                    prize: "Book",
                    entries: 0,
                    winners: &[],
                    seed: "s33d",
                    seed_hash: "h4sh",
                    digest: "d1g",
                },
                vec!["s33d"],
            ),
            (
                RaffleText::Entered {
                    name: "Ann",
                    title: "T1",
                    cost: 0,
                },
                vec!["Ann", "T1"],
            ),
            (
                RaffleText::Entered {
                    name: "Ann",
                    title: "T1",
                    cost: 5,
                },
                vec!["Ann", "T1", "5"],
            ),
            (RaffleText::AlreadyEntered { title: "T1" }, vec!["T1"]),
            (
                RaffleText::NotEligible(Ineligible::TooFewMessages {
                    need: 5,
                    have: 1,
                    days: 7,
                }),
                vec!["5", "1", "7"],
            ),
            (
                RaffleText::NotEligible(Ineligible::TooFewMessages {
                    need: 5,
                    have: 1,
                    days: 0,
                }),
                vec!["5", "1"],
            ),
            (
                RaffleText::NotEligible(Ineligible::TooNew { need: 3, have: 1 }),
                vec!["3", "1"],
            ),
            (
                RaffleText::NotEligible(Ineligible::TooFewPoints { need: 30, have: 12 }),
                vec!["30", "12"],
            ),
            (RaffleText::NoneOpen, vec![]),
            (RaffleText::Closed { title: "T1" }, vec!["T1"]),
            (
                RaffleText::Which(&open),
                vec!["/enter 3", "Spring", "/enter 4"],
            ),
            (RaffleText::EnterButton, vec![]),
        ];
        for (text, args) in samples {
            let rendered: Vec<String> = Lang::ALL.iter().map(|&l| text.render(l)).collect();
            for out in &rendered {
                for arg in &args {
                    assert!(out.contains(arg), "{text:?} lacks {arg}: {out}");
                }
            }
            assert_ne!(rendered[0], rendered[1]);
            assert_ne!(rendered[1], rendered[2]);
            assert_ne!(rendered[0], rendered[2]);
        }
    }
}
