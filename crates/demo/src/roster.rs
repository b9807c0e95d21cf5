//! The people: every member of every group, planned once up front. Who is in
//! which group, how talkative they are (a few very active members, many
//! lurkers), who joins or leaves during the period and how, who renames, and
//! who the admins are. Spam accounts are added here too, by `spam.rs`.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::index;
use rand_chacha::ChaCha8Rng;
use steward_core::i18n::Lang;

use crate::layout::{COMMUNITIES, GROUPS, groups_of};
use crate::names;
use crate::schedule::{DAY, HOUR, Ms};

/// An account.
pub(crate) struct Member {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) username: Option<String>,
    pub(crate) rename: Option<Rename>,
}

/// A change of display name, announced in one group.
pub(crate) struct Rename {
    pub(crate) at: Ms,
    pub(crate) new_name: String,
    pub(crate) group: u16,
}

impl Member {
    /// The display name at a moment, before or after the rename.
    pub(crate) fn name_at(&self, at: Ms) -> &str {
        match &self.rename {
            Some(r) if at >= r.at => &r.new_name,
            _ => &self.name,
        }
    }
}

/// How a newcomer got in.
pub(crate) enum JoinVia {
    Plain,
    /// Through one of the group's invite links (by index).
    Link(usize),
    /// Added by a member who was already there.
    Invited,
    /// Asked to join; an admin approved or ignored the request.
    Request {
        answer: bool,
        link: Option<usize>,
        approved: bool,
    },
}

/// A join during the period.
pub(crate) struct Join {
    pub(crate) day: u32,
    pub(crate) via: JoinVia,
}

/// A leave during the period.
pub(crate) struct Leave {
    pub(crate) day: u32,
    /// Removed by an admin rather than leaving.
    pub(crate) kicked: bool,
}

/// One member in one group.
pub(crate) struct Membership {
    pub(crate) member: u32,
    /// How likely this member is to speak in this group.
    pub(crate) weight: f64,
    /// `None`: already a member when the period starts.
    pub(crate) join: Option<Join>,
    pub(crate) leave: Option<Leave>,
}

impl Membership {
    /// Whether the member can talk on a day. The join and leave days
    /// themselves are excluded: those days have their own events.
    pub(crate) fn active(&self, day: u32) -> bool {
        let joined = match &self.join {
            None => true,
            Some(Join {
                via: JoinVia::Request {
                    approved: false, ..
                },
                ..
            }) => false,
            Some(j) => j.day < day,
        };
        joined && self.leave.as_ref().is_none_or(|l| l.day > day)
    }
}

/// The members of one group.
pub(crate) struct GroupRoster {
    pub(crate) memberships: Vec<Membership>,
    /// Members who moderate by hand (approve requests, delete spam, kick).
    pub(crate) admins: Vec<u32>,
}

/// Everyone.
pub(crate) struct Roster {
    pub(crate) members: Vec<Member>,
    pub(crate) groups: Vec<GroupRoster>,
    used_ids: HashSet<u64>,
}

/// Share of members who never say much.
const LURKERS: f64 = 0.45;
/// Share of memberships that start during the period (the rest predate it).
const NEWCOMERS: f64 = 0.33;
/// Share of memberships that end during the period.
const LEAVERS: f64 = 0.13;
/// Share of members who change their name once.
const RENAMERS: f64 = 0.02;

impl Roster {
    pub(crate) fn build(rng: &mut ChaCha8Rng, scale: f64, days: u32) -> Roster {
        let mut roster = Roster {
            members: Vec::new(),
            groups: GROUPS
                .iter()
                .map(|_| GroupRoster {
                    memberships: Vec::new(),
                    admins: Vec::new(),
                })
                .collect(),
            used_ids: HashSet::new(),
        };
        for (community, &(_, lang)) in COMMUNITIES.iter().enumerate() {
            roster.build_community(rng, community, lang, scale, days);
        }
        roster.plan_renames(rng, days);
        roster
    }

    fn build_community(
        &mut self,
        rng: &mut ChaCha8Rng,
        community: usize,
        lang: Lang,
        scale: f64,
        days: u32,
    ) {
        let groups = groups_of(community);
        let sizes: Vec<usize> = groups
            .iter()
            .map(|&g| ((f64::from(GROUPS[g as usize].members) * scale).round() as usize).max(10))
            .collect();
        // A pool somewhat smaller than the sum of group sizes, so that many
        // people sit in more than one group of their community.
        let pool_size = ((sizes.iter().sum::<usize>() as f64 * 0.65).round() as usize)
            .max(sizes.iter().copied().max().unwrap_or(0));
        let first = self.members.len() as u32;
        let mut talkativeness = Vec::with_capacity(pool_size);
        for _ in 0..pool_size {
            let person = names::person(rng, lang);
            let id = self.fresh_id(rng, 10_000_000, 6_500_000_000);
            self.members.push(Member {
                id: id.to_string(),
                name: person.name,
                username: person.username,
                rename: None,
            });
            talkativeness.push(if rng.gen_bool(LURKERS) {
                0.03
            } else {
                // Pareto with a heavy tail: most talk a little, a few a lot.
                let u: f64 = rng.gen_range(f64::EPSILON..1.0);
                u.powf(-1.0 / 1.3).min(60.0)
            });
        }
        for (&group, &size) in groups.iter().zip(&sizes) {
            let spec = &GROUPS[group as usize];
            let mut chosen = index::sample(rng, pool_size, size.min(pool_size)).into_vec();
            chosen.sort_unstable();
            let mut memberships = Vec::with_capacity(chosen.len());
            for i in chosen {
                let weight = talkativeness[i] * rng.gen_range(0.3..1.5);
                let join = (days > 0 && rng.gen_bool(NEWCOMERS)).then(|| Join {
                    day: rng.gen_range(0..days),
                    via: join_via(rng, spec.approval),
                });
                let leave = plan_leave(rng, join.as_ref(), days);
                memberships.push(Membership {
                    member: first + i as u32,
                    weight,
                    join,
                    leave,
                });
            }
            let admins = pick_admins(&mut memberships);
            self.groups[group as usize] = GroupRoster {
                memberships,
                admins,
            };
        }
    }

