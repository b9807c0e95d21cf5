//! The store's behaviour, checked on SQLite and PostgreSQL alike.

use chrono::{Duration, TimeZone, Utc};
use steward_core::i18n::Lang;
use steward_core::{Action, ActionId, EventKind, PlannedAction, Platform, Role, Timestamp};
use steward_storage::audit::{AuditFilter, NewAudit};
use steward_storage::events::NewEvent;
use steward_storage::outbox::{NewAction, OutboxStatus};
use steward_storage::violations::NewViolation;
use steward_storage::{Store, both_backends};

fn t(secs: i64) -> Timestamp {
    Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
}

async fn group_and_member(store: &Store) -> (steward_core::GroupId, steward_core::MemberId) {
    let mut tx = store.begin().await.unwrap();
    let (group, lang) = tx
        .upsert_group(Platform::Http, "g1", Some("Rust 学习群"), Lang::Zh, t(0))
        .await
        .unwrap();
    assert_eq!(lang, Lang::Zh);
    let member = tx
        .insert_member(
            Platform::Http,
            "-1001234567890123",
            Some("Alice"),
            None,
            false,
            t(0),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (group, member)
}

both_backends!(
    events_are_deduplicated_by_group_and_platform_id,
    |store: Store| async move {
        let (group, member) = group_and_member(&store).await;
        let event = NewEvent {
            sentiment: None,
            group,
            platform_event_id: "e1",
            kind: EventKind::Message,
            member,
            at: t(1),
            received_at: t(2),
            payload: "{}",
        };
        let mut tx = store.begin().await.unwrap();
        assert!(tx.insert_event(&event).await.unwrap().is_some());
        assert!(tx.insert_event(&event).await.unwrap().is_none());
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(tx.insert_event(&event).await.unwrap().is_none());
        drop(tx);
        assert_eq!(store.count_events().await.unwrap(), 1);
        assert!(store.event_exists(group, "e1").await.unwrap());
        let events = store
            .group_events(group, t(0), steward_core::EventId(0), 10)
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].at, t(1));
    }
);

both_backends!(
    a_rolled_back_transaction_leaves_nothing,
    |store: Store| async move {
        let (group, member) = group_and_member(&store).await;
        let mut tx = store.begin().await.unwrap();
        tx.insert_event(&NewEvent {
            sentiment: None,
            group,
            platform_event_id: "e1",
            kind: EventKind::Message,
            member,
            at: t(1),
            received_at: t(1),
            payload: "{}",
        })
        .await
        .unwrap();
        drop(tx);
        assert_eq!(store.count_events().await.unwrap(), 0);
    }
);

both_backends!(
    groups_keep_titles_names_and_memberships,
    |store: Store| async move {
        let (group, member) = group_and_member(&store).await;
        let mut tx = store.begin().await.unwrap();
        let (again, _) = tx
            .upsert_group(Platform::Http, "g1", None, Lang::En, t(5))
            .await
            .unwrap();
        assert_eq!(again, group);
        tx.rename_member(member, Some("Alice W."), None, t(6))
            .await
            .unwrap();
        tx.record_join(group, member, t(1), None).await.unwrap();
        tx.touch_memberships(&[(group, member, t(7), 3)])
            .await
            .unwrap();
        tx.touch_memberships(&[(group, member, t(4), 2)])
            .await
            .unwrap();
        tx.add_group_messages(group, 5).await.unwrap();
        tx.commit().await.unwrap();
        let groups = store.list_groups().await.unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].group.title.as_deref(), Some("Rust 学习群"));
        assert_eq!(groups[0].message_count, 5);
        assert_eq!(groups[0].member_count, 1);
        let names: Vec<String> = store
            .member_names(member)
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.0)
            .collect();
        assert_eq!(names, ["Alice", "Alice W."]);
        let mut tx = store.begin().await.unwrap();
        let found = tx
            .find_member(Platform::Http, "-1001234567890123")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.name.as_deref(), Some("Alice W."));
        tx.record_leave(group, member, t(9)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.list_groups().await.unwrap()[0].member_count, 0);
        let community = store.ensure_community("Brand", t(0)).await.unwrap();
        assert_eq!(
            store.ensure_community("Brand", t(1)).await.unwrap(),
            community
        );
        store
            .configure_group(group, Some(community), Lang::Ru)
            .await
            .unwrap();
        let listed = &store.list_groups().await.unwrap()[0];
        assert_eq!(listed.community_name.as_deref(), Some("Brand"));
        assert_eq!(listed.group.language, Lang::Ru);
    }
);

