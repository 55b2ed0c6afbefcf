"""The per-word caches of the FAQ matcher, the topic model, the language detector and the
cities abroad (bot/text/word_cache.py) give what computing afresh gives, and stay bounded."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from bot.conversation.assistant import Assistant
from bot.faq import classifier, matcher
from bot.text import langdetect, word_cache
from bot.text.normalize import key

REALISTIC = Path(__file__).parent / "data" / "realistic"


def realistic_texts() -> list[str]:
    texts = []
    for path in sorted(REALISTIC.glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


TEXTS = realistic_texts()
ODD = ["", " ", "😀😀", "a", "ә" * 400, "w:x p:y", "сайлау сайлау сайлау", "ı̇ ﬁ Ǆ", "1 2 3"]


def test_realistic_texts_are_there() -> None:
    assert len(TEXTS) > 500


def test_matcher_query_is_the_bag_of_features(assistant: Assistant) -> None:
    """The question's cached feature numbers weigh as the bag built from its features does."""
    m = assistant.matcher
    names = list(m._feature_ids)
    for text in [*TEXTS, *ODD] * 2:  # the second round reads the cache
        folded = key(text)[: matcher.MAX_QUERY_CHARS]
        numbers, weights = m._query(folded)
        expected = m._weights(matcher.features(folded))
        got = {names[n]: w for n, w in zip(numbers.tolist(), weights.tolist(), strict=True)}
        assert got.keys() == expected.keys(), text
        assert all(math.isclose(got[f], w, abs_tol=1e-12) for f, w in expected.items()), text


def test_topic_model_probabilities_are_those_of_all_features(assistant: Assistant) -> None:
    model = assistant.matcher.model
    assert model is not None
    for text in [*TEXTS, *ODD] * 2:
        folded = key(text)
        feats = classifier.feature_list(folded[: classifier.MAX_TEXT_CHARS])
        rows, values = classifier._unit_weights(model.vocabulary.rows(feats), model.idf)
        logits = model.bias + values @ model.weights[rows]
        expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        assert np.allclose(model.probabilities_folded(folded), expected, atol=1e-6), text


def test_language_odds_are_those_of_all_features(assistant: Assistant) -> None:
    """A word's cached log-odds are the sum over its features of the pair's table."""
    detector = assistant.detector
    names = detector._vocabulary
    for text in TEXTS[:300]:
        for pair in langdetect._PAIRS:
            table, unseen = detector._log_odds[pair], detector._unseen[pair]
            words = key(text[: langdetect.MAX_CHARS]).split()
            feats = [f for w in words for f in langdetect._word_features(w)]
            expected = sum(float(table[r[0]]) if len(r := names.rows([f])) else unseen for f in feats)
            odds = [detector._word_odds[pair](w) for w in words]
            assert math.isclose(sum(o for o, _ in odds), expected, abs_tol=1e-9)
            assert sum(n for _, n in odds) == len(feats)


@pytest.mark.parametrize("reader", ["matcher", "model", "detector"])
def test_word_caches_stay_bounded(assistant: Assistant, reader: str) -> None:
    """Thousands of made-up words (a flood of random text) keep at most word_cache.SIZE of them."""
    # No Kazakh letter (the detector reads them); no letter twice in a row (folding drops one).
    words = ["слово" + "z".join(str(i)) for i in range(3 * word_cache.SIZE)]
    chunks = [" ".join(words[start : start + 20]) for start in range(0, len(words), 20)]  # each < 300 chars
    model = assistant.matcher.model
    assert model is not None
    read, cache = {
        "matcher": (assistant.matcher.rank, assistant.matcher._word_numbers),
        "model": (model.probabilities, model._word_rows),
        "detector": (assistant.detector.detect, assistant.detector._word_odds["kk", "ru"]),
    }[reader]
    cache.cache_clear()  # the content's readers are shared by the tests
    for chunk in chunks:
        read(chunk)
    info = cache.cache_info()
    assert info.maxsize is not None and info.maxsize <= 4096
    assert info.currsize == info.maxsize  # full, and no fuller
    assert info.misses >= len(words)  # every new word was read


def test_cities_abroad_read_through_the_word_cache_as_from_the_buckets() -> None:
    """countries_named (first words cached) finds what a plain scan of the buckets finds."""
    from bot.abroad import gazetteer

    def plain(text: str) -> list[str]:
        words = key(text).split()
        found: list[str] = []
        for i, word in enumerate(words):
            if len(word) < 3:
                continue
            hits = [
                (country, words[i : i + len(name)] == name)
                for name, country in gazetteer._bucket(gazetteer._index(), word[:4])
                if i + len(name) <= len(words) and all(map(gazetteer._is_form, words[i:], name))
            ]
            exact = [c for c, is_exact in hits if is_exact]
            if "KZ" in exact:
                continue
            chosen = exact or [c for c, _ in hits]
            found += [c for c in dict.fromkeys(chosen) if c != "KZ" and c not in found]
        return found

    gazetteer.warm_up()
    cities = ["я в Казани", "живу в Анкаре", "Osaka", "New York", "в Нью-Йорке", "Алматы", "Sankt-Peterburg"]
    texts = [*TEXTS, *cities, *ODD]
    named = [gazetteer.countries_named(t) for t in texts * 2]
    assert named == [plain(t) for t in texts * 2]
    assert sum(map(bool, named)) >= 10  # cities are found


def test_long_words_are_computed_each_time_not_kept() -> None:
    """A flood of long made-up words cannot make a word cache large."""
    calls: list[str] = []

    def compute(word: str) -> int:
        calls.append(word)
        return len(word)

    cache = word_cache.WordCache(compute)
    short, long = "сайлау", "ы" * (word_cache.LONGEST + 1)
    assert [cache(short), cache(short), cache(long), cache(long)] == [6, 6, len(long), len(long)]
    assert calls == [short, long, long]  # the short word once, the long one every time
    assert cache.cache_info().currsize == 1
    cache.cache_clear()
    assert cache.cache_info().currsize == 0
