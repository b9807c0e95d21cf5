//! Events before they are final. Generators write drafts that name members by
//! index and messages by a slot number; once drafts are put in time order the
//! emitter hands out the per-group event and message ids in that order (so
//! ids grow with time, as on real platforms) and resolves the references.

use std::collections::VecDeque;

use chrono::Duration;
use steward_core::{
    Attachment, AttachmentKind, EventPayload, ForwardOrigin, GroupRef, IncomingEvent, MemberRef,
    Mention, MessageContent, Timestamp,
};

use crate::layout::{DEMO_PLATFORM, GROUPS};
use crate::roster::Roster;
use crate::schedule::Ms;

/// An event with unresolved references.
pub(crate) struct Draft {
    pub(crate) at: Ms,
    /// Order of creation; breaks ties between drafts at the same moment.
    pub(crate) seq: u64,
    pub(crate) group: u16,
    pub(crate) member: u32,
    pub(crate) body: Body,
}

pub(crate) enum Body {
    Message(Msg),
    Edited(Msg),
    Deleted {
        slot: u64,
        by: Option<u32>,
    },
    Joined {
        link: Option<String>,
        inviter: Option<u32>,
    },
    Left {
        removed_by: Option<u32>,
    },
    Renamed {
        old_name: String,
        new_name: String,
    },
    JoinRequest {
        answer: Option<String>,
        link: Option<String>,
    },
    Reaction {
        slot: u64,
        emoji: &'static str,
        added: bool,
    },
}

/// A message's content, with the message itself and its reply target named
/// by slot.
#[derive(Clone, Default)]
pub(crate) struct Msg {
    pub(crate) slot: u64,
    pub(crate) text: String,
    pub(crate) reply_to: Option<u64>,
    /// (platform id, name) of the channel it was forwarded from.
    pub(crate) forwarded: Option<(&'static str, &'static str)>,
    pub(crate) links: Vec<String>,
    pub(crate) mentions: Vec<u32>,
    pub(crate) attachment: Option<(AttachmentKind, Option<String>, Option<u64>)>,
}

impl Msg {
    pub(crate) fn text(text: String) -> Msg {
        Msg {
            text,
            ..Msg::default()
        }
    }
}

/// Collects drafts and numbers them.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) drafts: Vec<Draft>,
    next_slot: u64,
    next_seq: u64,
}

impl Sink {
    pub(crate) fn push(&mut self, at: Ms, group: u16, member: u32, body: Body) {
        self.next_seq += 1;
        self.drafts.push(Draft {
            at,
            seq: self.next_seq,
            group,
            member,
            body,
        });
    }

    /// Adds a new message and returns its slot.
    pub(crate) fn message(&mut self, at: Ms, group: u16, member: u32, mut msg: Msg) -> u64 {
        self.next_slot += 1;
        msg.slot = self.next_slot;
        self.push(at, group, member, Body::Message(msg));
        self.next_slot
    }

    /// The slot the next message will get.
    pub(crate) fn next_slot(&self) -> u64 {
        self.next_slot + 1
    }
}

/// Turns ordered drafts into events.
pub(crate) struct Emitter {
    start: Timestamp,
    /// Message number per slot, from `base` on; 0 while not yet emitted.
    base: u64,
    numbers: VecDeque<u32>,
    /// Per group: events and messages emitted so far.
    counters: Vec<(u64, u32)>,
}

impl Emitter {
    pub(crate) fn new(start: Timestamp) -> Emitter {
        Emitter {
            start,
            base: 1,
            numbers: VecDeque::new(),
            counters: vec![(0, 0); GROUPS.len()],
        }
    }

    /// Drops the numbers of slots below `slot`: no draft refers to them any
    /// more, and keeping them would grow memory with the whole run.
    pub(crate) fn forget_before(&mut self, slot: u64) {
        while self.base < slot {
            if self.numbers.pop_front().is_none() {
                self.base = slot;
                break;
            }
            self.base += 1;
        }
    }