both_backends!(
    the_outbox_claims_retries_and_acknowledges,
    |store: Store| async move {
        let (group, _) = group_and_member(&store).await;
        let action = PlannedAction {
            group: "g1".into(),
            action: Action::DeleteMessage {
                message: "m1".into(),
            },
        };
        let mut tx = store.begin().await.unwrap();
        let mut ids = Vec::new();
        for key in ["k1", "k2", "k3"] {
            let id = tx
                .insert_action(&NewAction {
                    platform: Platform::Http,
                    group,
                    event: None,
                    idempotency_key: key,
                    action: &action,
                    at: t(0),
                })
                .await
                .unwrap();
            ids.push(id.unwrap());
        }
        let repeat = NewAction {
            platform: Platform::Http,
            group,
            event: None,
            idempotency_key: "k1",
            action: &action,
            at: t(0),
        };
        assert!(tx.insert_action(&repeat).await.unwrap().is_none());
        tx.commit().await.unwrap();

        let claimed = store
            .claim_due_actions(Platform::Http, t(1), t(31), 2)
            .await
            .unwrap();
        assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), ids[..2]);
        assert_eq!(claimed[0].action, action);
        assert_eq!(claimed[0].attempts, 1);
        // Leased rows are hidden until the lease ends.
        let next = store
            .claim_due_actions(Platform::Http, t(2), t(32), 10)
            .await
            .unwrap();
        assert_eq!(next.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[2]]);
        assert!(
            store
                .claim_due_actions(Platform::Telegram, t(2), t(32), 10)
                .await
                .unwrap()
                .is_empty()
        );
        store.mark_action_done(ids[0], t(3)).await.unwrap();
        store
            .mark_action_retry(ids[1], t(10), "timeout")
            .await
            .unwrap();
        store
            .mark_action_failed(ids[2], t(3), "forbidden")
            .await
            .unwrap();
        let again = store
            .claim_due_actions(Platform::Http, t(10), t(40), 10)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].attempts, 2);
        assert_eq!(again[0].last_error.as_deref(), Some("timeout"));
        assert_eq!(again[0].status, OutboxStatus::Pending);

        let pending = store
            .pending_actions_after(Platform::Http, 0, 10)
            .await
            .unwrap();
        assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[1]]);
        assert!(
            store
                .pending_actions_after(Platform::Http, ids[1].0, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .ack_actions(Platform::Http, &[ids[1], ActionId(999)], t(11))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .ack_actions(Platform::Http, &[ids[1]], t(11))
                .await
                .unwrap(),
            0
        );
        let counts = store.outbox_counts().await.unwrap();
        assert_eq!((counts.pending, counts.done, counts.failed), (0, 2, 1));
    }
);

both_backends!(
    the_pull_api_hands_out_waiting_actions_once_due,
    |store: Store| async move {
        let (group, _) = group_and_member(&store).await;
        let action = PlannedAction {
            group: "g1".into(),
            action: Action::DeleteMessage {
                message: "m1".into(),
            },
        };
        let new = |key| NewAction {
            platform: Platform::Http,
            group,
            event: None,
            idempotency_key: key,
            action: &action,
            at: t(0),
        };
        let mut tx = store.begin().await.unwrap();
        let waiting = tx
            .insert_action_due(&new("later"), t(60))
            .await
            .unwrap()
            .unwrap();
        let now = tx.insert_action(&new("now")).await.unwrap().unwrap();
        tx.commit().await.unwrap();
        let ids = |rows: Vec<steward_storage::outbox::OutboxRow>| {
            rows.iter().map(|r| r.id).collect::<Vec<_>>()
        };
        let early = store
            .due_actions_after(Platform::Http, 0, t(1), 10)
            .await
            .unwrap();
        assert_eq!(ids(early), [now]);
        // The puller moved past the waiting action's id; once due it still
        // comes, and nothing else already seen comes again.
        let later = store
            .due_actions_after(Platform::Http, now.0, t(61), 10)
            .await
            .unwrap();
        assert_eq!(ids(later), [waiting]);
        // Inspection sees both, due or not.
        assert_eq!(
            store
                .pending_actions_after(Platform::Http, 0, 10)
                .await
                .unwrap()
                .len(),
            2
        );
    }
);

