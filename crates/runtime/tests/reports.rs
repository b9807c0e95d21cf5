//! Report figures on small hand-built histories whose right answers are
//! known: messages and active members on the group's local days, joins,
//! leaves, questions and response time, content types, newcomer retention,
//! terms, sentiment, the period before; and a history import run twice that
//! stores and counts everything once. On SQLite and PostgreSQL alike.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use steward_core::i18n::Lang;
use steward_core::settings::ChatSettings;
use steward_core::{GroupId, IncomingEvent, Platform};
use steward_moderation::{Ladder, RuleSet};
use steward_reports::PeriodKind;
use steward_runtime::reports::{ReportTarget, build_report};
use steward_runtime::{GroupSettings, ImportState, Pipeline};
use steward_storage::{Store, both_backends};

const GROUP: &str = "g1";

async fn setup(store: &Store) -> (Pipeline, GroupId) {
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )
    .unwrap();
    let group = pipeline
        .configure_group(
            Platform::Http,
            GROUP,
            Some("Readers"),
            &GroupSettings {
                community: Some("Books".into()),
                language: Lang::En,
                chat: ChatSettings {
                    timezone: Some("+08:00".into()),
                    ..ChatSettings::default()
                },
            },
        )
        .await
        .unwrap();
    (pipeline, group)
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn event(id: &str, member: &str, when: &str, payload: Value) -> IncomingEvent {
    serde_json::from_value(json!({
        "platform": "http",
        "event_id": id,
        "group": {"id": GROUP},
        "member": {"id": member, "name": member},
        "at": when,
        "payload": payload,
    }))
    .unwrap()
}

fn message(id: &str, member: &str, when: &str, text: &str) -> IncomingEvent {
    event(
        id,
        member,
        when,
        json!({"kind": "message", "message": {"id": id, "text": text}}),
    )
}

fn reply(id: &str, member: &str, when: &str, text: &str, to: &str) -> IncomingEvent {
    event(
        id,
        member,
        when,
        json!({"kind": "message", "message": {"id": id, "text": text, "reply_to": to}}),
    )
}

/// The history: the report's week is Monday 2026-11-16 to Sunday 11-22 in
/// UTC+08:00; times below are UTC.
fn history() -> Vec<IncomingEvent> {
    vec![
        // Two joins three weeks before, then two messages the week before.
        message(
            "p1",
            "alice",
            "2026-11-10T02:00:00Z",
            "good morning readers",
        ),
        message(
            "p2",
            "alice",
            "2026-11-10T03:00:00Z",
            "the library opens late",
        ),
        event(
            "j1",
            "frank",
            "2026-11-05T04:00:00Z",
            json!({"kind": "member_joined"}),
        ),
        event(
            "j2",
            "grace",
            "2026-11-06T04:00:00Z",
            json!({"kind": "member_joined"}),
        ),
        // 17:00 UTC on Sunday the 15th is 01:00 on Monday the 16th locally.
        message(
            "c1",
            "alice",
            "2026-11-15T17:00:00Z",
            "How do I join the reading club?",
        ),
        reply(
            "c2",
            "bob",
            "2026-11-15T17:05:00Z",
            "Press the button in the pinned message",
            "c1",
        ),
        event(
            "j3",
            "carol",
            "2026-11-16T02:00:00Z",
            json!({"kind": "member_joined"}),
        ),
        message(
            "c3",
            "carol",
            "2026-11-17T02:00:00Z",
            "my review https://example.org/review",
        ),
        event(
            "c4",
            "dave",
            "2026-11-17T03:00:00Z",
            json!({"kind": "message", "message": {"id": "c4", "attachments": [{"kind": "photo"}]}}),
        ),
        message(
            "c5",
            "bob",
            "2026-11-18T03:00:00Z",
            "Where is the reading club schedule?",
        ),
        message(
            "c6",
            "frank",
            "2026-11-18T04:00:00Z",
            "reading club was great, I love it",
        ),
        message(
            "c7",
            "bob",
            "2026-11-19T04:00:00Z",
            "this is terrible, awful and broken",
        ),
        event(
            "l1",
            "dave",
            "2026-11-20T04:00:00Z",
            json!({"kind": "member_left"}),
        ),
        // 16:30 UTC on Sunday the 22nd is already Monday the 23rd locally.
        message("n1", "alice", "2026-11-22T16:30:00Z", "next week"),
    ]
}

async fn weekly(store: &Store, group: GroupId) -> steward_reports::Report {
    build_report(
        store,
        ReportTarget::Group(group),
        PeriodKind::Weekly,
        Some(NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()),
        at("2026-11-23T12:00:00Z"),
    )
    .await
    .unwrap()
}

