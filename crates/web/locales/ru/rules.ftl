# The rules page.
rules-sections = Разделы страницы правил
rules-in-effect = Действующие правила
rules-version = Версия { $version }
rules-version-config = Из файла конфигурации (изменений ещё не сохраняли)
rules-none = Правил нет.
rules-edit = Изменить
rules-edit-title = Правило { $id }
rules-back = Назад к правилам
rules-only-below = только ниже уровня «{ $level }»
rules-comment = Комментарий (зачем — для истории)
rules-one-per-line = По одному на строку.
rules-refused = Правило «{ $rule }» отклонено: { $problem }
rules-field-refused = Правило «{ $rule }», поле «{ $field }»: { $problem }
rules-duplicate-id = У двух правил одинаковый id «{ $id }». Id должны быть уникальными.
rules-reserved-id = Id «{ $id }» занят этой страницей. Выберите другой.
rules-problem-choice = недопустимое значение.
rules-problem-integer = не целое число.
rules-problem-negative = не может быть отрицательным.
rules-problem-number = не число.
rules-off = Выключено
notice-rules-created = Правило добавлено в теневом режиме: оно только записывает, что сделало бы. Включите его, когда убедитесь, что оно работает верно.
notice-rules-deleted = Правило удалено.
notice-rules-restored = Старая версия снова действует.
rules-created-comment = Добавлено правило { $id }
rules-deleted-comment = Удалено правило { $id }
rules-restored-comment = Восстановлена версия { $version }

# Fields of a rule.
rules-field-id = Id
rules-field-description = Описание
rules-field-type = Вид
rules-field-severity = Серьёзность
rules-field-mode = Режим
rules-field-spare-from = Не применять начиная с уровня доверия
rules-field-only-below = Только для участников ниже уровня доверия
rules-field-mute-minutes = Длительность мьюта в минутах (пусто — по лестнице)
rules-field-words = Слова и фразы
rules-field-match = Где искать слова
rules-field-normalize = Снимать маскировку (похожие буквы, разделители, повторы) перед поиском
rules-field-min-hits = Сколько разных слов нужно
rules-field-regex = Регулярное выражение
rules-field-domains = Домены
rules-field-kinds = Типы вложений (photo, video, audio, voice, document, sticker, animation, contact, location, poll, card, other)
rules-field-max = Не больше
rules-field-max-percent = Доля заглавных букв, не больше (в процентах)
rules-field-min-letters = Более короткие сообщения не проверяются (букв)
rules-field-max-chars = Не больше символов
rules-field-threshold = Вероятность спама, при которой срабатывает (от 0 до 1; пусто — порог модели)
rules-field-channels-only = Только пересылки из каналов
rules-field-flood = Флуд
rules-field-repeat = Повторы
rules-field-wave = Один текст в нескольких группах
rules-field-raid = Наплыв участников
rules-field-count = Сколько раз (0 — выключено)
rules-field-seconds = За сколько секунд

# Values of choices.
rules-value-none = (нет)
rules-value-low = Низкая
rules-value-medium = Средняя
rules-value-high = Высокая
rules-value-critical = Критическая
rules-value-enforce = Действует
rules-value-shadow = Теневой
rules-value-new = Новичок
rules-value-basic = Базовый
rules-value-member = Участник
rules-value-regular = Постоянный
rules-value-leader = Лидер (админы группы)
rules-value-auto = Автоматически (целые слова для латиницы и кириллицы, где угодно для китайского)
rules-value-word = Только целые слова
rules-value-substring = Где угодно, даже внутри слов

# Kinds of rule.
rules-kind-keywords = Ключевые слова
rules-kind-pattern = Шаблон (регулярное выражение)
rules-kind-deny-domains = Запрещённые домены
rules-kind-allow-domains = Только разрешённые домены
rules-kind-any-link = Любая ссылка
rules-kind-invite-links = Приглашения в группы
rules-kind-phones = Номера телефонов
rules-kind-contact-ids = Id WeChat и QQ
rules-kind-mentions = Слишком много упоминаний
rules-kind-emoji = Слишком много эмодзи
rules-kind-caps = Капс
rules-kind-length = Слишком длинные сообщения
rules-kind-attachments = Вложения
rules-kind-classifier = Классификатор спама
rules-kind-forwards = Пересланные сообщения

# New rule, delete.
rules-new-title = Новое правило
rules-new-intro = Выберите, что ищет правило; подробности — на следующей странице. Новые правила начинают в теневом режиме.
rules-new-looks-for = Что искать (необязательно)
rules-new-looks-for-hint = Для ключевых слов, доменов и типов вложений — по одному на строку. Для шаблона — регулярное выражение. Другим видам здесь ничего не нужно.
rules-new-add = Добавить правило
rules-delete = Удалить правило
rules-delete-confirm = Удалить правило { $id }?

