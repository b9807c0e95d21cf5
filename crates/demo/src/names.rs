//! Display names and usernames that look like each language's chats: Chinese
//! full names and nicknames, Russian names with their Latin handles, English
//! names and programmer handles, and the names spam accounts pick.

use rand::Rng;
use rand::seq::SliceRandom;
use steward_core::i18n::Lang;

/// A name and, when the person set one, a username.
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) username: Option<String>,
}

const ZH_SURNAMES: &[(&str, &str)] = &[
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("杨", "yang"),
    ("黄", "huang"),
    ("赵", "zhao"),
    ("吴", "wu"),
    ("周", "zhou"),
    ("徐", "xu"),
    ("孙", "sun"),
    ("马", "ma"),
    ("朱", "zhu"),
    ("胡", "hu"),
    ("郭", "guo"),
    ("何", "he"),
    ("高", "gao"),
    ("林", "lin"),
    ("罗", "luo"),
    ("郑", "zheng"),
    ("梁", "liang"),
    ("谢", "xie"),
    ("宋", "song"),
    ("唐", "tang"),
    ("韩", "han"),
];

const ZH_GIVEN: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("伟", "wei"),
    ("娜", "na"),
    ("敏", "min"),
    ("静", "jing"),
    ("磊", "lei"),
    ("洋", "yang"),
    ("勇", "yong"),
    ("艳", "yan"),
    ("杰", "jie"),
    ("涛", "tao"),
    ("明", "ming"),
    ("超", "chao"),
    ("丽", "li"),
    ("强", "qiang"),
    ("雷", "lei"),
    ("婷", "ting"),
    ("欣怡", "xinyi"),
    ("子轩", "zixuan"),
    ("浩然", "haoran"),
    ("梓涵", "zihan"),
    ("雨桐", "yutong"),
    ("思远", "siyuan"),
    ("佳琪", "jiaqi"),
    ("俊杰", "junjie"),
    ("晓东", "xiaodong"),
    ("文博", "wenbo"),
    ("一鸣", "yiming"),
    ("诗涵", "shihan"),
    ("嘉怡", "jiayi"),
];

const ZH_NICKNAMES: &[&str] = &[
    "小鱼",
    "阿杰",
    "咖啡控",
    "拿铁不加糖",
    "晴天",
    "猫猫",
    "大橙子",
    "木木",
    "一只小熊",
    "星星",
    "夏天的风",
    "奶茶续命",
    "老王",
    "阿May",
    "Coco",
    "Kevin",
    "小七",
    "糖糖",
    "豆豆",
    "阿喵",
    "柠檬精",
    "早睡早起",
    "打工人",
    "熬夜冠军",
    "小太阳",
    "南风",
    "阿白",
    "花卷",
    "芒果布丁",
    "橘子汽水",
    "北北",
    "悠悠",
    "Lucky",
    "安安",
    "九月",
    "森林",
    "鹿鹿",
    "西瓜太郎",
    "momo",
    "Jason",
    "Ada",
    "小满",
    "知了",
    "山竹",
    "七七",
    "板栗",
    "阿宝",
    "Vivian",
];

const ZH_ADJ: &[&str] = &[
    "爱喝咖啡的",
    "不想上班的",
    "快乐的",
    "努力的",
    "迷路的",
    "会飞的",
    "认真的",
    "睡不醒的",
    "减肥中的",
    "爱吃甜的",
];

const ZH_NOUN: &[&str] = &[
    "小猫",
    "鱼",
    "兔子",
    "企鹅",
    "打工人",
    "熊",
    "橘子",
    "咸鱼",
    "猫头鹰",
    "小狗",
];

const ZH_DECOR: &[&str] = &["🐟", "☀️", "🌸", "🍰", "☕", "_上海", "_杭州", "🌙", "✨"];

