//! Per-language phrase books for ordinary talk. Templates with `{slot}`
//! placeholders are filled from word lists, and statements get optional
//! openers and tails, so a few hundred pieces give tens of thousands of
//! different messages. Nothing here looks like spam on purpose: spam lives in
//! `spam.rs`.

use rand::Rng;

use crate::layout::Topic;

/// The phrases of one topic in one language.
pub(crate) struct Book {
    pub(crate) statements: &'static [&'static str],
    pub(crate) questions: &'static [&'static str],
    pub(crate) answers: &'static [&'static str],
    pub(crate) short: &'static [&'static str],
    /// Greetings for any time of day, then for mornings and evenings.
    pub(crate) greetings: &'static [&'static str],
    pub(crate) mornings: &'static [&'static str],
    pub(crate) evenings: &'static [&'static str],
    pub(crate) newcomer: &'static [&'static str],
    pub(crate) welcome: &'static [&'static str],
    pub(crate) thanks: &'static [&'static str],
    pub(crate) jokes: &'static [&'static str],
    pub(crate) flood: &'static [&'static str],
    pub(crate) captions: &'static [&'static str],
    pub(crate) join_answers: &'static [&'static str],
    pub(crate) announcements: &'static [&'static str],
    pub(crate) complaints: &'static [&'static str],
    /// What everyone says on the busy day (launch, release).
    pub(crate) special: &'static [&'static str],
    /// The channel members forward news from: (platform id, name), posts.
    pub(crate) channel: (&'static str, &'static str),
    pub(crate) channel_posts: &'static [&'static str],
    pub(crate) reactions: &'static [&'static str],
    /// Harmless links people share (docs, the brand's own site).
    pub(crate) links: &'static [&'static str],
    pub(crate) documents: &'static [&'static str],
    openers: &'static [&'static str],
    tails: &'static [&'static str],
    edit_tails: &'static [&'static str],
    slots: &'static [(&'static str, &'static [&'static str])],
}

/// The phrase book of a topic.
pub(crate) fn book(topic: Topic) -> &'static Book {
    match topic {
        Topic::Coffee => &COFFEE,
        Topic::RustRu => &RUST_RU,
        Topic::JobsRu => &JOBS_RU,
        Topic::RustEn => &RUST_EN,
        Topic::JobsEn => &JOBS_EN,
    }
}

impl Book {
    /// One template from the list, filled in.
    pub(crate) fn say(&self, rng: &mut impl Rng, list: &[&str]) -> String {
        if list.is_empty() {
            return String::new();
        }
        let template = list[rng.gen_range(0..list.len())];
        self.fill(rng, template)
    }

    /// An ordinary statement, sometimes with an opener or a tail.
    pub(crate) fn statement(&self, rng: &mut impl Rng, busy_day: bool) -> String {
        let core = if busy_day && !self.special.is_empty() && rng.gen_bool(0.3) {
            self.say(rng, self.special)
        } else if rng.gen_bool(0.05) {
            self.say(rng, self.jokes)
        } else {
            self.say(rng, self.statements)
        };
        let mut text = String::with_capacity(core.len() + 16);
        if !self.openers.is_empty() && rng.gen_bool(0.15) {
            text.push_str(self.openers[rng.gen_range(0..self.openers.len())]);
            text.push_str(&lower_first(&core));
        } else {
            text.push_str(&core);
        }
        if !self.tails.is_empty() && rng.gen_bool(0.3) {
            text.push_str(self.tails[rng.gen_range(0..self.tails.len())]);
        }
        text
    }

    /// The text after its author edited it: a fix or an afterthought.
    pub(crate) fn edited(&self, rng: &mut impl Rng, text: &str) -> String {
        let tail = self.edit_tails[rng.gen_range(0..self.edit_tails.len())];
        format!("{text}{tail}")
    }

    /// A greeting that fits the local hour.
    pub(crate) fn greeting(&self, rng: &mut impl Rng, local_hour: i64) -> String {
        let list = match local_hour {
            _ if rng.gen_bool(0.3) => self.greetings,
            5..=10 => self.mornings,
            19..=23 | 0..=2 => self.evenings,
            _ => self.greetings,
        };
        self.say(rng, list)
    }

