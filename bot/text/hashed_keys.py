"""A frozen map of many short strings (model features) to row numbers, without the strings.

A dict of 28,000 feature strings takes about 3.5 MB (the strings and the table); their
64-bit hashes, sorted, with the row of each, take 12 bytes a feature. A lookup hashes the
strings and finds them with one binary search for all of them.

Two keys with one hash (about one chance in 10^10 for 28,000 keys) are kept as strings, so
every key maps to its own row. A string that is not a key finds no row unless its hash is a
key's: about one chance in 10^15 a lookup, and then it reads that key's row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np


class HashedKeys:
    """``keys[i] -> i`` for distinct strings, looked up many at a time."""

    def __init__(self, keys: Sequence[str], hasher: Callable[[str], int] = hash) -> None:
        self._hash = hasher
        hashes = np.fromiter(map(hasher, keys), dtype=np.int64, count=len(keys))
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._rows = order.astype(np.int32)
        shared = {h for h, n in Counter(hashes.tolist()).items() if n > 1}
        # keys whose hash another key has too: looked up by their string
        self._shared = {k: i for i, k in enumerate(keys) if hasher(k) in shared}
        self._shared_hashes = np.array(sorted(shared), dtype=np.int64)

    def __len__(self) -> int:
        return len(self._rows)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, HashedKeys)
            and np.array_equal(self._hashes, other._hashes)
            and np.array_equal(self._rows, other._rows)
            and self._shared == other._shared
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays inside: no hashing

    def __contains__(self, key: str) -> bool:
        return len(self.rows((key,))) == 1

    def rows(self, keys: Sequence[str]) -> np.ndarray:
        """The rows of those of ``keys`` that are keys, in their order (int32)."""
        hashes = np.fromiter(map(self._hash, keys), dtype=np.int64, count=len(keys))
        if not len(self._hashes):
            return np.zeros(0, dtype=np.int32)
        at = np.minimum(np.searchsorted(self._hashes, hashes), len(self._hashes) - 1)
        found = self._hashes[at] == hashes
        if self._shared:
            shared = np.isin(hashes, self._shared_hashes)
            if shared.any():
                rows = [
                    self._shared.get(k, -1) if s else int(self._rows[a]) if f else -1
                    for k, s, a, f in zip(keys, shared.tolist(), at.tolist(), found.tolist(), strict=True)
                ]
                array = np.array(rows, dtype=np.int32)
                return array[array >= 0]
        return self._rows[at[found]]
