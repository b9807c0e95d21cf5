//! Raffles (抽奖): each raffle with its secret seed and the seed's published
//! hash, its entries (one per member), and once drawn the entry list's
//! digest and the winners. The draw itself is `steward_core::raffle`.

use steward_core::raffle::{self, Eligibility, Published};
use steward_core::{GroupId, MemberId, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// A raffle that is open for entries.
pub const OPEN: &str = "open";
/// A raffle that has been drawn.
pub const DRAWN: &str = "drawn";

/// A raffle to create.
#[derive(Debug, Clone)]
pub struct NewRaffle<'a> {
    /// The group it runs in.
    pub group: GroupId,
    /// Its title.
    pub title: &'a str,
    /// The prize, as the announcement says it.
    pub prize: &'a str,
    /// How many win.
    pub winners: u32,
    /// When it is drawn.
    pub ends: Timestamp,
    /// Who may enter.
    pub eligibility: Eligibility,
    /// The secret seed, 64 hex digits.
    pub seed: &'a str,
    /// The seed's SHA-256, hex, published at once.
    pub seed_hash: &'a str,
    /// Who created it (`user:NAME`, `telegram:ID`).
    pub created_by: &'a str,
    /// When.
    pub at: Timestamp,
}

/// A stored raffle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raffle {
    /// Its id.
    pub id: i64,
    /// The group it runs in.
    pub group: GroupId,
    /// Its title.
    pub title: String,
    /// The prize.
    pub prize: String,
    /// How many win.
    pub winners: u32,
    /// When it is drawn.
    pub ends: Timestamp,
    /// Who may enter.
    pub eligibility: Eligibility,
    /// The secret seed (hex). Shown to nobody before the draw.
    pub seed: String,
    /// The seed's hash (hex), published at the start.
    pub seed_hash: String,
    /// [`OPEN`] or [`DRAWN`].
    pub status: String,
    /// The entry list's digest, once drawn.
    pub entries_digest: Option<String>,
    /// The winners' platform ids in the order drawn, once drawn.
    pub drawn_winners: Vec<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// When it was drawn.
    pub drawn_at: Option<Timestamp>,
    /// Who drew it early (`None`: at its end time).
    pub drawn_by: Option<String>,
}

impl Raffle {
    /// Whether it still takes entries.
    pub fn is_open(&self) -> bool {
        self.status == OPEN
    }
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaffleEntry {
    /// The member.
    pub member: MemberId,
    /// Their platform id, which the draw uses.
    pub platform_id: String,
    /// Their name when they entered.
    pub name: Option<String>,
    /// When.
    pub at: Timestamp,
}

macro_rules! select_raffles {
    ($where:literal) => {
        concat!(
            "SELECT id, group_id, title, prize, winner_count, ends_at, eligibility, seed, seed_hash,
                    status, entries_digest, winners, created_by, created_at, drawn_at, drawn_by
             FROM raffles ",
            $where
        )
    };
}

type RaffleRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    Option<i64>,
    Option<String>,
);

fn raffle(row: RaffleRow) -> Result<Raffle> {
    let (
        id,
        group,
        title,
        prize,
        winners,
        ends,
        eligibility,
        seed,
        seed_hash,
        status,
        entries_digest,
        drawn,
        created_by,
        created_at,
        drawn_at,
        drawn_by,
    ) = row;
    Ok(Raffle {
        id,
        group: GroupId(group),
        title,
        prize,
        winners: u32::try_from(winners).map_err(|e| corrupt("raffles", e))?,
        ends: from_millis(ends),
        eligibility: serde_json::from_str(&eligibility).map_err(|e| corrupt("raffles", e))?,
        seed,
        seed_hash,
        status,
        entries_digest,
        drawn_winners: match drawn {
            Some(json) => serde_json::from_str(&json).map_err(|e| corrupt("raffles", e))?,
            None => Vec::new(),
        },
        created_by,
        created_at: from_millis(created_at),
        drawn_at: drawn_at.map(from_millis),
        drawn_by,
    })
}

type EntryRow = (i64, String, Option<String>, i64);

fn entry(row: EntryRow) -> RaffleEntry {
    let (member, platform_id, name, at) = row;
    RaffleEntry {
        member: MemberId(member),
        platform_id,
        name,
        at: from_millis(at),
    }
}

