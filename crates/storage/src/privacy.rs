//! A member's data on request: everything Steward keeps about one member,
//! exported as one document, and erasure of what identifies them or what
//! they wrote.
//!
//! What erasure keeps, and why:
//!
//! * the member row, under a pseudonym (`erased member #ID`), with the
//!   platform id: bans, the outbox and the audit log name the account by
//!   it, and a ban must keep holding;
//! * events, with kind, time, group and the platform's ids, but no text,
//!   names, links or mentions: activity counts and message statistics stay
//!   right;
//! * memberships, violations and cases (without evidence or the member's
//!   words), join screenings (without their answers and comments), reports
//!   (without the reasons they gave): the penalty ladder, the review
//!   history and the referral and report counts stay whole;
//! * the audit log, untouched: it is append-only (triggers refuse UPDATE
//!   and DELETE) because it is the team's record of what was done and why.
//!   One `member_erased` row is added, naming only who erased and when.
//!   Exports and the profile list an erased member's audit rows without
//!   their reason and evidence.

use serde::Serialize;
use sqlx::Row;
use steward_core::{
    Action, EventPayload, IncomingEvent, MemberId, MemberRef, PlannedAction, Timestamp,
};

use crate::audit::{AuditRow, NewAudit, read_audit_row};
use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// The format name of an export, bumped when its shape changes.
pub const EXPORT_FORMAT: &str = "steward.member-export.v1";

/// The pseudonym an erased member goes by.
pub fn pseudonym(member: MemberId) -> String {
    format!("erased member #{}", member.0)
}

/// Everything Steward keeps about one member.
#[derive(Debug, Clone, Serialize)]
pub struct MemberExport {
    /// [`EXPORT_FORMAT`].
    pub format: &'static str,
    /// When this was made.
    pub exported_at: Timestamp,
    /// Who they are.
    pub member: ExportIdentity,
    /// Names over time, oldest first.
    pub names: Vec<ExportName>,
    /// Their groups.
    pub memberships: Vec<ExportMembership>,
    /// What they wrote: messages, edits, private messages to the bot, join
    /// request answers; oldest first.
    pub messages: Vec<ExportMessage>,
    /// Violations recorded against them.
    pub violations: Vec<ExportViolation>,
    /// Audit log entries about them (actions taken, notes added).
    pub audit: Vec<ExportAudit>,
    /// Admins' notes on them.
    pub notes: Vec<ExportNote>,
    /// Review cases about them.
    pub cases: Vec<ExportCase>,
}

/// The member's identity.
#[derive(Debug, Clone, Serialize)]
pub struct ExportIdentity {
    /// Steward's id.
    pub id: i64,
    /// The platform.
    pub platform: String,
    /// The platform's id of the account.
    pub platform_id: String,
    /// Display name, as last seen.
    pub name: Option<String>,
    /// Username, as last seen.
    pub username: Option<String>,
    /// Whether the account is a bot.
    pub is_bot: bool,
    /// When Steward first saw them.
    pub first_seen: Timestamp,
    /// When their data was erased, if it was.
    pub erased_at: Option<Timestamp>,
}

/// A name they went by.
#[derive(Debug, Clone, Serialize)]
pub struct ExportName {
    /// The name.
    pub name: String,
    /// When Steward first saw it.
    pub seen_at: Timestamp,
}

/// Their place in a group.
#[derive(Debug, Clone, Serialize)]
pub struct ExportMembership {
    /// Steward's id of the group.
    pub group: i64,
    /// The group's title.
    pub group_title: Option<String>,
    /// Their role there.
    pub role: String,
    /// When they last joined.
    pub joined_at: Option<Timestamp>,
    /// When they left.
    pub left_at: Option<Timestamp>,
    /// When they last posted.
    pub last_active: Option<Timestamp>,
    /// Messages posted.
    pub messages: i64,
    /// Who invited them (Steward's member id).
    pub invited_by: Option<i64>,
}

/// Something they wrote.
#[derive(Debug, Clone, Serialize)]
pub struct ExportMessage {
    /// Steward's id of the group (or private chat).
    pub group: i64,
    /// Its title.
    pub group_title: Option<String>,
    /// `message`, `message_edited`, `direct_message` or `join_request`.
    pub kind: String,
    /// When.
    pub at: Timestamp,
    /// The platform's id of the message.
    pub message_id: Option<String>,
    /// The text (empty after erasure).
    pub text: String,
}

