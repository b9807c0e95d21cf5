//! Links, domains, invite links, phone numbers and messenger ids in chat text.
//!
//! Spam in chat groups is mostly a way to move members somewhere else: a
//! link to a site, an invite to another Telegram/WhatsApp/Discord/QQ/WeChat/
//! Line group, a phone number, or a WeChat or QQ id to add. Spammers know that
//! bots look for `https://` and `.com`, so they disguise all of it:
//!
//! * dots with spaces around them: `t . me/xxx`, `t .me/xxx`, `example . com`;
//! * dots in brackets or spelled out: `example[.]com`, `example(.)com`,
//!   `example{.}com`, `example[dot]com`, `example(dot)com`, `example dot com`;
//! * dots from other scripts: `example。com` (ideographic full stop),
//!   `example．com` (fullwidth), `example点com`;
//! * mangled schemes: `hxxp://`, `h**ps://`, `ttps://`;
//! * ids behind a contact cue: `加V：abc123`, `微信号 abc_123`, `qq 12345678`.
//!
//! [`LinkExtractor::extract`] finds these and reports each as a [`Found`]: what
//! it is, the byte range it covers in the text passed in (the whole disguised
//! span, so evidence shows what the member wrote), and a canonical value with
//! the disguise removed (`t . me/xxx` → `t.me/xxx`), ready for allow and deny
//! lists ([`host_matches`], [`DomainList`]). Findings never overlap: an invite
//! link is reported once as an invite, an e-mail address is not also reported
//! as a domain, a number behind a QQ cue is a QQ id and not a phone number.
//!
//! The input is untrusted, so everything here is linear in the length of the
//! text: the patterns use the `regex` crate (no backtracking) with size
//! limits, every loop over candidates is bounded, and nothing indexes a
//! string without checking. The patterns are compiled once per process.
//!
//! Ordinary text is the other half of the job: `e.g.`, `file.txt`,
//! `version 1.2.3`, `see you at 10.30`, `Mr.Smith`, `2026年11月21日`, prices and
//! years must not come out as links or phone numbers. Hence a domain without a
//! scheme or `www.` needs a well-known top-level domain (or a path), a
//! disguised one always needs a well-known top-level domain, and a phone
//! number needs at least ten digits in a phone-like grouping.
//!
//! It works on the original text and on the engine's normalized copy alike;
//! ranges are always in the string passed in.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

/// Compiled-program size limit for each built-in pattern. The largest one
/// (the URL pattern with its Unicode classes) needs a fraction of this.
const REGEX_SIZE_LIMIT: usize = 1 << 22;

/// What a [`Found`] is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FoundKind {
    /// A link or a bare domain; `host` is lowercase, without port.
    Url {
        /// The host, lowercase, as written (Unicode, not punycode).
        host: String,
    },
    /// A link that invites to another group or channel.
    Invite {
        /// `telegram`, `whatsapp`, `discord`, `qq`, `wechat` or `line`.
        platform: &'static str,
        /// The link's host, lowercase (`t.me` for `tg://` links).
        host: String,
    },
    /// A phone number.
    Phone,
    /// A WeChat id behind a contact cue (`微信`, `vx`, `加v`, ...), or a
    /// `wxid_...` id.
    WeChatId,
    /// A QQ number behind a contact cue (`qq`, `扣扣`, `企鹅`, ...).
    QqId,
    /// An e-mail address.
    Email {
        /// The domain, lowercase.
        host: String,
    },
}

/// One thing found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Found {
    /// What it is.
    pub kind: FoundKind,
    /// Byte range in the text passed to [`LinkExtractor::extract`], on
    /// character boundaries; covers the disguise (and the contact cue of ids).
    pub range: Range<usize>,
    /// Canonical form: `host[:port]/path` without scheme for links (host
    /// lowercase), `local@host` for e-mail, digits with a leading `+` if one
    /// was written for phones, the id for WeChat and QQ ids.
    pub value: String,
}

impl Found {
    /// The host of a link, invite or e-mail address.
    pub fn host(&self) -> Option<&str> {
        match &self.kind {
            FoundKind::Url { host }
            | FoundKind::Invite { host, .. }
            | FoundKind::Email { host } => Some(host),
            FoundKind::Phone | FoundKind::WeChatId | FoundKind::QqId => None,
        }
    }
}

/// Finds links, invites, phone numbers and messenger ids. Compiled once per
/// process; cloning is cheap, and it can be shared between threads.
#[derive(Debug, Clone)]
pub struct LinkExtractor {
    url: Regex,
    sep: Regex,
    email: Regex,
    tg: Regex,
    phone: Regex,
    wechat: Regex,
    qq: Regex,
}

impl Default for LinkExtractor {
    fn default() -> LinkExtractor {
        LinkExtractor::new()
    }
}

/// Characters that may stand next to a disguised dot: the space family.
const SP: &str = r"[ \t\u{A0}\u{3000}]";

/// A domain label: ASCII or Cyrillic letters and digits with inner hyphens,
/// or one of the CJK top-level domains (only accepted in last position).
const LABEL: &str = r"(?:[0-9a-z\p{Cyrillic}](?:[0-9a-z\p{Cyrillic}\-]*[0-9a-z\p{Cyrillic}])?|中国|中國|公司|网络|網絡)";

/// Separators that are unmistakably meant as a dot.
const STRONG_SEP: &str = r"(?:\.|⟨SP⟩*[\[(\{<]⟨SP⟩*(?:\.|dot|点|點|。|．|｡)⟨SP⟩*[\])\}>]⟨SP⟩*)";

/// Every separator, strong or weak. Longer forms come first so that
/// splitting a matched host (see `parse_host`) takes `. ` whole rather than
/// stopping at the `.`; [`classify_sep`] then reads what was matched.
const SEP: &str = r"(?:⟨SP⟩*[\[(\{<]⟨SP⟩*(?:\.|dot|点|點|。|．|｡)⟨SP⟩*[\])\}>]⟨SP⟩*|⟨SP⟩+\.⟨SP⟩*|\.⟨SP⟩+|⟨SP⟩+dot⟨SP⟩+|⟨SP⟩*[。．｡点點]⟨SP⟩*|\.)";

/// What may follow a host in a path: URL characters and Cyrillic, but not
/// CJK or fullwidth punctuation, which in chat text ends the link.
const PATH_CHAR: &str = r"[a-z0-9\-._~:/?#\[\]@!$&()*+,;=%\p{Cyrillic}]";

fn expand(pattern: &str) -> String {
    pattern
        .replace("⟨SEP⟩", SEP)
        .replace("⟨STRONG_SEP⟩", STRONG_SEP)
        .replace("⟨LABEL⟩", LABEL)
        .replace("⟨PATH_CHAR⟩", PATH_CHAR)
        .replace("⟨SP⟩", SP)
}

fn build(pattern: &str) -> Regex {
    // Constant patterns: a failure is a bug that every test catches.
    RegexBuilder::new(&expand(pattern))
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .unwrap_or_else(|e| panic!("built-in link pattern does not compile: {e}"))
}

/// A URL match cut into its parts.
#[derive(Debug)]
struct UrlParts<'t> {
    whole: Range<usize>,
    scheme: bool,
    host: Range<usize>,
    /// `:port`, as matched.
    port: Option<&'t str>,
    /// Where the path starts, and the path as matched.
    path: Option<(usize, &'t str)>,
}

/// Cuts a URL match into its parts without a second, capturing search
/// (several times slower): the host grammar has no `:`, `/`, `?` or `#`, so
/// after the scheme the first of those ends the host.
fn split_url(text: &str, whole: Range<usize>) -> Option<UrlParts<'_>> {
    let matched = text.get(whole.clone())?;
    // Only the scheme comes before the host, and it ends in `://`.
    let host_start = matched.find("//").filter(|&i| {
        matched.get(..i).is_some_and(|before| {
            let before = before.trim_end_matches(is_space);
            !before.contains('.')
                && (before.ends_with(':') || before.ends_with('：') || before.ends_with("[:]"))
        })
    });
    let scheme = host_start.is_some();
    let host_start = host_start.map_or(0, |i| i + 2);
    let rest = matched.get(host_start..)?;
    let host_len = rest.find([':', '/', '?', '#']).unwrap_or(rest.len());
    let host = whole.start + host_start..whole.start + host_start + host_len;
    let after = rest.get(host_len..)?;
    let port_len = match after.strip_prefix(':') {
        Some(digits) => 1 + digits.bytes().take_while(u8::is_ascii_digit).count(),
        None => 0,
    };
    let port = after.get(..port_len).filter(|p| !p.is_empty());
    let path = after
        .get(port_len..)
        .filter(|p| p.starts_with(['/', '?', '#']))
        .map(|p| (host.end + port_len, p));
    Some(UrlParts {
        whole,
        scheme,
        host,
        port,
        path,
    })
}

