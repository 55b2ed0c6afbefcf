"""The bot's knowledge over one database: the seeded content, the published FAQ, its
matcher and the language model.

:class:`Assistant` is what the conversation core (:mod:`bot.conversation.core`) reads;
its :meth:`Assistant.ask` is the FAQ's view of a question alone, which the matcher's
tests and benchmarks measure.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlite_utils

from bot.content.reference import ensure_reference_data
from bot.faq import classifier, feedback
from bot.faq.entries import (
    FAQ_DIR,
    OUT_OF_SCOPE_FILE,
    FaqEntry,
    ensure_seeded,
    load_out_of_scope,
    read_faq,
    reload_faq,
)
from bot.faq.matcher import REJECT, FaqMatcher, Thresholds
from bot.faq.stats import QuestionTally
from bot.faq.training import OUT_OF_SCOPE, TRAINING_DIR, load_examples
from bot.languages import DEFAULT_LANG, Lang
from bot.text.langdetect import LanguageDetector
from bot.text.normalize import has_letters, key, normalize

FaqKind = Literal["answer", "suggest", "unknown", "no_text"]

THRESHOLDS = Thresholds()  # calibrated defaults, see bot.matcher.Thresholds
SURE_LANGUAGE = 0.7  # below this detection confidence, reply in the user's language
PLACE_TOPICS = ("embassy", "voting-abroad")  # their phrasings name places


@dataclass(frozen=True)
class FaqReply:
    """What the FAQ alone makes of one question (the matcher's view, used to measure it).

    Voters' messages go through :func:`bot.conversation.core.respond`, which also handles
    small talk, candidates, places and other countries' elections.
    """

    kind: FaqKind
    lang: Lang  # language to reply in
    detected: Lang | None  # language the question is written in
    topic: str | None = None
    score: float = 0.0
    suggestions: tuple[str, ...] = ()


def _common_words(text: str) -> list[str]:
    """Folded words of ``text`` without the capitalised ones after the first (proper nouns)."""
    tokens = text.split()
    return [
        w for i, token in enumerate(tokens) if i == 0 or not token[:1].isupper() for w in key(token).split()
    ]


@dataclass(frozen=True)
class _Sources:
    """What the knowledge is built from: stored entries and the content files."""

    entries: list[FaqEntry]
    out_of_scope: list[str]
    examples: list[tuple[str, str]]  # (topic or REJECT, text) from content/training/
    model_cache: Path | None


@dataclass(frozen=True)
class _Built:
    """The knowledge built from :class:`_Sources` (replaced whole on refresh)."""

    entries: dict[str, FaqEntry]
    drafts: dict[str, FaqEntry]
    matcher: FaqMatcher
    detector: LanguageDetector
    distinctive: dict[Lang, frozenset[str]]
    vocabulary: frozenset[str]


def _build(sources: _Sources) -> _Built:
    """Index the published FAQ, train (or load) the topic model, learn the languages' words."""
    published = {e.topic: e for e in sources.entries if e.published}
    drafts = {e.topic: e for e in sources.entries if not e.published}
    phrasings = [
        (e.topic, text)
        for e in published.values()
        for lang in e.questions
        for text in (*e.questions[lang], e.titles[lang])
    ]
    rejected = [(REJECT, q) for q in sources.out_of_scope]
    examples = [(topic, text) for topic, text in sources.examples if topic == REJECT or topic in published]
    model = classifier.trained(phrasings + rejected + examples, sources.model_cache)
    matcher = FaqMatcher(phrasings + rejected, THRESHOLDS, model=model)
    corpus: dict[Lang, list[str]] = {}
    for e in published.values():
        for lang in e.questions:
            corpus.setdefault(lang, []).extend((*e.questions[lang], e.answers[lang]))
    words: dict[Lang, set[str]] = {}
    for e in published.values():  # questions only, and no proper nouns: names show no language
        for lang in e.questions:
            words.setdefault(lang, set()).update(w for t in e.questions[lang] for w in _common_words(t))
    # Words of one language only: a short text needs one to show its language ("Tokayev",
    # in every language's answers, shows none).
    distinctive = {
        lang: frozenset(own.difference(*(words[o] for o in words if o != lang)))
        for lang, own in words.items()
    }
    # Words voters use for topics other than places abroad: never read as a city's name.
    vocabulary = frozenset(
        word for topic, text in phrasings if topic not in PLACE_TOPICS for word in key(text).split()
    )
    return _Built(published, drafts, matcher, LanguageDetector(corpus), distinctive, vocabulary)


_BUILT: OrderedDict[str, _Built] = OrderedDict()  # the last few builds, by what they were built from
_BUILT_KEPT = 2
_BUILT_LOCK = threading.Lock()


def _build_cached(sources: _Sources) -> _Built:
    """:func:`_build`, reused when the same sources were built before in this process (every
    Assistant over unchanged content: the tests, the CLI, a refresh that changed nothing)."""
    fingerprint = hashlib.sha256(repr(sources).encode()).hexdigest()
    with _BUILT_LOCK:
        if fingerprint in _BUILT:
            _BUILT.move_to_end(fingerprint)
            return _BUILT[fingerprint]
    built = _build(sources)
    with _BUILT_LOCK:
        _BUILT[fingerprint] = built
        while len(_BUILT) > _BUILT_KEPT:
            _BUILT.popitem(last=False)
    return built


class Assistant:
    """FAQ answers, language detection and the anonymous feedback log over one database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        faq_dir: Path = FAQ_DIR,
        out_of_scope_file: Path = OUT_OF_SCOPE_FILE,
        training_dir: Path = TRAINING_DIR,
        model_cache: Path | None = classifier.DEFAULT_CACHE,
    ) -> None:
        self.db = db
        self.faq_dir = faq_dir
        self.out_of_scope_file = out_of_scope_file
        self.training_dir = training_dir
        self.model_cache = model_cache
        self._generation = 0  # counts refreshes, so that a slower, older build never wins
        self.question_tally = QuestionTally(db)  # anonymous counts for /stats, written every few s
        ensure_seeded(db, faq_dir)
        ensure_reference_data(db)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the matcher and language model from the stored FAQ."""
        self._generation += 1
        self._apply(_build_cached(self._read()))

    async def refresh_async(self) -> None:
        """:meth:`refresh` for the bot: reading stays on the event loop, training (seconds
        when the content changed) runs in a thread, and the new knowledge replaces the old
        at once, so voters are answered throughout. When edits overlap, the newest wins."""
        self._generation += 1
        generation, sources = self._generation, self._read()
        built = await asyncio.to_thread(_build_cached, sources)
        if generation == self._generation:  # else a later edit's build is (or will be) applied
            self._apply(built)

    def _read(self) -> _Sources:
        examples = [
            (REJECT if ex.topic == OUT_OF_SCOPE else ex.topic, ex.text)
            for ex in load_examples(self.training_dir)
        ]
        out_of_scope = [q for qs in load_out_of_scope(self.out_of_scope_file).values() for q in qs]
        return _Sources(read_faq(self.db), out_of_scope, examples, self.model_cache)

    def _apply(self, built: _Built) -> None:
        self.entries, self.drafts = built.entries, built.drafts
        self.matcher, self.detector = built.matcher, built.detector
        self.distinctive, self.vocabulary = built.distinctive, built.vocabulary

    def reload(self) -> int:
        """Replace the stored FAQ from the seed files and rebuild; return the entry count."""
        count = reload_faq(self.db, self.faq_dir)
        self.refresh()
        return count

    def entry(self, topic: str) -> FaqEntry | None:
        """A published entry, or None (unknown topics and drafts are never served)."""
        return self.entries.get(topic)

    def detect(self, text: str, hint: Lang | None = None) -> Lang | None:
        """The language ``text`` is written in (``hint`` decides when unsure)."""
        return self.detector.detect(text, hint).lang

    def ask(
        self,
        text: str,
        ui_lang: Lang | None = None,
        reply_lang: Lang | None = None,
        record: bool = True,
    ) -> FaqReply:
        """The FAQ's answer, suggestions or "don't know"; unanswered questions are recorded."""
        detection = self.detector.detect(text, ui_lang)
        detected = detection.lang
        if detection.confidence < SURE_LANGUAGE and ui_lang is not None:
            lang = reply_lang or ui_lang  # "ok?", "akim": keep the user's language
        else:
            lang = reply_lang or detected or ui_lang or DEFAULT_LANG
        if not has_letters(normalize(text)):
            return FaqReply("no_text", lang, detected)
        match = self.matcher.match(text)
        if match.topic is not None:
            return FaqReply("answer", lang, detected, match.topic, match.score)
        if match.suggestions:
            return FaqReply("suggest", lang, detected, None, match.score, match.suggestions)
        if record:
            feedback.record_unanswered(self.db, text, detected, "no_match")
        return FaqReply("unknown", lang, detected, None, match.score)
