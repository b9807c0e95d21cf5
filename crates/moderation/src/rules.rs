//! Rules as admins write them, and the default rule set every group starts
//! with.

use serde::{Deserialize, Serialize};
use steward_core::AttachmentKind;

use crate::{BehaviourRules, TrustLevel};

/// A group's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The rules, checked together.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Flood, repeat, wave and raid limits.
    #[serde(default)]
    pub behaviour: BehaviourRules,
}

/// One rule. (Unknown fields cannot be refused here: serde does not support
/// that together with the flattened kind.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// A short stable id (`ads-zh`), shown in verdicts and the audit log.
    pub id: String,
    /// What the rule is against, shown to the member in the warning.
    pub description: String,
    /// How serious a hit is.
    #[serde(default)]
    pub severity: Severity,
    /// `enforce` (default) acts; `shadow` only records what it would have
    /// done, to try a rule before turning it on.
    #[serde(default)]
    pub mode: Mode,
    /// Mute length when this rule decides a mute, replacing the ladder's.
    #[serde(default)]
    pub mute_minutes: Option<i64>,
    /// Members at or above this trust level are spared. Default `leader`:
    /// only the group's own admins.
    #[serde(default = "leader")]
    pub spare_from: TrustLevel,
    /// Applies only to members below this trust level (`basic` means
    /// newcomers only). Default: everyone.
    #[serde(default)]
    pub only_below: Option<TrustLevel>,
    /// What the rule looks for.
    #[serde(flatten)]
    pub kind: RuleKind,
}

fn leader() -> TrustLevel {
    TrustLevel::Leader
}

/// Whether a rule acts or only records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Act on hits.
    #[default]
    Enforce,
    /// Record what would have been done; do nothing.
    Shadow,
}

impl Rule {
    /// A rule with the usual options: enforced, for everyone but admins.
    pub fn new(id: &str, description: &str, severity: Severity, kind: RuleKind) -> Rule {
        Rule {
            id: id.to_owned(),
            description: description.to_owned(),
            severity,
            mode: Mode::Enforce,
            mute_minutes: None,
            spare_from: TrustLevel::Leader,
            only_below: None,
            kind,
        }
    }
}

/// What a rule looks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleKind {
    /// Any of these words or phrases. By default Latin and Cyrillic words
    /// match whole words only, Chinese, Japanese and Korean anywhere, on the
    /// text with disguises folded away; the options change each of these.
    Keywords {
        /// The words.
        words: Vec<String>,
        /// Whole words or anywhere (default `auto`: whole words for
        /// Latin and Cyrillic, anywhere for Chinese, Japanese and Korean).
        #[serde(
            default,
            rename = "match",
            skip_serializing_if = "KeywordMatch::is_auto"
        )]
        matching: KeywordMatch,
        /// Fold disguises first (default): look-alike letters, separators
        /// between letters, repeats, contact-word stand-ins. `false`
        /// matches the text only lowercased.
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        normalize: bool,
        /// The rule fires only when at least this many different words of
        /// the list occur (default 1).
        #[serde(default = "one", skip_serializing_if = "is_one")]
        min_hits: usize,
    },
    /// A regular expression (the `regex` crate's syntax: no look-around, no
    /// back-references, so no pattern can take exponential time).
    Pattern {
        /// The expression, matched against the normalized text.
        regex: String,
    },
    /// Links to these domains (and their subdomains).
    DenyDomains {
        /// The domains.
        domains: Vec<String>,
    },
    /// Links to any domain not in this list.
    AllowDomains {
        /// The domains allowed (and their subdomains).
        domains: Vec<String>,
    },
    /// Any link at all (useful with `only_below` for newcomers).
    AnyLink,
    /// Invitations to other groups and channels (t.me/+..., t.me/joinchat,
    /// chat.whatsapp.com, discord.gg, qm.qq.com).
    InviteLinks,
    /// Phone numbers.
    Phones,
    /// WeChat and QQ ids offered as contacts.
    ContactIds,
    /// More than `max` mentions in one message.
    Mentions {
        /// Mentions allowed.
        max: usize,
    },
    /// More than `max` emoji in one message.
    Emoji {
        /// Emoji allowed.
        max: usize,
    },
    /// Shouting: more than `max_percent` of the letters in capitals, in a
    /// message with at least `min_letters` letters.
    Caps {
        /// Percent of capital letters allowed.
        max_percent: u8,
        /// Shorter messages are not judged.
        #[serde(default = "default_min_letters")]
        min_letters: usize,
    },
    /// Messages longer than `max_chars` characters.
    Length {
        /// Characters allowed.
        max_chars: usize,
    },
    /// Attachments of these types.
    Attachments {
        /// The types: photo, video, audio, voice, document, sticker,
        /// animation, contact, location, poll, card, other.
        kinds: Vec<AttachmentKind>,
    },
    /// The spam classifier (naive Bayes over character n-grams, plus
    /// near-duplicates of known spam) scores the text at or above
    /// `threshold` (default: the model's own, chosen for precision).
    Classifier {
        /// Spam probability from 0 to 1 that counts as a hit.
        #[serde(default)]
        threshold: Option<f32>,
    },
    /// Forwarded messages (from channels only, or from anywhere).
    Forwards {
        /// Only forwards from channels.
        #[serde(default)]
        channels_only: bool,
    },
}

