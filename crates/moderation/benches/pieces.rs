//! Benchmarks of the engine's pieces, one message at a time: normalization,
//! link extraction, and the whole check with the default rules, on ordinary
//! and disguised chat in the three languages. `cargo bench -p
//! steward-moderation`; `steward bench moderation` measures the whole engine
//! against the naive method.

use std::sync::Arc;

use divan::{Bencher, black_box};
use steward_classifier::Model;
use steward_moderation::links::LinkExtractor;
use steward_moderation::{Engine, Normalized, RuleSet};

const MESSAGES: &[&str] = &[
    "大家好，今天的咖啡很好喝，周末一起去新店吗？",
    "兼职刷单日结300，加 . 薇 . 信：abc123",
    "Привет, кто-нибудь пробовал новый релиз? У меня не собирается.",
    "К а з и н о бонус по ссылке t . me/signals_vip87",
    "Does anyone know how lifetimes work in this example?",
    "ＦＲＥＥ ＵＳＤＴ airdrop!!! claim now at free-usdt[.]example",
];

fn main() {
    divan::main();
}

#[divan::bench(args = MESSAGES)]
fn normalize(text: &str) -> Normalized {
    Normalized::new(black_box(text))
}

#[divan::bench(args = MESSAGES)]
fn extract_links(bencher: Bencher, text: &str) {
    let extractor = LinkExtractor::new();
    let normalized = Normalized::new(text);
    bencher.bench_local(|| extractor.extract(black_box(normalized.as_str())));
}

#[divan::bench(args = MESSAGES)]
fn check_default_rules(bencher: Bencher, text: &str) {
    let engine = Engine::compile(&RuleSet::default_rules()).expect("default rules compile");
    bencher.bench_local(|| engine.check(black_box(text)));
}

#[divan::bench(args = MESSAGES)]
fn check_with_classifier(bencher: Bencher, text: &str) {
    let model = Arc::new(Model::starter().expect("starter model"));
    let engine = Engine::compile(&RuleSet::default_rules())
        .expect("default rules compile")
        .with_model(model);
    bencher.bench_local(|| engine.check(black_box(text)));
}