static COMPILED: LazyLock<LinkExtractor> = LazyLock::new(|| LinkExtractor {
    // Scheme (also `hxxp`, `h**ps`, `[:]`), host, port, path; no capture
    // groups, `split_url` cuts the match.
    url: build(
        r"(?:(?:h?(?:tt|xx|\*\*)ps?|ftp)⟨SP⟩*(?::|：|\[:\])⟨SP⟩*//)?⟨LABEL⟩(?:⟨SEP⟩⟨LABEL⟩)+(?::[0-9]{1,5})?(?:[/?#]⟨PATH_CHAR⟩*)?",
    ),
    sep: build(SEP),
    email: build(
        r"(?P<local>[a-z0-9._%+\-]+)(?:@|＠|⟨SP⟩*[\[(\{]⟨SP⟩*at⟨SP⟩*[\])\}]⟨SP⟩*)(?P<host>⟨LABEL⟩(?:⟨STRONG_SEP⟩⟨LABEL⟩)+)",
    ),
    tg: build(r"tg:(?://)?(?P<kind>join\?invite=|resolve\?domain=)(?P<code>[a-z0-9_\-]+)"),
    phone: build(r"\+?\(?[0-9](?:[ \t\-.()]{0,3}[0-9]){9,}"),
    wechat: build(
        r"(?P<wxid>wxid_[a-z0-9_\-]{4,30})|(?P<cue>加微信|微信|加微|v信|薇信|威信|加v|wechat|weixin|wx|vx|\+v)(?P<tail>[ \t]*(?:号码|号|账号|id)?[ \t]*[:：=]?[ \t]*)(?P<id>[a-z][\-_a-z0-9]{5,19})",
    ),
    qq: build(
        r"(?P<cue>qq|扣扣|企鹅|q号|加q)(?P<tail>[ \t]*(?:群号|群|号码|号)?[ \t]*[:：=]?[ \t]*)(?P<id>[1-9][0-9]{4,10})",
    ),
});

impl LinkExtractor {
    /// The extractor. The patterns are compiled on first use and shared.
    pub fn new() -> LinkExtractor {
        COMPILED.clone()
    }

    /// Everything found in `text`, in order of position, without overlaps.
    ///
    /// * Links: with a scheme, any alphabetic top-level domain or an IPv4
    ///   host; `www.` hosts; bare domains with a well-known top-level domain,
    ///   or with a path and a top-level domain that is not a file extension;
    ///   IPv4 hosts with a port or path. A host has at least two labels (no
    ///   `localhost`); labels are ASCII or Cyrillic, plus `中国`-style
    ///   top-level domains after a real dot.
    /// * Invites: links to Telegram (`t.me/...`, `telegram.me/...`,
    ///   `tg://join?invite=`, `tg://resolve?domain=`), WhatsApp groups,
    ///   Discord invites, QQ (`qm.qq.com`, `jq.qq.com`), WeChat group QR
    ///   links and Line groups.
    /// * Phone numbers: 10 to 15 digits after a `+`; without one, 10 to 12
    ///   digits grouped like a phone number (Russian, North American, Chinese
    ///   landlines), or an unbroken Chinese or Russian mobile number.
    /// * WeChat and QQ ids behind a contact cue, and e-mail addresses.
    ///
    /// Fullwidth letters and digits are not folded here: pass the engine's
    /// normalized text to see through those.
    pub fn extract(&self, text: &str) -> Vec<Found> {
        let hints = Hints::of(text);
        let mut found = Vec::new();
        if hints.dot {
            self.urls(text, &mut found);
            if hints.at {
                self.emails(text, &mut found);
            }
        }
        if hints.tg {
            self.tg_links(text, &mut found);
        }
        if hints.digits >= 10 {
            self.phones(text, &mut found);
        }
        if hints.wechat {
            self.wechat_ids(text, &mut found);
        }
        if hints.qq && hints.digits >= 5 {
            self.qq_ids(text, &mut found);
        }
        resolve(found)
    }

    fn urls(&self, text: &str, found: &mut Vec<Found>) {
        for m in self.url.find_iter(text) {
            if let Some(parts) = split_url(text, m.range()) {
                self.url_candidate(text, parts, found);
            }
        }
    }

    fn url_candidate(&self, text: &str, parts: UrlParts<'_>, found: &mut Vec<Found>) {
        let UrlParts {
            whole,
            scheme,
            host,
            port: raw_port,
            path: raw_path,
        } = parts;
        // A port that cannot be one ends the link before it.
        let port = raw_port.filter(|p| {
            p.get(1..)
                .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n <= 65535))
        });
        let path = if raw_port.is_some() && port.is_none() {
            None
        } else {
            raw_path
                .map(|(start, p)| (start, trim_path(p)))
                .filter(|(_, p)| !p.is_empty())
        };
        let has_path = path.as_ref().is_some_and(|(_, p)| p.len() > 1);
        // Sentence ends (`great. I'll`), times and versions stop here: with
        // neither scheme, port nor path, a host needs a well-known top-level
        // domain or `www`.
        if !scheme
            && port.is_none()
            && !has_path
            && !text.get(host.clone()).is_some_and(mentions_tld)
        {
            return;
        }
        let Some((labels, seps)) = self.parse_host(text, host.clone()) else {
            return;
        };
        let tail_end = match (&path, port) {
            (Some((start, p)), _) => start + p.len(),
            (None, Some(port)) => host.end + port.len(),
            (None, None) => host.end,
        };
        for group in groups(&seps) {
            let first = group.start == 0;
            let last = group.end == labels.len();
            let (Some(group_labels), Some(group_seps)) = (
                labels.get(group.clone()),
                seps.get(group.start..group.end.saturating_sub(1)),
            ) else {
                continue;
            };
            let scheme_here = first && scheme;
            let shape = Shape {
                scheme: scheme_here,
                port_or_path: last && (port.is_some() || path.is_some()),
                path: last && has_path,
            };
            let Some(host) = valid_host(group_labels, group_seps, shape) else {
                continue;
            };
            let (Some(first_label), Some(last_label)) = (group_labels.first(), group_labels.last())
            else {
                continue;
            };
            let start = if scheme_here {
                whole.start
            } else {
                first_label.range.start
            };
            let end = if last { tail_end } else { last_label.range.end };
            let mut value = host.clone();
            let mut path_text = "";
            if last {
                if let Some(port) = port {
                    value.push_str(port);
                }
                if let Some((_, p)) = &path {
                    value.push_str(p);
                    path_text = p;
                }
            }
            let kind = match invite_platform(&host, path_text) {
                Some(platform) => FoundKind::Invite { platform, host },
                None => FoundKind::Url { host },
            };
            found.push(Found {
                kind,
                range: start..end,
                value,
            });
        }
    }

    /// Splits a matched host into labels and separators. `None` when a piece
    /// between separators is not a label, which the patterns should prevent.
    fn parse_host(&self, text: &str, range: Range<usize>) -> Option<(Vec<Label>, Vec<Sep>)> {
        let span = text.get(range.clone())?;
        let mut labels = Vec::new();
        let mut seps = Vec::new();
        let mut pos = 0;
        let disguised = span.contains([
            ' ', '\t', '\u{A0}', '\u{3000}', '[', '(', '{', '<', '。', '．', '｡', '点', '點',
        ]);
        if disguised {
            for m in self.sep.find_iter(span) {
                labels.push(Label::new(span, pos..m.start(), range.start)?);
                seps.push(classify_sep(m.as_str()));
                pos = m.end();
            }
        } else {
            // Without spaces, brackets or other dots, every separator is a
            // plain `.`: no need for the separator pattern.
            for (i, _) in span.match_indices('.') {
                labels.push(Label::new(span, pos..i, range.start)?);
                seps.push(Sep::Plain);
                pos = i + 1;
            }
        }
        labels.push(Label::new(span, pos..span.len(), range.start)?);
        Some((labels, seps))
    }

    fn emails(&self, text: &str, found: &mut Vec<Found>) {
        for caps in self.email.captures_iter(text) {
            let (Some(whole), Some(local), Some(host)) =
                (caps.get(0), caps.name("local"), caps.name("host"))
            else {
                continue;
            };
            let local_text = local.as_str();
            if local_text.starts_with('.') || local_text.ends_with('.') || local_text.contains("..")
            {
                continue;
            }
            let Some((labels, seps)) = self.parse_host(text, host.range()) else {
                continue;
            };
            let shape = Shape {
                scheme: true,
                port_or_path: false,
                path: false,
            };
            let Some(host) = valid_host(&labels, &seps, shape) else {
                continue;
            };
            found.push(Found {
                value: format!("{}@{host}", local_text.to_lowercase()),
                kind: FoundKind::Email { host },
                range: whole.range(),
            });
        }
    }

    fn tg_links(&self, text: &str, found: &mut Vec<Found>) {
        for caps in self.tg.captures_iter(text) {
            let (Some(whole), Some(kind), Some(code)) =
                (caps.get(0), caps.name("kind"), caps.name("code"))
            else {
                continue;
            };
            // Written the way the web links are, so one deny entry covers both.
            let value = if kind.as_str().to_ascii_lowercase().starts_with("join") {
                format!("t.me/+{}", code.as_str())
            } else {
                format!("t.me/{}", code.as_str())
            };
            found.push(Found {
                kind: FoundKind::Invite {
                    platform: "telegram",
                    host: "t.me".to_owned(),
                },
                range: whole.range(),
                value,
            });
        }
    }

    fn phones(&self, text: &str, found: &mut Vec<Found>) {
        for m in self.phone.find_iter(text) {
            phone_candidate(text, m.range(), found);
        }
    }

    fn wechat_ids(&self, text: &str, found: &mut Vec<Found>) {
        for caps in self.wechat.captures_iter(text) {
            if let Some(wxid) = caps.name("wxid") {
                // WeChat's own generated ids need no cue.
                if !before(text, wxid.start()).is_some_and(is_id_char)
                    && id_ends_cleanly(text, wxid.end())
                {
                    found.push(Found {
                        kind: FoundKind::WeChatId,
                        range: wxid.range(),
                        value: wxid.as_str().to_ascii_lowercase(),
                    });
                }
                continue;
            }
            let (Some(cue), Some(tail), Some(id)) =
                (caps.name("cue"), caps.name("tail"), caps.name("id"))
            else {
                continue;
            };
            if !id_ends_cleanly(text, id.end()) {
                continue;
            }
            let latin_cue = cue.as_str().is_ascii();
            if latin_cue {
                // `wx`, `vx` and `wechat` are only cues as words of their own,
                // and an English word after them is just English ("wechat
                // group"): without a colon the id must look like an id.
                if before(text, cue.start()).is_some_and(|c| c.is_ascii_alphanumeric()) {
                    continue;
                }
                if tail.as_str().is_empty() {
                    continue;
                }
                if tail.as_str().trim_matches([' ', '\t']).is_empty()
                    && !id
                        .as_str()
                        .chars()
                        .any(|c| c.is_ascii_digit() || c == '_' || c == '-')
                {
                    continue;
                }
            }
            found.push(Found {
                kind: FoundKind::WeChatId,
                range: cue.start()..id.end(),
                value: id.as_str().to_ascii_lowercase(),
            });
        }
    }

    fn qq_ids(&self, text: &str, found: &mut Vec<Found>) {
        for caps in self.qq.captures_iter(text) {
            let (Some(cue), Some(id)) = (caps.name("cue"), caps.name("id")) else {
                continue;
            };
            if cue.as_str().is_ascii()
                && before(text, cue.start()).is_some_and(|c| c.is_ascii_alphanumeric())
            {
                continue;
            }
            let after = text.get(id.end()..).unwrap_or_default();
            let mut rest = after.chars();
            let next = rest.next();
            // Longer than a QQ number, or the start of `12345@qq.com` or a
            // decimal: not a QQ id.
            if next.is_some_and(|c| c.is_ascii_digit() || c == '@')
                || (next == Some('.') && rest.next().is_some_and(|c| c.is_ascii_digit()))
            {
                continue;
            }
            found.push(Found {
                kind: FoundKind::QqId,
                range: cue.start()..id.end(),
                value: id.as_str().to_owned(),
            });
        }
    }
}

