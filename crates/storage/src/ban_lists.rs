//! A community's shared ban list (accounts banned in every group of the
//! community, with a reason and where the entry came from) and the other
//! Stewards' lists the community subscribes to.

use steward_core::i18n::Lang;
use steward_core::model::{Community, GroupRole};
use steward_core::{CommunityId, GroupId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::profiles::contains_pattern;
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// Where a ban-list entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BanSource {
    /// Added here, by a person (dashboard, API, CLI).
    Local,
    /// Imported from a file.
    Import,
    /// Fetched from another Steward the community subscribes to.
    Subscription,
}

impl BanSource {
    /// The name stored and shown: `local`, `import`, `subscription`.
    pub fn as_str(self) -> &'static str {
        match self {
            BanSource::Local => "local",
            BanSource::Import => "import",
            BanSource::Subscription => "subscription",
        }
    }

    fn parse(name: &str) -> Result<BanSource> {
        match name {
            "local" => Ok(BanSource::Local),
            "import" => Ok(BanSource::Import),
            "subscription" => Ok(BanSource::Subscription),
            other => Err(corrupt(
                "ban_list_entries",
                format!("unknown source `{other}`"),
            )),
        }
    }
}

/// An entry to store.
#[derive(Debug, Clone)]
pub struct NewBanEntry<'a> {
    /// The account's platform.
    pub platform: Platform,
    /// The platform's id of the account, exactly as the platform sends it.
    pub account: &'a str,
    /// Why the account is banned.
    pub reason: &'a str,
    /// Who added it: `user:NAME`, `cli`, or the subscription's URL.
    pub added_by: &'a str,
    /// When it was added (at its source, for imported entries).
    pub added_at: Timestamp,
    /// Where it came from.
    pub source: BanSource,
    /// The subscription it came through.
    pub subscription: Option<i64>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanEntry {
    /// Its id.
    pub id: i64,
    /// The community whose list it is on.
    pub community: CommunityId,
    /// The account's platform.
    pub platform: Platform,
    /// The platform's id of the account.
    pub account: String,
    /// Why.
    pub reason: String,
    /// Who added it.
    pub added_by: String,
    /// When.
    pub added_at: Timestamp,
    /// Where it came from.
    pub source: BanSource,
    /// The subscription it came through.
    pub subscription: Option<i64>,
}

/// A group an entry is applied in: one where Steward has seen the account
/// (a membership, present or past), with its role there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BanTarget {
    /// The group.
    pub group: GroupId,
    /// Its platform.
    pub platform: Platform,
    /// The platform's id of the group.
    pub platform_id: String,
    /// The language Steward speaks there.
    pub language: Lang,
    /// The account's role there.
    pub role: GroupRole,
}

/// A community with the size of its ban list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunitySummary {
    /// The community.
    pub community: Community,
    /// Groups in it.
    pub groups: i64,
    /// Entries on its ban list.
    pub entries: i64,
    /// Lists it subscribes to.
    pub subscriptions: i64,
}

/// Another Steward's list a community follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Its id.
    pub id: i64,
    /// The community that follows it.
    pub community: CommunityId,
    /// The other Steward's export URL.
    pub url: String,
    /// The API token sent as a Bearer token (empty: none).
    pub token: String,
    /// Who subscribed.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// The last attempt to fetch it.
    pub last_sync_at: Option<Timestamp>,
    /// The last fetch that worked.
    pub last_success_at: Option<Timestamp>,
    /// Why the last attempt failed (`None` when it worked).
    pub last_error: Option<String>,
    /// Entries on the list that came through it.
    pub entries: i64,
}

/// A `LIKE` pattern matching `text` anywhere as typed, with `%`, `_` and
/// `\` taken literally (the queries say `ESCAPE '\'`).
fn literal_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

macro_rules! select_entries {
    ($rest:literal) => {
        concat!(
            "SELECT id, community_id, platform, account, reason, added_by, added_at, source, subscription_id
             FROM ban_list_entries ",
            $rest
        )
    };
}

type EntryRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    Option<i64>,
);

fn entry(row: EntryRow) -> Result<BanEntry> {
    let (id, community, platform, account, reason, added_by, added_at, source, subscription) = row;
    Ok(BanEntry {
        id,
        community: CommunityId(community),
        platform: platform
            .parse()
            .map_err(|e| corrupt("ban_list_entries", e))?,
        account,
        reason,
        added_by,
        added_at: from_millis(added_at),
        source: BanSource::parse(&source)?,
        subscription,
    })
}

macro_rules! select_subscriptions {
    ($rest:literal) => {
        concat!(
            "SELECT s.id, s.community_id, s.url, s.token, s.created_by, s.created_at,
                    s.last_sync_at, s.last_success_at, s.last_error,
                    (SELECT COUNT(*) FROM ban_list_entries e WHERE e.subscription_id = s.id)
             FROM ban_list_subscriptions s ",
            $rest
        )
    };
}

type SubscriptionRow = (
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    i64,
);

fn subscription(row: SubscriptionRow) -> Subscription {
    let (id, community, url, token, created_by, created_at, sync, success, error, entries) = row;
    Subscription {
        id,
        community: CommunityId(community),
        url,
        token,
        created_by,
        created_at: from_millis(created_at),
        last_sync_at: sync.map(from_millis),
        last_success_at: success.map(from_millis),
        last_error: error,
        entries,
    }
}