    fn plan_renames(&mut self, rng: &mut ChaCha8Rng, days: u32) {
        for (group, roster) in self.groups.iter().enumerate() {
            let lang = GROUPS[group].lang();
            for m in &roster.memberships {
                let member = &mut self.members[m.member as usize];
                if member.rename.is_some() || !rng.gen_bool(RENAMERS) {
                    continue;
                }
                let from = m.join.as_ref().map_or(0, |j| j.day + 1);
                let to = m.leave.as_ref().map_or(days, |l| l.day);
                if !m.active(from) || from >= to {
                    continue;
                }
                let day = rng.gen_range(from..to);
                member.rename = Some(Rename {
                    at: i64::from(day) * DAY + rng.gen_range(6 * HOUR..22 * HOUR),
                    new_name: names::renamed(rng, lang, &member.name),
                    group: group as u16,
                });
            }
        }
    }

    /// A new spam account (not a member of any group until its wave).
    pub(crate) fn add_spammer(&mut self, rng: &mut ChaCha8Rng, lang: Lang) -> u32 {
        let person = names::spammer(rng, lang);
        // Fresh accounts get the newest, largest ids.
        let id = self.fresh_id(rng, 7_000_000_000, 7_900_000_000);
        self.members.push(Member {
            id: id.to_string(),
            name: person.name,
            username: person.username,
            rename: None,
        });
        (self.members.len() - 1) as u32
    }

    fn fresh_id(&mut self, rng: &mut ChaCha8Rng, low: u64, high: u64) -> u64 {
        loop {
            let id = rng.gen_range(low..high);
            if self.used_ids.insert(id) {
                return id;
            }
        }
    }

    /// How many join, leave, join request and rename events fall inside the
    /// period; for the estimate.
    pub(crate) fn events_in_period(&self, days: u32) -> u64 {
        let mut n = 0;
        for g in &self.groups {
            for m in &g.memberships {
                if let Some(j) = m.join.as_ref().filter(|j| j.day < days) {
                    n += match j.via {
                        JoinVia::Request { approved: true, .. } => 2,
                        _ => 1,
                    };
                }
                if m.leave.as_ref().is_some_and(|l| l.day < days) {
                    n += 1;
                }
            }
        }
        n + self.members.iter().filter(|m| m.rename.is_some()).count() as u64
    }
}

fn join_via(rng: &mut ChaCha8Rng, approval: bool) -> JoinVia {
    if approval {
        return JoinVia::Request {
            answer: rng.gen_bool(0.8),
            link: rng.gen_bool(0.3).then(|| rng.gen_range(0..4)),
            approved: rng.gen_bool(0.88),
        };
    }
    match rng.gen_range(0..10) {
        0..=3 => JoinVia::Link(rng.gen_range(0..4)),
        4..=6 => JoinVia::Invited,
        _ => JoinVia::Plain,
    }
}

fn plan_leave(rng: &mut ChaCha8Rng, join: Option<&Join>, days: u32) -> Option<Leave> {
    if days == 0 || !rng.gen_bool(LEAVERS) {
        return None;
    }
    let day = match join {
        Some(Join {
            via: JoinVia::Request {
                approved: false, ..
            },
            ..
        }) => return None,
        // Some newcomers look around for a day and leave.
        Some(j) if rng.gen_bool(0.25) => j.day + 1,
        Some(j) => rng.gen_range(j.day + 1..=days),
        None => rng.gen_range(0..days),
    };
    (day < days).then(|| Leave {
        day,
        kicked: rng.gen_bool(0.1),
    })
}

/// The two most talkative members who were there from the start run the
/// group, and stay.
fn pick_admins(memberships: &mut [Membership]) -> Vec<u32> {
    let mut founders: Vec<usize> = (0..memberships.len())
        .filter(|&i| memberships[i].join.is_none())
        .collect();
    founders.sort_by(|&a, &b| memberships[b].weight.total_cmp(&memberships[a].weight));
    founders.truncate(2);
    for &i in &founders {
        memberships[i].leave = None;
    }
    founders.iter().map(|&i| memberships[i].member).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hundreds_of_members_with_overlap() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let roster = Roster::build(&mut rng, 1.0, 60);
        assert!(roster.members.len() > 600, "{}", roster.members.len());
        let memberships: usize = roster.groups.iter().map(|g| g.memberships.len()).sum();
        assert!(
            memberships > roster.members.len(),
            "some are in several groups"
        );
        for g in &roster.groups {
            assert_eq!(g.admins.len(), 2);
            assert!(g.memberships.len() >= 130);
        }
        let ids: HashSet<&str> = roster.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), roster.members.len());
    }
}
