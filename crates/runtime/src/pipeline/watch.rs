//! The analytics timers: the mood watch (危机处理), which tells a group's
//! admins when today's share of negative messages or the complaints opened
//! today are well above the group's own normal (`steward_insights::crisis`),
//! once per kind and day; and scheduled reports, a short summary with a
//! link sent to the admins' chat at the group's chosen hour, once per
//! period.
//!
//! Both run from [`Pipeline::run_timers`], at most once a minute.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, Timelike};
use steward_core::analytics::AlertText;
use steward_core::audit::AuditKind;
use steward_core::{GroupId, Timestamp};
use steward_insights::crisis::{self, DayCount, Rule};
use steward_reports::PeriodKind;
use steward_reports::render::chat_summary;
use steward_storage::audit::NewAudit;
use steward_storage::outbox::NewAction;

use super::analytics::local_day_hour;
use super::{Pipeline, PipelineError};
use crate::reports::{ReportTarget, build_report, report_period};

/// Days of history the mood watch compares today with.
const BASELINE_DAYS: i64 = 14;
/// For how many days after its period a scheduled report is still sent.
const LATE_DAYS: i64 = 2;
/// How often the watch and the report schedule look, at most.
const EVERY: Duration = Duration::seconds(60);

impl Pipeline {
    /// The mood watch and the report schedule, when a minute has passed
    /// since they last looked.
    pub(super) async fn analytics_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        {
            let mut last = self
                .inner
                .analytics_looked
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if last.is_some_and(|at| now - at < EVERY && now >= at) {
                return Ok(0);
            }
            *last = Some(now);
        }
        let mut done = self.watch_mood(now).await?;
        done += self.send_scheduled_reports(now).await?;
        self.compact_old_terms(now).await?;
        Ok(done)
    }

    /// Once a day, drops the terms used in a single message of a day that
    /// is two days old or more (they never make a trend; they are most of
    /// the rows). Days are UTC here, with a margin for every zone.
    async fn compact_old_terms(&self, now: Timestamp) -> Result<(), PipelineError> {
        let today = now.timestamp().div_euclid(86_400);
        {
            let mut last = self
                .inner
                .terms_compacted
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            if *last == Some(today) {
                return Ok(());
            }
            *last = Some(today);
        }
        let mut removed = 0;
        for summary in self.inner.store.list_groups().await? {
            removed += self
                .inner
                .store
                .compact_terms(summary.group.id, today - 9, today - 2)
                .await?;
        }
        tracing::debug!(removed, "compacted the term roll-ups");
        Ok(())
    }

    /// Alerts the admins of every group whose mood or complaints spiked today.
    pub async fn watch_mood(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let today_utc = now.timestamp().div_euclid(86_400);
        let days = self
            .inner
            .store
            .mood_days(today_utc - BASELINE_DAYS - 2)
            .await?;
        let mut by_group: BTreeMap<GroupId, Vec<(i64, DayCount)>> = BTreeMap::new();
        for d in days {
            by_group.entry(d.group).or_default().push((
                d.day,
                DayCount {
                    messages: u64::try_from(d.scored).unwrap_or(0),
                    negative: u64::try_from(d.negative).unwrap_or(0),
                },
            ));
        }
        let mut complaints: HashMap<GroupId, Vec<Timestamp>> = HashMap::new();
        for (group, at) in self
            .inner
            .store
            .complaints_since(now - Duration::days(BASELINE_DAYS + 2))
            .await?
        {
            complaints.entry(group).or_default().push(at);
        }
        let mut groups: Vec<GroupId> = by_group.keys().copied().collect();
        groups.extend(complaints.keys().copied());
        groups.sort_unstable_by_key(|g| g.0);
        groups.dedup();

        let mut done = 0;
        for group in groups {
            let settings = self.settings_outside(group).await?;
            if !settings.reports.alerts || settings.admin_chat.is_none() {
                continue;
            }
            let zone = settings.zone();
            let (today, hour) = local_day_hour(zone, now);
            let mut alerts = Vec::new();
            if let Some(history) = by_group.get(&group) {
                let current = history
                    .iter()
                    .find(|(d, _)| *d == today)
                    .map(|(_, c)| *c)
                    .unwrap_or_default();
                let baseline: Vec<DayCount> = history
                    .iter()
                    .filter(|(d, _)| *d < today && *d >= today - BASELINE_DAYS)
                    .map(|(_, c)| *c)
                    .collect();
                let verdict = crisis::negative_spike(&baseline, current, &Rule::NEGATIVE_SHARE);
                if verdict.is_alert() {
                    alerts.push(("negative_spike", verdict));
                }
            }
            if let Some(opened) = complaints.get(&group) {
                let mut per_day: BTreeMap<i64, u64> = BTreeMap::new();
                for at in opened {
                    *per_day.entry(local_day_hour(zone, *at).0).or_default() += 1;
                }
                let current = per_day.get(&today).copied().unwrap_or(0);
                // Days before the group had any history are not quiet days:
                // a new group has no normal level yet.
                let first_known = by_group
                    .get(&group)
                    .and_then(|h| h.first().map(|(d, _)| *d))
                    .into_iter()
                    .chain(per_day.keys().next().copied())
                    .min()
                    .unwrap_or(today);
                let baseline: Vec<u64> = (first_known.max(today - BASELINE_DAYS)..today)
                    .map(|d| per_day.get(&d).copied().unwrap_or(0))
                    .collect();
                let local = now.with_timezone(&zone.offset_at(now));
                let elapsed = (f64::from(hour) + f64::from(local.minute()) / 60.0 + 1.0) / 24.0;
                let verdict = crisis::complaint_flood(
                    &baseline,
                    current,
                    elapsed.min(1.0),
                    &Rule::COMPLAINTS,
                );
                if verdict.is_alert() {
                    alerts.push(("complaint_flood", verdict));
                }
            }
            if alerts.is_empty() {
                continue;
            }
            let turn = self.inner.write_turn.lock().await;
            let mut tx = self.inner.store.begin().await?;
            let lang = self.group_lang(&mut tx, group).await?;
            let title = tx
                .group_title(group)
                .await?
                .unwrap_or_else(|| format!("#{}", group.0));
            let Some((platform, _)) = tx.group_platform_id(group).await? else {
                continue;
            };
            for (kind, verdict) in alerts {
                let detail = verdict.to_string();
                if !tx.record_alert(group, kind, today, now, &detail).await? {
                    continue;
                }
                let text = if kind == "negative_spike" {
                    AlertText::NegativeSpike {
                        group: &title,
                        share: verdict.current * 100.0,
                        normal: verdict.normal * 100.0,
                        spread: verdict.spread * 100.0,
                        negative: verdict.count,
                        messages: verdict.total,
                    }
                } else {
                    AlertText::ComplaintFlood {
                        group: &title,
                        count: verdict.count,
                        normal: verdict.normal,
                    }
                }
                .render(lang);
                self.tell_admins(
                    &mut tx,
                    platform,
                    &settings,
                    lang,
                    format!("alert:{}:{kind}:{today}", group.0),
                    text,
                    now,
                )
                .await?;
                tx.insert_audit(&NewAudit {
                    at: now,
                    actor: "system".to_owned(),
                    action: AuditKind::MoodAlert.as_str().to_owned(),
                    group: Some(group),
                    target: Some(kind.to_owned()),
                    reason: Some(detail),
                    ..NewAudit::default()
                })
                .await?;
                done += 1;
            }
            tx.commit().await?;
            drop(turn);
        }
        if done > 0 {
            self.wake_delivery();
        }
        Ok(done)
    }

    /// Sends the reports that are due to each group's admins' chat: the
    /// day's, the week's on Mondays, the month's on the first, at the
    /// group's hour, once each.
    pub async fn send_scheduled_reports(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let groups = self.inner.store.list_groups().await?;
        let mut done = 0;
        for summary in groups {
            let group = summary.group.id;
            let settings = self.settings_outside(group).await?;
            let Some(_) = settings.admin_chat.as_deref() else {
                continue;
            };
            let plan = &settings.reports;
            let zone = settings.zone();
            let local = now.with_timezone(&zone.offset_at(now));
            let due = [
                (PeriodKind::Daily, plan.daily),
                (PeriodKind::Weekly, plan.weekly),
                (PeriodKind::Monthly, plan.monthly),
            ];
            for (kind, wanted) in due {
                if !wanted {
                    continue;
                }
                let period = report_period(kind, None, zone, now);
                // Due from the hour on the day the period ended, and for two
                // days after: a Steward that was down on Monday still sends
                // last week's report, once; a new group is not sent a
                // month-old one.
                let today = local.date_naive();
                let early = today == period.end && local.hour() < u32::from(plan.hour);
                if early || today > period.end + Duration::days(LATE_DAYS) {
                    continue;
                }
                let scope = format!("group:{}", group.0);
                let label = period.label();
                if self
                    .inner
                    .store
                    .report_delivered(&scope, kind.as_str(), &label)
                    .await?
                {
                    continue;
                }
                let report = match build_report(
                    &self.inner.store,
                    ReportTarget::Group(group),
                    kind,
                    Some(period.start),
                    now,
                )
                .await
                {
                    Ok(report) => report,
                    Err(err) => {
                        tracing::warn!(group = group.0, error = %err, "cannot build a scheduled report");
                        continue;
                    }
                };
                let link = self.public_url().map(|base| {
                    format!(
                        "{}/reports?scope=group:{}&period={}&at={}",
                        base.trim_end_matches('/'),
                        group.0,
                        kind.as_str(),
                        period.start
                    )
                });
                let text = chat_summary(&report, link.as_deref());
                let turn = self.inner.write_turn.lock().await;
                let mut tx = self.inner.store.begin().await?;
                if tx
                    .record_report_delivery(&scope, kind.as_str(), &label, now)
                    .await?
                {
                    self.tell_admins(
                        &mut tx,
                        summary.group.platform,
                        &settings,
                        summary.group.language,
                        format!("report:{}:{}:{label}", group.0, kind.as_str()),
                        text,
                        now,
                    )
                    .await?;
                    let key = format!("report:{}:{}:{label}:chart", group.0, kind.as_str());
                    queue_report_chart(&mut tx, &summary.group, &settings, &report, &key, now)
                        .await?;
                    tx.insert_audit(&NewAudit {
                        at: now,
                        actor: "system".to_owned(),
                        action: AuditKind::ReportSent.as_str().to_owned(),
                        group: Some(group),
                        target: Some(format!("{}:{label}", kind.as_str())),
                        ..NewAudit::default()
                    })
                    .await?;
                    done += 1;
                }
                tx.commit().await?;
                drop(turn);
            }
        }
        if done > 0 {
            self.wake_delivery();
        }
        Ok(done)
    }

    /// A group's settings read without a transaction: from the cache, or
    /// the store.
    async fn settings_outside(
        &self,
        group: GroupId,
    ) -> Result<std::sync::Arc<steward_core::settings::ChatSettings>, PipelineError> {
        if let Some(found) = self.caches().settings.get(&group) {
            return Ok(found.clone());
        }
        let raw = self.inner.store.group_settings_json(group).await?;
        Ok(self.remember_settings(group, raw.as_deref().unwrap_or("{}")))
    }

    /// The dashboard's public address, for links in messages.
    pub(super) fn public_url(&self) -> Option<String> {
        self.inner
            .public_url
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Sets the dashboard's public address (`server.public_url`), so report
    /// messages link to the dashboard.
    pub fn set_public_url(&self, url: Option<String>) {
        *self
            .inner
            .public_url
            .write()
            .unwrap_or_else(|p| p.into_inner()) = url;
    }
}