const ENTRIES: &str = "SELECT member_id, platform_id, name, at FROM raffle_entries
                       WHERE raffle_id = $1 ORDER BY platform_id";

impl Store {
    /// Raffles, newest first; of one group when `group` is given.
    pub async fn raffles(&self, group: Option<GroupId>, limit: i64) -> Result<Vec<Raffle>> {
        let sql = select_raffles!("WHERE ($1 IS NULL OR group_id = $1) ORDER BY id DESC LIMIT $2");
        let rows: Vec<RaffleRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.map(|g| g.0))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(raffle).collect()
    }

    /// One raffle.
    pub async fn raffle(&self, id: i64) -> Result<Option<Raffle>> {
        let sql = select_raffles!("WHERE id = $1");
        let row: Option<RaffleRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(pool)
            .await?);
        row.map(raffle).transpose()
    }

    /// A raffle's entries, in canonical order (by platform id).
    pub async fn raffle_entries(&self, id: i64) -> Result<Vec<RaffleEntry>> {
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(ENTRIES)
            .bind(id)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(entry).collect())
    }

    /// Open raffles whose end time has come, oldest first.
    pub async fn raffles_due(&self, now: Timestamp, limit: i64) -> Result<Vec<i64>> {
        let sql = "SELECT id FROM raffles WHERE status = $1 AND ends_at <= $2 ORDER BY ends_at, id LIMIT $3";
        let ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(OPEN)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(ids)
    }
}

impl Store {
    /// What the raffle publishes for checking (the verification file): the
    /// seed and the winners only once it is drawn.
    pub async fn raffle_published(&self, id: i64) -> Result<Option<Published>> {
        let Some(found) = self.raffle(id).await? else {
            return Ok(None);
        };
        let entries: Vec<String> = self
            .raffle_entries(id)
            .await?
            .into_iter()
            .map(|e| e.platform_id)
            .collect();
        let entries = raffle::canonical(&entries);
        let drawn = !found.is_open();
        Ok(Some(Published {
            algorithm: raffle::ALGORITHM.to_owned(),
            raffle: Some(found.id),
            title: Some(found.title),
            seed_hash: found.seed_hash,
            seed: drawn.then_some(found.seed),
            winners_count: Some(found.winners),
            entries_digest: found
                .entries_digest
                .unwrap_or_else(|| raffle::entries_digest(&entries)),
            entries,
            winners: found.drawn_winners,
        }))
    }
}

impl Tx {
    /// Creates a raffle; returns its id.
    pub async fn create_raffle(&mut self, new: &NewRaffle<'_>) -> Result<i64> {
        let sql = "INSERT INTO raffles
                     (group_id, title, prize, winner_count, ends_at, eligibility, seed, seed_hash,
                      status, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                   RETURNING id";
        let eligibility =
            serde_json::to_string(&new.eligibility).map_err(|e| corrupt("raffles", e))?;
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.group.0)
            .bind(new.title)
            .bind(new.prize)
            .bind(i64::from(new.winners))
            .bind(to_millis(new.ends))
            .bind(&eligibility)
            .bind(new.seed)
            .bind(new.seed_hash)
            .bind(OPEN)
            .bind(new.created_by)
            .bind(to_millis(new.at))
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// One raffle, read in this transaction.
    pub async fn raffle(&mut self, id: i64) -> Result<Option<Raffle>> {
        let sql = select_raffles!("WHERE id = $1");
        let row: Option<RaffleRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await?);
        row.map(raffle).transpose()
    }

    /// The open raffles of a group, oldest first.
    pub async fn open_raffles_in(&mut self, group: GroupId) -> Result<Vec<Raffle>> {
        let sql = select_raffles!("WHERE group_id = $1 AND status = $2 ORDER BY id");
        let rows: Vec<RaffleRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(OPEN)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(raffle).collect()
    }

