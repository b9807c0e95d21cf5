//! Rules as admins write them, and the default rule set every group starts
//! with.

use serde::{Deserialize, Serialize};

/// A group's rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// The rules, checked together.
    #[serde(default)]
    pub rules: Vec<Rule>,
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
    /// What the rule looks for.
    #[serde(flatten)]
    pub kind: RuleKind,
}

/// What a rule looks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleKind {
    /// Any of these words or phrases. Latin and Cyrillic words match whole
    /// words only; Chinese, Japanese and Korean match anywhere.
    Keywords {
        /// The words.
        words: Vec<String>,
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
    /// Invitations to other groups and channels (t.me/+..., t.me/joinchat,
    /// chat.whatsapp.com, discord.gg, qm.qq.com).
    InviteLinks,
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
            Rule {
                id: id.to_owned(),
                description: description.to_owned(),
                severity,
                kind: RuleKind::Keywords {
                    words: words.iter().map(|w| (*w).to_owned()).collect(),
                },
            }
        }
        fn pattern(id: &str, description: &str, severity: Severity, regex: &str) -> Rule {
            Rule {
                id: id.to_owned(),
                description: description.to_owned(),
                severity,
                kind: RuleKind::Pattern {
                    regex: regex.to_owned(),
                },
            }
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
                Rule {
                    id: "invite-links".to_owned(),
                    description: "邀请链接 / приглашения в другие группы / invite links".to_owned(),
                    severity: Severity::Medium,
                    kind: RuleKind::InviteLinks,
                },
            ],
        }
    }
}
