# The rules page.
rules-sections = 规则页各部分
rules-in-effect = 生效中的规则
rules-version = 版本 { $version }
rules-version-config = 来自配置文件（尚未保存过修改）
rules-none = 没有规则。
rules-edit = 编辑
rules-edit-title = 规则 { $id }
rules-back = 返回规则
rules-only-below = 仅限低于「{ $level }」
rules-comment = 备注（修改原因，记入历史）
rules-one-per-line = 每行一项。
rules-refused = 规则「{ $rule }」未通过：{ $problem }
rules-field-refused = 规则「{ $rule }」的字段「{ $field }」：{ $problem }
rules-duplicate-id = 有两条规则的 ID 都是「{ $id }」。ID 不能重复。
rules-reserved-id = ID「{ $id }」被本页面保留，请换一个。
rules-problem-choice = 不是可选的值。
rules-problem-integer = 不是整数。
rules-problem-negative = 不能为负数。
rules-problem-number = 不是数字。
rules-off = 关闭
notice-rules-created = 规则已添加，处于影子模式：只记录会做什么，不实际处理。确认无误后再改为执行。
notice-rules-deleted = 规则已删除。
notice-rules-restored = 旧版本已重新生效。
rules-created-comment = 添加规则 { $id }
rules-deleted-comment = 删除规则 { $id }
rules-restored-comment = 恢复版本 { $version }

# Fields of a rule.
rules-field-id = ID
rules-field-description = 说明
rules-field-type = 类型
rules-field-severity = 严重程度
rules-field-mode = 模式
rules-field-spare-from = 从此信任等级起豁免
rules-field-only-below = 仅适用于低于此信任等级的成员
rules-field-mute-minutes = 禁言时长（分钟；留空则按处罚阶梯）
rules-field-words = 关键词和短语
rules-field-match = 匹配方式
rules-field-normalize = 匹配前还原伪装（形近字母、分隔符、重复字符）
rules-field-min-hits = 至少出现几个不同的词
rules-field-regex = 正则表达式
rules-field-domains = 域名
rules-field-kinds = 附件类型（photo、video、audio、voice、document、sticker、animation、contact、location、poll、card、other）
rules-field-max = 最多允许
rules-field-max-percent = 大写字母最多占比（百分比）
rules-field-min-letters = 字母少于此数的消息不判断
rules-field-max-chars = 最多字符数
rules-field-threshold = 判为垃圾信息的概率（0 到 1；留空则用模型自带的阈值）
rules-field-channels-only = 仅限从频道转发的消息
rules-field-flood = 刷屏
rules-field-repeat = 重复发送
rules-field-wave = 多群群发
rules-field-raid = 短时间大量加入
rules-field-count = 次数（0 为关闭）
rules-field-seconds = 时间窗口（秒）

# Values of choices.
rules-value-none = （无）
rules-value-low = 低
rules-value-medium = 中
rules-value-high = 高
rules-value-critical = 严重
rules-value-enforce = 执行
rules-value-shadow = 影子（只记录）
rules-value-new = 新成员
rules-value-basic = 基础
rules-value-member = 成员
rules-value-regular = 老成员
rules-value-leader = 管理员（群管理）
rules-value-auto = 自动（拉丁和西里尔字母按整词，中文任意位置）
rules-value-word = 仅整词
rules-value-substring = 任意位置，包括词内

# Kinds of rule.
rules-kind-keywords = 关键词
rules-kind-pattern = 模式（正则表达式）
rules-kind-deny-domains = 禁止的域名
rules-kind-allow-domains = 仅允许的域名
rules-kind-any-link = 任何链接
rules-kind-invite-links = 邀请链接
rules-kind-phones = 电话号码
rules-kind-contact-ids = 微信号和 QQ 号
rules-kind-mentions = @ 太多人
rules-kind-emoji = 表情过多
rules-kind-caps = 大写字母过多
rules-kind-length = 消息过长
rules-kind-attachments = 附件
rules-kind-classifier = 垃圾信息分类器
rules-kind-forwards = 转发的消息

# New rule, delete.
rules-new-title = 新规则
rules-new-intro = 选择规则要查找的内容，详细设置在下一页填写。新规则默认处于影子模式。
rules-new-looks-for = 查找的内容（可选）
rules-new-looks-for-hint = 关键词、域名和附件类型：每行一项。模式：填写正则表达式。其他类型无需填写。
rules-new-add = 添加规则
rules-delete = 删除规则
rules-delete-confirm = 确定删除规则 { $id }？

