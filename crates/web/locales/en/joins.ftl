# The join requests page.
nav-joins = Join requests
joins-title = Join requests
joins-intro = People waiting for an admin: join requests that passed the automatic checks (or that no check covers), and newcomers muted in raid mode. Approving lets them in; declining turns the request down or removes the newcomer. The reason goes to the audit log.
joins-all-groups = All groups
joins-bad-group = The group must be a number.
joins-bad-decision = Choose approve or decline.
joins-bad-reason = The reason is too long (500 characters at most).
joins-bad-minutes = Minutes must be a whole number in range.
joins-bad-setting = That setting has no such value.
joins-raids-title = Raid mode
joins-raids-none = No group is in raid mode.
joins-raid-line = { $joins } joins in a burst · since { $since } · until { $until }
joins-raid-end = End raid mode
joins-queue-title = Waiting for an admin
joins-count = { $count ->
    [one] One person is waiting.
   *[other] { $count } people are waiting.
}
joins-kind-request = Join request
joins-kind-newcomer = Held newcomer
joins-stage = Stage
joins-stage-manual = Waiting for an admin
joins-stage-captcha = Solving the CAPTCHA
joins-stage-question = Answering the question
joins-since = Since
joins-checks = Checks passed
joins-checks-none = None
joins-check-captcha = CAPTCHA
joins-check-question = Question
joins-comment = Comment or bio
joins-answer = Answer to the question
joins-early = Still being checked; deciding now skips the remaining checks.
joins-reason = Reason (optional)
joins-approve = Approve
joins-decline = Decline
joins-settings-pick = Pick a group above to see and change its screening settings.
joins-settings-title = Screening in { $group }
joins-settings-readonly = Only admins and the owner can change screening settings.
joins-captcha-kind = CAPTCHA
joins-captcha-off = None
joins-captcha-emoji = Press the named emoji
joins-captcha-arithmetic = A small sum
joins-captcha-on = Asked of
joins-captcha-on-both = Applicants and newcomers
joins-captcha-on-requests = Applicants (in private)
joins-captcha-on-joins = Newcomers (muted in the group until solved)
joins-captcha-minutes = Minutes to solve it
joins-manual = Every join request waits for an admin after the automatic checks
joins-raid-response = When a join wave is detected
joins-raid-off = Only record it
joins-raid-mute = Mute every newcomer (raid mode)
joins-raid-minutes = Minutes raid mode lasts
joins-raid-hint = Telegram bots cannot switch a group to join requests only, so raid mode mutes newcomers until they pass the CAPTCHA or an admin lets them in.
joins-settings-save = Save
notice-join-approved = Approved.
notice-join-declined = Declined.
notice-join-already = Someone decided this already.
notice-raid-ended = Raid mode ended.
notice-raid-not-on = That group is not in raid mode.
joins-all-line = { $count ->
    [one] One person waiting for an admin.
   *[other] { $count } people waiting for an admin.
}
joins-approve-all = Approve all
joins-decline-all = Decline all
joins-all-done = { $count ->
    [0] Nobody was waiting any more.
    [one] One person decided.
   *[other] { $count } people decided.
}
joins-captcha-no-buttons = Members of this group's platform cannot press buttons, so the CAPTCHA can only be asked of applicants (in private, as a sum to type).
joins-bad-captcha-platform = This group's platform cannot show buttons in the group, so newcomers could never solve a CAPTCHA there. Ask it of applicants only.
