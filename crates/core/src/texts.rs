//! What the bot says in chats beyond moderation notices: replies to in-chat
//! commands, cards posted to the admins' chat, button labels, answers to
//! button presses, join screening and complaints about missing rights, in
//! Chinese, Russian and English.
//!
//! Every text is plain: adapters escape it for their platform's markup.

use std::borrow::Cow;

use crate::captcha::CaptchaKind;
use crate::i18n::{Lang, duration};

/// The longest mute or ban a command may ask for, in days.
///
/// Telegram treats a restriction longer than 366 days as permanent, so a
/// longer one would silently become something the admin did not ask for.
/// [`BotText::BadDuration`] quotes this limit.
pub const MAX_DURATION_DAYS: u32 = 366;

/// How much of a member's message a card quotes, in characters: a whole
/// wall of text would push the card past Telegram's 4096-character limit.
const CARD_QUOTE_CHARS: usize = 1000;

/// A text the bot says in a chat, with its arguments.
///
/// Names of members and groups are display strings, inserted as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotText<'a> {
    /// A member who is not an admin or moderator used a moderation command.
    NotAllowed {
        /// The command's name, without the slash.
        command: &'a str,
    },
    /// A moderation command named nobody.
    NeedsTarget {
        /// The command's name, without the slash.
        command: &'a str,
    },
    /// The member a command named is not known in the group.
    TargetNotFound {
        /// Who was named, as given.
        who: &'a str,
    },
    /// A duration could not be read.
    BadDuration {
        /// The duration as given.
        given: &'a str,
    },
    /// A moderation command named an admin.
    CannotTargetAdmin {
        /// The admin's name.
        name: &'a str,
    },
    /// A member was warned.
    Warned {
        /// The member's name.
        name: &'a str,
        /// Why, if the admin said.
        reason: Option<&'a str>,
        /// How many active warnings the member has now, this one included.
        count: u32,
    },
    /// A member was muted.
    MutedFor {
        /// The member's name.
        name: &'a str,
        /// How long, already formatted for the language.
        duration: &'a str,
    },
    /// A member may write again.
    Unmuted {
        /// The member's name.
        name: &'a str,
    },
    /// A member was removed from the group and may come back.
    Kicked {
        /// The member's name.
        name: &'a str,
    },
    /// A member was banned.
    BannedFor {
        /// The member's name.
        name: &'a str,
        /// How long, already formatted; `None` is permanently.
        duration: Option<&'a str>,
    },
    /// A member's ban was lifted.
    Unbanned {
        /// The member's name.
        name: &'a str,
    },
    /// `/report` was sent without replying to a message.
    ReportNeedsReply,
    /// A report went to the admins.
    ReportReceived,
    /// `/feedback` was sent without any text.
    FeedbackNeedsText,
    /// Feedback went to the admins.
    FeedbackReceived,
    /// `/appeal` was sent without any text.
    AppealNeedsText,
    /// An appeal went to the admins.
    AppealReceived,
    /// `/complain` was sent without any text.
    ComplainNeedsText,
    /// A member's `/feedback` or `/complain` opened a ticket.
    TicketOpened {
        /// The ticket's number.
        number: i64,
    },
    /// Private chat: a ticket was asked for, but the member is in no group
    /// Steward knows.
    TicketNoGroup,
    /// Admins' chat: a member opened a ticket.
    TicketCard {
        /// The ticket's number.
        number: i64,
        /// The group's name.
        group: &'a str,
        /// The member's name.
        member: &'a str,
        /// The ticket's category.
        category: &'a str,
        /// What the member wrote.
        text: &'a str,
    },
    /// Admins' chat: a ticket had no response within the group's target.
    TicketOverdue {
        /// The ticket's number.
        number: i64,
        /// The group's name.
        group: &'a str,
        /// The member's name.
        member: &'a str,
        /// How long ago the ticket was opened, already formatted.
        age: &'a str,
        /// What the member wrote.
        text: &'a str,
    },
    /// To the member: their ticket was resolved.
    TicketResolved {
        /// The ticket's number.
        number: i64,
        /// The group's name.
        group: &'a str,
        /// The team's answer.
        text: &'a str,
    },
    /// The group's rules.
    Rules {
        /// The rules, in order; blank ones are skipped.
        rules: &'a [String],
    },
    /// The commands the asker may use.
    Help {
        /// Whether the asker is an admin or moderator.
        admin: bool,
    },
    /// `/faq`: the group's frequently asked questions, by title.
    FaqList {
        /// The titles, in order; none: the group has no entries yet.
        titles: &'a [String],
    },
    /// Admins' chat: the engine acted on a case and asks an admin to review it.
    EscalationCard {
        /// The group's name.
        group: &'a str,
        /// The member's name.
        member: &'a str,
        /// The rule that matched.
        rule: &'a str,
        /// Why it matched.
        reason: &'a str,
        /// The member's message.
        text: &'a str,
        /// What was already done, e.g. "ban", already in the card's language.
        done: &'a str,
    },
    /// Admins' chat: a member reported a message.
    ReportCard {
        /// The group's name.
        group: &'a str,
        /// Who reported.
        reporter: &'a str,
        /// Who wrote the reported message.
        member: &'a str,
        /// The reported message.
        text: &'a str,
    },
    /// Admins' chat: a member appealed.
    AppealCard {
        /// The group's name.
        group: &'a str,
        /// The member's name.
        member: &'a str,
        /// The appeal.
        text: &'a str,
    },
    /// Admins' chat: a member sent feedback.
    FeedbackCard {
        /// The group's name.
        group: &'a str,
        /// The member's name.
        member: &'a str,
        /// The feedback.
        text: &'a str,
    },
    /// Admins' chat: someone asks to join a group.
    JoinRequestCard {
        /// The group's name.
        group: &'a str,
        /// The applicant's name.
        member: &'a str,
        /// What the applicant wrote or answered, if anything.
        note: Option<&'a str>,
    },
    /// Admins' chat: a card after an admin decided it.
    Decided {
        /// The card's text as it was rendered before.
        card: String,
        /// What was decided.
        decision: Decision,
        /// Who decided.
        by: &'a str,
    },
    /// Button answer: the presser may not decide this.
    ButtonNotAllowed,
    /// Button answer: someone decided this already.
    AlreadyDecided,
    /// Button answer: the decision was taken.
    DecisionApplied,
    /// Private chat: the join question for an applicant.
    JoinQuestion {
        /// The group's name.
        group: &'a str,
        /// The question.
        question: &'a str,
        /// How many minutes the applicant has to answer.
        minutes: u32,
    },
    /// Private chat: the applicant was let in.
    JoinApproved {
        /// The group's name.
        group: &'a str,
    },
    /// Private chat: an admin declined the applicant.
    JoinDeclined {
        /// The group's name.
        group: &'a str,
    },
    /// Private chat: the applicant did not answer in time.
    JoinTimedOut {
        /// The group's name.
        group: &'a str,
    },
    /// Private chat: the applicant's answer was wrong, so the request is declined.
    JoinWrongAnswer {
        /// The group's name.
        group: &'a str,
    },
    /// Group: a newcomer is muted until they solve a CAPTCHA with the
    /// buttons below.
    CaptchaInGroup {
        /// The newcomer's name.
        name: &'a str,
        /// The emoji to press, or the sum.
        prompt: &'a str,
        /// Which kind of challenge.
        kind: CaptchaKind,
        /// Minutes to solve it.
        minutes: u32,
    },
    /// Private chat: an applicant's CAPTCHA (buttons for emoji, typed for
    /// a sum).
    CaptchaPrivate {
        /// The group's name.
        group: &'a str,
        /// The emoji to press, or the sum.
        prompt: &'a str,
        /// Which kind of challenge.
        kind: CaptchaKind,
        /// Minutes to solve it.
        minutes: u32,
    },
    /// Button answer: the CAPTCHA is someone else's.
    CaptchaNotYours,
    /// Button answer: the CAPTCHA was solved.
    CaptchaPassed,
    /// Button answer: the CAPTCHA was answered wrongly.
    CaptchaWrong,
    /// Private chat: the applicant passed the checks; an admin decides now.
    JoinAwaitingAdmin {
        /// The group's name.
        group: &'a str,
    },
    /// Private chat: a message that is no answer (a sticker, a photo, a
    /// `/command`) while a join question or typed CAPTCHA waits.
    JoinAnswerHint {
        /// The group's name.
        group: &'a str,
        /// Whether a sum's result is awaited (else an answer to the
        /// question).
        captcha: bool,
    },
    /// Admins' chat: a join wave started raid mode.
    RaidStarted {
        /// The group's name.
        group: &'a str,
        /// Joins counted within the raid window.
        joins: u32,
        /// Minutes raid mode lasts.
        minutes: u32,
    },
    /// Admins' chat: raid mode ended, by time or by an admin.
    RaidEnded {
        /// The group's name.
        group: &'a str,
        /// Who ended it early, if someone did.
        by: Option<&'a str>,
        /// Newcomers still muted, waiting for an admin.
        held: u32,
    },
    /// `/invite`: the member's personal invite link to the group.
    InviteLink {
        /// The link.
        link: &'a str,
    },
    /// `/invite` on a platform where the bot cannot create invite links.
    InviteUnsupported,
    /// `/referrals`: the top referrers of the group.
    ReferralTop {
        /// The campaign running, if one is.
        campaign: Option<&'a str>,
        /// Referrers' names and credited joins, best first.
        leaders: &'a [(String, i64)],
    },
    /// `/report` on a message the member reported already.
    ReportAlreadyCounted,
    /// `/report`: the reports on the message reached the group's threshold
    /// and it was hidden.
    ReportHidden,
    /// Admins' chat: members' reports hid a message pending review.
    ReportHiddenCard {
        /// The group's name.
        group: &'a str,
        /// Who wrote the message.
        member: &'a str,
        /// Who reported it, joined by commas.
        reporters: &'a str,
        /// The reports' total weight, formatted.
        weight: &'a str,
        /// The group's threshold.
        threshold: u32,
        /// The hidden message.
        text: &'a str,
    },
    /// `/since`: the dry run, who would be removed before anything is done.
    SinceDryRun {
        /// How many would be removed.
        count: usize,
        /// The first of them, by name.
        names: &'a [String],
        /// Whether they would be banned rather than removed.
        ban: bool,
        /// The start of the window, formatted (`14:05 UTC`).
        since: &'a str,
        /// The command that goes ahead.
        confirm: &'a str,
        /// Whether the members changed since an earlier dry run.
        changed: bool,
    },
    /// `/since`: nobody joined in the window (apart from those spared).
    SinceNobody {
        /// The start of the window, formatted.
        since: &'a str,
    },
    /// `/since ... confirm`: the removals are queued, paced.
    SinceQueued {
        /// How many.
        count: usize,
        /// Whether they are banned.
        ban: bool,
        /// Over how many minutes they are spread.
        minutes: i64,
    },
    /// `/since` could not be read.
    SinceUsage,
    /// Private chat: a removal was undone and the member is welcome back.
    /// The text keeps `{link}` where the invite link goes.
    Reinvited {
        /// The group's name.
        group: &'a str,
    },
    /// Admins' chat: the bot lacks a right it needs in a group.
    MissingRight {
        /// The group's name.
        group: &'a str,
        /// The right to grant.
        right: BotRight,
    },
    /// Welcome: what `{rules}` says when the group has no rules link.
    WelcomeRulesHint,
    /// Group: a member's name does not follow the group's nickname rule.
    NicknameReminder {
        /// The member's name.
        name: &'a str,
        /// The format, as the admins describe it.
        format: &'a str,
        /// A name that follows it, if the admins gave one.
        example: Option<&'a str>,
        /// Hours left before the member is muted.
        hours: u32,
    },
    /// Group: a member was muted until they fix their name.
    NicknameRestricted {
        /// The member's name.
        name: &'a str,
        /// The format.
        format: &'a str,
    },
    /// Group: a member fixed their name and may write again.
    NicknameFixed {
        /// The member's new name.
        name: &'a str,
    },
}

