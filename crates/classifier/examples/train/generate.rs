//! The project's own corpus generator: spam and ordinary chat in Chinese,
//! Russian and English, from templates written for this trainer.
//!
//! The public corpora have no Chinese at all and little of the chat Steward
//! watches (community groups about products, programming and jobs), so the
//! generator fills those gaps. Spam templates cover the usual kinds (side
//! jobs, invoices, loans, gambling, crypto, fake giveaways, accounts for
//! sale, "DM me") with the usual disguises; ham templates include the hard
//! cases: ordinary messages that mention WeChat, invoices, links, salaries,
//! prices, and people complaining about spam.
//!
//! Deterministic: a SplitMix64 stream from a fixed seed, no clock.

/// One generated message.
pub(crate) struct Generated {
    pub(crate) lang: Lang,
    pub(crate) spam: bool,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Lang {
    Zh,
    Ru,
    En,
}

impl Lang {
    pub(crate) const ALL: [Lang; 3] = [Lang::Zh, Lang::Ru, Lang::En];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

/// How many messages of each kind per language.
pub(crate) struct Counts {
    pub(crate) spam: usize,
    pub(crate) ham: usize,
}

/// The generated corpus: for each language `counts.spam` spam and
/// `counts.ham` ham, distinct texts only.
pub(crate) fn generate(seed: u64, counts: &Counts) -> Vec<Generated> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for lang in Lang::ALL {
        for spam in [true, false] {
            let want = if spam { counts.spam } else { counts.ham };
            let mut made = 0;
            let mut tries = 0;
            while made < want && tries < want * 20 {
                tries += 1;
                let text = if spam {
                    spam_text(&mut rng, lang)
                } else {
                    ham_text(&mut rng, lang)
                };
                if seen.insert(text.clone()) {
                    out.push(Generated { lang, spam, text });
                    made += 1;
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------ rng

/// SplitMix64: tiny, fast and the same everywhere.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub(crate) fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

// ------------------------------------------------------------------ filling

/// Replaces each `{slot}` with a value for the language.
fn fill(rng: &mut Rng, lang: Lang, template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        let value = slot(rng, lang, name);
        // Slot values may contain slots themselves (contacts, links).
        if value.contains('{') {
            out.push_str(&fill(rng, lang, &value));
        } else {
            out.push_str(&value);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

const ALNUM: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

fn code(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| ALNUM[rng.below(ALNUM.len())] as char)
        .collect()
}

fn slot(rng: &mut Rng, lang: Lang, name: &str) -> String {
    let s = |v: &str| v.to_owned();
    match name {
        // Shared, made-up contacts and links (all .example or random).
        "wx" => format!(
            "{}{}",
            rng.pick(&[
                "wx", "vx", "abc", "hb", "fl_", "xm", "lq", "kefu", "zz", "v"
            ]),
            rng.range(10, 99_999)
        ),
        "qq" => rng.range(10_000_000, 3_999_999_999).to_string(),
        "phone_cn" => format!(
            "1{}{}",
            rng.pick(&["3", "5", "7", "8", "9"]),
            rng.range(100_000_000, 999_999_999)
        ),
        "phone_ru" => format!(
            "+7 9{} {} {} {}",
            rng.range(10, 99),
            rng.range(100, 999),
            rng.range(10, 99),
            rng.range(10, 99)
        ),
        "phone_en" => format!(
            "+1 {} {} {}",
            rng.range(200, 999),
            rng.range(200, 999),
            rng.range(1000, 9999)
        ),
        "handle" => format!(
            "{}{}",
            rng.pick(&[
                "support_", "invest", "crypto", "manager_", "admin", "helper", "bonus", "work",
                "job_", "money", "anna", "kate", "mike", "trader", "vip", "free", "club",
            ]),
            if rng.chance(0.6) {
                let len = rng.below(5) + 2;
                code(rng, len)
            } else {
                String::new()
            }
        ),
        "url" => {
            let host = rng.pick(&[
                "bonus-{c}.example",
                "free-gift.example",
                "win-{c}.example",
                "claim.example",
                "airdrop-{c}.example",
                "lucky{c}.example",
                "earn-{c}.example",
                "promo.example",
                "vip-club.example",
                "bit.ly",
                "tinyurl.com",
                "cutt.ly",
                "hb-lingqu.example",
                "fuli-{c}.example",
                "kazino-{c}.example",
                "usdt-{c}.example",
            ]);
            let host = host.replace("{c}", &code(rng, 3));
            let scheme = rng.pick(&["https://", "http://", "", "https://"]);
            let len = rng.below(6) + 3;
            format!("{scheme}{host}/{}", code(rng, len))
        }
        "tg" => format!("t.me/{}", slot(rng, lang, "handle")),
        "money_cn" => rng
            .pick(&[
                "100", "200", "300", "500", "800", "1000", "1500", "2000", "3000", "5000",
            ])
            .to_owned(),
        "money" => match lang {
            Lang::Zh => slot(rng, lang, "money_cn"),
            Lang::Ru => rng
                .pick(&[
                    "3000", "5000", "7 000", "10000", "15 000", "20 000", "50 000", "100 000",
                ])
                .to_owned(),
            Lang::En => rng
                .pick(&[
                    "200", "300", "500", "750", "1,000", "1500", "2,500", "5000", "10,000",
                ])
                .to_owned(),
        },
        "n" => rng.range(2, 50).to_string(),
        "big" => rng
            .pick(&["100", "500", "1000", "2000", "5000", "10000"])
            .to_owned(),
        "pct" => rng
            .pick(&["20", "30", "50", "100", "200", "300", "500"])
            .to_owned(),
        "hours" => rng.range(1, 4).to_string(),
        "emoji" => rng
            .pick(&[
                "🔥", "💰", "🚀", "✅", "👉", "💵", "🎁", "⚡", "💎", "❗", "📈", "🤑", "💸", "🎉",
            ])
            .to_owned(),
        _ => match lang {
            Lang::Zh => zh_slot(rng, name),
            Lang::Ru => ru_slot(rng, name),
            Lang::En => en_slot(rng, name),
        }
        .unwrap_or_else(|| s(name)),
    }
}

// ------------------------------------------------------------------ disguises

/// The ways spammers dress a message up or hide it from keyword filters.
fn disguise(rng: &mut Rng, lang: Lang, text: String) -> String {
    let mut text = text;
    if rng.chance(0.25) {
        let e = slot(rng, lang, "emoji");
        text = match rng.below(3) {
            0 => format!("{e}{text}"),
            1 => format!("{text}{e}"),
            _ => format!("{e}{e}{text}{e}"),
        };
    }
    match rng.below(14) {
        0 => spaced(&text),
        1 => fullwidth(&text),
        2 if lang == Lang::Ru => lookalikes(&text),
        3 if lang == Lang::Zh => text
            .replace("微信", "薇信")
            .replace("加V", "+V")
            .replace("QQ", "扣扣")
            .replace("红包", "hong包"),
        3 if lang == Lang::En => text.replace('o', "0").replace("e", "3"),
        4 => text.replace(['，', ','], "\n"),
        5 => text.to_uppercase(),
        6 => format!("{text}\n{text}"),
        _ => text,
    }
}

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

fn lookalikes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'а' => 'a',
            'о' => 'o',
            'е' => 'e',
            'с' => 'c',
            'р' => 'p',
            'х' => 'x',
            'К' => 'K',
            'М' => 'M',
            'Т' => 'T',
            _ => c,
        })
        .collect()
}

// ------------------------------------------------------------------ texts

fn spam_text(rng: &mut Rng, lang: Lang) -> String {
    let templates = match lang {
        Lang::Zh => ZH_SPAM,
        Lang::Ru => RU_SPAM,
        Lang::En => EN_SPAM,
    };
    let mut text = {
        let template = rng.pick(templates);
        fill(rng, lang, template)
    };
    // Some ads stack two pitches.
    if rng.chance(0.15) {
        text.push_str(if lang == Lang::Zh { "。" } else { ". " });
        text.push_str(&{
            let template = rng.pick(templates);
            fill(rng, lang, template)
        });
    }
    disguise(rng, lang, text)
}

fn ham_text(rng: &mut Rng, lang: Lang) -> String {
    let templates = match lang {
        Lang::Zh => ZH_HAM,
        Lang::Ru => RU_HAM,
        Lang::En => EN_HAM,
    };
    let mut text = {
        let template = rng.pick(templates);
        fill(rng, lang, template)
    };
    // Chat runs on: a second sentence now and then.
    if rng.chance(0.2) {
        text.push_str(if lang == Lang::Zh { "，" } else { ". " });
        text.push_str(&{
            let template = rng.pick(templates);
            fill(rng, lang, template)
        });
    }
    if rng.chance(0.15) {
        let tail = match lang {
            Lang::Zh => rng.pick(&["哈哈", "😂", "～", "！", "。", "…", "👍", "吧", "呢", "啊"]),
            Lang::Ru => rng.pick(&[")", "))", " 😂", "!", "...", " 👍", " лол", "?"]),
            Lang::En => rng.pick(&[" :)", " lol", "!", "...", " 😂", " 👍", " haha", "?"]),
        };
        text.push_str(tail);
    }
    if rng.chance(0.1) {
        text = text.to_lowercase();
    }
    text
}

// ---------------------------------------------------------------- Chinese

const ZH_SPAM: &[&str] = &[
    "兼职刷单，日结{money}，{contact}",
    "{greet}，招聘兼职打字员，在家就能做，一单一结，{contact}",
    "宝妈学生党看过来！手机兼职，每天{hours}小时，日赚{money}+，{contact}",
    "免费领取{gift}，名额有限，先到先得，{contact}",
    "代开各类发票，增值税专用发票，{contact}",
    "正规发票代开，可验证后付款，{contact}",
    "加我微信{wx}，拉你进{group}，每天免费领红包",
    "【{brand}福利】恭喜您获得{gift}，点击 {url} 立即领取",
    "无抵押贷款，当天放款，额度{money}-{big}万，{contact}",
    "网贷逾期？征信花了？{contact}，帮你处理",
    "{game}，首充送{money}，提现秒到，{url}",
    "线上{game}开户，官方直营，{url}",
    "内部消息：{coin}即将暴涨，带单稳赚，{contact}",
    "专业炒币团队带单，月收益{pct}%，不赚不收费，{contact}",
    "出售{platform}会员，{money}元一年，{contact}",
    "低价出售{platform}账号，批量有货，{contact}",
    "{platform}涨粉，{big}个粉丝只要{n}元，{contact}",
    "同城交友，寂寞的私聊，看照片{contact}",
    "招代理，零成本创业，月入过万不是梦，{contact}",
    "办理各类证件，学历证书，快速拿证，{contact}",
    "减肥神药，一个月瘦{n}斤，无效退款，{contact}",
    "点击链接领取{brand}优惠券：{url}",
    "进群免费送{gift}，群号{qq}",
    "投资{coin}一天翻倍，已经有{big}人赚到钱了，{contact}",
    "高价回收{platform}号，秒结算，{contact}",
    "{greet}，我是{brand}客服，您的订单异常，请{contact}办理退款",
    "恭喜！您已被抽中{gift}，请登录 {url} 填写信息领取",
    "不用押金，不用培训，在家躺着赚钱，{contact}",
    "专业代写论文，包过查重，{contact}",
    "想赚钱的私聊我，带你一起发财",
    "扫码进群，每天分享赚钱项目 {url}",
    "低价代充话费流量，{n}折，{contact}",
    "海外{game}，注册就送{money}，{url}",
    "信用卡套现，费率低，秒到账，{contact}",
    "招聘网络推广员，日薪{money}，{contact}",
    "一件代发，招代理，货源充足，{contact}",
    "稳赚不赔的项目，每天收益{pct}%，{contact}",
    "内部渠道，带你投资翻倍，{contact}",
    "新人注册送{money}元彩金，{url}",
    "{gift}免费送，只需要转发到三个群，{contact}",
    "手机挂机赚钱，一天{money}，{contact}",
    "快速提升信用分，黑户也能下款，{contact}",
    "专业刷好评，{platform}店铺代运营，{contact}",
    "今晚{coin}上所，现在买入稳赚十倍，进群：{url}",
];

const ZH_CONTACT: &[&str] = &[
    "加微信{wx}",
    "加V：{wx}",
    "加vx {wx}",
    "加薇信{wx}",
    "联系QQ{qq}",
    "QQ：{qq}",
    "扣扣{qq}",
    "私聊我",
    "详情私信",
    "加我好友详聊",
    "微信同号{phone_cn}",
    "电话{phone_cn}",
    "v信{wx}",
    "➕V {wx}",
    "飞机 @{handle}",
    "联系 {tg}",
    "咨询微信：{wx}",
    "有意者加{wx}",
];

const ZH_HAM: &[&str] = &[
    "{time}喝了一杯{drink}，{taste}",
    "今天{place}人好多，排了{n}分钟",
    "有人去过{place}吗？{feeling}",
    "刚下班，累死了",
    "周末一起去{place}吧",
    "我觉得{food}比{food2}好吃",
    "这个{thing}在哪里买的？",
    "{person}说明天{weather}，记得带伞",
    "明天几点集合？",
    "我到{place}了，你们在哪",
    "晚上吃{food}怎么样",
    "{city}今天{weather}，{feeling}",
    "谁有{thing}的说明书？",
    "刚看完{movie}，{feeling}",
    "今天加班到{n}点，{feeling}",
    "孩子今天第一次去幼儿园，{feeling}",
    "我加你微信了，通过一下",
    "你微信发我一下地址吧",
    "我把文件发你微信了",
    "群里有人知道{place}怎么走吗",
    "红包收到了，谢谢老板",
    "谢谢大家的红包",
    "会员日{drink}只要{n}元，冲了",
    "优惠券在哪里领？",
    "请问电子发票在哪里开？",
    "公司报销需要发票，记得开",
    "订单详情里可以申请电子发票",
    "免费停车场在{place}后面",
    "生日当天有免费饮品吗？",
    "快递到了，去{place}领取",
    "又来发广告的，管理员快踢了",
    "这是骗子，大家别信",
    "别点那个链接，是骗人的",
    "刷单都是骗局，我同事被骗了{big}",
    "举报了，群主在吗",
    "上次那个说兼职日结的是骗子",
    "今天代码终于跑通了",
    "这个bug改了一下午",
    "{lang}的编译速度确实慢",
    "有人用过{lang}写后端吗？",
    "项目文档在这里 https://docs.example/{n}",
    "官网有说明：https://galaxy-coffee.example/menu",
    "会议改到下午{n}点了",
    "请假一天，孩子发烧了",
    "周报记得周五前交",
    "面试通过了！下周入职",
    "工资今天发了吗",
    "这个月房租涨了{n}百",
    "{city}的房价太高了",
    "你们{game}玩到几级了",
    "今晚开黑吗",
    "新出的{thing}太好看了",
    "积分快过期了，换了个{thing}",
    "这家店的{food}真的绝了",
    "哈哈哈笑死我了",
    "确实，我也这么觉得",
    "好的，收到",
    "大家早上好☀️",
    "晚安，明天见",
    "新人报到，请多关照",
    "欢迎新朋友！记得看群公告",
    "群公告：本群禁止发广告",
    "【群公告】本群禁止发广告和拉人，违者移出",
    "门店招聘咖啡师，欢迎投递简历",
    "本周六有咖啡品鉴会，欢迎报名",
    "新品明天上市，门店限量供应",
    "有没有人一起拼单，第二杯半价",
    "我的手机号换了，新号{phone_cn}",
    "快递单号是{qq}，帮我查一下",
    "我在{place}等你，{n}号门口",
    "这周末{city}有什么好玩的吗",
    "{person}生日快乐🎂",
    "恭喜恭喜🎉",
    "考试终于结束了，{feeling}",
    "{person}刚才说的我没听懂",
    "这个价格还挺划算的，{n}块钱",
    "买了个{thing}，才{n}十块",
    "{drink}和{drink2}哪个好喝？",
    "推荐{drink}，不会出错",
    "外卖满{n}免配送费",
    "今天的{drink}有点{taste}",
    "老师说作业明天交",
    "爸妈下周来{city}看我",
    "我们小区今天停水",
    "地铁又晚点了",
    "天气预报说{weather}",
    "你们觉得{movie}好看吗",
    "刚跑完{n}公里，腿好酸",
    "求推荐{city}的好吃的",
    "这个问题我也遇到过，重启一下就好了",
    "版本更新以后卡了很多",
    "谁能帮我看看这个报错",
    "我先去开会了，回头聊",
    "哈哈，你太逗了",
    "明天见！",
];

fn zh_slot(rng: &mut Rng, name: &str) -> Option<String> {
    let v = match name {
        "contact" => rng.pick(ZH_CONTACT),
        "greet" => rng.pick(&["您好", "亲", "各位", "大家好", "hello", "朋友们"]),
        "gift" => rng.pick(&[
            "100元红包",
            "iPhone 16",
            "咖啡券",
            "话费",
            "京东卡",
            "会员月卡",
            "现金红包",
            "精美礼品",
            "免单券",
            "iPad",
        ]),
        "group" => rng.pick(&["福利群", "VIP群", "内部群", "赚钱群", "红包群"]),
        "brand" => rng.pick(&[
            "京东",
            "淘宝",
            "星河咖啡",
            "拼多多",
            "支付宝",
            "微信支付",
            "抖音",
        ]),
        "game" => rng.pick(&["棋牌", "百家乐", "彩票", "体育竞猜", "老虎机", "真人娱乐"]),
        "coin" => rng.pick(&["新币", "BTC", "某币", "USDT", "空投币", "MOON币"]),
        "platform" => rng.pick(&[
            "爱奇艺",
            "腾讯视频",
            "抖音",
            "快手",
            "小红书",
            "淘宝",
            "微博",
        ]),
        "time" => rng.pick(&["早上", "中午", "下午", "晚上", "刚才", "今天"]),
        "drink" | "drink2" => rng.pick(&[
            "拿铁",
            "美式",
            "燕麦拿铁",
            "生椰拿铁",
            "奶茶",
            "冷萃",
            "抹茶拿铁",
            "柠檬茶",
        ]),
        "taste" => rng.pick(&["偏苦", "太甜了", "刚刚好", "很香", "有点酸", "一般般"]),
        "place" => rng.pick(&[
            "星河咖啡",
            "公司楼下",
            "商场",
            "火车站",
            "学校门口",
            "超市",
            "图书馆",
            "公园",
            "地铁站",
        ]),
        "feeling" => rng.pick(&[
            "还不错",
            "挺好的",
            "一般",
            "有点失望",
            "太开心了",
            "好累",
            "感觉很棒",
        ]),
        "food" | "food2" => rng.pick(&[
            "火锅",
            "烧烤",
            "饺子",
            "麻辣烫",
            "拉面",
            "炸鸡",
            "小龙虾",
            "包子",
        ]),
        "thing" => rng.pick(&[
            "杯子",
            "耳机",
            "键盘",
            "包包",
            "帽子",
            "手机壳",
            "周边",
            "台灯",
        ]),
        "person" => rng.pick(&["我妈", "老王", "同事", "小李", "我朋友", "老板", "班长"]),
        "weather" => rng.pick(&["下雨", "降温", "很热", "有雾", "刮大风", "晴天"]),
        "city" => rng.pick(&["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉"]),
        "movie" => rng.pick(&["那部新电影", "流浪地球", "这个综艺", "新剧", "纪录片"]),
        "lang" => rng.pick(&["Rust", "Go", "Java", "Python", "C++"]),
        _ => return None,
    };
    Some(v.to_owned())
}

// ---------------------------------------------------------------- Russian

const RU_SPAM: &[&str] = &[
    "Заработок от {money} в день, {contact}",
    "Нужны люди на удалёнку, {hours}-{n} часа в день, от {money} ₽ в неделю. {contact}",
    "Требуются сотрудники для работы онлайн, опыт не нужен, оплата ежедневно. {contact}",
    "Ищу партнёров для пассивного дохода, без вложений, {contact}",
    "Казино бонус {pct}% на первый депозит {url}",
    "Ставки на спорт, 100% проход! Подписывайся: {tg}",
    "Раздаю USDT первым {big} подписчикам {url}",
    "Крипта растёт, успей заработать! Бесплатные сигналы: {tg}",
    "Бесплатное обучение трейдингу, доход от {money} в месяц, {contact}",
    "Займ без отказа и проверки кредитной истории, {contact}",
    "Продам аккаунты {platform}, оптом дешевле, {contact}",
    "Накрутка подписчиков и лайков {platform}, {big} подписчиков за {n}0 ₽, {contact}",
    "Девушки твоего города ждут тебя {url}",
    "Привет! Есть подработка, нужен только телефон, {money} ₽ в день, {contact}",
    "Срочно нужны курьеры, оплата {money} ₽ за смену, {contact}",
    "Инвестиции под {pct}% в месяц, гарантия возврата, {contact}",
    "Получи {money} ₽ на карту за регистрацию {url}",
    "Открыт набор в команду, зарабатываем на арбитраже крипты, {contact}",
    "Всем привет! Кому интересен доп доход, ставьте + в комментариях, {contact}",
    "Продаю готовый бизнес под ключ, окупаемость месяц, {contact}",
    "Подпишись на канал {tg} и выиграй iPhone",
    "Лучшие прогнозы на футбол, проходимость {pct}%, {tg}",
    "Работа для студентов и мамочек в декрете, {hours} часа в день, {contact}",
    "Помогу заработать на P2P арбитраже от {money} в день, {contact}",
    "Выплаты каждый день, без вложений, всё легально. {contact}",
    "Розыгрыш {money} ₽ среди подписчиков {tg}",
    "Удалённая работа, доход {money}-{money} ₽, {contact}",
    "Хочешь зарабатывать из дома? {contact}",
    "Бесплатные фриспины в казино {url}",
    "Набираю людей в команду, доход от {money} ₽ в неделю, подробности {contact}",
    "Приветствую всех! Есть обучение по криптовалюте и биржам, кому интересно, {contact}",
    "Заработок на крипте, ссылка в профиле",
    "Доброго дня, есть тут ребята 18+, которые ищут постоянный доход? {money} в день, всё честно и легально. {contact}",
    "Бесплатные курсы по трейдингу для новичков, {contact}",
    "Ищу людей в команду, можно без опыта, обучение бесплатно, {contact}",
    "Нужны ответственные люди, работа с телефона, выплаты ежедневно от {money} ₽. {contact}",
];

const RU_CONTACT: &[&str] = &[
    "пиши в лс",
    "пишите в ЛС",
    "пиши в личку",
    "подробности в личке",
    "пишите @{handle}",
    "телеграм @{handle}",
    "подробнее {tg}",
    "ватсап {phone_ru}",
    "звоните {phone_ru}",
    "жми {url}",
    "переходи {url}",
    "пишите в личные сообщения",
    "ставь + и я напишу",
];

const RU_HAM: &[&str] = &[
    "Кто-нибудь пробовал {crate}? Как впечатления?",
    "Обновил {crate} до новой версии, всё сломалось",
    "Подскажите, как в Rust вернуть ошибку из замыкания?",
    "Борроу чекер опять ругается на {concept}",
    "Прошёл собес в {company}, спрашивали про {concept}",
    "#вакансия Rust-разработчик в {company}, удалёнка, от {n}0к на руки. Подробности: https://rabota.example/vacancy/{big}",
    "#резюме Rust/Go разработчик, опыт {n} лет, ищу удалёнку",
    "Рынок Rust-вакансий явно растёт",
    "Сколько сейчас платят мидлу на Rust?",
    "Тестовое больше дня — красный флаг",
    "Получил оффер от {company}, думаю",
    "Вот ссылка на доку: https://doc.rust-lang.org/std/",
    "Посмотрите issue на гитхабе, там обсуждали",
    "Всем привет, я новенький, пишу на Rust полгода",
    "Добро пожаловать!",
    "Спасибо, помогло",
    "Да, согласен",
    "Завтра созвон в {n} по Москве, не забудьте",
    "Опять спам в чате, админы, забаньте",
    "Не переходите по ссылке, это мошенники",
    "Кто-то опять пишет про заработок в лс, это скам",
    "Мне написали в личку с предложением работы, похоже на развод",
    "Пришлите мне в личку конфиг, посмотрю",
    "Напиши мне в лс, скину ссылку на репозиторий",
    "Какой у вас стек на работе?",
    "Вчера был митап в {city}, было круто",
    "Кто едет на конференцию в {city}?",
    "Дедлайн перенесли на пятницу",
    "Зарплату задержали на неделю, капец",
    "Купил новую клавиатуру за {money} рублей, доволен",
    "Сегодня в {city} дождь весь день",
    "Ребята, кто знает хорошего стоматолога в {city}?",
    "Поздравляю с днём рождения! 🎉",
    "Скинул тебе код в гист",
    "Запустил бенчмарк, получилось {n}0 нс на итерацию",
    "Async в Rust до сих пор больно",
    "Tokio или async-std, что выбрать в {year}?",
    "Clippy нашёл у меня {n} варнингов",
    "У кого есть опыт с {crate} в проде?",
    "В {company} норм, но много легаси на {lang}",
    "Джунов берут редко, лучше сначала контрибьютить в опенсорс",
    "Мой номер {phone_ru}, звони если что",
    "Встречаемся у метро в {n} часов",
    "Лол, классический случай",
    "Это баг компилятора, уже починили в nightly",
    "Перешёл с {lang} на Rust и не жалею",
    "Вечером гляну и отпишусь",
    "А кто-нибудь сталкивался с утечкой памяти в {crate}?",
    "Ставьте лайк, если тоже ждёте стабилизации async closures",
    "Бесплатный курс по Rust от сообщества: https://rust-book.example/ru",
    "Интересная статья про {concept}",
    "Заработал свой первый коммит в {crate}!",
    "Сегодня релиз, всем удачи",
    "Напоминаю: только вакансии и резюме, обсуждения в основном чате",
];

fn ru_slot(rng: &mut Rng, name: &str) -> Option<String> {
    let v = match name {
        "contact" => rng.pick(RU_CONTACT),
        "platform" => rng.pick(&["Инстаграм", "ТикТок", "ВК", "Телеграм", "Ютуб"]),
        "crate" => rng.pick(&[
            "tokio", "serde", "axum", "sqlx", "clap", "rayon", "bevy", "diesel",
        ]),
        "concept" => rng.pick(&[
            "лайфтаймы",
            "трейты",
            "Pin",
            "Send и Sync",
            "async",
            "макросы",
            "владение",
        ]),
        "company" => rng.pick(&[
            "Яндекс",
            "Тинькофф",
            "Касперский",
            "стартап",
            "финтех",
            "одной компании",
        ]),
        "city" => rng.pick(&[
            "Москве",
            "Питере",
            "Казани",
            "Новосибирске",
            "Екатеринбурге",
        ]),
        "lang" => rng.pick(&["C++", "Go", "Python", "Java", "PHP"]),
        "year" => rng.pick(&["2025", "2026"]),
        _ => return None,
    };
    Some(v.to_owned())
}

// ---------------------------------------------------------------- English

const EN_SPAM: &[&str] = &[
    "Crypto airdrop! Claim free USDT now at {url}",
    "Earn ${money} a day from home, {contact}",
    "I made ${money} in a week with {who}'s trading signals, {contact}",
    "Free Steam gift cards for the first {n} people {url}",
    "Looking for people to work remotely, {hours} hours a day, ${money}+ daily. {contact}",
    "New token presale is LIVE, 100x guaranteed, join {tg}",
    "Hello everyone, I want to share how {who} helped me earn ${money} in {n} days. {contact}",
    "Invest ${money} and get ${big}0 in 48 hours, guaranteed returns. {contact}",
    "Lost your crypto to scammers? Our recovery team can help, {contact}",
    "Hot singles in your area are waiting {url}",
    "Congratulations! You have been selected to receive a ${money} gift card. Claim at {url}",
    "Get paid ${money} weekly for liking posts. No experience needed. {contact}",
    "Forex signals with {pct}% accuracy, join our VIP group {tg}",
    "Need a loan? Instant approval, no credit check. {contact}",
    "Buy verified accounts and followers cheap, {contact}",
    "Passive income opportunity, only a few spots left! {contact}",
    "Bitcoin doubler: send 0.01 BTC get 0.02 BTC back {url}",
    "Hi dear, I am a crypto expert and I can help you grow your portfolio. {contact}",
    "Join the biggest giveaway of the year, {money} USDT for every participant {url}",
    "Tired of your 9-5? Learn how I earn ${money} a month online. {contact}",
    "Free NFT mint for early supporters {url}",
    "Your wallet is eligible for a reward, connect here {url}",
    "WINNER! Your number was selected for a ${money} prize. Call {phone_en} now",
    "Urgent: we are hiring part-time assistants, ${money}/week. {contact}",
    "Double your money in 24 hours with our trading bot {url}",
    "Check my profile for the best investment platform, {contact}",
    "Exclusive casino bonus: {pct}% on first deposit {url}",
    "Make money with your phone, just {hours} hours a day. {contact}",
    "Anyone interested in earning ${money} weekly? {contact}",
    "Get rich with {coin}, next 100x gem, join {tg}",
    "I was skeptical at first but {who} really delivered: I invested ${money} and got ${big}0 back in {n} days. {contact}",
    "All thanks to {who} for the successful withdrawal, I am so grateful for the help. {contact}",
    "Investing with {who} was the best decision of my life, my profits grow every week and withdrawals are instant. {contact}",
    "God bless you {who}, you changed my life, I now earn ${money} every week without stress. {contact}",
    "Big news for everyone in this group! We're giving away {n} free {prize} to our amazing members. Sign up here {url}",
    "Attention everyone! An exclusive group discount on {product}, only for members of this chat. Grab yours {url}",
    "Exciting opportunity for all members: a free webinar on how to earn passive income with crypto. Register {url}",
    "No registration fee, daily earnings, withdraw anytime. Use my referral link and get a free bonus {url}",
    "Share your best {coin} picks, the next 100x is coming. {contact}",
    "Hello, I'm looking for serious people who want to earn from home, no experience needed, full training given. {contact}",
];

const EN_CONTACT: &[&str] = &[
    "DM me",
    "DM me for details",
    "inbox me now",
    "message me on WhatsApp {phone_en}",
    "contact {who} on Telegram @{handle}",
    "contact @{handle}",
    "text me on WhatsApp",
    "join {tg}",
    "click {url}",
    "register here {url}",
    "send me a message",
    "write to @{handle} for info",
];

const EN_HAM: &[&str] = &[
    "Has anyone tried {crate}? How was it?",
    "Updated {crate} and now everything fails to compile",
    "How do I return an error from a closure in Rust?",
    "The borrow checker is complaining about {concept} again",
    "Had an interview at {company} today, they asked about {concept}",
    "[Hiring] Senior Rust Engineer at {company}, remote, ${n}0k-${n}5k. Apply: https://jobs.example/rust/{big}",
    "[For hire] Rust dev, {n} years of experience with {crate}, open to contract work",
    "The Rust job market feels much better than last year",
    "What's a fair salary for a mid-level Rust dev in {city}?",
    "Anything over a day for a take-home is a red flag",
    "Got an offer from {company}, thinking it over",
    "Here's the docs link: https://doc.rust-lang.org/std/",
    "Check the issue on GitHub, they discussed it there",
    "Hi all, new here, been writing Rust for six months",
    "Welcome aboard!",
    "Thanks, that helped",
    "Yeah, agreed",
    "Standup moved to {n}pm tomorrow",
    "Spam again, mods please ban",
    "Don't click that link, it's a scam",
    "Someone DMed me about a crypto job, obviously a scam",
    "Feel free to DM me if you want the config",
    "Send me a DM and I'll share the repo",
    "What stack do you use at work?",
    "The meetup in {city} yesterday was great",
    "Who's going to the conference in {city}?",
    "Deadline moved to Friday",
    "Bought a new keyboard for ${n}0, really happy with it",
    "It's been raining all day in {city}",
    "Happy birthday! 🎉",
    "Pasted the code in a gist",
    "Ran the benchmark, about {n}0 ns per iteration",
    "Async Rust is still painful sometimes",
    "Tokio or smol in {year}?",
    "Clippy found {n} warnings in my code",
    "Anyone using {crate} in production?",
    "{company} is fine, lots of legacy {lang} though",
    "Contribute to open source first, it helps a lot",
    "My number is {phone_en}, call me if anything comes up",
    "Meet you at the station at {n}",
    "Lol, classic",
    "That's a compiler bug, already fixed on nightly",
    "Switched from {lang} to Rust and never looked back",
    "I'll take a look tonight and get back to you",
    "Has anyone seen a memory leak with {crate}?",
    "Free community Rust course: https://rust-book.example/en",
    "Nice article about {concept}",
    "Got my first PR merged into {crate}!",
    "Release day today, good luck everyone",
    "Reminder: jobs and CVs only, discussion goes to the main chat",
    "I made a small crate for parsing logs, feedback welcome",
    "Won a free ticket to the conference, so excited",
    "We're giving away stickers at the meetup, come say hi",
    "The team earned a bonus this quarter, pizza on me",
    "Coffee later?",
    "Running late, start without me",
    "Can someone review my PR? https://github.com/example/{crate}/pull/{big}",
    "Rust meetup in {city} next Thursday, sign up on the event page: https://meetup.example/rust",
    "Big news: {crate} 1.0 is out! Changelog: https://github.com/example/{crate}/releases",
    "Exciting update for everyone: the conference talks are now online",
    "Anyone want to join a study group for the Rust book? We meet on Sundays",
    "I invested some time into learning {concept} and it finally clicked",
    "Thanks everyone for the help yesterday, the bug is fixed and deployed",
];

fn en_slot(rng: &mut Rng, name: &str) -> Option<String> {
    let v = match name {
        "contact" => rng.pick(EN_CONTACT),
        "who" => rng.pick(&[
            "Mr. Thompson",
            "Mrs. Anna Wells",
            "Mr. Robert Hayes",
            "Mrs. Olivia",
            "Mr. James Carter",
        ]),
        "coin" => rng.pick(&["$MOON", "$PEPE2", "this new coin", "SOL", "our token"]),
        "crate" => rng.pick(&[
            "tokio", "serde", "axum", "sqlx", "clap", "rayon", "bevy", "diesel",
        ]),
        "concept" => rng.pick(&[
            "lifetimes",
            "traits",
            "Pin",
            "Send and Sync",
            "async",
            "macros",
            "ownership",
        ]),
        "company" => rng.pick(&[
            "a fintech",
            "a startup",
            "Cloudflare",
            "a game studio",
            "an agency",
        ]),
        "city" => rng.pick(&["Berlin", "London", "Austin", "Toronto", "Amsterdam"]),
        "lang" => rng.pick(&["C++", "Go", "Python", "Java", "PHP"]),
        "year" => rng.pick(&["2025", "2026"]),
        "prize" => rng.pick(&[
            "tickets",
            "iPhones",
            "gift cards",
            "AirPods",
            "concert passes",
            "laptops",
        ]),
        "product" => rng.pick(&[
            "the latest smartphones",
            "designer watches",
            "sneakers",
            "laptops",
            "headphones",
        ]),
        _ => return None,
    };
    Some(v.to_owned())
}
