//! Every heading and label the report renderings show, in Chinese, Russian
//! and English. Chinese follows the wording of 运营报告 (每周报告, 活跃成员,
//! 净增长, 违规案例...), so a report reads like the ones community managers
//! write by hand.

use steward_core::i18n::Lang;

use crate::model::Report;
use crate::period::PeriodKind;

macro_rules! texts {
    ($($key:ident => $zh:literal, $ru:literal, $en:literal;)+) => {
        /// A label of the reports, to be shown in a [`Lang`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Text {
            $(#[allow(missing_docs)] $key,)+
        }

        impl Text {
            /// Every label, for the completeness test.
            pub const ALL: &'static [Text] = &[$(Text::$key,)+];

            /// The label in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match self {
                    $(Text::$key => pick(lang, $zh, $ru, $en),)+
                }
            }
        }
    };
}

fn pick(lang: Lang, zh: &'static str, ru: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::Ru => ru,
        Lang::En => en,
    }
}

texts! {
    DailyReport => "每日报告", "Ежедневный отчёт", "Daily report";
    WeeklyReport => "每周报告", "Еженедельный отчёт", "Weekly report";
    MonthlyReport => "每月报告", "Ежемесячный отчёт", "Monthly report";
    Group => "群组", "Группа", "Group";
    Period => "统计周期", "Период", "Period";
    PreviousPeriod => "对比周期", "Предыдущий период", "Previous period";
    TimeZone => "时区", "Часовой пояс", "Time zone";
    Generated => "生成时间", "Сформирован", "Generated";
    KeyFigures => "核心指标", "Основные показатели", "Key figures";
    Figure => "指标", "Показатель", "Figure";
    ThisPeriod => "本期", "Этот период", "This period";
    Previous => "上期", "Прошлый период", "Previous";
    Change => "变化", "Изменение", "Change";
    VsPrevious => "环比", "к прошлому периоду", "vs previous period";
    New => "新增", "новое", "new";
    Points => "个百分点", "п.п.", "pp";
    NoMessages => "本期没有消息。", "За этот период сообщений нет.", "No messages in this period.";
    Messages => "消息数", "Сообщения", "Messages";
    ActiveMembers => "活跃成员", "Активные участники", "Active members";
    DailyActiveAverage => "日均活跃成员", "Активных в среднем за день", "Daily active members (average)";
    Members => "成员总数", "Участники", "Members";
    PostingShare => "发言率", "Доля пишущих", "Posting share";
    Joins => "新成员", "Вступили", "Joins";
    Leaves => "退群", "Вышли", "Leaves";
    NetGrowth => "净增长", "Чистый прирост", "Net growth";
    Retention => "新成员留存", "Удержание новичков", "Newcomer retention";
    RetentionWeek1 => "第1周留存", "Удержание на 2-й неделе", "Week-1 retention";
    RetentionWeek4 => "第4周留存", "Удержание через 4 недели", "Week-4 retention";
    Activity => "每日活跃度", "Активность по дням", "Activity by day";
    Date => "日期", "Дата", "Date";
    Hours => "活跃时段", "Активность по часам", "Activity by hour";
    BusiestSlot => "最活跃时段", "Самое активное время", "Busiest time";
    BusiestHour => "最活跃的小时", "Самый активный час", "Busiest hour";
    BusiestDay => "最活跃的一天", "Самый активный день недели", "Busiest weekday";
    TopContributors => "活跃贡献者", "Самые активные участники", "Top contributors";
    Rank => "排名", "Место", "Rank";
    Name => "名称", "Имя", "Name";
    TopTerms => "热门词", "Популярные слова", "Top terms";
    RisingTerms => "上升最快的词", "Растущие темы", "Rising terms";
    Term => "词语", "Слово", "Term";
    Count => "次数", "Количество", "Count";
    ContentTypes => "内容类型", "Типы сообщений", "Content types";
    TextOnly => "纯文字", "Только текст", "Text";
    Links => "链接", "Ссылки", "Links";
    Media => "图片与文件", "Медиа и файлы", "Media";
    Questions => "问答", "Вопросы", "Questions";
    QuestionsAsked => "提问数", "Задано вопросов", "Questions asked";
    AnsweredShare => "回复率", "Доля отвеченных", "Answered share";
    MedianResponse => "平均响应时间（中位数）", "Медианное время ответа", "Median response time";
    Moderation => "管理", "Модерация", "Moderation";
    Violations => "违规次数", "Нарушения", "Violations";
    Deletions => "删除消息", "Удалено сообщений", "Messages deleted";
    Warnings => "警告", "Предупреждения", "Warnings";
    Mutes => "禁言", "Заглушения", "Mutes";
    Bans => "移出与封禁", "Удаления и баны", "Removals and bans";
    CasesDecided => "已处理案件", "Рассмотрено случаев", "Cases decided";
    Reversed => "撤销处罚", "Отменено", "Reversed";
    FalsePositiveRate => "误判率", "Доля ошибочных решений", "False-positive rate";
    ViolationsByRule => "按规则统计违规", "Нарушения по правилам", "Violations by rule";
    Rule => "规则", "Правило", "Rule";
    Participation => "活动参与", "Участие в активностях", "Participation";
    Checkins => "签到", "Отметки", "Check-ins";
    PollVotes => "投票", "Голоса в опросах", "Poll votes";
    QuizAnswers => "答题", "Ответы в викторинах", "Quiz answers";
    RaffleEntries => "抽奖参与", "Участие в розыгрышах", "Raffle entries";
    EventSignups => "活动报名", "Записи на события", "Event sign-ups";
    Participants => "参与人数", "Участников", "Participants";
    Tickets => "工单", "Обращения", "Tickets";
    TicketsOpened => "新建工单", "Новые обращения", "Tickets opened";
    TicketsResolved => "已解决工单", "Решённые обращения", "Tickets resolved";
    MedianResolve => "解决用时（中位数）", "Медианное время решения", "Median time to resolve";
    Overdue => "超时工单", "Просроченные", "Overdue";
    RootCauses => "问题根因", "Причины обращений", "Root causes";
    Cause => "根因", "Причина", "Cause";
    Sentiment => "情绪", "Настроение", "Sentiment";
    Scored => "已评分消息", "Оценено сообщений", "Messages scored";
    Positive => "正面", "Позитивные", "Positive";
    Negative => "负面", "Негативные", "Negative";
    NegativeShare => "负面占比", "Доля негатива", "Negative share";
    Alerts => "预警", "Тревоги", "Alerts";
    AlertNegativeSpike => "负面情绪激增", "Всплеск негатива", "Negative spike";
    AlertComplaintFlood => "投诉集中涌入", "Поток жалоб", "Complaint flood";
    Kind => "类型", "Тип", "Kind";
    Detail => "说明", "Подробности", "Detail";
    Cases => "违规案例", "Случаи нарушений", "Violation cases";
    Time => "时间", "Время", "Time";
    Member => "成员", "Участник", "Member";
    Severity => "严重程度", "Серьёзность", "Severity";
    Action => "处理措施", "Меры", "Action";
    Status => "状态", "Статус", "Status";
    StatusOpen => "待处理", "открыт", "open";
    StatusConfirmed => "已确认", "подтверждён", "confirmed";
    StatusChanged => "已更改", "изменён", "changed";
    StatusDismissed => "已驳回", "отклонён", "dismissed";
    Groups => "各群组数据", "По группам", "Groups";
    MessagesPerDay => "每日消息数", "Сообщения по дням", "Messages per day";
    PreviousAverage => "上期日均", "Среднее за прошлый период", "Previous period's daily average";
    ActivePerDay => "每日活跃成员", "Активные участники по дням", "Active members per day";
    Heatmap => "按星期和小时统计的消息", "Сообщения по дням недели и часам", "Messages by weekday and hour";
    NegativePerDay => "每日负面占比", "Доля негатива по дням", "Negative share per day";
    Mon => "周一", "Пн", "Mon";
    Tue => "周二", "Вт", "Tue";
    Wed => "周三", "Ср", "Wed";
    Thu => "周四", "Чт", "Thu";
    Fri => "周五", "Пт", "Fri";
    Sat => "周六", "Сб", "Sat";
    Sun => "周日", "Вс", "Sun";
    Monday => "星期一", "понедельник", "Monday";
    Tuesday => "星期二", "вторник", "Tuesday";
    Wednesday => "星期三", "среда", "Wednesday";
    Thursday => "星期四", "четверг", "Thursday";
    Friday => "星期五", "пятница", "Friday";
    Saturday => "星期六", "суббота", "Saturday";
    Sunday => "星期日", "воскресенье", "Sunday";
    Seconds => "秒", "с", "s";
    Minutes => "分钟", "мин", "min";
    HoursUnit => "小时", "ч", "h";
    DaysUnit => "天", "дн.", "d";
    Link => "完整报告", "Полный отчёт", "Full report";
}

