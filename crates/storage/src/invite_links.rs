//! Invite links Steward created on a platform, with what each is for and
//! whose it is, so a join through one can be credited.

use steward_core::{ActionId, GroupId, MemberId, Platform, Timestamp};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, from_millis, to_millis};

/// A link to record.
#[derive(Debug, Clone)]
pub struct NewInviteLink<'a> {
    /// The platform.
    pub platform: Platform,
    /// The group the link leads to.
    pub group: GroupId,
    /// The link, as the platform gave it.
    pub link: &'a str,
    /// The label kept with it on the platform.
    pub name: &'a str,
    /// What it is for: `referral`, `reinvite`, ...
    pub purpose: &'a str,
    /// The member it belongs to, when personal.
    pub member: Option<MemberId>,
    /// The outbox action that created it.
    pub action: Option<ActionId>,
    /// When it was created.
    pub at: Timestamp,
    /// When it stops working.
    pub expires: Option<Timestamp>,
}

/// A recorded link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteLink {
    /// Its id.
    pub id: i64,
    /// The platform.
    pub platform: Platform,
    /// The group it leads to.
    pub group: GroupId,
    /// The link.
    pub link: String,
    /// The label kept with it on the platform.
    pub name: String,
    /// What it is for.
    pub purpose: String,
    /// The member it belongs to.
    pub member: Option<MemberId>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Option<Timestamp>,
}

macro_rules! select_links {
    ($where:literal) => {
        concat!(
            "SELECT id, platform, group_id, link, name, purpose, member_id, created_at, expires_at
             FROM invite_links ",
            $where
        )
    };
}

type LinkRow = (
    i64,
    String,
    i64,
    String,
    String,
    String,
    Option<i64>,
    i64,
    Option<i64>,
);

fn link(row: LinkRow) -> Result<InviteLink> {
    let (id, platform, group, link, name, purpose, member, created, expires) = row;
    Ok(InviteLink {
        id,
        platform: platform.parse().map_err(|e| corrupt("invite_links", e))?,
        group: GroupId(group),
        link,
        name,
        purpose,
        member: member.map(MemberId),
        created_at: from_millis(created),
        expires_at: expires.map(from_millis),
    })
}

impl Store {
    /// Records a link the platform created; a link already known is kept
    /// as it was. Returns its id.
    pub async fn record_invite_link(&self, new: &NewInviteLink<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.record_invite_link(new).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The link with this exact text on `platform`.
    pub async fn invite_link(
        &self,
        platform: Platform,
        link_text: &str,
    ) -> Result<Option<InviteLink>> {
        let sql = select_links!("WHERE platform = $1 AND link = $2");
        let row: Option<LinkRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(link_text)
            .fetch_optional(pool)
            .await?);
        row.map(link).transpose()
    }

    /// The links of `member` in `group` made for `purpose`, newest first.
    pub async fn invite_links_of(
        &self,
        group: GroupId,
        member: MemberId,
        purpose: &str,
    ) -> Result<Vec<InviteLink>> {
        let sql = select_links!(
            "WHERE group_id = $1 AND member_id = $2 AND purpose = $3 ORDER BY id DESC"
        );
        let rows: Vec<LinkRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(group.0)
            .bind(member.0)
            .bind(purpose)
            .fetch_all(pool)
            .await?);
        rows.into_iter().map(link).collect()
    }
}

impl Tx {
    /// Records a link in this transaction; see [`Store::record_invite_link`].
    pub async fn record_invite_link(&mut self, new: &NewInviteLink<'_>) -> Result<i64> {
        let insert = "INSERT INTO invite_links
                        (platform, group_id, link, name, purpose, member_id, action_id, created_at, expires_at)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                      ON CONFLICT (platform, link) DO NOTHING";
        on_tx!(self, conn => sqlx::query(insert)
            .bind(new.platform.as_str())
            .bind(new.group.0)
            .bind(new.link)
            .bind(new.name)
            .bind(new.purpose)
            .bind(new.member.map(|m| m.0))
            .bind(new.action.map(|a| a.0))
            .bind(to_millis(new.at))
            .bind(new.expires.map(to_millis))
            .execute(conn)
            .await?
            .rows_affected());
        let sql = "SELECT id FROM invite_links WHERE platform = $1 AND link = $2";
        let id: i64 = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(new.platform.as_str())
            .bind(new.link)
            .fetch_one(conn)
            .await?);
        Ok(id)
    }

    /// The link with this exact text on `platform`, read in this transaction
    /// (a join is credited inside the ingest transaction).
    pub async fn invite_link(
        &mut self,
        platform: Platform,
        link_text: &str,
    ) -> Result<Option<InviteLink>> {
        let sql = select_links!("WHERE platform = $1 AND link = $2");
        let row: Option<LinkRow> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(platform.as_str())
            .bind(link_text)
            .fetch_optional(conn)
            .await?);
        row.map(link).transpose()
    }
}
