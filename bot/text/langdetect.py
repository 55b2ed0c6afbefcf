"""Which of kk, ru, id a question is written in.

Script rules decide first: a Kazakh-only Cyrillic letter (ә ғ қ ң ө ұ ү һ і) or a Kazakh
Latin letter (ä ğ q ñ ö ū ü ş ı) means Kazakh. Otherwise Cyrillic text is Kazakh or
Russian and Latin text is Kazakh or Indonesian, and a small multinomial naive Bayes model
over the folded text (see :mod:`bot.text.normalize`) decides between the two. It is trained on
the FAQ itself, so Kazakh typed in Latin letters or on a Russian keyboard folds onto the
same features as the Kazakh Cyrillic it learnt from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np

from bot.languages import LANGS, Lang
from bot.text.hashed_keys import HashedKeys
from bot.text.normalize import fold, key, normalize
from bot.text.word_cache import WordCache

_KK_CYRILLIC = re.compile("[әғқңөұүһі]")
_KK_LATIN = re.compile("[äğqñöūüşı]")
_CYRILLIC = re.compile("[а-яё]")
_LATIN = re.compile("[a-z]")
MAX_CHARS = 1000  # the start of a long message tells its language
_PAIRS: tuple[tuple[Lang, Lang], ...] = (("kk", "ru"), ("kk", "id"))  # Cyrillic, Latin

# A few very common words per language, so the model is sensible even on a tiny FAQ.
SEED_TEXT: dict[Lang, str] = {
    "kk": "қалай қашан қайда кім не деген бар ма ба бе па пе керек бола ма "
    "сайлау дауыс беру үшін және мен сен біз олар бұл ол осы қандай неше қанша "
    "керек жоқ иә рақмет сәлем туралы кезде бойынша",
    "ru": "как когда где кто что это есть ли нужно можно для и я ты мы они "
    "выборы голосовать голосование какой какие сколько нет да спасибо "
    "привет о про при по",
    "id": "bagaimana kapan di mana siapa apa itu ada apakah perlu bisa untuk dan "
    "saya kamu kami mereka pemilu pemilihan memilih suara yang berapa tidak "
    "ya terima kasih halo tentang dengan",
}


def _word_features(word: str) -> list[str]:
    padded = f" {word} "
    end = len(padded)
    feats = ["w:" + word]
    feats += [padded[i : i + 2] for i in range(end - 1)]
    feats += [padded[i : i + 3] for i in range(end - 2)]
    feats += [padded[i : i + 4] for i in range(end - 3)]
    return feats


def _features(folded: str) -> list[str]:
    return [f for word in folded.split() for f in _word_features(word)]


@dataclass(frozen=True)
class Detection:
    """The detected language and how sure the detector is (0..1)."""

    lang: Lang | None
    confidence: float


class LanguageDetector:
    """Script rules plus naive Bayes on folded character n-grams."""

    def __init__(self, corpus: dict[Lang, Iterable[str]], alpha: float = 0.5) -> None:
        counts: dict[Lang, Counter[str]] = {}
        for lang in LANGS:
            texts = [SEED_TEXT[lang], *corpus.get(lang, ())]
            counts[lang] = Counter(f for t in texts for f in _features(fold(normalize(t))))
        vocab = set().union(*counts.values())
        log_prob: dict[Lang, dict[str, float]] = {}
        unseen: dict[Lang, float] = {}
        for lang, counter in counts.items():
            total = sum(counter.values()) + alpha * (len(vocab) + 1)
            log_prob[lang] = {f: math.log((c + alpha) / total) for f, c in counter.items()}
            unseen[lang] = math.log(alpha / total)
        # Only two languages are ever compared (by script), so each pair keeps one column of
        # per-feature log-odds (the unseen odds for a feature neither language has).
        features = sorted(vocab)
        self._vocabulary = HashedKeys(features)
        self._unseen = {pair: unseen[pair[0]] - unseen[pair[1]] for pair in _PAIRS}
        self._log_odds = {
            (a, b): np.array(
                [log_prob[a].get(f, unseen[a]) - log_prob[b].get(f, unseen[b]) for f in features]
            )
            for a, b in _PAIRS
        }
        # A word's summed log-odds and feature count, per pair, kept for the latest words.
        self._word_odds = {pair: WordCache(partial(self._odds_of, pair)) for pair in _PAIRS}

    def _odds_of(self, pair: tuple[Lang, Lang], word: str) -> tuple[float, int]:
        """The summed log-odds of a word's features for one pair of languages, and their number."""
        feats = _word_features(word)
        rows = self._vocabulary.rows(feats)
        unseen = len(feats) - len(rows)
        return float(self._log_odds[pair][rows].sum()) + unseen * self._unseen[pair], len(feats)

    def detect(self, text: str, hint: Lang | None = None) -> Detection:
        """Detect the language of ``text``; ``hint`` (the user's language) breaks ties."""
        norm = normalize(text[:MAX_CHARS])
        if _KK_CYRILLIC.search(norm) or _KK_LATIN.search(norm):
            return Detection("kk", 1.0)
        cyrillic = len(_CYRILLIC.findall(norm))
        latin = len(_LATIN.findall(norm))
        if not cyrillic and not latin:
            return Detection(hint, 0.0)
        candidates: tuple[Lang, Lang] = ("kk", "ru") if cyrillic >= latin else ("kk", "id")
        words = key(text[:MAX_CHARS]).split()  # = fold(norm), remembered for the other readers
        odds = list(map(self._word_odds[candidates], words))
        # The mean per-feature log-odds turned into a probability of the winner.
        a, b = candidates
        diff = sum(o for o, _ in odds) / max(1, sum(n for _, n in odds)) * 8
        p_a = 1 / (1 + math.exp(-max(-50.0, min(50.0, diff))))
        best, p = (a, p_a) if p_a >= 0.5 else (b, 1 - p_a)
        if p < 0.6 and hint in candidates:
            return Detection(hint, p)
        return Detection(best, p)
