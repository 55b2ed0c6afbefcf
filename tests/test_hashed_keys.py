"""HashedKeys: a string -> row map kept as sorted hashes, exact for its keys."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.text.hashed_keys import HashedKeys


def test_rows_of_keys_in_order_and_unknown_left_out() -> None:
    keys = HashedKeys(["w:сайлау", "abc", " ab", "b:x y"])
    assert keys.rows(["abc", "nope", "w:сайлау", "abc", ""]).tolist() == [1, 0, 1]
    assert keys.rows([]).dtype == np.int32 and len(keys.rows([])) == 0
    assert "abc" in keys and "ab" not in keys and len(keys) == 4


def test_an_empty_map_finds_nothing() -> None:
    assert HashedKeys([]).rows(["a", "b"]).tolist() == []


def test_keys_sharing_a_hash_keep_their_own_rows() -> None:
    """With a hash that collides on purpose (the length), every key still finds its row."""
    keys = HashedKeys(["aa", "bb", "c", "ddd", "ee"], hasher=len)
    assert keys.rows(["bb", "aa", "ee", "c", "ddd"]).tolist() == [1, 0, 4, 2, 3]
    # "zz" has the hash aa, bb and ee share but is none of them; "q" has c's hash, c's alone
    assert keys.rows(["zz", "q", "bb"]).tolist() == [2, 1]


def test_equal_maps_compare_equal() -> None:
    assert HashedKeys(["a", "b"]) == HashedKeys(["a", "b"])
    assert HashedKeys(["a", "b"]) != HashedKeys(["b", "a"])


@given(st.lists(st.text(max_size=8), unique=True, max_size=60), st.lists(st.text(max_size=8), max_size=30))
def test_same_rows_as_a_dict(keys: list[str], queries: list[str]) -> None:
    table = {k: i for i, k in enumerate(keys)}
    expected = [table[q] for q in queries if q in table]
    assert HashedKeys(keys).rows(queries).tolist() == expected
    # With few hash values, every key still finds its own row (a non-key may read a key's row).
    known = [q for q in queries if q in table]
    assert HashedKeys(keys, hasher=lambda s: len(s) % 3).rows(known).tolist() == expected
