"""The election calendar: votes from the elections table, the next and recent ones,
countdowns and polling hours."""
