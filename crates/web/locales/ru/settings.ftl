# Страница настроек: учётная запись, команда, платформы.
settings-account = Ваша учётная запись
settings-sign-out-everywhere = Выйти на всех устройствах
settings-tokens = API-токены
settings-tokens-help = Токен действует от вашего имени в HTTP API (Authorization: Bearer …). Он показывается один раз, при создании.
settings-token-label = Метка
settings-token-create = Создать токен
settings-token-made = Новый API-токен «{ $label }»:
settings-token-active = Действует
settings-token-revoked = Отозван { $time }
settings-token-label-bad = Метка должна содержать от 1 до 64 символов.
settings-revoke = Отозвать
settings-revoke-confirm = Отозвать этот токен? Программы, которые им пользуются, перестанут работать.
settings-created = Создан
settings-status = Состояние
settings-shown-once = Скопируйте сейчас: он показывается только один раз.
settings-team = Команда
settings-role = Роль
settings-role-of = Роль пользователя { $name }
settings-since = В команде с
settings-change-role = Сменить роль
settings-remove = Удалить
settings-remove-confirm = Удалить { $name } из команды? Его сеансы и токены сразу перестанут действовать.
settings-not-yourself = Нельзя менять свою роль или удалять себя.
settings-role-unknown = Неизвестная роль.
settings-invite = Пригласить в команду
settings-invite-create = Создать приглашение
settings-invite-made = Ссылка-приглашение на роль «{ $role }» (действует 7 дней, один раз):
settings-invites-pending = { $count ->
    [one] { $count } приглашение ждёт использования:
    [few] { $count } приглашения ждут использования:
   *[other] { $count } приглашений ждут использования:
}
settings-invite-expires = истекает { $time }
settings-team-rules = Правила команды
settings-operators-decide = Операторы могут принимать решения в очереди проверки
settings-operators-decide-help = Если выключено, подтверждать или отклонять эскалации, жалобы и апелляции могут только администраторы и владелец.
settings-team-save = Сохранить настройки команды
settings-platforms = Подключения к платформам
settings-platforms-help = Задаются в файле конфигурации или переменных окружения. Токены здесь не показываются, только последние символы.
settings-platform = Платформа
settings-mode = Режим
settings-secret = Токен