    pub(crate) fn reaction(&self, rng: &mut impl Rng) -> &'static str {
        self.reactions[rng.gen_range(0..self.reactions.len())]
    }

    fn slot(&self, name: &str) -> Option<&'static [&'static str]> {
        self.slots
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, words)| *words)
    }

    /// Replaces every `{name}` with a word from the slot `name`. `{name2}`
    /// draws from the same slot but avoids repeating the first word, so
    /// "latte or latte?" does not happen.
    fn fill(&self, rng: &mut impl Rng, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 24);
        let mut picked: Vec<(&str, &str)> = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = &after[..close];
            let base = name.trim_end_matches('2');
            match self.slot(base) {
                Some(words) if !words.is_empty() => {
                    let avoid = picked.iter().find(|(n, _)| *n == base).map(|(_, w)| *w);
                    let mut word = words[rng.gen_range(0..words.len())];
                    for _ in 0..4 {
                        if Some(word) != avoid {
                            break;
                        }
                        word = words[rng.gen_range(0..words.len())];
                    }
                    picked.push((base, word));
                    out.push_str(word);
                }
                _ => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Lowercases the first letter after an opener ("Btw, finally ..."), except
/// for words that keep their capital.
fn lower_first(s: &str) -> String {
    const KEEP: [&str; 8] = [
        "Rust", "I", "I'm", "I've", "Clippy", "Ferris", "String", "Box<dyn",
    ];
    let first_word = s.split(' ').next().unwrap_or("");
    if KEEP.contains(&first_word) || first_word.chars().nth(1).is_some_and(char::is_uppercase) {
        return s.to_owned();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------- Chinese

static COFFEE: Book = Book {
    statements: &[
        "{time}喝了一杯{drink}，{taste}",
        "{store}的{drink}真的{taste}",
        "今天点了{sugar}{drink}，感觉{taste}",
        "{store}排队好长啊",
        "有人去过{store}吗，装修挺好看的",
        "{drink}+{drink2}是我的本命组合",
        "会员日{drink}只要{price}元，冲了冲了",
        "我每天一杯{drink}，续命中",
        "{size}{drink}{sugar}，谁懂啊",
        "新出的{drink}你们喝了没",
        "{city}什么时候开新店啊",
        "刚拿到新的{thing}，好可爱",
        "积分快过期了，换了个{thing}",
        "打工人{time}不来杯{drink}根本醒不过来",
        "今天好{feeling}，需要一杯{drink}",
        "外卖送到的{drink}冰都化了😭",
        "{store}的店员小姐姐超级温柔",
        "感觉{drink}比{drink2}好喝",
        "周末去{store}坐了一下午，很舒服",
        "第二杯半价，有人一起拼单吗",
        "刚下班，去{store}买杯{drink}",
        "手机点单太方便了，到店直接取",
        "这周已经喝了五杯{drink}了，钱包在哭泣",
        "{drink}配{food}绝了",
        "{store}今天人好少，适合办公",
        "我朋友说{drink}{taste}，我不信",
        "今天{store}的拉花是小熊，太可爱了",
        "在{city}出差，找到一家星河咖啡，亲切",
        "{drink}回购第十次了",
        "同事都被我安利了{drink}",
        "{time}喝了{drink}，现在睡不着了",
        "一天不喝咖啡就没精神",
        "今天没抢到{thing}，下次早点去",
        "{store}新换的沙发很舒服",
    ],
    questions: &[
        "{drink}和{drink2}哪个更好喝？",
        "{store}几点关门啊？",
        "会员积分怎么兑换{thing}？",
        "有人知道{drink}还有货吗？",
        "新人求推荐，第一次喝点什么好？",
        "优惠券在哪里领？",
        "小程序点单失败了，有人遇到吗？",
        "{city}有几家门店？",
        "燕麦奶可以换成椰奶吗？",
        "{drink}有无糖的吗？",
        "今天会员日有什么活动？",
        "外卖满多少免配送费？",
        "周边杯子还能买到吗？",
        "{store}可以带宠物进去吗？",
        "请问电子发票在哪里开？",
        "{drink}热的好喝还是冰的好喝？",
        "{store}有插座吗，想去办公？",
        "生日当天有免费饮品吗？",
    ],
    answers: &[
        "{store}一般晚上十点关门",
        "在小程序“我的”里面可以兑换",
        "推荐{drink}，不会出错",
        "我昨天在{store}还看到有",
        "我也遇到了，重启一下小程序就好了",
        "个人觉得{drink}更好喝",
        "在会员中心领，每周一更新",
        "满30免配送费",
        "可以的，加两块钱",
        "好像只有{city}有",
        "问店员就行，他们会告诉你",
        "我记得是{price}元",
        "订单详情里可以申请电子发票",
        "冰的好喝，热的有点苦",
        "有的，靠窗那边都有插座",
        "有的，生日当天送一杯{size}饮品",
    ],
    short: &[
        "哈哈哈",
        "笑死",
        "+1",
        "同意",
        "真的",
        "确实",
        "羡慕",
        "好耶",
        "冲",
        "哈哈哈哈哈",
        "是的",
        "对对对",
        "666",
        "绝了",
        "😂",
        "👍",
        "好的",
        "收到",
        "蹲一个",
        "我也想要",
        "馋了",
        "啊这",
        "有道理",
        "哇",
        "可以可以",
        "太真实了",
        "我也是",
        "[捂脸]",
    ],
    greetings: &["大家好呀", "大家好", "hello", "冒个泡"],
    mornings: &["早上好☀️", "大家早", "早安，今天也要喝咖啡", "早早早"],
    evenings: &["晚上好", "大家晚安", "晚安，明天见", "下班了，晚上好"],
    newcomer: &[
        "大家好，新人报到",
        "大家好，朋友拉我进来的",
        "新人，请多关照～",
        "hello大家好",
        "刚进群，大家好👋",
        "大家好，{city}的咖啡爱好者",
    ],
    welcome: &[
        "欢迎欢迎",
        "欢迎新朋友",
        "欢迎～记得看群公告",
        "欢迎入群🎉",
        "欢迎欢迎，一起喝咖啡",
    ],
    thanks: &["谢谢！", "好的谢谢", "感谢🙏", "明白了，谢谢", "懂了，谢啦"],
    jokes: &[
        "咖啡是液体的勇气",
        "不喝咖啡的早晨就像没开机的电脑",
        "我血管里流的都是拿铁",
        "人生苦短，再来一杯",
        "钱包：求求你少喝点",
    ],
    flood: &[
        "哈哈哈哈哈",
        "啊啊啊啊",
        "抢到了",
        "冲冲冲",
        "！！！",
        "好耶",
        "来了来了",
        "+1",
        "😂😂😂",
        "快快快",
        "我也要",
        "哈哈",
    ],
    captions: &[
        "今天的{drink}",
        "{store}打卡",
        "新品拍照",
        "拉花好看吗",
        "周边到货啦",
        "{store}的窗边位",
    ],
    join_answers: &[
        "朋友推荐的",
        "在门店看到的二维码",
        "喜欢喝星河咖啡",
        "小红书上看到的",
        "会员，想了解活动",
        "{store}的店员让我加的",
    ],
    announcements: &[
        "【群公告】本群禁止发广告和拉人，违者移出",
        "今日推荐：{drink}，{store}有现货",
        "会员日活动今晚8点开始，记得在小程序领券",
        "本周六{store}有咖啡品鉴会，欢迎报名",
        "新品{drink}明天上市，门店限量供应",
        "门店营业时间调整：周末延长到晚上11点",
    ],
    complaints: &[
        "又来发广告的",
        "管理员快来踢人",
        "举报了",
        "这是骗子，大家别信",
        "群主在吗？有广告",
        "别点链接，是骗人的",
    ],
    special: &[
        "新品今天上市！冲冲冲",
        "{store}新品已经卖完了😭",
        "抢到新品了，好好喝",
        "新品排队排了半小时",
        "新品的杯子太好看了",
    ],
    channel: ("channel-galaxy-coffee", "星河咖啡官方频道"),
    channel_posts: &[
        "【新品上市】{drink}限时供应，会员第二杯半价",
        "本周会员日：全场饮品8折",
        "门店招聘咖啡师，欢迎投递简历",
        "{city}新店开业，前三天买一送一",
    ],
    reactions: &["👍", "😂", "❤️", "🎉", "☕", "🥰", "🙏"],
    links: &[
        "https://galaxy-coffee.example/menu",
        "https://galaxy-coffee.example/app",
        "https://galaxy-coffee.example/stores",
    ],
    documents: &["会员手册.pdf", "品鉴会报名表.xlsx"],
    openers: &["说真的，", "话说", "哈哈", "我觉得", "emmm，", "对了，"],
    tails: &["", "哈哈", "😂", "～", "！", "。", "🤣", "☕", "…"],
    edit_tails: &[
        "（更正）",
        "，补充一下：是昨天的事",
        "！",
        "～",
        "，打错字了",
    ],
    slots: &[
        (
            "drink",
            &[
                "拿铁",
                "美式",
                "燕麦拿铁",
                "生椰拿铁",
                "桂花拿铁",
                "冷萃",
                "澳白",
                "卡布奇诺",
                "摩卡",
                "焦糖玛奇朵",
                "手冲耶加雪菲",
                "抹茶拿铁",
                "榛果拿铁",
                "冰美式",
                "橙C美式",
            ],
        ),
        (
            "taste",
            &[
                "偏苦",
                "太甜了",
                "刚刚好",
                "奶味很重",
                "很香",
                "有点酸",
                "淡了点",
                "比上次好喝",
            ],
        ),
        (
            "store",
            &[
                "人民广场店",
                "静安寺店",
                "徐家汇店",
                "陆家嘴店",
                "五角场店",
                "西湖店",
                "国贸店",
                "三里屯店",
                "春熙路店",
                "天河城店",
                "南京西路店",
            ],
        ),
        (
            "time",
            &["早上", "中午", "下午", "刚刚", "昨天", "今天", "周末"],
        ),
        ("size", &["大杯", "中杯", "超大杯"]),
        ("price", &["9.9", "12", "15", "18", "19.9", "22", "25"]),
        ("sugar", &["少糖", "半糖", "不加糖", "全糖", "三分糖"]),
        (
            "city",
            &["上海", "北京", "杭州", "成都", "广州", "深圳", "南京"],
        ),
        (
            "thing",
            &["杯套", "会员卡", "周边杯子", "保温杯", "帆布袋", "冰箱贴"],
        ),
        ("feeling", &["困", "累", "饿", "无聊", "开心"]),
        ("food", &["可颂", "贝果", "提拉米苏", "三明治", "肉桂卷"]),
    ],
};

// ---------------------------------------------------------------- Russian

const RU_SHORT: &[&str] = &[
    "+1",
    "Согласен",
    "Ахах",
    "Да",
    "Жиза",
    "Спасибо",
    "Круто",
    "Понял",
    "Ну такое",
    "🔥",
    "Лол",
    "Плюсую",
    "Класс",
    "Хм",
    "Именно",
    "Ого",
    "Вот-вот",
    "))",
];
const RU_GREETINGS: &[&str] = &["Всем привет!", "Привет, чат", "Всем салют"];
const RU_MORNINGS: &[&str] = &["Доброе утро, растаманы", "Утро доброе", "Всем доброе утро"];
const RU_EVENINGS: &[&str] = &["Всем хорошего вечера", "Доброй ночи", "Добрый вечер, чат"];
const RU_NEWCOMER: &[&str] = &[
    "Всем привет! Я новенький, изучаю Rust",
    "Привет! Пришёл из {lang}",
    "Здравствуйте, спасибо, что приняли",
    "Привет всем 👋",
];
const RU_WELCOME: &[&str] = &[
    "Добро пожаловать!",
    "Привет, располагайся",
    "Добро пожаловать, правила в закрепе",
    "Заходи, не стесняйся",
];
const RU_THANKS: &[&str] = &[
    "Спасибо!",
    "Благодарю, помогло",
    "О, точно, спасибо",
    "Понял, спасибо",
];
const RU_JOKES: &[&str] = &[
    "Rust — это когда компилятор умнее тебя и не стесняется об этом сказать",
    "Мой код компилируется, можно идти домой",
    "Borrow checker — лучший тимлид: строгий, но справедливый",
    "Переписал на Rust, теперь падает быстрее… шучу, не падает",
];
const RU_FLOOD: &[&str] = &[
    "ахаха",
    "АХАХАХ",
    "да",
    "ДА",
    "!!!",
    "😂",
    "🔥",
    "ну",
    "всё",
    "лол",
    "ого",
];
const RU_CAPTIONS: &[&str] = &[
    "Мой рабочий стол",
    "Приехал плюшевый Феррис!",
    "Посмотрите на эту ошибку",
    "CI наконец зелёный",
    "С митапа",
];
const RU_JOIN_ANSWERS: &[&str] = &[
    "Изучаю Rust, хочу задавать вопросы",
    "Друг посоветовал",
    "Нашёл ссылку на Хабре",
    "Пишу на {lang}, хочу перейти на Rust",
    "Ищу работу на Rust",
];
const RU_ANNOUNCEMENTS: &[&str] = &[
    "Напоминаю правила: без спама и рекламы, вакансии — в «Rust: вакансии»",
    "Вышел Rust {version}! Подробности: https://blog.rust-lang.org/",
    "В четверг онлайн-митап, ссылка будет в закрепе",
    "Тред недели: над чем работаете?",
];
const RU_COMPLAINTS: &[&str] = &[
    "Админы, спам!",
    "Опять спамеры",
    "Кинул репорт",
    "Не переходите по ссылке, это развод",
    "@admin тут реклама",
];
const RU_SPECIAL: &[&str] = &[
    "Rust {version} вышел, уже обновился",
    "Обновился на {version}, всё собралось с первого раза",
    "Читали релиз-ноты {version}? Наконец-то стабилизировали",
];
const RU_CHANNEL_POSTS: &[&str] = &[
    "Вышел Rust {version}: что нового — разбор в статье",
    "Подборка крейтов недели: {crate}, {crate2} и другие",
];
const RU_REACTIONS: &[&str] = &["👍", "🔥", "😁", "❤", "🤔", "👏", "🦀"];
const RUST_LINKS: &[&str] = &[
    "https://doc.rust-lang.org/book/",
    "https://docs.rs/tokio",
    "https://crates.io/crates/serde",
    "https://play.rust-lang.org/",
];
const RU_OPENERS: &[&str] = &[
    "Кстати, ",
    "Вообще ",
    "Честно говоря, ",
    "Короче, ",
    "Слушайте, ",
];
const RU_TAILS: &[&str] = &["", ")", " :)", "!", "...", " 😅", "))"];
const RU_EDIT_TAILS: &[&str] = &[" (поправил)", ", точнее вчера", "!", " upd: уже починил"];
const RU_SLOTS: &[(&str, &[&str])] = &[
    (
        "crate",
        &[
            "tokio",
            "serde",
            "axum",
            "sqlx",
            "clap",
            "anyhow",
            "thiserror",
            "rayon",
            "reqwest",
            "tracing",
            "diesel",
            "bevy",
            "actix-web",
            "hyper",
            "nom",
            "itertools",
            "egui",
            "tauri",
            "polars",
        ],
    ),
    (
        "concept",
        &[
            "лайфтаймы",
            "трейты",
            "async",
            "макросы",
            "замыкания",
            "итераторы",
            "Pin",
            "умные указатели",
            "дженерики",
            "трейт-объекты",
            "Send и Sync",
            "владение",
        ],
    ),
    (
        "lang",
        &["C++", "Go", "Python", "Java", "Kotlin", "C#", "Haskell"],
    ),
    (
        "tool",
        &["компилятор", "cargo", "clippy", "rust-analyzer", "miri"],
    ),
    (
        "project",
        &[
            "CLI-утилиту",
            "веб-сервис",
            "бота для телеги",
            "игру на Bevy",
            "парсер логов",
            "эмулятор",
            "key-value хранилище",
            "HTTP-прокси",
        ],
    ),
    (
        "when",
        &[
            "все выходные",
            "весь вечер",
            "два часа",
            "всю ночь",
            "полдня",
        ],
    ),
    ("version", &["1.86", "1.87", "1.88", "1.89"]),
    (
        "city",
        &[
            "Москве",
            "Питере",
            "Казани",
            "Новосибирске",
            "Екатеринбурге",
        ],
    ),
    (
        "company",
        &[
            "Ферритех",
            "КрабСофт",
            "Северный Код",
            "Полярис Лабс",
            "ТочкаДанных",
            "ОблакоРу",
        ],
    ),
    ("salary", &["200", "250", "300", "350", "400", "450"]),
    ("years", &["2 года", "3 года", "5 лет", "7 лет"]),
    ("num", &["4821", "5130", "6277", "7034", "8812"]),
    (
        "hr",
        &["hr_anna", "olga_recruiter", "ferritech_jobs", "kirill_cto"],
    ),
];

static RUST_RU: Book = Book {
    statements: &[
        "{when} переписывал {project} на Rust, полёт нормальный",
        "{concept} наконец-то начинают укладываться в голове",
        "Пишу {project}, пока всё нравится",
        "После {lang} {concept} кажутся странными, но привыкаю",
        "{crate} просто лучший, без вариантов",
        "Обновил {crate}, ничего не сломалось, удивительно",
        "Компиляция идёт уже пять минут, пойду за чаем",
        "{when} воевал с borrow checker, он победил",
        "Перешёл с {lang} на Rust, назад не хочу",
        "Наконец собрал {project} без единого unwrap",
        "{crate} и {crate2} отлично работают вместе",
        "Прочитал растбук второй раз, теперь понятнее",
        "Смерджили мой первый PR в {crate}!",
        "Clippy ревьюит строже, чем мой тимлид",
        "На работе наконец разрешили писать на Rust",
        "Переписал горячий цикл на rayon, стало в четыре раза быстрее",
        "У {crate} очень приятная документация",
        "Сижу разбираюсь с {concept}, голова кипит",
        "Собрал {project} под wasm, работает в браузере",
        "Коллеги на {lang} смотрят с завистью",
    ],
    questions: &[
        "Как лучше обрабатывать ошибки: anyhow или свой enum?",
        "Что взять для нового проекта: {crate} или {crate2}?",
        "Почему {tool} ругается на {concept}?",
        "Кто-нибудь использовал {crate} в проде?",
        "Как передать замыкание в другой поток?",
        "Что почитать про {concept}?",
        "Есть смысл переписывать наш сервис с {lang} на Rust?",
        "Как в {crate} сделать таймаут на запрос?",
        "Почему нельзя взять две мутабельные ссылки?",
        "Чем String отличается от &str?",
        "Когда использовать Box<dyn Trait>, а когда дженерики?",
        "Что вообще значит 'static?",
    ],
    answers: &[
        "Посмотри в сторону {crate}, там это есть из коробки",
        "Для библиотек thiserror, для приложений anyhow",
        "Оберни в Arc и используй move-замыкание",
        "В растбуке есть хорошая глава про {concept}",
        "У нас {crate} в проде уже год, полёт нормальный",
        "Запусти {tool}, он обычно подсказывает, что делать",
        "Оберни в tokio::time::timeout",
        "String владеет данными, &str их только заимствует",
        "Дженерики, если тип известен при компиляции, иначе dyn",
        "Пока склонируй, потом оптимизируешь",
        "Попробуй, но сначала профилируй",
        "Вот тут хорошо описано: https://doc.rust-lang.org/book/",
    ],
    short: RU_SHORT,
    greetings: RU_GREETINGS,
    mornings: RU_MORNINGS,
    evenings: RU_EVENINGS,
    newcomer: RU_NEWCOMER,
    welcome: RU_WELCOME,
    thanks: RU_THANKS,
    jokes: RU_JOKES,
    flood: RU_FLOOD,
    captions: RU_CAPTIONS,
    join_answers: RU_JOIN_ANSWERS,
    announcements: RU_ANNOUNCEMENTS,
    complaints: RU_COMPLAINTS,
    special: RU_SPECIAL,
    channel: ("channel-rust-ru-news", "Rust по-русски | новости"),
    channel_posts: RU_CHANNEL_POSTS,
    reactions: RU_REACTIONS,
    links: RUST_LINKS,
    documents: &["lifetimes.pdf", "benchmark.txt"],
    openers: RU_OPENERS,
    tails: RU_TAILS,
    edit_tails: RU_EDIT_TAILS,
    slots: RU_SLOTS,
};

static JOBS_RU: Book = Book {
    statements: &[
        "#вакансия Rust-разработчик в {company}, удалёнка, от {salary}к на руки. Стек: {crate}, {crate2}, PostgreSQL. Подробности: https://rabota.example/vacancy/{num}",
        "#вакансия Senior Rust Developer, {company}, офис в {city} или удалёнка, {salary}–{salary2}к. Резюме присылайте @{hr}",
        "#вакансия Middle Rust, {company}, гибрид в {city}, {salary}к. Описание: https://rabota.example/vacancy/{num}",
        "#резюме Rust/Go разработчик, опыт {years}, ищу удалёнку",
        "#резюме Rust-разработчик, {crate} и {crate2}, опыт {years}, рассматриваю офис в {city}",
        "Прошёл собес в {company}, спрашивали про {concept}",
        "Получил оффер от {company}, думаю",
        "Рынок Rust-вакансий явно растёт",
        "Тестовое в {company} было интересное, про {concept}",
    ],
    questions: &[
        "Кто-нибудь работал в {company}? Как там?",
        "Сколько сейчас платят мидлу на Rust?",
        "Есть вакансии для джунов без коммерческого опыта?",
        "Тестовое на три дня — это нормально вообще?",
        "Где сейчас ищут Rust-разработчиков, кроме этого чата?",
    ],
    answers: &[
        "В {company} норм, но много легаси на {lang}",
        "Мидлу сейчас {salary}–{salary2}к",
        "Джунов берут редко, лучше сначала контрибьютить в опенсорс",
        "Тестовое больше дня — красный флаг",
        "{company} опять набирает, видел пост на прошлой неделе",
    ],
    short: RU_SHORT,
    greetings: RU_GREETINGS,
    mornings: RU_MORNINGS,
    evenings: RU_EVENINGS,
    newcomer: RU_NEWCOMER,
    welcome: RU_WELCOME,
    thanks: RU_THANKS,
    jokes: RU_JOKES,
    flood: RU_FLOOD,
    captions: RU_CAPTIONS,
    join_answers: RU_JOIN_ANSWERS,
    announcements: &[
        "Формат вакансии: #вакансия, компания, вилка, формат работы. Без вилки удаляем",
        "Напоминаю: только вакансии и резюме, обсуждения — в основном чате",
    ],
    complaints: RU_COMPLAINTS,
    special: &[],
    channel: ("channel-rust-ru-news", "Rust по-русски | новости"),
    channel_posts: RU_CHANNEL_POSTS,
    reactions: RU_REACTIONS,
    links: &["https://rabota.example/vacancy/4821"],
    documents: &["CV_Rust_Developer.pdf", "resume.pdf"],
    openers: &[],
    tails: &[],
    edit_tails: &[" (вакансия закрыта)", " upd: вилка обновлена", "!"],
    slots: RU_SLOTS,
};

// ---------------------------------------------------------------- English

const EN_SHORT: &[&str] = &[
    "+1",
    "lol",
    "Same",
    "Agreed",
    "Nice!",
    "True",
    "Haha",
    "😂",
    "🦀",
    "Makes sense",
    "Oof",
    "This",
    "Wow",
    "Cool",
    "Indeed",
    "Ha",
    "Yep",
    "gg",
];
const EN_GREETINGS: &[&str] = &["Hey everyone", "Hi chat 👋", "Hello folks"];
const EN_MORNINGS: &[&str] = &["Morning all!", "Good morning, Rustaceans", "gm"];
const EN_EVENINGS: &[&str] = &["Good evening, Rustaceans", "Night all", "Evening, chat"];
const EN_NEWCOMER: &[&str] = &[
    "Hi everyone, just joined! Learning Rust coming from {lang}",
    "Hello! New here 👋",
    "Hey all, thanks for having me",
];
const EN_WELCOME: &[&str] = &[
    "Welcome!",
    "Welcome aboard 🦀",
    "Hey, welcome! Rules are pinned",
    "Welcome, ask anything",
];
const EN_THANKS: &[&str] = &[
    "Thanks!",
    "That worked, thank you!",
    "Oh right, thanks",
    "Got it, thanks 🙏",
];
const EN_JOKES: &[&str] = &[
    "Rust: where the compiler is your pair programmer and your therapist",
    "My code compiles, time to take the rest of the day off",
    "Ferris is the real project lead",
    "I don't fight the borrow checker anymore, I negotiate",
];
const EN_FLOOD: &[&str] = &[
    "lol", "LOL", "omg", "yes", "YES", "!!!", "😂", "🦀", "ok", "wait", "what",
];
const EN_CAPTIONS: &[&str] = &[
    "My desk setup",
    "Ferris plushie arrived!",
    "Look at this error message",
    "Finally green CI",
    "Meetup today",
];
const EN_JOIN_ANSWERS: &[&str] = &[
    "I'm learning Rust and want to ask questions",
    "Friend recommended this group",
    "Found it on Reddit",
    "Coming from {lang}, want to learn Rust",
    "Saw the link on the Rust forum",
];
const EN_COMPLAINTS: &[&str] = &[
    "Spam again, admins please",
    "Reported",
    "Don't click that link, it's a scam",
    "@admin spam",
    "Mods, ban please",
];
const EN_CHANNEL_POSTS: &[&str] = &[
    "This Week in Rust {issue}: new crates, call for participation, jobs",
    "Rust {version} released: faster builds, new lints and more",
];
const EN_REACTIONS: &[&str] = &["👍", "🎉", "😂", "❤️", "🚀", "🦀", "👀"];
const EN_OPENERS: &[&str] = &["Btw, ", "Honestly, ", "So ", "Ok so ", "Fun fact: ", "lol "];
const EN_TAILS: &[&str] = &["", " :)", "!", " lol", " 😅", "...", " 🦀"];
const EN_EDIT_TAILS: &[&str] = &[
    " (edit: typo)",
    ", sorry, meant yesterday",
    "!",
    " upd: fixed it",
];
const EN_SLOTS: &[(&str, &[&str])] = &[
    (
        "crate",
        &[
            "tokio",
            "serde",
            "axum",
            "sqlx",
            "clap",
            "anyhow",
            "thiserror",
            "rayon",
            "reqwest",
            "tracing",
            "diesel",
            "bevy",
            "actix-web",
            "hyper",
            "nom",
            "itertools",
            "egui",
            "tauri",
            "polars",
        ],
    ),
    (
        "concept",
        &[
            "lifetimes",
            "traits",
            "async/await",
            "macros",
            "closures",
            "iterators",
            "Pin",
            "smart pointers",
            "generics",
            "trait objects",
            "Send and Sync",
            "ownership",
        ],
    ),
    (
        "lang",
        &["C++", "Go", "Python", "Java", "TypeScript", "C#", "Haskell"],
    ),
    (
        "tool",
        &["the compiler", "cargo", "clippy", "rust-analyzer", "miri"],
    ),
    (
        "project",
        &[
            "CLI tool",
            "web server",
            "Discord bot",
            "game",
            "log parser",
            "emulator",
            "key-value store",
            "HTTP proxy",
        ],
    ),
    (
        "when",
        &[
            "all weekend",
            "the whole evening",
            "two hours",
            "all night",
            "half a day",
        ],
    ),
    ("version", &["1.86", "1.87", "1.88", "1.89"]),
    (
        "city",
        &[
            "Berlin",
            "London",
            "Amsterdam",
            "New York",
            "Toronto",
            "Austin",
            "Lisbon",
        ],
    ),
    (
        "company",
        &[
            "Ferrous Labs",
            "Crabtree Systems",
            "Northwind Data",
            "Rustic Cloud",
            "Blue Heron",
            "Oxbow Analytics",
        ],
    ),
    ("region", &["EU", "US", "worldwide", "UK"]),
    ("salary", &["90", "110", "130", "150", "170"]),
    ("years", &["2 years", "3 years", "5 years", "7 years"]),
    ("num", &["4821", "5130", "6277", "7034", "8812"]),
    ("issue", &["612", "613", "614", "615", "616"]),
];

static RUST_EN: Book = Book {
    statements: &[
        "Finally understood {concept}, it clicked today",
        "Just shipped my first {project} in Rust",
        "{tool} is so helpful, it basically taught me Rust",
        "Coming from {lang}, {concept} feel weird but I'm getting used to it",
        "{crate} is amazing, the docs are great",
        "Spent {when} fighting the borrow checker, the borrow checker won",
        "Compile times are long but the result is worth it",
        "Rewrote my {project} from {lang} and it's 10x faster",
        "Reading the Rust book for the second time, makes much more sense now",
        "{crate} + {crate2} work great together",
        "Got my first PR merged into {crate}!",
        "No unwraps in my {project} anymore, feels good",
        "Clippy is a stricter reviewer than my team lead",
        "Rustlings chapter on {concept} done",
        "Built my {project} for wasm, runs in the browser",
        "Spent {when} on {concept}, my brain hurts",
        "The error messages are so much better than in {lang}",
        "My {project} is finally on crates.io",
    ],
    questions: &[
        "How do I fix \"cannot borrow as mutable because it is also borrowed as immutable\"?",
        "What's the difference between String and &str?",
        "Should I use {crate} or {crate2} for my {project}?",
        "Why does {tool} complain about {concept}?",
        "Anyone using {crate} in production?",
        "How do I share state between threads? Arc<Mutex<T>>?",
        "Any good resources on {concept}?",
        "Is it worth rewriting my {project} from {lang}?",
        "How do I add a timeout to a request in {crate}?",
        "When should I use Box<dyn Trait> vs generics?",
        "What does 'static actually mean?",
        "Why can't I have two mutable references?",
    ],
    answers: &[
        "Look at {crate}, it does that out of the box",
        "thiserror for libraries, anyhow for applications",
        "Wrap it in Arc and move it into the closure",
        "The book has a great chapter on {concept}",
        "We've used {crate} in production for a year, no complaints",
        "Run {tool}, it usually tells you exactly what to do",
        "tokio::time::timeout is what you want",
        "String owns the data, &str just borrows it",
        "Generics when you know the type at compile time, dyn when you don't",
        "Clone it for now, optimize later",
        "Try it, but profile first",
        "Check the book: https://doc.rust-lang.org/book/",
    ],
    short: EN_SHORT,
    greetings: EN_GREETINGS,
    mornings: EN_MORNINGS,
    evenings: EN_EVENINGS,
    newcomer: EN_NEWCOMER,
    welcome: EN_WELCOME,
    thanks: EN_THANKS,
    jokes: EN_JOKES,
    flood: EN_FLOOD,
    captions: EN_CAPTIONS,
    join_answers: EN_JOIN_ANSWERS,
    announcements: &[
        "Reminder: be kind, no spam, job posts go to Rust Jobs",
        "Weekly thread: what are you working on this week?",
        "Rust {version} is out! Release notes: https://blog.rust-lang.org/",
        "Meetup next Thursday, details in the pinned message",
    ],
    complaints: EN_COMPLAINTS,
    special: &[
        "Rust {version} is out, already updated",
        "Updated to {version}, everything still compiles",
        "Did you read the {version} release notes? Finally stabilized",
    ],
    channel: ("channel-twir", "This Week in Rust"),
    channel_posts: EN_CHANNEL_POSTS,
    reactions: EN_REACTIONS,
    links: RUST_LINKS,
    documents: &["notes.md", "flamegraph.svg"],
    openers: EN_OPENERS,
    tails: EN_TAILS,
    edit_tails: EN_EDIT_TAILS,
    slots: EN_SLOTS,
};

static JOBS_EN: Book = Book {
    statements: &[
        "[Hiring] Senior Rust Engineer at {company}, remote ({region}), ${salary}k–${salary2}k. Apply: https://jobs.example/rust/{num}",
        "[Hiring] Rust backend dev ({crate}, {crate2}) at {company}, hybrid in {city}. Details: https://jobs.example/rust/{num}",
        "[Hiring] Embedded Rust engineer, {company}, on-site in {city}",
        "[For hire] Rust dev, {years} of experience with {crate} and {crate2}, open to contract work",
        "Had an interview at {company} today, they asked about {concept}",
        "Got an offer from {company}, thinking it over",
        "The Rust job market feels much better than last year",
    ],
    questions: &[
        "Anyone worked at {company}? How's the culture?",
        "What's a fair salary for a mid-level Rust dev in {city}?",
        "Are there any junior Rust roles out there?",
        "Is a 3-day take-home normal?",
        "Where else do people post Rust jobs?",
    ],
    answers: &[
        "{company} is fine, lots of legacy {lang} though",
        "In {city} I'd say ${salary}k–${salary2}k",
        "Contribute to open source first, it helps a lot",
        "Anything over a day is a red flag",
        "{company} is hiring again, saw a post last week",
    ],
    short: EN_SHORT,
    greetings: EN_GREETINGS,
    mornings: EN_MORNINGS,
    evenings: EN_EVENINGS,
    newcomer: EN_NEWCOMER,
    welcome: EN_WELCOME,
    thanks: EN_THANKS,
    jokes: EN_JOKES,
    flood: EN_FLOOD,
    captions: EN_CAPTIONS,
    join_answers: EN_JOIN_ANSWERS,
    announcements: &[
        "Job post format: [Hiring] or [For hire], company, salary range, location. Posts without a range get removed",
        "Reminder: jobs and CVs only, discussion goes to Rust Beginners",
    ],
    complaints: EN_COMPLAINTS,
    special: &[],
    channel: ("channel-twir", "This Week in Rust"),
    channel_posts: EN_CHANNEL_POSTS,
    reactions: EN_REACTIONS,
    links: &["https://jobs.example/rust/4821"],
    documents: &["CV_Rust_Engineer.pdf", "resume.pdf"],
    openers: &[],
    tails: &[],
    edit_tails: &[" (position filled)", " upd: salary range updated", "!"],
    slots: EN_SLOTS,
};

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const TOPICS: [Topic; 5] = [
        Topic::Coffee,
        Topic::RustRu,
        Topic::JobsRu,
        Topic::RustEn,
        Topic::JobsEn,
    ];

    #[test]
    fn every_slot_is_filled() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for topic in TOPICS {
            let b = book(topic);
            for list in [
                b.statements,
                b.questions,
                b.answers,
                b.newcomer,
                b.captions,
                b.join_answers,
                b.announcements,
                b.special,
                b.channel_posts,
            ] {
                for template in list {
                    let text = b.fill(&mut rng, template);
                    assert!(!text.contains('{'), "{topic:?}: unfilled slot in {text}");
                }
            }
        }
    }

    #[test]
    fn questions_end_with_a_question_mark() {
        for topic in TOPICS {
            for q in book(topic).questions {
                assert!(q.ends_with('?') || q.ends_with('？'), "{q}");
            }
        }
    }

    #[test]
    fn statements_vary() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let b = book(Topic::Coffee);
        let texts: std::collections::BTreeSet<String> =
            (0..500).map(|_| b.statement(&mut rng, false)).collect();
        assert!(texts.len() > 300, "only {} distinct", texts.len());
    }

    #[test]
    fn openers_keep_proper_capitals() {
        assert_eq!(lower_first("Finally done"), "finally done");
        assert_eq!(lower_first("Rust is fun"), "Rust is fun");
        assert_eq!(lower_first("CI is green"), "CI is green");
    }
}