    /// Whether the member has entered the raffle.
    pub async fn has_entered_raffle(&mut self, raffle: i64, member: MemberId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM raffle_entries WHERE raffle_id = $1 AND member_id = $2";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(raffle)
            .bind(member.0)
            .fetch_one(conn)
            .await?);
        Ok(n > 0)
    }

    /// Records an entry; false when the member had entered already.
    pub async fn enter_raffle(
        &mut self,
        raffle: i64,
        member: MemberId,
        platform_id: &str,
        name: Option<&str>,
        at: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO raffle_entries (raffle_id, member_id, platform_id, name, at)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(raffle)
            .bind(member.0)
            .bind(platform_id)
            .bind(name)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// A raffle's entries in canonical order, read in this transaction.
    pub async fn raffle_entries(&mut self, id: i64) -> Result<Vec<RaffleEntry>> {
        let rows: Vec<EntryRow> = on_tx!(self, conn => sqlx::query_as(ENTRIES)
            .bind(id)
            .fetch_all(conn)
            .await?);
        Ok(rows.into_iter().map(entry).collect())
    }

    /// Records the draw of an open raffle; false when it was drawn already.
    pub async fn record_raffle_draw(
        &mut self,
        id: i64,
        entries_digest: &str,
        winners: &[String],
        at: Timestamp,
        by: Option<&str>,
    ) -> Result<bool> {
        let sql = "UPDATE raffles SET status = $2, entries_digest = $3, winners = $4,
                          drawn_at = $5, drawn_by = $6
                   WHERE id = $1 AND status = $7";
        let winners = serde_json::to_string(winners).map_err(|e| corrupt("raffles", e))?;
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(DRAWN)
            .bind(entries_digest)
            .bind(&winners)
            .bind(to_millis(at))
            .bind(by)
            .bind(OPEN)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// The member's messages in the group from `since` up to (not
    /// including) `until`.
    pub async fn messages_between(
        &mut self,
        group: GroupId,
        member: MemberId,
        since: Option<Timestamp>,
        until: Timestamp,
    ) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM events
                   WHERE group_id = $1 AND member_id = $2 AND kind = 'message'
                     AND at >= $3 AND at < $4";
        let n: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(since.map_or(i64::MIN, to_millis))
            .bind(to_millis(until))
            .fetch_one(conn)
            .await?);
        Ok(n)
    }

    /// When the member last joined the group, if Steward saw it.
    pub async fn joined_at(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<Timestamp>> {
        let sql = "SELECT joined_at FROM memberships WHERE group_id = $1 AND member_id = $2";
        let row: Option<Option<i64>> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        Ok(row.flatten().map(from_millis))
    }
}

#[cfg(test)]
mod tests {
    use steward_core::Platform;

    use super::*;
    use crate::both_backends;

    both_backends!(
        raffles_store_entries_once_and_draw_once,
        |store: Store| async move {
            let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
            let mut tx = store.begin().await.unwrap();
            let (group, _) = tx
                .upsert_group(
                    Platform::Telegram,
                    "-100",
                    Some("G"),
                    steward_core::i18n::Lang::En,
                    at,
                )
                .await
                .unwrap();
            let id = tx
                .create_raffle(&NewRaffle {
                    group,
                    title: "Spring",
                    prize: "A book",
                    winners: 1,
                    ends: at + chrono::Duration::hours(1),
                    eligibility: Eligibility {
                        min_messages: 2,
                        ..Eligibility::default()
                    },
                    seed: "00",
                    seed_hash: "hh",
                    created_by: "user:admin",
                    at,
                })
                .await
                .unwrap();
            let member = tx
                .insert_member(Platform::Telegram, "42", Some("Ann"), None, false, at)
                .await
                .unwrap();
            assert!(
                tx.enter_raffle(id, member, "42", Some("Ann"), at)
                    .await
                    .unwrap()
            );
            assert!(
                !tx.enter_raffle(id, member, "42", Some("Ann"), at)
                    .await
                    .unwrap()
            );
            assert_eq!(tx.open_raffles_in(group).await.unwrap().len(), 1);
            assert_eq!(
                tx.messages_between(group, member, None, at).await.unwrap(),
                0
            );
            assert!(
                tx.record_raffle_draw(id, "dd", &["42".into()], at, None)
                    .await
                    .unwrap()
            );
            assert!(
                !tx.record_raffle_draw(id, "dd", &["42".into()], at, None)
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
            let stored = store.raffle(id).await.unwrap().unwrap();
            assert_eq!(stored.status, DRAWN);
            assert_eq!(stored.drawn_winners, vec!["42".to_owned()]);
            assert_eq!(stored.eligibility.min_messages, 2);
            assert_eq!(store.raffle_entries(id).await.unwrap().len(), 1);
            assert!(
                store
                    .raffles_due(at + chrono::Duration::hours(2), 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(store.raffles(Some(group), 10).await.unwrap().len(), 1);
        }
    );
}
