"""Fuzzy matching of free-text questions to FAQ topics.

Every phrasing is normalised and folded once, at index time (:mod:`bot.text.normalize`), so
Kazakh in Cyrillic, Latin and Russian-keyboard spelling meet. A question is scored
against all phrasings with a TF-IDF cosine over word tokens, 5-letter word prefixes
(a cheap stem for Kazakh and Russian endings) and character 3-grams, computed from a
numpy inverted index. The best phrasings are reranked with a rapidfuzz similarity, each
topic keeps its best phrasing, and that score is blended with the cosine to the topic's
centroid (all its phrasings together), so evidence spread over many phrasings counts.
With a topic model (:mod:`bot.faq.classifier`, trained on the same phrasings and the
realistic examples), the final score is ``(1 - model_weight) * retrieval + model_weight *
P(topic | question)``: the model knows which words tell topics apart, retrieval keeps the
exact and fuzzy matches. The decision (:class:`Thresholds`) is:

* answer when the top topic clears ``answer`` and beats the runner-up by ``margin``;
* "did you mean" (up to three topics) for topics that clear ``suggest``;
* otherwise "I don't know".

Example questions filed under the topic :data:`REJECT` (other countries' elections, ID
cards, school votes...) are a topic like any other, for retrieval and for the model; a
question closest to them is never answered, and gets "did you mean" only for topics
nearly as close (``near_reject``).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from bot.faq.classifier import TopicModel
from bot.text.normalize import key
from bot.text.postings import PostingIndex, top_rows
from bot.text.word_cache import WordCache

MAX_QUERY_CHARS = 300  # long messages are matched on their beginning
TOP_DOCS = 40  # phrasings reranked with the fuzzy score
MAX_DF = 0.3  # features in more phrasings than this share carry no signal
# At query time, phrase-level scoring skips features in more phrasings than this share (at
# least MIN_POSTINGS_CAP): they cost the most and weigh the least. Topic centroids keep them.
POSTINGS_SHARE = 0.04
MIN_POSTINGS_CAP = 400

# Question and filler words: rare in a small FAQ, so TF-IDF would overrate them; they
# count as a word, without n-grams or prefix.
_STOPWORDS_TEXT = """
    бұл осы сол ол не неше қандай қалай қай қайда кім ма ме ба бе па пе мен және де да
    деген дегеніміз туралы үшін керек бола болады ма екен ғой еді
    это что как где кто ли и в на по о об про для с а или у же вообще такое такой такая
    мне я можно нужно ли есть какой какие каким
    apa itu yang di ke dari dan atau untuk dengan saya aku bisa apakah bagaimana gimana
    dong sih ya nya adalah ini ada
"""
STOPWORDS: frozenset[str] = frozenset(key(w) for w in _STOPWORDS_TEXT.split())


def word_features(word: str) -> list[str]:
    """The features of one folded word, each as many times as it weighs."""
    if word in STOPWORDS:
        return ["w:" + word]
    feats = ["w:" + word, "w:" + word]
    if len(word) > 5:
        feats.append("p:" + word[:5])
    padded = f" {word} "
    feats += [padded[i : i + 3] for i in range(len(padded) - 2)]
    return feats


def features(folded: str) -> Counter[str]:
    """The weighted bag of features of a folded text."""
    return Counter(f for word in folded.split() for f in word_features(word))


@dataclass(frozen=True)
class Candidate:
    """A topic and how well the question matches it (0..1)."""

    topic: str
    score: float


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on one question."""

    topic: str | None  # answered topic, or None
    score: float  # score of the best topic
    suggestions: tuple[str, ...] = ()  # "did you mean" topics when not answered
    ranking: tuple[Candidate, ...] = field(default=(), repr=False)