# Behaviour limits.
rules-behaviour-title = Ограничения поведения
rules-behaviour-intro = То, что не видно по одному сообщению: флуд, повторы, рассылки по группам, наплывы участников. Число 0 выключает ограничение.
rules-behaviour-edit = Изменить ограничения поведения
rules-behaviour-rule = Ограничение
rules-behaviour-limit = Срабатывает при
rules-window = { $count } за { $seconds } с

# Penalty ladder.
rules-ladder-title = Лестница наказаний
rules-ladder-intro = Каждое нарушение поднимает участника на ступень (высокая серьёзность — на две, критическая — сразу наверх). Эта лестница по умолчанию задаётся в файле конфигурации; у группы может быть своя — на её странице в разделе «Группы».
rules-ladder-step = Ступень
rules-ladder-penalty = Наказание
rules-ladder-expiry = Нарушения учитываются { $hours } ч.
rules-ladder-silent = Уведомления в группе не публикуются.
rules-penalty-warn = Удалить сообщение и предупредить
rules-penalty-mute = Мьют на { $minutes } мин
rules-penalty-kick = Исключить (может вернуться)
rules-penalty-ban = Бан навсегда
rules-penalty-ban-for = Бан на { $minutes } мин

# Test box.
rules-test-title = Проверить текст
rules-test-label = Текст для проверки действующими правилами
rules-test-run = Проверить
rules-test-result = Результат
rules-test-clean = Ни одно правило не сработало.
rules-test-violation = { $count ->
    [one] Сработало { $count } правило: сообщение было бы обработано.
    [few] Сработало { $count } правила: сообщение было бы обработано.
   *[other] Сработало { $count } правил: сообщение было бы обработано.
}
rules-test-shadow-only = Сработали только теневые правила ({ $count }): ничего не было бы сделано.
rules-test-found = Найдено:
rules-test-too-long = Текст слишком длинный для проверки (не больше 64 КБ).

# Backtests.
rules-backtest-title = Бэктест
rules-backtest-intro = Прогнать сохранённые сообщения группы через правила и посмотреть, что было бы сделано. Ничего не отправляется.
rules-backtest-no-groups = Групп пока нет, прогонять нечего.
rules-backtest-since = С даты
rules-backtest-which = Какие правила
rules-backtest-current = Действующие правила
rules-backtest-draft = Черновик из поля JSON ниже
rules-backtest-start = Запустить бэктест
rules-backtest-pick-group = Выберите группу.
rules-backtest-bad-date = Неверная дата.
rules-backtest-no-such-group = Такой группы нет.
rules-backtest-page-title = Бэктест { $id }
rules-backtest-progress = Ход выполнения
rules-backtest-events = событий обработано
rules-backtest-running = Выполняется…
rules-backtest-done = Готово.
rules-backtest-failed = Бэктест не удался.
rules-backtest-refresh = Обновить
rules-report-title = Что было бы сделано
rules-report-since = Сообщения с { $since } (UTC).
rules-report-events = Обработано событий
rules-report-messages = Проверено сообщений
rules-report-violations = Сообщений, на которых сработало действующее правило
rules-report-trusted = Срабатываний на доверенных участниках
rules-report-spared = Пропущено из-за уровня доверия
rules-report-by-rule = Срабатывания по правилам
rules-report-hits = Срабатываний
rules-report-no-hits = Ни одно правило ничего не нашло.
rules-report-by-action = Действия по видам
rules-report-count = Количество
rules-report-no-actions = Никаких действий не было бы.
rules-report-samples = Примеры
rules-report-step = ступень { $step }
rules-action-delete-message = Удалить сообщение
rules-action-warn = Предупреждение
rules-action-mute = Мьют
rules-action-unmute = Снять мьют
rules-action-kick = Исключение
rules-action-ban = Бан
rules-action-send-message = Уведомление

# Raw JSON.
rules-raw-title = Для опытных: весь набор правил в JSON
rules-raw-intro = Для всего, чего не умеют формы. Перед сохранением JSON проверяется и компилируется; неверное правило называется по id, и ничего не меняется.
rules-raw-label = Набор правил (JSON)
rules-raw-save = Сохранить набор правил
rules-raw-invalid = Не удалось прочитать JSON: { $problem }

# History.
rules-history-title = История
rules-history-empty = Изменений ещё не сохраняли: правила из файла конфигурации.
rules-history-version = Версия
rules-history-author = Автор
rules-history-current = Действует
rules-history-restore = Восстановить версию { $version }
rules-history-restore-confirm = Снова сделать версию { $version } действующей?
rules-stale = С момента открытия страницы правила изменились (теперь версия { $version }). Ваш текст сохранён ниже: обновите страницу и внесите изменение в новую версию.