/// Queues the messages-per-day chart of `report` for the admins' chat,
/// after its summary, where the platform takes images and there is
/// something to draw. Keyed on its own, so a repeat never sends it twice.
async fn queue_report_chart(
    tx: &mut steward_storage::Tx,
    group: &steward_core::model::Group,
    settings: &steward_core::settings::ChatSettings,
    report: &steward_reports::model::Report,
    key: &str,
    at: Timestamp,
) -> Result<(), PipelineError> {
    use steward_core::{Action, ActionKind, Capabilities, PlannedAction};
    let Some(admin_chat) = settings.admin_chat.as_deref() else {
        return Ok(());
    };
    let images = Capabilities::of_platform(group.platform).supports(ActionKind::SendImage);
    if !images || report.current.messages == 0 {
        return Ok(());
    }
    let png = steward_reports::render::messages_chart_png(report);
    let caption = steward_reports::render::texts::title(report, &report.scope.name);
    let action = match Action::send_image(&png, Some(caption)) {
        Ok(action) if !png.is_empty() => action,
        Ok(_) => return Ok(()),
        Err(err) => {
            tracing::warn!(group = group.id.0, error = %err, "report chart not sent");
            return Ok(());
        }
    };
    let (chat, _) = tx
        .upsert_group(group.platform, admin_chat, None, group.language, at)
        .await?;
    let planned = PlannedAction {
        group: admin_chat.to_owned(),
        action,
    };
    tx.insert_action(&NewAction {
        platform: group.platform,
        group: chat,
        event: None,
        idempotency_key: key,
        action: &planned,
        at,
    })
    .await?;
    Ok(())
}