# Behaviour limits.
rules-behaviour-title = 行为限制
rules-behaviour-intro = 单条消息看不出来的行为：刷屏、重复发送、多群群发、大量加入。次数设为 0 即关闭该项。
rules-behaviour-edit = 编辑行为限制
rules-behaviour-rule = 限制
rules-behaviour-limit = 触发条件
rules-window = { $seconds } 秒内 { $count } 次

# Penalty ladder.
rules-ladder-title = 处罚阶梯
rules-ladder-intro = 每次违规，成员上升一级（高严重程度升两级，严重直接到顶）。此默认处罚阶梯在配置文件中设置；各群也可在“群组”中自己的页面上设置专属阶梯。
rules-ladder-step = 级别
rules-ladder-penalty = 处罚
rules-ladder-expiry = 违规记录保留 { $hours } 小时。
rules-ladder-silent = 不在群里发布通知。
rules-penalty-warn = 删除消息并警告
rules-penalty-mute = 禁言 { $minutes } 分钟
rules-penalty-kick = 移出群（可再加入）
rules-penalty-ban = 永久封禁
rules-penalty-ban-for = 封禁 { $minutes } 分钟

# Test box.
rules-test-title = 测试文本
rules-test-label = 用生效中的规则检查这段文本
rules-test-run = 检查
rules-test-result = 结果
rules-test-clean = 没有规则匹配这段文本。
rules-test-violation = 有 { $count } 条规则匹配：这条消息会被处理。
rules-test-shadow-only = 只有影子规则匹配（{ $count } 条）：不会做任何处理。
rules-test-found = 发现：
rules-test-too-long = 文本太长，无法测试（最多 64 KB）。

# Backtests.
rules-backtest-title = 回测
rules-backtest-intro = 用规则重放某个群已保存的消息，看看会做出哪些处理。不会发送任何东西。
rules-backtest-no-groups = 还没有群，没有可重放的内容。
rules-backtest-since = 起始日期
rules-backtest-which = 要试的规则
rules-backtest-current = 生效中的规则
rules-backtest-draft = 下方 JSON 框中的草稿
rules-backtest-start = 开始回测
rules-backtest-pick-group = 请选择一个群。
rules-backtest-bad-date = 日期无效。
rules-backtest-no-such-group = 没有这个群。
rules-backtest-page-title = 回测 { $id }
rules-backtest-progress = 进度
rules-backtest-events = 个事件已重放
rules-backtest-running = 进行中…
rules-backtest-done = 已完成。
rules-backtest-failed = 回测失败。
rules-backtest-refresh = 刷新
rules-report-title = 会做出的处理
rules-report-since = 自 { $since }（UTC）以来的消息。
rules-report-events = 重放的事件
rules-report-messages = 检查的消息
rules-report-violations = 被执行规则匹配的消息
rules-report-trusted = 命中受信任成员
rules-report-spared = 因信任等级豁免
rules-report-by-rule = 各规则命中次数
rules-report-hits = 命中
rules-report-no-hits = 没有规则匹配任何内容。
rules-report-by-action = 各类处理次数
rules-report-count = 次数
rules-report-no-actions = 不会做出任何处理。
rules-report-samples = 示例
rules-report-step = 处罚第 { $step } 级
rules-action-delete-message = 删除消息
rules-action-warn = 警告
rules-action-mute = 禁言
rules-action-unmute = 解除禁言
rules-action-kick = 移出
rules-action-ban = 封禁
rules-action-send-message = 发送通知

# Raw JSON.
rules-raw-title = 高级：以 JSON 编辑整套规则
rules-raw-intro = 用于表单做不到的修改。保存前会检查并编译 JSON；有问题的规则会按名称指出，且不做任何更改。
rules-raw-label = 规则集（JSON）
rules-raw-save = 保存规则集
rules-raw-invalid = 无法读取 JSON：{ $problem }

# History.
rules-history-title = 历史
rules-history-empty = 尚未保存过修改：规则来自配置文件。
rules-history-version = 版本
rules-history-author = 修改人
rules-history-current = 生效中
rules-history-restore = 恢复版本 { $version }
rules-history-restore-confirm = 让版本 { $version } 重新生效？
rules-stale = 打开此页面后规则已被修改（现为第 { $version } 版）。你的内容保留在下方：请刷新页面，再把修改应用到新版本上。
