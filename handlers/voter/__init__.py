"""Voters' routers: start and language, menu, questions, candidates, dates, abroad,
reminders, inline mode."""
