# The audit page.
audit-all-groups = Все группы
audit-all-actions = Все действия
audit-actor = Исполнитель
audit-actor-hint = system или user:ИМЯ
audit-from = С (UTC)
audit-to = По (UTC)
audit-target = Объект
audit-rule = Правило
audit-ladder-step = Ступень лестницы наказаний
audit-empty = Нет подходящих записей.
audit-older = Более старые записи
audit-newest = Новейшие записи
audit-export = Экспорт в CSV
audit-bad-date = Дата должна выглядеть так: 2024-05-31.
audit-bad-group = Неизвестная группа.
audit-caption = Записи журнала аудита, новые сначала
