//! Stand-ins for contact words: the spellings used to name WeChat and QQ
//! without writing 微信 or QQ, folded to the plain word so one keyword or
//! pattern catches them all.
//!
//! * WeChat: `vx`, `wx`, `weixin`, `v信`, 薇信, 威信, 维信, 徽信, 微芯 → 微信.
//! * QQ: 扣扣, 抠抠, 企鹅号, `qq号` (号 / 号码 dropped) → `qq`.
//! * "Add": `+v`, `➕v`, `十v`, `加v` (a lone v after "add") → 加微信; `+` before
//!   any contact word → 加 (`+vx` → 加微信, `+qq` → 加qq).
//!
//! Latin forms only count as whole tokens, so `wax` or `vxyz` stay, and not
//! inside links or handles (`t.me/vx123`, `@wx_shop`), where rewriting would
//! break the link rules. Digits may follow (`vx123456`): spammers glue the
//! account to the word.

use super::{Unit, is_alnum, is_letter};
use super::{cjk, confusables};

const WECHAT: &str = "微信";
const QQ: &str = "qq";

/// What a contact word at some position is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A lone `v`: only a contact word right after "add".
    BareV,
    /// A Latin spelling of WeChat (`vx`, `wx`, `weixin`, `v信`).
    LatinWeChat,
    /// A Chinese near-homophone of 微信.
    ChineseWeChat,
    /// 微信 itself.
    WeChat,
    /// `qq` itself.
    Qq,
    /// Another name for QQ, or QQ with 号 / 号码.
    QqAlias,
}

impl Form {
    fn plain(self) -> &'static str {
        match self {
            Form::Qq | Form::QqAlias => QQ,
            _ => WECHAT,
        }
    }
}

/// Whether there is any stand-in at all; lets most messages skip the
/// copies [`replace`] makes.
pub(super) fn any(units: &[Unit]) -> bool {
    units.iter().enumerate().any(|(i, u)| {
        may_start(u.ch)
            && units
                .get(..i)
                .and_then(|written| stand_in_at(units, i, written))
                .is_some()
    })
}

/// Whether a stand-in can start with `c`.
pub(super) fn may_start(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, '+' | 'v' | 'w' | 'q')
    } else {
        matches!(
            c,
            '十' | '加' | '薇' | '威' | '维' | '徽' | '微' | '扣' | '抠' | '企'
        )
    }
}

/// Which contact word a pass replaces. WeChat goes first so that the QQ
/// pass sees the result when it checks what its `qq` would touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    WeChat,
    Qq,
}

/// Copies `src` to `out`, replacing one kind of stand-in; whether anything
/// was replaced. Each replacement unit maps to the whole original stand-in.
pub(super) fn replace(src: &[Unit], out: &mut Vec<Unit>, pass: Pass) -> bool {
    let mut replaced = false;
    let mut i = 0;
    while let Some(unit) = src.get(i) {
        if let Some((end, add, form)) = stand_in_at(src, i, out)
            && (form.plain() == QQ) == (pass == Pass::Qq)
        {
            let start = unit.start;
            let stop = src
                .get(end.saturating_sub(1))
                .map_or(unit.end, |u| u.end.max(start));
            if add {
                out.push(Unit::new('加', start, stop));
            }
            for ch in form.plain().chars() {
                out.push(Unit::new(ch, start, stop));
            }
            i = end.max(i + 1);
            replaced = true;
        } else {
            out.push(*unit);
            i += 1;
        }
    }
    replaced
}

/// A stand-in starting at `i`: where it ends, whether it starts with "add",
/// and what it stands for. `written` is the output so far.
fn stand_in_at(src: &[Unit], i: usize, written: &[Unit]) -> Option<(usize, bool, Form)> {
    let c = src.get(i)?.ch;
    let before = written.last().map(|u| u.ch);
    if matches!(c, '+' | '十' | '加') {
        if c == '+' && !plus_means_add(before) {
            return None;
        }
        let j = skip_spaces(src, i + 1);
        let (end, form) = contact_at(src, j)?;
        let wanted = match c {
            '+' => true,
            '十' => matches!(form, Form::BareV | Form::LatinWeChat),
            // 加 + anything else is left to the next position: 加薇信 → 加 + 微信.
            _ => form == Form::BareV,
        };
        return (wanted && qq_stays_apart(src, end, &[], form)).then_some((end, true, form));
    }
    let (end, form) = contact_at(src, i)?;
    match form {
        Form::LatinWeChat | Form::ChineseWeChat | Form::QqAlias => {
            qq_stays_apart(src, end, written, form).then_some((end, false, form))
        }
        Form::BareV | Form::WeChat | Form::Qq => None,
    }
}