    fn number(&self, slot: u64) -> Option<u32> {
        let index = usize::try_from(slot.checked_sub(self.base)?).ok()?;
        self.numbers.get(index).copied().filter(|&n| n > 0)
    }

    fn assign(&mut self, slot: u64, number: u32) {
        let Some(index) = slot
            .checked_sub(self.base)
            .and_then(|i| usize::try_from(i).ok())
        else {
            return;
        };
        if self.numbers.len() <= index {
            self.numbers.resize(index + 1, 0);
        }
        self.numbers[index] = number;
    }

    /// The final event. `None` when it refers to a message that was never
    /// emitted, which the generators avoid.
    pub(crate) fn emit(&mut self, draft: Draft, roster: &Roster) -> Option<IncomingEvent> {
        let group = draft.group as usize;
        let spec = &GROUPS[group];
        let at = draft.at;
        let payload = match draft.body {
            Body::Message(msg) => {
                self.counters[group].1 += 1;
                let number = self.counters[group].1;
                self.assign(msg.slot, number);
                EventPayload::Message {
                    message: self.content(msg, roster, at)?,
                }
            }
            Body::Edited(msg) => EventPayload::MessageEdited {
                message: self.content(msg, roster, at)?,
            },
            Body::Deleted { slot, by } => EventPayload::MessageDeleted {
                message_id: self.number(slot)?.to_string(),
                deleted_by: by.map(|m| member_ref(roster, m, at)),
            },
            Body::Joined { link, inviter } => EventPayload::MemberJoined {
                invite_link: link,
                inviter: inviter.map(|m| member_ref(roster, m, at)),
            },
            Body::Left { removed_by } => EventPayload::MemberLeft {
                removed_by: removed_by.map(|m| member_ref(roster, m, at)),
            },
            Body::Renamed { old_name, new_name } => EventPayload::MemberRenamed {
                old_name: Some(old_name),
                new_name,
            },
            Body::JoinRequest { answer, link } => EventPayload::JoinRequest {
                answer,
                invite_link: link,
            },
            Body::Reaction { slot, emoji, added } => EventPayload::Reaction {
                message_id: self.number(slot)?.to_string(),
                emoji: emoji.to_owned(),
                added,
            },
        };
        self.counters[group].0 += 1;
        Some(IncomingEvent {
            platform: DEMO_PLATFORM,
            event_id: format!("{}-{}", spec.id, self.counters[group].0),
            group: GroupRef {
                id: spec.id.to_owned(),
                title: Some(spec.title.to_owned()),
            },
            member: member_ref(roster, draft.member, at),
            at: self.start + Duration::milliseconds(at),
            payload,
        })
    }

    fn content(&self, msg: Msg, roster: &Roster, at: Ms) -> Option<MessageContent> {
        Some(MessageContent {
            id: self.number(msg.slot)?.to_string(),
            text: msg.text,
            reply_to: msg
                .reply_to
                .and_then(|s| self.number(s))
                .map(|n| n.to_string()),
            reply_to_member: None,
            forwarded_from: msg.forwarded.map(|(id, name)| ForwardOrigin {
                id: Some(id.to_owned()),
                name: Some(name.to_owned()),
                kind: Some("channel".to_owned()),
            }),
            links: msg.links,
            mentions: msg
                .mentions
                .into_iter()
                .filter_map(|m| roster.members.get(m as usize))
                .map(|m| Mention {
                    id: Some(m.id.clone()),
                    name: Some(m.name_at(at).to_owned()),
                })
                .collect(),
            attachments: msg
                .attachment
                .map(|(kind, name, size)| Attachment { kind, name, size })
                .into_iter()
                .collect(),
        })
    }
}

fn member_ref(roster: &Roster, member: u32, at: Ms) -> MemberRef {
    match roster.members.get(member as usize) {
        Some(m) => MemberRef {
            id: m.id.clone(),
            name: Some(m.name_at(at).to_owned()),
            username: m.username.clone(),
            is_bot: false,
            role: None,
        },
        None => MemberRef::with_id(member.to_string()),
    }
}