fn default_min_letters() -> usize {
    10
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn one() -> usize {
    1
}

fn is_one(value: &usize) -> bool {
    *value == 1
}

/// Where a keyword may match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeywordMatch {
    /// Whole words for keywords that start or end with a letter or digit
    /// of a script written with spaces (Latin, Cyrillic, ...); anywhere for
    /// the rest (Chinese, Japanese and Korean have no spaces to find words
    /// by).
    #[default]
    Auto,
    /// Whole words only, for every keyword: no letter or digit of a spaced
    /// script right before or after it.
    Word,
    /// Anywhere, even inside a longer word.
    Substring,
}

impl KeywordMatch {
    fn is_auto(&self) -> bool {
        *self == KeywordMatch::Auto
    }
}

impl RuleKind {
    /// A keyword list with the default options.
    pub fn keywords<S: Into<String>>(words: impl IntoIterator<Item = S>) -> RuleKind {
        RuleKind::Keywords {
            words: words.into_iter().map(Into::into).collect(),
            matching: KeywordMatch::Auto,
            normalize: true,
            min_hits: 1,
        }
    }
}

/// How serious a hit is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a warning.
    Low,
    /// Spam and ads: climbs the ladder.
    #[default]
    Medium,
    /// Aggressive spam: climbs the ladder two steps at once.
    High,
    /// Fraud, scams, porn: straight to the top of the ladder.
    Critical,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Violation points a hit adds to the member's standing.
    pub fn points(self) -> i64 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 4,
            Severity::Critical => 100,
        }
    }
}

impl RuleSet {
    /// The rules every group starts with until its admins change them: the
    /// obvious ads, scams and invitations of Chinese, Russian and English
    /// group spam.
    pub fn default_rules() -> RuleSet {
        fn keywords(id: &str, description: &str, severity: Severity, words: &[&str]) -> Rule {
            Rule::new(
                id,
                description,
                severity,
                RuleKind::keywords(words.iter().copied()),
            )
        }
        fn pattern(id: &str, description: &str, severity: Severity, regex: &str) -> Rule {
            let regex = regex.to_owned();
            Rule::new(id, description, severity, RuleKind::Pattern { regex })
        }
        RuleSet {
            rules: vec![
                keywords(
                    "ads-zh",
                    "广告 / advertising",
                    Severity::Medium,
                    &[
                        "免费领取",
                        "兼职刷单",
                        "刷单",
                        "日结",
                        "代开发票",
                        "网赚",
                        "稳赚不赔",
                        "博彩",
                        "彩票内部",
                        "加微信领取",
                        "加v领取",
                        "私聊领取",
                        "招代理",
                        "躺赚",
                        "一单一结",
                        "手机兼职",
                        "点赞兼职",
                    ],
                ),
                pattern(
                    "contact-zh",
                    "引流加好友 / soliciting contacts",
                    Severity::Medium,
                    r"(加|\+)\s*(微信|威信|薇信|vx|v信|wx|v|qq|扣扣)\s*[:：]?\s*[a-z0-9_-]{5,}",
                ),
                keywords(
                    "ads-ru",
                    "реклама / advertising",
                    Severity::Medium,
                    &[
                        "заработок от",
                        "заработок в интернете",
                        "пиши в лс",
                        "пишите в лс",
                        "пишите в личку",
                        "без вложений",
                        "пассивный доход",
                        "казино",
                        "ставки на спорт",
                        "доход от",
                        "удаленная работа",
                        "удалённая работа",
                    ],
                ),
                keywords(
                    "ads-en",
                    "advertising",
                    Severity::Medium,
                    &[
                        "crypto airdrop",
                        "free usdt",
                        "claim now",
                        "dm me for",
                        "investment opportunity",
                        "work from home",
                        "casino bonus",
                        "guaranteed profit",
                        "earn money online",
                        "passive income",
                    ],
                ),
                pattern(
                    "earn-per-day",
                    "money-making ads",
                    Severity::Medium,
                    r"(earn|make)\s*\$?\s*\d{3,}\s*(\$|usd|dollars?)?\s*(a|per|/)\s*(day|week)",
                ),
                keywords(
                    "scam",
                    "诈骗 / мошенничество / scam",
                    Severity::Critical,
                    &[
                        "double your bitcoin",
                        "send 1 btc",
                        "wallet validation",
                        "recover your wallet",
                        "安全账户",
                        "冻结账户",
                        "刷流水",
                    ],
                ),
                Rule::new(
                    "invite-links",
                    "邀请链接 / приглашения в другие группы / invite links",
                    Severity::Medium,
                    RuleKind::InviteLinks,
                ),
                Rule::new(
                    "mention-spam",
                    "@ 太多人 / слишком много упоминаний / mass mentions",
                    Severity::Low,
                    RuleKind::Mentions { max: 5 },
                ),
                // Trusted members are spared: the classifier judges words,
                // and regulars' jokes about "free crypto" are not spam.
                Rule {
                    spare_from: TrustLevel::Member,
                    ..Rule::new(
                        "spam-classifier",
                        "垃圾信息 / спам / spam",
                        Severity::Medium,
                        RuleKind::Classifier {
                            threshold: Some(0.9),
                        },
                    )
                },
                // Shadow by default: many newcomers share good links; admins
                // look at what it would do before turning it on.
                Rule {
                    mode: Mode::Shadow,
                    only_below: Some(TrustLevel::Basic),
                    ..Rule::new(
                        "newcomer-links",
                        "新成员暂不可发链接 / новичкам нельзя ссылки / no links from newcomers yet",
                        Severity::Low,
                        RuleKind::AnyLink,
                    )
                },
            ],
            behaviour: BehaviourRules::default(),
        }
    }
}
