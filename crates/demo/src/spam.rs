//! Spam and ad waves. Planned once: when, where, which fresh accounts, what
//! text. Run on their day: the accounts join (asking first where the group
//! wants that), post the same text across groups within minutes, and the
//! community reacts (complaints, an admin deleting by hand, hit-and-run
//! accounts leaving). The texts are the kind a default rule set catches;
//! some are lightly disguised (spaces, fullwidth letters, look-alike
//! characters, links hidden behind text) for smarter engines.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use steward_core::i18n::Lang;

use crate::draft::{Body, Msg, Sink};
use crate::layout::{COMMUNITIES, GROUPS, groups_of, invite_link};
use crate::roster::Roster;
use crate::schedule::{self, DAY, HOUR, MINUTE, Ms, SECOND};
use crate::talk::{self, GroupDay};

/// What a spam event looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Several accounts post the same text in several groups within minutes.
    Burst,
    /// Like a burst, but the ad is forwarded from a channel.
    Forward,
    /// One account repeats the ad many times in seconds.
    Flood,
    /// One account says hello, and hours later edits the hello into an ad.
    Sleeper,
    /// One account, one group, one ad.
    Single,
}

/// A planned spam event.
pub(crate) struct Plan {
    pub(crate) day: u32,
    pub(crate) at: Ms,
    pub(crate) kind: Kind,
    pub(crate) groups: Vec<u16>,
    pub(crate) accounts: Vec<u32>,
    pub(crate) text: String,
    pub(crate) links: Vec<String>,
    forwarded: Option<(&'static str, &'static str)>,
}

/// Plans the waves and the sporadic spam of the whole period.
pub(crate) fn plan(rng: &mut ChaCha8Rng, roster: &mut Roster, days: u32, scale: f64) -> Vec<Plan> {
    let mut plans = Vec::new();
    if days == 0 {
        return plans;
    }
    // About one wave a week, the first within the first days so that even a
    // short demo shows one.
    let waves = ((f64::from(days) / 6.5).round() as u32).max(1);
    for i in 0..waves {
        let community = (i % 3) as usize;
        let lang = COMMUNITIES[community].1;
        let position = (f64::from(i) + 0.3 + rng.gen_range(0.0..0.4)) / f64::from(waves);
        let day = ((position * f64::from(days)) as u32).min(days - 1);
        let kind = match i % 6 {
            1 => Kind::Forward,
            3 => Kind::Flood,
            5 => Kind::Sleeper,
            _ => Kind::Burst,
        };
        let mut groups = match kind {
            Kind::Burst | Kind::Forward => groups_of(community),
            _ => one_group(rng, community),
        };
        // Crypto spam does not care about language: the English wave also
        // hits the Russian main group.
        if kind == Kind::Burst && lang == Lang::En {
            groups.extend(groups_of(1).first());
        }
        let accounts = match kind {
            Kind::Burst | Kind::Forward if scale >= 0.5 => rng.gen_range(2..=5),
            Kind::Burst | Kind::Forward => rng.gen_range(1..=2),
            _ => 1,
        };
        plans.push(make(rng, roster, day, kind, lang, groups, accounts));
    }
    for day in 0..days {
        for (community, &(_, lang)) in COMMUNITIES.iter().enumerate() {
            if !rng.gen_bool(0.3) {
                continue;
            }
            let kind = match rng.gen_range(0..20) {
                0..=13 => Kind::Single,
                14..=16 => Kind::Sleeper,
                _ => Kind::Flood,
            };
            let groups = one_group(rng, community);
            plans.push(make(rng, roster, day, kind, lang, groups, 1));
        }
    }
    plans.sort_by_key(|p| (p.day, p.at));
    plans
}

fn one_group(rng: &mut ChaCha8Rng, community: usize) -> Vec<u16> {
    let all = groups_of(community);
    all.choose(rng).copied().into_iter().collect()
}

