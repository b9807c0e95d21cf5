# The groups page.
