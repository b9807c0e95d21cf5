# The audit page.