/// Cheap facts about a text that decide which patterns can match at all, so
/// that the common message (no link, no number) costs one pass over bytes.
#[derive(Debug, Default)]
struct Hints {
    /// A dot of any kind, or the word `dot`.
    dot: bool,
    /// `@`, or a spelled-out `[at]`.
    at: bool,
    /// `tg:`.
    tg: bool,
    /// ASCII digits in the text.
    digits: usize,
    /// Something that starts a WeChat cue.
    wechat: bool,
    /// Something that starts a QQ cue.
    qq: bool,
}

/// Byte classes for [`Hints::of`].
const B_DOT: u16 = 1;
const B_AT: u16 = 1 << 1;
const B_DIGIT: u16 = 1 << 2;
const B_T: u16 = 1 << 3;
const B_W: u16 = 1 << 4;
const B_X: u16 = 1 << 5;
const B_Q: u16 = 1 << 6;
const B_PLUS: u16 = 1 << 7;
const B_COLON: u16 = 1 << 8;
const B_OPEN: u16 = 1 << 9;
const B_CLOSE: u16 = 1 << 10;
/// Lead byte of a three-byte character: CJK, fullwidth forms.
const B_CJK: u16 = 1 << 11;
const B_SLASH: u16 = 1 << 12;

static BYTE_CLASS: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match i as u8 {
            b'.' => B_DOT,
            b'@' => B_AT,
            b'0'..=b'9' => B_DIGIT,
            b't' | b'T' => B_T,
            b'w' | b'W' => B_W,
            b'x' | b'X' => B_X,
            b'q' | b'Q' => B_Q,
            b'+' => B_PLUS,
            b':' => B_COLON,
            b'/' => B_SLASH,
            b'[' | b'(' | b'{' | b'<' => B_OPEN,
            b']' | b')' | b'}' => B_CLOSE,
            0xE0..=0xEF => B_CJK,
            _ => 0,
        };
        i += 1;
    }
    table
};

impl Hints {
    fn of(text: &str) -> Hints {
        let bytes = text.as_bytes();
        // One table-driven pass; the rarer bytes then decide which short
        // substring searches are worth doing.
        let (mut seen, mut digits) = (0u16, 0usize);
        for &b in bytes {
            let class = BYTE_CLASS[usize::from(b)];
            seen |= class;
            digits += usize::from(class & B_DIGIT != 0);
        }
        let has = |bit: u16| seen & bit != 0;
        let mut hints = Hints {
            dot: (has(B_DOT) && dot_can_separate(bytes, has(B_SLASH)))
                || (has(B_T) && has_ci(bytes, b"dot")),
            at: has(B_AT)
                || (has(B_CLOSE)
                    && (has_ci(bytes, b"at]") || has_ci(bytes, b"at)") || has_ci(bytes, b"at}"))),
            tg: has(B_COLON) && has_ci(bytes, b"tg:"),
            digits,
            wechat: (has(B_X)
                && (has_ci(bytes, b"wx") || has_ci(bytes, b"vx") || has_ci(bytes, b"eix")))
                || (has(B_PLUS) && has_ci(bytes, b"+v"))
                || (has(B_W) && has_ci(bytes, b"wechat")),
            qq: has(B_Q) && has_ci(bytes, b"qq"),
        };
        if has(B_CJK) {
            // Chinese text ends its sentences with `。`: an ideographic dot
            // only counts between ASCII labels (spaces aside), or in brackets.
            // Common characters (`加` as in `参加`, `信` as in `信息`) only
            // count as part of a cue.
            let bracketed = has(B_OPEN) && has(B_CLOSE);
            let mut prev = ' ';
            let mut after_ascii = false;
            let mut dot_after_ascii = false;
            for ch in text.chars() {
                match ch {
                    '。' | '．' | '｡' | '点' | '點' => {
                        hints.dot |= bracketed;
                        dot_after_ascii = after_ascii;
                        after_ascii = false;
                        prev = ch;
                        continue;
                    }
                    ' ' | '\t' | '\u{A0}' | '\u{3000}' => continue,
                    '＠' => hints.at = true,
                    '微' => hints.wechat = true,
                    '信' if matches!(prev, 'v' | 'V' | '薇' | '威') => hints.wechat = true,
                    'v' | 'V' if prev == '加' => hints.wechat = true,
                    'q' | 'Q' if prev == '加' => hints.qq = true,
                    '号' if matches!(prev, 'q' | 'Q') => hints.qq = true,
                    '扣' if prev == '扣' => hints.qq = true,
                    '鹅' if prev == '企' => hints.qq = true,
                    _ => {}
                }
                after_ascii = ch.is_ascii_alphanumeric();
                hints.dot |= dot_after_ascii && after_ascii;
                dot_after_ascii = false;
                prev = ch;
            }
        }
        hints
    }
}

/// Whether some `.` could separate labels: between label characters
/// (`10.30`, `t.me`), after a space or bracket (`t .me`, `[.]`), before a
/// bracket, or before a space when a path could follow (`t. me/x`: a dot
/// and a space alone are how sentences end, and need a path to count).
/// Most sentences end with a dot; they need no URL search.
fn dot_can_separate(bytes: &[u8], has_slash: bool) -> bool {
    let label = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphanumeric() || b >= 0x80);
    bytes.iter().enumerate().any(|(i, &b)| {
        if b != b'.' {
            return false;
        }
        let prev = i.checked_sub(1).and_then(|p| bytes.get(p));
        let next = bytes.get(i + 1);
        (label(prev) && label(next))
            || prev.is_some_and(|b| matches!(b, b' ' | b'\t' | b'[' | b'(' | b'{' | b'<'))
            || next.is_some_and(|b| matches!(b, b']' | b')' | b'}' | b'>'))
            || (has_slash && next.is_some_and(|b| matches!(b, b' ' | b'\t')))
    })
}