REJECT = "-out-of-scope-"  # topic of the example questions that must not be answered


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, chosen on the realistic tuning set (tests/data/realistic/tuning_*)
    with benchmarks/calibrate_thresholds.py, through the conversation core; never on the
    held-out set. The margin decides; ``answer`` only keeps near-zero scores out."""

    answer: float = 0.1
    suggest: float = 0.05
    margin: float = 0.2
    near_reject: float = 0.7  # under an out-of-scope best, a suggestion needs this share of its score


class FaqMatcher:
    """An index of (topic, phrasing) pairs answering free-text questions."""

    def __init__(
        self,
        phrasings: Iterable[tuple[str, str]],
        thresholds: Thresholds | None = None,
        fuzzy_weight: float = 0.2,
        centroid_weight: float = 0.8,
        model: TopicModel | None = None,
        model_weight: float = 0.7,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.fuzzy_weight = fuzzy_weight
        self.centroid_weight = centroid_weight
        self.model = model
        self.model_weight = model_weight if model is not None else 0.0
        topics: list[str] = []
        topic_index: dict[str, int] = {}
        doc_topic: list[int] = []
        self._doc_keys: list[str] = []
        bags: list[Counter[str]] = []
        for topic, text in phrasings:
            folded = key(text)[:MAX_QUERY_CHARS]
            if not folded:
                continue
            if topic not in topic_index:
                topic_index[topic] = len(topics)
                topics.append(topic)
            doc_topic.append(topic_index[topic])
            self._doc_keys.append(folded)
            bags.append(features(folded))
        self.topics = topics
        self._doc_topic = np.array(doc_topic, dtype=np.int32)
        n_docs = len(bags)
        df: Counter[str] = Counter(f for bag in bags for f in bag)
        limit = max(2, MAX_DF * n_docs)
        idf = {f: math.log((n_docs + 1) / (d + 1)) + 1 for f, d in df.items() if d <= limit}
        # feature -> its number here, and the IDF of each number
        self._feature_ids = {f: i for i, f in enumerate(idf)}
        self._idf_of = np.fromiter(idf.values(), dtype=np.float64, count=len(idf))
        self._phrases = PostingIndex([self._weights(bag) for bag in bags])
        topic_bags: list[Counter[str]] = [Counter() for _ in topics]
        for doc, bag in enumerate(bags):
            topic_bags[doc_topic[doc]].update(bag)
        # Topic centroids as one dense (feature x topic) matrix: a few thousand features by a
        # few dozen topics is a few hundred KB, and a question's centroid cosines are one product.
        self._centroids = np.zeros((len(self._feature_ids), len(topics)), dtype=np.float32)
        for t, bag in enumerate(topic_bags):
            for f, w in self._weights(bag).items():
                self._centroids[self._feature_ids[f], t] = w
        self._n_docs = n_docs
        self._posting_of = self._phrases.numbers(self._feature_ids, len(self._feature_ids))  # per number
        self._word_numbers = WordCache(self._numbers_of)
        for topic in model.classes if model is not None else ():
            if topic not in topic_index:  # learnt from examples only: the model alone scores it
                topic_index[topic] = len(topics)
                topics.append(topic)
        self._model_rows = np.array([topic_index[c] for c in model.classes] if model else [], dtype=np.int64)

    def _weights(self, bag: Counter[str]) -> dict[str, float]:
        ids, idf = self._feature_ids, self._idf_of
        vec = {f: (1 + math.log(c)) * float(idf[ids[f]]) for f, c in bag.items() if f in ids}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {f: w / norm for f, w in vec.items()}

    def _numbers_of(self, word: str) -> bytes:
        """The numbers of a word's features here (repeated as they weigh), as int32 bytes
        (kept for the latest words: :mod:`bot.text.word_cache`)."""
        numbers = map(self._feature_ids.get, word_features(word))
        return array("i", [n for n in numbers if n is not None]).tobytes()

    def _query(self, folded: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's known features (numbers, ascending) and their unit-length weights:
        :meth:`_weights` of its bag, as arrays."""
        numbers = np.frombuffer(b"".join(map(self._word_numbers, folded.split())), dtype=np.int32)
        numbers, counts = np.unique(numbers, return_counts=True)
        weights = (1 + np.log(counts)) * self._idf_of[numbers]
        return numbers, weights / (math.sqrt(weights @ weights) or 1.0)

    def rank(self, question: str, limit: int = 5) -> list[Candidate]:
        """Topics ordered by score, best first (at most ``limit``)."""
        full = key(question)
        folded = full[:MAX_QUERY_CHARS]
        if not folded or not self._n_docs:
            return []
        numbers, weights = self._query(folded)
        in_postings = self._posting_of[numbers]
        kept = in_postings >= 0
        cap = max(MIN_POSTINGS_CAP, int(self._n_docs * POSTINGS_SHARE))
        cosine = self._phrases.scores_of(in_postings[kept], weights[kept], cap)
        if cosine is None:
            return []
        docs = top_rows(cosine, TOP_DOCS)
        nearest = [self._doc_keys[d] for d in docs]
        fuzzy = cdist((folded,), nearest, scorer=fuzz.ratio, dtype=np.float64)[0] / 100
        fw = self.fuzzy_weight
        scores = (1 - fw) * cosine[docs] + fw * fuzzy
        best = np.zeros(self._centroids.shape[1], dtype=np.float64)
        np.maximum.at(best, self._doc_topic[docs], scores)  # each topic's best phrasing
        cw, mw = self.centroid_weight, self.model_weight
        combined = np.zeros(len(self.topics), dtype=np.float64)
        retrieved = best > 0
        retrieval = (1 - cw) * best + cw * (weights @ self._centroids[numbers])
        combined[: len(best)][retrieved] = (1 - mw) * retrieval[retrieved]
        if self.model is not None:
            combined[self._model_rows] += mw * self.model.probabilities_folded(full)
        top = sorted(top_rows(combined, limit), key=lambda t: (-combined[t], t))
        return [Candidate(self.topics[t], round(float(combined[t]), 4)) for t in top]

    def match(self, question: str) -> Match:
        """Decide whether to answer, offer "did you mean", or say "I don't know"."""
        ranking = self.rank(question)
        if not ranking:
            return Match(None, 0.0)
        t = self.thresholds
        top = ranking[0]
        runner_up = ranking[1].score if len(ranking) > 1 else 0.0
        if top.topic != REJECT and top.score >= t.answer and top.score - runner_up >= t.margin:
            return Match(top.topic, top.score, ranking=tuple(ranking))
        # Closest to what we must not answer: offer only topics nearly as close.
        floor = max(t.suggest, t.near_reject * top.score) if top.topic == REJECT else t.suggest
        suggestions = tuple(c.topic for c in ranking[:3] if c.topic != REJECT and c.score >= floor)
        return Match(None, top.score, suggestions, tuple(ranking))
