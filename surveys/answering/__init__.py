"""A participant answering their milestone's active survey: what they see of it, and the one
time they submit it."""
