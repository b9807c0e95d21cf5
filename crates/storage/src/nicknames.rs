//! Members whose names break their group's nickname rule: reminded and
//! waiting out the grace period, or muted until they fix it. A case is
//! deleted when it closes; the audit log keeps its story.

use steward_core::{GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NicknameStatus {
    /// Reminded; the grace period runs.
    Reminded,
    /// Muted until the name is fixed.
    Restricted,
}

impl NicknameStatus {
    /// The name stored.
    pub fn as_str(self) -> &'static str {
        match self {
            NicknameStatus::Reminded => "reminded",
            NicknameStatus::Restricted => "restricted",
        }
    }

    fn parse(s: &str) -> Result<NicknameStatus> {
        match s {
            "reminded" => Ok(NicknameStatus::Reminded),
            "restricted" => Ok(NicknameStatus::Restricted),
            other => Err(corrupt("nickname_cases", format!("status `{other}`"))),
        }
    }
}

/// An open case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NicknameCase {
    /// The group.
    pub group: GroupId,
    /// The member.
    pub member: MemberId,
    /// The platform.
    pub platform: Platform,
    /// The group's platform id.
    pub group_platform_id: String,
    /// The group's language code.
    pub language: String,
    /// The member's platform id.
    pub member_platform_id: String,
    /// The name found wrong.
    pub name: String,
    /// The member's name as last seen (it may have changed since).
    pub current_name: Option<String>,
    /// When the name was first found wrong.
    pub since: Timestamp,
    /// When the grace period ends.
    pub deadline: Timestamp,
    /// Where it stands.
    pub status: NicknameStatus,
}

macro_rules! select_cases {
    ($where:literal) => {
        concat!(
            "SELECT c.group_id, c.member_id, g.platform, g.platform_id, g.language, m.platform_id,
                    c.name, m.name, c.since, c.deadline, c.status
             FROM nickname_cases c
             JOIN groups g ON g.id = c.group_id JOIN members m ON m.id = c.member_id ",
            $where
        )
    };
}

type CaseRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
);

fn case(row: CaseRow) -> Result<NicknameCase> {
    let (
        group,
        member,
        platform,
        group_pid,
        language,
        member_pid,
        name,
        current,
        since,
        deadline,
        status,
    ) = row;
    Ok(NicknameCase {
        group: GroupId(group),
        member: MemberId(member),
        platform: platform.parse().map_err(|e| corrupt("groups", e))?,
        group_platform_id: group_pid,
        language,
        member_platform_id: member_pid,
        name,
        current_name: current,
        since: from_millis(since),
        deadline: from_millis(deadline),
        status: NicknameStatus::parse(&status)?,
    })
}

impl Tx {
    /// The open case of `member` in `group`.
    pub async fn nickname_case(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<NicknameCase>> {
        let sql = select_cases!("WHERE c.group_id = $1 AND c.member_id = $2");
        let row: Option<CaseRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .fetch_optional(conn)
            .await?);
        row.map(case).transpose()
    }

