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
//!   Every reader of the log (the audit page, its CSV, `/api/v1/audit`,
//!   the profile, exports) leaves out the reason and evidence of the rows
//!   about an erased member.
//!
//! What erasure clears besides their own events: the texts of delivered
//! actions caused by their events or aimed at them (cards quoting them,
//! warnings, private messages, their invite links' names), their names
//! wherever else a delivered text in their groups carries them (welcomes,
//! notices), pending welcome batches and nickname cases naming them, what
//! they wrote when reporting others, and the title of their private chat
//! with the bot (it is their name). Later events keep them pseudonymous:
//! the pipeline never writes a name back for an erased member.

use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use steward_core::welcome::Newcomers;
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
    /// The evidence, as JSON text. For a report: the reported text, the
    /// number of reports and their total weight, never who reported.
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
    // A private chat with the bot is titled with the member's name.
    if event.group.id == event.member.id
        || matches!(event.payload, EventPayload::DirectMessage { .. })
    {
        event.group.title = None;
    }
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

/// The names an erased member went by, as they may appear in texts Steward
/// sent: display names, old names and `@username`.
#[derive(Debug, Default)]
struct Names {
    list: Vec<String>,
    pseudonym: String,
}

impl Names {
    fn new(member: MemberId, found: impl IntoIterator<Item = String>) -> Names {
        let mut list: Vec<String> = found
            .into_iter()
            .map(|n| n.trim().to_owned())
            // A one-letter name would take letters out of unrelated words.
            .filter(|n| n.chars().count() >= 2)
            .collect();
        list.sort_by_key(|n| std::cmp::Reverse(n.len()));
        list.dedup();
        Names {
            list,
            pseudonym: pseudonym(member),
        }
    }

    /// `text` with every name replaced by the pseudonym; `None` when no name
    /// was in it.
    fn replace(&self, text: &str) -> Option<String> {
        let mut out = text.to_owned();
        for name in &self.list {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), &self.pseudonym);
            }
        }
        (out != text).then_some(out)
    }

    /// The `LIKE` patterns that find a name in stored JSON.
    fn patterns(&self) -> Vec<String> {
        self.list
            .iter()
            .map(|n| {
                // `%` and `_` in a name only widen the match; the texts
                // are checked again before anything changes.
                let quoted = serde_json::Value::from(n.as_str()).to_string();
                format!("%{}%", &quoted[1..quoted.len() - 1])
            })
            .collect()
    }
}

/// The texts an action carries.
fn texts_mut(action: &mut Action) -> Vec<&mut String> {
    match action {
        Action::Warn { text, .. }
        | Action::DirectMessage { text, .. }
        | Action::SendMessage { text, .. }
        | Action::EditMessage { text, .. } => vec![text],
        Action::CreateInviteLink { name, share, .. } => {
            let mut texts = vec![name];
            if let Some(share) = share {
                texts.push(&mut share.text);
            }
            texts
        }
        _ => Vec::new(),
    }
}

/// A delivered action with the texts about `pid` removed: wholly when one of
/// their events caused it (`own`: cards quoting them, replies to them) or it
/// is aimed at them (warnings, private messages, their invite links), else
/// their names replaced by the pseudonym (welcomes, notices naming them).
fn scrub_action(payload: &str, pid: &str, own: bool, names: &Names) -> Option<String> {
    let mut planned = serde_json::from_str::<PlannedAction>(payload).ok()?;
    let theirs = own
        || match &planned.action {
            Action::Warn { member, .. } | Action::DirectMessage { member, .. } => member == pid,
            Action::CreateInviteLink {
                member: Some(member),
                ..
            } => member == pid,
            _ => false,
        };
    let mut changed = false;
    for text in texts_mut(&mut planned.action) {
        if theirs {
            changed |= !text.is_empty();
            text.clear();
        } else if let Some(replaced) = names.replace(text) {
            *text = replaced;
            changed = true;
        }
    }
    changed.then(|| serde_json::to_string(&planned).unwrap_or_default())
}

