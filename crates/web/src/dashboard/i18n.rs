//! The dashboard's texts in Chinese, Russian and English, from Fluent files
//! (`crates/web/locales/{lang}/*.ftl`, one file per page), compiled into the
//! binary. A key missing in one language is a test failure, not a blank.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use steward_core::i18n::Lang;

/// The Fluent files of one language, by page.
macro_rules! sources {
    ($lang:literal) => {
        &[
            (
                "common",
                include_str!(concat!("../../locales/", $lang, "/common.ftl")),
            ),
            (
                "overview",
                include_str!(concat!("../../locales/", $lang, "/overview.ftl")),
            ),
            (
                "groups",
                include_str!(concat!("../../locales/", $lang, "/groups.ftl")),
            ),
            (
                "rules",
                include_str!(concat!("../../locales/", $lang, "/rules.ftl")),
            ),
            (
                "review",
                include_str!(concat!("../../locales/", $lang, "/review.ftl")),
            ),
            (
                "joins",
                include_str!(concat!("../../locales/", $lang, "/joins.ftl")),
            ),
            (
                "members",
                include_str!(concat!("../../locales/", $lang, "/members.ftl")),
            ),
            (
                "cleanup",
                include_str!(concat!("../../locales/", $lang, "/cleanup.ftl")),
            ),
            (
                "audit",
                include_str!(concat!("../../locales/", $lang, "/audit.ftl")),
            ),
            (
                "settings",
                include_str!(concat!("../../locales/", $lang, "/settings.ftl")),
            ),
            (
                "referrals",
                include_str!(concat!("../../locales/", $lang, "/referrals.ftl")),
            ),
            (
                "raffles",
                include_str!(concat!("../../locales/", $lang, "/raffles.ftl")),
            ),
            (
                "activities",
                include_str!(concat!("../../locales/", $lang, "/activities.ftl")),
            ),
            (
                "posts",
                include_str!(concat!("../../locales/", $lang, "/posts.ftl")),
            ),
            (
                "polls",
                include_str!(concat!("../../locales/", $lang, "/polls.ftl")),
            ),
            (
                "faq",
                include_str!(concat!("../../locales/", $lang, "/faq.ftl")),
            ),
            (
                "points",
                include_str!(concat!("../../locales/", $lang, "/points.ftl")),
            ),
            (
                "welcome",
                include_str!(concat!("../../locales/", $lang, "/welcome.ftl")),
            ),
            (
                "nicknames",
                include_str!(concat!("../../locales/", $lang, "/nicknames.ftl")),
            ),
            (
                "ban_lists",
                include_str!(concat!("../../locales/", $lang, "/ban_lists.ftl")),
            ),
            (
                "tickets",
                include_str!(concat!("../../locales/", $lang, "/tickets.ftl")),
            ),
            (
                "reports",
                include_str!(concat!("../../locales/", $lang, "/reports.ftl")),
            ),
        ]
    };
}

/// Every Fluent source, by language: `(lang, [(page, text)])`.
pub(crate) const SOURCES: [(Lang, &[(&str, &str)]); 3] = [
    (Lang::En, sources!("en")),
    (Lang::Zh, sources!("zh")),
    (Lang::Ru, sources!("ru")),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Lang, Bundle)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(lang, files)| {
            let id: unic_langid::LanguageIdentifier =
                lang.as_str().parse().expect("a valid language id");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks: the values land in HTML, not in
            // bidirectional plain text.
            bundle.set_use_isolating(false);
            for (page, text) in files.iter() {
                let resource = FluentResource::try_new((*text).to_owned())
                    .unwrap_or_else(|(_, errors)| panic!("{lang}/{page}.ftl: {errors:?}"));
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|errors| panic!("{lang}/{page}.ftl: {errors:?}"));
            }
            (*lang, bundle)
        })
        .collect()
});

fn bundle(lang: Lang) -> &'static Bundle {
    &BUNDLES
        .iter()
        .find(|(l, _)| *l == lang)
        .expect("every language has a bundle")
        .1
}

/// The text for `key` in `lang`; the key itself if it is missing (a test
/// makes sure none is).
pub(crate) fn text(lang: Lang, key: &str) -> String {
    format(lang, key, None)
}

/// The text for `key` with `{ $name }` arguments.
pub(crate) fn text_with(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    format(lang, key, Some(&fluent_args))
}

fn format(lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// Whether a key exists (used to accept only known notice keys).
pub(crate) fn has(lang: Lang, key: &str) -> bool {
    bundle(lang).has_message(key)
}

/// The language a browser asks for in `Accept-Language`, among ours.
pub(crate) fn from_accept_language(header: &str) -> Option<Lang> {
    let mut choices: Vec<(f32, Lang)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.trim().split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
            let lang = primary.parse::<Lang>().ok()?;
            Some((q, lang))
        })
        .filter(|(q, _)| *q > 0.0)
        .collect();
    // Stable: equal weights keep the browser's order.
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.first().map(|(_, lang)| *lang)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(text: &str) -> BTreeSet<String> {
        let resource = FluentResource::try_new(text.to_owned()).expect("valid ftl");
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_key_of_every_page() {
        let (_, english) = &SOURCES[0];
        for (lang, files) in &SOURCES[1..] {
            for ((page, en_text), (_, text)) in english.iter().zip(files.iter()) {
                let expected = keys(en_text);
                let found = keys(text);
                let missing: Vec<_> = expected.difference(&found).collect();
                let extra: Vec<_> = found.difference(&expected).collect();
                assert!(
                    missing.is_empty() && extra.is_empty(),
                    "{lang}/{page}.ftl: missing {missing:?}, not in English {extra:?}"
                );
            }
        }
        for lang in Lang::ALL {
            // Building the bundle parses every file and refuses duplicates.
            assert!(has(lang, "nav-overview"));
        }
    }

    /// Every key the pages ask for by name (`.t("...")`, `.ta("...")`)
    /// exists, so no page shows a raw key.
    #[test]
    fn every_key_the_pages_use_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/dashboard");
        let mut files = vec![dir.clone()];
        let mut missing = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for call in [".t(\"", ".ta(\""] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                        .collect();
                    if !key.is_empty() && rest[key.len()..].starts_with('"') && !has(Lang::En, &key)
                    {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys with no text: {missing:#?}");
    }

    #[test]
    fn browser_languages_are_weighed() {
        assert_eq!(
            from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::Zh)
        );
        assert_eq!(
            from_accept_language("de-DE, ru;q=0.5, en;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(from_accept_language("ru-RU"), Some(Lang::Ru));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn arguments_are_filled_in() {
        let text = text_with(Lang::En, "signed-in-as", &[("name", "ann".into())]);
        assert!(text.contains("ann"), "{text}");
    }
}
