# The review page.
review-filter-kind = Kind
review-filter-status = Status
review-kind-all = All kinds
review-kind-escalation = Escalation
review-kind-report = Report
review-kind-appeal = Appeal
review-status-open = Open
review-status-decided = Decided
review-status-confirmed = Confirmed
review-status-dismissed = Dismissed
review-status-changed = Changed
review-empty = Nothing to review.
review-case = Case { $id }
review-opened = Opened { $time }
review-rule = Rule
review-severity = Severity
review-evidence = The message
review-hits = Matched rules
review-actions-taken = Actions taken
review-no-actions = No action was taken.
review-note = What the member says
review-history = The member's history
review-history-violations = { $count ->
    [one] 1 violation on record
   *[other] { $count } violations on record
}
review-history-cases = { $count ->
    [one] 1 other case
   *[other] { $count } other cases
}
review-decision = Decision
review-decided-by = Decided by { $who } on { $time }
review-decision-reason = Their reason
review-reason-label = Reason (optional)
review-confirm = Confirm
review-dismiss = Dismiss and reverse
review-change-ban = Change to ban
review-change-mute = Change to mute for 1 day
review-not-allowed = Your role may look at the queue but not decide.
review-select = Select case { $id }
review-select-all = Select all
review-bulk-title = Decide the selected cases
review-bulk-decision = Decision for the selected
review-bulk-apply = Apply to the selected
notice-none-selected = No case was selected.
review-bulk-result = { $count ->
    [one] 1 case decided.
   *[other] { $count } cases decided.
}
review-bulk-failed = Not decided (already decided or gone): { $ids }
review-unknown-decision = Unknown decision.
review-older = Older cases
review-shortcuts = Keyboard shortcuts
review-key-next = next case
review-key-prev = previous case
review-key-confirm = confirm the selected case
review-key-dismiss = dismiss the selected case
review-key-toggle = select or unselect the case for a bulk decision
review-key-help = show or hide this help
notice-decided = The case was decided.
notice-already-decided = Someone decided that case already.
review-reason-too-long = The reason may have at most 1000 characters.