/// A replacement that ends in Latin `qq` must not run into a word of
/// another script (扣扣 next to спам would make `спамqq`, one word in two
/// scripts, which the script pass would fold on a second normalization).
/// `before` is what was already written in front of it.
fn qq_stays_apart(src: &[Unit], end: usize, before: &[Unit], form: Form) -> bool {
    if form.plain() != QQ {
        return true;
    }
    let foreign =
        |u: &Unit| is_letter(u.ch) && confusables::script(u.ch) != confusables::Script::Latin;
    let word = |u: &&Unit| is_alnum(u.ch) && !cjk::is_cjk(u.ch);
    // Bounded, so that a giant word followed by many stand-ins stays linear.
    let after = src.get(end..).unwrap_or_default();
    !after.iter().take(MAX_WORD).take_while(word).any(foreign)
        && !before
            .iter()
            .rev()
            .take(MAX_WORD)
            .take_while(word)
            .any(foreign)
}

/// How far [`qq_stays_apart`] looks into the neighbouring words.
const MAX_WORD: usize = 64;

/// A contact word starting at `j`, and where it ends.
fn contact_at(src: &[Unit], j: usize) -> Option<(usize, Form)> {
    let c = src.get(j)?.ch;
    match c {
        'v' | 'w' | 'q' => latin_contact_at(src, j),
        '薇' | '威' | '维' | '徽' if is_at(src, j + 1, "信") => {
            Some((j + 2, Form::ChineseWeChat))
        }
        '微' if is_at(src, j + 1, "芯") => Some((j + 2, Form::ChineseWeChat)),
        '微' if is_at(src, j + 1, "信") => Some((j + 2, Form::WeChat)),
        '扣' | '抠' if src.get(j + 1).is_some_and(|u| u.ch == c) => {
            Some((number_suffix(src, j + 2), Form::QqAlias))
        }
        // 企鹅 alone is a penguin; 企鹅号 is a QQ number.
        '企' if is_at(src, j + 1, "鹅号") => Some((number_suffix(src, j + 2), Form::QqAlias)),
        _ => None,
    }
}

fn latin_contact_at(src: &[Unit], j: usize) -> Option<(usize, Form)> {
    let before = j.checked_sub(1).and_then(|p| src.get(p)).map(|u| u.ch);
    if before.is_some_and(|b| is_letter(b) || is_link_char(b)) {
        return None;
    }
    for (word, form) in [
        ("weixin", Form::LatinWeChat),
        ("vx", Form::LatinWeChat),
        ("wx", Form::LatinWeChat),
        ("qq", Form::Qq),
    ] {
        if is_at(src, j, word) {
            let end = j + word.chars().count();
            if !token_ends_at(src, end) {
                continue;
            }
            if form == Form::Qq {
                let with_suffix = number_suffix(src, end);
                if with_suffix > end {
                    return Some((with_suffix, Form::QqAlias));
                }
            }
            return Some((end, form));
        }
    }
    if src.get(j).is_some_and(|u| u.ch == 'v') {
        // v信, also written v 信.
        let k = skip_spaces(src, j + 1);
        if is_at(src, k, "信") {
            return Some((k + 1, Form::LatinWeChat));
        }
        if token_ends_at(src, j + 1) {
            return Some((j + 1, Form::BareV));
        }
    }
    None
}

/// Whether a Latin token ending before `end` is whole: no letter follows,
/// and it is not the start of a host name or handle.
fn token_ends_at(src: &[Unit], end: usize) -> bool {
    match src.get(end).map(|u| u.ch) {
        None => true,
        Some(c) if is_letter(c) || c == '@' || c == '/' => false,
        Some('.') => !src.get(end + 1).is_some_and(|u| is_alnum(u.ch)),
        Some(_) => true,
    }
}

/// `+` means "add" unless it is part of a link, a handle or an expression.
fn plus_means_add(before: Option<char>) -> bool {
    match before {
        None => true,
        Some(b) if cjk::is_cjk(b) => true,
        Some(b) => !(is_alnum(b) || is_link_char(b) || b == '+'),
    }
}

/// Characters that, right before a word, make it part of a link, an e-mail
/// address or a handle.
fn is_link_char(c: char) -> bool {
    matches!(c, '/' | '.' | '@' | '_' | '=' | '&' | '?' | '#' | '%')
}

/// After a QQ word: past an optional 号 or 号码 (号 repeated counts once, so
/// that what is left is not a fresh `qq号` for the next normalization).
fn number_suffix(src: &[Unit], mut k: usize) -> usize {
    if !is_at(src, k, "号") {
        return k;
    }
    while is_at(src, k, "号") {
        k += 1;
    }
    if is_at(src, k, "码") { k + 1 } else { k }
}

fn skip_spaces(src: &[Unit], mut k: usize) -> usize {
    while src.get(k).is_some_and(|u| u.ch == ' ') {
        k += 1;
    }
    k
}

fn is_at(src: &[Unit], k: usize, word: &str) -> bool {
    let mut rest = src.get(k..).unwrap_or_default().iter();
    word.chars().all(|c| rest.next().is_some_and(|u| u.ch == c))
}