fn make(
    rng: &mut ChaCha8Rng,
    roster: &mut Roster,
    day: u32,
    kind: Kind,
    lang: Lang,
    groups: Vec<u16>,
    accounts: usize,
) -> Plan {
    let (text, links, forwarded) = if kind == Kind::Forward {
        let (channel, template) = channel_ad(lang);
        let (text, links) = ad_text(rng, lang, template, false);
        (text, links, Some(channel))
    } else {
        let templates = templates(lang);
        let template = templates[rng.gen_range(0..templates.len())];
        let (text, links) = ad_text(rng, lang, template, true);
        (text, links, None)
    };
    Plan {
        day,
        // Spammers work around the clock.
        at: i64::from(day) * DAY + rng.gen_range(HOUR..22 * HOUR),
        kind,
        groups,
        accounts: (0..accounts)
            .map(|_| roster.add_spammer(rng, lang))
            .collect(),
        text,
        links,
        forwarded,
    }
}

/// Expected number of events a plan produces; for the estimate.
pub(crate) fn expected_events(plan: &Plan) -> f64 {
    let join = |g: &u16| {
        if GROUPS[*g as usize].approval {
            2.0
        } else {
            1.0
        }
    };
    let joins: f64 = plan.groups.iter().map(join).sum();
    let groups = plan.groups.len() as f64;
    let accounts = plan.accounts.len() as f64;
    let aftermath = DELETE_CHANCE + COMPLAIN_CHANCE;
    match plan.kind {
        Kind::Burst | Kind::Forward => {
            accounts
                * (joins
                    + groups * (1.0 + REPEAT_CHANCE) * (1.0 + aftermath)
                    + groups * LEAVE_CHANCE)
        }
        Kind::Flood => joins + 10.0 + 0.8 + 0.6 * 3.0,
        Kind::Sleeper => joins + 2.0 + 0.3,
        Kind::Single => joins + 1.0 + aftermath + LEAVE_CHANCE,
    }
}

const DELETE_CHANCE: f64 = 0.5;
const COMPLAIN_CHANCE: f64 = 0.35;
const REPEAT_CHANCE: f64 = 0.2;
const LEAVE_CHANCE: f64 = 0.25;