/// What an admin decided on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// What was done stands.
    Confirmed,
    /// Nothing more is done; what was done is reversed where it can be.
    Dismissed,
    /// The member was banned.
    Banned,
    /// The request was granted.
    Approved,
    /// The request was refused.
    Declined,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 5] = [
        Decision::Confirmed,
        Decision::Dismissed,
        Decision::Banned,
        Decision::Approved,
        Decision::Declined,
    ];
}

/// A button on an admins' chat card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ButtonLabel {
    /// Ban the member.
    Ban,
    /// Dismiss the case.
    Dismiss,
    /// Confirm what was done.
    Confirm,
    /// Approve a request.
    Approve,
    /// Decline a request.
    Decline,
    /// End raid mode early.
    EndRaid,
}

impl ButtonLabel {
    /// Every label.
    pub const ALL: [ButtonLabel; 6] = [
        ButtonLabel::Ban,
        ButtonLabel::Dismiss,
        ButtonLabel::Confirm,
        ButtonLabel::Approve,
        ButtonLabel::Decline,
        ButtonLabel::EndRaid,
    ];
}

/// A right the bot needs in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BotRight {
    /// Delete other members' messages.
    DeleteMessages,
    /// Mute and ban members.
    RestrictMembers,
    /// Invite members and handle join requests.
    InviteUsers,
    /// Pin messages.
    PinMessages,
    /// Be an admin at all.
    Admin,
}

impl BotRight {
    /// Every right.
    pub const ALL: [BotRight; 5] = [
        BotRight::DeleteMessages,
        BotRight::RestrictMembers,
        BotRight::InviteUsers,
        BotRight::PinMessages,
        BotRight::Admin,
    ];

    /// The right's name as group settings show it (close to Telegram's own
    /// wording, so admins can find the switch).
    fn label(self, lang: Lang) -> &'static str {
        use BotRight::*;
        match (self, lang) {
            (DeleteMessages, Lang::Zh) => "删除消息",
            (DeleteMessages, Lang::Ru) => "Удаление сообщений",
            (DeleteMessages, Lang::En) => "Delete messages",
            (RestrictMembers, Lang::Zh) => "封禁用户",
            (RestrictMembers, Lang::Ru) => "Блокировка участников",
            (RestrictMembers, Lang::En) => "Ban users",
            (InviteUsers, Lang::Zh) => "邀请用户",
            (InviteUsers, Lang::Ru) => "Пригласительные ссылки",
            (InviteUsers, Lang::En) => "Invite users",
            (PinMessages, Lang::Zh) => "置顶消息",
            (PinMessages, Lang::Ru) => "Закрепление сообщений",
            (PinMessages, Lang::En) => "Pin messages",
            (Admin, Lang::Zh) => "管理员",
            (Admin, Lang::Ru) => "Администратор",
            (Admin, Lang::En) => "Admin",
        }
    }
}

/// The label of `label` in `lang`.
pub fn button(label: ButtonLabel, lang: Lang) -> &'static str {
    use ButtonLabel::*;
    match (label, lang) {
        (Ban, Lang::Zh) => "封禁",
        (Ban, Lang::Ru) => "Заблокировать",
        (Ban, Lang::En) => "Ban",
        (Dismiss, Lang::Zh) => "驳回",
        (Dismiss, Lang::Ru) => "Отклонить",
        (Dismiss, Lang::En) => "Dismiss",
        (Confirm, Lang::Zh) => "确认",
        (Confirm, Lang::Ru) => "Подтвердить",
        (Confirm, Lang::En) => "Confirm",
        (Approve, Lang::Zh) => "通过",
        (Approve, Lang::Ru) => "Одобрить",
        (Approve, Lang::En) => "Approve",
        (Decline, Lang::Zh) => "拒绝",
        (Decline, Lang::Ru) => "Отказать",
        (Decline, Lang::En) => "Decline",
        (EndRaid, Lang::Zh) => "结束防突袭模式",
        (EndRaid, Lang::Ru) => "Завершить режим защиты",
        (EndRaid, Lang::En) => "End raid mode",
    }
}

/// Commands only admins and moderators may use, in menu order.
const ADMIN_COMMANDS: &[&str] = &[
    "warn", "mute", "unmute", "kick", "ban", "unban", "since", "award",
];

/// Commands everyone may use, in menu order.
const MEMBER_COMMANDS: &[&str] = &[
    "report",
    "rules",
    "feedback",
    "complain",
    "appeal",
    "invite",
    "referrals",
    "checkin",
    "points",
    "top",
    "raffle",
    "enter",
    "signup",
    "cancel",
    "faq",
    "help",
];

/// The bot's commands for its command menu (Telegram's `setMyCommands`), as
/// (name without the slash, description): everyone's commands, preceded by
/// the moderation commands when `admin`.
pub fn command_descriptions(lang: Lang, admin: bool) -> Vec<(&'static str, String)> {
    let admin_commands: &[&str] = if admin { ADMIN_COMMANDS } else { &[] };
    admin_commands
        .iter()
        .chain(MEMBER_COMMANDS.iter())
        .map(|&name| (name, describe(name, lang).to_owned()))
        .collect()
}

