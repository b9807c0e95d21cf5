# The audit page.
audit-all-groups = All groups
audit-all-actions = All actions
audit-actor = Actor
audit-actor-hint = system or user:NAME
audit-from = From (UTC)
audit-to = To (UTC)
audit-target = Target
audit-rule = Rule
audit-ladder-step = Ladder step
audit-empty = No entries match.
audit-older = Older entries
audit-newest = Newest entries
audit-export = Export as CSV
audit-bad-date = Dates must look like 2024-05-31.
audit-bad-group = Unknown group.
audit-caption = Audit log entries, newest first
