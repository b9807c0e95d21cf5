//! A group's ordinary day: conversations and questions with answers, joins
//! and leaves with their greetings, renames, the odd announcement, a flood
//! now and then, and the reactions, edits and deletes that follow messages.

use rand::Rng;
use rand::distributions::{Distribution, WeightedIndex};
use rand_chacha::ChaCha8Rng;
use steward_core::{AttachmentKind, Timestamp};

use crate::draft::{Body, Msg, Sink};
use crate::layout::{GROUPS, GroupSpec, Topic, invite_link};
use crate::roster::{JoinVia, Roster};
use crate::schedule::{self, MINUTE, Ms, Rhythm, SECOND};
use crate::text::{Book, book};

/// One group on one day: who is around and how the day is shaped.
pub(crate) struct GroupDay<'a> {
    pub(crate) group: u16,
    pub(crate) spec: &'static GroupSpec,
    pub(crate) book: &'static Book,
    pub(crate) roster: &'a Roster,
    pub(crate) rhythm: Rhythm,
    pub(crate) day: u32,
    busy: bool,
    actives: Vec<u32>,
    picker: Option<WeightedIndex<f64>>,
}

impl<'a> GroupDay<'a> {
    pub(crate) fn new(
        group: u16,
        roster: &'a Roster,
        start: Timestamp,
        day: u32,
        days: u32,
    ) -> Self {
        let spec = &GROUPS[group as usize];
        let mut actives = Vec::new();
        let mut weights = Vec::new();
        for m in &roster.groups[group as usize].memberships {
            if m.active(day) {
                actives.push(m.member);
                weights.push(m.weight);
            }
        }
        let busy = match spec.topic {
            Topic::Coffee => schedule::is_launch_day(days, day),
            Topic::RustRu | Topic::RustEn => day == days * 3 / 5,
            Topic::JobsRu | Topic::JobsEn => false,
        };
        GroupDay {
            group,
            spec,
            book: book(spec.topic),
            roster,
            rhythm: Rhythm::new(spec, start, day),
            day,
            busy,
            actives,
            picker: WeightedIndex::new(weights).ok(),
        }
    }

    /// A member who is around, the talkative ones more often.
    pub(crate) fn pick(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
        let picker = self.picker.as_ref()?;
        self.actives.get(picker.sample(rng)).copied()
    }

    /// Someone other than `not`, if the group has anyone else.
    pub(crate) fn pick_other(&self, rng: &mut ChaCha8Rng, not: u32) -> Option<u32> {
        (0..6).filter_map(|_| self.pick(rng)).find(|&m| m != not)
    }

    pub(crate) fn admin(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
        let admins = &self.roster.groups[self.group as usize].admins;
        if admins.is_empty() {
            return None;
        }
        Some(admins[rng.gen_range(0..admins.len())])
    }

    /// The hour on the clock of the group's main time zone.
    fn local_hour(&self, at: Ms) -> i64 {
        let offset = self.spec.zones.first().map_or(0, |z| z.0);
        (at.div_euclid(schedule::HOUR) + offset).rem_euclid(24)
    }

    fn name(&self, member: u32, at: Ms) -> &str {
        self.roster
            .members
            .get(member as usize)
            .map_or("", |m| m.name_at(at))
    }
}

/// Everything ordinary that happens in the group on its day. `target` is the
/// number of messages to aim for; returns the number written.
pub(crate) fn day(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink, target: f64) -> usize {
    let mut written = membership_changes(g, rng, sink);
    renames(g, sink);
    if rng.gen_bool(g.spec.announce) {
        written += announcement(g, rng, sink);
    }
    if target >= 20.0 && rng.gen_bool(g.spec.flood) {
        written += flood(g, rng, sink);
    }
    if g.picker.is_none() {
        return written;
    }
    while (written as f64) < target {
        let at = g.rhythm.sample(rng);
        let question_share = if g.spec.topic.is_jobs() { 0.2 } else { 0.28 };
        written += if rng.gen_bool(question_share) {
            questions_and_answers(g, rng, sink, at)
        } else {
            conversation(g, rng, sink, at)
        };
    }
    written
}

