"""A linear topic classifier over the FAQ's phrasings, with an out-of-scope class.

Multinomial logistic regression over TF-IDF features of the folded text (words, word
pairs, word stems and character n-grams inside words), so "тұрғылықты", "turgylykty"
and "тургылыкты" share most of their features. It learns which words tell topics apart,
where the retrieval scorer (:mod:`bot.faq.matcher`) only knows how rare they are, and
its probabilities are calibrated enough to decide between answering and "did you mean".

Training uses scikit-learn, imported only to train. A trained model is a few numpy
arrays; it is cached on disk under a hash of everything it was trained on, so a bot that
starts with unchanged content loads it in milliseconds, and an edit (a phrasing attached
from /unanswered) trains a new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from pathlib import Path

import numpy as np

from bot.config import cache_dir
from bot.text.hashed_keys import HashedKeys
from bot.text.normalize import key
from bot.text.word_cache import WordCache

MODEL_VERSION = "1"  # bump when features or training change: old cache files are ignored
MAX_TEXT_CHARS = 400
C = 64.0  # inverse regularisation strength of the logistic regression
MIN_DF = 2  # features of one phrasing only are left out: half the size, same accuracy
WEIGHT_TYPE = np.float16  # half the memory of float32; the same answers (tests/test_realistic.py)
CACHE_KEPT = 3  # model files kept in the cache (each edit of the FAQ trains a new one)


DEFAULT_CACHE = cache_dir()  # SAYLAU_MODEL_CACHE, else ~/.cache/saylau


def word_features(word: str) -> list[str]:
    """Features of one folded word, repeated as often as they occur: the word, its 4- and
    6-letter stems, its 3-5 letter n-grams."""
    feats = ["w:" + word]
    if len(word) > 4:
        feats.append("s:" + word[:4])
    if len(word) > 6:
        feats.append("s:" + word[:6])
    padded = f" {word} "
    end = len(padded)
    feats += [padded[j : j + 3] for j in range(end - 2)]
    feats += [padded[j : j + 4] for j in range(end - 3)]
    feats += [padded[j : j + 5] for j in range(end - 4)]
    return feats


def pair_features(words: Sequence[str]) -> list[str]:
    """The word pairs of a text."""
    return ["b:" + first + " " + second for first, second in pairwise(words)]


def feature_list(folded: str) -> list[str]:
    """Features of a folded text, repeated as often as they occur: those of its words
    (:func:`word_features`) and its word pairs."""
    words = folded.split()
    return [f for word in words for f in word_features(word)] + pair_features(words)


def text_features(folded: str) -> Counter[str]:
    """:func:`feature_list` counted."""
    return Counter(feature_list(folded))


@dataclass(frozen=True)
class TopicModel:
    """Trained weights: ``vocabulary`` feature -> row of ``weights`` (features x classes)."""

    classes: tuple[str, ...]
    vocabulary: HashedKeys
    idf: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    _word_rows: WordCache[bytes] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_word_rows", WordCache(lambda word: self._rows_of(word_features(word))))

    def _rows_of(self, features: Sequence[str]) -> bytes:
        """The rows of the known ones among ``features``, as int32 bytes (those of a word are
        kept for the latest words: :mod:`bot.text.word_cache`)."""
        return self.vocabulary.rows(features).tobytes()

    def probabilities(self, text: str) -> np.ndarray:
        """P(class | text) for every class, in the order of :attr:`classes`."""
        return self.probabilities_folded(key(text))

    def probabilities_folded(self, folded: str) -> np.ndarray:
        """:meth:`probabilities` of a text already folded with :func:`bot.text.normalize.key`."""
        words = folded[:MAX_TEXT_CHARS].split()
        known = b"".join([*map(self._word_rows, words), self._rows_of(pair_features(words))])
        idx, vals = _unit_weights(np.frombuffer(known, dtype=np.int32), self.idf)
        logits = self.bias + vals @ self.weights[idx].astype(np.float32)
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()


def _unit_weights(rows: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Known feature rows (with repeats) as (rows, ascending; unit-length sublinear TF-IDF
    weights, float32)."""
    rows, counts = np.unique(rows, return_counts=True)
    values = (1 + np.log(counts)) * idf[rows]
    norm = math.sqrt(values @ values) or 1.0
    return rows, (values / norm).astype(np.float32)