/// One command's menu description.
fn describe(command: &str, lang: Lang) -> &'static str {
    match (command, lang) {
        ("warn", Lang::Zh) => "警告成员",
        ("warn", Lang::Ru) => "Предупредить участника",
        ("warn", Lang::En) => "Warn a member",
        ("mute", Lang::Zh) => "禁言成员，可指定时长，如 1h",
        ("mute", Lang::Ru) => "Запретить участнику писать, можно на срок, например 1h",
        ("mute", Lang::En) => "Mute a member, optionally for a time such as 1h",
        ("unmute", Lang::Zh) => "解除禁言",
        ("unmute", Lang::Ru) => "Снова разрешить участнику писать",
        ("unmute", Lang::En) => "Unmute a member",
        ("kick", Lang::Zh) => "将成员移出本群（可重新加入）",
        ("kick", Lang::Ru) => "Удалить участника из группы (сможет вернуться)",
        ("kick", Lang::En) => "Remove a member (they can rejoin)",
        ("ban", Lang::Zh) => "封禁成员，可指定时长，如 7d",
        ("ban", Lang::Ru) => "Заблокировать участника, можно на срок, например 7d",
        ("ban", Lang::En) => "Ban a member, optionally for a time such as 7d",
        ("unban", Lang::Zh) => "解除封禁",
        ("unban", Lang::Ru) => "Разблокировать участника",
        ("unban", Lang::En) => "Lift a member's ban",
        ("since", Lang::Zh) => "移出或封禁某时间以来加入的所有人，如 /since 10m kick（先预演）",
        ("since", Lang::Ru) => {
            "Удалить или заблокировать всех вступивших с момента, например /since 10m kick (сначала пробный запуск)"
        }
        ("since", Lang::En) => {
            "Remove or ban everyone who joined since a time, e.g. /since 10m kick (dry run first)"
        }
        ("report", Lang::Zh) => "回复一条消息，向管理员举报",
        ("report", Lang::Ru) => "Пожаловаться на сообщение (ответом на него)",
        ("report", Lang::En) => "Report a message to the admins (reply to it)",
        ("rules", Lang::Zh) => "查看群规",
        ("rules", Lang::Ru) => "Правила группы",
        ("rules", Lang::En) => "Show the group rules",
        ("feedback", Lang::Zh) => "向管理员提意见或建议",
        ("feedback", Lang::Ru) => "Написать отзыв или предложение администраторам",
        ("feedback", Lang::En) => "Send feedback or a suggestion to the admins",
        ("complain", Lang::Zh) => "向管理员投诉，会生成工单并跟进到处理完毕",
        ("complain", Lang::Ru) => "Подать жалобу администраторам (её доведут до решения)",
        ("complain", Lang::En) => "File a complaint with the admins, tracked until resolved",
        ("appeal", Lang::Zh) => "对处罚提出申诉",
        ("appeal", Lang::Ru) => "Обжаловать наказание",
        ("appeal", Lang::En) => "Appeal a moderation decision",
        ("invite", Lang::Zh) => "获取你的专属邀请链接",
        ("invite", Lang::Ru) => "Получить личную пригласительную ссылку",
        ("invite", Lang::En) => "Get your personal invite link",
        ("referrals", Lang::Zh) => "查看邀请排行榜",
        ("referrals", Lang::Ru) => "Лучшие пригласившие",
        ("referrals", Lang::En) => "Show the top inviters",
        ("checkin", Lang::Zh) => "每日签到，连续签到有奖励",
        ("checkin", Lang::Ru) => "Ежедневная отметка: за серию дней — бонус",
        ("checkin", Lang::En) => "Check in for the day; streaks earn bonuses",
        ("points", Lang::Zh) => "查看我的积分、等级和排名",
        ("points", Lang::Ru) => "Мои баллы, уровень и место",
        ("points", Lang::En) => "Show your points, level and rank",
        ("top", Lang::Zh) => "积分排行榜，可加 week 或 month",
        ("top", Lang::Ru) => "Лучшие по баллам; можно добавить week или month",
        ("top", Lang::En) => "Top members by points; add week or month",
        ("award", Lang::Zh) => "给成员加减积分，如 /award @用户名 10 原因",
        ("award", Lang::Ru) => "Начислить или списать баллы: /award @username 10 причина",
        ("award", Lang::En) => "Give or take points, e.g. /award @username 10 reason",
        ("raffle", Lang::Zh) => "查看正在进行的抽奖",
        ("raffle", Lang::Ru) => "Открытые розыгрыши",
        ("raffle", Lang::En) => "Show the open raffles",
        ("enter", Lang::Zh) => "参加抽奖（也可用 /join_raffle）",
        ("enter", Lang::Ru) => "Участвовать в розыгрыше (или /join_raffle)",
        ("enter", Lang::En) => "Enter the raffle (or /join_raffle)",
        ("signup", Lang::Zh) => "报名活动（也可回复公告 +1）",
        ("signup", Lang::Ru) => "Записаться на событие (или ответьте +1)",
        ("signup", Lang::En) => "Sign up for an event (or reply +1)",
        ("cancel", Lang::Zh) => "取消活动报名",
        ("cancel", Lang::Ru) => "Отменить запись на событие",
        ("cancel", Lang::En) => "Cancel your event sign-up",
        ("help", Lang::Zh) => "查看可用命令",
        ("help", Lang::Ru) => "Список команд",
        ("help", Lang::En) => "Show the commands you can use",
        ("faq", Lang::Zh) => "查看常见问题",
        ("faq", Lang::Ru) => "Частые вопросы",
        ("faq", Lang::En) => "Show the frequently asked questions",
        // Only the names in the lists above reach here.
        _ => "",
    }
}

/// Picks the text for `lang`.
fn pick(lang: Lang, zh: &'static str, ru: &'static str, en: &'static str) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::Ru => ru,
        Lang::En => en,
    }
    .to_owned()
}

/// A command name with its slash, whether or not the caller included one.
fn slash(command: &str) -> String {
    format!("/{}", command.trim_start_matches(['/', '!']))
}

/// A reason ready to end a sentence: the sentence supplies its own full stop.
fn clause(reason: Option<&str>) -> Option<&str> {
    reason
        .map(|r| r.trim().trim_end_matches(['.', '。']).trim_end())
        .filter(|r| !r.is_empty())
}

/// A member's message as a card quotes it: cut short when long, and marked
/// when there is no text at all (a sticker or a photo), so the card never
/// ends in an empty line that looks broken.
fn quote(text: &str, lang: Lang) -> Cow<'_, str> {
    let text = text.trim();
    if text.is_empty() {
        return Cow::Borrowed(match lang {
            Lang::Zh => "（无文字内容）",
            Lang::Ru => "(без текста)",
            Lang::En => "(no text)",
        });
    }
    match text.char_indices().nth(CARD_QUOTE_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}