/// A few people talking, one message after another.
fn conversation(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink, start: Ms) -> usize {
    let Some(first) = g.pick(rng) else {
        return 0;
    };
    let mut people = vec![first];
    for _ in 0..rng.gen_range(1..=3) {
        if let Some(p) = g.pick_other(rng, first) {
            people.push(p);
        }
    }
    // Geometric length: mostly short exchanges, sometimes a long thread.
    let mut len = 1;
    while len < 25 && rng.gen_bool(0.7) {
        len += 1;
    }
    let mut at = start;
    let mut previous: Option<u64> = None;
    for i in 0..len {
        let speaker = if i == 0 {
            first
        } else {
            people[rng.gen_range(0..people.len())]
        };
        let mut msg = if i == 0 && rng.gen_bool(0.12) {
            Msg::text(g.book.greeting(rng, g.local_hour(start)))
        } else if i > 0 && rng.gen_bool(0.3) {
            Msg::text(g.book.say(rng, g.book.short))
        } else {
            ordinary(g, rng)
        };
        if i > 0 && msg.forwarded.is_none() && rng.gen_bool(0.15) {
            msg.reply_to = previous;
        }
        previous = Some(post(g, rng, sink, at, speaker, msg));
        at += schedule::pause(rng, 3 * SECOND, 40 * SECOND);
    }
    len
}

/// A question, often answered by others a few minutes later, sometimes with
/// thanks.
fn questions_and_answers(
    g: &GroupDay<'_>,
    rng: &mut ChaCha8Rng,
    sink: &mut Sink,
    start: Ms,
) -> usize {
    let Some(asker) = g.pick(rng) else {
        return 0;
    };
    let text = g.book.say(rng, g.book.questions);
    let question = post(g, rng, sink, start, asker, Msg::text(text));
    let mut written = 1;
    let answers = match rng.gen_range(0..100) {
        0..=29 => 0,
        30..=74 => 1,
        75..=94 => 2,
        _ => 3,
    };
    let mut at = start;
    let mut first_answer = None;
    for _ in 0..answers {
        let Some(helper) = g.pick_other(rng, asker) else {
            break;
        };
        at += schedule::pause(rng, 20 * SECOND, 3 * MINUTE);
        let mut msg = Msg::text(g.book.say(rng, g.book.answers));
        msg.reply_to = Some(question);
        if rng.gen_bool(0.3) {
            msg.text = format!("@{} {}", g.name(asker, at), msg.text);
            msg.mentions.push(asker);
        }
        let slot = post(g, rng, sink, at, helper, msg);
        first_answer.get_or_insert(slot);
        written += 1;
    }
    if let Some(answer) = first_answer
        && rng.gen_bool(0.45)
    {
        at += schedule::pause(rng, 10 * SECOND, MINUTE);
        let mut msg = Msg::text(g.book.say(rng, g.book.thanks));
        msg.reply_to = Some(answer);
        post(g, rng, sink, at, asker, msg);
        written += 1;
    }
    written
}

