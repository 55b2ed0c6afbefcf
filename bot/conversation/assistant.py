"""The bot's knowledge over one database: the seeded content, the published FAQ, its
matcher and the language model.

:class:`Assistant` is what the conversation core (:mod:`bot.conversation.core`) reads;
its :meth:`Assistant.ask` is the FAQ's view of a question alone, which the matcher's
tests and benchmarks measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import sqlite_utils

from bot.content.reference import ensure_reference_data
from bot.faq import feedback
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


class Assistant:
    """FAQ answers, language detection and the anonymous feedback log over one database."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        faq_dir: Path = FAQ_DIR,
        out_of_scope_file: Path = OUT_OF_SCOPE_FILE,
    ) -> None:
        self.db = db
        self.faq_dir = faq_dir
        self.out_of_scope_file = out_of_scope_file
        ensure_seeded(db, faq_dir)
        ensure_reference_data(db)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the matcher and language model from the stored FAQ."""
        entries = read_faq(self.db)
        self.entries: dict[str, FaqEntry] = {e.topic: e for e in entries if e.published}
        self.drafts: dict[str, FaqEntry] = {e.topic: e for e in entries if not e.published}
        phrasings = [
            (e.topic, text)
            for e in self.entries.values()
            for lang in e.questions
            for text in (*e.questions[lang], e.titles[lang])
        ]
        phrasings += [(REJECT, q) for qs in load_out_of_scope(self.out_of_scope_file).values() for q in qs]
        self.matcher = FaqMatcher(phrasings, THRESHOLDS)
        corpus: dict[Lang, list[str]] = {}
        for e in self.entries.values():
            for lang in e.questions:
                corpus.setdefault(lang, []).extend((*e.questions[lang], e.answers[lang]))
        self.detector = LanguageDetector(corpus)
        words: dict[Lang, set[str]] = {}
        for e in self.entries.values():  # questions only, and no proper nouns: names show no language
            for lang in e.questions:
                words.setdefault(lang, set()).update(w for t in e.questions[lang] for w in _common_words(t))
        # Words of one language only: a short text needs one to show its language ("Tokayev",
        # in every language's answers, shows none).
        self.distinctive: dict[Lang, frozenset[str]] = {
            lang: frozenset(own.difference(*(words[o] for o in words if o != lang)))
            for lang, own in words.items()
        }
        # Words voters use for topics other than places abroad: never read as a city's name.
        self.vocabulary = frozenset(
            word for topic, text in phrasings if topic not in PLACE_TOPICS for word in key(text).split()
        )

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
