"""Realistic example questions the matcher learns from, beside the FAQ's own phrasings.

``content/training/<lang>.csv`` holds questions written the way voters type on a phone
(greetings, context, typos, slang, Kazakh in three spellings) by writers who saw only the
topic catalogue, never the FAQ's phrasings or the evaluation sets. Columns: ``topic`` (a
topic ID, or ``out-of-scope`` for messages that must not be answered), ``text``, ``style``
(which writer's spelling and register). They teach the matcher; voters never see them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bot.faq.entries import CONTENT_DIR, ContentError
from bot.faq.topics import CATALOGUE
from bot.i18n import N_
from bot.languages import LANGS, Lang

TRAINING_DIR = CONTENT_DIR / "training"
OUT_OF_SCOPE = "out-of-scope"
MAX_TEXT_CHARS = 400
MAX_ROWS = 20_000
COLUMNS = ("topic", "text", "style")
TOPICS = frozenset((*CATALOGUE, OUT_OF_SCOPE))


@dataclass(frozen=True)
class Example:
    """One example question: its topic (or :data:`OUT_OF_SCOPE`), language and text."""

    topic: str
    lang: Lang
    text: str


def load_examples(directory: Path = TRAINING_DIR) -> list[Example]:
    """Every example of ``directory`` (``<lang>.csv`` files), validated; [] without the folder."""
    examples: list[Example] = []
    for lang in LANGS:
        path = directory / f"{lang}.csv"
        if path.exists():
            try:
                with path.open(encoding="utf-8", newline="") as f:
                    examples.extend(
                        _read(csv.DictReader(f, strict=True), path.name, lang, MAX_ROWS - len(examples))
                    )
            except (csv.Error, UnicodeDecodeError) as exc:
                problem = N_("malformed CSV: {error}")
                raise ContentError(path.name, "-", "-", problem, error=str(exc)) from None
    return examples


def _read(reader: csv.DictReader, source: str, lang: Lang, room: int) -> list[Example]:
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ContentError(source, "-", "header", N_("must be one of {values}"), values=", ".join(COLUMNS))
    found = []
    for line, row in enumerate(reader, start=2):
        where = f"line {line}"
        topic, text = (row.get("topic") or "").strip(), (row.get("text") or "").strip()
        if not topic or not text:
            raise ContentError(source, where, "topic" if not topic else "text", N_("must be non-empty text"))
        if topic not in TOPICS:
            raise ContentError(
                source, where, "topic", N_("must be a topic of the catalogue or {name}"), name=OUT_OF_SCOPE
            )
        if len(text) > MAX_TEXT_CHARS:
            raise ContentError(
                source,
                where,
                "text",
                N_("is {length} characters, at most {limit}"),
                length=len(text),
                limit=MAX_TEXT_CHARS,
            )
        if len(found) >= room:
            raise ContentError(source, where, "-", N_("has more than {limit} rows"), limit=MAX_ROWS)
        found.append(Example(topic, lang, text))
    return found