    /// Opens a case: `name` breaks the rule since `since`; the member is
    /// muted at `deadline` unless fixed. False when one is already open.
    pub async fn open_nickname_case(
        &mut self,
        group: GroupId,
        member: MemberId,
        name: &str,
        since: Timestamp,
        deadline: Timestamp,
    ) -> Result<bool> {
        let sql = "INSERT INTO nickname_cases (group_id, member_id, name, since, deadline, status)
                   VALUES ($1, $2, $3, $4, $5, 'reminded')
                   ON CONFLICT (group_id, member_id) DO NOTHING";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(name)
            .bind(to_millis(since))
            .bind(to_millis(deadline))
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Records the (still wrong) name a case is about now, and optionally
    /// a new status.
    pub async fn update_nickname_case(
        &mut self,
        group: GroupId,
        member: MemberId,
        name: &str,
        status: NicknameStatus,
    ) -> Result<()> {
        let sql = "UPDATE nickname_cases SET name = $1, status = $2 WHERE group_id = $3 AND member_id = $4";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(name)
            .bind(status.as_str())
            .bind(group.0)
            .bind(member.0)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Closes a case; returns it as it was, if one was open.
    pub async fn close_nickname_case(
        &mut self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<NicknameCase>> {
        let found = self.nickname_case(group, member).await?;
        if found.is_some() {
            let sql = "DELETE FROM nickname_cases WHERE group_id = $1 AND member_id = $2";
            on_tx!(self, conn => sqlx::query(sql)
                .bind(group.0)
                .bind(member.0)
                .execute(conn)
                .await?
                .rows_affected());
        }
        Ok(found)
    }
}

impl Store {
    /// Cases with something to do at `now`: a grace period over, or a
    /// member seen under another name since. Oldest deadline first.
    pub async fn nickname_cases_due(
        &self,
        now: Timestamp,
        limit: i64,
    ) -> Result<Vec<NicknameCase>> {
        let sql = select_cases!(
            "WHERE (c.status = 'reminded' AND c.deadline <= $1) OR COALESCE(m.name, '') <> c.name
             ORDER BY c.deadline LIMIT $2"
        );
        let rows: Vec<CaseRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(to_millis(now))
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(case).collect()
    }

    /// The open cases of `group`, oldest first.
    pub async fn nickname_cases_of(&self, group: GroupId, limit: i64) -> Result<Vec<NicknameCase>> {
        let sql = select_cases!("WHERE c.group_id = $1 ORDER BY c.since, c.member_id LIMIT $2");
        let rows: Vec<CaseRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.0)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(case).collect()
    }

    /// The open case of `member` in `group`.
    pub async fn nickname_case(
        &self,
        group: GroupId,
        member: MemberId,
    ) -> Result<Option<NicknameCase>> {
        let mut tx = self.begin().await?;
        let found = tx.nickname_case(group, member).await?;
        tx.commit().await?;
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use steward_core::i18n::Lang;

    use super::*;
    use crate::both_backends;

    both_backends!(cases_open_fall_due_and_close, |store: Store| async move {
        let t0 = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
        let mut tx = store.begin().await.unwrap();
        let (group, _) = tx
            .upsert_group(Platform::Telegram, "-1", Some("G"), Lang::Zh, t0)
            .await
            .unwrap();
        let ann = tx
            .insert_member(Platform::Telegram, "7", Some("Ann"), None, false, t0)
            .await
            .unwrap();
        let deadline = t0 + Duration::hours(24);
        assert!(
            tx.open_nickname_case(group, ann, "Ann", t0, deadline)
                .await
                .unwrap()
        );
        assert!(
            !tx.open_nickname_case(group, ann, "Ann", t0, deadline)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();

        assert!(store.nickname_cases_due(t0, 10).await.unwrap().is_empty());
        let due = store.nickname_cases_due(deadline, 10).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].language, "zh");
        assert_eq!(due[0].member_platform_id, "7");
        assert_eq!(due[0].status, NicknameStatus::Reminded);

        let mut tx = store.begin().await.unwrap();
        tx.update_nickname_case(group, ann, "Ann", NicknameStatus::Restricted)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        // Restricted and unchanged: nothing to do until the name changes.
        assert!(
            store
                .nickname_cases_due(deadline, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let mut tx = store.begin().await.unwrap();
        tx.rename_member(ann, Some("Kazan-Ann-IT"), None, deadline)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let due = store.nickname_cases_due(deadline, 10).await.unwrap();
        assert_eq!(due[0].current_name.as_deref(), Some("Kazan-Ann-IT"));
        assert_eq!(store.nickname_cases_of(group, 10).await.unwrap().len(), 1);

        let mut tx = store.begin().await.unwrap();
        let closed = tx.close_nickname_case(group, ann).await.unwrap().unwrap();
        assert_eq!(closed.status, NicknameStatus::Restricted);
        assert!(tx.close_nickname_case(group, ann).await.unwrap().is_none());
        tx.commit().await.unwrap();
        assert!(store.nickname_cases_of(group, 10).await.unwrap().is_empty());
    });
}
