"""What the per-message readers (FAQ matcher, topic model, language detector, cities abroad)
compute for one word, kept for the latest words: voters' questions share most of their words.

Bounded in entries and in their size: a word longer than :data:`LONGEST` letters (a link, a
run of letters with no space) is rare and computed each time, so a flood of made-up long
words cannot make the cache large.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from functools import _CacheInfo

T = TypeVar("T")
SIZE = 2048  # words kept per reader: about 2 MB for the four readers, full
LONGEST = 40  # letters of the longest word kept


class WordCache(Generic[T]):
    """``compute(word)``, remembered for the latest :data:`SIZE` words of up to :data:`LONGEST` letters."""

    def __init__(self, compute: Callable[[str], T]) -> None:
        self._compute = compute
        self._cached = lru_cache(maxsize=SIZE)(compute)

    def __call__(self, word: str) -> T:
        return self._cached(word) if len(word) <= LONGEST else self._compute(word)

    def cache_info(self) -> _CacheInfo:
        """Hits, misses and size (as ``functools.lru_cache``)."""
        return self._cached.cache_info()

    def cache_clear(self) -> None:
        """Forget every word."""
        self._cached.cache_clear()
