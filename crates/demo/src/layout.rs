//! The community layout: which communities and groups the demo has, and what
//! sets each group apart (language, topic, size, time zones, how busy it is).

use steward_core::Platform;
use steward_core::i18n::Lang;

/// The platform every demo group lives on. The generic HTTP platform needs no
/// account anywhere, so the demo works on a machine with no chat set up.
pub const DEMO_PLATFORM: Platform = Platform::Http;

/// A group of the demo community, as the binary needs it to set things up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoGroup {
    /// The group's platform id, e.g. `demo-zh-1`.
    pub platform_id: String,
    /// The group's title.
    pub title: String,
    /// The language spoken there.
    pub lang: Lang,
    /// The name of the community the group belongs to.
    pub community: String,
}

/// A community of the demo: a set of groups that share rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCommunity {
    /// The community's name.
    pub name: String,
    /// The language of its groups.
    pub lang: Lang,
}

/// What people talk about in a group; picks the phrase book.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Topic {
    /// A coffee brand's fan groups (Chinese).
    Coffee,
    /// Rust talk in Russian.
    RustRu,
    /// Rust job posts in Russian.
    JobsRu,
    /// Rust talk in English, mostly beginners.
    RustEn,
    /// Rust job posts in English.
    JobsEn,
}

impl Topic {
    pub(crate) fn lang(self) -> Lang {
        match self {
            Topic::Coffee => Lang::Zh,
            Topic::RustRu | Topic::JobsRu => Lang::Ru,
            Topic::RustEn | Topic::JobsEn => Lang::En,
        }
    }

    pub(crate) fn is_jobs(self) -> bool {
        matches!(self, Topic::JobsRu | Topic::JobsEn)
    }
}

/// Everything the generator needs to know about one group.
#[derive(Debug)]
pub(crate) struct GroupSpec {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    /// Index into [`COMMUNITIES`].
    pub(crate) community: usize,
    pub(crate) topic: Topic,
    /// Ordinary messages on an average day at scale 1.0.
    pub(crate) messages_per_day: f64,
    /// Members over the whole period at scale 1.0.
    pub(crate) members: u32,
    /// Whether newcomers must ask to join (join requests with an answer).
    pub(crate) approval: bool,
    /// How busy a weekend day is next to a weekday.
    pub(crate) weekend: f64,
    /// The members' UTC offsets in hours, with their share.
    pub(crate) zones: &'static [(i64, f64)],
    /// Chance per day that an admin posts an announcement.
    pub(crate) announce: f64,
    /// Chance per day of a flood of short messages.
    pub(crate) flood: f64,
}

impl GroupSpec {
    pub(crate) fn lang(&self) -> Lang {
        self.topic.lang()
    }
}

/// The communities: name and language.
pub(crate) const COMMUNITIES: [(&str, Lang); 3] = [
    ("星河咖啡", Lang::Zh),
    ("Rust по-русски", Lang::Ru),
    ("Rust Community", Lang::En),
];

const CHINA: &[(i64, f64)] = &[(8, 1.0)];
const MOSCOW: &[(i64, f64)] = &[(3, 1.0)];
// English groups gather people from both sides of the Atlantic.
const ATLANTIC: &[(i64, f64)] = &[(-5, 0.45), (-3, 0.1), (0, 0.45)];

/// The groups. Sizes add up to roughly 3,400 ordinary messages a day, which
/// with reactions, edits and member changes gives about 240,000 events over
/// 60 days.
pub(crate) const GROUPS: [GroupSpec; 7] = [
    GroupSpec {
        id: "demo-zh-1",
        title: "星河咖啡粉丝1群",
        community: 0,
        topic: Topic::Coffee,
        messages_per_day: 850.0,
        members: 300,
        approval: false,
        weekend: 1.15,
        zones: CHINA,
        announce: 0.3,
        flood: 0.15,
    },
    GroupSpec {
        id: "demo-zh-2",
        title: "星河咖啡粉丝2群",
        community: 0,
        topic: Topic::Coffee,
        messages_per_day: 600.0,
        members: 250,
        approval: false,
        weekend: 1.15,
        zones: CHINA,
        announce: 0.25,
        flood: 0.12,
    },
    GroupSpec {
        id: "demo-zh-3",
        title: "星河咖啡·上海门店群",
        community: 0,
        topic: Topic::Coffee,
        messages_per_day: 260.0,
        members: 130,
        approval: true,
        weekend: 1.25,
        zones: CHINA,
        announce: 0.9,
        flood: 0.05,
    },
    GroupSpec {
        id: "demo-ru-1",
        title: "Rust по-русски",
        community: 1,
        topic: Topic::RustRu,
        messages_per_day: 800.0,
        members: 280,
        approval: false,
        weekend: 0.75,
        zones: MOSCOW,
        announce: 0.05,
        flood: 0.1,
    },
    GroupSpec {
        id: "demo-ru-2",
        title: "Rust: вакансии",
        community: 1,
        topic: Topic::JobsRu,
        messages_per_day: 130.0,
        members: 160,
        approval: true,
        weekend: 0.4,
        zones: MOSCOW,
        announce: 0.03,
        flood: 0.02,
    },
    GroupSpec {
        id: "demo-en-1",
        title: "Rust Beginners",
        community: 2,
        topic: Topic::RustEn,
        messages_per_day: 650.0,
        members: 260,
        approval: true,
        weekend: 0.85,
        zones: ATLANTIC,
        announce: 0.05,
        flood: 0.08,
    },
    GroupSpec {
        id: "demo-en-2",
        title: "Rust Jobs",
        community: 2,
        topic: Topic::JobsEn,
        messages_per_day: 140.0,
        members: 150,
        approval: false,
        weekend: 0.4,
        zones: ATLANTIC,
        announce: 0.03,
        flood: 0.02,
    },
];

/// The demo's groups, in a stable order.
pub fn groups() -> Vec<DemoGroup> {
    GROUPS
        .iter()
        .map(|g| DemoGroup {
            platform_id: g.id.to_owned(),
            title: g.title.to_owned(),
            lang: g.lang(),
            community: COMMUNITIES[g.community].0.to_owned(),
        })
        .collect()
}

/// The demo's communities, in a stable order.
pub fn communities() -> Vec<DemoCommunity> {
    COMMUNITIES
        .iter()
        .map(|&(name, lang)| DemoCommunity {
            name: name.to_owned(),
            lang,
        })
        .collect()
}

/// The indexes of a community's groups in [`GROUPS`].
pub(crate) fn groups_of(community: usize) -> Vec<u16> {
    (0..GROUPS.len() as u16)
        .filter(|&g| GROUPS[g as usize].community == community)
        .collect()
}

/// Invite links of a group; several, as admins make one per campaign.
pub(crate) fn invite_link(group: u16, which: usize) -> String {
    const CODES: [&str; 4] = ["main", "friends", "poster", "blog"];
    let id = GROUPS[group as usize].id;
    format!(
        "https://join.steward-demo.example/{id}/{}",
        CODES[which % CODES.len()]
    )
}
