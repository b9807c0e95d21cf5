//! FAQ auto-replies: a member's question in a group answered from the
//! group's FAQ entries (its own and its community's), `/faq` listing them,
//! and questions nothing answered collected for the team.
//!
//! Each group's entries are indexed once ([`steward_faq::Index`]) and kept
//! in the pipeline's caches until they change ([`Pipeline::faq_changed`]),
//! so a message costs no database read unless it is answered (the cooldown
//! is read then) or collected.

use std::collections::HashMap;
use std::sync::Arc;

use steward_core::settings::ChatSettings;
use steward_core::texts::BotText;
use steward_core::{Action, EventId, IncomingEvent, MemberId, MessageContent, PlannedAction};
use steward_faq::{Index, looks_like_question};
use steward_storage::Tx;
use steward_storage::faq::{FaqContent, FaqEntry, NewFaqAnswer};

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError};

/// A collected question keeps at most this many characters.
const MAX_COLLECTED_CHARS: usize = 1000;

/// One group's entries, indexed.
#[derive(Debug, Default)]
pub(super) struct GroupFaq {
    index: Index,
    entries: HashMap<i64, FaqContent>,
    /// Entry ids in the order `/faq` lists them.
    order: Vec<i64>,
}

impl GroupFaq {
    fn build(entries: Vec<FaqEntry>) -> GroupFaq {
        let index = Index::build(&matcher_entries(&entries));
        GroupFaq {
            index,
            order: entries.iter().map(|e| e.id).collect(),
            entries: entries.into_iter().map(|e| (e.id, e.content)).collect(),
        }
    }
}

fn matcher_entries(entries: &[FaqEntry]) -> Vec<steward_faq::Entry> {
    entries
        .iter()
        .map(|e| steward_faq::Entry {
            id: e.id,
            keywords: e.content.keywords.clone(),
            phrasings: e.content.phrasings(),
        })
        .collect()
}

/// What the matcher makes of a question (the dashboard's test box).
#[derive(Debug, Clone, PartialEq)]
pub struct FaqProbe {
    /// The best entry, if any scored at all.
    pub entry: Option<i64>,
    /// Its similarity, 0 to 1.
    pub score: f32,
    /// One of its keywords occurs in the text.
    pub keyword: bool,
    /// The text reads as a question.
    pub question: bool,
    /// The bot would answer with the entry (cooldowns aside).
    pub answered: bool,
    /// The bot would collect the text as unanswered.
    pub collected: bool,
}

/// Matches `text` against `entries` as the bot would in a group with
/// `settings`.
pub fn faq_probe(entries: &[FaqEntry], settings: &ChatSettings, text: &str) -> FaqProbe {
    let index = Index::build(&matcher_entries(entries));
    probe(&index, settings, text)
}

fn probe(index: &Index, settings: &ChatSettings, text: &str) -> FaqProbe {
    let question = looks_like_question(text);
    let best = index.best(text);
    let (entry, score, keyword) =
        best.map_or((None, 0.0, false), |m| (Some(m.entry), m.score, m.keyword));
    let min = settings.faq.min_score();
    // A keyword is the admins' own sign that the entry is meant, question
    // or not; otherwise the text must both read as a question and match
    // one of the phrasings well.
    let answered = entry.is_some() && (keyword || (question && score >= min));
    let collected = !answered && question && !keyword && score < settings.faq.collect_below();
    FaqProbe {
        entry,
        score,
        keyword,
        question,
        answered,
        collected,
    }
}

impl Pipeline {
    /// Forgets every group's indexed entries; call after entries change.
    pub fn faq_changed(&self) {
        self.caches().faq.clear();
    }

    /// The group's entries, indexed (from the cache when it has them).
    async fn group_faq(
        &self,
        tx: &mut Tx,
        group: GroupInfo,
    ) -> Result<Arc<GroupFaq>, PipelineError> {
        if let Some(found) = self.caches().faq.get(&group.id) {
            return Ok(found.clone());
        }
        let entries = tx.faq_entries_for_group(group.id).await?;
        let built = Arc::new(GroupFaq::build(entries));
        self.caches().faq.insert(group.id, built.clone());
        Ok(built)
    }

    /// `/faq`: the entries' titles in the group's language.
    pub(super) async fn faq_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        group: GroupInfo,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let faq = self.group_faq(tx, group).await?;
        let titles: Vec<String> = faq
            .order
            .iter()
            .filter_map(|id| faq.entries.get(id))
            .map(|c| c.title(group.lang).to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        let text = BotText::FaqList { titles: &titles }.render(group.lang);
        self.reply(tx, sink, text, reply_to).await
    }

    /// A group message that is not a command: answered when it asks one of
    /// the group's frequently asked questions and the entry is not cooling
    /// down; collected when it is a question nothing answers.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn faq_message(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        event_id: EventId,
        message: &MessageContent,
        settings: &ChatSettings,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        if settings.faq.off || message.text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let faq = self.group_faq(tx, group).await?;
        // Without entries the group has not taken up FAQ answers: nothing
        // to answer, and its questions are not collected either.
        if faq.index.is_empty() {
            return Ok(Vec::new());
        }
        let found = probe(&faq.index, settings, &message.text);
        if found.collected {
            let text: String = message.text.chars().take(MAX_COLLECTED_CHARS).collect();
            tx.record_unanswered(
                group.id,
                Some(member),
                Some(event_id),
                &text,
                f64::from(found.score),
                event.at,
            )
            .await?;
            return Ok(Vec::new());
        }
        let (true, Some(entry)) = (found.answered, found.entry) else {
            return Ok(Vec::new());
        };
        let Some(answer) = faq
            .entries
            .get(&entry)
            .map(|c| c.answer(group.lang).to_owned())
            .filter(|a| !a.is_empty())
        else {
            return Ok(Vec::new());
        };
        let cooling = |last: Option<steward_core::Timestamp>, seconds: u32| {
            last.is_some_and(|last| event.at - last < chrono::Duration::seconds(i64::from(seconds)))
        };
        if cooling(
            tx.last_faq_answer(group.id, Some(entry)).await?,
            settings.faq.cooldown_seconds(),
        ) || cooling(
            tx.last_faq_answer(group.id, None).await?,
            settings.faq.group_cooldown_seconds(),
        ) {
            return Ok(Vec::new());
        }
        tx.record_faq_answer(&NewFaqAnswer {
            entry,
            group: group.id,
            member: Some(member),
            event: Some(event_id),
            message: &message.id,
            score: f64::from(found.score),
            at: event.at,
        })
        .await?;
        sink.actor = "system".to_owned();
        let action = Action::SendMessage {
            text: answer,
            buttons: Vec::new(),
            reply_to: Some(message.id.clone()),
            delete_after: None,
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }
}