/// An ordinary message: mostly text, sometimes a photo, sticker, file, link
/// or a forward from the community's channel.
fn ordinary(g: &GroupDay<'_>, rng: &mut ChaCha8Rng) -> Msg {
    let b = g.book;
    let roll = rng.gen_range(0..1000);
    match roll {
        0..=24 => {
            let caption = if rng.gen_bool(0.5) {
                b.say(rng, b.captions)
            } else {
                String::new()
            };
            let size = rng.gen_range(80_000..3_000_000);
            attached(caption, AttachmentKind::Photo, None, Some(size))
        }
        25..=44 => attached(String::new(), AttachmentKind::Sticker, None, None),
        45..=49 => {
            let caption = b.say(rng, b.captions);
            let size = rng.gen_range(200_000..2_000_000);
            attached(caption, AttachmentKind::Animation, None, Some(size))
        }
        50..=53 => Msg {
            forwarded: Some(b.channel),
            ..Msg::text(b.say(rng, b.channel_posts))
        },
        54..=63 => {
            let link = b.links[rng.gen_range(0..b.links.len())];
            let mut msg = Msg::text(format!("{} {link}", b.statement(rng, false)));
            if rng.gen_bool(0.5) {
                msg.links.push(link.to_owned());
            }
            msg
        }
        64..=69 if g.spec.topic.is_jobs() || rng.gen_bool(0.2) => {
            let name = b.documents[rng.gen_range(0..b.documents.len())];
            let size = rng.gen_range(20_000..900_000);
            attached(
                String::new(),
                AttachmentKind::Document,
                Some(name.to_owned()),
                Some(size),
            )
        }
        70..=72 if g.spec.topic == Topic::Coffee => attached(
            "[小程序] 星河咖啡 · 在线点单".to_owned(),
            AttachmentKind::Card,
            None,
            None,
        ),
        _ => Msg::text(b.statement(rng, g.busy)),
    }
}

fn attached(text: String, kind: AttachmentKind, name: Option<String>, size: Option<u64>) -> Msg {
    Msg {
        attachment: Some((kind, name, size)),
        ..Msg::text(text)
    }
}

/// Posts a message and what follows it: reactions from others, and now and
/// then an edit or a delete by its author. Returns the message's slot.
fn post(
    g: &GroupDay<'_>,
    rng: &mut ChaCha8Rng,
    sink: &mut Sink,
    at: Ms,
    author: u32,
    msg: Msg,
) -> u64 {
    let text = msg.text.clone();
    let reply_to = msg.reply_to;
    let slot = sink.message(at, g.group, author, msg);
    let roll = rng.gen_range(0..1000);
    if roll < 12 {
        let when = at + schedule::pause(rng, 5 * SECOND, MINUTE);
        sink.push(when, g.group, author, Body::Deleted { slot, by: None });
        // Deleted messages collect no reactions.
        return slot;
    }
    if roll < 35 && !text.is_empty() {
        let when = at + schedule::pause(rng, 15 * SECOND, 2 * MINUTE);
        let edited = Msg {
            slot,
            text: g.book.edited(rng, &text),
            reply_to,
            ..Msg::default()
        };
        sink.push(when, g.group, author, Body::Edited(edited));
    }
    if rng.gen_bool(0.085) {
        let mut when = at;
        for _ in 0..rng.gen_range(1..=3) {
            let Some(reactor) = g.pick_other(rng, author) else {
                break;
            };
            when += schedule::pause(rng, 5 * SECOND, 4 * MINUTE);
            let emoji = g.book.reaction(rng);
            sink.push(
                when,
                g.group,
                reactor,
                Body::Reaction {
                    slot,
                    emoji,
                    added: true,
                },
            );
            if rng.gen_bool(0.05) {
                let later = when + schedule::pause(rng, 10 * SECOND, 3 * MINUTE);
                sink.push(
                    later,
                    g.group,
                    reactor,
                    Body::Reaction {
                        slot,
                        emoji,
                        added: false,
                    },
                );
            }
        }
    }
    slot
}