impl BotText<'_> {
    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        use BotText::*;
        match self {
            NotAllowed { command } => {
                let command = slash(command);
                match lang {
                    Lang::Zh => format!("只有管理员可以使用 {command} 命令。"),
                    Lang::Ru => {
                        format!("Команда {command} доступна только администраторам и модераторам.")
                    }
                    Lang::En => format!("Only admins and moderators can use {command}."),
                }
            }
            NeedsTarget { command } => {
                let command = slash(command);
                match lang {
                    Lang::Zh => format!(
                        "请回复目标成员的消息并发送 {command}，或在命令后写上对方的 @用户名。"
                    ),
                    Lang::Ru => format!(
                        "Ответьте командой {command} на сообщение участника или укажите его @username: {command} @username."
                    ),
                    Lang::En => format!(
                        "Reply to the member's message with {command}, or name them: {command} @username."
                    ),
                }
            }
            TargetNotFound { who } => match lang {
                Lang::Zh => format!("在本群找不到成员 {who}，请检查用户名是否正确。"),
                Lang::Ru => {
                    format!("Участник {who} в группе не найден. Проверьте имя пользователя.")
                }
                Lang::En => format!("Can't find {who} in this group. Please check the username."),
            },
            BadDuration { given } => {
                let max = duration(i64::from(MAX_DURATION_DAYS) * 24 * 60, lang);
                match lang {
                    Lang::Zh => format!(
                        "无法识别时长「{given}」。请使用 30s、10m、2h、1d、1w（秒、分钟、小时、天、周）这样的格式，也可以写 10分钟、2小时、1天 或 1h30m，最长 {max}。"
                    ),
                    Lang::Ru => format!(
                        "Не удалось понять срок «{given}». Укажите его в виде 30s, 10m, 2h, 1d, 1w (секунды, минуты, часы, дни, недели), 10м, 2ч, 1д или 1h30m — максимум {max}."
                    ),
                    Lang::En => format!(
                        "I can't read the duration \"{given}\". Use 30s, 10m, 2h, 1d or 1w (seconds, minutes, hours, days, weeks), or combine them like 1h30m; at most {max}."
                    ),
                }
            }
            CannotTargetAdmin { name } => match lang {
                Lang::Zh => format!("{name} 是管理员，无法对其执行此操作。"),
                Lang::Ru => format!("Нельзя применить эту команду: {name} — администратор."),
                Lang::En => format!("{name} is an admin, so this command can't be used on them."),
            },
            Warned {
                name,
                reason,
                count,
            } => match (lang, clause(*reason)) {
                (Lang::Zh, Some(reason)) => {
                    format!("{name} 已被警告：{reason}。当前有效警告：{count} 次。")
                }
                (Lang::Zh, None) => format!("{name} 已被警告。当前有效警告：{count} 次。"),
                (Lang::Ru, Some(reason)) => format!(
                    "{name}, вам вынесено предупреждение: {reason}. Активных предупреждений: {count}."
                ),
                (Lang::Ru, None) => format!(
                    "{name}, вам вынесено предупреждение. Активных предупреждений: {count}."
                ),
                (Lang::En, Some(reason)) => {
                    format!("{name} has been warned: {reason}. Active warnings: {count}.")
                }
                (Lang::En, None) => format!("{name} has been warned. Active warnings: {count}."),
            },
            MutedFor { name, duration } => match lang {
                Lang::Zh => format!("{name} 已被禁言 {duration}。"),
                Lang::Ru => format!("{name} не сможет писать в группе {duration}."),
                Lang::En => format!("{name} is muted for {duration}."),
            },
            Unmuted { name } => match lang {
                Lang::Zh => format!("{name} 已被解除禁言。"),
                Lang::Ru => format!("{name} снова может писать в группе."),
                Lang::En => format!("{name} can write again."),
            },
            Kicked { name } => match lang {
                Lang::Zh => format!("{name} 已被踢出本群。"),
                Lang::Ru => format!("{name} удалён(а) из группы."),
                Lang::En => format!("{name} was removed from the group."),
            },
            BannedFor { name, duration } => match (lang, duration) {
                (Lang::Zh, Some(duration)) => format!("{name} 已被封禁 {duration}。"),
                (Lang::Zh, None) => format!("{name} 已被永久封禁。"),
                (Lang::Ru, Some(duration)) => format!("{name} заблокирован(а) на {duration}."),
                (Lang::Ru, None) => format!("{name} заблокирован(а) навсегда."),
                (Lang::En, Some(duration)) => format!("{name} is banned for {duration}."),
                (Lang::En, None) => format!("{name} is banned permanently."),
            },
            Unbanned { name } => match lang {
                Lang::Zh => format!("{name} 已被解除封禁，可以重新加入本群。"),
                Lang::Ru => format!("{name} разблокирован(а) и может снова вступить в группу."),
                Lang::En => format!("{name} is no longer banned and can join again."),
            },
            ReportNeedsReply => pick(
                lang,
                "请回复要举报的消息并发送 /report。",
                "Чтобы пожаловаться, ответьте командой /report на нужное сообщение.",
                "To report a message, reply to it with /report.",
            ),
            ReportReceived => pick(
                lang,
                "举报已收到，管理员会尽快处理。谢谢！",
                "Спасибо! Жалоба передана администраторам.",
                "Thanks, your report has been sent to the admins.",
            ),
            FeedbackNeedsText => pick(
                lang,
                "请在 /feedback 后写下你的意见或建议，例如：/feedback 希望多举办线上活动",
                "Напишите отзыв после команды, например: /feedback хотелось бы больше мероприятий",
                "Write your feedback after the command, for example: /feedback more events, please",
            ),
            FeedbackReceived => pick(
                lang,
                "感谢你的反馈，管理员会认真查看。",
                "Спасибо за отзыв! Администраторы обязательно его прочитают.",
                "Thanks for your feedback; the admins will read it.",
            ),
            AppealNeedsText => pick(
                lang,
                "请在 /appeal 后说明申诉理由，例如：/appeal 我的消息被误删了",
                "Опишите ситуацию после команды, например: /appeal моё сообщение удалили по ошибке",
                "Explain your appeal after the command, for example: /appeal my message was removed by mistake",
            ),
            AppealReceived => pick(
                lang,
                "申诉已提交，管理员审核后会回复你。",
                "Апелляция отправлена. Администраторы рассмотрят её и ответят вам.",
                "Your appeal has been sent. The admins will review it and get back to you.",
            ),
            ComplainNeedsText => pick(
                lang,
                "请在 /complain 后写下投诉内容，例如：/complain 有人在群里发广告",
                "Опишите жалобу после команды, например: /complain в группе рассылают рекламу",
                "Write your complaint after the command, for example: /complain someone keeps posting ads",
            ),
            TicketOpened { number } => match lang {
                Lang::Zh => format!("已收到，工单号 #{number}。管理员处理后会回复你。"),
                Lang::Ru => format!(
                    "Обращение №{number} принято. Администраторы ответят вам, когда разберутся."
                ),
                Lang::En => format!(
                    "Got it: ticket #{number}. The admins will get back to you once it is handled."
                ),
            },
            TicketNoGroup => pick(
                lang,
                "找不到你所在的群，请在群里发送 /feedback 或 /complain。",
                "Не удалось определить вашу группу. Отправьте /feedback или /complain в самой группе.",
                "I can't tell which group this is about. Please send /feedback or /complain in the group.",
            ),
            TicketCard {
                number,
                group,
                member,
                category,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!(
                        "🎫 工单 #{number} · {group}\n成员：{member}\n类别：{category}\n内容：\n{text}"
                    ),
                    Lang::Ru => format!(
                        "🎫 Обращение №{number} · {group}\nУчастник: {member}\nКатегория: {category}\nТекст:\n{text}"
                    ),
                    Lang::En => format!(
                        "🎫 Ticket #{number} · {group}\nMember: {member}\nCategory: {category}\nText:\n{text}"
                    ),
                }
            }
            TicketOverdue {
                number,
                group,
                member,
                age,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!(
                        "⏰ 工单 #{number} 已超时未回复 · {group}\n成员：{member}\n已等待：{age}\n内容：\n{text}"
                    ),
                    Lang::Ru => format!(
                        "⏰ Обращение №{number} без ответа слишком долго · {group}\nУчастник: {member}\nЖдёт: {age}\nТекст:\n{text}"
                    ),
                    Lang::En => format!(
                        "⏰ Ticket #{number} is overdue · {group}\nMember: {member}\nWaiting for: {age}\nText:\n{text}"
                    ),
                }
            }
            TicketResolved {
                number,
                group,
                text,
            } => match lang {
                Lang::Zh => format!("你在「{group}」提交的工单 #{number} 已处理：\n{text}"),
                Lang::Ru => {
                    format!("Ваше обращение №{number} в группе «{group}» рассмотрено:\n{text}")
                }
                Lang::En => format!("Your ticket #{number} in {group} has been resolved:\n{text}"),
            },
            Rules { rules } => {
                let rules: Vec<&str> = rules
                    .iter()
                    .map(|r| r.trim())
                    .filter(|r| !r.is_empty())
                    .collect();
                if rules.is_empty() {
                    return pick(
                        lang,
                        "本群暂未制定群规。",
                        "Правила группы пока не написаны.",
                        "This group has no written rules yet.",
                    );
                }
                let mut out = pick(lang, "本群群规：", "Правила группы:", "Group rules:");
                for (i, rule) in rules.iter().enumerate() {
                    out.push_str(&format!("\n{}. {rule}", i + 1));
                }
                out
            }
            FaqList { titles } => {
                if titles.is_empty() {
                    return pick(
                        lang,
                        "本群还没有常见问题。",
                        "В этой группе пока нет частых вопросов.",
                        "This group has no frequently asked questions yet.",
                    );
                }
                let mut out = pick(
                    lang,
                    "常见问题（直接在群里提问即可得到解答）：",
                    "Частые вопросы (спросите в чате — бот ответит):",
                    "Frequently asked questions (ask in the chat and the bot answers):",
                );
                for (i, title) in titles.iter().enumerate() {
                    out.push_str(&format!("\n{}. {title}", i + 1));
                }
                out
            }
            Help { admin } => {
                let mut out = pick(lang, "可用命令：", "Доступные команды:", "Commands:");
                for (name, description) in command_descriptions(lang, *admin) {
                    let line = match lang {
                        Lang::Zh => format!("\n/{name}：{description}"),
                        Lang::Ru | Lang::En => format!("\n/{name} — {description}"),
                    };
                    out.push_str(&line);
                }
                out.push_str("\n\n");
                out.push_str(&pick(
                    lang,
                    "有疑问？先发送 /faq 看看常见问题，直接提问我也会尽量回答。",
                    "Есть вопрос? Отправьте /faq — там ответы на частые вопросы; можно и просто спросить в чате.",
                    "Have a question? Send /faq for the answers to frequent ones, or just ask in the chat.",
                ));
                if *admin {
                    out.push_str("\n\n");
                    out.push_str(&pick(
                        lang,
                        "处罚类命令请回复目标成员的消息使用，或在命令后写上 @用户名，例如：/mute @用户名 1h 刷屏",
                        "Команды модерации отправляйте ответом на сообщение участника или с его @username, например: /mute @username 1h флуд",
                        "Send moderation commands in reply to the member's message, or name them, for example: /mute @username 1h flooding",
                    ));
                }
                out
            }
            EscalationCard {
                group,
                member,
                rule,
                reason,
                text,
                done,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!(
                        "⚠️ 待审核 · {group}\n成员：{member}\n规则：{rule}\n原因：{reason}\n已执行：{done}\n消息内容：\n{text}"
                    ),
                    Lang::Ru => format!(
                        "⚠️ Требует проверки · {group}\nУчастник: {member}\nПравило: {rule}\nПричина: {reason}\nУже сделано: {done}\nСообщение:\n{text}"
                    ),
                    Lang::En => format!(
                        "⚠️ Needs review · {group}\nMember: {member}\nRule: {rule}\nReason: {reason}\nAlready done: {done}\nMessage:\n{text}"
                    ),
                }
            }
            ReportCard {
                group,
                reporter,
                member,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!(
                        "🚩 举报 · {group}\n举报人：{reporter}\n被举报人：{member}\n消息内容：\n{text}"
                    ),
                    Lang::Ru => format!(
                        "🚩 Жалоба · {group}\nОт кого: {reporter}\nАвтор сообщения: {member}\nСообщение:\n{text}"
                    ),
                    Lang::En => format!(
                        "🚩 Report · {group}\nReported by: {reporter}\nAuthor: {member}\nMessage:\n{text}"
                    ),
                }
            }
            AppealCard {
                group,
                member,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!("📨 申诉 · {group}\n成员：{member}\n申诉内容：\n{text}"),
                    Lang::Ru => {
                        format!("📨 Апелляция · {group}\nУчастник: {member}\nТекст:\n{text}")
                    }
                    Lang::En => format!("📨 Appeal · {group}\nMember: {member}\nText:\n{text}"),
                }
            }
            FeedbackCard {
                group,
                member,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!("💬 反馈 · {group}\n成员：{member}\n反馈内容：\n{text}"),
                    Lang::Ru => format!("💬 Отзыв · {group}\nУчастник: {member}\nТекст:\n{text}"),
                    Lang::En => format!("💬 Feedback · {group}\nMember: {member}\nText:\n{text}"),
                }
            }
            JoinRequestCard {
                group,
                member,
                note,
            } => {
                let mut out = match lang {
                    Lang::Zh => format!("🙋 入群申请 · {group}\n申请人：{member}"),
                    Lang::Ru => {
                        format!("🙋 Заявка на вступление · {group}\nПользователь: {member}")
                    }
                    Lang::En => format!("🙋 Join request · {group}\nApplicant: {member}"),
                };
                if let Some(note) = note.map(str::trim).filter(|n| !n.is_empty()) {
                    let note = quote(note, lang);
                    out.push_str(&match lang {
                        Lang::Zh => format!("\n附言：{note}"),
                        Lang::Ru => format!("\nСообщение: {note}"),
                        Lang::En => format!("\nNote: {note}"),
                    });
                }
                out
            }
            Decided { card, decision, by } => {
                use Decision::*;
                let line = match (decision, lang) {
                    (Confirmed, Lang::Zh) => format!("✅ {by} 已确认"),
                    (Confirmed, Lang::Ru) => format!("✅ Подтверждено — {by}"),
                    (Confirmed, Lang::En) => format!("✅ Confirmed by {by}"),
                    (Dismissed, Lang::Zh) => format!("❎ {by} 已驳回"),
                    (Dismissed, Lang::Ru) => format!("❎ Отклонено — {by}"),
                    (Dismissed, Lang::En) => format!("❎ Dismissed by {by}"),
                    (Banned, Lang::Zh) => format!("⛔ {by} 已封禁该成员"),
                    (Banned, Lang::Ru) => format!("⛔ Участник заблокирован — {by}"),
                    (Banned, Lang::En) => format!("⛔ Banned by {by}"),
                    (Approved, Lang::Zh) => format!("✅ {by} 已通过"),
                    (Approved, Lang::Ru) => format!("✅ Одобрено — {by}"),
                    (Approved, Lang::En) => format!("✅ Approved by {by}"),
                    (Declined, Lang::Zh) => format!("❌ {by} 已拒绝"),
                    (Declined, Lang::Ru) => format!("❌ Отказано — {by}"),
                    (Declined, Lang::En) => format!("❌ Declined by {by}"),
                };
                format!("{}\n\n{line}", card.trim_end())
            }
            ButtonNotAllowed => pick(
                lang,
                "你没有权限执行此操作。",
                "У вас нет прав на это действие.",
                "You aren't allowed to do this.",
            ),
            AlreadyDecided => pick(
                lang,
                "此事项已处理过了。",
                "По этому вопросу уже принято решение.",
                "This has already been decided.",
            ),
            DecisionApplied => pick(lang, "已处理。", "Готово.", "Done."),
            JoinQuestion {
                group,
                question,
                minutes,
            } => {
                // A zero-minute window would read as "0 days" and make no sense.
                let within = duration(i64::from((*minutes).max(1)), lang);
                match lang {
                    Lang::Zh => format!(
                        "你好！你申请加入「{group}」。请在 {within}内回答下面的问题：\n\n{question}"
                    ),
                    Lang::Ru => format!(
                        "Здравствуйте! Вы подали заявку на вступление в «{group}». Пожалуйста, ответьте на вопрос за {within}:\n\n{question}"
                    ),
                    Lang::En => format!(
                        "Hi! You asked to join {group}. Please answer this question within {within}:\n\n{question}"
                    ),
                }
            }
            JoinApproved { group } => match lang {
                Lang::Zh => format!("你的入群申请已通过，欢迎加入「{group}」！"),
                Lang::Ru => format!("Ваша заявка одобрена. Добро пожаловать в «{group}»!"),
                Lang::En => format!("Your request was approved. Welcome to {group}!"),
            },
            JoinDeclined { group } => match lang {
                Lang::Zh => format!("很抱歉，你加入「{group}」的申请未通过。"),
                Lang::Ru => {
                    format!("К сожалению, ваша заявка на вступление в «{group}» отклонена.")
                }
                Lang::En => format!("Sorry, your request to join {group} was declined."),
            },
            JoinTimedOut { group } => match lang {
                Lang::Zh => format!(
                    "你没有在规定时间内回答，加入「{group}」的申请已失效。如需加入，请重新申请。"
                ),
                Lang::Ru => format!(
                    "Время на ответ истекло, заявка на вступление в «{group}» отменена. Вы можете подать её снова."
                ),
                Lang::En => format!(
                    "Time ran out, so your request to join {group} has expired. You're welcome to apply again."
                ),
            },
            JoinWrongAnswer { group } => match lang {
                Lang::Zh => format!("很抱歉，回答不正确，你加入「{group}」的申请未通过。"),
                Lang::Ru => format!(
                    "К сожалению, ответ неверный, поэтому заявка на вступление в «{group}» отклонена."
                ),
                Lang::En => format!(
                    "Sorry, that answer isn't right, so your request to join {group} was declined."
                ),
            },
            CaptchaInGroup {
                name,
                prompt,
                kind,
                minutes,
            } => {
                let within = duration(i64::from((*minutes).max(1)), lang);
                match (kind, lang) {
                    (CaptchaKind::Emoji, Lang::Zh) => format!(
                        "{name}，欢迎！为确认你不是机器人，请在 {within}内点击下方的 {prompt}，之后即可发言。"
                    ),
                    (CaptchaKind::Emoji, Lang::Ru) => format!(
                        "{name}, добро пожаловать! Чтобы подтвердить, что вы не бот, нажмите {prompt} ниже в течение {within} — после этого вы сможете писать."
                    ),
                    (CaptchaKind::Emoji, Lang::En) => format!(
                        "Welcome, {name}! To show you're not a bot, press {prompt} below within {within}; then you can write."
                    ),
                    (CaptchaKind::Arithmetic, Lang::Zh) => format!(
                        "{name}，欢迎！为确认你不是机器人，请在 {within}内点击下方 {prompt} 的结果，之后即可发言。"
                    ),
                    (CaptchaKind::Arithmetic, Lang::Ru) => format!(
                        "{name}, добро пожаловать! Чтобы подтвердить, что вы не бот, нажмите ниже ответ на {prompt} в течение {within} — после этого вы сможете писать."
                    ),
                    (CaptchaKind::Arithmetic, Lang::En) => format!(
                        "Welcome, {name}! To show you're not a bot, press the answer to {prompt} below within {within}; then you can write."
                    ),
                }
            }
            CaptchaPrivate {
                group,
                prompt,
                kind,
                minutes,
            } => {
                let within = duration(i64::from((*minutes).max(1)), lang);
                match (kind, lang) {
                    (CaptchaKind::Emoji, Lang::Zh) => format!(
                        "你好！你申请加入「{group}」。请在 {within}内点击下方的 {prompt}，以确认你不是机器人。"
                    ),
                    (CaptchaKind::Emoji, Lang::Ru) => format!(
                        "Здравствуйте! Вы подали заявку на вступление в «{group}». Чтобы подтвердить, что вы не бот, нажмите {prompt} ниже в течение {within}."
                    ),
                    (CaptchaKind::Emoji, Lang::En) => format!(
                        "Hi! You asked to join {group}. To show you're not a bot, press {prompt} below within {within}."
                    ),
                    (CaptchaKind::Arithmetic, Lang::Zh) => format!(
                        "你好！你申请加入「{group}」。为确认你不是机器人，请在 {within}内回复 {prompt} 的结果（只写数字）。"
                    ),
                    (CaptchaKind::Arithmetic, Lang::Ru) => format!(
                        "Здравствуйте! Вы подали заявку на вступление в «{group}». Чтобы подтвердить, что вы не бот, ответьте в течение {within}, сколько будет {prompt} (только число)."
                    ),
                    (CaptchaKind::Arithmetic, Lang::En) => format!(
                        "Hi! You asked to join {group}. To show you're not a bot, reply within {within} with the answer to {prompt} (just the number)."
                    ),
                }
            }
            CaptchaNotYours => pick(
                lang,
                "这个验证不是给你的。",
                "Эта проверка предназначена не вам.",
                "This check is for someone else.",
            ),
            CaptchaPassed => pick(
                lang,
                "验证通过，欢迎！",
                "Проверка пройдена, добро пожаловать!",
                "Check passed, welcome!",
            ),
            CaptchaWrong => pick(
                lang,
                "回答错误。",
                "Неверный ответ.",
                "That's not the right answer.",
            ),
            JoinAnswerHint { group, captcha } => match (lang, captcha) {
                (Lang::Zh, true) => {
                    format!("要加入「{group}」，请用文字发送算式的结果（例如 7）。")
                }
                (Lang::Zh, false) => format!("要加入「{group}」，请用文字回复上面的问题。"),
                (Lang::Ru, true) => format!(
                    "Чтобы вступить в «{group}», напишите текстом результат примера (например, 7)."
                ),
                (Lang::Ru, false) => format!(
                    "Чтобы вступить в «{group}», ответьте на вопрос выше текстовым сообщением."
                ),
                (Lang::En, true) => format!(
                    "To join {group}, type the result of the sum as a text message (like 7)."
                ),
                (Lang::En, false) => {
                    format!("To join {group}, answer the question above with a text message.")
                }
            },
            JoinAwaitingAdmin { group } => match lang {
                Lang::Zh => format!("谢谢！你加入「{group}」的申请已提交，管理员会尽快审核。"),
                Lang::Ru => format!(
                    "Спасибо! Ваша заявка на вступление в «{group}» передана администраторам, они скоро её рассмотрят."
                ),
                Lang::En => format!(
                    "Thanks! Your request to join {group} is now with the admins; they'll decide soon."
                ),
            },
            RaidStarted {
                group,
                joins,
                minutes,
            } => {
                let lasting = duration(i64::from((*minutes).max(1)), lang);
                match lang {
                    Lang::Zh => format!(
                        "🚨 「{group}」检测到突袭：短时间内有 {joins} 人加入。防突袭模式已开启 {lasting}：新成员入群后会被禁言，直到管理员放行或通过验证。"
                    ),
                    Lang::Ru => format!(
                        "🚨 Набег на «{group}»: {joins} вступлений за короткое время. Режим защиты включён на {lasting}: новые участники не могут писать, пока администратор их не пропустит или они не пройдут проверку."
                    ),
                    Lang::En => format!(
                        "🚨 Raid on {group}: {joins} joins in a short time. Raid mode is on for {lasting}: newcomers are muted until an admin lets them in or they pass the CAPTCHA."
                    ),
                }
            }
            RaidEnded { group, by, held } => {
                let mut out = match (by, lang) {
                    (Some(by), Lang::Zh) => format!("✅ {by} 已结束「{group}」的防突袭模式。"),
                    (Some(by), Lang::Ru) => {
                        format!("✅ Режим защиты в «{group}» завершён — {by}.")
                    }
                    (Some(by), Lang::En) => format!("✅ Raid mode in {group} ended by {by}."),
                    (None, Lang::Zh) => format!("✅ 「{group}」的防突袭模式已到期结束。"),
                    (None, Lang::Ru) => format!("✅ Режим защиты в «{group}» закончился."),
                    (None, Lang::En) => format!("✅ Raid mode in {group} is over."),
                };
                if *held > 0 {
                    out.push_str(&match lang {
                        Lang::Zh => format!(
                            "\n仍有 {held} 名新成员处于禁言中，等待管理员审核：请在管理后台的「入群申请」页面逐个或一次性批准/拒绝。"
                        ),
                        Lang::Ru => format!(
                            "\nЖдут решения администратора, без права писать: {held}. Одобрите или отклоните их (по одному или всех сразу) в панели управления, раздел «Заявки»."
                        ),
                        Lang::En => format!(
                            "\nStill muted, waiting for an admin: {held}. Approve or decline them (one by one or all at once) on the dashboard, under Join requests."
                        ),
                    });
                }
                out
            }
            InviteLink { link } => match lang {
                Lang::Zh => format!(
                    "这是你的专属邀请链接：\n{link}\n通过它加入本群的新成员都会记在你名下。"
                ),
                Lang::Ru => format!(
                    "Ваша личная пригласительная ссылка:\n{link}\nКаждый, кто вступит по ней, будет засчитан вам."
                ),
                Lang::En => format!(
                    "Here is your personal invite link:\n{link}\nEveryone who joins through it is credited to you."
                ),
            },
            InviteUnsupported => pick(
                lang,
                "抱歉，本平台暂不支持由机器人创建专属邀请链接。",
                "К сожалению, на этой платформе бот не может создавать личные пригласительные ссылки.",
                "Sorry, the bot can't create personal invite links on this platform.",
            ),
            ReferralTop { campaign, leaders } => {
                let mut out = match (lang, campaign) {
                    (Lang::Zh, Some(c)) => format!("🏆 邀请排行榜 · {c}"),
                    (Lang::Zh, None) => "🏆 邀请排行榜".to_owned(),
                    (Lang::Ru, Some(c)) => format!("🏆 Лучшие пригласившие · {c}"),
                    (Lang::Ru, None) => "🏆 Лучшие пригласившие".to_owned(),
                    (Lang::En, Some(c)) => format!("🏆 Top inviters · {c}"),
                    (Lang::En, None) => "🏆 Top inviters".to_owned(),
                };
                if leaders.is_empty() {
                    out.push('\n');
                    out.push_str(&pick(
                        lang,
                        "还没有人邀请新成员。发送 /invite 获取你的专属链接吧！",
                        "Пока никто никого не пригласил. Отправьте /invite, чтобы получить свою ссылку!",
                        "Nobody has invited anyone yet. Send /invite to get your own link!",
                    ));
                }
                for (i, (name, count)) in leaders.iter().enumerate() {
                    out.push_str(&match lang {
                        Lang::Zh => format!("\n{}. {name}：{count} 人", i + 1),
                        Lang::Ru => format!("\n{}. {name} — {count}", i + 1),
                        Lang::En => format!("\n{}. {name} — {count}", i + 1),
                    });
                }
                out
            }
            ReportAlreadyCounted => pick(
                lang,
                "你已经举报过这条消息了，每人每条消息只计一次。",
                "Вы уже пожаловались на это сообщение: каждая жалоба учитывается один раз.",
                "You've already reported this message; each member's report counts once.",
            ),
            ReportHidden => pick(
                lang,
                "谢谢！多位成员举报了这条消息，它已被隐藏，等待管理员审核。",
                "Спасибо! На это сообщение пожаловались несколько участников, оно скрыто до проверки администраторами.",
                "Thanks! Enough members reported this message, so it has been hidden until the admins review it.",
            ),
            ReportHiddenCard {
                group,
                member,
                reporters,
                weight,
                threshold,
                text,
            } => {
                let text = quote(text, lang);
                match lang {
                    Lang::Zh => format!(
                        "🙈 举报已达阈值，消息已隐藏 · {group}\n被举报人：{member}\n举报人：{reporters}\n举报权重：{weight} / {threshold}\n消息内容：\n{text}\n\n消息已被删除；驳回此案件也无法在 Telegram 上恢复它。"
                    ),
                    Lang::Ru => format!(
                        "🙈 Скрыто по жалобам · {group}\nАвтор сообщения: {member}\nЖалобы от: {reporters}\nВес жалоб: {weight} из {threshold}\nСообщение:\n{text}\n\nСообщение удалено; если отклонить дело, в Telegram его восстановить не получится."
                    ),
                    Lang::En => format!(
                        "🙈 Hidden after reports · {group}\nAuthor: {member}\nReported by: {reporters}\nReport weight: {weight} of {threshold}\nMessage:\n{text}\n\nThe message was deleted; dismissing this case cannot restore it on Telegram."
                    ),
                }
            }
            SinceDryRun {
                count,
                names,
                ban,
                since,
                confirm,
                changed,
            } => {
                let listed = names.join(", ");
                let more = if names.len() < *count { ", …" } else { "" };
                let head = match (changed, lang) {
                    (false, _) => "",
                    (true, Lang::Zh) => "预演之后名单有变，以下为最新名单。",
                    (true, Lang::Ru) => "С пробного запуска список изменился, вот новый. ",
                    (true, Lang::En) => "The list changed since the dry run; here is the new one. ",
                };
                match (ban, lang) {
                    (false, Lang::Zh) => format!(
                        "{head}预演：自 {since} 以来加入的 {count} 名成员将被移出：{listed}{more}。管理员、机器人和此前就在本群的成员不受影响。确认执行请发送 {confirm}"
                    ),
                    (true, Lang::Zh) => format!(
                        "{head}预演：自 {since} 以来加入的 {count} 名成员将被封禁：{listed}{more}。管理员、机器人和此前就在本群的成员不受影响。确认执行请发送 {confirm}"
                    ),
                    (false, Lang::Ru) => format!(
                        "{head}Пробный запуск: будут удалены вступившие с {since}, всего {count}: {listed}{more}. Администраторов, ботов и тех, кто был в группе раньше, это не коснётся. Чтобы выполнить, отправьте {confirm}"
                    ),
                    (true, Lang::Ru) => format!(
                        "{head}Пробный запуск: будут заблокированы вступившие с {since}, всего {count}: {listed}{more}. Администраторов, ботов и тех, кто был в группе раньше, это не коснётся. Чтобы выполнить, отправьте {confirm}"
                    ),
                    (false, Lang::En) => format!(
                        "{head}Dry run: {count} who joined since {since} would be removed: {listed}{more}. Admins, bots and members seen here before are spared. To go ahead, send {confirm}"
                    ),
                    (true, Lang::En) => format!(
                        "{head}Dry run: {count} who joined since {since} would be banned: {listed}{more}. Admins, bots and members seen here before are spared. To go ahead, send {confirm}"
                    ),
                }
            }
            SinceNobody { since } => match lang {
                Lang::Zh => format!(
                    "自 {since} 以来没有需要移出的新成员（管理员、机器人和此前就在本群的成员除外）。"
                ),
                Lang::Ru => format!(
                    "С {since} некого удалять: кроме администраторов, ботов и тех, кто был в группе раньше, никто не вступал."
                ),
                Lang::En => format!(
                    "Nobody to remove: apart from admins, bots and members seen here before, no one joined since {since}."
                ),
            },
            SinceQueued {
                count,
                ban,
                minutes,
            } => {
                let over = duration((*minutes).max(1), lang);
                match (ban, lang) {
                    (false, Lang::Zh) => format!("已开始：{count} 名成员将在 {over}内陆续被移出。"),
                    (true, Lang::Zh) => format!("已开始：{count} 名成员将在 {over}内陆续被封禁。"),
                    (false, Lang::Ru) => {
                        format!("Начато: участники ({count}) будут удалены в течение {over}.")
                    }
                    (true, Lang::Ru) => {
                        format!("Начато: участники ({count}) будут заблокированы в течение {over}.")
                    }
                    (false, Lang::En) => {
                        format!("Started: {count} will be removed over the next {over}.")
                    }
                    (true, Lang::En) => {
                        format!("Started: {count} will be banned over the next {over}.")
                    }
                }
            }
            SinceUsage => pick(
                lang,
                "用法：/since 10m kick 或 /since 14:05 ban（按群组时区，未设置时为 UTC）。Steward 会先列出将被移出的成员；确认无误后在命令末尾加上 confirm 再发送一次。",
                "Использование: /since 10m kick или /since 14:05 ban (время по часовому поясу группы, по умолчанию UTC). Steward сначала покажет, кого удалит; чтобы выполнить, повторите команду со словом confirm в конце.",
                "Usage: /since 10m kick or /since 14:05 ban (time in the group's time zone, UTC unless set). Steward first shows who would be removed; to go ahead, send the command again with confirm at the end.",
            ),
            Reinvited { group } => match lang {
                Lang::Zh => {
                    format!("你此前被移出了「{group}」，管理员已撤销这一操作。欢迎回来：{{link}}")
                }
                Lang::Ru => format!(
                    "Вас удалили из «{group}», но администраторы отменили это. Возвращайтесь: {{link}}"
                ),
                Lang::En => format!(
                    "You were removed from {group}, and the admins have undone it. You're welcome back: {{link}}"
                ),
            },
            MissingRight { group, right } => match (right, lang) {
                (BotRight::Admin, Lang::Zh) => {
                    format!("⚠️ 机器人不是「{group}」的管理员，无法管理该群。请将它设为管理员。")
                }
                (BotRight::Admin, Lang::Ru) => format!(
                    "⚠️ Бот не является администратором группы «{group}» и не может её модерировать. Пожалуйста, назначьте его администратором."
                ),
                (BotRight::Admin, Lang::En) => format!(
                    "⚠️ The bot isn't an admin in {group}, so it can't moderate there. Please make it an admin."
                ),
                (right, Lang::Zh) => format!(
                    "⚠️ 机器人在「{group}」缺少「{}」权限，相关功能暂时无法使用。请在群管理员设置中为它开启该权限。",
                    right.label(lang)
                ),
                (right, Lang::Ru) => format!(
                    "⚠️ В группе «{group}» у бота нет права «{}», поэтому часть функций не работает. Пожалуйста, включите его в настройках администраторов группы.",
                    right.label(lang)
                ),
                (right, Lang::En) => format!(
                    "⚠️ The bot lacks the \"{}\" right in {group}, so some features don't work. Please turn it on in the group's admin settings.",
                    right.label(lang)
                ),
            },
            WelcomeRulesHint => pick(
                lang,
                "发送 /rules 查看群规",
                "правила группы — по команде /rules",
                "send /rules to read the group rules",
            ),
            NicknameReminder {
                name,
                format,
                example,
                hours,
            } => {
                let example = example.map(str::trim).filter(|e| !e.is_empty());
                match (lang, example) {
                    (Lang::Zh, Some(example)) => format!(
                        "{name}，本群要求群昵称格式为「{format}」，例如「{example}」。请在 {hours} 小时内修改名称，否则将被禁言，改好后自动解除。"
                    ),
                    (Lang::Zh, None) => format!(
                        "{name}，本群要求群昵称格式为「{format}」。请在 {hours} 小时内修改名称，否则将被禁言，改好后自动解除。"
                    ),
                    (Lang::Ru, Some(example)) => format!(
                        "{name}, в этой группе имя должно быть в формате «{format}», например «{example}». Измените имя в течение {hours} ч., иначе вы не сможете писать, пока не исправите его."
                    ),
                    (Lang::Ru, None) => format!(
                        "{name}, в этой группе имя должно быть в формате «{format}». Измените имя в течение {hours} ч., иначе вы не сможете писать, пока не исправите его."
                    ),
                    (Lang::En, Some(example)) => format!(
                        "{name}, names in this group follow the format \"{format}\", for example \"{example}\". Please change your name within {hours} h, or you will be muted until you do."
                    ),
                    (Lang::En, None) => format!(
                        "{name}, names in this group follow the format \"{format}\". Please change your name within {hours} h, or you will be muted until you do."
                    ),
                }
            }
            NicknameRestricted { name, format } => match lang {
                Lang::Zh => format!(
                    "{name} 的名称仍不符合「{format}」格式，已被禁言。修改名称后将自动解除。"
                ),
                Lang::Ru => format!(
                    "Имя {name} всё ещё не в формате «{format}», поэтому писать в группе пока нельзя. Как только имя будет исправлено, ограничение снимется само."
                ),
                Lang::En => format!(
                    "{name} still doesn't follow the name format \"{format}\" and is muted until the name is fixed."
                ),
            },
            NicknameFixed { name } => match lang {
                Lang::Zh => format!("谢谢，{name}！名称已符合要求，可以正常发言了。"),
                Lang::Ru => format!("Спасибо, {name}! Имя в порядке, можно писать."),
                Lang::En => {
                    format!("Thanks, {name}! Your name follows the format; you can write again.")
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, with the arguments each rendering must show.
    fn samples(rules: &[String]) -> Vec<(BotText<'_>, Vec<String>)> {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut out = vec![
            (BotText::NotAllowed { command: "ban" }, args(&["/ban"])),
            (BotText::NeedsTarget { command: "mute" }, args(&["/mute"])),
            (BotText::TargetNotFound { who: "@ghost" }, args(&["@ghost"])),
            (BotText::BadDuration { given: "5x" }, args(&["5x", "366"])),
            (BotText::CannotTargetAdmin { name: "Олег" }, args(&["Олег"])),
            (
                BotText::Warned {
                    name: "小明",
                    reason: Some("flood"),
                    count: 2,
                },
                args(&["小明", "flood", "2"]),
            ),
            (
                BotText::Warned {
                    name: "小明",
                    reason: None,
                    count: 3,
                },
                args(&["小明", "3"]),
            ),
            (
                BotText::MutedFor {
                    name: "Alice",
                    duration: "10 min",
                },
                args(&["Alice", "10 min"]),
            ),
            (BotText::Unmuted { name: "Alice" }, args(&["Alice"])),
            (BotText::Kicked { name: "Bob" }, args(&["Bob"])),
            (
                BotText::BannedFor {
                    name: "Bob",
                    duration: Some("7 d"),
                },
                args(&["Bob", "7 d"]),
            ),
            (
                BotText::BannedFor {
                    name: "Bob",
                    duration: None,
                },
                args(&["Bob"]),
            ),
            (BotText::Unbanned { name: "Bob" }, args(&["Bob"])),
            (BotText::ReportNeedsReply, args(&["/report"])),
            (BotText::ReportReceived, vec![]),
            (BotText::FeedbackNeedsText, args(&["/feedback"])),
            (BotText::FeedbackReceived, vec![]),
            (BotText::AppealNeedsText, args(&["/appeal"])),
            (BotText::AppealReceived, vec![]),
            (BotText::ComplainNeedsText, args(&["/complain"])),
            (BotText::TicketOpened { number: 7 }, args(&["7"])),
            (BotText::TicketNoGroup, args(&["/feedback", "/complain"])),
            (
                BotText::TicketCard {
                    number: 7,
                    group: "G1",
                    member: "Max",
                    category: "complaint",
                    text: "ads",
                },
                args(&["7", "G1", "Max", "complaint", "ads"]),
            ),
            (
                BotText::TicketOverdue {
                    number: 7,
                    group: "G1",
                    member: "Max",
                    age: "25 h",
                    text: "ads",
                },
                args(&["7", "G1", "Max", "25 h", "ads"]),
            ),
            (
                BotText::TicketResolved {
                    number: 7,
                    group: "G1",
                    text: "removed",
                },
                args(&["7", "G1", "removed"]),
            ),
            (BotText::Rules { rules }, rules.to_vec()),
            (BotText::Rules { rules: &[] }, vec![]),
            (
                BotText::Help { admin: false },
                args(&["/report", "/help", "/faq"]),
            ),
            (BotText::Help { admin: true }, args(&["/ban", "/help"])),
            (BotText::FaqList { titles: &[] }, vec![]),
            (
                BotText::EscalationCard {
                    group: "Rust 中文",
                    member: "spammer",
                    rule: "no-ads",
                    reason: "link",
                    text: "buy now",
                    done: "ban",
                },
                args(&["Rust 中文", "spammer", "no-ads", "link", "buy now", "ban"]),
            ),
            (
                BotText::ReportCard {
                    group: "G1",
                    reporter: "Rita",
                    member: "Max",
                    text: "rude words",
                },
                args(&["G1", "Rita", "Max", "rude words"]),
            ),
            (
                BotText::AppealCard {
                    group: "G1",
                    member: "Max",
                    text: "not me",
                },
                args(&["G1", "Max", "not me"]),
            ),
            (
                BotText::FeedbackCard {
                    group: "G1",
                    member: "Max",
                    text: "nice bot",
                },
                args(&["G1", "Max", "nice bot"]),
            ),
            (
                BotText::JoinRequestCard {
                    group: "G1",
                    member: "Newbie",
                    note: Some("hi all"),
                },
                args(&["G1", "Newbie", "hi all"]),
            ),
            (
                BotText::JoinRequestCard {
                    group: "G1",
                    member: "Newbie",
                    note: None,
                },
                args(&["G1", "Newbie"]),
            ),
            (BotText::ButtonNotAllowed, vec![]),
            (BotText::AlreadyDecided, vec![]),
            (BotText::DecisionApplied, vec![]),
            (
                BotText::JoinQuestion {
                    group: "G1",
                    question: "2+2?",
                    minutes: 5,
                },
                args(&["G1", "2+2?", "5"]),
            ),
            (BotText::JoinApproved { group: "G1" }, args(&["G1"])),
            (BotText::JoinDeclined { group: "G1" }, args(&["G1"])),
            (BotText::JoinTimedOut { group: "G1" }, args(&["G1"])),
            (BotText::JoinWrongAnswer { group: "G1" }, args(&["G1"])),
            (
                BotText::InviteLink {
                    link: "https://t.me/+abc",
                },
                args(&["https://t.me/+abc"]),
            ),
            (BotText::InviteUnsupported, vec![]),
            (
                BotText::ReferralTop {
                    campaign: Some("Spring"),
                    leaders: &[],
                },
                args(&["Spring", "/invite"]),
            ),
            (
                BotText::ReferralTop {
                    campaign: None,
                    leaders: &[],
                },
                args(&["/invite"]),
            ),
            (BotText::ReportAlreadyCounted, vec![]),
            (BotText::ReportHidden, vec![]),
            (
                BotText::ReportHiddenCard {
                    group: "G1",
                    member: "Max",
                    reporters: "Rita, Sam",
                    weight: "3.5",
                    threshold: 3,
                    text: "buy now",
                },
                args(&["G1", "Max", "Rita, Sam", "3.5", "buy now", "Telegram"]),
            ),
            (BotText::CaptchaNotYours, vec![]),
            (BotText::CaptchaPassed, vec![]),
            (BotText::CaptchaWrong, vec![]),
            (BotText::JoinAwaitingAdmin { group: "G1" }, args(&["G1"])),
            (
                BotText::JoinAnswerHint {
                    group: "G1",
                    captcha: true,
                },
                args(&["G1"]),
            ),
            (
                BotText::JoinAnswerHint {
                    group: "G1",
                    captcha: false,
                },
                args(&["G1"]),
            ),
            (
                BotText::RaidStarted {
                    group: "G1",
                    joins: 15,
                    minutes: 30,
                },
                args(&["G1", "15", "30"]),
            ),
            (
                BotText::RaidEnded {
                    group: "G1",
                    by: Some("Ann"),
                    held: 4,
                },
                args(&["G1", "Ann", "4"]),
            ),
            (
                BotText::RaidEnded {
                    group: "G1",
                    by: None,
                    held: 0,
                },
                args(&["G1"]),
            ),
        ];
        for decision in Decision::ALL {
            out.push((
                BotText::Decided {
                    card: "CARD".into(),
                    decision,
                    by: "Admin Ann",
                },
                args(&["CARD", "Admin Ann"]),
            ));
        }
        let since_names = vec!["N1".to_string(), "N2".to_string()];
        for (ban, changed) in [(false, false), (true, true)] {
            out.push((
                BotText::SinceDryRun {
                    count: 3,
                    names: since_names.clone().leak(),
                    ban,
                    since: "14:05 UTC",
                    confirm: "/since 10m kick confirm",
                    changed,
                },
                args(&["3", "N1", "N2", "14:05 UTC", "/since 10m kick confirm"]),
            ));
            out.push((
                BotText::SinceQueued {
                    count: 7,
                    ban,
                    minutes: 2,
                },
                args(&["7"]),
            ));
        }
        out.push((
            BotText::SinceNobody { since: "09:30 UTC" },
            args(&["09:30 UTC"]),
        ));
        out.push((BotText::SinceUsage, args(&["/since"])));
        out.push((BotText::Reinvited { group: "G8" }, args(&["G8", "{link}"])));
        for right in BotRight::ALL {
            out.push((BotText::MissingRight { group: "G9", right }, args(&["G9"])));
        }
        out.push((BotText::WelcomeRulesHint, args(&["/rules"])));
        for example in [Some("Kazan-Oleg-IT"), None] {
            out.push((
                BotText::NicknameReminder {
                    name: "Oleg",
                    format: "City-Name-Trade",
                    example,
                    hours: 24,
                },
                args(&["Oleg", "City-Name-Trade", "24"])
                    .into_iter()
                    .chain(example.map(str::to_owned))
                    .collect(),
            ));
        }
        out.push((
            BotText::NicknameRestricted {
                name: "Oleg",
                format: "City-Name-Trade",
            },
            args(&["Oleg", "City-Name-Trade"]),
        ));
        out.push((
            BotText::NicknameFixed {
                name: "Kazan-Oleg-IT",
            },
            args(&["Kazan-Oleg-IT"]),
        ));
        for kind in [CaptchaKind::Emoji, CaptchaKind::Arithmetic] {
            out.push((
                BotText::CaptchaInGroup {
                    name: "Newbie",
                    prompt: "🍎",
                    kind,
                    minutes: 3,
                },
                args(&["Newbie", "🍎", "3"]),
            ));
            out.push((
                BotText::CaptchaPrivate {
                    group: "G1",
                    prompt: "3 + 4",
                    kind,
                    minutes: 5,
                },
                args(&["G1", "3 + 4", "5"]),
            ));
        }
        out
    }

    #[test]
    fn every_text_exists_in_every_language_with_its_arguments() {
        let rules = vec!["No ads".to_string(), "Be kind".to_string()];
        for (text, args) in samples(&rules) {
            let rendered: Vec<String> = Lang::ALL.iter().map(|&l| text.render(l)).collect();
            for (lang, out) in Lang::ALL.iter().zip(&rendered) {
                assert!(!out.trim().is_empty(), "{text:?} is empty in {lang}");
                for arg in &args {
                    assert!(out.contains(arg.as_str()), "{text:?} in {lang} lacks {arg}");
                }
            }
            assert_ne!(rendered[0], rendered[1], "{text:?}: zh = ru");
            assert_ne!(rendered[0], rendered[2], "{text:?}: zh = en");
            assert_ne!(rendered[1], rendered[2], "{text:?}: ru = en");
        }
    }

    #[test]
    fn the_referral_top_is_numbered() {
        let leaders = [("Ann".to_owned(), 3), ("Bo".to_owned(), 1)];
        let text = BotText::ReferralTop {
            campaign: None,
            leaders: &leaders,
        };
        assert_eq!(
            text.render(Lang::En),
            "🏆 Top inviters\n1. Ann — 3\n2. Bo — 1"
        );
        assert!(text.render(Lang::Zh).contains("1. Ann：3 人"));
    }

    #[test]
    fn the_duration_limit_quoted_is_the_constant() {
        let text = BotText::BadDuration { given: "x" };
        for lang in Lang::ALL {
            assert!(text.render(lang).contains(&MAX_DURATION_DAYS.to_string()));
        }
    }

    #[test]
    fn rules_are_numbered_and_blank_ones_skipped() {
        let rules = vec![
            "No ads".to_string(),
            "  ".to_string(),
            "Be kind".to_string(),
        ];
        let text = BotText::Rules { rules: &rules }.render(Lang::En);
        assert_eq!(text, "Group rules:\n1. No ads\n2. Be kind");
        let blank = vec![String::new()];
        assert_eq!(
            BotText::Rules { rules: &blank }.render(Lang::Zh),
            "本群暂未制定群规。"
        );
    }

    #[test]
    fn warnings_without_a_reason_read_cleanly() {
        let text = BotText::Warned {
            name: "A",
            reason: Some("  spam. "),
            count: 1,
        };
        assert_eq!(
            text.render(Lang::En),
            "A has been warned: spam. Active warnings: 1."
        );
        let blank = BotText::Warned {
            name: "A",
            reason: Some(" "),
            count: 1,
        };
        assert_eq!(blank.render(Lang::Zh), "A 已被警告。当前有效警告：1 次。");
    }

    #[test]
    fn command_names_accept_a_slash_or_not() {
        for command in ["ban", "/ban"] {
            assert_eq!(
                BotText::NotAllowed { command }.render(Lang::En),
                "Only admins and moderators can use /ban."
            );
        }
    }

    #[test]
    fn cards_quote_long_messages_short_and_mark_empty_ones() {
        let long = "字".repeat(5000);
        let card = BotText::AppealCard {
            group: "G",
            member: "M",
            text: &long,
        }
        .render(Lang::Zh);
        assert!(card.chars().count() < CARD_QUOTE_CHARS + 100);
        assert!(card.ends_with('…'));
        let empty = BotText::ReportCard {
            group: "G",
            reporter: "R",
            member: "M",
            text: " ",
        }
        .render(Lang::En);
        assert!(empty.ends_with("(no text)"));
    }

    #[test]
    fn decided_cards_keep_the_card_and_add_who_decided() {
        let card = BotText::JoinRequestCard {
            group: "G",
            member: "M",
            note: None,
        }
        .render(Lang::Ru);
        let decided = BotText::Decided {
            card: card.clone(),
            decision: Decision::Approved,
            by: "Анна",
        }
        .render(Lang::Ru);
        assert!(decided.starts_with(&card));
        assert!(decided.ends_with("✅ Одобрено — Анна"));
    }

    #[test]
    fn join_questions_give_the_time_in_words() {
        let text = |minutes, lang| {
            BotText::JoinQuestion {
                group: "G",
                question: "Q",
                minutes,
            }
            .render(lang)
        };
        assert!(text(5, Lang::Zh).contains("请在 5 分钟内回答"));
        assert!(text(1, Lang::Ru).contains("за 1 минуту"));
        assert!(text(2, Lang::En).contains("within 2 minutes"));
        assert!(text(0, Lang::En).contains("within 1 minute"));
    }

    #[test]
    fn buttons_are_labelled_in_every_language() {
        for label in ButtonLabel::ALL {
            let labels: Vec<&str> = Lang::ALL.iter().map(|&l| button(label, l)).collect();
            assert!(labels.iter().all(|l| !l.is_empty()));
            assert_ne!(labels[0], labels[1]);
            assert_ne!(labels[1], labels[2]);
            assert_ne!(labels[0], labels[2]);
        }
        for lang in Lang::ALL {
            let mut all: Vec<&str> = ButtonLabel::ALL.iter().map(|&b| button(b, lang)).collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!(
                all.len(),
                ButtonLabel::ALL.len(),
                "two buttons alike in {lang}"
            );
        }
    }

    #[test]
    fn command_menu_fits_telegram() {
        for lang in Lang::ALL {
            let member = command_descriptions(lang, false);
            let admin = command_descriptions(lang, true);
            assert_eq!(member.len(), MEMBER_COMMANDS.len());
            assert_eq!(admin.len(), ADMIN_COMMANDS.len() + MEMBER_COMMANDS.len());
            for (name, description) in &admin {
                assert!((1..=32).contains(&name.len()), "{name}");
                assert!(
                    name.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                    "{name}"
                );
                let chars = description.chars().count();
                assert!(
                    (1..=256).contains(&chars),
                    "{name} in {lang}: {chars} chars"
                );
            }
            assert!(member.iter().all(|(n, _)| !ADMIN_COMMANDS.contains(n)));
        }
        let en = command_descriptions(Lang::En, false);
        let ru = command_descriptions(Lang::Ru, false);
        assert!(en.iter().zip(&ru).all(|(a, b)| a.0 == b.0 && a.1 != b.1));
    }

    #[test]
    fn faq_list_numbers_the_titles() {
        let titles = ["如何退款？".to_owned(), "Refunds?".to_owned()];
        for lang in Lang::ALL {
            let text = BotText::FaqList { titles: &titles }.render(lang);
            assert!(text.contains("1. 如何退款？"), "{text}");
            assert!(text.contains("2. Refunds?"), "{text}");
        }
    }
}