/// A violation.
#[derive(Debug, Clone, Serialize)]
pub struct ExportViolation {
    /// The group.
    pub group: i64,
    /// The rule.
    pub rule: String,
    /// Its severity.
    pub severity: String,
    /// Points.
    pub points: i64,
    /// When.
    pub at: Timestamp,
    /// When it stops counting.
    pub expires_at: Timestamp,
}

/// An audit entry about them.
#[derive(Debug, Clone, Serialize)]
pub struct ExportAudit {
    /// Its id in the log.
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// Who acted.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// The group.
    pub group: Option<i64>,
    /// Why (left out once the member's data was erased).
    pub reason: Option<String>,
    /// The rule.
    pub rule: Option<String>,
    /// The evidence, as JSON text (left out once erased).
    pub evidence: Option<String>,
}

/// An admins' note.
#[derive(Debug, Clone, Serialize)]
pub struct ExportNote {
    /// Who wrote it.
    pub author: String,
    /// What it says.
    pub body: String,
    /// When.
    pub created_at: Timestamp,
}

/// A review case.
#[derive(Debug, Clone, Serialize)]
pub struct ExportCase {
    /// Its id.
    pub id: i64,
    /// The group.
    pub group: i64,
    /// `escalation`, `report`, `appeal`, `feedback`.
    pub kind: String,
    /// Where it stands.
    pub status: String,
    /// The rule.
    pub rule: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// The evidence, as JSON text.
    pub evidence: Option<String>,
    /// The member's own words (appeals, feedback).
    pub note: Option<String>,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
}

/// What an erasure changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    /// Events of theirs whose text and names were removed.
    pub events: u64,
    /// Other members' events that named them.
    pub mentions: u64,
    /// Names removed from the history.
    pub names: u64,
    /// Notes deleted.
    pub notes: u64,
    /// Cases whose evidence and words were removed.
    pub cases: u64,
    /// Delivered actions whose texts were removed.
    pub actions: u64,
}

type IdentityRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    Option<i64>,
);

/// The kinds of event that carry what a member wrote.
const WRITTEN: [&str; 4] = [
    "message",
    "message_edited",
    "direct_message",
    "join_request",
];

/// What a stored event says the member wrote.
fn written(payload: &str) -> (Option<String>, String) {
    match serde_json::from_str::<IncomingEvent>(payload).map(|e| e.payload) {
        Ok(
            EventPayload::Message { message }
            | EventPayload::MessageEdited { message }
            | EventPayload::DirectMessage { message },
        ) => (Some(message.id), message.text),
        Ok(EventPayload::JoinRequest { answer, .. }) => (None, answer.unwrap_or_default()),
        _ => (None, String::new()),
    }
}

fn scrub_ref(member: &mut MemberRef) {
    member.name = None;
    member.username = None;
}

/// The event with everything the member wrote or was called removed; ids,
/// kinds and times stay.
fn scrub_own(payload: &str) -> String {
    let Ok(mut event) = serde_json::from_str::<IncomingEvent>(payload) else {
        return "{}".to_owned();
    };
    scrub_ref(&mut event.member);
    match &mut event.payload {
        EventPayload::Message { message }
        | EventPayload::MessageEdited { message }
        | EventPayload::DirectMessage { message } => {
            message.text.clear();
            message.links.clear();
            message.mentions.clear();
            message.forwarded_from = None;
            for attachment in &mut message.attachments {
                attachment.name = None;
            }
        }
        EventPayload::JoinRequest { answer, .. } => *answer = None,
        EventPayload::MemberRenamed { old_name, new_name } => {
            *old_name = None;
            new_name.clear();
        }
        _ => {}
    }
    serde_json::to_string(&event).unwrap_or_else(|_| "{}".to_owned())
}

/// Another member's event with the erased member's names removed where it
/// names them (a reply to them, an invitation, a mention).
fn scrub_mentions(payload: &str, pid: &str) -> Option<String> {
    let mut event = serde_json::from_str::<IncomingEvent>(payload).ok()?;
    let before = event.clone();
    let scrub = |m: &mut Option<MemberRef>| {
        if let Some(m) = m.as_mut().filter(|m| m.id == pid) {
            scrub_ref(m);
        }
    };
    match &mut event.payload {
        EventPayload::Message { message } | EventPayload::MessageEdited { message } => {
            scrub(&mut message.reply_to_member);
            for mention in &mut message.mentions {
                if mention.id.as_deref() == Some(pid) {
                    mention.name = None;
                }
            }
        }
        EventPayload::MemberJoined { inviter, .. } => scrub(inviter),
        EventPayload::MemberLeft { removed_by } => scrub(removed_by),
        EventPayload::MessageDeleted { deleted_by, .. } => scrub(deleted_by),
        _ => {}
    }
    (event != before).then(|| serde_json::to_string(&event).unwrap_or_default())
}

