# The rules page.
rules-sections = Sections of the rules page
rules-in-effect = Rules in effect
rules-version = Version { $version }
rules-version-config = From the configuration file (no change saved yet)
rules-none = There are no rules.
rules-edit = Edit
rules-edit-title = Rule { $id }
rules-back = Back to the rules
rules-only-below = only below { $level }
rules-comment = Comment (why, for the history)
rules-one-per-line = One item per line.
rules-refused = Rule “{ $rule }” was refused: { $problem }
rules-field-refused = Rule “{ $rule }”, field “{ $field }”: { $problem }
rules-duplicate-id = Two rules have the id “{ $id }”. Ids must be unique.
rules-reserved-id = The id “{ $id }” is reserved for this page. Choose another.
rules-problem-choice = not one of the choices.
rules-problem-integer = not a whole number.
rules-problem-negative = must not be negative.
rules-problem-number = not a number.
rules-off = Off
notice-rules-created = Rule added in shadow mode: it only records what it would do. Switch it to enforce when it looks right.
notice-rules-deleted = Rule deleted.
notice-rules-restored = The old version is in effect again.
rules-created-comment = Added rule { $id }
rules-deleted-comment = Deleted rule { $id }
rules-restored-comment = Restored version { $version }

# Fields of a rule.
rules-field-id = Id
rules-field-description = Description
rules-field-type = Kind
rules-field-severity = Severity
rules-field-mode = Mode
rules-field-spare-from = Spare members from trust level
rules-field-only-below = Only for members below trust level
rules-field-mute-minutes = Mute length in minutes (empty: the ladder's)
rules-field-words = Words and phrases
rules-field-match = Where words match
rules-field-normalize = Fold disguises (look-alike letters, separators, repeats) before matching
rules-field-min-hits = Different words needed
rules-field-regex = Regular expression
rules-field-domains = Domains
rules-field-kinds = Attachment types (photo, video, audio, voice, document, sticker, animation, contact, location, poll, card, other)
rules-field-max = Most allowed
rules-field-max-percent = Most capital letters allowed, in percent
rules-field-min-letters = Shorter messages are not judged (letters)
rules-field-max-chars = Most characters allowed
rules-field-threshold = Spam probability that counts (0 to 1; empty: the model's own)
rules-field-channels-only = Only forwards from channels
rules-field-flood = Flooding
rules-field-repeat = Repeated messages
rules-field-wave = The same text in several groups
rules-field-raid = Join raid
rules-field-count = How many (0: off)
rules-field-seconds = Within seconds

# Values of choices.
rules-value-none = (none)
rules-value-low = Low
rules-value-medium = Medium
rules-value-high = High
rules-value-critical = Critical
rules-value-enforce = Enforce
rules-value-shadow = Shadow
rules-value-new = New
rules-value-basic = Basic
rules-value-member = Member
rules-value-regular = Regular
rules-value-leader = Leader (group admins)
rules-value-auto = Automatic (whole words for Latin and Cyrillic, anywhere for Chinese)
rules-value-word = Whole words only
rules-value-substring = Anywhere, even inside words

# Kinds of rule.
rules-kind-keywords = Keywords
rules-kind-pattern = Pattern (regular expression)
rules-kind-deny-domains = Forbidden domains
rules-kind-allow-domains = Only allowed domains
rules-kind-any-link = Any link
rules-kind-invite-links = Invitation links
rules-kind-phones = Phone numbers
rules-kind-contact-ids = WeChat and QQ ids
rules-kind-mentions = Too many mentions
rules-kind-emoji = Too many emoji
rules-kind-caps = Shouting (capitals)
rules-kind-length = Too long
rules-kind-attachments = Attachments
rules-kind-classifier = Spam classifier
rules-kind-forwards = Forwarded messages

# New rule, delete.
rules-new-title = New rule
rules-new-intro = Choose what the rule looks for; you set the details on the next page. New rules start in shadow mode.
rules-new-looks-for = What it looks for (optional)
rules-new-looks-for-hint = For keywords, domains and attachment types: one per line. For a pattern: the regular expression. Other kinds need nothing here.
rules-new-add = Add rule
rules-delete = Delete rule
rules-delete-confirm = Delete rule { $id }?

# Behaviour limits.
rules-behaviour-title = Behaviour limits
rules-behaviour-intro = Limits on what no single message shows: flooding, repeats, waves across groups, join raids. A count of 0 turns a limit off.
rules-behaviour-edit = Edit the behaviour limits
rules-behaviour-rule = Limit
rules-behaviour-limit = Triggers at
rules-window = { $count } within { $seconds } seconds

# Penalty ladder.
rules-ladder-title = Penalty ladder
rules-ladder-intro = Each violation moves the member one step up (high severity two, critical to the top). This default ladder is set in the configuration file; a group can have its own, set on its page under Groups.
rules-ladder-step = Step
rules-ladder-penalty = Penalty
rules-ladder-expiry = Violations count for { $hours } hours.
rules-ladder-silent = Notices are not posted in the group.
rules-penalty-warn = Delete the message and warn
rules-penalty-mute = Mute for { $minutes } minutes
rules-penalty-kick = Remove (may come back)
rules-penalty-ban = Ban for ever
rules-penalty-ban-for = Ban for { $minutes } minutes

# Test box.
rules-test-title = Test a text
rules-test-label = Text to check against the rules in effect
rules-test-run = Check
rules-test-result = Result
rules-test-clean = No rule matched this text.
rules-test-violation = { $count ->
    [one] One rule matched: the message would be acted on.
   *[other] { $count } rules matched: the message would be acted on.
}
rules-test-shadow-only = { $count ->
    [one] Only a shadow rule matched: nothing would be done.
   *[other] Only shadow rules matched ({ $count }): nothing would be done.
}
rules-test-found = Found:
rules-test-too-long = The text is too long to test (64 KB at most).

# Backtests.
rules-backtest-title = Backtest
rules-backtest-intro = Replay a group's stored messages through the rules and see what would have been done. Nothing is sent.
rules-backtest-no-groups = There are no groups yet, so there is nothing to replay.
rules-backtest-since = Since
rules-backtest-which = Rules to try
rules-backtest-current = The rules in effect
rules-backtest-draft = The draft in the JSON box below
rules-backtest-start = Start backtest
rules-backtest-pick-group = Choose a group.
rules-backtest-bad-date = The date is not valid.
rules-backtest-no-such-group = There is no such group.
rules-backtest-page-title = Backtest { $id }
rules-backtest-progress = Progress
rules-backtest-events = events replayed
rules-backtest-running = Running…
rules-backtest-done = Done.
rules-backtest-failed = The backtest failed.
rules-backtest-refresh = Refresh
rules-report-title = What would have been done
rules-report-since = Messages since { $since } (UTC).
rules-report-events = Events replayed
rules-report-messages = Messages checked
rules-report-violations = Messages an enforced rule matched
rules-report-trusted = Hits on trusted members
rules-report-spared = Hits spared by trust level
rules-report-by-rule = Hits per rule
rules-report-hits = Hits
rules-report-no-hits = No rule matched anything.
rules-report-by-action = Actions per kind
rules-report-count = Count
rules-report-no-actions = No action would have been taken.
rules-report-samples = Examples
rules-report-step = ladder step { $step }
rules-action-delete-message = Delete message
rules-action-warn = Warn
rules-action-mute = Mute
rules-action-unmute = Unmute
rules-action-kick = Remove
rules-action-ban = Ban
rules-action-send-message = Send notice

# Raw JSON.
rules-raw-title = Advanced: the whole rule set as JSON
rules-raw-intro = For anything the forms do not do. The JSON is checked and compiled before it is saved; a bad rule is refused by name and nothing changes.
rules-raw-label = Rule set (JSON)
rules-raw-save = Save the rule set
rules-raw-invalid = The JSON could not be read: { $problem }

# History.
rules-history-title = History
rules-history-empty = No change has been saved yet: the rules come from the configuration file.
rules-history-version = Version
rules-history-author = By
rules-history-current = In effect
rules-history-restore = Restore version { $version }
rules-history-restore-confirm = Make version { $version } the rules in effect again?
rules-stale = The rules changed (now version { $version }) since this page was opened. Your text is kept below: reload the page, then apply your change to the new version.
