//! The sections of the rules page: the rule list, the behaviour limits,
//! the penalty ladder, the test box with its verdict, the history.

use maud::{Markup, html};
use steward_moderation::{BehaviourRules, Ladder, Penalty, RuleSet, Verdict};
use steward_storage::rule_versions::RuleVersion;

use super::super::page::{Dash, when};
use super::{
    edit, evidence, fields, kind_label, mode_tag, rule_href, rule_json, severity_tag, str_field,
    windows,
};

pub(super) fn rule_table(dash: &Dash, rule_set: &RuleSet) -> Markup {
    if rule_set.rules.is_empty() {
        return html! { p.muted { (dash.t("rules-none")) } };
    }
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("rules-field-id")) }
                        th scope="col" { (dash.t("rules-field-type")) }
                        th scope="col" { (dash.t("rules-field-description")) }
                        th scope="col" { (dash.t("rules-field-severity")) }
                        th scope="col" { (dash.t("rules-field-mode")) }
                        th scope="col" .hide-narrow { (dash.t("rules-field-spare-from")) }
                        th scope="col" { (dash.t("actions")) }
                    }
                }
                tbody {
                    @for rule in &rule_set.rules {
                        @let json = rule_json(rule);
                        tr {
                            td { a href=(rule_href(&rule.id)) { code { (rule.id) } } }
                            td { (kind_label(dash, str_field(&json, "type"))) }
                            td { (rule.description) }
                            td { (severity_tag(dash, str_field(&json, "severity"))) }
                            td { (mode_tag(dash, str_field(&json, "mode"))) }
                            td.hide-narrow {
                                (fields::value_label(dash, str_field(&json, "spare_from")))
                                @let below = str_field(&json, "only_below");
                                @if !below.is_empty() {
                                    br;
                                    span.muted { (dash.ta("rules-only-below", &[("level", fields::value_label(dash, below).into())])) }
                                }
                            }
                            td {
                                a href=(rule_href(&rule.id)) { (dash.t("rules-edit")) }
                                " "
                                (edit::delete_form(dash, &rule.id))
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn behaviour_table(dash: &Dash, behaviour: &BehaviourRules) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("rules-behaviour-rule")) }
                        th scope="col" { (dash.t("rules-behaviour-limit")) }
                        th scope="col" { (dash.t("rules-field-severity")) }
                    }
                }
                tbody {
                    @for (name, window) in windows(behaviour) {
                        tr {
                            th scope="row" { (dash.t(&format!("rules-field-{name}"))) }
                            @match window.filter(|w| w.count > 0) {
                                Some(window) => {
                                    td { (dash.ta("rules-window", &[("count", window.count.into()), ("seconds", window.seconds.into())])) }
                                    td { (severity_tag(dash, window.severity.as_str())) }
                                }
                                None => {
                                    td colspan="2" { span.muted { (dash.t("rules-off")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn penalty_text(dash: &Dash, penalty: Penalty) -> String {
    match penalty {
        Penalty::Warn => dash.t("rules-penalty-warn"),
        Penalty::Mute { minutes } => dash.ta("rules-penalty-mute", &[("minutes", minutes.into())]),
        Penalty::Kick => dash.t("rules-penalty-kick"),
        Penalty::Ban {
            minutes: Some(minutes),
        } => dash.ta("rules-penalty-ban-for", &[("minutes", minutes.into())]),
        Penalty::Ban { minutes: None } => dash.t("rules-penalty-ban"),
    }
}

pub(super) fn ladder_table(dash: &Dash, ladder: &Ladder) -> Markup {
    html! {
        p.muted { (dash.t("rules-ladder-intro")) }
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("rules-ladder-step")) }
                        th scope="col" { (dash.t("rules-ladder-penalty")) }
                    }
                }
                tbody {
                    @for (n, step) in ladder.steps.iter().enumerate() {
                        tr {
                            td { (n + 1) }
                            td { (penalty_text(dash, step.penalty)) }
                        }
                    }
                }
            }
        }
        p {
            (dash.ta("rules-ladder-expiry", &[("hours", ladder.points_expire_after_hours.into())]))
            @if ladder.silent {
                " " (dash.t("rules-ladder-silent"))
            }
        }
    }
}

pub(super) fn test_box(dash: &Dash, test: Option<&(String, Verdict)>) -> Markup {
    let text = test.map_or("", |(text, _)| text.as_str());
    html! {
        form.stack method="post" action="/rules/test#rules-test" {
            (dash.csrf_field())
            label for="test-text" { (dash.t("rules-test-label")) }
            textarea #test-text name="text" rows="4" required { (text) }
            button type="submit" { (dash.t("rules-test-run")) }
        }
        @if let Some((text, verdict)) = test {
            div #test-result {
                h3 { (dash.t("rules-test-result")) }
                @if !verdict.has_hits() {
                    p.notice role="status" { (dash.t("rules-test-clean")) }
                } @else {
                    p.notice role="status" {
                        @if verdict.is_violation() {
                            (dash.ta("rules-test-violation", &[("count", verdict.hits.len().into())]))
                        } @else {
                            (dash.ta("rules-test-shadow-only", &[("count", verdict.hits.len().into())]))
                        }
                    }
                    @for hit in &verdict.hits {
                        @let mode = serde_json::to_value(hit.mode).ok();
                        @let mode = mode.as_ref().and_then(|m| m.as_str()).unwrap_or_default();
                        article {
                            h4 {
                                code { (hit.rule) } " "
                                (severity_tag(dash, hit.severity.as_str())) " "
                                (mode_tag(dash, mode))
                            }
                            p.muted { (hit.description) }
                            @if hit.evidence.is_empty() {
                                p { (dash.t("rules-test-found")) " " (hit.normalized.join(", ")) }
                            } @else {
                                div.evidence { (evidence::highlight(text, &hit.evidence)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn history_table(dash: &Dash, versions: &[RuleVersion]) -> Markup {
    if versions.is_empty() {
        return html! { p.muted { (dash.t("rules-history-empty")) } };
    }
    html! {
        div.table-wrap {
            table {
                thead {
                    tr {
                        th scope="col" { (dash.t("rules-history-version")) }
                        th scope="col" { (dash.t("time")) }
                        th scope="col" { (dash.t("rules-history-author")) }
                        th scope="col" { (dash.t("rules-comment")) }
                        th scope="col" { (dash.t("actions")) }
                    }
                }
                tbody {
                    @for (n, version) in versions.iter().enumerate() {
                        tr {
                            td { (version.id) }
                            td { (when(version.created_at)) }
                            td { (version.created_by.strip_prefix("user:").unwrap_or(&version.created_by)) }
                            td { (version.comment.as_deref().unwrap_or_default()) }
                            td {
                                @if n == 0 {
                                    span.tag { (dash.t("rules-history-current")) }
                                } @else {
                                    form.inline method="post" action=(format!("/rules/history/{}/restore", version.id)) {
                                        (dash.csrf_field())
                                        button.secondary type="submit"
                                            data-confirm=(dash.ta("rules-history-restore-confirm", &[("version", version.id.into())])) {
                                            (dash.ta("rules-history-restore", &[("version", version.id.into())]))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
