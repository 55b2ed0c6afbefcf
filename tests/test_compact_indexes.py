"""The memory-saving forms of the indexes still find the right rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.candidates.directory import NameIndex, _both
from bot.db import PAGE_CACHE_KIB, open_database
from bot.text.names import name_key
from bot.text.postings import PostingIndex, Postings

NAMES = ["Ахметов Асқар", "Ахметова Айгүл", "Сейітов Асқар Бекұлы", "Tokayev Kassym", "Асқар Асқар"]


def test_postings_without_weights_hold_each_row_once() -> None:
    postings = Postings([["a", "b"], ["b"], [], ["c", "a"]])
    assert postings.rows_with("a").tolist() == [0, 3]
    assert postings.rows_with("b").tolist() == [0, 1]
    assert postings.rows_with("x").tolist() == []
    assert len(postings) == 4 and sorted(postings.features()) == ["a", "b", "c"]
    assert not hasattr(postings, "_weights")


def test_weighted_postings_still_score() -> None:
    index = PostingIndex([{"a": 0.6, "b": 0.8}, {"b": 1.0}])
    scores = index.scores({"b": 1.0})
    assert scores is not None and np.allclose(scores, [0.8, 1.0])
    assert index.scores({"zzz": 1.0}) is None


def test_name_index_keeps_small_ids_in_32_bits_and_big_ones_whole() -> None:
    small = NameIndex((i + 1, name_key(n)) for i, n in enumerate(NAMES))
    big_ids = [2**40 + i for i in range(len(NAMES))]
    big = NameIndex(zip(big_ids, map(name_key, NAMES), strict=True))
    assert small.ids.dtype == np.int32 and big.ids.dtype == np.int64
    assert [cid for cid, _ in small.search("Ахметов Асқар")][:1] == [1]
    assert [cid for cid, _ in big.search("Ахметов Асқар")][:1] == [big_ids[0]]
    assert {cid for cid, _ in big.search("Асқар")} >= {big_ids[0], big_ids[2], big_ids[4]}
    assert len(NameIndex([])) == 0 and NameIndex([]).search("Асқар") == []


def test_the_database_keeps_a_small_page_cache(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    assert db.execute("PRAGMA cache_size").fetchone()[0] == -PAGE_CACHE_KIB


@given(st.sets(st.integers(0, 300), max_size=80), st.sets(st.integers(0, 300), max_size=80))
def test_rows_in_both_are_numpys_intersection(first: set[int], second: set[int]) -> None:
    """The name search's intersection of two words' rows (summing their similarities)."""
    rows, more_rows = np.array(sorted(first), dtype=np.int32), np.array(sorted(second), dtype=np.int32)
    total, more = rows / 1000, more_rows / 100
    got_rows, got_total = _both(rows, total, more_rows, more)
    expected, mine, theirs = np.intersect1d(rows, more_rows, assume_unique=True, return_indices=True)
    assert got_rows.tolist() == expected.tolist()
    assert np.allclose(got_total, total[mine] + more[theirs])
