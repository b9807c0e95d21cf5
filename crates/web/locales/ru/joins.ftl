# Страница заявок на вступление.
nav-joins = Заявки
joins-title = Заявки на вступление
joins-intro = Те, кто ждёт решения администратора: заявки, прошедшие автоматические проверки (или без проверок), и новички, лишённые права писать в режиме защиты. Одобрение впускает их; отказ отклоняет заявку или удаляет новичка. Причина попадает в журнал аудита.
joins-all-groups = Все группы
joins-bad-group = Группа должна быть числом.
joins-bad-decision = Выберите «одобрить» или «отказать».
joins-bad-reason = Слишком длинная причина (не более 500 символов).
joins-bad-minutes = Число минут должно быть целым и в допустимых пределах.
joins-bad-setting = У этой настройки нет такого значения.
joins-raids-title = Режим защиты от набегов
joins-raids-none = Ни одна группа не находится в режиме защиты.
joins-raid-line = { $joins } вступлений подряд · с { $since } · до { $until }
joins-raid-end = Завершить режим защиты
joins-queue-title = Ждут решения администратора
joins-count = { $count ->
    [one] Ждёт { $count } человек.
    [few] Ждут { $count } человека.
   *[other] Ждут { $count } человек.
}
joins-kind-request = Заявка
joins-kind-newcomer = Задержанный новичок
joins-stage = Этап
joins-stage-manual = Ждёт администратора
joins-stage-captcha = Проходит проверку
joins-stage-question = Отвечает на вопрос
joins-since = С
joins-checks = Пройденные проверки
joins-checks-none = Нет
joins-check-captcha = Проверка на бота
joins-check-question = Вопрос
joins-comment = Комментарий или описание
joins-answer = Ответ на вопрос
joins-early = Проверка ещё идёт; решение сейчас пропустит оставшиеся проверки.
joins-reason = Причина (необязательно)
joins-approve = Одобрить
joins-decline = Отказать
joins-settings-pick = Выберите группу выше, чтобы увидеть и изменить её настройки проверки.
joins-settings-title = Проверка вступающих в «{ $group }»
joins-settings-readonly = Менять настройки проверки могут только администраторы и владелец.
joins-captcha-kind = Проверка на бота
joins-captcha-off = Нет
joins-captcha-emoji = Нажать указанный эмодзи
joins-captcha-arithmetic = Простой пример
joins-captcha-on = Для кого
joins-captcha-on-both = Заявители и новички
joins-captcha-on-requests = Заявители (в личных сообщениях)
joins-captcha-on-joins = Новички (не могут писать в группе, пока не пройдут)
joins-captcha-minutes = Минут на проверку
joins-manual = Каждая заявка после автоматических проверок ждёт администратора
joins-raid-response = При наплыве вступающих
joins-raid-off = Только записать
joins-raid-mute = Лишать права писать всех новичков (режим защиты)
joins-raid-minutes = Сколько минут длится режим защиты
joins-raid-hint = Боты Telegram не могут перевести группу на вступление только по заявкам, поэтому режим защиты лишает новичков права писать, пока они не пройдут проверку или их не пропустит администратор.
joins-settings-save = Сохранить
notice-join-approved = Одобрено.
notice-join-declined = Отказано.
notice-join-already = Решение уже принято.
notice-raid-ended = Режим защиты завершён.
notice-raid-not-on = Эта группа не в режиме защиты.
joins-all-line = { $count ->
    [one] Решения администратора ждёт { $count } человек.
    [few] Решения администратора ждут { $count } человека.
   *[other] Решения администратора ждут { $count } человек.
}
joins-approve-all = Одобрить всех
joins-decline-all = Отклонить всех
joins-all-done = { $count ->
    [0] Уже никто не ждал.
    [one] Решение принято по { $count } человеку.
   *[other] Решение принято по { $count } людям.
}
joins-captcha-no-buttons = Участники на платформе этой группы не могут нажимать кнопки, поэтому капчу можно задавать только подающим заявку (в личных сообщениях, пример с ответом текстом).
joins-bad-captcha-platform = Платформа этой группы не показывает кнопки в группе, и новички никогда не смогли бы пройти там капчу. Задавайте её только подающим заявку.
