# The settings page: account, team, platforms.
settings-account = Your account
settings-sign-out-everywhere = Sign out everywhere
settings-tokens = API tokens
settings-tokens-help = A token acts as you in the HTTP API (Authorization: Bearer …). It is shown once, when it is made.
settings-token-label = Label
settings-token-create = Create token
settings-token-made = New API token “{ $label }”:
settings-token-active = Active
settings-token-revoked = Revoked { $time }
settings-token-label-bad = The label must be 1 to 64 characters.
settings-revoke = Revoke
settings-revoke-confirm = Revoke this token? Programs using it stop working.
settings-created = Created
settings-status = Status
settings-shown-once = Copy it now: it is shown only this once.
settings-team = Team
settings-role = Role
settings-role-of = Role of { $name }
settings-since = Member since
settings-change-role = Change role
settings-remove = Remove
settings-remove-confirm = Remove { $name } from the team? Their sessions and tokens end now.
settings-not-yourself = You cannot change your own role or remove yourself.
settings-role-unknown = Unknown role.
settings-invite = Invite a team member
settings-invite-create = Create invitation
settings-invite-made = Invitation link for a new { $role } (valid 7 days, works once):
settings-invites-pending = { $count ->
    [one] One invitation is waiting to be used:
   *[other] { $count } invitations are waiting to be used:
}
settings-invite-expires = expires { $time }
settings-team-rules = Team rules
settings-operators-decide = Operators may decide review items
settings-operators-decide-help = Off: only admins and the owner confirm or dismiss escalations, reports and appeals.
settings-team-save = Save team settings
settings-platforms = Platform connections
settings-platforms-help = Set in the config file or environment. Tokens are never shown here, only their last characters.
settings-platform = Platform
settings-mode = Mode
settings-secret = Token
