# The settings page.