const WEEKDAYS_SHORT: [Text; 7] = [
    Text::Mon,
    Text::Tue,
    Text::Wed,
    Text::Thu,
    Text::Fri,
    Text::Sat,
    Text::Sun,
];

const WEEKDAYS_FULL: [Text; 7] = [
    Text::Monday,
    Text::Tuesday,
    Text::Wednesday,
    Text::Thursday,
    Text::Friday,
    Text::Saturday,
    Text::Sunday,
];

/// A weekday's short name (0 = Monday); out of range reads as Sunday.
pub fn weekday_short(day: usize, lang: Lang) -> &'static str {
    WEEKDAYS_SHORT[day.min(6)].get(lang)
}

/// A weekday's full name (0 = Monday); out of range reads as Sunday.
pub fn weekday_full(day: usize, lang: Lang) -> &'static str {
    WEEKDAYS_FULL[day.min(6)].get(lang)
}

/// A case status (`open`, `confirmed`, `changed`, `dismissed`) in words;
/// an unknown status is shown as it is.
pub fn case_status(status: &str, lang: Lang) -> String {
    let text = match status {
        "open" => Text::StatusOpen,
        "confirmed" => Text::StatusConfirmed,
        "changed" => Text::StatusChanged,
        "dismissed" => Text::StatusDismissed,
        other => return other.to_owned(),
    };
    text.get(lang).to_owned()
}

