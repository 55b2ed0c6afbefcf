"""A sparse inverted index of unit vectors, scored with numpy (shared by the FAQ matcher
and the candidate name search)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np


class PostingIndex:
    """Rows of sparse unit vectors stored as postings; :meth:`scores` gives cosines."""

    def __init__(self, vectors: Iterable[dict[str, float]]) -> None:
        feature_ids: dict[str, int] = {}
        feats, rows, weights = array("i"), array("i"), array("f")
        n_rows = 0
        for row, vec in enumerate(vectors):
            n_rows = row + 1
            for f, w in vec.items():
                feats.append(feature_ids.setdefault(f, len(feature_ids)))
                rows.append(row)
                weights.append(w)
        feat_arr = np.frombuffer(feats, dtype=np.int32)
        order = np.argsort(feat_arr, kind="stable")
        self._ids = np.frombuffer(rows, dtype=np.int32)[order]
        self._weights = np.frombuffer(weights, dtype=np.float32)[order]
        bounds = np.searchsorted(feat_arr[order], np.arange(len(feature_ids) + 1))
        self._slices = {f: (int(bounds[i]), int(bounds[i + 1])) for f, i in feature_ids.items()}
        self._rows = n_rows

    def __len__(self) -> int:
        return self._rows

    def features(self) -> list[str]:
        """Every feature that occurs in some row."""
        return list(self._slices)

    def rows_with(self, feature: str) -> np.ndarray:
        """The rows in which ``feature`` occurs."""
        start, end = self._slices.get(feature, (0, 0))
        return self._ids[start:end]

    def scores(self, query: dict[str, float], max_postings: int | None = None) -> np.ndarray | None:
        """Cosine of every row with the unit vector ``query``; None when nothing overlaps.

        Features with more than ``max_postings`` rows (common, low-IDF n-grams) are skipped.
        """
        cap = max_postings or self._rows
        hits = [
            (span, w)
            for f, w in query.items()
            if (span := self._slices.get(f)) is not None and span[1] - span[0] <= cap
        ]
        if not hits:
            return None
        ids = np.concatenate([self._ids[a:b] for (a, b), _ in hits])
        weights = np.concatenate([self._weights[a:b] for (a, b), _ in hits])
        weights *= np.repeat(np.array([w for _, w in hits], dtype=np.float32), [b - a for (a, b), _ in hits])
        return np.bincount(ids, weights=weights, minlength=self._rows)


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the (at most) ``k`` highest non-zero scores, in no particular order."""
    hit = np.flatnonzero(scores)  # argpartition slows down on the many tied zeros
    if len(hit) > k:
        hit = hit[np.argpartition(scores[hit], -k)[-k:]]
    return hit.tolist()
