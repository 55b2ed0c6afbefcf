"""Who the bot messages and what it keeps about them: a voter's language, reminder
subscriptions, broadcasts, and the at-most-once outbox they are sent through."""
