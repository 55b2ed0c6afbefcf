"""Alphabetical order per language by CLDR collation (ICU): Kazakh Ә after А, Қ after К, Ү after
У; Russian Ё with Е; Indonesian Latin first. Every list a voter sees is ordered with this.

Sort keys are bytes that compare like the texts under the language's collator, so they can be
stored in SQLite (a BLOB column compares with memcmp) and paged there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TypeVar

import icu

from bot.languages import LANGS, Lang

T = TypeVar("T")


@cache
def collator(lang: Lang) -> icu.Collator:
    """The CLDR collator of ``lang`` (shared; ICU collators are safe to read from threads)."""
    return icu.Collator.createInstance(icu.Locale(lang))


def sort_key(text: str, lang: Lang) -> bytes:
    """The bytes that order ``text`` alphabetically in ``lang``."""
    return bytes(collator(lang).getSortKey(text))


def sort_keys(text: str) -> dict[str, bytes]:
    """``sort_kk``, ``sort_ru`` and ``sort_id`` columns for a stored name."""
    return {f"sort_{lang}": sort_key(text, lang) for lang in LANGS}


def collated(items: Iterable[T], lang: Lang, text: Callable[[T], str] = str) -> list[T]:
    """``items`` in the alphabetical order of ``lang``, compared by ``text(item)``."""
    return sorted(items, key=lambda item: sort_key(text(item), lang))
