//! Backtests judge trust as it was when each event happened, not as it is
//! today. Run on SQLite and PostgreSQL alike.

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use steward_core::i18n::Lang;
use steward_core::{EventKind, GroupId, MemberId, Platform, Timestamp};
use steward_moderation::{Ladder, Rule, RuleKind, RuleSet, Severity, TrustLevel};
use steward_runtime::backtest;
use steward_storage::events::NewEvent;
use steward_storage::violations::NewViolation;
use steward_storage::{Store, both_backends};

/// Day `day` of the made-up history, at `minute` past midnight.
fn day(day: i64, minute: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
        + Duration::days(day)
        + Duration::minutes(minute)
}

/// Writes what live ingest would have: the events, joins and counts.
struct History {
    store: Store,
    group: GroupId,
    next: u32,
}

impl History {
    async fn new(store: &Store) -> History {
        let mut tx = store.begin().await.unwrap();
        let (group, _) = tx
            .upsert_group(Platform::Http, "g1", None, Lang::En, day(0, 0))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        History {
            store: store.clone(),
            group,
            next: 0,
        }
    }

    async fn member(&self, id: &str) -> MemberId {
        let mut tx = self.store.begin().await.unwrap();
        let member = tx
            .insert_member(Platform::Http, id, None, None, false, day(0, 0))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        member
    }

    async fn event(&mut self, member: MemberId, who: &str, at: Timestamp, text: Option<&str>) {
        self.next += 1;
        let id = format!("e{}", self.next);
        let (kind, payload) = match text {
            Some(text) => (
                EventKind::Message,
                json!({"kind": "message", "message": {"id": id, "text": text}}),
            ),
            None => (EventKind::MemberJoined, json!({"kind": "member_joined"})),
        };
        let event = json!({
            "platform": "http",
            "event_id": id,
            "group": {"id": "g1"},
            "member": {"id": who},
            "at": at,
            "payload": payload,
        })
        .to_string();
        let mut tx = self.store.begin().await.unwrap();
        tx.insert_event(&NewEvent {
            sentiment: None,
            group: self.group,
            platform_event_id: &id,
            kind,
            member,
            at,
            received_at: at,
            payload: &event,
        })
        .await
        .unwrap();
        match text {
            Some(_) => tx
                .touch_memberships(&[(self.group, member, at, 1)])
                .await
                .unwrap(),
            None => tx.record_join(self.group, member, at, None).await.unwrap(),
        }
        tx.commit().await.unwrap();
    }

    /// A join on day `first`, then `n` ordinary messages, eight hours
    /// apart (too far apart for the flood and repeat rules).
    async fn regular(&mut self, member: MemberId, who: &str, first: i64, n: i64) {
        self.event(member, who, day(first, 0), None).await;
        for i in 0..n {
            let at = day(first, 60) + Duration::hours(8 * i);
            self.event(member, who, at, Some("good morning everyone"))
                .await;
        }
    }
}

both_backends!(
    trust_is_judged_as_it_was_at_the_time,
    |store: Store| async move {
        let mut history = History::new(&store).await;
        // A regular since day 0, trusted (member level) by day 25.
        let regular = history.member("regular").await;
        history.regular(regular, "regular", 0, 60).await;
        // A newcomer who spams on day 25, then stays and becomes a regular
        // by today.
        let newcomer = history.member("newcomer").await;
        history.event(newcomer, "newcomer", day(24, 0), None).await;
        // An old hand with a violation five days before their hit: not yet
        // clean for 30 days then, long clean today.
        let warned = history.member("warned").await;
        history.regular(warned, "warned", 0, 60).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_violation(&NewViolation {
            group: history.group,
            member: warned,
            event: None,
            rule: "ads",
            severity: "medium",
            points: 2,
            at: day(20, 0),
            expires_at: day(27, 0),
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        for (member, who) in [
            (regular, "regular"),
            (newcomer, "newcomer"),
            (warned, "warned"),
        ] {
            let at = day(25, 600);
            history
                .event(member, who, at, Some("crypto airdrop, claim now"))
                .await;
            // A second hit the same day reads the cached trust.
            let at = day(25, 700);
            history
                .event(member, who, at, Some("claim your airdrop"))
                .await;
        }
        // The newcomer's later life: many messages, long ago by today.
        history.regular(newcomer, "newcomer", 30, 60).await;

        // Today, all three are trusted.
        for member in [regular, newcomer, warned] {
            let mut tx = store.begin().await.unwrap();
            let record = tx.member_record(history.group, member).await.unwrap();
            drop(tx);
            let inputs = steward_moderation::TrustInputs {
                since: record.since,
                messages: record.messages,
                last_violation: record.last_violation,
                is_admin: false,
            };
            assert!(TrustLevel::of(&inputs, Utc::now()) >= TrustLevel::Member);
        }

        // `airdrop` spares members from level `member`; `claim` spares
        // no one but admins.
        let rules = RuleSet {
            rules: vec![
                Rule {
                    spare_from: TrustLevel::Member,
                    ..Rule::new(
                        "airdrop",
                        "d",
                        Severity::Low,
                        RuleKind::keywords(["airdrop"]),
                    )
                },
                Rule::new("claim", "d", Severity::Low, RuleKind::keywords(["claim"])),
            ],
            behaviour: Default::default(),
        };
        let engine = steward_moderation::Engine::compile(&rules).unwrap();
        let report = backtest(
            &store,
            &engine,
            &Ladder::default(),
            history.group,
            day(0, 0),
            |_| {},
        )
        .await
        .unwrap();
        // On day 25 only the regular was trusted: their two airdrop hits
        // are spared, their two claim hits fall on a trusted member. The
        // newcomer (a day in the group) and the warned member (a violation
        // five days before) were not trusted then, whatever they are today.
        assert_eq!(report.spared, 2, "{report:?}");
        assert_eq!(report.hits_on_trusted, 2, "{report:?}");
        assert_eq!(report.by_rule["airdrop"], 4, "{report:?}");
        assert_eq!(report.by_rule["claim"], 6, "{report:?}");
    }
);
