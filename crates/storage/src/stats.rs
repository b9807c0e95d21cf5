//! Activity figures for the dashboard: messages and active members per group
//! and day, pending reviews, and what the group pages read (a group's chat
//! settings, a member by username).
//!
//! Days are UTC days, counted from the Unix epoch (`at / 86_400_000`), so
//! both backends group alike without date functions.

use steward_core::{GroupId, Platform, Timestamp};

use crate::backend::on_pool;
use crate::{Result, Store, to_millis};

/// Milliseconds in a day.
pub const DAY_MILLIS: i64 = 86_400_000;

/// The UTC day (days since the Unix epoch) of a time.
pub fn day_of(at: Timestamp) -> i64 {
    to_millis(at).div_euclid(DAY_MILLIS)
}

/// One group's messages on one UTC day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyActivity {
    /// The group.
    pub group: GroupId,
    /// The UTC day, in days since the Unix epoch (see [`day_of`]).
    pub day: i64,
    /// Messages posted that day.
    pub messages: i64,
    /// Distinct members who posted that day.
    pub active_members: i64,
}

impl Store {
    /// Messages and active members per group and UTC day, for the days from
    /// `first_day` up to and including `last_day` (days as [`day_of`] counts
    /// them). Days without messages are left out.
    pub async fn daily_activity(
        &self,
        first_day: i64,
        last_day: i64,
    ) -> Result<Vec<DailyActivity>> {
        let sql = "SELECT group_id, at / 86400000, COUNT(*), COUNT(DISTINCT member_id)
                   FROM events
                   WHERE kind = 'message' AND at >= $1 AND at < $2
                   GROUP BY group_id, at / 86400000
                   ORDER BY 1, 2";
        let since = first_day.saturating_mul(DAY_MILLIS);
        let until = last_day.saturating_add(1).saturating_mul(DAY_MILLIS);
        let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(since)
            .bind(until)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(|(group, day, messages, active_members)| DailyActivity {
                group: GroupId(group),
                day,
                messages,
                active_members,
            })
            .collect())
    }

    /// Open review items (cases) per group; groups with none are left out.
    pub async fn open_cases_per_group(&self) -> Result<Vec<(GroupId, i64)>> {
        let sql = "SELECT group_id, COUNT(*) FROM cases WHERE status = 'open'
                   GROUP BY group_id ORDER BY group_id";
        let rows: Vec<(i64, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(g, n)| (GroupId(g), n)).collect())
    }

    /// A group's chat settings as stored (JSON); `None` when there is no
    /// such group.
    pub async fn group_settings_json(&self, group: GroupId) -> Result<Option<String>> {
        let sql = "SELECT settings FROM groups WHERE id = $1";
        let settings: Option<String> = on_pool!(self, pool => sqlx::query_scalar(sql).bind(group.0).fetch_optional(pool).await?);
        Ok(settings)
    }

    /// The platform id of the member with this username (without `@`,
    /// compared ignoring case) on a platform, most recently stored first.
    pub async fn platform_id_by_username(
        &self,
        platform: Platform,
        username: &str,
    ) -> Result<Option<String>> {
        let sql = "SELECT platform_id FROM members
                   WHERE platform = $1 AND LOWER(username) = LOWER($2)
                   ORDER BY id DESC LIMIT 1";
        let id: Option<String> = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(platform.as_str())
            .bind(username)
            .fetch_optional(pool)
            .await?);
        Ok(id)
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use steward_core::EventKind;
    use steward_core::i18n::Lang;

    use super::*;
    use crate::both_backends;
    use crate::events::NewEvent;

    both_backends!(activity_is_counted_per_utc_day, |store: Store| async move {
        let day = Utc.with_ymd_and_hms(2025, 3, 10, 0, 0, 0).unwrap();
        let mut tx = store.begin().await.unwrap();
        let (group, _) = tx
            .upsert_group(Platform::Http, "g1", Some("G"), Lang::En, day)
            .await
            .unwrap();
        let ann = tx
            .insert_member(
                Platform::Http,
                "ann",
                Some("Ann"),
                Some("Ann_1"),
                false,
                day,
            )
            .await
            .unwrap();
        let bob = tx
            .insert_member(Platform::Http, "bob", Some("Bob"), None, false, day)
            .await
            .unwrap();
        let events = [
            (ann, Duration::hours(1), EventKind::Message),
            (ann, Duration::hours(2), EventKind::Message),
            (bob, Duration::hours(23), EventKind::Message),
            (bob, Duration::hours(25), EventKind::Message),
            (bob, Duration::hours(26), EventKind::MemberJoined),
            (ann, Duration::days(-1), EventKind::Message),
        ];
        for (i, (member, offset, kind)) in events.into_iter().enumerate() {
            let id = format!("e{i}");
            tx.insert_event(&NewEvent {
                sentiment: None,
                group,
                platform_event_id: &id,
                kind,
                member,
                at: day + offset,
                received_at: day + offset,
                payload: "{}",
            })
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();

        let first = day_of(day);
        let rows = store.daily_activity(first, first + 1).await.unwrap();
        assert_eq!(
            rows,
            vec![
                DailyActivity {
                    group,
                    day: first,
                    messages: 3,
                    active_members: 2
                },
                DailyActivity {
                    group,
                    day: first + 1,
                    messages: 1,
                    active_members: 1
                },
            ]
        );
        let all = store.daily_activity(first - 1, first - 1).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].messages, 1);

        assert!(store.open_cases_per_group().await.unwrap().is_empty());
        assert_eq!(
            store.group_settings_json(group).await.unwrap().as_deref(),
            Some("{}")
        );
        assert_eq!(
            store.group_settings_json(GroupId(9999)).await.unwrap(),
            None
        );
        assert_eq!(
            store
                .platform_id_by_username(Platform::Http, "ann_1")
                .await
                .unwrap()
                .as_deref(),
            Some("ann")
        );
        assert_eq!(
            store
                .platform_id_by_username(Platform::Http, "nobody")
                .await
                .unwrap(),
            None
        );
    });
}