/// A delivered action with the texts about `pid` removed (warnings naming
/// them, private messages to them, links sent to them).
fn scrub_action(payload: &str, pid: &str) -> Option<String> {
    let mut planned = serde_json::from_str::<PlannedAction>(payload).ok()?;
    let changed = match &mut planned.action {
        Action::Warn { member, text, .. } | Action::DirectMessage { member, text }
            if member == pid =>
        {
            text.clear();
            true
        }
        Action::CreateInviteLink {
            member: Some(member),
            share: Some(share),
            ..
        } if member == pid => {
            share.text.clear();
            true
        }
        _ => false,
    };
    changed.then(|| serde_json::to_string(&planned).unwrap_or_default())
}

impl Store {
    /// The member named by `reference`: Steward's id (`42`) or the
    /// platform and the platform's id (`telegram:123456`).
    pub async fn member_by_ref(&self, reference: &str) -> Result<Option<MemberId>> {
        let reference = reference.trim();
        if let Some((platform, pid)) = reference.split_once(':') {
            let Ok(platform) = platform.parse::<steward_core::Platform>() else {
                return Ok(None);
            };
            let sql = "SELECT id FROM members WHERE platform = $1 AND platform_id = $2";
            let id: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(sql)
                .bind(platform.as_str())
                .bind(pid)
                .fetch_optional(pool)
                .await?);
            return Ok(id.map(MemberId));
        }
        let Ok(id) = reference.parse::<i64>() else {
            return Ok(None);
        };
        let sql = "SELECT id FROM members WHERE id = $1";
        let id: Option<i64> =
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?);
        Ok(id.map(MemberId))
    }

    /// When a member's data was erased, if it was.
    pub async fn member_erased_at(&self, member: MemberId) -> Result<Option<Timestamp>> {
        let sql = "SELECT erased_at FROM members WHERE id = $1";
        let at: Option<Option<i64>> = on_pool!(self, pool => sqlx::query_scalar(sql).bind(member.0).fetch_optional(pool).await?);
        Ok(at.flatten().map(from_millis))
    }

    /// Everything Steward keeps about `member`; `None` when there is no
    /// such member.
    pub async fn export_member(
        &self,
        member: MemberId,
        now: Timestamp,
    ) -> Result<Option<MemberExport>> {
        let sql = "SELECT platform, platform_id, name, username, is_bot, created_at, erased_at
                   FROM members WHERE id = $1";
        let row: Option<IdentityRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(member.0).fetch_optional(pool).await?);
        let Some((platform, platform_id, name, username, is_bot, created, erased)) = row else {
            return Ok(None);
        };
        let erased_at = erased.map(from_millis);
        let names = self
            .member_names(member)
            .await?
            .into_iter()
            .map(|(name, seen_at)| ExportName { name, seen_at })
            .collect();
        let memberships = self.export_memberships(member).await?;
        let messages = self.export_messages(member).await?;
        let violations = self
            .member_violations(member, i64::MAX)
            .await?
            .into_iter()
            .map(|v| ExportViolation {
                group: v.group.0,
                rule: v.rule,
                severity: v.severity,
                points: v.points,
                at: v.at,
                expires_at: v.expires_at,
            })
            .collect();
        let audit = self
            .all_member_audit(member)
            .await?
            .into_iter()
            .map(|a| ExportAudit {
                id: a.id.0,
                at: a.at,
                actor: a.actor,
                action: a.action,
                group: a.group.map(|g| g.0),
                reason: a.reason.filter(|_| erased_at.is_none()),
                rule: a.rule,
                evidence: a.evidence.filter(|_| erased_at.is_none()),
            })
            .collect();
        let notes = self
            .member_notes(member)
            .await?
            .into_iter()
            .map(|n| ExportNote {
                author: n.author,
                body: n.body,
                created_at: n.created_at,
            })
            .collect();
        let cases = self.export_cases(member).await?;
        Ok(Some(MemberExport {
            format: EXPORT_FORMAT,
            exported_at: now,
            member: ExportIdentity {
                id: member.0,
                platform,
                platform_id,
                name,
                username,
                is_bot: is_bot != 0,
                first_seen: from_millis(created),
                erased_at,
            },
            names,
            memberships,
            messages,
            violations,
            audit,
            notes,
            cases,
        }))
    }

    /// [`Store::export_member`], audited as `member_exported` by `actor`
    /// (the entry names who took the data out, nothing of the data).
    pub async fn export_member_audited(
        &self,
        member: MemberId,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<MemberExport>> {
        let Some(export) = self.export_member(member, now).await? else {
            return Ok(None);
        };
        self.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: "member_exported".to_owned(),
            member: Some(member),
            ..NewAudit::default()
        })
        .await?;
        Ok(Some(export))
    }

    async fn export_memberships(&self, member: MemberId) -> Result<Vec<ExportMembership>> {
        let sql =
            "SELECT ms.group_id, g.title, ms.role, ms.joined_at, ms.left_at, ms.last_active_at,
                          ms.message_count, ms.invited_by
                   FROM memberships ms JOIN groups g ON g.id = ms.group_id
                   WHERE ms.member_id = $1 ORDER BY ms.group_id";
        type MembershipRow = (
            i64,
            Option<String>,
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            i64,
            Option<i64>,
        );
        let rows: Vec<MembershipRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(member.0).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(group, group_title, role, joined, left, last, messages, invited_by)| {
                    ExportMembership {
                        group,
                        group_title,
                        role,
                        joined_at: joined.map(from_millis),
                        left_at: left.map(from_millis),
                        last_active: last.map(from_millis),
                        messages,
                        invited_by,
                    }
                },
            )
            .collect())
    }

    async fn export_messages(&self, member: MemberId) -> Result<Vec<ExportMessage>> {
        let sql = "SELECT e.group_id, g.title, e.kind, e.at, e.payload
                   FROM events e JOIN groups g ON g.id = e.group_id
                   WHERE e.member_id = $1 AND e.kind IN ($2, $3, $4, $5)
                   ORDER BY e.at, e.id";
        let rows: Vec<(i64, Option<String>, String, i64, String)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(member.0)
            .bind(WRITTEN[0])
            .bind(WRITTEN[1])
            .bind(WRITTEN[2])
            .bind(WRITTEN[3])
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(group, group_title, kind, at, payload)| {
                let (message_id, text) = written(&payload);
                ExportMessage {
                    group,
                    group_title,
                    kind,
                    at: from_millis(at),
                    message_id,
                    text,
                }
            })
            .collect())
    }

    async fn all_member_audit(&self, member: MemberId) -> Result<Vec<AuditRow>> {
        let sql =
            "SELECT id, at, actor, action, group_id, member_id, target, reason, rule, ladder_step,
                          evidence, event_id, outbox_id
                   FROM audit_log WHERE member_id = $1 ORDER BY id";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<AuditRow> { Ok(read_audit_row!(row)) })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    async fn export_cases(&self, member: MemberId) -> Result<Vec<ExportCase>> {
        let sql = "SELECT id, group_id, kind, status, rule, reason, evidence, note, created_at, decided_at
                   FROM cases WHERE member_id = $1 ORDER BY id";
        let rows = on_pool!(self, pool => sqlx::query(sql)
            .bind(member.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| -> Result<ExportCase> {
                Ok(ExportCase {
                    id: row.try_get(0)?,
                    group: row.try_get(1)?,
                    kind: row.try_get(2)?,
                    status: row.try_get(3)?,
                    rule: row.try_get(4)?,
                    reason: row.try_get(5)?,
                    evidence: row.try_get(6)?,
                    note: row.try_get(7)?,
                    created_at: from_millis(row.try_get(8)?),
                    decided_at: row.try_get::<Option<i64>, _>(9)?.map(from_millis),
                })
            })
            .collect::<Result<Vec<_>>>()?);
        Ok(rows)
    }

    /// Erases what identifies `member` or what they wrote (see the module
    /// doc for what stays), and audits it as `member_erased` by `actor`,
    /// in one transaction. `None` when there is no such member.
    pub async fn erase_member(
        &self,
        member: MemberId,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<Erased>> {
        let mut tx = self.begin().await?;
        let Some(pid) = tx.member_platform_id(member).await? else {
            return Ok(None);
        };
        let erased = tx.erase_member(member, &pid, now).await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: "member_erased".to_owned(),
            member: Some(member),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        Ok(Some(erased))
    }
}