/// ASCII case-insensitive substring test. Runs on most messages, so it
/// looks at eight bytes at a time for the needle's first byte and compares
/// only where that may be.
fn has_ci(haystack: &[u8], needle: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let Some(&first) = needle.first() else {
        return true;
    };
    let at = |i: usize| {
        haystack
            .get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    };
    // `| 0x20` lowercases ASCII letters; what else it maps onto the first
    // byte is told apart by the full comparison.
    let pattern = ONES * u64::from(first | 0x20);
    let mut chunks = haystack.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            continue;
        };
        let x = (u64::from_le_bytes(bytes) | (ONES * 0x20)) ^ pattern;
        // The high bit of each byte of `x` that is zero, exactly.
        let mut zeros = !((((x & LOW7) + LOW7) | x) | LOW7);
        while zeros != 0 {
            if at(n * 8 + zeros.trailing_zeros() as usize / 8) {
                return true;
            }
            zeros &= zeros - 1;
        }
    }
    let tail = haystack.len() - chunks.remainder().len();
    (tail..haystack.len()).any(at)
}

/// How a dot was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// `.`
    Plain,
    /// `[.]`, `(dot)`, ...: nobody writes that by accident.
    Bracketed,
    /// ` . `
    Spaced,
    /// `. `: also how sentences end, so it needs a path to count.
    DotSpace,
    /// ` .`: also how `.NET` is written after a word, so it needs a path.
    SpaceDot,
    /// ` dot `
    WordDot,
    /// `。`, `．`, `｡`, `点`
    Ideographic,
}

impl Sep {
    /// Weak separators also occur in ordinary text (`fine . Me`, `ok。t.me`),
    /// so they only join single labels; see [`groups`].
    fn is_weak(self) -> bool {
        !matches!(self, Sep::Plain | Sep::Bracketed)
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{A0}' | '\u{3000}')
}

fn classify_sep(sep: &str) -> Sep {
    let core = sep.trim_matches(is_space);
    if core == "." {
        if sep == "." {
            Sep::Plain
        } else if sep.starts_with('.') {
            Sep::DotSpace
        } else if sep.ends_with('.') {
            Sep::SpaceDot
        } else {
            Sep::Spaced
        }
    } else if core.starts_with(['[', '(', '{', '<']) {
        Sep::Bracketed
    } else if core.eq_ignore_ascii_case("dot") {
        Sep::WordDot
    } else {
        Sep::Ideographic
    }
}

/// One label of a host, lowercase, with its position in the text.
#[derive(Debug)]
struct Label {
    range: Range<usize>,
    text: String,
}

impl Label {
    fn new(span: &str, range: Range<usize>, offset: usize) -> Option<Label> {
        let raw = span.get(range.clone())?;
        let ok = !raw.is_empty()
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && raw.chars().all(|c| c == '-' || c.is_alphanumeric());
        ok.then(|| Label {
            range: offset + range.start..offset + range.end,
            text: raw.to_lowercase(),
        })
    }

    fn is_cjk(&self) -> bool {
        CJK_TLDS.contains(&self.text.as_str())
    }
}

/// Splits the labels of one match into hosts. Strong separators always join;
/// weak ones join only labels that stand alone, so `t . me` and
/// `example . com` are hosts, but in `fine . example.com`, `ok。t.me/x` or
/// `example.com. Next` the weak separator is punctuation, not part of a host.
fn groups(seps: &[Sep]) -> Vec<Range<usize>> {
    // Segments: label ranges between weak separators.
    let mut segments = Vec::new();
    let mut start = 0;
    for (i, sep) in seps.iter().enumerate() {
        if sep.is_weak() {
            segments.push(start..i + 1);
            start = i + 1;
        }
    }
    segments.push(start..seps.len() + 1);
    let mut groups = Vec::new();
    let mut run: Option<Range<usize>> = None;
    for segment in segments {
        if segment.len() == 1 {
            match &mut run {
                Some(run) => run.end = segment.end,
                None => run = Some(segment),
            }
        } else {
            groups.extend(run.take());
            groups.push(segment);
        }
    }
    groups.extend(run);
    groups
}

/// What surrounds a host.
#[derive(Debug, Clone, Copy)]
struct Shape {
    /// Written with a scheme (or an `@` for e-mail): any top-level domain.
    scheme: bool,
    /// Followed by a port or a path.
    port_or_path: bool,
    /// Followed by a path longer than `/`.
    path: bool,
}

/// Top-level domains common enough that a bare `name.tld` is taken for a
/// domain: the big generic ones, the ones spam favours, and the countries of
/// the groups this serves. Deliberately without file extensions (`rs`, `py`,
/// `md`, `sh`) and English words (`in`, `is`, `it`, `world`).
macro_rules! known_tlds {
    ($($tld:literal),* $(,)?) => {
        /// Whether a lowercase label is one of the listed top-level
        /// domains. A `match` compares lengths first, so most words cost a
        /// few integer comparisons.
        fn is_known_lower_tld(label: &str) -> bool {
            matches!(label, $($tld)|*)
        }
    };
}

#[rustfmt::skip]
known_tlds!(
    "ai", "app", "asia", "bid", "biz", "bond", "buzz", "by", "cc", "cf", "cfd", "click",
    "cloud", "club", "cn", "co", "com", "cyou", "de", "dev", "eu", "fr", "fun", "ga", "gd",
    "gg", "gl", "gq", "hk", "icu", "info", "ink", "io", "jp", "kr", "kz", "link", "live",
    "loan", "lol", "ly", "me", "ml", "mo", "mobi", "net", "online", "org", "pro", "pw", "rest",
    "ru", "run", "sbs", "sg", "shop", "site", "space", "store", "stream", "su", "tech", "tk",
    "to", "top", "tv", "tw", "ua", "uk", "us", "uz", "vip", "website", "win", "work", "ws",
    "xn--55qx5d", "xn--80adxhks", "xn--fiqs8s", "xn--fiqz9s", "xn--io0a7i", "xn--p1acf",
    "xn--p1ai", "xyz", "москва", "онлайн", "орг", "рус", "рф", "сайт", "укр", "中国", "中國", "公司",
    "網絡", "网络"
);

const CJK_TLDS: &[&str] = &["中国", "中國", "公司", "网络", "網絡"];

/// Extensions that make `name.ext/...` a file path rather than a domain.
#[rustfmt::skip]
const FILE_EXTENSIONS: &[&str] = &[
    "txt", "md", "rs", "py", "js", "ts", "go", "java", "c", "h", "cpp", "sh", "html", "htm",
    "css", "json", "toml", "yaml", "yml", "xml", "csv", "log", "jpg", "jpeg", "png", "gif",
    "webp", "svg", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "tar",
    "gz", "exe", "apk", "mp3", "mp4", "mov", "avi", "mkv", "wav", "lock", "conf", "ini", "bak"
];

/// Words that make `the dot com` prose rather than a disguised `the.com`.
#[rustfmt::skip]
const DOT_STOP_WORDS: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "is", "this", "that", "by",
    "for", "dot"
];

