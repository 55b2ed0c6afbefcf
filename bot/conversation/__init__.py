"""The conversation core: what a voter's message gets, decided in one place for Telegram,
the local console and the command line."""
