//! `steward bench moderation`: the whole engine on one core, against the
//! naive method many group bots use (every keyword and every regex tried one
//! after another), on the same corpus in the same run: the naive method on
//! a sample spread over it, the two taking turns so that other load on the
//! machine weighs on both alike.

use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use regex::Regex;
use serde_json::json;
use steward_core::EventPayload;
use steward_demo::{Demo, DemoSpec};
use steward_moderation::{Engine, Rule, RuleKind, RuleSet, Severity, Subject};

use crate::cli::BenchModerationArgs;

/// Runs the benchmark and prints one JSON object.
pub(crate) fn run(args: &BenchModerationArgs) -> Result<()> {
    let corpus = corpus(args.messages.max(1));
    let (keywords, patterns) = big_rule_lists();
    let mut rule_set = RuleSet::default_rules();
    rule_set.rules.push(Rule::new(
        "bench-keywords",
        "bench",
        Severity::Medium,
        RuleKind::keywords(keywords.clone()),
    ));
    for (i, pattern) in patterns.iter().enumerate() {
        rule_set.rules.push(Rule::new(
            &format!("bench-pattern-{i}"),
            "bench",
            Severity::Low,
            RuleKind::Pattern {
                regex: pattern.clone(),
            },
        ));
    }
    rule_set.rules.push(Rule::new(
        "bench-domains",
        "bench",
        Severity::High,
        RuleKind::DenyDomains {
            domains: (0..500).map(|i| format!("spam{i}.example")).collect(),
        },
    ));
    let compile_started = Instant::now();
    let engine = Engine::compile(&rule_set)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_model(std::sync::Arc::new(steward_classifier::Model::starter()?));
    let compile_ms = compile_started.elapsed().as_secs_f64() * 1000.0;

    // The naive method (below) gets a sample spread over the whole corpus,
    // so that it sees the same mix of languages and spam as the engine.
    let naive = Naive::new(&keywords, &patterns);
    let step = (corpus.len() / args.naive_messages.clamp(1, corpus.len())).max(1);
    let naive_corpus: Vec<&String> = corpus
        .iter()
        .step_by(step)
        .take(args.naive_messages.max(1))
        .collect();

    // Warm up both: regexes build their search caches on first use.
    for text in corpus.iter().take(1000) {
        std::hint::black_box(engine.check_subject(&Subject::text(text)));
    }
    for text in naive_corpus.iter().take(50) {
        std::hint::black_box(naive.hit(text));
    }

    // Throughput, with no per-message timing. The two methods take turns,
    // a slice of each per round, so that a busy moment on a shared machine
    // slows both and leaves their ratio alone.
    let (mut violations, mut naive_hits) = (0usize, 0usize);
    let (mut elapsed, mut naive_elapsed) = (0.0f64, 0.0f64);
    for round in 0..ROUNDS {
        let slice = |len: usize| len * round / ROUNDS..len * (round + 1) / ROUNDS;
        let started = Instant::now();
        for text in corpus.get(slice(corpus.len())).unwrap_or_default() {
            violations += usize::from(engine.check_subject(&Subject::text(text)).is_violation());
        }
        elapsed += started.elapsed().as_secs_f64();
        let started = Instant::now();
        for text in naive_corpus
            .get(slice(naive_corpus.len()))
            .unwrap_or_default()
        {
            naive_hits += usize::from(naive.hit(text));
        }
        naive_elapsed += started.elapsed().as_secs_f64();
    }
    std::hint::black_box(naive_hits);
    let messages_per_second = corpus.len() as f64 / elapsed;
    let naive_messages_per_second = naive_corpus.len() as f64 / naive_elapsed;

    // Latency: each message timed on its own.
    let mut micros: Vec<f64> = corpus
        .iter()
        .map(|text| {
            let t = Instant::now();
            std::hint::black_box(engine.check_subject(&Subject::text(text)));
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    if args.show_slowest > 0 {
        let mut timed: Vec<(f64, &String)> = micros.iter().copied().zip(corpus.iter()).collect();
        timed.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (us, text) in timed.iter().take(args.show_slowest) {
            eprintln!("{us:.1} µs: {text:?}");
        }
    }
    micros.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        micros
            .get(((micros.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0.0)
    };

    let report = json!({
        "benchmark": "moderation",
        "messages": corpus.len(),
        "keywords": keywords.len(),
        "patterns": patterns.len(),
        "rules": engine.rule_count(),
        "compile_ms": round(compile_ms),
        "violations": violations,
        "messages_per_second": messages_per_second.round(),
        "p50_micros": round(pick(0.50)),
        "p99_micros": round(pick(0.99)),
        "naive_messages": naive_corpus.len(),
        "naive_messages_per_second": naive_messages_per_second.round(),
        "speedup": round(messages_per_second / naive_messages_per_second),
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// Rounds in which the engine and the naive method take turns.
const ROUNDS: usize = 10;

/// The naive method many group bots use: every keyword, then every regex,
/// tried one after another on the lowercased text.
struct Naive {
    keywords: Vec<String>,
    regexes: Vec<Regex>,
}

impl Naive {
    fn new(keywords: &[String], patterns: &[String]) -> Naive {
        Naive {
            keywords: keywords.iter().map(|k| k.to_lowercase()).collect(),
            regexes: patterns
                .iter()
                .filter_map(|p| {
                    regex::RegexBuilder::new(p)
                        .case_insensitive(true)
                        .size_limit(1 << 20)
                        .build()
                        .ok()
                })
                .collect(),
        }
    }

    /// Whether any keyword or pattern matches.
    fn hit(&self, text: &str) -> bool {
        let lower = text.to_lowercase();
        self.keywords.iter().any(|k| lower.contains(k.as_str()))
            || self.regexes.iter().any(|r| r.is_match(&lower))
    }
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Mixed Chinese, Russian and English chat with disguised spam: the demo
/// community's messages.
fn corpus(n: usize) -> Vec<String> {
    let mut texts = Vec::with_capacity(n);
    let start = Utc::now() - chrono::Duration::days(60);
    while texts.len() < n {
        let mut demo = Demo::new(DemoSpec::standard(start));
        loop {
            let batch = demo.next_batch(1000);
            if batch.is_empty() || texts.len() >= n {
                break;
            }
            texts.extend(batch.into_iter().filter_map(|e| match e.payload {
                EventPayload::Message { message } if !message.text.is_empty() => Some(message.text),
                _ => None,
            }));
        }
    }
    texts.truncate(n);
    texts
}

/// 10,000 keywords in three scripts and 200 patterns, made up but shaped
/// like real lists (short CJK phrases, inflected Russian, English phrases).
fn big_rule_lists() -> (Vec<String>, Vec<String>) {
    const ZH: &[char] = &[
        '刷', '单', '兼', '职', '日', '结', '返', '利', '代', '理', '投', '资', '赚', '钱', '红',
        '包', '彩', '票', '博', '贷', '款', '信', '用', '卡', '套', '现', '股', '票', '群', '推',
    ];
    const RU: &[&str] = &[
        "зараб",
        "доход",
        "ставк",
        "казин",
        "бонус",
        "крипт",
        "инвест",
        "прибыл",
        "выплат",
        "кредит",
        "займ",
        "схем",
        "сигнал",
        "трейд",
    ];
    const RU_END: &[&str] = &["ок", "а", "и", "ы", "ов", "ами", "ей"];
    const EN: &[&str] = &[
        "free", "crypto", "bonus", "casino", "profit", "signal", "invest", "loan", "airdrop",
        "giveaway", "promo", "cash", "earn", "forex", "token",
    ];
    const EN2: &[&str] = &[
        "now", "today", "offer", "deal", "club", "group", "link", "code", "pump", "win",
    ];
    let mut keywords = Vec::with_capacity(10_000);
    let mut i = 0usize;
    while keywords.len() < 10_000 {
        let word = match i % 3 {
            0 => {
                let a = ZH[i % ZH.len()];
                let b = ZH[(i / ZH.len()) % ZH.len()];
                let c = ZH[(i / 7 + 3) % ZH.len()];
                format!("{a}{b}{c}{}", ZH[(i / 11) % ZH.len()])
            }
            1 => format!(
                "{}{}{}",
                RU[i % RU.len()],
                RU_END[(i / RU.len()) % RU_END.len()],
                i / 100
            ),
            _ => format!(
                "{} {} {}",
                EN[i % EN.len()],
                EN2[(i / EN.len()) % EN2.len()],
                i / 150
            ),
        };
        keywords.push(word);
        i += 1;
    }
    let patterns = (0..200)
        .map(|i| match i % 4 {
            0 => format!(r"{}\s*\d{{3,}}\s*(usdt|btc|\$)", EN[i % EN.len()]),
            1 => format!(r"{}\w*\s+от\s+\d{{4,}}", RU[i % RU.len()]),
            2 => format!(
                r"{}{}.{{0,6}}\d{{2,}}",
                ZH[i % ZH.len()],
                ZH[(i / 3) % ZH.len()]
            ),
            _ => format!(r"(join|вступай|加入)\s+\S*{}\S*", EN2[i % EN2.len()]),
        })
        .collect();
    (keywords, patterns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_lists_compile_and_have_the_sizes_the_issue_names() {
        let (keywords, patterns) = big_rule_lists();
        assert_eq!(keywords.len(), 10_000);
        assert_eq!(patterns.len(), 200);
        for (i, pattern) in patterns.iter().enumerate() {
            let rule = Rule::new(
                &format!("p{i}"),
                "d",
                Severity::Low,
                RuleKind::Pattern {
                    regex: pattern.clone(),
                },
            );
            let rule_set = RuleSet {
                rules: vec![rule],
                behaviour: Default::default(),
            };
            assert!(Engine::compile(&rule_set).is_ok(), "{pattern}");
        }
        assert!(keywords[0].chars().count() >= 4);
    }
}
