# The members page.
