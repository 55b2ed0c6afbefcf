"""Locale-aware formatting with Babel's CLDR data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from babel.dates import format_date

from bot.languages import Lang

# CLDR's long dates for ru and id; for Kazakh the official style of state documents,
# "2026 жылғы 15 наурыз" (CLDR's "2026 ж. 15 наурыз" abbreviates the same order).
_DAY_PATTERNS: dict[Lang, str] = {"kk": "y 'жылғы' d MMMM", "ru": "long", "id": "long"}


@lru_cache(maxsize=1024)  # every answer shows its as-of date; Babel takes 30 µs to write one
def format_day(day: date, lang: Lang) -> str:
    """A calendar date the way it is written in ``lang``: 2023 жылғы 19 наурыз / 19 марта 2023 г. /
    19 Maret 2023. The one date style of every reply."""
    return format_date(day, _DAY_PATTERNS[lang], locale=lang)


KAZAKHSTAN = timezone(timedelta(hours=5), "UTC+5")  # one time zone since 1 March 2024


def format_stamp(stamp: str, lang: Lang) -> str:
    """A stored UTC timestamp (ISO 8601) as its day in Kazakhstan, in ``lang``'s date style."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_day(moment.astimezone(KAZAKHSTAN).date(), lang)