both_backends!(
    weekly_figures_follow_their_definitions,
    |store| async move {
        let (pipeline, group) = setup(&store).await;
        for e in history() {
            pipeline.ingest(&[e], Utc::now()).await.unwrap();
        }
        // Term counts wait in memory for the timers; write them now.
        assert!(pipeline.flush_terms().await.unwrap() > 0);
        let report = weekly(&store, group).await;
        let now = &report.current;
        assert_eq!(report.period.label(), "2026-W47");
        assert_eq!(
            now.messages, 7,
            "c1..c7; not p1, p2 (week before) nor n1 (after)"
        );
        assert_eq!(now.active_members, 5, "alice, bob, carol, dave, frank");
        assert_eq!((now.joins, now.leaves, now.net_growth), (1, 1, 0));
        assert_eq!(now.questions.asked, 2);
        assert_eq!(now.questions.answered, 1);
        assert_eq!(now.questions.median_response_seconds, Some(300.0));
        assert_eq!(now.content.links, 1);
        assert_eq!(now.content.media, 1);
        assert_eq!(now.content.text, 5);
        assert_eq!(report.previous.messages, 2);
        assert_eq!(report.previous.joins, 0);
        // frank (joined the 5th) posted on the 18th, late in his second week;
        // grace never did.
        assert_eq!(now.retention.week1_cohort, 2);
        assert_eq!(now.retention.week1_retained, 1);
        assert!(now.sentiment.negative >= 1, "{:?}", now.sentiment);
        assert!(now.sentiment.positive >= 1, "{:?}", now.sentiment);
        assert_eq!(now.sentiment.scored, 6, "every message with text");
        // Days: Monday has alice's question and bob's answer.
        assert_eq!(report.days.len(), 7);
        assert_eq!(report.days[0].messages, 2);
        assert_eq!(report.days[0].active_members, 2);
        assert_eq!(report.days[0].joins, 1);
        // By weekday and hour: Monday 01:00 local holds both.
        assert_eq!(report.hours[0][1], 2);
        assert_eq!(report.hours.iter().flatten().sum::<u64>(), 7);
        let top = &report.top_contributors[0];
        assert_eq!((top.name.as_str(), top.messages), ("bob", 3));
        assert!(
            report
                .top_terms
                .iter()
                .any(|t| t.term.starts_with("club") && t.count == 3),
            "{:?}",
            report.top_terms
        );
        assert!(report.groups.is_empty());

        // The community report of the same week sums its one group.
        let community = build_report(
            &store,
            ReportTarget::Community(
                store.list_groups().await.unwrap()[0]
                    .group
                    .community
                    .unwrap()
                    .0,
            ),
            PeriodKind::Weekly,
            Some(NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()),
            at("2026-11-23T12:00:00Z"),
        )
        .await
        .unwrap();
        assert_eq!(community.scope.name, "Books");
        assert_eq!(community.current.messages, 7);
        assert_eq!(community.groups.len(), 1);
        assert_eq!(community.groups[0].messages, 7);
        assert_eq!(community.groups[0].previous_messages, 2);
    }
);

both_backends!(an_import_run_twice_counts_once, |store| async move {
    let (pipeline, group) = setup(&store).await;
    let events = history();
    let mut state = ImportState::new();
    let first = pipeline
        .import_history(group, &events, &mut state, Utc::now())
        .await
        .unwrap();
    assert_eq!((first.inserted, first.duplicates), (events.len() as u64, 0));
    let imported = weekly(&store, group).await;
    assert_eq!(imported.current.messages, 7);
    assert_eq!(imported.current.questions.answered, 1);
    assert_eq!(imported.current.retention.week1_retained, 1);

    let mut again = ImportState::new();
    let second = pipeline
        .import_history(group, &events, &mut again, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (second.inserted, second.duplicates),
        (0, events.len() as u64)
    );
    assert_eq!(store.count_events().await.unwrap(), events.len() as i64);
    let after = weekly(&store, group).await;
    assert_eq!(after.current, imported.current);
    assert_eq!(after.days, imported.days);

    // Live events after the import are counted on top, once.
    let live = message("c8", "erin", "2026-11-21T04:00:00Z", "hello all");
    pipeline
        .ingest(std::slice::from_ref(&live), Utc::now())
        .await
        .unwrap();
    pipeline.ingest(&[live], Utc::now()).await.unwrap();
    assert_eq!(weekly(&store, group).await.current.messages, 8);
    // History is not acted on: nothing was queued for the group.
    assert!(
        store
            .pending_actions_after(Platform::Http, 0, 100)
            .await
            .unwrap()
            .is_empty()
    );
});