impl Tx {
    async fn erase_member(
        &mut self,
        member: MemberId,
        pid: &str,
        now: Timestamp,
    ) -> Result<Erased> {
        let mut erased = Erased::default();
        let sql = "UPDATE members SET name = $1, username = NULL, erased_at = $2 WHERE id = $3";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(pseudonym(member))
            .bind(to_millis(now))
            .bind(member.0)
            .execute(conn)
            .await?
            .rows_affected());
        let sql = "DELETE FROM member_names WHERE member_id = $1";
        erased.names = on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "DELETE FROM member_notes WHERE member_id = $1";
        erased.notes = on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE cases SET evidence = NULL, note = NULL WHERE member_id = $1";
        erased.cases = on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());

        // What they answered when screened, and why they reported others.
        let sql = "UPDATE join_screenings SET answer = NULL, comment = NULL WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE reports SET reason = NULL WHERE reporter_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());

        let sql = "SELECT id, payload FROM events WHERE member_id = $1";
        let own: Vec<(i64, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(member.0).fetch_all(conn).await?);
        for (id, payload) in own {
            self.set_event_payload(id, &scrub_own(&payload)).await?;
            erased.events += 1;
        }

        // Others' events name the member by id in the JSON (a reply to them,
        // an invitation); only those in their groups can.
        let pattern = format!("%\"id\":{}%", serde_json::Value::from(pid));
        let sql = "SELECT e.id, e.payload FROM events e
                   WHERE e.member_id <> $1
                     AND e.group_id IN (SELECT group_id FROM memberships WHERE member_id = $1)
                     AND e.payload LIKE $2";
        let others: Vec<(i64, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(member.0)
            .bind(&pattern)
            .fetch_all(conn)
            .await?);
        for (id, payload) in others {
            if let Some(scrubbed) = scrub_mentions(&payload, pid) {
                self.set_event_payload(id, &scrubbed).await?;
                erased.mentions += 1;
            }
        }

        let sql = "SELECT id, payload FROM outbox
                   WHERE status <> 'pending'
                     AND group_id IN (SELECT group_id FROM memberships WHERE member_id = $1)
                     AND payload LIKE $2";
        let pattern = format!("%{}%", serde_json::Value::from(pid));
        let actions: Vec<(i64, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(member.0)
            .bind(&pattern)
            .fetch_all(conn)
            .await?);
        for (id, payload) in actions {
            if let Some(scrubbed) = scrub_action(&payload, pid) {
                let sql = "UPDATE outbox SET payload = $1 WHERE id = $2";
                on_tx!(self, conn => sqlx::query(sql).bind(&scrubbed).bind(id).execute(conn).await?.rows_affected());
                erased.actions += 1;
            }
        }
        Ok(erased)
    }

    async fn set_event_payload(&mut self, id: i64, payload: &str) -> Result<()> {
        let sql = "UPDATE events SET payload = $1 WHERE id = $2";
        on_tx!(self, conn => sqlx::query(sql).bind(payload).bind(id).execute(conn).await?.rows_affected());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrubbed_message_keeps_its_ids_and_loses_its_words() {
        let event = serde_json::json!({
            "platform": "telegram", "event_id": "e1",
            "group": {"id": "g"}, "member": {"id": "42", "name": "Ann", "username": "ann"},
            "at": "2024-01-01T00:00:00Z",
            "payload": {"kind": "message", "message": {"id": "m1", "text": "my secret", "links": ["https://x"]}}
        })
        .to_string();
        let scrubbed = scrub_own(&event);
        assert!(
            !scrubbed.contains("secret")
                && !scrubbed.contains("Ann")
                && !scrubbed.contains("https")
        );
        let back: IncomingEvent = serde_json::from_str(&scrubbed).unwrap();
        assert_eq!(back.event_id, "e1");
        assert_eq!(back.member.id, "42");
        assert_eq!(written(&scrubbed), (Some("m1".to_owned()), String::new()));
    }

    #[test]
    fn others_events_lose_the_name_only_where_it_is_theirs() {
        let event = serde_json::json!({
            "platform": "telegram", "event_id": "e2",
            "group": {"id": "g"}, "member": {"id": "7", "name": "Bob"},
            "at": "2024-01-01T00:00:00Z",
            "payload": {"kind": "message", "message": {"id": "m2", "text": "hi",
                "reply_to_member": {"id": "42", "name": "Ann"}}}
        })
        .to_string();
        let scrubbed = scrub_mentions(&event, "42").unwrap();
        assert!(!scrubbed.contains("Ann") && scrubbed.contains("Bob") && scrubbed.contains("hi"));
        assert_eq!(scrub_mentions(&event, "99"), None);
    }
}
