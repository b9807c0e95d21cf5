//! FAQ auto-replies: the entries (for one group or a whole community), the
//! answers the bot gave (the cooldown's clock, and the reports' record), and
//! the questions nothing answered, collected for the team.
//!
//! An entry's texts are one JSON document ([`FaqContent`]): keywords, and
//! per language a title, example phrasings and the answer.

use serde::{Deserialize, Serialize};
use steward_core::i18n::Lang;
use steward_core::{CommunityId, EventId, GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, StoreError, Tx, from_millis, to_millis};

/// An entry's texts in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaqText {
    /// The question, as listed by `/faq`.
    pub title: String,
    /// Other ways members ask it.
    pub phrasings: Vec<String>,
    /// What the bot answers.
    pub answer: String,
}

impl FaqText {
    fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.answer.trim().is_empty() && self.phrasings.is_empty()
    }
}

/// An entry's texts: keywords, and per language a title, phrasings and the
/// answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaqContent {
    /// Words or phrases whose presence marks the entry a strong candidate.
    pub keywords: Vec<String>,
    /// Chinese.
    #[serde(skip_serializing_if = "FaqText::is_empty")]
    pub zh: FaqText,
    /// Russian.
    #[serde(skip_serializing_if = "FaqText::is_empty")]
    pub ru: FaqText,
    /// English.
    #[serde(skip_serializing_if = "FaqText::is_empty")]
    pub en: FaqText,
}