/// An alert kind (`negative_spike`, `complaint_flood`) in words; an
/// unknown kind is shown as it is.
pub fn alert_kind(kind: &str, lang: Lang) -> String {
    match kind {
        "negative_spike" => Text::AlertNegativeSpike.get(lang).to_owned(),
        "complaint_flood" => Text::AlertComplaintFlood.get(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// The report's title, e.g. "Weekly report: Rust Chat, 2026-W47" or
/// "每周报告：Rust 中文社区（2026-W47）". `name` is the scope's name as the
/// renderer wants it (escaped or not).
pub fn title(r: &Report, name: &str) -> String {
    let kind = match r.period.kind {
        PeriodKind::Daily => Text::DailyReport,
        PeriodKind::Weekly => Text::WeeklyReport,
        PeriodKind::Monthly => Text::MonthlyReport,
    }
    .get(r.language);
    let label = r.period.label();
    match r.language {
        Lang::Zh => format!("{kind}：{name}（{label}）"),
        Lang::Ru | Lang::En => format!("{kind}: {name}, {label}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_written_in_every_language() {
        for text in Text::ALL {
            for lang in Lang::ALL {
                let label = text.get(lang);
                assert!(!label.trim().is_empty(), "{text:?} is empty in {lang}");
            }
            // A label left in English in another language is a forgotten one,
            // except the few that are the same word.
            let same = text.get(Lang::Ru) == text.get(Lang::En);
            assert!(!same, "{text:?} is not translated to Russian");
            assert_ne!(
                text.get(Lang::Zh),
                text.get(Lang::En),
                "{text:?} in Chinese"
            );
        }
    }

    #[test]
    fn titles_follow_each_language() {
        let mut r = crate::sample::sample();
        r.language = Lang::Zh;
        assert!(title(&r, "X").starts_with("每周报告：X（2026-W47）"));
        r.language = Lang::En;
        assert_eq!(title(&r, "X"), "Weekly report: X, 2026-W47");
        assert_eq!(weekday_full(1, Lang::Ru), "вторник");
        assert_eq!(case_status("dismissed", Lang::Zh), "已驳回");
    }
}