/// Whether `label` (any case) is a well-known top-level domain.
fn is_known_tld(label: &str) -> bool {
    const LONGEST: usize = 16;
    if label.len() > LONGEST {
        return false;
    }
    if !label.is_ascii() {
        return is_known_lower_tld(&label.to_lowercase());
    }
    // Lowercased on the stack: this runs for every word next to a dot.
    let mut buf = [0u8; LONGEST];
    let Some(lower) = buf.get_mut(..label.len()) else {
        return false;
    };
    lower.copy_from_slice(label.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(is_known_lower_tld)
}

/// Whether some word of a match is `www` or a well-known top-level domain:
/// the quick test that lets ordinary text skip the full check.
fn mentions_tld(matched: &str) -> bool {
    matched
        .split(|c: char| !(c.is_alphanumeric() || c == '-') || matches!(c, '点' | '點'))
        .any(|word| word.eq_ignore_ascii_case("www") || is_known_tld(word))
}

/// The canonical host when the labels make one, given what surrounds them.
fn valid_host(labels: &[Label], seps: &[Sep], shape: Shape) -> Option<String> {
    let (first, tld) = (labels.first()?, labels.last()?);
    if labels.len() < 2 || seps.len() + 1 != labels.len() {
        return None;
    }
    let host_len: usize = labels.iter().map(|l| l.text.len() + 1).sum();
    if host_len > 254 || labels.iter().any(|l| l.text.chars().count() > 63) {
        return None;
    }
    for (i, label) in labels.iter().enumerate() {
        // CJK top-level domains only after a real dot: `我们在中国。中国很大`
        // is a sentence.
        if label.is_cjk()
            && (i + 1 != labels.len() || seps.get(i.wrapping_sub(1)) != Some(&Sep::Plain))
        {
            return None;
        }
    }
    for (i, sep) in seps.iter().enumerate() {
        let ascii_around = labels.get(i).is_some_and(|l| l.text.is_ascii())
            && labels.get(i + 1).is_some_and(|l| l.text.is_ascii());
        if *sep == Sep::Ideographic && !ascii_around {
            return None;
        }
    }
    if seps.contains(&Sep::WordDot) && DOT_STOP_WORDS.contains(&first.text.as_str()) {
        return None;
    }
    let weak = seps.iter().any(|s| s.is_weak());
    let host = labels
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(".");
    if labels.len() == 4 && labels.iter().all(|l| is_octet(&l.text)) {
        return (!weak && (shape.scheme || shape.port_or_path)).then_some(host);
    }
    let tld_text = tld.text.as_str();
    let ascii_alpha = tld_text.len() >= 2 && tld_text.bytes().all(|b| b.is_ascii_lowercase());
    let tld_ok = ascii_alpha
        || (tld_text.starts_with("xn--") && tld_text.len() > 4)
        || (tld_text.chars().count() >= 2 && tld_text.chars().all(|c| c.is_alphabetic()));
    if !tld_ok {
        return None;
    }
    if shape.scheme {
        return Some(host);
    }
    let sentence_like = seps
        .iter()
        .any(|s| matches!(s, Sep::DotSpace | Sep::SpaceDot));
    if (first.text == "www" && labels.len() >= 3) || is_known_tld(tld_text) {
        return (!sentence_like || shape.path).then_some(host);
    }
    (shape.path && !weak && ascii_alpha && !FILE_EXTENSIONS.contains(&tld_text)).then_some(host)
}

fn is_octet(label: &str) -> bool {
    label.len() <= 3
        && label.bytes().all(|b| b.is_ascii_digit())
        && label.parse::<u16>().is_ok_and(|n| n <= 255)
}

/// Drops what ends a sentence rather than a path: `see example.com/x.`,
/// `(example.com/x)`. Closers stay when they close something in the path
/// (`wiki/Rust_(language)`).
fn trim_path(path: &str) -> &str {
    // Counted once: trimming a long run of `)` stays linear.
    let mut parens = path.matches('(').count() as isize - path.matches(')').count() as isize;
    let mut brackets = path.matches('[').count() as isize - path.matches(']').count() as isize;
    let mut end = path.len();
    for (i, c) in path.char_indices().rev() {
        let drop = match c {
            '.' | ',' | ';' | ':' | '!' | '?' | '*' | '\'' => true,
            ')' if parens < 0 => {
                parens += 1;
                true
            }
            ']' if brackets < 0 => {
                brackets += 1;
                true
            }
            _ => false,
        };
        if !drop {
            break;
        }
        end = i;
    }
    path.get(..end).unwrap_or_default()
}

/// The platform a link invites to, if it is an invite.
fn invite_platform(host: &str, path: &str) -> Option<&'static str> {
    let host = host.strip_prefix("www.").unwrap_or(host);
    let lower = path.to_ascii_lowercase();
    let rest = lower.strip_prefix('/').unwrap_or(&lower);
    let first_segment = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let has = |prefix: &str| rest.strip_prefix(prefix).is_some_and(|r| !r.is_empty());
    match host {
        // Any channel, group or bot name: all lead members elsewhere.
        "t.me" | "telegram.me" | "telegram.dog" => {
            (lower.starts_with('/') && !first_segment.is_empty()).then_some("telegram")
        }
        "chat.whatsapp.com" => (!first_segment.is_empty()).then_some("whatsapp"),
        "discord.gg" => (!first_segment.is_empty()).then_some("discord"),
        "discord.com" | "discordapp.com" => has("invite/").then_some("discord"),
        "qm.qq.com" | "jq.qq.com" => (!rest.is_empty()).then_some("qq"),
        "weixin.qq.com" => has("g/").then_some("wechat"),
        "line.me" => (has("r/") || has("ti/")).then_some("line"),
        _ => None,
    }
}

/// The character before byte `at`.
fn before(text: &str, at: usize) -> Option<char> {
    text.get(..at).and_then(|s| s.chars().next_back())
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// An id must end where it ends: not run on (too long), not go on as a
/// domain (`vx: example.com`) or an e-mail address (`wx: abcdef@qq.com`).
fn id_ends_cleanly(text: &str, end: usize) -> bool {
    let mut rest = text.get(end..).unwrap_or_default().chars();
    match rest.next() {
        Some(c) if is_id_char(c) || c == '@' => false,
        Some('.') => !rest.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => true,
    }
}

/// Phone numbers need at most this many digit groups (`+7 912 345 67 89`).
const MAX_PHONE_GROUPS: usize = 8;

/// A run of digits and separators from the phone pattern. Usually the run
/// is the number; but a run can hold a year and a number (`2025
/// 13800138000`), so windows of digit groups are tried too, bounded in size,
/// split only at spaces, and only when self-contained.
fn phone_candidate(text: &str, range: Range<usize>, found: &mut Vec<Found>) {
    let Some(run) = text.get(range.clone()) else {
        return;
    };
    // Byte ranges of digit groups within `run`.
    let mut digit_groups: Vec<Range<usize>> = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for (i, b) in run.bytes().enumerate() {
        if b.is_ascii_digit() {
            match &mut current {
                Some(g) => g.end = i + 1,
                None => current = Some(i..i + 1),
            }
        } else {
            digit_groups.extend(current.take());
        }
    }
    digit_groups.extend(current);
    let sep_between = |a: usize| -> &str {
        match (digit_groups.get(a), digit_groups.get(a + 1)) {
            (Some(x), Some(y)) => run.get(x.end..y.start).unwrap_or_default(),
            _ => "",
        }
    };
    let plus = run.starts_with('+');
    let mut i = 0;
    while i < digit_groups.len() {
        if i > 0 && !sep_between(i - 1).contains([' ', '\t']) {
            i += 1;
            continue;
        }
        let mut accepted = false;
        let last = (i + MAX_PHONE_GROUPS).min(digit_groups.len());
        for j in (i..last).rev() {
            if j + 1 < digit_groups.len() && !sep_between(j).contains([' ', '\t']) {
                continue;
            }
            let Some(window) = digit_groups.get(i..=j) else {
                continue;
            };
            let (Some(first), Some(end)) = (window.first(), window.last().map(|g| g.end)) else {
                continue;
            };
            let start = if i == 0 {
                0
            } else if sep_between(i - 1).ends_with('(') {
                first.start.saturating_sub(1)
            } else {
                first.start
            };
            let with_plus = plus && i == 0;
            // Part of a longer run only as an unbroken number (`2025
            // 13800138000`) or from its `+`; groups picked out of a longer
            // run of groups (an IBAN, a card) are not a phone number.
            let whole_run = i == 0 && j + 1 == digit_groups.len();
            if !(whole_run || with_plus || i == j) {
                continue;
            }
            let Some(span) = run.get(start..end) else {
                continue;
            };
            let groups: Vec<&str> = window.iter().filter_map(|g| run.get(g.clone())).collect();
            let seps: Vec<&str> = (i..j).map(sep_between).collect();
            if plausible_phone(span, &groups, &seps, with_plus)
                && (i > 0 || start_ok(text, range.start))
            {
                accepted = true;
                found.push(Found {
                    kind: FoundKind::Phone,
                    range: range.start + start..range.start + end,
                    value: if with_plus {
                        format!("+{}", groups.concat())
                    } else {
                        groups.concat()
                    },
                });
                i = j + 1;
                break;
            }
        }
        if !accepted {
            i += 1;
        }
    }
}

/// A number glued to a word, a path, a `#` or `№` is an id, a reference or
/// an order number, not a phone number.
fn start_ok(text: &str, start: usize) -> bool {
    !before(text, start).is_some_and(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '_' | '#' | '№' | '/' | '\\' | '=' | '&' | '?' | '.' | ','
            )
    })
}

