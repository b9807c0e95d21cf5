# The rules page.