both_backends!(the_audit_log_is_append_only, |store: Store| async move {
    let (group, member) = group_and_member(&store).await;
    for (i, action) in ["delete_message", "warn", "user_created"]
        .into_iter()
        .enumerate()
    {
        store
            .insert_audit(&NewAudit {
                at: t(i64::try_from(i).unwrap()),
                actor: if i < 2 {
                    "system".into()
                } else {
                    "user:root".into()
                },
                action: action.into(),
                group: (i < 2).then_some(group),
                member: Some(member),
                rule: Some("ads-zh".into()),
                ladder_step: Some(1),
                ..NewAudit::default()
            })
            .await
            .unwrap();
    }
    let all = store
        .list_audit(&AuditFilter {
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].action, "user_created", "newest first");
    let by_group = store
        .list_audit(&AuditFilter {
            group: Some(group),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_group.len(), 2);
    let by_actor = store
        .list_audit(&AuditFilter {
            actor: Some("system".into()),
            action: Some("warn".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_actor.len(), 1);
    let window = store
        .list_audit(&AuditFilter {
            since: Some(t(1)),
            until: Some(t(2)),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(window.len(), 1);

    let update = match &store {
        Store::Sqlite(pool) => sqlx::query("UPDATE audit_log SET reason = 'x'")
            .execute(pool)
            .await
            .map(drop),
        Store::Postgres(pool) => sqlx::query("UPDATE audit_log SET reason = 'x'")
            .execute(pool)
            .await
            .map(drop),
    };
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = match &store {
        Store::Sqlite(pool) => sqlx::query("DELETE FROM audit_log")
            .execute(pool)
            .await
            .map(drop),
        Store::Postgres(pool) => sqlx::query("DELETE FROM audit_log")
            .execute(pool)
            .await
            .map(drop),
    };
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(store.count_audit().await.unwrap(), 3);
});

both_backends!(violations_expire, |store: Store| async move {
    let (group, member) = group_and_member(&store).await;
    let mut tx = store.begin().await.unwrap();
    for (at, expires) in [(t(0), t(100)), (t(10), t(1000))] {
        tx.insert_violation(&NewViolation {
            group,
            member,
            event: None,
            rule: "ads-en",
            severity: "medium",
            points: 2,
            at,
            expires_at: expires,
        })
        .await
        .unwrap();
    }
    let now = tx.standing(group, member, t(50)).await.unwrap();
    assert_eq!((now.violations, now.points), (2, 4));
    let later = tx.standing(group, member, t(500)).await.unwrap();
    assert_eq!((later.violations, later.points), (1, 2));
    tx.commit().await.unwrap();
});

both_backends!(
    member_records_as_they_were_at_a_time,
    |store: Store| async move {
        let (group, member) = group_and_member(&store).await;
        let mut tx = store.begin().await.unwrap();
        let (other_group, _) = tx
            .upsert_group(Platform::Http, "g2", None, Lang::En, t(0))
            .await
            .unwrap();
        let event = |group, id, kind, at| NewEvent {
            sentiment: None,
            group,
            platform_event_id: id,
            kind,
            member,
            at,
            received_at: at,
            payload: "{}",
        };
        let history = [
            event(group, "j1", EventKind::MemberJoined, t(100)),
            event(group, "m1", EventKind::Message, t(200)),
            event(other_group, "x1", EventKind::Message, t(250)),
            event(group, "m2", EventKind::Message, t(300)),
            event(group, "m3", EventKind::Message, t(400)),
            event(group, "j2", EventKind::MemberJoined, t(1000)),
        ];
        for e in &history {
            tx.insert_event(e).await.unwrap();
        }
        // Today's membership has the second join only.
        tx.record_join(group, member, t(1000), None).await.unwrap();
        tx.insert_violation(&NewViolation {
            group,
            member,
            event: None,
            rule: "ads-en",
            severity: "medium",
            points: 2,
            at: t(300),
            expires_at: t(400),
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let at = async |secs| {
            let r = store
                .member_record_at(group, member, t(secs))
                .await
                .unwrap();
            (r.since, r.messages, r.last_violation)
        };
        // Before any join: since first seen.
        assert_eq!(at(50).await, (Some(t(0)), 0, None));
        // Messages and violations strictly before the time count.
        assert_eq!(at(300).await, (Some(t(100)), 1, None));
        assert_eq!(at(301).await, (Some(t(100)), 2, Some(t(300))));
        assert_eq!(at(999).await, (Some(t(100)), 3, Some(t(300))));
        assert_eq!(at(2000).await, (Some(t(1000)), 3, Some(t(300))));
        let unknown = store
            .member_record_at(group, steward_core::MemberId(999), t(2000))
            .await
            .unwrap();
        assert_eq!((unknown.since, unknown.messages), (None, 0));
    }
);

both_backends!(
    accounts_tokens_sessions_and_setup_links,
    |store: Store| async move {
        let mut tx = store.begin().await.unwrap();
        let owner = tx
            .insert_user("root", Role::Owner, Some("$argon2id$x"), t(0))
            .await
            .unwrap()
            .unwrap();
        assert!(
            tx.insert_user("root", Role::Viewer, None, t(0))
                .await
                .unwrap()
                .is_none()
        );
        tx.insert_token(owner, "hash-1", "ci", t(0)).await.unwrap();
        tx.commit().await.unwrap();
        assert!(store.has_owner().await.unwrap());
        let (user, hash) = store.find_user("root").await.unwrap().unwrap();
        assert_eq!(
            (user.role, hash.as_deref()),
            (Role::Owner, Some("$argon2id$x"))
        );
        assert_eq!(
            store.user_by_token("hash-1").await.unwrap().unwrap().id,
            owner
        );
        assert!(store.user_by_token("hash-2").await.unwrap().is_none());

        store
            .insert_session("s1", owner, "csrf", t(0), t(100))
            .await
            .unwrap();
        assert_eq!(
            store
                .find_session("s1", t(50))
                .await
                .unwrap()
                .unwrap()
                .csrf_token,
            "csrf"
        );
        assert!(store.find_session("s1", t(100)).await.unwrap().is_none());
        assert_eq!(store.delete_user_sessions(owner).await.unwrap(), 1);

        store
            .insert_setup_token("setup", t(0), t(0) + Duration::hours(1))
            .await
            .unwrap();
        let mut tx = store.begin().await.unwrap();
        assert!(tx.consume_setup_token("setup", t(10)).await.unwrap());
        assert!(!tx.consume_setup_token("setup", t(11)).await.unwrap());
        tx.commit().await.unwrap();

        assert_eq!(store.kv_get("offset").await.unwrap(), None);
        store.kv_set("offset", "41").await.unwrap();
        store.kv_set("offset", "42").await.unwrap();
        assert_eq!(store.kv_get("offset").await.unwrap().as_deref(), Some("42"));
    }
);

both_backends!(migrations_can_run_twice, |store: Store| async move {
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
});

both_backends!(
    bulk_inserts_deduplicate_within_and_across_batches,
    |store: Store| async move {
        let (group, member) = group_and_member(&store).await;
        let event = |id: &'static str| NewEvent {
            sentiment: None,
            group,
            platform_event_id: id,
            kind: EventKind::Message,
            member,
            at: t(1),
            received_at: t(1),
            payload: "{}",
        };
        let mut tx = store.begin().await.unwrap();
        let first = tx
            .insert_events(&[event("a"), event("b"), event("a")])
            .await
            .unwrap();
        assert!(first[0].is_some() && first[1].is_some());
        assert_eq!(first[2], None, "a repeat inside the batch is a duplicate");
        let second = tx.insert_events(&[event("b"), event("c")]).await.unwrap();
        assert_eq!(second[0], None);
        assert!(second[1].is_some());
        tx.touch_memberships(&[(group, member, t(5), 2)])
            .await
            .unwrap();
        tx.touch_memberships(&[(group, member, t(3), 1)])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.count_events().await.unwrap(), 3);
    }
);

both_backends!(models_are_stored_as_bytes, |store: Store| async move {
    assert_eq!(store.load_model("spam").await.unwrap(), None);
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    store.save_model("spam", &bytes, t(0)).await.unwrap();
    store.save_model("spam", &bytes[..10], t(1)).await.unwrap();
    assert_eq!(
        store.load_model("spam").await.unwrap().as_deref(),
        Some(&bytes[..10])
    );
});

both_backends!(
    an_invite_works_once_and_a_removed_user_cannot_sign_in,
    |store: Store| async move {
        let now = t(0);
        store
            .insert_invite(
                "h",
                Role::Operator,
                "user:ann",
                now,
                now + Duration::days(1),
            )
            .await
            .unwrap();
        assert_eq!(
            store.invite_role("h", now).await.unwrap(),
            Some(Role::Operator)
        );
        assert_eq!(store.pending_invites(now).await.unwrap().len(), 1);
        let mut tx = store.begin().await.unwrap();
        assert_eq!(
            tx.consume_invite("h", "bob", now).await.unwrap(),
            Some(Role::Operator)
        );
        assert_eq!(tx.consume_invite("h", "eve", now).await.unwrap(), None);
        let bob = tx
            .insert_user("bob", Role::Operator, Some("x"), now)
            .await
            .unwrap()
            .unwrap();
        assert!(tx.set_user_role(bob, Role::Admin).await.unwrap());
        tx.commit().await.unwrap();
        assert_eq!(store.user(bob).await.unwrap().unwrap().role, Role::Admin);
        store
            .insert_session("s", bob, "c", now, now + Duration::days(1))
            .await
            .unwrap();
        store.set_user_language(bob, Some("ru")).await.unwrap();
        assert_eq!(
            store
                .find_session("s", now)
                .await
                .unwrap()
                .unwrap()
                .language
                .as_deref(),
            Some("ru")
        );
        let mut tx = store.begin().await.unwrap();
        assert!(tx.disable_user(bob, now).await.unwrap());
        tx.commit().await.unwrap();
        assert!(store.find_user("bob").await.unwrap().is_none());
        assert!(store.find_session("s", now).await.unwrap().is_none());
        assert!(store.team().await.unwrap().is_empty());
    }
);
