# The members page: search, profile, notes, actions taken by hand.
members-search-label = Name, @username or platform id
members-search-placeholder = e.g. Ann, @ann or 123456
members-search-hint = Searches every group, current and past names included. Upper and lower case do not matter.
members-recent = Recently active
members-results = { $count ->
    [one] One member matches “{ $query }”
   *[other] { $count } members match “{ $query }”
}
members-no-results = No member matches. Try part of the name, or the exact platform id.
members-col-name = Name
members-col-username = Username
members-col-platform = Platform and id
members-col-groups = Groups
members-col-last-active = Last active
members-col-violations = Violations
members-col-first-seen = First seen
members-col-community = Community
members-col-role = Role
members-col-joined = Joined
members-col-left = Left
members-col-messages = Messages
members-col-rule = Rule
members-col-severity = Severity
members-col-points = Points
members-col-expires = Counts until
members-col-by = By
members-back = All members
members-account = Account
members-trust = Trust level
members-trust-hint = Earned by time in a group, messages and a clean record; the highest of their groups.
members-trust-new = New
members-trust-basic = Basic
members-trust-member = Member
members-trust-regular = Regular
members-trust-leader = Leader
members-totals = In numbers
members-total-messages = { $count ->
    [one] One message
   *[other] { $count } messages
}
members-total-groups = { $count ->
    [one] In one group
   *[other] In { $count } groups
}
members-total-violations = { $count ->
    [one] One violation
   *[other] { $count } violations
}
members-names = Names over time
members-groups = Groups
members-role-member = Member
members-role-admin = Admin
members-role-owner = Owner
members-activity = Activity
members-activity-chart = Messages per day, last 30 days
members-violations = Violations
members-no-violations = No violations on record.
members-expired = (expired)
members-taken = Actions taken on this member
members-notes = Admins’ notes
members-no-notes = No notes yet.
members-note-label = New note (the whole team can read it)
members-note-add = Add note
members-note-bad = A note needs 1 to { $max } characters.
members-act = Take action
members-action-warn = Warn
members-action-mute = Mute
members-action-unmute = Unmute
members-action-kick = Remove from the group
members-action-ban = Ban
members-action-unban = Unban
members-act-where = Where
members-act-community = { $count ->
    [one] Across the community (one group)
   *[other] Across the community ({ $count } groups)
}
members-act-minutes = Minutes
members-act-minutes-hint = Needed for a mute. For a ban, leave it empty to ban for good.
members-act-ban-needs = Removing and banning need the admin role.
members-act-submit = Queue the action
members-bad-action = Choose one of the actions offered.
members-bad-minutes = The length must be a whole number of minutes from 1 to { $max }.
members-bad-group = Choose one of the member’s groups, or the whole community.
notice-action-queued = The action was queued; Steward carries it out in a moment.
notice-member-note-added = Note added.
notice-member-action-repeated = That form was sent already; nothing more was queued.
notice-member-action-none = Nothing was queued: the platform cannot do that, the member is an admin there, or they have left.
notice-member-action-some-skipped = The action was queued, but some groups were left out: the platform cannot do it there, the member is an admin there, or they have left it.
inactive-title = Inactive members
inactive-intro = Members who have not posted for a while, longest silent first. Group admins, members who left and members who joined within the period are not listed. This is the list a cleanup would start from; nothing is removed here.
inactive-all-groups = All groups
inactive-days = Silent for at least (days)
inactive-count = { $count ->
    [one] One member has been silent for { $days } days or more.
   *[other] { $count } members have been silent for { $days } days or more.
}
inactive-last-message = Last message
inactive-joined = Joined
inactive-messages = Messages
inactive-never = never posted
inactive-bad-days = The number of days must be from 1 to 3650.
inactive-bad-group = Unknown group.
members-inactive-link = Inactive members
members-erased-banner = This member's data was erased on request on { $time }. Counts remain; texts and names are gone.
members-join-source = How they joined
members-join-how = Source
members-source-added-by = Added or invited by
members-source-link = Through the invite link
members-source-link-of = of
members-source-referral = Referral credited to
members-source-not-counted = (not counted)
members-source-request = Asked to join (join request)
members-source-screening = Screening:
members-source-unknown = Not seen (they were there before Steward, or joined unnoticed).
members-exempt = Cleanups
members-exempt-hint = Members on a group's exempt list are never removed by a cleanup there.
members-exempt-yes = exempt
members-exempt-no = not exempt
members-exempt-add = Exempt from cleanups
members-exempt-remove = Remove the exemption
members-privacy = Data on request
members-export-hint = Everything Steward keeps about this member, as one JSON file: identity, names over time, groups, messages, violations, actions taken, notes and cases. Downloading it is recorded in the audit log.
members-export = Download their data (JSON)
members-erase-hint = Erase this member's data on their request: message texts, names over time, their name and username, notes, case evidence and screening answers are deleted for good. Counts and the audit log's entries stay; the erasure itself is recorded.
members-erase-confirm = To confirm, type the member's id: { $id }
members-erase = Erase their data
members-erase-mismatch = The confirmation must be the member's id, { $id }.
notice-member-erased = The member's data was erased.