/// Whether digit groups look like a phone number rather than years, prices,
/// dates, versions or order numbers.
fn plausible_phone(span: &str, groups: &[&str], seps: &[&str], plus: bool) -> bool {
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    let opens = span.matches('(').count();
    let closes = span.matches(')').count();
    if opens != closes || opens > 1 {
        return false;
    }
    // Four dotted groups are an IP address.
    if groups.len() == 4 && seps.iter().all(|s| *s == ".") {
        return false;
    }
    if plus {
        return (10..=15).contains(&digits);
    }
    if !(10..=12).contains(&digits) {
        return false;
    }
    let all: String = groups.concat();
    let cn_mobile = all.len() == 11
        && all.starts_with('1')
        && all
            .as_bytes()
            .get(1)
            .is_some_and(|b| (b'3'..=b'9').contains(b));
    let Some(first) = groups.first() else {
        return false;
    };
    if groups.len() == 1 {
        // Unbroken runs of eleven: Chinese mobiles, Russian mobiles with 8/7.
        return cn_mobile || (digits == 11 && (all.starts_with("89") || all.starts_with("79")));
    }
    if groups.len() >= 3 && groups.iter().all(|g| g.len() == 4) {
        // `2024 2025 2026`, card-like blocks.
        return false;
    }
    let rest = if first.len() == 1 {
        // A trunk or country prefix: 8 or 7 in Russia, 1 in North America.
        if digits != 11 || !matches!(*first, "7" | "8" | "1") {
            return false;
        }
        groups.get(1..).unwrap_or_default()
    } else {
        let landline = first.starts_with('0');
        let ok = match digits {
            10 => true,
            11 => cn_mobile || landline,
            _ => landline,
        };
        if !ok {
            return false;
        }
        groups
    };
    let (Some(area), Some(second)) = (rest.first(), rest.get(1)) else {
        return false;
    };
    let area_ok = area.len() == 3 || (area.len() == 4 && area.starts_with('0'));
    area_ok
        && matches!(second.len(), 3 | 4 | 7 | 8)
        && rest
            .get(2..)
            .unwrap_or_default()
            .iter()
            .all(|g| (2..=4).contains(&g.len()))
}

/// Keeps the earliest of overlapping findings, the longest of those that
/// start together (an e-mail address over the domain inside it).
fn resolve(mut found: Vec<Found>) -> Vec<Found> {
    found.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if f.range.start >= f.range.end {
            continue;
        }
        if kept.last().is_some_and(|k| k.range.end > f.range.start) {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// Whether `host` is `domain` or a subdomain of it. Case-insensitive; a
/// trailing dot, a leading `.` or `*.` on the domain, ideographic full stops
/// and Unicode versus punycode spellings (`пример.рф` and
/// `xn--e1afmkfd.xn--p1ai`) make no difference.
pub fn host_matches(host: &str, domain: &str) -> bool {
    let (Some(host), Some(domain)) = (ascii_host(host), ascii_host(domain)) else {
        return false;
    };
    suffix_match(&host, &domain)
}

fn suffix_match(host: &str, domain: &str) -> bool {
    !domain.is_empty()
        && (host == domain
            || host
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.')))
}

/// A list of domains (allow or deny), prepared once for [`host_matches`]
/// checks against many hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainList {
    /// (as given, trimmed; ASCII form)
    domains: Vec<(String, String)>,
    /// Each ASCII form's first place in `domains`: a host is looked up by
    /// its suffixes, a few lookups whatever the length of the list.
    index: HashMap<String, usize>,
}

impl DomainList {
    /// The list. An entry covers its subdomains, so a top-level domain
    /// (`top`) covers every host under it; empty entries are skipped.
    pub fn new<I, S>(domains: I) -> DomainList
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let domains: Vec<(String, String)> = domains
            .into_iter()
            .filter_map(|d| {
                let given = d.as_ref().trim();
                Some((given.to_owned(), ascii_host(given)?))
            })
            .collect();
        let mut index = HashMap::with_capacity(domains.len());
        for (i, (_, ascii)) in domains.iter().enumerate() {
            index.entry(ascii.clone()).or_insert(i);
        }
        DomainList { domains, index }
    }

    /// The first listed domain that `host` equals or is a subdomain of.
    pub fn find(&self, host: &str) -> Option<&str> {
        let host = ascii_host(host)?;
        // The domains `host` is under are its suffixes that start it or
        // follow a dot (what `suffix_match` accepts).
        let suffixes = std::iter::once(host.as_str()).chain(
            host.match_indices('.')
                .filter_map(|(i, _)| host.get(i + 1..)),
        );
        suffixes
            .filter_map(|suffix| self.index.get(suffix).copied())
            .min()
            .and_then(|i| self.domains.get(i))
            .map(|(given, _)| given.as_str())
    }

    /// Whether `host` falls under a listed domain.
    pub fn contains_host(&self, host: &str) -> bool {
        self.find(host).is_some()
    }

    /// The number of domains.
    pub fn len(&self) -> usize {
        self.domains.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }
}

/// Lowercase ASCII form of a host: ideographic full stops read as dots,
/// leading `*.`/`.` and trailing dots dropped, Unicode labels punycoded.
/// `None` for what cannot be a host.
fn ascii_host(host: &str) -> Option<String> {
    let host: String = host
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '。' | '．' | '｡') {
                '.'
            } else {
                c
            }
        })
        .collect::<String>()
        .to_lowercase();
    let host = host.strip_prefix("*.").unwrap_or(&host);
    let host = host.trim_matches('.');
    if host.is_empty() || host.len() > 1024 {
        return None;
    }
    let mut out = String::with_capacity(host.len());
    for (i, label) in host.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.is_ascii() {
            out.push_str(label);
        } else {
            out.push_str("xn--");
            out.push_str(&punycode(label)?);
        }
    }
    Some(out)
}