impl FaqContent {
    /// The texts in `lang`.
    pub fn text(&self, lang: Lang) -> &FaqText {
        match lang {
            Lang::Zh => &self.zh,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    /// The texts in `lang`.
    pub fn text_mut(&mut self, lang: Lang) -> &mut FaqText {
        match lang {
            Lang::Zh => &mut self.zh,
            Lang::Ru => &mut self.ru,
            Lang::En => &mut self.en,
        }
    }

    /// The title in `lang`, else in the first language that has one.
    pub fn title(&self, lang: Lang) -> &str {
        self.pick(lang, |t| &t.title)
    }

    /// The answer in `lang`, else in the first language that has one.
    pub fn answer(&self, lang: Lang) -> &str {
        self.pick(lang, |t| &t.answer)
    }

    fn pick<'a>(&'a self, lang: Lang, field: impl Fn(&'a FaqText) -> &'a String) -> &'a str {
        std::iter::once(lang)
            .chain(Lang::ALL)
            .map(|l| field(self.text(l)).trim())
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// Every title and phrasing, in every language: what questions are
    /// matched against.
    pub fn phrasings(&self) -> Vec<String> {
        Lang::ALL
            .into_iter()
            .flat_map(|l| {
                let t = self.text(l);
                std::iter::once(&t.title).chain(&t.phrasings)
            })
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// An FAQ entry.
#[derive(Debug, Clone, PartialEq)]
pub struct FaqEntry {
    /// Its id.
    pub id: i64,
    /// The group, when it is one group's.
    pub group: Option<GroupId>,
    /// The community, when it is for all of its groups.
    pub community: Option<CommunityId>,
    /// Its texts.
    pub content: FaqContent,
    /// Who created it (`user:NAME`).
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// How many times the bot gave its answer.
    pub answers: i64,
}

/// An answer the bot gave.
#[derive(Debug, Clone)]
pub struct NewFaqAnswer<'a> {
    /// The entry.
    pub entry: i64,
    /// Where.
    pub group: GroupId,
    /// Who asked.
    pub member: Option<MemberId>,
    /// The question's event.
    pub event: Option<EventId>,
    /// The question's platform message id.
    pub message: &'a str,
    /// How sure the match was.
    pub score: f64,
    /// When.
    pub at: Timestamp,
}

/// A question nothing answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Unanswered {
    /// Its id.
    pub id: i64,
    /// Where it was asked.
    pub group: GroupId,
    /// The group's title.
    pub group_title: Option<String>,
    /// Who asked.
    pub member: Option<MemberId>,
    /// Their name.
    pub member_name: Option<String>,
    /// The question.
    pub text: String,
    /// The best entry's score.
    pub score: f64,
    /// When.
    pub at: Timestamp,
}

type EntryRow = (i64, Option<i64>, Option<i64>, String, String, i64, i64, i64);

fn entry(row: EntryRow) -> Result<FaqEntry> {
    let (id, group, community, content, created_by, created_at, updated_at, answers) = row;
    let content = serde_json::from_str(&content).map_err(|err| StoreError::Corrupt {
        table: "faq_entries",
        problem: format!("entry {id}: {err}"),
    })?;
    Ok(FaqEntry {
        id,
        group: group.map(GroupId),
        community: community.map(CommunityId),
        content,
        created_by,
        created_at: from_millis(created_at),
        updated_at: from_millis(updated_at),
        answers,
    })
}

macro_rules! select_entries {
    ($rest:literal) => {
        concat!(
            "SELECT e.id, e.group_id, e.community_id, e.content, e.created_by, e.created_at,
                    e.updated_at,
                    (SELECT COUNT(*) FROM faq_answers a WHERE a.entry_id = e.id)
             FROM faq_entries e ",
            $rest
        )
    };
}

type UnansweredRow = (
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
    String,
    f64,
    i64,
);

fn unanswered(row: UnansweredRow) -> Unanswered {
    let (id, group, group_title, member, member_name, text, score, at) = row;
    Unanswered {
        id,
        group: GroupId(group),
        group_title,
        member: member.map(MemberId),
        member_name,
        text,
        score,
        at: from_millis(at),
    }
}

macro_rules! select_unanswered {
    ($rest:literal) => {
        concat!(
            "SELECT u.id, u.group_id, g.title, u.member_id, m.name, u.text, u.score, u.at
             FROM faq_unanswered u
             JOIN groups g ON g.id = u.group_id
             LEFT JOIN members m ON m.id = u.member_id ",
            $rest
        )
    };
}

const FOR_GROUP: &str = select_entries!(
    "WHERE e.group_id = $1
        OR e.community_id = (SELECT community_id FROM groups WHERE id = $1)
     ORDER BY e.id"
);

fn json(content: &FaqContent) -> String {
    serde_json::to_string(content).unwrap_or_else(|_| "{}".to_owned())
}

impl Tx {
    /// The entries that apply in `group`: its own and its community's.
    pub async fn faq_entries_for_group(&mut self, group: GroupId) -> Result<Vec<FaqEntry>> {
        let rows: Vec<EntryRow> =
            on_tx!(self, conn => sqlx::query_as(FOR_GROUP).bind(group.0).fetch_all(conn).await?);
        rows.into_iter().map(entry).collect()
    }

    /// When the bot last answered in `group`: with `entry`, or with any
    /// entry when `None`.
    pub async fn last_faq_answer(
        &mut self,
        group: GroupId,
        entry: Option<i64>,
    ) -> Result<Option<Timestamp>> {
        let sql = "SELECT MAX(at) FROM faq_answers
                   WHERE group_id = $1 AND ($2 = 0 OR entry_id = $2)";
        let at: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(entry.unwrap_or(0))
            .fetch_one(conn)
            .await?);
        Ok(at.map(from_millis))
    }

    /// Records an answer the bot gave.
    pub async fn record_faq_answer(&mut self, new: &NewFaqAnswer<'_>) -> Result<()> {
        let sql = "INSERT INTO faq_answers
                     (entry_id, group_id, member_id, event_id, message_id, score, at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(new.entry)
            .bind(new.group.0)
            .bind(new.member.map(|m| m.0))
            .bind(new.event.map(|e| e.0))
            .bind(new.message)
            .bind(new.score)
            .bind(to_millis(new.at))
            .execute(conn)
            .await
            .map(|_| ())?);
        Ok(())
    }

    /// Collects a question nothing answered.
    pub async fn record_unanswered(
        &mut self,
        group: GroupId,
        member: Option<MemberId>,
        event: Option<EventId>,
        text: &str,
        score: f64,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO faq_unanswered (group_id, member_id, event_id, text, score, at)
                   VALUES ($1, $2, $3, $4, $5, $6)";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.map(|m| m.0))
            .bind(event.map(|e| e.0))
            .bind(text)
            .bind(score)
            .bind(to_millis(at))
            .execute(conn)
            .await
            .map(|_| ())?);
        Ok(())
    }
}

