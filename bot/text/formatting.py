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


# Kazakh Cyrillic alphabet order (Russian letters keep theirs within it).
_CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_COLLATE = str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(_CYRILLIC)})


def alphabetical(text: str) -> str:
    """A sort key: Kazakh and Russian words in alphabet order (Ә after А, Ө after О), Latin as is."""
    return text.lower().translate(_COLLATE)