def _weighted(feats: list[str], vocabulary: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_unit_weights` of the known features among ``feats``."""
    rows = np.fromiter(map(vocabulary.get, feats, repeat(-1)), dtype=np.int64, count=len(feats))
    return _unit_weights(rows[rows >= 0], idf)


def _fingerprint(examples: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"{MODEL_VERSION}|{C}|{MIN_DF}".encode())
    for label, text in sorted(examples):
        digest.update(f"{label}\x1f{text}\x1e".encode())
    return digest.hexdigest()[:24]


def train(examples: Iterable[tuple[str, str]]) -> TopicModel:
    """Fit the model on (class, text) pairs (scikit-learn; a second or two for the FAQ)."""
    return _fit(examples)[0]


def _fit(examples: Iterable[tuple[str, str]]) -> tuple[TopicModel, list[str]]:
    """:func:`train`, and the model's features in the order of its rows (to save it)."""
    from scipy.sparse import csr_matrix  # training only: scikit-learn takes a second to import
    from sklearn.linear_model import LogisticRegression

    pairs = [(label, key(text)[:MAX_TEXT_CHARS]) for label, text in examples]
    pairs = [(label, folded) for label, folded in pairs if folded]
    classes = tuple(sorted({label for label, _ in pairs}))
    lists = [feature_list(folded) for _, folded in pairs]
    df: Counter[str] = Counter(f for feats in lists for f in set(feats))
    features = sorted(f for f, d in df.items() if d >= MIN_DF)
    vocabulary = {f: i for i, f in enumerate(features)}
    n_docs = len(lists)
    idf = np.zeros(len(vocabulary), dtype=np.float32)
    for f, i in vocabulary.items():
        idf[i] = math.log((n_docs + 1) / (df[f] + 1)) + 1
    indptr, indices, data = [0], [], []
    for feats in lists:
        rows, values = _weighted(feats, vocabulary, idf)
        indices.extend(rows)
        data.extend(values)
        indptr.append(len(indices))
    matrix = csr_matrix((data, indices, indptr), shape=(n_docs, len(vocabulary)), dtype=np.float32)
    class_index = {c: i for i, c in enumerate(classes)}
    labels = np.array([class_index[label] for label, _ in pairs])
    model = LogisticRegression(C=C, solver="sag", tol=1e-3, max_iter=300, random_state=0)
    model.fit(matrix, labels)
    weights = np.ascontiguousarray(model.coef_.T, dtype=np.float32)
    bias = model.intercept_.astype(np.float32)
    if len(classes) == 2:  # binary: sklearn keeps one column
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    return TopicModel(classes, HashedKeys(features), idf, weights.astype(WEIGHT_TYPE), bias), features


def _save(model: TopicModel, features: list[str], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        with open(tmp, "wb") as f:
            np.savez(
                f,
                classes=json.dumps(model.classes),
                features=json.dumps(features, ensure_ascii=False),
                idf=model.idf,
                weights=model.weights,
                bias=model.bias,
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _load(path: Path) -> TopicModel:
    with np.load(path, allow_pickle=False) as data:
        features = json.loads(str(data["features"]))
        return TopicModel(
            tuple(json.loads(str(data["classes"]))),
            HashedKeys(features),
            data["idf"],
            data["weights"].astype(WEIGHT_TYPE, copy=False),
            data["bias"],
        )


def trained(examples: Sequence[tuple[str, str]], cache_dir: Path | None) -> TopicModel:
    """The model for ``examples``: from ``cache_dir`` when trained before, else trained (and cached)."""
    if cache_dir is None:
        return train(examples)
    path = cache_dir / f"topic-model-{_fingerprint(examples)}.npz"
    if path.exists():
        try:
            return _load(path)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache file is retrained and replaced
    model, features = _fit(examples)
    with contextlib.suppress(OSError):  # a read-only cache only costs the next start a retraining
        _save(model, features, path)
        _prune(cache_dir)
    return model


def _prune(cache_dir: Path) -> None:
    """Delete all but the newest :data:`CACHE_KEPT` model files."""
    files = sorted(cache_dir.glob("topic-model-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[CACHE_KEPT:]:
        old.unlink(missing_ok=True)
