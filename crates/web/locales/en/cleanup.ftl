# Cleanups of silent members, since-actions, their runs, exempt lists.
cleanup-title = Cleanups
cleanup-intro = A cleanup removes members who have been silent for a while. It always starts as a dry run listing who would be removed and who is spared and why; nothing happens until you confirm. Removals then go out one every few seconds, and a cleanup can be undone by re-inviting the removed.
cleanup-needs-ban = Cleanups and since-actions need the admin role.
cleanup-start = New cleanup
cleanup-recent = Spare members who joined within (days)
cleanup-recent-hint = Newcomers may not have said anything yet. Group admins and moderators, the exempt list, bots and Steward itself are always spared.
cleanup-dry-run = Dry run
inactive-cleanup-link = Clean up these members…
run-list = Runs
run-what = What
run-status = Status
run-by = By
run-title = Run #{ $id }
run-label-cleanup = Cleanup: silent for { $days } days
run-label-since-kick = Remove everyone who joined { $from } – { $to } ({ $zone })
run-label-since-ban = Ban everyone who joined { $from } – { $to } ({ $zone })
run-status-dry-run = Dry run
run-status-confirmed = Confirmed
run-status-undone = Undone
run-status-superseded = Replaced
run-confirmed-by = Confirmed by { $name } at { $time }
run-undone-by = Undone by { $name } at { $time }
run-progress = Progress
run-progress-text = { $done } done, { $pending } waiting, { $failed } failed, { $cancelled } stopped, of { $total }.
run-link = Invite link to share
run-link-hint = Members who never wrote to the bot cannot get their personal link in private; share this one with them.
run-link-pending = The invite link is being made; reload in a moment.
run-confirm-text = { $count ->
    [one] Remove this member?
   *[other] Remove these { $count } members?
}
run-confirm-hint = Steward checks the list again first: if it changed in the meantime, nothing is done and a new dry run is shown.
run-confirm = Confirm and start
run-undo-hint = Undo stops the removals not made yet and re-invites everyone removed: bans are lifted, and each gets an invite link in private where the platform allows.
run-undo = Undo: re-invite the removed
run-would-remove = { $count ->
    [one] One member to remove
   *[other] { $count } members to remove
}
run-would-ban = { $count ->
    [one] One member to ban
   *[other] { $count } members to ban
}
run-nobody = Nobody to remove.
run-outcome = Outcome
run-spared = { $count ->
    [one] One member spared
   *[other] { $count } members spared
}
run-why = Why
run-spared-steward = Steward itself
run-spared-bot = Bot
run-spared-admin = Group admin
run-spared-moderator = Moderator
run-spared-exempt = Exempt list
run-spared-recent = Joined recently
run-spared-returning = Here before the window
run-spared-other = Spared
run-member-planned = Planned
run-member-pending = Waiting
run-member-done = Removed
run-member-failed = Failed
run-member-cancelled = Stopped
run-bad-count = The form is missing the number of members. Reload the page and try again.
notice-run-confirmed = Confirmed. The removals go out one every few seconds.
notice-run-changed = The members changed since the dry run, so nothing was done. Here is the new dry run.
notice-run-not-dry-run = That run was already confirmed or replaced.
notice-run-undone = Undone. The remaining removals were stopped and the removed are being re-invited.
notice-run-not-confirmed = Only a confirmed run can be undone, once.
exempt-title = Exempt list
exempt-intro = Members on a group's exempt list are never removed by a cleanup.
exempt-empty = Nobody is exempt in this group.
exempt-remove = Remove
exempt-member = Member
exempt-member-hint = Their platform id, or Steward's id with a # (for example #42).
exempt-add = Add to the exempt list
exempt-spare = Spare
exempt-unknown-member = No such member.
notice-exempt-added = Added to the exempt list.
notice-exempt-removed = Taken off the exempt list.
notice-exempt-unchanged = Nothing changed.
since-title = Since-actions
since-intro = Remove or ban everyone who joined a group in a time window, for example after a raid. Members seen in the group before the window, admins, moderators and bots are spared. A dry run comes first. In the chat: /since 10m kick, then /since 10m kick confirm.
since-from = Joined from
since-to = Joined until
since-zone = Times are in the chosen group's time zone, shown next to its name (UTC unless set in the group's settings).
since-kick = Remove (they can join again)
since-ban = Ban
since-bad-time = Enter the times as date and time.
since-bad-action = Choose remove or ban.
