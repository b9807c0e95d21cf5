# The audit page.
audit-all-groups = 全部群组
audit-all-actions = 全部操作
audit-actor = 执行者
audit-actor-hint = system 或 user:用户名
audit-from = 起始日期（UTC）
audit-to = 截止日期（UTC）
audit-target = 对象
audit-rule = 规则
audit-ladder-step = 处罚阶梯级别
audit-empty = 没有符合条件的记录。
audit-older = 更早的记录
audit-newest = 最新的记录
audit-export = 导出为 CSV
audit-bad-date = 日期格式应为 2024-05-31。
audit-bad-group = 未知的群组。
audit-caption = 审计日志记录，最新的在前