/// (name, latin, short form)
const RU_MALE: &[(&str, &str, &str)] = &[
    ("Иван", "ivan", "Ваня"),
    ("Алексей", "alexey", "Лёша"),
    ("Дмитрий", "dmitry", "Дима"),
    ("Сергей", "sergey", "Серёжа"),
    ("Андрей", "andrey", "Андрюха"),
    ("Михаил", "mikhail", "Миша"),
    ("Никита", "nikita", "Никита"),
    ("Артём", "artem", "Тёма"),
    ("Павел", "pavel", "Паша"),
    ("Егор", "egor", "Егор"),
    ("Максим", "maxim", "Макс"),
    ("Кирилл", "kirill", "Кирилл"),
    ("Владимир", "vladimir", "Вова"),
    ("Роман", "roman", "Рома"),
    ("Денис", "denis", "Денис"),
    ("Антон", "anton", "Антон"),
    ("Илья", "ilya", "Илья"),
    ("Олег", "oleg", "Олег"),
    ("Николай", "nikolay", "Коля"),
    ("Глеб", "gleb", "Глеб"),
];

const RU_FEMALE: &[(&str, &str, &str)] = &[
    ("Анна", "anna", "Аня"),
    ("Мария", "maria", "Маша"),
    ("Екатерина", "ekaterina", "Катя"),
    ("Ольга", "olga", "Оля"),
    ("Наталья", "natalia", "Наташа"),
    ("Дарья", "daria", "Даша"),
    ("Юлия", "yulia", "Юля"),
    ("Ксения", "ksenia", "Ксюша"),
    ("Полина", "polina", "Полина"),
    ("Елена", "elena", "Лена"),
    ("Алина", "alina", "Алина"),
    ("Виктория", "victoria", "Вика"),
    ("Софья", "sofia", "Соня"),
    ("Татьяна", "tatiana", "Таня"),
];

/// Surnames in the male form; the female form adds `а`.
const RU_SURNAMES: &[(&str, &str)] = &[
    ("Петров", "petrov"),
    ("Иванов", "ivanov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Соколов", "sokolov"),
    ("Лебедев", "lebedev"),
    ("Козлов", "kozlov"),
    ("Новиков", "novikov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Фёдоров", "fedorov"),
    ("Орлов", "orlov"),
    ("Зайцев", "zaitsev"),
    ("Павлов", "pavlov"),
    ("Семёнов", "semenov"),
    ("Голубев", "golubev"),
    ("Виноградов", "vinogradov"),
    ("Богданов", "bogdanov"),
    ("Воробьёв", "vorobyev"),
];

const EN_FIRST: &[&str] = &[
    "James", "Emily", "Michael", "Sarah", "David", "Olivia", "Daniel", "Sophie", "Alex", "Chris",
    "Priya", "Wei", "Lucas", "Emma", "Noah", "Ava", "Liam", "Mia", "Ethan", "Grace", "Omar",
    "Fatima", "Jonas", "Ana", "Tom", "Kate", "Raj", "Hannah", "Ben", "Chloe", "Mateo", "Aisha",
    "Sam", "Leo", "Nina", "Marco", "Yuki", "Ola",
];

const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Lewis", "Walker", "Hall", "Young",
    "King", "Wright", "Green", "Baker", "Patel", "Nguyen", "Müller", "Garcia", "Kim", "Rossi",
    "Kowalski", "Okafor", "Silva", "Jensen", "O'Brien", "Cohen",
];

/// Handles programmers pick, for both Rust communities.
const HANDLES: &[&str] = &[
    "rustacean",
    "ferris_fan",
    "borrowck",
    "crabby",
    "async_andy",
    "lifetime_lord",
    "segfault_free",
    "cargo_cult",
    "unsafe_ninja",
    "zero_cost",
    "trait_bound",
    "impl_display",
    "mut_ref",
    "box_dyn",
    "no_std",
    "wasm_wizard",
    "const_fn",
    "unwrap_or_else",
    "kirill_dev",
    "null_ptr",
];

