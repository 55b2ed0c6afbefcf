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
from dataclasses import dataclass
from itertools import pairwise, repeat
from pathlib import Path

import numpy as np

from bot.config import cache_dir
from bot.text.normalize import key

MODEL_VERSION = "1"  # bump when features or training change: old cache files are ignored
MAX_TEXT_CHARS = 400
C = 64.0  # inverse regularisation strength of the logistic regression
MIN_DF = 2  # features of one phrasing only are left out: half the size, same accuracy
CACHE_KEPT = 3  # model files kept in the cache (each edit of the FAQ trains a new one)


DEFAULT_CACHE = cache_dir()  # SAYLAU_MODEL_CACHE, else ~/.cache/saylau


def text_features(folded: str) -> Counter[str]:
    """Features of a folded text: words, word pairs, 4- and 6-letter stems, 3-5 letter n-grams."""
    words = folded.split()
    feats = ["w:" + word for word in words]
    feats += ["b:" + first + " " + second for first, second in pairwise(words)]
    feats += ["s:" + word[:4] for word in words if len(word) > 4]
    feats += ["s:" + word[:6] for word in words if len(word) > 6]
    for word in words:
        padded = f" {word} "
        end = len(padded)
        feats += [padded[j : j + 3] for j in range(end - 2)]
        feats += [padded[j : j + 4] for j in range(end - 3)]
        feats += [padded[j : j + 5] for j in range(end - 4)]
    return Counter(feats)  # one list counted at once: half the time of counting feature by feature


@dataclass(frozen=True)
class TopicModel:
    """Trained weights: ``vocabulary`` feature -> row of ``weights`` (features x classes)."""

    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, text: str) -> np.ndarray:
        """P(class | text) for every class, in the order of :attr:`classes`."""
        return self.probabilities_folded(key(text))

    def probabilities_folded(self, folded: str) -> np.ndarray:
        """:meth:`probabilities` of a text already folded with :func:`bot.text.normalize.key`."""
        idx, vals = _weighted(text_features(folded[:MAX_TEXT_CHARS]), self.vocabulary, self.idf)
        logits = self.bias + (vals @ self.weights[idx] if len(idx) else 0.0)
        logits = logits - logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()


def _weighted(
    bag: Counter[str], vocabulary: dict[str, int], idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The known features of ``bag`` as (rows, unit-length sublinear TF-IDF weights, float32)."""
    rows = np.fromiter(map(vocabulary.get, bag, repeat(-1)), dtype=np.int64, count=len(bag))
    counts = np.fromiter(bag.values(), dtype=np.float64, count=len(bag))
    known = rows >= 0
    rows = rows[known]
    values = (1 + np.log(counts[known])) * idf[rows]
    norm = math.sqrt(values @ values) or 1.0
    return rows, (values / norm).astype(np.float32)


def _fingerprint(examples: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"{MODEL_VERSION}|{C}|{MIN_DF}".encode())
    for label, text in sorted(examples):
        digest.update(f"{label}\x1f{text}\x1e".encode())
    return digest.hexdigest()[:24]


def train(examples: Iterable[tuple[str, str]]) -> TopicModel:
    """Fit the model on (class, text) pairs (scikit-learn; a second or two for the FAQ)."""
    from scipy.sparse import csr_matrix  # training only: scikit-learn takes a second to import
    from sklearn.linear_model import LogisticRegression

    pairs = [(label, key(text)[:MAX_TEXT_CHARS]) for label, text in examples]
    pairs = [(label, folded) for label, folded in pairs if folded]
    classes = tuple(sorted({label for label, _ in pairs}))
    bags = [text_features(folded) for _, folded in pairs]
    df: Counter[str] = Counter(f for bag in bags for f in bag)
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, d in df.items() if d >= MIN_DF))}
    n_docs = len(bags)
    idf = np.zeros(len(vocabulary), dtype=np.float32)
    for f, i in vocabulary.items():
        idf[i] = math.log((n_docs + 1) / (df[f] + 1)) + 1
    indptr, indices, data = [0], [], []
    for bag in bags:
        rows, values = _weighted(bag, vocabulary, idf)
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
    return TopicModel(classes, vocabulary, idf, weights, bias)


def _save(model: TopicModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    features = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
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
            {f: i for i, f in enumerate(features)},
            data["idf"],
            data["weights"],
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
    model = train(examples)
    with contextlib.suppress(OSError):  # a read-only cache only costs the next start a retraining
        _save(model, path)
        _prune(cache_dir)
    return model


def _prune(cache_dir: Path) -> None:
    """Delete all but the newest :data:`CACHE_KEPT` model files."""
    files = sorted(cache_dir.glob("topic-model-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[CACHE_KEPT:]:
        old.unlink(missing_ok=True)
