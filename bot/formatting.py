"""Locale-aware formatting with Babel's CLDR data."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.languages import Lang

# Babel's kk "long" pattern puts the year first; voters write "19 наурыз 2023 ж.".
_DAY_PATTERNS: dict[Lang, str] = {"kk": "d MMMM y 'ж'.", "ru": "long", "id": "long"}


def format_day(day: date, lang: Lang) -> str:
    """A calendar date the way it is written in ``lang``: 19 наурыз 2023 ж. / 19 марта 2023 г."""
    return format_date(day, _DAY_PATTERNS[lang], locale=lang)
