# The overview page.