/// `n` messages in the group on the UTC day `day` (2026-11-01 + day), of
/// which `negative` are negative.
fn day_of_talk(day: i64, n: usize, negative: usize) -> Vec<IncomingEvent> {
    let base = at("2026-11-01T08:00:00Z") + chrono::Duration::days(day);
    (0..n)
        .map(|i| {
            let when = (base + chrono::Duration::minutes(i as i64)).to_rfc3339();
            let text = if i < negative {
                "this is terrible, awful and broken, I hate it"
            } else {
                "see you at the meeting at noon"
            };
            message(&format!("d{day}-{i}"), &format!("m{}", i % 7), &when, text)
        })
        .collect()
}

async fn admin_texts(store: &Store) -> Vec<String> {
    store
        .pending_actions_after(Platform::Http, 0, 500)
        .await
        .unwrap()
        .into_iter()
        .filter(|row| row.action.group == "admins")
        .filter_map(|row| match row.action.action {
            steward_core::Action::SendMessage { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

both_backends!(
    the_mood_alert_fires_on_a_spike_not_on_an_ordinary_day,
    |store| async move {
        let store: Store = store;
        let pipeline = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        pipeline
            .configure_group(
                Platform::Http,
                GROUP,
                Some("Readers"),
                &GroupSettings {
                    community: None,
                    language: Lang::En,
                    chat: ChatSettings {
                        admin_chat: Some("admins".into()),
                        ..ChatSettings::default()
                    },
                },
            )
            .await
            .unwrap();
        // Two weeks of ordinary talk: one negative message in twenty.
        for day in 0..14 {
            pipeline
                .ingest(&day_of_talk(day, 20, 1), Utc::now())
                .await
                .unwrap();
        }
        // An ordinary day: no alert.
        pipeline
            .ingest(&day_of_talk(14, 20, 1), Utc::now())
            .await
            .unwrap();
        let evening = at("2026-11-15T20:00:00Z");
        assert_eq!(pipeline.watch_mood(evening).await.unwrap(), 0);
        assert!(admin_texts(&store).await.is_empty());

        // The next day the mood turns: 15 of 25 messages are negative.
        pipeline
            .ingest(&day_of_talk(15, 25, 15), Utc::now())
            .await
            .unwrap();
        let later = at("2026-11-16T20:00:00Z");
        assert_eq!(pipeline.watch_mood(later).await.unwrap(), 1);
        let texts = admin_texts(&store).await;
        assert_eq!(texts.len(), 1, "{texts:?}");
        assert!(texts[0].contains("Mood alert in Readers"), "{}", texts[0]);
        assert!(texts[0].contains("60%"), "{}", texts[0]);
        // Once a day.
        assert_eq!(pipeline.watch_mood(later).await.unwrap(), 0);
        // And it shows in the day's report.
        let report = build_report(
            &store,
            ReportTarget::Group(store.list_groups().await.unwrap()[0].group.id),
            PeriodKind::Daily,
            Some(NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()),
            later,
        )
        .await
        .unwrap();
        assert_eq!(report.alerts.len(), 1);
        assert_eq!(report.alerts[0].kind, "negative_spike");
        assert_eq!(report.current.sentiment.negative, 15);
    }
);

both_backends!(
    scheduled_reports_reach_the_admins_once,
    |store| async move {
        let store: Store = store;
        let pipeline = Pipeline::new(
            store.clone(),
            RuleSet::default_rules(),
            Ladder::default(),
            Lang::En,
        )
        .unwrap();
        pipeline.set_public_url(Some("https://steward.example.org/".into()));
        let group = pipeline
            .configure_group(
                Platform::Http,
                GROUP,
                Some("Readers"),
                &GroupSettings {
                    community: None,
                    language: Lang::En,
                    chat: ChatSettings {
                        admin_chat: Some("admins".into()),
                        ..ChatSettings::default()
                    },
                },
            )
            .await
            .unwrap();
        pipeline
            .ingest(&day_of_talk(9, 20, 1), Utc::now())
            .await
            .unwrap();
        // Monday 2026-11-16, 08:00 UTC: before the hour (09:00), nothing.
        assert_eq!(
            pipeline
                .send_scheduled_reports(at("2026-11-16T08:00:00Z"))
                .await
                .unwrap(),
            0
        );
        // At 09:30 the weekly report on 9–15 November goes out, once.
        let monday = at("2026-11-16T09:30:00Z");
        assert_eq!(pipeline.send_scheduled_reports(monday).await.unwrap(), 1);
        assert_eq!(pipeline.send_scheduled_reports(monday).await.unwrap(), 0);
        let texts = admin_texts(&store).await;
        assert_eq!(texts.len(), 1);
        assert!(texts[0].contains("2026-W46"), "{}", texts[0]);
        assert!(texts[0].contains("20"), "{}", texts[0]);
        assert!(
            texts[0].contains(&format!(
                "https://steward.example.org/reports?scope=group:{}&period=weekly&at=2026-11-09",
                group.0
            )),
            "{}",
            texts[0]
        );
    }
);
