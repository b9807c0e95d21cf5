# The review page.
