use std::hint::black_box;
use std::time::Instant;
use steward_classifier::{Model, tokenize};

fn cpu() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat").unwrap().split_whitespace().next().unwrap().parse().unwrap()
}

fn main() {
    let model = Model::starter().unwrap();
    let texts = [
        "Has anyone tried the new borrow checker diagnostics in nightly? They look much better than before, honestly.",
        "Кто-нибудь пробовал новую версию tokio? У меня после обновления всё сломалось, не понимаю почему именно.",
        "今天在星河咖啡喝了一杯燕麦拿铁，感觉还不错，下次还要再来，你们有什么推荐的吗？",
    ];
    for t in &texts {
        let n = tokenize::features(t).len();
        let iters = 200_000;
        let c0 = cpu(); let w0 = Instant::now();
        for _ in 0..iters { let mut k = 0u64; tokenize::for_each_feature(black_box(t), |f| k = k.wrapping_add(f.hash)); black_box(k); }
        let tok = (cpu() - c0) as f64 / iters as f64;
        let _ = w0;
        let c0 = cpu();
        for _ in 0..iters { black_box(model.spam_probability(black_box(t))); }
        let prob = (cpu() - c0) as f64 / iters as f64;
        let c0 = cpu();
        for _ in 0..iters { black_box(model.classify(black_box(t))); }
        let cls = (cpu() - c0) as f64 / iters as f64;
        println!("{} bytes, {n} features: tokenize {tok:.0} ns, probability {prob:.0} ns, classify {cls:.0} ns", t.len());
    }
}