/// An ordinary member's name in the given language.
pub(crate) fn person(rng: &mut impl Rng, lang: Lang) -> Person {
    match lang {
        Lang::Zh => zh_person(rng),
        Lang::Ru => ru_person(rng),
        Lang::En => en_person(rng),
    }
}

fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    // The tables are non-empty constants; index directly rather than unwrap.
    items[rng.gen_range(0..items.len())]
}

fn zh_person(rng: &mut impl Rng) -> Person {
    let roll = rng.gen_range(0..100);
    let (name, latin) = if roll < 35 {
        let (s, sl) = pick(rng, ZH_SURNAMES);
        let (g, gl) = pick(rng, ZH_GIVEN);
        (format!("{s}{g}"), Some(format!("{sl}{gl}")))
    } else if roll < 60 {
        (pick(rng, ZH_NICKNAMES).to_owned(), None)
    } else if roll < 80 {
        (format!("{}{}", pick(rng, ZH_ADJ), pick(rng, ZH_NOUN)), None)
    } else if roll < 90 {
        let (s, sl) = pick(rng, ZH_SURNAMES);
        let prefix = if rng.gen_bool(0.5) { "小" } else { "阿" };
        (format!("{prefix}{s}"), Some(format!("xiao{sl}")))
    } else {
        (
            format!("{}{}", pick(rng, ZH_NICKNAMES), pick(rng, ZH_DECOR)),
            None,
        )
    };
    // QQ has no usernames; the few who have one carried it over from elsewhere.
    let username = if rng.gen_bool(0.15) {
        Some(match latin {
            Some(l) => format!("{l}{}", rng.gen_range(1..100)),
            None => format!("coffee_{}", rng.gen_range(100..10_000)),
        })
    } else {
        None
    };
    Person { name, username }
}

fn ru_person(rng: &mut impl Rng) -> Person {
    let female = rng.gen_bool(0.3);
    let (first, first_l, short) = if female {
        pick(rng, RU_FEMALE)
    } else {
        pick(rng, RU_MALE)
    };
    let (last, last_l) = pick(rng, RU_SURNAMES);
    let (last, last_l) = if female {
        (format!("{last}а"), format!("{last_l}a"))
    } else {
        (last.to_owned(), last_l.to_owned())
    };
    let roll = rng.gen_range(0..100);
    let name = if roll < 50 {
        format!("{first} {last}")
    } else if roll < 65 {
        first.to_owned()
    } else if roll < 75 {
        short.to_owned()
    } else if roll < 85 {
        format!("{} {}", capitalize(first_l), capitalize(&last_l))
    } else {
        handle(rng)
    };
    let username = username(rng, first_l, &last_l, 0.7);
    Person { name, username }
}

fn en_person(rng: &mut impl Rng) -> Person {
    let first = pick(rng, EN_FIRST);
    let last = pick(rng, EN_LAST);
    let roll = rng.gen_range(0..100);
    let name = if roll < 50 {
        format!("{first} {last}")
    } else if roll < 65 {
        first.to_owned()
    } else if roll < 75 {
        format!("{first} {}.", last.chars().next().unwrap_or('X'))
    } else {
        handle(rng)
    };
    let last_l: String = last
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    let username = username(rng, &first.to_lowercase(), &last_l, 0.65);
    Person { name, username }
}

fn handle(rng: &mut impl Rng) -> String {
    let h = pick(rng, HANDLES);
    if rng.gen_bool(0.4) {
        format!("{h}{}", rng.gen_range(1..100))
    } else {
        h.to_owned()
    }
}

