# Страница участников: поиск, профиль, заметки, ручные меры.
members-search-label = Имя, @username или id на платформе
members-search-placeholder = например, Анна, @anna или 123456
members-search-hint = Поиск по всем группам, включая прежние имена. Регистр букв не важен.
members-recent = Недавно активные
members-results = { $count ->
    [one] { $count } участник по запросу «{ $query }»
    [few] { $count } участника по запросу «{ $query }»
   *[other] { $count } участников по запросу «{ $query }»
}
members-no-results = Никого не найдено. Попробуйте часть имени или точный id на платформе.
members-col-name = Имя
members-col-username = Имя пользователя
members-col-platform = Платформа и id
members-col-groups = Группы
members-col-last-active = Последняя активность
members-col-violations = Нарушения
members-col-first-seen = Впервые замечено
members-col-community = Сообщество
members-col-role = Роль
members-col-joined = Вступил(а)
members-col-left = Вышел(ла)
members-col-messages = Сообщения
members-col-rule = Правило
members-col-severity = Серьёзность
members-col-points = Баллы
members-col-expires = Учитывается до
members-col-by = Кем
members-back = Все участники
members-account = Аккаунт
members-trust = Уровень доверия
members-trust-hint = Зависит от времени в группе, числа сообщений и отсутствия нарушений; показан наивысший по всем группам.
members-trust-new = Новичок
members-trust-basic = Базовый
members-trust-member = Участник
members-trust-regular = Постоянный
members-trust-leader = Лидер
members-totals = В цифрах
members-total-messages = { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[other] { $count } сообщений
}
members-total-groups = { $count ->
    [one] В { $count } группе
   *[other] В { $count } группах
}
members-total-violations = { $count ->
    [one] { $count } нарушение
    [few] { $count } нарушения
   *[other] { $count } нарушений
}
members-names = Имена в разное время
members-groups = Группы
members-role-member = Участник
members-role-admin = Администратор
members-role-owner = Владелец
members-activity = Активность
members-activity-chart = Сообщений в день за последние 30 дней
members-violations = Нарушения
members-no-violations = Нарушений нет.
members-expired = (истекло)
members-taken = Меры, принятые к участнику
members-notes = Заметки администраторов
members-no-notes = Заметок пока нет.
members-note-label = Новая заметка (её увидит вся команда)
members-note-add = Добавить заметку
members-note-bad = Заметка должна содержать от 1 до { $max } символов.
members-act = Принять меры
members-action-warn = Предупредить
members-action-mute = Запретить писать
members-action-unmute = Разрешить писать
members-action-kick = Удалить из группы
members-action-ban = Заблокировать
members-action-unban = Разблокировать
members-act-where = Где
members-act-community = { $count ->
    [one] Во всём сообществе ({ $count } группа)
    [few] Во всём сообществе ({ $count } группы)
   *[other] Во всём сообществе ({ $count } групп)
}
members-act-minutes = Минуты
members-act-minutes-hint = Обязательно для запрета писать. Для блокировки оставьте пустым, чтобы заблокировать навсегда.
members-act-ban-needs = Удаление и блокировка доступны только администраторам.
members-act-submit = Поставить в очередь
members-bad-action = Выберите одно из предложенных действий.
members-bad-minutes = Длительность должна быть целым числом минут от 1 до { $max }.
members-bad-group = Выберите одну из групп участника или всё сообщество.
notice-action-queued = Действие поставлено в очередь; Steward выполнит его через мгновение.
notice-member-note-added = Заметка добавлена.
notice-member-action-repeated = Эта форма уже была отправлена; повторно ничего не поставлено в очередь.
notice-member-action-none = Ничего не поставлено в очередь: платформа этого не умеет, участник там администратор или уже вышел.
notice-member-action-some-skipped = Действие поставлено в очередь, но некоторые группы пропущены: платформа этого не умеет, участник там администратор или уже вышел из группы.
inactive-title = Неактивные участники
inactive-intro = Участники, которые давно не писали; дольше всех молчащие — первыми. Администраторы групп, вышедшие и вступившие за этот период не показываются. С этого списка начинается чистка; здесь никто не удаляется.
inactive-all-groups = Все группы
inactive-days = Молчат не меньше (дней)
inactive-count = { $count ->
    [one] { $count } участник молчит { $days } дн. или дольше.
    [few] { $count } участника молчат { $days } дн. или дольше.
   *[other] { $count } участников молчат { $days } дн. или дольше.
}
inactive-last-message = Последнее сообщение
inactive-joined = Вступил
inactive-messages = Сообщений
inactive-never = ни разу не писал
inactive-bad-days = Число дней — от 1 до 3650.
inactive-bad-group = Неизвестная группа.
members-inactive-link = Неактивные участники
members-erased-banner = Данные этого участника удалены по его запросу { $time }. Счётчики сохранены, тексты и имена удалены.
members-join-source = Как вступил
members-join-how = Источник
members-source-added-by = Добавил или пригласил
members-source-link = По ссылке-приглашению
members-source-link-of = владелец ссылки
members-source-referral = Приглашение засчитано
members-source-not-counted = (не засчитано)
members-source-request = Подал заявку на вступление
members-source-screening = Проверка:
members-source-unknown = Неизвестно (был в группе до Steward или вступил незамеченным).
members-exempt = Чистки
members-exempt-hint = Участников из списка исключений группы чистка там не удаляет никогда.
members-exempt-yes = в исключениях
members-exempt-no = не в исключениях
members-exempt-add = Исключить из чисток
members-exempt-remove = Убрать из исключений
members-privacy = Данные по запросу
members-export-hint = Всё, что Steward хранит об участнике, одним файлом JSON: данные аккаунта, имена, группы, сообщения, нарушения, принятые меры, заметки и разбирательства. Выгрузка записывается в журнал аудита.
members-export = Скачать данные (JSON)
members-erase-hint = Удалить данные участника по его запросу: тексты сообщений, прежние имена, имя и username, заметки, доказательства в разбирательствах и ответы на вопросы при вступлении удаляются безвозвратно. Счётчики и записи журнала аудита остаются; само удаление записывается.
members-erase-confirm = Для подтверждения введите id участника: { $id }
members-erase = Удалить данные
members-erase-mismatch = Для подтверждения нужен id участника: { $id }.
notice-member-erased = Данные участника удалены.
