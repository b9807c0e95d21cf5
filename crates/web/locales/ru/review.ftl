# The review page.
review-filter-kind = Тип
review-filter-status = Статус
review-kind-all = Все типы
review-kind-escalation = Эскалация
review-kind-report = Жалоба
review-kind-appeal = Апелляция
review-status-open = Открытые
review-status-decided = Решённые
review-status-confirmed = Подтверждено
review-status-dismissed = Отклонено
review-status-changed = Изменено
review-empty = Проверять нечего.
review-case = Дело { $id }
review-opened = Открыто { $time }
review-rule = Правило
review-severity = Серьёзность
review-evidence = Сообщение
review-hits = Сработавшие правила
review-actions-taken = Принятые меры
review-no-actions = Никаких мер не принято.
review-note = Что пишет участник
review-history = История участника
review-history-violations = { $count ->
    [one] { $count } нарушение в записи
    [few] { $count } нарушения в записи
   *[other] { $count } нарушений в записи
}
review-history-cases = { $count ->
    [one] ещё { $count } дело
    [few] ещё { $count } дела
   *[other] ещё { $count } дел
}
review-decision = Решение
review-decided-by = Решил(а) { $who }, { $time }
review-decision-reason = Причина решения
review-reason-label = Причина (необязательно)
review-confirm = Подтвердить
review-dismiss = Отклонить и отменить меры
review-change-ban = Заменить на бан
review-change-mute = Заменить на мут на 1 день
review-not-allowed = Ваша роль позволяет смотреть очередь, но не принимать решения.
review-select = Выбрать дело { $id }
review-select-all = Выбрать все
review-bulk-title = Решить выбранные дела
review-bulk-decision = Решение для выбранных
review-bulk-apply = Применить к выбранным
notice-none-selected = Ни одно дело не выбрано.
review-bulk-result = { $count ->
    [one] Решено { $count } дело.
    [few] Решено { $count } дела.
   *[other] Решено { $count } дел.
}
review-bulk-failed = Не решены (уже решены или не найдены): { $ids }
review-unknown-decision = Неизвестное решение.
review-older = Более старые дела
review-shortcuts = Горячие клавиши
review-key-next = следующее дело
review-key-prev = предыдущее дело
review-key-confirm = подтвердить выбранное дело
review-key-dismiss = отклонить выбранное дело
review-key-toggle = отметить дело для массового решения или снять отметку
review-key-help = показать или скрыть эту справку
notice-decided = Решение по делу принято.
notice-already-decided = По этому делу кто-то уже принял решение.
review-reason-too-long = Причина может содержать не более 1000 символов.