/// RFC 3492 punycode of one label (without the `xn--` prefix). `None` on
/// overflow, which only absurd labels reach; labels over 63 characters are
/// refused up front to keep this cheap.
fn punycode(label: &str) -> Option<String> {
    const BASE: u32 = 36;
    const T_MIN: u32 = 1;
    const T_MAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    let input: Vec<u32> = label.chars().map(|c| c as u32).collect();
    if input.len() > 63 {
        return None;
    }
    let digit = |d: u32| -> Option<char> {
        match d {
            0..=25 => char::from_u32(u32::from(b'a') + d),
            26..=35 => char::from_u32(u32::from(b'0') + d - 26),
            _ => None,
        }
    };
    let adapt = |delta: u32, points: u32, first: bool| -> u32 {
        let mut delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points.max(1);
        let mut k = 0;
        while delta > ((BASE - T_MIN) * T_MAX) / 2 {
            delta /= BASE - T_MIN;
            k += BASE;
        }
        k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
    };
    let mut output: String = input
        .iter()
        .filter(|&&c| c < 0x80)
        .filter_map(|&c| char::from_u32(c))
        .collect();
    let basic = u32::try_from(output.len()).ok()?;
    if basic > 0 {
        output.push('-');
    }
    let total = u32::try_from(input.len()).ok()?;
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    while handled < total {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        T_MIN
                    } else if k >= bias + T_MAX {
                        T_MAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t))?);
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q)?);
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn extract(text: &str) -> Vec<Found> {
        LinkExtractor::new().extract(text)
    }

    /// (kind tag, covered text, value) for each finding.
    fn summary(text: &str) -> Vec<(String, String, String)> {
        extract(text)
            .into_iter()
            .map(|f| {
                let tag = match &f.kind {
                    FoundKind::Url { .. } => "url".to_owned(),
                    FoundKind::Invite { platform, .. } => format!("invite:{platform}"),
                    FoundKind::Phone => "phone".to_owned(),
                    FoundKind::WeChatId => "wechat".to_owned(),
                    FoundKind::QqId => "qq".to_owned(),
                    FoundKind::Email { .. } => "email".to_owned(),
                };
                (tag, text[f.range.clone()].to_owned(), f.value)
            })
            .collect()
    }

    fn one(text: &str) -> (String, String, String) {
        let all = summary(text);
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().unwrap()
    }

    fn assert_one(text: &str, tag: &str, covered: &str, value: &str) {
        let (t, c, v) = one(text);
        assert_eq!(
            (t.as_str(), c.as_str(), v.as_str()),
            (tag, covered, value),
            "{text:?}"
        );
    }

    fn assert_none(text: &str) {
        assert_eq!(summary(text), [], "{text:?}");
    }

    #[test]
    fn urls_with_and_without_scheme() {
        assert_one(
            "see https://Example.com/x now",
            "url",
            "https://Example.com/x",
            "example.com/x",
        );
        assert_one(
            "go www.example.com",
            "url",
            "www.example.com",
            "www.example.com",
        );
        assert_one(
            "go www.example.museum today",
            "url",
            "www.example.museum",
            "www.example.museum",
        );
        assert_one(
            "bare example.com/path?q=1.",
            "url",
            "example.com/path?q=1",
            "example.com/path?q=1",
        );
        assert_one(
            "at sub.example.co.uk!",
            "url",
            "sub.example.co.uk",
            "sub.example.co.uk",
        );
        assert_one(
            "http://192.168.1.10:8080/admin",
            "url",
            "http://192.168.1.10:8080/admin",
            "192.168.1.10:8080/admin",
        );
        assert_one(
            "on 45.12.33.1/panel",
            "url",
            "45.12.33.1/panel",
            "45.12.33.1/panel",
        );
        assert_one(
            "example.com:8443",
            "url",
            "example.com:8443",
            "example.com:8443",
        );
        assert_one(
            "https://hello.world/",
            "url",
            "https://hello.world/",
            "hello.world/",
        );
        assert_one(
            "(see example.com/a_(b))",
            "url",
            "example.com/a_(b)",
            "example.com/a_(b)",
        );
        assert_one("站点abc123.top请访问", "url", "abc123.top", "abc123.top");
        assert_one(
            "сайт пример.рф/страница, заходи",
            "url",
            "пример.рф/страница",
            "пример.рф/страница",
        );
        assert_one("访问baidu.中国", "url", "baidu.中国", "baidu.中国");
        assert_one(
            "Visit example.com. Next time",
            "url",
            "example.com",
            "example.com",
        );
        let found = extract("HTTPS://WWW.Example.COM/Path");
        assert_eq!(found[0].host(), Some("www.example.com"));
        assert_eq!(found[0].value, "www.example.com/Path");
    }

    #[test]
    fn disguised_links() {
        assert_one(
            "join t . me/xxx now",
            "invite:telegram",
            "t . me/xxx",
            "t.me/xxx",
        );
        assert_one("join t .me/xxx", "invite:telegram", "t .me/xxx", "t.me/xxx");
        assert_one("join t. me/xxx", "invite:telegram", "t. me/xxx", "t.me/xxx");
        assert_one(
            "visit example . com today",
            "url",
            "example . com",
            "example.com",
        );
        assert_one("example[.]com", "url", "example[.]com", "example.com");
        assert_one("example(.)com", "url", "example(.)com", "example.com");
        assert_one("example{.}com", "url", "example{.}com", "example.com");
        assert_one("example[dot]com", "url", "example[dot]com", "example.com");
        assert_one(
            "example (dot) com",
            "url",
            "example (dot) com",
            "example.com",
        );
        assert_one(
            "go to example dot com",
            "url",
            "example dot com",
            "example.com",
        );
        assert_one("加我 example。com", "url", "example。com", "example.com");
        assert_one("加我 example．com", "url", "example．com", "example.com");
        assert_one("加我 example点com", "url", "example点com", "example.com");
        assert_one(
            "hxxp://evil[.]site/a",
            "url",
            "hxxp://evil[.]site/a",
            "evil.site/a",
        );
        assert_one(
            "h**ps://evil.example/a",
            "url",
            "h**ps://evil.example/a",
            "evil.example/a",
        );
        assert_one(
            "hxxps[:]//evil.example",
            "url",
            "hxxps[:]//evil.example",
            "evil.example",
        );
        assert_one(
            "ip 192[.]168[.]0[.]1/x",
            "url",
            "192[.]168[.]0[.]1/x",
            "192.168.0.1/x",
        );
        assert_one(
            "www . example . com",
            "url",
            "www . example . com",
            "www.example.com",
        );
        // The weak separator is punctuation here, not part of the host.
        assert_one(
            "join us . t.me/+abc",
            "invite:telegram",
            "t.me/+abc",
            "t.me/+abc",
        );
        assert_one(
            "好的ok。t.me/abc",
            "invite:telegram",
            "t.me/abc",
            "t.me/abc",
        );
        assert_one(
            "I'm fine . example.com",
            "url",
            "example.com",
            "example.com",
        );
        assert_eq!(
            summary("example.com. t.me/abc")
                .into_iter()
                .map(|s| s.2)
                .collect::<Vec<_>>(),
            ["example.com", "t.me/abc"]
        );
    }

    #[test]
    fn invite_links() {
        let cases = [
            ("t.me/+AbCdEf123", "telegram", "t.me/+AbCdEf123"),
            (
                "https://t.me/joinchat/AbCd",
                "telegram",
                "t.me/joinchat/AbCd",
            ),
            (
                "telegram.me/some_channel",
                "telegram",
                "telegram.me/some_channel",
            ),
            ("t.me/public_name", "telegram", "t.me/public_name"),
            (
                "chat.whatsapp.com/AbC123",
                "whatsapp",
                "chat.whatsapp.com/AbC123",
            ),
            ("discord.gg/abc", "discord", "discord.gg/abc"),
            (
                "https://discord.com/invite/abc",
                "discord",
                "discord.com/invite/abc",
            ),
            (
                "qm.qq.com/cgi-bin/qm/qr?k=abc",
                "qq",
                "qm.qq.com/cgi-bin/qm/qr?k=abc",
            ),
            (
                "https://jq.qq.com/?_wv=1027&k=abc",
                "qq",
                "jq.qq.com/?_wv=1027&k=abc",
            ),
            ("weixin.qq.com/g/AbC", "wechat", "weixin.qq.com/g/AbC"),
            ("https://line.me/R/ti/g/abc", "line", "line.me/R/ti/g/abc"),
            ("line.me/ti/g/abc", "line", "line.me/ti/g/abc"),
        ];
        for (text, platform, value) in cases {
            let found = extract(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(
                matches!(&found[0].kind, FoundKind::Invite { platform: p, .. } if *p == platform),
                "{text}: {found:?}"
            );
            assert_eq!(found[0].value, value);
            assert_eq!(found[0].range, 0..text.len());
        }
        assert_one(
            "tg://join?invite=AbC-1",
            "invite:telegram",
            "tg://join?invite=AbC-1",
            "t.me/+AbC-1",
        );
        assert_one(
            "tg://resolve?domain=spam_bot",
            "invite:telegram",
            "tg://resolve?domain=spam_bot",
            "t.me/spam_bot",
        );
        // Links that are not invites.
        assert_one("t.me", "url", "t.me", "t.me");
        assert_one(
            "https://discord.com/channels/1",
            "url",
            "https://discord.com/channels/1",
            "discord.com/channels/1",
        );
        assert_one(
            "weixin.qq.com/cgi",
            "url",
            "weixin.qq.com/cgi",
            "weixin.qq.com/cgi",
        );
        let found = extract("t.me/x");
        assert_eq!(found[0].host(), Some("t.me"));
    }

    #[test]
    fn phone_numbers() {
        assert_one(
            "call +7 912 345-67-89",
            "phone",
            "+7 912 345-67-89",
            "+79123456789",
        );
        assert_one(
            "电话 +86 138 0013 8000",
            "phone",
            "+86 138 0013 8000",
            "+8613800138000",
        );
        assert_one(
            "+1 (555) 123-4567",
            "phone",
            "+1 (555) 123-4567",
            "+15551234567",
        );
        assert_one("手机13800138000联系", "phone", "13800138000", "13800138000");
        assert_one(
            "звони 8 (912) 345-67-89!",
            "phone",
            "8 (912) 345-67-89",
            "89123456789",
        );
        assert_one("звони 89123456789", "phone", "89123456789", "89123456789");
        assert_one("(555) 123-4567", "phone", "(555) 123-4567", "5551234567");
        assert_one("8-800-555-35-35", "phone", "8-800-555-35-35", "88005553535");
        assert_one("138-0013-8000", "phone", "138-0013-8000", "13800138000");
        assert_one("010-12345678", "phone", "010-12345678", "01012345678");
        assert_one("в 2025 13800138000", "phone", "13800138000", "13800138000");
        assert_one(
            "+8613800138000",
            "phone",
            "+8613800138000",
            "+8613800138000",
        );
    }

    #[test]
    fn numbers_that_are_not_phones() {
        for text in [
            "I paid 1500 rubles in 2024",
            "see you at 10.30",
            "version 1.2.3",
            "в 2025 году 15000 рублей",
            "2026年11月21日",
            "2024 2025 2026",
            "order 1234567890",
            "order #13800138000",
            "id13800138000",
            "1 2 3 4 5 6 7 8 9 10",
            "1000 2000 30",
            "1.500.000.000 рублей",
            "3.14159265358979",
            "10.100.100.100",
            "138001380001234",
            "4111 1111 1111 1111",
            "2024-11-21 10:30:00",
            "timestamp 1700000000",
            "IBAN DE89 3704 0044 0532 0130 00",
            "1 2 3 4 5 6 7 8 9 10 11 12 13",
        ] {
            assert_none(text);
        }
    }

    #[test]
    fn wechat_and_qq_ids() {
        assert_one("加V：abc123", "wechat", "加V：abc123", "abc123");
        assert_one(
            "兼职刷单日结300，加V：abc123",
            "wechat",
            "加V：abc123",
            "abc123",
        );
        assert_one(
            "微信号 zhang_san88 联系",
            "wechat",
            "微信号 zhang_san88",
            "zhang_san88",
        );
        assert_one("微信：zhangsan", "wechat", "微信：zhangsan", "zhangsan");
        assert_one("vx: Abc-123456", "wechat", "vx: Abc-123456", "abc-123456");
        assert_one(
            "wechat: hello_world",
            "wechat",
            "wechat: hello_world",
            "hello_world",
        );
        assert_one("add wx abc12345", "wechat", "wx abc12345", "abc12345");
        assert_one("v信 abc123", "wechat", "v信 abc123", "abc123");
        assert_one("weixin: abcdef1", "wechat", "weixin: abcdef1", "abcdef1");
        assert_one("加微abcdef", "wechat", "加微abcdef", "abcdef");
        assert_one(
            "id wxid_abc12345",
            "wechat",
            "wxid_abc12345",
            "wxid_abc12345",
        );
        assert_one("qq 12345678", "qq", "qq 12345678", "12345678");
        assert_one("QQ号：123456", "qq", "QQ号：123456", "123456");
        assert_one("加Q 987654321", "qq", "加Q 987654321", "987654321");
        assert_one("扣扣12345", "qq", "扣扣12345", "12345");
        assert_one("企鹅 13800138000", "qq", "企鹅 13800138000", "13800138000");
        assert_one("qq群: 5566778", "qq", "qq群: 5566778", "5566778");
        // Not ids.
        assert_none("join our wechat group today");
        assert_none("wx is abc");
        assert_none("twx: abc123");
        assert_none("qq 1234");
        assert_none("qq 123456789012");
        assert_none("微信 abc");
    }

    #[test]
    fn ids_give_way_to_links_and_mail() {
        assert_one("vx: example.com", "url", "example.com", "example.com");
        assert_one(
            "qq: 12345678@qq.com",
            "email",
            "12345678@qq.com",
            "12345678@qq.com",
        );
        assert_one(
            "weixin.qq.com/g/abc",
            "invite:wechat",
            "weixin.qq.com/g/abc",
            "weixin.qq.com/g/abc",
        );
    }

    #[test]
    fn emails() {
        assert_one(
            "mail John.Doe@Example.com now",
            "email",
            "John.Doe@Example.com",
            "john.doe@example.com",
        );
        assert_one(
            "13800138000@qq.com",
            "email",
            "13800138000@qq.com",
            "13800138000@qq.com",
        );
        assert_one(
            "info.ru@gmail.com",
            "email",
            "info.ru@gmail.com",
            "info.ru@gmail.com",
        );
        assert_one(
            "john [at] example [dot] com",
            "email",
            "john [at] example [dot] com",
            "john@example.com",
        );
        assert_one("a@b.example.", "email", "a@b.example", "a@b.example");
        let found = extract("x@mail.ru");
        assert_eq!(found[0].host(), Some("mail.ru"));
        assert_none("@username hi");
    }

    #[test]
    fn ordinary_text_is_not_a_link() {
        for text in [
            "e.g. this",
            "i.e. that one",
            "hello.world",
            "Mr.Smith",
            "Mr. Smith",
            "file.txt",
            "see readme.md and main.rs",
            "src/lib.rs/ is fine",
            "node.js is fast",
            "U.S.A. and p.s. and Ph.D",
            "wait...what",
            "Hello. World",
            "大家好。今天的咖啡很好喝。",
            "我们在中国。中国很大",
            "2026年11月21日。明天见",
            "Привет. Как дела? Всё хорошо.",
            "т.е. это и т.д.",
            "Он живёт в г. Москва",
            "в 2025 году 15000 рублей",
            "the dot com bubble",
            "I love .NET and Node.js",
            "C# .NET developer",
            "see https:// and then",
            "",
        ] {
            assert_none(text);
        }
    }

    #[test]
    fn works_on_normalized_text() {
        let original = "加Ｖ：ａｂｃ１２３ ｔ．ｍｅ／ｊｏｉｎ";
        let normalized = crate::Normalized::new(original);
        let found = extract(normalized.as_str());
        let values: Vec<&str> = found.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["abc123", "t.me/join"]);
    }

    #[test]
    fn hosts_match_domains_and_subdomains() {
        assert!(host_matches("example.com", "example.com"));
        assert!(host_matches("WWW.Example.COM.", "example.com"));
        assert!(host_matches("a.b.example.com", ".example.com"));
        assert!(host_matches("a.example.com", "*.example.com"));
        assert!(host_matches("example。com", "example.com"));
        assert!(!host_matches("notexample.com", "example.com"));
        assert!(!host_matches("example.com", "a.example.com"));
        assert!(!host_matches("example.com", ""));
        assert!(!host_matches("example.com", "."));
        assert!(host_matches("пример.рф", "xn--e1afmkfd.xn--p1ai"));
        assert!(host_matches("xn--e1afmkfd.xn--p1ai", "ПРИМЕР.РФ"));
        assert!(host_matches("shop.baidu.中国", "baidu.xn--fiqs8s"));
        assert!(!host_matches("пример.рф", "рф.example"));
    }

    #[test]
    fn case_insensitive_search() {
        assert!(has_ci(b"join our WeChat", b"wechat"));
        assert!(has_ci(b"wechat", b"wechat"));
        assert!(has_ci(b"12345678wechat", b"wechat"));
        assert!(has_ci(b"1234567WECHAT", b"wechat"));
        assert!(has_ci(b"a+V", b"+v"));
        assert!(has_ci(b"x", b""));
        assert!(!has_ci(b"wecha", b"wechat"));
        assert!(!has_ci(b"WE CHAT wechap", b"wechat"));
        // `| 0x20` maps `@` onto a backtick and `[` onto `{`: no false hits.
        assert!(!has_ci(b"`t]", b"@t]"));
        assert!(!has_ci(b"{at}", b"[at]"));
    }

    #[test]
    fn known_tlds_ignore_case() {
        assert!(is_known_tld("COM") && is_known_tld("РФ") && is_known_tld("中国"));
        assert!(!is_known_tld("world") && !is_known_tld("txt"));
    }

    #[test]
    fn punycode_matches_rfc_3492() {
        assert_eq!(punycode("рф").as_deref(), Some("p1ai"));
        assert_eq!(punycode("пример").as_deref(), Some("e1afmkfd"));
        assert_eq!(punycode("中国").as_deref(), Some("fiqs8s"));
        assert_eq!(punycode("bücher").as_deref(), Some("bcher-kva"));
        assert_eq!(punycode("москва").as_deref(), Some("80adxhks"));
        assert_eq!(punycode(&"я".repeat(64)), None);
    }

    #[test]
    fn domain_lists() {
        let list = DomainList::new(["scam.example", " Пример.РФ ", "", " . ", "top"]);
        assert_eq!(list.len(), 3);
        assert_eq!(list.find("win.a.top"), Some("top"));
        assert_eq!(list.find("www.scam.example"), Some("scam.example"));
        assert_eq!(list.find("xn--e1afmkfd.xn--p1ai"), Some("Пример.РФ"));
        assert!(!list.contains_host("notscam.example"));
        assert!(DomainList::default().is_empty());
        // The first listed domain wins, whichever suffix it is.
        let list = DomainList::new(["example", "b.example", "a.b.example"]);
        assert_eq!(list.find("x.a.b.example"), Some("example"));
        let list = DomainList::new(["a.b.example", "b.example", "example"]);
        assert_eq!(list.find("x.a.b.example"), Some("a.b.example"));
        assert_eq!(list.find("x.b.example"), Some("b.example"));
        assert_eq!(list.find("b.example."), Some("b.example"));
        assert_eq!(list.find("ab.example"), Some("example"));
    }

    #[test]
    fn findings_are_in_order_and_apart() {
        let text = "加V：abc123 或 +7 912 345-67-89, mail a@b.com, t.me/+x, qq 123456";
        let tags: Vec<String> = summary(text).into_iter().map(|s| s.0).collect();
        assert_eq!(tags, ["wechat", "phone", "email", "invite:telegram", "qq"]);
    }

    #[test]
    fn long_and_hostile_inputs_are_fine() {
        let extractor = LinkExtractor::new();
        for text in [
            "a.".repeat(50_000),
            "a . ".repeat(20_000),
            "1 ".repeat(50_000),
            "+1(".repeat(20_000),
            "qq".repeat(50_000),
            "x@".repeat(50_000),
            "[.]".repeat(50_000),
            format!(
                "https://{}.com/{}",
                "a".repeat(100_000),
                "b".repeat(100_000)
            ),
        ] {
            let found = extractor.extract(&text);
            check_ranges(&text, &found);
        }
    }

    fn check_ranges(text: &str, found: &[Found]) {
        let mut end = 0;
        for f in found {
            assert!(f.range.start < f.range.end, "{f:?}");
            assert!(f.range.end <= text.len(), "{f:?}");
            assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
            assert!(f.range.start >= end, "overlap at {f:?}");
            end = f.range.end;
        }
    }

    proptest! {
        #[test]
        fn has_ci_agrees_with_a_plain_search(
            hay in "[a-cA-C@`+ ]{0,40}",
            needle in "[a-cA-C@`+]{1,3}",
        ) {
            let plain = hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase());
            prop_assert_eq!(has_ci(hay.as_bytes(), needle.as_bytes()), plain);
        }

        #[test]
        fn never_panics_and_ranges_are_sound(text in ".{0,200}") {
            let found = LinkExtractor::new().extract(&text);
            check_ranges(&text, &found);
        }

        #[test]
        fn link_like_soup_is_sound(
            text in r"([a-z0-9]{1,6}|[.。．点@:/+() \[\]-]|dot|t|me|com|qq|wx|微信|加v|[0-9]{3,11}){0,40}"
        ) {
            let found = LinkExtractor::new().extract(&text);
            check_ranges(&text, &found);
        }
    }
}