impl Store {
    /// Every entry, oldest first.
    pub async fn faq_entries(&self) -> Result<Vec<FaqEntry>> {
        let sql = select_entries!("ORDER BY e.id");
        let rows: Vec<EntryRow> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter().map(entry).collect()
    }

    /// The entries that apply in `group`: its own and its community's.
    pub async fn faq_entries_for_group(&self, group: GroupId) -> Result<Vec<FaqEntry>> {
        let rows: Vec<EntryRow> =
            on_pool!(self, pool => sqlx::query_as(FOR_GROUP).bind(group.0).fetch_all(pool).await?);
        rows.into_iter().map(entry).collect()
    }

    /// One entry.
    pub async fn faq_entry(&self, id: i64) -> Result<Option<FaqEntry>> {
        let sql = select_entries!("WHERE e.id = $1");
        let row: Option<EntryRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        row.map(entry).transpose()
    }

    /// Creates an entry for one group or a community. Returns its id.
    pub async fn create_faq_entry(
        &self,
        group: Option<GroupId>,
        community: Option<CommunityId>,
        content: &FaqContent,
        by: &str,
        at: Timestamp,
    ) -> Result<i64> {
        let sql = "INSERT INTO faq_entries
                     (group_id, community_id, content, created_by, created_at, updated_at)
                   VALUES ($1, $2, $3, $4, $5, $5)
                   RETURNING id";
        let id: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(group.map(|g| g.0))
            .bind(community.map(|c| c.0))
            .bind(json(content))
            .bind(by)
            .bind(to_millis(at))
            .fetch_one(pool)
            .await?);
        Ok(id)
    }

    /// Changes an entry's place and texts. Returns whether it existed.
    pub async fn update_faq_entry(
        &self,
        id: i64,
        group: Option<GroupId>,
        community: Option<CommunityId>,
        content: &FaqContent,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "UPDATE faq_entries
                   SET group_id = $2, community_id = $3, content = $4, updated_at = $5
                   WHERE id = $1";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .bind(group.map(|g| g.0))
            .bind(community.map(|c| c.0))
            .bind(json(content))
            .bind(to_millis(at))
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Deletes an entry (its answers stay recorded). Returns whether it
    /// existed.
    pub async fn delete_faq_entry(&self, id: i64) -> Result<bool> {
        let sql = "DELETE FROM faq_entries WHERE id = $1";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Questions nothing answered that the team has not dealt with, newest
    /// first.
    pub async fn unanswered_questions(&self, limit: i64) -> Result<Vec<Unanswered>> {
        let sql = select_unanswered!(
            "WHERE u.dismissed_at IS NULL ORDER BY u.at DESC, u.id DESC LIMIT $1"
        );
        let rows: Vec<UnansweredRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(limit).fetch_all(pool).await?);
        Ok(rows.into_iter().map(unanswered).collect())
    }

    /// One collected question, dealt with or not.
    pub async fn unanswered_question(&self, id: i64) -> Result<Option<Unanswered>> {
        let sql = select_unanswered!("WHERE u.id = $1");
        let row: Option<UnansweredRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        Ok(row.map(unanswered))
    }

    /// Marks a collected question dealt with (dismissed, or made into an
    /// entry). Returns whether it was still open.
    pub async fn dismiss_unanswered(&self, id: i64, at: Timestamp) -> Result<bool> {
        let sql = "UPDATE faq_unanswered SET dismissed_at = $2
                   WHERE id = $1 AND dismissed_at IS NULL";
        let n = on_pool!(self, pool => sqlx::query(sql)
            .bind(id)
            .bind(to_millis(at))
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// How many answers the bot gave in `group` (or everywhere) since
    /// `since`, for reports.
    pub async fn faq_answer_count(&self, group: Option<GroupId>, since: Timestamp) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM faq_answers WHERE ($1 = 0 OR group_id = $1) AND at >= $2";
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(group.map_or(0, |g| g.0))
            .bind(to_millis(since))
            .fetch_one(pool)
            .await?);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::both_backends;
    use chrono::{Duration, TimeZone, Utc};
    use steward_core::Platform;

    both_backends!(
        faq_entries_answers_and_questions,
        |store: Store| async move {
            let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
            let mut tx = store.begin().await.unwrap();
            let (group, _) = tx
                .upsert_group(Platform::Telegram, "-1", Some("G"), Lang::En, t0)
                .await
                .unwrap();
            let (other, _) = tx
                .upsert_group(Platform::Telegram, "-2", Some("H"), Lang::En, t0)
                .await
                .unwrap();
            let ann = tx
                .insert_member(Platform::Telegram, "1", Some("Ann"), None, false, t0)
                .await
                .unwrap();
            tx.commit().await.unwrap();

            let mut content = FaqContent {
                keywords: vec!["refund".into()],
                ..FaqContent::default()
            };
            content.en.title = "How do refunds work?".into();
            content.en.answer = "Write to support.".into();
            content.zh.phrasings = vec!["如何申请退款".into()];
            let id = store
                .create_faq_entry(Some(group), None, &content, "user:owner", t0)
                .await
                .unwrap();
            store
                .create_faq_entry(Some(other), None, &content, "user:owner", t0)
                .await
                .unwrap();
            let mut tx = store.begin().await.unwrap();
            let mine = tx.faq_entries_for_group(group).await.unwrap();
            assert_eq!(mine.len(), 1);
            assert_eq!(mine[0].content, content);
            assert_eq!(mine[0].content.answer(Lang::Zh), "Write to support.");
            assert_eq!(
                mine[0].content.phrasings(),
                vec!["如何申请退款".to_owned(), "How do refunds work?".to_owned()]
            );
            assert_eq!(tx.last_faq_answer(group, Some(id)).await.unwrap(), None);
            tx.record_faq_answer(&NewFaqAnswer {
                entry: id,
                group,
                member: Some(ann),
                event: None,
                message: "7",
                score: 0.7,
                at: t0,
            })
            .await
            .unwrap();
            assert_eq!(tx.last_faq_answer(group, Some(id)).await.unwrap(), Some(t0));
            assert_eq!(tx.last_faq_answer(group, None).await.unwrap(), Some(t0));
            assert_eq!(tx.last_faq_answer(other, None).await.unwrap(), None);
            tx.record_unanswered(group, Some(ann), None, "Where is the office?", 0.1, t0)
                .await
                .unwrap();
            tx.commit().await.unwrap();

            assert_eq!(store.faq_entry(id).await.unwrap().unwrap().answers, 1);
            assert_eq!(store.faq_answer_count(Some(group), t0).await.unwrap(), 1);
            content.en.answer = "Changed.".into();
            assert!(
                store
                    .update_faq_entry(id, Some(group), None, &content, t0 + Duration::hours(1))
                    .await
                    .unwrap()
            );
            let changed = store.faq_entry(id).await.unwrap().unwrap();
            assert_eq!(changed.content.en.answer, "Changed.");
            assert_eq!(changed.updated_at, t0 + Duration::hours(1));

            let open = store.unanswered_questions(10).await.unwrap();
            assert_eq!(open.len(), 1);
            assert_eq!(open[0].text, "Where is the office?");
            assert_eq!(open[0].member_name.as_deref(), Some("Ann"));
            assert!(store.dismiss_unanswered(open[0].id, t0).await.unwrap());
            assert!(!store.dismiss_unanswered(open[0].id, t0).await.unwrap());
            assert!(store.unanswered_questions(10).await.unwrap().is_empty());

            assert!(store.delete_faq_entry(id).await.unwrap());
            assert!(store.faq_entry(id).await.unwrap().is_none());
            assert_eq!(store.faq_entries().await.unwrap().len(), 1);
        }
    );
}