/// A report case's evidence without what `pid` said or was called as one
/// of its reporters.
fn scrub_report_evidence(evidence: &str, pid: &str) -> Option<String> {
    let mut value = serde_json::from_str::<serde_json::Value>(evidence).ok()?;
    let before = value.clone();
    if value.get("reporter").and_then(|r| r.as_str()) == Some(pid) {
        value["reporter"] = serde_json::Value::Null;
    }
    if let Some(reports) = value.get_mut("reports").and_then(|r| r.as_array_mut()) {
        for report in reports {
            if report.get("reporter").and_then(|r| r.as_str()) == Some(pid) {
                report["name"] = serde_json::Value::Null;
                report["reason"] = serde_json::Value::Null;
            }
        }
    }
    (value != before).then(|| value.to_string())
}

/// What the member's export shows of a report case's evidence: the
/// reported text, how many reported it and their total weight, never who
/// reported or why.
fn report_evidence_for_export(evidence: &str) -> Option<String> {
    let value = serde_json::from_str::<serde_json::Value>(evidence).ok()?;
    let reports = value
        .get("reports")
        .and_then(|r| r.as_array())
        .map_or(0, Vec::len);
    Some(
        serde_json::json!({
            "text": value.get("text").cloned().unwrap_or_default(),
            "message": value.get("message").cloned().unwrap_or_default(),
            "reports": reports,
            "weight": value.get("weight").cloned().unwrap_or_default(),
            "threshold": value.get("threshold").cloned().unwrap_or_default(),
            "hidden": value.get("hidden").cloned().unwrap_or_default(),
        })
        .to_string(),
    )
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
        let sql = "SELECT a.id, a.at, a.actor, a.action, a.group_id, a.member_id, a.target,
                    CASE WHEN m.erased_at IS NULL THEN a.reason END,
                    a.rule, a.ladder_step,
                    CASE WHEN m.erased_at IS NULL THEN a.evidence END,
                    a.event_id, a.outbox_id
             FROM audit_log a JOIN members m ON m.id = a.member_id
             WHERE a.member_id = $1 ORDER BY a.id";
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
                let kind: String = row.try_get(2)?;
                let mut reason: Option<String> = row.try_get(5)?;
                let mut evidence: Option<String> = row.try_get(6)?;
                let mut note: Option<String> = row.try_get(7)?;
                if kind == "report" {
                    // Who reported them, and why, stays with the team: the
                    // case's note and first reason are a reporter's words,
                    // the evidence lists every reporter.
                    note = None;
                    if evidence.is_none() {
                        reason = None;
                    }
                    evidence = evidence.as_deref().and_then(report_evidence_for_export);
                }
                Ok(ExportCase {
                    id: row.try_get(0)?,
                    group: row.try_get(1)?,
                    kind,
                    status: row.try_get(3)?,
                    rule: row.try_get(4)?,
                    reason,
                    evidence,
                    note,
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
    /// Whether the member's data was erased: the pipeline then keeps them
    /// pseudonymous and writes no name back.
    pub async fn member_is_erased(&mut self, member: MemberId) -> Result<bool> {
        let sql = "SELECT erased_at FROM members WHERE id = $1";
        let at: Option<Option<i64>> = on_tx!(self, conn => sqlx::query_scalar(sql).bind(member.0).fetch_optional(conn).await?);
        Ok(at.flatten().is_some())
    }

    /// The names the member went by, read before they are erased.
    async fn names_of(&mut self, member: MemberId) -> Result<Names> {
        let sql = "SELECT name, username FROM members WHERE id = $1";
        let (name, username): (Option<String>, Option<String>) =
            on_tx!(self, conn => sqlx::query_as(sql).bind(member.0).fetch_one(conn).await?);
        let sql = "SELECT name FROM member_names WHERE member_id = $1";
        let old: Vec<String> =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(member.0).fetch_all(conn).await?);
        let sql = "SELECT name FROM nickname_cases WHERE member_id = $1";
        let flagged: Vec<String> =
            on_tx!(self, conn => sqlx::query_scalar(sql).bind(member.0).fetch_all(conn).await?);
        let mut found: Vec<String> = name.into_iter().chain(old).chain(flagged).collect();
        if let Some(username) = username.filter(|u| !u.is_empty()) {
            found.push(format!("@{username}"));
        }
        Ok(Names::new(member, found))
    }

    async fn erase_member(
        &mut self,
        member: MemberId,
        pid: &str,
        now: Timestamp,
    ) -> Result<Erased> {
        let mut erased = Erased::default();
        let names = self.names_of(member).await?;
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
        erased.cases += self.erase_from_reports(pid, member).await?;

        // What they answered when screened, the name a nickname case holds,
        // their invite links' labels.
        let sql = "UPDATE join_screenings SET answer = NULL, comment = NULL WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE nickname_cases SET name = '' WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE invite_links SET name = '' WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        self.erase_from_welcomes(pid, &names).await?;

        // Their private chat with the bot is titled with their name.
        let sql = "UPDATE groups SET title = NULL
                   WHERE id IN (SELECT group_id FROM events WHERE member_id = $1 AND kind = 'direct_message')
                      OR (platform = (SELECT platform FROM members WHERE id = $1) AND platform_id = $2)";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).bind(pid).execute(conn).await?.rows_affected());

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

        erased.actions = self.erase_from_actions(member, pid, &names).await?;
        Ok(erased)
    }

    /// Delivered actions: those their events caused (anywhere, the admins'
    /// chat included), those naming their account, and those in their
    /// groups naming them. Pending ones are left to be delivered as
    /// planned.
    async fn erase_from_actions(
        &mut self,
        member: MemberId,
        pid: &str,
        names: &Names,
    ) -> Result<u64> {
        let mut found: BTreeMap<i64, (String, bool)> = BTreeMap::new();
        let sql = "SELECT id, payload FROM outbox
                   WHERE status <> 'pending'
                     AND event_id IN (SELECT id FROM events WHERE member_id = $1)";
        let caused: Vec<(i64, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(member.0).fetch_all(conn).await?);
        found.extend(caused.into_iter().map(|(id, p)| (id, (p, true))));
        let sql = "SELECT id, payload FROM outbox WHERE status <> 'pending' AND payload LIKE $1";
        let pattern = format!("%{}%", serde_json::Value::from(pid));
        let aimed: Vec<(i64, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(&pattern).fetch_all(conn).await?);
        for (id, payload) in aimed {
            found.entry(id).or_insert((payload, false));
        }
        let sql = "SELECT id, payload FROM outbox
                   WHERE status <> 'pending'
                     AND group_id IN (SELECT group_id FROM memberships WHERE member_id = $1)
                     AND payload LIKE $2";
        for pattern in names.patterns() {
            let named: Vec<(i64, String)> = on_tx!(self, conn => sqlx::query_as(sql)
                .bind(member.0)
                .bind(&pattern)
                .fetch_all(conn)
                .await?);
            for (id, payload) in named {
                found.entry(id).or_insert((payload, false));
            }
        }
        let mut changed = 0;
        for (id, (payload, own)) in found {
            if let Some(scrubbed) = scrub_action(&payload, pid, own, names) {
                let sql = "UPDATE outbox SET payload = $1 WHERE id = $2";
                on_tx!(self, conn => sqlx::query(sql).bind(&scrubbed).bind(id).execute(conn).await?.rows_affected());
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// What they wrote when reporting others: the reasons, and their name
    /// and reason in the cases' evidence. Returns the cases changed.
    async fn erase_from_reports(&mut self, pid: &str, member: MemberId) -> Result<u64> {
        let sql = "SELECT c.id, c.reason, c.note, c.evidence, r.reason
                   FROM reports r JOIN cases c ON c.id = r.case_id
                   WHERE r.reporter_id = $1";
        type Row = (
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> =
            on_tx!(self, conn => sqlx::query_as(sql).bind(member.0).fetch_all(conn).await?);
        let mut changed = 0;
        for (case, reason, note, evidence, said) in rows {
            let said = said.filter(|s| !s.trim().is_empty());
            let theirs = |text: &Option<String>| said.is_some() && *text == said;
            let new_reason = if theirs(&reason) {
                None
            } else {
                reason.clone()
            };
            let new_note = if theirs(&note) { None } else { note.clone() };
            let new_evidence = evidence
                .as_deref()
                .and_then(|e| scrub_report_evidence(e, pid))
                .or(evidence.clone());
            if new_reason == reason && new_note == note && new_evidence == evidence {
                continue;
            }
            let sql = "UPDATE cases SET reason = $2, note = $3, evidence = $4 WHERE id = $1";
            on_tx!(self, conn => sqlx::query(sql)
                .bind(case)
                .bind(&new_reason)
                .bind(&new_note)
                .bind(&new_evidence)
                .execute(conn)
                .await?
                .rows_affected());
            changed += 1;
        }
        let sql = "UPDATE reports SET reason = NULL WHERE reporter_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        // Engagement: the questions the FAQ collected from them, and what
        // they wrote in tickets (the tickets stay, for the team's figures).
        let sql = "DELETE FROM faq_unanswered WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE tickets SET text = '', origin_message = NULL WHERE member_id = $1";
        on_tx!(self, conn => sqlx::query(sql).bind(member.0).execute(conn).await?.rows_affected());
        Ok(changed)
    }

    /// Pending grouped welcomes: their name becomes the pseudonym.
    async fn erase_from_welcomes(&mut self, pid: &str, names: &Names) -> Result<()> {
        let sql = "SELECT group_id, newcomers FROM welcome_batches";
        let batches: Vec<(i64, String)> =
            on_tx!(self, conn => sqlx::query_as(sql).fetch_all(conn).await?);
        for (group, raw) in batches {
            let Ok(mut newcomers) = serde_json::from_str::<Newcomers>(&raw) else {
                continue;
            };
            let mut changed = false;
            for (idx, id) in newcomers.ids.iter().enumerate() {
                if id == pid
                    && let Some(name) = newcomers.names.get_mut(idx)
                {
                    name.clone_from(&names.pseudonym);
                    changed = true;
                }
            }
            for inviter in &mut newcomers.inviters {
                if let Some(replaced) = names.replace(inviter) {
                    *inviter = replaced;
                    changed = true;
                }
            }
            if changed {
                let sql = "UPDATE welcome_batches SET newcomers = $1 WHERE group_id = $2";
                let json = serde_json::to_string(&newcomers).unwrap_or_else(|_| raw.clone());
                on_tx!(self, conn => sqlx::query(sql).bind(&json).bind(group).execute(conn).await?.rows_affected());
            }
        }
        Ok(())
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
    fn delivered_texts_lose_what_is_theirs() {
        let names = Names::new(MemberId(5), ["Annabel".to_owned(), "A".to_owned()]);
        let send = |text: &str| {
            serde_json::json!({"group": "g", "kind": "send_message", "text": text}).to_string()
        };
        // A card quoting their message: cleared.
        let card = scrub_action(&send("Annabel wrote: secret"), "42", true, &names).unwrap();
        assert!(!card.contains("secret") && !card.contains("Annabel"));
        // A welcome naming them among others: only their name goes.
        let welcome = scrub_action(&send("Welcome, Annabel and Bob!"), "42", false, &names);
        assert!(
            welcome
                .unwrap()
                .contains("Welcome, erased member #5 and Bob!")
        );
        assert_eq!(scrub_action(&send("Hi Bob"), "42", false, &names), None);
        // Their referral link's label.
        let link = serde_json::json!({"group": "g", "kind": "create_invite_link",
            "name": "ref · Annabel", "purpose": "referral", "member": "42"})
        .to_string();
        assert!(
            !scrub_action(&link, "42", false, &names)
                .unwrap()
                .contains("Annabel")
        );
    }

    #[test]
    fn reports_name_no_reporter_in_exports_or_after_erasure() {
        let evidence = serde_json::json!({"text": "spam", "message": "m1", "reporter": "42",
            "reports": [{"reporter": "42", "name": "Annabel", "reason": "she is rude", "weight": 1.0},
                        {"reporter": "7", "name": "Bob", "reason": "ads", "weight": 2.0}],
            "weight": 3.0, "threshold": 3, "hidden": true})
        .to_string();
        let export = report_evidence_for_export(&evidence).unwrap();
        for gone in ["Annabel", "Bob", "rude", "ads", "\"42\"", "\"7\""] {
            assert!(!export.contains(gone), "{gone} in {export}");
        }
        assert!(export.contains("spam") && export.contains("\"reports\":2"));
        let scrubbed = scrub_report_evidence(&evidence, "42").unwrap();
        assert!(!scrubbed.contains("Annabel") && !scrubbed.contains("rude"));
        assert!(scrubbed.contains("Bob") && scrubbed.contains("ads"));
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