/// Joins (with requests, greetings and welcomes) and leaves planned for the
/// day. Returns the messages written.
fn membership_changes(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink) -> usize {
    let mut written = 0;
    for m in &g.roster.groups[g.group as usize].memberships {
        if let Some(join) = m.join.as_ref().filter(|j| j.day == g.day) {
            let mut at = g.rhythm.sample(rng);
            let (link, inviter) = match join.via {
                JoinVia::Plain => (None, None),
                JoinVia::Link(i) => (Some(invite_link(g.group, i)), None),
                JoinVia::Invited => (None, g.pick_other(rng, m.member)),
                JoinVia::Request {
                    answer,
                    link,
                    approved,
                } => {
                    let answer = answer.then(|| g.book.say(rng, g.book.join_answers));
                    let link = link.map(|i| invite_link(g.group, i));
                    sink.push(
                        at,
                        g.group,
                        m.member,
                        Body::JoinRequest {
                            answer,
                            link: link.clone(),
                        },
                    );
                    if !approved {
                        continue;
                    }
                    // An admin gets to it within minutes or hours.
                    at += schedule::pause(rng, 2 * MINUTE, 40 * MINUTE);
                    (link, g.admin(rng))
                }
            };
            sink.push(at, g.group, m.member, Body::Joined { link, inviter });
            if rng.gen_bool(0.5) {
                at += schedule::pause(rng, 30 * SECOND, 3 * MINUTE);
                let hello = Msg::text(g.book.say(rng, g.book.newcomer));
                let hello = post(g, rng, sink, at, m.member, hello);
                written += 1;
                if let Some(host) = g.pick_other(rng, m.member).filter(|_| rng.gen_bool(0.5)) {
                    at += schedule::pause(rng, 20 * SECOND, 2 * MINUTE);
                    let mut welcome = Msg::text(g.book.say(rng, g.book.welcome));
                    welcome.reply_to = Some(hello);
                    post(g, rng, sink, at, host, welcome);
                    written += 1;
                }
            }
        }
        if let Some(leave) = m.leave.as_ref().filter(|l| l.day == g.day) {
            let at = g.rhythm.sample(rng);
            let removed_by = if leave.kicked { g.admin(rng) } else { None };
            sink.push(at, g.group, m.member, Body::Left { removed_by });
        }
    }
    written
}

/// Name changes planned for this group and day.
fn renames(g: &GroupDay<'_>, sink: &mut Sink) {
    let day_start = i64::from(g.day) * schedule::DAY;
    for (index, member) in g.roster.members.iter().enumerate() {
        if let Some(r) = &member.rename
            && r.group == g.group
            && (day_start..day_start + schedule::DAY).contains(&r.at)
        {
            sink.push(
                r.at,
                g.group,
                index as u32,
                Body::Renamed {
                    old_name: member.name.clone(),
                    new_name: r.new_name.clone(),
                },
            );
        }
    }
}

/// An admin's morning post: rules, news, an event.
fn announcement(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink) -> usize {
    let Some(admin) = g.admin(rng) else {
        return 0;
    };
    let at = g.rhythm.local_between(rng, g.spec, 9, 11);
    let msg = Msg::text(g.book.say(rng, g.book.announcements));
    post(g, rng, sink, at, admin, msg);
    1
}

/// One excited member posting many short messages within seconds.
fn flood(g: &GroupDay<'_>, rng: &mut ChaCha8Rng, sink: &mut Sink) -> usize {
    let Some(member) = g.pick(rng) else {
        return 0;
    };
    let count = rng.gen_range(8..=20);
    let style = rng.gen_range(0..3);
    let same = g.book.say(rng, g.book.flood);
    let mut at = g.rhythm.sample(rng);
    for _ in 0..count {
        let msg = match style {
            0 => Msg::text(g.book.say(rng, g.book.flood)),
            1 => Msg::text(same.clone()),
            _ => Msg {
                attachment: Some((AttachmentKind::Sticker, None, None)),
                ..Msg::default()
            },
        };
        sink.message(at, g.group, member, msg);
        at += rng.gen_range(300..2_500);
    }
    count
}

/// Someone in the group says what they think of the spam they just saw.
pub(crate) fn complain(
    g: &GroupDay<'_>,
    rng: &mut ChaCha8Rng,
    sink: &mut Sink,
    at: Ms,
    spam: u64,
) -> bool {
    let Some(member) = g.pick(rng) else {
        return false;
    };
    let mut msg = Msg::text(g.book.say(rng, g.book.complaints));
    if rng.gen_bool(0.5) {
        msg.reply_to = Some(spam);
    }
    sink.message(at, g.group, member, msg);
    true
}

/// Expected reactions, edits and deletes per ordinary message; for the
/// estimate. Measured from the generator, not derived by hand.
pub(crate) const FOLLOW_UPS_PER_MESSAGE: f64 = 0.215;