impl Tx {
    /// Stores an entry; `None` when the account is already on the list.
    pub async fn insert_ban_entry(
        &mut self,
        community: CommunityId,
        entry: &NewBanEntry<'_>,
    ) -> Result<Option<i64>> {
        let sql = "INSERT INTO ban_list_entries
                     (community_id, platform, account, reason, added_by, added_at, source, subscription_id)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                   ON CONFLICT (community_id, platform, account) DO NOTHING
                   RETURNING id";
        let id = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(community.0)
            .bind(entry.platform.as_str())
            .bind(entry.account)
            .bind(entry.reason)
            .bind(entry.added_by)
            .bind(to_millis(entry.added_at))
            .bind(entry.source.as_str())
            .bind(entry.subscription)
            .fetch_optional(conn)
            .await?);
        Ok(id)
    }

    /// The entry for an account on a community's list.
    pub async fn find_ban_entry(
        &mut self,
        community: CommunityId,
        platform: Platform,
        account: &str,
    ) -> Result<Option<BanEntry>> {
        let sql = select_entries!("WHERE community_id = $1 AND platform = $2 AND account = $3");
        let row: Option<EntryRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(community.0)
            .bind(platform.as_str())
            .bind(account)
            .fetch_optional(conn)
            .await?);
        row.map(entry).transpose()
    }

    /// Makes an entry that came from elsewhere a local one, with this
    /// reason, so that it stays when its source drops it.
    pub async fn claim_ban_entry(
        &mut self,
        id: i64,
        reason: &str,
        added_by: &str,
        at: Timestamp,
    ) -> Result<()> {
        let sql = "UPDATE ban_list_entries
                   SET source = 'local', subscription_id = NULL, reason = $2, added_by = $3, added_at = $4
                   WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(reason)
            .bind(added_by)
            .bind(to_millis(at))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Removes an entry of a community's list; the entry as it was.
    pub async fn delete_ban_entry(
        &mut self,
        community: CommunityId,
        id: i64,
    ) -> Result<Option<BanEntry>> {
        let sql = "DELETE FROM ban_list_entries WHERE community_id = $1 AND id = $2
                   RETURNING id, community_id, platform, account, reason, added_by, added_at, source, subscription_id";
        let row: Option<EntryRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(community.0)
            .bind(id)
            .fetch_optional(conn)
            .await?);
        row.map(entry).transpose()
    }

    /// The entry that bars an account from a group: on the list of the
    /// group's community. `(id, reason)`.
    pub async fn ban_entry_at_door(
        &mut self,
        group: GroupId,
        platform: Platform,
        account: &str,
    ) -> Result<Option<(i64, String)>> {
        let sql = "SELECT e.id, e.reason FROM ban_list_entries e
                   JOIN groups g ON g.community_id = e.community_id
                   WHERE g.id = $1 AND e.platform = $2 AND e.account = $3";
        let row = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(platform.as_str())
            .bind(account)
            .fetch_optional(conn)
            .await?);
        Ok(row)
    }

    /// The groups of a community on `platform` where Steward has seen
    /// `account` (a membership row, present or past), in id order: where a
    /// new entry for it is applied at once. Elsewhere the account is a
    /// stranger, and the door check bans it if it ever arrives; not queuing
    /// bans there keeps a big list from filling the outbox.
    pub async fn ban_targets(
        &mut self,
        community: CommunityId,
        platform: Platform,
        account: &str,
    ) -> Result<Vec<BanTarget>> {
        let sql = "SELECT g.id, g.platform_id, g.language, ms.role
                   FROM groups g
                   JOIN members m ON m.platform = g.platform AND m.platform_id = $3
                   JOIN memberships ms ON ms.group_id = g.id AND ms.member_id = m.id
                   WHERE g.community_id = $1 AND g.platform = $2
                   ORDER BY g.id";
        let rows: Vec<(i64, String, String, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(community.0)
            .bind(platform.as_str())
            .bind(account)
            .fetch_all(conn)
            .await?);
        rows.into_iter()
            .map(|(id, platform_id, language, role)| {
                Ok(BanTarget {
                    group: GroupId(id),
                    platform,
                    platform_id,
                    language: language.parse().map_err(|e| corrupt("groups", e))?,
                    role: GroupRole::parse(&role),
                })
            })
            .collect()
    }

    /// The entries that came through a subscription.
    pub async fn subscription_entries(&mut self, subscription: i64) -> Result<Vec<BanEntry>> {
        let sql = select_entries!("WHERE subscription_id = $1 ORDER BY id");
        let rows: Vec<EntryRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(subscription)
            .fetch_all(conn)
            .await?);
        rows.into_iter().map(entry).collect()
    }

    /// Removes an entry that came through a subscription, unless it no
    /// longer does (claimed by hand meanwhile); whether it went.
    pub async fn delete_subscription_entry(&mut self, subscription: i64, id: i64) -> Result<bool> {
        let sql = "DELETE FROM ban_list_entries WHERE id = $1 AND subscription_id = $2";
        let gone = on_tx!(self, conn => sqlx::query(sql)
            .bind(id)
            .bind(subscription)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(gone > 0)
    }

    /// Notes a fetch of a subscription: when, and why it failed (`None`:
    /// it worked).
    pub async fn record_subscription_sync(
        &mut self,
        subscription: i64,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<()> {
        let sql = "UPDATE ban_list_subscriptions
                   SET last_sync_at = $2, last_error = $3,
                       last_success_at = CASE WHEN $3 IS NULL THEN $2 ELSE last_success_at END
                   WHERE id = $1";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(subscription)
            .bind(to_millis(at))
            .bind(error)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Removes a subscription and the entries that came through it; whether
    /// it existed in that community.
    pub async fn delete_subscription(
        &mut self,
        community: CommunityId,
        subscription: i64,
    ) -> Result<bool> {
        let entries =
            "DELETE FROM ban_list_entries WHERE community_id = $1 AND subscription_id = $2";
        on_tx!(self, conn => sqlx::query(entries)
            .bind(community.0)
            .bind(subscription)
            .execute(conn)
            .await?
            .rows_affected());
        let sql = "DELETE FROM ban_list_subscriptions WHERE community_id = $1 AND id = $2";
        let gone = on_tx!(self, conn => sqlx::query(sql)
            .bind(community.0)
            .bind(subscription)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(gone > 0)
    }
}

impl Store {
    /// Every community with the size of its list, by name.
    pub async fn communities(&self) -> Result<Vec<CommunitySummary>> {
        let sql = "SELECT c.id, c.name,
                          (SELECT COUNT(*) FROM groups g WHERE g.community_id = c.id),
                          (SELECT COUNT(*) FROM ban_list_entries e WHERE e.community_id = c.id),
                          (SELECT COUNT(*) FROM ban_list_subscriptions s WHERE s.community_id = c.id)
                   FROM communities c ORDER BY c.name, c.id";
        let rows: Vec<(i64, String, i64, i64, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, name, groups, entries, subscriptions)| CommunitySummary {
                    community: Community {
                        id: CommunityId(id),
                        name,
                    },
                    groups,
                    entries,
                    subscriptions,
                },
            )
            .collect())
    }

    /// The community with this id (digits) or, failing that, this name.
    pub async fn find_community(&self, key: &str) -> Result<Option<Community>> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>() {
            let sql = "SELECT id, name FROM communities WHERE id = $1";
            let row: Option<(i64, String)> =
                on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
            if let Some((id, name)) = row {
                return Ok(Some(Community {
                    id: CommunityId(id),
                    name,
                }));
            }
        }
        let sql = "SELECT id, name FROM communities WHERE name = $1";
        let row: Option<(i64, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(key).fetch_optional(pool).await?);
        Ok(row.map(|(id, name)| Community {
            id: CommunityId(id),
            name,
        }))
    }

    /// A community's list, newest first; `search` (when given) must occur
    /// in the account or the reason, ignoring case.
    ///
    /// SQLite's `LOWER` folds ASCII letters only, so on SQLite a reason in
    /// Cyrillic (or any other script with cases) matches case-insensitively
    /// only in ASCII; the as-typed pattern (`$4`) finds it when typed in the
    /// same case, and scripts without case (Chinese) always.
    pub async fn ban_entries(
        &self,
        community: CommunityId,
        search: Option<&str>,
        limit: i64,
    ) -> Result<Vec<BanEntry>> {
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let pattern = search.map(contains_pattern);
        let typed = search.map(literal_pattern);
        let sql = select_entries!(
            "WHERE community_id = $1
               AND ($2 IS NULL
                    OR LOWER(account) LIKE $2 ESCAPE '\\' OR LOWER(reason) LIKE $2 ESCAPE '\\'
                    OR account LIKE $4 ESCAPE '\\' OR reason LIKE $4 ESCAPE '\\')
             ORDER BY added_at DESC, id DESC
             LIMIT $3"
        );
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(community.0)
            .bind(pattern)
            .bind(limit)
            .bind(typed)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(entry).collect()
    }

    /// A community's whole list, oldest first (for export).
    pub async fn all_ban_entries(&self, community: CommunityId) -> Result<Vec<BanEntry>> {
        let sql = select_entries!("WHERE community_id = $1 ORDER BY added_at, id");
        let rows: Vec<EntryRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(community.0)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(entry).collect()
    }

    /// Subscribes a community to another Steward's list; `None` when it
    /// already follows that URL.
    pub async fn add_subscription(
        &self,
        community: CommunityId,
        url: &str,
        token: &str,
        created_by: &str,
        at: Timestamp,
    ) -> Result<Option<i64>> {
        let sql =
            "INSERT INTO ban_list_subscriptions (community_id, url, token, created_by, created_at)
                   VALUES ($1, $2, $3, $4, $5)
                   ON CONFLICT (community_id, url) DO NOTHING
                   RETURNING id";
        let id = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(community.0)
            .bind(url)
            .bind(token)
            .bind(created_by)
            .bind(to_millis(at))
            .fetch_optional(pool)
            .await?);
        Ok(id)
    }

    /// The subscriptions of one community, or of all, in id order.
    pub async fn subscriptions(&self, community: Option<CommunityId>) -> Result<Vec<Subscription>> {
        let sql = select_subscriptions!("WHERE $1 IS NULL OR s.community_id = $1 ORDER BY s.id");
        let rows: Vec<SubscriptionRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(community.map(|c| c.0))
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(subscription).collect())
    }

    /// One subscription.
    pub async fn subscription(&self, id: i64) -> Result<Option<Subscription>> {
        let sql = select_subscriptions!("WHERE s.id = $1");
        let row: Option<SubscriptionRow> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await?);
        Ok(row.map(subscription))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::both_backends;

    both_backends!(
        entries_merge_and_reach_the_door,
        |store: Store| async move {
            let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
            let acme = store.ensure_community("Acme", now).await.unwrap();
            let other = store.ensure_community("Other", now).await.unwrap();
            let mut tx = store.begin().await.unwrap();
            let (g1, _) = tx
                .upsert_group(Platform::Telegram, "-1", Some("One"), Lang::En, now)
                .await
                .unwrap();
            let (g2, _) = tx
                .upsert_group(Platform::Telegram, "-2", Some("Two"), Lang::Ru, now)
                .await
                .unwrap();
            let (g3, _) = tx
                .upsert_group(Platform::Onebot, "3", Some("Three"), Lang::Zh, now)
                .await
                .unwrap();
            tx.commit().await.unwrap();
            for g in [g1, g2, g3] {
                store
                    .configure_group(g, Some(acme), Lang::En)
                    .await
                    .unwrap();
            }
            let new = |account: &'static str, source| NewBanEntry {
                platform: Platform::Telegram,
                account,
                reason: "Spam_bot 100%",
                added_by: "user:ann",
                added_at: now,
                source,
                subscription: None,
            };
            let mut tx = store.begin().await.unwrap();
            let first = tx
                .insert_ban_entry(acme, &new("42", BanSource::Local))
                .await
                .unwrap();
            assert!(first.is_some());
            assert_eq!(
                tx.insert_ban_entry(acme, &new("42", BanSource::Import))
                    .await
                    .unwrap(),
                None
            );
            assert!(
                tx.insert_ban_entry(other, &new("42", BanSource::Import))
                    .await
                    .unwrap()
                    .is_some()
            );
            let door = tx
                .ban_entry_at_door(g2, Platform::Telegram, "42")
                .await
                .unwrap();
            assert_eq!(door, Some((first.unwrap(), "Spam_bot 100%".to_owned())));
            assert_eq!(
                tx.ban_entry_at_door(g2, Platform::Telegram, "43")
                    .await
                    .unwrap(),
                None
            );
            // A stranger everywhere: nothing to ban at once (the door does).
            assert!(
                tx.ban_targets(acme, Platform::Telegram, "42")
                    .await
                    .unwrap()
                    .is_empty()
            );
            // Seen in g2 only (and as an admin): that group alone.
            let member = tx
                .insert_member(Platform::Telegram, "42", None, None, false, now)
                .await
                .unwrap();
            tx.set_group_role(g2, member, GroupRole::Admin)
                .await
                .unwrap();
            let targets = tx
                .ban_targets(acme, Platform::Telegram, "42")
                .await
                .unwrap();
            let groups: Vec<(GroupId, GroupRole)> =
                targets.iter().map(|t| (t.group, t.role)).collect();
            assert_eq!(groups, [(g2, GroupRole::Admin)]);
            tx.commit().await.unwrap();

            let found = store.ban_entries(acme, Some("100%"), 10).await.unwrap();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].source, BanSource::Local);
            assert!(
                store
                    .ban_entries(acme, Some("x_y"), 10)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert_eq!(store.all_ban_entries(acme).await.unwrap().len(), 1);

            // Reasons in other scripts are found on both backends.
            let mut tx = store.begin().await.unwrap();
            for (account, reason) in [("7001", "Спам про крипту"), ("7002", "广告机器人")]
            {
                tx.insert_ban_entry(
                    acme,
                    &NewBanEntry {
                        reason,
                        ..new(account, BanSource::Import)
                    },
                )
                .await
                .unwrap();
            }
            tx.commit().await.unwrap();
            for (query, account) in [("Спам", "7001"), ("крипту", "7001"), ("广告", "7002")]
            {
                let found = store.ban_entries(acme, Some(query), 10).await.unwrap();
                let accounts: Vec<&str> = found.iter().map(|e| e.account.as_str()).collect();
                assert_eq!(accounts, [account], "{query}");
            }
            let mut tx = store.begin().await.unwrap();
            for account in ["7001", "7002"] {
                let id = tx
                    .find_ban_entry(acme, Platform::Telegram, account)
                    .await
                    .unwrap()
                    .unwrap()
                    .id;
                tx.delete_ban_entry(acme, id).await.unwrap();
            }
            tx.commit().await.unwrap();
            let summary = store.communities().await.unwrap();
            assert_eq!(summary[0].community.name, "Acme");
            assert_eq!((summary[0].groups, summary[0].entries), (3, 1));
            assert_eq!(
                store.find_community("Other").await.unwrap().unwrap().id,
                other
            );
            assert_eq!(
                store
                    .find_community(&acme.0.to_string())
                    .await
                    .unwrap()
                    .unwrap()
                    .name,
                "Acme"
            );
            assert!(store.find_community("nope").await.unwrap().is_none());

            let mut tx = store.begin().await.unwrap();
            let gone = tx
                .delete_ban_entry(acme, first.unwrap())
                .await
                .unwrap()
                .unwrap();
            assert_eq!(gone.account, "42");
            assert!(
                tx.delete_ban_entry(acme, first.unwrap())
                    .await
                    .unwrap()
                    .is_none()
            );
            tx.commit().await.unwrap();
        }
    );

    both_backends!(
        subscriptions_keep_their_entries,
        |store: Store| async move {
            let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
            let acme = store.ensure_community("Acme", now).await.unwrap();
            let sub = store
                .add_subscription(acme, "http://x/list", "stw_1", "user:ann", now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                store
                    .add_subscription(acme, "http://x/list", "", "user:ann", now)
                    .await
                    .unwrap(),
                None
            );
            let mut tx = store.begin().await.unwrap();
            tx.insert_ban_entry(
                acme,
                &NewBanEntry {
                    platform: Platform::Matrix,
                    account: "@spam:example.org",
                    reason: "",
                    added_by: "http://x/list",
                    added_at: now,
                    source: BanSource::Subscription,
                    subscription: Some(sub),
                },
            )
            .await
            .unwrap();
            let listed = tx.subscription_entries(sub).await.unwrap();
            assert_eq!(listed.len(), 1);
            tx.record_subscription_sync(sub, now, Some("timed out"))
                .await
                .unwrap();
            tx.commit().await.unwrap();
            let found = store.subscription(sub).await.unwrap().unwrap();
            assert_eq!(found.entries, 1);
            assert_eq!(found.last_error.as_deref(), Some("timed out"));
            assert_eq!(found.last_success_at, None);
            let mut tx = store.begin().await.unwrap();
            tx.record_subscription_sync(sub, now, None).await.unwrap();
            tx.commit().await.unwrap();
            let all = store.subscriptions(None).await.unwrap();
            assert_eq!(all.len(), 1);
            // An entry claimed by hand is no longer the subscription's to drop.
            let mut tx = store.begin().await.unwrap();
            tx.claim_ban_entry(listed[0].id, "mine", "user:ann", now)
                .await
                .unwrap();
            assert!(
                !tx.delete_subscription_entry(sub, listed[0].id)
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
            assert_eq!(all[0].last_success_at, Some(now));
            assert_eq!(all[0].last_error, None);
            let mut tx = store.begin().await.unwrap();
            assert!(tx.delete_subscription(acme, sub).await.unwrap());
            tx.commit().await.unwrap();
            assert_eq!(store.all_ban_entries(acme).await.unwrap().len(), 1);
            assert!(store.subscriptions(Some(acme)).await.unwrap().is_empty());
        }
    );
}