fn username(rng: &mut impl Rng, first: &str, last: &str, chance: f64) -> Option<String> {
    if !rng.gen_bool(chance) {
        return None;
    }
    let first_letter = first.chars().next().unwrap_or('x');
    Some(match rng.gen_range(0..5) {
        0 => format!("{first}_{last}"),
        1 => format!("{first_letter}{last}"),
        2 => format!("{first}{last}{}", rng.gen_range(1..100)),
        3 => format!("{first}_dev"),
        _ => handle(rng),
    })
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The name someone switches to: a decoration, a status, or a new nickname.
pub(crate) fn renamed(rng: &mut impl Rng, lang: Lang, old: &str) -> String {
    let new = match (lang, rng.gen_range(0..4)) {
        (Lang::Zh, 0) => format!("{old}{}", pick(rng, ZH_DECOR)),
        (Lang::Zh, 1) => format!("{old}（戒咖啡中）"),
        (Lang::Zh, 2) => format!("{old}-上海"),
        (Lang::Zh, _) => pick(rng, ZH_NICKNAMES).to_owned(),
        (Lang::Ru, 0) => format!("{old} | ищу работу"),
        (Lang::Ru, 1) => format!("{old} (в отпуске)"),
        (Lang::Ru, 2) => format!("{old} 🦀"),
        (Lang::Ru, _) => handle(rng),
        (Lang::En, 0) => format!("{old} | open to work"),
        (Lang::En, 1) => format!("{old} 🦀"),
        (Lang::En, 2) => format!("{old} (on vacation)"),
        (Lang::En, _) => handle(rng),
    };
    if new == old { format!("{old}.") } else { new }
}

/// A name a spam account picks: friendly, official-sounding or money-themed.
pub(crate) fn spammer(rng: &mut impl Rng, lang: Lang) -> Person {
    const ZH: &[&str] = &[
        "客服小美",
        "福利姐姐",
        "财务-小王",
        "红包助手",
        "兼职招聘李老师",
        "小雅",
        "佳佳",
        "VIP客服",
        "星河咖啡官方客服",
    ];
    const RU: &[&str] = &[
        "Анна | Заработок",
        "Катя",
        "Крипто Бот",
        "Марина Удалёнка",
        "Алиса",
        "Инвест Дмитрий",
        "Елена HR",
    ];
    const EN: &[&str] = &[
        "Crypto Support",
        "Jessica",
        "Mr. Wealth 💰",
        "Airdrop Bot",
        "Sophia",
        "Investor Mike",
        "Emma ✨",
    ];
    const HANDLES_ZH: &[&str] = &["fuli_666", "vip_kefu", "hongbao_bot", "jianzhi_li"];
    const HANDLES_RU: &[&str] = &[
        "zarabotok_anna",
        "crypto_bot_ru",
        "udalenka_24",
        "invest_dima",
    ];
    const HANDLES_EN: &[&str] = &[
        "usdt_bonus_bot",
        "wealth_mike",
        "jess_crypto",
        "airdrop_claim",
    ];
    let (names, handles) = match lang {
        Lang::Zh => (ZH, HANDLES_ZH),
        Lang::Ru => (RU, HANDLES_RU),
        Lang::En => (EN, HANDLES_EN),
    };
    let name = names.choose(rng).copied().unwrap_or("user").to_owned();
    let username = if rng.gen_bool(0.6) {
        let h = handles.choose(rng).copied().unwrap_or("user");
        Some(format!("{h}{}", rng.gen_range(10..1000)))
    } else {
        None
    };
    Person { name, username }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn names_are_in_their_language() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let zh: Vec<String> = (0..50).map(|_| person(&mut rng, Lang::Zh).name).collect();
        assert!(
            zh.iter()
                .any(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
        );
        let ru: Vec<String> = (0..50).map(|_| person(&mut rng, Lang::Ru).name).collect();
        assert!(
            ru.iter()
                .any(|n| n.chars().any(|c| ('а'..='я').contains(&c)))
        );
        let en = person(&mut rng, Lang::En);
        assert!(!en.name.is_empty());
        assert_ne!(renamed(&mut rng, Lang::En, &en.name), en.name);
    }
}
