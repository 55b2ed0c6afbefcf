"""Sparse inverted indexes: the rows each feature occurs in (the candidate name search) and,
with a weight each, rows of unit vectors scored with numpy (the FAQ matcher)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import repeat

import numpy as np


class Postings:
    """The rows each feature occurs in, stored as one array of row numbers sorted by feature."""

    def __init__(self, rows: Iterable[Iterable[str]]) -> None:
        self._build((((f, 1.0) for f in row) for row in rows), weighted=False)

    def _build(self, rows: Iterable[Iterable[tuple[str, float]]], weighted: bool) -> np.ndarray:
        """Index (feature, weight) pairs, row by row; the weights in postings order (if ``weighted``)."""
        feature_ids: dict[str, int] = {}
        feats, numbers, weights = array("i"), array("i"), array("f")
        n_rows = 0
        for row, pairs in enumerate(rows):
            n_rows = row + 1
            for f, w in pairs:
                feats.append(feature_ids.setdefault(f, len(feature_ids)))
                numbers.append(row)
                if weighted:
                    weights.append(w)
        feat_arr = np.frombuffer(feats, dtype=np.int32)
        order = np.argsort(feat_arr, kind="stable")
        self._ids = np.frombuffer(numbers, dtype=np.int32)[order]
        # feature -> its number, and the postings of number i are _ids[_starts[i]:_starts[i + 1]]:
        # a (start, end) tuple per feature took 110 bytes more each (tens of thousands of them).
        self._features = feature_ids
        self._starts = np.searchsorted(feat_arr[order], np.arange(len(feature_ids) + 1)).astype(np.int64)
        self._rows = n_rows
        return np.frombuffer(weights, dtype=np.float32)[order] if weighted else np.zeros(0, dtype=np.float32)

    def __len__(self) -> int:
        return self._rows

    def features(self) -> list[str]:
        """Every feature that occurs in some row."""
        return list(self._features)

    def rows_with(self, feature: str) -> np.ndarray:
        """The rows in which ``feature`` occurs."""
        i = self._features.get(feature)
        return self._ids[self._starts[i] : self._starts[i + 1]] if i is not None else self._ids[:0]

    def numbers(self, features: Iterable[str], count: int) -> np.ndarray:
        """The index's number of each of ``count`` features (-1 where it occurs in no row)."""
        return np.fromiter(map(self._features.get, features, repeat(-1)), dtype=np.int64, count=count)


class PostingIndex(Postings):
    """Rows of sparse unit vectors stored as postings; :meth:`scores` gives cosines."""

    def __init__(self, vectors: Iterable[dict[str, float]]) -> None:
        self._weights = self._build((vec.items() for vec in vectors), weighted=True)

    def scores(self, query: dict[str, float], max_postings: int | None = None) -> np.ndarray | None:
        """Cosine of every row with the unit vector ``query``; None when nothing overlaps.

        Features with more than ``max_postings`` rows (common, low-IDF n-grams) are skipped.
        """
        numbers = self.numbers(query, len(query))
        weights = np.fromiter(query.values(), dtype=np.float32, count=len(query))
        known = numbers >= 0
        return self.scores_of(numbers[known], weights[known], max_postings)

    def scores_of(
        self, numbers: np.ndarray, weights: np.ndarray, max_postings: int | None = None
    ) -> np.ndarray | None:
        """:meth:`scores` of a query given as feature :meth:`numbers` (all >= 0) and weights.

        The postings are gathered with a few numpy operations, not one slice per feature.
        """
        starts, ends = self._starts[numbers], self._starts[numbers + 1]
        lengths = ends - starts
        if max_postings is not None:
            kept = lengths <= max_postings
            starts, lengths, weights = starts[kept], lengths[kept], weights[kept]
        total = int(lengths.sum())
        if not total:
            return None
        # positions of every kept posting: each feature's run starts[i] .. starts[i] + lengths[i]
        run_offsets = np.cumsum(lengths) - lengths
        positions = np.arange(total) + np.repeat(starts - run_offsets, lengths)
        products = self._weights[positions] * np.repeat(weights.astype(np.float32, copy=False), lengths)
        return np.bincount(self._ids[positions], weights=products, minlength=self._rows)


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the (at most) ``k`` highest non-zero scores, in no particular order."""
    hit = np.flatnonzero(scores)  # argpartition slows down on the many tied zeros
    if len(hit) > k:
        hit = hit[np.argpartition(scores[hit], -k)[-k:]]
    return hit.tolist()