/// Writes a plan's events.
pub(crate) fn run(plan: &Plan, groups: &[GroupDay<'_>], rng: &mut ChaCha8Rng, sink: &mut Sink) {
    match plan.kind {
        Kind::Burst | Kind::Forward | Kind::Single => burst(plan, groups, rng, sink),
        Kind::Flood => flood(plan, groups, rng, sink),
        Kind::Sleeper => sleeper(plan, groups, rng, sink),
    }
}

fn message(plan: &Plan) -> Msg {
    Msg {
        text: plan.text.clone(),
        links: plan.links.clone(),
        forwarded: plan.forwarded,
        ..Msg::default()
    }
}

fn burst(plan: &Plan, groups: &[GroupDay<'_>], rng: &mut ChaCha8Rng, sink: &mut Sink) {
    let mut t = plan.at;
    for &account in &plan.accounts {
        t += rng.gen_range(20 * SECOND..90 * SECOND);
        // Join everywhere first, then post everywhere within a minute or two:
        // the same text lands in several groups in a short window.
        let mut joining = t;
        let mut ready = t;
        for &g in &plan.groups {
            joining += rng.gen_range(5 * SECOND..40 * SECOND);
            ready = ready.max(join(&groups[g as usize], rng, sink, joining, account));
        }
        let mut at = ready + rng.gen_range(15 * SECOND..60 * SECOND);
        let mut order = plan.groups.clone();
        order.shuffle(rng);
        let mut last = at;
        for &g in &order {
            let gd = &groups[g as usize];
            let slot = sink.message(at, g, account, message(plan));
            aftermath(gd, rng, sink, at, slot, account);
            if plan.kind != Kind::Single && rng.gen_bool(REPEAT_CHANCE) {
                let again = at + rng.gen_range(3 * MINUTE..10 * MINUTE);
                let slot = sink.message(again, g, account, message(plan));
                aftermath(gd, rng, sink, again, slot, account);
                last = last.max(again);
            }
            last = last.max(at);
            at += rng.gen_range(5 * SECOND..45 * SECOND);
        }
        // Hit and run: some accounts leave before anyone bans them.
        for &g in &plan.groups {
            if rng.gen_bool(LEAVE_CHANCE) {
                let when = last + rng.gen_range(20 * MINUTE..2 * HOUR);
                sink.push(when, g, account, Body::Left { removed_by: None });
            }
        }
    }
}

fn flood(plan: &Plan, groups: &[GroupDay<'_>], rng: &mut ChaCha8Rng, sink: &mut Sink) {
    let (Some(&account), Some(&g)) = (plan.accounts.first(), plan.groups.first()) else {
        return;
    };
    let gd = &groups[g as usize];
    let mut at = join(gd, rng, sink, plan.at, account) + rng.gen_range(10 * SECOND..2 * MINUTE);
    let count = rng.gen_range(6..=14);
    let mut slots = Vec::with_capacity(count);
    for _ in 0..count {
        slots.push(sink.message(at, g, account, message(plan)));
        at += rng.gen_range(400..2_500);
    }
    if rng.gen_bool(0.8)
        && let Some(&first) = slots.first()
    {
        let when = at + schedule::pause(rng, 10 * SECOND, MINUTE);
        talk::complain(gd, rng, sink, when, first);
    }
    if rng.gen_bool(0.6)
        && let Some(admin) = gd.admin(rng)
    {
        let mut when = at + rng.gen_range(MINUTE..5 * MINUTE);
        for &slot in slots.iter().take(3) {
            sink.push(
                when,
                g,
                account,
                Body::Deleted {
                    slot,
                    by: Some(admin),
                },
            );
            when += rng.gen_range(2 * SECOND..10 * SECOND);
        }
    }
}

fn sleeper(plan: &Plan, groups: &[GroupDay<'_>], rng: &mut ChaCha8Rng, sink: &mut Sink) {
    let (Some(&account), Some(&g)) = (plan.accounts.first(), plan.groups.first()) else {
        return;
    };
    let gd = &groups[g as usize];
    let joined = join(gd, rng, sink, plan.at, account);
    let hello_at = joined + rng.gen_range(MINUTE..5 * MINUTE);
    let hello = Msg::text(gd.book.say(rng, gd.book.newcomer));
    let slot = sink.message(hello_at, g, account, hello);
    // Hours later, when nobody looks at old messages, the hello becomes an ad.
    let edit_at = hello_at + rng.gen_range(2 * HOUR..6 * HOUR);
    let edited = Msg {
        slot,
        ..message(plan)
    };
    sink.push(edit_at, g, account, Body::Edited(edited));
    if rng.gen_bool(0.3) {
        let when = edit_at + rng.gen_range(MINUTE..10 * MINUTE);
        talk::complain(gd, rng, sink, when, slot);
    }
}

/// The account joins; where the group wants it, it asks first and an admin
/// approves without looking too closely. Returns when it is in.
fn join(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink, at: Ms, account: u32) -> Ms {
    if g.spec.approval {
        let answers: &[&str] = match g.spec.lang() {
            Lang::Zh => &["看到广告进来的", "朋友", "加我看福利", "1"],
            Lang::Ru => &["хочу", "по работе", "привет", "+"],
            Lang::En => &["hi", "crypto", "ok", "friend"],
        };
        let answer = rng
            .gen_bool(0.6)
            .then(|| answers[rng.gen_range(0..answers.len())].to_owned());
        sink.push(
            at,
            g.group,
            account,
            Body::JoinRequest { answer, link: None },
        );
        let joined = at + rng.gen_range(40 * SECOND..4 * MINUTE);
        sink.push(
            joined,
            g.group,
            account,
            Body::Joined {
                link: None,
                inviter: g.admin(rng),
            },
        );
        joined
    } else {
        let link = rng.gen_bool(0.6).then(|| invite_link(g.group, 0));
        sink.push(
            at,
            g.group,
            account,
            Body::Joined {
                link,
                inviter: None,
            },
        );
        at
    }
}

/// What the group does about a spam message: an admin deletes it by hand,
/// someone complains.
/// A deletion names the author as the member and the admin as the deleter.
fn aftermath(
    g: &GroupDay<'_>,
    rng: &mut ChaCha8Rng,
    sink: &mut Sink,
    at: Ms,
    slot: u64,
    author: u32,
) {
    if rng.gen_bool(COMPLAIN_CHANCE) {
        let when = at + schedule::pause(rng, 30 * SECOND, 2 * MINUTE);
        talk::complain(g, rng, sink, when, slot);
    }
    if rng.gen_bool(DELETE_CHANCE)
        && let Some(admin) = g.admin(rng)
    {
        let when = at + schedule::pause(rng, 2 * MINUTE, 10 * MINUTE);
        sink.push(
            when,
            g.group,
            author,
            Body::Deleted {
                slot,
                by: Some(admin),
            },
        );
    }
}

// ---------------------------------------------------------------- texts

fn templates(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "加微信 {wx} 免费领取红包，名额有限！",
            "兼职刷单日结300，加V：{wx}",
            "代开发票 联系QQ {qq}",
            "【星河咖啡福利】免费领取100元咖啡券，点击 {url} 立即领取",
            "宝妈学生党兼职，手机操作，日赚500+，加微信 {wx}",
            "低价出售各平台会员，需要的加QQ {qq}",
            "内部渠道，稳赚不赔，带你投资翻倍，加V {wx}",
        ],
        Lang::Ru => &[
            "Заработок от 5000 в день, пиши в лс",
            "Казино бонус по ссылке {tg}",
            "Нужны люди на удалёнку, 2-3 часа в день, от 50 000 ₽ в неделю. Пишите в ЛС",
            "Ставки на спорт, 100% проход! Подписывайся: {tg}",
            "Раздаю USDT первым 100 подписчикам {url}",
            "Ищу партнёров для пассивного дохода, без вложений, пиши в лс",
        ],
        Lang::En => &[
            "Crypto airdrop! Claim free USDT now at {url}",
            "Earn $500 a day from home, DM me",
            "I made $12,000 in a week with {who}'s trading signals, contact him on WhatsApp +1 555 {n4}",
            "Free Steam gift cards for the first 50 people 👉 {url}",
            "Looking for people to work remotely, 2 hours a day, $300+ daily. DM me for details",
            "🚀 New token presale is LIVE, 100x guaranteed, join {tg}",
        ],
    }
}

fn channel_ad(lang: Lang) -> ((&'static str, &'static str), &'static str) {
    match lang {
        Lang::Zh => (
            ("channel-coin-freedom", "币圈财富自由"),
            "【内部消息】新币今晚上线，首发价买入稳赚十倍，进群领取：{url}",
        ),
        Lang::Ru => (
            ("channel-signals-vip", "Крипто Сигналы VIP"),
            "Бесплатные сигналы на сегодня! Прибыль 300% за неделю. Вступай: {tg}",
        ),
        Lang::En => (
            ("channel-whales", "Crypto Whales Club"),
            "Today's free signal: BUY $MOON now, target 20x. Join VIP: {url}",
        ),
    }
}

fn code(rng: &mut ChaCha8Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..len)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

fn one_of(rng: &mut ChaCha8Rng, items: &[&'static str]) -> &'static str {
    items[rng.gen_range(0..items.len())]
}

/// Fills an ad template and decides how its link shows: in the text, also
/// marked up, or hidden behind a word. `disguise` allows light obfuscation.
fn ad_text(
    rng: &mut ChaCha8Rng,
    lang: Lang,
    template: &str,
    disguise: bool,
) -> (String, Vec<String>) {
    let url = match lang {
        Lang::Zh => match rng.gen_range(0..2) {
            0 => format!("https://hb-lingqu.example/r/{}", code(rng, 6)),
            _ => format!("http://galaxy-coffee-gift.example/q?id={}", code(rng, 5)),
        },
        Lang::Ru => match rng.gen_range(0..2) {
            0 => format!("https://usdt-razdacha.example/{}", code(rng, 6)),
            _ => format!("https://casino-bonus.example/{}", code(rng, 6)),
        },
        Lang::En => match rng.gen_range(0..3) {
            0 => "http://free-usdt.example".to_owned(),
            1 => format!("https://claim-airdrop.example/{}", code(rng, 6)),
            _ => format!("https://bit.ly/{}", code(rng, 7)),
        },
    };
    let tg = format!(
        "t.me/{}{}",
        one_of(
            rng,
            &[
                "zarabotok_online",
                "casino_bonus_ru",
                "usdt_free_drop",
                "signals_vip",
                "stavki_pro"
            ]
        ),
        rng.gen_range(1..100)
    );
    let wx = format!(
        "{}{}",
        one_of(rng, &["abc", "hb", "vx_fuli", "xm", "lq", "fl_"]),
        rng.gen_range(100..10_000)
    );
    let qq = rng.gen_range(100_000_000..1_000_000_000u64).to_string();
    let who = one_of(
        rng,
        &["Mr. Thompson", "Mrs. Anna Wells", "Mr. Robert Hayes"],
    );
    let n4 = rng.gen_range(1000..10_000).to_string();

    let mut link: Option<(String, String)> = None; // (as written, full URL)
    let mut text = template.to_owned();
    for (slot, value) in [
        ("{wx}", wx),
        ("{qq}", qq),
        ("{who}", who.to_owned()),
        ("{n4}", n4),
    ] {
        text = text.replace(slot, &value);
    }
    if text.contains("{url}") {
        text = text.replace("{url}", &url);
        link = Some((url.clone(), url));
    }
    if text.contains("{tg}") {
        text = text.replace("{tg}", &tg);
        link = Some((tg.clone(), format!("https://{tg}")));
    }

    let mut links = Vec::new();
    if let Some((written, full)) = link {
        if rng.gen_bool(0.2) {
            // A text link: the URL hides behind a word.
            let label = match lang {
                Lang::Zh => "点这里",
                Lang::Ru => "тут",
                Lang::En => "here",
            };
            text = text.replace(&written, label);
            links.push(full);
        } else {
            if rng.gen_bool(0.5) {
                links.push(full);
            }
            if disguise && rng.gen_bool(0.3) {
                text = around(&text, &written, |s| obfuscate(rng, lang, s));
            }
        }
    } else if disguise && rng.gen_bool(0.3) {
        text = obfuscate(rng, lang, &text);
    }
    (text, links)
}

/// Applies `f` to the text but not to `keep` (the link must stay usable).
fn around(text: &str, keep: &str, mut f: impl FnMut(&str) -> String) -> String {
    match text.split_once(keep) {
        Some((before, after)) => format!("{}{keep}{}", f(before), f(after)),
        None => f(text),
    }
}

/// Light disguise, the way spammers dodge keyword filters.
fn obfuscate(rng: &mut ChaCha8Rng, lang: Lang, text: &str) -> String {
    match (lang, rng.gen_range(0..3)) {
        (_, 0) => spaced(text),
        (_, 1) => fullwidth(text),
        (Lang::Zh, _) => text
            .replace("微信", "薇信")
            .replace("QQ", "扣扣")
            .replace("红包", "hong包")
            .replace("加V", "+V"),
        (Lang::Ru, _) => lookalikes(text),
        (Lang::En, _) => text
            .replace('o', "0")
            .replace('e', "3")
            .replace("free", "fr3e"),
    }
}

/// "加 微 信" — spaces between the characters of each word.
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && !c.is_whitespace() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// ASCII letters and digits as their fullwidth forms: "ＤＭ ｍｅ".
fn fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Cyrillic letters swapped for Latin look-alikes, and З for 3.
fn lookalikes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'а' => 'a',
            'о' => 'o',
            'е' => 'e',
            'с' => 'c',
            'р' => 'p',
            'х' => 'x',
            'З' => '3',
            'К' => 'K',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn disguises_keep_the_message_readable() {
        assert_eq!(spaced("加微信 abc"), "加 微 信 a b c");
        assert_eq!(fullwidth("DM me 5"), "ＤＭ ｍｅ ５");
        assert_eq!(lookalikes("Заработок"), "3apaбoтoк");
        assert_eq!(
            around("go t.me/x now", "t.me/x", |s| s.to_uppercase()),
            "GO t.me/x NOW"
        );
    }

    #[test]
    fn ads_carry_contacts_or_links() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for lang in Lang::ALL {
            for template in templates(lang) {
                let (text, links) = ad_text(&mut rng, lang, template, false);
                assert!(!text.contains('{'), "{text}");
                if template.contains("{url}") || template.contains("{tg}") {
                    assert!(text.contains("http") || text.contains("t.me") || !links.is_empty());
                }
            }
        }
    }

    #[test]
    fn waves_are_planned_across_communities() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut roster = Roster::build(&mut rng, 1.0, 60);
        let plans = plan(&mut rng, &mut roster, 60, 1.0);
        let bursts: Vec<&Plan> = plans.iter().filter(|p| p.kind == Kind::Burst).collect();
        assert!(bursts.len() >= 4);
        assert!(bursts.iter().all(|p| p.groups.len() >= 2));
        assert!(plans.iter().any(|p| p.kind == Kind::Sleeper));
        assert!(plans.iter().any(|p| p.kind == Kind::Forward));
        assert!(plans.windows(2).all(|w| w[0].day <= w[1].day));
    }
}
